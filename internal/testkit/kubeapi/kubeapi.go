//go:build unix

// Package kubeapi runs a real Kubernetes API server for tests: etcd and
// kube-apiserver v1.31 on 127.0.0.1, with token authentication, RBAC
// authorization and the admission plugins that segmentation relies on
// (PodSecurity, ResourceQuota, LimitRanger, ServiceAccount,
// NamespaceLifecycle). There is no controller manager, scheduler or node, so
// the server stores and checks objects but never runs them:
//
//   - no namespace gets a "default" service account: a test creates the
//     service accounts its pods name;
//   - a ResourceQuota has no status until something writes one, and the
//     quota admission plugin enforces the limits of status.hard, not of
//     spec.hard: until then the quota limits nothing. SetQuotaStatus writes
//     the status that the quota controller would, and
//     Options.FillQuotaStatus keeps doing so in the background (the
//     Terraform kubernetes provider waits after creating a quota until
//     status.hard equals spec.hard);
//   - a deleted namespace stays Terminating, as nothing removes its
//     "kubernetes" finalizer: DeleteNamespace clears it, and
//     Options.FinalizeNamespaces does so in the background (the Terraform
//     kubernetes provider waits until a namespace it deletes is gone);
//   - an admitted pod stays Pending.
//
// The binaries come from $SEGMENTED_KUBE_APISERVER and $SEGMENTED_ETCD, or
// from the cache where scripts/build-kube-apiserver.sh and
// scripts/find-etcd.sh put them; without them Start skips the test (make
// test-k8s builds them and runs the tests). Only tests import this package.
// It talks to the API over net/http with JSON, without client-go.
package kubeapi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Version is the kube-apiserver release that make test-k8s builds.
const Version = "1.31.4"

// EtcdVersion is the etcd release that scripts/find-etcd.sh fetches when
// no etcd 3.4+ is on PATH (Debian bookworm's etcd-server).
const EtcdVersion = "3.4.23"

// AdminUser is the user of Server.AdminToken, in the group system:masters
// (which RBAC allows everything).
const AdminUser = "admin"

// User is a user that the server authenticates by a bearer token of its own
// (see Server.Token).
type User struct {
	Name   string
	UID    string   // defaults to Name
	Groups []string // besides system:authenticated, which every user gets
}

// Options configures Start.
type Options struct {
	// Users get a bearer token each, besides the admin's.
	Users []User
	// ReadyTimeout bounds the wait for etcd and for the API server's
	// /readyz; 2 minutes if zero (a 2-core machine running other builds).
	ReadyTimeout time.Duration
	// ExtraArgs are appended to kube-apiserver's command line (a later flag
	// wins over an earlier one).
	ExtraArgs []string
	// FillQuotaStatus stands in for the quota controller: every few hundred
	// milliseconds, each ResourceQuota whose status.hard differs from its
	// spec.hard gets status.hard = spec.hard, with status.used kept for the
	// resources it already counted and "0" for new ones. Unlike the real
	// controller, it does not count objects that already exist.
	FillQuotaStatus bool
	// FinalizeNamespaces stands in for the namespace controller: every few
	// hundred milliseconds, each namespace being deleted has its
	// "kubernetes" finalizer cleared, so that it goes away (its objects
	// stay behind in etcd, unreachable).
	FinalizeNamespaces bool
}

// Server is a running kube-apiserver with its etcd.
type Server struct {
	// Endpoint is the API's URL, https://127.0.0.1:PORT.
	Endpoint string
	// CAPEM is the PEM certificate of the CA that signed the serving
	// certificate.
	CAPEM []byte
	// AdminToken authenticates as AdminUser, in the group system:masters.
	AdminToken string

	t      testing.TB
	dir    string
	tokens map[string]string
	client *http.Client

	kubeconfigOnce sync.Once
	kubeconfig     string
}

// Binaries returns the paths of kube-apiserver and etcd, from
// $SEGMENTED_KUBE_APISERVER and $SEGMENTED_ETCD or the default cache, and
// skips the test if either is missing (or fails it when
// $SEGMENTED_REQUIRE_K8S is set, as make test-k8s does, so that CI cannot
// skip the tests it means to run).
func Binaries(t testing.TB) (apiserver, etcd string) {
	t.Helper()
	home, _ := os.UserHomeDir()
	cache := filepath.Join(home, ".cache", "terraform-provider-segmented")
	apiserver = os.Getenv("SEGMENTED_KUBE_APISERVER")
	if apiserver == "" {
		apiserver = filepath.Join(cache, "kube-apiserver-"+Version, "kube-apiserver")
	}
	etcd = os.Getenv("SEGMENTED_ETCD")
	if etcd == "" {
		etcd = filepath.Join(cache, "etcd-"+EtcdVersion, "usr", "bin", "etcd")
		if _, err := os.Stat(etcd); err != nil {
			if p, err := exec.LookPath("etcd"); err == nil {
				etcd = p
			}
		}
	}
	for _, b := range []struct{ name, path string }{{"kube-apiserver " + Version, apiserver}, {"etcd 3.4+", etcd}} {
		if _, err := os.Stat(b.path); err != nil {
			msg := fmt.Sprintf("no %s binary (%v): run make test-k8s, which builds kube-apiserver into the cache (about 10 minutes cold), fetches etcd and runs these tests", b.name, err)
			if os.Getenv("SEGMENTED_REQUIRE_K8S") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	return apiserver, etcd
}

// Start runs etcd and kube-apiserver on loopback ports of their own, waits
// until the API is ready, and stops both (with their process groups) when
// the test ends. On failure, the tails of their logs go to the test log.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	apiserverBin, etcdBin := Binaries(t)
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 2 * time.Minute
	}
	dir := t.TempDir()
	s := &Server{t: t, dir: dir, tokens: map[string]string{}}

	// etcd, retried on a port that another process took meanwhile.
	var etcdURL string
	for attempt := 1; ; attempt++ {
		client, peer := freePort(t), freePort(t)
		etcdURL = "http://127.0.0.1:" + strconv.Itoa(client)
		peerURL := "http://127.0.0.1:" + strconv.Itoa(peer)
		data := filepath.Join(dir, fmt.Sprintf("etcd-data-%d", attempt))
		p := startProcess(t, filepath.Join(dir, "etcd.log"), etcdBin,
			"--name=kubeapi-test",
			"--data-dir="+data,
			"--listen-client-urls="+etcdURL,
			"--advertise-client-urls="+etcdURL,
			"--listen-peer-urls="+peerURL,
			"--initial-advertise-peer-urls="+peerURL,
			"--initial-cluster=kubeapi-test="+peerURL,
			"--initial-cluster-state=new",
			"--logger=zap",
			"--log-outputs=stderr",
		)
		err := waitFor(p, opts.ReadyTimeout, func() bool { return etcdHealthy(etcdURL) })
		if err == nil {
			break
		}
		if attempt < 3 && p.exited() && p.logContains("address already in use") {
			continue
		}
		t.Fatalf("etcd did not become healthy at %s: %v", etcdURL, err)
	}

	// Credentials: a CA and a serving certificate for 127.0.0.1, a service
	// account signing key, and the token file.
	caPEM, certPEM, keyPEM := servingCert(t)
	s.CAPEM = caPEM
	writeFile(t, filepath.Join(dir, "ca.crt"), caPEM)
	writeFile(t, filepath.Join(dir, "serving.crt"), certPEM)
	writeFile(t, filepath.Join(dir, "serving.key"), keyPEM)
	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	saDER, err := x509.MarshalPKCS8PrivateKey(saKey)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sa.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: saDER}))
	s.AdminToken = randomToken(t)
	s.tokens[AdminUser] = s.AdminToken
	var tokenFile bytes.Buffer
	fmt.Fprintf(&tokenFile, "%s,%s,%s,%q\n", s.AdminToken, AdminUser, AdminUser, "system:masters")
	for _, u := range opts.Users {
		if u.Name == "" || strings.ContainsAny(u.Name, ",\"\n") {
			t.Fatalf("kubeapi: bad user name %q", u.Name)
		}
		if _, dup := s.tokens[u.Name]; dup {
			t.Fatalf("kubeapi: user %q given twice", u.Name)
		}
		for _, g := range u.Groups {
			if g == "" || strings.ContainsAny(g, ",\"\n") {
				t.Fatalf("kubeapi: bad group %q of user %q", g, u.Name)
			}
		}
		uid := u.UID
		if uid == "" {
			uid = u.Name
		}
		tok := randomToken(t)
		s.tokens[u.Name] = tok
		fmt.Fprintf(&tokenFile, "%s,%s,%s", tok, u.Name, uid)
		if len(u.Groups) > 0 {
			fmt.Fprintf(&tokenFile, ",%q", strings.Join(u.Groups, ","))
		}
		tokenFile.WriteByte('\n')
	}
	writeFile(t, filepath.Join(dir, "tokens.csv"), tokenFile.Bytes())

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	s.client = &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
	}
	t.Cleanup(s.client.CloseIdleConnections)

	for attempt := 1; ; attempt++ {
		port := freePort(t)
		s.Endpoint = "https://127.0.0.1:" + strconv.Itoa(port)
		args := []string{
			"--etcd-servers=" + etcdURL,
			"--bind-address=127.0.0.1",
			"--advertise-address=127.0.0.1",
			"--secure-port=" + strconv.Itoa(port),
			"--tls-cert-file=" + filepath.Join(dir, "serving.crt"),
			"--tls-private-key-file=" + filepath.Join(dir, "serving.key"),
			"--cert-dir=" + filepath.Join(dir, "certs"),
			"--token-auth-file=" + filepath.Join(dir, "tokens.csv"),
			"--anonymous-auth=false",
			"--authorization-mode=RBAC",
			"--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,ResourceQuota",
			// PodSecurity, not a flag, is what must reject privileged pods.
			"--allow-privileged=true",
			"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
			"--service-account-key-file=" + filepath.Join(dir, "sa.key"),
			"--service-account-signing-key-file=" + filepath.Join(dir, "sa.key"),
			"--service-cluster-ip-range=10.96.0.0/16",
			"--profiling=false",
			"--v=1",
		}
		args = append(args, opts.ExtraArgs...)
		p := startProcess(t, filepath.Join(dir, "kube-apiserver.log"), apiserverBin, args...)
		err := waitFor(p, opts.ReadyTimeout, s.ready)
		if err == nil {
			break
		}
		if attempt < 3 && p.exited() && p.logContains("address already in use") {
			continue
		}
		t.Fatalf("kube-apiserver did not become ready at %s: %v", s.Endpoint, err)
	}
	if opts.FillQuotaStatus || opts.FinalizeNamespaces {
		// Registered after the processes' cleanups, so it stops first.
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go s.standIns(ctx, opts, done)
		t.Cleanup(func() { cancel(); <-done })
	}
	return s
}

// standIns does the work of the controllers that Options asks for, until
// ctx ends.
func (s *Server) standIns(ctx context.Context, opts Options, done chan<- struct{}) {
	defer close(done)
	logged := map[string]bool{} // log each kind of failure once
	report := func(err error) {
		if err == nil || ctx.Err() != nil || IsStatus(err, http.StatusConflict) || IsStatus(err, http.StatusNotFound) {
			return
		}
		if msg := err.Error(); !logged[msg] {
			logged[msg] = true
			s.t.Logf("kubeapi stand-in controller: %v", err)
		}
	}
	for {
		if opts.FillQuotaStatus {
			quotas, err := s.List(ctx, s.AdminToken, "/api/v1/resourcequotas")
			report(err)
			for _, q := range quotas {
				report(s.fillQuotaStatus(ctx, q, false))
			}
		}
		if opts.FinalizeNamespaces {
			namespaces, err := s.List(ctx, s.AdminToken, "/api/v1/namespaces")
			report(err)
			for _, ns := range namespaces {
				if meta, _ := ns["metadata"].(Object); meta["deletionTimestamp"] != nil {
					report(s.finalizeNamespace(ctx, ns))
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Token returns the bearer token of a user that Options.Users named, or of
// AdminUser.
func (s *Server) Token(user string) string {
	s.t.Helper()
	tok, ok := s.tokens[user]
	if !ok {
		s.t.Fatalf("kubeapi: no token for user %q (name it in Options.Users)", user)
	}
	return tok
}

// Kubeconfig writes a kubeconfig file for the admin (server, CA, token) once
// and returns its path, for tools such as the Terraform kubernetes provider
// (config_path) or kubectl (--kubeconfig).
func (s *Server) Kubeconfig() string {
	s.kubeconfigOnce.Do(func() {
		path := filepath.Join(s.dir, "kubeconfig")
		// JSON is YAML, and needs no YAML library.
		cfg := map[string]any{
			"apiVersion":      "v1",
			"kind":            "Config",
			"current-context": "kubeapi-test",
			"clusters": []any{map[string]any{
				"name": "kubeapi-test",
				"cluster": map[string]any{
					"server":                     s.Endpoint,
					"certificate-authority-data": s.CAPEM, // []byte: base64, as kubeconfig wants
				},
			}},
			"users": []any{map[string]any{
				"name": AdminUser,
				"user": map[string]any{"token": s.AdminToken},
			}},
			"contexts": []any{map[string]any{
				"name":    "kubeapi-test",
				"context": map[string]any{"cluster": "kubeapi-test", "user": AdminUser},
			}},
		}
		b, err := json.MarshalIndent(cfg, "", "  ")
		if err != nil {
			s.t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
			s.t.Fatal(err)
		}
		s.kubeconfig = path
	})
	if s.kubeconfig == "" {
		s.t.Fatal("kubeapi: writing the kubeconfig failed")
	}
	return s.kubeconfig
}

// StatusError is an API answer other than 2xx, with the message of the
// Status object that the API sent (such as PodSecurity's or the quota's
// reason for rejecting a pod).
type StatusError struct {
	Code    int    // HTTP status
	Reason  string // such as Forbidden, NotFound, AlreadyExists, Invalid
	Message string
}

func (e *StatusError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("%d %s: %s", e.Code, e.Reason, e.Message)
	}
	return fmt.Sprintf("%d: %s", e.Code, e.Message)
}

// IsStatus reports whether err is a *StatusError with the HTTP code.
func IsStatus(err error, code int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == code
}

// Do sends one request to the API as the token's user: body (if not nil) as
// JSON ([]byte and json.RawMessage as they are), and decodes a 2xx answer's
// JSON into out (if not nil). Any other status is a *StatusError that
// carries the API's message; status is the HTTP status either way.
func (s *Server) Do(ctx context.Context, token, method, path string, body, out any) (status int, err error) {
	var rd io.Reader
	if body != nil {
		var b []byte
		switch v := body.(type) {
		case []byte:
			b = v
		case json.RawMessage:
			b = v
		default:
			if b, err = json.Marshal(body); err != nil {
				return 0, fmt.Errorf("kubeapi: %s %s: %w", method, path, err)
			}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.Endpoint+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		ct := "application/json"
		if method == http.MethodPatch {
			ct = "application/merge-patch+json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("kubeapi: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, fmt.Errorf("kubeapi: %s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := &StatusError{Code: resp.StatusCode}
		var st struct {
			Kind    string `json:"kind"`
			Reason  string `json:"reason"`
			Message string `json:"message"`
		}
		if json.Unmarshal(data, &st) == nil && st.Kind == "Status" {
			se.Reason, se.Message = st.Reason, st.Message
		} else {
			se.Message = strings.TrimSpace(string(data))
		}
		return resp.StatusCode, fmt.Errorf("kubeapi: %s %s: %w", method, path, se)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("kubeapi: %s %s: decoding the answer: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// Object is a Kubernetes object as decoded JSON.
type Object = map[string]any

// Create POSTs obj to a collection (such as /api/v1/namespaces/NS/pods).
func (s *Server) Create(ctx context.Context, token, path string, obj any) error {
	_, err := s.Do(ctx, token, http.MethodPost, path, obj, nil)
	return err
}

// Get decodes one object (such as /api/v1/namespaces/NS) into out.
func (s *Server) Get(ctx context.Context, token, path string, out any) error {
	_, err := s.Do(ctx, token, http.MethodGet, path, nil, out)
	return err
}

// List returns the items of a collection (such as
// /apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles).
func (s *Server) List(ctx context.Context, token, path string) ([]Object, error) {
	var list struct {
		Items []Object `json:"items"`
	}
	if _, err := s.Do(ctx, token, http.MethodGet, path, nil, &list); err != nil {
		return nil, err
	}
	return list.Items, nil
}

// Delete deletes one object; an object that is not there is no error.
func (s *Server) Delete(ctx context.Context, token, path string) error {
	_, err := s.Do(ctx, token, http.MethodDelete, path, nil, nil)
	if IsStatus(err, http.StatusNotFound) {
		return nil
	}
	return err
}

// Can asks the API, as the admin, whether a user in the groups may do verb
// on resource of the API group ("" for the core group) in namespace (""
// for cluster-wide), with a SubjectAccessReview.
func (s *Server) Can(ctx context.Context, user string, groups []string, verb, group, resource, namespace string) (bool, error) {
	review := Object{
		"apiVersion": "authorization.k8s.io/v1",
		"kind":       "SubjectAccessReview",
		"spec": Object{
			"user":   user,
			"groups": groups,
			"resourceAttributes": Object{
				"verb":      verb,
				"group":     group,
				"resource":  resource,
				"namespace": namespace,
			},
		},
	}
	var out struct {
		Status struct {
			Allowed bool `json:"allowed"`
		} `json:"status"`
	}
	if _, err := s.Do(ctx, s.AdminToken, http.MethodPost, "/apis/authorization.k8s.io/v1/subjectaccessreviews", review, &out); err != nil {
		return false, err
	}
	return out.Status.Allowed, nil
}

// SetQuotaStatus writes the status of the ResourceQuota namespace/name as
// the quota controller (part of the controller manager, which this server
// lacks) would for a namespace that holds nothing the quota counts: hard as
// in the spec, nothing used. Call it right after creating the quota, before
// anything it counts. The ResourceQuota admission plugin enforces the
// limits of status.hard, so until then the quota limits nothing (and once
// status.hard names a resource, the plugin rejects objects while status.used
// lacks it: "status unknown for quota"). After that, the plugin itself adds
// what each admitted object uses to status.used.
func (s *Server) SetQuotaStatus(ctx context.Context, namespace, name string) error {
	path := "/api/v1/namespaces/" + url.PathEscape(namespace) + "/resourcequotas/" + url.PathEscape(name)
	var quota Object
	if err := s.Get(ctx, s.AdminToken, path, &quota); err != nil {
		return err
	}
	return s.fillQuotaStatus(ctx, quota, true)
}

// fillQuotaStatus sets status.hard to spec.hard, keeping status.used of the
// resources that stay and "0" for new ones; unless always, only where
// status.hard differs from spec.hard.
func (s *Server) fillQuotaStatus(ctx context.Context, quota Object, always bool) error {
	meta, _ := quota["metadata"].(Object)
	ns, _ := meta["namespace"].(string)
	name, _ := meta["name"].(string)
	spec, _ := quota["spec"].(Object)
	hard, _ := spec["hard"].(Object)
	status, _ := quota["status"].(Object)
	oldHard, _ := status["hard"].(Object)
	oldUsed, _ := status["used"].(Object)
	if !always && sameStrings(hard, oldHard) {
		return nil
	}
	used := Object{}
	for k := range hard {
		if v, ok := oldUsed[k]; ok && oldHard[k] != nil {
			used[k] = v
		} else {
			used[k] = "0"
		}
	}
	if hard == nil {
		hard = Object{}
	}
	quota["status"] = Object{"hard": hard, "used": used}
	path := "/api/v1/namespaces/" + url.PathEscape(ns) + "/resourcequotas/" + url.PathEscape(name) + "/status"
	_, err := s.Do(ctx, s.AdminToken, http.MethodPut, path, quota, nil)
	return err
}

func sameStrings(a, b Object) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// DeleteNamespace deletes a namespace and waits until it is gone. Without
// the namespace controller, nothing empties a deleted namespace or removes
// its "kubernetes" finalizer, so it would stay Terminating forever: this
// deletes it, then clears spec.finalizers through the finalize subresource
// (PUT /api/v1/namespaces/NAME/finalize), which removes it. The objects in
// it stay in etcd, unreachable through the API until a namespace of that
// name is created again; a test server is thrown away, so that is fine.
func (s *Server) DeleteNamespace(ctx context.Context, name string) error {
	path := "/api/v1/namespaces/" + url.PathEscape(name)
	if err := s.Delete(ctx, s.AdminToken, path); err != nil {
		return err
	}
	for {
		var ns Object
		err := s.Get(ctx, s.AdminToken, path, &ns)
		if IsStatus(err, http.StatusNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		err = s.finalizeNamespace(ctx, ns)
		if err != nil && !IsStatus(err, http.StatusNotFound) && !IsStatus(err, http.StatusConflict) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kubeapi: namespace %s is still there: %w", name, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// finalizeNamespace clears the spec.finalizers of a namespace (as read from
// the API), which removes it if it is being deleted.
func (s *Server) finalizeNamespace(ctx context.Context, ns Object) error {
	meta, _ := ns["metadata"].(Object)
	name, _ := meta["name"].(string)
	if spec, ok := ns["spec"].(Object); ok {
		spec["finalizers"] = []string{}
	} else {
		ns["spec"] = Object{"finalizers": []string{}}
	}
	_, err := s.Do(ctx, s.AdminToken, http.MethodPut, "/api/v1/namespaces/"+url.PathEscape(name)+"/finalize", ns, nil)
	return err
}

// ready reports whether /readyz answers ok.
func (s *Server) ready() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint+"/readyz", nil)
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+s.AdminToken)
	resp, err := s.client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == http.StatusOK && strings.TrimSpace(string(b)) == "ok"
}

func etcdHealthy(endpoint string) bool {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(endpoint + "/health")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var h struct {
		Health string `json:"health"`
	}
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&h) == nil && h.Health == "true"
}

// process is a started binary in a process group of its own, with its
// output in a log file.
type process struct {
	name string
	log  string
	cmd  *exec.Cmd
	done chan struct{} // closed when it has exited
	err  error         // of Wait, once done is closed
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *process) logContains(s string) bool {
	b, _ := os.ReadFile(p.log)
	return bytes.Contains(b, []byte(s))
}

// startProcess starts bin with its stdout and stderr in logPath (appended,
// so that a retry keeps the earlier attempt's log), and registers a cleanup
// that stops its whole process group, and logs the log's tail if the test
// failed.
func startProcess(t testing.TB, logPath, bin string, args ...string) *process {
	t.Helper()
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "### %s %s\n", bin, strings.Join(args, " "))
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("starting %s: %v", bin, err)
	}
	p := &process{name: filepath.Base(bin), log: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("last lines of %s (%s):\n%s", p.name, p.log, tail(p.log, 40))
		}
	})
	return p
}

// stop sends SIGTERM to the process group, and SIGKILL if it has not exited
// after 15 seconds.
func (p *process) stop() {
	pgid := p.cmd.Process.Pid // Setpgid: the group's id is the leader's pid
	if p.exited() {
		_ = syscall.Kill(-pgid, syscall.SIGKILL) // any child it left
		return
	}
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
}

// waitFor polls ok until it holds, the process exits or the timeout passes.
func waitFor(p *process, timeout time.Duration, ok func() bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if ok() {
			return nil
		}
		if p.exited() {
			return fmt.Errorf("%s exited: %v (log: %s)", p.name, p.err, p.log)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %s (log: %s)", timeout, p.log)
		}
		select {
		case <-p.done:
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// freePort returns a loopback TCP port that was free a moment ago (Start
// retries if another process takes it meanwhile).
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		t.Fatalf("kubeapi: listener address %v is not TCP", l.Addr())
	}
	return addr.Port
}

func randomToken(t testing.TB) string {
	t.Helper()
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// servingCert makes a CA and a certificate it signs for 127.0.0.1 and
// localhost, valid for a day; it returns the CA's and the certificate's PEM
// and the certificate's PEM key.
func servingCert(t testing.TB) (caPEM, certPEM, keyPEM []byte) {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kubeapi test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

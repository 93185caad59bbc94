//go:build unix

package kubeapi

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// restrictedContainer is a container named main that the restricted Pod
// Security Standard admits.
func restrictedContainer(resources Object) Object {
	c := Object{
		"name":  "main",
		"image": "registry.invalid/trainer:1",
		"securityContext": Object{
			"runAsNonRoot":             true,
			"allowPrivilegeEscalation": false,
			"capabilities":             Object{"drop": []string{"ALL"}},
			"seccompProfile":           Object{"type": "RuntimeDefault"},
		},
	}
	if resources != nil {
		c["resources"] = resources
	}
	return c
}

func pod(name, serviceAccount string, containers ...Object) Object {
	return Object{
		"apiVersion": "v1",
		"kind":       "Pod",
		"metadata":   Object{"name": name},
		"spec": Object{
			"serviceAccountName":           serviceAccount,
			"automountServiceAccountToken": false,
			"securityContext": Object{
				"runAsNonRoot":   true,
				"runAsUser":      1000,
				"seccompProfile": Object{"type": "RuntimeDefault"},
			},
			"containers": containers,
		},
	}
}

func namespace(name string, labels map[string]string) Object {
	return Object{
		"apiVersion": "v1",
		"kind":       "Namespace",
		"metadata":   Object{"name": name, "labels": labels},
	}
}

func serviceAccount(name string) Object {
	return Object{
		"apiVersion":                   "v1",
		"kind":                         "ServiceAccount",
		"metadata":                     Object{"name": name},
		"automountServiceAccountToken": false,
	}
}

func gpus(n int) Object {
	q := Object{"nvidia.com/gpu": n}
	return Object{"requests": q, "limits": q}
}

// mustReject asserts that the API rejected a request with the HTTP code and
// a message that names why.
func mustReject(t *testing.T, err error, code int, why string) {
	t.Helper()
	if err == nil {
		t.Fatalf("the API accepted what it must reject (%s)", why)
	}
	if !IsStatus(err, code) {
		t.Fatalf("want HTTP %d (%s), got: %v", code, why, err)
	}
	if !strings.Contains(err.Error(), why) {
		t.Fatalf("want a rejection that says %q, got: %v", why, err)
	}
	t.Logf("rejected, as it must be: %v", err)
}

func TestServerEnforces(t *testing.T) {
	started := time.Now()
	s := Start(t, Options{Users: []User{{Name: "alice", Groups: []string{"ml-dev"}}}})
	t.Logf("etcd and kube-apiserver ready at %s in %s", s.Endpoint, time.Since(started).Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	admin := s.AdminToken

	t.Run("version", func(t *testing.T) {
		var v struct {
			GitVersion string `json:"gitVersion"`
			Major      string `json:"major"`
			Minor      string `json:"minor"`
		}
		if err := s.Get(ctx, admin, "/version", &v); err != nil {
			t.Fatal(err)
		}
		if v.GitVersion != "v"+Version || v.Major != "1" || v.Minor != "31" {
			t.Fatalf("the server reports %+v, want v%s (1.31)", v, Version)
		}
	})

	t.Run("authentication", func(t *testing.T) {
		_, err := s.Do(ctx, "not-a-token", http.MethodGet, "/api/v1/namespaces", nil, nil)
		mustReject(t, err, http.StatusUnauthorized, "Unauthorized")
		_, err = s.Do(ctx, s.Token("alice"), http.MethodGet, "/api/v1/namespaces", nil, nil)
		mustReject(t, err, http.StatusForbidden, `User "alice" cannot list resource "namespaces"`)
	})

	t.Run("pod security restricted", func(t *testing.T) {
		ns := "psa-restricted"
		if err := s.Create(ctx, admin, "/api/v1/namespaces", namespace(ns, map[string]string{
			"pod-security.kubernetes.io/enforce":         "restricted",
			"pod-security.kubernetes.io/enforce-version": "v1.31",
		})); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/serviceaccounts", serviceAccount("trainer")); err != nil {
			t.Fatal(err)
		}
		privileged := pod("privileged", "trainer", Object{
			"name":            "main",
			"image":           "registry.invalid/trainer:1",
			"securityContext": Object{"privileged": true},
		})
		err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/pods", privileged)
		mustReject(t, err, http.StatusForbidden, `violates PodSecurity "restricted:v1.31"`)
		if !strings.Contains(err.Error(), "privileged") {
			t.Fatalf("the rejection does not name the privileged container: %v", err)
		}

		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/pods", pod("restricted", "trainer", restrictedContainer(nil))); err != nil {
			t.Fatalf("a pod that meets the restricted standard was rejected: %v", err)
		}
		var got Object
		if err := s.Get(ctx, admin, "/api/v1/namespaces/"+ns+"/pods/restricted", &got); err != nil {
			t.Fatal(err)
		}
		// No scheduler and no node: an admitted pod stays Pending.
		if phase := got["status"].(Object)["phase"]; phase != "Pending" {
			t.Fatalf("pod phase %v, want Pending", phase)
		}

		// The same restricted pod in a namespace without the label needs a
		// service account there too: nothing creates "default".
		if err := s.Create(ctx, admin, "/api/v1/namespaces", namespace("no-sa", nil)); err != nil {
			t.Fatal(err)
		}
		bare := pod("bare", "", restrictedContainer(nil))
		delete(bare["spec"].(Object), "serviceAccountName")
		err = s.Create(ctx, admin, "/api/v1/namespaces/no-sa/pods", bare)
		mustReject(t, err, http.StatusForbidden, `serviceaccount "default" not found`)
	})

	t.Run("gpu quota", func(t *testing.T) {
		ns := "gpu-quota"
		if err := s.Create(ctx, admin, "/api/v1/namespaces", namespace(ns, nil)); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/serviceaccounts", serviceAccount("trainer")); err != nil {
			t.Fatal(err)
		}
		quota := Object{
			"apiVersion": "v1",
			"kind":       "ResourceQuota",
			"metadata":   Object{"name": "gpus"},
			"spec":       Object{"hard": Object{"requests.nvidia.com/gpu": "2"}},
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/resourcequotas", quota); err != nil {
			t.Fatal(err)
		}
		if err := s.SetQuotaStatus(ctx, ns, "gpus"); err != nil {
			t.Fatal(err)
		}

		err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/pods", pod("three", "trainer", restrictedContainer(gpus(3))))
		mustReject(t, err, http.StatusForbidden, "exceeded quota: gpus")
		if !strings.Contains(err.Error(), "requested: requests.nvidia.com/gpu=3") {
			t.Fatalf("the rejection does not name the 3 GPUs requested: %v", err)
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/pods", pod("one", "trainer", restrictedContainer(gpus(1)))); err != nil {
			t.Fatalf("a pod requesting 1 GPU under a quota of 2 was rejected: %v", err)
		}
		// The plugin counted it: 1 used, so 2 more is 3 and too many.
		var q Object
		if err := s.Get(ctx, admin, "/api/v1/namespaces/"+ns+"/resourcequotas/gpus", &q); err != nil {
			t.Fatal(err)
		}
		if used := q["status"].(Object)["used"].(Object)["requests.nvidia.com/gpu"]; used != "1" {
			t.Fatalf("quota used %v, want 1", used)
		}
		err = s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/pods", pod("two-more", "trainer", restrictedContainer(gpus(2))))
		mustReject(t, err, http.StatusForbidden, "exceeded quota: gpus")
	})

	// What SetQuotaStatus is for: the admission plugin enforces status.hard,
	// which only the quota controller (absent here) would fill in.
	t.Run("gpu quota without status limits nothing", func(t *testing.T) {
		ns := "gpu-quota-no-status"
		if err := s.Create(ctx, admin, "/api/v1/namespaces", namespace(ns, nil)); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/serviceaccounts", serviceAccount("trainer")); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/resourcequotas", Object{
			"apiVersion": "v1",
			"kind":       "ResourceQuota",
			"metadata":   Object{"name": "gpus"},
			"spec":       Object{"hard": Object{"requests.nvidia.com/gpu": "2"}},
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/pods", pod("three", "trainer", restrictedContainer(gpus(3)))); err != nil {
			t.Fatalf("with no quota status, the plugin rejected a pod (has this changed? then SetQuotaStatus may be unneeded): %v", err)
		}
	})

	t.Run("rbac", func(t *testing.T) {
		for _, ns := range []string{"team-a", "team-b"} {
			if err := s.Create(ctx, admin, "/api/v1/namespaces", namespace(ns, nil)); err != nil {
				t.Fatal(err)
			}
		}
		role := Object{
			"apiVersion": "rbac.authorization.k8s.io/v1",
			"kind":       "Role",
			"metadata":   Object{"name": "pod-reader"},
			"rules": []Object{{
				"apiGroups": []string{""},
				"resources": []string{"pods"},
				"verbs":     []string{"get", "list"},
			}},
		}
		binding := Object{
			"apiVersion": "rbac.authorization.k8s.io/v1",
			"kind":       "RoleBinding",
			"metadata":   Object{"name": "alice-reads-pods"},
			"roleRef":    Object{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
			"subjects":   []Object{{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"}},
		}
		rbac := "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/"
		if err := s.Create(ctx, admin, rbac+"roles", role); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, admin, rbac+"rolebindings", binding); err != nil {
			t.Fatal(err)
		}
		roles, err := s.List(ctx, admin, rbac+"roles")
		if err != nil || len(roles) != 1 {
			t.Fatalf("roles in team-a: %v, %v", roles, err)
		}

		for _, c := range []struct {
			verb, group, resource, namespace string
			want                             bool
		}{
			{"list", "", "pods", "team-a", true},
			{"get", "", "pods", "team-a", true},
			{"create", "apps", "deployments", "team-a", false},
			{"delete", "", "pods", "team-a", false},
			{"list", "", "pods", "team-b", false},
			{"list", "", "pods", "", false}, // all namespaces
			{"list", "", "secrets", "team-a", false},
		} {
			got, err := s.Can(ctx, "alice", []string{"ml-dev"}, c.verb, c.group, c.resource, c.namespace)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("alice %s %s/%s in %q: allowed=%v, want %v", c.verb, c.group, c.resource, c.namespace, got, c.want)
			}
		}
		// The same, as alice herself: the API enforces what the review says.
		alice := s.Token("alice")
		if _, err := s.List(ctx, alice, "/api/v1/namespaces/team-a/pods"); err != nil {
			t.Fatalf("alice cannot list pods in team-a: %v", err)
		}
		_, err = s.List(ctx, alice, "/api/v1/namespaces/team-b/pods")
		mustReject(t, err, http.StatusForbidden, `cannot list resource "pods" in API group "" in the namespace "team-b"`)
		err = s.Create(ctx, alice, "/apis/apps/v1/namespaces/team-a/deployments", Object{
			"apiVersion": "apps/v1", "kind": "Deployment", "metadata": Object{"name": "d"},
		})
		mustReject(t, err, http.StatusForbidden, `cannot create resource "deployments"`)
	})

	t.Run("namespace deletion", func(t *testing.T) {
		ns := "short-lived"
		if err := s.Create(ctx, admin, "/api/v1/namespaces", namespace(ns, nil)); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/serviceaccounts", serviceAccount("x")); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, admin, "/api/v1/namespaces/"+ns); err != nil {
			t.Fatal(err)
		}
		// Without the namespace controller, it stays Terminating.
		time.Sleep(time.Second)
		var got Object
		if err := s.Get(ctx, admin, "/api/v1/namespaces/"+ns, &got); err != nil {
			t.Fatalf("the deleted namespace is already gone (a namespace controller?): %v", err)
		}
		if phase := got["status"].(Object)["phase"]; phase != "Terminating" {
			t.Fatalf("deleted namespace phase %v, want Terminating", phase)
		}
		err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/serviceaccounts", serviceAccount("y"))
		mustReject(t, err, http.StatusForbidden, "because it is being terminated")
		dctx, dcancel := context.WithTimeout(ctx, 30*time.Second)
		defer dcancel()
		if err := s.DeleteNamespace(dctx, ns); err != nil {
			t.Fatal(err)
		}
		err = s.Get(ctx, admin, "/api/v1/namespaces/"+ns, nil)
		if !IsStatus(err, http.StatusNotFound) {
			t.Fatalf("namespace after DeleteNamespace: %v, want 404", err)
		}
	})

	t.Run("kubeconfig", func(t *testing.T) {
		b, err := os.ReadFile(s.Kubeconfig())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{s.Endpoint, s.AdminToken, "certificate-authority-data"} {
			if !strings.Contains(string(b), want) {
				t.Fatalf("kubeconfig lacks %q:\n%s", want, b)
			}
		}
	})
}

// The stand-ins for the quota and namespace controllers do what the
// Terraform kubernetes provider waits for after it creates a quota or
// deletes a namespace.
func TestStandInControllers(t *testing.T) {
	s := Start(t, Options{FillQuotaStatus: true, FinalizeNamespaces: true})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin := s.AdminToken
	ns := "ml-dev"
	if err := s.Create(ctx, admin, "/api/v1/namespaces", namespace(ns, nil)); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/serviceaccounts", serviceAccount("trainer")); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/resourcequotas", Object{
		"apiVersion": "v1",
		"kind":       "ResourceQuota",
		"metadata":   Object{"name": "gpus"},
		"spec":       Object{"hard": Object{"requests.nvidia.com/gpu": "2", "pods": "10"}},
	}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 15*time.Second, "the quota's status.hard to equal its spec.hard", func() bool {
		var q struct {
			Spec   struct{ Hard map[string]string }
			Status struct{ Hard, Used map[string]string }
		}
		if err := s.Get(ctx, admin, "/api/v1/namespaces/"+ns+"/resourcequotas/gpus", &q); err != nil {
			t.Fatal(err)
		}
		return len(q.Status.Hard) == 2 && q.Status.Hard["requests.nvidia.com/gpu"] == "2" && q.Status.Used["requests.nvidia.com/gpu"] == "0"
	})
	err := s.Create(ctx, admin, "/api/v1/namespaces/"+ns+"/pods", pod("three", "trainer", restrictedContainer(gpus(3))))
	mustReject(t, err, http.StatusForbidden, "exceeded quota: gpus")

	if err := s.Delete(ctx, admin, "/api/v1/namespaces/"+ns); err != nil {
		t.Fatal(err)
	}
	eventually(t, 15*time.Second, "the deleted namespace to be gone", func() bool {
		return IsStatus(s.Get(ctx, admin, "/api/v1/namespaces/"+ns, nil), http.StatusNotFound)
	})
}

func eventually(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

package modgen

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit/kubeapi"
)

// TestKubernetesModuleOnARealAPIServer plans the generated module with the
// real blueprints of three clouds, creates every object it plans in a real
// kube-apiserver v1.31 on 127.0.0.1 (one per environment, with RBAC and the
// PodSecurity, LimitRanger and ResourceQuota admission plugins), and checks
// through that API what the API server itself enforces: a pod that breaks
// Pod Security restricted is rejected in every workload namespace and a
// compliant one admitted with the limit range's defaults, a pod asking for
// more GPUs than the quota is rejected, people and the CI can do exactly
// what their bindings say (SubjectAccessReview). Network policies are
// stored but not enforced without a network plugin, so an evaluator of
// their semantics (below, written apart from internal/k8s) checks the
// stored objects: default deny, nothing between namespaces, DNS, the
// entry points and the boundary's flows.
//
// The objects come from the module's plan (through the schema provider,
// hashicorp/kubernetes 3.2.1's schema), translated to the API's JSON the
// way the provider's resources map their blocks: the Go module proxy
// serves no hashicorp/kubernetes release that CI could build and apply
// with (see README).
func TestKubernetesModuleOnARealAPIServer(t *testing.T) {
	kubeapi.Binaries(t) // skip (or fail under make test-k8s) before planning
	ws := newSchemaWorkspace(t, "hashicorp/kubernetes", KubernetesSchemaVersion, true, filepath.Join("modules", "k8s-ml-environment"))
	dir := filepath.Join(ws.root, "modules", "k8s-ml-environment")
	mustRun(t, dir, ws.env, ws.tf, "init", "-input=false", "-backend=false")
	samples := kubernetesSamples(t)
	for _, name := range []string{"prod", "dev", "shared"} {
		vars := samples[name]
		t.Run(name, func(t *testing.T) {
			plan := planKubernetesSample(t, ws, dir, name, vars)
			layer := vars["kubernetes"].(k8s.Layer)
			srv := kubeapi.Start(t, kubeapi.Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			created := applyPlannedObjects(ctx, t, srv, plan)
			t.Logf("%s: created %d objects from the plan", name, created)
			checkPodSecurity(ctx, t, srv, layer)
			checkGPUQuota(ctx, t, srv, layer)
			principals, _ := vars["identity_principal_ids"].(map[string]string)
			checkAccess(ctx, t, srv, layer, principals)
			serviceCIDRs, _ := vars["service_cidrs"].(map[string][]string)
			checkStoredPolicies(ctx, t, srv, layer, name, serviceCIDRs)
		})
	}
}

func planKubernetesSample(t *testing.T, ws *schemaWorkspace, dir, name string, vars map[string]any) *tfjson.Plan {
	t.Helper()
	planFile := filepath.Join(t.TempDir(), "plan")
	mustRun(t, dir, ws.env, ws.tf, "plan", "-input=false", "-no-color", "-refresh=false", "-var-file="+varFile(t, name, vars), "-out="+planFile)
	var p tfjson.Plan
	if err := p.UnmarshalJSON(mustRun(t, dir, ws.env, ws.tf, "show", "-json", planFile)); err != nil {
		t.Fatal(err)
	}
	return &p
}

// apiKinds maps each resource type of the module to its API collection,
// in the order objects must be created: namespaces first, quotas before
// anything they count.
var apiKinds = []struct {
	typ        string
	apiVersion string
	kind       string
	collection string // under /api/v1/namespaces/NS or /apis/GROUP/VERSION/namespaces/NS
	convert    func(v map[string]any) kubeapi.Object
}{
	{"kubernetes_namespace_v1", "v1", "Namespace", "", func(v map[string]any) kubeapi.Object { return kubeapi.Object{} }},
	{"kubernetes_resource_quota_v1", "v1", "ResourceQuota", "resourcequotas", func(v map[string]any) kubeapi.Object {
		return kubeapi.Object{"hard": block(v["spec"])["hard"]}
	}},
	{"kubernetes_limit_range_v1", "v1", "LimitRange", "limitranges", func(v map[string]any) kubeapi.Object {
		var limits []any
		for _, l := range list(block(v["spec"])["limit"]) {
			m := l.(map[string]any)
			limits = append(limits, kubeapi.Object{"type": m["type"], "default": m["default"], "defaultRequest": m["default_request"]})
		}
		return kubeapi.Object{"limits": limits}
	}},
	{"kubernetes_service_account_v1", "v1", "ServiceAccount", "serviceaccounts", nil},
	{"kubernetes_role_v1", "rbac.authorization.k8s.io/v1", "Role", "roles", nil},
	{"kubernetes_role_binding_v1", "rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", nil},
	{"kubernetes_network_policy_v1", "networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", func(v map[string]any) kubeapi.Object {
		spec := block(v["spec"])
		out := kubeapi.Object{
			"podSelector": kubeapi.Object{"matchLabels": block(spec["pod_selector"])["match_labels"]},
			"policyTypes": spec["policy_types"],
		}
		for _, dir := range []struct{ tf, api, peers, apiPeers string }{{"ingress", "ingress", "from", "from"}, {"egress", "egress", "to", "to"}} {
			var rules []any
			for _, r := range list(spec[dir.tf]) {
				rule := r.(map[string]any)
				var peers, ports []any
				for _, p := range list(rule[dir.peers]) {
					pm := p.(map[string]any)
					peer := kubeapi.Object{}
					if ib := block(pm["ip_block"]); ib != nil {
						peer["ipBlock"] = kubeapi.Object{"cidr": ib["cidr"]}
					}
					if ns := block(pm["namespace_selector"]); ns != nil {
						peer["namespaceSelector"] = kubeapi.Object{"matchLabels": ns["match_labels"]}
					}
					if ps := block(pm["pod_selector"]); ps != nil {
						peer["podSelector"] = kubeapi.Object{"matchLabels": ps["match_labels"]}
					}
					peers = append(peers, peer)
				}
				for _, p := range list(rule["ports"]) {
					pm := p.(map[string]any)
					port := kubeapi.Object{"protocol": pm["protocol"], "port": intOrString(pm["port"])}
					if pm["end_port"] != nil {
						port["endPort"] = pm["end_port"]
					}
					ports = append(ports, port)
				}
				rules = append(rules, kubeapi.Object{dir.apiPeers: peers, "ports": ports})
			}
			if rules != nil {
				out[dir.api] = rules
			}
		}
		return out
	}},
}

// applyPlannedObjects creates every object the plan creates, as the
// hashicorp/kubernetes resources would, and returns how many.
func applyPlannedObjects(ctx context.Context, t *testing.T, srv *kubeapi.Server, plan *tfjson.Plan) int {
	t.Helper()
	byType := map[string][]*tfjson.StateResource{}
	for _, r := range plan.PlannedValues.RootModule.Resources {
		byType[r.Type] = append(byType[r.Type], r)
	}
	n := 0
	for _, k := range apiKinds {
		for _, r := range byType[k.typ] {
			v := r.AttributeValues
			meta := block(v["metadata"])
			obj := kubeapi.Object{"apiVersion": k.apiVersion, "kind": k.kind, "metadata": kubeapi.Object{
				"name": meta["name"], "labels": meta["labels"], "annotations": meta["annotations"],
			}}
			path := "/api/v1/namespaces"
			if k.collection != "" {
				path = collectionPath(k.apiVersion, fmt.Sprint(meta["namespace"]), k.collection)
			}
			switch k.typ {
			case "kubernetes_namespace_v1":
			case "kubernetes_service_account_v1":
				obj["automountServiceAccountToken"] = v["automount_service_account_token"]
			case "kubernetes_role_v1":
				var rules []any
				for _, r := range list(v["rule"]) {
					m := r.(map[string]any)
					rules = append(rules, kubeapi.Object{"apiGroups": m["api_groups"], "resources": m["resources"], "verbs": m["verbs"]})
				}
				obj["rules"] = rules
			case "kubernetes_role_binding_v1":
				ref := block(v["role_ref"])
				obj["roleRef"] = kubeapi.Object{"apiGroup": ref["api_group"], "kind": ref["kind"], "name": ref["name"]}
				var subjects []any
				for _, s := range list(v["subject"]) {
					m := s.(map[string]any)
					sub := kubeapi.Object{"kind": m["kind"], "name": m["name"]}
					if m["api_group"] != "" {
						sub["apiGroup"] = m["api_group"]
					}
					if m["kind"] == "ServiceAccount" {
						sub["namespace"] = m["namespace"]
					}
					subjects = append(subjects, sub)
				}
				obj["subjects"] = subjects
			default:
				obj["spec"] = k.convert(v)
			}
			if err := srv.Create(ctx, srv.AdminToken, path, obj); err != nil {
				t.Fatalf("creating %s: %v", r.Address, err)
			}
			if k.typ == "kubernetes_resource_quota_v1" {
				if err := srv.SetQuotaStatus(ctx, fmt.Sprint(meta["namespace"]), fmt.Sprint(meta["name"])); err != nil {
					t.Fatalf("quota status of %s: %v", r.Address, err)
				}
			}
			n++
		}
	}
	if n != len(plan.PlannedValues.RootModule.Resources) {
		t.Errorf("created %d of the %d planned objects", n, len(plan.PlannedValues.RootModule.Resources))
	}
	return n
}

func collectionPath(apiVersion, namespace, collection string) string {
	base := "/api/v1"
	if apiVersion != "v1" {
		base = "/apis/" + apiVersion
	}
	return base + "/namespaces/" + url.PathEscape(namespace) + "/" + collection
}

func block(v any) map[string]any { return first(v) }

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// intOrString is a port as the API takes it: a number when it is one.
func intOrString(v any) any {
	s := fmt.Sprint(v)
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err == nil && fmt.Sprint(n) == s {
		return n
	}
	return s
}

// pod is a pod spec. restricted makes it meet Pod Security restricted.
func pod(name, serviceAccount string, restricted bool, gpus int) kubeapi.Object {
	container := kubeapi.Object{"name": "main", "image": "registry.example/model:1"}
	if restricted {
		container["securityContext"] = kubeapi.Object{
			"allowPrivilegeEscalation": false, "runAsNonRoot": true,
			"capabilities": kubeapi.Object{"drop": []string{"ALL"}}, "seccompProfile": kubeapi.Object{"type": "RuntimeDefault"},
		}
	} else {
		container["securityContext"] = kubeapi.Object{"privileged": true}
	}
	if gpus > 0 {
		container["resources"] = kubeapi.Object{"requests": kubeapi.Object{k8s.GPUResource: fmt.Sprint(gpus)}, "limits": kubeapi.Object{k8s.GPUResource: fmt.Sprint(gpus)}}
	}
	spec := kubeapi.Object{"containers": []any{container}, "automountServiceAccountToken": false}
	if serviceAccount != "" {
		spec["serviceAccountName"] = serviceAccount
	}
	return kubeapi.Object{"apiVersion": "v1", "kind": "Pod", "metadata": kubeapi.Object{"name": name}, "spec": spec}
}

// probeAccount creates a service account for pods in a namespace the
// layer gives none (nothing creates "default" without a controller manager).
func probeAccount(ctx context.Context, t *testing.T, srv *kubeapi.Server, ns string) string {
	t.Helper()
	sa := kubeapi.Object{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": kubeapi.Object{"name": "probe"}, "automountServiceAccountToken": false}
	if err := srv.Create(ctx, srv.AdminToken, collectionPath("v1", ns, "serviceaccounts"), sa); err != nil && !kubeapi.IsStatus(err, http.StatusConflict) {
		t.Fatalf("probe service account in %s: %v", ns, err)
	}
	return "probe"
}

// checkPodSecurity: in every workload namespace a privileged pod is
// rejected by Pod Security admission, and a restricted pod without
// resources is admitted with the limit range's defaults.
func checkPodSecurity(ctx context.Context, t *testing.T, srv *kubeapi.Server, layer k8s.Layer) {
	t.Helper()
	for _, ns := range layer.Namespaces {
		if ns.Purpose == k8s.SystemPurpose {
			continue
		}
		sa := probeAccount(ctx, t, srv, ns.Name)
		pods := collectionPath("v1", ns.Name, "pods")
		err := srv.Create(ctx, srv.AdminToken, pods, pod("privileged", sa, false, 0))
		if !kubeapi.IsStatus(err, http.StatusForbidden) || !strings.Contains(err.Error(), "violates PodSecurity \"restricted:"+k8s.PodSecurityVersion+"\"") {
			t.Errorf("%s: a privileged pod got %v, want a PodSecurity rejection", ns.Name, err)
		}
		if err := srv.Create(ctx, srv.AdminToken, pods, pod("compliant", sa, true, 0)); err != nil {
			t.Errorf("%s: a restricted pod was rejected: %v", ns.Name, err)
			continue
		}
		var got kubeapi.Object
		if err := srv.Get(ctx, srv.AdminToken, pods+"/compliant", &got); err != nil {
			t.Fatal(err)
		}
		res := block(list(got["spec"].(map[string]any)["containers"]))["resources"].(map[string]any)
		if req := res["requests"].(map[string]any); req["cpu"] != ns.DefaultRequests["cpu"] || req["memory"] != ns.DefaultRequests["memory"] {
			t.Errorf("%s: the limit range gave requests %v, want %v", ns.Name, req, ns.DefaultRequests)
		}
	}
}

// checkGPUQuota: in every namespace with a GPU quota, a pod asking for one
// GPU more than the quota is rejected, and one asking for the quota admitted.
func checkGPUQuota(ctx context.Context, t *testing.T, srv *kubeapi.Server, layer k8s.Layer) {
	t.Helper()
	checked := 0
	for _, ns := range layer.Namespaces {
		if ns.Purpose == k8s.SystemPurpose {
			continue
		}
		sa := probeAccount(ctx, t, srv, ns.Name)
		pods := collectionPath("v1", ns.Name, "pods")
		err := srv.Create(ctx, srv.AdminToken, pods, pod("too-many-gpus", sa, true, ns.GPUQuota+1))
		if !kubeapi.IsStatus(err, http.StatusForbidden) || !strings.Contains(err.Error(), "exceeded quota") {
			t.Errorf("%s: a pod asking for %d GPUs (quota %d) got %v, want a quota rejection", ns.Name, ns.GPUQuota+1, ns.GPUQuota, err)
		}
		if ns.GPUQuota == 0 {
			continue
		}
		if err := srv.Create(ctx, srv.AdminToken, pods, pod("all-gpus", sa, true, ns.GPUQuota)); err != nil {
			t.Errorf("%s: a pod asking for the quota's %d GPUs was rejected: %v", ns.Name, ns.GPUQuota, err)
		}
		checked++
	}
	if checked == 0 {
		t.Log("no namespace has GPUs to admit (a sample without GPU pools)")
	}
}

// checkAccess asks the API server, for every binding's subject, what it may
// do: the data scientists edit, view or nothing by tier, the deployer
// deploys into the workload namespaces and nowhere else, the auditor only
// reads; none of them may read secrets, write RBAC or act cluster-wide.
func checkAccess(ctx context.Context, t *testing.T, srv *kubeapi.Server, layer k8s.Layer, principals map[string]string) {
	t.Helper()
	can := func(s k8s.Subject, verb, group, resource, ns string) bool {
		t.Helper()
		user, groups := s.Name, []string(nil)
		if s.Kind == "Group" {
			user, groups = "someone", []string{s.Name}
		}
		ok, err := srv.Can(ctx, user, groups, verb, group, resource, ns)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	subjects := map[string]k8s.Subject{}
	for _, b := range layer.RoleBindings {
		s := b.Subjects[0]
		if s.Name == "" { // an Azure principal ID: the module takes it from identity_principal_ids
			s.Name = principals[*s.Identity]
		}
		subjects[*s.Identity] = s
	}
	if len(subjects) == 0 {
		t.Fatal("no binding subject to ask about")
	}
	for id, s := range subjects {
		for _, ns := range layer.Namespaces {
			workload := ns.Purpose != k8s.SystemPurpose
			wantWrite := workload && (id == k8s.Deployer || id == k8s.DataScientist && slices.ContainsFunc(layer.RoleBindings, func(b k8s.RoleBinding) bool {
				return b.Namespace == ns.Name && b.Role == k8s.RoleEditor && *b.Subjects[0].Identity == id
			}))
			wantRead := id == k8s.Auditor || wantWrite || workload && id == k8s.DataScientist && slices.ContainsFunc(layer.RoleBindings, func(b k8s.RoleBinding) bool {
				return b.Namespace == ns.Name && *b.Subjects[0].Identity == id
			})
			if got := can(s, "create", "apps", "deployments", ns.Name); got != wantWrite {
				t.Errorf("%s may create deployments in %s: %v, want %v", id, ns.Name, got, wantWrite)
			}
			if got := can(s, "list", "", "pods", ns.Name); got != wantRead {
				t.Errorf("%s may list pods in %s: %v, want %v", id, ns.Name, got, wantRead)
			}
			for _, forbidden := range [][3]string{{"get", "", "secrets"}, {"create", "rbac.authorization.k8s.io", "rolebindings"}, {"create", "", "serviceaccounts"}, {"delete", "networking.k8s.io", "networkpolicies"}} {
				if can(s, forbidden[0], forbidden[1], forbidden[2], ns.Name) {
					t.Errorf("%s may %s %s in %s", id, forbidden[0], forbidden[2], ns.Name)
				}
			}
		}
		for _, other := range []string{"kube-system", "default"} {
			if can(s, "list", "", "pods", other) || can(s, "create", "apps", "deployments", other) {
				t.Errorf("%s has access in %s", id, other)
			}
		}
		if can(s, "list", "", "namespaces", "") || can(s, "create", "", "namespaces", "") {
			t.Errorf("%s has cluster-wide access", id)
		}
	}
}

// checkStoredPolicies reads the network policies back from the API server
// and evaluates them (netpolAllows): within the cluster nothing crosses
// namespaces but DNS, each namespace reaches its private endpoints on 443
// and nothing else on the internet, the inference namespace admits the
// entry points, and the boundary's flows pass on their ports only.
func checkStoredPolicies(ctx context.Context, t *testing.T, srv *kubeapi.Server, layer k8s.Layer, env string, serviceCIDRs map[string][]string) {
	t.Helper()
	var policies []storedPolicy
	for _, ns := range layer.Namespaces {
		items, err := srv.List(ctx, srv.AdminToken, collectionPath("networking.k8s.io/v1", ns.Name, "networkpolicies"))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			policies = append(policies, parseStoredPolicy(t, it))
		}
	}
	nsLabels := map[string]map[string]string{"kube-system": {"kubernetes.io/metadata.name": "kube-system"}}
	var names []string
	for _, ns := range layer.Namespaces {
		nsLabels[ns.Name] = map[string]string{"kubernetes.io/metadata.name": ns.Name}
		names = append(names, ns.Name)
	}
	dns := endpoint{ns: "kube-system", pod: map[string]string{"k8s-app": "kube-dns"}}
	for _, a := range names {
		src := endpoint{ns: a, pod: map[string]string{"app": "x"}}
		for _, b := range names {
			if a != b && netpolAllows(policies, nsLabels, src, endpoint{ns: b, pod: map[string]string{"app": "y"}}, "TCP", 8080) {
				t.Errorf("%s: %s reaches %s on 8080", env, a, b)
			}
		}
		workload := a != k8s.SystemNamespace
		if got := netpolAllows(policies, nsLabels, src, dns, "UDP", 53); got != workload {
			t.Errorf("%s: %s resolves names: %v, want %v", env, a, got, workload)
		}
		if netpolAllows(policies, nsLabels, src, endpoint{ns: "kube-system", pod: map[string]string{"k8s-app": "metrics"}}, "UDP", 53) {
			t.Errorf("%s: %s reaches kube-system beyond DNS", env, a)
		}
		if netpolAllows(policies, nsLabels, src, endpoint{ip: netip.MustParseAddr("8.8.8.8")}, "TCP", 443) {
			t.Errorf("%s: %s reaches the internet", env, a)
		}
	}
	// What the blueprint allows, each once, and nothing next to it.
	for _, p := range layer.NetworkPolicies {
		for _, ns := range p.Namespaces {
			for _, r := range p.Ingress {
				for _, x := range r.Peers {
					if x.CIDR == nil {
						continue
					}
					ip := netip.MustParsePrefix(*x.CIDR).Addr()
					port := r.Ports[0].Port
					if !netpolAllows(policies, nsLabels, endpoint{ip: ip}, endpoint{ns: ns, pod: map[string]string{"app": "serve"}}, "TCP", port) {
						t.Errorf("%s: %s does not admit %s on %d", env, ns, ip, port)
					}
					if netpolAllows(policies, nsLabels, endpoint{ip: ip}, endpoint{ns: ns, pod: map[string]string{"app": "serve"}}, "TCP", port+1) {
						t.Errorf("%s: %s admits %s on %d too", env, ns, ip, port+1)
					}
				}
			}
		}
	}
	// The identity endpoint (a range, or a cloud service's ranges from the
	// module's service_cidrs): only the namespaces whose workloads act as a
	// cloud identity (that have a workload service account) reach it, on
	// its port only.
	withIdentity := map[string]bool{}
	for _, sa := range layer.ServiceAccounts {
		withIdentity[sa.Namespace] = true
	}
	for _, p := range layer.NetworkPolicies {
		if p.Name != "allow-identity-endpoint" {
			continue
		}
		for _, r := range p.Egress {
			ranges := serviceCIDRs[ptrValue(r.Peers[0].Service)]
			if r.Peers[0].CIDR != nil {
				ranges = []string{*r.Peers[0].CIDR}
			}
			if len(ranges) == 0 {
				t.Fatalf("%s: the identity endpoint %v resolves to no range", env, r.Peers[0])
			}
			ep := endpoint{ip: netip.MustParsePrefix(ranges[len(ranges)-1]).Addr()}
			for _, ns := range names {
				want := withIdentity[ns]
				if got := netpolAllows(policies, nsLabels, endpoint{ns: ns, pod: map[string]string{"app": "x"}}, ep, "TCP", r.Ports[0].Port); got != want {
					t.Errorf("%s: %s reaches the identity endpoint %s: %v, want %v", env, ns, ep.ip, got, want)
				}
				if netpolAllows(policies, nsLabels, endpoint{ns: ns, pod: map[string]string{"app": "x"}}, ep, "TCP", r.Ports[0].Port+1) {
					t.Errorf("%s: %s reaches %s on another port", env, ns, ep.ip)
				}
			}
		}
	}
	var flows int
	for _, p := range policies {
		if strings.Contains(p.name, "-from-") || strings.Contains(p.name, "-to-") {
			flows++
		}
	}
	t.Logf("%s: %d network policies stored (%d for the boundary's flows) and evaluated", env, len(policies), flows)
	checkFlowPolicies(t, policies, nsLabels, layer, env)
}

// checkFlowPolicies: the telemetry and deploy flows of the samples (prod
// and dev send telemetry to shared's 10.67.0.0/16 on 4317-4318; shared's
// pipelines deploy to prod's 10.66.0.0/16 on 443).
func checkFlowPolicies(t *testing.T, policies []storedPolicy, nsLabels map[string]map[string]string, layer k8s.Layer, env string) {
	t.Helper()
	app := map[string]string{"app": "x"}
	shared, prod, dev := netip.MustParseAddr("10.67.0.10"), netip.MustParseAddr("10.66.0.10"), netip.MustParseAddr("10.73.0.10")
	switch env {
	case "prod", "dev":
		for _, ns := range layer.Namespaces {
			want := ns.Purpose != k8s.SystemPurpose
			if got := netpolAllows(policies, nsLabels, endpoint{ns: ns.Name, pod: app}, endpoint{ip: shared}, "TCP", 4317); got != want {
				t.Errorf("%s/%s sends telemetry to shared: %v, want %v", env, ns.Name, got, want)
			}
			if netpolAllows(policies, nsLabels, endpoint{ns: ns.Name, pod: app}, endpoint{ip: shared}, "TCP", 22) {
				t.Errorf("%s/%s reaches shared on 22", env, ns.Name)
			}
		}
	case "shared":
		tele := endpoint{ns: "telemetry", pod: map[string]string{"app": "collector"}}
		for _, src := range []netip.Addr{prod, dev} {
			if !netpolAllows(policies, nsLabels, endpoint{ip: src}, tele, "TCP", 4318) {
				t.Errorf("shared's collector does not admit %s", src)
			}
		}
		if netpolAllows(policies, nsLabels, endpoint{ip: netip.MustParseAddr("10.65.0.10")}, tele, "TCP", 4318) {
			t.Error("shared's collector admits staging, which declares no flow")
		}
		if !netpolAllows(policies, nsLabels, endpoint{ns: "pipelines", pod: app}, endpoint{ip: prod}, "TCP", 443) {
			t.Error("shared's pipelines cannot deploy to prod")
		}
		if netpolAllows(policies, nsLabels, endpoint{ns: "telemetry", pod: app}, endpoint{ip: prod}, "TCP", 443) {
			t.Error("shared's telemetry namespace deploys to prod")
		}
	}
}

// The evaluator: Kubernetes NetworkPolicy semantics over the stored
// objects, written from the API's documentation, apart from internal/k8s.

type endpoint struct {
	ns  string            // a pod's namespace; empty for an address outside the cluster
	pod map[string]string // the pod's labels
	ip  netip.Addr        // an address outside the cluster
}

type storedPeer struct {
	cidr      *netip.Prefix
	except    []netip.Prefix
	nsSel     map[string]string // nil: no namespace selector
	podSel    map[string]string // nil: no pod selector
	hasNSSel  bool
	hasPodSel bool
}

type storedPort struct {
	protocol  string
	port, end int // port 0: every port
}

type storedRule struct {
	peers []storedPeer // empty: every peer
	ports []storedPort // empty: every port
}

type storedPolicy struct {
	name, ns          string
	podSelector       map[string]string
	ingress, egress   bool // the directions it isolates
	ingressR, egressR []storedRule
}

func parseStoredPolicy(t *testing.T, o kubeapi.Object) storedPolicy {
	t.Helper()
	meta := o["metadata"].(map[string]any)
	spec := o["spec"].(map[string]any)
	p := storedPolicy{name: fmt.Sprint(meta["name"]), ns: fmt.Sprint(meta["namespace"]), podSelector: selectorLabels(spec["podSelector"])}
	types := list(spec["policyTypes"])
	for _, ty := range types {
		p.ingress = p.ingress || ty == "Ingress"
		p.egress = p.egress || ty == "Egress"
	}
	parse := func(rules any, peersKey string) []storedRule {
		var out []storedRule
		for _, r := range list(rules) {
			rm := r.(map[string]any)
			var sr storedRule
			for _, x := range list(rm[peersKey]) {
				xm := x.(map[string]any)
				var peer storedPeer
				if ib, ok := xm["ipBlock"].(map[string]any); ok {
					c := netip.MustParsePrefix(fmt.Sprint(ib["cidr"]))
					peer.cidr = &c
					for _, e := range list(ib["except"]) {
						peer.except = append(peer.except, netip.MustParsePrefix(fmt.Sprint(e)))
					}
				}
				if s, ok := xm["namespaceSelector"]; ok {
					peer.hasNSSel, peer.nsSel = true, selectorLabels(s)
				}
				if s, ok := xm["podSelector"]; ok {
					peer.hasPodSel, peer.podSel = true, selectorLabels(s)
				}
				sr.peers = append(sr.peers, peer)
			}
			for _, x := range list(rm["ports"]) {
				xm := x.(map[string]any)
				sp := storedPort{protocol: fmt.Sprint(xm["protocol"])}
				if v, ok := xm["port"].(float64); ok {
					sp.port, sp.end = int(v), int(v)
				}
				if v, ok := xm["endPort"].(float64); ok {
					sp.end = int(v)
				}
				sr.ports = append(sr.ports, sp)
			}
			out = append(out, sr)
		}
		return out
	}
	p.ingressR, p.egressR = parse(spec["ingress"], "from"), parse(spec["egress"], "to")
	return p
}

func selectorLabels(sel any) map[string]string {
	m, _ := sel.(map[string]any)
	ml, _ := m["matchLabels"].(map[string]any)
	out := map[string]string{}
	for k, v := range ml {
		out[k] = fmt.Sprint(v)
	}
	if _, ok := m["matchExpressions"]; ok {
		out["\x00unsupported"] = "matchExpressions" // the layer uses none; never match
	}
	return out
}

func selects(sel, lbls map[string]string) bool {
	for k, v := range sel {
		if lbls[k] != v {
			return false
		}
	}
	return true
}

func (p storedPeer) matches(e endpoint, policyNS string, nsLabels map[string]map[string]string) bool {
	if p.cidr != nil {
		if e.ns != "" || !p.cidr.Contains(e.ip) {
			return false // ipBlock selects addresses outside the cluster here: pods are not addressed by IP in this evaluator
		}
		for _, x := range p.except {
			if x.Contains(e.ip) {
				return false
			}
		}
		return true
	}
	if e.ns == "" {
		return false
	}
	nsOK := e.ns == policyNS
	if p.hasNSSel {
		nsOK = selects(p.nsSel, nsLabels[e.ns])
	}
	podOK := !p.hasPodSel || selects(p.podSel, e.pod)
	return nsOK && podOK
}

func (r storedRule) allows(peer endpoint, policyNS string, nsLabels map[string]map[string]string, protocol string, port int) bool {
	peerOK := len(r.peers) == 0 || slices.ContainsFunc(r.peers, func(p storedPeer) bool { return p.matches(peer, policyNS, nsLabels) })
	portOK := len(r.ports) == 0 || slices.ContainsFunc(r.ports, func(p storedPort) bool {
		return p.protocol == protocol && (p.port == 0 || port >= p.port && port <= p.end)
	})
	return peerOK && portOK
}

// netpolAllows reports whether traffic from src to dst on protocol/port
// is allowed: egress at src (if src is a pod isolated for egress, some
// policy selecting it must allow it) and ingress at dst likewise.
func netpolAllows(policies []storedPolicy, nsLabels map[string]map[string]string, src, dst endpoint, protocol string, port int) bool {
	side := func(self, peer endpoint, egress bool) bool {
		if self.ns == "" {
			return true // outside the cluster: no policy applies
		}
		isolated, allowed := false, false
		for _, p := range policies {
			if p.ns != self.ns || !selects(p.podSelector, self.pod) {
				continue
			}
			rules := p.ingressR
			if egress {
				rules = p.egressR
			}
			if egress && p.egress || !egress && p.ingress {
				isolated = true
				for _, r := range rules {
					if r.allows(peer, p.ns, nsLabels, protocol, port) {
						allowed = true
					}
				}
			}
		}
		return !isolated || allowed
	}
	return side(src, dst, true) && side(dst, src, false)
}

// TestNetpolEvaluator holds the evaluator to the API's documented
// semantics on hand-written policies, so that a bug there cannot pass
// the module's checks vacuously.
func TestNetpolEvaluator(t *testing.T) {
	nsLabels := map[string]map[string]string{"a": {"kubernetes.io/metadata.name": "a", "team": "x"}, "b": {"kubernetes.io/metadata.name": "b"}}
	pa, pb := endpoint{ns: "a", pod: map[string]string{"app": "web"}}, endpoint{ns: "b", pod: map[string]string{"app": "db"}}
	outside := endpoint{ip: netip.MustParseAddr("203.0.113.50")}
	prefix := netip.MustParsePrefix("203.0.113.0/24")
	none := []storedPolicy{}
	if !netpolAllows(none, nsLabels, pa, pb, "TCP", 80) {
		t.Error("no policy: everything is allowed")
	}
	deny := []storedPolicy{{name: "deny", ns: "b", podSelector: map[string]string{}, ingress: true, egress: true}}
	if netpolAllows(deny, nsLabels, pa, pb, "TCP", 80) || netpolAllows(deny, nsLabels, pb, pa, "TCP", 80) {
		t.Error("default deny in b: nothing in or out of b")
	}
	allowAll := append(slices.Clone(deny), storedPolicy{name: "all", ns: "b", podSelector: map[string]string{}, ingress: true, ingressR: []storedRule{{}}})
	if !netpolAllows(allowAll, nsLabels, pa, pb, "TCP", 80) {
		t.Error("an ingress rule without peers or ports admits everyone")
	}
	fromA := append(slices.Clone(deny), storedPolicy{name: "from-a", ns: "b", podSelector: map[string]string{"app": "db"}, ingress: true,
		ingressR: []storedRule{{peers: []storedPeer{{hasNSSel: true, nsSel: map[string]string{"team": "x"}, hasPodSel: true, podSel: map[string]string{"app": "web"}}}, ports: []storedPort{{protocol: "TCP", port: 5432, end: 5432}}}}})
	if !netpolAllows(fromA, nsLabels, pa, pb, "TCP", 5432) || netpolAllows(fromA, nsLabels, pa, pb, "TCP", 5433) ||
		netpolAllows(fromA, nsLabels, endpoint{ns: "a", pod: map[string]string{"app": "cron"}}, pb, "TCP", 5432) {
		t.Error("namespace and pod selectors in one peer must both match, on the listed port only")
	}
	ipRule := []storedPolicy{{name: "ip", ns: "b", podSelector: map[string]string{}, ingress: true,
		ingressR: []storedRule{{peers: []storedPeer{{cidr: &prefix, except: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/28")}}}, ports: []storedPort{{protocol: "TCP", port: 443, end: 444}}}}}}
	if !netpolAllows(ipRule, nsLabels, outside, pb, "TCP", 444) || netpolAllows(ipRule, nsLabels, endpoint{ip: netip.MustParseAddr("203.0.113.1")}, pb, "TCP", 443) || netpolAllows(ipRule, nsLabels, pa, pb, "TCP", 443) {
		t.Error("ipBlock with except and a port range")
	}
}

func ptrValue(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

package plan_test

import (
	"net/netip"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// meta is a Kubernetes object's metadata block as the plan holds it; ns is
// nil for a cluster-scoped object, whose metadata has no namespace.
func meta(name string, ns *string, labels map[string]any) []any {
	m := map[string]any{"name": name, "labels": labels, "annotations": nil, "generate_name": nil}
	if ns != nil {
		m["namespace"] = *ns
	}
	return []any{m}
}

func nsp(s string) *string { return &s }

// nsRef is the configuration of a metadata block whose namespace refers to
// a namespace resource.
func nsRef(addr string) map[string]any {
	return map[string]any{"metadata": []any{map[string]any{"namespace": refTo(addr, "metadata[0].name")}}}
}

func kubeNS(addr, name string, labels map[string]any) res {
	return res{addr: addr, values: map[string]any{"metadata": meta(name, nil, labels)}, unknown: map[string]any{"id": true}}
}

func attributions(f audit.Facts) map[string]string {
	out := map[string]string{}
	for _, r := range f.Resources {
		out[r.Address] = r.Attribution.Environment + " " + string(r.Attribution.Method)
	}
	return out
}

func TestKubernetesAttribution(t *testing.T) {
	f := factsOf(t,
		kubeNS("kubernetes_namespace_v1.prod", "prod-serving", map[string]any{"segmented.io/environment": "prod", "segmented.io/tier": "production"}),
		kubeNS("kubernetes_namespace.dev", "dev-training", map[string]any{"environment": "dev"}),
		// Two clusters, one name: nothing can say which the role is in.
		kubeNS("kubernetes_namespace_v1.a", "jobs", map[string]any{"segmented.io/environment": "dev"}),
		kubeNS("kubernetes_namespace_v1.b", "jobs", map[string]any{"segmented.io/environment": "prod"}),
		// Its own label wins over its namespace.
		res{addr: "kubernetes_role_v1.labelled", values: map[string]any{"metadata": meta("r", nsp("prod-serving"), map[string]any{"segmented.io/environment": "staging"}), "rule": []any{}}},
		// By the namespace its metadata refers to.
		res{addr: "kubernetes_role_v1.by_ref", values: map[string]any{"metadata": meta("r", nsp("prod-serving"), nil), "rule": []any{}}, expr: nsRef("kubernetes_namespace_v1.prod")},
		// By the name of a namespace of the plan, the unversioned form.
		res{addr: "kubernetes_role_binding.by_name", values: map[string]any{"metadata": meta("b", nsp("dev-training"), nil)}},
		res{addr: "kubernetes_role_v1.ambiguous", values: map[string]any{"metadata": meta("r", nsp("jobs"), nil), "rule": []any{}}},
		// Cluster-scoped: no namespace attributes it.
		res{addr: "kubernetes_cluster_role_v1.reader", values: map[string]any{"metadata": meta("reader", nil, nil), "rule": []any{}}},
		// In "default", which the plan does not have.
		res{addr: "kubernetes_service_account_v1.default", values: map[string]any{"metadata": meta("sa", nsp(""), nil)}},
	)
	check(t, "attributions", attributions(f), map[string]string{
		"kubernetes_namespace_v1.prod":          "prod tag",
		"kubernetes_namespace.dev":              "dev tag",
		"kubernetes_namespace_v1.a":             "dev tag",
		"kubernetes_namespace_v1.b":             "prod tag",
		"kubernetes_role_v1.labelled":           "staging tag",
		"kubernetes_role_v1.by_ref":             "prod network",
		"kubernetes_role_binding.by_name":       "dev network",
		"kubernetes_role_v1.ambiguous":          " unattributed",
		"kubernetes_cluster_role_v1.reader":     " unattributed",
		"kubernetes_service_account_v1.default": " unattributed",
	})
	for _, r := range f.Resources {
		if r.Cloud != "kubernetes" {
			t.Errorf("%s: cloud %q, want kubernetes", r.Address, r.Cloud)
		}
	}
	// The namespace's segmented.io/tier label gives prod its tier.
	for _, e := range f.Environments {
		if e.Name == "prod" && e.Tier != segment.Production {
			t.Errorf("prod's tier = %q, want production", e.Tier)
		}
	}
}

// TestKubernetesNamePatterns: the environments file's name patterns match
// an object's metadata name, and the name of a namespace the plan does not
// hold; a tier the file declares wins over a namespace's label.
func TestKubernetesNamePatterns(t *testing.T) {
	file, diags := envfile.Parse([]byte(`
environment "dev" {
  tier  = "development"
  names = ["dev-*"]
}
environment "prod" {
  tier  = "production"
  names = ["prod-*"]
}
`), "environments.hcl")
	if diags.HasErrors() {
		t.Fatal(envfile.Format(diags))
	}
	doc, err := plan.Read(planJSON(t,
		kubeNS("kubernetes_namespace_v1.serving", "prod-serving", map[string]any{"segmented.io/tier": "development"}),
		res{addr: "kubernetes_role_v1.in_serving", values: map[string]any{"metadata": meta("operator", nsp("prod-serving"), nil), "rule": []any{}}},
		res{addr: "kubernetes_network_policy_v1.jobs", values: map[string]any{"metadata": meta("egress", nsp("dev-jobs"), nil), "spec": []any{}}},
		res{addr: "kubernetes_config_map_v1.named", values: map[string]any{"metadata": meta("prod-settings", nsp("team-x"), nil)}},
		res{addr: "kubernetes_secret_v1.nobody", values: map[string]any{"metadata": meta("s", nsp("team-x"), nil)}},
		// Namespaces of one name in two clusters: the file's pattern for the
		// name does not settle which one an object is in.
		kubeNS("kubernetes_namespace_v1.shared_dev", "dev-shared", map[string]any{"segmented.io/environment": "dev"}),
		kubeNS("kubernetes_namespace_v1.shared_prod", "dev-shared", map[string]any{"segmented.io/environment": "prod"}),
		res{addr: "kubernetes_role_v1.in_shared", values: map[string]any{"metadata": meta("operator", nsp("dev-shared"), nil), "rule": []any{}}},
	))
	if err != nil {
		t.Fatal(err)
	}
	f := plan.FactsWith(doc, plan.Options{Environments: file})
	check(t, "attributions", attributions(f), map[string]string{
		"kubernetes_namespace_v1.serving":     "prod name-pattern",
		"kubernetes_role_v1.in_serving":       "prod network",
		"kubernetes_network_policy_v1.jobs":   "dev name-pattern",
		"kubernetes_config_map_v1.named":      "prod name-pattern",
		"kubernetes_secret_v1.nobody":         " unattributed",
		"kubernetes_namespace_v1.shared_dev":  "dev tag",
		"kubernetes_namespace_v1.shared_prod": "prod tag",
		"kubernetes_role_v1.in_shared":        " unattributed",
	})
	for _, e := range f.Environments {
		if e.Name == "prod" && e.Tier != segment.Production {
			t.Errorf("prod's tier = %q, want the file's production", e.Tier)
		}
	}
}

func TestKubernetesNamespaces(t *testing.T) {
	f := factsOf(t,
		kubeNS("kubernetes_namespace_v1.known", "a", map[string]any{"pod-security.kubernetes.io/enforce": "baseline", "team": "ml"}),
		kubeNS("kubernetes_namespace_v1.none", "b", nil),
		// The enforce label from a value known only at apply.
		res{addr: "kubernetes_namespace_v1.unknown_label", values: map[string]any{"metadata": meta("c", nil, map[string]any{"team": "ml"})},
			unknown: map[string]any{"metadata": []any{map[string]any{"labels": map[string]any{"pod-security.kubernetes.io/enforce": true}}}}},
		res{addr: "kubernetes_namespace.unknown_labels", values: map[string]any{"metadata": []any{map[string]any{"name": "d"}}},
			unknown: map[string]any{"metadata": []any{map[string]any{"labels": true}}}},
	)
	got := map[string]audit.Namespace{}
	for _, ns := range f.Namespaces {
		ns.Resource = 0
		got[ns.Name] = ns
	}
	check(t, "namespaces", got, map[string]audit.Namespace{
		"a": {Path: "metadata[0].labels", Name: "a", Labels: map[string]string{"pod-security.kubernetes.io/enforce": "baseline", "team": "ml"}},
		"b": {Path: "metadata[0].labels", Name: "b", Labels: map[string]string{}},
		"c": {Path: "metadata[0].labels", Name: "c", Labels: map[string]string{"team": "ml"}, Unknown: []string{"pod-security.kubernetes.io/enforce"}},
		"d": {Path: "metadata[0].labels", Name: "d", LabelsUnknown: true},
	})
	check(t, "blind", blindOf(f), []string{
		"kubernetes_namespace.unknown_labels metadata[0].labels SEG801",
		`kubernetes_namespace_v1.unknown_label metadata[0].labels["pod-security.kubernetes.io/enforce"] SEG801`,
	})
}

func TestKubernetesRoles(t *testing.T) {
	f := factsOf(t,
		res{addr: "kubernetes_role_v1.r", values: map[string]any{"metadata": meta("r", nsp("ns"), nil), "rule": []any{
			map[string]any{"api_groups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"get"}, "resource_names": nil},
		}}},
		res{addr: "kubernetes_cluster_role.c", values: map[string]any{"metadata": meta("c", nil, nil), "rule": []any{
			map[string]any{"api_groups": nil, "resources": nil, "verbs": []any{"get"}, "non_resource_urls": []any{"*"}},
			map[string]any{"api_groups": []any{""}, "resources": []any{"pods"}, "non_resource_urls": nil},
		}}, unknown: map[string]any{"rule": []any{map[string]any{}, map[string]any{"verbs": true}}}},
	)
	check(t, "roles", f.KubeRoles, []audit.KubeRole{
		{Resource: 0, Name: "c", Cluster: true, Rules: []audit.KubeRule{
			{Path: "rule[0]", Verbs: []string{"get"}, NonResourceURLs: []string{"*"}},
			{Path: "rule[1]", APIGroups: []string{""}, Resources: []string{"pods"}},
		}},
		{Resource: 1, Name: "r", Namespace: "ns", Rules: []audit.KubeRule{
			{Path: "rule[0]", APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get"}},
		}},
	})
	check(t, "blind", blindOf(f), []string{"kubernetes_cluster_role.c rule[1].verbs SEG802"})
}

func TestKubernetesBindings(t *testing.T) {
	roleRef := func(kind, name string) []any {
		return []any{map[string]any{"api_group": "rbac.authorization.k8s.io", "kind": kind, "name": name}}
	}
	subject := func(kind, name string) map[string]any { return map[string]any{"kind": kind, "name": name} }
	f := factsOf(t,
		res{addr: "kubernetes_role_v1.editor", values: map[string]any{"metadata": meta("editor", nsp("prod"), nil), "rule": []any{}}},
		res{addr: "kubernetes_role_v1.editor_dev", values: map[string]any{"metadata": meta("editor", nsp("dev"), nil), "rule": []any{}}},
		res{addr: "kubernetes_cluster_role_v1.ops", values: map[string]any{"metadata": meta("ops", nil, nil), "rule": []any{}}},
		// By name, in its own namespace.
		res{addr: "kubernetes_role_binding_v1.by_name", values: map[string]any{"metadata": meta("b", nsp("prod"), nil), "role_ref": roleRef("Role", "editor"),
			"subject": []any{subject("User", "alice"), subject("ServiceAccount", "ci")}}},
		// By reference, with a name unknown at plan.
		res{addr: "kubernetes_role_binding_v1.by_ref", values: map[string]any{"metadata": meta("b", nsp("prod"), nil), "role_ref": []any{map[string]any{"kind": "Role"}},
			"subject": []any{subject("Group", "g")}},
			unknown: map[string]any{"role_ref": []any{map[string]any{"name": true}}},
			expr:    map[string]any{"role_ref": []any{map[string]any{"name": refTo("kubernetes_role_v1.editor_dev", "metadata[0].name")}}}},
		res{addr: "kubernetes_cluster_role_binding_v1.ops", values: map[string]any{"metadata": meta("ops", nil, nil), "role_ref": roleRef("ClusterRole", "ops"),
			"subject": []any{subject("User", "bob")}}},
		res{addr: "kubernetes_cluster_role_binding.builtin", values: map[string]any{"metadata": meta("admins", nil, nil), "role_ref": roleRef("ClusterRole", "cluster-admin"),
			"subject": []any{subject("Group", "admins"), map[string]any{"kind": "User"}}},
			unknown: map[string]any{"subject": []any{map[string]any{}, map[string]any{"name": true}}}},
		// Unknown, and nothing refers to a role.
		res{addr: "kubernetes_role_binding.blind", values: map[string]any{"metadata": meta("b", nsp("prod"), nil), "role_ref": []any{map[string]any{"kind": "Role"}}, "subject": []any{}},
			unknown: map[string]any{"role_ref": []any{map[string]any{"name": true}}}},
	)
	type binding struct {
		Addr, Namespace string
		Cluster         bool
		Kind, Name      string
		Role            audit.Ref
		Subjects        []audit.Subject
	}
	var got []binding
	for _, b := range f.RoleBindings {
		got = append(got, binding{f.Resources[b.Resource].Address, b.Namespace, b.Cluster, b.RoleKind, b.RoleName, b.Role, b.Subjects})
	}
	check(t, "bindings", got, []binding{
		{"kubernetes_cluster_role_binding.builtin", "", true, "ClusterRole", "cluster-admin", audit.Ref{}, []audit.Subject{{Path: "subject[0]", Kind: "Group", Name: "admins"}}},
		{"kubernetes_cluster_role_binding_v1.ops", "", true, "ClusterRole", "ops", audit.Ref{Address: "kubernetes_cluster_role_v1.ops", Value: "ops"}, []audit.Subject{{Path: "subject[0]", Kind: "User", Name: "bob"}}},
		{"kubernetes_role_binding.blind", "prod", false, "Role", "", audit.Ref{}, nil},
		{"kubernetes_role_binding_v1.by_name", "prod", false, "Role", "editor", audit.Ref{Address: "kubernetes_role_v1.editor", Value: "editor"},
			[]audit.Subject{{Path: "subject[0]", Kind: "User", Name: "alice"}, {Path: "subject[1]", Kind: "ServiceAccount", Name: "ci"}}},
		{"kubernetes_role_binding_v1.by_ref", "prod", false, "Role", "editor", audit.Ref{Address: "kubernetes_role_v1.editor_dev"}, []audit.Subject{{Path: "subject[0]", Kind: "Group", Name: "g"}}},
	})
	check(t, "blind", blindOf(f), []string{
		"kubernetes_cluster_role_binding.builtin subject[1] SEG803",
		"kubernetes_role_binding.blind role_ref[0].name SEG803",
	})
}

func TestKubernetesPolicies(t *testing.T) {
	sel := func(labels map[string]any, exprs ...any) []any {
		return []any{map[string]any{"match_labels": labels, "match_expressions": append([]any{}, exprs...)}}
	}
	port := func(proto, p string, end any) map[string]any {
		return map[string]any{"protocol": proto, "port": p, "end_port": end}
	}
	f := factsOf(t,
		res{addr: "kubernetes_network_policy_v1.p", values: map[string]any{
			"metadata": meta("p", nsp("prod"), nil),
			"spec": []any{map[string]any{
				"policy_types": []any{"Ingress", "Egress"},
				"pod_selector": sel(nil),
				"ingress": []any{
					map[string]any{
						"ports": []any{port("TCP", "8080", nil), port("UDP", "5000", float64(5010))},
						"from": []any{
							map[string]any{"ip_block": []any{map[string]any{"cidr": "10.1.2.3/16", "except": []any{"10.1.9.0/24"}}}, "namespace_selector": []any{}, "pod_selector": []any{}},
							map[string]any{"ip_block": []any{}, "namespace_selector": sel(map[string]any{"segmented.io/environment": "dev"},
								map[string]any{"key": "team", "operator": "In", "values": []any{"ml"}}), "pod_selector": sel(nil)},
							map[string]any{"ip_block": []any{}, "namespace_selector": []any{}, "pod_selector": []any{}},
						},
					},
				},
				"egress": []any{
					map[string]any{"ports": []any{}, "to": []any{}},
					map[string]any{"ports": []any{port("TCP", "http", nil)}, "to": []any{map[string]any{"pod_selector": sel(nil)}}},
					map[string]any{"ports": []any{map[string]any{"protocol": "TCP", "port": nil}}, "to": []any{map[string]any{"pod_selector": sel(nil)}}},
				},
			}},
		}},
		res{addr: "kubernetes_network_policy.blind", values: map[string]any{
			"metadata": meta("b", nsp("prod"), nil),
			"spec": []any{map[string]any{
				"ingress": []any{map[string]any{"from": []any{map[string]any{"ip_block": []any{map[string]any{}}}}}},
			}},
		}, unknown: map[string]any{"spec": []any{map[string]any{
			"egress":  true,
			"ingress": []any{map[string]any{"from": []any{map[string]any{"ip_block": []any{map[string]any{"cidr": true}}}}}},
		}}}},
	)
	var got []audit.PolicyRule
	for _, pr := range f.PolicyRules {
		if f.Resources[pr.Resource].Address == "kubernetes_network_policy_v1.p" {
			pr.Resource = 0
			got = append(got, pr)
		}
	}
	devSel := &audit.Selector{MatchLabels: map[string]string{"segmented.io/environment": "dev"}, Expressions: []audit.Requirement{{Key: "team", Operator: "In", Values: []string{"ml"}}}}
	check(t, "rules", got, []audit.PolicyRule{
		{Path: "spec[0].ingress[0]", Direction: audit.Ingress,
			Ports: []audit.PolicyPort{{Protocol: "tcp", From: 8080, To: 8080}, {Protocol: "udp", From: 5000, To: 5010}},
			Peers: []audit.PolicyPeer{
				{Path: "spec[0].ingress[0].from[0]", CIDR: netip.MustParsePrefix("10.1.0.0/16"), Except: []netip.Prefix{netip.MustParsePrefix("10.1.9.0/24")}},
				{Path: "spec[0].ingress[0].from[1]", Namespaces: devSel},
				{Path: "spec[0].ingress[0].from[2]", Empty: true},
			}},
		{Path: "spec[0].egress[0]", Direction: audit.Egress},
		{Path: "spec[0].egress[1]", Direction: audit.Egress, Peers: []audit.PolicyPeer{{Path: "spec[0].egress[1].to[0]"}}},
		{Path: "spec[0].egress[2]", Direction: audit.Egress, Ports: []audit.PolicyPort{{Protocol: "tcp", From: 0, To: 65535}},
			Peers: []audit.PolicyPeer{{Path: "spec[0].egress[2].to[0]"}}},
	})
	check(t, "blind", blindOf(f), []string{
		"kubernetes_network_policy.blind spec[0].egress SEG806",
		"kubernetes_network_policy.blind spec[0].ingress[0].from[0].ip_block[0].cidr SEG806",
	})
}

// TestKubernetesChecks runs the checks on a plan: the facts above reach
// the rules.
func TestKubernetesChecks(t *testing.T) {
	f := factsOf(t,
		kubeNS("kubernetes_namespace_v1.prod", "prod-serving", map[string]any{"segmented.io/environment": "prod", "segmented.io/tier": "production"}),
		kubeNS("kubernetes_namespace_v1.dev", "dev-notebooks", map[string]any{"segmented.io/environment": "dev",
			"pod-security.kubernetes.io/enforce": "restricted", "segmented.io/tier": "development"}),
		res{addr: "kubernetes_role_v1.all", values: map[string]any{"metadata": meta("all", nsp("prod-serving"), nil), "rule": []any{
			map[string]any{"api_groups": []any{"*"}, "resources": []any{"*"}, "verbs": []any{"*"}},
		}}},
		res{addr: "kubernetes_role_binding_v1.people", values: map[string]any{"metadata": meta("people", nsp("prod-serving"), nil),
			"role_ref": []any{map[string]any{"kind": "Role", "name": "all"}}, "subject": []any{map[string]any{"kind": "User", "name": "alice"}}}},
		res{addr: "kubernetes_network_policy_v1.open", values: map[string]any{"metadata": meta("open", nsp("dev-notebooks"), nil),
			"spec": []any{map[string]any{"egress": []any{map[string]any{"to": []any{map[string]any{"namespace_selector": []any{map[string]any{"match_labels": map[string]any{"kubernetes.io/metadata.name": "prod-serving"}}}}}}}}}}},
	)
	res := audit.Check(f)
	var got []string
	for _, fd := range res.Findings {
		got = append(got, fd.Rule.ID+" "+fd.Address+" "+fd.Path+" "+fd.Other.Environment)
	}
	check(t, "findings", got, []string{
		"SEG806 kubernetes_network_policy_v1.open spec[0].egress[0] prod",
		"SEG801 kubernetes_namespace_v1.prod metadata[0].labels ",
		"SEG802 kubernetes_role_v1.all rule[0] ",
		"SEG803 kubernetes_role_binding_v1.people subject ",
	})
}

// TestKubernetesForEach: a reference to a resource with for_each names all
// its instances; the one with the name the plan knows is meant.
func TestKubernetesForEach(t *testing.T) {
	binding := func(addr, role string) res {
		return res{addr: addr, values: map[string]any{"metadata": meta("people", nsp("prod-x"), nil),
			"role_ref": []any{map[string]any{"kind": "Role", "name": role}}, "subject": []any{map[string]any{"kind": "User", "name": "alice"}}},
			expr: map[string]any{
				"metadata": []any{map[string]any{"namespace": refTo("kubernetes_namespace_v1.this", "metadata[0].name")}},
				"role_ref": []any{map[string]any{"name": refTo("kubernetes_role_v1.this", "metadata[0].name")}},
			}}
	}
	f := factsOf(t,
		kubeNS(`kubernetes_namespace_v1.this["dev"]`, "dev-x", map[string]any{"segmented.io/environment": "dev"}),
		kubeNS(`kubernetes_namespace_v1.this["prod"]`, "prod-x", map[string]any{"segmented.io/environment": "prod", "segmented.io/tier": "production"}),
		res{addr: `kubernetes_role_v1.this["viewer"]`, values: map[string]any{"metadata": meta("viewer", nsp("prod-x"), nil), "rule": []any{
			map[string]any{"api_groups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"get"}}}}},
		res{addr: `kubernetes_role_v1.this["editor"]`, values: map[string]any{"metadata": meta("editor", nsp("prod-x"), nil), "rule": []any{
			map[string]any{"api_groups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"create"}}}}},
		binding("kubernetes_role_binding_v1.people_edit", "editor"),
		binding("kubernetes_role_binding_v1.people_view", "viewer"),
	)
	check(t, "attribution", attributions(f)["kubernetes_role_binding_v1.people_view"], "prod network")
	check(t, "roles", []audit.Ref{f.RoleBindings[0].Role, f.RoleBindings[1].Role}, []audit.Ref{
		{Address: `kubernetes_role_v1.this["editor"]`, Value: "editor"},
		{Address: `kubernetes_role_v1.this["viewer"]`, Value: "viewer"},
	})
	var got []string
	for _, fd := range audit.Check(f).Findings {
		got = append(got, fd.Rule.ID+" "+fd.Address)
	}
	check(t, "findings", got, []string{
		`SEG801 kubernetes_namespace_v1.this["dev"]`,
		`SEG801 kubernetes_namespace_v1.this["prod"]`,
		"SEG803 kubernetes_role_binding_v1.people_edit",
	})
}

package audit_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// The Kubernetes checks on facts written by hand: each case names the
// findings it wants as "RULE address path other", and none when the facts
// are fine.

// kubeFacts returns facts with one resource per address, attributed to
// the environment after the colon ("kubernetes_role_v1.r:prod"; none
// after it is unattributed), and the environments dev (10.1.0.0/16),
// prod (10.3.0.0/16) and shared (10.4.0.0/16).
func kubeFacts(resources ...string) audit.Facts {
	f := audit.Facts{Environments: []audit.Environment{
		{Name: "dev", Tier: segment.Development, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
		{Name: "prod", Tier: segment.Production, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.3.0.0/16")}},
		{Name: "shared", Tier: segment.Shared, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.4.0.0/16")}},
	}}
	for _, r := range resources {
		addr, env, _ := strings.Cut(r, ":")
		at := audit.Attribution{Environment: env, Method: audit.ByTag, Evidence: "label"}
		if env == "" {
			at = audit.Attribution{Method: audit.Unattributed}
		}
		f.Resources = append(f.Resources, audit.Resource{Address: addr, Type: strings.Split(addr, ".")[0], Cloud: "kubernetes", Attribution: at})
	}
	return f
}

// kubeFindings audits the facts and lists the findings other than SEG708.
func kubeFindings(f audit.Facts) []string {
	var out []string
	for _, fd := range audit.Check(f).Findings {
		if fd.Rule.ID == "SEG708" {
			continue
		}
		out = append(out, strings.TrimSpace(fd.Rule.ID+" "+fd.Address+" "+fd.Path+" "+fd.Other.Environment))
		if fd.Message == "" {
			panic("a finding without a message")
		}
	}
	slices.Sort(out)
	return out
}

func wantFindings(t *testing.T, name string, got []string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", name, got, want)
	}
}

func restricted(extra map[string]string) map[string]string {
	m := map[string]string{
		"pod-security.kubernetes.io/enforce": "restricted",
		"pod-security.kubernetes.io/audit":   "restricted",
		"pod-security.kubernetes.io/warn":    "restricted",
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestPodSecurity(t *testing.T) {
	f := kubeFacts(
		"kubernetes_namespace_v1.privileged:dev", "kubernetes_namespace_v1.unlabelled:prod", "kubernetes_namespace_v1.restricted:prod",
		"kubernetes_namespace_v1.audit_only:prod", "kubernetes_namespace_v1.kube_system:prod", "kubernetes_namespace_v1.gpu_system:prod",
		"kubernetes_namespace_v1.unknown:prod", "kubernetes_namespace_v1.unknown_labels:prod", "kubernetes_namespace_v1.nobody:",
	)
	path := "metadata[0].labels"
	f.Namespaces = []audit.Namespace{
		{Resource: 0, Path: path, Name: "a", Labels: map[string]string{"pod-security.kubernetes.io/enforce": "privileged"}},
		{Resource: 1, Path: path, Name: "b", Labels: map[string]string{}},
		{Resource: 2, Path: path, Name: "c", Labels: restricted(nil)},
		// Restricted enforced: audit and warn do not matter.
		{Resource: 3, Path: path, Name: "d", Labels: map[string]string{"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "baseline"}},
		{Resource: 4, Path: path, Name: "kube-system", Labels: map[string]string{}},
		{Resource: 5, Path: path, Name: "gpu-system", Labels: map[string]string{"segmented.io/purpose": "system", "pod-security.kubernetes.io/enforce": "privileged"}},
		{Resource: 6, Path: path, Name: "e", Labels: map[string]string{}, Unknown: []string{"pod-security.kubernetes.io/enforce"}},
		{Resource: 7, Path: path, Name: "f", LabelsUnknown: true},
		{Resource: 8, Path: path, Name: "g", Labels: map[string]string{}},
	}
	wantFindings(t, "SEG801", kubeFindings(f),
		"SEG801 kubernetes_namespace_v1.privileged metadata[0].labels",
		"SEG801 kubernetes_namespace_v1.unlabelled metadata[0].labels",
	)
	for _, fd := range audit.Check(f).Findings {
		if fd.Address == "kubernetes_namespace_v1.privileged" && !strings.Contains(fd.Message, `no audit label, no warn label`) {
			t.Errorf("the message does not name the missing audit and warn labels: %s", fd.Message)
		}
	}
	for name, want := range map[string]bool{"kube-system": true, "kube-public": true, "kube-node-lease": true, "default": false, "training": false, "gpu-system": false} {
		if got := (audit.Namespace{Name: name}).System(); got != want {
			t.Errorf("%s: System() = %v, want %v", name, got, want)
		}
	}
	if !(audit.Namespace{Name: "gpu-system", Labels: map[string]string{audit.PurposeLabel: audit.SystemPurpose}}).System() {
		t.Error("a namespace labelled with the system purpose is not a system namespace")
	}
}

func TestKubeWildcards(t *testing.T) {
	f := kubeFacts("kubernetes_role_v1.verbs:dev", "kubernetes_role_v1.groups:", "kubernetes_cluster_role_v1.urls:shared", "kubernetes_role_v1.fine:prod")
	f.KubeRoles = []audit.KubeRole{
		{Resource: 0, Name: "a", Namespace: "dev", Rules: []audit.KubeRule{
			{Path: "rule[0]", APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get"}},
			{Path: "rule[1]", APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"*"}},
		}},
		// Unattributed: still a finding, and SEG708 besides.
		{Resource: 1, Name: "b", Namespace: "x", Rules: []audit.KubeRule{{Path: "rule[0]", APIGroups: []string{"*"}, Resources: []string{"deployments"}, Verbs: []string{"get"}}}},
		{Resource: 2, Name: "c", Cluster: true, Rules: []audit.KubeRule{{Path: "rule[0]", NonResourceURLs: []string{"*"}, Verbs: []string{"get"}}}},
		// Wildcards inside names are not "*".
		{Resource: 3, Name: "d", Namespace: "prod", Rules: []audit.KubeRule{{Path: "rule[0]", APIGroups: []string{""}, Resources: []string{"pods/*"}, Verbs: []string{"get", "list"}}}},
	}
	wantFindings(t, "SEG802", kubeFindings(f),
		"SEG802 kubernetes_role_v1.verbs rule[1]",
		"SEG802 kubernetes_role_v1.groups rule[0]",
		"SEG802 kubernetes_cluster_role_v1.urls rule[0]",
	)
}

func TestHumanWriters(t *testing.T) {
	f := kubeFacts(
		"kubernetes_role_v1.editor:prod", "kubernetes_role_v1.viewer:prod",
		"kubernetes_role_binding_v1.people_edit:prod", "kubernetes_role_binding_v1.people_view:prod",
		"kubernetes_role_binding_v1.ci:prod", "kubernetes_cluster_role_binding_v1.admins:prod",
		"kubernetes_role_binding_v1.dev_edit:dev", "kubernetes_role_binding_v1.unknown_role:prod",
		"kubernetes_role_binding_v1.builtin_view:prod", "kubernetes_role_binding_v1.nobody:",
	)
	f.KubeRoles = []audit.KubeRole{
		{Resource: 0, Name: "editor", Namespace: "p", Rules: []audit.KubeRule{{Path: "rule[0]", Verbs: []string{"get", "patch"}}}},
		{Resource: 1, Name: "viewer", Namespace: "p", Rules: []audit.KubeRule{{Path: "rule[0]", Verbs: []string{"get", "list", "watch"}}}},
	}
	alice := []audit.Subject{{Path: "subject[0]", Kind: "User", Name: "alice"}}
	editor := audit.Ref{Address: "kubernetes_role_v1.editor"}
	f.RoleBindings = []audit.RoleBinding{
		{Resource: 2, Namespace: "p", RoleKind: "Role", RoleName: "editor", Role: editor, Subjects: alice},
		{Resource: 3, Namespace: "p", RoleKind: "Role", RoleName: "viewer", Role: audit.Ref{Address: "kubernetes_role_v1.viewer"}, Subjects: alice},
		{Resource: 4, Namespace: "p", RoleKind: "Role", RoleName: "editor", Role: editor, Subjects: []audit.Subject{
			{Path: "subject[0]", Kind: "ServiceAccount", Name: "deployer"},
			{Path: "subject[1]", Kind: "User", Name: "system:serviceaccount:ci:deployer"},
			{Path: "subject[2]", Kind: "Group", Name: "system:serviceaccounts:ci"},
		}},
		{Resource: 5, Cluster: true, RoleKind: "ClusterRole", RoleName: "cluster-admin", Subjects: []audit.Subject{{Path: "subject[0]", Kind: "Group", Name: "admins"}}},
		{Resource: 6, Namespace: "d", RoleKind: "ClusterRole", RoleName: "edit", Subjects: alice},
		{Resource: 7, Namespace: "p", RoleKind: "Role", RoleName: "elsewhere", Subjects: alice},
		{Resource: 8, Namespace: "p", RoleKind: "ClusterRole", RoleName: "view", Subjects: alice},
		{Resource: 9, Namespace: "p", RoleKind: "ClusterRole", RoleName: "admin", Subjects: alice},
	}
	wantFindings(t, "SEG803", kubeFindings(f),
		"SEG803 kubernetes_role_binding_v1.people_edit subject",
		"SEG803 kubernetes_cluster_role_binding_v1.admins subject",
	)
}

func TestNetworkPolicies(t *testing.T) {
	f := kubeFacts(
		"kubernetes_network_policy_v1.prod:prod", "kubernetes_namespace_v1.dev:dev", "kubernetes_namespace_v1.shared:shared",
		"kubernetes_network_policy_v1.nobody:",
	)
	f.Namespaces = []audit.Namespace{
		{Resource: 1, Name: "dev-notebooks", Labels: restricted(map[string]string{"segmented.io/environment": "dev", "team": "ml"})},
		{Resource: 2, Name: "shared-telemetry", Labels: restricted(map[string]string{"segmented.io/environment": "shared", "segmented.io/purpose": "telemetry"})},
	}
	f.Flows = []segment.Flow{{From: "prod", To: "shared", Purpose: segment.Telemetry}}
	tcp := func(from, to int) []audit.PolicyPort {
		return []audit.PolicyPort{{Protocol: "tcp", From: from, To: to}}
	}
	peer := func(p audit.PolicyPeer) []audit.PolicyPeer { p.Path = "peer"; return []audit.PolicyPeer{p} }
	sel := func(labels map[string]string, exprs ...audit.Requirement) *audit.Selector {
		return &audit.Selector{MatchLabels: labels, Expressions: exprs}
	}
	rule := func(path string, dir audit.Direction, ports []audit.PolicyPort, peers []audit.PolicyPeer) audit.PolicyRule {
		return audit.PolicyRule{Resource: 0, Path: path, Direction: dir, Ports: ports, Peers: peers}
	}
	f.PolicyRules = []audit.PolicyRule{
		// Findings.
		rule("cidr", audit.Egress, tcp(443, 443), peer(audit.PolicyPeer{CIDR: netip.MustParsePrefix("10.1.0.0/24")})),
		rule("no-peers", audit.Egress, tcp(53, 53), nil),
		rule("empty-peer", audit.Ingress, nil, peer(audit.PolicyPeer{Empty: true})),
		rule("every-namespace", audit.Ingress, tcp(80, 80), peer(audit.PolicyPeer{Namespaces: sel(nil)})),
		rule("env-label", audit.Ingress, tcp(80, 80), peer(audit.PolicyPeer{Namespaces: sel(map[string]string{"segmented.io/environment": "staging"})})),
		rule("env-in", audit.Ingress, tcp(80, 80), peer(audit.PolicyPeer{Namespaces: sel(nil, audit.Requirement{Key: "segmented.io/environment", Operator: "In", Values: []string{"prod", "dev"}})})),
		rule("env-notin", audit.Ingress, tcp(80, 80), peer(audit.PolicyPeer{Namespaces: sel(nil, audit.Requirement{Key: "segmented.io/environment", Operator: "NotIn", Values: []string{"dev"}})})),
		rule("by-name", audit.Ingress, tcp(80, 80), peer(audit.PolicyPeer{Namespaces: sel(map[string]string{"kubernetes.io/metadata.name": "dev-notebooks"})})),
		rule("by-team", audit.Ingress, tcp(80, 80), peer(audit.PolicyPeer{Namespaces: sel(nil, audit.Requirement{Key: "team", Operator: "Exists"})})),
		rule("flow-every-port", audit.Egress, nil, peer(audit.PolicyPeer{Namespaces: sel(map[string]string{"segmented.io/purpose": "telemetry"})})),
		rule("flow-wrong-way", audit.Ingress, tcp(4317, 4317), peer(audit.PolicyPeer{CIDR: netip.MustParsePrefix("10.4.0.0/16")})),
		rule("internet-all", audit.Egress, tcp(443, 443), peer(audit.PolicyPeer{CIDR: netip.MustParsePrefix("0.0.0.0/0"), Except: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}})),
		// Fine.
		rule("own-pods", audit.Ingress, nil, peer(audit.PolicyPeer{})), // a pod selector alone: the policy's own namespace
		rule("own-range", audit.Ingress, nil, peer(audit.PolicyPeer{CIDR: netip.MustParsePrefix("10.3.4.0/24")})),
		rule("public", audit.Ingress, tcp(443, 443), peer(audit.PolicyPeer{CIDR: netip.MustParsePrefix("203.0.113.0/24")})),
		rule("internet", audit.Egress, tcp(443, 443), peer(audit.PolicyPeer{CIDR: netip.MustParsePrefix("0.0.0.0/0"), Except: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})),
		rule("own-label", audit.Ingress, nil, peer(audit.PolicyPeer{Namespaces: sel(map[string]string{"segmented.io/environment": "prod"})})),
		rule("dns", audit.Egress, tcp(53, 53), peer(audit.PolicyPeer{Namespaces: sel(map[string]string{"kubernetes.io/metadata.name": "kube-system"})})),
		rule("flow", audit.Egress, tcp(4317, 4318), peer(audit.PolicyPeer{Namespaces: sel(map[string]string{"segmented.io/purpose": "telemetry"})})),
		rule("flow-range", audit.Egress, tcp(4317, 4317), peer(audit.PolicyPeer{CIDR: netip.MustParsePrefix("10.4.0.0/16")})),
		rule("other-team", audit.Ingress, nil, peer(audit.PolicyPeer{Namespaces: sel(nil, audit.Requirement{Key: "team", Operator: "In", Values: []string{"research"}})})),
		// Unattributed: SEG708 only.
		{Resource: 3, Path: "nobody", Direction: audit.Egress},
	}
	p := "SEG806 kubernetes_network_policy_v1.prod "
	wantFindings(t, "SEG806", kubeFindings(f),
		p+"cidr dev", p+"no-peers", p+"empty-peer", p+"every-namespace", p+"env-label staging", p+"env-in dev",
		p+"env-notin", p+"by-name dev", p+"by-team dev", p+"flow-every-port shared", p+"flow-wrong-way shared",
		p+"internet-all shared",
	)
}

func TestSelectorMatches(t *testing.T) {
	labels := map[string]string{"a": "1", "b": "2"}
	for _, tc := range []struct {
		sel  audit.Selector
		want bool
	}{
		{audit.Selector{}, true},
		{audit.Selector{MatchLabels: map[string]string{"a": "1"}}, true},
		{audit.Selector{MatchLabels: map[string]string{"a": "2"}}, false},
		{audit.Selector{Expressions: []audit.Requirement{{Key: "b", Operator: "In", Values: []string{"1", "2"}}}}, true},
		{audit.Selector{Expressions: []audit.Requirement{{Key: "b", Operator: "NotIn", Values: []string{"2"}}}}, false},
		{audit.Selector{Expressions: []audit.Requirement{{Key: "c", Operator: "NotIn", Values: []string{"2"}}}}, true},
		{audit.Selector{Expressions: []audit.Requirement{{Key: "c", Operator: "Exists"}}}, false},
		{audit.Selector{Expressions: []audit.Requirement{{Key: "c", Operator: "DoesNotExist"}}}, true},
		{audit.Selector{Expressions: []audit.Requirement{{Key: "a", Operator: "Gt", Values: []string{"0"}}}}, false},
	} {
		if got := tc.sel.Matches(labels); got != tc.want {
			t.Errorf("%+v matches %v = %v, want %v", tc.sel, labels, got, tc.want)
		}
	}
}

// TestAuditReportsSEG801AndSEG803: the audit reports the two provider
// rules it checks on hand-written objects, so waivers may name them.
func TestAuditReportsSEG801AndSEG803(t *testing.T) {
	ids := rules.AuditedIDs()
	for _, id := range []string{"SEG701", "SEG709", "SEG801", "SEG802", "SEG803", "SEG806"} {
		if !slices.Contains(ids, id) {
			t.Errorf("the audit does not report %s: %v", id, ids)
		}
	}
	if slices.Contains(ids, "SEG101") || slices.Contains(ids, "SEG804") {
		t.Errorf("the audit reports a provider rule it does not check: %v", ids)
	}
}

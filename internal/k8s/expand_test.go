package k8s

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

func sampleInput(tier segment.Tier, access segment.Access) Input {
	return Input{
		Environment: "prod", Tier: tier, HumanAccess: access,
		Namespaces: segment.DefaultNamespaces(tier),
		Ingress: []segment.Ingress{
			{Name: "z-api", Port: 8443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("192.0.2.0/24")}},
			{Name: "a-api", Port: 443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}},
		},
		Pools: []Pool{
			{Purpose: segment.Inference, GPUs: 1, VCPUs: 8, MemoryGiB: 32, MaxNodes: 8, Taints: []Toleration{{Key: "nvidia.com/gpu", Operator: "Equal", Value: "present", Effect: "NoSchedule"}, {Key: "segmented.io/environment", Operator: "Equal", Value: "prod", Effect: "NoSchedule"}}},
			{Purpose: segment.Training, GPUs: 8, VCPUs: 96, MemoryGiB: 1152, MaxNodes: 2, Taints: []Toleration{{Key: "nvidia.com/gpu", Operator: "Equal", Value: "present", Effect: "NoSchedule"}, {Key: "segmented.io/environment", Operator: "Equal", Value: "prod", Effect: "NoSchedule"}}},
			{Purpose: segment.Training, GPUs: 4, VCPUs: 48, MemoryGiB: 192, MaxNodes: 3, Taints: []Toleration{{Key: "nvidia.com/gpu", Operator: "Equal", Value: "present", Effect: "NoSchedule"}, {Key: "segmented.io/environment", Operator: "Equal", Value: "prod", Effect: "NoSchedule"}}},
		},
		Edge: Edge{
			Subjects: map[string]Subject{
				DataScientist: {Kind: "Group", Name: "acme-prod-data-scientist", Human: true},
				Auditor:       {Kind: "Group", Name: "acme-prod-auditor", Human: true},
				Deployer:      {Kind: "Group", Name: "acme-prod-deployer"},
			},
			Workloads: map[segment.NamespacePurpose]Workload{
				segment.TrainingNamespace: {Identity: "training"}, segment.InferenceNamespace: {Identity: "inference"},
			},
			EndpointCIDRs:     []string{"10.66.32.0/24", "10.66.33.0/24"},
			EndpointServices:  []string{"s3"},
			IdentityEndpoints: []Endpoint{{CIDR: "169.254.170.23/32", Port: 80}},
		},
	}
}

// TestLayerInvariants holds every layer, whatever the tier and access, to
// what the issue asks: restricted workload namespaces with pinned versions,
// a default deny everywhere, no rule without peers and ports, no wildcard,
// no token automounting, the system namespace only with GPU pools.
func TestLayerInvariants(t *testing.T) {
	for _, tier := range segment.Tiers() {
		for _, access := range segment.AccessLevels() {
			for _, pools := range []bool{true, false} {
				in := sampleInput(tier, access)
				if !pools {
					in.Pools = nil
				}
				l := Expand(in)
				name := string(tier) + "/" + string(access)
				hasSystem := false
				for _, ns := range l.Namespaces {
					if ns.Purpose == SystemPurpose {
						hasSystem = true
						if ns.Exception == nil || ns.Labels[PodSecurityPrefix+"audit"] != "restricted" || ns.Labels[PodSecurityPrefix+"warn"] != "restricted" {
							t.Errorf("%s: system namespace without a recorded exception or restricted audit and warn: %+v", name, ns)
						}
						continue
					}
					for _, mode := range []string{"enforce", "audit", "warn"} {
						if ns.Labels[PodSecurityPrefix+mode] != "restricted" || ns.Labels[PodSecurityPrefix+mode+"-version"] != PodSecurityVersion {
							t.Errorf("%s: namespace %s: %s not at restricted %s: %v", name, ns.Name, mode, PodSecurityVersion, ns.Labels)
						}
					}
					if ns.Exception != nil || ns.Labels[EnvironmentLabel] != "prod" || ns.Quota["requests."+GPUResource] == "" {
						t.Errorf("%s: namespace %s: %+v", name, ns.Name, ns)
					}
				}
				if hasSystem != pools {
					t.Errorf("%s: system namespace %v with pools %v", name, hasSystem, pools)
				}
				denied := map[string]bool{}
				for _, p := range l.NetworkPolicies {
					if p.Name == defaultDenyPurpose && len(p.PodSelector) == 0 && slices.Equal(p.PolicyTypes, []string{Ingress, Egress}) && len(p.Ingress)+len(p.Egress) == 0 {
						for _, ns := range p.Namespaces {
							denied[ns] = true
						}
					}
					if len(p.Namespaces) == 0 || !slices.IsSorted(p.Namespaces) || p.Key != p.Name {
						t.Errorf("%s: policy %s: namespaces %v", name, p.Key, p.Namespaces)
					}
					for _, r := range slices.Concat(p.Ingress, p.Egress) {
						if len(r.Peers) == 0 || len(r.Ports) == 0 {
							t.Errorf("%s: policy %s has a rule without peers or ports: %+v", name, p.Key, r)
						}
					}
					if len(p.Ingress) > 0 && !slices.Contains(p.PolicyTypes, Ingress) || len(p.Egress) > 0 && !slices.Contains(p.PolicyTypes, Egress) {
						t.Errorf("%s: policy %s has rules of a direction it does not isolate", name, p.Key)
					}
				}
				for _, ns := range l.Namespaces {
					if !denied[ns.Name] {
						t.Errorf("%s: namespace %s has no default deny", name, ns.Name)
					}
				}
				for _, r := range l.Roles {
					for _, rule := range r.Rules {
						if hasWildcard(rule) || slices.Contains(rule.Resources, "secrets") || slices.Contains(rule.Resources, "serviceaccounts") && writes(rule) {
							t.Errorf("%s: role %s: %+v", name, r.Key, rule)
						}
					}
				}
				roleIn := map[string]bool{}
				for _, r := range l.Roles {
					for _, ns := range r.Namespaces {
						roleIn[ns+"/"+r.Name] = true
						if !slices.ContainsFunc(l.Namespaces, func(n Namespace) bool { return n.Name == ns }) {
							t.Errorf("%s: role %s in a namespace the layer does not have: %s", name, r.Name, ns)
						}
					}
					if r.Name != RoleAuditor && slices.Contains(r.Namespaces, SystemNamespace) {
						t.Errorf("%s: role %s in the system namespace", name, r.Name)
					}
				}
				for _, b := range l.RoleBindings {
					if !roleIn[b.Namespace+"/"+b.Role] {
						t.Errorf("%s: binding %s names role %s, which its namespace lacks", name, b.Key, b.Role)
					}
				}
				for _, sa := range l.ServiceAccounts {
					if sa.AutomountToken {
						t.Errorf("%s: service account %s mounts its token", name, sa.Key)
					}
				}
			}
		}
	}
}

// TestBindingsFollowTheTier: the data scientists edit where they write,
// view where they read, and are not bound where they have no access; the
// deployer is bound in the workload namespaces only, the auditor
// everywhere, read-only.
func TestBindingsFollowTheTier(t *testing.T) {
	for access, role := range map[segment.Access]string{segment.WriteAccess: RoleEditor, segment.ReadAccess: RoleViewer, segment.NoAccess: ""} {
		l := Expand(sampleInput(segment.Staging, access))
		byIdentity := map[string][]RoleBinding{}
		for _, b := range l.RoleBindings {
			byIdentity[*b.Subjects[0].Identity] = append(byIdentity[*b.Subjects[0].Identity], b)
		}
		workload := 0
		for _, ns := range l.Namespaces {
			if ns.Purpose != SystemPurpose {
				workload++
			}
		}
		if role == "" && len(byIdentity[DataScientist]) != 0 {
			t.Errorf("%s: data scientists bound: %+v", access, byIdentity[DataScientist])
		}
		for _, b := range byIdentity[DataScientist] {
			if b.Role != role {
				t.Errorf("%s: data scientists get %s, want %s", access, b.Role, role)
			}
		}
		if role != "" && len(byIdentity[DataScientist]) != workload {
			t.Errorf("%s: data scientists bound in %d namespaces, want %d", access, len(byIdentity[DataScientist]), workload)
		}
		for _, b := range byIdentity[Deployer] {
			if b.Namespace == SystemNamespace || b.Role != RoleDeployer {
				t.Errorf("deployer bound to %s in %s", b.Role, b.Namespace)
			}
		}
		if len(byIdentity[Deployer]) != workload || len(byIdentity[Auditor]) != len(l.Namespaces) {
			t.Errorf("%s: deployer in %d, auditor in %d of %d namespaces", access, len(byIdentity[Deployer]), len(byIdentity[Auditor]), len(l.Namespaces))
		}
	}
}

// TestQuotasAndTolerationsComeFromThePools: a namespace's GPU quota is what
// the pools of its purpose serve at their maximum size, unless the user
// caps it; its workloads tolerate those pools' taints.
func TestQuotasAndTolerationsComeFromThePools(t *testing.T) {
	in := sampleInput(segment.Production, segment.NoAccess)
	in.Namespaces = []segment.Namespace{{Purpose: segment.TrainingNamespace}, {Purpose: segment.InferenceNamespace, GPUQuota: new(int)}, {Purpose: segment.PipelinesNamespace}}
	*in.Namespaces[1].GPUQuota = 3
	l := Expand(in)
	want := map[string]struct {
		gpus, cpu, memory string
		tolerations       int
	}{
		"training":   {"28", "336", "2880Gi", 2},
		"inference":  {"3", "64", "256Gi", 2},
		"pipelines":  {"0", "8", "32Gi", 0},
		"gpu-system": {"0", "6500m", "3328Mi", 2},
	}
	for _, ns := range l.Namespaces {
		w, ok := want[ns.Name]
		if !ok {
			t.Errorf("unexpected namespace %s", ns.Name)
			continue
		}
		if ns.Quota["requests."+GPUResource] != w.gpus || ns.Quota["requests.cpu"] != w.cpu || ns.Quota["limits.memory"] != w.memory || len(ns.Tolerations) != w.tolerations {
			t.Errorf("%s: quota %v, tolerations %v; want %+v", ns.Name, ns.Quota, ns.Tolerations, w)
		}
	}
	if got := Capacity(in.Pools)[segment.Training].GPUs; got != 28 {
		t.Errorf("Capacity(training) = %d GPUs, want 28", got)
	}
}

// TestEntryPointsAndEndpoints: the inference namespace admits each entry
// point's ranges on its port, in a stable order; every workload namespace
// reaches DNS and the private endpoints, and nothing else by default.
func TestEntryPointsAndEndpoints(t *testing.T) {
	l := Expand(sampleInput(segment.Production, segment.NoAccess))
	byKey := map[string]NetworkPolicy{}
	for _, p := range l.NetworkPolicies {
		byKey[p.Key] = p
	}
	entry, ok := byKey["allow-entry-points"]
	if !ok || !slices.Equal(entry.Namespaces, []string{"inference"}) || len(entry.Ingress) != 2 || entry.Ingress[0].Ports[0].Port != 443 || entry.Ingress[1].Ports[0].Port != 8443 ||
		*entry.Ingress[1].Peers[0].CIDR != "192.0.2.0/24" || *entry.Ingress[1].Peers[1].CIDR != "198.51.100.0/24" {
		t.Errorf("entry points policy: %+v", entry)
	}
	ep := byKey["allow-private-endpoints"]
	if !slices.Equal(ep.Namespaces, []string{"inference", "pipelines", "training"}) || len(ep.Egress) != 1 || len(ep.Egress[0].Peers) != 3 || ep.Egress[0].Peers[2].Service == nil || *ep.Egress[0].Peers[2].Service != "s3" {
		t.Errorf("private endpoints policy: %+v", ep)
	}
	id := byKey["allow-identity-endpoint"]
	if !slices.Equal(id.Namespaces, []string{"inference", "training"}) || len(id.Egress) != 1 || *id.Egress[0].Peers[0].CIDR != "169.254.170.23/32" || id.Egress[0].Ports[0].Port != 80 {
		t.Errorf("identity endpoint policy: %+v", id)
	}
	dns := byKey["allow-dns"]
	if !slices.Equal(dns.Namespaces, []string{"inference", "pipelines", "training"}) || len(dns.Egress) != 1 || *dns.Egress[0].Peers[0].Namespace != "kube-system" || dns.Egress[0].Peers[0].PodLabels["k8s-app"] != "kube-dns" {
		t.Errorf("DNS policy: %+v", dns)
	}
	for _, p := range l.NetworkPolicies {
		for _, r := range p.Egress {
			for _, x := range r.Peers {
				if x.Namespace != nil && *x.Namespace != "kube-system" {
					t.Errorf("policy %s lets pods reach namespace %s", p.Key, *x.Namespace)
				}
			}
		}
	}
}

func TestFlowPolicies(t *testing.T) {
	src := FlowSide{Environment: "prod", Namespaces: []segment.NamespacePurpose{segment.InferenceNamespace, segment.TrainingNamespace}}
	dst := FlowSide{Environment: "shared", Namespaces: []segment.NamespacePurpose{segment.PipelinesNamespace, segment.TelemetryNamespace}}
	senders, receivers := FlowNamespaces(segment.Telemetry)
	sp, dp, err := FlowPolicies(src, dst, netip.MustParsePrefix("10.66.0.0/16"), netip.MustParsePrefix("10.67.0.0/16"), "telemetry", senders, receivers, 4317, 4318)
	if err != nil {
		t.Fatal(err)
	}
	if len(sp) != 1 || !slices.Equal(sp[0].Namespaces, []string{"inference", "training"}) || len(dp) != 1 || !slices.Equal(dp[0].Namespaces, []string{"telemetry"}) || *dp[0].Ingress[0].Peers[0].CIDR != "10.66.0.0/16" ||
		*sp[0].Egress[0].Peers[0].CIDR != "10.67.0.0/16" || *sp[0].Egress[0].Ports[0].EndPort != 4318 {
		t.Errorf("telemetry policies: src %+v, dst %+v", sp, dp)
	}
	dst.Namespaces = []segment.NamespacePurpose{segment.PipelinesNamespace}
	if _, _, err := FlowPolicies(src, dst, netip.MustParsePrefix("10.66.0.0/16"), netip.MustParsePrefix("10.67.0.0/16"), "telemetry", senders, receivers, 4317, 4318); err == nil || !strings.Contains(err.Error(), "shared has no telemetry namespace") {
		t.Errorf("no receiver: err = %v", err)
	}
	senders, receivers = FlowNamespaces(segment.Deploy)
	sp, dp, err = FlowPolicies(dst, src, netip.MustParsePrefix("10.67.0.0/16"), netip.MustParsePrefix("10.66.0.0/16"), "deploy", senders, receivers, 443, 443)
	if err != nil || len(sp) != 1 || !slices.Equal(sp[0].Namespaces, []string{"pipelines"}) || len(dp) != 0 || sp[0].Egress[0].Ports[0].EndPort != nil {
		t.Errorf("deploy: %+v %+v %v", sp, dp, err)
	}
	if s, r := FlowNamespaces(segment.ModelPromotion); s != nil || r != nil {
		t.Error("a model promotion opens a connection")
	}
}

// TestExpandIsDeterministic: the order of the inputs does not change the layer.
func TestExpandIsDeterministic(t *testing.T) {
	a := sampleInput(segment.Development, segment.WriteAccess)
	b := sampleInput(segment.Development, segment.WriteAccess)
	slices.Reverse(b.Namespaces)
	slices.Reverse(b.Ingress)
	slices.Reverse(b.Pools)
	ja, _ := json.Marshal(Expand(a))
	jb, _ := json.Marshal(Expand(b))
	if string(ja) != string(jb) {
		t.Errorf("reordered inputs give another layer:\n%s\n%s", ja, jb)
	}
}

func TestTaintEffect(t *testing.T) {
	for in, want := range map[string]string{"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"} {
		if got := TaintEffect(in); got != want {
			t.Errorf("TaintEffect(%s) = %s, want %s", in, got, want)
		}
	}
}

// hasWildcard reports whether a rule names every API group, resource or verb.
func hasWildcard(r RoleRule) bool {
	return slices.Contains(r.APIGroups, "*") || slices.Contains(r.Resources, "*") || slices.Contains(r.Verbs, "*")
}

// writes reports whether a rule lets its subject change anything.
func writes(r RoleRule) bool {
	return slices.ContainsFunc(r.Verbs, func(v string) bool { return !slices.Contains(ReadVerbs, v) })
}

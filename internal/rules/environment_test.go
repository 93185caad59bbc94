package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/catalog"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// describe renders findings for failure messages.
func describe(fs []Finding) string {
	if len(fs) == 0 {
		return "no findings"
	}
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s %s at %s: %s", f.Rule.ID, f.Rule.Severity, f.Path, f.Message)
	}
	return b.String()
}

// TestCleanEnvironments holds the "defaults are secure" promise: a complete,
// valid environment of every tier and a minimal one (required inputs only,
// everything else at the tier's default) plan without a single finding.
func TestCleanEnvironments(t *testing.T) {
	check := func(t *testing.T, env segment.Environment) {
		t.Helper()
		res := testkit.Must(CheckEnvironment(env))
		if len(res.Findings) != 0 {
			t.Errorf("findings: %s", describe(res.Findings))
		}
		if len(res.Waived) != 0 {
			t.Errorf("waived findings: %s", describe(res.Waived))
		}
		if len(res.UnusedWaivers) != 0 {
			t.Errorf("unused waivers: %v", res.UnusedWaivers)
		}
		if res.Errors() {
			t.Error("Errors() = true for a clean environment")
		}
	}
	for _, tier := range []segment.Tier{segment.Development, segment.Staging, segment.Production, segment.Shared} {
		t.Run("clean/"+string(tier), func(t *testing.T) { check(t, cleanEnvironment(tier)) })
	}
	for _, tier := range segment.Tiers() {
		t.Run("minimal/"+string(tier), func(t *testing.T) {
			env := minimalEnvironment(tier)
			if len(env.GPUNodePools) != 0 || len(env.Ingress) != 0 || env.CISubject != "" || len(env.Waivers) != 0 {
				t.Fatalf("minimal environment is not minimal: %+v", env)
			}
			check(t, env)
		})
	}
}

func TestCleanHelpers(t *testing.T) {
	// The helpers must build what the tests claim they build.
	prod := cleanProduction()
	if prod.Organization != "acme" || prod.Name != "prod" || prod.Tier != segment.Production ||
		prod.Cloud != segment.AWS || prod.Region != "us-east-1" || prod.AccountID != "333333333333" ||
		prod.CIDR != netip.MustParsePrefix("10.66.0.0/16") ||
		!slices.Equal(prod.Zones, []string{"us-east-1a", "us-east-1b", "us-east-1c"}) ||
		prod.CISubject != "repo:acme/ml:environment:prod" || prod.CIOIDCProvider != "token.actions.githubusercontent.com" {
		t.Errorf("cleanProduction() = %+v", prod)
	}
	d := testkit.Must(segment.Production.Defaults())
	if prod.DataClassification != d.DataClassification || prod.HumanAccess != d.HumanAccess ||
		prod.LogRetentionDays != d.LogRetentionDays || prod.KeyRotationDays != d.KeyRotationDays ||
		prod.KeyDeletionWindowDays != d.KeyDeletionWindowDays {
		t.Errorf("cleanProduction() does not use the production defaults: %+v", prod)
	}
	if len(prod.GPUNodePools) != 1 || prod.GPUNodePools[0] != gpuPool("inference", "g5.2xlarge", 1, 8, segment.Inference) {
		t.Errorf("cleanProduction() pools = %+v", prod.GPUNodePools)
	}
	if len(prod.Ingress) != 1 || prod.Ingress[0].Name != "inference-api" || prod.Ingress[0].Port != 443 ||
		!slices.Equal(prod.Ingress[0].FromCIDRs, prefixes("203.0.113.0/24")) {
		t.Errorf("cleanProduction() ingress = %+v", prod.Ingress)
	}
	if cleanStaging().Tier != segment.Staging || cleanDevelopment().Tier != segment.Development {
		t.Error("cleanStaging or cleanDevelopment has the wrong tier")
	}
}

// want is one expected finding.
type want struct {
	rule     string
	path     string
	severity Severity
}

// ruleCase is one mutation of a clean environment. A case with no want is a
// near miss: the mutated environment must give no finding at all.
type ruleCase struct {
	rule   string // the rule the case exercises
	name   string
	base   func() segment.Environment
	mutate func(*segment.Environment)
	want   []want   // in the order CheckEnvironment sorts findings
	msg    []string // substrings of the first finding's message
	check  func(t *testing.T, f Finding)
}

func (c ruleCase) triggers() bool { return len(c.want) > 0 }

func setCIDR(s string) func(*segment.Environment) {
	return func(e *segment.Environment) { e.CIDR = netip.MustParsePrefix(s) }
}

func setPools(pools ...segment.NodePool) func(*segment.Environment) {
	return func(e *segment.Environment) { e.GPUNodePools = pools }
}

func setIngress(in ...segment.Ingress) func(*segment.Environment) {
	return func(e *segment.Environment) { e.Ingress = in }
}

func addIngress(in segment.Ingress) func(*segment.Environment) {
	return func(e *segment.Environment) { e.Ingress = append(e.Ingress, in) }
}

func all(fs ...func(*segment.Environment)) func(*segment.Environment) {
	return func(e *segment.Environment) {
		for _, f := range fs {
			f(e)
		}
	}
}

func spot(p segment.NodePool) segment.NodePool { p.Spot = true; return p }

func ruleCases() []ruleCase {
	prod, staging, dev := cleanProduction, cleanStaging, cleanDevelopment
	shared := func() segment.Environment { return cleanEnvironment(segment.Shared) }
	inference := gpuPool("inference", "g5.2xlarge", 1, 8, segment.Inference)
	training := gpuPool("training", "p4d.24xlarge", 0, 4, segment.Training)
	smallPool := func(maxSize int) segment.NodePool {
		return gpuPool("inference", "g5.2xlarge", 0, maxSize, segment.Inference)
	}
	sizes := func(minSize, maxSize int) func(*segment.Environment) {
		return setPools(gpuPool("inference", "g5.2xlarge", minSize, maxSize, segment.Inference))
	}
	instance := func(t string) func(*segment.Environment) {
		return setPools(gpuPool("inference", t, 1, 8, segment.Inference))
	}
	subject := func(s string) func(*segment.Environment) { return func(e *segment.Environment) { e.CISubject = s } }
	access := func(a segment.Access) func(*segment.Environment) {
		return func(e *segment.Environment) { e.HumanAccess = a }
	}
	rotation := func(d int) func(*segment.Environment) { return func(e *segment.Environment) { e.KeyRotationDays = d } }
	window := func(d int) func(*segment.Environment) {
		return func(e *segment.Environment) { e.KeyDeletionWindowDays = d }
	}
	retention := func(d int) func(*segment.Environment) { return func(e *segment.Environment) { e.LogRetentionDays = d } }
	adminPort := func(port int, from ...string) segment.Ingress {
		return segment.Ingress{Name: fmt.Sprintf("port-%d", port), Port: port, FromCIDRs: prefixes(from...)}
	}

	return []ruleCase{
		// SEG101: cidr not a private range.
		{rule: "SEG101", name: "public documentation range", base: prod,
			mutate: all(setCIDR("203.0.113.0/24"), setPools(smallPool(2))),
			want:   []want{{"SEG101", "cidr", Error}}, msg: []string{"203.0.113.0/24"}},
		{rule: "SEG101", name: "just above 172.16.0.0/12", base: prod, mutate: setCIDR("172.32.0.0/16"),
			want: []want{{"SEG101", "cidr", Error}}},
		{rule: "SEG101", name: "straddles 10.0.0.0/8", base: prod, mutate: setCIDR("10.0.0.0/7"),
			want: []want{{"SEG101", "cidr", Error}, {"SEG104", "cidr", Error}}},
		{rule: "SEG101", name: "RFC 6598 is private", base: prod, mutate: setCIDR("100.64.0.0/16")},
		{rule: "SEG101", name: "top of 172.16.0.0/12 is private", base: prod, mutate: setCIDR("172.31.0.0/16")},
		{rule: "SEG101", name: "192.168.0.0/16 is private", base: prod, mutate: setCIDR("192.168.0.0/16")},

		// SEG102: cidr too small for the subnets.
		{rule: "SEG102", name: "/25 cannot carve 3 zones", base: prod, mutate: all(setCIDR("10.0.0.0/25"), setPools()),
			want: []want{{"SEG102", "cidr", Error}}, msg: []string{"10.0.0.0/25", "3 zones", "/24"}},
		{rule: "SEG102", name: "/24 with max_size 100 lacks capacity", base: prod,
			mutate: all(setCIDR("10.0.0.0/24"), setPools(smallPool(100))),
			want:   []want{{"SEG102", "cidr", Error}}, msg: []string{"10.0.0.0/24", "100 GPU nodes", "3200"}},
		{rule: "SEG102", name: "/24 with max_size 3 lacks capacity by one node", base: prod,
			mutate: all(setCIDR("10.0.0.0/24"), setPools(smallPool(3))),
			want:   []want{{"SEG102", "cidr", Error}}, msg: []string{"offer 81 addresses", "need 96"}},
		{rule: "SEG102", name: "capacity counts every pool", base: prod,
			mutate: all(setCIDR("10.0.0.0/24"), setPools(smallPool(2), gpuPool("training", "p4d.24xlarge", 0, 1, segment.Training))),
			want:   []want{{"SEG102", "cidr", Error}}, msg: []string{"3 GPU nodes"}},
		{rule: "SEG102", name: "/24 with 3 zones and max_size 2 fits", base: prod,
			mutate: all(setCIDR("10.0.0.0/24"), setPools(smallPool(2)))},
		{rule: "SEG102", name: "/24 with one zone and no pools fits", base: prod,
			mutate: all(setCIDR("10.0.0.0/24"), setPools(), func(e *segment.Environment) { e.Zones = e.Zones[:1] })},

		// SEG103: ingress from a public range to an administrative port.
		{rule: "SEG103", name: "SSH from anywhere", base: prod, mutate: setIngress(adminPort(22, "0.0.0.0/0")),
			want: []want{{"SEG103", "ingress[0].from_cidrs[0]", Error}}, msg: []string{"port 22", "SSH", "0.0.0.0/0"}},
		{rule: "SEG103", name: "second entry, second source", base: prod, mutate: addIngress(adminPort(22, "10.0.0.0/8", "0.0.0.0/0")),
			want: []want{{"SEG103", "ingress[1].from_cidrs[1]", Error}}},
		{rule: "SEG103", name: "RDP from a public range", base: prod, mutate: setIngress(adminPort(3389, "198.51.100.0/24")),
			want: []want{{"SEG103", "ingress[0].from_cidrs[0]", Error}}, msg: []string{"RDP"}},
		{rule: "SEG103", name: "Kubernetes API from a public range", base: prod, mutate: setIngress(adminPort(6443, "198.51.100.0/24")),
			want: []want{{"SEG103", "ingress[0].from_cidrs[0]", Error}}, msg: []string{"Kubernetes API"}},
		{rule: "SEG103", name: "kubelet from a public range", base: prod, mutate: setIngress(adminPort(10250, "198.51.100.0/24")),
			want: []want{{"SEG103", "ingress[0].from_cidrs[0]", Error}}, msg: []string{"kubelet"}},
		{rule: "SEG103", name: "applies in development too", base: dev, mutate: setIngress(adminPort(22, "0.0.0.0/0")),
			want: []want{{"SEG103", "ingress[0].from_cidrs[0]", Error}}},
		{rule: "SEG103", name: "SSH from a private range", base: prod, mutate: setIngress(adminPort(22, "10.0.0.0/8"))},
		{rule: "SEG103", name: "HTTPS from anywhere", base: prod, mutate: setIngress(adminPort(443, "0.0.0.0/0"))},

		// SEG201: human write access in production.
		{rule: "SEG201", name: "write in production", base: prod, mutate: access(segment.WriteAccess),
			want: []want{{"SEG201", "human_access", Error}, {"SEG803", "human_access", Error}}, msg: []string{`"write"`}},
		{rule: "SEG201", name: "write in development", base: dev, mutate: access(segment.WriteAccess)},
		{rule: "SEG201", name: "write in staging", base: staging, mutate: access(segment.WriteAccess)},
		{rule: "SEG201", name: "read in production", base: prod, mutate: access(segment.ReadAccess)},

		// SEG202: CI subject with a wildcard or not pinned to the environment.
		{rule: "SEG202", name: "wildcard repository", base: prod, mutate: subject("repo:acme/*:environment:prod"),
			want: []want{{"SEG202", "ci_subject", Error}}, msg: []string{"wildcard"}},
		{rule: "SEG202", name: "single-character wildcard", base: prod, mutate: subject("repo:acme/ml:environment:pro?"),
			want: []want{{"SEG202", "ci_subject", Error}}, msg: []string{"wildcard"}},
		{rule: "SEG202", name: "branch, not environment", base: prod, mutate: subject("repo:acme/ml:ref:refs/heads/main"),
			want: []want{{"SEG202", "ci_subject", Error}}, msg: []string{`does not name the environment "prod"`}},
		{rule: "SEG202", name: "prod only as a substring", base: prod, mutate: subject("repo:acme/ml:environment:production-eu"),
			want: []want{{"SEG202", "ci_subject", Error}}},
		{rule: "SEG202", name: "another environment's subject", base: staging, mutate: subject("repo:acme/ml:environment:prod"),
			want: []want{{"SEG202", "ci_subject", Error}}},
		{rule: "SEG202", name: "no subject, no deployer", base: prod, mutate: subject("")},
		{rule: "SEG202", name: "pinned subject", base: prod, mutate: subject("repo:acme/ml:environment:prod")},

		// SEG203: an identity name longer than the cloud allows.
		{rule: "SEG203", name: "long name on Google Cloud", base: prod, mutate: onGCP("production-europe"),
			want: []want{{"SEG203", "name", Error}}, msg: []string{`"acme-production-europe-data-scientist"`, "37 characters", "Google Cloud allows 30"}},
		{rule: "SEG203", name: "short name on Google Cloud", base: prod, mutate: onGCP("prod")},
		{rule: "SEG203", name: "long entry point name on Google Cloud", base: prod, mutate: func(e *segment.Environment) {
			onGCP("prod-euro")(e) // the longest prefix a service account ID allows
			e.Ingress = []segment.Ingress{{Name: "the-inference-api-of-production1", Port: 443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}}}
		}, want: []want{{"SEG203", "ingress[0].name", Error}}, msg: []string{"shorten the entry point's name by 1"}},
		{rule: "SEG203", name: "entry point name that fits", base: prod, mutate: func(e *segment.Environment) {
			onGCP("prod-euro")(e)
			e.Ingress = []segment.Ingress{{Name: "the-inference-api-of-production", Port: 443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}}}
		}},
		{rule: "SEG203", name: "long name on AWS", base: prod, mutate: func(e *segment.Environment) {
			e.Name, e.CISubject = "production-europe", "repo:acme/ml:environment:production-europe"
		}},

		// SEG301: rotation longer than the tier allows.
		{rule: "SEG301", name: "production 180 days", base: prod, mutate: rotation(180),
			want: []want{{"SEG301", "key_rotation_days", Error}}, msg: []string{"180", "90"}},
		{rule: "SEG301", name: "development 366 days", base: dev, mutate: rotation(366),
			want: []want{{"SEG301", "key_rotation_days", Error}}},
		{rule: "SEG301", name: "production 90 days", base: prod, mutate: rotation(90)},
		{rule: "SEG301", name: "shared 180 days", base: shared, mutate: rotation(180)},

		// SEG302: deletion window below the tier minimum.
		{rule: "SEG302", name: "production 7 days", base: prod, mutate: window(7),
			want: []want{{"SEG302", "key_deletion_window_days", Error}}, msg: []string{"7", "30"}},
		{rule: "SEG302", name: "staging 6 days", base: staging, mutate: window(6),
			want: []want{{"SEG302", "key_deletion_window_days", Error}}},
		{rule: "SEG302", name: "production 30 days", base: prod, mutate: window(30)},
		{rule: "SEG302", name: "staging 7 days", base: staging, mutate: window(7)},

		// SEG401: not a GPU instance type of the cloud.
		{rule: "SEG401", name: "CPU type", base: prod, mutate: instance("m5.large"),
			want: []want{{"SEG401", "gpu_node_pools[0].instance_type", Error}},
			msg:  []string{`"m5.large" is not a GPU instance type of aws`}, check: plausibleSuggestions},
		{rule: "SEG401", name: "typo", base: prod, mutate: instance("g5.2xlarg"),
			want: []want{{"SEG401", "gpu_node_pools[0].instance_type", Error}},
			msg:  []string{"Did you mean", "g5.2xlarge"}, check: plausibleSuggestions},
		{rule: "SEG401", name: "case matters", base: prod, mutate: instance("G5.2XLARGE"),
			want: []want{{"SEG401", "gpu_node_pools[0].instance_type", Error}},
			msg:  []string{"Did you mean g5.2xlarge"}, check: plausibleSuggestions},
		{rule: "SEG401", name: "nothing close", base: prod, mutate: instance("xyz"),
			want: []want{{"SEG401", "gpu_node_pools[0].instance_type", Error}}, check: plausibleSuggestions},
		{rule: "SEG401", name: "second pool", base: prod, mutate: setPools(inference, gpuPool("training", "p9.huge", 0, 1, segment.Training)),
			want: []want{{"SEG401", "gpu_node_pools[1].instance_type", Error}}},
		{rule: "SEG401", name: "p4d.24xlarge", base: prod, mutate: instance("p4d.24xlarge")},
		{rule: "SEG401", name: "arm64 g5g.xlarge", base: prod, mutate: instance("g5g.xlarge")},

		// SEG402: pool size inverted or out of bounds.
		{rule: "SEG402", name: "min above max", base: prod, mutate: sizes(9, 8),
			want: []want{{"SEG402", "gpu_node_pools[0].min_size", Error}}, msg: []string{"min_size = 9", "max_size = 8"}},
		{rule: "SEG402", name: "negative min", base: prod, mutate: sizes(-1, 8),
			want: []want{{"SEG402", "gpu_node_pools[0].min_size", Error}}},
		{rule: "SEG402", name: "max zero", base: prod, mutate: sizes(0, 0),
			want: []want{{"SEG402", "gpu_node_pools[0].max_size", Error}}},
		{rule: "SEG402", name: "max zero below min", base: prod, mutate: sizes(1, 0),
			want: []want{{"SEG402", "gpu_node_pools[0].max_size", Error}, {"SEG402", "gpu_node_pools[0].min_size", Error}}},
		{rule: "SEG402", name: "max 451", base: prod, mutate: sizes(1, 451),
			want: []want{{"SEG402", "gpu_node_pools[0].max_size", Error}}, msg: []string{"451", "450"}},
		{rule: "SEG402", name: "second pool", base: prod, mutate: setPools(inference, gpuPool("training", "p4d.24xlarge", 5, 4, segment.Training)),
			want: []want{{"SEG402", "gpu_node_pools[1].min_size", Error}}},
		{rule: "SEG402", name: "min = max = 450", base: prod, mutate: sizes(450, 450)},
		{rule: "SEG402", name: "min 0 max 1", base: prod, mutate: sizes(0, 1)},

		// SEG403: spot capacity for production inference.
		{rule: "SEG403", name: "production spot inference", base: prod, mutate: setPools(spot(inference)),
			want: []want{{"SEG403", "gpu_node_pools[0].spot", Warning}}, msg: []string{`"inference"`}},
		{rule: "SEG403", name: "second pool", base: prod, mutate: setPools(spot(training), spot(inference)),
			want: []want{{"SEG403", "gpu_node_pools[1].spot", Warning}}},
		{rule: "SEG403", name: "staging spot inference", base: staging, mutate: setPools(spot(inference))},
		{rule: "SEG403", name: "production spot training", base: prod, mutate: setPools(inference, spot(training))},

		// SEG404: duplicate pool name.
		{rule: "SEG404", name: "two pools, one name", base: prod, mutate: setPools(inference, inference),
			want: []want{{"SEG404", "gpu_node_pools[1].name", Error}}, msg: []string{"gpu_node_pools[0]"}},
		{rule: "SEG404", name: "three pools, one name", base: prod, mutate: setPools(inference, inference, inference),
			want: []want{{"SEG404", "gpu_node_pools[1].name", Error}, {"SEG404", "gpu_node_pools[2].name", Error}}},
		{rule: "SEG404", name: "first and third", base: prod, mutate: setPools(inference, training, inference),
			want: []want{{"SEG404", "gpu_node_pools[2].name", Error}}},
		{rule: "SEG404", name: "distinct names", base: prod, mutate: setPools(inference, training)},

		// SEG501: log retention below the tier minimum.
		{rule: "SEG501", name: "production 90 days", base: prod, mutate: retention(90),
			want: []want{{"SEG501", "log_retention_days", Error}}, msg: []string{"90", "365"}},
		{rule: "SEG501", name: "staging 29 days", base: staging, mutate: retention(29),
			want: []want{{"SEG501", "log_retention_days", Error}}},
		{rule: "SEG501", name: "production 365 days", base: prod, mutate: retention(365)},
		{rule: "SEG501", name: "staging 30 days", base: staging, mutate: retention(30)},

		// SEG801: a workload namespace below Pod Security restricted.
		{rule: "SEG801", name: "privileged training", base: dev, mutate: namespaces(ns(segment.TrainingNamespace, segment.PodSecurityPrivileged, nil), ns(segment.InferenceNamespace, "", nil)),
			want: []want{{"SEG801", "namespaces[0].pod_security", Error}}, msg: []string{`"training"`, "privileged"}},
		{rule: "SEG801", name: "baseline second namespace", base: prod, mutate: namespaces(ns(segment.InferenceNamespace, "", nil), ns(segment.PipelinesNamespace, segment.PodSecurityBaseline, nil)),
			want: []want{{"SEG801", "namespaces[1].pod_security", Error}}, msg: []string{"as root"}},
		{rule: "SEG801", name: "restricted spelled out", base: prod, mutate: namespaces(ns(segment.InferenceNamespace, segment.PodSecurityRestricted, nil))},
		{rule: "SEG801", name: "level left out", base: dev, mutate: namespaces(ns(segment.TrainingNamespace, "", nil))},

		// SEG803: people may write in a production namespace.
		{rule: "SEG803", name: "write in production, SEG201 aside", base: prod, mutate: access(segment.WriteAccess),
			want: []want{{"SEG201", "human_access", Error}, {"SEG803", "human_access", Error}}},
		{rule: "SEG201", name: "write in production without namespaces", base: prod, mutate: all(access(segment.WriteAccess), namespaces()),
			want: []want{{"SEG201", "human_access", Error}}},
		{rule: "SEG803", name: "read in production", base: prod, mutate: access(segment.ReadAccess)},
		{rule: "SEG803", name: "write in staging", base: staging, mutate: access(segment.WriteAccess)},

		// SEG804: a GPU quota larger than the pools can serve.
		{rule: "SEG804", name: "inference quota above 8 x 1", base: prod, mutate: namespaces(ns(segment.InferenceNamespace, "", ptrInt(9))),
			want: []want{{"SEG804", "namespaces[0].gpu_quota", Error}}, msg: []string{"9", "serve 8"}},
		{rule: "SEG804", name: "quota with no pool of the purpose", base: prod, mutate: namespaces(ns(segment.InferenceNamespace, "", nil), ns(segment.TrainingNamespace, "", ptrInt(1))),
			want: []want{{"SEG804", "namespaces[1].gpu_quota", Error}}, msg: []string{"no GPU pool serves training"}},
		{rule: "SEG804", name: "quota of exactly the pools", base: prod, mutate: all(setPools(inference, training), namespaces(ns(segment.InferenceNamespace, "", ptrInt(8)), ns(segment.TrainingNamespace, "", ptrInt(32))))},
		{rule: "SEG804", name: "zero where no pool serves", base: prod, mutate: namespaces(ns(segment.PipelinesNamespace, "", ptrInt(0)))},
	}
}

func namespaces(nss ...segment.Namespace) func(*segment.Environment) {
	return func(e *segment.Environment) { e.Namespaces = append([]segment.Namespace{}, nss...) }
}

func ns(p segment.NamespacePurpose, level segment.PodSecurityLevel, quota *int) segment.Namespace {
	return segment.Namespace{Purpose: p, PodSecurity: level, GPUQuota: quota}
}

func ptrInt(n int) *int { return &n }

// plausibleSuggestions checks that a SEG401 message suggests only real GPU
// types of the cloud, at most three, never the input itself, and never an
// empty "Did you mean" list.
func plausibleSuggestions(t *testing.T, f Finding) {
	t.Helper()
	_, list, ok := strings.Cut(f.Message, "Did you mean ")
	if !ok {
		if strings.Contains(f.Message, "Did you mean") {
			t.Errorf("malformed suggestion in %q", f.Message)
		}
		return
	}
	list, ok = strings.CutSuffix(list, "?")
	if !ok {
		t.Errorf("suggestion does not end with a question mark: %q", f.Message)
	}
	names := strings.Split(list, ", ")
	if len(names) == 0 || len(names) > 3 {
		t.Errorf("%d suggestions in %q, want 1 to 3", len(names), f.Message)
	}
	input, _, _ := strings.Cut(strings.TrimPrefix(f.Message, `"`), `"`)
	for _, n := range names {
		if _, known := catalog.Lookup("aws", n); !known {
			t.Errorf("suggestion %q in %q is not a GPU type of aws", n, f.Message)
		}
		if n == input {
			t.Errorf("suggests the rejected input %q itself", n)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
		t.Errorf("duplicate suggestions in %q", f.Message)
	}
}

// checkDiagnostic checks what a diagnostic built from f tells the user.
func checkDiagnostic(t *testing.T, f Finding) {
	t.Helper()
	if !strings.HasPrefix(f.Summary(), f.Rule.ID+": ") {
		t.Errorf("Summary() = %q, want it to start with %q", f.Summary(), f.Rule.ID+": ")
	}
	detail := f.Detail()
	for _, part := range []string{f.Message, "CWE-", f.Rule.CWEID(), f.Rule.CWEName(), f.Rule.Remediation} {
		if !strings.Contains(detail, part) {
			t.Errorf("Detail() = %q, want it to contain %q", detail, part)
		}
	}
	if f.Rule.Waivable {
		if advice := fmt.Sprintf("waivers = [{ rule = %q", f.Rule.ID); !strings.Contains(detail, advice) {
			t.Errorf("Detail() = %q, want the waiver advice %q", detail, advice)
		}
	}
	if root := f.Path[0].Name; !strings.Contains(f.Rule.Remediation, root) {
		t.Errorf("%s remediation %q does not name the attribute %q", f.Rule.ID, f.Rule.Remediation, root)
	}
	if f.Message == "" {
		t.Error("empty message")
	}
}

// TestRules runs every case of the table: a triggering case must give
// exactly the expected findings, a near miss none at all.
func TestRules(t *testing.T) {
	for _, tc := range allRuleCases() {
		kind := "near-miss"
		if tc.triggers() {
			kind = "triggers"
		}
		t.Run(tc.rule+"/"+kind+"/"+tc.name, func(t *testing.T) {
			env := tc.base()
			tc.mutate(&env)
			res := testkit.Must(CheckEnvironment(env))
			if len(res.Waived) != 0 || len(res.UnusedWaivers) != 0 {
				t.Errorf("no waivers given, but waived %s, unused %v", describe(res.Waived), res.UnusedWaivers)
			}
			if !tc.triggers() {
				if len(res.Findings) != 0 {
					t.Errorf("near miss gave %s", describe(res.Findings))
				}
				return
			}
			if len(res.Findings) != len(tc.want) {
				t.Fatalf("got %s\nwant %v", describe(res.Findings), tc.want)
			}
			wantErrors := false
			for i, w := range tc.want {
				f := res.Findings[i]
				if f.Rule.ID != w.rule || f.Path.String() != w.path || f.Rule.Severity != w.severity {
					t.Errorf("finding %d = %s %s at %q, want %s %s at %q", i, f.Rule.ID, f.Rule.Severity, f.Path, w.rule, w.severity, w.path)
				}
				if r, ok := Lookup(w.rule); !ok || r.Severity != w.severity {
					t.Errorf("catalog severity of %s is %q, the case expects %q", w.rule, r.Severity, w.severity)
				}
				wantErrors = wantErrors || w.severity == Error
				checkDiagnostic(t, f)
			}
			for _, m := range tc.msg {
				if !strings.Contains(res.Findings[0].Message, m) {
					t.Errorf("message %q does not contain %q", res.Findings[0].Message, m)
				}
			}
			if tc.check != nil {
				tc.check(t, res.Findings[0])
			}
			if res.Errors() != wantErrors {
				t.Errorf("Errors() = %v, want %v", res.Errors(), wantErrors)
			}
		})
	}
}

// TestEveryEnvironmentRuleHasCases fails when a rule of the catalog has no
// triggering case or no near miss in the table, so that a new rule cannot
// land without tests.
func TestEveryEnvironmentRuleHasCases(t *testing.T) {
	triggering, nearMiss := map[string]int{}, map[string]int{}
	for _, tc := range allRuleCases() {
		if _, ok := Lookup(tc.rule); !ok {
			t.Errorf("case %q names unknown rule %s", tc.name, tc.rule)
		}
		if tc.triggers() {
			triggering[tc.rule]++
			if !slices.ContainsFunc(tc.want, func(w want) bool { return w.rule == tc.rule }) {
				t.Errorf("triggering case %s/%q does not expect a finding of %s", tc.rule, tc.name, tc.rule)
			}
		} else {
			nearMiss[tc.rule]++
		}
	}
	n := 0
	for _, r := range Catalog() {
		if r.Scope != ScopeEnvironment {
			continue
		}
		n++
		if triggering[r.ID] == 0 {
			t.Errorf("environment rule %s has no triggering case in TestRules", r.ID)
		}
		if nearMiss[r.ID] == 0 {
			t.Errorf("environment rule %s has no near-miss case in TestRules", r.ID)
		}
	}
	if n == 0 {
		t.Fatal("the catalog has no environment rules")
	}
}

// TestNonWaivableDetail: the diagnostic of a rule that cannot be waived must
// not tell the user to add a waiver, which the provider's waiver validator
// then rejects ("Rule cannot be waived"); a waivable rule's does.
func TestNonWaivableDetail(t *testing.T) {
	for _, r := range Catalog() {
		if r.Scope != ScopeEnvironment {
			continue
		}
		f := Finding{Rule: r, Path: Root("cidr"), Message: "m"}
		if advises := strings.Contains(f.Detail(), "waivers = ["); advises != r.Waivable {
			t.Errorf("%s (waivable %v): Detail() advises a waiver: %v: %q", r.ID, r.Waivable, advises, f.Detail())
		}
	}
}

func TestWaivers(t *testing.T) {
	spotInference := func() segment.Environment {
		env := cleanProduction()
		env.GPUNodePools[0].Spot = true
		return env
	}

	t.Run("waiver moves the finding", func(t *testing.T) {
		env := spotInference()
		if res := testkit.Must(CheckEnvironment(env)); len(res.Findings) != 1 || res.Findings[0].Rule.ID != "SEG403" {
			t.Fatalf("without a waiver: %s", describe(res.Findings))
		}
		env.Waivers = []segment.Waiver{{Rule: "SEG403", Reason: "the service retries and tolerates interruption"}}
		res := testkit.Must(CheckEnvironment(env))
		if len(res.Findings) != 0 {
			t.Errorf("findings: %s", describe(res.Findings))
		}
		if len(res.Waived) != 1 || res.Waived[0].Rule.ID != "SEG403" || res.Waived[0].Path.String() != "gpu_node_pools[0].spot" {
			t.Errorf("waived: %s", describe(res.Waived))
		}
		if len(res.UnusedWaivers) != 0 {
			t.Errorf("unused waivers: %v", res.UnusedWaivers)
		}
		if res.Errors() {
			t.Error("Errors() = true")
		}
	})

	t.Run("case-insensitive", func(t *testing.T) {
		for _, id := range []string{"seg403", "Seg403", "SEG403"} {
			env := spotInference()
			env.Waivers = []segment.Waiver{{Rule: id, Reason: "tolerates interruption"}}
			res := testkit.Must(CheckEnvironment(env))
			if len(res.Findings) != 0 || len(res.Waived) != 1 || len(res.UnusedWaivers) != 0 {
				t.Errorf("waiver %q: findings %s, waived %s, unused %v", id, describe(res.Findings), describe(res.Waived), res.UnusedWaivers)
			}
		}
	})

	t.Run("unused waiver", func(t *testing.T) {
		env := spotInference()
		env.Waivers = []segment.Waiver{
			{Rule: "SEG403", Reason: "tolerates interruption"},
			{Rule: "SEG201", Reason: "nobody writes"},
			{Rule: "seg501", Reason: "retention is fine"},
		}
		res := testkit.Must(CheckEnvironment(env))
		if !slices.Equal(res.UnusedWaivers, []int{1, 2}) {
			t.Errorf("UnusedWaivers = %v, want [1 2]", res.UnusedWaivers)
		}
		if len(res.Findings) != 0 || len(res.Waived) != 1 {
			t.Errorf("findings %s, waived %s", describe(res.Findings), describe(res.Waived))
		}
	})

	t.Run("unused on a clean environment", func(t *testing.T) {
		env := cleanProduction()
		env.Waivers = []segment.Waiver{{Rule: "SEG403", Reason: "r"}}
		res := testkit.Must(CheckEnvironment(env))
		if !slices.Equal(res.UnusedWaivers, []int{0}) || len(res.Findings) != 0 || len(res.Waived) != 0 {
			t.Errorf("findings %s, waived %s, unused %v", describe(res.Findings), describe(res.Waived), res.UnusedWaivers)
		}
	})

	t.Run("a waiver covers every finding of its rule only", func(t *testing.T) {
		env := cleanProduction()
		env.GPUNodePools = []segment.NodePool{
			spot(gpuPool("a", "g5.2xlarge", 1, 2, segment.Inference)),
			spot(gpuPool("b", "g5.2xlarge", 1, 2, segment.Inference)),
		}
		env.LogRetentionDays = 30
		env.Waivers = []segment.Waiver{{Rule: "SEG403", Reason: "r"}}
		res := testkit.Must(CheckEnvironment(env))
		if len(res.Waived) != 2 {
			t.Errorf("waived %s, want both SEG403 findings", describe(res.Waived))
		}
		if len(res.Findings) != 1 || res.Findings[0].Rule.ID != "SEG501" || !res.Errors() {
			t.Errorf("findings %s, want SEG501 only", describe(res.Findings))
		}
	})
}

// TestNonWaivableRulesIgnoreWaivers: SEG102, SEG401, SEG402 and SEG404 cannot
// be waived (Rule.Waivable); a waiver for one of them must leave its finding
// standing, so the plan still fails with the rule rather than later with a
// blueprint error, or not at all.
func TestNonWaivableRulesIgnoreWaivers(t *testing.T) {
	env := cleanProduction()
	env.GPUNodePools[0].InstanceType = "m5.large"
	env.Waivers = []segment.Waiver{{Rule: "SEG401", Reason: "trust me"}}
	res := testkit.Must(CheckEnvironment(env))
	if len(res.Findings) != 1 || res.Findings[0].Rule.ID != "SEG401" || !res.Errors() {
		t.Errorf("findings %s, waived %s: a non-waivable rule was waived", describe(res.Findings), describe(res.Waived))
	}
}

// TestFindingsDeterministic checks that findings come out in one order: by
// rule ID, then path, then message, whatever order the checks produce them.
func TestFindingsDeterministic(t *testing.T) {
	build := func() segment.Environment {
		env := cleanProduction()
		env.CIDR = netip.MustParsePrefix("198.51.100.0/24")
		env.HumanAccess = segment.WriteAccess
		env.CISubject = "repo:acme/*"
		env.KeyRotationDays = 400
		env.KeyDeletionWindowDays = 7
		env.LogRetentionDays = 1
		env.GPUNodePools = []segment.NodePool{
			spot(gpuPool("web", "g5.2xlarge", 3, 2, segment.Inference)),
			gpuPool("web", "m5.large", -1, 500, segment.Training),
			spot(gpuPool("batch", "g5.2xlarg", 0, 0, segment.Inference)),
		}
		env.Ingress = []segment.Ingress{
			{Name: "ssh", Port: 22, FromCIDRs: prefixes("0.0.0.0/0", "198.51.100.0/24")},
			{Name: "k8s", Port: 6443, FromCIDRs: prefixes("192.0.2.0/24")},
		}
		return env
	}
	key := func(fs []Finding) []string {
		out := make([]string, 0, len(fs))
		for _, f := range fs {
			out = append(out, f.Rule.ID+"\x00"+f.Path.String()+"\x00"+f.Message)
		}
		return out
	}
	first := key(testkit.Must(CheckEnvironment(build())).Findings)
	if len(first) < 10 {
		t.Fatalf("want many findings, got %d: %v", len(first), first)
	}
	for range 20 {
		if again := key(testkit.Must(CheckEnvironment(build())).Findings); !slices.Equal(first, again) {
			t.Fatalf("findings differ between runs:\n%v\n%v", first, again)
		}
	}
	if !slices.IsSorted(first) {
		// Rule IDs have one length and NUL sorts before every other
		// character, so the joined keys sort exactly as rule, path, message.
		t.Errorf("findings are not sorted by rule, path, message: %v", first)
	}
	seen := map[string]bool{}
	for _, k := range first {
		seen[strings.SplitN(k, "\x00", 2)[0]] = true
	}
	for _, id := range []string{"SEG101", "SEG102", "SEG103", "SEG201", "SEG202", "SEG301", "SEG302", "SEG401", "SEG402", "SEG403", "SEG404", "SEG501"} {
		if !seen[id] {
			t.Errorf("the environment was built to break %s, but it did not fire", id)
		}
	}
}

// TestCheckEnvironment_refusesUnknownInput: an environment whose tier or
// cloud the domain does not know is an error, and no rule runs (the tier's
// limits used to panic).
func TestCheckEnvironment_refusesUnknownInput(t *testing.T) {
	env := minimalEnvironment(segment.Production)
	env.Tier = "prod"
	if res, err := CheckEnvironment(env); err == nil || len(res.Findings) != 0 || !strings.Contains(err.Error(), `tier: "prod" is not a tier`) {
		t.Errorf("unknown tier: %+v, %v", res, err)
	}
	env = minimalEnvironment(segment.Production)
	env.Cloud = "oci"
	if _, err := CheckEnvironment(env); err == nil || !strings.Contains(err.Error(), `cloud: "oci" is not a cloud`) {
		t.Errorf("oci: %v", err)
	}
}

// onGCP moves an environment to a Google Cloud project under a new name.
func onGCP(name string) func(*segment.Environment) {
	return func(e *segment.Environment) {
		e.Name, e.Cloud, e.Region, e.AccountID = name, segment.GCP, "europe-west4", "acme-ml-prod"
		e.Zones = []string{"europe-west4-a", "europe-west4-b", "europe-west4-c"}
		if e.CISubject != "" {
			e.CISubject = "repo:acme/ml:environment:" + name
		}
		for i := range e.GPUNodePools {
			e.GPUNodePools[i].InstanceType = "g2-standard-8"
		}
	}
}

// TestSEG401_GCP: Google Cloud machines with GPUs of their own pass, an N1
// machine passes only with an accelerator it can attach in a count it
// allows, and every failure names the attribute to fix.
func TestSEG401_GCP(t *testing.T) {
	gcpEnv := func(p segment.NodePool) segment.Environment {
		env := minimalEnvironment(segment.Development)
		env.Cloud, env.Region, env.AccountID = segment.GCP, "europe-west4", "acme-ml-dev"
		env.Zones = []string{"europe-west4-a", "europe-west4-b", "europe-west4-c"}
		p.Name, p.MaxSize, p.Purpose = "pool", 2, segment.Training
		env.GPUNodePools = []segment.NodePool{p}
		return env
	}
	for name, tc := range map[string]struct {
		pool      segment.NodePool
		at, words string // "" for no finding
	}{
		"built-in GPUs":          {segment.NodePool{InstanceType: "a3-highgpu-8g"}, "", ""},
		"built-in, named again":  {segment.NodePool{InstanceType: "g2-standard-8", Accelerator: "nvidia-l4", AcceleratorCount: 1}, "", ""},
		"n1 with a T4":           {segment.NodePool{InstanceType: "n1-standard-8", Accelerator: "nvidia-tesla-t4", AcceleratorCount: 1}, "", ""},
		"n1 without accelerator": {segment.NodePool{InstanceType: "n1-standard-8"}, "gpu_node_pools[0].accelerator", "has no GPUs of its own; attach"},
		"n1 with a bad count":    {segment.NodePool{InstanceType: "n1-standard-8", Accelerator: "nvidia-tesla-t4", AcceleratorCount: 3}, "gpu_node_pools[0].accelerator", "3"},
		"an AWS type on GCP":     {segment.NodePool{InstanceType: "g5.2xlarge"}, "gpu_node_pools[0].instance_type", "not a GPU instance type of gcp"},
		"a typo":                 {segment.NodePool{InstanceType: "g2-standrd-8"}, "gpu_node_pools[0].instance_type", "g2-standard-8"},
	} {
		got := checkInstanceType(gcpEnv(tc.pool))
		switch {
		case tc.at == "" && len(got) != 0:
			t.Errorf("%s: %v, want no finding", name, got)
		case tc.at != "" && (len(got) != 1 || got[0].Path.String() != tc.at || !strings.Contains(got[0].Message, tc.words)):
			t.Errorf("%s: %v, want one finding on %s mentioning %q", name, got, tc.at, tc.words)
		}
	}
}

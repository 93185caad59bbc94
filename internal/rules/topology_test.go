package rules_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// The clean topology's environments, in order.
const (
	iDev = iota
	iStaging
	iProd
	iShared
)

// topoMember returns a member as an environment's summary describes it: two
// principals of its own, a pinned ci_subject.
func topoMember(name string, tier segment.Tier, cidr, account string) segment.Member {
	return segment.Member{
		Name:           name,
		Organization:   "acme",
		Tier:           tier,
		Cloud:          segment.AWS,
		Region:         "us-east-1",
		AccountID:      account,
		CIDR:           netip.MustParsePrefix(cidr),
		CISubject:      "repo:acme/ml:environment:" + name,
		CIOIDCProvider: "token.actions.githubusercontent.com",
		Principals: []string{
			"arn:aws:iam::" + account + ":role/acme-" + name + "-inference",
			"arn:aws:iam::" + account + ":role/acme-" + name + "-training",
		},
	}
}

func topoFlow(from, to string, purpose segment.FlowPurpose) segment.Flow {
	return segment.Flow{From: from, To: to, Purpose: purpose}
}

// cleanTopology is DESIGN.md's four environments with the flows the tier
// policy allows between them. It gives no finding at all.
func cleanTopology() segment.Topology {
	return segment.Topology{
		Environments: []segment.Member{
			topoMember("dev", segment.Development, "10.64.0.0/16", "111111111111"),
			topoMember("staging", segment.Staging, "10.65.0.0/16", "222222222222"),
			topoMember("prod", segment.Production, "10.66.0.0/16", "333333333333"),
			topoMember("shared", segment.Shared, "10.67.0.0/16", "444444444444"),
		},
		Flows: []segment.Flow{
			topoFlow("dev", "staging", segment.ModelPromotion),
			topoFlow("staging", "prod", segment.ModelPromotion),
			topoFlow("prod", "shared", segment.Telemetry),
			topoFlow("shared", "prod", segment.Deploy),
			topoFlow("shared", "prod", segment.ArtifactPull),
		},
	}
}

func describeFindings(fs []rules.Finding) string {
	if len(fs) == 0 {
		return "no findings"
	}
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s at %s: %s", f.Rule.ID, f.Path, f.Message)
	}
	return b.String()
}

func TestCleanTopology(t *testing.T) {
	topo := cleanTopology()
	if fs := testkit.Must(rules.CheckTopology(topo)); len(fs) != 0 {
		t.Fatalf("clean topology: %s", describeFindings(fs))
	}
	if u := rules.UncheckedValues(topo); len(u) != 0 {
		t.Errorf("clean topology has unchecked values: %v", u)
	}
	// The helper builds what the tests claim.
	m := topo.Environments[iProd]
	if m.Name != "prod" || m.Tier != segment.Production || m.AccountID != "333333333333" ||
		m.CIDR.String() != "10.66.0.0/16" || m.CISubject != "repo:acme/ml:environment:prod" ||
		!slices.Contains(m.Principals, "arn:aws:iam::333333333333:role/acme-prod-training") {
		t.Errorf("prod member = %+v", m)
	}
}

// topoWant is one expected finding.
type topoWant struct{ rule, path string }

// topoCase is one change to the clean topology and every finding it must
// give, in CheckTopology's order. It triggers its rule when want holds a
// finding of it; otherwise it is a near miss for the rule.
type topoCase struct {
	rule   string
	name   string
	mutate func(*segment.Topology)
	want   []topoWant
	msg    []string // substrings of the first finding of rule
}

func (c topoCase) triggers() bool {
	return slices.ContainsFunc(c.want, func(w topoWant) bool { return w.rule == c.rule })
}

func setCIDR(i int, cidr string) func(*segment.Topology) {
	return func(t *segment.Topology) { t.Environments[i].CIDR = netip.MustParsePrefix(cidr) }
}

func addFlows(fs ...segment.Flow) func(*segment.Topology) {
	return func(t *segment.Topology) { t.Flows = append(t.Flows, fs...) }
}

func addMember(m segment.Member) func(*segment.Topology) {
	return func(t *segment.Topology) { t.Environments = append(t.Environments, m) }
}

func unknown(attrs ...string) map[string]bool {
	m := map[string]bool{}
	for _, a := range attrs {
		m[a] = true
	}
	return m
}

func chain(fs ...func(*segment.Topology)) func(*segment.Topology) {
	return func(t *segment.Topology) {
		for _, f := range fs {
			f(t)
		}
	}
}

func topologyCases() []topoCase {
	return []topoCase{
		// SEG601: CIDR overlap.
		{rule: "SEG601", name: "adjacent /16s", mutate: chain(setCIDR(iDev, "10.64.0.0/16"), setCIDR(iStaging, "10.65.0.0/16"))},
		{rule: "SEG601", name: "adjacent /17s", mutate: chain(setCIDR(iDev, "10.64.0.0/17"), setCIDR(iStaging, "10.64.128.0/17"))},
		{rule: "SEG601", name: "last and first address apart", mutate: chain(setCIDR(iDev, "10.64.255.255/32"), setCIDR(iStaging, "10.65.0.0/32"))},
		{rule: "SEG601", name: "IPv4 and IPv6", mutate: setCIDR(iStaging, "fd00::/48")},
		{rule: "SEG601", name: "IPv4 and IPv4-mapped IPv6", mutate: setCIDR(iStaging, "::ffff:10.64.0.0/112")},
		{rule: "SEG601", name: "identical but unknown", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].CIDR = t.Environments[iDev].CIDR
			t.Environments[iStaging].Unknown = unknown("cidr")
		}},
		{rule: "SEG601", name: "two invalid prefixes", mutate: func(t *segment.Topology) {
			t.Environments[iDev].CIDR = netip.Prefix{}
			t.Environments[iStaging].CIDR = netip.Prefix{}
		}},
		{rule: "SEG601", name: "later contained in earlier", mutate: setCIDR(iStaging, "10.64.16.0/20"),
			want: []topoWant{{"SEG601", "environments[1].cidr"}}, msg: []string{"10.64.16.0/20", `"staging"`, "10.64.0.0/16", `"dev"`}},
		{rule: "SEG601", name: "later contains earlier", mutate: chain(setCIDR(iDev, "10.66.128.0/24")),
			want: []topoWant{{"SEG601", "environments[2].cidr"}}},
		{rule: "SEG601", name: "identical", mutate: setCIDR(iShared, "10.64.0.0/16"),
			want: []topoWant{{"SEG601", "environments[3].cidr"}}},
		{rule: "SEG601", name: "unmasked prefix", mutate: setCIDR(iStaging, "10.64.5.0/16"),
			want: []topoWant{{"SEG601", "environments[1].cidr"}}},
		{rule: "SEG601", name: "a /14 over three /16s", mutate: setCIDR(iProd, "10.64.0.0/14"),
			want: []topoWant{{"SEG601", "environments[1].cidr"}}, msg: []string{"4 environments", "inside 10.64.0.0/14", `"prod" (environments[2], 10.64.0.0/14)`}},
		{rule: "SEG601", name: "three mutually overlapping", mutate: chain(setCIDR(iDev, "10.64.0.0/16"), setCIDR(iStaging, "10.64.0.0/20"), setCIDR(iProd, "10.64.0.0/24")),
			want: []topoWant{{"SEG601", "environments[1].cidr"}}, msg: []string{"3 environments", "inside 10.64.0.0/16"}},
		{rule: "SEG601", name: "IPv6 nested", mutate: chain(setCIDR(iStaging, "fd00::/48"), setCIDR(iProd, "fd00:0:0:1::/64")),
			want: []topoWant{{"SEG601", "environments[2].cidr"}}},

		// SEG602: tier policy (every cell is in TestFlowPolicyThroughCheckTopology).
		{rule: "SEG602", name: "allowed telemetry to shared", mutate: addFlows(topoFlow("dev", "shared", segment.Telemetry), topoFlow("staging", "shared", segment.Telemetry))},
		{rule: "SEG602", name: "allowed deploy to dev", mutate: addFlows(topoFlow("shared", "dev", segment.Deploy), topoFlow("shared", "staging", segment.ArtifactPull))},
		{rule: "SEG602", name: "receiving tier unknown", mutate: func(t *segment.Topology) {
			t.Flows = append(t.Flows, topoFlow("dev", "staging", segment.Deploy))
			t.Environments[iStaging].Unknown = unknown("tier")
		}},
		{rule: "SEG602", name: "purpose unknown", mutate: addFlows(segment.Flow{From: "dev", To: "prod", Unknown: unknown("purpose")})},
		{rule: "SEG602", name: "dev deploys to prod", mutate: addFlows(topoFlow("dev", "prod", segment.Deploy)),
			want: []topoWant{{"SEG602", "flows[5].purpose"}}, msg: []string{"deploy", `"dev"`, `"prod"`}},
		{rule: "SEG602", name: "promotion skips staging", mutate: addFlows(topoFlow("dev", "prod", segment.ModelPromotion)),
			want: []topoWant{{"SEG602", "flows[5].purpose"}}},
		{rule: "SEG602", name: "unknown purpose value", mutate: addFlows(topoFlow("dev", "shared", "logs")),
			want: []topoWant{{"SEG602", "flows[5].purpose"}}},
		{rule: "SEG602", name: "self flow", mutate: addFlows(topoFlow("shared", "shared", segment.Deploy)),
			want: []topoWant{{"SEG602", "flows[5].to"}}, msg: []string{"itself"}},
		{rule: "SEG602", name: "two production environments", mutate: chain(
			addMember(topoMember("prod-eu", segment.Production, "10.68.0.0/16", "555555555555")),
			addFlows(topoFlow("prod", "prod-eu", segment.Telemetry))),
			want: []topoWant{{"SEG602", "flows[5].purpose"}}, msg: []string{"isolated"}},
		{rule: "SEG602", name: "denied flow in the middle", mutate: func(t *segment.Topology) {
			t.Flows = slices.Insert(t.Flows, 1, topoFlow("staging", "dev", segment.ModelPromotion))
		}, want: []topoWant{{"SEG602", "flows[1].purpose"}}},

		// SEG603: unknown environments.
		{rule: "SEG603", name: "unknown from", mutate: addFlows(topoFlow("ghost", "shared", segment.Telemetry)),
			want: []topoWant{{"SEG603", "flows[5].from"}}, msg: []string{`"ghost"`, "dev, prod, shared, staging"}},
		{rule: "SEG603", name: "unknown to", mutate: addFlows(topoFlow("dev", "ghost", segment.Telemetry)),
			want: []topoWant{{"SEG603", "flows[5].to"}}},
		{rule: "SEG603", name: "both unknown", mutate: addFlows(topoFlow("ghost", "phantom", segment.Telemetry)),
			want: []topoWant{{"SEG603", "flows[5].from"}, {"SEG603", "flows[5].to"}}},
		{rule: "SEG603", name: "case matters", mutate: func(t *segment.Topology) { t.Flows[1].To = "Prod" },
			want: []topoWant{{"SEG603", "flows[1].to"}}},
		{rule: "SEG603", name: "an environment name is unknown", mutate: func(t *segment.Topology) {
			t.Environments[iShared].Name = ""
			t.Environments[iShared].Unknown = unknown("name")
			t.Flows = append(t.Flows, topoFlow("dev", "ghost", segment.Telemetry), topoFlow("ghost", "phantom", segment.Deploy))
		}},
		{rule: "SEG603", name: "the flow's end is unknown", mutate: addFlows(segment.Flow{From: "dev", Purpose: segment.Telemetry, Unknown: unknown("to")})},

		// SEG604: production shares an account.
		{rule: "SEG604", name: "production and staging", mutate: func(t *segment.Topology) { t.Environments[iStaging].AccountID = "333333333333" },
			want: []topoWant{{"SEG604", "environments[2].account_id"}}, msg: []string{`"prod"`, "333333333333", `"staging"`}},
		{rule: "SEG604", name: "production and shared, production last", mutate: func(t *segment.Topology) {
			t.Environments[iShared].AccountID = "333333333333"
			t.Environments[iProd], t.Environments[iShared] = t.Environments[iShared], t.Environments[iProd]
		}, want: []topoWant{{"SEG604", "environments[3].account_id"}}},
		{rule: "SEG604", name: "production and two others", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].AccountID = "333333333333"
			t.Environments[iDev].AccountID = "333333333333"
		}, want: []topoWant{{"SEG604", "environments[2].account_id"}, {"SEG604", "environments[2].account_id"}}},
		{rule: "SEG604", name: "two production environments", mutate: addMember(topoMember("prod-eu", segment.Production, "10.68.0.0/16", "333333333333"))},
		{rule: "SEG604", name: "unknown account", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].AccountID = "333333333333"
			t.Environments[iStaging].Unknown = unknown("account_id")
		}},
		{rule: "SEG604", name: "empty accounts", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].AccountID = ""
			t.Environments[iProd].AccountID = ""
		}},
		{rule: "SEG604", name: "non-production environments share", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].AccountID = "111111111111"
			t.Environments[iShared].AccountID = "111111111111"
		}},

		// SEG605: duplicate names.
		{rule: "SEG605", name: "a second dev", mutate: addMember(topoMember("dev", segment.Development, "10.68.0.0/16", "555555555555")),
			want: []topoWant{{"SEG605", "environments[4].name"}, {"SEG606", "environments[4].ci_subject"}}, msg: []string{`"dev"`, "environments[0]"}},
		{rule: "SEG605", name: "shared renamed to prod", mutate: func(t *segment.Topology) {
			t.Environments[iShared].Name = "prod"
			t.Environments[iShared].CISubject = "repo:acme/ml:environment:prod-shared"
			t.Flows = t.Flows[:2]
		}, want: []topoWant{{"SEG605", "environments[3].name"}}, msg: []string{"environments[2]"}},
		{rule: "SEG605", name: "similar names", mutate: chain(
			addMember(topoMember("dev-2", segment.Development, "10.68.0.0/16", "555555555555")),
			addMember(topoMember("Dev", segment.Development, "10.69.0.0/16", "666666666666")))},
		{rule: "SEG605", name: "unknown name", mutate: func(t *segment.Topology) {
			m := topoMember("dev", segment.Development, "10.68.0.0/16", "555555555555")
			m.CISubject = ""
			m.Unknown = unknown("name")
			t.Environments = append(t.Environments, m)
		}},

		// SEG606: shared identities.
		{rule: "SEG606", name: "shared ci_subject", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].CISubject = t.Environments[iDev].CISubject
		}, want: []topoWant{{"SEG606", "environments[1].ci_subject"}}, msg: []string{"repo:acme/ml:environment:dev", `"dev"`, `"staging"`}},
		{rule: "SEG606", name: "one ci_subject in three", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].CISubject = t.Environments[iDev].CISubject
			t.Environments[iProd].CISubject = t.Environments[iDev].CISubject
		}, want: []topoWant{{"SEG606", "environments[1].ci_subject"}, {"SEG606", "environments[2].ci_subject"}}},
		{rule: "SEG606", name: "shared principal", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].Principals = append(t.Environments[iStaging].Principals, "arn:aws:iam::111111111111:role/acme-dev-training")
		}, want: []topoWant{{"SEG606", "environments[1].principals"}}, msg: []string{"acme-dev-training", `"dev"`, `"staging"`}},
		{rule: "SEG606", name: "empty ci_subjects", mutate: func(t *segment.Topology) {
			for i := range t.Environments {
				t.Environments[i].CISubject = ""
			}
		}},
		{rule: "SEG606", name: "principal twice in one environment", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].Principals = append(t.Environments[iStaging].Principals, t.Environments[iStaging].Principals...)
		}},
		{rule: "SEG606", name: "shared ci_subject unknown", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].CISubject = t.Environments[iDev].CISubject
			t.Environments[iStaging].Unknown = unknown("ci_subject")
		}},
		{rule: "SEG606", name: "shared principal unknown", mutate: func(t *segment.Topology) {
			t.Environments[iStaging].Principals = t.Environments[iDev].Principals
			t.Environments[iStaging].Unknown = unknown("principals")
		}},

		// SEG607: production content reaching a lower tier through a chain.
		{rule: "SEG607", name: "telemetry prod -> shared -> dev", mutate: addFlows(topoFlow("shared", "dev", segment.Telemetry)),
			want: []topoWant{{"SEG602", "flows[5].purpose"}, {"SEG607", "flows[5]"}},
			msg:  []string{"prod -> shared -> dev", "telemetry", "development", `"dev"`}},
		{rule: "SEG607", name: "links carry different content", mutate: addFlows(topoFlow("shared", "dev", segment.Deploy))},
		{rule: "SEG607", name: "direct flow is SEG602's", mutate: addFlows(topoFlow("prod", "dev", segment.Telemetry)),
			want: []topoWant{{"SEG602", "flows[5].purpose"}}},
		{rule: "SEG607", name: "longer chain", mutate: addFlows(topoFlow("shared", "staging", segment.Telemetry), topoFlow("staging", "dev", segment.Telemetry)),
			want: []topoWant{{"SEG602", "flows[5].purpose"}, {"SEG602", "flows[6].purpose"}, {"SEG607", "flows[5]"}, {"SEG607", "flows[6]"}},
			msg:  []string{"prod -> shared -> staging", "staging environment"}},
		{rule: "SEG607", name: "cycles", mutate: addFlows(
			topoFlow("shared", "staging", segment.Telemetry),
			topoFlow("staging", "dev", segment.Telemetry),
			topoFlow("dev", "staging", segment.Telemetry),
			topoFlow("shared", "prod", segment.Telemetry),
			topoFlow("dev", "dev", segment.Telemetry)),
			want: []topoWant{
				{"SEG602", "flows[5].purpose"}, {"SEG602", "flows[6].purpose"}, {"SEG602", "flows[7].purpose"},
				{"SEG602", "flows[8].purpose"}, {"SEG602", "flows[9].to"},
				{"SEG607", "flows[5]"}, {"SEG607", "flows[6]"},
			}},
		{rule: "SEG607", name: "artifacts prod -> shared -> dev", mutate: addFlows(topoFlow("prod", "shared", segment.ArtifactPull), topoFlow("shared", "dev", segment.Deploy)),
			want: []topoWant{{"SEG602", "flows[5].purpose"}, {"SEG607", "flows[6]"}}, msg: []string{"artifacts", "prod -> shared -> dev"}},
		{rule: "SEG607", name: "chain ends in shared", mutate: chain(
			addMember(topoMember("shared-eu", segment.Shared, "10.68.0.0/16", "555555555555")),
			addFlows(topoFlow("shared", "shared-eu", segment.Telemetry))),
			want: []topoWant{{"SEG602", "flows[5].purpose"}}},
		{rule: "SEG607", name: "middle link unknown", mutate: addFlows(segment.Flow{From: "shared", To: "dev", Unknown: unknown("purpose")})},
		{rule: "SEG607", name: "source tier unknown", mutate: func(t *segment.Topology) {
			t.Flows = append(t.Flows, topoFlow("shared", "dev", segment.Telemetry))
			t.Environments[iProd].Unknown = unknown("tier")
		}, want: []topoWant{{"SEG602", "flows[5].purpose"}}},
	}
}

func TestTopologyRules(t *testing.T) {
	for _, tc := range allTopologyCases() {
		kind := "near-miss"
		if tc.triggers() {
			kind = "triggers"
		}
		t.Run(tc.rule+"/"+kind+"/"+tc.name, func(t *testing.T) {
			topo := cleanTopology()
			tc.mutate(&topo)
			got := testkit.Must(rules.CheckTopology(topo))
			if len(got) != len(tc.want) {
				t.Fatalf("got %s\nwant %v", describeFindings(got), tc.want)
			}
			for i, w := range tc.want {
				f := got[i]
				if f.Rule.ID != w.rule || f.Path.String() != w.path {
					t.Errorf("finding %d = %s at %q, want %s at %q", i, f.Rule.ID, f.Path, w.rule, w.path)
				}
				checkTopologyFinding(t, f)
			}
			if len(tc.msg) > 0 {
				i := slices.IndexFunc(got, func(f rules.Finding) bool { return f.Rule.ID == tc.rule })
				if i < 0 {
					t.Fatalf("no finding of %s to check the message of", tc.rule)
				}
				for _, m := range tc.msg {
					if !strings.Contains(got[i].Message, m) {
						t.Errorf("message %q does not contain %q", got[i].Message, m)
					}
				}
			}
		})
	}
}

// checkTopologyFinding: the caller filled in the catalog's rule.
func checkTopologyFinding(t *testing.T, f rules.Finding) {
	t.Helper()
	r, ok := rules.Lookup(f.Rule.ID)
	if !ok {
		t.Fatalf("finding of unknown rule %q", f.Rule.ID)
	}
	if f.Rule.Scope != rules.ScopeTopology || f.Rule.Severity != r.Severity || f.Rule.CWE != r.CWE || f.Rule.Title != r.Title {
		t.Errorf("finding's rule %+v is not the catalog's %+v", f.Rule, r)
	}
	if f.Message == "" || !strings.HasPrefix(f.Summary(), f.Rule.ID+": ") {
		t.Errorf("finding %s: empty message or bad summary %q", f.Rule.ID, f.Summary())
	}
}

// TestEveryTopologyRuleHasCases fails when a topology rule of the catalog
// has no triggering case or no near miss in TestTopologyRules.
func TestEveryTopologyRuleHasCases(t *testing.T) {
	triggering, nearMiss := map[string]int{}, map[string]int{}
	for _, tc := range allTopologyCases() {
		r, ok := rules.Lookup(tc.rule)
		if !ok || r.Scope != rules.ScopeTopology {
			t.Errorf("case %q names %s, not a topology rule", tc.name, tc.rule)
		}
		if tc.triggers() {
			triggering[tc.rule]++
		} else {
			nearMiss[tc.rule]++
		}
	}
	n := 0
	for _, r := range rules.Catalog() {
		if r.Scope != rules.ScopeTopology {
			continue
		}
		n++
		if triggering[r.ID] == 0 {
			t.Errorf("topology rule %s has no triggering case", r.ID)
		}
		if nearMiss[r.ID] == 0 {
			t.Errorf("topology rule %s has no near-miss case", r.ID)
		}
	}
	if n != 10 {
		t.Errorf("the catalog has %d topology rules, want 10 (SEG601-SEG609, SEG805)", n)
	}
	if ids := rules.IDs(rules.ScopeTopology); !slices.Equal(ids, []string{"SEG601", "SEG602", "SEG603", "SEG604", "SEG605", "SEG606", "SEG607", "SEG608", "SEG609", "SEG805"}) {
		t.Errorf("IDs(topology) = %v", ids)
	}
}

// policyMatrix is DESIGN.md's tier-policy matrix, written independently of
// segment's: from -> to -> allowed purposes; anything else is denied.
var policyMatrix = map[segment.Tier]map[segment.Tier][]segment.FlowPurpose{
	segment.Development: {segment.Staging: {"model-promotion"}, segment.Shared: {"telemetry"}},
	segment.Staging:     {segment.Production: {"model-promotion"}, segment.Shared: {"telemetry"}},
	segment.Production:  {segment.Shared: {"telemetry"}},
	segment.Shared: {
		segment.Development: {"deploy", "artifact-pull"},
		segment.Staging:     {"deploy", "artifact-pull"},
		segment.Production:  {"deploy", "artifact-pull"},
	},
}

// TestFlowPolicyThroughCheckTopology checks all 64 cells of the matrix
// through CheckTopology, with two environments per cell (two different
// environments when both tiers are equal).
func TestFlowPolicyThroughCheckTopology(t *testing.T) {
	tiers := []segment.Tier{segment.Development, segment.Staging, segment.Production, segment.Shared}
	purposes := []segment.FlowPurpose{"model-promotion", "telemetry", "deploy", "artifact-pull"}
	n := 0
	for _, from := range tiers {
		for _, to := range tiers {
			for _, p := range purposes {
				n++
				allowed := slices.Contains(policyMatrix[from][to], p)
				t.Run(fmt.Sprintf("%s->%s/%s", from, to, p), func(t *testing.T) {
					topo := segment.Topology{
						Environments: []segment.Member{
							topoMember("a", from, "10.64.0.0/16", "111111111111"),
							topoMember("b", to, "10.65.0.0/16", "222222222222"),
						},
						Flows: []segment.Flow{topoFlow("a", "b", p)},
					}
					got := testkit.Must(rules.CheckTopology(topo))
					if allowed {
						if len(got) != 0 {
							t.Errorf("allowed flow gave %s", describeFindings(got))
						}
						return
					}
					if len(got) != 1 || got[0].Rule.ID != "SEG602" || got[0].Path.String() != "flows[0].purpose" {
						t.Fatalf("denied flow gave %s, want one SEG602 at flows[0].purpose", describeFindings(got))
					}
					if !strings.Contains(got[0].Message, string(p)) || !strings.Contains(got[0].Message, string(from)) || !strings.Contains(got[0].Message, string(to)) {
						t.Errorf("message %q does not name the purpose and tiers", got[0].Message)
					}
				})
			}
		}
	}
	if n != 64 {
		t.Fatalf("%d cells, want 64", n)
	}
}

// TestSelfFlow: a flow from an environment to itself is SEG602 at .to,
// whatever the tier and purpose.
func TestSelfFlow(t *testing.T) {
	for _, tier := range segment.Tiers() {
		for _, p := range segment.FlowPurposes() {
			t.Run(fmt.Sprintf("%s/%s", tier, p), func(t *testing.T) {
				topo := segment.Topology{
					Environments: []segment.Member{topoMember("a", tier, "10.64.0.0/16", "111111111111")},
					Flows:        []segment.Flow{topoFlow("a", "a", p)},
				}
				got := testkit.Must(rules.CheckTopology(topo))
				if len(got) != 1 || got[0].Rule.ID != "SEG602" || got[0].Path.String() != "flows[0].to" {
					t.Fatalf("self flow gave %s, want one SEG602 at flows[0].to", describeFindings(got))
				}
			})
		}
	}
}

func TestUncheckedValues(t *testing.T) {
	t.Run("account_id", func(t *testing.T) {
		topo := cleanTopology()
		topo.Environments[2].Unknown = map[string]bool{"account_id": true}
		got := rules.UncheckedValues(topo)
		if len(got) != 1 || got[0].Path.String() != "environments[2].account_id" || !slices.Equal(got[0].Rules, []string{"SEG604", "SEG606"}) {
			t.Fatalf("UncheckedValues = %v, want environments[2].account_id [SEG604 SEG606]", got)
		}
	})
	t.Run("flow purpose", func(t *testing.T) {
		topo := cleanTopology()
		topo.Flows[3].Unknown = map[string]bool{"purpose": true}
		got := rules.UncheckedValues(topo)
		if len(got) != 1 || got[0].Path.String() != "flows[3].purpose" || !slices.Equal(got[0].Rules, []string{"SEG602", "SEG606", "SEG607", "SEG608", "SEG805"}) {
			t.Fatalf("UncheckedValues = %v, want flows[3].purpose [SEG602 SEG606 SEG607 SEG608 SEG805]", got)
		}
	})
	t.Run("false entries are known", func(t *testing.T) {
		topo := cleanTopology()
		topo.Environments[0].Unknown = map[string]bool{"cidr": false}
		topo.Flows[0].Unknown = map[string]bool{"to": false}
		if got := rules.UncheckedValues(topo); len(got) != 0 {
			t.Fatalf("UncheckedValues = %v, want none", got)
		}
	})
	t.Run("order", func(t *testing.T) {
		build := func() segment.Topology {
			topo := cleanTopology()
			topo.Flows[1].Unknown = map[string]bool{"to": true, "from": true, "purpose": true}
			topo.Environments[3].Unknown = map[string]bool{"principals": true, "ci_subject": true}
			topo.Environments[1].Unknown = map[string]bool{"tier": true, "cidr": true, "name": true, "cloud": true}
			topo.Flows[0].Unknown = map[string]bool{"purpose": true}
			return topo
		}
		want := []struct {
			path  string
			rules []string
		}{
			{"environments[1].cidr", []string{"SEG601", "SEG608"}},
			{"environments[1].cloud", []string{"SEG604", "SEG606"}},
			{"environments[1].name", []string{"SEG602", "SEG603", "SEG604", "SEG605", "SEG606", "SEG607", "SEG608", "SEG609", "SEG805"}},
			{"environments[1].tier", []string{"SEG602", "SEG604", "SEG606", "SEG607", "SEG608", "SEG805"}},
			{"environments[3].ci_subject", []string{"SEG606"}},
			{"environments[3].principals", []string{"SEG606"}},
			{"flows[0].purpose", []string{"SEG602", "SEG606", "SEG607", "SEG608", "SEG805"}},
			{"flows[1].from", []string{"SEG602", "SEG603", "SEG606", "SEG607", "SEG608", "SEG805"}},
			{"flows[1].purpose", []string{"SEG602", "SEG606", "SEG607", "SEG608", "SEG805"}},
			{"flows[1].to", []string{"SEG602", "SEG603", "SEG606", "SEG607", "SEG608", "SEG805"}},
		}
		for run := range 20 {
			got := rules.UncheckedValues(build())
			if len(got) != len(want) {
				t.Fatalf("run %d: %d unchecked values, want %d: %v", run, len(got), len(want), got)
			}
			for i, w := range want {
				if got[i].Path.String() != w.path || !slices.Equal(got[i].Rules, w.rules) {
					t.Fatalf("run %d: unchecked %d = %s %v, want %s %v", run, i, got[i].Path, got[i].Rules, w.path, w.rules)
				}
				for _, id := range got[i].Rules {
					if r, ok := rules.Lookup(id); !ok || r.Scope != rules.ScopeTopology {
						t.Errorf("%s lists %s, not a topology rule", w.path, id)
					}
				}
			}
		}
	})
	t.Run("unknown values are not checked", func(t *testing.T) {
		// Every value that would trigger a rule is unknown: no finding.
		topo := cleanTopology()
		topo.Environments[iStaging].CIDR = topo.Environments[iDev].CIDR
		topo.Environments[iStaging].AccountID = "333333333333"
		topo.Environments[iStaging].CISubject = topo.Environments[iDev].CISubject
		topo.Environments[iStaging].Unknown = unknown("cidr", "account_id", "ci_subject")
		topo.Flows = append(topo.Flows, segment.Flow{From: "dev", To: "prod", Purpose: segment.Deploy, Unknown: unknown("purpose")})
		if got := testkit.Must(rules.CheckTopology(topo)); len(got) != 0 {
			t.Errorf("findings on unknown values: %s", describeFindings(got))
		}
		if got := rules.UncheckedValues(topo); len(got) != 4 {
			t.Errorf("UncheckedValues = %v, want 4", got)
		}
	})
}

// TestUncheckedValuesRulesNotShared: a caller that edits the Rules of one
// result must not change what later calls return.
func TestUncheckedValuesRulesNotShared(t *testing.T) {
	topo := cleanTopology()
	topo.Environments[0].Unknown = map[string]bool{"name": true}
	first := rules.UncheckedValues(topo)
	if len(first) != 1 || len(first[0].Rules) == 0 {
		t.Fatalf("UncheckedValues = %v", first)
	}
	orig := first[0].Rules[0]
	// Put it back even when it is shared, so later tests see the catalog's.
	t.Cleanup(func() { first[0].Rules[0] = orig })
	first[0].Rules[0] = "SEG999"
	again := rules.UncheckedValues(topo)
	if again[0].Rules[0] != "SEG602" {
		t.Errorf("UncheckedValues hands out shared slices: writing into a result changed later results to %v", again[0].Rules)
	}
}

// TestTopologyFindingsDeterministic: a topology that breaks every rule,
// several times over, gives the same findings on every run, sorted by rule
// ID, then path.
func TestTopologyFindingsDeterministic(t *testing.T) {
	build := func() segment.Topology {
		topo := cleanTopology()
		topo.Environments = append(topo.Environments,
			topoMember("dev", segment.Development, "10.64.0.0/20", "333333333333"),
			topoMember("qa", segment.Staging, "10.66.0.0/24", "333333333333"),
			topoMember("prod-eu", segment.Production, "10.64.0.0/12", "222222222222"),
		)
		topo.Environments[iStaging].CISubject = topo.Environments[iDev].CISubject
		topo.Environments[iShared].Principals = append(topo.Environments[iShared].Principals, topo.Environments[iProd].Principals...)
		entry(iProd, "ssh", 22, "10.64.0.0/16", "10.0.0.0/8")(&topo)
		topo.Environments = append(topo.Environments,
			orgMember("acme", "ml-x", "10.70.0.0/16", "555555555555"),
			orgMember("acme-ml", "x", "10.71.0.0/16", "666666666666"))
		topo.Environments[iShared].Namespaces = []segment.NamespacePurpose{segment.PipelinesNamespace}
		topo.Flows = append(topo.Flows,
			topoFlow("shared", "staging", segment.Telemetry),
			topoFlow("staging", "dev", segment.Telemetry),
			topoFlow("prod", "qa", segment.Telemetry),
			topoFlow("ghost", "prod", segment.Deploy),
			topoFlow("prod", "prod", segment.Deploy),
			topoFlow("prod-eu", "shared", segment.ModelPromotion),
			topoFlow("shared", "qa", segment.ModelPromotion),
		)
		return topo
	}
	key := func(fs []rules.Finding) []string {
		out := make([]string, 0, len(fs))
		for _, f := range fs {
			out = append(out, f.Rule.ID+"\x00"+f.Path.String()+"\x00"+f.Message)
		}
		return out
	}
	first := testkit.Must(rules.CheckTopology(build()))
	seen := map[string]bool{}
	for _, f := range first {
		seen[f.Rule.ID] = true
	}
	for _, id := range rules.IDs(rules.ScopeTopology) {
		if !seen[id] {
			t.Errorf("the topology does not break %s: %s", id, describeFindings(first))
		}
	}
	if len(first) < 15 {
		t.Errorf("want many findings, got %d: %s", len(first), describeFindings(first))
	}
	firstKey := key(first)
	if !slices.IsSortedFunc(first, func(a, b rules.Finding) int {
		return strings.Compare(a.Rule.ID+"\x00"+a.Path.String(), b.Rule.ID+"\x00"+b.Path.String())
	}) {
		t.Errorf("findings not sorted by rule, then path: %s", describeFindings(first))
	}
	for run := range 30 {
		if again := key(testkit.Must(rules.CheckTopology(build()))); !slices.Equal(firstKey, again) {
			t.Fatalf("run %d differs:\n%q\n%q", run, firstKey, again)
		}
	}
}

// TestCheckTopologyDoesNotModifyInput: CheckTopology leaves the topology as
// it was.
func TestCheckTopologyDoesNotModifyInput(t *testing.T) {
	topo := cleanTopology()
	topo.Environments[iProd].CIDR = netip.MustParsePrefix("10.64.0.0/14")
	topo.Flows = append(topo.Flows, topoFlow("shared", "dev", segment.Telemetry))
	before := fmt.Sprintf("%+v", topo)
	testkit.Must(rules.CheckTopology(topo))
	rules.UncheckedValues(topo)
	if after := fmt.Sprintf("%+v", topo); after != before {
		t.Errorf("topology changed:\n%s\n%s", before, after)
	}
}

// randomTopology builds n environments with random tiers, distinct random
// /16s or /20s inside 10.0.0.0/8 (a /20 may fall inside a /16: an occasional
// overlap, as in real estates), unique names, and about two random flows
// per environment with random purposes.
func randomTopology(n int, r *rand.Rand) segment.Topology {
	tiers := segment.Tiers()
	purposes := segment.FlowPurposes()
	used := map[netip.Prefix]bool{}
	topo := segment.Topology{Environments: make([]segment.Member, 0, n), Flows: make([]segment.Flow, 0, 2*n)}
	for i := range n {
		var p netip.Prefix
		for {
			if r.IntN(50) == 0 {
				p = netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(r.IntN(256)), 0, 0}), 16)
			} else {
				p = netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(r.IntN(256)), byte(16 * r.IntN(16)), 0}), 20)
			}
			if !used[p] {
				used[p] = true
				break
			}
		}
		name := fmt.Sprintf("env-%04d", i)
		account := fmt.Sprintf("%012d", 100000000000+i)
		topo.Environments = append(topo.Environments, segment.Member{
			Name: name, Organization: "acme", Tier: tiers[r.IntN(len(tiers))], Cloud: segment.AWS, Region: "us-east-1",
			AccountID: account, CIDR: p, CISubject: "repo:acme/ml:environment:" + name,
			CIOIDCProvider: "token.actions.githubusercontent.com",
			Principals:     []string{"arn:aws:iam::" + account + ":role/acme-" + name + "-node", "arn:aws:iam::" + account + ":role/acme-" + name + "-training"},
		})
	}
	for range 2 * n {
		from, to := r.IntN(n), r.IntN(n)
		topo.Flows = append(topo.Flows, segment.Flow{
			From: topo.Environments[from].Name, To: topo.Environments[to].Name, Purpose: purposes[r.IntN(len(purposes))],
		})
	}
	return topo
}

// BenchmarkTopology measures everything a topology's plan computes: the
// rules, the boundaries and the reachability matrix.
func BenchmarkTopology(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			topo := randomTopology(n, rand.New(rand.NewPCG(uint64(n), 607)))
			findings := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				fs := testkit.Must(rules.CheckTopology(topo))
				bds, _ := blueprint.Boundaries(topo)
				reach := topo.Reachability()
				if len(bds) != n || len(reach) != n {
					b.Fatalf("%d boundaries, %d reachability entries", len(bds), len(reach))
				}
				findings += len(fs)
			}
			if findings == 0 {
				b.Fatal("a random topology gave no findings")
			}
		})
	}
}

// TestCheckTopology_refusesUnknownInput: a member whose tier or cloud the
// domain does not know is an error, and no rule runs. A member on GCP is
// refused until GCP has a blueprint: its boundaries would name AWS roles.
// (SEG604 keys accounts by cloud, so the same number in two clouds is no
// finding; that near-miss returns to TestTopologyRules with GCP.)
func TestCheckTopology_refusesUnknownInput(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*segment.Topology)
		want   string
	}{
		"unknown cloud": {func(t *segment.Topology) {
			t.Environments[iStaging].Cloud = "oci"
		}, `environments[1].cloud: "oci" is not a cloud`},
		"unknown tier": {func(t *segment.Topology) { t.Environments[iProd].Tier = "prod" }, `environments[2].tier: "prod" is not a tier`},
	} {
		topo := cleanTopology()
		tc.mutate(&topo)
		fs, err := rules.CheckTopology(topo)
		if err == nil || len(fs) != 0 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: findings %s, error %v; want the error %q", name, describeFindings(fs), err, tc.want)
		}
	}
}

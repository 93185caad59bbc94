package rules_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// allTopologyCases are the cases of TestTopologyRules: topologyCases and
// those of the rules in names.go, entrypoints.go, identity.go and kubernetes.go.
func allTopologyCases() []topoCase {
	return slices.Concat(topologyCases(), nameCases(), entryPointCases(), topologyRoleCases(), kubernetesCases())
}

// entry gives environment i one entry point per source range.
func entry(i int, name string, port int, cidrs ...string) func(*segment.Topology) {
	return func(t *segment.Topology) {
		for _, c := range cidrs {
			t.Environments[i].EntryPoints = append(t.Environments[i].EntryPoints,
				segment.Ingress{Name: name, Port: port, FromCIDRs: []netip.Prefix{netip.MustParsePrefix(c)}})
		}
	}
}

// orgMember is a production topoMember in another organization.
func orgMember(org, name, cidr, account string) segment.Member {
	m := topoMember(name, segment.Production, cidr, account)
	m.Organization = org
	return m
}

func nameCases() []topoCase {
	return []topoCase{
		// SEG609: two environments generate the same names.
		{rule: "SEG609", name: "acme + ml-x and acme-ml + x", mutate: chain(
			addMember(orgMember("acme", "ml-x", "10.70.0.0/16", "555555555555")),
			addMember(orgMember("acme-ml", "x", "10.71.0.0/16", "666666666666"))),
			want: []topoWant{{"SEG609", "environments[5].name"}},
			msg:  []string{`"x"`, `"acme-ml"`, `"ml-x"`, `"acme"`, "environments[4]", "acme-ml-x-data"}},
		{rule: "SEG609", name: "an organization that ends like an environment begins", mutate: chain(
			addMember(orgMember("acme-prod", "eu", "10.70.0.0/16", "555555555555")),
			addMember(orgMember("acme", "prod-eu", "10.71.0.0/16", "666666666666"))),
			want: []topoWant{{"SEG609", "environments[5].name"}}},
		{rule: "SEG609", name: "distinct prefixes", mutate: chain(
			addMember(orgMember("acme", "ml-x", "10.70.0.0/16", "555555555555")),
			addMember(orgMember("acme-ml", "y", "10.71.0.0/16", "666666666666")))},
		{rule: "SEG609", name: "one name in two organizations is SEG605's", mutate: addMember(orgMember("other", "prod", "10.70.0.0/16", "555555555555")),
			want: []topoWant{{"SEG605", "environments[4].name"}, {"SEG606", "environments[4].ci_subject"}}},
		{rule: "SEG609", name: "organization unknown", mutate: chain(
			addMember(orgMember("acme", "ml-x", "10.70.0.0/16", "555555555555")),
			addMember(orgMember("acme-ml", "x", "10.71.0.0/16", "666666666666")),
			func(t *segment.Topology) { t.Environments[5].Unknown = unknown("organization") })},
	}
}

func entryPointCases() []topoCase {
	return []topoCase{
		// SEG608: an entry point admits another environment's range.
		{rule: "SEG608", name: "SSH from dev into prod", mutate: entry(iProd, "ssh", 22, "10.64.0.0/16"),
			want: []topoWant{{"SEG608", "environments[2].entry_cidrs[0]"}},
			msg:  []string{`"ssh"`, `"prod"`, "port 22", "10.64.0.0/16", `"dev"`, "No flow from development to production"}},
		{rule: "SEG608", name: "part of dev's range", mutate: chain(entry(iProd, "api", 443, "203.0.113.0/24", "10.64.8.0/24")),
			want: []topoWant{{"SEG608", "environments[2].entry_cidrs[1]"}}},
		{rule: "SEG608", name: "a /8 over three other environments", mutate: entry(iProd, "ssh", 22, "10.0.0.0/8"),
			want: []topoWant{{"SEG608", "environments[2].entry_cidrs[0]"}, {"SEG608", "environments[2].entry_cidrs[0]"}, {"SEG608", "environments[2].entry_cidrs[0]"}}},
		{rule: "SEG608", name: "a model promotion opens no connection", mutate: entry(iProd, "api", 443, "10.65.0.0/16"),
			want: []topoWant{{"SEG608", "environments[2].entry_cidrs[0]"}}, msg: []string{`"staging"`, "No flow from staging to production enters over the network"}},
		{rule: "SEG608", name: "telemetry flow, another port", mutate: entry(iShared, "ssh", 22, "10.66.0.0/16"),
			want: []topoWant{{"SEG608", "environments[3].entry_cidrs[0]"}}, msg: []string{"telemetry flow from \"prod\" on ports 4317-4318"}},
		{rule: "SEG608", name: "telemetry flow from another environment", mutate: entry(iShared, "otlp", 4317, "10.64.0.0/16"),
			want: []topoWant{{"SEG608", "environments[3].entry_cidrs[0]"}}},
		{rule: "SEG608", name: "deploy into dev, no deploy flow declared", mutate: entry(iDev, "ci", 443, "10.67.0.0/16"),
			want: []topoWant{{"SEG608", "environments[0].entry_cidrs[0]"}}, msg: []string{"deploy flow from \"shared\" on port 443"}},
		{rule: "SEG608", name: "telemetry flow on its port", mutate: entry(iShared, "otlp", 4318, "10.66.0.0/16")},
		{rule: "SEG608", name: "deploy flow on its port", mutate: entry(iProd, "ci", 443, "10.67.0.0/16")},
		{rule: "SEG608", name: "a range outside every environment", mutate: entry(iProd, "vpn", 22, "10.200.0.0/16", "172.16.0.0/12")},
		{rule: "SEG608", name: "the environment's own range", mutate: entry(iProd, "ssh", 22, "10.66.0.0/24")},
		{rule: "SEG608", name: "entry_cidrs unknown", mutate: chain(entry(iProd, "ssh", 22, "10.64.0.0/16"),
			func(t *segment.Topology) { t.Environments[iProd].Unknown = unknown("entry_cidrs") })},
		{rule: "SEG608", name: "the other environment's cidr unknown", mutate: chain(entry(iProd, "ssh", 22, "10.64.0.0/16"),
			func(t *segment.Topology) { t.Environments[iDev].Unknown = unknown("cidr") })},
		{rule: "SEG608", name: "a flow not known yet may justify it", mutate: chain(entry(iProd, "ci", 443, "10.67.0.0/16"),
			func(t *segment.Topology) { t.Flows[3].Unknown = unknown("purpose") })},
	}
}

// promoter is the ARN of the promoter role a model promotion from source
// into target creates, as internal/blueprint's Boundaries names it.
func promoter(t *testing.T, topo segment.Topology, source, target string) string {
	t.Helper()
	bds, _ := blueprint.Boundaries(topo)
	for _, r := range bds[target].Identities {
		if r.Key == "promoter-"+source {
			return r.Principal
		}
	}
	t.Fatalf("no promoter of %s in %s", source, target)
	return ""
}

func topologyRoleCases() []topoCase {
	return []topoCase{
		// SEG606: a role the topology creates is already an environment's principal.
		{rule: "SEG606", name: "prod's promoter listed by shared", mutate: func(t *segment.Topology) {
			t.Environments[iShared].Principals = append(t.Environments[iShared].Principals, "arn:aws:iam::333333333333:role/acme-prod-promoter--staging")
		}, want: []topoWant{{"SEG606", "flows[1]"}}, msg: []string{"flow 1", "acme-prod-promoter--staging", `"prod"`, `"shared"`}},
		{rule: "SEG606", name: "the old promoter name is another role", mutate: func(t *segment.Topology) {
			t.Environments[iShared].Principals = append(t.Environments[iShared].Principals, "arn:aws:iam::333333333333:role/acme-prod-promoter-staging")
		}},
		{rule: "SEG606", name: "no ci_subject, no promoter", mutate: func(t *segment.Topology) {
			t.Environments[iProd].CISubject = ""
			t.Environments[iShared].Principals = append(t.Environments[iShared].Principals, "arn:aws:iam::333333333333:role/acme-prod-promoter--staging")
		}},
		{rule: "SEG606", name: "promotion's region unknown", mutate: func(t *segment.Topology) {
			t.Environments[iProd].Unknown = unknown("region")
			t.Environments[iShared].Principals = append(t.Environments[iShared].Principals, "arn:aws:iam::333333333333:role/acme-prod-promoter--staging")
		}},
		// Issue 8, item 6: environment "prod-promoter" has a deployer role
		// acme-prod-promoter-deployer, which the promoter of a promotion from
		// "deployer" into "prod" was named before the separator.
		{rule: "SEG606", name: "prod-promoter's deployer and deployer's promotion into prod", mutate: func(t *segment.Topology) {
			pp := topoMember("prod-promoter", segment.Production, "10.70.0.0/16", "333333333333")
			pp.Principals = testkit.Must(blueprint.Principals(segment.Environment{
				Organization: "acme", Name: "prod-promoter", Tier: segment.Production, Cloud: segment.AWS,
				Region: "us-east-1", AccountID: "333333333333", CISubject: pp.CISubject, CIOIDCProvider: pp.CIOIDCProvider,
				HumanAccess: segment.NoAccess,
			}))
			t.Environments = append(t.Environments, pp, topoMember("deployer", segment.Staging, "10.71.0.0/16", "666666666666"))
			t.Flows = append(t.Flows, topoFlow("deployer", "prod", segment.ModelPromotion))
		}},
	}
}

// TestTopologyRoleIsBoundariesRole: the promoter role SEG606 checks is the
// one internal/blueprint's Boundaries creates.
func TestTopologyRoleIsBoundariesRole(t *testing.T) {
	topo := cleanTopology()
	arn := promoter(t, topo, "staging", "prod")
	topo.Environments[iDev].Principals = append(topo.Environments[iDev].Principals, arn)
	fs := allFindings(topo, "SEG606")
	if len(fs) != 1 || fs[0].Path.String() != "flows[1]" {
		t.Fatalf("with Boundaries' promoter %s in dev's principals: %s", arn, describeFindings(fs))
	}
}

func allFindings(topo segment.Topology, rule string) []rules.Finding {
	var out []rules.Finding
	for _, f := range testkit.Must(rules.CheckTopology(topo)) {
		if f.Rule.ID == rule {
			out = append(out, f)
		}
	}
	return out
}

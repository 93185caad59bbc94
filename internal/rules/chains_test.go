package rules_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// chainTopology is a topology of the named members (name:tier) and flows
// (from>to:purpose), for SEG607's tests.
func chainTopology(members []string, flows ...string) segment.Topology {
	var t segment.Topology
	for i, m := range members {
		name, tier, _ := strings.Cut(m, ":")
		t.Environments = append(t.Environments, topoMember(name, segment.Tier(tier),
			fmt.Sprintf("10.%d.0.0/16", 64+i), fmt.Sprintf("%012d", 111111111111*(i%9+1))))
	}
	for _, f := range flows {
		ends, purpose, _ := strings.Cut(f, ":")
		from, to, _ := strings.Cut(ends, ">")
		t.Flows = append(t.Flows, topoFlow(from, to, segment.FlowPurpose(purpose)))
	}
	return t
}

var chainMembers = []string{"dev:development", "staging:staging", "prod:production", "shared:shared", "prod-eu:production"}

// TestProductionChains pins what SEG607 reports: the rule's findings, where
// they sit and the chain each one names.
func TestProductionChains(t *testing.T) {
	type want struct{ path, chain string }
	cases := []struct {
		name  string
		flows []string
		want  []want // SEG607 findings, sorted by path then message
		msg   []string
	}{
		{name: "chain and a direct flow (issue 8)",
			flows: []string{"prod>shared:telemetry", "shared>dev:telemetry", "prod>dev:telemetry"},
			want:  []want{{"flows[1]", "prod -> shared -> dev"}},
			msg:   []string{"(flows[0], flows[1])", "The direct flows[2] carries it there too", `production telemetry of "prod"`, `development environment "dev"`}},
		{name: "chain only",
			flows: []string{"prod>shared:telemetry", "shared>dev:telemetry"},
			want:  []want{{"flows[1]", "prod -> shared -> dev"}}},
		{name: "direct flow only",
			flows: []string{"prod>dev:telemetry", "prod>shared:telemetry"}},
		{name: "through another production environment",
			flows: []string{"prod>prod-eu:telemetry", "prod-eu>dev:telemetry"},
			want:  []want{{"flows[1]", "prod -> prod-eu -> dev"}}},
		{name: "two production sources, one target",
			flows: []string{"prod>shared:telemetry", "prod-eu>shared:telemetry", "shared>staging:telemetry"},
			want:  []want{{"flows[2]", "prod -> shared -> staging"}, {"flows[2]", "prod-eu -> shared -> staging"}}},
		{name: "shortest chain, not the first found",
			flows: []string{"prod>prod-eu:telemetry", "prod-eu>shared:telemetry", "shared>dev:telemetry", "prod>shared:telemetry"},
			want:  []want{{"flows[2]", "prod -> shared -> dev"}, {"flows[2]", "prod-eu -> shared -> dev"}}},
		{name: "direct flow and a longer chain around it",
			flows: []string{"prod>dev:telemetry", "prod>shared:telemetry", "shared>staging:telemetry", "staging>dev:telemetry"},
			want:  []want{{"flows[2]", "prod -> shared -> staging"}, {"flows[3]", "prod -> shared -> staging -> dev"}}},
		{name: "a walk back into the target is no chain",
			flows: []string{"prod>dev:telemetry", "dev>staging:telemetry", "staging>dev:telemetry"},
			want:  []want{{"flows[1]", "prod -> dev -> staging"}}},
		{name: "a walk back into the source is no chain",
			flows: []string{"prod>shared:telemetry", "shared>prod:telemetry", "prod>dev:telemetry"}},
		{name: "cycle among lower tiers",
			flows: []string{"prod>shared:telemetry", "shared>staging:telemetry", "staging>dev:telemetry", "dev>staging:telemetry", "dev>shared:telemetry"},
			want:  []want{{"flows[1]", "prod -> shared -> staging"}, {"flows[2]", "prod -> shared -> staging -> dev"}}},
		{name: "telemetry then artifact-pull does not chain",
			flows: []string{"prod>shared:telemetry", "shared>dev:artifact-pull", "shared>staging:deploy"}},
		{name: "artifact-pull then deploy chains (both artifacts)",
			flows: []string{"prod>shared:artifact-pull", "shared>dev:deploy"},
			want:  []want{{"flows[1]", "prod -> shared -> dev"}}, msg: []string{"production artifacts"}},
		{name: "models up and back down",
			flows: []string{"prod>shared:model-promotion", "shared>staging:model-promotion", "staging>prod:model-promotion"},
			want:  []want{{"flows[1]", "prod -> shared -> staging"}}, msg: []string{"production models", `staging environment "staging"`}},
		{name: "chain ends in shared or production",
			flows: []string{"prod>shared:telemetry", "shared>prod-eu:telemetry", "prod-eu>shared:telemetry"}},
		{name: "chain from a lower tier",
			flows: []string{"dev>shared:telemetry", "shared>staging:telemetry"}},
		{name: "self flows and unknown ends are ignored",
			flows: []string{"prod>prod:telemetry", "prod>ghost:telemetry", "ghost>dev:telemetry"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			topo := chainTopology(chainMembers, tc.flows...)
			var got []rules.Finding
			for _, f := range testkit.Must(rules.CheckTopology(topo)) {
				if f.Rule.ID == "SEG607" {
					got = append(got, f)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %s\nwant %v", describeFindings(got), tc.want)
			}
			for i, w := range tc.want {
				if got[i].Path.String() != w.path || !strings.Contains(got[i].Message, " through "+w.chain+" (") {
					t.Errorf("finding %d at %s: %q; want at %s through %s", i, got[i].Path, got[i].Message, w.path, w.chain)
				}
				checkChain(t, topo, got[i])
			}
			for _, m := range tc.msg {
				if !strings.Contains(got[0].Message, m) {
					t.Errorf("message %q does not contain %q", got[0].Message, m)
				}
			}
		})
	}
}

var chainMessage = regexp.MustCompile(`^production (\S+) of "([^"]+)" reaches \S+ environment "([^"]+)" through (\S+(?: -> \S+)+) \(((?:flows\[\d+\](?:, )?)+)\)\.`)

// parsedChain is what a SEG607 message says.
type parsedChain struct {
	content, source, target string
	names                   []string
	flows                   []int
}

func parseChain(t *testing.T, f rules.Finding) parsedChain {
	t.Helper()
	m := chainMessage.FindStringSubmatch(f.Message)
	if m == nil {
		t.Fatalf("SEG607 message %q is not of the expected form", f.Message)
	}
	pc := parsedChain{content: m[1], source: m[2], target: m[3], names: strings.Split(m[4], " -> ")}
	for _, l := range strings.Split(m[5], ", ") {
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(l, "flows["), "]"))
		if err != nil {
			t.Fatalf("bad link %q in %q", l, f.Message)
		}
		pc.flows = append(pc.flows, i)
	}
	return pc
}

// checkChain checks that a finding names a real chain: two or more flows of
// one content, from a production environment to a lower tier, link to link,
// visiting no environment twice, and sits on its last flow.
func checkChain(t *testing.T, topo segment.Topology, f rules.Finding) {
	t.Helper()
	pc := parseChain(t, f)
	if len(pc.flows) < 2 || len(pc.names) != len(pc.flows)+1 {
		t.Fatalf("chain %v over flows %v: want two or more links", pc.names, pc.flows)
	}
	if want := fmt.Sprintf("flows[%d]", pc.flows[len(pc.flows)-1]); f.Path.String() != want {
		t.Errorf("finding at %s, want the chain's last flow %s", f.Path, want)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(pc.names)))) != len(pc.names) {
		t.Errorf("chain %v visits an environment twice", pc.names)
	}
	for i, fi := range pc.flows {
		fl := topo.Flows[fi]
		if fl.From != pc.names[i] || fl.To != pc.names[i+1] || fl.Purpose.Content() != pc.content {
			t.Errorf("link %d, flows[%d] = %+v, does not carry %s from %s to %s", i, fi, fl, pc.content, pc.names[i], pc.names[i+1])
		}
	}
	tiers := map[string]segment.Tier{}
	for _, m := range topo.Environments {
		tiers[m.Name] = m.Tier
	}
	if tiers[pc.source] != segment.Production || !tiers[pc.target].Lower() || pc.names[0] != pc.source || pc.names[len(pc.names)-1] != pc.target {
		t.Errorf("chain %v is not from production %q to lower-tier %q", pc.names, pc.source, pc.target)
	}
}

// shortestChains is an independent oracle: for every (production source,
// lower-tier target, content), the length of the shortest simple path of two
// or more flows, found by enumerating every simple path.
func shortestChains(topo segment.Topology) map[string]int {
	tiers := map[string]segment.Tier{}
	for _, m := range topo.Environments {
		tiers[m.Name] = m.Tier
	}
	out := map[string]int{}
	var walk func(src, at, content string, visited map[string]bool, links int)
	walk = func(src, at, content string, visited map[string]bool, links int) {
		if links >= 2 && tiers[at].Lower() {
			k := src + ">" + at + ":" + content
			if old, ok := out[k]; !ok || links < old {
				out[k] = links
			}
		}
		for _, f := range topo.Flows {
			if f.From != at || visited[f.To] || f.Purpose.Content() != content {
				continue
			}
			if _, ok := tiers[f.To]; !ok {
				continue
			}
			visited[f.To] = true
			walk(src, f.To, content, visited, links+1)
			delete(visited, f.To)
		}
	}
	for _, m := range topo.Environments {
		if m.Tier != segment.Production {
			continue
		}
		for _, c := range []string{"artifacts", "models", "telemetry"} {
			walk(m.Name, m.Name, c, map[string]bool{m.Name: true}, 0)
		}
	}
	return out
}

// TestProductionChainsAgainstOracle compares SEG607 on random small
// topologies with the exhaustive oracle: the same (source, target, content)
// triples, each with a chain of the shortest length, and the same findings
// whatever the order of the flows.
func TestProductionChainsAgainstOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 607))
	tiers := segment.Tiers()
	purposes := segment.FlowPurposes()
	findings, besideDirect := 0, 0
	for run := range 400 {
		n := 3 + r.IntN(5)
		var members, flows []string
		for i := range n {
			members = append(members, fmt.Sprintf("e%d:%s", i, tiers[r.IntN(len(tiers))]))
		}
		for range r.IntN(3 * n) {
			flows = append(flows, fmt.Sprintf("e%d>e%d:%s", r.IntN(n), r.IntN(n), purposes[r.IntN(len(purposes))]))
		}
		topo := chainTopology(members, flows...)
		want := shortestChains(topo)
		got := map[string]int{}
		for _, f := range testkit.Must(rules.CheckTopology(topo)) {
			if f.Rule.ID != "SEG607" {
				continue
			}
			checkChain(t, topo, f)
			pc := parseChain(t, f)
			k := pc.source + ">" + pc.target + ":" + pc.content
			if _, dup := got[k]; dup {
				t.Errorf("run %d: two findings for %s", run, k)
			}
			got[k] = len(pc.flows)
			findings++
			if strings.Contains(f.Message, "The direct flows[") {
				besideDirect++
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("run %d: members %v flows %v\n got %v\nwant %v", run, members, flows, got, want)
		}
		// Shuffle the flows: the same triples, with chains of the same length.
		r.Shuffle(len(topo.Flows), func(i, j int) { topo.Flows[i], topo.Flows[j] = topo.Flows[j], topo.Flows[i] })
		again := map[string]int{}
		for _, f := range testkit.Must(rules.CheckTopology(topo)) {
			if f.Rule.ID == "SEG607" {
				pc := parseChain(t, f)
				again[pc.source+">"+pc.target+":"+pc.content] = len(pc.flows)
			}
		}
		if fmt.Sprint(again) != fmt.Sprint(want) {
			t.Fatalf("run %d: shuffled flows give %v, want %v", run, again, want)
		}
	}
	if findings < 100 || besideDirect < 10 {
		t.Errorf("the random topologies gave %d SEG607 findings, %d beside a direct flow: too few to test anything", findings, besideDirect)
	}
}

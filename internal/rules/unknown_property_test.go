package rules_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// TestTopologyUnknownInputsProperty: for random topologies, and for every
// attribute of every environment and flow made unknown in turn (its value
// then reaches the rules as the zero value, as the provider passes it),
// every rule that fires with all values known fires, or is named by
// UncheckedValues on that very attribute, and no rule fires that does not
// fire with all values known.
func TestTopologyUnknownInputsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	topologies, cases := 300, 0
	if testing.Short() {
		topologies = 50
	}
	for n := range topologies {
		topo := collidingTopology(rng)
		known := firedRules(testkit.Must(rules.CheckTopology(topo)))
		for _, u := range unknownVariants(topo) {
			cases++
			atPlan := firedRules(testkit.Must(rules.CheckTopology(u.topo)))
			var waiting []string
			for _, c := range rules.UncheckedValues(u.topo) {
				if c.Path.String() == u.path {
					waiting = append(waiting, c.Rules...)
				}
			}
			for _, id := range known {
				if !slices.Contains(atPlan, id) && !slices.Contains(waiting, id) {
					t.Errorf("topology %d with %s unknown: %s fires with every value known, but neither fires nor waits at plan", n, u.path, id)
				}
			}
			for _, id := range atPlan {
				if !slices.Contains(known, id) {
					t.Errorf("topology %d with %s unknown: %s fires at plan but not with every value known", n, u.path, id)
				}
			}
		}
	}
	t.Logf("%d topologies, %d values made unknown in turn", topologies, cases)
}

type unknownVariant struct {
	path string
	topo segment.Topology
}

// unknownVariants makes each attribute of each environment and flow unknown
// in turn.
func unknownVariants(topo segment.Topology) []unknownVariant {
	var out []unknownVariant
	memberAttrs := map[string]func(*segment.Member){
		"name":       func(m *segment.Member) { m.Name = "" },
		"tier":       func(m *segment.Member) { m.Tier = "" },
		"cloud":      func(m *segment.Member) { m.Cloud = "" },
		"account_id": func(m *segment.Member) { m.AccountID = "" },
		"cidr":       func(m *segment.Member) { m.CIDR = netip.Prefix{} },
		"ci_subject": func(m *segment.Member) { m.CISubject = "" },
		"principals": func(m *segment.Member) { m.Principals = nil },
	}
	for i := range topo.Environments {
		for attr, blank := range memberAttrs {
			u := cloneTopology(topo)
			m := &u.Environments[i]
			blank(m)
			m.Unknown = map[string]bool{attr: true}
			out = append(out, unknownVariant{fmt.Sprintf("environments[%d].%s", i, attr), u})
		}
	}
	flowAttrs := map[string]func(*segment.Flow){
		"from":    func(f *segment.Flow) { f.From = "" },
		"to":      func(f *segment.Flow) { f.To = "" },
		"purpose": func(f *segment.Flow) { f.Purpose = "" },
	}
	for i := range topo.Flows {
		for attr, blank := range flowAttrs {
			u := cloneTopology(topo)
			f := &u.Flows[i]
			blank(f)
			f.Unknown = map[string]bool{attr: true}
			out = append(out, unknownVariant{fmt.Sprintf("flows[%d].%s", i, attr), u})
		}
	}
	return out
}

func cloneTopology(t segment.Topology) segment.Topology {
	out := segment.Topology{Environments: slices.Clone(t.Environments), Flows: slices.Clone(t.Flows)}
	for i := range out.Environments {
		out.Environments[i].Principals = slices.Clone(out.Environments[i].Principals)
	}
	return out
}

// collidingTopology draws 2 to 6 environments with names, accounts, ranges,
// subjects and principals that collide now and then, and flows of every
// purpose between them, some to unknown names.
func collidingTopology(rng *rand.Rand) segment.Topology {
	names := []string{"dev", "staging", "prod", "shared", "prod-eu", "dev"}
	tiers := segment.Tiers()
	accounts := []string{"111111111111", "222222222222", "333333333333"}
	cidrs := []string{"10.64.0.0/16", "10.65.0.0/16", "10.66.0.0/16", "10.64.128.0/17", "10.0.0.0/8"}
	var topo segment.Topology
	for i := range 2 + rng.IntN(5) {
		name := names[i]
		account := accounts[rng.IntN(len(accounts))]
		m := topoMember(name, tiers[rng.IntN(len(tiers))], cidrs[rng.IntN(len(cidrs))], account)
		if rng.IntN(4) == 0 {
			m.CISubject = "repo:acme/ml:environment:shared"
		}
		if rng.IntN(5) == 0 {
			m.Principals = append(m.Principals, "arn:aws:iam::"+account+":role/acme-shared-inference")
		}
		topo.Environments = append(topo.Environments, m)
	}
	purposes := segment.FlowPurposes()
	for range rng.IntN(8) {
		from := topo.Environments[rng.IntN(len(topo.Environments))].Name
		to := topo.Environments[rng.IntN(len(topo.Environments))].Name
		if rng.IntN(10) == 0 {
			to = "nowhere"
		}
		topo.Flows = append(topo.Flows, topoFlow(from, to, purposes[rng.IntN(len(purposes))]))
	}
	return topo
}

func firedRules(fs []rules.Finding) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, f.Rule.ID) {
			out = append(out, f.Rule.ID)
		}
	}
	return out
}

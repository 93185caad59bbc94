package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// CheckTopology runs every topology rule. Values that are not known yet are
// skipped; Unchecked says what that leaves open.
func CheckTopology(t segment.Topology) []Finding {
	var all []Finding
	for _, r := range ruleTable {
		if r.checkTopology != nil {
			for _, f := range r.checkTopology(t) {
				f.Rule = r
				all = append(all, f)
			}
		}
	}
	sortFindings(all)
	return all
}

// Unchecked is a value that is not known yet, and the rules that cannot
// check it until it is.
type Unchecked struct {
	Path  Path
	Rules []string
}

// topologyInputs says which rules read each attribute of an environment or a
// flow.
var topologyInputs = map[string][]string{
	"name":         {"SEG602", "SEG603", "SEG604", "SEG605", "SEG606", "SEG607", "SEG608", "SEG609"},
	"organization": {"SEG606", "SEG609"},
	"tier":         {"SEG602", "SEG604", "SEG606", "SEG607", "SEG608"},
	"cloud":        {"SEG604", "SEG606"},
	"region":       {"SEG606"},
	"account_id":   {"SEG604", "SEG606"},
	"cidr":         {"SEG601", "SEG608"},
	"ci_subject":   {"SEG606"},
	"principals":   {"SEG606"},
	"entry_cidrs":  {"SEG608"},
	"from":         {"SEG602", "SEG603", "SEG606", "SEG607", "SEG608"},
	"to":           {"SEG602", "SEG603", "SEG606", "SEG607", "SEG608"},
	"purpose":      {"SEG602", "SEG606", "SEG607", "SEG608"},
}

// UncheckedValues lists the unknown values of t, in order.
func UncheckedValues(t segment.Topology) []Unchecked {
	var out []Unchecked
	add := func(list string, i int, unknown map[string]bool) {
		attrs := make([]string, 0, len(unknown))
		for a, u := range unknown {
			if u {
				attrs = append(attrs, a)
			}
		}
		slices.Sort(attrs)
		for _, a := range attrs {
			out = append(out, Unchecked{Path: Root(list).Index(i).Attr(a), Rules: slices.Clone(topologyInputs[a])})
		}
	}
	for i, m := range t.Environments {
		add("environments", i, m.Unknown)
	}
	for i, f := range t.Flows {
		add("flows", i, f.Unknown)
	}
	return out
}

func envPath(i int, attr string) Path { return Root("environments").Index(i).Attr(attr) }

func checkCIDROverlap(t segment.Topology) []Finding {
	named := make([]netplan.Named, 0, len(t.Environments))
	for i, m := range t.Environments {
		if m.Known("cidr") && m.CIDR.IsValid() {
			named = append(named, netplan.Named{Name: strconv.Itoa(i), Prefix: m.CIDR})
		}
	}
	var out []Finding
	for _, o := range netplan.Overlaps(named) {
		i, _ := strconv.Atoi(o.A.Name)
		j, _ := strconv.Atoi(o.B.Name)
		if i > j {
			i, j = j, i
		}
		a, b := t.Environments[i], t.Environments[j]
		out = append(out, finding(envPath(j, "cidr"),
			"%s of %q overlaps %s of %q: traffic between them cannot be told apart, and routes for one reach the other.",
			b.CIDR, b.Name, a.CIDR, a.Name))
	}
	return out
}

// environmentsByName indexes the environments with a known name; the second
// result is false when some name is not known yet.
func environmentsByName(t segment.Topology) (map[string]int, bool) {
	byName := make(map[string]int, len(t.Environments))
	complete := true
	for i, m := range t.Environments {
		if !m.Known("name") {
			complete = false
			continue
		}
		if _, dup := byName[m.Name]; !dup {
			byName[m.Name] = i
		}
	}
	return byName, complete
}

func checkFlowPolicy(t segment.Topology) []Finding {
	byName, _ := environmentsByName(t)
	var out []Finding
	for i, f := range t.Flows {
		from, okFrom := byName[f.From]
		to, okTo := byName[f.To]
		if !okFrom || !okTo || !knownFlow(f) {
			continue
		}
		a, b := t.Environments[from], t.Environments[to]
		if !a.Known("tier") || !b.Known("tier") {
			continue
		}
		at := Root("flows").Index(i)
		switch {
		case from == to:
			out = append(out, finding(at.Attr("to"), "flow %d goes from %q to itself.", i, f.From))
		case !segment.FlowAllowed(a.Tier, b.Tier, f.Purpose):
			out = append(out, finding(at.Attr("purpose"), "%s from %q (%s) to %q (%s) is not allowed. %s",
				f.Purpose, a.Name, a.Tier, b.Name, b.Tier, allowedFrom(a.Tier, b.Tier)))
		}
	}
	return out
}

// allowedFrom explains what the tier policy allows from one tier to another.
func allowedFrom(from, to segment.Tier) string {
	if from == to {
		return fmt.Sprintf("Two %s environments are isolated from each other: nothing flows between them.", from)
	}
	allowed := segment.AllowedPurposes(from, to)
	if len(allowed) == 0 {
		return fmt.Sprintf("Nothing may flow from %s to %s.", from, to)
	}
	names := make([]string, len(allowed))
	for i, p := range allowed {
		names[i] = string(p)
	}
	return fmt.Sprintf("From %s to %s only %s may flow.", from, to, strings.Join(names, " and "))
}

func checkFlowEnds(t segment.Topology) []Finding {
	byName, complete := environmentsByName(t)
	if !complete {
		return nil // an unknown name may be the one a flow refers to
	}
	var out []Finding
	for i, f := range t.Flows {
		for _, end := range []struct{ attr, name string }{{"from", f.From}, {"to", f.To}} {
			if f.Unknown[end.attr] {
				continue
			}
			if _, ok := byName[end.name]; !ok {
				out = append(out, finding(Root("flows").Index(i).Attr(end.attr),
					"flow %d names %q, which is not one of the environments: %s.", i, end.name, strings.Join(sortedNames(byName), ", ")))
			}
		}
	}
	return out
}

func sortedNames(byName map[string]int) []string {
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func checkSharedAccount(t segment.Topology) []Finding {
	type account struct{ cloud, id string }
	members := map[account][]int{}
	for i, m := range t.Environments {
		if m.Known("cloud") && m.Known("account_id") && m.Known("tier") && m.AccountID != "" {
			a := account{string(m.Cloud), m.AccountID}
			members[a] = append(members[a], i)
		}
	}
	var out []Finding
	for _, idx := range members {
		for _, p := range idx {
			prod := t.Environments[p]
			if prod.Tier != segment.Production {
				continue
			}
			for _, o := range idx {
				other := t.Environments[o]
				if other.Tier == segment.Production {
					continue
				}
				out = append(out, finding(envPath(p, "account_id"),
					"production environment %q shares %s account %s with %s environment %q: one account's administrators, quotas and blast radius span both.",
					prod.Name, prod.Cloud, prod.AccountID, other.Tier, other.Name))
			}
		}
	}
	return out
}

func checkDuplicateNames(t segment.Topology) []Finding {
	first := map[string]int{}
	var out []Finding
	for i, m := range t.Environments {
		if !m.Known("name") {
			continue
		}
		if j, dup := first[m.Name]; dup {
			out = append(out, finding(envPath(i, "name"), "environment name %q is already used by environments[%d].", m.Name, j))
			continue
		}
		first[m.Name] = i
	}
	return out
}

func checkSharedIdentity(t segment.Topology) []Finding {
	subjects := map[string]int{}
	principals := map[string]int{}
	var out []Finding
	for i, m := range t.Environments {
		if m.Known("ci_subject") && m.CISubject != "" {
			if j, dup := subjects[m.CISubject]; dup {
				out = append(out, finding(envPath(i, "ci_subject"),
					"CI subject %q deploys to both %q and %q: one pipeline identity spans two environments.", m.CISubject, t.Environments[j].Name, m.Name))
			} else {
				subjects[m.CISubject] = i
			}
		}
		if !m.Known("principals") {
			continue
		}
		for _, p := range m.Principals {
			if j, dup := principals[p]; dup && j != i {
				out = append(out, finding(envPath(i, "principals"),
					"principal %s belongs to both %q and %q.", p, t.Environments[j].Name, m.Name))
			} else if !dup {
				principals[p] = i
			}
		}
	}
	return out
}

// checkProductionChains follows, for each kind of content, the flows that
// carry it from every production environment at once (a multi-source
// breadth-first search, linear in environments and flows), and reports a
// lower tier reached through two or more links. A single link is SEG602's.
func checkProductionChains(t segment.Topology) []Finding {
	byName, _ := environmentsByName(t)
	type edge struct{ to, flow int }
	adjacency := map[string]map[int][]edge{} // content -> from -> edges
	for i, f := range t.Flows {
		from, okFrom := byName[f.From]
		to, okTo := byName[f.To]
		if !okFrom || !okTo || !knownFlow(f) || from == to {
			continue
		}
		c := f.Purpose.Content()
		if adjacency[c] == nil {
			adjacency[c] = map[int][]edge{}
		}
		adjacency[c][from] = append(adjacency[c][from], edge{to: to, flow: i})
	}
	contents := make([]string, 0, len(adjacency))
	for c := range adjacency {
		contents = append(contents, c)
	}
	slices.Sort(contents)

	var out []Finding
	for _, c := range contents {
		const unseen = -1
		via := make([]int, len(t.Environments)) // the flow that first reached each environment
		for i := range via {
			via[i] = unseen
		}
		var queue []int
		for i, m := range t.Environments {
			if m.Known("tier") && m.Tier == segment.Production {
				via[i] = len(t.Flows) // a source
				queue = append(queue, i)
			}
		}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, e := range adjacency[c][n] {
				if via[e.to] != unseen {
					continue
				}
				via[e.to] = e.flow
				queue = append(queue, e.to)
			}
		}
		for i, m := range t.Environments {
			if via[i] == unseen || via[i] == len(t.Flows) || !m.Known("tier") || !m.Tier.Lower() {
				continue
			}
			chain := chainTo(t, byName, via, i)
			if len(chain) < 3 {
				continue // a direct flow
			}
			out = append(out, finding(Root("flows").Index(via[i]),
				"production %s reaches %s environment %q through %s.", c, m.Tier, m.Name, strings.Join(chain, " -> ")))
		}
	}
	return out
}

// chainTo walks back from environment i to the production environment its
// content came from, and returns the names along the way.
func chainTo(t segment.Topology, byName map[string]int, via []int, i int) []string {
	chain := []string{t.Environments[i].Name}
	for steps := 0; via[i] < len(t.Flows) && steps <= len(t.Environments); steps++ {
		i = byName[t.Flows[via[i]].From]
		chain = append(chain, t.Environments[i].Name)
	}
	slices.Reverse(chain)
	return chain
}

// knownFlow reports whether every attribute of a flow is known.
func knownFlow(f segment.Flow) bool {
	return !f.Unknown["from"] && !f.Unknown["to"] && !f.Unknown["purpose"]
}

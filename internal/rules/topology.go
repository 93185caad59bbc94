package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// CheckTopology runs every topology rule. Values that are not known yet are
// skipped; Unchecked says what that leaves open. A topology the domain
// refuses (segment.Topology.Check: a member's tier or cloud it does not
// know) is an error, and no rule runs.
func CheckTopology(t segment.Topology) ([]Finding, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
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
	return all, nil
}

// UncheckedValues lists the unknown values of t, in order, with the rules
// that read them (their Inputs) and so check them only at apply.
func UncheckedValues(t segment.Topology) []Unchecked {
	var unknown []Path
	add := func(list string, i int, attrs map[string]bool) {
		names := make([]string, 0, len(attrs))
		for a, u := range attrs {
			if u {
				names = append(names, a)
			}
		}
		slices.Sort(names)
		for _, a := range names {
			unknown = append(unknown, Root(list).Index(i).Attr(a))
		}
	}
	for i, m := range t.Environments {
		add("environments", i, m.Unknown)
	}
	for i, f := range t.Flows {
		add("flows", i, f.Unknown)
	}
	return unchecked(ScopeTopology, unknown)
}

func envPath(i int, attr string) Path { return Root("environments").Index(i).Attr(attr) }

// environmentsByName indexes the environments by name, the first of each
// name winning as it does at apply. Once a name is not known yet, later
// environments are left out: the unknown name may turn out to be theirs and
// win. The second result is false when some name is not known yet.
func environmentsByName(t segment.Topology) (map[string]int, bool) {
	byName := make(map[string]int, len(t.Environments))
	for i, m := range t.Environments {
		if !m.Known("name") {
			return byName, false
		}
		if _, dup := byName[m.Name]; !dup {
			byName[m.Name] = i
		}
	}
	return byName, true
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

// knownFlow reports whether every attribute of a flow is known.
func knownFlow(f segment.Flow) bool {
	return !f.Unknown["from"] && !f.Unknown["to"] && !f.Unknown["purpose"]
}

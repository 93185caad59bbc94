package rules

import (
	"slices"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// checkIdentity is SEG606: one CI subject or principal in two environments,
// including the roles the topology itself creates.
func checkIdentity(t segment.Topology) []Finding {
	return slices.Concat(checkSharedIdentity(t), checkTopologyRoles(t))
}

// topologyRole is a role the topology's boundaries create.
type topologyRole struct {
	arn  string
	flow int
	in   int // the environment that holds it
}

// topologyRoles returns the promoter role each allowed model promotion
// creates in its target, as internal/blueprint's Boundaries names it
// ("{organization}-{target}-promoter--{source}"), once per promotion. A flow
// with a value not known yet is left out.
func topologyRoles(t segment.Topology) []topologyRole {
	byName, _ := environmentsByName(t)
	var out []topologyRole
	seen := map[[2]int]bool{}
	for i, f := range t.Flows {
		from, okFrom := byName[f.From]
		to, okTo := byName[f.To]
		if !okFrom || !okTo || from == to || !knownFlow(f) || f.Purpose != segment.ModelPromotion || seen[[2]int{from, to}] {
			continue
		}
		src, dst := t.Environments[from], t.Environments[to]
		facts, ok := cloud.For(dst.Cloud)
		known := src.Known("tier") && dst.Known("tier") && dst.Known("ci_subject") && dst.Known("organization") &&
			dst.Known("cloud") && dst.Known("region") && dst.Known("account_id")
		if !ok || !known || dst.CISubject == "" || !segment.FlowAllowed(src.Tier, dst.Tier, f.Purpose) {
			continue
		}
		seen[[2]int{from, to}] = true
		target := segment.Environment{Organization: dst.Organization, Name: dst.Name, Region: dst.Region, AccountID: dst.AccountID}
		out = append(out, topologyRole{arn: facts.Principal(cloud.IdentityOf(target, cloud.PromoterRole(src.Name))), flow: i, in: to})
	}
	return out
}

// checkTopologyRoles reports a role the topology creates that is already a
// principal of an environment, or that two promotions would both create.
func checkTopologyRoles(t segment.Topology) []Finding {
	owner := map[string]int{}
	for i, m := range t.Environments {
		if !m.Known("principals") {
			continue
		}
		for _, p := range m.Principals {
			if _, dup := owner[p]; !dup {
				owner[p] = i
			}
		}
	}
	var out []Finding
	created := map[string]int{}
	for _, r := range topologyRoles(t) {
		holder := t.Environments[r.in].Name
		if j, dup := owner[r.arn]; dup {
			out = append(out, finding(Root("flows").Index(r.flow),
				"flow %d creates the promoter role %s in %q, but that role is already a principal of %q: one role would serve both.",
				r.flow, r.arn, holder, t.Environments[j].Name))
		}
		if f, dup := created[r.arn]; dup {
			out = append(out, finding(Root("flows").Index(r.flow),
				"flow %d creates the promoter role %s in %q, which flow %d creates too: one role would serve both promotions.",
				r.flow, r.arn, holder, f))
			continue
		}
		created[r.arn] = r.flow
	}
	return out
}

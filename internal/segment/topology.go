package segment

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
)

// FlowPurpose is the kind of content a flow carries.
type FlowPurpose string

// The flow purposes.
const (
	ModelPromotion FlowPurpose = "model-promotion" // model artefacts move up a tier
	Telemetry      FlowPurpose = "telemetry"       // logs and metrics land in the shared sink
	Deploy         FlowPurpose = "deploy"          // shared CI deploys workloads
	ArtifactPull   FlowPurpose = "artifact-pull"   // images come from the shared registry
)

// FlowPurposes returns every flow purpose, sorted.
func FlowPurposes() []FlowPurpose {
	return []FlowPurpose{ArtifactPull, Deploy, ModelPromotion, Telemetry}
}

// Content is what a flow carries. Flows are typed channels: content passes
// along a chain of flows only when every link carries the same content.
func (p FlowPurpose) Content() string {
	switch p {
	case ModelPromotion:
		return "models"
	case Telemetry:
		return "telemetry"
	case Deploy, ArtifactPull:
		return "artifacts"
	}
	return string(p)
}

// flowPolicy is DESIGN.md's tier-policy matrix: what may flow from one tier to
// another. Anything not listed is denied, and two different environments of
// the same tier are isolated from each other.
var flowPolicy = map[Tier]map[Tier][]FlowPurpose{
	Development: {Staging: {ModelPromotion}, Shared: {Telemetry}},
	Staging:     {Production: {ModelPromotion}, Shared: {Telemetry}},
	Production:  {Shared: {Telemetry}},
	Shared: {
		Development: {ArtifactPull, Deploy},
		Staging:     {ArtifactPull, Deploy},
		Production:  {ArtifactPull, Deploy},
	},
}

// FlowAllowed reports whether the tier policy lets content of purpose move
// from an environment of tier from to a different environment of tier to.
func FlowAllowed(from, to Tier, purpose FlowPurpose) bool {
	return slices.Contains(flowPolicy[from][to], purpose)
}

// AllowedPurposes returns what may flow from one tier to another, sorted.
func AllowedPurposes(from, to Tier) []FlowPurpose {
	return slices.Clone(flowPolicy[from][to])
}

// Lower reports whether t is a lower tier than production, into which
// production content must never move.
func (t Tier) Lower() bool { return t == Development || t == Staging }

// Flow is a declared flow of content from one environment to another.
type Flow struct {
	From    string
	To      string
	Purpose FlowPurpose

	// Unknown holds the attribute names whose values are not known yet.
	Unknown map[string]bool
}

// Member is what the topology knows of one environment: the summary of a
// segmented_ml_environment. A value that is not known yet (at plan time) is
// listed in Unknown and ignored by the checks until it is.
type Member struct {
	Name           string
	Organization   string
	Tier           Tier
	Cloud          Cloud
	Region         string
	AccountID      string
	CIDR           netip.Prefix
	CISubject      string
	CIOIDCProvider string
	Principals     []string
	// EntryPoints are the declared entry points' source ranges: one entry
	// point per element of the summary's entry_cidrs, with one range each.
	EntryPoints []Ingress
	// Namespaces are the purposes of the workload namespaces of the
	// environment's cluster, which carry the network policies of its flows.
	Namespaces []NamespacePurpose

	// Unknown holds the attribute names whose values are not known yet.
	Unknown map[string]bool
}

// Known reports whether the member's attribute is known.
func (m Member) Known(attribute string) bool { return !m.Unknown[attribute] }

// Check returns what the domain cannot work with in the member: a tier that
// is not a tier, or a cloud that is not one or has no blueprint yet, whose
// principals the boundaries could not name. Empty and unknown values are
// left to the caller.
func (m Member) Check() []*InputError {
	return checkTierAndCloud(m.Tier, m.Cloud, func(a string) bool {
		return m.Known(a) && (a != "tier" || m.Tier != "") && (a != "cloud" || m.Cloud != "")
	})
}

// Check returns every member's input errors, with the member's index; the
// rules and the boundaries take only a topology without any.
func (t Topology) Check() error {
	var errs []error
	for i, m := range t.Environments {
		for _, e := range m.Check() {
			errs = append(errs, fmt.Errorf("environments[%d].%w", i, e))
		}
	}
	return errors.Join(errs...)
}

// Topology is a set of environments and the flows declared between them.
type Topology struct {
	Environments []Member
	Flows        []Flow
}

// Reachability returns, for every environment, the environments it may send
// content to and what, according to the declared flows the tier policy
// allows. Environments that may send nothing map to an empty map.
func (t Topology) Reachability() map[string]map[string][]string {
	tiers := map[string]Tier{}
	out := map[string]map[string][]string{}
	for _, m := range t.Environments {
		if _, dup := tiers[m.Name]; !dup {
			tiers[m.Name] = m.Tier
			out[m.Name] = map[string][]string{}
		}
	}
	for _, f := range t.Flows {
		from, okFrom := tiers[f.From]
		to, okTo := tiers[f.To]
		if !okFrom || !okTo || f.From == f.To || !FlowAllowed(from, to, f.Purpose) {
			continue
		}
		if !slices.Contains(out[f.From][f.To], string(f.Purpose)) {
			out[f.From][f.To] = append(out[f.From][f.To], string(f.Purpose))
			slices.Sort(out[f.From][f.To])
		}
	}
	return out
}

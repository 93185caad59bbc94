package rules

import (
	"fmt"
	"slices"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// portRange is an inclusive range of TCP ports.
type portRange struct{ from, to int }

func (r portRange) String() string {
	if r.from == r.to {
		return fmt.Sprintf("port %d", r.from)
	}
	return fmt.Sprintf("ports %d-%d", r.from, r.to)
}

// networkFlowPorts are the flow purposes whose content enters the receiving
// environment over the network, and the ports it enters on: the paths
// internal/blueprint's Boundaries opens for them (a test holds the two
// together). Model promotions and artefact pulls open no connection into the
// receiving side: its own roles read the source's buckets and registry, so
// they justify no entry point.
var networkFlowPorts = map[segment.FlowPurpose]portRange{
	segment.Telemetry: {4317, 4318}, // OTLP into the shared sink
	segment.Deploy:    {443, 443},   // the shared CI reaches the Kubernetes API
}

// checkEntryFromEnvironment is SEG608: an entry point of one environment
// whose source range overlaps another environment's cidr is a network path
// between the two, ahead of the network ACL rules that deny other
// environments. Only a declared flow from that environment, allowed by the
// tier policy and carried on the entry point's port, justifies it.
func checkEntryFromEnvironment(t segment.Topology) []Finding {
	if slices.ContainsFunc(t.Flows, func(f segment.Flow) bool { return !knownFlow(f) }) {
		return nil // a flow not known yet may be the one that justifies an entry point
	}
	var out []Finding
	for i, e := range t.Environments {
		if !e.Known("entry_cidrs") || !e.Known("name") || !e.Known("tier") {
			continue
		}
		for k, in := range e.EntryPoints {
			for _, from := range in.FromCIDRs {
				for j, f := range t.Environments {
					if i == j || !f.Known("cidr") || !f.CIDR.IsValid() || !f.Known("name") || f.Name == e.Name || !from.Overlaps(f.CIDR) {
						continue
					}
					if entryJustified(t, f, e, in.Port) {
						continue
					}
					out = append(out, finding(envPath(i, "entry_cidrs").Index(k),
						"entry point %q of %q admits port %d from %s, which overlaps %s of %q: a path from %s into %s that no declared flow allows. %s",
						in.Name, e.Name, in.Port, from, f.CIDR, f.Name, f.Name, e.Name, justification(f, e)))
				}
			}
		}
	}
	return out
}

// entryJustified reports whether a declared flow from src to dst, allowed by
// the tier policy, carries content into dst over the network on port.
func entryJustified(t segment.Topology, src, dst segment.Member, port int) bool {
	if !src.Known("tier") {
		return true // checked at apply, once the tier is known
	}
	for _, fl := range t.Flows {
		r, network := networkFlowPorts[fl.Purpose]
		if fl.From == src.Name && fl.To == dst.Name && network && port >= r.from && port <= r.to &&
			segment.FlowAllowed(src.Tier, dst.Tier, fl.Purpose) {
			return true
		}
	}
	return false
}

// justification says which flow could justify an entry point from src into
// dst, if any.
func justification(src, dst segment.Member) string {
	var allowed []string
	for _, p := range segment.AllowedPurposes(src.Tier, dst.Tier) {
		if r, ok := networkFlowPorts[p]; ok {
			allowed = append(allowed, fmt.Sprintf("%s flow from %q on %s", p, src.Name, r))
		}
	}
	if len(allowed) == 0 {
		return fmt.Sprintf("No flow from %s to %s enters over the network, so none can justify it.", src.Tier, dst.Tier)
	}
	return fmt.Sprintf("Only a declared %s could justify it.", joinOr(allowed))
}

func joinOr(items []string) string {
	switch len(items) {
	case 1:
		return items[0]
	default:
		return fmt.Sprintf("%s or %s", items[0], joinOr(items[1:]))
	}
}

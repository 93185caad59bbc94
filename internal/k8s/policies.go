package k8s

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// The policy types.
const (
	Ingress = "Ingress"
	Egress  = "Egress"
)

// namespacePolicies are the namespaces' own policies: a default deny of
// both directions in every namespace, then, in the workload namespaces,
// DNS and the private endpoints, and in the inference namespace the
// declared entry points. The system namespace gets the deny only: the
// device plugin talks to the kubelet through its socket.
func namespacePolicies(in Input, nss []Namespace) []NetworkPolicy {
	var all, workload, inference []string
	for _, ns := range nss {
		all = append(all, ns.Name)
		if ns.Purpose != SystemPurpose {
			workload = append(workload, ns.Name)
		}
		if ns.Purpose == string(segment.InferenceNamespace) {
			inference = append(inference, ns.Name)
		}
	}
	out := []NetworkPolicy{{
		Key: defaultDenyPurpose, Name: defaultDenyPurpose, Namespaces: all,
		Description: "Denies all ingress and egress of every pod of the namespace; the namespace's other policies allow the only exceptions.",
		PodSelector: map[string]string{}, PolicyTypes: []string{Ingress, Egress},
		Ingress: []PolicyRule{}, Egress: []PolicyRule{},
	}}
	out = append(out, egressPolicy(workload, "allow-dns", "Pods resolve names through the cluster's DNS, and nothing else in kube-system.",
		PolicyRule{
			Peers: []Peer{{Namespace: ptr(dnsNamespace), PodLabels: map[string]string{dnsPodLabel: dnsPodLabelValue}}},
			Ports: []Port{{Protocol: "UDP", Port: 53}, {Protocol: "TCP", Port: 53}},
		}))
	var peers []Peer
	for _, c := range in.Edge.EndpointCIDRs {
		peers = append(peers, Peer{CIDR: ptr(c)})
	}
	for _, s := range in.Edge.EndpointServices {
		peers = append(peers, Peer{Service: ptr(s)})
	}
	if len(peers) > 0 {
		out = append(out, egressPolicy(workload, "allow-private-endpoints", "Pods reach the cloud's APIs and the environment's storage, keys and registry through its private endpoints only.",
			PolicyRule{Peers: peers, Ports: []Port{{Protocol: "TCP", Port: 443}}}))
	}
	var identity []string
	for _, ns := range nss {
		if _, ok := in.Edge.Workloads[segment.NamespacePurpose(ns.Purpose)]; ok && ns.Purpose != SystemPurpose {
			identity = append(identity, ns.Name)
		}
	}
	if len(in.Edge.IdentityEndpoints) > 0 {
		var rules []PolicyRule
		for _, e := range in.Edge.IdentityEndpoints {
			peer := Peer{CIDR: ptr(e.CIDR)}
			if e.Service != "" {
				peer = Peer{Service: ptr(e.Service)}
			}
			rules = append(rules, PolicyRule{Peers: []Peer{peer}, Ports: []Port{{Protocol: "TCP", Port: e.Port}}})
		}
		out = append(out, egressPolicy(identity, "allow-identity-endpoint", "The workloads' pods get their cloud identity's credentials from its identity endpoint, and nothing else there.", rules...))
	}
	entry := NetworkPolicy{
		Key: "allow-entry-points", Name: "allow-entry-points", Namespaces: inference,
		Description: "The declared entry points reach the model servers, each from its own ranges on its own port.",
		PodSelector: map[string]string{}, PolicyTypes: []string{Ingress}, Egress: []PolicyRule{},
	}
	entries := slices.Clone(in.Ingress)
	slices.SortFunc(entries, func(a, b segment.Ingress) int { return strings.Compare(a.Name, b.Name) })
	for _, e := range entries {
		r := PolicyRule{Ports: []Port{{Protocol: "TCP", Port: e.Port}}}
		cidrs := make([]string, 0, len(e.FromCIDRs))
		for _, c := range e.FromCIDRs {
			cidrs = append(cidrs, c.String())
		}
		slices.Sort(cidrs)
		for _, c := range slices.Compact(cidrs) {
			r.Peers = append(r.Peers, Peer{CIDR: ptr(c)})
		}
		if len(r.Peers) > 0 {
			entry.Ingress = append(entry.Ingress, r)
		}
	}
	if len(entry.Ingress) > 0 {
		out = append(out, entry)
	}
	return slices.DeleteFunc(out, func(p NetworkPolicy) bool { return len(p.Namespaces) == 0 })
}

func egressPolicy(namespaces []string, name, description string, rules ...PolicyRule) NetworkPolicy {
	return NetworkPolicy{
		Key: name, Name: name, Namespaces: namespaces, Description: description,
		PodSelector: map[string]string{}, PolicyTypes: []string{Egress},
		Ingress: []PolicyRule{}, Egress: rules,
	}
}

// FlowSide is one end of a network flow between two environments, as the
// in-cluster layer of that end sees it.
type FlowSide struct {
	Environment string
	Namespaces  []segment.NamespacePurpose // the end's workload namespaces
}

// FlowPolicies returns the network policies a flow adds on each side: the
// source's namespaces that send it may reach the destination's range on
// the flow's ports, and the destination's namespaces that receive it admit
// the source's range on them. purpose names the flow in keys; senders and
// receivers are the namespace purposes on each side (receivers is empty
// when the destination is no pod, such as a cluster's API server). It
// returns an error when a side has none of the namespaces the flow needs
// (SEG805).
func FlowPolicies(src, dst FlowSide, srcCIDR, dstCIDR netip.Prefix, purpose string, senders, receivers []segment.NamespacePurpose, from, to int) (srcPolicies, dstPolicies []NetworkPolicy, err error) {
	ports := []Port{{Protocol: "TCP", Port: from}}
	if to != from {
		ports[0].EndPort = ptr(to)
	}
	if ns := matching(src.Namespaces, senders); len(ns) > 0 {
		name := fmt.Sprintf("allow-%s-to-%s", purpose, dst.Environment)
		srcPolicies = append(srcPolicies, NetworkPolicy{
			Key: name, Name: name, Namespaces: ns,
			Description: fmt.Sprintf("The declared %s flow to %s: its range, on the flow's ports only.", purpose, dst.Environment),
			PodSelector: map[string]string{}, PolicyTypes: []string{Egress}, Ingress: []PolicyRule{},
			Egress: []PolicyRule{{Peers: []Peer{{CIDR: ptr(dstCIDR.String())}}, Ports: ports}},
		})
	}
	if ns := matching(dst.Namespaces, receivers); len(ns) > 0 {
		name := fmt.Sprintf("allow-%s-from-%s", purpose, src.Environment)
		dstPolicies = append(dstPolicies, NetworkPolicy{
			Key: name, Name: name, Namespaces: ns,
			Description: fmt.Sprintf("The declared %s flow from %s: its range, on the flow's ports only.", purpose, src.Environment),
			PodSelector: map[string]string{}, PolicyTypes: []string{Ingress}, Egress: []PolicyRule{},
			Ingress: []PolicyRule{{Peers: []Peer{{CIDR: ptr(srcCIDR.String())}}, Ports: ports}},
		})
	}
	var missing []string
	if len(srcPolicies) == 0 {
		missing = append(missing, fmt.Sprintf("%s has no %s namespace to send it from", src.Environment, names(senders)))
	}
	if len(receivers) > 0 && len(dstPolicies) == 0 {
		missing = append(missing, fmt.Sprintf("%s has no %s namespace to receive it", dst.Environment, names(receivers)))
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("no network policy can carry the %s flow: %s", purpose, strings.Join(missing, ", and "))
	}
	return srcPolicies, dstPolicies, nil
}

// matching returns the names of the namespaces of have whose purpose is in
// want, sorted (a workload namespace is named after its purpose).
func matching(have, want []segment.NamespacePurpose) []string {
	var out []string
	for _, p := range have {
		if slices.Contains(want, p) {
			out = append(out, string(p))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func names(ps []segment.NamespacePurpose) string {
	return strings.Join(segment.Names(ps), " or ")
}

// FlowNamespaces returns, for a network flow, the namespace purposes that
// send it on the source's side and those that receive it on the
// destination's (none when the destination is the cluster's API server).
// Flows that open no connection (model promotion, artefact pulls) have none.
func FlowNamespaces(purpose segment.FlowPurpose) (senders, receivers []segment.NamespacePurpose) {
	switch purpose {
	case segment.Telemetry:
		return segment.NamespacePurposes(), []segment.NamespacePurpose{segment.TelemetryNamespace}
	case segment.Deploy:
		return []segment.NamespacePurpose{segment.PipelinesNamespace}, nil
	}
	return nil, nil
}

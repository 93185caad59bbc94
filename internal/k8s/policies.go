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

// namespacePolicies are a namespace's own policies: a default deny of both
// directions, then DNS, the private endpoints and, in the inference
// namespace, the declared entry points. The system namespace gets the deny
// only: the device plugin talks to the kubelet through its socket.
func namespacePolicies(in Input, ns Namespace) []NetworkPolicy {
	out := []NetworkPolicy{{
		Key: ns.Name + "-" + defaultDenyPurpose, Name: defaultDenyPurpose, Namespace: ns.Name,
		Description: "Denies all ingress and egress of every pod of the namespace; the namespace's other policies allow the only exceptions.",
		PodSelector: map[string]string{}, PolicyTypes: []string{Ingress, Egress},
		Ingress: []PolicyRule{}, Egress: []PolicyRule{},
	}}
	if ns.Purpose == SystemPurpose {
		return out
	}
	out = append(out, egressPolicy(ns.Name, "allow-dns", "Pods resolve names through the cluster's DNS, and nothing else in kube-system.",
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
		out = append(out, egressPolicy(ns.Name, "allow-private-endpoints", "Pods reach the cloud's APIs and the environment's storage, keys and registry through its private endpoints only.",
			PolicyRule{Peers: peers, Ports: []Port{{Protocol: "TCP", Port: 443}}}))
	}
	if ns.Purpose == string(segment.InferenceNamespace) && len(in.Ingress) > 0 {
		p := NetworkPolicy{
			Key: ns.Name + "-allow-entry-points", Name: "allow-entry-points", Namespace: ns.Name,
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
				p.Ingress = append(p.Ingress, r)
			}
		}
		if len(p.Ingress) > 0 {
			out = append(out, p)
		}
	}
	return out
}

func egressPolicy(namespace, name, description string, rules ...PolicyRule) NetworkPolicy {
	return NetworkPolicy{
		Key: namespace + "-" + name, Name: name, Namespace: namespace, Description: description,
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
	for _, ns := range matching(src.Namespaces, senders) {
		srcPolicies = append(srcPolicies, NetworkPolicy{
			Key: fmt.Sprintf("%s-allow-%s-to-%s", ns, purpose, dst.Environment), Name: fmt.Sprintf("allow-%s-to-%s", purpose, dst.Environment),
			Namespace: string(ns), Description: fmt.Sprintf("The declared %s flow to %s: its range, on the flow's ports only.", purpose, dst.Environment),
			PodSelector: map[string]string{}, PolicyTypes: []string{Egress}, Ingress: []PolicyRule{},
			Egress: []PolicyRule{{Peers: []Peer{{CIDR: ptr(dstCIDR.String())}}, Ports: ports}},
		})
	}
	for _, ns := range matching(dst.Namespaces, receivers) {
		dstPolicies = append(dstPolicies, NetworkPolicy{
			Key: fmt.Sprintf("%s-allow-%s-from-%s", ns, purpose, src.Environment), Name: fmt.Sprintf("allow-%s-from-%s", purpose, src.Environment),
			Namespace: string(ns), Description: fmt.Sprintf("The declared %s flow from %s: its range, on the flow's ports only.", purpose, src.Environment),
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

func matching(have, want []segment.NamespacePurpose) []segment.NamespacePurpose {
	var out []segment.NamespacePurpose
	for _, p := range have {
		if segment.HasNamespace(want, p) {
			out = append(out, p)
		}
	}
	return out
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

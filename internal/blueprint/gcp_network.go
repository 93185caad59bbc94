package blueprint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

// Google Cloud firewall priorities: every allow before the explicit denies,
// which sit at the lowest priority, above only the implied rules.
const (
	GCPAllowPriority = 1000
	GCPDenyPriority  = 65535
)

// LayerVPCFirewall is the layer of Google Cloud's VPC firewall rules:
// stateful, applied per instance, targeted by service account.
const LayerVPCFirewall = "vpc_firewall"

// Secondary range keys of the workload subnet.
const (
	RangePods     = "pods"
	RangeServices = "services"
)

// The Google APIs' virtual IPs: restricted.googleapis.com serves only the
// APIs VPC Service Controls supports, which are all a private GKE cluster
// with GPU pools needs (Artifact Registry, Cloud Storage, Cloud KMS,
// Logging, Monitoring, IAM credentials, STS).
const (
	restrictedAPIs     = "restricted.googleapis.com"
	restrictedAPIsCIDR = "199.36.153.4/30"
)

// Google's load balancer health check ranges.
var healthCheckRanges = []string{"130.211.0.0/22", "35.191.0.0/16"}

// MaxPodsPerNode sizes each GKE node's share of the pods range: a /26.
const MaxPodsPerNode = 32

func (g gcp) purposes() []netplan.Purpose {
	ps := []netplan.Purpose{netplan.Workload, netplan.Data}
	if len(g.env.Ingress) > 0 {
		ps = append(ps, netplan.Ingress)
	}
	return ps
}

func (g gcp) network(a clusterAddresses) Network {
	n := Network{Name: g.name("vpc"), CIDR: g.env.CIDR.String(), Zones: slices.Clone(g.env.Zones)}
	for _, s := range a.subnets {
		p := string(s.Purpose)
		n.Subnets = append(n.Subnets, Subnet{Key: p, Name: g.name(p), Purpose: p, CIDR: s.Prefix.String()})
	}
	v := &GCPNetwork{
		RoutingMode: "REGIONAL",
		SecondaryRanges: []SecondaryRange{
			{Key: RangePods, Name: g.name(RangePods), Subnet: string(netplan.Workload), CIDR: a.pods.String()},
			{Key: RangeServices, Name: g.name(RangeServices), Subnet: string(netplan.Workload), CIDR: a.services.String()},
		},
		Routes: []Route{{
			Key: "google-apis", Name: g.name("google-apis"), Destination: restrictedAPIsCIDR, NextHop: "default-internet-gateway",
			Priority: GCPAllowPriority, Description: "Google APIs through " + restrictedAPIs + " only: the network has no default route.",
		}},
		GoogleAPIs:      restrictedAPIs,
		GoogleAPIsCIDR:  restrictedAPIsCIDR,
		FlowLogSampling: "1.0",
		FlowLogInterval: "INTERVAL_5_SEC",
		FlowLogMetadata: "INCLUDE_ALL_METADATA",
	}
	if len(g.env.Ingress) > 0 {
		for _, r := range healthCheckRanges {
			k := "health-checks-" + strings.NewReplacer(".", "-", "/", "-").Replace(r)
			v.Routes = append(v.Routes, Route{Key: k, Name: g.name(k), Destination: r, NextHop: "default-internet-gateway",
				Priority: GCPAllowPriority, Description: "Replies to the load balancers' health checks of the declared entry points."})
		}
	}
	if publicIngress(g.env.Ingress) {
		v.Routes = append(v.Routes, Route{Key: "default", Name: g.name("default"), Destination: "0.0.0.0/0", NextHop: "default-internet-gateway",
			Priority: GCPAllowPriority, Description: "Replies to the declared entry points that admit public ranges; the firewall allows no other egress."})
	}
	vips := []string{"199.36.153.4", "199.36.153.5", "199.36.153.6", "199.36.153.7"}
	for _, d := range []string{"googleapis.com", "pkg.dev", "gcr.io"} {
		z := DNSZone{Key: key(d), Name: g.name(key(d)), Domain: d + ".", Target: d + ".", Records: vips}
		if d == "googleapis.com" {
			z.Target = restrictedAPIs + "."
		}
		v.DNSZones = append(v.DNSZones, z)
	}
	sortByKey(v.Routes, func(r Route) string { return r.Key })
	sortByKey(v.DNSZones, func(z DNSZone) string { return z.Key })
	sortByKey(n.Subnets, func(s Subnet) string { return s.Key })
	n.GCP = v
	return n
}

// gcpRule adds a VPC firewall rule that applies to the instances of the
// target identities (all instances when there are none).
func (r *rules) gcpRule(key string, targets []string, direction, action string, priority int, protocol string, from, to int, why string) *FirewallRule {
	*r = append(*r, FirewallRule{
		Key: key, Layer: LayerVPCFirewall, Targets: targets, Direction: direction, Action: action,
		Priority: ptr(priority), Description: why,
	}.withPorts(protocol, from, to))
	return &(*r)[len(*r)-1]
}

// firewallRules allows what a private GKE cluster with GPU pools needs, by
// the nodes' service account, and denies everything else in both
// directions with an explicit, logged rule at the lowest priority, so that
// no implied rule and no rule added by hand below it lets another
// environment in or out.
func (g gcp) firewallRules(a clusterAddresses) []FirewallRule {
	var r rules
	nodes := []string{RoleNode}
	workload := a.subnets[0].Prefix.String()
	r.gcpRule("fw-ingress-deny-all", []string{}, Ingress, Deny, GCPDenyPriority, ProtocolAll, 0, 0,
		"Explicit, logged deny of all other ingress: no other environment gets in.").CIDRs = []string{"0.0.0.0/0"}
	r.gcpRule("fw-egress-deny-all", []string{}, Egress, Deny, GCPDenyPriority, ProtocolAll, 0, 0,
		"Explicit, logged deny of all other egress: nothing leaves for another environment or the internet.").CIDRs = []string{"0.0.0.0/0"}

	for _, p := range []int{443, 10250} {
		r.gcpRule(fmt.Sprintf("fw-ingress-nodes-control-plane-tcp%d", p), nodes, Ingress, Allow, GCPAllowPriority, "tcp", p, p,
			"The control plane reaches the nodes (webhooks, kubelet).").CIDRs = []string{a.plane.String()}
	}
	r.gcpRule("fw-egress-nodes-control-plane-tcp443", nodes, Egress, Allow, GCPAllowPriority, "tcp", 443, 443,
		"Nodes reach the Kubernetes API.").CIDRs = []string{a.plane.String()}
	for _, p := range []struct {
		protocol string
		from, to int
		why      string
	}{
		{"tcp", 53, 53, "Cluster DNS between nodes and pods."},
		{"udp", 53, 53, "Cluster DNS between nodes and pods."},
		{"tcp", 1025, 65535, "Pod-to-pod traffic, including NCCL for distributed training."},
	} {
		k := portKey(p.protocol, p.from, p.to)
		r.gcpRule("fw-ingress-nodes-nodes-"+k, nodes, Ingress, Allow, GCPAllowPriority, p.protocol, p.from, p.to, p.why).PeerGroup = ptr(RoleNode)
		r.gcpRule("fw-egress-nodes-nodes-"+k, nodes, Egress, Allow, GCPAllowPriority, p.protocol, p.from, p.to, p.why).CIDRs =
			[]string{workload, a.pods.String()}
	}
	r.gcpRule("fw-egress-nodes-google-apis-tcp443", nodes, Egress, Allow, GCPAllowPriority, "tcp", 443, 443,
		"Nodes reach Google APIs through "+restrictedAPIs+" only.").CIDRs = []string{restrictedAPIsCIDR}

	ports := map[int]bool{}
	for _, in := range sortedIngress(g.env.Ingress) {
		var from []string
		for _, c := range in.FromCIDRs {
			from = append(from, c.String())
		}
		r.gcpRule("fw-ingress-entry-"+in.Name, nodes, Ingress, Allow, GCPAllowPriority, "tcp", in.Port, in.Port,
			fmt.Sprintf("Declared entry point %q.", in.Name)).CIDRs = from
		if !ports[in.Port] {
			ports[in.Port] = true
			r.gcpRule(fmt.Sprintf("fw-ingress-health-checks-tcp%d", in.Port), nodes, Ingress, Allow, GCPAllowPriority, "tcp", in.Port, in.Port,
				"The load balancers' health checks of the declared entry points.").CIDRs = slices.Clone(healthCheckRanges)
		}
	}
	sortByKey(r, func(f FirewallRule) string { return f.Key })
	return r
}

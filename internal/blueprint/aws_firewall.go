package blueprint

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Firewall layers, directions and actions.
const (
	LayerSecurityGroup = "security_group"
	LayerNetworkACL    = "network_acl"
	Ingress            = "ingress"
	Egress             = "egress"
	Allow              = "allow"
	Deny               = "deny"
	// ProtocolAll is every protocol, with no ports.
	ProtocolAll = "all"
)

// Network ACL rule-number bands. Lower numbers are evaluated first, so the
// environment's own range and its declared entry points are allowed before
// every other private range, and so every other environment, is denied.
const (
	RuleOwnRange       = 100   // the environment's own VPC
	RuleEntryPoints    = 110   // declared entry points, 110-149
	RuleBoundaryFlows  = 150   // reserved for flows the topology allows, 150-199
	RuleDenyPrivate    = 200   // every private range, 200-209
	RuleReturnTraffic  = 300   // S3 through the gateway endpoint, one rule per range of its prefix list, 300-349
	RuleDefaultDeny    = 32766 // explicit default deny
	maxEntryPointRules = RuleBoundaryFlows - RuleEntryPoints
)

// MaxEntryPointSources is the most (entry point, source range) pairs an
// environment can declare: each takes one network ACL rule number.
const MaxEntryPointSources = maxEntryPointRules

type rules []FirewallRule

// withPorts sets a rule's protocol and ports; a rule of every protocol has
// no ports.
func (f FirewallRule) withPorts(protocol string, from, to int) FirewallRule {
	f.Protocol = protocol
	if protocol != ProtocolAll {
		f.FromPort, f.ToPort = ptr(from), ptr(to)
	}
	return f
}

// sg adds a security group rule whose peer is another security group.
func (r *rules) sg(target, direction, protocol string, from, to int, peer, why string) {
	*r = append(*r, FirewallRule{
		Key:   fmt.Sprintf("sg-%s-%s-%s-%s", target, direction, peer, portKey(protocol, from, to)),
		Layer: LayerSecurityGroup, Targets: []string{target}, Direction: direction, Action: Allow,
		PeerGroup: ptr(peer), Description: why,
	}.withPorts(protocol, from, to))
}

// sgCIDR adds a security group rule whose peer is a range.
func (r *rules) sgCIDR(target, direction, protocol string, from, to int, cidr, name, why string) {
	*r = append(*r, FirewallRule{
		Key:   fmt.Sprintf("sg-%s-%s-%s-%s", target, direction, name, portKey(protocol, from, to)),
		Layer: LayerSecurityGroup, Targets: []string{target}, Direction: direction, Action: Allow,
		CIDRs: []string{cidr}, Description: why,
	}.withPorts(protocol, from, to))
}

// nacl adds a network ACL rule for the ACLs of some subnet purposes, on
// one or more ranges numbered up from number. A rule of one ACL is keyed
// by it, "nacl-{purpose}-{direction}-{number}"; a rule of several,
// "nacl-{direction}-{number}".
func (r *rules) nacl(targets []string, direction, action string, number int, protocol string, from, to int, cidrs []string, why string) {
	key := fmt.Sprintf("nacl-%s-%05d", direction, number)
	if len(targets) == 1 {
		key = fmt.Sprintf("nacl-%s-%s-%05d", targets[0], direction, number)
	}
	*r = append(*r, FirewallRule{
		Key:   key,
		Layer: LayerNetworkACL, Targets: targets, Direction: direction, Action: action, Priority: ptr(number),
		CIDRs: cidrs, Description: why,
	}.withPorts(protocol, from, to))
}

func portKey(protocol string, from, to int) string {
	if from == to {
		return protocol + strconv.Itoa(from)
	}
	return fmt.Sprintf("%s%d-%d", protocol, from, to)
}

func (a aws) firewallRules() []FirewallRule {
	var r rules
	a.securityGroupRules(&r)
	a.networkACLRules(&r)
	sortByKey(r, func(f FirewallRule) string { return f.Key })
	return r
}

// securityGroupRules allows what a private EKS cluster with GPU pools needs
// and nothing else. Security groups deny by default; the module also strips
// the VPC's default security group.
func (a aws) securityGroupRules(r *rules) {
	r.sg(GroupCluster, Ingress, "tcp", 443, 443, GroupNodes, "Nodes reach the Kubernetes API.")
	r.sg(GroupCluster, Egress, "tcp", 443, 443, GroupNodes, "The control plane calls admission webhooks on the nodes.")
	r.sg(GroupCluster, Egress, "tcp", 10250, 10250, GroupNodes, "The control plane reaches the kubelet for logs and exec.")

	r.sg(GroupNodes, Ingress, "tcp", 443, 443, GroupCluster, "Admission webhooks, called by the control plane.")
	r.sg(GroupNodes, Ingress, "tcp", 10250, 10250, GroupCluster, "The kubelet, called by the control plane.")
	r.sg(GroupNodes, Ingress, "tcp", 53, 53, GroupNodes, "Cluster DNS between nodes.")
	r.sg(GroupNodes, Ingress, "udp", 53, 53, GroupNodes, "Cluster DNS between nodes.")
	r.sg(GroupNodes, Ingress, "tcp", 1025, 65535, GroupNodes, "Pod-to-pod traffic, including NCCL for distributed training.")
	r.sg(GroupNodes, Egress, "tcp", 443, 443, GroupCluster, "Nodes reach the Kubernetes API.")
	r.sg(GroupNodes, Egress, "tcp", 443, 443, GroupEndpoints, "Nodes reach AWS services through the interface endpoints only.")
	r.sg(GroupNodes, Egress, "tcp", 53, 53, GroupNodes, "Cluster DNS between nodes.")
	r.sg(GroupNodes, Egress, "udp", 53, 53, GroupNodes, "Cluster DNS between nodes.")
	r.sg(GroupNodes, Egress, "tcp", 1025, 65535, GroupNodes, "Pod-to-pod traffic, including NCCL for distributed training.")
	*r = append(*r, FirewallRule{
		Key:   "sg-nodes-egress-s3-tcp443",
		Layer: LayerSecurityGroup, Targets: []string{GroupNodes}, Direction: Egress, Action: Allow,
		PeerService: ptr(S3Endpoint), Description: "Nodes reach S3 through the gateway endpoint's prefix list only.",
	}.withPorts("tcp", 443, 443))

	r.sg(GroupEndpoints, Ingress, "tcp", 443, 443, GroupNodes, "Nodes call AWS services through the endpoints.")

	a.entryPointRules(r)
}

// networkACLRules gives each subnet purpose a stateless second layer: the own
// range first, then declared entry points, then an explicit deny of every
// other private range (and so of every other environment), then the return
// traffic the subnets need, then an explicit default deny.
func (a aws) networkACLRules(r *rules) {
	own := a.env.CIDR.String()
	var denyPrivate []string
	for _, p := range netplan.PrivateRanges() {
		if p.Addr().Is4() {
			denyPrivate = append(denyPrivate, p.String())
		}
	}
	var acls []string
	for _, p := range a.purposes() {
		acls = append(acls, string(p))
	}
	slices.Sort(acls)
	for _, dir := range []string{Ingress, Egress} {
		r.nacl(acls, dir, Allow, RuleOwnRange, "tcp", 0, 65535, []string{own}, "TCP inside the environment's own VPC; the security groups narrow it down.")
		r.nacl(acls, dir, Allow, RuleOwnRange+1, "udp", 53, 53, []string{own}, "Cluster DNS inside the environment's own VPC.")
		r.nacl(acls, dir, Deny, RuleDenyPrivate, ProtocolAll, 0, 0, denyPrivate,
			"Explicit deny of every other private range: no other environment gets in or out.")
		r.nacl(acls, dir, Deny, RuleDefaultDeny, ProtocolAll, 0, 0, []string{"0.0.0.0/0"}, "Explicit default deny.")
	}
	// Workload subnets reach S3 through the gateway endpoint, whose addresses
	// are S3's own public ranges. A network ACL cannot name a prefix list, so
	// these two rules name the endpoint's, and the module writes one rule per
	// range of it, numbered up from RuleReturnTraffic: S3's ranges only,
	// never 0.0.0.0/0, so no other environment gets in on return ports.
	for _, rule := range []struct {
		dir      string
		from, to int
		why      string
	}{
		{Egress, 443, 443, "HTTPS to S3 through the gateway endpoint: the route table's only route out of the VPC."},
		{Ingress, 1024, 65535, "Replies from S3 through the gateway endpoint."},
	} {
		*r = append(*r, FirewallRule{
			Key:   fmt.Sprintf("nacl-%s-%s-%05d", netplan.Workload, rule.dir, RuleReturnTraffic),
			Layer: LayerNetworkACL, Targets: []string{string(netplan.Workload)}, Direction: rule.dir, Action: Allow, Priority: ptr(RuleReturnTraffic),
			PeerService: ptr(S3Endpoint), Description: rule.why,
		}.withPorts("tcp", rule.from, rule.to))
	}

	n := RuleEntryPoints
	for _, in := range sortedIngress(a.env.Ingress) {
		for _, from := range in.FromCIDRs {
			why := fmt.Sprintf("Declared entry point %q from %s.", in.Name, from)
			ingress := []string{string(netplan.Ingress)}
			r.nacl(ingress, Ingress, Allow, n, "tcp", in.Port, in.Port, []string{from.String()}, why)
			r.nacl(ingress, Egress, Allow, n, "tcp", 1024, 65535, []string{from.String()}, "Replies to "+why)
			n++
		}
	}
}

func sortedIngress(ingress []segment.Ingress) []segment.Ingress {
	out := slices.Clone(ingress)
	slices.SortStableFunc(out, func(x, y segment.Ingress) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// entryPointRules opens one path per declared entry point: from its source
// ranges to the load balancers, and from the load balancers to the nodes on
// the same port. Entry points that share a port and a source share a rule,
// since a security group cannot hold the same rule twice.
func (a aws) entryPointRules(r *rules) {
	sources := map[string][]string{} // "port cidr" -> entry names
	ports := map[int][]string{}      // port -> entry names
	for _, in := range sortedIngress(a.env.Ingress) {
		ports[in.Port] = append(ports[in.Port], in.Name)
		for _, from := range in.FromCIDRs {
			k := strconv.Itoa(in.Port) + " " + from.String()
			sources[k] = append(sources[k], in.Name)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(sources)) {
		port, cidr, _ := strings.Cut(k, " ")
		p, _ := strconv.Atoi(port)
		names := strings.Join(sources[k], ", ")
		r.sgCIDR(GroupIngress, Ingress, "tcp", p, p, cidr, strings.NewReplacer(".", "-", "/", "-", ":", "-").Replace(cidr),
			fmt.Sprintf("Declared entry point %s from %s.", names, cidr))
	}
	for _, p := range slices.Sorted(maps.Keys(ports)) {
		names := strings.Join(ports[p], ", ")
		r.sg(GroupIngress, Egress, "tcp", p, p, GroupNodes, fmt.Sprintf("Declared entry point %s forwards to the nodes.", names))
		r.sg(GroupNodes, Ingress, "tcp", p, p, GroupIngress, fmt.Sprintf("Declared entry point %s reaches the nodes.", names))
	}
}

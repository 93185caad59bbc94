package blueprint

import (
	"fmt"
	"slices"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

// LayerNSG is the layer of Azure's network security groups: stateful, one
// per subnet purpose, rules ordered by priority.
const LayerNSG = "network_security_group"

// Network security group priorities. Every NSG carries default rules that
// allow the whole VNet, anything peered to it and the internet outbound at
// 65000 and above; the explicit deny-alls at 4096, the lowest priority a
// rule can have, come before them.
const (
	NSGOwnRules      = 100  // what AKS and the GPU pools need, 100-109
	NSGEntryPoints   = 110  // declared entry points, 110-139
	NSGHealthProbes  = 140  // the load balancer's probes of the entry ports, 140-149
	NSGBoundaryFlows = 150  // flows the topology allows, 150-4095
	NSGDenyAll       = 4096 // explicit deny-all
)

// Service tags: Azure's load balancer probes, and Entra ID's endpoints.
const (
	AzureLoadBalancer    = "AzureLoadBalancer"
	AzureActiveDirectory = "AzureActiveDirectory"
)

func (z azure) purposes() []netplan.Purpose {
	ps := []netplan.Purpose{netplan.Workload, netplan.Data}
	if len(z.env.Ingress) > 0 {
		ps = append(ps, netplan.Ingress)
	}
	return ps
}

func (z azure) network(a clusterAddresses) Network {
	n := Network{Name: z.name("vnet"), CIDR: z.env.CIDR.String(), Zones: slices.Clone(z.env.Zones)}
	v := &AzureNetwork{ResourceGroup: z.env.Prefix(), AddressSpace: []string{a.plane.String()}}
	for _, s := range a.subnets {
		p := string(s.Purpose)
		n.Subnets = append(n.Subnets, Subnet{Key: p, Name: z.name(p), Purpose: p, CIDR: s.Prefix.String()})
		v.AddressSpace = append(v.AddressSpace, s.Prefix.String())
		v.SecurityGroups = append(v.SecurityGroups, SubnetGuard{Key: p, Name: z.name(p + "-nsg"), SubnetPurpose: p})
	}
	data := string(netplan.Data)
	endpoint := func(target, subresource, zone string) PrivateEndpoint {
		k := key(target)
		return PrivateEndpoint{Key: k, Name: z.name(k + "-pe"), Target: target, Subresource: subresource, SubnetPurpose: data, DNSZone: zone}
	}
	v.PrivateEndpoints = []PrivateEndpoint{
		endpoint(BucketData, "blob", "privatelink.blob.core.windows.net"),
		endpoint(BucketModels, "blob", "privatelink.blob.core.windows.net"),
		endpoint(ScopeKeyVault, "vault", "privatelink.vaultcore.azure.net"),
		endpoint(ScopeRegistry, "registry", "privatelink.azurecr.io"),
	}
	v.Egress = z.egress()
	sortByKey(n.Subnets, func(s Subnet) string { return s.Key })
	sortByKey(v.SecurityGroups, func(g SubnetGuard) string { return g.Key })
	sortByKey(v.PrivateEndpoints, func(e PrivateEndpoint) string { return e.Key })
	n.Azure = v
	return n
}

// egress is the one way out of the VNet: the workload subnets reach Entra
// ID, where workload identity exchanges the pods' tokens, through a NAT
// gateway. firewallRules opens exactly its service tags.
func (z azure) egress() AzureEgress {
	return AzureEgress{
		NATGateway: z.name("nat"), PublicIP: z.name("nat-ip"), SubnetPurpose: string(netplan.Workload),
		ServiceTags: []string{AzureActiveDirectory},
	}
}

// nsg adds a network security group rule for the NSG of one subnet purpose.
func (r *rules) nsg(target, direction, action string, priority int, protocol string, from, to int, why string) *FirewallRule {
	*r = append(*r, FirewallRule{
		Key:   fmt.Sprintf("nsg-%s-%s-%04d", target, direction, priority),
		Layer: LayerNSG, Targets: []string{target}, Direction: direction, Action: action,
		Priority: ptr(priority), Description: why,
	}.withPorts(protocol, from, to))
	return &(*r)[len(*r)-1]
}

// firewallRules gives every subnet purpose a network security group that
// allows what a private AKS cluster with GPU pools needs, by range, and then
// denies all inbound and all outbound traffic explicitly at the lowest
// priority, before Azure's default rules would allow the VNet, its peers and
// the internet.
func (z azure) firewallRules(a clusterAddresses) []FirewallRule {
	var r rules
	w, d := string(netplan.Workload), string(netplan.Data)
	nodes := a.subnets[0].Prefix.String()
	cluster := []string{nodes, a.pods.String()}
	apiServer := []string{a.plane.String()}
	var dataRange string
	for _, s := range a.subnets {
		if s.Purpose == netplan.Data {
			dataRange = s.Prefix.String()
		}
	}
	for _, p := range z.purposes() {
		for _, dir := range []string{Ingress, Egress} {
			r.nsg(string(p), dir, Deny, NSGDenyAll, ProtocolAll, 0, 0,
				"Explicit deny of everything else, before Azure's default rules allow the VNet, its peers and the internet.").CIDRs = []string{"0.0.0.0/0"}
		}
	}
	own := []struct {
		protocol string
		from, to int
		why      string
	}{
		{"tcp", 1025, 65535, "Pod-to-pod traffic, including NCCL for distributed training."},
		{"tcp", 53, 53, "Cluster DNS between nodes and pods."},
		{"udp", 53, 53, "Cluster DNS between nodes and pods."},
		{"tcp", 443, 443, "The API server's private endpoint and admission webhooks, inside the nodes' subnet."},
	}
	for i, o := range own {
		r.nsg(w, Ingress, Allow, NSGOwnRules+i, o.protocol, o.from, o.to, o.why).CIDRs = slices.Clone(cluster)
		r.nsg(w, Egress, Allow, NSGOwnRules+i, o.protocol, o.from, o.to, o.why).CIDRs = slices.Clone(cluster)
	}
	r.nsg(w, Egress, Allow, NSGOwnRules+len(own), "tcp", 443, 443,
		"Nodes reach the environment's storage, key vault and registry through their private endpoints only.").CIDRs = []string{dataRange}
	r.nsg(w, Egress, Allow, NSGOwnRules+len(own)+1, "tcp", 443, 443,
		"Nodes and pods reach the API server in its delegated subnet.").CIDRs = slices.Clone(apiServer)
	out := z.egress()
	for i, tag := range out.ServiceTags {
		r.nsg(out.SubnetPurpose, Egress, Allow, NSGOwnRules+len(own)+2+i, "tcp", 443, 443,
			"Workload identity exchanges the pods' tokens with Entra ID, through the NAT gateway; nothing else leaves the VNet.").PeerService = ptr(tag)
	}
	for i, p := range []int{443, 10250} {
		r.nsg(w, Ingress, Allow, NSGOwnRules+len(own)+i, "tcp", p, p,
			"The API server reaches the nodes (webhooks, kubelet) from its delegated subnet.").CIDRs = slices.Clone(apiServer)
	}
	r.nsg(d, Ingress, Allow, NSGOwnRules, "tcp", 443, 443,
		"The private endpoints answer the nodes and pods only.").CIDRs = slices.Clone(cluster)

	ports := map[int]bool{}
	n := 0
	for i, in := range sortedIngress(z.env.Ingress) {
		var from []string
		for _, c := range in.FromCIDRs {
			from = append(from, c.String())
		}
		why := fmt.Sprintf("Declared entry point %q.", in.Name)
		r.nsg(w, Ingress, Allow, NSGEntryPoints+i, "tcp", in.Port, in.Port, why).CIDRs = from
		r.nsg(string(netplan.Ingress), Ingress, Allow, NSGEntryPoints+i, "tcp", in.Port, in.Port, why).CIDRs = slices.Clone(from)
		if !ports[in.Port] {
			ports[in.Port] = true
			r.nsg(w, Ingress, Allow, NSGHealthProbes+n, "tcp", in.Port, in.Port,
				"The load balancer's health probes of the declared entry points.").PeerService = ptr(AzureLoadBalancer)
			r.nsg(string(netplan.Ingress), Egress, Allow, NSGEntryPoints+n, "tcp", in.Port, in.Port,
				"The entry points forward to the nodes.").CIDRs = []string{nodes}
			n++
		}
	}
	sortByKey(r, func(f FirewallRule) string { return f.Key })
	return r
}

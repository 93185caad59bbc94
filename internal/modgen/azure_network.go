package modgen

import (
	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

func azureNetwork() []byte {
	f := newFile(azureHeader)
	set(f.block("The environment's resource group, in its subscription (the provider's) and region: it holds every resource of the environment but the flow log, which Azure keeps beside the region's Network Watcher.", "resource", "azurerm_resource_group", "this"),
		field{"name", bp("network.azure.resource_group")},
		azureLocation(),
		azureTags(),
	)
	set(f.block(`Lookups by subnet purpose: Azure subnets are regional, one per purpose, and each purpose has
one network security group.`, "locals"),
		field{"subnets_by_purpose", forMap("s", bp("network.subnets"), ref("s.purpose"), grouped(ref("s.key")), nil)},
		field{"nsg_by_purpose", forMap("g", bp("network.azure.security_groups"), ref("g.subnet_purpose"), ref("g.key"), nil)},
	)
	set(f.block(`The environment's VNet. Its address space is its subnets' ranges only: the pods' overlay range
and the services' range, carved from the environment's range too, stay outside it as AKS requires.`, "resource", "azurerm_virtual_network", "this"),
		field{"name", bp("network.name")},
		resourceGroupName(),
		azureLocation(),
		field{"address_space", bp("network.azure.address_space")},
		azureTags(),
	)
	set(f.block(`Regional subnets per purpose. None has default outbound access to the internet, and the
network security group of the subnet applies to its private endpoints too.`, "resource", "azurerm_subnet", "this"),
		field{"for_each", keyed(bp("network.subnets"))},
		field{"name", each("name")},
		resourceGroupName(),
		field{"virtual_network_name", ref("azurerm_virtual_network.this.name")},
		field{"address_prefixes", tuple(each("cidr"))},
		field{"default_outbound_access_enabled", boolean(false)},
		field{"private_endpoint_network_policies", str("Enabled")},
	)
	apiServer := set(f.block(`The subnet delegated to the AKS API server (API Server VNet Integration): the nodes reach the
API server inside the VNet, and the private KMS plugin reaches the key vault through it. AKS
manages what runs in it.`, "resource", "azurerm_subnet", "api_server"),
		field{"name", call("format", str("%s-api-server"), bp("cluster.name"))},
		resourceGroupName(),
		field{"virtual_network_name", ref("azurerm_virtual_network.this.name")},
		field{"address_prefixes", tuple(bp("cluster.azure.api_server_cidr"))},
		field{"default_outbound_access_enabled", boolean(false)},
	)
	delegation := nested(apiServer, "delegation", field{"name", str("aks-api-server")})
	nested(delegation, "service_delegation",
		field{"name", str("Microsoft.ContainerService/managedClusters")},
		field{"actions", tuple(str("Microsoft.Network/virtualNetworks/subnets/join/action"))},
	)
	set(f.block("One network security group per subnet purpose; its rules are in firewall.tf.", "resource", "azurerm_network_security_group", "this"),
		field{"for_each", keyed(bp("network.azure.security_groups"))},
		field{"name", each("name")},
		resourceGroupName(),
		azureLocation(),
		azureTags(),
	)
	set(f.block("Every subnet is guarded by the network security group of its purpose.", "resource", "azurerm_subnet_network_security_group_association", "this"),
		field{"for_each", keyed(bp("network.subnets"))},
		field{"subnet_id", resourceRef(ref("azurerm_subnet.this"), eachKey(), "id")},
		field{"network_security_group_id", resourceRef(ref("azurerm_network_security_group.this"), index(local("nsg_by_purpose"), each("purpose")), "id")},
	)
	egress := func(attribute string) expr { return bp("network.azure.egress." + attribute) }
	set(f.block(`The one way out of the VNet: a NAT gateway for the workload subnets, leaving from one static
address. Their network security group lets through it only what the blueprint's egress names:
Entra ID (service tag AzureActiveDirectory) on 443, where workload identity exchanges the pods'
tokens; the deny-all at 4096 stops everything else.`, "resource", "azurerm_public_ip", "egress"),
		field{"name", egress("public_ip")},
		resourceGroupName(),
		azureLocation(),
		field{"allocation_method", str("Static")},
		field{"sku", str("Standard")},
		azureTags(),
	)
	set(f.block("", "resource", "azurerm_nat_gateway", "egress"),
		field{"name", egress("nat_gateway")},
		resourceGroupName(),
		azureLocation(),
		field{"sku_name", str("Standard")},
		azureTags(),
	)
	set(f.block("", "resource", "azurerm_nat_gateway_public_ip_association", "egress"),
		field{"nat_gateway_id", ref("azurerm_nat_gateway.egress.id")},
		field{"public_ip_address_id", ref("azurerm_public_ip.egress.id")},
	)
	set(f.block("", "resource", "azurerm_subnet_nat_gateway_association", "egress"),
		field{"for_each", call("toset", index(local("subnets_by_purpose"), egress("subnet_purpose")))},
		field{"subnet_id", resourceRef(ref("azurerm_subnet.this"), eachKey(), "id")},
		field{"nat_gateway_id", ref("azurerm_nat_gateway.egress.id")},
	)
	set(f.block(`The address ranges of the service tags the workload subnets may reach, for the Kubernetes
layer's network policies (output service_cidrs). Azure publishes them; the lookup reads them
at plan time.`, "data", "azurerm_network_service_tags", "egress"),
		field{"for_each", call("toset", egress("service_tags"))},
		azureLocation(),
		field{"service", eachKey()},
	)
	set(f.block("One private DNS zone per private-link domain the endpoints register in, keyed by the domain.", "resource", "azurerm_private_dns_zone", "this"),
		field{"for_each", call("toset", forList("e", bp("network.azure.private_endpoints"), ref("e.dns_zone"), nil))},
		field{"name", eachKey()},
		resourceGroupName(),
		azureTags(),
	)
	set(f.block("Each zone answers inside the VNet only; nothing registers in it automatically.", "resource", "azurerm_private_dns_zone_virtual_network_link", "this"),
		field{"for_each", ref("azurerm_private_dns_zone.this")},
		field{"name", bp("network.name")},
		field{"private_dns_zone_id", ref("each.value.id")},
		field{"virtual_network_id", ref("azurerm_virtual_network.this.id")},
		field{"registration_enabled", boolean(false)},
		azureTags(),
	)
	set(f.block(`What each private endpoint reaches, by its target: a bucket's storage account, the key vault or
the registry.`, "locals"),
		field{"private_link_targets", call("merge",
			forMapKV("k", "a", ref("azurerm_storage_account.this"), ref("k"), ref("a.id"), nil),
			object(
				field{blueprint.ScopeKeyVault, ref("azurerm_key_vault.this.id")},
				field{blueprint.ScopeRegistry, ref("azurerm_container_registry.this.id")},
			))},
	)
	pe := set(f.block(`Private endpoints in the data subnet: the only way to the environment's storage, key vault
and registry, each registered in its private DNS zone.`, "resource", "azurerm_private_endpoint", "this"),
		field{"for_each", keyed(bp("network.azure.private_endpoints"))},
		field{"name", each("name")},
		resourceGroupName(),
		azureLocation(),
		field{"subnet_id", subnetOf(each("subnet_purpose"))},
		azureTags(),
	)
	nested(pe, "private_service_connection",
		field{"name", each("name")},
		field{"is_manual_connection", boolean(false)},
		field{"private_connection_resource_id", index(local("private_link_targets"), each("target"))},
		field{"subresource_names", tuple(each("subresource"))},
	)
	nested(pe, "private_dns_zone_group",
		field{"name", each("name")},
		field{"private_dns_zone_ids", tuple(resourceRef(ref("azurerm_private_dns_zone.this"), each("dns_zone"), "id"))},
	)
	pe.SetAttributeRaw("depends_on", tuple(ref("azurerm_subnet_network_security_group_association.this"), ref("azurerm_private_dns_zone_virtual_network_link.this")))
	return f.bytes()
}

// nsgPortRange is a rule's destination ports as an NSG takes them: "N",
// "N-M", or "*" for a rule of every protocol.
func nsgPortRange() expr {
	from, to := each("from_port"), each("to_port")
	return cond(equal(from, null()), str("*"),
		cond(equal(from, to), call("tostring", from), call("format", str("%d-%d"), from, to)))
}

// nsgProtocols is how an NSG spells the blueprint's protocols.
var nsgProtocols = []field{
	{"tcp", str("Tcp")}, {"udp", str("Udp")}, {"icmp", str("Icmp")}, {blueprint.ProtocolAll, str("*")},
}

func azureFirewall() []byte {
	f := newFile(azureHeader)
	set(f.block(`The environment's network security group rules and the ones its boundary adds (layer
network_security_group), one per rule and target, keyed by the rule's key (with the target
appended when a rule has several). The target is the subnet purpose whose NSG holds the rule.`, "locals"),
		field{"nsg_protocols", object(nsgProtocols...)},
		field{"nsg_rules", forMap("e", call("flatten", forList("r", call("concat", bp("firewall_rules"), boundaryList("firewall_rules")),
			forList("t", ref("r.targets"), call("merge", ref("r"), object(
				field{"target", ref("t")},
				field{"entry", cond(equal(call("length", ref("r.targets")), num(1)), ref("r.key"), call("format", str("%s-%s"), ref("r.key"), ref("t")))},
			)), nil),
			equal(ref("r.layer"), str(blueprint.LayerNSG)))), ref("e.entry"), ref("e"), nil)},
	)
	inbound := equal(each("direction"), str(blueprint.Ingress))
	outbound := equal(each("direction"), str(blueprint.Egress))
	// The peer of a rule is its ranges, or a service tag; the other side
	// is "*": an NSG associated with subnets evaluates only the traffic that
	// enters (inbound) or leaves (outbound) them, so its own side is the
	// subnet whatever the rule says, and naming it would have to name the
	// pods' overlay range and the load balancers' frontends too.
	peerPrefixes := cond(equal(each("cidrs"), null()), null(), call("toset", each("cidrs")))
	peerPrefix := cond(equal(each("cidrs"), null()), each("peer_service"), null())
	r := set(f.block(`Inbound rules name their peer as the source (ranges, or a service tag such as
AzureLoadBalancer), outbound rules as the destination; the NSG's own side is "*", which on a
subnet's NSG is the subnet itself: the NSG sees only the traffic that enters or leaves the
subnets it guards (their nodes, the pods' overlay addresses behind them and the load balancer
frontends they answer for). The explicit deny-alls at 4096 come before Azure's default rules,
which would allow the VNet, its peers, the load balancer and the internet.`, "resource", "azurerm_network_security_rule", "this"),
		field{"for_each", local("nsg_rules")},
		field{"name", eachKey()},
		field{"description", call("substr", each("description"), num(0), num(140))},
		resourceGroupName(),
		field{"network_security_group_name", resourceRef(ref("azurerm_network_security_group.this"), index(local("nsg_by_purpose"), each("target")), "name")},
		field{"priority", each("priority")},
		field{"direction", cond(inbound, str("Inbound"), str("Outbound"))},
		field{"access", cond(equal(each("action"), str(blueprint.Allow)), str("Allow"), str("Deny"))},
		field{"protocol", index(local("nsg_protocols"), each("protocol"))},
		field{"source_port_range", str("*")},
		field{"destination_port_range", nsgPortRange()},
		field{"source_address_prefixes", cond(inbound, peerPrefixes, null())},
		field{"source_address_prefix", cond(inbound, peerPrefix, str("*"))},
		field{"destination_address_prefixes", cond(outbound, peerPrefixes, null())},
		field{"destination_address_prefix", cond(outbound, peerPrefix, str("*"))},
	)
	set(r.AppendNewBlock("lifecycle", nil).Body().AppendNewBlock("precondition", nil).Body(),
		field{"condition", and(and(equal(each("peer_group"), null()), notEqual(each("priority"), null())),
			paren(cond(equal(each("cidrs"), null()), notEqual(each("peer_service"), null()), greater(call("length", each("cidrs")), num(0)))))},
		field{"error_message", call("format", str("Network security group rule %s needs a priority and a peer an NSG can take (ranges or a service tag; Azure has no peer groups)."), eachKey())},
	)
	return f.bytes()
}

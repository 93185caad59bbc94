package modgen

import (
	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

func gcpNetwork() []byte {
	f := newFile(gcpHeader)
	set(f.block("The environment's VPC network: no automatic subnets, and none of the default routes (the routes below are the only ones).", "resource", "google_compute_network", "this"),
		project(),
		field{"name", bp("network.name")},
		field{"description", call("format", str("Network of %s (%s)."), bp("environment"), bp("tier"))},
		field{"auto_create_subnetworks", boolean(false)},
		field{"delete_default_routes_on_create", boolean(true)},
		field{"routing_mode", bp("network.gcp.routing_mode")},
		field{"depends_on", tuple(ref("google_project_service.this"))},
	)
	s := set(f.block("Regional subnets per purpose, with Private Google Access and flow logs; the workload subnet carries the pods and services ranges.", "resource", "google_compute_subnetwork", "this"),
		field{"for_each", keyed(bp("network.subnets"))},
		project(),
		field{"region", bp("region")},
		field{"name", each("name")},
		field{"network", ref("google_compute_network.this.id")},
		field{"ip_cidr_range", each("cidr")},
		field{"private_ip_google_access", boolean(true)},
	)
	nested(s, "log_config",
		field{"aggregation_interval", bp("network.gcp.flow_log_interval")},
		field{"flow_sampling", call("tonumber", bp("network.gcp.flow_log_sampling"))},
		field{"metadata", bp("network.gcp.flow_log_metadata")},
	)
	set(dynamicBlock(s, "secondary_ip_range", forList("r", bp("network.gcp.secondary_ranges"), ref("r"), equal(ref("r.subnet"), eachKey()))),
		field{"range_name", ref("secondary_ip_range.value.name")},
		field{"ip_cidr_range", ref("secondary_ip_range.value.cidr")},
	)
	set(f.block("The only routes out of the network: the Google APIs' virtual IPs, and, with declared entry points, the load balancers' health checks and (for public ones) a default route.", "resource", "google_compute_route", "this"),
		field{"for_each", keyed(bp("network.gcp.routes"))},
		project(),
		field{"name", each("name")},
		field{"description", each("description")},
		field{"network", ref("google_compute_network.this.id")},
		field{"dest_range", each("destination")},
		field{"next_hop_gateway", each("next_hop")},
		field{"priority", each("priority")},
	)
	z := set(f.block("Private zones that answer for the Google API domains with the virtual IPs, so that the workloads reach Google APIs only through them.", "resource", "google_dns_managed_zone", "this"),
		field{"for_each", keyed(bp("network.gcp.dns_zones"))},
		project(),
		field{"name", each("name")},
		field{"dns_name", each("domain")},
		field{"description", call("format", str("%s through %s, for %s."), each("domain"), bp("network.gcp.google_apis"), bp("network.name"))},
		field{"visibility", str("private")},
		field{"labels", labels()},
	)
	nested(nested(z, "private_visibility_config"), "networks", field{"network_url", ref("google_compute_network.this.id")})
	set(f.block("Every name of a zone's domain is an alias of its target.", "resource", "google_dns_record_set", "alias"),
		field{"for_each", keyed(bp("network.gcp.dns_zones"))},
		project(),
		field{"managed_zone", resourceRef(ref("google_dns_managed_zone.this"), eachKey(), "name")},
		field{"name", call("format", str("*.%s"), each("domain"))},
		field{"type", str("CNAME")},
		field{"ttl", num(300)},
		field{"rrdatas", tuple(each("target"))},
	)
	set(f.block("The target's own addresses (the virtual IPs), where the zone holds them.", "resource", "google_dns_record_set", "target"),
		field{"for_each", keyedIf(bp("network.gcp.dns_zones"), notEqual(ref("x.records"), null()))},
		project(),
		field{"managed_zone", resourceRef(ref("google_dns_managed_zone.this"), eachKey(), "name")},
		field{"name", each("target")},
		field{"type", str("A")},
		field{"ttl", num(300)},
		field{"rrdatas", each("records")},
	)
	return f.bytes()
}

// portRange is a rule's ports as Google Cloud takes them: "N" or "N-M",
// or null for a rule of every protocol.
func portRange(r string) expr {
	from, to := ref(r+".from_port"), ref(r+".to_port")
	return cond(equal(from, null()), null(),
		tuple(cond(equal(from, to), call("tostring", from), call("format", str("%d-%d"), from, to))))
}

func gcpFirewall() []byte {
	f := newFile(gcpHeader)
	set(f.block(`The environment's VPC firewall rules and the ones its boundary adds. A rule applies to the
instances that run as its target identities' service accounts, or to every instance of the
network when it has no target. The blueprint knows every service account's email at plan time,
so the plan shows each rule whole.`, "locals"),
		field{"principals", forMap("i", local("identities"), ref("i.key"), ref("i.principal"), nil)},
		field{"firewall_rules", forMap("r", call("concat", bp("firewall_rules"), boundaryList("firewall_rules")), ref("r.key"),
			call("merge", ref("r"), object(field{"ports", portRange("r")})),
			equal(ref("r.layer"), str(blueprint.LayerVPCFirewall)))},
	)
	fw := set(f.block(`Ingress rules take their peer's ranges (source_ranges) or its identity (source_service_accounts),
egress rules their peer's ranges (destination_ranges). Denies are logged. The service
accounts exist before the rules that name them.`, "resource", "google_compute_firewall", "this"),
		field{"for_each", local("firewall_rules")},
		project(),
		field{"name", call("format", str("%s-%s-%s"), bp("organization"), bp("environment"), eachKey())},
		field{"description", each("description")},
		field{"network", ref("google_compute_network.this.id")},
		field{"direction", call("upper", each("direction"))},
		field{"priority", each("priority")},
		field{"target_service_accounts", cond(equal(call("length", each("targets")), num(0)), null(),
			forList("t", each("targets"), index(local("principals"), ref("t")), nil))},
		field{"source_ranges", cond(equal(each("direction"), str(blueprint.Ingress)), each("cidrs"), null())},
		field{"destination_ranges", cond(equal(each("direction"), str(blueprint.Egress)), each("cidrs"), null())},
		field{"source_service_accounts", cond(and(equal(each("direction"), str(blueprint.Ingress)), notEqual(each("peer_group"), null())),
			tuple(index(local("principals"), each("peer_group"))), null())},
	)
	for _, action := range []string{blueprint.Allow, blueprint.Deny} {
		set(dynamicBlock(fw, action, onlyIf(equal(each("action"), str(action)), each("protocol"))),
			field{"protocol", ref(action + ".value")},
			field{"ports", each("ports")},
		)
	}
	set(dynamicBlock(fw, "log_config", onlyIf(equal(each("action"), str(blueprint.Deny)), str("INCLUDE_ALL_METADATA"))),
		field{"metadata", ref("log_config.value")},
	)
	pre := fw.AppendNewBlock("lifecycle", nil).Body().AppendNewBlock("precondition", nil).Body()
	set(pre,
		field{"condition", cond(equal(each("cidrs"), null()),
			and(equal(each("direction"), str(blueprint.Ingress)), notEqual(each("peer_group"), null())),
			greater(call("length", each("cidrs")), num(0)))},
		field{"error_message", call("format", str("Firewall rule %s names no peer Google Cloud can take (ranges, or a source identity for ingress): Google Cloud would apply it to every address."), eachKey())},
	)
	fw.SetAttributeRaw("depends_on", tuple(ref("google_service_account.this")))
	return f.bytes()
}

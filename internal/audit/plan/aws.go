package plan

import (
	"strconv"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
)

func init() {
	for typ, f := range map[string]func(*extractor, *resource){
		"aws_security_group":                                 awsSecurityGroup,
		"aws_security_group_rule":                            awsSecurityGroupRule,
		"aws_vpc_security_group_ingress_rule":                awsVPCSecurityGroupRule(audit.Ingress),
		"aws_vpc_security_group_egress_rule":                 awsVPCSecurityGroupRule(audit.Egress),
		"aws_network_acl":                                    awsNetworkACL,
		"aws_network_acl_rule":                               awsNetworkACLRule,
		"aws_vpc_peering_connection":                         awsPeering,
		"aws_ec2_transit_gateway_vpc_attachment":             awsTGWAttachment,
		"aws_route":                                          awsRoute,
		"aws_route_table":                                    awsRouteTable,
		"aws_iam_role":                                       awsPolicyGrant("assume_role_policy", audit.Trust, "", "SEG703"),
		"aws_kms_key":                                        awsPolicyGrant("policy", audit.KeyUse, "", "SEG704"),
		"aws_s3_bucket_policy":                               awsPolicyGrant("policy", audit.Storage, "bucket", "SEG706"),
		"aws_kms_grant":                                      awsKMSGrant,
		"aws_s3_bucket_server_side_encryption_configuration": awsBucketEncryption,
	} {
		extractors[typ] = f
	}
	for typ, attr := range map[string]string{
		"aws_ebs_volume": "kms_key_id", "aws_cloudwatch_log_group": "kms_key_id", "aws_db_instance": "kms_key_id",
		"aws_rds_cluster": "kms_key_id", "aws_efs_file_system": "kms_key_id", "aws_sns_topic": "kms_master_key_id",
		"aws_sqs_queue": "kms_master_key_id", "aws_secretsmanager_secret": "kms_key_id", "aws_ecr_repository": "encryption_configuration",
		"aws_eks_cluster": "encryption_config", "aws_flow_log": "", "aws_cloudtrail": "kms_key_id",
	} {
		if attr != "" {
			attr := attr
			extractors[typ] = func(x *extractor, r *resource) { x.keyUser(r, attr, attr) }
		}
	}
}

// awsRule reads one security group or network ACL rule's protocol and ports.
func awsPorts(v value, protoKey string) (proto string, from, to int) {
	proto = "all"
	if p, ok := v.get(protoKey).str(); ok {
		if n, err := eval.Protocol(p); err == nil {
			proto = n
		}
	}
	from, to = 0, 65535
	if proto == "all" {
		return proto, from, to
	}
	f, okf := v.get("from_port").num()
	t, okt := v.get("to_port").num()
	if okf && okt && f >= 0 && t >= f {
		from, to = f, t
	}
	return proto, from, to
}

func awsSecurityGroup(x *extractor, r *resource) {
	for _, dir := range []audit.Direction{audit.Ingress, audit.Egress} {
		rules, _ := x.inlineRules(r, string(dir))
		for i, rule := range rules {
			path := string(dir) + "[" + strconv.Itoa(i) + "]"
			proto, from, to := awsPorts(rule, "protocol")
			f := audit.FirewallRule{Resource: r.index, Path: path, Direction: dir, Owner: audit.Ref{Address: r.addr}, Protocol: proto, FromPort: from, ToPort: to}
			for _, k := range []string{"cidr_blocks", "ipv6_cidr_blocks"} {
				p, g := x.peers(r, rule.get(k), string(dir), path+"."+k)
				f.Peers, f.PeerGroups = append(f.Peers, p...), append(f.PeerGroups, g...)
			}
			groups, known := rule.get("security_groups").strs()
			for _, id := range groups {
				f.PeerGroups = append(f.PeerGroups, x.groupRef(id))
			}
			if !known {
				targets, _ := x.doc.references(r, string(dir))
				for _, t := range targets {
					if t.typ == "aws_security_group" && t != r {
						f.PeerGroups = append(f.PeerGroups, audit.Ref{Address: t.addr})
					}
				}
			}
			x.firewall(f)
		}
	}
}

// inlineRules returns a group's or ACL's inline rules. An unknown set that
// the configuration does not write is computed from separate rule
// resources, which are audited themselves; one it writes is a blind spot.
func (x *extractor) inlineRules(r *resource, attr string) ([]value, bool) {
	rules, known := r.vals.get(attr).list()
	if !known && r.cfg != nil && r.cfg.Expressions[attr] != nil {
		x.blind(r, attr, "SEG701")
	}
	return rules, known
}

// groupRef points at the security group with a known ID, or keeps the ID.
func (x *extractor) groupRef(id string) audit.Ref {
	if rs := x.doc.byIdentifier(id); len(rs) > 0 {
		return audit.Ref{Address: rs[0].addr, Value: id}
	}
	return audit.Ref{Value: id}
}

func awsSecurityGroupRule(x *extractor, r *resource) {
	dir := audit.Ingress
	if t, _ := r.vals.get("type").str(); t == "egress" {
		dir = audit.Egress
	}
	proto, from, to := awsPorts(r.vals, "protocol")
	f := audit.FirewallRule{Resource: r.index, Direction: dir, Owner: x.ref(r, "security_group_id"), Protocol: proto, FromPort: from, ToPort: to}
	for _, k := range []string{"cidr_blocks", "ipv6_cidr_blocks"} {
		p, g := x.peers(r, r.vals.get(k), k, k)
		f.Peers, f.PeerGroups = append(f.Peers, p...), append(f.PeerGroups, g...)
	}
	if v := r.vals.get("source_security_group_id"); v.v != nil || v.isUnknown() {
		f.PeerGroups = append(f.PeerGroups, x.refs(r, "source_security_group_id")...)
	}
	x.firewall(f)
}

func awsVPCSecurityGroupRule(dir audit.Direction) func(*extractor, *resource) {
	return func(x *extractor, r *resource) {
		proto, from, to := awsPorts(r.vals, "ip_protocol")
		f := audit.FirewallRule{Resource: r.index, Direction: dir, Owner: x.ref(r, "security_group_id"), Protocol: proto, FromPort: from, ToPort: to}
		for _, k := range []string{"cidr_ipv4", "cidr_ipv6"} {
			v := r.vals.get(k)
			if v.v == nil && !v.isUnknown() {
				continue
			}
			p, g := x.peers(r, v, k, k)
			f.Peers, f.PeerGroups = append(f.Peers, p...), append(f.PeerGroups, g...)
		}
		if v := r.vals.get("referenced_security_group_id"); v.v != nil || v.isUnknown() {
			f.PeerGroups = append(f.PeerGroups, x.refs(r, "referenced_security_group_id")...)
		}
		x.firewall(f)
	}
}

func awsNetworkACL(x *extractor, r *resource) {
	for _, dir := range []audit.Direction{audit.Ingress, audit.Egress} {
		rules, _ := x.inlineRules(r, string(dir))
		for i, rule := range rules {
			path := string(dir) + "[" + strconv.Itoa(i) + "]"
			x.aclEntry(r, rule, path, dir, audit.Ref{Address: r.addr}, "rule_no", "action")
		}
	}
}

func awsNetworkACLRule(x *extractor, r *resource) {
	dir := audit.Ingress
	if e, _ := r.vals.get("egress").str(); e == "true" {
		dir = audit.Egress
	}
	x.aclEntry(r, r.vals, "", dir, x.ref(r, "network_acl_id"), "rule_number", "rule_action")
}

func (x *extractor) aclEntry(r *resource, rule value, path string, dir audit.Direction, owner audit.Ref, numberKey, actionKey string) {
	proto, from, to := awsPorts(rule, "protocol")
	n, _ := rule.get(numberKey).num()
	action, _ := rule.get(actionKey).str()
	f := audit.FirewallRule{Resource: r.index, Path: path, Direction: dir, Owner: owner, Protocol: proto, FromPort: from, ToPort: to, Deny: action == "deny", Priority: n, Stateless: true}
	for _, k := range []string{"cidr_block", "ipv6_cidr_block"} {
		v := rule.get(k)
		if s, ok := v.str(); ok && s == "" {
			continue
		}
		if v.v == nil && !v.isUnknown() {
			continue
		}
		attr := k
		if path != "" {
			attr = string(dir)
		}
		p, g := x.peers(r, v, attr, joinPath(path, k))
		f.Peers, f.PeerGroups = append(f.Peers, p...), append(f.PeerGroups, g...)
	}
	x.firewall(f)
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func awsPeering(x *extractor, r *resource) {
	x.link(audit.Link{Resource: r.index, Path: "peer_vpc_id", Kind: audit.Peering, From: x.ref(r, "vpc_id"), To: x.ref(r, "peer_vpc_id")})
}

func awsTGWAttachment(x *extractor, r *resource) {
	x.link(audit.Link{Resource: r.index, Path: "transit_gateway_id", Kind: audit.Attachment, From: x.ref(r, "vpc_id"), To: x.ref(r, "transit_gateway_id")})
}

func awsRoute(x *extractor, r *resource) {
	s, ok := r.vals.get("destination_cidr_block").str()
	if !ok || s == "" {
		return
	}
	if p, _, err := eval.Peer(s); err == nil && p.IsValid() && p.Bits() > 0 {
		x.link(audit.Link{Resource: r.index, Path: "destination_cidr_block", Kind: audit.Route, From: x.ref(r, "route_table_id"), Destination: p})
	}
}

func awsRouteTable(x *extractor, r *resource) {
	routes, _ := r.vals.get("route").list()
	for i, rt := range routes {
		s, ok := rt.get("cidr_block").str()
		if !ok || s == "" {
			continue
		}
		if p, _, err := eval.Peer(s); err == nil && p.IsValid() && p.Bits() > 0 {
			x.link(audit.Link{Resource: r.index, Path: "route[" + strconv.Itoa(i) + "].cidr_block", Kind: audit.Route, From: audit.Ref{Address: r.addr}, Destination: p})
		}
	}
}

func awsPolicyGrant(attr string, kind audit.GrantKind, targetAttr, rule string) func(*extractor, *resource) {
	return func(x *extractor, r *resource) {
		ps, ok := x.policyPrincipals(r, attr, rule)
		if !ok {
			return
		}
		g := audit.Grant{Resource: r.index, Path: attr, Kind: kind, Principals: ps}
		if targetAttr != "" {
			g.Target = x.ref(r, targetAttr)
		}
		x.grant(g)
	}
}

func awsKMSGrant(x *extractor, r *resource) {
	g := audit.Grant{Resource: r.index, Path: "grantee_principal", Kind: audit.KeyUse, Target: x.ref(r, "key_id")}
	if s, ok := r.vals.get("grantee_principal").str(); ok {
		g.Principals = x.identify([]audit.Principal{{Text: s, Account: eval.AWSAccount(s)}})
	} else {
		targets, explained := x.explaining(r, "grantee_principal")
		for _, t := range targets {
			g.Principals = append(g.Principals, audit.Principal{Ref: t.addr})
		}
		if !explained || len(targets) == 0 {
			x.blind(r, "grantee_principal", "SEG704")
		}
	}
	x.grant(g)
}

func awsBucketEncryption(x *extractor, r *resource) {
	rules, _ := r.vals.get("rule").list()
	for i, rule := range rules {
		defaults, _ := rule.get("apply_server_side_encryption_by_default").list()
		for j, d := range defaults {
			path := "rule[" + strconv.Itoa(i) + "].apply_server_side_encryption_by_default[" + strconv.Itoa(j) + "].kms_master_key_id"
			v := d.get("kms_master_key_id")
			if s, ok := v.str(); ok && s != "" {
				key := audit.Ref{Value: s}
				if rs := x.doc.byIdentifier(s); len(rs) > 0 {
					key.Address = rs[0].addr
				}
				x.facts.KeyUsers = append(x.facts.KeyUsers, audit.KeyUser{Resource: r.index, Path: path, Key: key})
			} else if v.isUnknown() {
				targets, _ := x.doc.references(r, "rule")
				for _, t := range targets {
					if t.typ == "aws_kms_key" {
						x.facts.KeyUsers = append(x.facts.KeyUsers, audit.KeyUser{Resource: r.index, Path: path, Key: audit.Ref{Address: t.addr}})
					}
				}
			}
		}
	}
}

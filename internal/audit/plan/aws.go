package plan

import (
	"fmt"
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
		"aws_eks_cluster":                                    awsClusterEncryption,
	} {
		extractors[typ] = f
	}
	// Key users: the attribute that names the key.
	for typ, attr := range map[string]string{
		"aws_ebs_volume": "kms_key_id", "aws_cloudwatch_log_group": "kms_key_id", "aws_db_instance": "kms_key_id",
		"aws_rds_cluster": "kms_key_id", "aws_efs_file_system": "kms_key_id", "aws_sns_topic": "kms_master_key_id",
		"aws_sqs_queue": "kms_master_key_id", "aws_secretsmanager_secret": "kms_key_id", "aws_cloudtrail": "kms_key_id",
	} {
		extractors[typ] = func(x *extractor, r *resource) { x.topKeyUser(r, attr) }
	}
	extractors["aws_ecr_repository"] = func(x *extractor, r *resource) { x.nestedKeyUsers(r, "encryption_configuration", "kms_key") }
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
		rules, _ := x.blocks(r, string(dir), "SEG701")
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
		rules, _ := x.blocks(r, string(dir), "SEG701")
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
	routes, _ := x.blocks(r, "route", "SEG702")
	for i, rt := range routes {
		x.routeLinks(r, rt.get("cidr_block"), "route", "route["+strconv.Itoa(i)+"].cidr_block", audit.Ref{Address: r.addr})
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

// awsBucketEncryption reads the key of each default encryption rule, as
// nestedKeyUsers does one level deeper; references are those of the rules.
func awsBucketEncryption(x *extractor, r *resource) {
	rules, _ := x.blocks(r, "rule", "SEG705")
	targets, _ := x.doc.references(r, "rule")
	for i, rule := range rules {
		defaults, _ := rule.get("apply_server_side_encryption_by_default").list()
		for j, d := range defaults {
			x.keyUse(r, d.get("kms_master_key_id"), targets, fmt.Sprintf("rule[%d].apply_server_side_encryption_by_default[%d].kms_master_key_id", i, j))
		}
	}
}

// awsClusterEncryption reads the key of an EKS cluster's secrets
// encryption (encryption_config[i].provider[j].key_arn).
func awsClusterEncryption(x *extractor, r *resource) {
	configs, _ := x.blocks(r, "encryption_config", "SEG705")
	targets, _ := x.doc.references(r, "encryption_config")
	for i, c := range configs {
		providers, _ := c.get("provider").list()
		for j, p := range providers {
			x.keyUse(r, p.get("key_arn"), targets, fmt.Sprintf("encryption_config[%d].provider[%d].key_arn", i, j))
		}
	}
}

// principals reads the grantees of an IAM policy document; an unknown
// document is explained by the resources its configuration (and the
// policy documents it is built from) refers to.
func (x *extractor) policyPrincipals(r *resource, attr, rule string) ([]audit.Principal, bool) {
	v := r.vals.get(attr)
	if doc, ok := v.str(); ok {
		if doc == "" {
			return nil, false
		}
		p, err := x.policy(doc)
		if err != nil {
			x.blind(r, attr, rule)
			return nil, false
		}
		return x.identify(p.Grantees()), true
	}
	if v.v == nil && !v.isUnknown() {
		return nil, false
	}
	targets, explained := x.explaining(r, attr)
	var out []audit.Principal
	for _, t := range targets {
		out = append(out, audit.Principal{Ref: t.addr})
	}
	// Principals the referenced policy documents already know.
	for _, t := range x.dataDocuments(r, attr) {
		if s, ok := t.vals.get("json").str(); ok {
			if p, err := x.policy(s); err == nil {
				out = append(out, x.identify(p.Grantees())...)
			}
		}
	}
	if !explained {
		x.blind(r, attr, rule)
	}
	return out, true
}

// dataDocuments returns the data sources an attribute refers to directly.
func (x *extractor) dataDocuments(r *resource, attr string) []*resource {
	if r.cfg == nil || r.cfg.Expressions[attr] == nil || r.cfg.Expressions[attr].ExpressionData == nil {
		return nil
	}
	var out []*resource
	for _, ref := range r.cfg.Expressions[attr].References {
		parts := splitRef(ref)
		if len(parts) >= 3 && parts[0] == "data" {
			prefix := ""
			for _, c := range r.calls {
				prefix += "module." + c + "."
			}
			out = append(out, x.doc.instances(prefix+"data."+parts[1]+"."+parts[2], r.module)...)
		}
	}
	return out
}

//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/netip"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	tfjson "github.com/hashicorp/terraform-json"
)

// ---------------------------------------------------------------------------
// What moto does not do. Every entry is described in MOTO.md; the test logs
// each time it meets one, with the prefix "MOTO GAP", so nothing is skipped
// silently.

// knownListingGaps are inventory listings that moto 5.x does not implement,
// by kind. A listing that fails and is not here fails the test.
var knownListingGaps = map[string]string{}

// motoGap logs a check that moto keeps the test from making, and what the
// test checked instead.
func motoGap(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf("MOTO GAP: "+format+" (see e2e/MOTO.md)", args...)
}

func reportGaps(t *testing.T, when, env string, inv *inventory) {
	t.Helper()
	var kinds []string
	for k := range inv.gaps {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		if why, ok := knownListingGaps[k]; ok {
			motoGap(t, "%s, account of %s: cannot list %s (%s): %s", when, env, k, inv.gaps[k], why)
			continue
		}
		t.Errorf("%s, account of %s: listing %s through the API failed: %s", when, env, k, inv.gaps[k])
	}
}

// ---------------------------------------------------------------------------
// What the declared flows allow on the network.

// ephemeral is the port range of the replies to a connection, which a
// stateless network ACL must let back in.
var ephemeral = portRange{1024, 65535}

// need is one admission a declared flow implies, derived from the flow's
// purpose alone (not from the provider's output).
type need struct {
	env, peer string
	egress    bool
	ports     portRange
	sg        bool // also on the security group layer; network ACLs always
	why       string
}

// flowNeeds derives, from the declared flows, which connections cross
// environments and so what each side must admit. Telemetry is OTLP (tcp
// 4317 gRPC, 4318 HTTP) from the sender to the shared collector; deploy is the
// shared CI reaching the target's private Kubernetes API on tcp 443. Model
// promotion and artefact pulls go through the AWS APIs (S3, ECR) behind the
// VPC endpoints and open no path between the VPCs. The initiator may send to
// the port and receive replies on ephemeral ports; the responder the reverse.
// Security groups are stateful, so replies need no rule there.
func flowNeeds(flows []flow) ([]need, []string) {
	var out []need
	var unknown []string
	for _, f := range flows {
		var ports portRange
		switch f.Purpose {
		case "telemetry":
			ports = portRange{4317, 4318}
		case "deploy":
			ports = portRange{443, 443}
		case "model-promotion", "artifact-pull":
			continue
		default:
			unknown = append(unknown, fmt.Sprintf("flow %s -> %s has purpose %q, for which the test knows no network admission; any it finds is reported as a crossing", f.From, f.To, f.Purpose))
			continue
		}
		why := fmt.Sprintf("%s flow %s -> %s", f.Purpose, f.From, f.To)
		ini, resp := f.From, f.To
		out = append(out,
			need{env: resp, peer: ini, egress: false, ports: ports, sg: true, why: why},
			need{env: ini, peer: resp, egress: true, ports: ports, sg: true, why: why},
			need{env: resp, peer: ini, egress: true, ports: ephemeral, why: why + " (replies)"},
			need{env: ini, peer: resp, egress: false, ports: ephemeral, why: why + " (replies)"},
		)
	}
	return out, unknown
}

// admission is a cross-environment rule that a declared flow allows: on one
// security group or network ACL (by name), in one direction, tcp only.
type admission struct {
	env, layer, target string
	egress             bool
	ports              portRange
	peer               string
	why                string
}

func (a admission) String() string {
	dir := "ingress from"
	if a.egress {
		dir = "egress to"
	}
	return fmt.Sprintf("%s: %s %s %s %s tcp %s (%s)", a.env, strings.ReplaceAll(a.layer, "_", " "), a.target, dir, a.peer, a.ports, a.why)
}

const (
	layerSG   = "security_group"
	layerNACL = "network_acl"
)

// allowedAdmissions returns the cross-environment rules the topology's
// boundaries list that a declared flow implies, and a problem for every
// boundary rule no flow implies and every need no boundary rule meets.
func allowedAdmissions(tp *topology) ([]admission, []string, []string) {
	needs, notes := flowNeeds(tp.flows)
	var allowed []admission
	var problems []string
	for _, env := range tp.names() {
		b, ok := tp.boundaries[env]
		if !ok {
			problems = append(problems, fmt.Sprintf("the topology has no boundary for %s", env))
			continue
		}
		for _, r := range flatRules(b.FirewallRules) {
			if r.Action != "allow" {
				continue
			}
			cidr, err := netip.ParsePrefix(r.CIDR)
			if err != nil {
				continue // a rule on a peer group or prefix list stays inside the VPC
			}
			peer := ""
			for _, p := range tp.names() {
				if p != env && cidr.Overlaps(tp.envs[p].CIDR) {
					peer = p
				}
			}
			if peer == "" {
				continue
			}
			desc := fmt.Sprintf("boundary of %s, rule %s (%s %s %s %s %d-%d %s)", env, r.Key, r.Layer, r.Target, r.Direction, r.Protocol, r.FromPort, r.ToPort, r.CIDR)
			if cidr.Masked() != tp.envs[peer].CIDR {
				problems = append(problems, fmt.Sprintf("%s admits %s, which is not exactly %s's range %s", desc, cidr, peer, tp.envs[peer].CIDR))
				continue
			}
			proto, err := parseProtocol(r.Protocol)
			if err != nil || proto != protoTCP {
				problems = append(problems, fmt.Sprintf("%s: no declared flow implies protocol %q across environments", desc, r.Protocol))
				continue
			}
			egress := r.Direction == "egress"
			ports := portRange{r.FromPort, r.ToPort}
			var match *need
			for i, n := range needs {
				if n.env == env && n.peer == peer && n.egress == egress && n.ports == ports && (r.Layer == layerNACL || (r.Layer == layerSG && n.sg)) {
					match = &needs[i]
					break
				}
			}
			if match == nil {
				problems = append(problems, fmt.Sprintf("%s admits %s, which no declared flow implies", desc, peer))
				continue
			}
			target := ""
			switch r.Layer {
			case layerSG:
				target = tp.envs[env].SGNames[r.Target]
			case layerNACL:
				target = tp.envs[env].NACLNames[r.Target]
			}
			if target == "" {
				problems = append(problems, fmt.Sprintf("%s: %s has no %s %q", desc, env, r.Layer, r.Target))
				continue
			}
			allowed = append(allowed, admission{env: env, layer: r.Layer, target: target, egress: egress, ports: ports, peer: peer, why: match.why})
		}
	}
	for _, n := range needs {
		for _, layer := range []string{layerSG, layerNACL} {
			if layer == layerSG && !n.sg {
				continue
			}
			found := false
			for _, a := range allowed {
				if a.env == n.env && a.peer == n.peer && a.egress == n.egress && a.ports == n.ports && a.layer == layer {
					found = true
				}
			}
			if !found {
				dir := "ingress from"
				if n.egress {
					dir = "egress to"
				}
				problems = append(problems, fmt.Sprintf("the %s needs %s to allow %s %s on tcp %s at the %s layer, but its boundary has no such rule", n.why, n.env, dir, n.peer, n.ports, layer))
			}
		}
	}
	return allowed, problems, notes
}

// ---------------------------------------------------------------------------
// Network data of one account, as the EC2 API reports it.

type sgRule struct {
	group, groupName string
	egress           bool
	proto            int
	ports            portRange
	cidr             netip.Prefix // zero unless an IPv4 range
	prefixList       string
	refGroup         string
	refUser          string
	source           string
}

func (r sgRule) key() string {
	return fmt.Sprintf("%s|%v|%d|%v|%v|%s|%s|%s", r.group, r.egress, r.proto, r.ports, r.cidr, r.prefixList, r.refGroup, r.refUser)
}

func (r sgRule) describe(peer string) string {
	dir := "ingress from"
	if r.egress {
		dir = "egress to"
	}
	what := protoName(r.proto)
	if r.proto == protoAll {
		what = "all traffic"
	} else if hasPorts(r.proto) {
		what += " " + r.ports.String()
	}
	return fmt.Sprintf("%s %s %s (rule seen through %s)", dir, peer, what, r.source)
}

type netData struct {
	sgs      map[string]ec2types.SecurityGroup // by ID, without the baseline
	rules    []sgRule
	nacls    []ec2types.NetworkAcl
	rts      []ec2types.RouteTable
	peerings []ec2types.VpcPeeringConnection
	vpcs     []ec2types.Vpc
}

func portsOf(proto int, from, to *int32) portRange {
	if !hasPorts(proto) || from == nil || to == nil || *from < 0 {
		return allPorts
	}
	return portRange{int(*from), int(*to)}
}

func loadNetData(ctx context.Context, a *account, base *inventory) (*netData, []string, error) {
	d := &netData{sgs: map[string]ec2types.SecurityGroup{}}
	var excluded []string
	isBase := func(kind, id string) bool {
		_, ok := base.byKind[kind][id]
		return ok
	}
	vp := ec2.NewDescribeVpcsPaginator(a.ec2, &ec2.DescribeVpcsInput{})
	for vp.HasMorePages() {
		out, err := vp.NextPage(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, v := range out.Vpcs {
			if !isBase(kindVPC, aws.ToString(v.VpcId)) {
				d.vpcs = append(d.vpcs, v)
			}
		}
	}
	sp := ec2.NewDescribeSecurityGroupsPaginator(a.ec2, &ec2.DescribeSecurityGroupsInput{})
	for sp.HasMorePages() {
		out, err := sp.NextPage(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, g := range out.SecurityGroups {
			id := aws.ToString(g.GroupId)
			if isBase(kindSecurityGroup, id) {
				excluded = append(excluded, fmt.Sprintf("security group %s (%s) of VPC %s", id, aws.ToString(g.GroupName), aws.ToString(g.VpcId)))
				continue
			}
			d.sgs[id] = g
		}
	}
	seen := map[string]bool{}
	add := func(r sgRule) {
		if !seen[r.key()] {
			seen[r.key()] = true
			d.rules = append(d.rules, r)
		}
	}
	for id, g := range d.sgs {
		for _, egress := range []bool{false, true} {
			perms := g.IpPermissions
			if egress {
				perms = g.IpPermissionsEgress
			}
			for _, p := range perms {
				proto, err := parseProtocol(aws.ToString(p.IpProtocol))
				if err != nil {
					return nil, nil, fmt.Errorf("security group %s: %w", id, err)
				}
				r := sgRule{group: id, groupName: aws.ToString(g.GroupName), egress: egress, proto: proto, ports: portsOf(proto, p.FromPort, p.ToPort), source: "DescribeSecurityGroups"}
				for _, ip := range p.IpRanges {
					x := r
					pfx, err := netip.ParsePrefix(aws.ToString(ip.CidrIp))
					if err != nil {
						return nil, nil, fmt.Errorf("security group %s: %w", id, err)
					}
					x.cidr = pfx.Masked()
					add(x)
				}
				for _, pl := range p.PrefixListIds {
					x := r
					x.prefixList = aws.ToString(pl.PrefixListId)
					add(x)
				}
				for _, gp := range p.UserIdGroupPairs {
					x := r
					x.refGroup, x.refUser = aws.ToString(gp.GroupId), aws.ToString(gp.UserId)
					add(x)
				}
			}
		}
	}
	rp := ec2.NewDescribeSecurityGroupRulesPaginator(a.ec2, &ec2.DescribeSecurityGroupRulesInput{})
	for rp.HasMorePages() {
		out, err := rp.NextPage(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, sr := range out.SecurityGroupRules {
			g, ok := d.sgs[aws.ToString(sr.GroupId)]
			if !ok {
				continue
			}
			proto, err := parseProtocol(aws.ToString(sr.IpProtocol))
			if err != nil {
				return nil, nil, fmt.Errorf("security group rule %s: %w", aws.ToString(sr.SecurityGroupRuleId), err)
			}
			r := sgRule{group: aws.ToString(sr.GroupId), groupName: aws.ToString(g.GroupName), egress: aws.ToBool(sr.IsEgress), proto: proto, ports: portsOf(proto, sr.FromPort, sr.ToPort), source: "DescribeSecurityGroupRules"}
			switch {
			case sr.CidrIpv4 != nil:
				pfx, err := netip.ParsePrefix(aws.ToString(sr.CidrIpv4))
				if err != nil {
					return nil, nil, err
				}
				r.cidr = pfx.Masked()
			case sr.PrefixListId != nil:
				r.prefixList = aws.ToString(sr.PrefixListId)
			case sr.ReferencedGroupInfo != nil:
				r.refGroup, r.refUser = aws.ToString(sr.ReferencedGroupInfo.GroupId), aws.ToString(sr.ReferencedGroupInfo.UserId)
			case sr.CidrIpv6 != nil:
				continue
			}
			add(r)
		}
	}
	np := ec2.NewDescribeNetworkAclsPaginator(a.ec2, &ec2.DescribeNetworkAclsInput{})
	for np.HasMorePages() {
		out, err := np.NextPage(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, n := range out.NetworkAcls {
			if isBase(kindNetworkACL, aws.ToString(n.NetworkAclId)) {
				excluded = append(excluded, fmt.Sprintf("network ACL %s of VPC %s", aws.ToString(n.NetworkAclId), aws.ToString(n.VpcId)))
				continue
			}
			d.nacls = append(d.nacls, n)
		}
	}
	tp := ec2.NewDescribeRouteTablesPaginator(a.ec2, &ec2.DescribeRouteTablesInput{})
	for tp.HasMorePages() {
		out, err := tp.NextPage(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, rt := range out.RouteTables {
			if isBase(kindRouteTable, aws.ToString(rt.RouteTableId)) {
				excluded = append(excluded, fmt.Sprintf("route table %s of VPC %s", aws.ToString(rt.RouteTableId), aws.ToString(rt.VpcId)))
				continue
			}
			d.rts = append(d.rts, rt)
		}
	}
	pp := ec2.NewDescribeVpcPeeringConnectionsPaginator(a.ec2, &ec2.DescribeVpcPeeringConnectionsInput{})
	for pp.HasMorePages() {
		out, err := pp.NextPage(ctx)
		if err != nil {
			return nil, nil, err
		}
		d.peerings = append(d.peerings, out.VpcPeeringConnections...)
	}
	sort.Strings(excluded)
	return d, excluded, nil
}

func naclEntries(n ec2types.NetworkAcl) ([]naclEntry, error) {
	var out []naclEntry
	for _, e := range n.Entries {
		if e.CidrBlock == nil {
			continue // IPv6; no environment has an IPv6 range
		}
		pfx, err := netip.ParsePrefix(aws.ToString(e.CidrBlock))
		if err != nil {
			return nil, err
		}
		proto, err := parseProtocol(aws.ToString(e.Protocol))
		if err != nil {
			return nil, err
		}
		ports := allPorts
		if hasPorts(proto) && e.PortRange != nil && e.PortRange.From != nil && e.PortRange.To != nil {
			ports = portRange{int(*e.PortRange.From), int(*e.PortRange.To)}
		}
		out = append(out, naclEntry{number: int(aws.ToInt32(e.RuleNumber)), egress: aws.ToBool(e.Egress), proto: proto, allow: e.RuleAction == ec2types.RuleActionAllow, cidr: pfx.Masked(), ports: ports})
	}
	return out, nil
}

func tagValue(tags []ec2types.Tag, key string) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

// prefixListCIDRs resolves a managed prefix list. When moto cannot (it keeps
// no entries for the AWS-managed service lists), ok is false and note says
// what was checked instead; an error means it is not an AWS service list.
func prefixListCIDRs(ctx context.Context, a *account, id string) (cidrs []netip.Prefix, ok bool, note string, err error) {
	out, err := a.ec2.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(id)})
	if err == nil && len(out.Entries) > 0 {
		for _, e := range out.Entries {
			p, perr := netip.ParsePrefix(aws.ToString(e.Cidr))
			if perr != nil {
				return nil, false, "", perr
			}
			cidrs = append(cidrs, p.Masked())
		}
		return cidrs, true, "", nil
	}
	why := "it has no entries"
	if err != nil {
		why = err.Error()
	}
	d, derr := a.ec2.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{id}})
	if derr != nil || len(d.PrefixLists) == 0 {
		// The prefix list of a gateway endpoint: find it by service name.
		all, aerr := a.ec2.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{})
		if aerr != nil {
			return nil, false, "", fmt.Errorf("prefix list %s cannot be resolved (%s) nor described (%v)", id, why, aerr)
		}
		for _, pl := range all.PrefixLists {
			if aws.ToString(pl.PrefixListId) == id {
				d = all
			}
		}
		if d == nil || len(d.PrefixLists) == 0 {
			return nil, false, "", fmt.Errorf("prefix list %s cannot be resolved (%s) and DescribeManagedPrefixLists does not know it", id, why)
		}
	}
	for _, pl := range d.PrefixLists {
		if aws.ToString(pl.PrefixListId) != id {
			continue
		}
		name, owner := aws.ToString(pl.PrefixListName), aws.ToString(pl.OwnerId)
		if owner == "AWS" && strings.HasPrefix(name, "com.amazonaws.") {
			return nil, false, fmt.Sprintf("prefix list %s (%s): moto returns no entries for it (%s); checked instead that it is AWS's own list of a service's public ranges (owner %s), which holds no private range", id, name, why, owner), nil
		}
		return nil, false, "", fmt.Errorf("prefix list %s (%s, owner %s) is not an AWS service list and its entries cannot be read (%s)", id, name, owner, why)
	}
	return nil, false, "", fmt.Errorf("prefix list %s cannot be resolved (%s)", id, why)
}

// ---------------------------------------------------------------------------

// runChecks makes the independent checks through the AWS API.
func runChecks(ctx context.Context, t *testing.T, tp *topology, accounts map[string]*account, baseline, after map[string]*inventory) {
	names := tp.names()

	allowed, problems, notes := allowedAdmissions(tp)
	t.Run("boundaries-match-declared-flows", func(t *testing.T) {
		for _, n := range notes {
			t.Log(n)
		}
		for _, p := range problems {
			t.Error(p)
		}
		for _, a := range allowed {
			t.Logf("allowed crossing: %s", a)
		}
	})

	nets := map[string]*netData{}
	for _, env := range names {
		d, excluded, err := loadNetData(ctx, accounts[env], baseline[env])
		if err != nil {
			t.Fatalf("reading the network of %s through the EC2 API: %v", env, err)
		}
		for _, x := range excluded {
			t.Logf("%s: not part of the environment, so not checked for crossings: %s, which the account had before apply (moto's default VPC; AWS accounts have one too)", env, x)
		}
		nets[env] = d
	}

	t.Run("environment-vpcs", func(t *testing.T) {
		for _, env := range names {
			d := nets[env]
			if len(d.vpcs) != 1 {
				t.Errorf("%s (account %s): %d VPCs were created, want exactly 1", env, accounts[env].id, len(d.vpcs))
				continue
			}
			if got := aws.ToString(d.vpcs[0].CidrBlock); got != tp.envs[env].CIDR.String() {
				t.Errorf("%s: VPC %s has range %s, want %s", env, aws.ToString(d.vpcs[0].VpcId), got, tp.envs[env].CIDR)
			}
			if len(d.sgs) == 0 || len(d.nacls) == 0 || len(d.rules) == 0 {
				t.Errorf("%s: found %d security groups, %d rules and %d network ACLs; the checks below would prove nothing", env, len(d.sgs), len(d.rules), len(d.nacls))
			}
		}
	})

	t.Run("isolation", func(t *testing.T) {
		motoGap(t, "moto carries no packets, so no connection between environments is attempted; checked instead: every security group rule (DescribeSecurityGroups and DescribeSecurityGroupRules, prefix lists resolved) and every network ACL entry the EC2 API reports, evaluated as AWS does (security groups: any allow admits; network ACLs: rule-number order, first match, implicit deny), and the route tables")
		for _, a := range names {
			for _, b := range names {
				if a == b {
					continue
				}
				t.Run(a+"-admits-"+b, func(t *testing.T) {
					A, B := tp.envs[a], tp.envs[b]
					d := nets[a]
					t.Run("security-groups", func(t *testing.T) {
						checkSecurityGroups(ctx, t, accounts[a], A, B, d, allowed)
					})
					t.Run("network-acls", func(t *testing.T) {
						checkNACLs(t, A, B, d, allowed)
					})
					t.Run("routes", func(t *testing.T) {
						checkRoutes(t, A, B, d)
					})
				})
			}
		}
	})

	t.Run("no-peering-or-transit", func(t *testing.T) {
		for _, env := range names {
			for _, p := range nets[env].peerings {
				st := ""
				if p.Status != nil {
					st = string(p.Status.Code)
				}
				req, acc := p.RequesterVpcInfo, p.AccepterVpcInfo
				t.Errorf("%s: VPC peering connection %s (%s) joins %s/%s and %s/%s", env, aws.ToString(p.VpcPeeringConnectionId), st,
					aws.ToString(req.OwnerId), aws.ToString(req.VpcId), aws.ToString(acc.OwnerId), aws.ToString(acc.VpcId))
			}
			for _, r := range after[env].added(baseline[env]) {
				if r.Kind == kindTGWAttachment {
					t.Errorf("%s: transit gateway attachment %s of VPC %s", env, r.ID, r.VPC)
				}
			}
			for _, rt := range nets[env].rts {
				for _, r := range rt.Routes {
					if leavesTheVPC(r) {
						t.Errorf("%s: route table %s (%s) routes %s to %s, a path to other private networks", env, aws.ToString(rt.RouteTableId), tagValue(rt.Tags, "Name"),
							firstNonEmpty(aws.ToString(r.DestinationCidrBlock), aws.ToString(r.DestinationPrefixListId)), routeTarget(r))
					}
				}
			}
		}
	})

	t.Run("declared-flows-open", func(t *testing.T) {
		for _, adm := range allowed {
			checkFlowOpen(t, tp, adm, nets[adm.env])
		}
	})

	t.Run("policies", func(t *testing.T) {
		motoGap(t, "moto authorizes no request against IAM, key or bucket policies and lets any role be assumed, so no cross-environment access is attempted; checked instead: the trust, inline, key and bucket policy documents the APIs return")
		for _, env := range names {
			t.Run(env, func(t *testing.T) {
				checkPolicies(ctx, t, tp, env, accounts, baseline, after)
			})
		}
	})

	t.Run("tags", func(t *testing.T) {
		for _, env := range names {
			t.Run(env, func(t *testing.T) {
				checkTags(t, env, baseline[env], after[env])
			})
		}
	})
}

func checkSecurityGroups(ctx context.Context, t *testing.T, acct *account, A, B *envInfo, d *netData, allowed []admission) {
	var ok, checked int
	prefixLists := map[string]int{}
	for _, r := range d.rules {
		checked++
		where := fmt.Sprintf("security group %s (%s) in %s (account %s)", r.groupName, r.group, A.Name, A.Account)
		var cidrs []netip.Prefix
		switch {
		case r.cidr.IsValid():
			cidrs = []netip.Prefix{r.cidr}
		case r.prefixList != "":
			pl, resolved, note, err := prefixListCIDRs(ctx, acct, r.prefixList)
			if err != nil {
				t.Errorf("%s: %s: %v", where, r.describe("prefix list "+r.prefixList), err)
				continue
			}
			if !resolved {
				motoGap(t, "%s: %s", where, note)
				continue
			}
			cidrs = pl
			prefixLists[r.prefixList] = len(pl)
		case r.refGroup != "":
			if r.refUser != "" && r.refUser != A.Account {
				t.Errorf("%s admits security group %s of account %s: %s", where, r.refGroup, r.refUser, r.describe("group "+r.refGroup))
			} else if _, own := d.sgs[r.refGroup]; !own {
				t.Errorf("%s refers to security group %s, which is not one of %s's groups: %s", where, r.refGroup, A.Name, r.describe("group "+r.refGroup))
			}
			continue
		}
		for _, c := range cidrs {
			if !c.Overlaps(B.CIDR) {
				continue
			}
			if sgAllowed(allowed, A.Name, r, c, B) {
				ok++
				continue
			}
			rel := "range"
			switch {
			case c == B.CIDR:
			case within(c, B.CIDR):
				rel = "range, through " + c.String() + " inside it,"
			default:
				rel = "range, through " + c.String() + " which contains it,"
			}
			t.Errorf("%s admits %s's %s %s: %s", where, B.Name, rel, B.CIDR, r.describe(c.String()))
		}
	}
	t.Logf("%s: %d security group rules checked against %s's range %s (prefix lists resolved through GetManagedPrefixListEntries: %v); %d of them are crossings a declared flow allows", A.Name, checked, B.Name, B.CIDR, prefixLists, ok)
}

func sgAllowed(allowed []admission, env string, r sgRule, c netip.Prefix, B *envInfo) bool {
	if r.proto != protoTCP || !within(c, B.CIDR) {
		return false
	}
	for _, a := range allowed {
		if a.env == env && a.layer == layerSG && a.target == r.groupName && a.egress == r.egress && a.peer == B.Name && a.ports.contains(r.ports) {
			return true
		}
	}
	return false
}

func checkNACLs(t *testing.T, A, B *envInfo, d *netData, allowed []admission) {
	var ok int
	for _, n := range d.nacls {
		id, name := aws.ToString(n.NetworkAclId), tagValue(n.Tags, "Name")
		entries, err := naclEntries(n)
		if err != nil {
			t.Errorf("network ACL %s (%s) of %s: %v", name, id, A.Name, err)
			continue
		}
		for _, egress := range []bool{false, true} {
			for _, cell := range evaluateNACL(entries, B.CIDR, egress) {
				if cell.proto == protoTCP && naclAllowed(allowed, A.Name, name, egress, cell.ports, B.Name) {
					ok++
					continue
				}
				t.Errorf("network ACL %s (%s) in %s's VPC %s (account %s) admits %s's range %s: %s", name, id, A.Name, aws.ToString(n.VpcId), A.Account, B.Name, B.CIDR, cell)
			}
		}
	}
	t.Logf("%s: %d network ACLs evaluated for %s's range %s (rule-number order, first match); %d admitted slices are crossings a declared flow allows", A.Name, len(d.nacls), B.Name, B.CIDR, ok)
}

func naclAllowed(allowed []admission, env, nacl string, egress bool, ports portRange, peer string) bool {
	for _, a := range allowed {
		if a.env == env && a.layer == layerNACL && a.target == nacl && a.egress == egress && a.peer == peer && a.ports.contains(ports) {
			return true
		}
	}
	return false
}

// routeTarget names where a route sends its traffic.
func routeTarget(r ec2types.Route) string {
	return firstNonEmpty(aws.ToString(r.GatewayId), aws.ToString(r.VpcPeeringConnectionId), aws.ToString(r.TransitGatewayId),
		aws.ToString(r.NatGatewayId), aws.ToString(r.NetworkInterfaceId), aws.ToString(r.InstanceId), aws.ToString(r.LocalGatewayId),
		aws.ToString(r.CarrierGatewayId), aws.ToString(r.EgressOnlyInternetGatewayId), aws.ToString(r.CoreNetworkArn))
}

// leavesTheVPC reports whether a route's target joins the VPC to other
// private networks: a peering connection, a transit gateway, a VPN gateway.
func leavesTheVPC(r ec2types.Route) bool {
	return r.VpcPeeringConnectionId != nil || r.TransitGatewayId != nil || strings.HasPrefix(routeTarget(r), "vgw-") || r.CoreNetworkArn != nil
}

// checkRoutes: no route of A covers B's range, except the internet route
// (0.0.0.0/0 to an internet gateway), which carries no private range.
func checkRoutes(t *testing.T, A, B *envInfo, d *netData) {
	n := 0
	for _, rt := range d.rts {
		for _, r := range rt.Routes {
			n++
			if r.DestinationCidrBlock == nil {
				continue // a prefix list: the S3 gateway endpoint
			}
			dst, err := netip.ParsePrefix(aws.ToString(r.DestinationCidrBlock))
			if err != nil || !dst.Overlaps(B.CIDR) {
				continue
			}
			target := routeTarget(r)
			if dst.Bits() == 0 && strings.HasPrefix(target, "igw-") && !leavesTheVPC(r) {
				continue
			}
			t.Errorf("route table %s (%s) of %s routes %s, which covers %s's range %s, to %s", aws.ToString(rt.RouteTableId), tagValue(rt.Tags, "Name"), A.Name, dst, B.Name, B.CIDR, target)
		}
	}
	t.Logf("%s: %d routes in %d route tables checked against %s's range %s", A.Name, n, len(d.rts), B.Name, B.CIDR)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// checkFlowOpen checks that a crossing a declared flow needs is really there,
// so that the isolation checks are not passing on an empty network.
func checkFlowOpen(t *testing.T, tp *topology, adm admission, d *netData) {
	peer := tp.envs[adm.peer].CIDR
	switch adm.layer {
	case layerSG:
		for _, r := range d.rules {
			if r.groupName == adm.target && r.egress == adm.egress && r.proto == protoTCP && r.ports == adm.ports && r.cidr == peer {
				return
			}
		}
		t.Errorf("%s: no such rule through the EC2 API", adm)
	case layerNACL:
		for _, n := range d.nacls {
			if tagValue(n.Tags, "Name") != adm.target {
				continue
			}
			entries, err := naclEntries(n)
			if err != nil {
				t.Errorf("%s: %v", adm, err)
				return
			}
			for _, addr := range []netip.Addr{peer.Addr(), lastAddr(peer)} {
				for _, port := range []int{adm.ports.from, (adm.ports.from + adm.ports.to) / 2, adm.ports.to} {
					if allow, rule := naclDecide(entries, addr, adm.egress, protoTCP, port); !allow {
						t.Errorf("%s: network ACL %s denies %s tcp port %d (rule %d)", adm, aws.ToString(n.NetworkAclId), addr, port, rule)
					}
				}
			}
			return
		}
		t.Errorf("%s: no network ACL named %s through the EC2 API", adm, adm.target)
	}
}

// ---------------------------------------------------------------------------
// Identity and keys.

func checkPolicies(ctx context.Context, t *testing.T, tp *topology, env string, accounts map[string]*account, baseline, after map[string]*inventory) {
	a := accounts[env]

	rules := principalRules{account: a.id, oidcProviders: map[string]bool{}, foreignRoles: map[string]string{}, foreignAccounts: map[string]string{}}
	for id := range after[env].byKind[kindOIDC] {
		rules.oidcProviders[id] = true
	}
	for _, other := range tp.names() {
		if other == env {
			continue
		}
		rules.foreignAccounts[tp.envs[other].Account] = other
		for id := range after[other].byKind[kindRole] {
			rules.foreignRoles[id] = other
		}
	}
	added := after[env].added(baseline[env])
	b := tp.boundaries[env]

	t.Run("trust-policies", func(t *testing.T) {
		n := 0
		for _, r := range added {
			if r.Kind != kindRole {
				continue
			}
			out, err := a.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(r.Name)})
			if err != nil {
				t.Errorf("%s: iam:GetRole %s: %v", env, r.Name, err)
				continue
			}
			doc, err := parsePolicy(aws.ToString(out.Role.AssumeRolePolicyDocument))
			if err != nil {
				t.Errorf("%s: trust policy of role %s: %v", env, r.Name, err)
				continue
			}
			n++
			for _, f := range checkPrincipals(doc, rules, nil) {
				t.Errorf("%s (account %s): trust policy of role %s: %s", env, a.id, r.Name, f)
			}
		}
		if n == 0 {
			t.Errorf("%s: no role was created, so no trust policy was checked", env)
		}
		t.Logf("%s: %d trust policies checked", env, n)
	})

	t.Run("inline-and-attached-policies", func(t *testing.T) {
		boundaryRoles := map[string]bool{}
		for _, r := range b.Identities {
			boundaryRoles[r.Name] = true
		}
		boundaryPolicies := map[string]bool{}
		for _, p := range b.RolePolicies {
			boundaryPolicies[p.Key] = true
		}
		n := 0
		for _, r := range added {
			if r.Kind != kindRole {
				continue
			}
			lp := iam.NewListRolePoliciesPaginator(a.iam, &iam.ListRolePoliciesInput{RoleName: aws.String(r.Name)})
			var policyNames []string
			for lp.HasMorePages() {
				out, err := lp.NextPage(ctx)
				if err != nil {
					t.Errorf("%s: iam:ListRolePolicies %s: %v", env, r.Name, err)
					break
				}
				policyNames = append(policyNames, out.PolicyNames...)
			}
			for _, pn := range policyNames {
				out, err := a.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(r.Name), PolicyName: aws.String(pn)})
				if err != nil {
					t.Errorf("%s: iam:GetRolePolicy %s/%s: %v", env, r.Name, pn, err)
					continue
				}
				doc, err := parsePolicy(aws.ToString(out.PolicyDocument))
				if err != nil {
					t.Errorf("%s: inline policy %s of role %s: %v", env, pn, r.Name, err)
					continue
				}
				n++
				for _, w := range wildcardActions(doc) {
					t.Errorf("%s (account %s): inline policy %s of role %s: %s", env, a.id, pn, r.Name, w)
				}
				// A policy may reach into another environment only as a
				// declared flow's receiving side: the promoter role reading the
				// source's models, or nodes pulling from shared's registry.
				allowInline := func(i int, s statement) (bool, string) {
					if !boundaryRoles[r.Name] && !boundaryPolicies[pn] {
						return false, ""
					}
					for acct, other := range rules.foreignAccounts {
						if !strings.Contains(s.raw, acct) {
							continue
						}
						if !flowDeclared(tp, other, env, "model-promotion") && !flowDeclared(tp, other, env, "artifact-pull") {
							return false, fmt.Sprintf("no model-promotion or artifact-pull flow %s -> %s is declared", other, env)
						}
					}
					return true, ""
				}
				for _, f := range checkPrincipals(doc, rules, allowInline) {
					t.Errorf("%s (account %s): inline policy %s of role %s: %s", env, a.id, pn, r.Name, f)
				}
			}
			ap := iam.NewListAttachedRolePoliciesPaginator(a.iam, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(r.Name)})
			for ap.HasMorePages() {
				out, err := ap.NextPage(ctx)
				if err != nil {
					t.Errorf("%s: iam:ListAttachedRolePolicies %s: %v", env, r.Name, err)
					break
				}
				for _, p := range out.AttachedPolicies {
					arn := aws.ToString(p.PolicyArn)
					if !strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") && !strings.HasPrefix(arn, "arn:aws:iam::"+a.id+":policy/") {
						t.Errorf("%s: role %s has policy %s of another account attached", env, r.Name, arn)
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no inline policy found, so none was checked", env)
		}
		t.Logf("%s: %d inline policies checked for wildcard actions and other environments", env, n)
	})

	t.Run("key-policies", func(t *testing.T) {
		aliases := map[string][]string{} // key ID -> aliases
		for name, al := range after[env].byKind[kindAlias] {
			aliases[al.Name] = append(aliases[al.Name], name)
		}
		n := 0
		for _, r := range added {
			if r.Kind != kindKey || r.Implicit != "" {
				continue
			}
			keyID := r.ID[strings.LastIndex(r.ID, "/")+1:]
			out, err := a.kms.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(r.ID), PolicyName: aws.String("default")})
			if err != nil {
				t.Errorf("%s: kms:GetKeyPolicy %s: %v", env, r.ID, err)
				continue
			}
			doc, err := parsePolicy(aws.ToString(out.Policy))
			if err != nil {
				t.Errorf("%s: policy of key %s: %v", env, r.ID, err)
				continue
			}
			n++
			names := aliases[keyID]
			for _, f := range checkPrincipals(doc, rules, grantMatcher(tp, env, "key", names)) {
				t.Errorf("%s (account %s): policy of key %s %v: %s", env, a.id, keyID, names, f)
			}
		}
		if n == 0 {
			t.Errorf("%s: no KMS key was created, so no key policy was checked", env)
		}
		t.Logf("%s: %d key policies checked", env, n)
	})

	t.Run("bucket-policies", func(t *testing.T) {
		n := 0
		for _, r := range added {
			if r.Kind != kindBucket {
				continue
			}
			out, err := a.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(r.ID)})
			if err != nil {
				t.Errorf("%s: s3:GetBucketPolicy %s: %v", env, r.ID, err)
				continue
			}
			doc, err := parsePolicy(aws.ToString(out.Policy))
			if err != nil {
				t.Errorf("%s: policy of bucket %s: %v", env, r.ID, err)
				continue
			}
			n++
			for _, f := range checkPrincipals(doc, rules, grantMatcher(tp, env, "bucket", []string{r.ID})) {
				t.Errorf("%s (account %s): policy of bucket %s: %s", env, a.id, r.ID, f)
			}
		}
		if n == 0 {
			t.Errorf("%s: no bucket was created, so no bucket policy was checked", env)
		}
		t.Logf("%s: %d bucket policies checked", env, n)
	})

}

func flowDeclared(tp *topology, from, to, purpose string) bool {
	for _, f := range tp.flows {
		if f.From == from && f.To == to && f.Purpose == purpose {
			return true
		}
	}
	return false
}

// grantMatcher accepts a key or bucket policy statement that names another
// environment only if it is one of the grants the topology's boundary lists
// for this resource, and that grant is what a declared model promotion
// allows: the receiving environment's role reads the models, nothing else.
func grantMatcher(tp *topology, env, kind string, resourceNames []string) func(int, statement) (bool, string) {
	readOnly := map[string][]string{
		"key":    {"kms:Decrypt", "kms:DescribeKey"},
		"bucket": {"s3:GetObject", "s3:ListBucket"},
	}[kind]
	return func(_ int, s statement) (bool, string) {
		if !strings.EqualFold(s.Effect, "Allow") || len(s.NotAction) > 0 || len(s.NotResource) > 0 || s.NotPrincipal != nil || s.Principal == nil || s.Principal.Star {
			return false, ""
		}
		var principals []string
		for _, p := range s.Principal.Kinds["AWS"] {
			if acct, ok := principalAccount(p); ok && acct != tp.envs[env].Account {
				principals = append(principals, p)
			}
		}
		for _, g := range tp.boundaries[env].ResourceGrants {
			if g.Kind != kind {
				continue
			}
			target := tp.envs[env].KeyAliases[g.Target]
			if kind == "bucket" {
				target = tp.envs[env].BucketNames[g.Target]
			}
			if !contains(resourceNames, target) {
				continue
			}
			gs, err := parsePolicy(`{"Statement":[` + g.AWS.Statement + `]}`)
			if err != nil || len(gs.Statement) != 1 || gs.Statement[0].Principal == nil {
				continue
			}
			want := gs.Statement[0]
			if !reflect.DeepEqual(sortedCopy(principals), sortedCopy(want.Principal.Kinds["AWS"])) || !subset(s.Action, want.Action) || !subset(s.Resource, want.Resource) {
				continue
			}
			// The grant the boundary lists; is it what the flow allows?
			for _, p := range principals {
				acct, _ := principalAccount(p)
				to, ok := tp.envByAccount(acct)
				if !ok {
					return false, fmt.Sprintf("principal %s is in account %s, which is no environment's", p, acct)
				}
				if !flowDeclared(tp, env, to, "model-promotion") {
					return false, fmt.Sprintf("no model-promotion flow %s -> %s is declared", env, to)
				}
			}
			if !subset(s.Action, readOnly) {
				return false, fmt.Sprintf("a model promotion grants only %v, not %v", readOnly, []string(s.Action))
			}
			if !strings.HasSuffix(target, "-models") {
				return false, fmt.Sprintf("a model promotion reads the models, never %s", target)
			}
			return true, ""
		}
		return false, "no grant of the topology's boundary for a declared flow matches it"
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

// ---------------------------------------------------------------------------
// Tags and leftovers.

// coreKinds must each have at least one tagged resource in every environment,
// or the tag check would pass on nothing.
var coreKinds = []string{kindVPC, kindSubnet, kindRouteTable, kindSecurityGroup, kindNetworkACL, kindEndpoint, kindFlowLog,
	kindRole, kindKey, kindBucket, kindLogGroup, kindCluster, kindAlarm}

const envTag = "segmented:environment"

func checkTags(t *testing.T, env string, base, inv *inventory) {
	counts := map[string]int{}
	notTaggable := map[string]int{}
	implicit := map[string][]string{}
	for _, r := range inv.added(base) {
		if !r.Taggable {
			notTaggable[r.Kind]++
			continue
		}
		if r.Implicit != "" {
			implicit[r.Implicit] = append(implicit[r.Implicit], r.ID)
			continue
		}
		if got, ok := r.Tags[envTag]; !ok {
			t.Errorf("%s: %s has no tag %s (tags: %v)", env, r, envTag, r.Tags)
		} else if got != env {
			t.Errorf("%s: %s is tagged %s=%q, want %q", env, r, envTag, got, env)
		}
		counts[r.Kind]++
	}
	for _, k := range coreKinds {
		if counts[k] == 0 && knownListingGaps[k] == "" {
			t.Errorf("%s: no %s was created, or the API does not list it", env, k)
		}
	}
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(parts)
	t.Logf("%s: tags checked on %s", env, strings.Join(parts, ", "))
	for k, n := range notTaggable {
		t.Logf("%s: %d %s not checked for tags: AWS cannot tag that kind", env, n, k)
	}
	for why, ids := range implicit {
		t.Logf("%s: %d resources not checked for tags, because the module does not create them: each is %s: %v", env, len(ids), why, ids)
	}
}

func checkLeftovers(t *testing.T, env, acct string, base, final *inventory) {
	var pending, deleted []string
	for _, r := range final.added(base) {
		switch {
		case r.Kind == kindKey && r.State == "PendingDeletion":
			// AWS keeps a deleted key for its deletion window.
			pending = append(pending, r.ID)
			continue
		case r.Kind == kindEndpoint && strings.EqualFold(r.State, "deleted"):
			// AWS, too, lists a deleted endpoint for a while in state "deleted".
			deleted = append(deleted, r.ID)
			continue
		case r.Kind == kindNetworkACL && r.Default && final.byKind[kindVPC][r.VPC].ID == "":
			motoGap(t, "%s: %s is the default network ACL of VPC %s, which is deleted; moto's DeleteVpc leaves the default network ACL behind, AWS deletes it with the VPC. Checked instead: its VPC is gone", env, r, r.VPC)
			continue
		}
		state := ""
		if r.State != "" {
			state = " in state " + r.State
		}
		t.Errorf("%s (account %s): left behind after destroy: %s%s", env, acct, r, state)
	}
	if len(pending) > 0 {
		t.Logf("%s: %d KMS keys are pending deletion, as AWS keeps a key for its deletion window: %v", env, len(pending), pending)
	}
	if len(deleted) > 0 {
		t.Logf("%s: %d VPC endpoints are listed in state deleted, as AWS lists them for a while after deletion: %v", env, len(deleted), deleted)
	}
}

// ---------------------------------------------------------------------------
// Re-plan after apply.

// drift is what moto reports differently from what it was sent, so that a
// re-plan wants to change it again. See MOTO.md.
type drift struct {
	attrs []string // attributes that differ, or that force the replacement
	why   string
	// when, if set, says whether the quirk applies to this resource (by its
	// current values).
	when func(before map[string]any) bool
}

// refersToGroup: a security group rule whose peer is a group or a prefix
// list, not a range.
func refersToGroup(before map[string]any) bool {
	id, _ := before["referenced_security_group_id"].(string)
	pl, _ := before["prefix_list_id"].(string)
	return id != "" || pl != ""
}

var knownDrift = map[string]drift{
	"aws_eks_node_group": {[]string{"remote_access"},
		"moto gives every node group a default remote_access (ec2_ssh_key \"eksKeypair\") that was never sent; remote_access forces replacement", nil},
	"aws_kms_key": {[]string{"rotation_period_in_days"},
		"moto ignores RotationPeriodInDays on EnableKeyRotation and omits it from GetKeyRotationStatus", nil},
	"aws_launch_template": {[]string{"tag_specifications", "default_version", "latest_version"},
		"moto copies the launch template's own tags into the version's TagSpecifications as resource type launch-template (the versions follow from the update)", nil},
	"aws_vpc_security_group_ingress_rule": {[]string{"description"},
		"moto drops the description of a rule whose peer is a security group or prefix list instead of a range", refersToGroup},
	"aws_vpc_security_group_egress_rule": {[]string{"description"},
		"moto drops the description of a rule whose peer is a security group or prefix list instead of a range", refersToGroup},
}

func checkReplan(t *testing.T, p *tfjson.Plan) {
	quirks := map[string][]string{}
	for _, rc := range p.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		changed := changedAttributes(rc.Change)
		known, ok := knownDrift[rc.Type]
		if before, _ := rc.Change.Before.(map[string]any); ok && known.when != nil && !known.when(before) {
			ok = false
		}
		switch {
		case ok && rc.Change.Actions.Update() && len(changed) > 0 && subset(changed, known.attrs):
		case ok && rc.Change.Actions.Replace() && len(rc.Change.ReplacePaths) > 0 && subset(replaceHeads(rc.Change.ReplacePaths), known.attrs):
			changed = replaceHeads(rc.Change.ReplacePaths)
		default:
			what := fmt.Sprintf("attributes %v", changed)
			if rc.Change.Actions.Replace() {
				what = fmt.Sprintf("replacement forced by %v", replaceHeads(rc.Change.ReplacePaths))
			}
			t.Errorf("re-plan after apply: %s would %v (%s); the module does not converge", rc.Address, rc.Change.Actions, what)
			continue
		}
		key := fmt.Sprintf("%s %v: %s", rc.Type, changed, known.why)
		quirks[key] = append(quirks[key], rc.Address)
	}
	for _, k := range sortedKeys(quirks) {
		motoGap(t, "re-plan after apply: %d x %s (%v)", len(quirks[k]), k, quirks[k])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// replaceHeads returns the top-level attributes of a change's replace paths.
func replaceHeads(paths []interface{}) []string {
	var out []string
	for _, p := range paths {
		if l, ok := p.([]interface{}); ok && len(l) > 0 {
			if s, ok := l[0].(string); ok && !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

// changedAttributes lists the top-level attributes whose planned value
// differs from the current one, or is unknown until apply.
func changedAttributes(c *tfjson.Change) []string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	unknown, _ := c.AfterUnknown.(map[string]any)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if u, ok := unknown[k]; ok && u == true {
			out = append(out, k)
			continue
		}
		if !reflect.DeepEqual(before[k], after[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

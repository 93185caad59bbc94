package blueprint_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// topologyEnvironment returns a resolved environment of the four-environment
// topology (dev, staging, prod, shared), with a pinned ci_subject.
func topologyEnvironment(name string) segment.Environment {
	facts := map[string]struct {
		tier          segment.Tier
		account, cidr string
	}{
		"dev":     {segment.Development, "111111111111", "10.64.0.0/16"},
		"staging": {segment.Staging, "222222222222", "10.65.0.0/16"},
		"prod":    {segment.Production, "333333333333", "10.66.0.0/16"},
		"shared":  {segment.Shared, "444444444444", "10.67.0.0/16"},
	}
	f, ok := facts[name]
	if !ok {
		panic("no facts for " + name)
	}
	env := baseEnvironment(f.tier, name, f.account, f.cidr)
	env.CISubject = "repo:acme/ml:environment:" + name
	return env
}

// memberOf is what segmented_ml_topology knows of an environment.
func memberOf(env segment.Environment) segment.Member {
	return segment.Member{
		Name: env.Name, Organization: env.Organization, Tier: env.Tier, Cloud: env.Cloud, Region: env.Region,
		AccountID: env.AccountID, CIDR: env.CIDR, CISubject: env.CISubject, CIOIDCProvider: env.CIOIDCProvider,
		Principals: testkit.Must(blueprint.Principals(env)),
	}
}

func topologyOf(names []string, flows ...segment.Flow) segment.Topology {
	t := segment.Topology{Flows: flows}
	for _, n := range names {
		t.Environments = append(t.Environments, memberOf(topologyEnvironment(n)))
	}
	return t
}

var fourNames = []string{"dev", "staging", "prod", "shared"}

func bFlow(from, to string, p segment.FlowPurpose) segment.Flow {
	return segment.Flow{From: from, To: to, Purpose: p}
}

func boundaries(t *testing.T, topo segment.Topology) map[string]blueprint.Boundary {
	t.Helper()
	bds, issues := blueprint.Boundaries(topo)
	if len(issues) != 0 {
		t.Fatalf("boundary issues: %+v", issues)
	}
	checkBoundaryShape(t, topo, bds)
	return bds
}

// checkBoundaryShape holds for every topology: every environment has a
// boundary under its name, with non-nil lists whose keys are unique and
// sorted, network ACL rule numbers in the flow band, and no rule open to
// the internet.
func checkBoundaryShape(t *testing.T, topo segment.Topology, bds map[string]blueprint.Boundary) {
	t.Helper()
	names := map[string]bool{}
	for _, m := range topo.Environments {
		names[m.Name] = true
		if _, ok := bds[m.Name]; !ok {
			t.Errorf("no boundary for %q", m.Name)
		}
	}
	if len(bds) != len(names) {
		t.Errorf("%d boundaries for %d environment names", len(bds), len(names))
	}
	for name, bd := range bds {
		if bd.Environment != name {
			t.Errorf("boundary under %q is for %q", name, bd.Environment)
		}
		if bd.Inbound == nil || bd.Outbound == nil || bd.FirewallRules == nil || bd.Identities == nil || bd.ResourceGrants == nil {
			t.Errorf("%s: a nil list: %+v", name, bd)
		}
		ref := func(r blueprint.FlowRef) string { return r.Peer + " " + r.Purpose }
		sortedUnique(t, name+" inbound", bd.Inbound, ref)
		sortedUnique(t, name+" outbound", bd.Outbound, ref)
		sortedUnique(t, name+" firewall rules", bd.FirewallRules, func(r blueprint.FirewallRule) string { return r.Key })
		sortedUnique(t, name+" iam roles", bd.Identities, func(r blueprint.Identity) string { return r.Key })
		sortedUnique(t, name+" resource grants", bd.ResourceGrants, func(r blueprint.ResourceGrant) string { return r.Key })
		numbers := map[string]bool{}
		for _, r := range entries(bd.FirewallRules) {
			if cidr(r) == "0.0.0.0/0" || cidr(r) == "::/0" {
				t.Errorf("%s: rule %s is open to %s", name, r.Key, cidr(r))
			}
			if r.Action != blueprint.Allow {
				t.Errorf("%s: rule %s has action %q", name, r.Key, r.Action)
			}
			switch r.Layer {
			case blueprint.LayerNetworkACL:
				if val(r.Priority) < blueprint.RuleBoundaryFlows || val(r.Priority) >= blueprint.RuleDenyPrivate || val(r.Priority) > 199 {
					t.Errorf("%s: network ACL rule %s numbered %d, outside 150-199", name, r.Key, val(r.Priority))
				}
				slot := fmt.Sprintf("%s/%s/%d", r.Targets[0], r.Direction, val(r.Priority))
				if numbers[slot] {
					t.Errorf("%s: network ACL rule number %s used twice", name, slot)
				}
				numbers[slot] = true
			case blueprint.LayerSecurityGroup:
				if r.Priority != nil {
					t.Errorf("%s: security group rule %s has number %d", name, r.Key, val(r.Priority))
				}
			case blueprint.LayerNSG:
				if val(r.Priority) < blueprint.NSGBoundaryFlows || val(r.Priority) >= blueprint.NSGDenyAll || !slices.Equal(r.Targets, []string{"workload"}) {
					t.Errorf("%s: NSG rule %s has priority %d and targets %v, want the flow band and the nodes' subnet", name, r.Key, val(r.Priority), r.Targets)
				}
			case blueprint.LayerVPCFirewall:
				if val(r.Priority) != blueprint.GCPAllowPriority || !slices.Equal(r.Targets, []string{blueprint.RoleNode}) {
					t.Errorf("%s: VPC firewall rule %s has priority %d and targets %v, want %d and the nodes",
						name, r.Key, val(r.Priority), r.Targets, blueprint.GCPAllowPriority)
				}
			default:
				t.Errorf("%s: rule %s on layer %q", name, r.Key, r.Layer)
			}
		}
	}
}

func kmsAlias(t *testing.T, bp blueprint.Blueprint, purpose string) string {
	t.Helper()
	for _, k := range bp.Keys {
		if k.Key == purpose {
			return k.AWS.Alias
		}
	}
	t.Fatalf("%s has no %s key", bp.Environment, purpose)
	return ""
}

// parseStatement strictly decodes one resource-policy statement.
func parseStatement(t *testing.T, what, doc string) policyStatement {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	var s policyStatement
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%s does not decode as a statement: %v\n%s", what, err, doc)
	}
	if dec.More() {
		t.Fatalf("%s has data after the statement", what)
	}
	for _, a := range s.Action {
		if strings.Contains(a, "*") {
			t.Errorf("%s: wildcard action %q", what, a)
		}
	}
	return s
}

func TestBoundaryModelPromotion(t *testing.T) {
	staging, prod := topologyEnvironment("staging"), topologyEnvironment("prod")
	topo := topologyOf([]string{"staging", "prod"}, bFlow("staging", "prod", segment.ModelPromotion))
	bds := boundaries(t, topo)
	stagingBP := expand(t, staging)

	pb, sb := bds["prod"], bds["staging"]
	if len(pb.Identities) != 1 {
		t.Fatalf("prod's boundary has %d roles, want 1: %+v", len(pb.Identities), pb.Identities)
	}
	role := pb.Identities[0]
	if role.Key != "promoter-staging" || role.Name != "acme-prod-promoter--staging" ||
		role.Principal != "arn:aws:iam::333333333333:role/acme-prod-promoter--staging" || role.Human {
		t.Errorf("promoter role = %+v", role)
	}
	if role.AWS.ManagedPolicyARNs == nil || len(role.AWS.ManagedPolicyARNs) != 0 {
		t.Errorf("promoter managed policies = %#v, want an empty list", role.AWS.ManagedPolicyARNs)
	}

	// Trust: only prod's CI subject, through prod's OIDC provider.
	trust := parsePolicy(t, "promoter trust", role.AWS.TrustPolicy)
	if len(trust.Statement) != 1 {
		t.Fatalf("trust has %d statements: %s", len(trust.Statement), role.AWS.TrustPolicy)
	}
	ts := trust.Statement[0]
	issuer := prod.CIOIDCProvider
	wantPrincipal := map[string]strList{"Federated": {"arn:aws:iam::333333333333:oidc-provider/" + issuer}}
	if ts.Effect != "Allow" || !slices.Equal(ts.Action, []string{"sts:AssumeRoleWithWebIdentity"}) ||
		!maps.EqualFunc(ts.Principal, wantPrincipal, slices.Equal[strList]) {
		t.Errorf("trust statement = %+v", ts)
	}
	wantCond := map[string]map[string]strList{"StringEquals": {
		issuer + ":sub": {prod.CISubject},
		issuer + ":aud": {"sts.amazonaws.com"},
	}}
	if !equalCondition(ts.Condition, wantCond) {
		t.Errorf("trust condition = %v, want %v", ts.Condition, wantCond)
	}
	if ts.Condition["StringEquals"][issuer+":sub"][0] != "repo:acme/ml:environment:prod" {
		t.Errorf("sub = %q, want prod's ci_subject exactly", ts.Condition["StringEquals"][issuer+":sub"])
	}

	// Permissions: read staging's models, decrypt only with its models key.
	pol := parsePolicy(t, "promoter policy", role.AWS.Policy)
	read, ok := pol.statement("ReadSourceModels")
	if !ok || read.Effect != "Allow" ||
		!slices.Equal(read.Resource, []string{"arn:aws:s3:::acme-staging-models", "arn:aws:s3:::acme-staging-models/*"}) ||
		!slices.Equal(read.Action, []string{"s3:GetObject", "s3:ListBucket"}) || len(read.Condition) != 0 {
		t.Errorf("ReadSourceModels = %+v", read)
	}
	stagingModels := kmsAlias(t, stagingBP, blueprint.KeyModels)
	if stagingModels != "alias/acme-staging-models" {
		t.Fatalf("staging's models alias is %q", stagingModels)
	}
	decrypts := 0
	for _, s := range pol.Statement {
		if s.Effect != "Allow" {
			continue
		}
		for _, r := range append(slices.Clone(s.Resource), s.NotResource...) {
			if strings.Contains(r, "222222222222") && r != "arn:aws:kms:us-east-1:222222222222:key/*" {
				t.Errorf("%s allows staging resource %q", s.Sid, r)
			}
			if strings.Contains(r, "acme-staging") && !strings.HasPrefix(r, "arn:aws:s3:::acme-staging-models") {
				t.Errorf("%s allows staging resource %q", s.Sid, r)
			}
		}
		if slices.Contains(s.Action, "s3:PutObject") {
			for _, r := range s.Resource {
				if !strings.HasPrefix(r, "arn:aws:s3:::acme-prod-models") {
					t.Errorf("%s allows writing %q", s.Sid, r)
				}
			}
		}
		if !slices.Contains(s.Action, "kms:Decrypt") {
			continue
		}
		decrypts++
		want := map[string]map[string]strList{"ForAnyValue:StringEquals": {"kms:ResourceAliases": {stagingModels}}}
		if !equalCondition(s.Condition, want) || !slices.Equal(s.Resource, strList{"arn:aws:kms:us-east-1:222222222222:key/*"}) {
			t.Errorf("%s allows kms:Decrypt on %v under %v, want only staging's keys under %v", s.Sid, s.Resource, s.Condition, want)
		}
	}
	if decrypts != 1 {
		t.Errorf("%d statements allow kms:Decrypt, want 1", decrypts)
	}
	stagingData := kmsAlias(t, stagingBP, blueprint.KeyData)
	for what, doc := range map[string]string{"policy": role.AWS.Policy, "trust": role.AWS.TrustPolicy, "purpose": role.Purpose} {
		for _, bad := range []string{"acme-staging-data", stagingData} {
			if strings.Contains(doc, bad) {
				t.Errorf("promoter %s references %q: %s", what, bad, doc)
			}
		}
	}

	// staging's bucket and key statements name exactly the promoter.
	if len(sb.ResourceGrants) != 2 {
		t.Fatalf("staging grants = %+v, want 2", sb.ResourceGrants)
	}
	kinds := map[string]blueprint.ResourceGrant{}
	for _, g := range sb.ResourceGrants {
		kinds[g.Kind] = g
		if g.Target != "models" || g.Principal != role.Principal {
			t.Errorf("grant %s: target %q principal %q, want models and %s", g.Key, g.Target, g.Principal, role.Principal)
		}
		s := parseStatement(t, g.Key, g.AWS.Statement)
		if s.Effect != "Allow" || !maps.EqualFunc(s.Principal, map[string]strList{"AWS": {role.Principal}}, slices.Equal[strList]) {
			t.Errorf("grant %s statement = %+v", g.Key, s)
		}
		for _, bad := range []string{"acme-staging-data", stagingData, "s3:PutObject", "kms:Encrypt", "kms:GenerateDataKey"} {
			if strings.Contains(g.AWS.Statement, bad) {
				t.Errorf("grant %s mentions %q: %s", g.Key, bad, g.AWS.Statement)
			}
		}
	}
	if b, ok := kinds[blueprint.GrantBucket]; !ok {
		t.Error("no bucket grant")
	} else if s := parseStatement(t, b.Key, b.AWS.Statement); !slices.Equal(s.Resource, []string{"arn:aws:s3:::acme-staging-models", "arn:aws:s3:::acme-staging-models/*"}) ||
		!slices.Equal(s.Action, []string{"s3:GetObject", "s3:ListBucket"}) {
		t.Errorf("bucket grant = %+v", s)
	}
	if k, ok := kinds[blueprint.GrantKey]; !ok {
		t.Error("no key grant")
	} else if s := parseStatement(t, k.Key, k.AWS.Statement); !slices.Equal(s.Action, []string{"kms:Decrypt", "kms:DescribeKey"}) {
		t.Errorf("key grant = %+v", s)
	}

	// The source gets nothing in the target, and the target grants nothing.
	if len(sb.Identities) != 0 || len(sb.FirewallRules) != 0 {
		t.Errorf("staging's boundary holds roles, policies or rules: %+v", sb)
	}
	// prod holds the promoter, and its own models key names it (it writes
	// the promoted models there); nothing else.
	if len(pb.FirewallRules) != 0 || len(pb.ResourceGrants) != 1 {
		t.Errorf("prod's boundary holds more than the promoter and its key grant: %+v", pb)
	} else if g := pb.ResourceGrants[0]; g.Kind != blueprint.GrantKey || g.Target != blueprint.KeyModels || g.Principal != pb.Identities[0].Principal {
		t.Errorf("prod's own grant = %+v, want the models key naming the promoter", g)
	}
	for name, bd := range bds {
		acct := map[string]string{"staging": staging.AccountID, "prod": prod.AccountID}[name]
		for _, r := range bd.Identities {
			if !strings.HasPrefix(r.Principal, "arn:aws:iam::"+acct+":role/") {
				t.Errorf("%s's boundary holds role %s of another account", name, r.Principal)
			}
		}
	}
	if !slices.Equal(pb.Inbound, []blueprint.FlowRef{{Peer: "staging", Purpose: "model-promotion"}}) || len(pb.Outbound) != 0 ||
		!slices.Equal(sb.Outbound, []blueprint.FlowRef{{Peer: "prod", Purpose: "model-promotion"}}) || len(sb.Inbound) != 0 {
		t.Errorf("flow refs: prod in %v out %v, staging in %v out %v", pb.Inbound, pb.Outbound, sb.Inbound, sb.Outbound)
	}
	// The promoter's key does not collide with the environment's own roles.
	for _, r := range expand(t, prod).Identities {
		if r.Key == role.Key || r.Name == role.Name {
			t.Errorf("the promoter collides with prod's own role %s", r.Key)
		}
	}
}

func TestBoundaryPromotionWithoutCISubject(t *testing.T) {
	topo := topologyOf([]string{"staging", "prod"},
		bFlow("staging", "prod", segment.Telemetry), // denied: grants nothing, no issue
		bFlow("staging", "prod", segment.ModelPromotion))
	topo.Environments[1].CISubject = ""
	bds, issues := blueprint.Boundaries(topo)
	checkBoundaryShape(t, topo, bds)
	if len(issues) != 1 || issues[0].Flow != 1 || !strings.Contains(issues[0].Message, "ci_subject") || !strings.Contains(issues[0].Message, `"prod"`) {
		t.Fatalf("issues = %+v, want one for flow 1 naming prod's ci_subject", issues)
	}
	if len(bds["prod"].Identities) != 0 {
		t.Errorf("prod got roles without a ci_subject: %+v", bds["prod"].Identities)
	}
	if len(bds["staging"].ResourceGrants) != 0 {
		t.Errorf("staging grants to a role that does not exist: %+v", bds["staging"].ResourceGrants)
	}
}

// ruleWhere returns the rules that match.
func rulesWhere(rs []blueprint.FirewallRule, match func(blueprint.FirewallRule) bool) []blueprint.FirewallRule {
	var out []blueprint.FirewallRule
	for _, r := range rs {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

func TestBoundaryTelemetry(t *testing.T) {
	topo := topologyOf([]string{"dev", "shared"}, bFlow("dev", "shared", segment.Telemetry))
	bds := boundaries(t, topo)
	dev, shared := bds["dev"], bds["shared"]
	devCIDR, sharedCIDR := "10.64.0.0/16", "10.67.0.0/16"

	sg := func(rs []blueprint.FirewallRule, dir string) []blueprint.FirewallRule {
		return rulesWhere(rs, func(r blueprint.FirewallRule) bool {
			return r.Layer == blueprint.LayerSecurityGroup && r.Direction == dir
		})
	}
	nacl := func(rs []blueprint.FirewallRule, dir string) []blueprint.FirewallRule {
		return rulesWhere(rs, func(r blueprint.FirewallRule) bool {
			return r.Layer == blueprint.LayerNetworkACL && r.Direction == dir
		})
	}
	otlp := func(what string, r blueprint.FirewallRule, target, peer string) {
		t.Helper()
		if r.Targets[0] != target || r.Protocol != "tcp" || val(r.FromPort) != 4317 || val(r.ToPort) != 4318 || cidr(r) != peer {
			t.Errorf("%s = %+v, want tcp 4317-4318 on %s with %s", what, r, target, peer)
		}
	}
	replies := func(what string, r blueprint.FirewallRule, peer string) {
		t.Helper()
		if r.Protocol != "tcp" || val(r.FromPort) != 1024 || val(r.ToPort) != 65535 || cidr(r) != peer {
			t.Errorf("%s = %+v, want replies on tcp 1024-65535 with %s", what, r, peer)
		}
	}

	if e := sg(dev.FirewallRules, blueprint.Egress); len(e) != 1 {
		t.Errorf("dev security group egress = %+v, want 1", e)
	} else {
		otlp("dev egress", e[0], blueprint.GroupNodes, sharedCIDR)
	}
	if i := sg(dev.FirewallRules, blueprint.Ingress); len(i) != 0 {
		t.Errorf("dev security group ingress = %+v, want none", i)
	}
	if i := sg(shared.FirewallRules, blueprint.Ingress); len(i) != 1 {
		t.Errorf("shared security group ingress = %+v, want 1", i)
	} else {
		otlp("shared ingress", i[0], blueprint.GroupNodes, devCIDR)
	}
	if e := sg(shared.FirewallRules, blueprint.Egress); len(e) != 0 {
		t.Errorf("shared security group egress = %+v, want none", e)
	}

	if e := nacl(dev.FirewallRules, blueprint.Egress); len(e) != 1 {
		t.Errorf("dev network ACL egress = %+v", e)
	} else {
		otlp("dev network ACL egress", e[0], "workload", sharedCIDR)
	}
	if i := nacl(dev.FirewallRules, blueprint.Ingress); len(i) != 1 {
		t.Errorf("dev network ACL ingress = %+v", i)
	} else {
		replies("dev network ACL ingress", i[0], sharedCIDR)
	}
	if i := nacl(shared.FirewallRules, blueprint.Ingress); len(i) != 1 {
		t.Errorf("shared network ACL ingress = %+v", i)
	} else {
		otlp("shared network ACL ingress", i[0], "workload", devCIDR)
	}
	if e := nacl(shared.FirewallRules, blueprint.Egress); len(e) != 1 {
		t.Errorf("shared network ACL egress = %+v", e)
	} else {
		replies("shared network ACL egress", e[0], devCIDR)
	}
	for name, bd := range bds {
		for _, r := range entries(bd.FirewallRules) {
			if r.Layer == blueprint.LayerNetworkACL && (val(r.Priority) < 150 || val(r.Priority) > 199) {
				t.Errorf("%s: %s numbered %d", name, r.Key, val(r.Priority))
			}
			if cidr(r) == "0.0.0.0/0" {
				t.Errorf("%s: %s is open to 0.0.0.0/0", name, r.Key)
			}
		}
		if len(bd.Identities)+len(bd.ResourceGrants) != 0 {
			t.Errorf("%s: telemetry grants identities: %+v", name, bd)
		}
	}

	// The boundary's keys and numbers fit beside the environment's own.
	for name, env := range map[string]segment.Environment{"dev": topologyEnvironment("dev"), "shared": topologyEnvironment("shared")} {
		own := expand(t, env).FirewallRules
		keys := map[string]bool{}
		numbers := map[string]bool{}
		for _, r := range own {
			keys[r.Key] = true
			if r.Layer == blueprint.LayerNetworkACL {
				numbers[fmt.Sprintf("%s/%s/%d", r.Targets[0], r.Direction, val(r.Priority))] = true
			}
		}
		for _, r := range bds[name].FirewallRules {
			if keys[r.Key] {
				t.Errorf("%s: boundary rule key %s collides with the environment's own", name, r.Key)
			}
			if r.Layer == blueprint.LayerNetworkACL && numbers[fmt.Sprintf("%s/%s/%d", r.Targets[0], r.Direction, val(r.Priority))] {
				t.Errorf("%s: boundary rule %s reuses an own network ACL number", name, r.Key)
			}
		}
	}
}

func TestBoundaryDeploy(t *testing.T) {
	topo := topologyOf([]string{"shared", "prod"}, bFlow("shared", "prod", segment.Deploy))
	bds := boundaries(t, topo)
	prod, shared := bds["prod"], bds["shared"]
	sharedCIDR := "10.67.0.0/16"

	var admitted []blueprint.FirewallRule
	for _, r := range prod.FirewallRules {
		if r.Layer == blueprint.LayerSecurityGroup {
			admitted = append(admitted, r)
		}
	}
	if len(admitted) != 1 {
		t.Fatalf("prod security group rules = %+v, want 1", admitted)
	}
	r := admitted[0]
	if r.Targets[0] != blueprint.GroupCluster || r.Direction != blueprint.Ingress || r.Protocol != "tcp" ||
		val(r.FromPort) != 443 || val(r.ToPort) != 443 || cidr(r) != sharedCIDR {
		t.Errorf("prod admits %+v, want the cluster group from %s on tcp 443", r, sharedCIDR)
	}
	for _, r := range prod.FirewallRules {
		if r.Layer == blueprint.LayerNetworkACL && r.Direction == blueprint.Ingress && (val(r.FromPort) != 443 || val(r.ToPort) != 443 || cidr(r) != sharedCIDR) {
			t.Errorf("prod network ACL ingress %+v, want 443 from shared only", r)
		}
	}
	var out []blueprint.FirewallRule
	for _, r := range shared.FirewallRules {
		if r.Layer == blueprint.LayerSecurityGroup {
			out = append(out, r)
		}
	}
	if len(out) != 1 || out[0].Direction != blueprint.Egress || val(out[0].FromPort) != 443 || val(out[0].ToPort) != 443 || cidr(out[0]) != "10.66.0.0/16" {
		t.Errorf("shared security group rules = %+v, want egress to prod on 443", out)
	}
	if len(prod.Identities)+len(prod.ResourceGrants)+len(shared.Identities)+len(shared.ResourceGrants) != 0 {
		t.Errorf("deploy grants identities: prod %+v, shared %+v", prod, shared)
	}
}

func TestBoundaryArtifactPull(t *testing.T) {
	topo := topologyOf([]string{"shared", "prod"}, bFlow("shared", "prod", segment.ArtifactPull))
	bds := boundaries(t, topo)
	prod, shared := bds["prod"], bds["shared"]

	nodeRole, ok := func() (blueprint.Identity, bool) {
		for _, r := range expand(t, topologyEnvironment("prod")).Identities {
			if r.Key == blueprint.RoleNode {
				return r, true
			}
		}
		return blueprint.Identity{}, false
	}()
	if !ok || nodeRole.Principal != "arn:aws:iam::333333333333:role/acme-prod-node" {
		t.Fatalf("prod's node role = %+v", nodeRole)
	}
	actions := []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

	// prod's nodes already pull with their managed registry policy (and
	// their explicit deny spares the shared tier): the grant that crosses
	// the boundary is shared's repository statement naming prod's nodes.
	if len(prod.Identities)+len(prod.FirewallRules)+len(prod.ResourceGrants) != 0 {
		t.Errorf("prod's boundary holds more than the inbound flow: %+v", prod)
	}

	if len(shared.ResourceGrants) != 1 {
		t.Fatalf("shared grants = %+v, want 1", shared.ResourceGrants)
	}
	g := shared.ResourceGrants[0]
	if g.Kind != blueprint.GrantRegistry || g.Target != blueprint.GrantRegistry || g.Principal != nodeRole.Principal || g.Key != "artifact-pull-by-prod" {
		t.Errorf("grant = %+v", g)
	}
	gs := parseStatement(t, g.Key, g.AWS.Statement)
	if gs.Effect != "Allow" || !slices.Equal(gs.Action, actions) ||
		!maps.EqualFunc(gs.Principal, map[string]strList{"AWS": {nodeRole.Principal}}, slices.Equal[strList]) {
		t.Errorf("grant statement = %+v", gs)
	}
	if len(prod.Identities)+len(prod.FirewallRules)+len(prod.ResourceGrants)+len(shared.Identities)+len(shared.FirewallRules)+len(shared.ResourceGrants) != 1 {
		t.Errorf("artifact pull adds more: prod %+v, shared %+v", prod, shared)
	}
}

func TestBoundaryDeniedAndUnknownFlows(t *testing.T) {
	topo := topologyOf(fourNames,
		bFlow("prod", "dev", segment.Telemetry),
		bFlow("dev", "prod", segment.ModelPromotion),
		bFlow("shared", "prod", segment.Telemetry),
		bFlow("staging", "dev", segment.ModelPromotion),
		bFlow("prod", "staging", segment.Deploy),
		bFlow("dev", "shared", segment.Deploy),
		bFlow("dev", "shared", "logs"),
		bFlow("dev", "dev", segment.Telemetry),
		bFlow("shared", "shared", segment.Deploy),
		bFlow("ghost", "prod", segment.Deploy),
		bFlow("shared", "ghost", segment.ArtifactPull),
		bFlow("ghost", "shared", segment.Telemetry),
		bFlow("Dev", "shared", segment.Telemetry),
	)
	bds := boundaries(t, topo)
	for name, bd := range bds {
		if len(bd.Inbound)+len(bd.Outbound)+len(bd.FirewallRules)+len(bd.Identities)+len(bd.ResourceGrants) != 0 {
			t.Errorf("%s: denied or unknown flows granted %+v", name, bd)
		}
	}
	if len(bds) != 4 {
		t.Errorf("%d boundaries, want 4", len(bds))
	}
}

func TestBoundaryEveryEnvironmentListed(t *testing.T) {
	topo := topologyOf(fourNames, bFlow("dev", "staging", segment.ModelPromotion))
	bds := boundaries(t, topo)
	for _, name := range []string{"prod", "shared"} {
		bd := bds[name]
		b, err := json.Marshal(bd)
		if err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"inbound", "outbound", "firewall_rules", "identities", "resource_grants"} {
			if !bytes.Contains(b, []byte(`"`+field+`":[]`)) {
				t.Errorf("%s: %s is not an empty list: %s", name, field, b)
			}
		}
	}
	// No flows, and no environments.
	boundaries(t, topologyOf(fourNames))
	if bds, issues := blueprint.Boundaries(segment.Topology{Flows: []segment.Flow{bFlow("a", "b", segment.Deploy)}}); len(bds) != 0 || len(issues) != 0 {
		t.Errorf("empty topology: %v %v", bds, issues)
	}
	// Duplicate names: the first wins, nothing panics.
	dup := topologyOf(append(slices.Clone(fourNames), "dev"), bFlow("dev", "shared", segment.Telemetry))
	dup.Environments[4].Tier = segment.Production
	dup.Environments[4].CIDR = prefixes("10.80.0.0/16")[0]
	bds = boundaries(t, dup)
	for _, r := range bds["dev"].FirewallRules {
		if cidr(r) == "10.80.0.0/16" {
			t.Errorf("the second dev's range leaked into the boundary: %+v", r)
		}
	}
}

// allowedFlows is every flow the tier policy allows between the four
// environments, in an order that is not sorted.
func allowedFlows() []segment.Flow {
	return []segment.Flow{
		bFlow("shared", "prod", segment.Deploy),
		bFlow("staging", "shared", segment.Telemetry),
		bFlow("dev", "staging", segment.ModelPromotion),
		bFlow("shared", "dev", segment.ArtifactPull),
		bFlow("prod", "shared", segment.Telemetry),
		bFlow("shared", "staging", segment.Deploy),
		bFlow("staging", "prod", segment.ModelPromotion),
		bFlow("shared", "prod", segment.ArtifactPull),
		bFlow("dev", "shared", segment.Telemetry),
		bFlow("shared", "dev", segment.Deploy),
		bFlow("shared", "staging", segment.ArtifactPull),
		bFlow("prod", "dev", segment.Telemetry), // denied
	}
}

func TestBoundaryKeysUniqueAndSorted(t *testing.T) {
	topo := topologyOf(fourNames, allowedFlows()...)
	bds := boundaries(t, topo) // checks every list
	want := map[string]int{"dev": 4, "staging": 5, "prod": 4, "shared": 9}
	for name, n := range want {
		if got := len(bds[name].Inbound) + len(bds[name].Outbound); got != n {
			t.Errorf("%s: %d flow refs, want %d: in %v out %v", name, got, n, bds[name].Inbound, bds[name].Outbound)
		}
	}
	// Each environment's boundary fits beside its own blueprint.
	for _, name := range fourNames {
		bp := expand(t, topologyEnvironment(name))
		fw := map[string]bool{}
		for _, r := range entries(bp.FirewallRules) {
			fw[r.Key] = true
		}
		for _, r := range bds[name].FirewallRules {
			if fw[r.Key] {
				t.Errorf("%s: boundary rule %s collides with an own rule", name, r.Key)
			}
		}
		roles := map[string]bool{}
		for _, r := range bp.Identities {
			roles[r.Key] = true
		}
		for _, r := range bds[name].Identities {
			if roles[r.Key] {
				t.Errorf("%s: boundary role %s collides with an own role", name, r.Key)
			}
		}
	}
}

// TestBoundaryDuplicateFlow: a flow declared twice, which no topology rule
// rejects, must not give two elements with one key (the modules for_each
// over the keys) nor change the boundaries.
func TestBoundaryDuplicateFlow(t *testing.T) {
	once := slices.DeleteFunc(allowedFlows(), func(f segment.Flow) bool { return f.From == "prod" && f.To == "dev" })
	twice := append(slices.Clone(once), once...)
	topo := topologyOf(fourNames, twice...)
	if fs := testkit.Must(rules.CheckTopology(topo)); len(fs) != 0 {
		t.Fatalf("the topology rules reject a repeated flow (%d findings), so the boundaries never see one", len(fs))
	}
	bds, _ := blueprint.Boundaries(topo)
	var dups []string
	for name, bd := range bds {
		seen := map[string]bool{}
		add := func(list, key string) {
			k := list + "/" + key
			if seen[k] {
				dups = append(dups, name+": "+k)
			}
			seen[k] = true
		}
		for _, r := range entries(bd.FirewallRules) {
			add("firewall_rules", r.Key)
		}
		for _, r := range bd.Identities {
			add("identities", r.Key)
		}
		for _, r := range bd.ResourceGrants {
			add("resource_grants", r.Key)
		}
		for _, r := range bd.Inbound {
			add("inbound", r.Peer+" "+r.Purpose)
		}
		for _, r := range bd.Outbound {
			add("outbound", r.Peer+" "+r.Purpose)
		}
	}
	if len(dups) > 0 {
		slices.Sort(dups)
		t.Errorf("declaring each allowed flow twice gives %d repeated keys, e.g. %s", len(dups), strings.Join(dups[:min(4, len(dups))], "; "))
	}
	want, _ := blueprint.Boundaries(topologyOf(fourNames, once...))
	if !equalJSON(t, bds, want) {
		t.Error("declaring every flow twice changed the boundaries")
	}
}

func TestBoundaryTooManyTelemetrySenders(t *testing.T) {
	build := func(senders int) segment.Topology {
		topo := topologyOf([]string{"shared"})
		for i := range senders {
			env := baseEnvironment(segment.Development, fmt.Sprintf("dev-%02d", i), fmt.Sprintf("5%011d", i), fmt.Sprintf("10.%d.0.0/16", 100+i))
			topo.Environments = append(topo.Environments, memberOf(env))
			topo.Flows = append(topo.Flows, bFlow(env.Name, "shared", segment.Telemetry))
		}
		return topo
	}
	count := func(bd blueprint.Boundary, dir string) int {
		n := 0
		for _, r := range entries(bd.FirewallRules) {
			if r.Layer == blueprint.LayerNetworkACL && r.Direction == dir {
				n++
			}
		}
		return n
	}
	t.Run("50 fit", func(t *testing.T) {
		topo := build(50)
		bds := boundaries(t, topo)
		if n := count(bds["shared"], blueprint.Ingress); n != 50 {
			t.Errorf("shared has %d network ACL ingress rules, want 50", n)
		}
	})
	t.Run("51 do not", func(t *testing.T) {
		topo := build(51)
		bds, issues := blueprint.Boundaries(topo)
		checkBoundaryShape(t, topo, bds) // no number >= 200
		if len(issues) != 1 || issues[0].Flow != 50 || !strings.Contains(issues[0].Message, "shared") {
			t.Fatalf("issues = %+v, want one for flow 50 naming shared", issues)
		}
		if n := count(bds["shared"], blueprint.Ingress); n != blueprint.MaxBoundaryACLRules {
			t.Errorf("shared has %d network ACL ingress rules, want %d", n, blueprint.MaxBoundaryACLRules)
		}
		if blueprint.MaxBoundaryACLRules != 50 {
			t.Errorf("MaxBoundaryACLRules = %d, want 50 (150-199)", blueprint.MaxBoundaryACLRules)
		}
	})
}

func TestBoundaryDeterminism(t *testing.T) {
	build := func(reverse bool) segment.Topology {
		topo := topologyOf(fourNames, allowedFlows()...)
		if reverse {
			slices.Reverse(topo.Environments)
		}
		return topo
	}
	first, firstIssues := blueprint.Boundaries(build(false))
	a := marshalBoundaries(t, first, firstIssues)
	for run := range 20 {
		bds, issues := blueprint.Boundaries(build(run%2 == 1))
		if b := marshalBoundaries(t, bds, issues); !bytes.Equal(a, b) {
			t.Fatalf("run %d differs: %s", run, firstDifference(b, a))
		}
	}
}

func marshalBoundaries(t *testing.T, bds map[string]blueprint.Boundary, issues []blueprint.BoundaryIssue) []byte {
	t.Helper()
	b, err := json.Marshal(struct {
		B map[string]blueprint.Boundary
		I []blueprint.BoundaryIssue
	}{bds, issues})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(x, y)
}

func equalCondition(a, b map[string]map[string]strList) bool {
	return maps.EqualFunc(a, b, func(x, y map[string]strList) bool {
		return maps.EqualFunc(x, y, slices.Equal[strList])
	})
}

package blueprint_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/catalog"
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// policyDoc is an IAM or KMS policy document as the blueprint writes it.
type policyDoc struct {
	Version   string
	Statement []policyStatement
}

type policyStatement struct {
	Sid         string
	Effect      string
	Principal   map[string]strList
	Action      strList
	Resource    strList
	NotResource strList
	Condition   map[string]map[string]strList
}

// strList is a policy element: one string, or a list of several. A list of
// one is refused: the blueprint writes one value as a string.
type strList []string

func (s *strList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = strList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	if len(many) < 2 {
		return fmt.Errorf("a list of %d values where the blueprint writes a string: %s", len(many), b)
	}
	*s = many
	return nil
}

// parsePolicy strictly decodes a policy: unknown fields, trailing data and
// anything but the documented shape are errors.
func parsePolicy(t *testing.T, what, doc string) policyDoc {
	t.Helper()
	if !json.Valid([]byte(doc)) {
		t.Fatalf("%s is not valid JSON: %s", what, doc)
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	var p policyDoc
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%s does not decode as a policy: %v\n%s", what, err, doc)
	}
	if dec.More() {
		t.Fatalf("%s has data after the document", what)
	}
	if p.Version != "2012-10-17" {
		t.Errorf("%s: Version = %q, want 2012-10-17", what, p.Version)
	}
	if len(p.Statement) == 0 {
		t.Errorf("%s has no statements", what)
	}
	sids := map[string]bool{}
	for _, s := range p.Statement {
		if s.Sid == "" || sids[s.Sid] {
			t.Errorf("%s: empty or repeated Sid %q", what, s.Sid)
		}
		sids[s.Sid] = true
		if s.Effect != "Allow" && s.Effect != "Deny" {
			t.Errorf("%s/%s: Effect %q", what, s.Sid, s.Effect)
		}
		if len(s.Action) == 0 {
			t.Errorf("%s/%s: no actions", what, s.Sid)
		}
		for _, a := range s.Action {
			if strings.Contains(a, "*") {
				t.Errorf("%s/%s: wildcard action %q", what, s.Sid, a)
			}
			if !regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9]+$`).MatchString(a) {
				t.Errorf("%s/%s: malformed action %q", what, s.Sid, a)
			}
		}
		if !slices.IsSorted(s.Action) {
			t.Errorf("%s/%s: actions not sorted: %v", what, s.Sid, s.Action)
		}
		for kind, ps := range s.Principal {
			for _, p := range ps {
				if p == "*" || p == "" {
					t.Errorf("%s/%s: %s principal %q", what, s.Sid, kind, p)
				}
			}
		}
	}
	return p
}

func (p policyDoc) statement(sid string) (policyStatement, bool) {
	for _, s := range p.Statement {
		if s.Sid == sid {
			return s, true
		}
	}
	return policyStatement{}, false
}

// allowsAction reports whether an Allow statement of p lists action.
func (p policyDoc) allowsAction(action string) bool {
	for _, s := range p.Statement {
		if s.Effect == "Allow" && slices.Contains(s.Action, action) {
			return true
		}
	}
	return false
}

func expand(t testing.TB, env segment.Environment) blueprint.Blueprint {
	t.Helper()
	bp, err := blueprint.Expand(env)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	return bp
}

// TestInvariants checks the blueprint's security and shape invariants over
// environments of every tier, with and without entry points and ci_subject.
func TestInvariants(t *testing.T) {
	for _, ne := range invariantEnvironments() {
		t.Run(ne.name, func(t *testing.T) {
			env := ne.env
			bp := expand(t, env)
			checks := []struct {
				name  string
				check func(*testing.T, segment.Environment, blueprint.Blueprint)
			}{
				{"policies", checkPolicies},
				{"deny other environments", checkDenyOtherEnvironments},
				{"key policy principals", checkKeyPrincipals},
				{"accounts", checkAccounts},
				{"deployer", checkDeployer},
				{"data scientist", checkDataScientist},
				{"sorted unique keys", checkKeys},
				{"node pools", checkNodePools},
				{"firewall references", checkFirewallReferences},
				{"network ACLs", checkNetworkACLs},
				{"security group ranges", checkSecurityGroupRanges},
				{"ingress", checkIngress},
				{"names", checkNames},
				{"subnets", checkSubnets},
				{"retention and keys", checkRetentionAndKeys},
				{"references", checkReferences},
				{"header and tags", checkHeaderAndTags},
			}
			for _, c := range checks {
				t.Run(c.name, func(t *testing.T) { c.check(t, env, bp) })
			}
		})
	}
}

func checkPolicies(t *testing.T, _ segment.Environment, bp blueprint.Blueprint) {
	for _, r := range bp.Identities {
		parsePolicy(t, "role "+r.Key+" trust policy", r.AWS.TrustPolicy)
		parsePolicy(t, "role "+r.Key+" policy", r.AWS.Policy)
	}
	for _, k := range bp.Keys {
		parsePolicy(t, "key "+k.Key+" policy", k.AWS.Policy)
	}
}

func checkDenyOtherEnvironments(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	tagKey := "aws:ResourceTag/" + segment.EnvironmentTagKey
	for _, r := range bp.Identities {
		p := parsePolicy(t, "role "+r.Key+" policy", r.AWS.Policy)
		deny, ok := p.statement("DenyOtherEnvironments")
		if !ok {
			t.Errorf("role %s: no DenyOtherEnvironments statement", r.Key)
			continue
		}
		if deny.Effect != "Deny" {
			t.Errorf("role %s: DenyOtherEnvironments has Effect %q", r.Key, deny.Effect)
		}
		if got := deny.Condition["StringNotEquals"][tagKey]; !slices.Equal(got, []string{env.Name}) {
			t.Errorf("role %s: StringNotEquals %s = %q, want [%q]", r.Key, tagKey, got, env.Name)
		}
		if got := deny.Condition["Null"][tagKey]; !slices.Equal(got, []string{"false"}) {
			t.Errorf("role %s: Null %s = %q, want [false]", r.Key, tagKey, got)
		}
		// Every action the role is granted on tagged resources is also
		// denied on other environments' resources.
		for _, s := range p.Statement {
			if s.Effect != "Allow" {
				continue
			}
			for _, a := range s.Action {
				switch {
				case strings.HasPrefix(a, "ec2:Describe"):
					// EC2 Describe calls support no resource-level scoping.
				case strings.HasPrefix(a, "s3:"):
					b, ok := p.statement("DenyBucketsOfOtherEnvironments")
					if !ok || !slices.Contains(b.Action, a) || b.Effect != "Deny" {
						t.Errorf("role %s: %s is granted but not denied outside the environment's buckets", r.Key, a)
					}
					for _, res := range b.NotResource {
						if !strings.HasPrefix(res, "arn:"+partitionOf(env)+":s3:::"+env.Prefix()+"-") {
							t.Errorf("role %s: bucket deny exempts %q", r.Key, res)
						}
					}
				default:
					if !slices.Contains(deny.Action, a) {
						t.Errorf("role %s: %s is granted but not denied on other environments", r.Key, a)
					}
				}
			}
		}
	}
}

func partitionOf(env segment.Environment) string {
	switch {
	case strings.HasPrefix(env.Region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(env.Region, "cn-"):
		return "aws-cn"
	}
	return "aws"
}

func roleARNs(bp blueprint.Blueprint) map[string]string {
	out := map[string]string{}
	for _, r := range bp.Identities {
		out[r.Key] = r.Principal
	}
	return out
}

func checkKeyPrincipals(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	part := partitionOf(env)
	roles := roleARNs(bp)
	own := map[string]bool{}
	for _, arn := range roles {
		own[arn] = true
	}
	root := fmt.Sprintf("arn:%s:iam::%s:root", part, env.AccountID)
	asg := fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", part, env.AccountID)
	for _, k := range bp.Keys {
		p := parsePolicy(t, "key "+k.Key, k.AWS.Policy)
		for _, s := range p.Statement {
			if s.Effect != "Allow" {
				t.Errorf("key %s/%s: unexpected %s statement", k.Key, s.Sid, s.Effect)
			}
			for kind := range s.Principal {
				if kind != "AWS" && kind != "Service" {
					t.Errorf("key %s/%s: principal kind %q", k.Key, s.Sid, kind)
				}
			}
			for _, svc := range s.Principal["Service"] {
				if k.Key != blueprint.KeyLogs || svc != "logs."+env.Region+".amazonaws.com" {
					t.Errorf("key %s/%s: service principal %q", k.Key, s.Sid, svc)
				}
			}
			for _, arn := range s.Principal["AWS"] {
				switch {
				case own[arn]:
				case arn == asg && k.Key == blueprint.KeyData:
				case arn == root && s.Sid == "AdministerKey":
				default:
					t.Errorf("key %s/%s names principal %q, which is neither a role of %s nor allowed for this key", k.Key, s.Sid, arn, env.Name)
				}
			}
		}
		admin, ok := p.statement("AdministerKey")
		want := root
		if !ok || !slices.Equal(admin.Principal["AWS"], []string{want}) {
			t.Errorf("key %s: AdministerKey principal = %v, want [%s]", k.Key, admin.Principal["AWS"], want)
		}
		if admin.allowsDecrypt() {
			t.Errorf("key %s: the administrator may use the key: %v", k.Key, admin.Action)
		}
	}
}

func (s policyStatement) allowsDecrypt() bool {
	return slices.ContainsFunc(s.Action, func(a string) bool { return a == "kms:Decrypt" || strings.HasPrefix(a, "kms:GenerateDataKey") })
}

var twelveDigits = regexp.MustCompile(`\d{12,}`)

// checkAccounts: no account other than the environment's own appears in any
// policy, and the managed policies are AWS's.
func checkAccounts(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	check := func(what, doc string) {
		for _, id := range twelveDigits.FindAllString(doc, -1) {
			if id != env.AccountID {
				t.Errorf("%s names account %s; the environment's is %s", what, id, env.AccountID)
			}
		}
		for _, m := range regexp.MustCompile(`arn:[a-z-]+:s3:::([^"/]+)`).FindAllStringSubmatch(doc, -1) {
			if !strings.HasPrefix(m[1], env.Prefix()+"-") {
				t.Errorf("%s names bucket %q outside the environment", what, m[1])
			}
		}
		for _, m := range regexp.MustCompile(`alias/([^"]+)`).FindAllStringSubmatch(doc, -1) {
			if !strings.HasPrefix(m[1], env.Prefix()+"-") {
				t.Errorf("%s names key alias %q outside the environment", what, m[1])
			}
		}
		for _, m := range regexp.MustCompile(`:role/([^"]+)`).FindAllStringSubmatch(doc, -1) {
			if !strings.HasPrefix(m[1], env.Prefix()+"-") && !strings.HasPrefix(m[1], "aws-service-role/") {
				t.Errorf("%s names role %q outside the environment", what, m[1])
			}
		}
	}
	for _, r := range bp.Identities {
		check("role "+r.Key+" trust policy", r.AWS.TrustPolicy)
		check("role "+r.Key+" policy", r.AWS.Policy)
		for _, m := range r.AWS.ManagedPolicyARNs {
			if !strings.HasPrefix(m, "arn:"+partitionOf(env)+":iam::aws:policy/") {
				t.Errorf("role %s: managed policy %q is not an AWS managed policy", r.Key, m)
			}
		}
	}
	for _, k := range bp.Keys {
		check("key "+k.Key+" policy", k.AWS.Policy)
	}
}

func checkDeployer(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	i := slices.IndexFunc(bp.Identities, func(r blueprint.Identity) bool { return r.Key == blueprint.RoleDeployer })
	if env.CISubject == "" {
		if i >= 0 {
			t.Errorf("no ci_subject, but a deployer role: %+v", bp.Identities[i])
		}
		return
	}
	if i < 0 {
		t.Fatalf("ci_subject %q, but no deployer role", env.CISubject)
	}
	r := bp.Identities[i]
	if r.Human {
		t.Error("the deployer is marked human")
	}
	trust := parsePolicy(t, "deployer trust policy", r.AWS.TrustPolicy)
	if len(trust.Statement) != 1 {
		t.Fatalf("deployer trust has %d statements, want 1", len(trust.Statement))
	}
	s := trust.Statement[0]
	issuer := env.CIOIDCProvider
	if s.Effect != "Allow" || !slices.Equal(s.Action, []string{"sts:AssumeRoleWithWebIdentity"}) {
		t.Errorf("deployer trust statement: %+v", s)
	}
	wantFederated := fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", partitionOf(env), env.AccountID, issuer)
	if len(s.Principal) != 1 || !slices.Equal(s.Principal["Federated"], []string{wantFederated}) {
		t.Errorf("deployer principal = %v, want Federated %s", s.Principal, wantFederated)
	}
	if len(s.Condition) != 1 {
		t.Errorf("deployer trust has condition operators %v, want StringEquals only (no StringLike)", s.Condition)
	}
	if got := s.Condition["StringEquals"][issuer+":sub"]; !slices.Equal(got, []string{env.CISubject}) {
		t.Errorf("deployer sub = %q, want exactly [%q]", got, env.CISubject)
	}
	if got := s.Condition["StringEquals"][issuer+":aud"]; !slices.Equal(got, []string{"sts.amazonaws.com"}) {
		t.Errorf("deployer aud = %q", got)
	}
}

func checkDataScientist(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	i := slices.IndexFunc(bp.Identities, func(r blueprint.Identity) bool { return r.Key == blueprint.RoleDataScientist })
	if env.HumanAccess == segment.NoAccess {
		if i >= 0 {
			t.Errorf("human_access none, but a data-scientist role")
		}
		return
	}
	if i < 0 {
		t.Fatalf("human_access %s, but no data-scientist role", env.HumanAccess)
	}
	r := bp.Identities[i]
	if !r.Human {
		t.Error("the data-scientist role is not marked human")
	}
	p := parsePolicy(t, "data-scientist policy", r.AWS.Policy)
	if !p.allowsAction("s3:GetObject") {
		t.Error("data scientists cannot read")
	}
	if put := p.allowsAction("s3:PutObject"); put != (env.HumanAccess == segment.WriteAccess) {
		t.Errorf("human_access %s: s3:PutObject allowed = %v", env.HumanAccess, put)
	}
	// Keys are granted in the key policies: the data key lets data
	// scientists encrypt only with write access.
	for _, k := range bp.Keys {
		if k.Key != blueprint.KeyData {
			continue
		}
		kp := parsePolicy(t, "data key policy", k.AWS.Policy)
		decrypt, encrypt := false, false
		for _, s := range kp.Statement {
			if s.Effect != "Allow" || !slices.Contains(s.Principal["AWS"], r.Principal) {
				continue
			}
			decrypt = decrypt || slices.Contains(s.Action, "kms:Decrypt")
			encrypt = encrypt || slices.Contains(s.Action, "kms:GenerateDataKey")
		}
		if !decrypt {
			t.Error("the data key does not let data scientists decrypt")
		}
		if encrypt != (env.HumanAccess == segment.WriteAccess) {
			t.Errorf("human_access %s: the data key lets data scientists encrypt = %v", env.HumanAccess, encrypt)
		}
	}
	trust := parsePolicy(t, "data-scientist trust", r.AWS.TrustPolicy)
	s := trust.Statement[0]
	if got := s.Condition["Bool"]["aws:MultiFactorAuthPresent"]; !slices.Equal(got, []string{"true"}) {
		t.Errorf("data scientists assume the role without MFA: %v", s.Condition)
	}
	if got := s.Condition["StringEquals"]["aws:PrincipalTag/"+segment.EnvironmentTagKey]; !slices.Equal(got, []string{env.Name}) {
		t.Errorf("data-scientist trust is not limited to people tagged for %s: %v", env.Name, s.Condition)
	}
}

// sortedUnique reports the first key that is not strictly above its
// predecessor.
func sortedUnique[T any](t *testing.T, what string, items []T, keyOf func(T) string) {
	t.Helper()
	for i := 1; i < len(items); i++ {
		if a, b := keyOf(items[i-1]), keyOf(items[i]); a >= b {
			t.Errorf("%s: key %q at %d is not above %q (unsorted or repeated)", what, b, i, a)
		}
	}
	for i, it := range items {
		if keyOf(it) == "" {
			t.Errorf("%s: empty key at %d", what, i)
		}
	}
}

func checkKeys(t *testing.T, _ segment.Environment, bp blueprint.Blueprint) {
	n := bp.Network
	sortedUnique(t, "subnets", n.Subnets, func(s blueprint.Subnet) string { return s.Key })
	sortedUnique(t, "route tables", n.AWS.RouteTables, func(r blueprint.RouteTable) string { return r.Key })
	sortedUnique(t, "endpoints", n.AWS.Endpoints, func(e blueprint.Endpoint) string { return e.Key })
	sortedUnique(t, "security groups", n.AWS.SecurityGroups, func(g blueprint.SecurityGroup) string { return g.Key })
	sortedUnique(t, "network ACLs", n.AWS.NetworkACLs, func(a blueprint.SubnetGuard) string { return a.Key })
	sortedUnique(t, "firewall rules", bp.FirewallRules, func(r blueprint.FirewallRule) string { return r.Key })
	sortedUnique(t, "IAM roles", bp.Identities, func(r blueprint.Identity) string { return r.Key })
	sortedUnique(t, "KMS keys", bp.Keys, func(k blueprint.Key) string { return k.Key })
	sortedUnique(t, "node pools", bp.NodePools, func(p blueprint.NodePool) string { return p.Key })
	sortedUnique(t, "alarms", bp.Monitoring.Alarms, func(a blueprint.Alarm) string { return a.Key })
	sortedUnique(t, "waivers", bp.Waivers, func(w blueprint.Waiver) string { return w.Rule })
	for _, p := range bp.NodePools {
		sortedUnique(t, "taints of "+p.Key, p.Taints, func(x blueprint.Taint) string { return x.Key })
	}
	for _, r := range bp.Identities {
		if !slices.IsSorted(r.AWS.ManagedPolicyARNs) {
			t.Errorf("role %s: managed policies not sorted: %v", r.Key, r.AWS.ManagedPolicyARNs)
		}
	}
	if got := len(bp.Keys); got != len(blueprint.KeyPurposes()) {
		t.Errorf("%d KMS keys, want one per purpose %v", got, blueprint.KeyPurposes())
	}
}

func checkNodePools(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	if len(bp.NodePools) != len(env.GPUNodePools) {
		t.Fatalf("%d node pools for %d declared", len(bp.NodePools), len(env.GPUNodePools))
	}
	for _, declared := range env.GPUNodePools {
		i := slices.IndexFunc(bp.NodePools, func(p blueprint.NodePool) bool { return p.Key == declared.Name })
		if i < 0 {
			t.Errorf("pool %s missing", declared.Name)
			continue
		}
		p := bp.NodePools[i]
		for _, want := range []blueprint.Taint{
			{Key: "nvidia.com/gpu", Value: "present", Effect: "NO_SCHEDULE"},
			{Key: "segmented.io/environment", Value: env.Name, Effect: "NO_SCHEDULE"},
		} {
			if !slices.Contains(p.Taints, want) {
				t.Errorf("pool %s: taints %v lack %v", p.Key, p.Taints, want)
			}
		}
		if p.AWS.IMDSHTTPTokens != "required" || p.AWS.IMDSHopLimit != 1 {
			t.Errorf("pool %s: IMDS tokens %q, hop limit %d", p.Key, p.AWS.IMDSHTTPTokens, p.AWS.IMDSHopLimit)
		}
		if p.DiskKMSKey != blueprint.KeyData || p.DiskGiB <= 0 {
			t.Errorf("pool %s: disk encrypted with %q, %d GiB", p.Key, p.DiskKMSKey, p.DiskGiB)
		}
		if p.SubnetPurpose != string(netplan.Workload) {
			t.Errorf("pool %s: subnet purpose %q", p.Key, p.SubnetPurpose)
		}
		gpu, ok := catalog.Lookup(string(env.Cloud), declared.InstanceType)
		if !ok {
			t.Fatalf("pool %s: %s not in the catalog", p.Key, declared.InstanceType)
		}
		if p.GPUCount != gpu.GPUCount || p.GPUModel != gpu.GPUModel || p.GPUMemoryGiB != gpu.GPUMemoryGiB || p.Architecture != gpu.Architecture {
			t.Errorf("pool %s: GPU facts %d x %s %d GiB %s, catalog %+v", p.Key, p.GPUCount, p.GPUModel, p.GPUMemoryGiB, p.Architecture, gpu)
		}
		wantAMI := map[string]string{"x86_64": "AL2023_x86_64_NVIDIA", "arm64": "AL2023_ARM_64_NVIDIA"}[gpu.Architecture]
		if p.AWS.AMIType != wantAMI {
			t.Errorf("pool %s (%s): AMI type %q, want %q", p.Key, gpu.Architecture, p.AWS.AMIType, wantAMI)
		}
		wantCapacity := map[bool]string{false: "ON_DEMAND", true: "SPOT"}[declared.Spot]
		if p.AWS.CapacityType != wantCapacity || p.MinSize != declared.MinSize || p.MaxSize != declared.MaxSize ||
			p.DesiredSize != declared.MinSize || p.MachineType != declared.InstanceType || p.Purpose != string(declared.Purpose) {
			t.Errorf("pool %s does not match its declaration %+v: %+v", p.Key, declared, p)
		}
		if p.Identity != blueprint.RoleNode || p.AWS.SecurityGroup != blueprint.GroupNodes {
			t.Errorf("pool %s: role %q, security group %q", p.Key, p.Identity, p.AWS.SecurityGroup)
		}
		if p.Labels["segmented.io/environment"] != env.Name || p.Labels["segmented.io/pool"] != declared.Name {
			t.Errorf("pool %s: labels %v", p.Key, p.Labels)
		}
	}
}

func checkFirewallReferences(t *testing.T, _ segment.Environment, bp blueprint.Blueprint) {
	groups, acls, gateways := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, g := range bp.Network.AWS.SecurityGroups {
		groups[g.Key] = true
	}
	for _, a := range bp.Network.AWS.NetworkACLs {
		acls[a.Key] = true
	}
	for _, e := range bp.Network.AWS.Endpoints {
		if e.Type == "Gateway" {
			gateways[e.Key] = true
		}
	}
	for _, r := range entries(bp.FirewallRules) {
		switch r.Layer {
		case blueprint.LayerSecurityGroup:
			if !groups[r.Targets[0]] {
				t.Errorf("rule %s targets unknown security group %q", r.Key, r.Targets[0])
			}
			if r.Action != blueprint.Allow || r.Priority != nil {
				t.Errorf("security group rule %s: action %q, number %d", r.Key, r.Action, val(r.Priority))
			}
			peers := len(r.CIDRs)
			for _, p := range []*string{r.PeerGroup, r.PeerService} {
				if p != nil {
					peers++
				}
			}
			if peers != 1 {
				t.Errorf("security group rule %s has %d peers, want exactly one", r.Key, peers)
			}
		case blueprint.LayerNetworkACL:
			if !acls[r.Targets[0]] {
				t.Errorf("rule %s targets unknown network ACL %q", r.Key, r.Targets[0])
			}
			// A network ACL rule has exactly one peer: a range, or the prefix
			// list of a gateway endpoint (expanded by the module).
			onePeer := (r.CIDRs != nil) != (r.PeerService != nil)
			if r.PeerGroup != nil || !onePeer || r.Priority == nil || val(r.Priority) < 1 || val(r.Priority) > 32766 {
				t.Errorf("network ACL rule %s: %+v", r.Key, r)
			}
			if val(r.PeerService) != "" && !slices.ContainsFunc(bp.Network.AWS.Endpoints, func(e blueprint.Endpoint) bool {
				return e.Key == val(r.PeerService) && e.Type == "Gateway"
			}) {
				t.Errorf("network ACL rule %s names prefix list %q, which is no gateway endpoint", r.Key, val(r.PeerService))
			}
		default:
			t.Errorf("rule %s: layer %q", r.Key, r.Layer)
		}
		if val(r.PeerGroup) != "" && !groups[val(r.PeerGroup)] {
			t.Errorf("rule %s names unknown peer group %q", r.Key, val(r.PeerGroup))
		}
		if val(r.PeerService) != "" && !gateways[val(r.PeerService)] {
			t.Errorf("rule %s names unknown gateway endpoint %q", r.Key, val(r.PeerService))
		}
		if r.Direction != blueprint.Ingress && r.Direction != blueprint.Egress {
			t.Errorf("rule %s: direction %q", r.Key, r.Direction)
		}
		if cidr(r) != "" {
			if _, err := netplan.ParsePrefix(cidr(r)); err != nil {
				t.Errorf("rule %s: %v", r.Key, err)
			}
		}
		if r.Description == "" {
			t.Errorf("rule %s has no description", r.Key)
		}
	}
}

// declaredSources returns the declared (port, source range) pairs.
func declaredSources(env segment.Environment) map[string]bool {
	out := map[string]bool{}
	for _, in := range env.Ingress {
		for _, from := range in.FromCIDRs {
			out[fmt.Sprintf("%d %s", in.Port, from)] = true
		}
	}
	return out
}

func checkNetworkACLs(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	own := env.CIDR.String()
	declared := declaredSources(env)
	declaredCIDRs := map[string]bool{}
	for _, in := range env.Ingress {
		for _, from := range in.FromCIDRs {
			declaredCIDRs[from.String()] = true
		}
	}
	var private []string
	for _, p := range netplan.PrivateRanges() {
		if p.Addr().Is4() {
			private = append(private, p.String())
		}
	}
	for _, acl := range bp.Network.AWS.NetworkACLs {
		for _, dir := range []string{blueprint.Ingress, blueprint.Egress} {
			var rules []blueprint.FirewallRule
			for _, r := range entries(bp.FirewallRules) {
				if r.Layer == blueprint.LayerNetworkACL && r.Targets[0] == acl.Key && r.Direction == dir {
					rules = append(rules, r)
				}
			}
			numbers := map[int]bool{}
			for _, r := range rules {
				if numbers[val(r.Priority)] {
					t.Errorf("ACL %s %s: rule number %d used twice", acl.Key, dir, val(r.Priority))
				}
				numbers[val(r.Priority)] = true
			}
			last := slices.IndexFunc(rules, func(r blueprint.FirewallRule) bool { return val(r.Priority) == 32766 })
			if last < 0 || rules[last].Action != blueprint.Deny || cidr(rules[last]) != "0.0.0.0/0" || rules[last].Protocol != blueprint.ProtocolAll {
				t.Errorf("ACL %s %s: no explicit deny of 0.0.0.0/0 numbered 32766", acl.Key, dir)
			}
			// Every private range is denied in the band 200-209.
			for _, p := range private {
				if !slices.ContainsFunc(rules, func(r blueprint.FirewallRule) bool {
					return r.Action == blueprint.Deny && cidr(r) == p && val(r.Priority) >= blueprint.RuleDenyPrivate && val(r.Priority) < blueprint.RuleDenyPrivate+10
				}) {
					t.Errorf("ACL %s %s: private range %s not denied in the 200 band", acl.Key, dir, p)
				}
			}
			for _, r := range rules {
				if r.Action != blueprint.Allow {
					continue
				}
				switch {
				case val(r.Priority) < blueprint.RuleDenyPrivate:
					// Before the private deny band: the own VPC or a declared
					// source only, and entry points only on the ingress ACL.
					if cidr(r) == own && val(r.Priority) >= blueprint.RuleOwnRange && val(r.Priority) < blueprint.RuleEntryPoints {
						continue
					}
					if acl.Key != string(netplan.Ingress) || !declaredCIDRs[cidr(r)] ||
						val(r.Priority) < blueprint.RuleEntryPoints || val(r.Priority) >= blueprint.RuleBoundaryFlows {
						t.Errorf("ACL %s %s: allow rule %d admits %s before the private-range deny band", acl.Key, dir, val(r.Priority), cidr(r))
					}
					if dir == blueprint.Ingress && !declared[fmt.Sprintf("%d %s", val(r.FromPort), cidr(r))] {
						t.Errorf("ACL %s: entry rule %d (port %d from %s) matches no declared entry point", acl.Key, val(r.Priority), val(r.FromPort), cidr(r))
					}
				default:
					// After the band: only the S3 path of the workload subnets,
					// through the gateway endpoint's prefix list.
					if acl.Key != string(netplan.Workload) || r.Protocol != "tcp" || val(r.PeerService) != blueprint.S3Endpoint || cidr(r) != "" {
						t.Errorf("ACL %s %s: allow rule %d after the private deny band: %+v", acl.Key, dir, val(r.Priority), r)
					}
				}
			}
		}
	}
}

func checkSecurityGroupRanges(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	declared := declaredSources(env)
	for _, r := range entries(bp.FirewallRules) {
		if r.Layer != blueprint.LayerSecurityGroup || cidr(r) == "" {
			continue
		}
		// A security group names a range only for a declared entry point,
		// on the ingress group, inbound, on the declared port.
		if r.Targets[0] != blueprint.GroupIngress || r.Direction != blueprint.Ingress || val(r.FromPort) != val(r.ToPort) ||
			!declared[fmt.Sprintf("%d %s", val(r.FromPort), cidr(r))] {
			t.Errorf("security group rule %s opens %s port %d-%d on %s %s, which no entry point declares",
				r.Key, cidr(r), val(r.FromPort), val(r.ToPort), r.Targets[0], r.Direction)
		}
		if cidr(r) == "0.0.0.0/0" && !declared[fmt.Sprintf("%d 0.0.0.0/0", val(r.FromPort))] {
			t.Errorf("security group rule %s is open to the internet", r.Key)
		}
	}
	// Every declared source has its rule.
	for src := range declared {
		var port int
		var source string
		if _, err := fmt.Sscanf(src, "%d %s", &port, &source); err != nil {
			t.Fatalf("parsing %q: %v", src, err)
		}
		if !slices.ContainsFunc(entries(bp.FirewallRules), func(r blueprint.FirewallRule) bool {
			return r.Layer == blueprint.LayerSecurityGroup && r.Targets[0] == blueprint.GroupIngress && cidr(r) == source && val(r.FromPort) == port
		}) {
			t.Errorf("declared entry point source %s has no security group rule", src)
		}
	}
}

func checkIngress(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	want := len(env.Ingress) > 0
	n := bp.Network
	subnets := slices.ContainsFunc(n.Subnets, func(s blueprint.Subnet) bool { return s.Purpose == string(netplan.Ingress) })
	group := slices.ContainsFunc(n.AWS.SecurityGroups, func(g blueprint.SecurityGroup) bool { return g.Key == blueprint.GroupIngress })
	table := slices.ContainsFunc(n.AWS.RouteTables, func(r blueprint.RouteTable) bool { return r.Key == string(netplan.Ingress) })
	acl := slices.ContainsFunc(n.AWS.NetworkACLs, func(a blueprint.SubnetGuard) bool { return a.Key == string(netplan.Ingress) })
	if subnets != want || group != want || table != want || acl != want {
		t.Errorf("%d entry points: ingress subnets %v, security group %v, route table %v, ACL %v", len(env.Ingress), subnets, group, table, acl)
	}
	public := false
	for _, in := range env.Ingress {
		for _, from := range in.FromCIDRs {
			public = public || !netplan.IsPrivate(from)
		}
	}
	if n.AWS.InternetGateway != public {
		t.Errorf("internet gateway %v, public entry point %v", n.AWS.InternetGateway, public)
	}
	for _, r := range n.AWS.RouteTables {
		if r.InternetGateway != (public && r.Key == string(netplan.Ingress)) {
			t.Errorf("route table %s: internet gateway %v", r.Key, r.InternetGateway)
		}
	}
	if !want {
		for _, r := range entries(bp.FirewallRules) {
			if r.Targets[0] == blueprint.GroupIngress || val(r.PeerGroup) == blueprint.GroupIngress {
				t.Errorf("no entry points, but rule %s involves the ingress group", r.Key)
			}
		}
	}
}

func checkNames(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	prefix := env.Organization + "-" + env.Name
	is := func(what, got, want string) {
		if got != want {
			t.Errorf("%s is named %q, want %q", what, got, want)
		}
	}
	n := bp.Network
	is("VPC", n.Name, prefix+"-vpc")
	for _, s := range n.Subnets {
		is("subnet "+s.Key, s.Name, prefix+"-"+s.Key)
		want := s.Purpose
		if s.Zone != nil {
			want += "-" + *s.Zone
		}
		is("subnet key", s.Key, want)
	}
	for _, r := range n.AWS.RouteTables {
		is("route table "+r.Key, r.Name, prefix+"-"+r.Key)
	}
	for _, g := range n.AWS.SecurityGroups {
		is("security group "+g.Key, g.Name, prefix+"-"+g.Key)
	}
	for _, a := range n.AWS.NetworkACLs {
		is("network ACL "+a.Key, a.Name, prefix+"-"+a.Key)
	}
	for _, r := range bp.Identities {
		is("role "+r.Key, r.Name, prefix+"-"+r.Key)
		is("role ARN "+r.Key, r.Principal, fmt.Sprintf("arn:%s:iam::%s:role/%s", partitionOf(env), env.AccountID, r.Name))
		if len(r.Name) > 64 {
			t.Errorf("role name %q is longer than IAM's 64 characters", r.Name)
		}
	}
	for _, k := range bp.Keys {
		is("key "+k.Key, k.Name, prefix+"-"+k.Key)
		is("key alias "+k.Key, k.AWS.Alias, "alias/"+prefix+"-"+k.Key)
	}
	for _, p := range bp.NodePools {
		is("node pool "+p.Key, p.Name, prefix+"-"+p.Key)
	}
	is("cluster", bp.Cluster.Name, prefix)
	is("flow log", bp.Monitoring.AWS.FlowLogName, prefix+"-flow-logs")
	for _, a := range bp.Monitoring.Alarms {
		is("alarm "+a.Key, a.Name, prefix+"-"+a.Key)
	}
	for _, g := range []string{bp.Monitoring.AWS.FlowLogGroup, bp.Monitoring.AWS.AuditLogGroup} {
		if !strings.Contains(g, "/"+prefix+"/") {
			t.Errorf("log group %q does not name %s", g, prefix)
		}
	}
}

func checkSubnets(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	purposes := 2
	if len(env.Ingress) > 0 {
		purposes = 3
	}
	if got, want := len(bp.Network.Subnets), purposes*len(env.Zones); got != want {
		t.Errorf("%d subnets, want %d (%d purposes x %d zones)", got, want, purposes, len(env.Zones))
	}
	if bp.Network.CIDR != env.CIDR.String() || !slices.Equal(bp.Network.Zones, env.Zones) {
		t.Errorf("network cidr %s zones %v, want %s %v", bp.Network.CIDR, bp.Network.Zones, env.CIDR, env.Zones)
	}
	var named []netplan.Named
	for _, s := range bp.Network.Subnets {
		p, err := netplan.ParsePrefix(s.CIDR)
		if err != nil {
			t.Errorf("subnet %s: %v", s.Key, err)
			continue
		}
		if p.Bits() < env.CIDR.Bits() || !env.CIDR.Contains(p.Addr()) {
			t.Errorf("subnet %s %s lies outside %s", s.Key, p, env.CIDR)
		}
		if p.Bits() > cloud.AWS.Subnets.LongestSubnet {
			t.Errorf("subnet %s %s is smaller than /%d", s.Key, p, cloud.AWS.Subnets.LongestSubnet)
		}
		if s.Zone != nil && !slices.Contains(env.Zones, *s.Zone) {
			t.Errorf("subnet %s in unknown zone %q", s.Key, *s.Zone)
		}
		named = append(named, netplan.Named{Name: s.Key, Prefix: p})
	}
	if o := netplan.Overlaps(named); len(o) != 0 {
		t.Errorf("overlapping subnets: %v", o)
	}
	for _, e := range bp.Network.AWS.Endpoints {
		if !slices.ContainsFunc(bp.Network.Subnets, func(s blueprint.Subnet) bool { return s.Purpose == e.SubnetPurpose }) {
			t.Errorf("endpoint %s lives in subnets of purpose %q, which do not exist", e.Key, e.SubnetPurpose)
		}
		if !strings.HasPrefix(e.ServiceName, "com.amazonaws."+env.Region+".") {
			t.Errorf("endpoint %s: service name %q is not of region %s", e.Key, e.ServiceName, env.Region)
		}
	}
}

func checkRetentionAndKeys(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	if bp.Monitoring.RetentionDays != env.LogRetentionDays {
		t.Errorf("retention %d, want %d", bp.Monitoring.RetentionDays, env.LogRetentionDays)
	}
	if bp.Monitoring.AWS.FlowLogTrafficType != "ALL" {
		t.Errorf("flow logs record %q traffic, want ALL", bp.Monitoring.AWS.FlowLogTrafficType)
	}
	for _, k := range bp.Keys {
		if k.RotationPeriodDays != env.KeyRotationDays || k.DeletionWindowDays != env.KeyDeletionWindowDays {
			t.Errorf("key %s: rotation %d, deletion window %d; want %d, %d", k.Key, k.RotationPeriodDays, k.DeletionWindowDays,
				env.KeyRotationDays, env.KeyDeletionWindowDays)
		}
	}
}

// checkReferences: every key one part of the blueprint names exists.
func checkReferences(t *testing.T, _ segment.Environment, bp blueprint.Blueprint) {
	roles := roleARNs(bp)
	keys := map[string]bool{}
	for _, k := range bp.Keys {
		keys[k.Key] = true
	}
	groups := map[string]bool{}
	for _, g := range bp.Network.AWS.SecurityGroups {
		groups[g.Key] = true
	}
	c := bp.Cluster
	if roles[c.Identity] == "" || !groups[c.AWS.SecurityGroup] || !keys[c.SecretsKMSKey] {
		t.Errorf("cluster references: %+v", c)
	}
	if c.PublicEndpoint || !c.PrivateEndpoint {
		t.Errorf("cluster endpoints: public %v, private %v", c.PublicEndpoint, c.PrivateEndpoint)
	}
	if !slices.Contains(c.AWS.LogTypes, "audit") {
		t.Errorf("cluster does not send audit logs: %v", c.AWS.LogTypes)
	}
	m := bp.Monitoring
	if roles[m.AWS.FlowLogRole] == "" || !keys[m.KMSKey] {
		t.Errorf("monitoring references: role %q, key %q", m.AWS.FlowLogRole, m.KMSKey)
	}
	for _, p := range bp.NodePools {
		if roles[p.Identity] == "" || !groups[p.AWS.SecurityGroup] || !keys[p.DiskKMSKey] {
			t.Errorf("pool %s references: %+v", p.Key, p)
		}
	}
	for _, e := range bp.Network.AWS.Endpoints {
		if (e.Type == "Interface") != (e.SecurityGroup != nil) || (e.SecurityGroup != nil && !groups[*e.SecurityGroup]) {
			t.Errorf("endpoint %s: type %s, security group %q", e.Key, e.Type, val(e.SecurityGroup))
		}
	}
}

func checkHeaderAndTags(t *testing.T, env segment.Environment, bp blueprint.Blueprint) {
	if bp.Environment != env.Name || bp.Organization != env.Organization || bp.Tier != string(env.Tier) ||
		bp.Cloud != string(env.Cloud) || bp.Region != env.Region || bp.AccountID != env.AccountID ||
		bp.DataClassification != string(env.DataClassification) {
		t.Errorf("header does not match the environment: %+v", bp)
	}
	want := map[string]string{
		segment.EnvironmentTagKey:      env.Name,
		segment.TierTagKey:             string(env.Tier),
		blueprint.OrganizationTagKey:   env.Organization,
		blueprint.ClassificationTagKey: string(env.DataClassification),
		blueprint.ManagedByTagKey:      blueprint.ManagedByTagValue,
	}
	for k, v := range env.Tags {
		want[k] = v
	}
	if len(bp.Tags) != len(want) {
		t.Errorf("tags %v, want %v", bp.Tags, want)
	}
	for k, v := range want {
		if bp.Tags[k] != v {
			t.Errorf("tag %s = %q, want %q", k, bp.Tags[k], v)
		}
	}
	if len(bp.Waivers) != len(env.Waivers) {
		t.Errorf("waivers %v for %v", bp.Waivers, env.Waivers)
	}
	for _, w := range bp.Waivers {
		if w.Rule != strings.ToUpper(w.Rule) {
			t.Errorf("waiver rule %q is not upper case", w.Rule)
		}
	}
}

// TestTagsDoNotAliasInput: the blueprint's tags are a copy, and the reserved
// tags win over user tags of the same key.
func TestTagsDoNotAliasInput(t *testing.T) {
	env := productionEnvironment()
	env.Tags = map[string]string{"owner": "ml-platform", segment.EnvironmentTagKey: "staging"}
	bp := expand(t, env)
	if bp.Tags[segment.EnvironmentTagKey] != "prod" {
		t.Errorf("a user tag overrode %s: %q", segment.EnvironmentTagKey, bp.Tags[segment.EnvironmentTagKey])
	}
	bp.Tags["owner"] = "mutated"
	if env.Tags["owner"] != "ml-platform" || env.Tags[segment.EnvironmentTagKey] != "staging" {
		t.Errorf("Expand or its caller changed the input tags: %v", env.Tags)
	}
}

// TestExpandDoesNotModifyInput: Expand leaves its input alone, including the
// order of pools and entry points, which it sorts for the output only.
func TestExpandDoesNotModifyInput(t *testing.T) {
	env := productionEnvironment()
	before := fmt.Sprintf("%#v", env)
	bp := expand(t, env)
	if after := fmt.Sprintf("%#v", env); after != before {
		t.Errorf("Expand modified its input:\nbefore %s\nafter  %s", before, after)
	}
	bp.Network.Zones[0] = "mutated"
	if env.Zones[0] == "mutated" {
		t.Error("the blueprint's zones alias the input's")
	}
}

// TestDeterminism expands one environment 50 times, each time from freshly
// built values (so map iteration order differs), and wants identical JSON.
func TestDeterminism(t *testing.T) {
	first := marshal(t, expand(t, productionEnvironment()))
	for i := range 50 {
		env := productionEnvironment()
		// Rebuild the tags with keys inserted in a varying order.
		keys := []string{"owner", "cost-center", "team", "project"}
		vals := map[string]string{"owner": "ml-platform", "cost-center": "ai", "team": "ml", "project": "x"}
		env.Tags = map[string]string{}
		for j := range keys {
			k := keys[(i+j)%len(keys)]
			env.Tags[k] = vals[k]
		}
		delete(env.Tags, "team")
		delete(env.Tags, "project")
		if got := marshal(t, expand(t, env)); !bytes.Equal(got, first) {
			t.Fatalf("run %d differs: %s", i, firstDifference(got, first))
		}
	}
}

// TestEntryPointOrder: entry points are processed in name order, so
// reordering them in the configuration changes nothing.
func TestEntryPointOrder(t *testing.T) {
	env := productionEnvironment()
	a := marshal(t, expand(t, env))
	slices.Reverse(env.Ingress)
	if b := marshal(t, expand(t, env)); !bytes.Equal(a, b) {
		t.Errorf("reordering ingress changed the blueprint: %s", firstDifference(b, a))
	}
	env = productionEnvironment()
	slices.Reverse(env.GPUNodePools)
	if b := marshal(t, expand(t, env)); !bytes.Equal(a, b) {
		t.Errorf("reordering gpu_node_pools changed the blueprint: %s", firstDifference(b, a))
	}
}

func TestSummarize(t *testing.T) {
	for _, ne := range invariantEnvironments() {
		t.Run(ne.name, func(t *testing.T) {
			env := ne.env
			bp := expand(t, env)
			s := blueprint.Summarize(env, bp)
			var want []string
			for _, r := range bp.Identities {
				want = append(want, r.Principal)
			}
			slices.Sort(want)
			if !slices.Equal(s.Principals, want) {
				t.Errorf("principals %v, want %v", s.Principals, want)
			}
			// Principals, which needs only the environment's identity, names
			// the same identities as the whole blueprint.
			if p := testkit.Must(blueprint.Principals(env)); !slices.Equal(p, want) {
				t.Errorf("Principals(env) = %v, want the blueprint's %v", p, want)
			}
			if !slices.IsSorted(s.Principals) {
				t.Errorf("principals not sorted: %v", s.Principals)
			}
			if s.Name != env.Name || s.Organization != env.Organization || s.Tier != string(env.Tier) || s.Cloud != string(env.Cloud) ||
				s.Region != env.Region || s.AccountID != env.AccountID || s.CIDR != env.CIDR.String() || s.CISubject != env.CISubject {
				t.Errorf("summary %+v does not match the environment", s)
			}
		})
	}
}

func TestExpandErrors(t *testing.T) {
	t.Run("unsupported cloud", func(t *testing.T) {
		env := productionEnvironment()
		env.Cloud = "oci"
		_, err := blueprint.Expand(env)
		if err == nil || !strings.Contains(err.Error(), `"oci" is not a cloud`) {
			t.Errorf("Expand(oci) error = %v, want one naming \"oci\"", err)
		}
	})
	t.Run("unknown instance type", func(t *testing.T) {
		env := productionEnvironment()
		env.GPUNodePools[2].InstanceType = "m5.large"
		_, err := blueprint.Expand(env)
		if err == nil || !strings.Contains(err.Error(), `"inference"`) || !strings.Contains(err.Error(), "m5.large") {
			t.Errorf("error = %v, want one naming pool \"inference\" and m5.large", err)
		}
	})
	t.Run("cidr too small", func(t *testing.T) {
		env := productionEnvironment()
		env.CIDR = netip.MustParsePrefix("10.66.0.0/25")
		_, err := blueprint.Expand(env)
		if err == nil || !strings.Contains(err.Error(), "10.66.0.0/25") {
			t.Fatalf("error = %v, want one naming the cidr", err)
		}
		if !errors.Is(err, netplan.ErrTooSmall) {
			t.Errorf("error %v does not wrap netplan.ErrTooSmall", err)
		}
	})
	t.Run("no zones", func(t *testing.T) {
		env := productionEnvironment()
		env.Zones = nil
		if _, err := blueprint.Expand(env); err == nil {
			t.Error("Expand with no zones succeeded")
		}
	})
}

// TestExpandRejectsUnexpandable: Expand promises an error, not a broken
// blueprint, for an environment that breaks the rules that make it
// expandable or its documented limits.
func TestExpandRejectsUnexpandable(t *testing.T) {
	t.Run("duplicate pool names", func(t *testing.T) {
		env := productionEnvironment()
		env.GPUNodePools[1].Name = env.GPUNodePools[0].Name
		if _, err := blueprint.Expand(env); err == nil {
			t.Error("Expand accepted duplicate pool names")
		}
	})
	t.Run("too many entry point sources", func(t *testing.T) {
		env := productionEnvironment()
		env.Ingress = nil
		for i := range blueprint.MaxEntryPointSources + 51 {
			env.Ingress = append(env.Ingress, segment.Ingress{
				Name: fmt.Sprintf("e%03d", i), Port: 443,
				FromCIDRs: prefixes(fmt.Sprintf("198.51.%d.0/24", i)),
			})
		}
		if _, err := blueprint.Expand(env); err == nil {
			t.Errorf("Expand accepted %d entry point sources, more than MaxEntryPointSources = %d", len(env.Ingress), blueprint.MaxEntryPointSources)
		}
	})
}

// TestMaxEntryPointSources: exactly the limit fits between the own-range
// rule and the reserved flow band, with unique keys.
func TestMaxEntryPointSources(t *testing.T) {
	env := productionEnvironment()
	env.Ingress = nil
	for i := range blueprint.MaxEntryPointSources {
		env.Ingress = append(env.Ingress, segment.Ingress{
			Name: fmt.Sprintf("e%03d", i), Port: 443 + i%2,
			FromCIDRs: prefixes(fmt.Sprintf("198.51.%d.0/24", i)),
		})
	}
	bp := expand(t, env)
	checkKeys(t, env, bp)
	checkNetworkACLs(t, env, bp)
	checkSecurityGroupRanges(t, env, bp)
}

package blueprint_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// generatedNames returns, per namespace in which the cloud keeps names
// unique and different environments can meet, the names an environment's
// blueprint and boundary create: S3 bucket names (global), and IAM roles,
// EKS clusters, KMS aliases, log groups and alarms (one account and region
// may hold several environments). Names that live inside an environment's
// own VPC or cluster (security groups, node groups) or are only tags
// (subnets, route tables) cannot meet another environment's.
func generatedNames(bp blueprint.Blueprint, bd blueprint.Boundary) map[string][]string {
	out := map[string][]string{}
	add := func(ns string, names ...string) { out[ns] = append(out[ns], names...) }
	for _, b := range bp.Buckets {
		add("s3 bucket", b.Name)
	}
	for _, r := range slices.Concat(bp.Identities, bd.Identities) {
		add("iam role", r.Name)
	}
	add("eks cluster", bp.Cluster.Name)
	for _, k := range bp.Keys {
		add("kms alias", k.AWS.Alias)
	}
	add("log group", bp.Monitoring.AWS.FlowLogGroup, bp.Monitoring.AWS.AuditLogGroup)
	for _, a := range bp.Monitoring.Alarms {
		add("alarm", a.Name)
	}
	return out
}

// nameWords make names that split at dashes in many ways, and include the
// words of the fixed purposes, so that near-collisions are common.
var nameWords = []string{"a", "prod", "promoter", "deployer", "node", "data", "logs"}

// randomName joins one to maxWords words with single dashes, at most 16
// characters: the form and length of organization and environment names.
func randomName(r *rand.Rand, maxWords int) string {
	for {
		n := 1 + r.IntN(maxWords)
		words := make([]string, n)
		for i := range words {
			words[i] = nameWords[r.IntN(len(nameWords))]
		}
		if s := strings.Join(words, "-"); len(s) <= 16 {
			return s
		}
	}
}

// TestGeneratedNamesDisjoint is the property SEG609 rests on: environments
// whose prefixes "{organization}-{environment}" differ never share a
// generated name, whatever their names, tiers and promotions. Every
// environment is in one account and region, the case where most names
// could meet.
func TestGeneratedNamesDisjoint(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 5))
	tiers := []segment.Tier{segment.Development, segment.Staging, segment.Production, segment.Shared}
	// Few organizations, some ending in a word that names begin with, so
	// that environments of different organizations meet too.
	orgs := []string{"a", "a-prod", "prod", randomName(r, 2)}
	for trial := range 100 {
		var envs []segment.Environment
		prefixes, names := map[string]bool{}, map[string]bool{}
		for i := 0; len(envs) < 10 && i < 50; i++ {
			org, name := orgs[r.IntN(len(orgs))], randomName(r, 3)
			if len(envs) > 0 && r.IntN(2) == 0 {
				// Extend another environment's name by a word: the shape
				// of a prefix that continues into another's purpose.
				base := envs[r.IntN(len(envs))]
				if n := base.Name + "-" + nameWords[r.IntN(len(nameWords))]; len(n) <= 16 {
					org, name = base.Organization, n
				}
			}
			env := baseEnvironment(tiers[r.IntN(len(tiers))], name, "123456789012", fmt.Sprintf("10.%d.0.0/16", 64+len(envs)))
			env.Organization = org
			if prefixes[env.Prefix()] || names[name] {
				continue // SEG609 and SEG605 refuse these
			}
			prefixes[env.Prefix()], names[name] = true, true
			env.CISubject = "repo:acme/ml:environment:" + name
			env.HumanAccess = segment.AccessLevels()[r.IntN(len(segment.AccessLevels()))]
			envs = append(envs, env)
		}
		if err := sharedName(t, envs); err != "" {
			t.Fatalf("trial %d: %s", trial, err)
		}
	}
}

// sharedName expands envs, with every model promotion the tier policy
// allows between them, and returns the first generated name two of them
// share in one namespace, or "".
func sharedName(t *testing.T, envs []segment.Environment) string {
	t.Helper()
	topo := segment.Topology{}
	for _, e := range envs {
		topo.Environments = append(topo.Environments, memberOf(e))
	}
	for _, a := range envs {
		for _, b := range envs {
			if a.Name != b.Name && segment.FlowAllowed(a.Tier, b.Tier, segment.ModelPromotion) {
				topo.Flows = append(topo.Flows, bFlow(a.Name, b.Name, segment.ModelPromotion))
			}
		}
	}
	bds, _ := blueprint.Boundaries(topo)
	owner := map[string]map[string]string{} // namespace -> name -> prefix
	for _, e := range envs {
		for ns, list := range generatedNames(expand(t, e), bds[e.Name]) {
			if owner[ns] == nil {
				owner[ns] = map[string]string{}
			}
			for _, n := range list {
				if p, dup := owner[ns][n]; dup && p != e.Prefix() {
					return fmt.Sprintf("%s %q is generated for both %q and %q", ns, n, p, e.Prefix())
				}
				owner[ns][n] = e.Prefix()
			}
		}
	}
	return ""
}

// TestGeneratedNamesDisjointIssueCase is issue 8's case through the same
// check: with the promoter named "{target}-promoter-{source}", the promoter
// of "deployer" into "prod" was the deployer of "prod-promoter".
func TestGeneratedNamesDisjointIssueCase(t *testing.T) {
	deployer := baseEnvironment(segment.Staging, "deployer", "333333333333", "10.64.0.0/16")
	prod := baseEnvironment(segment.Production, "prod", "333333333333", "10.65.0.0/16")
	other := baseEnvironment(segment.Production, "prod-promoter", "333333333333", "10.66.0.0/16")
	for _, e := range []*segment.Environment{&deployer, &prod, &other} {
		e.CISubject = "repo:acme/ml:environment:" + e.Name
	}
	if err := sharedName(t, []segment.Environment{deployer, prod, other}); err != "" {
		t.Error(err)
	}
}

// TestPromoterCannotBeAnotherEnvironmentsRole is issue 8's case: the
// promoter of a promotion from "deployer" into "prod" and the deployer of
// an environment named "prod-promoter" were both acme-prod-promoter-deployer.
func TestPromoterCannotBeAnotherEnvironmentsRole(t *testing.T) {
	deployer := baseEnvironment(segment.Staging, "deployer", "333333333333", "10.64.0.0/16")
	deployer.CISubject = "repo:acme/ml:environment:deployer"
	prod := topologyEnvironment("prod")
	other := baseEnvironment(segment.Production, "prod-promoter", "333333333333", "10.70.0.0/16")
	other.CISubject = "repo:acme/ml:environment:prod-promoter"
	topo := segment.Topology{
		Environments: []segment.Member{memberOf(deployer), memberOf(prod), memberOf(other)},
		Flows:        []segment.Flow{bFlow("deployer", "prod", segment.ModelPromotion)},
	}
	bds := boundaries(t, topo)
	if len(bds["prod"].Identities) != 1 {
		t.Fatalf("prod's boundary roles: %+v", bds["prod"].Identities)
	}
	promoter := bds["prod"].Identities[0]
	if promoter.Name != "acme-prod-promoter--deployer" {
		t.Errorf("promoter name = %q, want acme-prod-promoter--deployer", promoter.Name)
	}
	if slices.Contains(testkit.Must(blueprint.Principals(other)), promoter.Principal) {
		t.Errorf("the promoter %s is one of prod-promoter's own roles", promoter.Principal)
	}
}

// TestLongestNamesWithinCloudLimits: with the longest organization and
// environment names (16 characters), every bucket name keeps to S3's rules
// and every role name, a promoter's with a 16-character source included, to
// IAM's length.
func TestLongestNamesWithinCloudLimits(t *testing.T) {
	const org, name, source = "abcdefgh-jklmnop", "qrstuvwx-zabcdef", "ghijklmn-pqrstuv"
	for _, n := range []string{org, name, source} {
		if len(n) != 16 {
			t.Fatalf("%q is not 16 characters", n)
		}
	}
	env := productionEnvironment()
	env.Organization, env.Name = org, name
	src := baseEnvironment(segment.Staging, source, "222222222222", "10.65.0.0/16")
	src.Organization = org
	bp := expand(t, env)
	bds := boundaries(t, segment.Topology{
		Environments: []segment.Member{memberOf(src), memberOf(env)},
		Flows:        []segment.Flow{bFlow(source, name, segment.ModelPromotion)},
	})
	f := cloud.AWS
	for _, b := range bp.Buckets {
		if err := f.GlobalNames.Check(b.Name); err != nil {
			t.Error(err)
		}
	}
	roles := slices.Concat(bp.Identities, bds[name].Identities)
	if !slices.ContainsFunc(roles, func(r blueprint.Identity) bool { return strings.Contains(r.Name, cloud.VariableSeparator) }) {
		t.Fatal("no promoter role among the roles")
	}
	for _, r := range roles {
		if len(r.Name) > f.RoleNameMaxLength {
			t.Errorf("role name %q has %d characters; IAM allows %d", r.Name, len(r.Name), f.RoleNameMaxLength)
		}
	}
}

func TestEntryCIDRsRoundTrip(t *testing.T) {
	env := productionEnvironment()
	got := blueprint.Summarize(env, expand(t, env)).EntryCIDRs
	want := []string{"inference-api:443:203.0.113.0/24", "inference-api:443:198.51.100.0/24", "batch-api:8443:192.168.16.0/20"}
	if !slices.Equal(got, want) {
		t.Fatalf("entry_cidrs = %q, want %q", got, want)
	}
	k := 0
	for _, in := range env.Ingress {
		for _, from := range in.FromCIDRs {
			p, err := blueprint.ParseEntryCIDR(got[k])
			if err != nil || p.Name != in.Name || p.Port != in.Port || len(p.FromCIDRs) != 1 || p.FromCIDRs[0] != from {
				t.Errorf("ParseEntryCIDR(%q) = %+v, %v", got[k], p, err)
			}
			k++
		}
	}
	if s := blueprint.Summarize(developmentEnvironment(), expand(t, developmentEnvironment())).EntryCIDRs; s == nil || len(s) != 0 {
		t.Errorf("no entry points: entry_cidrs = %#v, want an empty list", s)
	}
}

func TestParseEntryCIDRRefuses(t *testing.T) {
	for _, s := range []string{
		"", "api", "api:443", "api:443:", ":443:10.0.0.0/8", "api::10.0.0.0/8", "api:0:10.0.0.0/8",
		"api:65536:10.0.0.0/8", "api:+443:10.0.0.0/8", "api:0443:10.0.0.0/8", "api:443:10.0.0.1/8",
		"api:443:10.0.0.0", "api:443:10.0.0.0/8:x", "api:443:FD00::/8",
	} {
		if p, err := blueprint.ParseEntryCIDR(s); err == nil {
			t.Errorf("ParseEntryCIDR(%q) = %+v, want an error", s, p)
		}
	}
}

// FuzzParseEntryCIDR: the parser never panics, and what it accepts prints
// back to exactly its input.
func FuzzParseEntryCIDR(f *testing.F) {
	for _, s := range []string{"inference-api:443:203.0.113.0/24", "ssh:22:10.64.0.0/16", "a:1:0.0.0.0/0", "x:65535:fd00::/8", "::", "a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := blueprint.ParseEntryCIDR(s)
		if err != nil {
			return
		}
		if len(in.FromCIDRs) != 1 {
			t.Fatalf("ParseEntryCIDR(%q) = %+v: want one range", s, in)
		}
		if back := blueprint.EntryCIDRs([]segment.Ingress{in}); len(back) != 1 || back[0] != s {
			t.Fatalf("ParseEntryCIDR(%q) = %+v prints back as %q", s, in, back)
		}
	})
}

// TestNoBlueprintYet: a cloud without an expansion, or a name that is not a
// cloud, is an error from Expand and Principals, never another cloud's blueprint
// or principals.
func TestNoBlueprintYet(t *testing.T) {
	for c, want := range map[segment.Cloud]string{
		"oci": `"oci" is not a cloud`,
	} {
		env := productionEnvironment()
		env.Cloud = c
		if _, err := blueprint.Expand(env); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Expand(%s) = %v, want %q", c, err, want)
		}
		if p, err := blueprint.Principals(env); err == nil || p != nil {
			t.Errorf("Principals(%s) = %v, %v, want an error", c, p, err)
		}
	}
}

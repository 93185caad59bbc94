package blueprint_test

import (
	"net/netip"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// defaultTags are the provider's default_tags of the golden environments.
// The map is built afresh on every call.
func defaultTags() map[string]string {
	return map[string]string{"owner": "ml-platform", "cost-center": "ai"}
}

// baseEnvironment returns an environment of the tier with every default of
// the tier resolved and nothing optional set.
func baseEnvironment(tier segment.Tier, name, account, cidr string) segment.Environment {
	d := testkit.Must(tier.Defaults())
	return segment.Environment{
		Organization:          "acme",
		Name:                  name,
		Tier:                  tier,
		Cloud:                 segment.AWS,
		Region:                "us-east-1",
		AccountID:             account,
		Zones:                 segment.DefaultZones("us-east-1"),
		CIDR:                  netip.MustParsePrefix(cidr),
		DataClassification:    d.DataClassification,
		HumanAccess:           d.HumanAccess,
		CIOIDCProvider:        "token.actions.githubusercontent.com",
		LogRetentionDays:      d.LogRetentionDays,
		KeyRotationDays:       d.KeyRotationDays,
		KeyDeletionWindowDays: d.KeyDeletionWindowDays,
		Tags:                  defaultTags(),
	}
}

// productionEnvironment is the golden production environment: four GPU
// pools (two training, one of them spot; two inference, one of them arm64),
// two entry points declared out of name order (one public, one private),
// a pinned ci_subject and default tags.
func productionEnvironment() segment.Environment {
	env := baseEnvironment(segment.Production, "prod", "333333333333", "10.66.0.0/16")
	env.CISubject = "repo:acme/ml:environment:prod"
	env.GPUNodePools = []segment.NodePool{
		{Name: "training", InstanceType: "p4d.24xlarge", MinSize: 0, MaxSize: 4, Purpose: segment.Training},
		{Name: "training-spot", InstanceType: "g6e.12xlarge", MinSize: 0, MaxSize: 16, Spot: true, Purpose: segment.Training},
		{Name: "inference", InstanceType: "g5.2xlarge", MinSize: 1, MaxSize: 8, Purpose: segment.Inference},
		{Name: "inference-arm", InstanceType: "g5g.xlarge", MinSize: 1, MaxSize: 4, Purpose: segment.Inference},
	}
	env.Ingress = []segment.Ingress{
		{Name: "inference-api", Port: 443, FromCIDRs: prefixes("203.0.113.0/24", "198.51.100.0/24")},
		{Name: "batch-api", Port: 8443, FromCIDRs: prefixes("192.168.16.0/20")},
	}
	return env
}

// developmentEnvironment is the golden development environment: no entry
// points, no ci_subject (so no deployer), human write access.
func developmentEnvironment() segment.Environment {
	env := baseEnvironment(segment.Development, "dev", "111111111111", "10.64.0.0/16")
	env.HumanAccess = segment.WriteAccess
	env.GPUNodePools = []segment.NodePool{
		{Name: "experiments", InstanceType: "g5.xlarge", MinSize: 0, MaxSize: 4, Spot: true, Purpose: segment.Training},
	}
	return env
}

// gcpEnvironment moves an environment to Google Cloud: one project per
// environment, in europe-west4.
func gcpEnvironment(env segment.Environment, project string) segment.Environment {
	env.Cloud, env.Region, env.AccountID = segment.GCP, "europe-west4", project
	env.Zones = []string{"europe-west4-a", "europe-west4-b", "europe-west4-c"}
	env.LogRetentionDays = max(env.LogRetentionDays, 1)
	return env
}

// gcpProductionEnvironment is the golden production environment on Google
// Cloud: H100 training (one pool spot), L4 inference and an N1 pool with
// attached T4s, and the production entry points.
func gcpProductionEnvironment() segment.Environment {
	env := gcpEnvironment(productionEnvironment(), "acme-ml-prod")
	env.GPUNodePools = []segment.NodePool{
		{Name: "training", InstanceType: "a3-highgpu-8g", MinSize: 0, MaxSize: 4, Purpose: segment.Training},
		{Name: "training-spot", InstanceType: "a2-highgpu-4g", MinSize: 0, MaxSize: 16, Spot: true, Purpose: segment.Training},
		{Name: "inference", InstanceType: "g2-standard-8", MinSize: 1, MaxSize: 8, Purpose: segment.Inference},
		{Name: "inference-t4", InstanceType: "n1-standard-8", Accelerator: "nvidia-tesla-t4", AcceleratorCount: 1, MinSize: 1, MaxSize: 4, Purpose: segment.Inference},
	}
	return env
}

// gcpDevelopmentEnvironment is the golden development environment on
// Google Cloud.
func gcpDevelopmentEnvironment() segment.Environment {
	env := gcpEnvironment(developmentEnvironment(), "acme-ml-dev")
	env.GPUNodePools = []segment.NodePool{
		{Name: "experiments", InstanceType: "g2-standard-4", MinSize: 0, MaxSize: 4, Spot: true, Purpose: segment.Training},
	}
	return env
}

// namedEnvironment is one environment of the invariant checks.
type namedEnvironment struct {
	name string
	env  segment.Environment
}

// invariantEnvironments covers every tier, with and without entry points
// (public and private only), with and without a ci_subject, and every human
// access level.
func invariantEnvironments() []namedEnvironment {
	var out []namedEnvironment
	add := func(name string, env segment.Environment) { out = append(out, namedEnvironment{name, env}) }

	add("production golden", productionEnvironment())
	add("development golden", developmentEnvironment())

	add("production minimal", baseEnvironment(segment.Production, "prod", "333333333333", "10.66.0.0/16"))

	noCI := productionEnvironment()
	noCI.CISubject = ""
	add("production without ci_subject", noCI)

	privateOnly := productionEnvironment()
	privateOnly.Ingress = []segment.Ingress{{Name: "internal", Port: 443, FromCIDRs: prefixes("10.0.0.0/8", "172.16.0.0/12")}}
	add("production with private ingress only", privateOnly)

	readProd := productionEnvironment()
	readProd.HumanAccess = segment.ReadAccess
	readProd.Waivers = []segment.Waiver{{Rule: "seg403", Reason: "retries"}, {Rule: "SEG103", Reason: "bastion"}}
	add("production with read access and waivers", readProd)

	staging := baseEnvironment(segment.Staging, "staging", "222222222222", "10.65.0.0/16")
	staging.CISubject = "repo:acme/ml:environment:staging"
	staging.GPUNodePools = []segment.NodePool{
		{Name: "inference", InstanceType: "g5.2xlarge", MinSize: 1, MaxSize: 2, Spot: true, Purpose: segment.Inference},
	}
	staging.Ingress = []segment.Ingress{
		{Name: "api", Port: 443, FromCIDRs: prefixes("0.0.0.0/0")},
		{Name: "grpc", Port: 443, FromCIDRs: prefixes("0.0.0.0/0", "10.65.0.0/16")},
	}
	add("staging with shared-port public ingress", staging)

	stagingMinimal := baseEnvironment(segment.Staging, "staging", "222222222222", "10.65.0.0/16")
	stagingMinimal.Tags = nil
	add("staging minimal without tags", stagingMinimal)

	devRead := baseEnvironment(segment.Development, "dev-eu", "111111111111", "172.16.0.0/20")
	devRead.Region = "eu-west-1"
	devRead.Zones = []string{"eu-west-1a", "eu-west-1b"}
	devRead.HumanAccess = segment.ReadAccess
	devRead.CISubject = "repo:acme/ml:environment:dev-eu"
	devRead.Ingress = []segment.Ingress{{Name: "notebooks", Port: 8888, FromCIDRs: prefixes("192.168.0.0/16")}}
	add("development read with ci_subject, two zones", devRead)

	shared := baseEnvironment(segment.Shared, "shared", "444444444444", "100.64.0.0/16")
	shared.CISubject = "repo:acme/platform:environment:shared"
	add("shared", shared)

	govcloud := baseEnvironment(segment.Production, "gov", "555555555555", "10.70.0.0/16")
	govcloud.Region = "us-gov-west-1"
	govcloud.Zones = segment.DefaultZones("us-gov-west-1")
	govcloud.CISubject = "repo:acme/ml:environment:gov"
	govcloud.GPUNodePools = []segment.NodePool{{Name: "inference", InstanceType: "g5.2xlarge", MinSize: 1, MaxSize: 2, Purpose: segment.Inference}}
	add("production in GovCloud", govcloud)

	return out
}

// val is what a nullable value holds, or its zero value when it is null.
func val[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// entries is every firewall rule as a layer of one target and one range per
// rule applies it (FirewallRule.Entries).
func entries(rules []blueprint.FirewallRule) []blueprint.FirewallRule {
	var out []blueprint.FirewallRule
	for _, r := range rules {
		out = append(out, r.Entries()...)
	}
	return out
}

// cidr is an entry's one range, or "" when its peer is not a range.
func cidr(r blueprint.FirewallRule) string {
	if len(r.CIDRs) == 0 {
		return ""
	}
	return r.CIDRs[0]
}

package rules

import (
	"net/netip"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// The clean environments' fixed facts, one per tier.
var cleanFacts = map[segment.Tier]struct {
	name, account, cidr string
}{
	segment.Development: {"dev", "111111111111", "10.64.0.0/16"},
	segment.Staging:     {"staging", "222222222222", "10.65.0.0/16"},
	segment.Production:  {"prod", "333333333333", "10.66.0.0/16"},
	segment.Shared:      {"shared", "444444444444", "10.67.0.0/16"},
}

// minimalEnvironment returns an environment of the tier as the provider
// resolves a configuration that sets only the required inputs: no pools, no
// ingress, no ci_subject, every optional value at the tier's default.
func minimalEnvironment(tier segment.Tier) segment.Environment {
	facts, ok := cleanFacts[tier]
	if !ok {
		panic("no clean facts for tier " + string(tier))
	}
	d := testkit.Must(tier.Defaults())
	return segment.Environment{
		Organization:          "acme",
		Name:                  facts.name,
		Tier:                  tier,
		Cloud:                 segment.AWS,
		Region:                "us-east-1",
		AccountID:             facts.account,
		Zones:                 segment.DefaultZones("us-east-1"),
		CIDR:                  netip.MustParsePrefix(facts.cidr),
		DataClassification:    d.DataClassification,
		HumanAccess:           d.HumanAccess,
		CIOIDCProvider:        "token.actions.githubusercontent.com",
		LogRetentionDays:      d.LogRetentionDays,
		KeyRotationDays:       d.KeyRotationDays,
		KeyDeletionWindowDays: d.KeyDeletionWindowDays,
	}
}

// cleanEnvironment returns a complete, valid environment of the tier: the
// minimal one plus a pinned ci_subject, a g5.2xlarge inference pool (min 1,
// max 8) and an "inference-api" entry point on 443 from 203.0.113.0/24.
// For production it is exactly the environment of DESIGN.md's example
// (account 333333333333, cidr 10.66.0.0/16).
func cleanEnvironment(tier segment.Tier) segment.Environment {
	env := minimalEnvironment(tier)
	env.CISubject = "repo:acme/ml:environment:" + env.Name
	env.GPUNodePools = []segment.NodePool{{
		Name:         "inference",
		InstanceType: "g5.2xlarge",
		MinSize:      1,
		MaxSize:      8,
		Purpose:      segment.Inference,
	}}
	env.Ingress = []segment.Ingress{{
		Name:      "inference-api",
		Port:      443,
		FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")},
	}}
	return env
}

func cleanProduction() segment.Environment  { return cleanEnvironment(segment.Production) }
func cleanStaging() segment.Environment     { return cleanEnvironment(segment.Staging) }
func cleanDevelopment() segment.Environment { return cleanEnvironment(segment.Development) }

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// gpuPool returns an on-demand pool of the given shape.
func gpuPool(name, instanceType string, minSize, maxSize int, purpose segment.Purpose) segment.NodePool {
	return segment.NodePool{Name: name, InstanceType: instanceType, MinSize: minSize, MaxSize: maxSize, Purpose: purpose}
}

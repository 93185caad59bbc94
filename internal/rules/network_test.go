package rules

import (
	"slices"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// allRuleCases are the cases of TestRules: ruleCases and those of the rules
// in network.go.
func allRuleCases() []ruleCase { return slices.Concat(ruleCases(), networkRuleCases()) }

func networkRuleCases() []ruleCase {
	prod := cleanProduction
	noPools := func(e *segment.Environment) { e.GPUNodePools = nil }
	return []ruleCase{
		// SEG104: the cidr is outside the cloud's network sizes.
		{rule: "SEG104", name: "a /8", base: prod, mutate: setCIDR("10.0.0.0/8"),
			want: []want{{"SEG104", "cidr", Error}}, msg: []string{"10.0.0.0/8", "/8", "AWS VPC", "/16", "/28"}},
		{rule: "SEG104", name: "a /15, one bit too large", base: prod, mutate: setCIDR("10.64.0.0/15"),
			want: []want{{"SEG104", "cidr", Error}}},
		{rule: "SEG104", name: "a /29, one bit too small, cannot be carved either", base: prod, mutate: all(noPools, setCIDR("10.66.0.0/29")),
			want: []want{{"SEG102", "cidr", Error}, {"SEG104", "cidr", Error}}},
		{rule: "SEG104", name: "a /16, the largest VPC", base: prod, mutate: setCIDR("10.64.0.0/16")},
		{rule: "SEG104", name: "a /24 without pools", base: prod, mutate: all(noPools, setCIDR("10.66.0.0/24"))},
	}
}

// TestNetworkBoundsMatchNetplan: the longest subnet netplan carves is the
// smallest network AWS takes, so that SEG102 and SEG104 speak of one fact.
func TestNetworkBoundsMatchNetplan(t *testing.T) {
	f, ok := cloud.For(segment.AWS)
	if !ok {
		t.Fatal("no AWS facts")
	}
	if f.NetworkPrefix.Longest != cloud.AWS.Subnets.LongestSubnet {
		t.Errorf("AWS networks end at /%d, netplan carves subnets up to /%d", f.NetworkPrefix.Longest, cloud.AWS.Subnets.LongestSubnet)
	}
}

package rules

import (
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// checkNetworkSize is SEG104: the cidr must be a network size the cloud can
// build (an AWS VPC is a /16 to a /28).
func checkNetworkSize(env segment.Environment) []Finding {
	f, ok := cloud.For(env.Cloud)
	if !ok || !env.CIDR.IsValid() || f.NetworkPrefix.Contains(env.CIDR.Bits()) {
		return nil
	}
	b := f.NetworkPrefix
	return []Finding{finding(Root("cidr"),
		"%s is a /%d, but %s %s ranges go from /%d (the largest) to /%d (the smallest), so no network can be built for it.",
		env.CIDR, env.CIDR.Bits(), f.Name, f.Network, b.Shortest, b.Longest)}
}

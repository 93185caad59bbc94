package modgen

import (
	"net/netip"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// azureEnvironment is an Azure environment of the given tier in westeurope,
// with the tier's defaults.
func azureEnvironment(name string, tier segment.Tier, subscription, cidr string) segment.Environment {
	d := testkit.Must(tier.Defaults())
	return segment.Environment{
		Organization: "acme", Name: name, Tier: tier, Cloud: segment.Azure, Region: "westeurope", AccountID: subscription,
		Zones: []string{"1", "2", "3"}, CIDR: netip.MustParsePrefix(cidr),
		DataClassification: d.DataClassification, HumanAccess: d.HumanAccess,
		CISubject: "repo:acme/ml:environment:" + name, CIOIDCProvider: "token.actions.githubusercontent.com",
		LogRetentionDays: d.LogRetentionDays, KeyRotationDays: d.KeyRotationDays, KeyDeletionWindowDays: d.KeyDeletionWindowDays,
		Tags: map[string]string{"owner": "ml-platform"},
	}
}

// azureSampleVars are the module's inputs for real Azure blueprints and
// boundaries, from a topology of four Azure environments, each in its own
// subscription, whose only flows are telemetry from each to shared (the
// flows between Azure environments that grant something today: a model
// promotion or an artifact pull between Azure subscriptions grants nothing
// yet, and a deploy reaches the private API through no NSG rule):
//
//   - prod: production (10.72.0.0/16) with an inference pool of
//     Standard_NC24ads_A100_v4 machines and a public entry point (so its
//     NSGs have the entry point's and the load balancer probes' rules, and
//     it has an ingress subnet); its boundary adds the telemetry egress;
//   - dev: development, whose data scientists write (a human identity with
//     write access), with a spot training pool; the auditors and data
//     scientists are given Entra principals;
//   - shared: no node pool; its boundary admits telemetry from the three
//     others.
func azureSampleVars(t *testing.T) map[string]map[string]any {
	t.Helper()
	prod := azureEnvironment("prod", segment.Production, "3f2b6a8e-1c4d-4e5f-9a0b-7c6d5e4f3a21", "10.72.0.0/16")
	prod.GPUNodePools = []segment.NodePool{{Name: "inference", InstanceType: "Standard_NC24ads_A100_v4", MinSize: 1, MaxSize: 8, Purpose: segment.Inference}}
	prod.Ingress = []segment.Ingress{{Name: "inference-api", Port: 443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}}}
	dev := azureEnvironment("dev", segment.Development, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "10.73.0.0/16")
	dev.GPUNodePools = []segment.NodePool{{Name: "training", InstanceType: "Standard_NC24ads_A100_v4", MinSize: 0, MaxSize: 4, Spot: true, Purpose: segment.Training}}
	staging := azureEnvironment("staging", segment.Staging, "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "10.74.0.0/16")
	shared := azureEnvironment("shared", segment.Shared, "9c8b7a6f-5e4d-4c3b-b2a1-0f9e8d7c6b5a", "10.75.0.0/16")
	envs := []segment.Environment{prod, dev, staging, shared}

	var topo segment.Topology
	for _, e := range envs {
		s := blueprint.Summarize(e, testkit.Must(blueprint.Expand(e)))
		topo.Environments = append(topo.Environments, segment.Member{
			Name: s.Name, Organization: s.Organization, Tier: e.Tier, Cloud: e.Cloud, Region: s.Region,
			AccountID: s.AccountID, CIDR: e.CIDR, CISubject: s.CISubject, CIOIDCProvider: s.CIOIDCProvider, Principals: s.Principals,
		})
	}
	topo.Flows = []segment.Flow{
		{From: "dev", To: "shared", Purpose: segment.Telemetry},
		{From: "staging", To: "shared", Purpose: segment.Telemetry},
		{From: "prod", To: "shared", Purpose: segment.Telemetry},
	}
	bounds, issues := blueprint.Boundaries(topo)
	if len(issues) > 0 {
		t.Fatalf("boundary issues: %v", issues)
	}

	out := map[string]map[string]any{}
	for _, e := range []segment.Environment{prod, dev, shared} {
		bp, err := blueprint.Expand(e)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		humans := map[string][]string{}
		for i, id := range bp.Identities {
			if id.Human {
				humans[id.Key] = []string{azureSamplePrincipal(i)}
			}
		}
		out[e.Name] = map[string]any{
			"blueprint":        bp,
			"boundary":         bounds[e.Name],
			"human_principals": humans,
		}
	}
	return out
}

// azureSamplePrincipal is a made-up Entra object ID.
func azureSamplePrincipal(i int) string {
	return "7d3c2b1a-0000-4000-8000-00000000000" + string(rune('0'+i%10))
}

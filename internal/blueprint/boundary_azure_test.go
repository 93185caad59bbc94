package blueprint_test

import (
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// azureTopology puts all four environments on Azure, one subscription each.
func azureTopology(flows ...segment.Flow) segment.Topology {
	topo := topologyOf(fourNames, flows...)
	for i, m := range topo.Environments {
		sub := strings.Repeat(string(rune('1'+i)), 8) + "-0000-4000-8000-000000000000"
		topo.Environments[i] = memberOf(azureEnvironment(topologyEnvironment(m.Name), sub))
	}
	return topo
}

// TestBoundaryAzurePromotionAndPull: between Azure environments, a model
// promotion gives the target a promoter identity usable only by its CI
// subject, which the source's models storage account names and nothing
// else; an artifact pull names exactly the puller's kubelet identity; a
// telemetry flow opens both sides' network security groups in the flow band.
func TestBoundaryAzurePromotionAndPull(t *testing.T) {
	bds := boundaries(t, azureTopology(bFlow("staging", "prod", segment.ModelPromotion),
		bFlow("shared", "prod", segment.ArtifactPull), bFlow("prod", "shared", segment.Telemetry)))
	prod, staging, shared := bds["prod"], bds["staging"], bds["shared"]
	if len(prod.Identities) != 1 {
		t.Fatalf("prod identities %+v, want the promoter", prod.Identities)
	}
	p := prod.Identities[0]
	if !strings.HasSuffix(p.Principal, "/resourceGroups/acme-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acme-prod-promoter--staging") ||
		p.Azure == nil || p.Azure.Federation == nil || p.Azure.Federation.Subject != "repo:acme/ml:environment:prod" {
		t.Errorf("promoter %+v", p)
	}
	for _, a := range p.Azure.RoleAssignments {
		if a.Scope != blueprint.ScopeBucket || val(a.Resource) != blueprint.BucketModels || a.Member != p.Key {
			t.Errorf("promoter assignment %+v reaches beyond prod's models", a)
		}
	}
	if len(staging.ResourceGrants) != 1 || staging.ResourceGrants[0].Azure == nil ||
		staging.ResourceGrants[0].Azure.Role != "Storage Blob Data Reader" || staging.ResourceGrants[0].Azure.Member != p.Principal {
		t.Errorf("staging's grants %+v, want read on its models for the promoter", staging.ResourceGrants)
	}
	if len(shared.ResourceGrants) != 1 || shared.ResourceGrants[0].Azure == nil || shared.ResourceGrants[0].Azure.Role != "AcrPull" ||
		!strings.HasSuffix(shared.ResourceGrants[0].Azure.Member, "/userAssignedIdentities/acme-prod-node") {
		t.Errorf("shared's grants %+v, want AcrPull for prod's kubelet", shared.ResourceGrants)
	}
	for _, name := range []string{"prod", "shared"} {
		var nsg int
		for _, r := range bds[name].FirewallRules {
			if r.Layer == blueprint.LayerNSG && val(r.Priority) >= blueprint.NSGBoundaryFlows && val(r.Priority) < blueprint.NSGDenyAll {
				nsg++
			}
		}
		if nsg != 1 {
			t.Errorf("%s has %d NSG flow rules, want 1", name, nsg)
		}
	}
}

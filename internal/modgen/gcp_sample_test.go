package modgen

import (
	"net/netip"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// gcpProjectNumber is the sample environments' project number.
const gcpProjectNumber = "123456789012"

// gcpEnvironment is a Google Cloud environment of the given tier in
// europe-west4, with the tier's defaults.
func gcpEnvironment(name string, tier segment.Tier, project, cidr string) segment.Environment {
	d := testkit.Must(tier.Defaults())
	return segment.Environment{
		Organization: "acme", Name: name, Tier: tier, Cloud: segment.GCP, Region: "europe-west4", AccountID: project,
		Zones: []string{"europe-west4-a", "europe-west4-b", "europe-west4-c"}, CIDR: netip.MustParsePrefix(cidr),
		DataClassification: d.DataClassification, HumanAccess: d.HumanAccess,
		CISubject: "repo:acme/ml:environment:" + name, CIOIDCProvider: "token.actions.githubusercontent.com",
		LogRetentionDays: d.LogRetentionDays, KeyRotationDays: d.KeyRotationDays, KeyDeletionWindowDays: d.KeyDeletionWindowDays,
		Tags: map[string]string{"owner": "ml-platform"},
	}
}

// gcpSampleVars are the module's inputs for real Google Cloud blueprints
// and boundaries, from a topology of four Google Cloud environments with
// promotions from dev to staging and from staging to prod, telemetry from
// each to shared and an artifact pull from shared to prod:
//
//   - prod: production (project acme-ml-prod, 10.70.0.0/16) with an
//     inference pool of g2-standard-8 machines and a public entry point (so
//     its network has the health check routes and a default route); its
//     boundary adds the promoter from staging (a service account that
//     shares the deployer's workload identity pool) and a telemetry rule;
//   - dev: development, whose data scientists write (a second human
//     identity), with a spot training pool; its boundary grants staging's
//     promoter a role on its models bucket;
//   - shared: no node pool; its boundary admits telemetry and asks for a
//     registry grant, which the module passes on as an output.
func gcpSampleVars(t *testing.T) map[string]map[string]any {
	t.Helper()
	prod := gcpEnvironment("prod", segment.Production, "acme-ml-prod", "10.70.0.0/16")
	prod.GPUNodePools = []segment.NodePool{{Name: "inference", InstanceType: "g2-standard-8", MinSize: 1, MaxSize: 8, Purpose: segment.Inference}}
	prod.Ingress = []segment.Ingress{{Name: "inference-api", Port: 443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}}}
	dev := gcpEnvironment("dev", segment.Development, "acme-ml-dev", "10.71.0.0/16")
	dev.GPUNodePools = []segment.NodePool{{Name: "training", InstanceType: "g2-standard-24", MinSize: 0, MaxSize: 4, Spot: true, Purpose: segment.Training}}
	staging := gcpEnvironment("staging", segment.Staging, "acme-ml-staging", "10.72.0.0/16")
	shared := gcpEnvironment("shared", segment.Shared, "acme-ml-shared", "10.73.0.0/16")
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
		{From: "dev", To: "staging", Purpose: segment.ModelPromotion},
		{From: "staging", To: "prod", Purpose: segment.ModelPromotion},
		{From: "dev", To: "shared", Purpose: segment.Telemetry},
		{From: "staging", To: "shared", Purpose: segment.Telemetry},
		{From: "prod", To: "shared", Purpose: segment.Telemetry},
		{From: "shared", To: "prod", Purpose: segment.ArtifactPull},
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
		impersonators := map[string][]string{}
		for _, id := range bp.Identities {
			if id.Human {
				impersonators[id.Key] = []string{"group:ml-" + id.Key + "-" + e.Name + "@acme.example"}
			}
		}
		out[e.Name] = map[string]any{
			"blueprint":      bp,
			"boundary":       bounds[e.Name],
			"project_number": gcpProjectNumber,
			"impersonators":  impersonators,
		}
	}
	return out
}

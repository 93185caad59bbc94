package provider

import (
	"regexp"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// gcpSettings put the environment in a Google Cloud project.
var gcpSettings = []string{
	`cloud      = "gcp"`,
	`region     = "europe-west4"`,
	`account_id = "acme-ml-prod"`,
	`gpu_node_pools = [
    { name = "training", instance_type = "a3-highgpu-8g", max_size = 4, purpose = "training" },
    { name = "inference-t4", instance_type = "n1-standard-8", accelerator = "nvidia-tesla-t4", accelerator_count = 1, min_size = 1, max_size = 4, purpose = "inference" },
  ]`,
	`ingress = [{ name = "inference-api", port = 443, from_cidrs = ["203.0.113.0/24"] }]`,
}

func gcpConfig(extra ...string) string {
	return environmentConfig(append(append([]string{}, gcpSettings...), extra...)...)
}

// TestAccEnvironment_gcpLifecycle: a Google Cloud environment plans with
// every value known, applies, re-plans empty and imports, through the CLI.
func TestAccEnvironment_gcpLifecycle(t *testing.T) {
	bp := tfjsonpath.New("blueprint")
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: gcpConfig(),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(prodAddress, plancheck.ResourceActionCreate),
						expectFullyKnown{address: prodAddress, attributes: []string{"id", "blueprint", "summary", "availability_zones", "gpu_node_pools"}},
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("availability_zones"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("europe-west4-a"), knownvalue.StringExact("europe-west4-b"), knownvalue.StringExact("europe-west4-c")})),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("network").AtMapKey("aws"), knownvalue.Null()),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("network").AtMapKey("gcp").AtMapKey("google_apis"), knownvalue.StringExact("restricted.googleapis.com")),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("cluster").AtMapKey("gcp").AtMapKey("control_plane_cidr"), knownvalue.StringExact("10.66.112.0/28")),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("node_pools").AtSliceIndex(0).AtMapKey("gcp").AtMapKey("accelerator_type"), knownvalue.StringExact("nvidia-tesla-t4")),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("tags").AtMapKey("segmented-environment"), knownvalue.StringExact("prod")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("summary").AtMapKey("principals"), knownvalue.ListPartial(map[int]knownvalue.Check{
						0: knownvalue.StringExact("acme-prod-auditor@acme-ml-prod.iam.gserviceaccount.com"),
					})),
				},
			},
			{
				Config: gcpConfig(),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:      prodAddress,
				ImportState:       true,
				ImportStateId:     "prod",
				ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{
					"tier", "cloud", "region", "account_id", "cidr", "availability_zones", "data_classification", "human_access",
					"gpu_node_pools", "ingress", "ci_subject", "ci_oidc_provider", "log_retention_days", "key_rotation_days",
					"key_deletion_window_days", "waivers", "blueprint", "summary",
				},
			},
		},
	})
}

// TestAccEnvironment_gcpInputValidation: what Google Cloud refuses fails
// the plan, on the attribute to fix.
func TestAccEnvironment_gcpInputValidation(t *testing.T) {
	cases := map[string]struct{ extra, err string }{
		"aws account":       {`account_id = "333333333333"`, `is not a GCP project ID`},
		"aws zone":          {`availability_zones = ["europe-west4a"]`, `is not a Google Cloud zone name`},
		"n1 without gpus":   {`gpu_node_pools = [{ name = "t4", instance_type = "n1-standard-8", max_size = 2, purpose = "inference" }]`, `SEG401`},
		"too many vcpus":    {`gpu_node_pools = [{ name = "v100", instance_type = "n1-standard-32", accelerator = "nvidia-tesla-v100", accelerator_count = 1, max_size = 2, purpose = "training" }]`, `SEG401`},
		"count alone":       {`gpu_node_pools = [{ name = "t4", instance_type = "n1-standard-8", accelerator_count = 1, max_size = 2, purpose = "inference" }]`, `accelerator`},
		"range too small":   {`cidr = "10.66.0.0/22"`, `SEG104`},
		"rotation too long": {`key_rotation_days = 4000`, `out of range`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tfresource.UnitTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []tfresource.TestStep{{
					Config:      gcpConfig(tc.extra),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(regexp.QuoteMeta(tc.err)),
				}},
			})
		})
	}
}

// TestAccTopology_acrossClouds: the mixed quick start's shape, AWS and
// Google Cloud in one topology, fails the plan with the rule ID when a pair
// across the clouds overlaps, shares a CI subject or declares a flow the
// tier policy forbids, and plans clean otherwise.
func TestAccTopology_acrossClouds(t *testing.T) {
	config := func(prodCIDR, prodSubject, flow string) string {
		return providerBlock + `
resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  cidr       = "10.64.0.0/16"
  ci_subject = "repo:acme/ml:environment:dev"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "gcp"
  region     = "europe-west4"
  account_id = "acme-ml-prod"
  cidr       = "` + prodCIDR + `"
  ci_subject = "` + prodSubject + `"
}

resource "segmented_ml_topology" "main" {
  environments = [segmented_ml_environment.dev.summary, segmented_ml_environment.prod.summary]
  flows        = [` + flow + `]
}
`
	}
	const subject = "repo:acme/ml:environment:prod"
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			planFails(config("10.64.0.0/16", subject, ""), `SEG601`),
			planFails(config("10.66.0.0/16", subject, `{ from = "dev", to = "prod", purpose = "deploy" }`), `SEG602`),
			// A subject shared across the clouds is caught at the environment
			// already: it does not name prod.
			planFails(config("10.66.0.0/16", "repo:acme/ml:environment:dev", ""), `SEG202`),
			{
				Config: config("10.66.0.0/16", subject, ""),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("segmented_ml_topology.main", tfjsonpath.New("boundaries").AtMapKey("prod").AtMapKey("firewall_rules"), knownvalue.ListSizeExact(0)),
				}},
			},
		},
	})
}

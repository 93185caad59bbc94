package provider

import (
	"regexp"
	"strings"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// azureSettings put the environment in an Azure subscription.
var azureSettings = []string{
	`cloud      = "azure"`,
	`region     = "westeurope"`,
	`account_id = "33333333-3333-4333-8333-333333333333"`,
	`gpu_node_pools = [
    { name = "training", instance_type = "Standard_ND96isr_H100_v5", max_size = 4, purpose = "training" },
    { name = "inference", instance_type = "Standard_NC8as_T4_v3", min_size = 1, max_size = 4, purpose = "inference" },
  ]`,
	`ingress = [{ name = "inference-api", port = 443, from_cidrs = ["203.0.113.0/24"] }]`,
}

func azureConfig(extra ...string) string {
	return environmentConfig(append(append([]string{}, azureSettings...), extra...)...)
}

// TestAccEnvironment_azureLifecycle: an Azure environment plans with every
// value known, applies, re-plans empty and imports, through the CLI.
func TestAccEnvironment_azureLifecycle(t *testing.T) {
	bp := tfjsonpath.New("blueprint")
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: azureConfig(),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(prodAddress, plancheck.ResourceActionCreate),
						expectFullyKnown{address: prodAddress, attributes: []string{"id", "blueprint", "summary", "availability_zones"}},
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("availability_zones"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("1"), knownvalue.StringExact("2"), knownvalue.StringExact("3")})),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("network").AtMapKey("gcp"), knownvalue.Null()),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("network").AtMapKey("azure").AtMapKey("resource_group"), knownvalue.StringExact("acme-prod")),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("cluster").AtMapKey("azure").AtMapKey("outbound_type"), knownvalue.StringExact("none")),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("node_pools").AtSliceIndex(1).AtMapKey("gpu_model"), knownvalue.StringExact("NVIDIA H100")),
						plancheck.ExpectKnownValue(prodAddress, bp.AtMapKey("buckets").AtSliceIndex(0).AtMapKey("azure").AtMapKey("storage_account"), knownvalue.StringExact("acmeproddata")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config:           azureConfig(),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
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

// TestAccEnvironment_azureInputValidation: what Azure refuses fails the
// plan, on the attribute to fix.
func TestAccEnvironment_azureInputValidation(t *testing.T) {
	cases := map[string]struct{ extra, err string }{
		"aws account":     {`account_id = "333333333333"`, `is not an Azure subscription ID`},
		"aws zone":        {`availability_zones = ["westeurope-a"]`, `is not an Azure availability zone`},
		"gcp machine":     {`gpu_node_pools = [{ name = "a", instance_type = "g2-standard-8", max_size = 2, purpose = "inference" }]`, `SEG401`},
		"size typo":       {`gpu_node_pools = [{ name = "a", instance_type = "Standard_NC8as_T4", max_size = 2, purpose = "inference" }]`, `Standard_NC8as_T4_v3`},
		"range too small": {`cidr = "10.66.0.0/22"`, `SEG104`},
		"long name":       {"name = \"productioneurope\"\nci_subject = \"repo:acme/ml:environment:productioneurope\"", `SEG203`},
		"retention":       {`log_retention_days = 3653`, `Log Analytics`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tfresource.UnitTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []tfresource.TestStep{{
					Config:      azureConfig(strings.Split(tc.extra, "\n")...),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(regexp.QuoteMeta(tc.err)),
				}},
			})
		})
	}
}

// TestAccTopology_threeClouds: a topology across AWS, Google Cloud and
// Azure plans clean with network flows on every side, and fails with the
// rule ID on an overlap, a forbidden flow and a borrowed CI subject between
// any two of the clouds.
func TestAccTopology_threeClouds(t *testing.T) {
	config := func(azureCIDR, azureSubject, flows string) string {
		return providerBlock + `
resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "azure"
  region     = "westeurope"
  account_id = "11111111-1111-4111-8111-111111111111"
  cidr       = "` + azureCIDR + `"
  ci_subject = "` + azureSubject + `"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "gcp"
  region     = "europe-west4"
  account_id = "acme-ml-prod"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"
}

resource "segmented_ml_environment" "shared" {
  name       = "shared"
  tier       = "shared"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "444444444444"
  cidr       = "10.67.0.0/16"
  ci_subject = "repo:acme/platform:environment:shared"
}

resource "segmented_ml_topology" "main" {
  environments = [for e in [segmented_ml_environment.dev, segmented_ml_environment.prod, segmented_ml_environment.shared] : e.summary]
  flows        = [` + flows + `]
}
`
	}
	const (
		subject   = "repo:acme/ml:environment:dev"
		telemetry = `{ from = "dev", to = "shared", purpose = "telemetry" }, { from = "prod", to = "shared", purpose = "telemetry" }`
	)
	rules := func(env string, layer string, n int) plancheck.PlanCheck {
		return plancheck.ExpectKnownValue("segmented_ml_topology.main", tfjsonpath.New("boundaries").AtMapKey(env).AtMapKey("firewall_rules"),
			knownvalue.ListPartial(map[int]knownvalue.Check{n: knownvalue.ObjectPartial(map[string]knownvalue.Check{"layer": knownvalue.StringExact(layer)})}))
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			planFails(config("10.66.0.0/16", subject, telemetry), `SEG601`),                                              // Azure overlaps Google Cloud
			planFails(config("10.67.128.0/17", subject, telemetry), `SEG601`),                                            // Azure overlaps AWS
			planFails(config("10.64.0.0/16", subject, `{ from = "dev", to = "prod", purpose = "telemetry" }`), `SEG602`), // development never reaches production
			planFails(config("10.64.0.0/16", "repo:acme/ml:environment:prod", telemetry), `SEG202`),
			{
				Config: config("10.64.0.0/16", subject, telemetry),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					rules("dev", "network_security_group", 0),
					rules("prod", "vpc_firewall", 0),
					rules("shared", "security_group", 0),
				}},
			},
		},
	})
}

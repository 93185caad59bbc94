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

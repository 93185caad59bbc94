package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

const prodAddress = "segmented_ml_environment.prod"

func TestEnvironmentResourceSchemaIsValid(t *testing.T) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewEnvironmentResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("schema implementation: %v", diags)
	}
	for name, a := range resp.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("attribute %s has no MarkdownDescription", name)
		}
	}
}

var (
	pools = `gpu_node_pools = [{
    name          = "inference"
    instance_type = "g5.2xlarge"
    min_size      = 1
    max_size      = 8
    purpose       = "inference"
  }]`
	entryPoints = `ingress = [{
    name       = "inference-api"
    port       = 443
    from_cidrs = ["203.0.113.0/24"]
  }]`
)

func TestAccEnvironment_lifecycle(t *testing.T) {
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				// Create: every computed value is known in the plan.
				Config: environmentConfig(pools, entryPoints),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(prodAddress, plancheck.ResourceActionCreate),
						expectFullyKnown{address: prodAddress, attributes: []string{"id", "blueprint", "summary", "cidr", "log_retention_days", "key_rotation_days"}},
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("network").AtMapKey("cidr"), knownvalue.StringExact("10.66.0.0/16")),
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("node_pools").AtSliceIndex(0).AtMapKey("gpu_count"), knownvalue.Int64Exact(1)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("id"), knownvalue.StringExact("prod")),
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("log_retention_days"), knownvalue.Int64Exact(365)),
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("human_access"), knownvalue.StringExact("none")),
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("data_classification"), knownvalue.StringExact("restricted")),
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("tags").AtMapKey("segmented:environment"), knownvalue.StringExact("prod")),
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("tags").AtMapKey("owner"), knownvalue.StringExact("ml-platform")),
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("summary").AtMapKey("principals"), knownvalue.ListSizeExact(7)),
				},
			},
			{
				// The same configuration plans empty.
				Config: environmentConfig(pools, entryPoints),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Import by name: the name is all an import can know; the next
				// plan fills the rest from the configuration.
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
			{
				// An in-place update: a longer retention changes the blueprint.
				Config: environmentConfig(pools, entryPoints, `  log_retention_days = 400`),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(prodAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("monitoring").AtMapKey("retention_days"), knownvalue.Int64Exact(400)),
					},
				},
			},
			{
				// A new region forces a new environment.
				Config: strings.Replace(environmentConfig(pools, entryPoints, `  log_retention_days = 400`), `"us-east-1"`, `"eu-west-1"`, 1),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(prodAddress, plancheck.ResourceActionReplace),
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("availability_zones"),
							knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("eu-west-1a"), knownvalue.StringExact("eu-west-1b"), knownvalue.StringExact("eu-west-1c")})),
					},
				},
			},
		},
	})
}

func TestAccEnvironment_importBlock(t *testing.T) {
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: environmentConfig()},
			{
				// The way users import: an import block beside the
				// configuration. The plan completes the state in place.
				Config:             environmentConfig(),
				ResourceName:       prodAddress,
				ImportState:        true,
				ImportStateKind:    tfresource.ImportBlockWithID,
				ImportStateId:      "prod",
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: tfresource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(prodAddress, plancheck.ResourceActionUpdate),
						expectFullyKnown{address: prodAddress, attributes: []string{"blueprint", "summary"}},
					},
				},
			},
		},
	})
}

func TestAccEnvironment_importInvalidName(t *testing.T) {
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: environmentConfig()},
			{
				ResourceName:  prodAddress,
				ImportState:   true,
				ImportStateId: "Not A Name",
				ExpectError:   regexpQuote(`is not a valid environment name`),
			},
		},
	})
}

func TestAccEnvironment_allocatedCIDR(t *testing.T) {
	config := providerBlock + `
resource "segmented_ml_environment" "shared" {
  name       = "shared"
  tier       = "shared"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "444444444444"
}`
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				// fnv1a32("shared") mod 64 blocks of /16 in 10.64.0.0/10.
				statecheck.ExpectKnownValue("segmented_ml_environment.shared", tfjsonpath.New("cidr"), knownvalue.StringExact(allocatedCIDR(t, "shared"))),
			},
		}},
	})
}

func TestAccEnvironment_unknownAtPlanCheckedAtApply(t *testing.T) {
	// log_retention_days comes from another resource, so it is unknown at
	// plan time: the blueprint's retention is unknown and the rest of it is
	// known, and the rule runs at apply.
	config := func(days int) string {
		return environmentConfig(`  log_retention_days = terraform_data.retention.output`) + `
resource "terraform_data" "retention" {
  input = ` + itoa(days) + `
}`
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: config(30),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("monitoring").AtMapKey("retention_days")),
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("network").AtMapKey("cidr"), knownvalue.StringExact("10.66.0.0/16")),
						plancheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("keys").AtSliceIndex(0).AtMapKey("rotation_period_days"), knownvalue.Int64Exact(90)),
					},
				},
				ExpectError: regexp.MustCompile(`SEG501`),
			},
			{
				Config: config(400),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("monitoring").AtMapKey("retention_days"), knownvalue.Int64Exact(400)),
				},
			},
		},
	})
}

// TestAccEnvironment_unknownFormatCheckedAtApply: account_id and
// log_retention_days come from another resource, so their formats cannot
// be checked at plan time; the apply refuses a value of the wrong format.
func TestAccEnvironment_unknownFormatCheckedAtApply(t *testing.T) {
	config := func(account string, days int) string {
		return environmentConfig(`  account_id = terraform_data.input.output.account`, `  log_retention_days = terraform_data.input.output.days`) + `
resource "terraform_data" "input" {
  input = { account = "` + account + `", days = ` + itoa(days) + ` }
}`
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: config("12345", 365), ExpectError: regexpQuote(`"12345" is not a 12-digit AWS account ID.`)},
			{Config: config("333333333333", 366), ExpectError: regexpQuote(`366 days is not a period CloudWatch Logs accepts`)},
			{Config: config("333333333333", 400)},
		},
	})
}

// TestPlanWarnings_unknownFormats: each attribute whose format is the
// cloud's and is not known at plan time is named in a warning.
func TestPlanWarnings_unknownFormats(t *testing.T) {
	ctx := context.Background()
	r := &EnvironmentResource{data: &providerData{known: true, organization: "acme", environmentPrefixLength: 16}}
	cfg := testModel(t, `production`, nil, nil)
	cfg.AccountID = types.StringUnknown()
	cfg.AvailabilityZones = types.ListUnknown(types.StringType)
	_, diags := r.plan(ctx, cfg)
	if diags.HasError() {
		t.Fatalf("unexpected errors: %v", diags)
	}
	var formats []string
	for _, w := range warningSummaries(diags) {
		if strings.Contains(w, "the format of") {
			formats = append(formats, w)
		}
	}
	want := []string{"Not known yet: the format of account_id checked at apply", "Not known yet: the format of availability_zones checked at apply"}
	if strings.Join(formats, "|") != strings.Join(want, "|") {
		t.Fatalf("format warnings: got %q, want %q", formats, want)
	}

	// With the cloud unknown, no format can be checked: every value set is
	// named, and so are the default tags the cloud may refuse.
	r.data.defaultTags = map[string]string{"Owner": "ML Platform"}
	cfg = testModel(t, `production`, nil, nil)
	cfg.Cloud = types.StringUnknown()
	if _, diags = r.plan(ctx, cfg); diags.HasError() {
		t.Fatalf("unexpected errors: %v", diags)
	}
	warnings := strings.Join(warningSummaries(diags), "|")
	for _, w := range []string{
		"Not known yet: the format of region checked at apply", "Not known yet: the format of account_id checked at apply",
		"Not known yet: the default tags checked against the cloud's tag format at apply",
	} {
		if !strings.Contains(warnings, w) {
			t.Errorf("with the cloud unknown, no warning %q in %q", w, warnings)
		}
	}
	r.data.defaultTags = nil

	// Known and of the wrong format, the plan (and so the apply, which plans
	// again with every value known) fails on the attribute.
	cfg = testModel(t, `production`, nil, nil)
	cfg.Region = types.StringValue("US-East-1")
	if _, diags = r.plan(ctx, cfg); !strings.Contains(diagText(diags), `"US-East-1" is not an AWS region name`) {
		t.Fatalf("bad region: got %v", diags)
	}
}

// ruleCases has, for every environment rule, a configuration that breaks it:
// one setting of the production environment, or several on their own lines.
var ruleCases = map[string]string{
	"SEG101": `  cidr = "203.0.113.0/24"`,
	"SEG102": `  cidr = "10.66.0.0/25"`,
	"SEG103": `  ingress = [{ name = "ssh", port = 22, from_cidrs = ["0.0.0.0/0"] }]`,
	"SEG201": `  human_access = "write"`,
	"SEG202": `  ci_subject = "repo:acme/*"`,
	"SEG203": "cloud = \"gcp\"\nregion = \"europe-west4\"\naccount_id = \"acme-ml-prod\"\nname = \"production-eu-01\"\nci_subject = \"repo:acme/ml:environment:production-eu-01\"",
	"SEG301": `  key_rotation_days = 365`,
	"SEG302": `  key_deletion_window_days = 7`,
	"SEG401": `  gpu_node_pools = [{ name = "cpu", instance_type = "m5.large", max_size = 2, purpose = "training" }]`,
	"SEG402": `  gpu_node_pools = [{ name = "big", instance_type = "g5.xlarge", min_size = 5, max_size = 2, purpose = "training" }]`,
	"SEG404": `  gpu_node_pools = [{ name = "a", instance_type = "g5.xlarge", max_size = 2, purpose = "training" }, { name = "a", instance_type = "g5.xlarge", max_size = 2, purpose = "training" }]`,
	"SEG501": `  log_retention_days = 90`,
	"SEG801": `  namespaces = [{ purpose = "training", pod_security = "baseline" }]`,
	"SEG803": "human_access = \"write\"\nwaivers = [{ rule = \"SEG201\", reason = \"migration\" }]",
	"SEG804": "gpu_node_pools = [{ name = \"gpu\", instance_type = \"g5.xlarge\", max_size = 2, purpose = \"training\" }]\nnamespaces = [{ purpose = \"training\", gpu_quota = 3 }]",
}

func TestAccEnvironment_rulesFailThePlan(t *testing.T) {
	for _, r := range rules.Catalog() {
		if r.Scope != rules.ScopeEnvironment || r.Severity != rules.Error {
			continue
		}
		extra, ok := ruleCases[r.ID]
		if !ok {
			t.Errorf("%s has no acceptance case", r.ID)
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			config := environmentConfig(strings.Split(extra, "\n")...)
			tfresource.UnitTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []tfresource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(r.ID + `: `),
				}},
			})
		})
	}
}

func TestAccEnvironment_waivers(t *testing.T) {
	spot := `  gpu_node_pools = [{ name = "serve", instance_type = "g5.xlarge", max_size = 2, spot = true, purpose = "inference" }]`
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				// A waiver needs a reason.
				Config:      environmentConfig(spot, `  waivers = [{ rule = "SEG403", reason = "  " }]`),
				PlanOnly:    true,
				ExpectError: regexpQuote(`must say something`),
			},
			{
				// Unicode spaces are no reason either: two no-break spaces.
				Config:      environmentConfig(spot, `  waivers = [{ rule = "SEG403", reason = "\u00a0\u00a0" }]`),
				PlanOnly:    true,
				ExpectError: regexpQuote(`must say something`),
			},
			{
				// Nor is a vertical tab and a zero-width space.
				Config:      environmentConfig(spot, `  waivers = [{ rule = "SEG403", reason = "\u000b\u200b." }]`),
				PlanOnly:    true,
				ExpectError: regexpQuote(`must say something`),
			},
			{
				// Rules without which no blueprint exists cannot be waived.
				Config:      environmentConfig(spot, `  waivers = [{ rule = "SEG401", reason = "we know" }]`),
				PlanOnly:    true,
				ExpectError: regexpQuote(`SEG401 (instance type is not a GPU type of the cloud) cannot be waived`),
			},
			{
				Config:      environmentConfig(spot, `  waivers = [{ rule = "SEG999", reason = "typo" }]`),
				PlanOnly:    true,
				ExpectError: regexpQuote(`"SEG999" is not a rule ID`),
			},
			{
				Config:      environmentConfig(`  log_retention_days = 90`, `  waivers = [{ rule = "SEG501", reason = "a" }, { rule = "SEG501", reason = "b" }]`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Duplicate waiver`),
			},
			{
				// A waived error no longer fails the plan, and the blueprint records it.
				Config: environmentConfig(spot, `  log_retention_days = 90`,
					`  waivers = [{ rule = "SEG501", reason = "logs are shipped to the SIEM, which keeps them 7 years" }]`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("waivers"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"rule":   knownvalue.StringExact("SEG501"),
							"reason": knownvalue.StringExact("logs are shipped to the SIEM, which keeps them 7 years"),
						}),
					})),
					statecheck.ExpectKnownValue(prodAddress, tfjsonpath.New("blueprint").AtMapKey("monitoring").AtMapKey("retention_days"), knownvalue.Int64Exact(90)),
				},
			},
		},
	})
}

func TestAccEnvironment_inputValidation(t *testing.T) {
	cases := map[string]struct{ extra, err string }{
		"not a cloud":        {`  cloud = "oci"`, `"oci" is not a cloud this provider knows; it must be "aws", "gcp" or "azure"`},
		"host bits":          {`  cidr = "10.66.1.0/16"`, `did you mean "10.66.0.0/16"`},
		"ipv6 cidr":          {`  cidr = "fd00::/48"`, `IPv6 range`},
		"zone outside":       {`  availability_zones = ["eu-west-1a", "eu-west-1b"]`, `not a zone of us-east-1`},
		"duplicate entry":    {`  ingress = [{ name = "api", port = 443, from_cidrs = ["10.0.0.0/8"] }, { name = "api", port = 8443, from_cidrs = ["10.0.0.0/8"] }]`, `Duplicate entry point name`},
		"retention value":    {`  log_retention_days = 366`, `366 days is not a period CloudWatch Logs accepts; use one of 1, 3, 5`},
		"retention range":    {`  log_retention_days = 4000`, `4000 is out of range`},
		"bad account":        {`  account_id = "12345"`, `"12345" is not a 12-digit AWS account ID.`},
		"bad region":         {`  region = "US-East-1"`, `"US-East-1" is not an AWS region name such as "us-east-1".`},
		"bad zone":           {`  availability_zones = ["us-east-1a", "use1-az1"]`, `"use1-az1" is not an AWS availability zone name`},
		"bad pool name":      {`  gpu_node_pools = [{ name = "GPU", instance_type = "g5.xlarge", max_size = 2, purpose = "training" }]`, `lower-case letter`},
		"bad purpose":        {`  gpu_node_pools = [{ name = "gpu", instance_type = "g5.xlarge", max_size = 2, purpose = "batch" }]`, `purpose`},
		"one availability":   {`  availability_zones = ["us-east-1a"]`, `availability_zones`},
		"huge max_size":      {`  gpu_node_pools = [{ name = "gpu", instance_type = "g5.xlarge", max_size = 1e30, purpose = "training" }]`, `1000000000000000000000000000000 is out of range`},
		"fractional port":    {`  ingress = [{ name = "api", port = 443.5, from_cidrs = ["10.0.0.0/8"] }]`, `443.5 is not a whole number`},
		"null source":        {`  ingress = [{ name = "api", port = 443, from_cidrs = [null] }]`, `This attribute contains a null value`},
		"null pool":          {`  gpu_node_pools = [null]`, `This attribute contains a null value`},
		"null zone":          {`  availability_zones = ["us-east-1a", null]`, `This attribute contains a null value`},
		"public to port 443": {`  ingress = [{ name = "api", port = 443, from_cidrs = ["0.0.0.0/0", "0.0.0.0/0"] }]`, `duplicate values of: "0.0.0.0/0"`},
		"namespace twice":    {`  namespaces = [{ purpose = "training" }, { purpose = "training", gpu_quota = 0 }]`, `"training" is already the purpose of namespaces[0]`},
		"namespace purpose":  {`  namespaces = [{ purpose = "batch" }]`, `value must be one of`},
		"pod security level": {`  namespaces = [{ purpose = "training", pod_security = "strict" }]`, `value must be one of`},
		"negative quota":     {`  namespaces = [{ purpose = "training", gpu_quota = -1 }]`, `-1 is out of range`},
		"too many":           {`  namespaces = [{ purpose = "training" }, { purpose = "inference" }, { purpose = "pipelines" }, { purpose = "telemetry" }, { purpose = "training" }]`, `list must contain at most 4 elements`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			config := environmentConfig(tc.extra)
			tfresource.UnitTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps:                    []tfresource.TestStep{{Config: config, PlanOnly: true, ExpectError: regexpQuote(tc.err)}},
			})
		})
	}
}

// TestPlanWarnings checks warnings, which the test framework cannot see
// through the CLI: SEG403 and a waiver that matches nothing.
func TestPlanWarnings(t *testing.T) {
	ctx := context.Background()
	r := &EnvironmentResource{data: &providerData{known: true, organization: "acme", environmentPrefixLength: 16}}
	cfg := testModel(t, `production`, []poolInput{{"serve", "g5.xlarge", 0, 2, true, "inference"}}, []waiverModel{{Rule: types.StringValue("SEG302"), Reason: types.StringValue("x")}})
	_, diags := r.plan(ctx, cfg)
	if diags.HasError() {
		t.Fatalf("unexpected errors: %v", diags)
	}
	want := []string{"SEG403: spot capacity for production inference", "Waiver matches no finding"}
	got := warningSummaries(diags)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("warnings: got %q, want %q", got, want)
	}

	// Waived, SEG403 is no longer a warning, and the waiver is used.
	cfg = testModel(t, `production`, []poolInput{{"serve", "g5.xlarge", 0, 2, true, "inference"}}, []waiverModel{{Rule: types.StringValue("SEG403"), Reason: types.StringValue("batch scoring tolerates interruption")}})
	_, diags = r.plan(ctx, cfg)
	if got := warningSummaries(diags); len(got) != 0 || diags.HasError() {
		t.Fatalf("waived: got warnings %q, errors %v", got, diags.Errors())
	}

	// The same pool in staging is fine.
	cfg = testModel(t, `staging`, []poolInput{{"serve", "g5.xlarge", 0, 2, true, "inference"}}, nil)
	if _, diags = r.plan(ctx, cfg); len(diags) != 0 {
		t.Fatalf("staging: got %v", diags)
	}
}

// diagText is every error's summary and detail, for substring checks.
func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags.Errors() {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func warningSummaries(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags.Warnings() {
		out = append(out, d.Summary())
	}
	return out
}

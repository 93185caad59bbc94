package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Acceptance tests of SEG104, SEG606's topology roles, SEG608 and SEG609,
// and of the provider's organization and environment_prefix_length bounds.

// The rules' cases of TestAccEnvironment_rulesFailThePlan and
// TestAccTopology_rulesFailThePlan, added here to keep their tables as they
// were.
func init() {
	ruleCases["SEG104"] = `  cidr = "10.0.0.0/8"`
	topologyRuleCases["SEG608"] = literalTopology([]string{
		lit("dev", "development", "111111111111", "10.64.0.0/16"),
		lit("prod", "production", "333333333333", "10.66.0.0/16", `entry_cidrs = ["ssh:22:10.64.0.0/16"]`)})
	topologyRuleCases["SEG609"] = literalTopology([]string{
		lit("ml-prod", "production", "333333333333", "10.66.0.0/16", `organization = "acme"`),
		lit("prod", "production", "444444444444", "10.67.0.0/16", `organization = "acme-ml"`)})
}

// namedEnvironment is an environment resource of the tests below; extra is
// more HCL inside the block.
func namedEnvironment(address, name, tier, account, cidr, extra string) string {
	return fmt.Sprintf(`
resource "segmented_ml_environment" %q {
  name       = %q
  tier       = %q
  cloud      = "aws"
  region     = "us-east-1"
  account_id = %q
  cidr       = %q
  ci_subject = "repo:acme/ml:environment:%s"
%s
}
`, address, name, tier, account, cidr, name, extra)
}

func planFails(config, pattern string) tfresource.TestStep {
	return tfresource.TestStep{Config: config, PlanOnly: true, ExpectError: regexp.MustCompile(pattern)}
}

func TestAccEnvironment_networkSize(t *testing.T) {
	prod := func(cidr string) string {
		return providerBlock + namedEnvironment("prod", "prod", "production", "333333333333", cidr, "")
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			planFails(prod("10.0.0.0/8"), `SEG104: cidr is outside the cloud's network sizes`),
			planFails(prod("10.64.0.0/15"), `(?s)10\.64\.0\.0/15 is a /15, but AWS VPC ranges go from /16.*Fix: set cidr`),
			{Config: prod("10.64.0.0/16")}, // the largest VPC: applies
		},
	})
}

// TestAccEnvironment_networkSizeNotWaivable: no waiver makes a /8 VPC.
func TestAccEnvironment_networkSizeNotWaivable(t *testing.T) {
	config := providerBlock + namedEnvironment("prod", "prod", "production", "333333333333", "10.0.0.0/8",
		`  waivers = [{ rule = "SEG104", reason = "one big network" }]`)
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    []tfresource.TestStep{planFails(config, `SEG104`)},
	})
}

func TestAccProvider_organizationAndPrefixLength(t *testing.T) {
	withProvider := func(provider string) string {
		return provider + namedEnvironment("dev", "dev", "development", "111111111111", "10.64.0.0/16", "")
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			planFails(withProvider(`provider "segmented" { organization = "sthree" }`),
				`(?s)Organization makes generated names invalid.*"sthree-".*Choose\s+another\s+organization`),
			planFails(withProvider(`provider "segmented" { organization = "amzn" }`),
				`(?s)environment\s+whose\s+name\s+starts\s+with\s+"s3-demo".*"amzn-s3-demo-"`),
			planFails(withProvider(`provider "segmented" {
  organization              = "acme"
  address_space             = "10.0.0.0/8"
  environment_prefix_length = 7
}`), `(?s)environment_prefix_length.*7 is out of range; it must be a whole\s+number from 8 to 24`),
			planFails(withProvider(`provider "segmented" {
  organization              = "acme"
  address_space             = "10.0.0.0/8"
  environment_prefix_length = 25
}`), `(?s)environment_prefix_length.*25 is out of range; it must be a whole\s+number from 8 to 24`),
			planFails(withProvider(`provider "segmented" {
  organization              = "acme"
  address_space             = "10.0.0.0/8"
  environment_prefix_length = 1e30
}`), `(?s)environment_prefix_length.*1000000000000000000000000000000 is out of\s+range`),
			{Config: withProvider(`provider "segmented" { organization = "amzns3" }`)},
		},
	})
}

// TestAccTopology_nameCollision is issue 8's case: environment "ml-prod" of
// organization "acme", and the summary of environment "prod" of
// organization "acme-ml" from another configuration. (Two provider
// configurations in one configuration would do the same in Terraform, which
// starts one provider process per configuration; the test framework serves
// them both from one process, so one organization would win.)
func TestAccTopology_nameCollision(t *testing.T) {
	config := func(platformName string) string {
		return providerBlock + namedEnvironment("platform", platformName, "production", "333333333333", "10.66.0.0/16", "") + `
resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.platform.summary,
    {
      name         = "prod"
      organization = "acme-ml"
      tier         = "production"
      cloud        = "aws"
      region       = "us-east-1"
      account_id   = "444444444444"
      cidr         = "10.67.0.0/16"
    },
  ]
}
`
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			planFails(config("ml-prod"), `(?s)SEG609: two environments generate the same names.*"acme-ml-prod-\*"`),
			{
				Config: config("platform"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("segmented_ml_environment.platform", tfjsonpath.New("blueprint").AtMapKey("cluster").AtMapKey("name"),
						knownvalue.StringExact("acme-platform")),
				},
			},
		},
	})
}

func TestAccTopology_entryFromEnvironment(t *testing.T) {
	config := func(prodIngress, flows string) string {
		return providerBlock +
			namedEnvironment("dev", "dev", "development", "111111111111", "10.64.0.0/16", "") +
			namedEnvironment("prod", "prod", "production", "333333333333", "10.66.0.0/16", prodIngress) +
			namedEnvironment("shared", "shared", "shared", "444444444444", "10.67.0.0/16", "") + `
resource "segmented_ml_topology" "main" {
  environments = [for e in [segmented_ml_environment.dev, segmented_ml_environment.prod, segmented_ml_environment.shared] : e.summary]
  flows        = [` + flows + `]
}
`
	}
	ingress := func(name string, port int, cidr string) string {
		return fmt.Sprintf(`  ingress = [{ name = %q, port = %d, from_cidrs = [%q] }]`, name, port, cidr)
	}
	deploy := `{ from = "shared", to = "prod", purpose = "deploy" }`
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			// Port 22 from the development range into production.
			planFails(config(ingress("ssh", 22, "10.64.0.0/16"), deploy),
				`(?s)SEG608: an entry point admits another environment's range.*entry\s+point\s+"ssh"\s+of\s+"prod"\s+admits\s+port\s+22\s+from\s+10\.64\.0\.0/16`),
			// A deploy flow justifies port 443 from shared, not SSH.
			planFails(config(ingress("ssh", 22, "10.67.0.0/16"), deploy), `SEG608`),
			// Without the deploy flow, 443 from shared is a path no flow allows.
			planFails(config(ingress("ci", 443, "10.67.0.0/16"), ""), `SEG608`),
			{
				Config: config(ingress("ci", 443, "10.67.0.0/16"), deploy),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("segmented_ml_environment.prod", tfjsonpath.New("summary").AtMapKey("entry_cidrs"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("ci:443:10.67.0.0/16")})),
				},
			},
			// A private range outside every environment, such as a VPN.
			{Config: config(ingress("vpn-ssh", 22, "10.200.0.0/16"), deploy)},
		},
	})
}

// TestAccTopology_entryFromEnvironmentAtApply: a source range known only at
// apply is checked then, before the topology is stored.
func TestAccTopology_entryFromEnvironmentAtApply(t *testing.T) {
	config := providerBlock + `
resource "terraform_data" "dev_range" {
  input = "10.64.0.0/16"
}
` + namedEnvironment("dev", "dev", "development", "111111111111", "10.64.0.0/16", "") +
		namedEnvironment("prod", "prod", "production", "333333333333", "10.66.0.0/16",
			`  ingress = [{ name = "ssh", port = 22, from_cidrs = [terraform_data.dev_range.output] }]`) + `
resource "segmented_ml_topology" "main" {
  environments = [segmented_ml_environment.dev.summary, segmented_ml_environment.prod.summary]
}
`
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    []tfresource.TestStep{{Config: config, ExpectError: regexp.MustCompile(`SEG608: an entry point admits`)}},
	})
}

// TestAccTopology_promoterRoles: the promoter role a promotion creates is
// named with "--", so an environment named "prod-promoter" no longer shares
// its deployer with the promoter of "deployer" into "prod"; and a summary
// that lists the promoter among its principals is SEG606.
func TestAccTopology_promoterRoles(t *testing.T) {
	envs := providerBlock +
		namedEnvironment("deployer", "deployer", "staging", "222222222222", "10.65.0.0/16", "") +
		namedEnvironment("prod", "prod", "production", "333333333333", "10.66.0.0/16", "") +
		namedEnvironment("prod_promoter", "prod-promoter", "production", "333333333333", "10.70.0.0/16", "")
	flows := `[{ from = "deployer", to = "prod", purpose = "model-promotion" }]`
	clean := envs + `
resource "segmented_ml_topology" "main" {
  environments = [for e in [segmented_ml_environment.deployer, segmented_ml_environment.prod, segmented_ml_environment.prod_promoter] : e.summary]
  flows        = ` + flows + `
}
`
	listed := envs + `
resource "segmented_ml_topology" "main" {
  environments = [
    segmented_ml_environment.deployer.summary,
    segmented_ml_environment.prod.summary,
    {
      name         = "inventory"
      organization = "acme"
      tier         = "shared"
      cloud        = "aws"
      account_id   = "444444444444"
      cidr         = "10.71.0.0/16"
      principals   = ["arn:aws:iam::333333333333:role/acme-prod-promoter--deployer"]
    },
  ]
  flows = ` + flows + `
}
`
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			planFails(listed, `(?s)SEG606: one principal or CI subject in two environments.*acme-prod-promoter--deployer.*"inventory"`),
			{
				Config: clean,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(topologyAddress, tfjsonpath.New("boundaries").AtMapKey("prod").AtMapKey("identities").AtSliceIndex(0).AtMapKey("name"),
						knownvalue.StringExact("acme-prod-promoter--deployer")),
				},
			},
		},
	})
}

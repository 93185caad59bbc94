package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// protoV6ProviderFactories serves the provider in-process to the real
// Terraform CLI that terraform-plugin-testing runs, through the server
// Terraform talks to (NewServer).
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"segmented": func() (tfprotov6.ProviderServer, error) { return NewServer("test")(), nil },
}

// providerBlock is the provider configuration of most tests.
const providerBlock = `
provider "segmented" {
  organization  = "acme"
  address_space = "10.64.0.0/10"
  default_tags  = { owner = "ml-platform" }
}
`

// environmentConfig renders a production environment. Each setting is an
// HCL attribute ("key = value", possibly over several lines); it replaces the
// base attribute of the same key, or is added.
func environmentConfig(settings ...string) string {
	base := [][2]string{
		{"name", `name       = "prod"`},
		{"tier", `tier       = "production"`},
		{"cloud", `cloud      = "aws"`},
		{"region", `region     = "us-east-1"`},
		{"account_id", `account_id = "333333333333"`},
		{"cidr", `cidr       = "10.66.0.0/16"`},
		{"ci_subject", `ci_subject = "repo:acme/ml:environment:prod"`},
	}
	for _, s := range settings {
		s = strings.TrimSpace(s)
		key := strings.TrimSpace(strings.SplitN(s, "=", 2)[0])
		i := slices.IndexFunc(base, func(kv [2]string) bool { return kv[0] == key })
		if i < 0 {
			base = append(base, [2]string{key, s})
		} else {
			base[i][1] = s
		}
	}
	var b strings.Builder
	b.WriteString(providerBlock + "\nresource \"segmented_ml_environment\" \"prod\" {\n")
	for _, kv := range base {
		b.WriteString("  " + kv[1] + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func TestProviderSchemaIsValid(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var resp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("provider schema: %v", resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("provider schema implementation: %v", diags)
	}
}

func TestProviderConfiguration(t *testing.T) {
	cases := map[string]struct {
		config string
		err    string
	}{
		"public address space": {
			config: `provider "segmented" {
  organization  = "acme"
  address_space = "8.8.0.0/14"
}`,
			err: `SEG101: address_space is not a private range`,
		},
		"address space smaller than an environment": {
			config: `provider "segmented" {
  organization  = "acme"
  address_space = "10.64.0.0/20"
}`,
			err: `cannot hold a /16`,
		},
		"reserved tag key": {
			config: `provider "segmented" {
  organization = "acme"
  default_tags = { "segmented:environment" = "x" }
}`,
			err: `Reserved prefix`,
		},
		"bad organization": {
			config: `provider "segmented" {
  organization = "Acme Corp"
}`,
			err: `organization`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: tc.config + `
resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  cidr       = "10.64.0.0/16"
}`,
					PlanOnly:    true,
					ExpectError: regexpQuote(tc.err),
				}},
			})
		})
	}
}

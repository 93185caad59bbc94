package provider

import (
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// number parses a decimal number argument the way Terraform sends it.
func number(t *testing.T, s string) types.Number {
	t.Helper()
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	return types.NumberValue(f)
}

func TestFunctionEnvironmentCIDRRun(t *testing.T) {
	tests := []struct {
		space, prefixLen, index string
		want                    string
	}{
		{"10.64.0.0/10", "16", "0", "10.64.0.0/16"},
		{"10.64.0.0/10", "16", "2", "10.66.0.0/16"},
		{"10.64.0.0/10", "16", "63", "10.127.0.0/16"},
		{"10.64.0.0/10", "10", "0", "10.64.0.0/10"},
		{"10.64.0.0/10", "32", "4194303", "10.127.255.255/32"},
		{"10.64.0.0/10", "16.0", "1", "10.65.0.0/16"}, // a whole number written with a fraction
		{"fd00::/8", "16", "18", "fd12::/16"},
		{"::/0", "128", "9223372036854775807", "::7fff:ffff:ffff:ffff/128"},
	}
	for _, tt := range tests {
		got, err := runFunction(t, NewEnvironmentCIDRFunction(),
			types.StringValue(tt.space), number(t, tt.prefixLen), number(t, tt.index))
		if err != nil {
			t.Errorf("environment_cidr(%q, %s, %s): %v", tt.space, tt.prefixLen, tt.index, err)
			continue
		}
		if !got.Equal(types.StringValue(tt.want)) {
			t.Errorf("environment_cidr(%q, %s, %s) = %v, want %q", tt.space, tt.prefixLen, tt.index, got, tt.want)
		}
	}
}

func TestFunctionEnvironmentCIDRErrors(t *testing.T) {
	tests := []struct {
		space, prefixLen, index string
		arg                     int64
		want                    string
	}{
		{"10.64.0.1/10", "16", "0", 0, `"10.64.0.1/10" has host bits set; did you mean "10.64.0.0/10"?`},
		{"10.64.0.0", "16", "0", 0, `"10.64.0.0" is not a valid CIDR prefix`},
		{"", "16", "0", 0, `want a range in CIDR notation, such as "10.64.0.0/16"`},
		{"10.64.0.0/10", "8", "0", 1, "prefix length 8 does not fit in address space 10.64.0.0/10: want 10 to 32"},
		{"10.64.0.0/10", "33", "0", 1, "prefix length 33 does not fit in address space 10.64.0.0/10: want 10 to 32"},
		{"fd00::/8", "129", "0", 1, "want 8 to 128"},
		{"10.64.0.0/10", "16.5", "0", 1, "prefix length 16.5 is not a whole number: want 10 to 32"},
		{"10.64.0.0/10", "1e30", "0", 1, "prefix length 1000000000000000000000000000000 does not fit"},
		{"10.64.0.0/10", "16", "64", 2, "index 64 is out of range: 10.64.0.0/10 holds 64 blocks of /16, want 0 to 63"},
		{"10.64.0.0/10", "16", "-1", 2, "index -1 is out of range: 10.64.0.0/10 holds 64 blocks of /16, want 0 to 63"},
		{"10.64.0.0/10", "16", "1.5", 2, "index 1.5 is not a whole number: 10.64.0.0/10 holds 64 blocks"},
		{"10.0.0.0/16", "16", "1", 2, "holds 1 blocks of /16, want 0 to 0"},
		{"::/0", "128", "-1", 2, "::/0 holds 2^128 blocks of /128, want 0 to 2^128-1"},
		{"::/0", "128", "1e30", 2, "index 1000000000000000000000000000000 is out of range"},
	}
	for _, tt := range tests {
		_, err := runFunction(t, NewEnvironmentCIDRFunction(),
			types.StringValue(tt.space), number(t, tt.prefixLen), number(t, tt.index))
		wantArgumentError(t, err, tt.arg, tt.want)
	}
}

func TestAccFunctionEnvironmentCIDR_known(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: providerBlock + `
output "third" {
  value = provider::segmented::environment_cidr("10.64.0.0/10", 16, 2)
}
output "last" {
  value = provider::segmented::environment_cidr("10.64.0.0/10", 16, 63)
}
output "ipv6" {
  value = provider::segmented::environment_cidr("fd00::/8", 16, 18)
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("third", knownvalue.StringExact("10.66.0.0/16")),
				statecheck.ExpectKnownOutputValue("last", knownvalue.StringExact("10.127.0.0/16")),
				statecheck.ExpectKnownOutputValue("ipv6", knownvalue.StringExact("fd12::/16")),
			},
		}},
	})
}

func TestAccFunctionEnvironmentCIDR_errors(t *testing.T) {
	cases := map[string]functionErrorCase{
		"host bits set": {
			call: `provider::segmented::environment_cidr("10.64.0.1/10", 16, 0)`,
			err:  `Invalid value for "address_space" parameter: "10.64.0.1/10" has host bits set; did you mean "10.64.0.0/10"?`,
		},
		"prefix length shorter than the space": {
			call: `provider::segmented::environment_cidr("10.64.0.0/10", 8, 0)`,
			err:  `Invalid value for "prefix_length" parameter: prefix length 8 does not fit in address space 10.64.0.0/10: want 10 to 32.`,
		},
		"prefix length not whole": {
			call: `provider::segmented::environment_cidr("10.64.0.0/10", 16.5, 0)`,
			err:  `Invalid value for "prefix_length" parameter: prefix length 16.5 is not a whole number: want 10 to 32.`,
		},
		"index out of range": {
			call: `provider::segmented::environment_cidr("10.64.0.0/10", 16, 64)`,
			err:  `Invalid value for "index" parameter: index 64 is out of range: 10.64.0.0/10 holds 64 blocks of /16, want 0 to 63.`,
		},
		"null argument": {
			call: `provider::segmented::environment_cidr("10.64.0.0/10", null, 0)`,
			err:  `Invalid value for "prefix_length" parameter: argument must not be null.`,
		},
	}
	testFunctionErrors(t, cases)
}

func TestAccFunctionEnvironmentCIDR_unknown(t *testing.T) {
	// The index comes from a resource, so it is unknown at plan time.
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: providerBlock + `
resource "terraform_data" "index" {
  input = 2
}
output "o" {
  value = provider::segmented::environment_cidr("10.64.0.0/10", 16, terraform_data.index.output)
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("o")},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("o", knownvalue.StringExact("10.66.0.0/16")),
			},
		}},
	})
}

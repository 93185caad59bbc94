package provider

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// This file also holds the helpers that the tests of every provider
// function share.

// functionVersionChecks skips acceptance tests of provider functions on
// Terraform CLIs that do not have them.
var functionVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// runFunction calls f's Run the way the framework would, with args as the
// argument values, and returns the result value and the error.
func runFunction(t *testing.T, f function.Function, args ...attr.Value) (attr.Value, *function.FuncError) {
	t.Helper()
	ctx := context.Background()
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	result, ferr := def.Definition.Return.NewResultData(ctx)
	if ferr != nil {
		t.Fatalf("result data: %v", ferr)
	}
	resp := function.RunResponse{Result: result}
	f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData(args)}, &resp)
	return resp.Result.Value(), resp.Error
}

// wantArgumentError fails unless err is an error about argument index whose
// text contains want.
func wantArgumentError(t *testing.T, err *function.FuncError, index int64, want string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("no error, want one on argument %d containing %q", index, want)
	case err.FunctionArgument == nil || *err.FunctionArgument != index:
		t.Errorf("error %q is not on argument %d", err.Text, index)
	case !containsText(err.Text, want):
		t.Errorf("error %q does not contain %q", err.Text, want)
	}
}

func containsText(s, sub string) bool { return regexpQuote(sub).MatchString(s) }

func TestFunctionDefinitions(t *testing.T) {
	ctx := context.Background()
	var names []string
	for _, newFunction := range New("test")().(*SegmentedProvider).Functions(ctx) {
		f := newFunction()
		var meta function.MetadataResponse
		f.Metadata(ctx, function.MetadataRequest{}, &meta)
		names = append(names, meta.Name)

		var def function.DefinitionResponse
		f.Definition(ctx, function.DefinitionRequest{}, &def)
		var v function.DefinitionValidateResponse
		def.Definition.ValidateImplementation(ctx, function.DefinitionValidateRequest{FuncName: meta.Name}, &v)
		if v.Diagnostics.HasError() {
			t.Errorf("%s: invalid definition: %v", meta.Name, v.Diagnostics)
		}
		if def.Definition.Summary == "" || def.Definition.MarkdownDescription == "" {
			t.Errorf("%s: definition lacks a summary or description", meta.Name)
		}
		for i, p := range def.Definition.Parameters {
			if p.GetName() == "" || p.GetDescription() == "" || p.GetMarkdownDescription() == "" {
				t.Errorf("%s: parameter %d lacks a name or description", meta.Name, i)
			}
			if p.GetAllowNullValue() || p.GetAllowUnknownValues() {
				t.Errorf("%s: parameter %s should leave null and unknown handling to Terraform", meta.Name, p.GetName())
			}
		}
	}
	slices.Sort(names)
	if want := []string{"cidrs_overlap", "environment_cidr", "flow_allowed"}; !slices.Equal(names, want) {
		t.Errorf("functions %v, want %v", names, want)
	}
}

// TestFunctionFlowAllowedMatrix checks every cell of DESIGN.md's tier-policy
// matrix, written out here independently of the segment package.
func TestFunctionFlowAllowedMatrix(t *testing.T) {
	tiers := []string{"development", "staging", "production", "shared"}
	purposes := []string{"model-promotion", "telemetry", "deploy", "artifact-pull"}
	policy := map[[2]string][]string{
		{"development", "staging"}:    {"model-promotion"},
		{"development", "shared"}:     {"telemetry"},
		{"staging", "production"}:     {"model-promotion"},
		{"staging", "shared"}:         {"telemetry"},
		{"production", "shared"}:      {"telemetry"},
		{"shared", "development"}:     {"deploy", "artifact-pull"},
		{"shared", "staging"}:         {"deploy", "artifact-pull"},
		{"shared", "production"}:      {"deploy", "artifact-pull"},
		{"production", "development"}: nil, // its data must not move downward
	}
	cells, allowed := 0, 0
	for _, from := range tiers {
		for _, to := range tiers {
			for _, purpose := range purposes {
				want := slices.Contains(policy[[2]string{from, to}], purpose)
				got, err := runFunction(t, NewFlowAllowedFunction(),
					types.StringValue(from), types.StringValue(to), types.StringValue(purpose))
				if err != nil {
					t.Errorf("flow_allowed(%q, %q, %q): %v", from, to, purpose, err)
					continue
				}
				if !got.Equal(types.BoolValue(want)) {
					t.Errorf("flow_allowed(%q, %q, %q) = %v, want %v", from, to, purpose, got, want)
				}
				cells++
				if want {
					allowed++
				}
			}
		}
	}
	if cells != 64 || allowed != 11 {
		t.Errorf("checked %d cells with %d allowed, want 64 with 11", cells, allowed)
	}
}

func TestFunctionFlowAllowedErrors(t *testing.T) {
	tests := []struct {
		from, to, purpose string
		arg               int64
		want              string
	}{
		{"prod", "shared", "telemetry", 0, `"prod" is not a tier: want one of "development", "staging", "production", "shared"`},
		{"production", "Shared", "telemetry", 1, `"Shared" is not a tier: want one of "development", "staging", "production", "shared"`},
		{"production", "shared", "logs", 2, `"logs" is not a flow purpose: want one of "artifact-pull", "deploy", "model-promotion", "telemetry"`},
		{"", "", "", 0, `"" is not a tier`}, // the first bad argument is reported
		{"staging", "", "", 1, `"" is not a tier`},
	}
	for _, tt := range tests {
		_, err := runFunction(t, NewFlowAllowedFunction(),
			types.StringValue(tt.from), types.StringValue(tt.to), types.StringValue(tt.purpose))
		wantArgumentError(t, err, tt.arg, tt.want)
	}
}

func TestAccFunctionFlowAllowed_known(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: providerBlock + `
output "promote" {
  value = provider::segmented::flow_allowed("development", "staging", "model-promotion")
}
output "downward" {
  value = provider::segmented::flow_allowed("production", "development", "model-promotion")
}
output "deploy" {
  value = provider::segmented::flow_allowed("shared", "production", "deploy")
}
output "same_tier" {
  value = provider::segmented::flow_allowed("shared", "shared", "telemetry")
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("promote", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("downward", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("deploy", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("same_tier", knownvalue.Bool(false)),
			},
		}},
	})
}

func TestAccFunctionFlowAllowed_errors(t *testing.T) {
	cases := map[string]functionErrorCase{
		"unknown from tier": {
			call: `provider::segmented::flow_allowed("prod", "shared", "telemetry")`,
			err:  `Invalid value for "from_tier" parameter: "prod" is not a tier: want one of "development", "staging", "production", "shared".`,
		},
		"unknown to tier": {
			call: `provider::segmented::flow_allowed("production", "dev", "telemetry")`,
			err:  `Invalid value for "to_tier" parameter: "dev" is not a tier`,
		},
		"unknown purpose": {
			call: `provider::segmented::flow_allowed("development", "staging", "promotion")`,
			err:  `Invalid value for "purpose" parameter: "promotion" is not a flow purpose: want one of "artifact-pull", "deploy", "model-promotion", "telemetry".`,
		},
		"null argument": {
			call: `provider::segmented::flow_allowed("development", null, "telemetry")`,
			err:  `Invalid value for "to_tier" parameter: argument must not be null.`,
		},
	}
	testFunctionErrors(t, cases)
}

func TestAccFunctionFlowAllowed_unknown(t *testing.T) {
	// The tier comes from a resource, so it is unknown at plan time:
	// Terraform does not call the function and plans an unknown result.
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: providerBlock + `
resource "terraform_data" "tier" {
  input = "production"
}
output "o" {
  value = provider::segmented::flow_allowed(terraform_data.tier.output, "shared", "telemetry")
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("o")},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("o", knownvalue.Bool(true)),
			},
		}},
	})
}

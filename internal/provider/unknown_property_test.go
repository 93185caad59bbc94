package provider

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestUnknownInputsProperty: for random environments, and for every input
// of each made unknown in turn (a whole list, an element, an attribute of
// an element, an unset optional value),
//   - every rule that fires at apply, with all values known, fires at plan
//     or is named in a "Not known yet" warning;
//   - no rule fires at plan that does not fire at apply;
//   - every part of the planned state that the plan says is known equals
//     what apply stores, as Terraform requires of a provider.
func TestUnknownInputsProperty(t *testing.T) {
	ctx := context.Background()
	sr, template := environmentSchema()
	r := &EnvironmentResource{data: &providerData{known: true, organization: "acme", environmentPrefixLength: 16}}

	environments, seen := 80, 0
	if testing.Short() {
		environments = 10
	}
	rng := rand.New(rand.NewPCG(8, 2026))
	for n := range environments {
		cfg := randomEnvironment(t, rng, sr)
		applied, diags := r.plan(ctx, cfg)
		atApply := ruleIDs(diags)
		if hasNonRuleError(diags) {
			t.Fatalf("environment %d: the generator made a configuration the adapter refuses: %v", n, diags)
		}
		var stored tftypes.Value
		if !diags.HasError() {
			stored, diags = mergedPlan(ctx, template, applied)
			if diags.HasError() {
				t.Fatal(diags)
			}
		}
		raw := toRaw(t, template, cfg)
		for _, p := range inputPaths(t, raw) {
			seen++
			unknownRaw, err := tftypes.Transform(raw, func(at *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
				if at.Equal(p) {
					return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
				}
				return v, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var partial environmentModel
			if d := (tfsdk.Config{Schema: sr.Schema, Raw: unknownRaw}).Get(ctx, &partial); d.HasError() {
				t.Fatal(d)
			}
			variants, diags := r.plan(ctx, partial)
			atPlan, waiting := ruleIDs(diags), waitingRules(diags)
			for _, id := range atApply {
				if !slices.Contains(atPlan, id) && !slices.Contains(waiting, id) {
					t.Errorf("environment %d with %s unknown: %s fires at apply but neither fires nor is named at plan (plan said %v)", n, p, id, summaries(diags))
				}
			}
			for _, id := range atPlan {
				if !slices.Contains(atApply, id) {
					t.Errorf("environment %d with %s unknown: %s fires at plan but not at apply", n, p, id)
				}
			}
			if diags.HasError() || stored.Type() == nil {
				continue
			}
			planned, d := mergedPlan(ctx, template, variants)
			if d.HasError() {
				t.Fatal(d)
			}
			if err := knownPartsAgree(tftypes.NewAttributePath(), planned, stored); err != nil {
				t.Errorf("environment %d with %s unknown: %v", n, p, err)
			}
		}
	}
	t.Logf("%d environments, %d inputs made unknown in turn", environments, seen)
}

// environmentSchema returns the environment's schema and an empty plan of
// it, the template mergedPlan takes.
func environmentSchema() (fwresource.SchemaResponse, tfsdk.Plan) {
	var sr fwresource.SchemaResponse
	NewEnvironmentResource().Schema(context.Background(), fwresource.SchemaRequest{}, &sr)
	return sr, tfsdk.Plan{Schema: sr.Schema}
}

// knownPartsAgree fails where the plan holds a known value that differs
// from the stored one.
func knownPartsAgree(at *tftypes.AttributePath, planned, stored tftypes.Value) error {
	if !planned.IsKnown() || planned.Equal(stored) {
		return nil
	}
	switch typ := planned.Type(); {
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var pm, sm map[string]tftypes.Value
		if planned.As(&pm) != nil || stored.As(&sm) != nil || len(pm) != len(sm) {
			return fmt.Errorf("%s has another shape in the plan than in the state", at)
		}
		for k, v := range pm {
			step := at.WithAttributeName(k)
			if typ.Is(tftypes.Map{}) {
				step = at.WithElementKeyString(k)
			}
			if err := knownPartsAgree(step, v, sm[k]); err != nil {
				return err
			}
		}
	case typ.Is(tftypes.List{}):
		var pl, sl []tftypes.Value
		if planned.As(&pl) != nil || stored.As(&sl) != nil || len(pl) != len(sl) {
			return fmt.Errorf("%s has another length in the plan than in the state", at)
		}
		for i := range pl {
			if err := knownPartsAgree(at.WithElementKeyInt(i), pl[i], sl[i]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s is planned as %s but stored as %s", at, planned, stored)
	}
	return nil
}

// inputPaths lists every path of the configuration a user can set: the
// attributes, the list elements and their attributes, set or not.
func inputPaths(t *testing.T, raw tftypes.Value) []*tftypes.AttributePath {
	t.Helper()
	var out []*tftypes.AttributePath
	err := tftypes.Walk(raw, func(at *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		steps := at.Steps()
		if len(steps) == 0 {
			return true, nil
		}
		if name, ok := steps[0].(tftypes.AttributeName); ok && slices.Contains([]string{"id", "blueprint", "summary"}, string(name)) {
			return false, nil
		}
		out = append(out, at)
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func toRaw(t *testing.T, template tfsdk.Plan, cfg environmentModel) tftypes.Value {
	t.Helper()
	p := tfsdk.Plan{Schema: template.Schema}
	if d := p.Set(context.Background(), cfg); d.HasError() {
		t.Fatal(d)
	}
	return p.Raw
}

var (
	ruleSummary    = regexp.MustCompile(`^(SEG\d+): `)
	waitingSummary = regexp.MustCompile(`^Not known yet: (.*) checked at apply$`)
)

// ruleIDs lists the rules that fired, as errors or warnings.
func ruleIDs(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		if m := ruleSummary.FindStringSubmatch(d.Summary()); m != nil && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// waitingRules lists the rules that the warnings say wait for apply.
func waitingRules(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags.Warnings() {
		if m := waitingSummary.FindStringSubmatch(d.Summary()); m != nil {
			out = append(out, strings.Split(m[1], ", ")...)
		}
	}
	return out
}

func hasNonRuleError(diags diag.Diagnostics) bool {
	return slices.ContainsFunc(diags.Errors(), func(d diag.Diagnostic) bool { return !ruleSummary.MatchString(d.Summary()) })
}

func summaries(diags diag.Diagnostics) []string {
	out := make([]string, 0, len(diags))
	for _, d := range diags {
		out = append(out, d.Summary())
	}
	return out
}

// randomEnvironment draws an environment that the schema's validators
// accept, with values that break every environment rule now and then.
func randomEnvironment(t *testing.T, rng *rand.Rand, sr fwresource.SchemaResponse) environmentModel {
	t.Helper()
	pick := func(options ...string) string { return options[rng.IntN(len(options))] }
	maybe := func(v attr.Value, null attr.Value) attr.Value {
		if rng.IntN(3) == 0 {
			return null
		}
		return v
	}
	listType := func(name string) types.ListType { return sr.Schema.Attributes[name].GetType().(types.ListType) }
	objType := func(name string) types.ObjectType { return listType(name).ElemType.(types.ObjectType) }
	mustObject := func(typ types.ObjectType, v map[string]attr.Value) attr.Value {
		o, d := types.ObjectValue(typ.AttrTypes, v)
		if d.HasError() {
			t.Fatal(d)
		}
		return o
	}
	list := func(name string, elems []attr.Value) types.List {
		if len(elems) == 0 && rng.IntN(2) == 0 {
			return types.ListNull(listType(name).ElemType)
		}
		l, d := types.ListValue(listType(name).ElemType, elems)
		if d.HasError() {
			t.Fatal(d)
		}
		return l
	}
	name := pick("prod", "dev", "ml-prod")
	region := pick("us-east-1", "eu-west-1")

	var pools []attr.Value
	poolNames := []string{"a", "b", "a"}
	for i := range rng.IntN(4) {
		pools = append(pools, mustObject(objType("gpu_node_pools"), map[string]attr.Value{
			"name":              types.StringValue(poolNames[i]),
			"instance_type":     types.StringValue(pick("g5.xlarge", "m5.large", "p4d.24xlarge")),
			"accelerator":       types.StringNull(),
			"accelerator_count": types.NumberNull(),
			"min_size":          maybe(numberValue([]int{0, 1, 5}[rng.IntN(3)]), types.NumberNull()),
			"max_size":          numberValue([]int{1, 4, 500}[rng.IntN(3)]),
			"spot":              maybe(types.BoolValue(rng.IntN(2) == 0), types.BoolNull()),
			"purpose":           types.StringValue(pick("training", "inference")),
		}))
	}
	var entries []attr.Value
	for i := range rng.IntN(3) {
		sources := []attr.Value{types.StringValue(pick("203.0.113.0/24", "10.0.0.0/8", "0.0.0.0/0"))}
		if rng.IntN(2) == 0 {
			sources = append(sources, types.StringValue("198.51.100.0/24"))
		}
		entries = append(entries, mustObject(objType("ingress"), map[string]attr.Value{
			"name":       types.StringValue([]string{"api", "ssh"}[i]),
			"port":       numberValue([]int{443, 22, 3389}[rng.IntN(3)]),
			"from_cidrs": types.ListValueMust(types.StringType, sources),
		}))
	}
	var namespaces []attr.Value
	for _, purpose := range []string{"training", "inference", "pipelines", "telemetry"}[:rng.IntN(5)] {
		namespaces = append(namespaces, mustObject(objType("namespaces"), map[string]attr.Value{
			"purpose":      types.StringValue(purpose),
			"pod_security": maybe(types.StringValue(pick("restricted", "baseline", "privileged")), types.StringNull()),
			"gpu_quota":    maybe(numberValue([]int{0, 4, 64}[rng.IntN(3)]), types.NumberNull()),
		}))
	}
	var waivers []attr.Value
	if rng.IntN(3) == 0 {
		waivers = append(waivers, mustObject(objType("waivers"), map[string]attr.Value{
			"rule":   types.StringValue(pick("SEG103", "SEG403", "SEG501")),
			"reason": types.StringValue("accepted by the platform team"),
		}))
	}
	zones := types.ListNull(types.StringType)
	if rng.IntN(2) == 0 {
		zones = types.ListValueMust(types.StringType, []attr.Value{types.StringValue(region + "a"), types.StringValue(region + "b")})
	}
	return environmentModel{
		ID:                    types.StringNull(),
		Name:                  types.StringValue(name),
		Tier:                  types.StringValue(pick("development", "staging", "production", "shared")),
		Cloud:                 types.StringValue("aws"),
		Region:                types.StringValue(region),
		AccountID:             types.StringValue("333333333333"),
		CIDR:                  types.StringValue(pick("10.66.0.0/16", "10.66.0.0/16", "8.8.0.0/16", "10.66.0.0/25")),
		AvailabilityZones:     zones,
		DataClassification:    maybe(types.StringValue(pick("public", "restricted")), types.StringNull()).(types.String),
		HumanAccess:           maybe(types.StringValue(pick("none", "read", "write")), types.StringNull()).(types.String),
		GPUNodePools:          list("gpu_node_pools", pools),
		Ingress:               list("ingress", entries),
		Namespaces:            list("namespaces", namespaces),
		CISubject:             maybe(types.StringValue(pick("repo:acme/ml:environment:"+name, "repo:acme/*", "repo:acme/ml:environment:other")), types.StringNull()).(types.String),
		CIOIDCProvider:        types.StringNull(),
		LogRetentionDays:      maybe(numberValue([]int{7, 30, 365}[rng.IntN(3)]), types.NumberNull()).(types.Number),
		KeyRotationDays:       maybe(numberValue([]int{90, 365, 400}[rng.IntN(3)]), types.NumberNull()).(types.Number),
		KeyDeletionWindowDays: maybe(numberValue([]int{7, 30}[rng.IntN(2)]), types.NumberNull()).(types.Number),
		Waivers:               list("waivers", waivers),
		Blueprint:             types.ObjectNull(objectAttrTypes(blueprintShape)),
		Summary:               types.ObjectNull(objectAttrTypes(summaryShape)),
	}
}

// TestProviderConfigurationNotKnownYet: while the provider's own
// configuration is unknown (its organization from another resource), the
// environment's rules still run, and the names that carry the organization
// wait for apply while the rest of the blueprint is known.
func TestProviderConfigurationNotKnownYet(t *testing.T) {
	ctx := context.Background()
	_, template := environmentSchema()
	r := &EnvironmentResource{data: &providerData{known: false}}

	bad := testModel(t, "production", nil, nil)
	bad.LogRetentionDays = numberValue(30)
	if _, diags := r.plan(ctx, bad); !slices.Contains(ruleIDs(diags), "SEG501") {
		t.Fatalf("SEG501 must fire while the provider is not known yet: %v", summaries(diags))
	}

	variants, diags := r.plan(ctx, testModel(t, "production", nil, nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	planned, diags := mergedPlan(ctx, template, variants)
	if diags.HasError() {
		t.Fatal(diags)
	}
	value := func(steps ...any) tftypes.Value {
		t.Helper()
		p := tftypes.NewAttributePath()
		for _, s := range steps {
			switch s := s.(type) {
			case string:
				p = p.WithAttributeName(s)
			case int:
				p = p.WithElementKeyInt(s)
			}
		}
		v, _, err := tftypes.WalkAttributePath(planned, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return v.(tftypes.Value)
	}
	if v := value("blueprint", "network", "name"); v.IsKnown() {
		t.Errorf("the VPC name carries the unknown organization, but is planned as %s", v)
	}
	if v := value("blueprint", "network", "cidr"); !v.IsFullyKnown() {
		t.Errorf("the VPC range does not depend on the provider, but is unknown")
	}
	if v := value("summary", "organization"); v.IsKnown() {
		t.Errorf("summary.organization is planned as %s", v)
	}
}

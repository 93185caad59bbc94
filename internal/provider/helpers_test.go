package provider

import (
	"context"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// regexpQuote matches s literally, wherever Terraform wraps its lines.
func regexpQuote(s string) *regexp.Regexp {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// expectFullyKnown fails when any part of the named attributes of a planned
// resource is unknown: they must all be computed at plan time.
type expectFullyKnown struct {
	address    string
	attributes []string
}

var _ plancheck.PlanCheck = expectFullyKnown{}

func (e expectFullyKnown) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.address {
			continue
		}
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		for _, a := range e.attributes {
			if u, ok := unknown[a]; ok && containsTrue(u) {
				resp.Error = fmt.Errorf("%s.%s is (partly) unknown at plan time: %v", e.address, a, u)
				return
			}
			if after[a] == nil {
				resp.Error = fmt.Errorf("%s.%s is null in the plan", e.address, a)
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("no planned change for %s", e.address)
}

// containsTrue reports whether an after_unknown value marks anything unknown.
func containsTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case []any:
		for _, e := range v {
			if containsTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range v {
			if containsTrue(e) {
				return true
			}
		}
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }

// allocatedCIDR computes the documented allocation rule independently of the
// provider: block fnv1a32(name) mod 64 of 10.64.0.0/10 as a /16.
func allocatedCIDR(t *testing.T, name string) string {
	t.Helper()
	h := fnv.New32a()
	h.Write([]byte(name))
	index := h.Sum32() % 64
	return fmt.Sprintf("10.%d.0.0/16", 64+index)
}

type poolInput struct {
	name, instanceType string
	min, max           int64
	spot               bool
	purpose            string
}

// testModel builds a fully known configuration the way the framework would
// read it, for tests that call the adapter directly.
func testModel(t *testing.T, tier string, pools []poolInput, waivers []waiverModel) environmentModel {
	t.Helper()
	ctx := context.Background()
	var resp fwresource.SchemaResponse
	NewEnvironmentResource().Schema(ctx, fwresource.SchemaRequest{}, &resp)
	listType := func(name string) types.ListType { return resp.Schema.Attributes[name].GetType().(types.ListType) }
	elemAttrs := func(name string) map[string]attr.Type {
		return listType(name).ElemType.(types.ObjectType).AttrTypes
	}

	poolValues := make([]attr.Value, 0, len(pools))
	for _, p := range pools {
		obj, diags := types.ObjectValueFrom(ctx, elemAttrs("gpu_node_pools"), nodePoolModel{
			Name: types.StringValue(p.name), InstanceType: types.StringValue(p.instanceType),
			MinSize: numberValue(int(p.min)), MaxSize: numberValue(int(p.max)),
			Spot: types.BoolValue(p.spot), Purpose: types.StringValue(p.purpose),
		})
		if diags.HasError() {
			t.Fatal(diags)
		}
		poolValues = append(poolValues, obj)
	}
	poolList := types.ListNull(listType("gpu_node_pools").ElemType)
	if len(pools) > 0 {
		poolList = types.ListValueMust(listType("gpu_node_pools").ElemType, poolValues)
	}
	waiverList := types.ListNull(listType("waivers").ElemType)
	if len(waivers) > 0 {
		var d diag.Diagnostics
		waiverList, d = types.ListValueFrom(ctx, listType("waivers").ElemType, waivers)
		if d.HasError() {
			t.Fatal(d)
		}
	}
	return environmentModel{
		ID:                    types.StringNull(),
		Name:                  types.StringValue("env"),
		Tier:                  types.StringValue(tier),
		Cloud:                 types.StringValue("aws"),
		Region:                types.StringValue("us-east-1"),
		AccountID:             types.StringValue("333333333333"),
		CIDR:                  types.StringValue("10.66.0.0/16"),
		AvailabilityZones:     types.ListNull(types.StringType),
		DataClassification:    types.StringNull(),
		HumanAccess:           types.StringNull(),
		GPUNodePools:          poolList,
		Ingress:               types.ListNull(listType("ingress").ElemType),
		Namespaces:            types.ListNull(listType("namespaces").ElemType),
		CISubject:             types.StringNull(),
		CIOIDCProvider:        types.StringNull(),
		LogRetentionDays:      types.NumberNull(),
		KeyRotationDays:       types.NumberNull(),
		KeyDeletionWindowDays: types.NumberNull(),
		Waivers:               waiverList,
		Blueprint:             types.ObjectNull(objectAttrTypes(blueprintShape)),
		Summary:               types.ObjectNull(objectAttrTypes(summaryShape)),
	}
}

// functionErrorCase is a function call that must fail, and the message.
type functionErrorCase struct{ call, err string }

// testFunctionErrors plans each call in an output and expects its error.
func testFunctionErrors(t *testing.T, cases map[string]functionErrorCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tfresource.UnitTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				TerraformVersionChecks:   functionVersionChecks,
				Steps: []tfresource.TestStep{{
					Config:      providerBlock + "output \"o\" {\n  value = " + tc.call + "\n}\n",
					ExpectError: regexpQuote(tc.err),
				}},
			})
		})
	}
}

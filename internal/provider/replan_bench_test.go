package provider

import (
	"context"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

// BenchmarkProtocolPlan measures what one segmented_ml_environment costs
// the provider's process per plan, through the protocol server Terraform
// talks to: the first plan (no prior state) and a no-change re-plan (prior
// state as applied). Unlike BenchmarkEnvironmentPlan, it includes the
// framework's own work around ModifyPlan: decoding, walking and encoding the
// configuration, the prior state and the planned state.
//
// "served" is the provider as Terraform runs it: NewServer, the fast lane in
// front of the framework. The baselines of the same run are the previous
// implementations: "framework", the framework's server alone, with
// blueprint and summary as object attributes; and "nested", the one before
// it, with them as nested attributes and a Read that decodes and encodes the
// stored state. Besides the plans it measures what Terraform asks of
// every stored resource before each plan: "upgrade" (UpgradeResourceState,
// the stored JSON read into the schema, even at the current version) and
// "refresh" (ReadResource).
func BenchmarkProtocolPlan(b *testing.B) {
	framework := func(p provider.Provider) func() tfprotov6.ProviderServer {
		return func() tfprotov6.ProviderServer { return providerserver.NewProtocol6(p)() }
	}
	for _, tc := range []struct {
		name   string
		server func() tfprotov6.ProviderServer
	}{
		{"served", NewServer("bench")},
		{"framework", framework(New("bench")())},
		{"nested", framework(nestedProvider{&SegmentedProvider{version: "bench"}})},
	} {
		b.Run(tc.name, func(b *testing.B) { benchmarkProtocolPlan(b, tc.server()) })
	}
}

// nestedProvider serves segmented_ml_environment with blueprint and summary
// as computed nested attributes.
type nestedProvider struct{ *SegmentedProvider }

func (p nestedProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return nestedEnvironment{&EnvironmentResource{}} }}
}

type nestedEnvironment struct{ *EnvironmentResource }

func (r nestedEnvironment) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state environmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r nestedEnvironment) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.EnvironmentResource.Schema(ctx, req, resp)
	resp.Schema.Attributes["blueprint"] = schema.SingleNestedAttribute{Computed: true, Attributes: nestedAttributes(blueprintShape)}
	resp.Schema.Attributes["summary"] = schema.SingleNestedAttribute{Computed: true, Attributes: nestedAttributes(summaryShape)}
}

func nestedAttributes(s shape.Shape) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(s.Fields))
	for _, f := range s.Fields {
		switch elem := f.Shape.Elem; {
		case f.Shape.Kind == shape.Object:
			out[f.Name] = schema.SingleNestedAttribute{Computed: true, Attributes: nestedAttributes(f.Shape)}
		case f.Shape.Kind == shape.List && elem.Kind == shape.Object:
			out[f.Name] = schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: nestedAttributes(*elem)}}
		default:
			switch f.Shape.Kind {
			case shape.String:
				out[f.Name] = schema.StringAttribute{Computed: true}
			case shape.Number:
				out[f.Name] = schema.Int64Attribute{Computed: true}
			case shape.Bool:
				out[f.Name] = schema.BoolAttribute{Computed: true}
			case shape.List:
				out[f.Name] = schema.ListAttribute{Computed: true, ElementType: attrType(*elem)}
			case shape.Map:
				out[f.Name] = schema.MapAttribute{Computed: true, ElementType: attrType(*elem)}
			}
		}
	}
	return out
}

func benchmarkProtocolPlan(b *testing.B, server tfprotov6.ProviderServer) {
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: dynamic(b, providerType, objectWith(providerType, map[string]tftypes.Value{
			"organization": tftypes.NewValue(tftypes.String, "acme"),
		})),
	})
	if err != nil || diagnosticsFail(configured.Diagnostics) {
		b.Fatal(err, configured.Diagnostics)
	}
	const typeName = "segmented_ml_environment"
	envType := schemas.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	poolsType := envType.AttributeTypes["gpu_node_pools"].(tftypes.List)
	poolType := poolsType.ElementType.(tftypes.Object)
	ingressType := envType.AttributeTypes["ingress"].(tftypes.List)
	entryType := ingressType.ElementType.(tftypes.Object)
	strings := func(s ...string) tftypes.Value {
		vals := make([]tftypes.Value, len(s))
		for i, v := range s {
			vals[i] = str(v)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
	}
	config := objectWith(envType, map[string]tftypes.Value{
		"name": str("prod"), "tier": str("production"), "cloud": str("aws"), "region": str("us-east-1"),
		"account_id": str("333333333333"), "cidr": str("10.64.0.0/22"), "ci_subject": str("repo:acme/ml:environment:prod"),
		"availability_zones": strings("us-east-1a", "us-east-1b"),
		"gpu_node_pools": tftypes.NewValue(poolsType, []tftypes.Value{
			objectWith(poolType, map[string]tftypes.Value{"name": str("train"), "instance_type": str("p4d.24xlarge"), "max_size": num(2), "purpose": str("training")}),
			objectWith(poolType, map[string]tftypes.Value{"name": str("serve"), "instance_type": str("g5.2xlarge"), "min_size": num(1), "max_size": num(2), "purpose": str("inference")}),
		}),
		"ingress": tftypes.NewValue(ingressType, []tftypes.Value{
			objectWith(entryType, map[string]tftypes.Value{"name": str("api"), "port": num(443), "from_cidrs": strings("203.0.113.0/24")}),
		}),
	})
	configValue := dynamic(b, envType, config)
	null := dynamic(b, envType, tftypes.NewValue(envType, nil))

	plan := func(prior, proposed *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
		resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: prior, ProposedNewState: proposed, Config: configValue,
		})
		if err != nil || diagnosticsFail(resp.Diagnostics) {
			b.Fatal(err, resp.Diagnostics)
		}
		return resp.PlannedState
	}
	planned := plan(null, configValue)
	applied, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: null, PlannedState: planned, Config: configValue,
	})
	if err != nil || diagnosticsFail(applied.Diagnostics) {
		b.Fatal(err, applied.Diagnostics)
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			plan(null, configValue)
		}
	})
	// With nothing changed, Terraform proposes the prior state itself.
	b.Run("replan", func(b *testing.B) {
		for b.Loop() {
			plan(applied.NewState, applied.NewState)
		}
	})
	stored, err := applied.NewState.Unmarshal(envType)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(jsonOf(b, stored))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("upgrade", func(b *testing.B) {
		for b.Loop() {
			resp, err := server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
				TypeName: typeName, Version: schemaVersion, RawState: &tfprotov6.RawState{JSON: raw},
			})
			if err != nil || diagnosticsFail(resp.Diagnostics) {
				b.Fatal(err, resp.Diagnostics)
			}
		}
	})
	b.Run("refresh", func(b *testing.B) {
		for b.Loop() {
			resp, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: applied.NewState})
			if err != nil || diagnosticsFail(resp.Diagnostics) {
				b.Fatal(err, resp.Diagnostics)
			}
		}
	})
}

// jsonOf is a value as the JSON of a state file holds it.
func jsonOf(tb testing.TB, v tftypes.Value) any {
	if v.IsNull() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case v.Type().Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		return json.Number(n.Text('f', -1))
	case v.Type().Is(tftypes.Object{}) || v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = jsonOf(tb, e)
		}
		return out
	default:
		var l []tftypes.Value
		if err := v.As(&l); err != nil {
			tb.Fatalf("no JSON for %s: %v", v.Type(), err)
		}
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = jsonOf(tb, e)
		}
		return out
	}
}

// objectWith returns an object of typ with the given attributes and every
// other attribute null, as Terraform sends an attribute left unset.
func objectWith(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(t, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func dynamic(tb testing.TB, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}

func diagnosticsFail(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

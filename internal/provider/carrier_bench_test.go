package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// BenchmarkBlueprintCarriers measures what carrying one production
// blueprint costs the framework per plan, by how the schema types it: as an
// object attribute (what the provider does), as a dynamic attribute, and as
// a string of JSON. Each resource only sets the precomputed blueprint in
// ModifyPlan, so the figures are the framework's and the protocol's alone:
// the floor under segmented_ml_environment's own plan for each choice.
func BenchmarkBlueprintCarriers(b *testing.B) {
	env := segment.Environment{
		Organization: "acme", Name: "prod", Tier: segment.Production, Cloud: segment.AWS, Region: "us-east-1",
		AccountID: "333333333333", Zones: []string{"us-east-1a", "us-east-1b"}, CISubject: "repo:acme/ml:environment:prod",
		CIOIDCProvider: DefaultCIOIDCProvider, DataClassification: segment.Restricted, HumanAccess: segment.NoAccess,
		LogRetentionDays: 365, KeyRotationDays: 90, KeyDeletionWindowDays: 30,
		GPUNodePools: []segment.NodePool{{Name: "train", InstanceType: "p4d.24xlarge", MaxSize: 2, Purpose: segment.Training}},
	}
	env.CIDR = prefixes([]string{"10.64.0.0/22"})[0]
	bp := testkit.Must(blueprint.Expand(env))
	object, diags := objectValue(bp)
	if diags.HasError() {
		b.Fatal(diags)
	}
	doc, err := json.Marshal(bp)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []carrier{
		{"object", schema.ObjectAttribute{Computed: true, AttributeTypes: objectAttrTypes(blueprintShape)}, object},
		{"dynamic", schema.DynamicAttribute{Computed: true}, types.DynamicValue(object)},
		{"json", schema.StringAttribute{Computed: true}, types.StringValue(string(doc))},
	} {
		b.Run(c.name, func(b *testing.B) { benchmarkCarrier(b, c) })
	}
}

// carrier is one way to type the blueprint, and the value it carries.
type carrier struct {
	name  string
	attr  schema.Attribute
	value attr.Value
}

func benchmarkCarrier(b *testing.B, c carrier) {
	ctx := context.Background()
	server := providerserver.NewProtocol6(func() provider.Provider { return carrierProvider{c} }())()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: dynamic(b, tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, map[string]tftypes.Value{})),
	}); err != nil {
		b.Fatal(err)
	}
	typ := schemas.ResourceSchemas["carrier_blueprint"].ValueType().(tftypes.Object)
	config := dynamic(b, typ, objectWith(typ, map[string]tftypes.Value{"name": tftypes.NewValue(tftypes.String, "prod")}))
	null := dynamic(b, typ, tftypes.NewValue(typ, nil))
	plan := func(prior, proposed *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
		resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "carrier_blueprint", PriorState: prior, ProposedNewState: proposed, Config: config,
		})
		if err != nil || diagnosticsFail(resp.Diagnostics) {
			b.Fatal(err, resp.Diagnostics)
		}
		return resp.PlannedState
	}
	planned := plan(null, config)
	applied, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "carrier_blueprint", PriorState: null, PlannedState: planned, Config: config,
	})
	if err != nil || diagnosticsFail(applied.Diagnostics) {
		b.Fatal(err, applied.Diagnostics)
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			plan(null, config)
		}
	})
	b.Run("replan", func(b *testing.B) {
		for b.Loop() {
			plan(applied.NewState, applied.NewState)
		}
	})
	b.Run("refresh", func(b *testing.B) {
		for b.Loop() {
			if _, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "carrier_blueprint", CurrentState: applied.NewState}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// carrierProvider serves one resource, carrier_blueprint, whose blueprint
// attribute is the carrier's.
type carrierProvider struct{ c carrier }

func (p carrierProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "carrier"
}

func (p carrierProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p carrierProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p carrierProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return carrierResource(p) }}
}

func (p carrierProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type carrierResource struct{ c carrier }

func (r carrierResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "carrier_blueprint"
}

func (r carrierResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"name":      schema.StringAttribute{Required: true},
		"blueprint": r.c.attr,
	}}
}

func (r carrierResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("blueprint"), r.c.value)...)
	}
}

func (r carrierResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
}

func (r carrierResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r carrierResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

func (r carrierResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

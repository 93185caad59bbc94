package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var _ tfprotov6.ProviderServer = (*server)(nil)

// NewServer returns the protocol server Terraform talks to: the framework's
// server for the provider at a version, with a fast lane for what Terraform
// asks of every stored resource on every plan: an upgrade of the stored
// state, a refresh and a plan.
//
// The provider's resources store a pure function of their configuration,
// and nothing remote. So a refresh keeps the stored state, and a plan whose
// configuration yields exactly the stored state changes nothing. The
// framework answers both only after walking every value of the stored
// state and of the plan several times, which makes a no-change plan cost
// several times what Terraform itself spends on the same data. The fast
// lane answers them without that walk (the plan from the resource's own
// ModifyPlan), and hands
// every other request, and every plan with a change or a diagnostic, to the
// framework, which answers it as before.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &SegmentedProvider{version: version}
		return &server{
			ProviderServer: providerserver.NewProtocol6(p)(),
			provider:       p,
			resources:      storedTypes(context.Background()),
		}
	}
}

// server is the framework's protocol server with the fast lane in front.
type server struct {
	tfprotov6.ProviderServer
	provider  *SegmentedProvider
	resources map[string]storedType // by type name
	fastPlans atomic.Int64          // plans the fast lane answered, for tests
}

// storedResource is a resource that stores a pure function of its
// configuration (and the provider's, if it is configured) and nothing
// remote: its Read keeps the stored state, and its ModifyPlan plans the
// whole state from the configuration, whatever the proposed state holds.
type storedResource interface {
	resource.ResourceWithModifyPlan
}

// storedType is one resource type of the fast lane: a constructor, as the
// framework calls one per request, and the schema, read once.
type storedType struct {
	new    func() storedResource
	schema schema.Schema
	typ    tftypes.Type
}

// UpgradeResourceState hands Terraform the stored JSON back as it is when
// it was written at the schema's current version and holds no attribute the
// schema no longer has: Terraform reads it as the framework would, with an
// attribute it lacks as null. Any other state goes to the framework, which
// drops what the schema no longer has and runs the resource's upgraders.
func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	t, ok := s.resources[req.TypeName]
	if ok && req.RawState != nil && req.Version == t.schema.Version && fitsType(req.RawState.JSON, t.typ) {
		return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &tfprotov6.DynamicValue{JSON: req.RawState.JSON}}, nil
	}
	return s.ProviderServer.UpgradeResourceState(ctx, req)
}

// fitsType reports whether raw is JSON that Terraform reads as a value of
// typ: every object's attributes are typ's, and every value has its type.
func fitsType(raw []byte, typ tftypes.Type) bool {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return false
	}
	return fits(v, typ)
}

func fits(v any, typ tftypes.Type) bool {
	if v == nil {
		return true
	}
	switch t := typ.(type) {
	case tftypes.Object:
		m, ok := v.(map[string]any)
		for k, e := range m {
			if at, known := t.AttributeTypes[k]; !known || !fits(e, at) {
				return false
			}
		}
		return ok
	case tftypes.Map:
		m, ok := v.(map[string]any)
		for _, e := range m {
			if !fits(e, t.ElementType) {
				return false
			}
		}
		return ok
	case tftypes.List:
		return fitsEach(v, t.ElementType)
	case tftypes.Set:
		return fitsEach(v, t.ElementType)
	}
	switch v.(type) {
	case string:
		return typ.Is(tftypes.String)
	case json.Number:
		return typ.Is(tftypes.Number)
	case bool:
		return typ.Is(tftypes.Bool)
	}
	return false // a tuple or a dynamic value: the framework reads it
}

func fitsEach(v any, elem tftypes.Type) bool {
	l, ok := v.([]any)
	for _, e := range l {
		if !fits(e, elem) {
			return false
		}
	}
	return ok
}

// ReadResource keeps the stored state, as the resources' Read does.
func (s *server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	if _, ok := s.resources[req.TypeName]; !ok || req.CurrentState == nil {
		return s.ProviderServer.ReadResource(ctx, req)
	}
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, NewIdentity: req.CurrentIdentity}, nil
}

// PlanResourceChange answers a plan that changes nothing with the
// resource's own ModifyPlan and its warnings, when it has no error, and a
// create when it has nothing to say.
// The framework plans everything else, as it always has: a change to a
// stored resource (whose attributes may force a replacement), a destroy,
// and any plan with an error.
func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if resp, ok := s.plan(ctx, req); ok {
		s.fastPlans.Add(1)
		return resp, nil
	}
	return s.ProviderServer.PlanResourceChange(ctx, req)
}

// plan is the fast lane's answer to req, if it has one. Any doubt answers
// false.
func (s *server) plan(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	t, ok := s.resources[req.TypeName]
	if !ok || req.PriorState == nil || req.ProposedNewState == nil || req.Config == nil {
		return nil, false
	}
	prior, err := req.PriorState.Unmarshal(t.typ)
	if err != nil {
		return nil, false
	}
	proposed, err := req.ProposedNewState.Unmarshal(t.typ)
	if err != nil || proposed.IsNull() {
		return nil, false // a destroy, or a value the framework reports on
	}
	config, err := req.Config.Unmarshal(t.typ)
	if err != nil {
		return nil, false
	}
	r := t.new()
	if c, ok := r.(resource.ResourceWithConfigure); ok {
		data := s.provider.configured.Load()
		if data == nil {
			return nil, false
		}
		var configured resource.ConfigureResponse
		c.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &configured)
		if configured.Diagnostics.HasError() {
			return nil, false
		}
	}
	modify := resource.ModifyPlanRequest{
		Config: tfsdk.Config{Raw: config, Schema: t.schema},
		State:  tfsdk.State{Raw: prior, Schema: t.schema},
		Plan:   tfsdk.Plan{Raw: proposed, Schema: t.schema},
	}
	modified := resource.ModifyPlanResponse{Plan: modify.Plan}
	r.ModifyPlan(ctx, modify, &modified)
	if modified.Diagnostics.HasError() || len(modified.RequiresReplace) > 0 || modified.Deferred != nil {
		return nil, false
	}
	warnings, ok := protocolDiagnostics(modified.Diagnostics)
	if !ok {
		return nil, false
	}
	switch planned := modified.Plan.Raw; {
	case planned.Equal(prior):
		return &tfprotov6.PlanResourceChangeResponse{
			PlannedState: req.PriorState, PlannedPrivate: req.PriorPrivate, PlannedIdentity: req.PriorIdentity, Diagnostics: warnings,
		}, true
	case prior.IsNull() && len(warnings) == 0:
		// A resource with something to say may leave parts of a new plan
		// to the framework, which marks them unknown first: the topology
		// does while some of its values are unknown.
		encoded, err := tfprotov6.NewDynamicValue(t.typ, planned)
		return &tfprotov6.PlanResourceChangeResponse{PlannedState: &encoded}, err == nil
	}
	return nil, false
}

// protocolDiagnostics are diagnostics as the framework sends them: each
// with its severity, summary, detail and attribute path. A path with a step
// other than an attribute name or a list index or map key answers false.
func protocolDiagnostics(diags diag.Diagnostics) ([]*tfprotov6.Diagnostic, bool) {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if at, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = tftypes.NewAttributePath()
			for _, step := range at.Path().Steps() {
				switch s := step.(type) {
				case path.PathStepAttributeName:
					pd.Attribute = pd.Attribute.WithAttributeName(string(s))
				case path.PathStepElementKeyInt:
					pd.Attribute = pd.Attribute.WithElementKeyInt(int(s))
				case path.PathStepElementKeyString:
					pd.Attribute = pd.Attribute.WithElementKeyString(string(s))
				default:
					return nil, false
				}
			}
		}
		out = append(out, pd)
	}
	return out, true
}

// storedTypes are the resource types the fast lane serves, by type name:
// all of the provider's.
func storedTypes(ctx context.Context) map[string]storedType {
	out := map[string]storedType{}
	for _, newResource := range []func() storedResource{
		func() storedResource { return &EnvironmentResource{} },
		func() storedResource { return &TopologyResource{} },
	} {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: providerTypeName}, &meta)
		var sch resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sch)
		out[meta.TypeName] = storedType{new: newResource, schema: sch.Schema, typ: sch.Schema.Type().TerraformType(ctx)}
	}
	return out
}

// Package schemaprovider serves the schema of a real Terraform provider,
// read from `terraform providers schema -json` output, over plugin protocol
// 6, without any of the provider's logic.
//
// Terraform can then run `terraform validate` against the exact schema of a
// provider that is expensive to build (hashicorp/aws is a 1.3 GB binary and
// a 40-minute build) or unavailable. Validation covers everything Terraform
// core checks against a schema: unknown and missing arguments, attribute
// types, block nesting and item counts, deprecations and references. It does
// not cover the provider's own validators (string patterns, enumerations,
// conflicting arguments), which live in provider code and are not part of
// the schema.
//
// The server answers schema and validation RPCs, configures without
// diagnostics, and passes resource state through UpgradeResourceState. Every
// RPC that would need provider logic (plan, apply, read, import, move,
// ephemeral resources, functions) fails with SchemaOnlyMessage, unless the
// opt-in plan mode (Options.Plan, a fixture tool: see Options) is on; it
// then plans, applies and reads without infrastructure, with unknown and
// placeholder values where the real provider would compute them.
//
// The server serves the provider configuration, managed resources, data
// sources, ephemeral resources, functions and resource identities found in
// the JSON. It does not serve list resources, actions or state stores: their
// RPCs are only part of optional, experimental tfprotov6 interfaces, and
// the schema JSON of the providers this project uses contains none.
package schemaprovider

import (
	"context"
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// SchemaOnlyMessage is the summary of the error diagnostic returned by every
// RPC that needs real provider logic.
const SchemaOnlyMessage = "this is a schema-only provider for terraform validate; it cannot plan or apply"

// server is a tfprotov6.ProviderServer serving a fixed, pre-converted
// schema.
type server struct {
	provider           *tfprotov6.Schema
	resources          map[string]*tfprotov6.Schema
	dataSources        map[string]*tfprotov6.Schema
	ephemeralResources map[string]*tfprotov6.Schema
	functions          map[string]*tfprotov6.Function
	identities         map[string]*tfprotov6.ResourceIdentitySchema

	// plan is the plan mode of Options.
	plan bool

	// err is the error met while converting the schema, if any. It is
	// reported by the schema RPCs so that Terraform shows it to the user.
	err error
}

var _ tfprotov6.ProviderServer = (*server)(nil)

// New returns a provider server for the given provider schema. The schema
// is converted once, here. Should the conversion fail, the server reports
// the failure as an error diagnostic from GetMetadata and
// GetProviderSchema, which makes every Terraform command fail with it.
func New(schema *tfjson.ProviderSchema) tfprotov6.ProviderServer {
	return NewWithOptions(schema, Options{})
}

// newServer converts schema into a server.
func newServer(schema *tfjson.ProviderSchema) (*server, error) {
	if schema == nil {
		return nil, fmt.Errorf("provider schema is nil")
	}
	s := &server{
		provider:   &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}},
		functions:  make(map[string]*tfprotov6.Function, len(schema.Functions)),
		identities: make(map[string]*tfprotov6.ResourceIdentitySchema, len(schema.ResourceIdentitySchemas)),
	}
	var err error
	if schema.ConfigSchema != nil {
		if s.provider, err = ConvertSchema(schema.ConfigSchema); err != nil {
			return nil, fmt.Errorf("provider configuration: %w", err)
		}
	}
	if s.resources, err = convertSchemas("resource", schema.ResourceSchemas); err != nil {
		return nil, err
	}
	if s.dataSources, err = convertSchemas("data source", schema.DataSourceSchemas); err != nil {
		return nil, err
	}
	if s.ephemeralResources, err = convertSchemas("ephemeral resource", schema.EphemeralResourceSchemas); err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(schema.Functions) {
		f, err := ConvertFunction(schema.Functions[name])
		if err != nil {
			return nil, fmt.Errorf("function %q: %w", name, err)
		}
		s.functions[name] = f
	}
	for _, name := range sortedKeys(schema.ResourceIdentitySchemas) {
		id, err := ConvertIdentitySchema(schema.ResourceIdentitySchemas[name])
		if err != nil {
			return nil, fmt.Errorf("resource identity %q: %w", name, err)
		}
		s.identities[name] = id
	}
	return s, nil
}

// schemaOnly returns the diagnostics of an RPC that needs provider logic.
func schemaOnly(rpc, kind, name string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  SchemaOnlyMessage,
		Detail: fmt.Sprintf("%s was called for %s %q. This provider only serves the schema of the real "+
			"provider, so that `terraform validate` can check configurations; use the real provider "+
			"to plan, apply, read, import or call functions.", rpc, kind, name),
	}}
}

// errorDiagnostics returns one error diagnostic.
func errorDiagnostics(summary string, err error) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  summary,
		Detail:   err.Error(),
	}}
}

// GetMetadata lists the resource, data source, ephemeral resource and
// function names of the schema.
func (s *server) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{ServerCapabilities: &tfprotov6.ServerCapabilities{}}
	if s.err != nil {
		resp.Diagnostics = errorDiagnostics("Invalid provider schema", s.err)
		return resp, nil //nolint:nilerr // the protocol reports errors as diagnostics
	}
	for _, name := range sortedKeys(s.resources) {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.dataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov6.DataSourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.ephemeralResources) {
		resp.EphemeralResources = append(resp.EphemeralResources, tfprotov6.EphemeralResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.functions) {
		resp.Functions = append(resp.Functions, tfprotov6.FunctionMetadata{Name: name})
	}
	return resp, nil
}

// GetProviderSchema returns the converted schemas.
func (s *server) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	resp := &tfprotov6.GetProviderSchemaResponse{ServerCapabilities: &tfprotov6.ServerCapabilities{}}
	if s.err != nil {
		resp.Diagnostics = errorDiagnostics("Invalid provider schema", s.err)
		return resp, nil //nolint:nilerr // the protocol reports errors as diagnostics
	}
	resp.Provider = s.provider
	resp.ResourceSchemas = s.resources
	resp.DataSourceSchemas = s.dataSources
	resp.EphemeralResourceSchemas = s.ephemeralResources
	resp.Functions = s.functions
	return resp, nil
}

// GetResourceIdentitySchemas returns the resource identity schemas, if the
// JSON had any.
func (s *server) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	resp := &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: s.identities}
	if s.err != nil {
		resp.Diagnostics = errorDiagnostics("Invalid provider schema", s.err)
	}
	return resp, nil
}

// ValidateProviderConfig accepts any configuration that conforms to the
// schema; Terraform has checked that already.
func (s *server) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

// ConfigureProvider accepts any configuration and does nothing.
func (s *server) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

// StopProvider has nothing to stop.
func (s *server) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

// ValidateResourceConfig accepts any configuration that conforms to the
// schema.
func (s *server) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

// UpgradeResourceState decodes the raw JSON state against the current
// schema of the resource type and returns it unchanged. Attributes that
// the schema no longer has are dropped, as the SDKs do. States from before
// Terraform 0.12 (flatmap) are rejected.
func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	resp := &tfprotov6.UpgradeResourceStateResponse{}
	schema, ok := s.resources[req.TypeName]
	if !ok {
		resp.Diagnostics = errorDiagnostics("Unknown resource type",
			fmt.Errorf("the provider schema has no resource type %q", req.TypeName))
		return resp, nil
	}
	if req.RawState == nil {
		return resp, nil
	}
	state, err := passThrough(schema.ValueType(), req.RawState)
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to read resource state",
			fmt.Errorf("resource type %q: %w", req.TypeName, err))
		return resp, nil
	}
	resp.UpgradedState = state
	return resp, nil
}

// passThrough decodes a raw JSON state as a value of typ and re-encodes it
// for the protocol.
func passThrough(typ tftypes.Type, raw *tfprotov6.RawState) (*tfprotov6.DynamicValue, error) {
	typ = withoutOptionalAttributes(typ)
	val, err := raw.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, val)
	if err != nil {
		return nil, err
	}
	return &dv, nil
}

// withoutOptionalAttributes returns typ with the optional-attribute markers
// of its object types removed. Optional attributes belong to type
// constraints; values, such as a decoded state, hold every attribute.
func withoutOptionalAttributes(typ tftypes.Type) tftypes.Type {
	switch t := typ.(type) {
	case tftypes.List:
		return tftypes.List{ElementType: withoutOptionalAttributes(t.ElementType)}
	case tftypes.Set:
		return tftypes.Set{ElementType: withoutOptionalAttributes(t.ElementType)}
	case tftypes.Map:
		return tftypes.Map{ElementType: withoutOptionalAttributes(t.ElementType)}
	case tftypes.Tuple:
		elems := make([]tftypes.Type, len(t.ElementTypes))
		for i, e := range t.ElementTypes {
			elems[i] = withoutOptionalAttributes(e)
		}
		return tftypes.Tuple{ElementTypes: elems}
	case tftypes.Object:
		attrs := make(map[string]tftypes.Type, len(t.AttributeTypes))
		for name, a := range t.AttributeTypes {
			attrs[name] = withoutOptionalAttributes(a)
		}
		return tftypes.Object{AttributeTypes: attrs}
	default:
		return typ
	}
}

// ReadResource cannot read real infrastructure; in the plan mode it returns
// the current state unchanged.
func (s *server) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	if s.plan {
		return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
	}
	return &tfprotov6.ReadResourceResponse{Diagnostics: schemaOnly("ReadResource", "resource type", req.TypeName)}, nil
}

// PlanResourceChange cannot plan, except in the plan mode.
func (s *server) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if s.plan {
		return s.planResourceChange(req), nil
	}
	return &tfprotov6.PlanResourceChangeResponse{Diagnostics: schemaOnly("PlanResourceChange", "resource type", req.TypeName)}, nil
}

// ApplyResourceChange cannot apply, except in the plan mode.
func (s *server) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	if s.plan {
		return s.applyResourceChange(req), nil
	}
	return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: schemaOnly("ApplyResourceChange", "resource type", req.TypeName)}, nil
}

// ImportResourceState cannot import.
func (s *server) ImportResourceState(_ context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return &tfprotov6.ImportResourceStateResponse{Diagnostics: schemaOnly("ImportResourceState", "resource type", req.TypeName)}, nil
}

// MoveResourceState cannot move state between resource types.
func (s *server) MoveResourceState(_ context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return &tfprotov6.MoveResourceStateResponse{Diagnostics: schemaOnly("MoveResourceState", "resource type", req.TargetTypeName)}, nil
}

// UpgradeResourceIdentity cannot transform resource identities.
func (s *server) UpgradeResourceIdentity(_ context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return &tfprotov6.UpgradeResourceIdentityResponse{Diagnostics: schemaOnly("UpgradeResourceIdentity", "resource type", req.TypeName)}, nil
}

// GenerateResourceConfig cannot generate configuration.
func (s *server) GenerateResourceConfig(_ context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return &tfprotov6.GenerateResourceConfigResponse{Diagnostics: schemaOnly("GenerateResourceConfig", "resource type", req.TypeName)}, nil
}

// ValidateDataResourceConfig accepts any configuration that conforms to the
// schema.
func (s *server) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

// ReadDataSource cannot read real infrastructure, except in the plan mode.
func (s *server) ReadDataSource(_ context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if s.plan {
		return s.readDataSource(req), nil
	}
	return &tfprotov6.ReadDataSourceResponse{Diagnostics: schemaOnly("ReadDataSource", "data source", req.TypeName)}, nil
}

// CallFunction cannot run the provider's functions.
func (s *server) CallFunction(_ context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{
		Text: fmt.Sprintf("%s: function %q cannot be called", SchemaOnlyMessage, req.Name),
	}}, nil
}

// GetFunctions returns the function signatures.
func (s *server) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	resp := &tfprotov6.GetFunctionsResponse{Functions: s.functions}
	if s.err != nil {
		resp.Diagnostics = errorDiagnostics("Invalid provider schema", s.err)
	}
	return resp, nil
}

// ValidateEphemeralResourceConfig accepts any configuration that conforms
// to the schema.
func (s *server) ValidateEphemeralResourceConfig(context.Context, *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov6.ValidateEphemeralResourceConfigResponse{}, nil
}

// OpenEphemeralResource cannot open ephemeral resources.
func (s *server) OpenEphemeralResource(_ context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return &tfprotov6.OpenEphemeralResourceResponse{Diagnostics: schemaOnly("OpenEphemeralResource", "ephemeral resource", req.TypeName)}, nil
}

// RenewEphemeralResource cannot renew ephemeral resources.
func (s *server) RenewEphemeralResource(_ context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return &tfprotov6.RenewEphemeralResourceResponse{Diagnostics: schemaOnly("RenewEphemeralResource", "ephemeral resource", req.TypeName)}, nil
}

// CloseEphemeralResource cannot close ephemeral resources.
func (s *server) CloseEphemeralResource(_ context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return &tfprotov6.CloseEphemeralResourceResponse{Diagnostics: schemaOnly("CloseEphemeralResource", "ephemeral resource", req.TypeName)}, nil
}

package schemaprovider

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestLoad(t *testing.T) {
	gz, err := os.ReadFile(testdataSchema)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := plain.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{"gzipped": gz, "plain": plain.Bytes()} {
		t.Run(name, func(t *testing.T) {
			schemas, err := Load(bytes.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Lookup(schemas, "hashicorp/aws"); err != nil {
				t.Fatal(err)
			}
			if _, err := Lookup(schemas, "hashicorp/google"); err == nil {
				t.Error("Lookup(hashicorp/google) succeeded")
			}
			if _, err := Lookup(schemas, "not a source"); err == nil {
				t.Error("Lookup of an invalid source succeeded")
			}
		})
	}
	for name, in := range map[string]string{
		"empty":           "",
		"not json":        "provider",
		"no version":      `{"provider_schemas": {}}`,
		"future version":  `{"format_version": "2.0", "provider_schemas": {}}`,
		"no provider":     `{"format_version": "1.0"}`,
		"truncated gzip":  string(gz[:len(gz)/2]),
		"gzip magic only": "\x1f\x8b",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Load(strings.NewReader(in)); err == nil {
				t.Error("Load succeeded")
			} else {
				t.Log(err)
			}
		})
	}
}

// assertSchemaOnly checks that diags is the schema-only error.
func assertSchemaOnly(t *testing.T, rpc string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("%s: %d diagnostics, want 1", rpc, len(diags))
	}
	d := diags[0]
	if d.Severity != tfprotov6.DiagnosticSeverityError || d.Summary != SchemaOnlyMessage {
		t.Errorf("%s: diagnostic %s %q, want error %q", rpc, d.Severity, d.Summary, SchemaOnlyMessage)
	}
	if !strings.Contains(d.Detail, rpc) {
		t.Errorf("%s: detail %q does not name the RPC", rpc, d.Detail)
	}
}

func TestUnsupportedRPCs(t *testing.T) {
	ctx := t.Context()
	s := New(loadTestdata(t))

	plan, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "aws_vpc"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "PlanResourceChange", plan.Diagnostics)
	apply, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: "aws_vpc"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "ApplyResourceChange", apply.Diagnostics)
	read, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "aws_vpc"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "ReadResource", read.Diagnostics)
	imp, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "aws_vpc", ID: "vpc-1"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "ImportResourceState", imp.Diagnostics)
	move, err := s.MoveResourceState(ctx, &tfprotov6.MoveResourceStateRequest{TargetTypeName: "aws_vpc"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "MoveResourceState", move.Diagnostics)
	uid, err := s.UpgradeResourceIdentity(ctx, &tfprotov6.UpgradeResourceIdentityRequest{TypeName: "aws_vpc"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "UpgradeResourceIdentity", uid.Diagnostics)
	gen, err := s.GenerateResourceConfig(ctx, &tfprotov6.GenerateResourceConfigRequest{TypeName: "aws_vpc"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "GenerateResourceConfig", gen.Diagnostics)
	ds, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "aws_region"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "ReadDataSource", ds.Diagnostics)
	open, err := s.OpenEphemeralResource(ctx, &tfprotov6.OpenEphemeralResourceRequest{TypeName: "aws_kms_secrets"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "OpenEphemeralResource", open.Diagnostics)
	renew, err := s.RenewEphemeralResource(ctx, &tfprotov6.RenewEphemeralResourceRequest{TypeName: "aws_kms_secrets"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "RenewEphemeralResource", renew.Diagnostics)
	closed, err := s.CloseEphemeralResource(ctx, &tfprotov6.CloseEphemeralResourceRequest{TypeName: "aws_kms_secrets"})
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaOnly(t, "CloseEphemeralResource", closed.Diagnostics)
	call, err := s.CallFunction(ctx, &tfprotov6.CallFunctionRequest{Name: "arn_parse"})
	if err != nil {
		t.Fatal(err)
	}
	if call.Error == nil || !strings.HasPrefix(call.Error.Text, SchemaOnlyMessage) {
		t.Errorf("CallFunction error = %+v, want the schema-only error", call.Error)
	}
}

func TestSupportedRPCs(t *testing.T) {
	ctx := t.Context()
	schema := loadTestdata(t)
	s := New(schema)

	meta, err := s.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Diagnostics) > 0 || len(meta.Resources) != len(schema.ResourceSchemas) || len(meta.Resources) < 30 ||
		len(meta.DataSources) != len(schema.DataSourceSchemas) || len(meta.Functions) != len(schema.Functions) {
		t.Errorf("GetMetadata: %d resources, %d data sources, %d functions, diagnostics %v",
			len(meta.Resources), len(meta.DataSources), len(meta.Functions), meta.Diagnostics)
	}
	if meta.Resources[0].TypeName != "aws_cloudwatch_log_group" {
		t.Errorf("resources are not sorted: first is %s", meta.Resources[0].TypeName)
	}
	fns, err := s.GetFunctions(ctx, &tfprotov6.GetFunctionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fns.Diagnostics) > 0 || fns.Functions["arn_build"] == nil {
		t.Errorf("GetFunctions = %+v", fns)
	}
	ids, err := s.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids.Diagnostics) > 0 {
		t.Errorf("GetResourceIdentitySchemas: %v", ids.Diagnostics)
	}

	var diags [][]*tfprotov6.Diagnostic
	vp, err := s.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{})
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, vp.Diagnostics)
	cp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{})
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, cp.Diagnostics)
	vr, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "aws_vpc"})
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, vr.Diagnostics)
	vd, err := s.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "aws_region"})
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, vd.Diagnostics)
	ve, err := s.ValidateEphemeralResourceConfig(ctx, &tfprotov6.ValidateEphemeralResourceConfigRequest{TypeName: "x"})
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, ve.Diagnostics)
	for i, d := range diags {
		if len(d) > 0 {
			t.Errorf("call %d: unexpected diagnostics %v", i, d[0])
		}
	}
	stop, err := s.StopProvider(ctx, &tfprotov6.StopProviderRequest{})
	if err != nil || stop.Error != "" {
		t.Errorf("StopProvider = %+v, %v", stop, err)
	}
}

func TestUpgradeResourceState(t *testing.T) {
	ctx := t.Context()
	s := New(loadTestdata(t))
	schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.ResourceSchemas["aws_vpc"].ValueType()

	// A state with an attribute the schema does not have (any more).
	raw := []byte(`{"id": "vpc-0123", "cidr_block": "10.64.0.0/16", "tags": {"env": "prod"}, "retired_attribute": true}`)
	resp, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "aws_vpc",
		Version:  1,
		RawState: &tfprotov6.RawState{JSON: raw},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %v", resp.Diagnostics[0])
	}
	val, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := val.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var cidr string
	if err := attrs["cidr_block"].As(&cidr); err != nil || cidr != "10.64.0.0/16" {
		t.Errorf("cidr_block = %q, %v", cidr, err)
	}
	if !attrs["arn"].IsNull() {
		t.Errorf("arn = %s, want null", attrs["arn"])
	}
	if _, ok := attrs["retired_attribute"]; ok {
		t.Error("retired_attribute survived")
	}

	empty, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: "aws_vpc"})
	if err != nil || len(empty.Diagnostics) > 0 || empty.UpgradedState != nil {
		t.Errorf("no raw state: %+v, %v", empty, err)
	}
	for name, req := range map[string]*tfprotov6.UpgradeResourceStateRequest{
		"unknown type": {TypeName: "aws_nope", RawState: &tfprotov6.RawState{JSON: raw}},
		"flatmap":      {TypeName: "aws_vpc", RawState: &tfprotov6.RawState{Flatmap: map[string]string{"id": "vpc-0123"}}},
		"wrong type":   {TypeName: "aws_vpc", RawState: &tfprotov6.RawState{JSON: []byte(`{"tags": "nope"}`)}},
	} {
		resp, err := s.UpgradeResourceState(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError {
			t.Errorf("%s: diagnostics %v, want one error", name, resp.Diagnostics)
		}
	}
}

package schemaprovider

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// testdataSchema is the trimmed aws 6.47.1 schema kept with the tests.
const testdataSchema = "testdata/aws-6.47.1.json.gz"

// testdataSchemas are all the trimmed aws schemas kept with the tests: the
// last 5.x release and a recent 6.x one, which the generated module is
// validated against.
var testdataSchemas = []string{"testdata/aws-5.100.0.json.gz", testdataSchema}

// loadTestdata loads the trimmed aws schema.
func loadTestdata(t *testing.T) *tfjson.ProviderSchema {
	t.Helper()
	return loadSchemaFile(t, testdataSchema, "hashicorp/aws")
}

// loadSchemaFile loads the schema of provider source from path.
func loadSchemaFile(t *testing.T, path, source string) *tfjson.ProviderSchema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemas, err := Load(f)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	schema, err := Lookup(schemas, source)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", source, err)
	}
	return schema
}

// findAttribute returns the attribute name of block, or fails.
func findAttribute(t *testing.T, block *tfprotov6.SchemaBlock, name string) *tfprotov6.SchemaAttribute {
	t.Helper()
	for _, a := range block.Attributes {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("attribute %q not found", name)
	return nil
}

// findBlock returns the nested block type name of block, or fails.
func findBlock(t *testing.T, block *tfprotov6.SchemaBlock, name string) *tfprotov6.SchemaNestedBlock {
	t.Helper()
	for _, b := range block.BlockTypes {
		if b.TypeName == name {
			return b
		}
	}
	t.Fatalf("block type %q not found", name)
	return nil
}

func TestConvertType(t *testing.T) {
	tests := []struct {
		name string
		in   cty.Type
		want tftypes.Type
	}{
		{"string", cty.String, tftypes.String},
		{"number", cty.Number, tftypes.Number},
		{"bool", cty.Bool, tftypes.Bool},
		{"dynamic", cty.DynamicPseudoType, tftypes.DynamicPseudoType},
		{"list", cty.List(cty.String), tftypes.List{ElementType: tftypes.String}},
		{"set", cty.Set(cty.Number), tftypes.Set{ElementType: tftypes.Number}},
		{"map", cty.Map(cty.Bool), tftypes.Map{ElementType: tftypes.Bool}},
		{"map of dynamic", cty.Map(cty.DynamicPseudoType), tftypes.Map{ElementType: tftypes.DynamicPseudoType}},
		{"tuple", cty.Tuple([]cty.Type{cty.String, cty.Number}),
			tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Number}}},
		{"empty tuple", cty.EmptyTuple, tftypes.Tuple{ElementTypes: []tftypes.Type{}}},
		{"empty object", cty.EmptyObject, tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}},
		{"object", cty.Object(map[string]cty.Type{"a": cty.String, "b": cty.List(cty.Number)}),
			tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.List{ElementType: tftypes.Number}}}},
		{"object with optional attributes",
			cty.ObjectWithOptionalAttrs(map[string]cty.Type{"a": cty.String, "b": cty.Number}, []string{"b"}),
			tftypes.Object{
				AttributeTypes:     map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.Number},
				OptionalAttributes: map[string]struct{}{"b": {}},
			}},
		{"nested collections",
			cty.List(cty.Set(cty.Object(map[string]cty.Type{"m": cty.Map(cty.Tuple([]cty.Type{cty.Bool}))}))),
			tftypes.List{ElementType: tftypes.Set{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
				"m": tftypes.Map{ElementType: tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.Bool}}},
			}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ConvertType(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Is(tt.want) {
				t.Errorf("ConvertType(%#v) = %s, want %s", tt.in, got, tt.want)
			}
			checkType(t, tt.in, got)
		})
	}

	if _, err := ConvertType(cty.NilType); err == nil {
		t.Error("ConvertType(NilType) succeeded")
	}
	capsule := cty.Capsule("thing", nil)
	if _, err := ConvertType(capsule); err == nil {
		t.Error("ConvertType(capsule) succeeded")
	}
}

// checkType checks that typ is a valid tftypes type: its wire form, the
// JSON that tf6server sends Terraform, parses back to the same tftypes type
// and, when src is known, to the cty type it was converted from.
func checkType(t *testing.T, src cty.Type, typ tftypes.Type) {
	t.Helper()
	if typ == nil {
		t.Fatal("nil type")
	}
	wire, err := typ.MarshalJSON() //nolint:staticcheck // the wire form is what Terraform sees
	if err != nil {
		t.Fatalf("%s: MarshalJSON: %v", typ, err)
	}
	back, err := tftypes.ParseJSONType(wire) //nolint:staticcheck // the protocol's own parser
	if err != nil {
		t.Fatalf("%s: ParseJSONType(%s): %v", typ, wire, err)
	}
	if !back.Is(typ) {
		t.Errorf("%s does not survive the wire: %s", typ, wire)
	}
	if src == cty.NilType {
		return
	}
	var got cty.Type
	if err := got.UnmarshalJSON(wire); err != nil {
		t.Fatalf("%s: cty cannot read %s: %v", typ, wire, err)
	}
	if !got.Equals(src) {
		t.Errorf("wire type %s is %#v in cty, want %#v", wire, got, src)
	}
}

func TestGetProviderSchema(t *testing.T) {
	resp, err := New(loadTestdata(t)).GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %v", resp.Diagnostics[0])
	}

	vpc := resp.ResourceSchemas["aws_vpc"]
	if vpc == nil {
		t.Fatal("no aws_vpc")
	}
	if vpc.Version != 1 {
		t.Errorf("aws_vpc version = %d, want 1", vpc.Version)
	}
	cidr := findAttribute(t, vpc.Block, "cidr_block")
	if !cidr.Type.Is(tftypes.String) || !cidr.Optional || cidr.Required || !cidr.Computed {
		t.Errorf("aws_vpc.cidr_block = %+v, want an optional, computed string", cidr)
	}
	tags := findAttribute(t, vpc.Block, "tags")
	if !tags.Type.Is(tftypes.Map{ElementType: tftypes.String}) {
		t.Errorf("aws_vpc.tags type = %s", tags.Type)
	}

	ng := resp.ResourceSchemas["aws_eks_node_group"]
	if ng == nil {
		t.Fatal("no aws_eks_node_group")
	}
	for _, name := range []string{"cluster_name", "node_role_arn", "subnet_ids"} {
		if a := findAttribute(t, ng.Block, name); !a.Required {
			t.Errorf("aws_eks_node_group.%s is not required", name)
		}
	}
	if a := findAttribute(t, ng.Block, "subnet_ids"); !a.Type.Is(tftypes.Set{ElementType: tftypes.String}) {
		t.Errorf("aws_eks_node_group.subnet_ids type = %s", a.Type)
	}
	sc := findBlock(t, ng.Block, "scaling_config")
	if sc.Nesting != tfprotov6.SchemaNestedBlockNestingModeList || sc.MinItems != 1 || sc.MaxItems != 1 {
		t.Errorf("scaling_config = %s min %d max %d, want LIST min 1 max 1", sc.Nesting, sc.MinItems, sc.MaxItems)
	}
	if a := findAttribute(t, sc.Block, "desired_size"); !a.Required || !a.Type.Is(tftypes.Number) {
		t.Errorf("scaling_config.desired_size = %+v, want a required number", a)
	}
	taint := findBlock(t, ng.Block, "taint")
	if taint.Nesting != tfprotov6.SchemaNestedBlockNestingModeSet || taint.MinItems != 0 || taint.MaxItems != 50 {
		t.Errorf("taint = %s min %d max %d, want SET min 0 max 50", taint.Nesting, taint.MinItems, taint.MaxItems)
	}
	if timeouts := findBlock(t, ng.Block, "timeouts"); timeouts.Nesting != tfprotov6.SchemaNestedBlockNestingModeSingle {
		t.Errorf("timeouts nesting = %s, want SINGLE", timeouts.Nesting)
	}

	kms := resp.ResourceSchemas["aws_kms_key"]
	if kms == nil {
		t.Fatal("no aws_kms_key")
	}
	if a := findAttribute(t, kms.Block, "rotation_period_in_days"); !a.Type.Is(tftypes.Number) || !a.Optional {
		t.Errorf("aws_kms_key.rotation_period_in_days = %+v, want an optional number", a)
	}

	role := resp.ResourceSchemas["aws_iam_role"]
	if a := findAttribute(t, role.Block, "managed_policy_arns"); !a.Deprecated {
		t.Error("aws_iam_role.managed_policy_arns is not deprecated")
	}
	if b := findBlock(t, role.Block, "inline_policy"); !b.Block.Deprecated {
		t.Error("aws_iam_role.inline_policy is not deprecated")
	}

	region := findAttribute(t, resp.Provider.Block, "region")
	if !region.Type.Is(tftypes.String) || !region.Optional {
		t.Errorf("provider region = %+v, want an optional string", region)
	}
	ar := findBlock(t, resp.Provider.Block, "assume_role")
	if ar.Nesting != tfprotov6.SchemaNestedBlockNestingModeList {
		t.Errorf("assume_role nesting = %s, want LIST", ar.Nesting)
	}
	findAttribute(t, ar.Block, "role_arn")

	for _, name := range []string{"aws_caller_identity", "aws_partition", "aws_region", "aws_availability_zones"} {
		if resp.DataSourceSchemas[name] == nil {
			t.Errorf("no data source %s", name)
		}
	}
	if f := resp.Functions["arn_parse"]; f == nil || len(f.Parameters) != 1 || f.Return == nil {
		t.Errorf("function arn_parse = %+v", f)
	}
}

// TestRoundTrip converts every schema back to its JSON form and compares it
// with the input, which shows that the conversion keeps everything the
// protocol can carry.
func TestRoundTrip(t *testing.T) {
	for _, path := range testdataSchemas {
		t.Run(filepath.Base(path), func(t *testing.T) {
			checkRoundTrip(t, loadSchemaFile(t, path, "hashicorp/aws"))
		})
	}
}

// TestRealSchemas converts the full schemas of the official providers when
// the shared schema directory is present (it is not part of the
// repository).
func TestRealSchemas(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: converts the full provider schemas")
	}
	for _, tc := range []struct{ file, source string }{
		{"aws-6.47.1.json.gz", "hashicorp/aws"},
		{"google-8.0.0.json.gz", "hashicorp/google"},
		{"azurerm-5.2.0.json.gz", "hashicorp/azurerm"},
	} {
		t.Run(tc.source, func(t *testing.T) {
			path := filepath.Join("..", "..", "..", "shared", "schemas", tc.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("full schema not available: %v", err)
			}
			checkRoundTrip(t, loadSchemaFile(t, path, tc.source))
		})
	}
}

// checkRoundTrip converts schema, checks every type, and checks that the
// conversion reverses to the input.
func checkRoundTrip(t *testing.T, schema *tfjson.ProviderSchema) {
	t.Helper()
	s, err := newServer(schema)
	if err != nil {
		t.Fatal(err)
	}
	compare := func(what string, in *tfjson.Schema, out *tfprotov6.Schema) {
		t.Helper()
		// The value type of the whole schema is what Terraform decodes
		// configuration and state with; nested parts are checked below.
		checkType(t, cty.NilType, out.ValueType())
		checkBlockTypes(t, what, in.Block, out.Block)
		want, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(unconvertSchema(out))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s does not round-trip:\n got %s\nwant %s", what, got, want)
		}
	}
	compare("provider", schema.ConfigSchema, s.provider)
	for name, in := range schema.ResourceSchemas {
		compare("resource "+name, in, s.resources[name])
	}
	for name, in := range schema.DataSourceSchemas {
		compare("data source "+name, in, s.dataSources[name])
	}
	for name, in := range schema.EphemeralResourceSchemas {
		compare("ephemeral resource "+name, in, s.ephemeralResources[name])
	}
	for name, in := range schema.Functions {
		out := s.functions[name]
		checkType(t, in.ReturnType, out.Return.Type)
		if len(out.Parameters) != len(in.Parameters) {
			t.Errorf("function %s has %d parameters, want %d", name, len(out.Parameters), len(in.Parameters))
			continue
		}
		for i, p := range in.Parameters {
			checkType(t, p.Type, out.Parameters[i].Type)
			if out.Parameters[i].Name != p.Name || out.Parameters[i].AllowNullValue != p.IsNullable {
				t.Errorf("function %s parameter %d = %+v, want %+v", name, i, out.Parameters[i], p)
			}
		}
	}
	t.Logf("%d resources, %d data sources, %d ephemeral resources, %d functions",
		len(s.resources), len(s.dataSources), len(s.ephemeralResources), len(s.functions))
}

// checkBlockTypes checks every attribute type in a converted block against
// its source.
func checkBlockTypes(t *testing.T, what string, in *tfjson.SchemaBlock, out *tfprotov6.SchemaBlock) {
	t.Helper()
	for _, a := range out.Attributes {
		src := in.Attributes[a.Name]
		if a.NestedType != nil {
			checkBlockTypes(t, what+"."+a.Name, &tfjson.SchemaBlock{Attributes: src.AttributeNestedType.Attributes},
				&tfprotov6.SchemaBlock{Attributes: a.NestedType.Attributes})
			continue
		}
		checkType(t, src.AttributeType, a.Type)
	}
	for _, b := range out.BlockTypes {
		checkBlockTypes(t, what+"."+b.TypeName, in.NestedBlocks[b.TypeName].Block, b.Block)
	}
}

// unconvertSchema converts a protocol schema back to the JSON form.
func unconvertSchema(s *tfprotov6.Schema) *tfjson.Schema {
	return &tfjson.Schema{Version: uint64(s.Version), Block: unconvertBlock(s.Block)}
}

func unconvertBlock(b *tfprotov6.SchemaBlock) *tfjson.SchemaBlock {
	out := &tfjson.SchemaBlock{
		Description:     b.Description,
		DescriptionKind: unconvertKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	if len(b.Attributes) > 0 {
		out.Attributes = unconvertAttributes(b.Attributes)
	}
	if len(b.BlockTypes) > 0 {
		out.NestedBlocks = map[string]*tfjson.SchemaBlockType{}
	}
	modes := map[tfprotov6.SchemaNestedBlockNestingMode]tfjson.SchemaNestingMode{
		tfprotov6.SchemaNestedBlockNestingModeSingle: tfjson.SchemaNestingModeSingle,
		tfprotov6.SchemaNestedBlockNestingModeGroup:  tfjson.SchemaNestingModeGroup,
		tfprotov6.SchemaNestedBlockNestingModeList:   tfjson.SchemaNestingModeList,
		tfprotov6.SchemaNestedBlockNestingModeSet:    tfjson.SchemaNestingModeSet,
		tfprotov6.SchemaNestedBlockNestingModeMap:    tfjson.SchemaNestingModeMap,
	}
	for _, bt := range b.BlockTypes {
		out.NestedBlocks[bt.TypeName] = &tfjson.SchemaBlockType{
			NestingMode: modes[bt.Nesting],
			Block:       unconvertBlock(bt.Block),
			MinItems:    uint64(bt.MinItems),
			MaxItems:    uint64(bt.MaxItems),
		}
	}
	return out
}

func unconvertAttributes(attrs []*tfprotov6.SchemaAttribute) map[string]*tfjson.SchemaAttribute {
	modes := map[tfprotov6.SchemaObjectNestingMode]tfjson.SchemaNestingMode{
		tfprotov6.SchemaObjectNestingModeSingle: tfjson.SchemaNestingModeSingle,
		tfprotov6.SchemaObjectNestingModeList:   tfjson.SchemaNestingModeList,
		tfprotov6.SchemaObjectNestingModeSet:    tfjson.SchemaNestingModeSet,
		tfprotov6.SchemaObjectNestingModeMap:    tfjson.SchemaNestingModeMap,
	}
	out := map[string]*tfjson.SchemaAttribute{}
	for _, a := range attrs {
		ua := &tfjson.SchemaAttribute{
			Description:     a.Description,
			DescriptionKind: unconvertKind(a.DescriptionKind),
			Deprecated:      a.Deprecated,
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			WriteOnly:       a.WriteOnly,
		}
		if a.NestedType != nil {
			ua.AttributeNestedType = &tfjson.SchemaNestedAttributeType{
				Attributes:  unconvertAttributes(a.NestedType.Attributes),
				NestingMode: modes[a.NestedType.Nesting],
			}
		} else {
			wire, _ := a.Type.MarshalJSON() //nolint:staticcheck // the wire form is what Terraform sees
			if err := ua.AttributeType.UnmarshalJSON(wire); err != nil {
				panic(err)
			}
		}
		out[a.Name] = ua
	}
	return out
}

func unconvertKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

// syntheticSchema exercises what the aws schema does not: nested attribute
// types, single, group and map blocks, sensitive and write-only attributes,
// markdown descriptions, tuples, dynamic types and optional object
// attributes.
const syntheticSchema = `{
  "format_version": "1.0",
  "provider_schemas": {
    "example.com/acme/thing": {
      "provider": {"version": 0, "block": {"attributes": {
        "token": {"type": "string", "optional": true, "sensitive": true, "description_kind": "plain"}
      }, "description_kind": "plain"}},
      "resource_schemas": {
        "thing_widget": {"version": 3, "block": {
          "description": "A *widget*.", "description_kind": "markdown",
          "attributes": {
            "id": {"type": "string", "computed": true, "description_kind": "plain"},
            "secret": {"type": "string", "optional": true, "write_only": true, "description_kind": "plain"},
            "any": {"type": "dynamic", "optional": true, "description_kind": "plain"},
            "pair": {"type": ["tuple", ["string", "number"]], "optional": true, "description_kind": "plain"},
            "opts": {"type": ["object", {"a": "string", "b": ["list", "number"]}, ["b"]], "optional": true, "description_kind": "plain"},
            "single": {"nested_type": {"nesting_mode": "single", "attributes": {
              "x": {"type": "string", "required": true, "description_kind": "plain"}}}, "optional": true, "description_kind": "plain"},
            "many": {"nested_type": {"nesting_mode": "list", "attributes": {
              "y": {"type": "number", "optional": true, "description_kind": "plain"},
              "deep": {"nested_type": {"nesting_mode": "set", "attributes": {
                "z": {"type": "bool", "computed": true, "description_kind": "plain"}}}, "computed": true, "description_kind": "plain"}}},
              "required": true, "description_kind": "plain"},
            "named": {"nested_type": {"nesting_mode": "map", "attributes": {
              "v": {"type": "string", "optional": true, "deprecated": true, "description_kind": "plain"}}}, "optional": true, "description_kind": "plain"}
          },
          "block_types": {
            "one": {"nesting_mode": "single", "block": {"attributes": {
              "a": {"type": "string", "required": true, "description_kind": "plain"}}, "description_kind": "plain"}},
            "grp": {"nesting_mode": "group", "block": {"attributes": {
              "b": {"type": "string", "optional": true, "description_kind": "plain"}}, "description_kind": "plain"}},
            "byname": {"nesting_mode": "map", "block": {"attributes": {
              "c": {"type": "string", "optional": true, "description_kind": "plain"}}, "description_kind": "plain", "deprecated": true}},
            "rules": {"nesting_mode": "set", "min_items": 2, "max_items": 5, "block": {"description_kind": "plain",
              "block_types": {"inner": {"nesting_mode": "list", "max_items": 1, "block": {"attributes": {
                "d": {"type": ["map", "string"], "optional": true, "description_kind": "plain"}}, "description_kind": "plain"}}}}}
          }
        }}
      },
      "functions": {
        "join_all": {"summary": "Join.", "description": "Joins.", "return_type": "string",
          "parameters": [{"name": "sep", "type": "string", "is_nullable": true}],
          "variadic_parameter": {"name": "parts", "type": ["list", "string"]}}
      }
    }
  }
}`

func TestSyntheticSchema(t *testing.T) {
	schemas, err := Load(bytes.NewReader([]byte(syntheticSchema)))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := Lookup(schemas, "example.com/acme/thing")
	if err != nil {
		t.Fatal(err)
	}
	checkRoundTrip(t, schema)

	resp, err := New(schema).GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %v", resp.Diagnostics[0])
	}
	if a := findAttribute(t, resp.Provider.Block, "token"); !a.Sensitive {
		t.Error("token is not sensitive")
	}
	w := resp.ResourceSchemas["thing_widget"]
	if w.Version != 3 || w.Block.DescriptionKind != tfprotov6.StringKindMarkdown {
		t.Errorf("thing_widget version %d kind %v", w.Version, w.Block.DescriptionKind)
	}
	if a := findAttribute(t, w.Block, "secret"); !a.WriteOnly {
		t.Error("secret is not write-only")
	}
	if a := findAttribute(t, w.Block, "opts"); !a.Type.Is(tftypes.Object{
		AttributeTypes:     map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.List{ElementType: tftypes.Number}},
		OptionalAttributes: map[string]struct{}{"b": {}},
	}) {
		t.Errorf("opts type = %s", a.Type)
	}
	for name, want := range map[string]tfprotov6.SchemaObjectNestingMode{
		"single": tfprotov6.SchemaObjectNestingModeSingle,
		"many":   tfprotov6.SchemaObjectNestingModeList,
		"named":  tfprotov6.SchemaObjectNestingModeMap,
	} {
		if a := findAttribute(t, w.Block, name); a.NestedType == nil || a.NestedType.Nesting != want || a.Type != nil {
			t.Errorf("%s = %+v, want nested type %s", name, a, want)
		}
	}
	deep := findAttribute(t, &tfprotov6.SchemaBlock{Attributes: findAttribute(t, w.Block, "many").NestedType.Attributes}, "deep")
	if deep.NestedType.Nesting != tfprotov6.SchemaObjectNestingModeSet || !deep.Computed {
		t.Errorf("many.deep = %+v", deep)
	}
	for name, want := range map[string]tfprotov6.SchemaNestedBlockNestingMode{
		"one":    tfprotov6.SchemaNestedBlockNestingModeSingle,
		"grp":    tfprotov6.SchemaNestedBlockNestingModeGroup,
		"byname": tfprotov6.SchemaNestedBlockNestingModeMap,
		"rules":  tfprotov6.SchemaNestedBlockNestingModeSet,
	} {
		if b := findBlock(t, w.Block, name); b.Nesting != want {
			t.Errorf("block %s nesting = %s, want %s", name, b.Nesting, want)
		}
	}
	if rules := findBlock(t, w.Block, "rules"); rules.MinItems != 2 || rules.MaxItems != 5 {
		t.Errorf("rules min %d max %d", rules.MinItems, rules.MaxItems)
	}
	f := resp.Functions["join_all"]
	if f == nil || f.VariadicParameter == nil || !f.VariadicParameter.Type.Is(tftypes.List{ElementType: tftypes.String}) ||
		!f.Parameters[0].AllowNullValue || f.Summary != "Join." {
		t.Errorf("join_all = %+v", f)
	}
}

func TestConvertErrors(t *testing.T) {
	for name, schema := range map[string]*tfjson.ProviderSchema{
		"nil": nil,
		"bad nesting": {ResourceSchemas: map[string]*tfjson.Schema{"x": {Block: &tfjson.SchemaBlock{
			NestedBlocks: map[string]*tfjson.SchemaBlockType{"b": {NestingMode: "bogus", Block: &tfjson.SchemaBlock{}}},
		}}}},
		"untyped attribute": {DataSourceSchemas: map[string]*tfjson.Schema{"x": {Block: &tfjson.SchemaBlock{
			Attributes: map[string]*tfjson.SchemaAttribute{"a": {Optional: true}},
		}}}},
		"type and nested type": {ResourceSchemas: map[string]*tfjson.Schema{"x": {Block: &tfjson.SchemaBlock{
			Attributes: map[string]*tfjson.SchemaAttribute{"a": {
				AttributeType:       cty.String,
				AttributeNestedType: &tfjson.SchemaNestedAttributeType{NestingMode: tfjson.SchemaNestingModeSingle},
			}},
		}}}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := newServer(schema); err == nil {
				t.Fatal("conversion succeeded")
			}
			// New reports the failure to Terraform instead.
			resp, err := New(schema).GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError {
				t.Fatalf("diagnostics = %v, want one error", resp.Diagnostics)
			}
			t.Log(resp.Diagnostics[0].Detail)
		})
	}
}

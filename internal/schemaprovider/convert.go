package schemaprovider

import (
	"fmt"
	"sort"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// ConvertType converts a cty type, as found in schema JSON, to the
// equivalent tftypes type: primitives, the dynamic pseudo-type, lists, sets,
// maps, tuples and objects, including the optional attributes of object
// type constraints. Capsule types have no JSON form and are rejected.
func ConvertType(t cty.Type) (tftypes.Type, error) {
	switch {
	case t == cty.NilType:
		return nil, fmt.Errorf("missing type")
	case t == cty.DynamicPseudoType:
		return tftypes.DynamicPseudoType, nil
	case t == cty.String:
		return tftypes.String, nil
	case t == cty.Number:
		return tftypes.Number, nil
	case t == cty.Bool:
		return tftypes.Bool, nil
	case t.IsListType():
		elem, err := ConvertType(t.ElementType())
		if err != nil {
			return nil, fmt.Errorf("list element: %w", err)
		}
		return tftypes.List{ElementType: elem}, nil
	case t.IsSetType():
		elem, err := ConvertType(t.ElementType())
		if err != nil {
			return nil, fmt.Errorf("set element: %w", err)
		}
		return tftypes.Set{ElementType: elem}, nil
	case t.IsMapType():
		elem, err := ConvertType(t.ElementType())
		if err != nil {
			return nil, fmt.Errorf("map element: %w", err)
		}
		return tftypes.Map{ElementType: elem}, nil
	case t.IsTupleType():
		elems := make([]tftypes.Type, 0, t.Length())
		for i, et := range t.TupleElementTypes() {
			elem, err := ConvertType(et)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			elems = append(elems, elem)
		}
		return tftypes.Tuple{ElementTypes: elems}, nil
	case t.IsObjectType():
		attrs := make(map[string]tftypes.Type, len(t.AttributeTypes()))
		var optional map[string]struct{}
		for name, at := range t.AttributeTypes() {
			attr, err := ConvertType(at)
			if err != nil {
				return nil, fmt.Errorf("object attribute %q: %w", name, err)
			}
			attrs[name] = attr
			if t.AttributeOptional(name) {
				if optional == nil {
					optional = make(map[string]struct{})
				}
				optional[name] = struct{}{}
			}
		}
		return tftypes.Object{AttributeTypes: attrs, OptionalAttributes: optional}, nil
	default:
		return nil, fmt.Errorf("type %s cannot be represented in the plugin protocol", t.FriendlyName())
	}
}

// ConvertSchema converts a resource, data source or provider configuration
// schema from its JSON form to the protocol form, keeping the schema
// version.
func ConvertSchema(s *tfjson.Schema) (*tfprotov6.Schema, error) {
	if s == nil {
		return nil, fmt.Errorf("missing schema")
	}
	block, err := convertBlock(s.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.Schema{Version: int64(s.Version), Block: block}, nil
}

// convertBlock converts a block with its attributes and nested block types.
// Attributes and block types are sorted by name so that the result does not
// depend on map iteration order. The JSON form carries no deprecation
// message for blocks, so only the Deprecated flag is kept.
func convertBlock(b *tfjson.SchemaBlock) (*tfprotov6.SchemaBlock, error) {
	out := &tfprotov6.SchemaBlock{}
	if b == nil {
		return out, nil
	}
	out.Description = b.Description
	out.DescriptionKind = convertDescriptionKind(b.DescriptionKind)
	out.Deprecated = b.Deprecated

	attrs, err := convertAttributes(b.Attributes)
	if err != nil {
		return nil, err
	}
	out.Attributes = attrs

	for _, name := range sortedKeys(b.NestedBlocks) {
		nb, err := convertNestedBlock(name, b.NestedBlocks[name])
		if err != nil {
			return nil, fmt.Errorf("block %q: %w", name, err)
		}
		out.BlockTypes = append(out.BlockTypes, nb)
	}
	return out, nil
}

// convertNestedBlock converts a nested block type with its nesting mode and
// item limits.
func convertNestedBlock(name string, bt *tfjson.SchemaBlockType) (*tfprotov6.SchemaNestedBlock, error) {
	if bt == nil {
		return nil, fmt.Errorf("missing block type")
	}
	var nesting tfprotov6.SchemaNestedBlockNestingMode
	switch bt.NestingMode {
	case tfjson.SchemaNestingModeSingle:
		nesting = tfprotov6.SchemaNestedBlockNestingModeSingle
	case tfjson.SchemaNestingModeGroup:
		nesting = tfprotov6.SchemaNestedBlockNestingModeGroup
	case tfjson.SchemaNestingModeList:
		nesting = tfprotov6.SchemaNestedBlockNestingModeList
	case tfjson.SchemaNestingModeSet:
		nesting = tfprotov6.SchemaNestedBlockNestingModeSet
	case tfjson.SchemaNestingModeMap:
		nesting = tfprotov6.SchemaNestedBlockNestingModeMap
	default:
		return nil, fmt.Errorf("unknown nesting mode %q", bt.NestingMode)
	}
	block, err := convertBlock(bt.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.SchemaNestedBlock{
		TypeName: name,
		Block:    block,
		Nesting:  nesting,
		MinItems: int64(bt.MinItems),
		MaxItems: int64(bt.MaxItems),
	}, nil
}

// convertAttributes converts a set of attributes, sorted by name.
func convertAttributes(attrs map[string]*tfjson.SchemaAttribute) ([]*tfprotov6.SchemaAttribute, error) {
	out := make([]*tfprotov6.SchemaAttribute, 0, len(attrs))
	for _, name := range sortedKeys(attrs) {
		a, err := convertAttribute(name, attrs[name])
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// convertAttribute converts one attribute, either with a type or with a
// nested attribute type. The JSON form carries no deprecation message, so
// only the Deprecated flag is kept.
func convertAttribute(name string, a *tfjson.SchemaAttribute) (*tfprotov6.SchemaAttribute, error) {
	if a == nil {
		return nil, fmt.Errorf("missing attribute")
	}
	out := &tfprotov6.SchemaAttribute{
		Name:            name,
		Description:     a.Description,
		DescriptionKind: convertDescriptionKind(a.DescriptionKind),
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		Deprecated:      a.Deprecated,
		WriteOnly:       a.WriteOnly,
	}
	switch {
	case a.AttributeNestedType != nil && a.AttributeType != cty.NilType:
		return nil, fmt.Errorf("both a type and a nested type")
	case a.AttributeNestedType != nil:
		nested, err := convertNestedType(a.AttributeNestedType)
		if err != nil {
			return nil, err
		}
		out.NestedType = nested
	default:
		t, err := ConvertType(a.AttributeType)
		if err != nil {
			return nil, err
		}
		out.Type = t
	}
	return out, nil
}

// convertNestedType converts a nested attribute type. Protocol 6 has no
// place for the min_items and max_items of a nested attribute (Terraform
// ignores them), so they are dropped.
func convertNestedType(n *tfjson.SchemaNestedAttributeType) (*tfprotov6.SchemaObject, error) {
	var nesting tfprotov6.SchemaObjectNestingMode
	switch n.NestingMode {
	case tfjson.SchemaNestingModeSingle:
		nesting = tfprotov6.SchemaObjectNestingModeSingle
	case tfjson.SchemaNestingModeList:
		nesting = tfprotov6.SchemaObjectNestingModeList
	case tfjson.SchemaNestingModeSet:
		nesting = tfprotov6.SchemaObjectNestingModeSet
	case tfjson.SchemaNestingModeMap:
		nesting = tfprotov6.SchemaObjectNestingModeMap
	default:
		return nil, fmt.Errorf("unknown nested attribute nesting mode %q", n.NestingMode)
	}
	attrs, err := convertAttributes(n.Attributes)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.SchemaObject{Attributes: attrs, Nesting: nesting}, nil
}

// convertDescriptionKind maps the JSON description kind to the protocol's.
func convertDescriptionKind(k tfjson.SchemaDescriptionKind) tfprotov6.StringKind {
	if k == tfjson.SchemaDescriptionKindMarkdown {
		return tfprotov6.StringKindMarkdown
	}
	return tfprotov6.StringKindPlain
}

// ConvertFunction converts a provider-defined function signature. The JSON
// form does not record whether a parameter accepts unknown values, so every
// converted parameter rejects them (the protocol default); Terraform then
// never passes unknown values to the function, which does not matter for a
// provider that cannot run functions anyway.
func ConvertFunction(f *tfjson.FunctionSignature) (*tfprotov6.Function, error) {
	if f == nil {
		return nil, fmt.Errorf("missing function signature")
	}
	ret, err := ConvertType(f.ReturnType)
	if err != nil {
		return nil, fmt.Errorf("return type: %w", err)
	}
	out := &tfprotov6.Function{
		Return:             &tfprotov6.FunctionReturn{Type: ret},
		Summary:            f.Summary,
		Description:        f.Description,
		DescriptionKind:    tfprotov6.StringKindPlain,
		DeprecationMessage: f.DeprecationMessage,
	}
	for i, p := range f.Parameters {
		param, err := convertFunctionParameter(p)
		if err != nil {
			return nil, fmt.Errorf("parameter %d: %w", i, err)
		}
		out.Parameters = append(out.Parameters, param)
	}
	if f.VariadicParameter != nil {
		param, err := convertFunctionParameter(f.VariadicParameter)
		if err != nil {
			return nil, fmt.Errorf("variadic parameter: %w", err)
		}
		out.VariadicParameter = param
	}
	return out, nil
}

// convertFunctionParameter converts one function parameter.
func convertFunctionParameter(p *tfjson.FunctionParameter) (*tfprotov6.FunctionParameter, error) {
	if p == nil {
		return nil, fmt.Errorf("missing parameter")
	}
	t, err := ConvertType(p.Type)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.FunctionParameter{
		Name:            p.Name,
		Type:            t,
		AllowNullValue:  p.IsNullable,
		Description:     p.Description,
		DescriptionKind: tfprotov6.StringKindPlain,
	}, nil
}

// ConvertIdentitySchema converts a resource identity schema. Attributes are
// sorted by name.
func ConvertIdentitySchema(s *tfjson.IdentitySchema) (*tfprotov6.ResourceIdentitySchema, error) {
	if s == nil {
		return nil, fmt.Errorf("missing identity schema")
	}
	out := &tfprotov6.ResourceIdentitySchema{Version: int64(s.Version)}
	for _, name := range sortedKeys(s.Attributes) {
		a := s.Attributes[name]
		if a == nil {
			return nil, fmt.Errorf("identity attribute %q: missing", name)
		}
		t, err := ConvertType(a.IdentityType)
		if err != nil {
			return nil, fmt.Errorf("identity attribute %q: %w", name, err)
		}
		out.IdentityAttributes = append(out.IdentityAttributes, &tfprotov6.ResourceIdentitySchemaAttribute{
			Name:              name,
			Type:              t,
			RequiredForImport: a.RequiredForImport,
			OptionalForImport: a.OptionalForImport,
			Description:       a.Description,
		})
	}
	return out, nil
}

// convertSchemas converts a map of named schemas, naming the failing entry
// in errors.
func convertSchemas(kind string, in map[string]*tfjson.Schema) (map[string]*tfprotov6.Schema, error) {
	out := make(map[string]*tfprotov6.Schema, len(in))
	for _, name := range sortedKeys(in) {
		s, err := ConvertSchema(in[name])
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", kind, name, err)
		}
		out[name] = s
	}
	return out, nil
}

// sortedKeys returns the keys of m in lexical order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

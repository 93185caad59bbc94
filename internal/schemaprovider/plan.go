package schemaprovider

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// PlanEnv is the environment variable that turns on the plan mode in
// tools/schemaprovider: set it to 1 to serve NewWithOptions(schema,
// Options{Plan: true}).
const PlanEnv = "SEGMENTED_SCHEMA_PLAN"

// Options change what the server does beyond serving the schema.
type Options struct {
	// Plan turns on the plan mode, a fixture tool: the server then plans,
	// applies and reads as a provider with no logic and no infrastructure
	// would, so that `terraform plan` and `terraform apply` run offline and
	// `terraform show -json` has a plan or a state to show. Nothing it
	// answers is what the real provider would answer beyond the shape.
	//
	//   - PlanResourceChange, on create, returns the proposed new state with
	//     every computed attribute (computed or optional+computed) that is
	//     null marked unknown, at any depth: in nested blocks and nested
	//     attributes, and inside elements of lists, sets and maps. On create
	//     the proposed state is the configuration, so these are exactly the
	//     computed attributes the configuration leaves null. On update the
	//     proposed state (configuration over prior state, which Terraform
	//     builds) is returned unchanged, so prior computed values are kept;
	//     on destroy the null state is returned.
	//   - ApplyResourceChange returns the planned state with every unknown
	//     value replaced by a placeholder (see Placeholder): the strings
	//     "fake-<attribute>-<hash>", numbers 0, bools false, empty
	//     collections, objects of placeholders. The hash is derived from the
	//     resource type, the known values of the planned state and the
	//     attribute's path, so that the same configuration always gets the
	//     same values.
	//   - ReadDataSource returns the configuration with every computed
	//     attribute that is null replaced by a placeholder, derived in the
	//     same way from the data source type, its configuration and the path:
	//     Terraform requires a data source's result to be wholly known.
	//   - ReadResource returns the current state unchanged.
	//
	// Import, move, identity upgrades, ephemeral resources and functions
	// keep failing with SchemaOnlyMessage.
	Plan bool
}

// NewWithOptions is New with options. New(schema) is
// NewWithOptions(schema, Options{}): the schema-only server that refuses
// to plan.
func NewWithOptions(schema *tfjson.ProviderSchema, opts Options) tfprotov6.ProviderServer {
	s, err := newServer(schema)
	if err != nil {
		return &server{err: err}
	}
	s.plan = opts.Plan
	return s
}

// planResourceChange plans in the plan mode.
func (s *server) planResourceChange(req *tfprotov6.PlanResourceChangeRequest) *tfprotov6.PlanResourceChangeResponse {
	resp := &tfprotov6.PlanResourceChangeResponse{}
	schema, ok := s.resources[req.TypeName]
	if !ok {
		resp.Diagnostics = unknownType("resource", req.TypeName)
		return resp
	}
	typ := withoutOptionalAttributes(schema.ValueType())
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to read the proposed new state", err)
		return resp
	}
	prior := tftypes.NewValue(typ, nil)
	if req.PriorState != nil {
		if prior, err = req.PriorState.Unmarshal(typ); err != nil {
			resp.Diagnostics = errorDiagnostics("Unable to read the prior state", err)
			return resp
		}
	}
	planned := proposed
	if !proposed.IsNull() && prior.IsNull() {
		planned, err = tftypes.Transform(proposed, func(path *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
			if a := schemaAttribute(schema.Block, path); a != nil && a.Computed && v.IsNull() {
				return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
			}
			return v, nil
		})
		if err != nil {
			resp.Diagnostics = errorDiagnostics("Unable to plan", err)
			return resp
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, planned)
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to encode the planned state", err)
		return resp
	}
	resp.PlannedState = &dv
	resp.PlannedPrivate = req.PriorPrivate
	return resp
}

// applyResourceChange applies in the plan mode.
func (s *server) applyResourceChange(req *tfprotov6.ApplyResourceChangeRequest) *tfprotov6.ApplyResourceChangeResponse {
	resp := &tfprotov6.ApplyResourceChangeResponse{}
	schema, ok := s.resources[req.TypeName]
	if !ok {
		resp.Diagnostics = unknownType("resource", req.TypeName)
		return resp
	}
	typ := withoutOptionalAttributes(schema.ValueType())
	planned, err := req.PlannedState.Unmarshal(typ)
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to read the planned state", err)
		return resp
	}
	seed := valueSeed(req.TypeName, planned)
	state, err := tftypes.Transform(planned, func(path *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		return Placeholder(seed, path, v.Type())
	})
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to apply", err)
		return resp
	}
	dv, err := tfprotov6.NewDynamicValue(typ, state)
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to encode the new state", err)
		return resp
	}
	resp.NewState = &dv
	resp.Private = req.PlannedPrivate
	return resp
}

// readDataSource reads in the plan mode.
func (s *server) readDataSource(req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	resp := &tfprotov6.ReadDataSourceResponse{}
	schema, ok := s.dataSources[req.TypeName]
	if !ok {
		resp.Diagnostics = unknownType("data source", req.TypeName)
		return resp
	}
	typ := withoutOptionalAttributes(schema.ValueType())
	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to read the data source configuration", err)
		return resp
	}
	seed := valueSeed(req.TypeName, config)
	state, err := tftypes.Transform(config, func(path *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if a := schemaAttribute(schema.Block, path); a != nil && a.Computed && v.IsNull() {
			return Placeholder(seed, path, v.Type())
		}
		return v, nil
	})
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to read the data source", err)
		return resp
	}
	dv, err := tfprotov6.NewDynamicValue(typ, state)
	if err != nil {
		resp.Diagnostics = errorDiagnostics("Unable to encode the data source state", err)
		return resp
	}
	resp.State = &dv
	return resp
}

// unknownType is the diagnostic for a type name the schema does not have.
func unknownType(kind, name string) []*tfprotov6.Diagnostic {
	return errorDiagnostics("Unknown "+kind+" type", fmt.Errorf("the provider schema has no %s type %q", kind, name))
}

// schemaAttribute returns the attribute of block that path names, or nil
// when path names the block itself, a nested block, an element of a
// collection, or a value inside an attribute of plain type.
func schemaAttribute(block *tfprotov6.SchemaBlock, path *tftypes.AttributePath) *tfprotov6.SchemaAttribute {
	attrs, blocks := block.Attributes, block.BlockTypes
	steps := path.Steps()
	for i := 0; i < len(steps); i++ {
		name, ok := steps[i].(tftypes.AttributeName)
		if !ok {
			return nil
		}
		var next *tfprotov6.SchemaAttribute
		for _, a := range attrs {
			if a.Name == string(name) {
				next = a
			}
		}
		if next != nil {
			if i == len(steps)-1 {
				return next
			}
			if next.NestedType == nil {
				return nil // inside a value of plain type
			}
			attrs, blocks = next.NestedType.Attributes, nil
			if next.NestedType.Nesting != tfprotov6.SchemaObjectNestingModeSingle {
				i++ // the element of the list, set or map
			}
			continue
		}
		var nb *tfprotov6.SchemaNestedBlock
		for _, b := range blocks {
			if b.TypeName == string(name) {
				nb = b
			}
		}
		if nb == nil {
			return nil
		}
		attrs, blocks = nb.Block.Attributes, nb.Block.BlockTypes
		switch nb.Nesting {
		case tfprotov6.SchemaNestedBlockNestingModeList, tfprotov6.SchemaNestedBlockNestingModeSet, tfprotov6.SchemaNestedBlockNestingModeMap:
			i++ // the element
		}
	}
	return nil
}

// valueSeed returns a string that identifies a value of the type name: the
// type name and the value's known primitive leaves with their paths,
// sorted, so that it does not depend on map iteration order.
func valueSeed(typeName string, v tftypes.Value) string {
	var leaves []string
	_ = tftypes.Walk(v, func(path *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		if !v.IsKnown() || v.IsNull() || !v.Type().Is(tftypes.String) && !v.Type().Is(tftypes.Number) && !v.Type().Is(tftypes.Bool) {
			return true, nil
		}
		leaves = append(leaves, path.String()+"="+v.String())
		return true, nil
	})
	sort.Strings(leaves)
	return typeName + "\n" + strings.Join(leaves, "\n")
}

// Placeholder returns the deterministic stand-in value of type typ at path
// that the plan mode puts where real infrastructure would answer: for a
// string "fake-<attribute>-<hash>", the attribute being the last attribute
// name on path and the hash the first 8 hex digits of the SHA-256 of seed
// and path; 0 for a number; false for a bool; an empty list, set or map; an
// object or tuple of placeholders; a null value of the dynamic type.
func Placeholder(seed string, path *tftypes.AttributePath, typ tftypes.Type) (tftypes.Value, error) {
	switch t := typ.(type) {
	case tftypes.Object:
		attrs := make(map[string]tftypes.Value, len(t.AttributeTypes))
		for name, at := range t.AttributeTypes {
			v, err := Placeholder(seed, path.WithAttributeName(name), at)
			if err != nil {
				return tftypes.Value{}, err
			}
			attrs[name] = v
		}
		return tftypes.NewValue(tftypes.Object{AttributeTypes: t.AttributeTypes}, attrs), nil
	case tftypes.Tuple:
		elems := make([]tftypes.Value, len(t.ElementTypes))
		for i, et := range t.ElementTypes {
			v, err := Placeholder(seed, path.WithElementKeyInt(i), et)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems[i] = v
		}
		return tftypes.NewValue(t, elems), nil
	case tftypes.List, tftypes.Set:
		return tftypes.NewValue(t, []tftypes.Value{}), nil
	case tftypes.Map:
		return tftypes.NewValue(t, map[string]tftypes.Value{}), nil
	}
	switch {
	case typ.Is(tftypes.String):
		sum := sha256.Sum256([]byte(seed + "\n" + path.String()))
		return tftypes.NewValue(tftypes.String, "fake-"+lastAttribute(path)+"-"+hex.EncodeToString(sum[:4])), nil
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(tftypes.Number, big.NewFloat(0)), nil
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(tftypes.Bool, false), nil
	case typ.Is(tftypes.DynamicPseudoType):
		return tftypes.NewValue(tftypes.DynamicPseudoType, nil), nil
	}
	return tftypes.Value{}, fmt.Errorf("no placeholder for type %s", typ)
}

// lastAttribute returns the last attribute name on path, or "value".
func lastAttribute(path *tftypes.AttributePath) string {
	steps := path.Steps()
	for i := len(steps) - 1; i >= 0; i-- {
		if name, ok := steps[i].(tftypes.AttributeName); ok {
			return string(name)
		}
	}
	return "value"
}

package provider

import (
	"context"
	"fmt"
	"reflect"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

// The provider's computed objects (blueprint, summary, boundaries) are
// typed as plain object attributes, not nested attributes. Terraform sees
// the same type either way, but the framework resolves the schema of every
// value inside nested attributes, over and over on each plan, while it steps
// over the values inside an object attribute. docs/guides/blueprint.md
// documents their fields from the same doc tags.

// attrType is the framework type of a shape.
func attrType(s shape.Shape) attr.Type {
	switch s.Kind {
	case shape.String:
		return types.StringType
	case shape.Number:
		return types.Int64Type
	case shape.Bool:
		return types.BoolType
	case shape.List:
		return types.ListType{ElemType: attrType(*s.Elem)}
	case shape.Map:
		return types.MapType{ElemType: attrType(*s.Elem)}
	case shape.Object:
		return types.ObjectType{AttrTypes: objectAttrTypes(s)}
	}
	panic(fmt.Sprintf("provider: no type for shape kind %d", s.Kind))
}

func objectAttrTypes(s shape.Shape) map[string]attr.Type {
	out := make(map[string]attr.Type, len(s.Fields))
	for _, f := range s.Fields {
		out[f.Name] = attrType(f.Shape)
	}
	return out
}

// objectValue converts a Go struct to a framework object of its shape.
func objectValue(v any) (types.Object, diag.Diagnostics) {
	rv := reflect.ValueOf(v)
	s := shape.Of(rv.Type())
	val, diags := value(s, rv)
	obj, ok := val.(types.Object)
	if diags.HasError() || !ok {
		return types.ObjectNull(objectAttrTypes(s)), diags
	}
	return obj, diags
}

func value(s shape.Shape, v reflect.Value) (attr.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	if s.Nullable {
		switch {
		case v.Kind() == reflect.Pointer && v.IsNil(), v.Kind() != reflect.Pointer && v.Len() == 0:
			// Every framework type makes its own null from Terraform's.
			t := attrType(s)
			null, err := t.ValueFromTerraform(context.Background(), tftypes.NewValue(t.TerraformType(context.Background()), nil))
			if err != nil {
				diags.AddError("Cannot make a null value", err.Error()) // only for a type the framework cannot build
			}
			return null, diags
		case v.Kind() == reflect.Pointer:
			v = v.Elem()
		}
	}
	switch s.Kind {
	case shape.String:
		return types.StringValue(v.String()), nil
	case shape.Number:
		return types.Int64Value(v.Int()), nil
	case shape.Bool:
		return types.BoolValue(v.Bool()), nil
	case shape.List:
		elems := make([]attr.Value, 0, v.Len())
		for i := range v.Len() {
			e, d := value(*s.Elem, v.Index(i))
			diags.Append(d...)
			elems = append(elems, e)
		}
		l, d := types.ListValue(attrType(*s.Elem), elems)
		diags.Append(d...)
		return l, diags
	case shape.Map:
		elems := make(map[string]attr.Value, v.Len())
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			e, d := value(*s.Elem, v.MapIndex(k))
			diags.Append(d...)
			elems[k.String()] = e
		}
		m, d := types.MapValue(attrType(*s.Elem), elems)
		diags.Append(d...)
		return m, diags
	case shape.Object:
		attrs := make(map[string]attr.Value, len(s.Fields))
		for _, f := range s.Fields {
			e, d := value(f.Shape, v.Field(f.Index))
			diags.Append(d...)
			attrs[f.Name] = e
		}
		o, d := types.ObjectValue(objectAttrTypes(s), attrs)
		diags.Append(d...)
		return o, diags
	}
	panic(fmt.Sprintf("provider: no value for shape kind %d", s.Kind))
}

package modgen

import (
	"fmt"

	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

// typeOf is the HCL type constraint of a shape, such as
// object({ name = string, subnets = list(object({ ... })) }). The module's
// variable types come from the same Go types as the provider's schema.
func typeOf(s shape.Shape) expr {
	switch s.Kind {
	case shape.String:
		return ref("string")
	case shape.Number:
		return ref("number")
	case shape.Bool:
		return ref("bool")
	case shape.List:
		return call("list", typeOf(*s.Elem))
	case shape.Map:
		return call("map", typeOf(*s.Elem))
	case shape.Object:
		fields := make([]field, 0, len(s.Fields))
		for _, f := range s.Fields {
			fields = append(fields, field{f.Name, typeOf(f.Shape)})
		}
		return call("object", object(fields...))
	}
	panic(fmt.Sprintf("modgen: no type for shape kind %d", s.Kind))
}

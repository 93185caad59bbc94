package provider

import "github.com/hashicorp/terraform-plugin-go/tftypes"

// mergeKnown combines two plans of the same resource, computed with
// different stand-ins for the values not known yet: a part on which they
// agree is known, and a part on which they differ depends on an unknown
// value and becomes unknown. Objects, maps, lists and tuples of the same
// shape merge element by element, so an unknown account ID leaves a role's
// name known and only its ARN unknown. A set, or a collection whose keys or
// length differ, is unknown as a whole.
func mergeKnown(a, b tftypes.Value) tftypes.Value {
	if a.Equal(b) {
		return a
	}
	typ := a.Type()
	unknown := tftypes.NewValue(typ, tftypes.UnknownValue)
	if !a.IsKnown() || !b.IsKnown() || a.IsNull() || b.IsNull() || !typ.Equal(b.Type()) {
		return unknown
	}
	switch {
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var am, bm map[string]tftypes.Value
		if a.As(&am) != nil || b.As(&bm) != nil || len(am) != len(bm) {
			return unknown
		}
		out := make(map[string]tftypes.Value, len(am))
		for k, av := range am {
			bv, ok := bm[k]
			if !ok {
				return unknown
			}
			out[k] = mergeKnown(av, bv)
		}
		return tftypes.NewValue(typ, out)
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Tuple{}):
		var al, bl []tftypes.Value
		if a.As(&al) != nil || b.As(&bl) != nil || len(al) != len(bl) {
			return unknown
		}
		out := make([]tftypes.Value, len(al))
		for i := range al {
			out[i] = mergeKnown(al[i], bl[i])
		}
		return tftypes.NewValue(typ, out)
	}
	return unknown
}

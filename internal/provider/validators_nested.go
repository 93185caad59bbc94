package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The validators of an attribute nested in a list, such as ingress[0].port,
// report on that path, which the CLI cannot locate (see diagnostics.go): it
// would show the resource header, or the resource's own `name` line for a
// nested `name`. Wrapped with nested, they report on the list element
// instead, and their detail starts with the full path.

var (
	_ validator.String = nestedString{}
	_ validator.Number = nestedNumber{}
	_ validator.List   = nestedList{}
)

type nestedString struct{ validator.String }

type nestedNumber struct{ validator.Number }

type nestedList struct{ validator.List }

func nestedStrings(vs ...validator.String) []validator.String {
	out := make([]validator.String, len(vs))
	for i, v := range vs {
		out[i] = nestedString{v}
	}
	return out
}

func nestedNumbers(vs ...validator.Number) []validator.Number {
	out := make([]validator.Number, len(vs))
	for i, v := range vs {
		out[i] = nestedNumber{v}
	}
	return out
}

func nestedLists(vs ...validator.List) []validator.List {
	out := make([]validator.List, len(vs))
	for i, v := range vs {
		out[i] = nestedList{v}
	}
	return out
}

func (v nestedString) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	var inner validator.StringResponse
	v.String.ValidateString(ctx, req, &inner)
	resp.Diagnostics.Append(atElement(req.Path, inner.Diagnostics)...)
}

func (v nestedNumber) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	var inner validator.NumberResponse
	v.Number.ValidateNumber(ctx, req, &inner)
	resp.Diagnostics.Append(atElement(req.Path, inner.Diagnostics)...)
}

func (v nestedList) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	var inner validator.ListResponse
	v.List.ValidateList(ctx, req, &inner)
	resp.Diagnostics.Append(atElement(req.Path, inner.Diagnostics)...)
}

// atElement moves diagnostics about the nested attribute at p onto the list
// element that holds it, naming p at the start of each detail.
func atElement(p path.Path, diags diag.Diagnostics) diag.Diagnostics {
	steps := p.Steps()
	if len(steps) <= 2 {
		return diags
	}
	name, isName := steps[0].(path.PathStepAttributeName)
	index, isIndex := steps[1].(path.PathStepElementKeyInt)
	if !isName || !isIndex {
		return diags
	}
	element := path.Root(string(name)).AtListIndex(int(index))
	var out diag.Diagnostics
	for _, d := range diags {
		detail := p.String() + ": " + d.Detail()
		if d.Severity() == diag.SeverityError {
			out.AddAttributeError(element, d.Summary(), detail)
		} else {
			out.AddAttributeWarning(element, d.Summary(), detail)
		}
	}
	return out
}

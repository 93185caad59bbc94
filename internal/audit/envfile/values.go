package envfile

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// str is a string value of the file with the range it was written at.
type str struct {
	val string
	rng hcl.Range
}

// errorf records an error on rng.
func (d *decoder) errorf(rng hcl.Range, summary, format string, args ...any) {
	d.diag(hcl.DiagError, rng, summary, fmt.Sprintf(format, args...))
}

// warnf records a warning on rng.
func (d *decoder) warnf(rng hcl.Range, summary, format string, args ...any) {
	d.diag(hcl.DiagWarning, rng, summary, fmt.Sprintf(format, args...))
}

func (d *decoder) diag(sev hcl.DiagnosticSeverity, rng hcl.Range, summary, detail string) {
	d.diags = append(d.diags, &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Subject: rng.Ptr()})
}

// stringValue evaluates expr, which must be a literal string. The file has
// no variables or functions: HCL reports any as not allowed.
func (d *decoder) stringValue(expr hcl.Expression, what, example string) (str, bool) {
	v, diags := expr.Value(nil)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return str{}, false
	}
	if v.IsNull() || !v.Type().Equals(cty.String) {
		d.errorf(expr.Range(), "Incorrect value type",
			"%s must be a string in quotes, such as %s; this is %s.", what, example, typeName(v))
		return str{}, false
	}
	return str{val: v.AsString(), rng: expr.Range()}, true
}

// stringList evaluates an attribute that must be a literal list of strings.
// It returns the elements that are strings, each with its own range, and
// reports the others.
func (d *decoder) stringList(attr *hcl.Attribute, what, example string) ([]str, bool) {
	v, diags := attr.Expr.Value(nil)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return nil, false
	}
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() || v.IsNull() {
		d.errorf(attr.Expr.Range(), "Incorrect value type",
			"%s must be a list of strings, such as [%s]; this is %s.", attr.Name, example, typeName(v))
		return nil, false
	}
	out := make([]str, 0, len(exprs))
	ok := true
	for _, e := range exprs {
		s, good := d.stringValue(e, "Each element of "+attr.Name+" ("+what+")", example)
		if good {
			out = append(out, s)
		}
		ok = ok && good
	}
	return out, ok
}

// typeName names a value's type for a message.
func typeName(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return "a string"
	case v.Type() == cty.Number:
		return "a number"
	case v.Type() == cty.Bool:
		return "a bool"
	case v.Type().IsTupleType() || v.Type().IsListType():
		return "a list"
	case v.Type().IsObjectType() || v.Type().IsMapType():
		return "an object"
	}
	return v.Type().FriendlyName()
}

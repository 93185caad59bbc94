package envfile

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// HCL renders the file in canonical HCL: tag_keys, then the environments and
// the flows in order. Parse reads it back to an equal File, so a tool can
// write an environments file for people to edit.
func (f *File) HCL() []byte {
	out := hclwrite.NewEmptyFile()
	body := out.Body()
	setList(body, "tag_keys", f.TagKeys)
	for _, e := range f.Environments {
		body.AppendNewline()
		eb := body.AppendNewBlock("environment", []string{e.Name}).Body()
		eb.SetAttributeValue("tier", cty.StringVal(string(e.Tier)))
		cidrs := make([]string, len(e.CIDRs))
		for i, p := range e.CIDRs {
			cidrs[i] = p.String()
		}
		setList(eb, "cidrs", cidrs)
		setList(eb, "accounts", e.Accounts)
		setList(eb, "principals", e.Principals)
		for _, kind := range []string{KindName, KindAddress} {
			var globs []string
			for _, p := range f.Patterns {
				if p.Environment == e.Name && p.Kind == kind {
					globs = append(globs, p.Glob)
				}
			}
			setList(eb, attributeOf(kind), globs)
		}
	}
	for _, fl := range f.Flows {
		body.AppendNewline()
		fb := body.AppendNewBlock("flow", nil).Body()
		fb.SetAttributeValue("from", cty.StringVal(fl.From))
		fb.SetAttributeValue("to", cty.StringVal(fl.To))
		fb.SetAttributeValue("purpose", cty.StringVal(string(fl.Purpose)))
	}
	for _, w := range f.Waivers {
		body.AppendNewline()
		wb := body.AppendNewBlock("waiver", nil).Body()
		wb.SetAttributeValue("rule", cty.StringVal(w.Rule))
		wb.SetAttributeValue("address", cty.StringVal(w.Address))
		wb.SetAttributeValue("reason", cty.StringVal(w.Reason))
	}
	return hclwrite.Format(out.Bytes())
}

// attributeOf names the attribute that holds patterns of a kind.
func attributeOf(kind string) string {
	if kind == KindAddress {
		return "addresses"
	}
	return "names"
}

func setList(b *hclwrite.Body, name string, xs []string) {
	if len(xs) > 0 {
		b.SetAttributeValue(name, stringTuple(xs))
	}
}

func stringTuple(xs []string) cty.Value {
	vals := make([]cty.Value, len(xs))
	for i, x := range xs {
		vals[i] = cty.StringVal(x)
	}
	return cty.TupleVal(vals)
}

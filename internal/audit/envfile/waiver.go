package envfile

import (
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// Waiver accepts the risk of one audit rule's findings (or of SEG801's or
// SEG803's, which the audit reports too) on the resources an
// address pattern matches, for a reason a reviewer can read.
type Waiver struct {
	Rule    string
	Address string // an address pattern, as in an environment's addresses
	Reason  string
}

var waiverSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "rule", Required: true},
		{Name: "address", Required: true},
		{Name: "reason", Required: true},
	},
}

// waiver decodes one waiver block.
func (d *decoder) waiver(b *hcl.Block) {
	content, diags := b.Body.Content(waiverSchema)
	d.diags = append(d.diags, diags...)
	if content == nil || diags.HasErrors() {
		return
	}
	rule, ok1 := d.stringValue(content.Attributes["rule"].Expr, "rule", `"SEG701"`)
	address, ok2 := d.stringValue(content.Attributes["address"].Expr, "address", `"module.prod.aws_security_group.vpn"`)
	reason, ok3 := d.stringValue(content.Attributes["reason"].Expr, "reason", `"the VPN's range is reviewed quarterly"`)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	ok := true
	if r, found := rules.Lookup(rule.val); !found || !r.Audited() {
		d.errorf(rule.rng, "Unknown audit rule", "%q is not an audit rule; a waiver names one of %s.", rule.val, strings.Join(rules.AuditedIDs(), ", "))
		ok = false
	}
	if msg := checkAddress(address.val, `"module.prod.aws_security_group.vpn"`); msg != "" {
		d.errorf(address.rng, "Invalid address pattern", "The pattern %q is not valid: %s.", address.val, msg)
		ok = false
	}
	if !strings.ContainsFunc(reason.val, isLetterOrDigit) {
		d.errorf(reason.rng, "Missing reason", "A waiver needs a reason a reviewer can read: say why the risk is accepted.")
		ok = false
	}
	if ok {
		r, _ := rules.Lookup(rule.val)
		d.out.Waivers = append(d.out.Waivers, Waiver{Rule: r.ID, Address: address.val, Reason: reason.val})
	}
}

// Waives returns the first waiver of the rule whose address pattern matches
// the resource's address, as an environment's addresses match.
func (f *File) Waives(rule, address string) (Waiver, bool) {
	for _, w := range f.Waivers {
		if w.Rule != rule {
			continue
		}
		for _, s := range addressSubjects(address) {
			if globMatch(w.Address, s) {
				return w, true
			}
		}
	}
	return Waiver{}, false
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

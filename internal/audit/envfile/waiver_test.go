package envfile

import (
	"strings"
	"testing"
)

// TestWaiverRules: a waiver names a rule the audit reports, the audit
// rules and SEG801 and SEG803, which it checks on hand-written Kubernetes
// objects too; a provider rule it does not check is an error that lists
// the rules a waiver may name.
func TestWaiverRules(t *testing.T) {
	waiver := func(rule string) string {
		return prodEnv + "waiver {\n  rule    = \"" + rule + "\"\n  address = \"kubernetes_namespace_v1.gpu\"\n  reason  = \"the device plugin's namespace, reviewed in OPS-7\"\n}\n"
	}
	for _, rule := range []string{"SEG701", "SEG801", "SEG802", "SEG803", "SEG806"} {
		f, diags := Parse([]byte(waiver(rule)), "e.hcl")
		if diags.HasErrors() || len(f.Waivers) != 1 || f.Waivers[0].Rule != rule {
			t.Errorf("a waiver of %s: %s", rule, Format(diags))
		}
	}
	_, diags := Parse([]byte(waiver("SEG804")), "e.hcl")
	if !diags.HasErrors() || diags[0].Summary != "Unknown audit rule" || !strings.Contains(diags[0].Detail, "SEG801, SEG802, SEG803, SEG806") {
		t.Errorf("a waiver of SEG804: %s", Format(diags))
	}
}

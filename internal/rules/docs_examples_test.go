package rules

import (
	"strings"
	"testing"
)

// TestEveryRuleHasExamples checks the shape of the snippets the rules
// reference shows; internal/provider/docs_rules_test.go plans them.
func TestEveryRuleHasExamples(t *testing.T) {
	for _, rule := range Catalog() {
		pairs := []Rule{rule}
		for _, c := range rule.OnClouds {
			if c.Failing == "" || c.Fixed == "" {
				t.Errorf("%s on %s: examples/%s/%s needs failing.tf and fixed.tf", rule.ID, c.Cloud, rule.ID, c.Cloud)
			}
			if !strings.Contains(c.Failing, "cloud      = \""+c.Cloud+"\"") {
				t.Errorf("%s: the %s example does not put its environment on %s", rule.ID, c.Cloud, c.Cloud)
			}
			onCloud := rule
			onCloud.Failing, onCloud.Fixed = c.Failing, c.Fixed
			pairs = append(pairs, onCloud)
		}
		for _, r := range pairs {
			checkExamplePair(t, r)
		}
	}
}

// checkExamplePair checks one failing and fixed pair of a rule.
func checkExamplePair(t *testing.T, r Rule) {
	t.Helper()
	for name, snippet := range map[string]string{"Failing": r.Failing, "Fixed": r.Fixed} {
		switch {
		case snippet == "":
			t.Errorf("%s has no %s snippet", r.ID, name)
			continue
		case r.Scope == ScopeAudit:
			// Hand-written Terraform, planned by scripts/audit-fixtures.sh
			// and audited by internal/audit's fixture test.
		case !strings.HasPrefix(snippet, "provider \"segmented\" {\n"):
			t.Errorf("%s: the %s snippet must be a complete configuration, starting with the provider block", r.ID, name)
		case !strings.HasSuffix(snippet, "}\n"):
			t.Errorf("%s: the %s snippet must end with a closing brace and a newline", r.ID, name)
		case strings.Contains(snippet, "\t"):
			t.Errorf("%s: the %s snippet holds a tab; terraform fmt indents with spaces", r.ID, name)
		}
		resource := "segmented_ml_environment"
		switch r.Scope {
		case ScopeTopology:
			resource = "segmented_ml_topology"
		case ScopeAudit:
			resource = ""
		}
		if resource != "" && !strings.Contains(snippet, "resource \""+resource+"\"") {
			t.Errorf("%s: the %s snippet has no %s", r.ID, name, resource)
		}
	}
	// The failing snippet marks the line at fault; the fixed one does not.
	if !strings.Contains(r.Failing, "# "+r.ID) {
		t.Errorf("%s: the failing snippet does not mark the line at fault with a comment \"# %s...\"", r.ID, r.ID)
	}
	if strings.Contains(r.Fixed, "# "+r.ID) {
		t.Errorf("%s: the fixed snippet still marks a line with \"# %s\"", r.ID, r.ID)
	}
	if r.Failing == r.Fixed {
		t.Errorf("%s: the failing and the fixed snippet are the same", r.ID)
	}
}

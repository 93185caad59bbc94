package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// TestRuleDocs_unknownInputs takes every environment rule's failing snippet
// and, through the real CLI, makes one attribute unknown at plan time by
// routing it through terraform_data (whose output is known only after
// apply), as a landing zone does with an account ID from another resource:
//   - an attribute the rule reads: the plan passes with a warning on that
//     attribute naming the rule, and the apply fails with the rule's ID
//     (SEG403, a warning, warns at apply);
//   - account_id, which no environment rule reads: the plan itself fails
//     with the rule's ID, because every rule whose inputs are known runs.
func TestRuleDocs_unknownInputs(t *testing.T) {
	cli := newTerraformCLI(t)
	for _, r := range rules.Catalog() {
		if r.Scope != rules.ScopeEnvironment {
			continue
		}
		attributes := topLevelInputs(r)
		for _, attribute := range append(attributes, "account_id") {
			src, ok := withUnknown(t, r.Failing, attribute)
			if !ok {
				continue // the snippet does not set it
			}
			t.Run(r.ID+"/"+attribute, func(t *testing.T) {
				dir := cli.workdir(t, map[string]string{"main.tf": src})
				cli.mustRun(t, dir, "init", "-input=false", "-backend=false")
				p := cli.plan(t, dir)
				if !slices.Contains(attributes, attribute) {
					wantRule(t, "plan", p, r, r.Severity)
					return
				}
				if r.Severity == rules.Error && p.exit != 0 {
					t.Fatalf("with %s unknown the plan must pass and warn: %s", attribute, p.result)
				}
				if !slices.ContainsFunc(p.diagnostics, func(d diagnostic) bool {
					return d.Severity == "warning" && strings.HasPrefix(d.Summary, "Not known yet: ") && strings.Contains(d.Summary, r.ID) &&
						strings.HasPrefix(d.Detail, attribute)
				}) {
					t.Fatalf("no warning names %s and the unknown %s: %+v", r.ID, attribute, p.diagnostics)
				}
				wantRule(t, "apply", cli.apply(t, dir), r, r.Severity)
			})
		}
	}
}

// wantRule checks that a command reported the rule at its severity, and
// failed when that is an error.
func wantRule(t *testing.T, command string, p planned, r rules.Rule, severity rules.Severity) {
	t.Helper()
	if (severity == rules.Error) != (p.exit != 0) {
		t.Fatalf("%s: exit %d for a rule of severity %s: %s", command, p.exit, severity, p.result)
	}
	if !slices.Contains(p.ruleIDs(string(severity)), r.ID) {
		t.Fatalf("%s does not report %s as an %s: %+v", command, r.ID, severity, p.diagnostics)
	}
}

// topLevelInputs returns the top-level attributes a rule reads.
func topLevelInputs(r rules.Rule) []string {
	var out []string
	for _, in := range r.Inputs {
		name, _, _ := strings.Cut(in, "[")
		name, _, _ = strings.Cut(name, ".")
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// withUnknown rewrites a configuration so that the attribute of its
// segmented_ml_environment resources comes from terraform_data's output:
// the same value, known only after apply. It reports false when no
// environment sets the attribute.
func withUnknown(t *testing.T, src, attribute string) (string, bool) {
	t.Helper()
	f, diags := hclwrite.ParseConfig([]byte(src), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	found := false
	for _, b := range f.Body().Blocks() {
		labels := b.Labels()
		if b.Type() != "resource" || len(labels) != 2 || labels[0] != "segmented_ml_environment" {
			continue
		}
		a := b.Body().GetAttribute(attribute)
		if a == nil {
			continue
		}
		found = true
		name := "unknown_" + labels[1] + "_" + attribute
		holder := f.Body().AppendNewBlock("resource", []string{"terraform_data", name}).Body()
		holder.SetAttributeRaw("input", a.Expr().BuildTokens(nil))
		b.Body().SetAttributeTraversal(attribute, hcl.Traversal{
			hcl.TraverseRoot{Name: "terraform_data"}, hcl.TraverseAttr{Name: name}, hcl.TraverseAttr{Name: "output"},
		})
	}
	return string(f.Bytes()), found
}

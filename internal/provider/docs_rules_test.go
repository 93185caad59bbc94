package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// alsoFiring lists, for a rule whose failing snippet must break another
// rule too, that other rule. Under the tier policy every chain that carries
// production content to a lower tier has a link that SEG602 refuses on its
// own; SEG607 names the whole chain (docs/guides/rules.md says so). Human
// write access in production (SEG201) is also the editor role in every
// production namespace (SEG803).
var alsoFiring = map[string][]string{
	"SEG201": {"SEG803"},
	"SEG607": {"SEG602"},
}

// providerRules are the rules the provider's resources check; the audit's
// rules are planned and audited by internal/audit's fixture test.
func providerRules() []rules.Rule {
	var out []rules.Rule
	for _, r := range rules.Catalog() {
		if r.Scope != rules.ScopeAudit {
			out = append(out, r)
		}
	}
	return out
}

// TestAccRuleDocs_snippets plans every rule's failing snippet, which must
// fail with the rule's ID, and plans and applies its fixed snippet, which
// must then re-plan empty. These are the configurations docs/guides/rules.md
// shows.
//
// SEG403 is a warning, which cannot fail a plan, and terraform-plugin-testing
// does not show warnings: its failing snippet must plan (and apply), and
// TestRuleDocs_diagnostics asserts the warning through the real CLI's JSON
// output.
func TestAccRuleDocs_snippets(t *testing.T) {
	for _, r := range providerRules() {
		t.Run(r.ID, func(t *testing.T) {
			if r.Failing == "" || r.Fixed == "" {
				t.Fatalf("%s has no failing or no fixed snippet", r.ID)
			}
			failing := tfresource.TestStep{Config: r.Failing, PlanOnly: true, ExpectError: regexp.MustCompile(r.ID + `: `)}
			if r.Severity == rules.Warning {
				failing = tfresource.TestStep{Config: r.Failing}
			}
			steps := []tfresource.TestStep{
				failing,
				{Config: r.Fixed}, // applies, then checks that a re-plan is empty
			}
			for _, c := range r.OnClouds {
				onCloud := failing
				onCloud.Config = c.Failing
				steps = append(steps, onCloud, tfresource.TestStep{Config: c.Fixed})
			}
			tfresource.UnitTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps:                    steps,
			})
		})
	}
}

// TestRuleDocs_diagnostics plans every snippet with the real Terraform CLI
// and reads its diagnostics from `terraform plan -json`: a failing snippet
// reports its rule at the rule's severity, and no other rule (so SEG403's
// warning is asserted here); a fixed snippet plans without a single
// diagnostic, not even a warning. Every snippet is in terraform fmt style.
func TestRuleDocs_diagnostics(t *testing.T) {
	cli := newTerraformCLI(t)
	var pairs []rules.Rule // every rule, then its examples on other clouds
	for _, r := range providerRules() {
		pairs = append(pairs, r)
		for _, c := range r.OnClouds {
			onCloud := r
			onCloud.Failing, onCloud.Fixed = c.Failing, c.Fixed
			pairs = append(pairs, onCloud)
		}
	}
	for i, r := range pairs {
		t.Run(fmt.Sprintf("%s-%d", r.ID, i), func(t *testing.T) {
			cli.fmtCheck(t, r.ID+" failing snippet", r.Failing)
			cli.fmtCheck(t, r.ID+" fixed snippet", r.Fixed)

			dir := cli.workdir(t, map[string]string{"main.tf": r.Failing})
			cli.mustRun(t, dir, "init", "-input=false", "-backend=false")
			p := cli.plan(t, dir)
			want := slices.Sorted(slices.Values(append([]string{r.ID}, alsoFiring[r.ID]...)))
			var got []string
			switch r.Severity {
			case rules.Error:
				if p.exit != 1 {
					t.Fatalf("the failing snippet must fail the plan: %s", p.result)
				}
				got = p.ruleIDs("error")
				if w := p.ruleIDs("warning"); len(w) > 0 {
					t.Errorf("the failing snippet also warns %v", w)
				}
			case rules.Warning:
				if p.exit != 0 {
					t.Fatalf("a warning must not fail the plan: %s", p.result)
				}
				got = p.ruleIDs("warning")
				if e := p.ruleIDs("error"); len(e) > 0 {
					t.Errorf("the failing snippet also fails %v", e)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("the failing snippet reports %v at severity %s, want %v:\n%s", got, r.Severity, want, p.stdout)
			}
			for _, d := range p.diagnostics {
				if d.ruleID() == r.ID && !strings.Contains(d.Detail, r.CWEID()) {
					t.Errorf("the %s diagnostic does not name %s: %q", r.ID, r.CWEID(), d.Detail)
				}
			}

			dir = cli.workdir(t, map[string]string{"main.tf": r.Fixed})
			cli.mustRun(t, dir, "init", "-input=false", "-backend=false")
			if p := cli.plan(t, dir); p.exit != 0 || len(p.diagnostics) > 0 {
				t.Errorf("the fixed snippet must plan without any diagnostic, got %+v: %s", p.diagnostics, p.result)
			}
		})
	}
}

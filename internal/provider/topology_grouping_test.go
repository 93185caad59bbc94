package provider

import (
	"fmt"
	"strings"
	"testing"
)

// TestTopologyOverlapGrouping plans, with the real Terraform CLI, issue 8's
// 150 environments on one range, which gave 11,175 SEG601 errors (5.8 MB):
// now one error names the group, lists the first members and counts the
// rest. The near miss, 150 distinct ranges, plans clean.
func TestTopologyOverlapGrouping(t *testing.T) {
	cli := newTerraformCLI(t)
	topology := func(cidr func(i int) string) string {
		envs := make([]string, 150)
		for i := range envs {
			envs[i] = lit(fmt.Sprintf("env-%03d", i), "development", fmt.Sprintf("%012d", 100000000000+i), cidr(i))
		}
		return literalTopology(envs)
	}

	dir := cli.workdir(t, map[string]string{"main.tf": topology(func(int) string { return "10.64.0.0/16" })})
	cli.mustRun(t, dir, "init", "-input=false", "-backend=false")
	p := cli.plan(t, dir)
	if p.exit != 1 {
		t.Fatalf("150 environments on one range must fail the plan: %s", p.result)
	}
	var seg601 []diagnostic
	for _, d := range p.diagnostics {
		if d.ruleID() == "SEG601" {
			seg601 = append(seg601, d)
		}
	}
	if len(seg601) != 1 || seg601[0].Severity != "error" {
		t.Fatalf("want one SEG601 error, got %d of %d diagnostics", len(seg601), len(p.diagnostics))
	}
	for _, s := range []string{"the ranges of 150 environments overlap inside 10.64.0.0/16", `"env-000" (environments[0], 10.64.0.0/16)`, `"env-009"`, ", and 140 more."} {
		if !strings.Contains(seg601[0].Detail, s) {
			t.Errorf("the SEG601 detail does not contain %q:\n%s", s, seg601[0].Detail)
		}
	}
	if strings.Contains(seg601[0].Detail, `"env-010"`) {
		t.Errorf("the SEG601 detail lists more members than its cap:\n%s", seg601[0].Detail)
	}
	if n := len(p.stdout) + len(p.stderr); n > 64<<10 {
		t.Errorf("the plan wrote %d bytes", n)
	}

	dir = cli.workdir(t, map[string]string{"main.tf": topology(func(i int) string { return fmt.Sprintf("10.%d.%d.0/24", 64+i/100, i%100) })})
	cli.mustRun(t, dir, "init", "-input=false", "-backend=false")
	if p := cli.plan(t, dir); p.exit != 0 || len(p.ruleIDs("error")) > 0 {
		t.Errorf("150 distinct ranges must plan clean, got %v: %s", p.ruleIDs("error"), p.result)
	}
}

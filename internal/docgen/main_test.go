package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

func page(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	render(&b, rules.Catalog())
	return b.String()
}

func TestRenderIsDeterministic(t *testing.T) {
	first := page(t)
	for range 5 {
		if again := page(t); again != first {
			t.Fatal("two renders of the rules reference differ")
		}
	}
}

func TestEveryRuleIsDocumented(t *testing.T) {
	p := page(t)
	if !strings.HasPrefix(p, "---\npage_title: \"Rules reference\"\n") {
		t.Errorf("the page does not start with tfplugindocs front matter:\n%s", p[:min(len(p), 200)])
	}
	for _, r := range rules.Catalog() {
		section := ruleSection(t, p, r)
		for _, want := range []string{
			"### " + r.ID + ": " + r.Title,
			string(r.Severity),
			r.CWEID() + ": " + r.CWEName(),
			"definitions/" + strconv.Itoa(r.CWE) + ".html",
			r.Rationale,
			strings.TrimSuffix(r.Remediation, "."),
			"```terraform\n" + r.Failing + "```",
			"```terraform\n" + r.Fixed + "```",
			"**Waiving it.**",
		} {
			if !strings.Contains(section, want) {
				t.Errorf("%s: the section lacks %q", r.ID, want)
			}
		}
		waiver := `rule   = "` + r.ID + `"`
		if r.Scope == rules.ScopeAudit {
			waiver = `rule    = "` + r.ID + `"`
		}
		if got := strings.Contains(section, waiver); got != r.Waivable {
			t.Errorf("%s: waivable %v, but the section shows a waiver: %v", r.ID, r.Waivable, got)
		}
		if !r.Waivable && !strings.Contains(section, r.ID+" cannot be waived") {
			t.Errorf("%s: the section does not say that it cannot be waived", r.ID)
		}
		if !strings.Contains(p, "| ["+r.ID+"](#"+strings.ToLower(r.ID)+") |") {
			t.Errorf("%s is missing from the summary table", r.ID)
		}
	}
}

// ruleSection returns the part of the page about one rule.
func ruleSection(t *testing.T, p string, r rules.Rule) string {
	t.Helper()
	start := strings.Index(p, `<a id="`+strings.ToLower(r.ID)+`"></a>`)
	if start < 0 {
		t.Fatalf("%s has no section", r.ID)
	}
	end := strings.Index(p[start+1:], `<a id="seg`)
	if end < 0 {
		return p[start:]
	}
	return p[start : start+1+end]
}

func TestNotWaivableReasons(t *testing.T) {
	var want []string
	for _, r := range rules.Catalog() {
		if r.Scope == rules.ScopeEnvironment && !r.Waivable {
			want = append(want, r.ID)
		}
	}
	var got []string
	for id := range notWaivableBecause {
		got = append(got, id)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("notWaivableBecause explains %v; the catalog's non-waivable environment rules are %v", got, want)
	}
}

func TestTierPolicyMatrix(t *testing.T) {
	p := page(t)
	for _, row := range []string{
		"| development | — | `model-promotion` | never | `telemetry` |",
		"| production | never | never | — | `telemetry` |",
		"| shared | `artifact-pull`, `deploy` | `artifact-pull`, `deploy` | `artifact-pull`, `deploy` | — |",
	} {
		if !strings.Contains(p, row) {
			t.Errorf("the tier policy lacks the row %q", row)
		}
	}
}

func TestRun(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(nil, &stderr); code != 2 {
		t.Errorf("no -out: exit %d, want 2", code)
	}
	if code := run([]string{"-out", "x", "extra"}, &stderr); code != 2 {
		t.Errorf("an extra argument: exit %d, want 2", code)
	}
	out := filepath.Join(t.TempDir(), "guides", "rules.md")
	if code := run([]string{"-out", out}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != page(t) {
		t.Error("the written page differs from render's")
	}
}

// TestCommittedPageIsFresh fails fast when docs/guides/rules.md is stale;
// CI's check that `make generate` changes nothing catches it too.
func TestCommittedPageIsFresh(t *testing.T) {
	b, err := os.ReadFile("../../docs/guides/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != page(t) {
		t.Error("docs/guides/rules.md is stale: run `make generate` and commit the result")
	}
}

package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

func run(args ...string) (code int, stdout string) {
	var out, errOut bytes.Buffer
	code = Run(args, &out, &errOut, "1.2.3")
	return code, out.String()
}

func TestRulesTable(t *testing.T) {
	code, out := run("rules")
	if code != ExitClean {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(rules.Catalog())+1 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("want a header and one line per rule, got:\n%s", out)
	}
	for i, r := range rules.Catalog() {
		if !strings.HasPrefix(lines[i+1], r.ID+" ") || !strings.Contains(lines[i+1], r.CWEID()) {
			t.Errorf("line %d = %q, want rule %s with %s", i+1, lines[i+1], r.ID, r.CWEID())
		}
	}
}

func TestRulesJSON(t *testing.T) {
	code, out := run("rules", "--format", "json")
	if code != ExitClean {
		t.Fatalf("exit %d", code)
	}
	var got []rules.Rule
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := rules.Catalog()
	if len(got) != len(want) {
		t.Fatalf("got %d rules, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].CWE != want[i].CWE || got[i].Remediation != want[i].Remediation {
			t.Errorf("rule %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"rules", "--format", "yaml"},
		{"rules", "--nope"},
		{"rules", "extra"},
		{"unknown-command"},
	} {
		if code, _ := run(args...); code != ExitBadInput {
			t.Errorf("%v: exit %d, want %d", args, code, ExitBadInput)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	if code, out := run("version"); code != ExitClean || !strings.Contains(out, "1.2.3") {
		t.Errorf("version: exit %d, output %q", code, out)
	}
	if code, out := run("help"); code != ExitClean || !strings.Contains(out, "rules") {
		t.Errorf("help: exit %d, output %q", code, out)
	}
	if !IsCommand("rules") || IsCommand("-debug") {
		t.Error("IsCommand must tell subcommands from the flags Terraform passes")
	}
}

// TestReadmeQuotesTheRulesTable: the README shows the output of `rules`
// as it is, so a new rule cannot be missing from it.
func TestReadmeQuotesTheRulesTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, out := run("rules")
	if !strings.Contains(string(readme), "```\n"+out+"```\n") {
		t.Errorf("README.md does not quote the output of `terraform-provider-segmented rules`; paste it again:\n%s", out)
	}
}

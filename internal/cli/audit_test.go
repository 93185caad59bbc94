package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const plans = "../audit/testdata/plans/"

// runAudit runs `audit` with stdin and returns the exit code and both
// streams.
func runAuditWith(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	old := Stdin
	Stdin = strings.NewReader(stdin)
	defer func() { Stdin = old }()
	var out, errOut bytes.Buffer
	code = Run(append([]string{"audit"}, args...), &out, &errOut, "1.2.3")
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const envHead = "environment \"dev\" {\n  tier = \"development\"\n}\n"

// TestAuditBadInput: every bad input exits 2 with a message that says what
// is wrong and where, and writes no report.
func TestAuditBadInput(t *testing.T) {
	clean := plans + "SEG701-fixed.json"
	env := func(content string) string { return writeFile(t, "environments.hcl", content) }
	tf := func(content string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	plan := func(content string) string { return writeFile(t, "plan.json", content) }
	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no plan", "", nil, "want one plan"},
		{"two plans", "", []string{clean, clean}, "got 2 arguments"},
		{"missing file", "", []string{"nope.json"}, "reading the plan: open nope.json"},
		{"empty file", "", []string{plan("")}, "the input is empty"},
		{"blank file", "", []string{plan(" \n\t\n")}, "the input is empty"},
		{"not JSON", "", []string{plan("hello")}, "not a JSON document: line 1, column 1"},
		{"truncated JSON", "", []string{plan("{\n  \"format_version\": \"1.2\",\n")}, "not a JSON document"},
		{"bad JSON on line 3", "", []string{plan("{\n\"format_version\": \"1.2\",\n\"planned_values\": {,}\n}")}, "line 3, column"},
		{"JSON array", "", []string{plan("[1, 2]")}, "not a JSON object"},
		{"JSON string", "", []string{plan(`"plan"`)}, "not a JSON object"},
		{"JSON number", "", []string{plan("42")}, "not a JSON object"},
		{"no format_version", "", []string{plan("{}")}, "has no format_version"},
		{"format_version a number", "", []string{plan(`{"format_version": 1.2}`)}, "format_version is 1.2, not a string"},
		{"plan format 2.0", "", []string{plan(`{"format_version": "2.0", "planned_values": {}}`)}, `unsupported plan format_version "2.0"`},
		{"state format 9.1", "", []string{plan(`{"format_version": "9.1", "values": {}}`)}, `unsupported state format_version "9.1"`},
		{"neither plan nor state", "", []string{plan(`{"format_version": "1.2", "a": 1, "b": 2}`)}, "neither a plan"},
		{"planned_values a list", "", []string{plan(`{"format_version": "1.2", "planned_values": []}`)}, "not a valid plan"},
		{"resource_changes an object", "", []string{plan(`{"format_version": "1.2", "resource_changes": {}}`)}, "not a valid plan"},
		{"binary plan file", "", []string{plan("PK\x03\x04\x14\x00")}, "not a JSON document"},
		{"stdin empty", "", []string{"-"}, "standard input: the input is empty"},
		{"stdin not JSON", "terraform plan output", []string{"-"}, "standard input: not a JSON document"},
		{"unknown format", "", []string{clean, "--format", "xml"}, "--format must be one of text, json, sarif"},
		{"format without value", "", []string{clean, "--format"}, "flag needs an argument"},
		{"unknown fail-on", "", []string{clean, "--fail-on", "info"}, "--fail-on must be error or warning"},
		{"unknown flag", "", []string{clean, "--bogus"}, "flag provided but not defined: -bogus"},
		{"environments file missing", "", []string{clean, "--environments", "nope.hcl"}, "nope.hcl"},
		{"environments syntax error", "", []string{clean, "--environments", env("environment \"dev\" {\n  tier = \n}\n")}, "environments.hcl:2"},
		{"environments unknown tier", "", []string{clean, "--environments", env("environment \"dev\" {\n  tier = \"qa\"\n}\n")}, "environments.hcl:2"},
		{"environments bad cidr", "", []string{clean, "--environments", env("environment \"dev\" {\n  tier  = \"development\"\n  cidrs = [\"10.1.0.0/33\"]\n}\n")}, "environments.hcl:3"},
		{"environments non-canonical cidr", "", []string{clean, "--environments", env("environment \"dev\" {\n  tier  = \"development\"\n  cidrs = [\"10.1.0.1/16\"]\n}\n")}, "10.1.0.0/16"},
		{"environments unknown attribute", "", []string{clean, "--environments", env("environment \"dev\" {\n  tier = \"development\"\n  cidr = \"10.1.0.0/16\"\n}\n")}, "environments.hcl:3"},
		{"environments duplicate", "", []string{clean, "--environments", env(envHead + envHead)}, "environments.hcl:4"},
		{"environments flow to nowhere", "", []string{clean, "--environments", env(envHead + "flow {\n  from    = \"dev\"\n  to      = \"prod\"\n  purpose = \"telemetry\"\n}\n")}, "environments.hcl:6"},
		{"environments flow against the tier policy", "", []string{clean, "--environments", env(envHead + "environment \"prod\" {\n  tier = \"production\"\n}\nflow {\n  from    = \"prod\"\n  to      = \"dev\"\n  purpose = \"model-promotion\"\n}\n")}, "environments.hcl:7"},
		{"environments account digits", "", []string{clean, "--environments", env("environment \"dev\" {\n  tier     = \"development\"\n  accounts = [\"11111111111\"]\n}\n")}, "environments.hcl:3"},
		{"waiver of an unknown rule", "", []string{clean, "--environments", env(envHead + "waiver {\n  rule    = \"SEG101\"\n  address = \"aws_vpc.dev\"\n  reason  = \"the range is old\"\n}\n")}, "environments.hcl:5"},
		{"waiver without a reason", "", []string{clean, "--environments", env(envHead + "waiver {\n  rule    = \"SEG701\"\n  address = \"aws_vpc.dev\"\n  reason  = \" \"\n}\n")}, "environments.hcl:7"},
		{"source missing", "", []string{clean, "--source", "no/such/dir"}, "--source"},
		{"source does not parse", "", []string{clean, "--source", tf("resource \"aws_vpc\" \"a\" {\n  cidr_block = \n}\n")}, "main.tf:2"},
		{"out in a missing directory", "", []string{clean, "--out", "no/such/dir/report.txt"}, "writing the report"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runAuditWith(t, tt.stdin, tt.args...)
			if code != ExitBadInput {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, ExitBadInput, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, stderr)
			}
			if stdout != "" {
				t.Errorf("a bad input wrote a report:\n%s", stdout)
			}
		})
	}
}

// TestAuditExitCodes: 0 when clean, 1 on findings at or above --fail-on.
func TestAuditExitCodes(t *testing.T) {
	for _, tt := range []struct {
		plan   string
		failOn string
		want   int
	}{
		{"SEG701-fixed.json", "error", ExitClean},
		{"SEG701-failing.json", "error", ExitFindings},
		{"SEG708-failing.json", "error", ExitClean}, // a warning
		{"SEG708-failing.json", "warning", ExitFindings},
		{"SEG708-fixed.json", "warning", ExitClean},
	} {
		envArgs := []string{}
		if id := strings.SplitN(tt.plan, "-", 2)[0]; fileExists("../rules/examples/" + id + "/environments.hcl") {
			envArgs = []string{"--environments", "../rules/examples/" + id + "/environments.hcl"}
		}
		code, _, stderr := runAuditWith(t, "", append([]string{plans + tt.plan, "--fail-on", tt.failOn}, envArgs...)...)
		if code != tt.want {
			t.Errorf("%s --fail-on %s: exit %d, want %d\n%s", tt.plan, tt.failOn, code, tt.want, stderr)
		}
	}
}

func fileExists(path string) bool { _, err := os.Stat(path); return err == nil }

// TestAuditStdinAndOut: the plan from standard input, flags after it, the
// report into a file, byte-identical to the report on standard output.
func TestAuditStdinAndOut(t *testing.T) {
	data, err := os.ReadFile(plans + "SEG701-failing.json")
	if err != nil {
		t.Fatal(err)
	}
	env := "../rules/examples/SEG701/environments.hcl"
	code, stdout, _ := runAuditWith(t, string(data), "-", "--format", "json", "--environments", env)
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	out := filepath.Join(t.TempDir(), "report.json")
	code, again, stderr := runAuditWith(t, "", "--format", "json", "--out", out, "--environments", env, plans+"SEG701-failing.json")
	if code != ExitFindings || again != "" || !strings.Contains(stderr, "1 errors") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, again, stderr)
	}
	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var a, b map[string]any
	if json.Unmarshal([]byte(stdout), &a) != nil || json.Unmarshal(written, &b) != nil {
		t.Fatal("the reports are not JSON")
	}
	delete(a, "input")
	delete(b, "input")
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("the report from standard input differs from the one from the file")
	}
}

// TestAuditWaiver: a waiver moves its finding into the report's waived
// list, and one that matches nothing is reported.
func TestAuditWaiver(t *testing.T) {
	env, err := os.ReadFile("../rules/examples/SEG701/environments.hcl")
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "environments.hcl", string(env)+`
waiver {
  rule    = "SEG701"
  address = "aws_security_group.*"
  reason  = "the bastion range is reviewed every quarter"
}

waiver {
  rule    = "SEG702"
  address = "aws_vpc_peering_connection.*"
  reason  = "an old peering"
}
`)
	code, stdout, stderr := runAuditWith(t, "", plans+"SEG701-failing.json", "--environments", path, "--format", "json")
	if code != ExitClean {
		t.Fatalf("exit %d, want %d: the only finding is waived\n%s", code, ExitClean, stderr)
	}
	var doc struct {
		Findings []any `json:"findings"`
		Waived   []struct {
			RuleID string `json:"rule_id"`
			Reason string `json:"reason"`
		} `json:"waived"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 0 || len(doc.Waived) != 1 || doc.Waived[0].RuleID != "SEG701" || doc.Waived[0].Reason == "" {
		t.Errorf("findings %v, waived %+v", doc.Findings, doc.Waived)
	}
	if !strings.Contains(stderr, `the waiver of SEG702 on "aws_vpc_peering_connection.*" matches no finding`) {
		t.Errorf("the unused waiver is not reported:\n%s", stderr)
	}
}

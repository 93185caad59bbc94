package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// examplesDir is the repository's examples/, in the tfplugindocs layout
// (provider/, resources/<type>/, functions/<name>/) beside the quick start.
const examplesDir = "../../examples"

// skippedExamples are the example directories this test leaves to another
// package, and why.
var skippedExamples = map[string]string{
	// It needs the hashicorp/aws provider. internal/modgen validates it with
	// terraform validate against the real AWS schema, served by the
	// schema-only provider; make test-e2e applies it on moto.
	"aws-complete":   "validated by internal/modgen against the real hashicorp/aws schema",
	"gcp-complete":   "validated by internal/modgen against the real hashicorp/google schema",
	"azure-complete": "validated by internal/modgen against the real hashicorp/azurerm schema",
	"audit":          "hand-written aws Terraform, planned by scripts/audit-fixtures.sh with the real hashicorp/aws provider and audited by internal/audit's fixture test",
}

// exampleOutputs are outputs whose values the examples state in comments,
// and so the docs show: after the apply, they must be exactly these.
var exampleOutputs = map[string]map[string]string{
	"functions/cidrs_overlap": {
		"overlaps":             `[{"a":"10.64.0.0/16","a_index":0,"b":"10.64.128.0/17","b_index":2}]`,
		"peered_cidrs_overlap": `false`,
	},
	"functions/environment_cidr": {
		"third_block":       `"10.66.0.0/16"`,
		"environment_cidrs": `{"dev":"10.64.0.0/16","prod":"10.66.0.0/16","shared":"10.67.0.0/16","staging":"10.65.0.0/16"}`,
	},
	"functions/flow_allowed": {
		"staging_promotes_to_production":     `true`,
		"production_promotes_to_development": `false`,
		"tier_policy": `{"development":{"production":[],"shared":["telemetry"],"staging":["model-promotion"]},` +
			`"production":{"development":[],"shared":["telemetry"],"staging":[]},` +
			`"shared":{"development":["deploy","artifact-pull"],"production":["deploy","artifact-pull"],"staging":["deploy","artifact-pull"]},` +
			`"staging":{"development":[],"production":["model-promotion"],"shared":["telemetry"]}}`,
	},
}

// failingExamples must fail the plan: every rule ID their files mention in a
// comment is reported, at the rule's severity, and no other.
var failingExamples = []string{"insecure"}

// TestExamples runs every example directory under examples/ through the real
// Terraform CLI, as a user would: terraform fmt -check, init, validate, plan,
// apply, and a re-plan that must be empty; an import.sh beside the example is
// run too. The examples are the ones docs/ shows, so the docs cannot show a
// configuration that does not work.
func TestExamples(t *testing.T) {
	dirs := exampleDirs(t)
	for _, want := range wantedExampleDirs(t) {
		if !slices.Contains(dirs, want) {
			t.Errorf("examples/%s is missing: tfplugindocs shows it in docs/", want)
		}
	}
	cli := newTerraformCLI(t)
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			if why, ok := skippedExamples[dir]; ok {
				t.Skip(why)
			}
			work := cli.copyExample(t, filepath.Join(examplesDir, dir))
			if cli.openTofu && strings.HasPrefix(dir, "functions/") {
				// OpenTofu calls a provider's functions on the configured
				// provider, so it needs the provider's required arguments;
				// Terraform needs no provider block for functions.
				if err := os.WriteFile(filepath.Join(work, "opentofu_provider.tf"), []byte("provider \"segmented\" {\n  organization = \"acme\"\n}\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cli.mustRun(t, work, "fmt", "-check", "-diff")
			cli.mustRun(t, work, "init", "-input=false")
			cli.validate(t, work)
			if slices.Contains(failingExamples, dir) {
				cli.checkFailingExample(t, work)
				return
			}
			cli.checkExample(t, work)
			cli.checkOutputs(t, work, exampleOutputs[dir])
		})
	}
	for _, dir := range failingExamples {
		if !slices.Contains(dirs, dir) {
			t.Errorf("examples/%s is gone; remove it from failingExamples", dir)
		}
	}
}

// exampleDirs lists the directories under examples/ that hold .tf files,
// relative to examples/ and with forward slashes.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(examplesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != examplesDir {
			return filepath.SkipDir // .terraform of a local run
		}
		if d.IsDir() || filepath.Ext(path) != ".tf" {
			return nil
		}
		rel, err := filepath.Rel(examplesDir, filepath.Dir(path))
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); !slices.Contains(dirs, rel) {
			dirs = append(dirs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(dirs)
	return dirs
}

// wantedExampleDirs are the directories the tfplugindocs layout expects: the
// provider, every resource type and every function.
func wantedExampleDirs(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	want := []string{"provider"}
	for _, newResource := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		newResource().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		want = append(want, "resources/"+resp.TypeName)
	}
	pf, ok := p.(provider.ProviderWithFunctions)
	if !ok {
		t.Fatal("the provider has no functions")
	}
	for _, newFunction := range pf.Functions(ctx) {
		var resp function.MetadataResponse
		newFunction().Metadata(ctx, function.MetadataRequest{}, &resp)
		want = append(want, "functions/"+resp.Name)
	}
	return want
}

// copyExample copies an example's .tf files and import.sh, and nothing of
// a local run (.terraform, state), into a fresh working directory.
func (c *terraformCLI) copyExample(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || (filepath.Ext(e.Name()) != ".tf" && e.Name() != "import.sh") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return c.workdir(t, files)
}

// validate runs terraform validate, which must find nothing at all.
func (c *terraformCLI) validate(t *testing.T, dir string) {
	t.Helper()
	res := c.run(t, dir, "validate", "-json")
	var out struct {
		Valid        bool         `json:"valid"`
		WarningCount int          `json:"warning_count"`
		Diagnostics  []diagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("terraform validate -json: %v\n%s", err, res)
	}
	if res.exit != 0 || !out.Valid || out.WarningCount > 0 {
		t.Fatalf("terraform validate: %+v\n%s", out.Diagnostics, res)
	}
}

// importCommand is the command of an import.sh.
var importCommand = regexp.MustCompile(`(?m)^terraform import (\S+) (\S+)$`)

// checkExample plans and applies an example, which must succeed without a
// diagnostic and then re-plan empty, and runs its import.sh.
func (c *terraformCLI) checkExample(t *testing.T, dir string) {
	t.Helper()
	p := c.plan(t, dir, "-out=tfplan")
	if p.exit != 0 || len(p.diagnostics) > 0 {
		t.Fatalf("the plan must succeed without a diagnostic, got %+v:\n%s", p.diagnostics, p.result)
	}
	for addr, action := range p.actions {
		if action != "create" {
			t.Errorf("%s: planned %s on an empty state", addr, action)
		}
	}
	c.mustRun(t, dir, "apply", "-input=false", "-lock=false", "tfplan")
	c.mustRun(t, dir, "plan", "-input=false", "-lock=false", "-detailed-exitcode")

	script, err := os.ReadFile(filepath.Join(dir, "import.sh"))
	if os.IsNotExist(err) {
		return
	} else if err != nil {
		t.Fatal(err)
	}
	m := importCommand.FindStringSubmatch(string(script))
	if m == nil {
		t.Fatalf("import.sh has no `terraform import ADDRESS ID` line:\n%s", script)
	}
	address := m[1]
	c.mustRun(t, dir, "state", "rm", "-lock=false", address)
	// Run the script as a user would, with this Terraform first on PATH.
	cmd := exec.Command("bash", "-euo", "pipefail", "import.sh")
	env := append(slices.Clone(c.env), "PATH="+filepath.Dir(c.bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = env
	res := c.runCmd(t, cmd, dir, []string{"(import.sh)"})
	if res.exit != 0 {
		t.Fatalf("import.sh: %s", res)
	}
	// The import knows the name only: the next plan completes the state in
	// place, and replaces nothing.
	p = c.plan(t, dir)
	if p.exit != 0 || len(p.diagnostics) > 0 {
		t.Fatalf("the plan after import.sh: %+v\n%s", p.diagnostics, p.result)
	}
	if got := p.actions[address]; got != "update" {
		t.Errorf("after import.sh, %s plans %q, want an in-place update", address, got)
	}
}

// checkFailingExample plans an example that must fail, and checks that it
// reports exactly the rules its comments name, each at its severity.
func (c *terraformCLI) checkFailingExample(t *testing.T, dir string) {
	t.Helper()
	var mentioned []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".tf" {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			mentioned = append(mentioned, ruleIDRegexp.FindAllString(string(b), -1)...)
		}
	}
	slices.Sort(mentioned)
	mentioned = slices.Compact(mentioned)
	if len(mentioned) == 0 {
		t.Fatal("a failing example must name the rules it breaks in comments")
	}

	p := c.plan(t, dir)
	if p.exit != 1 {
		t.Fatalf("the plan must fail, got %s", p.result)
	}
	var got []string
	for _, id := range mentioned {
		r, ok := rules.Lookup(id)
		if !ok {
			t.Errorf("the example names %s, which is not a rule", id)
			continue
		}
		if !slices.Contains(p.ruleIDs(string(r.Severity)), id) {
			t.Errorf("the plan does not report %s at severity %s", id, r.Severity)
		}
	}
	got = append(p.ruleIDs("error"), p.ruleIDs("warning")...)
	slices.Sort(got)
	if !slices.Equal(slices.Compact(got), mentioned) {
		t.Errorf("the plan reports %v; the example's comments name %v", got, mentioned)
	}
}

// checkOutputs compares outputs of an applied example with their values.
func (c *terraformCLI) checkOutputs(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		return
	}
	res := c.mustRun(t, dir, "output", "-json")
	var outputs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &outputs); err != nil {
		t.Fatalf("terraform output -json: %v\n%s", err, res)
	}
	for name, value := range want {
		var got bytes.Buffer
		if err := json.Compact(&got, outputs[name].Value); err != nil {
			t.Errorf("output %s: %v", name, err)
			continue
		}
		if got.String() != value {
			t.Errorf("output %s = %s, want %s", name, got.String(), value)
		}
	}
}

package modgen

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

// repoRoot is the repository, two directories up.
const repoRoot = "../.."

var update = flag.Bool("update", false, "rewrite modules/ from the generator")

func TestAWSModuleIsDeterministic(t *testing.T) {
	first := AWSModule()
	for range 5 {
		again := AWSModule()
		for name, b := range first {
			if !bytes.Equal(b, again[name]) {
				t.Fatalf("%s differs between two runs", name)
			}
		}
	}
}

func TestAWSModuleIsCanonicalHCL(t *testing.T) {
	parser := hclparse.NewParser()
	for name, b := range AWSModule() {
		if !strings.HasSuffix(name, ".tf") {
			continue
		}
		if formatted := hclwrite.Format(b); !bytes.Equal(formatted, b) {
			t.Errorf("%s is not in canonical format", name)
		}
		if _, diags := parser.ParseHCL(b, name); diags.HasErrors() {
			t.Errorf("%s does not parse: %s", name, diags)
		}
	}
}

// TestCommittedModuleIsGenerated is the drift check: modules/ must be what
// the generator writes. `go test ./internal/modgen -update` (or make
// generate) rewrites it.
func TestCommittedModuleIsGenerated(t *testing.T) {
	dir := filepath.Join(repoRoot, "modules", "aws-ml-environment")
	files := AWSModule()
	if *update {
		if err := Write(dir, files); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v: run make generate", err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := make([]string, 0, len(files))
	for name := range files {
		want = append(want, name)
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("%s holds %v, the generator writes %v: run make generate", dir, names, want)
	}
	for name, b := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s/%s differs from the generator's output: run make generate", dir, name)
		}
	}
}

// ctyOf is the cty type of a shape, independently of the HCL writer.
func ctyOf(s shape.Shape) cty.Type {
	switch s.Kind {
	case shape.String:
		return cty.String
	case shape.Number:
		return cty.Number
	case shape.Bool:
		return cty.Bool
	case shape.List:
		return cty.List(ctyOf(*s.Elem))
	case shape.Map:
		return cty.Map(ctyOf(*s.Elem))
	}
	attrs := map[string]cty.Type{}
	for _, f := range s.Fields {
		attrs[f.Name] = ctyOf(f.Shape)
	}
	return cty.Object(attrs)
}

// TestVariableTypesMatchTheProviderTypes reads the types back from
// variables.tf and compares them with the Go types the provider's schema is
// built from.
func TestVariableTypesMatchTheProviderTypes(t *testing.T) {
	src := AWSModule()["variables.tf"]
	f, diags := hclsyntax.ParseConfig(src, "variables.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]cty.Type{
		"blueprint":            ctyOf(shape.For[blueprint.Blueprint]()),
		"boundary":             ctyOf(shape.For[blueprint.Boundary]()),
		"create_oidc_provider": cty.Bool,
	}
	seen := 0
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "variable" {
			continue
		}
		seen++
		got, diags := typeexpr.TypeConstraint(b.Body.Attributes["type"].Expr)
		if diags.HasErrors() {
			t.Fatalf("variable %s: %s", b.Labels[0], diags)
		}
		if w, ok := want[b.Labels[0]]; !ok || !got.Equals(w) {
			t.Errorf("variable %s has type %s, want %s", b.Labels[0], got.FriendlyName(), w.FriendlyName())
		}
	}
	if seen != len(want) {
		t.Errorf("variables.tf declares %d variables, want %d", seen, len(want))
	}
}

func TestReadmeListsEveryOutput(t *testing.T) {
	readme := string(AWSModule()["README.md"])
	outputs := string(AWSModule()["outputs.tf"])
	for _, o := range awsOutputList {
		if !strings.Contains(readme, "| `"+o.name+"` |") || !strings.Contains(outputs, `output "`+o.name+`"`) {
			t.Errorf("output %s is missing from the README or outputs.tf", o.name)
		}
	}
}

// terraformPath is the CLI that make test provides, or the one on PATH.
func terraformPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("no Terraform CLI: run make test, which finds or installs one, or set TF_ACC_TERRAFORM_PATH")
	}
	return p
}

// TestTerraformFmt runs the real `terraform fmt -check` over the module and
// the examples.
func TestTerraformFmt(t *testing.T) {
	for _, dir := range []string{"modules", "examples"} {
		cmd := exec.Command(terraformPath(t), "fmt", "-check", "-recursive", "-diff", dir)
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("terraform fmt -check %s: %v\n%s", dir, err, out)
		}
	}
}

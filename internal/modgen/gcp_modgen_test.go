package modgen

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

func gcpModuleDir() string { return filepath.Join(repoRoot, "modules", "gcp-ml-environment") }

func TestModuleByCloud(t *testing.T) {
	for cloud, want := range map[string]map[string][]byte{"aws": AWSModule(), "gcp": GCPModule(), "azure": AzureModule()} {
		got, err := Module(cloud)
		if err != nil {
			t.Fatalf("Module(%q): %v", cloud, err)
		}
		for name, b := range want {
			if !bytes.Equal(got[name], b) {
				t.Errorf("Module(%q) differs from its generator in %s", cloud, name)
			}
		}
	}
	if _, err := Module("oci"); err == nil || !strings.Contains(err.Error(), "aws, gcp, azure") {
		t.Errorf("Module(oci) = %v, want an error naming the supported clouds", err)
	}
}

// TestGCPVariableTypesMatchTheProviderTypes reads the types back from
// variables.tf and compares them with the Go types the provider's schema is
// built from, and with the inputs the README lists.
func TestGCPVariableTypesMatchTheProviderTypes(t *testing.T) {
	src := GCPModule()["variables.tf"]
	f, diags := hclsyntax.ParseConfig(src, "variables.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]cty.Type{
		"blueprint":             ctyOf(shape.For[blueprint.Blueprint]()),
		"boundary":              ctyOf(shape.For[blueprint.Boundary]()),
		"project_number":        cty.String,
		"impersonators":         cty.Map(cty.List(cty.String)),
		"enable_services":       cty.Bool,
		"deletion_protection":   cty.Bool,
		"notification_channels": cty.List(cty.String),
	}
	var seen []string
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "variable" {
			continue
		}
		seen = append(seen, b.Labels[0])
		got, diags := typeexpr.TypeConstraint(b.Body.Attributes["type"].Expr)
		if diags.HasErrors() {
			t.Fatalf("variable %s: %s", b.Labels[0], diags)
		}
		if w, ok := want[b.Labels[0]]; !ok || !got.Equals(w) {
			t.Errorf("variable %s has type %s, want %s", b.Labels[0], got.FriendlyName(), w.FriendlyName())
		}
	}
	var inputs []string
	for _, in := range gcpInputs {
		inputs = append(inputs, in.name)
	}
	if !slices.Equal(seen, inputs) || len(seen) != len(want) {
		t.Errorf("variables.tf declares %v, the README's inputs are %v, want the %d of %v", seen, inputs, len(want), want)
	}
}

func TestGCPReadmeListsEveryInputAndOutput(t *testing.T) {
	readme := string(GCPModule()["README.md"])
	outputs := string(GCPModule()["outputs.tf"])
	for _, o := range gcpOutputList {
		if !strings.Contains(readme, "| `"+o.name+"` |") || !strings.Contains(outputs, `output "`+o.name+`"`) {
			t.Errorf("output %s is missing from the README or outputs.tf", o.name)
		}
	}
	for _, in := range gcpInputs {
		if !strings.Contains(readme, "| `"+in.name+"` |") {
			t.Errorf("input %s is missing from the README", in.name)
		}
	}
	for name := range GCPModule() {
		if strings.HasSuffix(name, ".tf") && name != "versions.tf" && name != "variables.tf" && name != "outputs.tf" &&
			!strings.Contains(readme, "- `"+name+"`: ") {
			t.Errorf("the README does not say what %s creates", name)
		}
	}
}

// TestGCPModuleIsForEachKeyed: every resource that the blueprint has
// several of is keyed by the blueprint's stable keys (for_each), never
// counted.
func TestGCPModuleIsForEachKeyed(t *testing.T) {
	singletons := map[string]bool{
		"google_compute_network.this": true, "google_kms_key_ring.this": true, "google_container_cluster.this": true,
		"google_logging_project_bucket_config.this": true, "google_logging_project_sink.this": true,
	}
	for name, src := range GCPModule() {
		if !strings.HasSuffix(name, ".tf") {
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "resource" {
				continue
			}
			addr := b.Labels[0] + "." + b.Labels[1]
			if _, counted := b.Body.Attributes["count"]; counted {
				t.Errorf("%s uses count", addr)
			}
			if _, keyed := b.Body.Attributes["for_each"]; !keyed && !singletons[addr] {
				t.Errorf("%s has no for_each", addr)
			}
		}
	}
}

// TestGCPSchemaKeepsTheModulesTypes: the trimmed google schema that the
// validation test serves holds every type the module uses, and its keep
// file names them (so that regenerating it keeps them).
func TestGCPSchemaKeepsTheModulesTypes(t *testing.T) {
	keep, err := os.Open(filepath.Join(repoRoot, "internal", "schemaprovider", "testdata", "google-8.0.0.keep"))
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Close()
	kept := map[string]bool{}
	sc := bufio.NewScanner(keep)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			kept[line] = true
		}
	}
	block := regexp.MustCompile(`(?m)^(resource|data) "([a-z0-9_]+)"`)
	for name, src := range GCPModule() {
		for _, m := range block.FindAllStringSubmatch(string(src), -1) {
			typ := m[2]
			if m[1] == "data" {
				typ = "data." + typ
			}
			if !kept[typ] {
				t.Errorf("%s uses %s, which google-8.0.0.keep does not name: add it and regenerate the trimmed schema", name, typ)
			}
		}
	}
}

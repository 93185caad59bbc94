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

func azureModuleDir() string { return filepath.Join(repoRoot, "modules", "azure-ml-environment") }

// TestAzureVariableTypesMatchTheProviderTypes reads the types back from
// variables.tf and compares them with the Go types the provider's schema is
// built from, and with the inputs the README lists.
func TestAzureVariableTypesMatchTheProviderTypes(t *testing.T) {
	src := AzureModule()["variables.tf"]
	f, diags := hclsyntax.ParseConfig(src, "variables.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]cty.Type{
		"blueprint":                      ctyOf(shape.For[blueprint.Blueprint]()),
		"boundary":                       ctyOf(shape.For[blueprint.Boundary]()),
		"human_principals":               cty.Map(cty.List(cty.String)),
		"grantee_principal_ids":          cty.Map(cty.String),
		"deletion_protection":            cty.Bool,
		"key_vault_allowed_ip_ranges":    cty.List(cty.String),
		"manage_key_vault_access":        cty.Bool,
		"network_watcher_name":           cty.String,
		"network_watcher_resource_group": cty.String,
		"system_node_vm_size":            cty.String,
		"action_group_ids":               cty.List(cty.String),
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
	for _, in := range azureInputs {
		inputs = append(inputs, in.name)
	}
	if !slices.Equal(seen, inputs) || len(seen) != len(want) {
		t.Errorf("variables.tf declares %v, the README's inputs are %v, want the %d of %v", seen, inputs, len(want), want)
	}
}

func TestAzureReadmeListsEveryInputAndOutput(t *testing.T) {
	readme := string(AzureModule()["README.md"])
	outputs := string(AzureModule()["outputs.tf"])
	for _, o := range azureOutputList {
		if !strings.Contains(readme, "| `"+o.name+"` |") || !strings.Contains(outputs, `output "`+o.name+`"`) {
			t.Errorf("output %s is missing from the README or outputs.tf", o.name)
		}
	}
	for _, in := range azureInputs {
		if !strings.Contains(readme, "| `"+in.name+"` |") {
			t.Errorf("input %s is missing from the README", in.name)
		}
	}
	for name := range AzureModule() {
		if strings.HasSuffix(name, ".tf") && name != "versions.tf" && name != "variables.tf" && name != "outputs.tf" &&
			!strings.Contains(readme, "- `"+name+"`: ") {
			t.Errorf("the README does not say what %s creates", name)
		}
	}
	// The outputs the brief of the module promises, and what a Kubernetes
	// provider needs.
	for _, name := range []string{"resource_group_name", "vnet_id", "subnet_ids", "nsg_ids", "identity_client_ids", "identity_principal_ids",
		"key_vault_id", "key_ids", "storage_account_ids", "registry_id", "cluster_id", "cluster_name", "oidc_issuer_url",
		"cluster_host", "cluster_ca_certificate", "registry_grants"} {
		if !slices.ContainsFunc(azureOutputList, func(o struct {
			name, description string
			sensitive         bool
			value             func() expr
		}) bool {
			return o.name == name
		}) {
			t.Errorf("the module has no output %s", name)
		}
	}
}

// azureSingletons are the module's resources of which an environment has
// exactly one.
var azureSingletons = map[string]bool{
	"azurerm_resource_group.this": true, "azurerm_virtual_network.this": true, "azurerm_key_vault.this": true,
	"azurerm_storage_account.flow_logs": true, "azurerm_container_registry.this": true,
	"azurerm_container_registry_cache_rule.mcr": true, "azurerm_disk_encryption_set.this": true,
	"azurerm_kubernetes_cluster.this": true, "azurerm_log_analytics_workspace.this": true,
	"azurerm_network_watcher_flow_log.this": true, "azurerm_subnet.api_server": true,
	"azurerm_public_ip.egress": true, "azurerm_nat_gateway.egress": true, "azurerm_nat_gateway_public_ip_association.egress": true,
}

// TestAzureModuleIsForEachKeyed: every resource that the blueprint has
// several of is keyed by the blueprint's stable keys (for_each), never
// counted.
func TestAzureModuleIsForEachKeyed(t *testing.T) {
	for name, src := range AzureModule() {
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
			if _, keyed := b.Body.Attributes["for_each"]; !keyed && !azureSingletons[addr] {
				t.Errorf("%s has no for_each", addr)
			}
		}
	}
}

// TestAzureSchemaKeepsTheModulesTypes: the trimmed azurerm schema that the
// validation test serves holds every type the module uses, and its keep
// file names them (so that regenerating it keeps them).
func TestAzureSchemaKeepsTheModulesTypes(t *testing.T) {
	keep, err := os.Open(filepath.Join(repoRoot, "internal", "schemaprovider", "testdata", "azurerm-5.2.0.keep"))
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
	for name, src := range AzureModule() {
		for _, m := range block.FindAllStringSubmatch(string(src), -1) {
			typ := m[2]
			if m[1] == "data" {
				typ = "data." + typ
			}
			if !kept[typ] {
				t.Errorf("%s uses %s, which azurerm-5.2.0.keep does not name: add it and regenerate the trimmed schema", name, typ)
			}
		}
	}
}

// TestAzureModuleKnowsEveryScope: the generator has a target for every
// scope it accepts, and the blueprint's role assignments use no other.
func TestAzureModuleKnowsEveryScope(t *testing.T) {
	for _, s := range azureScopes {
		if azureScopeComments[s] == "" {
			t.Errorf("scope %s has no comment", s)
		}
		_ = azureScopeTarget(s) // panics on a scope without a target
	}
	for name, vars := range azureSampleVars(t) {
		bp := vars["blueprint"].(blueprint.Blueprint)
		for _, b := range azureAssignmentsOf(bp, blueprint.Boundary{}) {
			if !slices.Contains(azureScopes, b.Scope) {
				t.Errorf("%s: role assignment %s has scope %s, which the module does not know", name, b.Key, b.Scope)
			}
		}
	}
}

// TestAzureTrimmedSchemaIsCurrent regenerates the trimmed azurerm schema
// that the validation and plan tests serve, from the full 5.2.0 schema in
// ../shared/schemas when it is there, with the types its keep file names,
// and wants the committed copy.
func TestAzureTrimmedSchemaIsCurrent(t *testing.T) {
	repo, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(repo, "..", "shared", "schemas", "azurerm-5.2.0.json.gz")
	if _, err := os.Stat(full); err != nil {
		t.Fatalf("the full azurerm schema is not beside the repository (../shared/schemas): %v", err)
	}
	testdata := filepath.Join(repo, "internal", "schemaprovider", "testdata")
	out := filepath.Join(t.TempDir(), "azurerm-5.2.0.json.gz")
	mustRun(t, repo, nil, "go", "run", "./tools/schematrim", "-in", full, "-out", out, "-provider", "hashicorp/azurerm",
		"-keep-file", filepath.Join(testdata, "azurerm-5.2.0.keep"))
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(testdata, "azurerm-5.2.0.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("internal/schemaprovider/testdata/azurerm-5.2.0.json.gz is stale: regenerate it with the command in azurerm-5.2.0.keep")
	}
}

package modgen

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// TestAzureExample validates examples/azure-complete against the real
// azurerm 5.2.0 schema and plans it end to end through the schema
// provider's plan mode, with this repository's provider computing the four
// blueprints and the topology: every module instance plans its network
// security groups, identities, keys, storage accounts and cluster.
func TestAzureExample(t *testing.T) {
	version := AzureProvenVersions[len(AzureProvenVersions)-1]
	tf := terraformPath(t)
	repo, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	mirror := filepath.Join(tmp, "mirror")
	for _, p := range []struct{ source, version, pkg string }{
		{"segmentedml/segmented", "0.1.0", "."},
		{"hashicorp/azurerm", version, "./tools/schemaprovider"},
	} {
		bin := filepath.Join(tmp, "bin", "terraform-provider-"+filepath.Base(p.source))
		mustRun(t, repo, nil, "go", "build", "-o", bin, p.pkg)
		mustRun(t, repo, nil, "go", "run", "./tools/tfmirror", "-mirror", mirror, "-provider", p.source, "-version", p.version, "-binary", bin)
	}
	rc := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"TF_CLI_CONFIG_FILE=" + rc, "TF_IN_AUTOMATION=1",
		"SEGMENTED_SCHEMA_FILE=" + filepath.Join(repo, "internal", "schemaprovider", "testdata", "azurerm-"+version+".json.gz"),
		"SEGMENTED_SCHEMA_PROVIDER=hashicorp/azurerm",
	}
	work := filepath.Join(tmp, "work")
	for _, dir := range []string{azureModuleRel, filepath.Join("examples", "azure-complete")} {
		copyTree(t, filepath.Join(repo, dir), filepath.Join(work, dir))
	}
	dir := filepath.Join(work, "examples", "azure-complete")
	mustRun(t, dir, env, tf, "init", "-input=false", "-backend=false")

	cmd := exec.Command(tf, "validate", "-json")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	out, _ := cmd.Output()
	var result tfjson.ValidateOutput
	if err := json.Unmarshal(out, &result); err != nil {
		t.Fatalf("terraform validate -json: %v\n%s", err, out)
	}
	for _, d := range result.Diagnostics {
		t.Errorf("%s: %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Range)
	}
	if !result.Valid {
		t.Fatal("examples/azure-complete is not valid against the real azurerm schema")
	}

	planEnv := append(env, "SEGMENTED_SCHEMA_PLAN=1")
	planFile := filepath.Join(tmp, "plan")
	mustRun(t, dir, planEnv, tf, "plan", "-input=false", "-lock=false", "-out="+planFile)
	var plan tfjson.Plan
	if err := json.Unmarshal(mustRun(t, dir, planEnv, tf, "show", "-json", planFile), &plan); err != nil {
		t.Fatal(err)
	}
	counts := map[string]map[string]int{} // module -> resource type -> count
	for _, rc := range plan.ResourceChanges {
		if rc.ModuleAddress == "" {
			continue
		}
		m := strings.TrimPrefix(rc.ModuleAddress, "module.")
		if counts[m] == nil {
			counts[m] = map[string]int{}
		}
		counts[m][rc.Type]++
	}
	for _, m := range []string{"dev", "staging", "prod", "shared"} {
		c := counts[m]
		for typ, atLeast := range map[string]int{
			"azurerm_network_security_rule": 10, "azurerm_user_assigned_identity": 8, "azurerm_role_assignment": 5,
			"azurerm_key_vault_key": 4, "azurerm_storage_account": 3, "azurerm_kubernetes_cluster": 1, "azurerm_subnet": 3,
		} {
			if c[typ] < atLeast {
				t.Errorf("module.%s plans %d %s, want at least %d", m, c[typ], typ, atLeast)
			}
		}
	}
	// The telemetry flows into shared open its workload NSG from each sender.
	var flows int
	for _, rc := range plan.ResourceChanges {
		if rc.ModuleAddress == "module.shared" && rc.Type == "azurerm_network_security_rule" && strings.Contains(fmt.Sprint(rc.Index), "flow-telemetry-from-") {
			flows++
		}
	}
	if flows != 3 {
		t.Errorf("module.shared plans %d flow rules, want one per telemetry sender (3)", flows)
	}
	// The grants across subscriptions: dev's and staging's models for the
	// promoters, shared's registry for prod's kubelet, each assigned once.
	grants := map[string]bool{}
	for _, rc := range plan.ResourceChanges {
		if rc.Type == "azurerm_role_assignment" && (strings.Contains(fmt.Sprint(rc.Index), "promotion-to-") || strings.Contains(fmt.Sprint(rc.Index), "artifact-pull-by-")) {
			grants[rc.ModuleAddress+" "+fmt.Sprint(rc.Index)] = true
		}
	}
	for _, want := range []string{"module.dev promotion-to-staging-bucket", "module.staging promotion-to-prod-bucket", "module.shared artifact-pull-by-prod"} {
		if !grants[want] {
			t.Errorf("no role assignment %s; the plan has %v", want, grants)
		}
	}
	promoters := 0
	for _, rc := range plan.ResourceChanges {
		if rc.Type == "azurerm_federated_identity_credential" && strings.Contains(fmt.Sprint(rc.Index), "promoter-") {
			promoters++
		}
	}
	if promoters != 2 {
		t.Errorf("%d promoter credentials, want 2 (staging's and prod's)", promoters)
	}
	t.Logf("planned %d resource changes", len(plan.ResourceChanges))
}

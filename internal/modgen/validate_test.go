package modgen

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// TestValidateAgainstTheRealAWSSchema runs the real `terraform validate` on
// the generated module and on examples/aws-complete, once for every
// hashicorp/aws release in AWSProvenVersions (the last 5.x and a recent
// 6.x). Terraform gets each release's schema from a schema-only provider
// (internal/schemaprovider) serving the trimmed copy of the real provider's
// `terraform providers schema -json` in internal/schemaprovider/testdata, so
// validation is schema-accurate without the provider binaries. `terraform
// init` installs the release from a mirror that holds only it, so the test
// also fails if the module's version constraint excludes a proven release.
func TestValidateAgainstTheRealAWSSchema(t *testing.T) {
	tf := terraformPath(t)
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	run := func(dir string, env []string, name string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return out
	}
	run(root, nil, "go", "build", "-o", filepath.Join(bin, "terraform-provider-segmented"), ".")
	run(root, nil, "go", "build", "-o", filepath.Join(bin, "terraform-provider-aws"), "./tools/schemaprovider")

	for _, version := range AWSProvenVersions {
		t.Run("aws-"+version, func(t *testing.T) {
			schema := filepath.Join(root, "internal", "schemaprovider", "testdata", "aws-"+version+".json.gz")
			if _, err := os.Stat(schema); err != nil {
				t.Fatalf("no trimmed schema for hashicorp/aws %s: %v", version, err)
			}
			mirror := filepath.Join(tmp, "mirror-"+version)
			run(root, nil, "go", "run", "./tools/tfmirror", "-mirror", mirror, "-provider", "segmentedml/segmented", "-version", "0.1.0",
				"-binary", filepath.Join(bin, "terraform-provider-segmented"))
			run(root, nil, "go", "run", "./tools/tfmirror", "-mirror", mirror, "-provider", "hashicorp/aws", "-version", version,
				"-binary", filepath.Join(bin, "terraform-provider-aws"))
			rc := filepath.Join(tmp, "terraformrc-"+version)
			config := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
			if err := os.WriteFile(rc, []byte(config), 0o644); err != nil {
				t.Fatal(err)
			}
			env := []string{
				"TF_CLI_CONFIG_FILE=" + rc,
				"TF_IN_AUTOMATION=1",
				"SEGMENTED_SCHEMA_FILE=" + schema,
			}

			// A copy keeps .terraform out of the tree, with the layout the
			// example's relative module source expects.
			work := filepath.Join(tmp, "work-"+version)
			for _, dir := range []string{"modules", filepath.Join("examples", "aws-complete")} {
				copyTree(t, filepath.Join(root, dir), filepath.Join(work, dir))
			}
			for _, dir := range []string{filepath.Join("modules", "aws-ml-environment"), filepath.Join("examples", "aws-complete")} {
				t.Run(filepath.ToSlash(dir), func(t *testing.T) {
					d := filepath.Join(work, dir)
					run(d, env, tf, "init", "-input=false", "-backend=false")
					if lock, err := os.ReadFile(filepath.Join(d, ".terraform.lock.hcl")); err != nil || !strings.Contains(string(lock), fmt.Sprintf("version     = %q", version)) {
						t.Fatalf("terraform init did not select hashicorp/aws %s (%v):\n%s", version, err, lock)
					}
					cmd := exec.Command(tf, "validate", "-json")
					cmd.Dir = d
					cmd.Env = append(os.Environ(), env...)
					out, _ := cmd.Output()
					var result tfjson.ValidateOutput
					if err := json.Unmarshal(out, &result); err != nil {
						t.Fatalf("terraform validate -json: %v\n%s", err, out)
					}
					for _, d := range result.Diagnostics {
						t.Errorf("%s: %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Range)
					}
					if !result.Valid {
						t.Errorf("terraform validate: %s is not valid against the hashicorp/aws %s schema", dir, version)
					}
				})
			}
			t.Run("network-acl-entries", func(t *testing.T) {
				checkACLEntries(t, tf, filepath.Join(work, "modules", "aws-ml-environment"), env)
			})
		})
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if strings.HasPrefix(d.Name(), "terraform.tfstate") || d.Name() == ".terraform.lock.hcl" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkACLEntries evaluates the module's network ACL entries with the real
// Terraform (terraform console, on the quick start's production blueprint
// and boundary) and wants exactly what FirewallRule.Entries gives in Go:
// the same keys, each with its one target, range and number. The entries to
// a gateway endpoint's prefix list, which need the AWS API, are left out.
func checkACLEntries(t *testing.T, tf, dir string, env []string) {
	vars := sampleVars(t)["prod"]
	b, err := json.Marshal(vars)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "prod.tfvars.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tf, "console", "-var-file="+file)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(`jsonencode({ for k, e in local.network_acl_rules : k => [e.target, e.cidr, e.priority, e.direction, e.action] })` + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform console: %v\n%s", err, out)
	}
	var encoded string
	if err := json.Unmarshal(out, &encoded); err != nil {
		t.Fatalf("terraform console printed %s: %v", out, err)
	}
	var got map[string][]any
	if err := json.Unmarshal([]byte(encoded), &got); err != nil {
		t.Fatal(err)
	}

	rules := append(slices.Clone(vars["blueprint"].(blueprint.Blueprint).FirewallRules), vars["boundary"].(blueprint.Boundary).FirewallRules...)
	want := map[string][]any{}
	for _, r := range rules {
		if r.Layer != blueprint.LayerNetworkACL {
			continue
		}
		for _, e := range r.Entries() {
			var cidr any
			if len(e.CIDRs) == 1 {
				cidr = e.CIDRs[0]
			}
			want[e.Key] = []any{e.Targets[0], cidr, float64(*e.Priority), e.Direction, e.Action}
		}
	}
	if len(want) < 40 {
		t.Fatalf("only %d network ACL entries in the sample: it no longer exercises the expansion", len(want))
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || !reflect.DeepEqual(g, w) {
			t.Errorf("entry %s: the module has %v, Entries has %v", k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("entry %s is in the module, not in Entries", k)
		}
	}
}

package modgen

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// TestValidateAgainstTheRealAWSSchema runs the real `terraform validate` on
// the generated module and on examples/aws-complete. Terraform gets the
// hashicorp/aws 6.47.1 schema from a schema-only provider
// (internal/schemaprovider) serving the trimmed copy of the real provider's
// `terraform providers schema -json` in internal/schemaprovider/testdata, so
// validation is schema-accurate without the 40-minute provider build.
func TestValidateAgainstTheRealAWSSchema(t *testing.T) {
	tf := terraformPath(t)
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	mirror := filepath.Join(tmp, "mirror")
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
	run(root, nil, "go", "run", "./tools/tfmirror", "-mirror", mirror, "-provider", "segmentedml/segmented", "-version", "0.1.0",
		"-binary", filepath.Join(bin, "terraform-provider-segmented"))
	run(root, nil, "go", "run", "./tools/tfmirror", "-mirror", mirror, "-provider", "hashicorp/aws", "-version", "6.47.1",
		"-binary", filepath.Join(bin, "terraform-provider-aws"))
	rc := filepath.Join(tmp, "terraformrc")
	config := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
	if err := os.WriteFile(rc, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"TF_CLI_CONFIG_FILE=" + rc,
		"TF_IN_AUTOMATION=1",
		"SEGMENTED_SCHEMA_FILE=" + filepath.Join(root, "internal", "schemaprovider", "testdata", "aws-6.47.1.json.gz"),
	}

	// A copy keeps .terraform out of the tree, with the layout the
	// example's relative module source expects.
	work := filepath.Join(tmp, "work")
	for _, dir := range []string{"modules", filepath.Join("examples", "aws-complete")} {
		copyTree(t, filepath.Join(root, dir), filepath.Join(work, dir))
	}
	for _, dir := range []string{filepath.Join("modules", "aws-ml-environment"), filepath.Join("examples", "aws-complete")} {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			d := filepath.Join(work, dir)
			run(d, env, tf, "init", "-input=false", "-backend=false")
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
				t.Errorf("terraform validate: %s is not valid against the hashicorp/aws 6.47.1 schema", dir)
			}
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

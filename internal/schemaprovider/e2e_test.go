package schemaprovider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// versionsTF pins the provider the schema-only binary stands in for.
const versionsTF = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.1"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}
`

// validTF is a configuration that the real aws 6.47.1 provider accepts.
const validTF = `data "aws_region" "current" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.64.0.0/16"
  enable_dns_hostnames = true
  tags                 = { env = "prod", region = data.aws_region.current.region }
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 4, 0)
  availability_zone = "us-east-1a"
}

resource "aws_iam_role" "nodes" {
  name               = "acme-prod-nodes"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}

resource "aws_kms_key" "data" {
  enable_key_rotation     = true
  rotation_period_in_days = 90
  deletion_window_in_days = 30
}

resource "aws_eks_node_group" "gpu" {
  cluster_name    = "acme-prod"
  node_group_name = "inference"
  node_role_arn   = aws_iam_role.nodes.arn
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["g5.2xlarge"]

  scaling_config {
    desired_size = 1
    min_size     = 1
    max_size     = 8
  }

  taint {
    key    = "nvidia.com/gpu"
    value  = "true"
    effect = "NO_SCHEDULE"
  }

  taint {
    key    = "purpose"
    value  = "inference"
    effect = "NO_EXECUTE"
  }
}
`

// terraformPath returns the Terraform CLI to test with, or skips the test.
func terraformPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("TF_ACC_TERRAFORM_PATH: %v", err)
		}
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH to run the end-to-end test")
	}
	return p
}

// moduleRoot returns the directory of this Go module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("not inside a Go module")
	}
	return filepath.Dir(gomod)
}

// run runs a command and returns its standard output and error. It fails
// the test if the command cannot run, or if it exits with an error and
// mayFail is not set.
func run(t *testing.T, cmd *exec.Cmd, mayFail bool) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && (!mayFail || !errors.As(err, &exitErr)) {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(cmd.Args, " "), err, out.String(), errOut.String())
	}
	return out.String(), errOut.String(), err
}

// terraformEnv returns the environment for Terraform: this process's,
// without TF_* variables that could change where providers come from, plus
// extra.
func terraformEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// TestTerraformValidate runs the real Terraform CLI against the schema-only
// provider serving the trimmed aws schema.
func TestTerraformValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds the provider and runs terraform")
	}
	tf := terraformPath(t)
	root := moduleRoot(t)
	tmp := t.TempDir()

	binary := filepath.Join(tmp, "terraform-provider-aws")
	build := exec.Command("go", "build", "-o", binary, "./tools/schemaprovider")
	build.Dir = root
	_, _, _ = run(t, build, false)

	mirror := filepath.Join(tmp, "mirror")
	install := exec.Command("go", "run", "./tools/tfmirror",
		"-mirror", mirror, "-provider", "hashicorp/aws", "-version", "6.47.1", "-binary", binary)
	install.Dir = root
	_, _, _ = run(t, install, false)

	cliConfig := filepath.Join(tmp, "terraform.rc")
	mirrorJSON, _ := json.Marshal(mirror) // an HCL-compatible quoted string
	writeFile(t, cliConfig, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %s\n  }\n}\n", mirrorJSON))

	schemaFile, err := filepath.Abs(testdataSchema)
	if err != nil {
		t.Fatal(err)
	}
	env := terraformEnv(
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"SEGMENTED_SCHEMA_FILE="+schemaFile,
	)
	work := filepath.Join(tmp, "work")
	writeFile(t, filepath.Join(work, "versions.tf"), versionsTF)
	terraform := func(args ...string) *exec.Cmd {
		cmd := exec.Command(tf, args...)
		cmd.Dir = work
		cmd.Env = env
		return cmd
	}
	_, _, _ = run(t, terraform("init", "-input=false", "-no-color"), false)

	tests := []struct {
		name   string
		config string
		want   []string // error summaries; none means valid
	}{
		{name: "valid", config: validTF},
		{
			name:   "misspelled argument",
			config: strings.Replace(validTF, "cidr_block           =", "cidr_blok            =", 1),
			want:   []string{"Unsupported argument"},
		},
		{
			name:   "missing required argument",
			config: strings.Replace(validTF, "vpc_id            = aws_vpc.main.id\n", "", 1),
			want:   []string{"Missing required argument"},
		},
		{
			name: "block beyond max items",
			config: strings.Replace(validTF, "  scaling_config {",
				"  scaling_config {\n    desired_size = 1\n    min_size     = 1\n    max_size     = 1\n  }\n\n  scaling_config {", 1),
			want: []string{"Too many scaling_config blocks"},
		},
		{
			name:   "wrong attribute type",
			config: strings.Replace(validTF, "subnet_ids      = [aws_subnet.a.id]", "subnet_ids      = \"subnet-0123\"", 1),
			want:   []string{"Incorrect attribute value type"},
		},
		{
			name:   "unknown resource type",
			config: validTF + "\nresource \"aws_vpcc\" \"typo\" {}\n",
			want:   []string{"Invalid resource type"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.config == validTF && len(tt.want) > 0 {
				t.Fatal("the test case does not change the valid configuration")
			}
			writeFile(t, filepath.Join(work, "main.tf"), tt.config)
			stdout, stderr, _ := run(t, terraform("validate", "-json", "-no-color"), true)
			var out tfjson.ValidateOutput
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("terraform validate -json: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
			}
			var got []string
			for _, d := range out.Diagnostics {
				t.Logf("%s: %s: %s", d.Severity, d.Summary, d.Detail)
				if d.Severity == tfjson.DiagnosticSeverityError {
					got = append(got, d.Summary)
				}
			}
			if out.Valid != (len(tt.want) == 0) || !slices.Equal(got, tt.want) {
				t.Errorf("valid = %t, errors %q; want errors %q", out.Valid, got, tt.want)
			}
		})
	}

	t.Run("plan", func(t *testing.T) {
		writeFile(t, filepath.Join(work, "main.tf"), validTF)
		_, stderr, err := run(t, terraform("plan", "-input=false", "-no-color", "-refresh=false"), true)
		if err == nil {
			t.Fatal("terraform plan succeeded against a schema-only provider")
		}
		if !strings.Contains(stderr, SchemaOnlyMessage) {
			t.Errorf("terraform plan failed without the schema-only error:\n%s", stderr)
		}
	})
}

// writeFile writes content to path, creating its directory.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

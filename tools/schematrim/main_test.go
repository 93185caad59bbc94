package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tfaddr "github.com/hashicorp/terraform-registry-address"
)

// config exercises every block that names a type.
const config = `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

data "aws_region" "current" {}

ephemeral "aws_kms_secrets" "s" {}

check "health" {
  data "aws_caller_identity" "me" {}
  assert {
    condition     = true
    error_message = "never"
  }
}

module "child" {
  source = "./child"
}

resource "segmented_ml_environment" "prod" {
  name = "prod"
}

resource "aws_not_in_schema" "x" {}
`

const configJSON = `{"resource": {"aws_subnet": {"a": {"vpc_id": "x"}}}}`

// schemaJSON is a tiny schema document with two providers.
const schemaJSON = `{
  "format_version": "1.0",
  "provider_schemas": {
    "example.com/other/thing": {"provider": {"version": 0, "block": {}}},
    "%s": {
      "provider": {"version": 0, "block": {"attributes": {"region": {"type": "string", "optional": true, "description": "<region> & more"}}}},
      "resource_schemas": {
        "aws_vpc": {"version": 1, "block": {}},
        "aws_subnet": {"version": 1, "block": {}},
        "aws_kms_key": {"version": 0, "block": {}},
        "aws_s3_bucket": {"version": 0, "block": {}}
      },
      "data_source_schemas": {
        "aws_region": {"version": 0, "block": {}},
        "aws_caller_identity": {"version": 0, "block": {}},
        "aws_vpc": {"version": 0, "block": {}}
      },
      "ephemeral_resource_schemas": {
        "aws_kms_secrets": {"version": 0, "block": {}},
        "aws_ssm_parameter": {"version": 0, "block": {}}
      },
      "resource_identity_schemas": {
        "aws_vpc": {"version": 0, "attributes": {"id": {"type": "string", "required_for_import": true}}},
        "aws_kms_key": {"version": 0, "attributes": {"id": {"type": "string", "required_for_import": true}}}
      },
      "list_resource_schemas": {"aws_vpc": {"version": 0, "block": {}}},
      "functions": {"arn_parse": {"return_type": "string", "parameters": [{"name": "arn", "type": "string"}]}}
    }
  }
}`

var aws = tfaddr.MustParseProviderSource("hashicorp/aws")

// fixture writes the configuration and the schema into a temporary
// directory and returns their paths.
func fixture(t *testing.T) (dir, schema string) {
	t.Helper()
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "module")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"main.tf":           config,
		"extra.tf.json":     configJSON,
		"notes.md":          `resource "aws_s3_bucket" "ignored" {}`,
		".hidden.tf":        `resource "aws_s3_bucket" "ignored" {}`,
		"child/main.tf":     `resource "aws_s3_bucket" "ignored" {}`,
		"../schema.json":    strings.Replace(schemaJSON, "%s", aws.String(), 1),
		"../bad/broken.tf":  `resource "aws_vpc" {`,
		"../empty/README":   "no configuration here",
		"../other/other.tf": `resource "aws_kms_key" "k" {}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, filepath.Join(tmp, "schema.json")
}

func TestScanDir(t *testing.T) {
	dir, _ := fixture(t)
	w := wanted{}
	if err := scanDir(dir, w); err != nil {
		t.Fatal(err)
	}
	names := func(k kind) []string {
		var out []string
		for n := range w[k] {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	if got, want := names(managed), []string{"aws_not_in_schema", "aws_subnet", "aws_vpc", "segmented_ml_environment"}; !slices.Equal(got, want) {
		t.Errorf("resources = %q, want %q", got, want)
	}
	if got, want := names(data), []string{"aws_caller_identity", "aws_region"}; !slices.Equal(got, want) {
		t.Errorf("data sources = %q, want %q", got, want)
	}
	if got, want := names(ephemeral), []string{"aws_kms_secrets"}; !slices.Equal(got, want) {
		t.Errorf("ephemeral resources = %q, want %q", got, want)
	}

	if err := scanDir(filepath.Join(dir, "..", "bad"), wanted{}); err == nil {
		t.Error("a syntax error was not reported")
	}
	if err := scanDir(filepath.Join(dir, "..", "empty"), wanted{}); err == nil {
		t.Error("a directory without configuration was not reported")
	}
}

// trimmedProvider decodes the provider part of trimmed output.
func trimmedProvider(t *testing.T, b []byte) map[string]map[string]json.RawMessage {
	t.Helper()
	var doc struct {
		FormatVersion string                                           `json:"format_version"`
		Providers     map[string]map[string]map[string]json.RawMessage `json:"provider_schemas"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.FormatVersion != "1.0" || len(doc.Providers) != 1 {
		t.Fatalf("format %q, %d providers", doc.FormatVersion, len(doc.Providers))
	}
	p, ok := doc.Providers[aws.String()]
	if !ok {
		t.Fatalf("provider %s missing", aws)
	}
	return p
}

func TestBuild(t *testing.T) {
	dir, schema := fixture(t)
	out, err := build(schema, "hashicorp/aws", []string{dir, filepath.Join(dir, "..", "other")},
		[]string{"aws_s3_bucket", "data.aws_vpc"}, false)
	if err != nil {
		t.Fatal(err)
	}
	p := trimmedProvider(t, out)
	keys := func(part string) []string {
		var out []string
		for k := range p[part] {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	for part, want := range map[string][]string{
		"resource_schemas":           {"aws_kms_key", "aws_s3_bucket", "aws_subnet", "aws_vpc"},
		"data_source_schemas":        {"aws_caller_identity", "aws_region", "aws_vpc"},
		"ephemeral_resource_schemas": {"aws_kms_secrets"},
		"resource_identity_schemas":  {"aws_kms_key", "aws_vpc"},
		"functions":                  {"arn_parse"},
		"list_resource_schemas":      nil,
	} {
		if got := keys(part); !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", part, got, want)
		}
	}
	if !bytes.Contains(out, []byte(`"description":"<region> & more"`)) {
		t.Errorf("provider schema not copied verbatim: %s", out)
	}

	again, err := build(schema, "hashicorp/aws", []string{filepath.Join(dir, "..", "other"), dir},
		[]string{"data.aws_vpc", "aws_s3_bucket"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, again) {
		t.Error("output depends on the order of the arguments")
	}

	if _, err := build(schema, "hashicorp/aws", nil, []string{"aws_nope", "data.aws_subnet"}, false); err == nil ||
		!strings.Contains(err.Error(), "data aws_subnet") || !strings.Contains(err.Error(), "resource aws_nope") {
		t.Errorf("missing -keep types: err = %v", err)
	}
	if _, err := build(schema, "hashicorp/google", nil, nil, false); err == nil {
		t.Error("a provider missing from the schema was not reported")
	}
}

func TestBuildGzipIsStable(t *testing.T) {
	dir, schema := fixture(t)
	var outs [][]byte
	for range 2 {
		out, err := build(schema, "hashicorp/aws", []string{dir}, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
		time.Sleep(1100 * time.Millisecond) // a time stamp would now differ
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("gzipped output is not stable")
	}
	zr, err := gzip.NewReader(bytes.NewReader(outs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("gzip header name %q, time %v", zr.Name, zr.ModTime)
	}
}

// TestTestdataIsCurrent regenerates the trimmed aws schemas that the
// schemaprovider and modgen tests use, when the full schema is available,
// and checks that the committed copies are identical: 6.47.1 from the shared
// schema directory, 5.100.0 from the real provider binary in a filesystem
// mirror (SEGMENTED_AWS_PLUGIN_DIR, by default the image's /opt/tf-plugins)
// through scripts/aws-schema.sh and the Terraform CLI.
func TestTestdataIsCurrent(t *testing.T) {
	testdata := filepath.Join("..", "..", "internal", "schemaprovider", "testdata")
	keeps, err := readKeepFile(filepath.Join(testdata, "aws-6.47.1.keep"))
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, full, version string) {
		t.Helper()
		got, err := build(full, "hashicorp/aws", nil, keeps, true)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(testdata, "aws-"+version+".json.gz"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("internal/schemaprovider/testdata/aws-%s.json.gz is stale; regenerate it with the commands in aws-6.47.1.keep and scripts/aws-schema.sh", version)
		}
	}
	t.Run("6.47.1", func(t *testing.T) {
		full := filepath.Join("..", "..", "..", "shared", "schemas", "aws-6.47.1.json.gz")
		if _, err := os.Stat(full); err != nil {
			t.Skipf("full schema not available: %v", err)
		}
		check(t, full, "6.47.1")
	})
	t.Run("5.100.0", func(t *testing.T) {
		if testing.Short() {
			t.Skip("slow: runs terraform with the real provider")
		}
		plugins := os.Getenv("SEGMENTED_AWS_PLUGIN_DIR")
		if plugins == "" {
			plugins = "/opt/tf-plugins"
		}
		bin := filepath.Join(plugins, "registry.terraform.io", "hashicorp", "aws", "5.100.0", "linux_amd64", "terraform-provider-aws_v5.100.0_x5")
		if _, err := os.Stat(bin); err != nil {
			t.Skipf("no aws 5.100.0 binary: %v", err)
		}
		tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if tf == "" {
			if tf, err = exec.LookPath("terraform"); err != nil {
				t.Skip("no Terraform CLI")
			}
		}
		full := filepath.Join(t.TempDir(), "aws-5.100.0.json.gz")
		cmd := exec.Command(filepath.Join("..", "..", "scripts", "aws-schema.sh"), plugins, "5.100.0", full, tf)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scripts/aws-schema.sh: %v\n%s", err, out)
		}
		check(t, full, "5.100.0")
	})
}

// TestKubernetesTestdataIsCurrent checks the trimmed kubernetes schema, whose
// full schema is not in ../shared/schemas (no release after v1.13.4 can be
// built from the Go module proxy; scripts/kubernetes-schema.sh records how
// the committed copy was made). Without a source, the committed copy must
// trim to itself with its keep file: it holds every type the list names and
// no other. With SEGMENTED_KUBERNETES_PROVIDER naming a hashicorp/kubernetes
// 3.2.1 binary, it must be what scripts/kubernetes-schema.sh writes from it.
func TestKubernetesTestdataIsCurrent(t *testing.T) {
	testdata := filepath.Join("..", "..", "internal", "schemaprovider", "testdata")
	committed := filepath.Join(testdata, "kubernetes-3.2.1.json.gz")
	want, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("keep file", func(t *testing.T) {
		keeps, err := readKeepFile(filepath.Join(testdata, "kubernetes-3.2.1.keep"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := build(committed, "hashicorp/kubernetes", nil, keeps, true)
		if err != nil {
			t.Fatalf("%v: regenerate it with scripts/kubernetes-schema.sh", err)
		}
		if !bytes.Equal(got, want) {
			t.Error("internal/schemaprovider/testdata/kubernetes-3.2.1.json.gz holds types that kubernetes-3.2.1.keep does not name, or is not schematrim's output; regenerate it with scripts/kubernetes-schema.sh")
		}
	})
	t.Run("3.2.1 binary", func(t *testing.T) {
		if testing.Short() {
			t.Skip("slow: runs terraform with the real provider")
		}
		bin := os.Getenv("SEGMENTED_KUBERNETES_PROVIDER")
		if bin == "" {
			t.Skip("no hashicorp/kubernetes 3.2.1 binary: set SEGMENTED_KUBERNETES_PROVIDER to one (scripts/kubernetes-schema.sh tells how it is built)")
		}
		tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if tf == "" {
			if tf, err = exec.LookPath("terraform"); err != nil {
				t.Skip("no Terraform CLI")
			}
		}
		out := filepath.Join(t.TempDir(), "kubernetes-3.2.1.json.gz")
		cmd := exec.Command(filepath.Join("..", "..", "scripts", "kubernetes-schema.sh"), bin, out, tf)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scripts/kubernetes-schema.sh: %v\n%s", err, b)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Error("internal/schemaprovider/testdata/kubernetes-3.2.1.json.gz is stale; regenerate it with scripts/kubernetes-schema.sh")
		}
	})
}

package provider

import (
	"bufio"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// wantMarker marks, at the end of a line of a test configuration, the
// diagnostics that the CLI must show on that line: "# want: SEG103" names a
// rule, any other text the start of a diagnostic's summary.
const wantMarker = "# want: "

// nestedEnvironments puts findings and input errors inside ingress,
// gpu_node_pools and waivers, in elements written on one line and over
// several lines. Before the paths were cut to what the CLI locates, each
// showed the resource's header, and SEG404 and the duplicate entry point
// the environment's own name line. SEG501 is on a top-level attribute: the
// near miss, whose path must stay whole.
const nestedEnvironments = `provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"

  log_retention_days = 30 # want: SEG501

  ingress = [
    { name = "https", port = 443, from_cidrs = ["0.0.0.0/0"] },
    { name = "ssh", port = 22, from_cidrs = ["0.0.0.0/0"] }, # want: SEG103
    {                                                        # want: SEG103
      name = "rdp"
      port = 3389
      from_cidrs = [
        "10.1.0.0/16",
        "203.0.113.0/24",
      ]
    },
  ]

  gpu_node_pools = [
    { name = "train", instance_type = "p4d.24xlarg", max_size = 4, purpose = "training" }, # want: SEG401
    {                                                                                      # want: SEG402
      name          = "batch"
      instance_type = "g5.2xlarge"
      min_size      = 5
      max_size      = 2
      purpose       = "training"
    },
    { name = "big", instance_type = "g5.2xlarge", max_size = 451, purpose = "training" },               # want: SEG402
    { name = "serve", instance_type = "g5.2xlarge", max_size = 2, spot = true, purpose = "inference" }, # want: SEG403
    { name = "train", instance_type = "g5.2xlarge", max_size = 2, purpose = "training" },               # want: SEG404
  ]

  waivers = [
    { rule = "SEG301", reason = "no key rotation finding to waive" }, # want: Waiver matches no finding
  ]
}

resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  cidr       = "10.70.0.0/16"

  ingress = [
    { name = "https", port = 443, from_cidrs = ["10.0.0.0/8"] },
    { name = "https", port = 8443, from_cidrs = ["10.0.0.0/8"] }, # want: Duplicate entry point name
  ]

  waivers = [
    { rule = "SEG103", reason = "a" },
    { rule = "SEG103", reason = "b" }, # want: Duplicate waiver
  ]
}
`

// nestedInputErrors breaks the schema's own validators of attributes nested
// in lists: before they were wrapped (validators_nested.go), a nested name
// showed the environment's own name line, and the others its header.
const nestedInputErrors = `provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16"

  ingress = [
    { name = "API", port = 443, from_cidrs = ["10.0.0.0/8"] },   # want: Invalid Attribute Value Match
    { name = "x", port = 70000, from_cidrs = ["10.0.0.0/8"] },   # want: Value out of range
    { name = "y", port = 443, from_cidrs = ["10.0.0.1/8"] },     # want: Invalid CIDR
    { name = "z", port = 443.5, from_cidrs = ["10.20.0.0/16"] }, # want: Not a whole number
  ]

  gpu_node_pools = [
    { name = "gpu", instance_type = "g5.xlarge", max_size = 2, purpose = "batch" }, # want: Invalid Attribute Value Match
  ]

  waivers = [
    { rule = "SEG403", reason = "  " }, # want: Blank reason
  ]
}
`

// nestedTopologies puts findings on environments[i].cidr, with environments
// referenced one by one or computed by a for expression (which the CLI can
// show only as a whole), and on flows[i].purpose, with flows written on one
// line and over several lines.
const nestedTopologies = `provider "segmented" {
  organization = "acme"
}

resource "segmented_ml_environment" "dev" {
  name       = "dev"
  tier       = "development"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "111111111111"
  cidr       = "10.66.0.0/16"
}

resource "segmented_ml_environment" "prod" {
  name       = "prod"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "333333333333"
  cidr       = "10.66.0.0/16"
  ci_subject = "repo:acme/ml:environment:prod"
}

resource "segmented_ml_topology" "listed" {
  environments = [
    segmented_ml_environment.dev.summary,
    segmented_ml_environment.prod.summary, # want: SEG601
  ]
  flows = [
    { from = "dev", to = "prod", purpose = "model-promotion" }, # want: SEG602
    { from = "prod", to = "dev", purpose = "model-promotion" }, # want: SEG602
    {                                                           # want: SEG602
      from    = "prod"
      to      = "dev"
      purpose = "deploy"
    },
  ]
}

resource "segmented_ml_topology" "computed" {
  environments = [for e in [segmented_ml_environment.dev, segmented_ml_environment.prod] : e.summary] # want: SEG601
}
`

// TestDiagnostics_nestedAttributeLines plans configurations with the real
// CLI and checks, in `terraform plan -json`, the line that each diagnostic's
// range starts on: the line of the list element at fault, or of the
// attribute for a top-level one.
func TestDiagnostics_nestedAttributeLines(t *testing.T) {
	cli := newTerraformCLI(t)
	for name, config := range map[string]string{"environments": nestedEnvironments, "topologies": nestedTopologies, "input errors": nestedInputErrors} {
		t.Run(name, func(t *testing.T) {
			cli.fmtCheck(t, name, config)
			dir := cli.workdir(t, map[string]string{"main.tf": config})
			cli.mustRun(t, dir, "init", "-input=false", "-backend=false")
			p := cli.plan(t, dir)
			if p.exit != 1 {
				t.Fatalf("the plan must fail: %s", p.result)
			}
			got := diagnosticLines(t, p.stdout)
			want := wantedLines(config)
			if !slices.Equal(got, want) {
				t.Errorf("diagnostics on lines\n  %s\nwant\n  %s\n%s", strings.Join(got, "\n  "), strings.Join(want, "\n  "), p.result)
			}
		})
	}
}

// TestAttributePath checks that a path is cut to the deepest form that the
// CLI locates, and that the detail then names the whole path.
func TestAttributePath(t *testing.T) {
	for _, tc := range []struct {
		path          rules.Path
		want          string
		namedInDetail bool
	}{
		{rules.Root("cidr"), "cidr", false},
		{rules.Root("availability_zones").Index(2), "availability_zones[2]", false},
		{rules.Root("ingress").Index(1).Attr("from_cidrs").Index(0), "ingress[1]", true},
		{rules.Root("gpu_node_pools").Index(3).Attr("name"), "gpu_node_pools[3]", true},
		{rules.Root("waivers").Index(0).Attr("rule"), "waivers[0]", true},
		{rules.Root("environments").Index(4).Attr("principals").Index(1), "environments[4]", true},
		{rules.Root("blueprint").Attr("name"), "blueprint", true},
		{nil, "", false},
	} {
		if got := attributePath(tc.path).String(); got != tc.want {
			t.Errorf("attributePath(%s) = %q, want %q", tc.path, got, tc.want)
		}
		detail := attributeDetail(tc.path, "the detail")
		if named := strings.HasPrefix(detail, tc.path.String()+": "); named != tc.namedInDetail || !strings.HasSuffix(detail, "the detail") {
			t.Errorf("attributeDetail(%s) = %q; want the path named: %v", tc.path, detail, tc.namedInDetail)
		}
	}
}

// diagnosticLines reads the diagnostics of `terraform plan -json` as
// "WHAT at main.tf:LINE", sorted, where WHAT is the rule ID or the summary.
func diagnosticLines(t *testing.T, stdout string) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		var line struct {
			Type       string `json:"type"`
			Diagnostic struct {
				diagnostic
				Range *struct {
					Filename string `json:"filename"`
					Start    struct {
						Line int `json:"line"`
					} `json:"start"`
				} `json:"range"`
			} `json:"diagnostic"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Type != "diagnostic" {
			continue
		}
		d := line.Diagnostic
		what := d.ruleID()
		if what == "" {
			what = d.Summary
		}
		if d.Range == nil {
			out = append(out, what+" without a source range")
			continue
		}
		out = append(out, fmt.Sprintf("%s at %s:%d", what, d.Range.Filename, d.Range.Start.Line))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the plan's JSON: %v", err)
	}
	slices.Sort(out)
	return out
}

// wantedLines reads the want markers of a configuration in the form
// diagnosticLines returns.
func wantedLines(config string) []string {
	var out []string
	for i, line := range strings.Split(config, "\n") {
		if _, want, ok := strings.Cut(line, wantMarker); ok {
			for _, what := range strings.Split(want, ", ") {
				out = append(out, fmt.Sprintf("%s at main.tf:%d", what, i+1))
			}
		}
	}
	slices.Sort(out)
	return out
}

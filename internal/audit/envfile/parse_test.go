package envfile

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// exampleFile is what testdata/environments.hcl declares.
func exampleFile() *File {
	src := audit.ByEnvironmentFile
	return &File{
		TagKeys: DefaultTagKeys(),
		Environments: []audit.Environment{
			{Name: "dev", Tier: segment.Development, CIDRs: prefixes("10.1.0.0/16"), Accounts: []string{"111111111111"}, Source: src},
			{Name: "staging", Tier: segment.Staging, CIDRs: prefixes("10.2.0.0/16"), Accounts: []string{"222222222222", "acme-ml-staging"}, Source: src},
			{Name: "prod", Tier: segment.Production, CIDRs: prefixes("10.3.0.0/16", "fd00:3::/48"), Accounts: []string{"333333333333"},
				Principals: []string{"arn:aws:iam::333333333333:role/acme-prod-deployer"}, Source: src},
			{Name: "shared", Tier: segment.Shared, CIDRs: prefixes("10.0.0.0/16"), Accounts: []string{"444444444444", "00000000-0000-0000-0000-000000000004"}, Source: src},
		},
		Flows: []segment.Flow{
			{From: "staging", To: "prod", Purpose: segment.ModelPromotion},
			{From: "prod", To: "shared", Purpose: segment.Telemetry},
		},
		Patterns: []Pattern{
			{"dev", KindName, "dev-*"},
			{"dev", KindName, "*-dev"},
			{"staging", KindName, "staging-*"},
			{"staging", KindAddress, "module.staging"},
			{"prod", KindName, "prod-*"},
			{"prod", KindName, "*-prod"},
			{"prod", KindAddress, "module.prod"},
			{"prod", KindAddress, "aws_*.prod_*"},
			{"shared", KindName, "shared-*"},
			{"shared", KindAddress, "module.prod.aws_s3_bucket.central_logs"},
		},
	}
}

func TestLoadExample(t *testing.T) {
	f, diags := Load("testdata/environments.hcl")
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", Format(diags))
	}
	if want := exampleFile(); !reflect.DeepEqual(f, want) {
		t.Errorf("Load:\n got %+v\nwant %+v", f, want)
	}
}

func TestRoundTrip(t *testing.T) {
	f, diags := Load("testdata/environments.hcl")
	if diags.HasErrors() {
		t.Fatal(Format(diags))
	}
	src := f.HCL()
	again, diags := Parse(src, "written.hcl")
	if len(diags) > 0 {
		t.Fatalf("the written file does not parse:\n%s\n%s", Format(diags), src)
	}
	if !reflect.DeepEqual(again, f) {
		t.Errorf("round trip changed the file:\n got %+v\nwant %+v\n%s", again, f, src)
	}
	if twice := again.HCL(); string(twice) != string(src) {
		t.Errorf("HCL is not stable:\n%s\n---\n%s", src, twice)
	}
}

func TestParseJSON(t *testing.T) {
	src := `{
  "tag_keys": ["env"],
  "environment": {
    "prod": {"tier": "production", "cidrs": ["10.3.0.0/16"], "addresses": ["module.prod"]},
    "shared": {"tier": "shared"}
  },
  "flow": [{"from": "prod", "to": "shared", "purpose": "telemetry"}]
}`
	f, diags := Parse([]byte(src), "environments.hcl.json")
	if len(diags) > 0 {
		t.Fatal(Format(diags))
	}
	if len(f.Environments) != 2 || len(f.Flows) != 1 || f.TagKeys[0] != "env" || len(f.Patterns) != 1 {
		t.Errorf("Parse JSON: %+v", f)
	}
	_, diags = Parse([]byte(`{"environment": {"prod": {"tier": "prod"}}}`), "e.json")
	if !diags.HasErrors() || !strings.Contains(Format(diags), "e.json:1,") || !strings.Contains(Format(diags), "Invalid tier") {
		t.Errorf("JSON diagnostics: %s", Format(diags))
	}
}

func TestDefaultTagKeysAndEmptyFile(t *testing.T) {
	f, diags := Parse(nil, "empty.hcl")
	if len(diags) > 0 {
		t.Fatal(Format(diags))
	}
	if !reflect.DeepEqual(f.TagKeys, DefaultTagKeys()) || len(f.Environments) != 0 {
		t.Errorf("empty file: %+v", f)
	}
}

func TestAzureSubscriptionLowerCase(t *testing.T) {
	f, diags := Parse([]byte(`environment "prod" {
  tier     = "production"
  accounts = ["0000000A-0000-0000-0000-00000000000B"]
}
environment "dev" {
  tier     = "development"
  accounts = ["0000000a-0000-0000-0000-00000000000b"]
}
`), "e.hcl")
	if f != nil || !strings.Contains(Format(diags), "e.hcl:7,15: The account is in two environments") {
		t.Errorf("a subscription in two cases is one subscription:\n%s", Format(diags))
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, diags := Load(filepath.Join(t.TempDir(), "nope.hcl"))
	got := Format(diags)
	if !strings.Contains(got, "nope.hcl: Cannot read the environments file: ") {
		t.Errorf("Load of a missing file: %q", got)
	}
}

func TestAllProblemsReported(t *testing.T) {
	src := `environment "prod" {
  tier  = "prd"
  cidrs = ["10.3.0.1/16", "bad"]
  names = [""]
}
flow {
  from    = "prod"
  to      = "nowhere"
  purpose = "gossip"
}
`
	f, diags := Parse([]byte(src), "e.hcl")
	if f != nil {
		t.Error("a file with errors returned a File")
	}
	want := []string{
		"e.hcl:2,11: Invalid tier",
		"e.hcl:3,12: CIDR not in canonical form",
		"e.hcl:3,27: Invalid CIDR",
		"e.hcl:4,12: Invalid name pattern",
		"e.hcl:8,13: Unknown environment",
		"e.hcl:9,13: Unknown flow purpose",
	}
	lines := strings.Split(strings.TrimSpace(Format(diags)), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(lines), len(want), Format(diags))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w+": ") {
			t.Errorf("diagnostic %d = %q, want prefix %q", i, lines[i], w)
		}
	}
}

func TestFormat(t *testing.T) {
	rng := hcl.Range{Filename: "e.hcl", Start: hcl.Pos{Line: 3, Column: 7}}
	diags := hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "S", Detail: "D.", Subject: &rng},
		{Severity: hcl.DiagWarning, Summary: "W", Subject: &rng},
		{Severity: hcl.DiagError, Summary: "No place"},
	}
	want := "e.hcl:3,7: S: D.\ne.hcl:3,7: warning: W\nNo place\n"
	if got := Format(diags); got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

func TestExampleIsFormatted(t *testing.T) {
	src, err := os.ReadFile("testdata/environments.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if got := hclwrite.Format(src); string(got) != string(src) {
		t.Errorf("testdata/environments.hcl is not in canonical format; run it through hclwrite.Format (terraform fmt):\n%s", got)
	}
}

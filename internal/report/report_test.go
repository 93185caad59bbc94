package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

func rule(t testing.TB, id string) rules.Rule {
	t.Helper()
	r, ok := rules.Lookup(id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	return r
}

// sample is an audit of three environments with findings of both
// severities on several environment pairs, an unattributed resource, and
// resources the locator of testdata/config finds and does not find.
func sample(t testing.TB) audit.Result {
	prodTag := audit.Attribution{Environment: "prod", Method: audit.ByTag, Evidence: `tag Environment = "prod"`}
	prodModule := audit.Attribution{Environment: "prod", Method: audit.ByModuleTag, Evidence: `tag segmented:environment = "prod"`}
	return audit.Result{
		Resources:  9,
		Attributed: 8,
		Environments: []audit.Environment{
			{Name: "prod", Tier: segment.Tier("production"), CIDRs: []netip.Prefix{netip.MustParsePrefix("10.30.0.0/16"), netip.MustParsePrefix("10.3.0.0/16")}, Accounts: []string{"222222222222"}, Source: audit.BySummary},
			{Name: "dev", Tier: segment.Tier("development"), CIDRs: []netip.Prefix{netip.MustParsePrefix("10.4.0.0/16")}, Accounts: []string{"111111111111"}, Source: audit.ByEnvironmentFile},
			{Name: "staging", Source: audit.ByTag},
		},
		Findings: []audit.Finding{
			{
				Rule: rule(t, "SEG701"), Address: "aws_security_group.app", Path: "ingress[0].cidr_blocks", Cloud: "aws",
				Environment: prodTag,
				Other:       audit.Attribution{Environment: "dev", Method: audit.ByNetwork, Evidence: "10.4.0.0/16 is the range of dev"},
				Message:     "ingress on tcp 443 admits 10.4.0.0/16, a range of dev; no declared flow allows dev to reach prod",
			},
			{
				Rule: rule(t, "SEG702"), Address: "module.prod.aws_vpc_peering_connection.to_dev", Cloud: "aws",
				Environment: prodModule,
				Other:       audit.Attribution{Environment: "dev", Method: audit.ByReference, Evidence: "peer_vpc_id -> aws_vpc.dev (10.4.0.0/16)"},
				Message:     "a peering joins the networks of prod and dev",
			},
			{
				Rule: rule(t, "SEG703"), Address: `module.prod.aws_iam_role.deployer["ci"]`, Path: "assume_role_policy", Cloud: "aws",
				Environment: prodModule,
				Other:       audit.Attribution{Environment: "staging", Method: audit.ByAccount, Evidence: "arn:aws:iam::333333333333:root"},
				Message:     "the trust policy lets account 333333333333 (staging) assume the role",
			},
			{
				Rule: rule(t, "SEG706"), Address: "aws_s3_bucket_policy.models", Path: "policy", Cloud: "aws",
				Environment: audit.Attribution{Environment: "staging", Method: audit.ByNamePattern, Evidence: `bucket "acme-staging-models" matches "acme-staging-*"`},
				Other:       audit.Attribution{Environment: "prod", Method: audit.ByAccount, Evidence: "arn:aws:iam::222222222222:role/reader"},
				Message:     "the bucket policy grants s3:GetObject to a role of prod\nthat no declared flow allows",
			},
			{
				Rule: rule(t, "SEG709"), Address: `module.prod.aws_iam_role.deployer["ci"]`, Path: "inline_policy[0].policy", Cloud: "aws",
				Environment: prodModule,
				Message:     "the policy is known only after apply, and no reference explains it",
			},
			{
				Rule: rule(t, "SEG709"), Address: "aws_kms_key.dev", Path: "policy", Cloud: "aws",
				Environment: audit.Attribution{Environment: "dev", Method: audit.ByProvider, Evidence: "provider aws.dev (account 111111111111)"},
				Message:     "the key policy is known only after apply",
			},
			{
				Rule: rule(t, "SEG708"), Address: "aws_instance.orphan", Cloud: "aws",
				Environment: audit.Attribution{Method: audit.Unattributed, Evidence: "no tag, name, account or network of an environment"},
				Message:     "aws_instance.orphan belongs to no known environment",
			},
		},
		Waived: []audit.Waived{{
			Finding: audit.Finding{
				Rule: rule(t, "SEG701"), Address: "aws_security_group.vpn", Path: "ingress[0].cidr_blocks", Cloud: "aws",
				Environment: prodTag,
				Other:       audit.Attribution{Environment: "dev", Method: audit.ByNetwork, Evidence: "10.4.0.0/16 is the range of dev"},
				Message:     "ingress on tcp 22 admits 10.4.0.0/16, a range of dev",
			},
			Reason: "the bastion's range is reviewed quarterly",
		}},
	}
}

func locator(t testing.TB) *source.Locator {
	t.Helper()
	l, err := source.Load("testdata/config")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func write(t testing.TB, res audit.Result, opt Options) ([]byte, Written) {
	t.Helper()
	var b bytes.Buffer
	w, err := Write(&b, res, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", file, got)
	}
}

func TestGolden(t *testing.T) {
	res := sample(t)
	loc := locator(t)
	tests := []struct {
		name      string
		opt       Options
		unlocated int
	}{
		{"text", Options{Format: "text", Locator: loc, ToolVersion: "1.2.3", Input: "plan.json"}, 3},
		{"json", Options{Format: "json", Locator: loc, ToolVersion: "1.2.3", Input: "plan.json"}, 3},
		{"sarif", Options{Format: "sarif", Locator: loc, ToolVersion: "1.2.3", Input: "plan.json"}, 3},
		{"sarif-stdin-nolocator", Options{Format: "sarif", ToolVersion: "1.2.3", Input: "-"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, w := write(t, res, tt.opt)
			golden(t, tt.name, got)
			if w.Results != 7 || w.Total != 7 || w.Truncated || w.Unlocated != tt.unlocated {
				t.Errorf("Written = %+v, want 7 of 7, not truncated, %d unlocated", w, tt.unlocated)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	res := sample(t)
	loc := locator(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, format := range Formats() {
		opt := Options{Format: format, Locator: loc, ToolVersion: "1.2.3", Input: "plan.json"}
		first, _ := write(t, res, opt)
		again, _ := write(t, res, opt)
		if !bytes.Equal(first, again) {
			t.Errorf("%s: two writes differ", format)
		}
		for range 5 {
			shuffled := res
			shuffled.Findings = slices.Clone(res.Findings)
			rng.Shuffle(len(shuffled.Findings), func(i, j int) {
				shuffled.Findings[i], shuffled.Findings[j] = shuffled.Findings[j], shuffled.Findings[i]
			})
			shuffled.Environments = slices.Clone(res.Environments)
			slices.Reverse(shuffled.Environments)
			if got, _ := write(t, shuffled, opt); !bytes.Equal(first, got) {
				t.Errorf("%s: shuffled findings give another output", format)
			}
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	_, err := Write(&b, sample(t), Options{Format: "xml"})
	if err == nil || !strings.Contains(err.Error(), `"xml"`) || !strings.Contains(err.Error(), "sarif") {
		t.Errorf("Write(xml) = %v, want an error naming the format and the valid ones", err)
	}
	if b.Len() != 0 {
		t.Errorf("Write(xml) wrote %q", b.String())
	}
}

func TestEmpty(t *testing.T) {
	res := audit.Result{Resources: 3, Attributed: 3}
	for _, format := range Formats() {
		got, w := write(t, res, Options{Format: format, Input: "plan.json"})
		if w.Results != 0 || w.Total != 0 {
			t.Errorf("%s: Written = %+v", format, w)
		}
		switch format {
		case "text":
			if !strings.Contains(string(got), "0 errors, 0 warnings, 3 resources audited, 3 attributed") {
				t.Errorf("text: no summary in\n%s", got)
			}
		case "json":
			if !strings.Contains(string(got), `"findings": []`) || !strings.Contains(string(got), `"environments": []`) {
				t.Errorf("json: want empty arrays, not null:\n%s", got)
			}
		case "sarif":
			validateSARIF(t, got)
		}
	}
}

// validateSARIF checks a document against the official SARIF 2.1.0 schema.
func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

func TestSARIFSchema(t *testing.T) {
	res := sample(t)
	for _, opt := range []Options{
		{Format: "sarif", Locator: locator(t), ToolVersion: "1.2.3", Input: "plan.json"},
		{Format: "sarif", Input: "-"},
		{Format: "sarif", Input: "/tmp/plan.json", MaxResults: 2},
	} {
		got, _ := write(t, res, opt)
		validateSARIF(t, got)
	}
}

// sarifDoc is the part of a SARIF document the tests read.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID         string         `json:"id"`
					HelpURI    string         `json:"helpUri"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ToolExecutionNotifications []struct {
				Message struct{ Text string } `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Properties map[string]any `json:"properties"`
		Results    []struct {
			RuleID              string                  `json:"ruleId"`
			RuleIndex           int                     `json:"ruleIndex"`
			Level               string                  `json:"level"`
			PartialFingerprints map[string]string       `json:"partialFingerprints"`
			Suppressions        []struct{ Kind string } `json:"suppressions"`
			Locations           []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
						EndLine   int `json:"endLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
					Kind               string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, b []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(d.Runs))
	}
	return d
}

func TestSARIFContent(t *testing.T) {
	got, _ := write(t, sample(t), Options{Format: "sarif", Locator: locator(t), ToolVersion: "1.2.3", Input: "plan.json"})
	run := readSARIF(t, got).Runs[0]
	if run.Tool.Driver.Name != "terraform-provider-segmented" {
		t.Errorf("driver %q", run.Tool.Driver.Name)
	}
	audits := rules.IDs(rules.ScopeAudit)
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		if want := rulesReference + "#" + strings.ToLower(r.ID); r.HelpURI != want {
			t.Errorf("%s: helpUri %q, want %q", r.ID, r.HelpURI, want)
		}
		if r.Properties["security-severity"] == nil || r.Properties["precision"] == nil {
			t.Errorf("%s: properties %v", r.ID, r.Properties)
		}
	}
	if !slices.Equal(ids, audits) {
		t.Errorf("rules %v, want the audit rules %v", ids, audits)
	}
	prints := map[string]bool{}
	for i, r := range run.Results {
		if ids[r.RuleIndex] != r.RuleID {
			t.Errorf("result %d: ruleIndex %d is %s, not %s", i, r.RuleIndex, ids[r.RuleIndex], r.RuleID)
		}
		if i > 0 && r.Level == "error" && run.Results[i-1].Level == "warning" && len(r.Suppressions) == 0 {
			t.Errorf("result %d: an error after a warning", i)
		}
		fp := r.PartialFingerprints["primaryLocationLineHash"]
		if fp == "" || prints[fp] {
			t.Errorf("result %d: fingerprint %q missing or repeated", i, fp)
		}
		prints[fp] = true
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation == nil || len(r.Locations[0].LogicalLocations) != 1 || r.Locations[0].LogicalLocations[0].Kind != "resource" {
			t.Errorf("result %d: locations %+v", i, r.Locations)
		}
	}
	// The security group's block is line 1 to 10 of main.tf; the bucket
	// policy is in no .tf file, so the result points at the plan.
	byAddress := map[string]string{}
	for _, r := range run.Results {
		l := r.Locations[0]
		p := l.PhysicalLocation
		byAddress[l.LogicalLocations[0].FullyQualifiedName] = p.ArtifactLocation.URIBaseID + "|" + p.ArtifactLocation.URI + "|" + itoa(p.Region.StartLine) + "-" + itoa(p.Region.EndLine)
	}
	for address, want := range map[string]string{
		"aws_security_group.app":                        "%SRCROOT%|main.tf|1-10",
		"module.prod.aws_vpc_peering_connection.to_dev": "%SRCROOT%|modules/env/main.tf|1-4",
		"aws_s3_bucket_policy.models":                   "|plan.json|1-0",
	} {
		if byAddress[address] != want {
			t.Errorf("%s located at %q, want %q", address, byAddress[address], want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestFingerprintsIgnoreLines: moving a block leaves the fingerprints
// alone.
func TestFingerprintsIgnoreLines(t *testing.T) {
	prints := func(opt Options) []string {
		got, _ := write(t, sample(t), opt)
		var out []string
		for _, r := range readSARIF(t, got).Runs[0].Results {
			out = append(out, r.PartialFingerprints["primaryLocationLineHash"], r.PartialFingerprints[fingerprintKey])
		}
		return out
	}
	located := prints(Options{Format: "sarif", Locator: locator(t), Input: "plan.json"})
	unlocated := prints(Options{Format: "sarif", Input: "-"})
	if !slices.Equal(located, unlocated) {
		t.Errorf("fingerprints depend on the location:\n%v\n%v", located, unlocated)
	}
}

func TestSARIFTruncated(t *testing.T) {
	got, w := write(t, sample(t), Options{Format: "sarif", Input: "plan.json", MaxResults: 3})
	if w.Results != 3 || w.Total != 7 || !w.Truncated {
		t.Errorf("Written = %+v, want 3 of 7, truncated", w)
	}
	validateSARIF(t, got)
	run := readSARIF(t, got).Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	for _, r := range run.Results {
		if r.Level != "error" {
			t.Errorf("a %s result kept while errors were cut", r.Level)
		}
	}
	if run.Properties["segmented/truncated"] != true || run.Properties["segmented/totalResults"] != float64(7) {
		t.Errorf("run properties %v", run.Properties)
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 ||
		!strings.Contains(run.Invocations[0].ToolExecutionNotifications[0].Message.Text, "3 most severe of 7") {
		t.Errorf("invocations %+v", run.Invocations)
	}
	// The cap does not apply to the other formats.
	for _, format := range []string{"text", "json"} {
		if _, w := write(t, sample(t), Options{Format: format, MaxResults: 3}); w.Results != 7 || w.Truncated {
			t.Errorf("%s: Written = %+v", format, w)
		}
	}
	// 0 means GitHub's limit.
	if _, w := write(t, sample(t), Options{Format: "sarif"}); w.Truncated || w.Results != 7 {
		t.Errorf("MaxResults 0: Written = %+v", w)
	}
}

func TestExitCode(t *testing.T) {
	res := sample(t)
	var warningsOnly audit.Result
	for _, f := range res.Findings {
		if f.Rule.Severity == rules.Warning {
			warningsOnly.Findings = append(warningsOnly.Findings, f)
		}
	}
	tests := []struct {
		name   string
		res    audit.Result
		failOn rules.Severity
		want   int
	}{
		{"errors, fail on error", res, rules.Error, 1},
		{"errors, fail on warning", res, rules.Warning, 1},
		{"warnings, fail on error", warningsOnly, rules.Error, 0},
		{"warnings, fail on warning", warningsOnly, rules.Warning, 1},
		{"clean, fail on error", audit.Result{Resources: 4}, rules.Error, 0},
		{"clean, fail on warning", audit.Result{Resources: 4}, rules.Warning, 0},
		{"errors, fail on unset", res, "", 1},
		{"warnings, fail on unset", warningsOnly, "", 0},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.res, tt.failOn); got != tt.want {
			t.Errorf("%s: ExitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestTextGroups(t *testing.T) {
	got, _ := write(t, sample(t), Options{Format: "text", Input: "plan.json"})
	var heads []string
	for _, l := range strings.Split(string(got), "\n") {
		if strings.HasPrefix(l, "== ") {
			heads = append(heads, l)
		}
	}
	want := []string{
		"== prod -> dev: 2 errors ==",
		"== prod -> staging: 1 error ==",
		"== staging -> prod: 1 error ==",
		"== dev: 1 warning ==",
		"== prod: 1 warning ==",
		"== unattributed resources: 1 warning ==",
		"== waived: 1 ==",
	}
	if !slices.Equal(heads, want) {
		t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(heads, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasSuffix(string(got), "\n4 errors, 3 warnings, 9 resources audited, 8 attributed\n") {
		t.Errorf("summary line missing:\n%s", got)
	}
}

// TestSchemaRejects makes sure the schema check can fail: a document with
// a wrong version and a result level SARIF does not know is refused.
func TestSchemaRejects(t *testing.T) {
	got, _ := write(t, sample(t), Options{Format: "sarif", Input: "plan.json"})
	bad := bytes.Replace(got, []byte(`"version": "2.1.0"`), []byte(`"version": "2.0.0"`), 1)
	bad = bytes.Replace(bad, []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
	if bytes.Equal(bad, got) {
		t.Fatal("the replacements changed nothing")
	}
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err == nil {
		t.Error("an invalid document validates")
	}
}

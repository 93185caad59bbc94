package modgen

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/scanners"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// finding is one scanner result, reduced to what the README names.
type finding = scanners.Finding

func tfsecFindings(t *testing.T, dir string, args ...string) []finding {
	t.Helper()
	fs, err := scanners.Tfsec(dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func trivyFindings(t *testing.T, dir string, args ...string) []finding {
	t.Helper()
	fs, err := scanners.Trivy(dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// checkFindings fails on a HIGH or CRITICAL finding that is not accepted,
// and on a lower finding that the README does not justify.
func checkFindings(t *testing.T, fs []finding, accepted []acceptedFinding) {
	t.Helper()
	for _, f := range fs {
		ok := slices.ContainsFunc(accepted, func(a acceptedFinding) bool {
			return a.scanner == f.Scanner && a.id == f.ID && a.severity == f.Severity
		})
		switch {
		case ok:
			t.Logf("%s %s %s on %s: accepted, see the module README", f.Scanner, f.Severity, f.ID, f.Resource)
		case f.Severity == "HIGH" || f.Severity == "CRITICAL":
			t.Errorf("%s reports %s %s on %s", f.Scanner, f.Severity, f.ID, f.Resource)
		default:
			t.Errorf("%s reports %s %s on %s, which the module README does not justify", f.Scanner, f.Severity, f.ID, f.Resource)
		}
	}
}

func moduleDir() string { return filepath.Join(repoRoot, "modules", "aws-ml-environment") }

// TestScannersOnTheModule: tfsec and trivy find nothing HIGH or CRITICAL in
// the generated module, and every lower finding is justified in its README.
func TestScannersOnTheModule(t *testing.T) {
	var accepted []acceptedFinding
	for _, a := range awsAccepted {
		if !a.withValues {
			accepted = append(accepted, a)
		}
	}
	t.Run("tfsec", func(t *testing.T) { checkFindings(t, tfsecFindings(t, moduleDir()), accepted) })
	t.Run("trivy", func(t *testing.T) { checkFindings(t, trivyFindings(t, moduleDir()), accepted) })
}

// TestScannersWithRealBlueprints scans the module again with the values of
// real blueprints and boundaries, which the scanners can then evaluate.
// What they report there is listed, with the reason, in the README.
func TestScannersWithRealBlueprints(t *testing.T) {
	for name, vars := range sampleVars(t) {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), name+".tfvars.json")
			b, err := json.Marshal(vars)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			fs := append(tfsecFindings(t, moduleDir(), "--tfvars-file", file), trivyFindings(t, moduleDir(), "--tf-vars", file)...)
			checkFindings(t, fs, awsAccepted)
		})
	}
}

// sampleVars are the quick start's production and shared environments, with
// their boundaries: a public entry point, promotions, telemetry, deploys and
// artifact pulls.
func sampleVars(t *testing.T) map[string]map[string]any {
	t.Helper()
	env := func(name string, tier segment.Tier, account, cidr string) segment.Environment {
		d := testkit.Must(tier.Defaults())
		return segment.Environment{
			Organization: "acme", Name: name, Tier: tier, Cloud: segment.AWS, Region: "us-east-1", AccountID: account,
			Zones: segment.DefaultZones("us-east-1"), CIDR: netip.MustParsePrefix(cidr),
			DataClassification: d.DataClassification, HumanAccess: d.HumanAccess,
			CISubject: "repo:acme/ml:environment:" + name, CIOIDCProvider: "token.actions.githubusercontent.com",
			LogRetentionDays: d.LogRetentionDays, KeyRotationDays: d.KeyRotationDays, KeyDeletionWindowDays: d.KeyDeletionWindowDays,
			Tags: map[string]string{"owner": "ml-platform"},
		}
	}
	prod := env("prod", segment.Production, "333333333333", "10.66.0.0/16")
	prod.GPUNodePools = []segment.NodePool{{Name: "inference", InstanceType: "g6.2xlarge", MinSize: 2, MaxSize: 16, Purpose: segment.Inference}}
	prod.Ingress = []segment.Ingress{{Name: "inference-api", Port: 443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}}}
	envs := []segment.Environment{
		env("staging", segment.Staging, "222222222222", "10.65.0.0/16"),
		prod,
		env("shared", segment.Shared, "444444444444", "10.67.0.0/16"),
	}
	var topo segment.Topology
	for _, e := range envs {
		s := blueprint.Summarize(e, testkit.Must(blueprint.Expand(e)))
		topo.Environments = append(topo.Environments, segment.Member{
			Name: s.Name, Organization: s.Organization, Tier: e.Tier, Cloud: e.Cloud, Region: s.Region,
			AccountID: s.AccountID, CIDR: e.CIDR, CISubject: s.CISubject, CIOIDCProvider: s.CIOIDCProvider, Principals: s.Principals,
		})
	}
	topo.Flows = []segment.Flow{
		{From: "staging", To: "prod", Purpose: segment.ModelPromotion},
		{From: "prod", To: "shared", Purpose: segment.Telemetry},
		{From: "shared", To: "prod", Purpose: segment.Deploy},
		{From: "shared", To: "prod", Purpose: segment.ArtifactPull},
	}
	bounds, issues := blueprint.Boundaries(topo)
	if len(issues) > 0 {
		t.Fatalf("boundary issues: %v", issues)
	}
	out := map[string]map[string]any{}
	for _, e := range envs[1:] {
		bp, err := blueprint.Expand(e)
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name] = map[string]any{"blueprint": bp, "boundary": bounds[e.Name]}
	}
	return out
}

// TestAcceptedFindingsAreCurrent keeps the README honest: an accepted
// finding that no scan reports any more must be removed from the list.
func TestAcceptedFindingsAreCurrent(t *testing.T) {
	var all []finding
	all = append(all, tfsecFindings(t, moduleDir())...)
	all = append(all, trivyFindings(t, moduleDir())...)
	for name, vars := range sampleVars(t) {
		file := filepath.Join(t.TempDir(), name+".tfvars.json")
		b, _ := json.Marshal(vars)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		all = append(all, tfsecFindings(t, moduleDir(), "--tfvars-file", file)...)
		all = append(all, trivyFindings(t, moduleDir(), "--tf-vars", file)...)
	}
	for _, a := range awsAccepted {
		if !slices.ContainsFunc(all, func(f finding) bool { return f.Scanner == a.scanner && f.ID == a.id && f.Severity == a.severity }) {
			t.Errorf("%s %s (%s) is listed as accepted, but no scan reports it: remove it from awsAccepted", a.scanner, a.id, a.severity)
		}
	}
	if !strings.Contains(string(AWSModule()["README.md"]), "Scanner findings") {
		t.Error("the README has no scanner section")
	}
}

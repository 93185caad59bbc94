package audit_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plan"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// fixture is one entry of testdata/fixtures.json: a plan made by a real
// Terraform CLI (scripts/audit-fixtures.sh), the environments file to read
// beside it, and the rule IDs a correct audit reports, decided from the
// configuration by whoever wrote it, not by running this code.
type fixture struct {
	Name         string   `json:"name"`
	Plan         string   `json:"plan"`
	Environments string   `json:"environments"`
	Want         []string `json:"want"`
	Why          string   `json:"why"`
}

func fixtures(t *testing.T) []fixture {
	t.Helper()
	data, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var fs []fixture
	if err := json.Unmarshal(data, &fs); err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 {
		t.Fatal("testdata/fixtures.json lists no fixture")
	}
	return fs
}

// auditFixture reads and audits one fixture's plan.
func auditFixture(t *testing.T, f fixture) audit.Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", f.Plan))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(f.Plan, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := plan.Read(data)
	if err != nil {
		t.Fatalf("%s: %v", f.Plan, err)
	}
	var file *envfile.File
	if f.Environments != "" {
		var diags = envfileLoad(t, filepath.Join("testdata", f.Environments))
		file = diags
	}
	return audit.Check(plan.Facts(doc, file))
}

func envfileLoad(t *testing.T, path string) *envfile.File {
	t.Helper()
	file, diags := envfile.Load(path)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", path, envfile.Format(diags))
	}
	return file
}

// TestFixtures audits every fixture and compares the rules it reports, with
// multiplicity, with what the fixture wants.
func TestFixtures(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			res := auditFixture(t, f)
			var got []string
			for _, fd := range res.Findings {
				got = append(got, fd.Rule.ID)
			}
			slices.Sort(got)
			want := slices.Clone(f.Want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rules %v, want %v (%s); findings:", got, want, f.Why)
				for _, fd := range res.Findings {
					t.Errorf("  %s %s %s: %s", fd.Rule.ID, fd.Address, fd.Path, fd.Message)
				}
			}
			for _, fd := range res.Findings {
				if fd.Rule.ID == "" || fd.Message == "" || fd.Address == "" {
					t.Errorf("incomplete finding %+v", fd)
				}
				if fd.Rule.ID != "SEG708" && !fd.Environment.Known() {
					t.Errorf("%s on %s does not say whose it is", fd.Rule.ID, fd.Address)
				}
			}
		})
	}
}

// TestFixturesDeterministic audits every fixture twice: the same findings in
// the same order.
func TestFixturesDeterministic(t *testing.T) {
	for _, f := range fixtures(t) {
		a, b := auditFixture(t, f), auditFixture(t, f)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s: two audits differ", f.Name)
		}
	}
}

// TestEveryAuditRuleHasFixtures: each audit rule's failing example is a
// fixture that wants exactly that rule, and its fixed example one that wants
// nothing, so every rule has a test that triggers it and one that does not.
func TestEveryAuditRuleHasFixtures(t *testing.T) {
	byName := map[string]fixture{}
	for _, f := range fixtures(t) {
		byName[f.Name] = f
	}
	for _, id := range rules.IDs(rules.ScopeAudit) {
		failing, ok1 := byName[id+"-failing"]
		fixed, ok2 := byName[id+"-fixed"]
		switch {
		case !ok1 || !ok2:
			t.Errorf("%s has no %s-failing or %s-fixed fixture", id, id, id)
		case !slices.Equal(failing.Want, []string{id}):
			t.Errorf("%s-failing wants %v, not exactly %s", id, failing.Want, id)
		case len(fixed.Want) != 0:
			t.Errorf("%s-fixed wants %v, not nothing", id, fixed.Want)
		}
	}
}

// TestLocalsThroughSource: with the configuration's source, a principal
// that comes through a local value is followed to the role it names.
func TestLocalsThroughSource(t *testing.T) {
	data, err := os.ReadFile("testdata/plans/aws-locals.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := plan.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	src, err := source.Load("testdata/fixtures/aws-locals")
	if err != nil {
		t.Fatal(err)
	}
	res := audit.Check(plan.FactsWith(doc, plan.Options{Source: src}))
	if len(res.Findings) != 1 || res.Findings[0].Rule.ID != "SEG703" || res.Findings[0].Other.Environment != "dev" {
		t.Fatalf("want one SEG703 naming dev, got %+v", res.Findings)
	}
}

package audit_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/scanners"
)

const (
	readme         = "../../README.md"
	comparisonFrom = "<!-- scanner-comparison:begin (internal/audit/scanners_test.go writes this table with SEGMENTED_UPDATE_README=1) -->\n"
	comparisonTo   = "<!-- scanner-comparison:end -->\n"
)

// comparisonFixtures are the fixtures the README's table compares: every
// cross-environment rule's violating fixture on each cloud (the rule
// examples, SEG70x-failing, are the aws ones).
func comparisonFixtures(t *testing.T) []fixture {
	want := map[string]bool{}
	for r := 701; r <= 707; r++ {
		id := fmt.Sprintf("SEG%d", r)
		want[id+"-failing"], want["google-"+id], want["azurerm-"+id] = true, true, true
	}
	var fs []fixture
	for _, f := range fixtures(t) {
		if want[f.Name] {
			fs = append(fs, f)
		}
	}
	return fs
}

// configDir is the directory of a fixture's configuration, alone: a rule
// example's failing.tf is copied away from its fixed.tf.
func configDir(t *testing.T, f fixture) string {
	if id, ok := strings.CutSuffix(f.Name, "-failing"); ok {
		src := filepath.Join("..", "rules", "examples", id, "failing.tf")
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return filepath.Join("testdata", "fixtures", f.Name)
}

// TestScannersSideBySide runs tfsec and trivy on the configurations of the
// violating fixtures, audits their plans, and checks that the README's
// table says what each of them finds on the resources the audit flags.
func TestScannersSideBySide(t *testing.T) {
	fs := comparisonFixtures(t)
	if len(fs) != 21 {
		t.Fatalf("%d comparison fixtures, want 21 (seven rules on three clouds)", len(fs))
	}
	rows := make([]string, len(fs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []string
	for i, f := range fs {
		res := auditFixture(t, f)
		dir := configDir(t, f)
		wg.Add(1)
		go func() {
			defer wg.Done()
			tf, err1 := scanners.Tfsec(dir)
			tv, err2 := scanners.Trivy(dir)
			if err1 != nil || err2 != nil {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("%s: %v %v", f.Name, err1, err2))
				mu.Unlock()
				return
			}
			var flagged, ids []string
			for _, fd := range res.Findings {
				flagged = append(flagged, fd.Address)
				ids = append(ids, fd.Rule.ID)
			}
			flagged, ids = uniqueSorted(flagged), uniqueSorted(ids)
			rows[i] = fmt.Sprintf("| %s | `%s` | %s | %s | %s |", f.Name, strings.Join(flagged, "`, `"),
				strings.Join(ids, ", "), onFlagged(tf, flagged), onFlagged(tv, flagged))
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(strings.Join(errs, "\n"))
	}
	table := "| fixture | resource the audit flags | audit | tfsec on it | trivy on it |\n|---|---|---|---|---|\n" + strings.Join(rows, "\n") + "\n"

	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	before, rest, ok1 := strings.Cut(text, comparisonFrom)
	_, after, ok2 := strings.Cut(rest, comparisonTo)
	if !ok1 || !ok2 {
		t.Fatalf("README.md has no scanner comparison between %q and %q", comparisonFrom, comparisonTo)
	}
	want := before + comparisonFrom + table + comparisonTo + after
	if want == text {
		return
	}
	if os.Getenv("SEGMENTED_UPDATE_README") == "1" {
		if err := os.WriteFile(readme, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's scanner comparison is not what the scanners and the audit find now; run with SEGMENTED_UPDATE_README=1 to rewrite it:\n%s", table)
}

// onFlagged names the scanner's findings on the flagged resources, or says
// that it has none there and how many it has elsewhere.
func onFlagged(fs []scanners.Finding, flagged []string) string {
	var on []string
	for _, f := range fs {
		if slices.Contains(flagged, f.Resource) {
			on = append(on, f.ID)
		}
	}
	if len(on) == 0 {
		return fmt.Sprintf("nothing (%d elsewhere)", len(fs))
	}
	return strings.Join(uniqueSorted(on), ", ")
}

func uniqueSorted(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

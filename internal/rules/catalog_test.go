package rules

import (
	"regexp"
	"slices"
	"strconv"
	"testing"
)

var ruleID = regexp.MustCompile(`^SEG[1-8][0-9]{2}$`)

func TestCatalogInvariants(t *testing.T) {
	cat := Catalog()
	if len(cat) == 0 {
		t.Fatal("empty catalog")
	}
	ids := make([]string, 0, len(cat))
	for _, r := range cat {
		ids = append(ids, r.ID)
		if !ruleID.MatchString(r.ID) {
			t.Errorf("rule ID %q is not of the form SEGnnn", r.ID)
		}
		if r.Title == "" || r.Rationale == "" || r.Remediation == "" {
			t.Errorf("%s: empty title, rationale or remediation: %+v", r.ID, r)
		}
		if r.CWE <= 0 {
			t.Errorf("%s: CWE %d", r.ID, r.CWE)
		}
		if r.CWEName() == "" {
			t.Errorf("%s: CWE-%d has no name", r.ID, r.CWE)
		}
		if r.CWEID() != "CWE-"+strconv.Itoa(r.CWE) {
			t.Errorf("%s: CWEID() = %q", r.ID, r.CWEID())
		}
		if r.Severity != Error && r.Severity != Warning {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Scope != ScopeEnvironment && r.Scope != ScopeTopology && r.Scope != ScopeAudit {
			t.Errorf("%s: scope %q", r.ID, r.Scope)
		}
		if r.Scope == ScopeEnvironment && r.checkEnvironment == nil {
			t.Errorf("%s: environment rule without a check", r.ID)
		}
	}
	if !slices.IsSorted(ids) {
		t.Errorf("Catalog() is not sorted by ID: %v", ids)
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("duplicate rule IDs: %v", ids)
	}
}

func TestCatalogReturnsACopy(t *testing.T) {
	cat := Catalog()
	cat[0].ID = "SEG000"
	cat[0].Title = "mutated"
	if again := Catalog(); again[0].ID == "SEG000" || again[0].Title == "mutated" {
		t.Error("mutating the result of Catalog() changed the catalog")
	}
}

func TestEnvironmentRuleIDs(t *testing.T) {
	want := []string{"SEG101", "SEG102", "SEG103", "SEG104", "SEG201", "SEG202", "SEG203", "SEG301", "SEG302", "SEG401", "SEG402", "SEG403", "SEG404", "SEG501", "SEG801", "SEG803", "SEG804"}
	if got := IDs(ScopeEnvironment); !slices.Equal(got, want) {
		t.Errorf("IDs(ScopeEnvironment) = %v, want %v", got, want)
	}
	for _, id := range IDs(ScopeTopology) {
		if r, _ := Lookup(id); r.Scope != ScopeTopology {
			t.Errorf("IDs(ScopeTopology) lists %s of scope %q", id, r.Scope)
		}
	}
}

// TestWaivable pins which rules may be waived: the rules without which no
// blueprint can be built may not (DESIGN.md, rules.Rule.Waivable).
func TestWaivable(t *testing.T) {
	notWaivable := []string{"SEG102", "SEG104", "SEG203", "SEG401", "SEG402", "SEG404"}
	for _, id := range IDs(ScopeEnvironment) {
		r, _ := Lookup(id)
		if want := !slices.Contains(notWaivable, id); r.Waivable != want {
			t.Errorf("%s: Waivable = %v, want %v", id, r.Waivable, want)
		}
	}
	if r, _ := Lookup("SEG403"); r.Severity != Warning {
		t.Errorf("SEG403 severity = %q, want warning", r.Severity)
	}
}

func TestLookup(t *testing.T) {
	for _, id := range []string{"SEG101", "seg101", "Seg101", "sEg101"} {
		r, ok := Lookup(id)
		if !ok || r.ID != "SEG101" {
			t.Errorf("Lookup(%q) = %q, %v; want SEG101, true", id, r.ID, ok)
		}
	}
	for _, id := range []string{"", "SEG999", "SEG10", "SEG1011", " SEG101", "101"} {
		if r, ok := Lookup(id); ok {
			t.Errorf("Lookup(%q) = %q, true; want not found", id, r.ID)
		}
	}
	for _, r := range Catalog() {
		got, ok := Lookup(r.ID)
		if !ok || got.ID != r.ID || got.Title != r.Title {
			t.Errorf("Lookup(%q) = %q, %v", r.ID, got.ID, ok)
		}
	}
}

package modgen

import (
	"slices"
	"strings"
	"testing"
)

// TestScannersOnTheGCPModule: every finding tfsec and trivy report on the
// generated Google Cloud module is justified in its README.
func TestScannersOnTheGCPModule(t *testing.T) {
	var accepted []acceptedFinding
	for _, a := range gcpAccepted {
		if !a.withValues {
			accepted = append(accepted, a)
		}
	}
	t.Run("tfsec", func(t *testing.T) { checkFindings(t, tfsecFindings(t, gcpModuleDir()), accepted) })
	t.Run("trivy", func(t *testing.T) { checkFindings(t, trivyFindings(t, gcpModuleDir()), accepted) })
}

// TestScannersOnTheGCPModuleWithRealBlueprints scans the module again with
// the values of real blueprints, which the scanners can then evaluate.
// What they report there is listed, with the reason, in the README.
func TestScannersOnTheGCPModuleWithRealBlueprints(t *testing.T) {
	for name, vars := range gcpSampleVars(t) {
		t.Run(name, func(t *testing.T) {
			file := varFile(t, name, vars)
			fs := append(tfsecFindings(t, gcpModuleDir(), "--tfvars-file", file), trivyFindings(t, gcpModuleDir(), "--tf-vars", file)...)
			checkFindings(t, fs, gcpAccepted)
		})
	}
}

// TestGCPAcceptedFindingsAreCurrent keeps the README honest: an accepted
// finding that no scan reports any more must be removed from the list, and
// one marked as seen only with values must not show on the module alone.
func TestGCPAcceptedFindingsAreCurrent(t *testing.T) {
	alone := append(tfsecFindings(t, gcpModuleDir()), trivyFindings(t, gcpModuleDir())...)
	all := slices.Clone(alone)
	for name, vars := range gcpSampleVars(t) {
		file := varFile(t, name, vars)
		all = append(all, tfsecFindings(t, gcpModuleDir(), "--tfvars-file", file)...)
		all = append(all, trivyFindings(t, gcpModuleDir(), "--tf-vars", file)...)
	}
	reported := func(fs []finding, a acceptedFinding) bool {
		return slices.ContainsFunc(fs, func(f finding) bool { return f.Scanner == a.scanner && f.ID == a.id && f.Severity == a.severity })
	}
	readme := string(GCPModule()["README.md"])
	for _, a := range gcpAccepted {
		switch {
		case !reported(all, a):
			t.Errorf("%s %s (%s) is listed as accepted, but no scan reports it: remove it from gcpAccepted", a.scanner, a.id, a.severity)
		case a.withValues && reported(alone, a):
			t.Errorf("%s %s (%s) is marked as seen only with values, but the module alone has it", a.scanner, a.id, a.severity)
		case !a.withValues && !reported(alone, a):
			t.Errorf("%s %s (%s) is marked as seen on the module alone, but only a scan with values reports it", a.scanner, a.id, a.severity)
		}
		if !strings.Contains(readme, "`"+a.id+"`") {
			t.Errorf("the README does not list %s", a.id)
		}
	}
}

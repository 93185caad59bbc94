package modgen

import (
	"slices"
	"strings"
	"testing"
)

// TestScannersOnTheAzureModule: every finding tfsec and trivy report on the
// generated Azure module is justified in its README.
func TestScannersOnTheAzureModule(t *testing.T) {
	var accepted []acceptedFinding
	for _, a := range azureAccepted {
		if !a.withValues {
			accepted = append(accepted, a)
		}
	}
	t.Run("tfsec", func(t *testing.T) { checkFindings(t, tfsecFindings(t, azureModuleDir()), accepted) })
	t.Run("trivy", func(t *testing.T) { checkFindings(t, trivyFindings(t, azureModuleDir()), accepted) })
}

// TestScannersOnTheAzureModuleWithRealBlueprints scans the module again
// with the values of real blueprints, which the scanners can then evaluate.
// What they report there is listed, with the reason, in the README.
func TestScannersOnTheAzureModuleWithRealBlueprints(t *testing.T) {
	for name, vars := range azureSampleVars(t) {
		t.Run(name, func(t *testing.T) {
			file := varFile(t, name, vars)
			fs := append(tfsecFindings(t, azureModuleDir(), "--tfvars-file", file), trivyFindings(t, azureModuleDir(), "--tf-vars", file)...)
			checkFindings(t, fs, azureAccepted)
		})
	}
}

// TestAzureAcceptedFindingsAreCurrent keeps the README honest: an accepted
// finding that no scan reports any more must be removed from the list, and
// one marked as seen only with values must not show on the module alone.
func TestAzureAcceptedFindingsAreCurrent(t *testing.T) {
	alone := append(tfsecFindings(t, azureModuleDir()), trivyFindings(t, azureModuleDir())...)
	all := slices.Clone(alone)
	for name, vars := range azureSampleVars(t) {
		file := varFile(t, name, vars)
		all = append(all, tfsecFindings(t, azureModuleDir(), "--tfvars-file", file)...)
		all = append(all, trivyFindings(t, azureModuleDir(), "--tf-vars", file)...)
	}
	reported := func(fs []finding, a acceptedFinding) bool {
		return slices.ContainsFunc(fs, func(f finding) bool { return f.Scanner == a.scanner && f.ID == a.id && f.Severity == a.severity })
	}
	readme := string(AzureModule()["README.md"])
	for _, a := range azureAccepted {
		switch {
		case !reported(all, a):
			t.Errorf("%s %s (%s) is listed as accepted, but no scan reports it: remove it from azureAccepted", a.scanner, a.id, a.severity)
		case a.withValues && reported(alone, a):
			t.Errorf("%s %s (%s) is marked as seen only with values, but the module alone has it", a.scanner, a.id, a.severity)
		case !a.withValues && !reported(alone, a):
			t.Errorf("%s %s (%s) is marked as seen on the module alone, but only a scan with values reports it", a.scanner, a.id, a.severity)
		}
		if !strings.Contains(readme, "`"+a.id+"`") {
			t.Errorf("the README does not list %s", a.id)
		}
		if strings.TrimSpace(a.why) == "" {
			t.Errorf("%s %s has no written justification", a.scanner, a.id)
		}
	}
}

package modgen

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// versioned matches the hashicorp/kubernetes resource types the module uses.
var versioned = regexp.MustCompile(`\bkubernetes_([a-z_]+)_v1\b`)

// unversionedKubernetesModule is a copy of the module with the deprecated
// unversioned resource types (kubernetes_network_policy for
// kubernetes_network_policy_v1): tfsec 1.x and trivy check only those, and
// see no Kubernetes resource at all in the module as generated.
func unversionedKubernetesModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range KubernetesModule() {
		if filepath.Ext(name) == ".tf" {
			b = versioned.ReplaceAll(b, []byte("kubernetes_$1"))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestScannersOnTheKubernetesModule: every finding tfsec and trivy report
// on the generated Kubernetes module, alone and with the values of real
// blueprints of three clouds, is justified in its README.
func TestScannersOnTheKubernetesModule(t *testing.T) {
	var alone []acceptedFinding
	for _, a := range kubernetesAccepted {
		if !a.withValues {
			alone = append(alone, a)
		}
	}
	t.Run("tfsec", func(t *testing.T) { checkFindings(t, tfsecFindings(t, kubernetesModuleDir()), alone) })
	t.Run("trivy", func(t *testing.T) { checkFindings(t, trivyFindings(t, kubernetesModuleDir()), alone) })
	unversioned := unversionedKubernetesModule(t)
	for name, vars := range kubernetesSamples(t) {
		t.Run(name, func(t *testing.T) {
			file := varFile(t, name, vars)
			var fs []finding
			for _, dir := range []string{kubernetesModuleDir(), unversioned} {
				fs = append(fs, tfsecFindings(t, dir, "--tfvars-file", file)...)
				fs = append(fs, trivyFindings(t, dir, "--tf-vars", file)...)
			}
			checkFindings(t, fs, kubernetesAccepted)
		})
	}
}

// TestScannersSeeTheUnversionedCopy: the copy the scanners can read is the
// module, and tfsec evaluates its network policies there (it passes
// checks), where on the module as generated it checks nothing.
func TestScannersSeeTheUnversionedCopy(t *testing.T) {
	passed := func(dir string, args ...string) int {
		out, _ := exec.Command("tfsec", append([]string{dir, "--no-colour"}, args...)...).CombinedOutput()
		m := regexp.MustCompile(`passed\s+(\d+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("tfsec printed no summary:\n%s", out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	file := varFile(t, "prod", kubernetesSamples(t)["prod"])
	if n := passed(kubernetesModuleDir(), "--tfvars-file", file, "--soft-fail"); n != 0 {
		t.Errorf("tfsec passed %d checks on the _v1 module: it knows those resources now, so scan the module itself only", n)
	}
	if n := passed(unversionedKubernetesModule(t), "--tfvars-file", file, "--soft-fail"); n == 0 {
		t.Error("tfsec checked nothing on the unversioned copy either")
	}
}

// TestKubernetesAcceptedFindingsAreCurrent: an accepted finding no scan
// reports any more must go, and the README lists every one.
func TestKubernetesAcceptedFindingsAreCurrent(t *testing.T) {
	unversioned := unversionedKubernetesModule(t)
	var all []finding
	for _, dir := range []string{kubernetesModuleDir(), unversioned} {
		all = append(all, tfsecFindings(t, dir)...)
		all = append(all, trivyFindings(t, dir)...)
		for name, vars := range kubernetesSamples(t) {
			file := varFile(t, name, vars)
			all = append(all, tfsecFindings(t, dir, "--tfvars-file", file)...)
			all = append(all, trivyFindings(t, dir, "--tf-vars", file)...)
		}
	}
	readme := string(KubernetesModule()["README.md"])
	for _, a := range kubernetesAccepted {
		if !slices.ContainsFunc(all, func(f finding) bool { return f.Scanner == a.scanner && f.ID == a.id && f.Severity == a.severity }) {
			t.Errorf("%s %s (%s) is listed as accepted, but no scan reports it: remove it from kubernetesAccepted", a.scanner, a.id, a.severity)
		}
		if !strings.Contains(readme, "`"+a.id+"`") {
			t.Errorf("the README does not list %s", a.id)
		}
	}
}

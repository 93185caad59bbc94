// Package scanners runs the single-resource scanners (tfsec and trivy) on a
// Terraform directory and reduces their JSON reports to findings. The tests
// use it to hold the generated modules to them and to show, side by side
// with the audit, what they see in cross-environment fixtures. make test
// installs both (scripts/install-scanners.sh) and puts them on PATH.
package scanners

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
)

// Finding is one scanner result.
type Finding struct {
	Scanner, ID, Severity, Resource string
}

// Tfsec scans dir with tfsec; args are extra flags such as --tfvars-file.
func Tfsec(dir string, args ...string) ([]Finding, error) {
	out, err := run("tfsec", append([]string{dir, "--format", "json", "--no-color", "--soft-fail"}, args...)...)
	if err != nil {
		return nil, err
	}
	var report struct {
		Results []struct {
			LongID   string `json:"long_id"`
			Severity string `json:"severity"`
			Resource string `json:"resource"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, fmt.Errorf("tfsec output: %w\n%s", err, out)
	}
	var fs []Finding
	for _, r := range report.Results {
		fs = append(fs, Finding{"tfsec", r.LongID, r.Severity, r.Resource})
	}
	return fs, nil
}

// Trivy scans dir with `trivy config`, its failed checks only; args are
// extra flags such as --tf-vars.
func Trivy(dir string, args ...string) ([]Finding, error) {
	cache, err := os.MkdirTemp("", "trivy-cache-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(cache)
	out, err := run("trivy", append(append([]string{"config", "--quiet", "--format", "json", "--skip-check-update",
		"--cache-dir", cache, "--exit-code", "0"}, args...), dir)...)
	if err != nil {
		return nil, err
	}
	var report struct {
		Results []struct {
			Misconfigurations []struct {
				AVDID         string `json:"AVDID"`
				ID            string `json:"ID"`
				Severity      string `json:"Severity"`
				Status        string `json:"Status"`
				CauseMetadata struct {
					Resource string `json:"Resource"`
				} `json:"CauseMetadata"`
			} `json:"Misconfigurations"`
		} `json:"Results"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, fmt.Errorf("trivy output: %w\n%s", err, out)
	}
	var fs []Finding
	for _, r := range report.Results {
		for _, m := range r.Misconfigurations {
			if m.Status == "FAIL" {
				fs = append(fs, Finding{"trivy", cmp.Or(m.AVDID, m.ID), m.Severity, m.CauseMetadata.Resource})
			}
		}
	}
	return fs, nil
}

// run runs a scanner found on PATH. A missing scanner is an error: it is an
// install step of make test, not an optional check.
func run(name string, args ...string) ([]byte, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s is not on PATH: run make test, which installs it with scripts/install-scanners.sh", name)
	}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return nil, fmt.Errorf("%s: %w\n%s%s", name, err, out, stderr)
	}
	return out, nil
}

package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// The tool's name, as reports and SARIF's driver give it.
const toolName = "terraform-provider-segmented"

// DefaultMaxResults is the number of SARIF results written when
// Options.MaxResults is 0: GitHub code scanning's limit per run.
const DefaultMaxResults = 25000

// Options says how to write a report.
type Options struct {
	// Format is one of Formats(): text, json or sarif.
	Format string
	// Locator finds the .tf block of each resource; nil when no source
	// directory was given.
	Locator *source.Locator
	// ToolVersion is the binary's version.
	ToolVersion string
	// Input is the plan file's name as given, "-" for standard input.
	Input string
	// MaxResults caps the SARIF results; 0 means DefaultMaxResults.
	MaxResults int
}

// Written says what a report holds, so that the command can tell the user
// on stderr what it left out.
type Written struct {
	// Results is how many findings were written, Total how many the audit
	// had.
	Results, Total int
	// Truncated is set when the SARIF cap left findings out.
	Truncated bool
	// Unlocated counts the written findings whose block the locator did not
	// find (all of them without a locator); GitHub cannot annotate a .tf
	// line for them.
	Unlocated int
}

// Formats returns the formats Write accepts.
func Formats() []string { return []string{"text", "json", "sarif"} }

// Write writes the audit's findings to w in opt.Format.
func Write(w io.Writer, res audit.Result, opt Options) (Written, error) {
	switch opt.Format {
	case "text":
		return writeText(w, res, opt)
	case "json":
		return writeJSON(w, res, opt)
	case "sarif":
		return writeSARIF(w, res, opt)
	}
	return Written{}, fmt.Errorf("report: unknown format %q: want one of %v", opt.Format, Formats())
}

// ExitCode returns ExitFindings (1) when a finding is at or above failOn,
// and ExitClean (0) otherwise. failOn "warning" fails on errors and
// warnings; "error", and any other value, on errors only.
func ExitCode(res audit.Result, failOn rules.Severity) int {
	for _, f := range res.Findings {
		if f.Rule.Severity == rules.Error || failOn == rules.Warning {
			return 1
		}
	}
	return 0
}

// sortedFindings returns a sorted copy of the findings.
func sortedFindings(fs []audit.Finding) []audit.Finding {
	out := slices.Clone(fs)
	audit.SortFindings(out)
	return out
}

// bySeverity returns a copy of the findings, errors first, each severity in
// the order of audit.SortFindings.
func bySeverity(fs []audit.Finding) []audit.Finding {
	out := sortedFindings(fs)
	slices.SortStableFunc(out, func(a, b audit.Finding) int {
		return cmp.Compare(rank(a.Rule.Severity), rank(b.Rule.Severity))
	})
	return out
}

func rank(s rules.Severity) int {
	if s == rules.Error {
		return 0
	}
	return 1
}

// attribution describes how an environment was found, for people.
func attribution(a audit.Attribution) string {
	if !a.Known() {
		if a.Evidence != "" {
			return "unattributed (" + a.Evidence + ")"
		}
		return "unattributed"
	}
	s := a.Environment
	switch {
	case a.Method != "" && a.Evidence != "":
		s += " (" + string(a.Method) + ": " + a.Evidence + ")"
	case a.Method != "":
		s += " (" + string(a.Method) + ")"
	case a.Evidence != "":
		s += " (" + a.Evidence + ")"
	}
	return s
}

// hasOther reports whether a finding has an environment on the other side.
func hasOther(f audit.Finding) bool {
	return f.Other.Environment != "" || f.Other.Method != "" || f.Other.Evidence != ""
}

func plural(n int, one string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %ss", n, one)
}

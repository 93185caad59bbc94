package audit

import (
	"cmp"
	"slices"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// Finding is one violation of an audit rule by one resource.
type Finding struct {
	Rule rules.Rule
	// Address is the resource at fault and Path the attribute in it
	// ("ingress[0].cidr_blocks", "" for the whole resource).
	Address string
	Path    string
	Cloud   string
	// Environment is the resource's environment, Other the environment on
	// the other side (empty for SEG708 and SEG709), each with how it was
	// attributed.
	Environment Attribution
	Other       Attribution
	Message     string
}

// Result is the outcome of one audit.
type Result struct {
	Findings []Finding
	// Resources counts the resources audited, Attributed those with an
	// environment.
	Resources  int
	Attributed int
	// Environments are the environments the audit knew, sorted by name.
	Environments []Environment
	// Waived are the findings that waivers accept, in the same order.
	Waived []Waived
}

// Counts returns how many findings there are at each severity.
func (r Result) Counts() (errors, warnings int) {
	for _, f := range r.Findings {
		if f.Rule.Severity == rules.Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// SortFindings orders findings by environment pair, most severe first, then
// rule, address, path and message: the order every report uses.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Environment.Environment, b.Environment.Environment),
			cmp.Compare(a.Other.Environment, b.Other.Environment),
			cmp.Compare(severityRank(a.Rule.Severity), severityRank(b.Rule.Severity)),
			cmp.Compare(a.Rule.ID, b.Rule.ID),
			cmp.Compare(a.Address, b.Address),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

func severityRank(s rules.Severity) int {
	if s == rules.Error {
		return 0
	}
	return 1
}

// Waived is a finding that a waiver of the environments file accepts.
type Waived struct {
	Finding
	Reason string
}

// Waive moves the findings that match returns a reason for out of Findings
// and into Waived, so that reports still show them with their reason.
func (r *Result) Waive(match func(Finding) (reason string, ok bool)) {
	kept := r.Findings[:0:0]
	for _, f := range r.Findings {
		if reason, ok := match(f); ok {
			r.Waived = append(r.Waived, Waived{Finding: f, Reason: reason})
		} else {
			kept = append(kept, f)
		}
	}
	r.Findings = kept
}

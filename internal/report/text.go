package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// group is the findings of one environment pair.
type group struct {
	env, other string // other is "" for findings with no other side
	findings   []audit.Finding
	errors     int
}

func (g group) unattributed() bool { return g.env == "" }

func (g group) title() string {
	switch {
	case g.unattributed():
		return "unattributed resources"
	case g.other == "":
		return g.env
	}
	return g.env + " -> " + g.other
}

// groups splits sorted findings by environment pair: groups with errors
// first, then the others, each in pair order, and unattributed resources
// last.
func groups(fs []audit.Finding) []group {
	var gs []group
	for _, f := range fs {
		env, other := f.Environment.Environment, f.Other.Environment
		if env == "" {
			other = ""
		}
		if n := len(gs); n == 0 || gs[n-1].env != env || gs[n-1].other != other {
			gs = append(gs, group{env: env, other: other})
		}
		g := &gs[len(gs)-1]
		g.findings = append(g.findings, f)
		if f.Rule.Severity == rules.Error {
			g.errors++
		}
	}
	// audit.SortFindings puts an environment's findings with no other side
	// before its pairs, and unattributed ones (environment "") first.
	slices.SortStableFunc(gs, func(a, b group) int {
		return cmp.Or(
			boolRank(a.unattributed(), b.unattributed()),
			boolRank(a.errors == 0, b.errors == 0),
		)
	})
	return gs
}

// boolRank orders false before true.
func boolRank(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func writeText(w io.Writer, res audit.Result, opt Options) (Written, error) {
	bw := bufio.NewWriter(w)
	fs := sortedFindings(res.Findings)
	input := opt.Input
	if input == "" || input == "-" {
		input = "standard input"
	}
	fmt.Fprintf(bw, "segmented audit of %s\n", input)
	written := Written{Results: len(fs), Total: len(fs)}
	if len(fs) == 0 {
		fmt.Fprintln(bw, "\nNo cross-environment violations found.")
	}
	for _, g := range groups(fs) {
		var counts []string
		if g.errors > 0 {
			counts = append(counts, plural(g.errors, "error"))
		}
		if n := len(g.findings) - g.errors; n > 0 {
			counts = append(counts, plural(n, "warning"))
		}
		fmt.Fprintf(bw, "\n== %s: %s ==\n", g.title(), strings.Join(counts, ", "))
		for _, f := range g.findings {
			if !writeTextFinding(bw, f, opt) {
				written.Unlocated++
			}
		}
	}
	if len(res.Waived) > 0 {
		fmt.Fprintf(bw, "\n== waived: %d ==\n", len(res.Waived))
		for _, wf := range res.Waived {
			fmt.Fprintf(bw, "\n%s %s on %s: waived: %s\n", wf.Rule.ID, wf.Rule.Severity, wf.Address, wf.Reason)
		}
	}
	errs, warns := res.Counts()
	fmt.Fprintf(bw, "\n%s, %s, %s audited, %d attributed\n",
		plural(errs, "error"), plural(warns, "warning"), plural(res.Resources, "resource"), res.Attributed)
	if err := bw.Flush(); err != nil {
		return Written{}, fmt.Errorf("report: writing text: %w", err)
	}
	return written, nil
}

// writeTextFinding writes one finding and reports whether its block was
// found.
func writeTextFinding(w io.Writer, f audit.Finding, opt Options) bool {
	fmt.Fprintf(w, "\n%s %s: %s\n", f.Rule.ID, f.Rule.Severity, f.Rule.Title)
	field := func(name, value string) {
		if value == "" {
			return
		}
		lines := strings.Split(strings.TrimRight(value, "\n"), "\n")
		fmt.Fprintf(w, "  %-12s %s\n", name+":", lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "  %-12s %s\n", "", l)
		}
	}
	field("resource", f.Address)
	field("attribute", f.Path)
	loc, found := opt.Locator.Find(f.Address)
	if found {
		field("declared at", lineRange(loc.File, loc.Line, loc.EndLine))
	}
	field("environment", attribution(f.Environment))
	if hasOther(f) {
		field("other side", attribution(f.Other))
	}
	field("problem", f.Message)
	field("fix", f.Rule.Remediation)
	return found
}

func lineRange(file string, line, end int) string {
	if end > line {
		return fmt.Sprintf("%s:%d-%d", file, line, end)
	}
	return fmt.Sprintf("%s:%d", file, line)
}

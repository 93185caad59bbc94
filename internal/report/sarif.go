package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

const (
	// informationURI is the provider's documentation.
	informationURI = "https://registry.terraform.io/providers/segmentedml/segmented/latest/docs"
	// rulesReference is the generated page of every rule (docs/guides/rules.md);
	// each rule's anchor is its ID in lower case, as internal/docgen writes it.
	rulesReference = "https://registry.terraform.io/providers/segmentedml/segmented/latest/docs/guides/rules"
	// srcRoot is the base of the .tf files' URIs: the source directory given
	// to the locator.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names our own fingerprint among partialFingerprints.
	fingerprintKey = "segmented/v1"
)

// securitySeverity is GitHub's score of a rule's severity: 7.0 to 8.9 is
// "high", 4.0 to 6.9 "medium".
var securitySeverity = map[rules.Severity]string{rules.Error: "8.0", rules.Warning: "4.0"}

func writeSARIF(w io.Writer, res audit.Result, opt Options) (Written, error) {
	limit := opt.MaxResults
	if limit <= 0 {
		limit = DefaultMaxResults
	}
	fs := bySeverity(res.Findings)
	written := Written{Total: len(fs)}
	if len(fs) > limit {
		fs, written.Truncated = fs[:limit], true
	}
	written.Results = len(fs)

	run := sarif.NewRunWithInformationURI(toolName, informationURI)
	if opt.ToolVersion != "" {
		run.Tool.Driver.WithVersion(opt.ToolVersion)
	}
	index := map[string]int{}
	for _, r := range sarifRules(fs) {
		index[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.AddRule(sarifRule(r))
	}

	seen := map[string]int{}
	for _, f := range fs {
		r, located := sarifResult(f, index[f.Rule.ID], opt, seen)
		if !located {
			written.Unlocated++
		}
		run.AddResult(r)
	}

	// Waived findings stay in the log as suppressed results, so code
	// scanning shows them as dismissed with the waiver's reason.
	for i, wf := range res.Waived {
		if written.Results+i >= limit {
			break
		}
		if _, ok := index[wf.Rule.ID]; !ok {
			continue
		}
		r, _ := sarifResult(wf.Finding, index[wf.Rule.ID], opt, seen)
		r.AddSuppression(sarif.NewSuppression().WithKind("external").WithStatus("accepted").WithJustification(wf.Reason))
		run.AddResult(r)
	}

	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	if written.Truncated {
		n := sarif.NewNotification().
			WithLevel(sarif.LevelWarning).
			WithMessage(sarif.NewTextMessage(fmt.Sprintf(
				"results truncated: wrote the %d most severe of %d findings (the limit is %d per run); the text and json formats list them all",
				written.Results, written.Total, limit)))
		inv.AddToolExecutionNotification(n)
	}
	run.AddInvocation(inv)
	errs, warns := res.Counts()
	run.WithProperties(sarif.NewPropertyBag().
		Add("segmented/formatVersion", jsonFormatVersion).
		Add("segmented/input", opt.Input).
		Add("segmented/resources", res.Resources).
		Add("segmented/attributed", res.Attributed).
		Add("segmented/errors", errs).
		Add("segmented/warnings", warns).
		Add("segmented/totalResults", written.Total).
		Add("segmented/truncated", written.Truncated))

	doc := sarif.NewReport()
	doc.AddRun(run)
	if err := doc.PrettyWrite(w); err != nil {
		return Written{}, fmt.Errorf("report: writing sarif: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return Written{}, fmt.Errorf("report: writing sarif: %w", err)
	}
	return written, nil
}

// sarifRules returns the audit rules of the catalog, then any other rule a
// finding names, in catalog (ID) order.
func sarifRules(fs []audit.Finding) []rules.Rule {
	var out []rules.Rule
	named := map[string]bool{}
	for _, f := range fs {
		named[f.Rule.ID] = true
	}
	for _, r := range rules.Catalog() {
		if r.Scope == rules.ScopeAudit || named[r.ID] {
			out = append(out, r)
			named[r.ID] = false
		}
	}
	// A finding may carry a rule the catalog does not have (a test's).
	for _, f := range fs {
		if named[f.Rule.ID] {
			out = append(out, f.Rule)
			named[f.Rule.ID] = false
		}
	}
	return out
}

// sarifRule is a rule's metadata: what GitHub shows beside each alert.
func sarifRule(r rules.Rule) *sarif.ReportingDescriptor {
	help := helpURI(r)
	cwe := fmt.Sprintf("%s: %s", r.CWEID(), r.CWEName())
	text := fmt.Sprintf("%s: %s\n\n%s\n\nFix: %s\n\nWeakness: %s\n\nReference: %s\n", r.ID, r.Title, r.Rationale, r.Remediation, cwe, help)
	markdown := fmt.Sprintf("**%s: %s**\n\n%s\n\n**Fix:** %s\n\n**Weakness:** [%s](https://cwe.mitre.org/data/definitions/%d.html)\n\nSee [%s in the rules reference](%s).\n",
		r.ID, r.Title, r.Rationale, r.Remediation, cwe, r.CWE, r.ID, help)
	level := sarifLevel(r.Severity)
	return sarif.NewRule(r.ID).
		WithName(ruleName(r)).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(r.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(r.Rationale)).
		WithHelp(sarif.NewMultiformatMessageString().WithText(text).WithMarkdown(markdown)).
		WithHelpURI(help).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level)).
		WithProperties(sarif.NewPropertyBag().
			Add("security-severity", securitySeverity[r.Severity]).
			Add("precision", "high").
			WithTags([]string{"security", "terraform", "segmentation", fmt.Sprintf("external/cwe/cwe-%d", r.CWE)}))
}

// helpURI links a rule's entry of the rules reference.
func helpURI(r rules.Rule) string { return rulesReference + "#" + strings.ToLower(r.ID) }

// ruleName turns a rule's title into the CamelCase name SARIF expects:
// "a network path joins two environments" is NetworkPathJoinsTwoEnvironments.
func ruleName(r rules.Rule) string {
	words := strings.FieldsFunc(r.Title, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '\'' })
	if len(words) > 1 && (words[0] == "a" || words[0] == "an" || words[0] == "the") {
		words = words[1:]
	}
	var b strings.Builder
	for _, w := range words {
		w = strings.ReplaceAll(w, "'", "")
		if w == "" {
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	if b.Len() == 0 {
		return r.ID
	}
	return b.String()
}

func sarifLevel(s rules.Severity) string {
	if s == rules.Error {
		return sarif.LevelError
	}
	return sarif.LevelWarning
}

// sarifResult turns one finding into a result and reports whether its
// physical location is the resource's block. seen counts the fingerprints
// already given, to number findings that would otherwise share one.
func sarifResult(f audit.Finding, ruleIndex int, opt Options, seen map[string]int) (*sarif.Result, bool) {
	var msg strings.Builder
	msg.WriteString(strings.TrimSpace(f.Message))
	fmt.Fprintf(&msg, "\n\nResource: %s", f.Address)
	if f.Path != "" {
		fmt.Fprintf(&msg, " (attribute %s)", f.Path)
	}
	fmt.Fprintf(&msg, "\nEnvironment: %s", attribution(f.Environment))
	if hasOther(f) {
		fmt.Fprintf(&msg, "\nOther side: %s", attribution(f.Other))
	}
	fmt.Fprintf(&msg, "\nFix: %s", f.Rule.Remediation)

	fp := fingerprint(f)
	seen[fp]++
	r := sarif.NewRuleResult(f.Rule.ID).
		WithRuleIndex(ruleIndex).
		WithLevel(sarifLevel(f.Rule.Severity)).
		WithMessage(sarif.NewTextMessage(msg.String())).
		WithPartialFingerprints(map[string]string{
			fingerprintKey: fmt.Sprintf("%s:%d", fp, seen[fp]),
			// GitHub matches alerts across runs on this key alone; ours
			// rests on what the finding is, not on the line it is at.
			"primaryLocationLineHash": fmt.Sprintf("%s:%d", fp[:16], seen[fp]),
		})

	props := sarif.NewPropertyBag().
		Add("segmented/environment", f.Environment.Environment).
		Add("segmented/attribution", jsonAttr(f.Environment).Method)
	if hasOther(f) {
		props.Add("segmented/otherEnvironment", f.Other.Environment)
	}
	if f.Path != "" {
		props.Add("segmented/path", f.Path)
	}
	if f.Cloud != "" {
		props.Add("segmented/cloud", f.Cloud)
	}
	r.WithProperties(props)

	loc := sarif.NewLocation().WithLogicalLocations([]*sarif.LogicalLocation{logicalLocation(f.Address)})
	block, located := opt.Locator.Find(f.Address)
	switch {
	case located:
		loc.WithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewArtifactLocation().WithURI(block.File).WithURIBaseID(srcRoot)).
			WithRegion(blockRegion(block)))
	case opt.Input != "" && opt.Input != "-":
		// GitHub needs a file and a line to show a result: without the
		// block, point at the plan the finding comes from.
		loc.WithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(planArtifact(opt.Input)).
			WithRegion(sarif.NewRegion().WithStartLine(1)))
	}
	r.WithLocations([]*sarif.Location{loc})
	return r, located
}

// fingerprint identifies a finding across runs by what it is: the rule,
// the resource, the attribute and the environment on the other side. It
// does not depend on line numbers, so it survives edits of the file.
func fingerprint(f audit.Finding) string {
	h := sha256.New()
	for _, part := range []string{f.Rule.ID, f.Address, f.Path, f.Other.Environment} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// logicalLocation names the resource by its address.
func logicalLocation(address string) *sarif.LogicalLocation {
	name := address
	if a, err := source.ParseAddress(address); err == nil {
		name = a.Type + "." + a.Name
	}
	return sarif.NewLogicalLocation().WithName(name).WithFullyQualifiedName(address).WithKind("resource")
}

// blockRegion is a block's lines and columns.
func blockRegion(b source.Location) *sarif.Region {
	r := sarif.NewRegion().WithStartLine(b.Line)
	if b.Column > 0 {
		r.WithStartColumn(b.Column)
	}
	if b.EndLine >= b.Line {
		r.WithEndLine(b.EndLine)
		if b.EndColumn > 0 {
			r.WithEndColumn(b.EndColumn)
		}
	}
	return r
}

// planArtifact is the plan file's location: relative paths stay relative
// (GitHub resolves them from the repository's root), absolute ones become
// file URIs.
func planArtifact(input string) *sarif.ArtifactLocation {
	p := filepath.ToSlash(filepath.Clean(input))
	if filepath.IsAbs(input) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive path
		}
		return sarif.NewArtifactLocation().WithURI("file://" + p)
	}
	return sarif.NewArtifactLocation().WithURI(strings.TrimPrefix(p, "./"))
}

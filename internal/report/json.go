package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
)

// jsonFormatVersion is the version of the JSON document's schema (see the
// package documentation).
const jsonFormatVersion = "1"

type jsonReport struct {
	FormatVersion string            `json:"format_version"`
	Tool          jsonTool          `json:"tool"`
	Input         string            `json:"input"`
	Summary       jsonSummary       `json:"summary"`
	Environments  []jsonEnvironment `json:"environments"`
	Findings      []jsonFinding     `json:"findings"`
	Waived        []jsonFinding     `json:"waived"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
	Findings   int `json:"findings"`
	Resources  int `json:"resources"`
	Attributed int `json:"attributed"`
	Waived     int `json:"waived"`
}

type jsonEnvironment struct {
	Name     string   `json:"name"`
	Tier     string   `json:"tier"`
	CIDRs    []string `json:"cidrs"`
	Accounts []string `json:"accounts"`
	Source   string   `json:"source"`
}

type jsonFinding struct {
	RuleID      string           `json:"rule_id"`
	Severity    string           `json:"severity"`
	CWE         int              `json:"cwe"`
	CWEName     string           `json:"cwe_name"`
	Title       string           `json:"title"`
	Address     string           `json:"address"`
	Path        string           `json:"path"`
	Cloud       string           `json:"cloud"`
	Environment jsonAttribution  `json:"environment"`
	Other       *jsonAttribution `json:"other"`
	Message     string           `json:"message"`
	Remediation string           `json:"remediation"`
	Location    *jsonLocation    `json:"location"`
	// Reason is set for a waived finding: the waiver's reason.
	Reason string `json:"reason,omitempty"`
}

type jsonAttribution struct {
	Name     string `json:"name"`
	Method   string `json:"method"`
	Evidence string `json:"evidence"`
}

type jsonLocation struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
}

func writeJSON(w io.Writer, res audit.Result, opt Options) (Written, error) {
	errs, warns := res.Counts()
	doc := jsonReport{
		FormatVersion: jsonFormatVersion,
		Tool:          jsonTool{Name: toolName, Version: opt.ToolVersion},
		Input:         opt.Input,
		Summary:       jsonSummary{Errors: errs, Warnings: warns, Findings: len(res.Findings), Resources: res.Resources, Attributed: res.Attributed, Waived: len(res.Waived)},
		Environments:  jsonEnvironments(res.Environments),
		Findings:      []jsonFinding{},
		Waived:        []jsonFinding{},
	}
	written := Written{Results: len(res.Findings), Total: len(res.Findings)}
	for _, f := range sortedFindings(res.Findings) {
		jf, located := jsonOf(f, opt)
		if !located {
			written.Unlocated++
		}
		doc.Findings = append(doc.Findings, jf)
	}
	for _, wf := range res.Waived {
		jf, _ := jsonOf(wf.Finding, opt)
		jf.Reason = wf.Reason
		doc.Waived = append(doc.Waived, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return Written{}, fmt.Errorf("report: writing json: %w", err)
	}
	return written, nil
}

// jsonOf is one finding in the JSON schema, and whether its block was found.
func jsonOf(f audit.Finding, opt Options) (jsonFinding, bool) {
	{
		jf := jsonFinding{
			RuleID:      f.Rule.ID,
			Severity:    string(f.Rule.Severity),
			CWE:         f.Rule.CWE,
			CWEName:     f.Rule.CWEName(),
			Title:       f.Rule.Title,
			Address:     f.Address,
			Path:        f.Path,
			Cloud:       f.Cloud,
			Environment: jsonAttr(f.Environment),
			Message:     f.Message,
			Remediation: f.Rule.Remediation,
		}
		if hasOther(f) {
			o := jsonAttr(f.Other)
			jf.Other = &o
		}
		loc, ok := opt.Locator.Find(f.Address)
		if ok {
			jf.Location = &jsonLocation{File: loc.File, Line: loc.Line, EndLine: loc.EndLine}
		}
		return jf, ok
	}
}

func jsonAttr(a audit.Attribution) jsonAttribution {
	m := string(a.Method)
	if m == "" && !a.Known() {
		m = string(audit.Unattributed)
	}
	return jsonAttribution{Name: a.Environment, Method: m, Evidence: a.Evidence}
}

// jsonEnvironments lists the environments by name, their ranges and
// accounts sorted.
func jsonEnvironments(envs []audit.Environment) []jsonEnvironment {
	out := make([]jsonEnvironment, 0, len(envs))
	for _, e := range envs {
		je := jsonEnvironment{Name: e.Name, Tier: string(e.Tier), CIDRs: []string{}, Accounts: []string{}, Source: string(e.Source)}
		cidrs := slices.Clone(e.CIDRs)
		slices.SortFunc(cidrs, func(a, b netip.Prefix) int {
			return cmp.Or(a.Addr().Compare(b.Addr()), cmp.Compare(a.Bits(), b.Bits()))
		})
		for _, p := range slices.Compact(cidrs) {
			je.CIDRs = append(je.CIDRs, p.String())
		}
		je.Accounts = append(je.Accounts, e.Accounts...)
		slices.Sort(je.Accounts)
		je.Accounts = slices.Compact(je.Accounts)
		out = append(out, je)
	}
	slices.SortStableFunc(out, func(a, b jsonEnvironment) int { return strings.Compare(a.Name, b.Name) })
	return out
}

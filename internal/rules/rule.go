// Package rules holds the catalog of segmentation rules and the checks behind
// them. A check turns a domain value into findings, each attached to the
// attribute path at fault, so the provider, the CLI and the docs all speak of
// the same rule IDs, CWEs and fixes.
package rules

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Severity says whether a finding fails the plan.
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Scope says what a rule looks at.
type Scope string

// The scopes.
const (
	ScopeEnvironment Scope = "environment" // one segmented_ml_environment
	ScopeTopology    Scope = "topology"    // segmented_ml_topology, across environments
	ScopeAudit       Scope = "audit"       // the audit command, over any plan's resources
)

// Rule is one entry of the catalog.
type Rule struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	CWE      int      `json:"cwe"`
	Scope    Scope    `json:"scope"`
	// Waivable says whether a waiver may turn the rule off. Rules without
	// which no blueprint can be built (a range too small to carve, an unknown
	// instance type) cannot be waived.
	Waivable    bool   `json:"waivable"`
	Title       string `json:"title"`
	Rationale   string `json:"rationale"`   // why it matters for ML environments
	Remediation string `json:"remediation"` // the fix, naming the attribute to change

	// Inputs are the attributes the check reads, as paths in which [*]
	// stands for any list index: "cidr", "gpu_node_pools[*].max_size",
	// "environments[*].tier". A value not known at plan time that one of
	// them covers postpones the rule to apply, with a warning that names
	// both; every other rule runs at plan time.
	Inputs []string `json:"inputs"`

	// Failing and Fixed are complete example configurations (a provider
	// block and resources, in `terraform fmt` style), read from
	// examples/<ID>/failing.tf and fixed.tf (examples.go): Failing breaks the rule
	// and no other (except SEG607's, which also breaks SEG602, as every such
	// chain does, and SEG201's, whose write access is SEG803's editor role
	// too), and Fixed is the same configuration with the fix. The
	// rules reference in docs/ shows them, and acceptance tests plan both
	// (internal/provider/docs_rules_test.go).
	Failing string `json:"failing"`
	Fixed   string `json:"fixed"`
	// OnClouds are the same pair for clouds where the rule meets a hazard of
	// their own (a Google Cloud N1 machine without its accelerator),
	// read from examples/<ID>/<cloud>/failing.tf and fixed.tf, by cloud.
	OnClouds []CloudExample `json:"on_clouds,omitempty"`
	// AlsoAudited marks a rule of the provider's scopes that the audit
	// command checks too, on hand-written resources (Kubernetes objects).
	AlsoAudited bool `json:"also_audited,omitempty"`

	checkEnvironment func(segment.Environment) []Finding
	checkTopology    func(segment.Topology) []Finding
	inputs           []Path // Inputs, parsed once
}

// CWEID returns the rule's weakness as "CWE-n".
func (r Rule) CWEID() string { return fmt.Sprintf("CWE-%d", r.CWE) }

// CWEName returns the name of the rule's weakness.
func (r Rule) CWEName() string { return cweNames[r.CWE] }

// cweNames names the weaknesses the catalog refers to; a test checks that
// every rule's CWE is here.
var cweNames = map[int]string{
	20:   "Improper Input Validation",
	250:  "Execution with Unnecessary Privileges",
	272:  "Least Privilege Violation",
	324:  "Use of a Key Past its Expiration Date",
	400:  "Uncontrolled Resource Consumption",
	653:  "Improper Isolation or Compartmentalization",
	668:  "Exposure of Resource to Wrong Sphere",
	693:  "Protection Mechanism Failure",
	694:  "Use of Multiple Resources with Duplicate Identifier",
	778:  "Insufficient Logging",
	1284: "Improper Validation of Specified Quantity in Input",
	284:  "Improper Access Control",
	923:  "Improper Restriction of Communication Channel to Intended Endpoints",
	1059: "Insufficient Technical Documentation",
}

// Catalog returns every rule, sorted by ID.
func Catalog() []Rule {
	out := make([]Rule, len(ruleTable))
	copy(out, ruleTable)
	for i := range out {
		out[i].OnClouds = slices.Clone(out[i].OnClouds)
	}
	return out
}

// Audited reports whether the audit command reports the rule: every audit
// rule, and the provider's rules it checks on hand-written resources too.
// An environments file's waivers may name exactly these.
func (r Rule) Audited() bool { return r.Scope == ScopeAudit || r.AlsoAudited }

// AuditedIDs returns the IDs of the rules the audit reports, sorted.
func AuditedIDs() []string {
	var ids []string
	for _, r := range ruleTable {
		if r.Audited() {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// Lookup finds a rule by ID, case-insensitively.
func Lookup(id string) (Rule, bool) {
	for _, r := range ruleTable {
		if strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	return Rule{}, false
}

// IDs returns the IDs of the rules of a scope, sorted.
func IDs(scope Scope) []string {
	var ids []string
	for _, r := range ruleTable {
		if r.Scope == scope {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func init() {
	sort.Slice(ruleTable, func(i, j int) bool { return ruleTable[i].ID < ruleTable[j].ID })
	for _, r := range ruleTable {
		if cweNames[r.CWE] == "" {
			panic(fmt.Sprintf("rules: %s refers to CWE-%d, which has no name", r.ID, r.CWE))
		}
	}
	for i := range ruleTable {
		for _, in := range ruleTable[i].Inputs {
			p, err := ParsePath(in)
			if err != nil {
				panic(fmt.Sprintf("rules: %s has an invalid input %q: %v", ruleTable[i].ID, in, err))
			}
			ruleTable[i].inputs = append(ruleTable[i].inputs, p)
		}
		if ruleTable[i].Waivable && ruleTable[i].Scope == ScopeEnvironment {
			// A waiver not known yet may turn the finding off at apply.
			ruleTable[i].inputs = append(ruleTable[i].inputs, Root("waivers").Any().Attr("rule"))
		}
	}
	for i := 1; i < len(ruleTable); i++ {
		if ruleTable[i].ID == ruleTable[i-1].ID {
			panic("rules: duplicate rule " + ruleTable[i].ID)
		}
	}
}

// Finding is one violation of a rule, attached to an attribute path.
type Finding struct {
	Rule    Rule
	Path    Path
	Message string
}

// Summary is the one-line form used as a diagnostic summary: it starts with
// the rule ID.
func (f Finding) Summary() string { return f.Rule.ID + ": " + f.Rule.Title }

// Detail explains the finding, its weakness and the fix.
func (f Finding) Detail() string {
	d := fmt.Sprintf("%s\n\n%s: %s.\nFix: %s", f.Message, f.Rule.CWEID(), f.Rule.CWEName(), f.Rule.Remediation)
	if f.Rule.Waivable {
		d += fmt.Sprintf("\nTo accept the risk instead, add waivers = [{ rule = %q, reason = \"...\" }].", f.Rule.ID)
	}
	return d
}

// finding makes a finding of the rule whose check calls it; the caller of
// the check fills in the rule.
func finding(path Path, format string, args ...any) Finding {
	return Finding{Path: path, Message: fmt.Sprintf(format, args...)}
}

// sortFindings orders findings by rule ID, then path, then message. Paths
// are rendered once, and an index is sorted rather than the findings, which
// each carry their rule.
func sortFindings(fs []Finding) {
	paths := make([]string, len(fs))
	order := make([]int, len(fs))
	for i, f := range fs {
		paths[i], order[i] = f.Path.String(), i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(fs[a].Rule.ID, fs[b].Rule.ID), cmp.Compare(paths[a], paths[b]), cmp.Compare(fs[a].Message, fs[b].Message))
	})
	sorted := make([]Finding, len(fs))
	for i, j := range order {
		sorted[i] = fs[j]
	}
	copy(fs, sorted)
}

// CloudExample is a rule's failing and fixed configuration on one cloud.
type CloudExample struct {
	Cloud   string `json:"cloud"`
	Failing string `json:"failing"`
	Fixed   string `json:"fixed"`
}

package rules

import "embed"

// examples holds every rule's failing and fixed configuration, one
// directory per rule (examples/SEG101/failing.tf, fixed.tf), so that each is
// a Terraform file that editors, `terraform fmt` and reviewers see as one.
// The provider rules' examples use segmented_ml_environment and
// segmented_ml_topology; the audit rules' are hand-written Terraform, as the
// audit meets it, with the environments file it reads beside them, and
// scripts/audit-fixtures.sh plans them into the plan JSON that
// internal/audit's tests read.
//
//go:embed examples
var examples embed.FS

// example returns a rule's failing or fixed configuration, or "" when there
// is none (a test says so).
func example(id, name string) string {
	file := name + ".tf"
	if name == "environments" {
		file = name + ".hcl"
	}
	b, err := examples.ReadFile("examples/" + id + "/" + file)
	if err != nil {
		return ""
	}
	return string(b)
}

// Example returns one of a rule's example files ("failing", "fixed" or
// "environments", the environments file the audit reads beside them), or ""
// when the rule has none.
func Example(id, name string) string { return example(id, name) }

// withExamples fills in each rule's failing and fixed configuration from
// its directory, and those of each cloud from its subdirectories.
func withExamples(rs []Rule) []Rule {
	for i := range rs {
		id := rs[i].ID
		rs[i].Failing, rs[i].Fixed = example(id, "failing"), example(id, "fixed")
		entries, _ := examples.ReadDir("examples/" + id) // sorted by name
		for _, e := range entries {
			if e.IsDir() {
				c := e.Name()
				rs[i].OnClouds = append(rs[i].OnClouds, CloudExample{
					Cloud: c, Failing: example(id, c+"/failing"), Fixed: example(id, c+"/fixed"),
				})
			}
		}
	}
	return rs
}

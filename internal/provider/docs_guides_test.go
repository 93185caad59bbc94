package provider

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// terraformBlocks returns the ```terraform code blocks of a Markdown file.
func terraformBlocks(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```terraform\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// TestGuideQuotesTheQuickstart checks that the walk-through of the quick
// start quotes it: every provider, terraform and segmented resource block of
// the guide is in examples/quickstart/main.tf, which TestExamples plans and
// applies.
func TestGuideQuotesTheQuickstart(t *testing.T) {
	quickstart, err := os.ReadFile(examplesDir + "/quickstart/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	quoted := 0
	for _, block := range terraformBlocks(t, "../../templates/guides/segmenting-ml-platform-on-aws.md.tmpl") {
		if !regexp.MustCompile(`^(terraform \{|provider "segmented"|resource "segmented_)`).MatchString(block) {
			continue
		}
		quoted++
		if !strings.Contains(string(quickstart), block) {
			t.Errorf("the guide shows a block that examples/quickstart/main.tf does not hold:\n%s", block)
		}
	}
	if quoted < 5 {
		t.Errorf("the guide quotes %d blocks of the quick start; want the provider, environments and topology", quoted)
	}
}

// TestDocsQuoteDiagnosticLines checks the diagnostics the docs show: the
// line they quote is that line of the example they name.
func TestDocsQuoteDiagnosticLines(t *testing.T) {
	for doc, example := range map[string]string{
		"../../templates/index.md.tmpl": examplesDir + "/insecure/main.tf",
		// The guide's step 5 edits this line of the quick start.
		"../../templates/guides/segmenting-ml-platform-on-aws.md.tmpl": examplesDir + "/quickstart/main.tf",
	} {
		d, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		e, err := os.ReadFile(example)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(e), "\n")
		m := regexp.MustCompile(`on main\.tf line (\d+), in resource "segmented_ml_environment" "prod":\n  (\d+): (.*)\n`).FindStringSubmatch(string(d))
		if m == nil || m[1] != m[2] {
			t.Errorf("%s quotes no diagnostic line", doc)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(lines) {
			t.Errorf("%s quotes line %d of %s, which has %d lines", doc, n, example, len(lines))
			continue
		}
		got := strings.TrimSpace(lines[n-1])
		want := strings.TrimSpace(m[3])
		// The guide shows the line after its edit: only the value differs.
		if strings.Contains(doc, "guides/") {
			got, want = strings.Fields(got)[0], strings.Fields(want)[0]
		}
		if got != want {
			t.Errorf("%s quotes line %d of %s as %q; it is %q", doc, n, example, m[3], lines[n-1])
		}
	}
}

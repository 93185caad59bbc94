package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

func blueprintPage() string {
	var b bytes.Buffer
	renderBlueprint(&b)
	return b.String()
}

// TestBlueprintReference: every field of every referenced object is listed,
// with its type and doc, under the heading of the object that holds it.
func TestBlueprintReference(t *testing.T) {
	page := blueprintPage()
	sections := map[string]string{} // heading path -> its text
	for _, part := range strings.Split(page, "\n#")[1:] {
		heading, body, _ := strings.Cut(part, "\n")
		sections[strings.Trim(strings.TrimLeft(heading, "# "), "`")] = body
	}
	fields := 0
	var check func(heading, at string, s shape.Shape)
	check = func(heading, at string, s shape.Shape) {
		body, ok := sections[heading]
		if !ok {
			t.Errorf("no section %q", heading)
			return
		}
		for _, f := range s.Fields {
			fields++
			if line := "- `" + f.Name + "` (" + typeName(f.Shape) + ") " + f.Doc + "\n"; !strings.Contains(body, line) {
				t.Errorf("section %q lacks %q", heading, line)
			}
			if o := objectOf(f.Shape); o != nil {
				check(nestedPath(at, f), nestedPath(at, f), *o)
			}
		}
	}
	for _, r := range referenced {
		check(strings.Trim(r.title, "`"), r.attribute, r.shape)
	}
	if got := strings.Count(page, "\n- `"); got != fields {
		t.Errorf("the page lists %d fields, the types have %d", got, fields)
	}
	if blueprintPage() != page {
		t.Error("two renders differ")
	}
}

func TestRunWritesBlueprintReference(t *testing.T) {
	var stderr bytes.Buffer
	dir := t.TempDir()
	out, bp := filepath.Join(dir, "rules.md"), filepath.Join(dir, "guides", "blueprint.md")
	if code := run([]string{"-out", out, "-blueprint", bp}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if b, err := os.ReadFile(bp); err != nil || string(b) != blueprintPage() {
		t.Errorf("the written reference differs from renderBlueprint's (%v)", err)
	}
}

// TestCommittedBlueprintReferenceIsFresh fails fast when
// docs/guides/blueprint.md is stale.
func TestCommittedBlueprintReferenceIsFresh(t *testing.T) {
	b, err := os.ReadFile("../../docs/guides/blueprint.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != blueprintPage() {
		t.Error("docs/guides/blueprint.md is stale: run `make generate` and commit the result")
	}
}

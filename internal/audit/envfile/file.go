package envfile

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// File is a parsed and validated environments file.
type File struct {
	// TagKeys are the tag and label keys that name an environment, in the
	// order they are tried: the file's tag_keys, or DefaultTagKeys.
	TagKeys []string
	// Environments are in declaration order, each with Source
	// audit.ByEnvironmentFile.
	Environments []audit.Environment
	// Flows are in declaration order.
	Flows []segment.Flow
	// Patterns are every environment's names, then its addresses, in
	// declaration order.
	Patterns []Pattern
	// Waivers are in declaration order.
	Waivers []Waiver
}

// DefaultTagKeys returns the tag keys used when the file sets no tag_keys:
// the provider's own tag first, then the spellings teams use most.
func DefaultTagKeys() []string {
	return []string{segment.EnvironmentTagKey, "environment", "env", "Environment"}
}

// Environment returns the environment of that name.
func (f *File) Environment(name string) (audit.Environment, bool) {
	i := slices.IndexFunc(f.Environments, func(e audit.Environment) bool { return e.Name == name })
	if i < 0 {
		return audit.Environment{}, false
	}
	return f.Environments[i], true
}

// Load reads and parses the environments file at path. See Parse.
func Load(path string) (*File, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read the environments file",
			Detail:   fmt.Sprintf("%v. Pass --environments the path of an HCL file that declares environment blocks.", err),
			Subject:  &hcl.Range{Filename: path},
		}}
	}
	return Parse(src, path)
}

// Parse parses and validates an environments file. filename is used in the
// diagnostics' ranges; a name ending in ".json" selects HCL's JSON syntax,
// any other the native syntax.
//
// Every problem found is reported, each on the range it concerns. The File
// is nil when the diagnostics hold an error; warnings alone leave it set.
func Parse(src []byte, filename string) (*File, hcl.Diagnostics) {
	var hf *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(filename, ".json") {
		hf, diags = json.Parse(src, filename)
	} else {
		hf, diags = hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	d := newDecoder()
	d.file(hf.Body)
	diags = append(diags, d.diags...)
	if diags.HasErrors() {
		return nil, diags
	}
	return d.out, diags
}

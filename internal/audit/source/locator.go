package source

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Location is where a block is declared.
type Location struct {
	// File is the file's slash-separated path, relative to the directory
	// given to Load (it starts with ../ for a module outside it).
	File string
	// Line and Column are where the block starts (1-based), EndLine and
	// EndColumn where its closing brace is.
	Line, Column       int
	EndLine, EndColumn int
}

// Locator knows the block of every resource and data source of a
// configuration and of the local modules it calls.
type Locator struct {
	root   string
	blocks map[string]Location // by Address.String()
	locals map[string][]string // "module.a.module.b|name" -> the local value's references
}

// LocalReferences returns what a local value of the module at the module
// calls path (outermost first, keys dropped) refers to, as the plan's
// configuration writes references ("aws_iam_role.dev.arn", "var.x",
// "local.y"), and whether the locator knows the local. The plan holds no
// local values, so this is how the audit follows a reference through one.
func (l *Locator) LocalReferences(calls []string, name string) ([]string, bool) {
	if l == nil {
		return nil, false
	}
	refs, ok := l.locals[strings.Join(calls, ".")+"|"+name]
	return refs, ok
}

// Root returns the directory the locator was loaded from, as given.
func (l *Locator) Root() string { return l.root }

// Len returns how many resource and data blocks the locator knows, counted
// once per module call that reaches them.
func (l *Locator) Len() int { return len(l.blocks) }

// Find returns the block that declares the resource at address, with its
// instance keys ignored. It reports false for an address it cannot parse
// and for resources it does not know, such as those of registry modules.
// A nil Locator finds nothing.
func (l *Locator) Find(address string) (Location, bool) {
	if l == nil {
		return Location{}, false
	}
	a, err := ParseAddress(address)
	if err != nil {
		return Location{}, false
	}
	loc, ok := l.blocks[a.String()]
	return loc, ok
}

// Load parses every .tf file of dir and, recursively, of the local modules
// it calls. A file that does not parse is an error that names the file and
// line; so is a module that calls itself, directly or through others.
func Load(dir string) (*Locator, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("source: %s is not a directory", dir)
	}
	ld := &loader{
		root:  filepath.Clean(dir),
		l:     &Locator{root: dir, blocks: map[string]Location{}, locals: map[string][]string{}},
		cache: map[string]*moduleDir{},
	}
	if err := ld.walk(ld.root, nil, nil); err != nil {
		return nil, err
	}
	return ld.l, nil
}

// loader holds the state of one Load.
type loader struct {
	root  string
	l     *Locator
	cache map[string]*moduleDir // by cleaned directory path
}

// moduleDir is what one directory declares.
type moduleDir struct {
	blocks []block
	calls  []call
	locals map[string][]string // local name -> references
}

// block is a resource or data block of a directory.
type block struct {
	data      bool
	typ, name string
	loc       Location
}

// call is a module block whose source is a local path.
type call struct {
	name string
	dir  string // cleaned path of the called directory
	loc  Location
}

// walk records the blocks of dir under the module path modules, then
// follows its local module calls. stack holds the directories of the calls
// that led here, to catch cycles.
func (ld *loader) walk(dir string, modules []string, stack []string) error {
	if i := slices.Index(stack, dir); i >= 0 {
		return fmt.Errorf("source: module %s calls itself: %s", ld.rel(dir), strings.Join(ld.relAll(append(stack[i:], dir)), " -> "))
	}
	md, err := ld.read(dir)
	if err != nil {
		return err
	}
	for _, b := range md.blocks {
		key := Address{Modules: modules, Data: b.data, Type: b.typ, Name: b.name}.String()
		// A block of an _override.tf file overrides one declared elsewhere:
		// point at the declaration, which is read first.
		if _, seen := ld.l.blocks[key]; !seen {
			ld.l.blocks[key] = b.loc
		}
	}
	for name, refs := range md.locals {
		ld.l.locals[strings.Join(modules, ".")+"|"+name] = refs
	}
	for _, c := range md.calls {
		sub := append(slices.Clip(modules), c.name)
		if info, err := os.Stat(c.dir); err != nil || !info.IsDir() {
			return fmt.Errorf("source: %s:%d: module %q: source directory %s does not exist", c.loc.File, c.loc.Line, c.name, ld.rel(c.dir))
		}
		if err := ld.walk(c.dir, sub, append(slices.Clip(stack), dir)); err != nil {
			return err
		}
	}
	return nil
}

// read parses the .tf files of one directory, once per Load.
func (ld *loader) read(dir string) (*moduleDir, error) {
	if md, ok := ld.cache[dir]; ok {
		return md, nil
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	// Declarations first, then override files, each in name order.
	slices.SortFunc(names, func(a, b string) int {
		if oa, ob := isOverride(a), isOverride(b); oa != ob {
			if oa {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	md := &moduleDir{locals: map[string][]string{}}
	for _, name := range names {
		if err := ld.parseFile(name, md); err != nil {
			return nil, err
		}
	}
	ld.cache[dir] = md
	return md, nil
}

func isOverride(name string) bool {
	base := strings.TrimSuffix(filepath.Base(name), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

// parseFile adds the resource, data and local module blocks of one file.
func (ld *loader) parseFile(name string, md *moduleDir) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	rel := ld.rel(name)
	file, diags := hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	if diags.HasErrors() {
		return fmt.Errorf("source: %w", diagError(diags))
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return fmt.Errorf("source: %s: not a native syntax body", rel)
	}
	for _, b := range body.Blocks {
		loc := blockLocation(rel, b)
		switch {
		case (b.Type == "resource" || b.Type == "data") && len(b.Labels) == 2:
			md.blocks = append(md.blocks, block{data: b.Type == "data", typ: b.Labels[0], name: b.Labels[1], loc: loc})
		case b.Type == "locals" && len(b.Labels) == 0:
			for name, attr := range b.Body.Attributes {
				md.locals[name] = references(attr.Expr)
			}
		case b.Type == "module" && len(b.Labels) == 1:
			src, ok := localSource(b.Body)
			if !ok || isOverride(name) {
				continue
			}
			md.calls = append(md.calls, call{name: b.Labels[0], dir: filepath.Clean(filepath.Join(filepath.Dir(name), filepath.FromSlash(src))), loc: loc})
		}
	}
	return nil
}

// references renders the variables an expression reads the way the plan's
// configuration writes references: root name and attributes, instance keys
// dropped.
func references(expr hclsyntax.Expression) []string {
	var out []string
	for _, tr := range expr.Variables() {
		parts := []string{tr.RootName()}
		for _, step := range tr[1:] {
			if a, ok := step.(hcl.TraverseAttr); ok {
				parts = append(parts, a.Name)
			}
		}
		out = append(out, strings.Join(parts, "."))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// localSource returns a module block's source when it is a literal local
// path (./x or ../x); registry and remote sources are not followed.
func localSource(body *hclsyntax.Body) (string, bool) {
	attr, ok := body.Attributes["source"]
	if !ok {
		return "", false
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() || !v.Type().Equals(cty.String) || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	s := v.AsString()
	if !strings.HasPrefix(s, "./") && !strings.HasPrefix(s, "../") {
		return "", false
	}
	return s, true
}

// blockLocation is the range of a block, from its type keyword to its
// closing brace.
func blockLocation(file string, b *hclsyntax.Block) Location {
	r := b.Range()
	return Location{File: file, Line: r.Start.Line, Column: r.Start.Column, EndLine: r.End.Line, EndColumn: r.End.Column}
}

// diagError turns parse diagnostics into one error naming file:line:column
// of each.
func diagError(diags hcl.Diagnostics) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		m := d.Summary
		if d.Detail != "" {
			m += ": " + d.Detail
		}
		if d.Subject != nil {
			m = fmt.Sprintf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, m)
		}
		msgs = append(msgs, m)
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}

// rel returns p relative to the root directory, slash-separated.
func (ld *loader) rel(p string) string {
	r, err := filepath.Rel(ld.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return path.Clean(filepath.ToSlash(r))
}

func (ld *loader) relAll(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = ld.rel(p)
	}
	return out
}

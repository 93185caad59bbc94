package rules

import (
	"slices"
	"strconv"
	"strings"
)

// Step is one step of a Path: an attribute name, or an index into a list.
type Step struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path locates an attribute in a configuration, such as
// gpu_node_pools[0].instance_type. The provider maps it onto the framework's
// path type; the domain never sees Terraform's.
type Path []Step

// Root returns the path of a top-level attribute.
func Root(name string) Path { return Path{{Name: name}} }

// Attr returns p extended by an attribute name. p is not modified.
func (p Path) Attr(name string) Path { return append(slices.Clip(p), Step{Name: name}) }

// Index returns p extended by a list index. p is not modified.
func (p Path) Index(i int) Path { return append(slices.Clip(p), Step{Index: i, IsIndex: true}) }

// String renders p as name[0].name.
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.IsIndex:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case i > 0:
			b.WriteString("." + s.Name)
		default:
			b.WriteString(s.Name)
		}
	}
	return b.String()
}

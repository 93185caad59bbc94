package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Step is one step of a Path: an attribute name, or an index into a list.
type Step struct {
	Name    string
	Index   int
	IsIndex bool
	// Any marks the index step [*] of an input selector, which stands for
	// every index.
	Any bool
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

// Any returns p extended by [*], every index of a list. p is not modified.
func (p Path) Any() Path { return append(slices.Clip(p), Step{IsIndex: true, Any: true}) }

// String renders p as name[0].name.
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.Any:
			b.WriteString("[*]")
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

// ParsePath reads the form String writes: names joined by dots, each
// followed by any number of [n] or [*] index steps.
func ParsePath(s string) (Path, error) {
	var p Path
	for i, part := range strings.Split(s, ".") {
		name, rest := part, ""
		if j := strings.IndexByte(part, '['); j >= 0 {
			name, rest = part[:j], part[j:]
		}
		if !validName(name) {
			return nil, fmt.Errorf("step %d of %q is %q, not an attribute name", i+1, s, name)
		}
		p = append(p, Step{Name: name})
		for rest != "" {
			index, after, ok := strings.Cut(strings.TrimPrefix(rest, "["), "]")
			if !ok || !strings.HasPrefix(rest, "[") {
				return nil, fmt.Errorf("%q has %q where an index such as [0] or [*] belongs", s, rest)
			}
			switch n, err := strconv.Atoi(index); {
			case index == "*":
				p = p.Any()
			case err == nil && n >= 0 && strconv.Itoa(n) == index:
				p = p.Index(n)
			default:
				return nil, fmt.Errorf("%q has the index [%s]; an index is a number such as [0], or [*]", s, index)
			}
			rest = after
		}
	}
	return p, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z'
		digit := i > 0 && r >= '0' && r <= '9'
		if !letter && !digit {
			return false
		}
	}
	return true
}

// covers reports whether a value not known at unknown can change what a
// check reading selector sees: one path is a prefix of the other, and [*]
// in the selector matches any index. A whole unknown list covers every
// attribute inside it, and an unknown element covers the selector that
// reads into it.
func covers(selector, unknown Path) bool {
	for i := range min(len(selector), len(unknown)) {
		s, u := selector[i], unknown[i]
		switch {
		case s.IsIndex != u.IsIndex:
			return false
		case s.IsIndex:
			if !s.Any && !u.Any && s.Index != u.Index {
				return false
			}
		case s.Name != u.Name:
			return false
		}
	}
	return true
}

// Unchecked is a value that is not known yet, and the rules that cannot
// check it until it is.
type Unchecked struct {
	Path  Path
	Rules []string
}

// unchecked lists, for every unknown path in order, the rules of scope whose
// inputs it covers. Paths that no rule reads are left out.
func unchecked(scope Scope, unknown []Path) []Unchecked {
	var out []Unchecked
	for _, u := range unknown {
		var ids []string
		for _, r := range ruleTable {
			if r.Scope == scope && r.reads(u) {
				ids = append(ids, r.ID)
			}
		}
		if len(ids) > 0 {
			out = append(out, Unchecked{Path: u, Rules: ids})
		}
	}
	return out
}

// reads reports whether the rule reads a value that the path covers.
func (r Rule) reads(unknown Path) bool {
	return slices.ContainsFunc(r.inputs, func(in Path) bool { return covers(in, unknown) })
}

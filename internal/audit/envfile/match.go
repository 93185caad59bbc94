package envfile

import (
	"cmp"
	"slices"
	"strings"
)

// The kinds of pattern.
const (
	KindName    = "name"    // matched against a resource's name or its Name tag
	KindAddress = "address" // matched against a resource's address
)

// Pattern is one element of an environment's names or addresses.
type Pattern struct {
	Environment string
	Kind        string // KindName or KindAddress
	Glob        string
}

// Match is one pattern that matches a name or an address.
type Match struct {
	Pattern
	// Matched is what the pattern matched: the name; or, for an address,
	// the address, the address without its instance key, or the path of a
	// module (instance) that contains the resource.
	Matched string
	index   int // position in File.Patterns: declaration order
}

// Matches are the patterns of one kind that match one name or address,
// ordered by Matched, longest first, then in declaration order.
type Matches []Match

// MatchName returns the environment whose name pattern matches name, and
// that pattern. ok is false when no pattern matches and when the best
// matches belong to different environments; NameMatches tells the two
// apart and names the contenders.
func (f *File) MatchName(name string) (env string, pattern string, ok bool) {
	m, ok := f.NameMatches(name).Best()
	return m.Environment, m.Glob, ok
}

// MatchAddress is MatchName for address patterns and a resource address
// such as module.prod.aws_s3_bucket.models["eu"].
func (f *File) MatchAddress(address string) (env string, pattern string, ok bool) {
	m, ok := f.AddressMatches(address).Best()
	return m.Environment, m.Glob, ok
}

// NameMatches returns every name pattern that matches name in full.
func (f *File) NameMatches(name string) Matches {
	return f.matches(KindName, []string{name})
}

// AddressMatches returns every address pattern that matches the address, or
// the address without its instance key, or a module path that contains it.
func (f *File) AddressMatches(address string) Matches {
	return f.matches(KindAddress, addressSubjects(address))
}

func (f *File) matches(kind string, subjects []string) Matches {
	var ms Matches
	for i, p := range f.Patterns {
		if p.Kind != kind {
			continue
		}
		for _, s := range subjects {
			if globMatch(p.Glob, s) {
				ms = append(ms, Match{Pattern: p, Matched: s, index: i})
				break // subjects run longest first: keep the closest
			}
		}
	}
	slices.SortStableFunc(ms, func(a, b Match) int {
		return cmp.Or(cmp.Compare(len(b.Matched), len(a.Matched)), cmp.Compare(a.index, b.index))
	})
	return ms
}

// Contenders returns the most specific of the matches: those that matched
// the longest part (a pattern for the resource beats one for the module
// that holds it), and of those, the ones no other such pattern is strictly
// narrower than. When they all name one environment, it is the match;
// otherwise the match is ambiguous and the contenders are what to report.
func (ms Matches) Contenders() Matches {
	if len(ms) == 0 {
		return nil
	}
	longest := len(ms[0].Matched)
	var top Matches
	for _, m := range ms {
		if len(m.Matched) == longest {
			top = append(top, m)
		}
	}
	var out Matches
	for _, m := range top {
		beaten := slices.ContainsFunc(top, func(o Match) bool { return narrower(o.Glob, m.Glob) })
		if !beaten {
			out = append(out, m)
		}
	}
	return out
}

// Best returns the match that decides the environment: the first declared
// contender, when all contenders name the same environment. ok is false
// when nothing matches or the contenders name two or more environments.
func (ms Matches) Best() (Match, bool) {
	cs := ms.Contenders()
	if len(cs) == 0 {
		return Match{}, false
	}
	for _, c := range cs[1:] {
		if c.Environment != cs[0].Environment {
			return Match{}, false
		}
	}
	return slices.MinFunc(cs, func(a, b Match) int { return cmp.Compare(a.index, b.index) }), true
}

// Ambiguous reports whether the contenders name two or more environments.
func (ms Matches) Ambiguous() bool {
	cs := ms.Contenders()
	return slices.ContainsFunc(cs, func(c Match) bool { return c.Environment != cs[0].Environment })
}

// addressSubjects returns what an address pattern is matched against, the
// longest first: the address itself; the address without the resource's
// instance key; and, for each module call on its path, innermost first, the
// path up to that call with and without the call's instance key. For
// module.a["x"].module.b.aws_vpc.main[0] they are
//
//	module.a["x"].module.b.aws_vpc.main[0]
//	module.a["x"].module.b.aws_vpc.main
//	module.a["x"].module.b
//	module.a["x"]
//	module.a
//
// Each is a prefix of the address. An address that does not parse yields
// only itself.
func addressSubjects(address string) []string {
	steps, ok := splitAddress(address)
	if !ok {
		return []string{address}
	}
	var out []string
	add := func(s string) {
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	end := 0 // bytes of address covered by the steps so far
	var prefixes []string
	i := 0
	for ; i+1 < len(steps) && steps[i] == "module"; i += 2 {
		name := steps[i+1]
		bare := end + len("module.") + len(unkeyed(name))
		end += len("module.") + len(name)
		if i+2 < len(steps) {
			prefixes = append(prefixes, address[:bare], address[:end])
			end++ // the dot before the next step
		}
	}
	add(address)
	add(address[:len(address)-len(steps[len(steps)-1])+len(unkeyed(steps[len(steps)-1]))])
	for j := len(prefixes) - 1; j >= 0; j-- {
		add(prefixes[j])
	}
	return out
}

// unkeyed strips an instance key: `b["x"]` -> `b`.
func unkeyed(step string) string {
	if i := strings.IndexByte(step, '['); i >= 0 {
		return step[:i]
	}
	return step
}

// splitAddress splits an address at the dots outside instance keys. It
// fails on empty steps and unbalanced brackets or quotes.
func splitAddress(address string) ([]string, bool) {
	var steps []string
	start, depth, quoted := 0, 0, false
	for i := 0; i < len(address); i++ {
		c := address[i]
		switch {
		case quoted && c == '\\':
			i++
		case quoted:
			quoted = c != '"'
		case c == '"':
			quoted = true
		case c == '[':
			depth++
		case c == ']':
			if depth--; depth < 0 {
				return nil, false
			}
		case c == '.' && depth == 0:
			if i == start {
				return nil, false
			}
			steps = append(steps, address[start:i])
			start = i + 1
		}
	}
	if quoted || depth != 0 || start == len(address) {
		return nil, false
	}
	return append(steps, address[start:]), true
}

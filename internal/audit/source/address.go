package source

import (
	"fmt"
	"strings"
)

// Address is a resource address with its instance keys dropped: the module
// calls it sits under, outermost first, and the resource itself.
type Address struct {
	// Modules are the names of the module calls, outermost first:
	// module.a["x"].module.b[0].aws_vpc.this has Modules [a b].
	Modules []string
	// Data is set for a data source (data.TYPE.NAME).
	Data bool
	Type string
	Name string
}

// String renders the address without instance keys, in Terraform's syntax:
// module.a.module.b.data.aws_iam_policy_document.trust.
func (a Address) String() string {
	var b strings.Builder
	for _, m := range a.Modules {
		b.WriteString("module.")
		b.WriteString(m)
		b.WriteByte('.')
	}
	if a.Data {
		b.WriteString("data.")
	}
	b.WriteString(a.Type)
	b.WriteByte('.')
	b.WriteString(a.Name)
	return b.String()
}

// ParseAddress splits a resource instance address as `terraform show -json`
// writes it into its parts, dropping instance keys. Keys are either numbers
// ([0]) or quoted strings (["a.b[\"c\"]"]) in which dots, brackets and
// escaped quotes are part of the key.
func ParseAddress(s string) (Address, error) {
	steps, err := splitSteps(s)
	if err != nil {
		return Address{}, fmt.Errorf("address %q: %w", s, err)
	}
	var a Address
	i := 0
	for i < len(steps) && steps[i].name == "module" {
		if steps[i].keyed {
			return Address{}, fmt.Errorf("address %q: an instance key after \"module\"", s)
		}
		if i+1 >= len(steps) {
			return Address{}, fmt.Errorf("address %q: \"module\" with no module name", s)
		}
		a.Modules = append(a.Modules, steps[i+1].name)
		i += 2
	}
	if i < len(steps) && steps[i].name == "data" && len(steps)-i == 3 {
		if steps[i].keyed {
			return Address{}, fmt.Errorf("address %q: an instance key after \"data\"", s)
		}
		a.Data = true
		i++
	}
	switch rest := len(steps) - i; {
	case rest < 2:
		return Address{}, fmt.Errorf("address %q: want TYPE.NAME after the module path", s)
	case rest > 2:
		return Address{}, fmt.Errorf("address %q: unexpected %q after the resource name", s, steps[i+2].name)
	}
	if steps[i].keyed {
		return Address{}, fmt.Errorf("address %q: an instance key after the resource type", s)
	}
	a.Type, a.Name = steps[i].name, steps[i+1].name
	if a.Type == "data" || a.Type == "module" {
		return Address{}, fmt.Errorf("address %q: %q is not a resource type", s, a.Type)
	}
	return a, nil
}

// step is one dot-separated name of an address, and whether an instance key
// followed it.
type step struct {
	name  string
	keyed bool
}

// splitSteps splits an address at the dots that lie outside instance keys.
func splitSteps(s string) ([]step, error) {
	var steps []step
	pos := 0
	for {
		start := pos
		for pos < len(s) && isNameByte(s[pos]) {
			pos++
		}
		if pos == start {
			if pos < len(s) {
				return nil, fmt.Errorf("unexpected %q at offset %d", s[pos], pos)
			}
			return nil, fmt.Errorf("a name is missing at offset %d", pos)
		}
		st := step{name: s[start:pos]}
		for pos < len(s) && s[pos] == '[' {
			end, err := skipKey(s, pos)
			if err != nil {
				return nil, err
			}
			st.keyed = true
			pos = end
		}
		steps = append(steps, st)
		if pos == len(s) {
			return steps, nil
		}
		if s[pos] != '.' {
			return nil, fmt.Errorf("unexpected %q at offset %d", s[pos], pos)
		}
		pos++
	}
}

// skipKey returns the offset just past the instance key that opens at
// s[open] == '['.
func skipKey(s string, open int) (int, error) {
	pos := open + 1
	if pos < len(s) && s[pos] == '"' {
		pos++
		for {
			if pos >= len(s) {
				return 0, fmt.Errorf("the string key opened at offset %d is not closed", open)
			}
			switch s[pos] {
			case '\\':
				pos += 2
				continue
			case '"':
				pos++
			default:
				pos++
				continue
			}
			break
		}
		if pos >= len(s) || s[pos] != ']' {
			return 0, fmt.Errorf("the key opened at offset %d does not end with ']' after its string", open)
		}
		return pos + 1, nil
	}
	start := pos
	for pos < len(s) && s[pos] >= '0' && s[pos] <= '9' {
		pos++
	}
	if pos == start || pos >= len(s) || s[pos] != ']' {
		return 0, fmt.Errorf("the key opened at offset %d is neither a number nor a quoted string", open)
	}
	return pos + 1, nil
}

// isNameByte reports whether c may appear in a Terraform identifier (ASCII
// letters, digits, '_' and '-'); identifiers with other Unicode letters are
// accepted too, byte by byte.
func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

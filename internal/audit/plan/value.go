package plan

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// value is a planned value together with the matching part of after_unknown,
// so that a walk through a resource's attributes always knows whether what
// it reached is known. The zero value is null and known.
type value struct {
	v       any
	unknown any // true, or a map or list of the same shape as v
}

func (x value) get(key string) value {
	m, _ := x.v.(map[string]any)
	u, _ := x.unknown.(map[string]any)
	var uk any
	if u != nil {
		uk = u[key]
	}
	if m == nil {
		return value{unknown: uk}
	}
	return value{v: m[key], unknown: uk}
}

func (x value) index(i int) value {
	l, _ := x.v.([]any)
	u, _ := x.unknown.([]any)
	out := value{}
	if i < len(l) {
		out.v = l[i]
	}
	if i < len(u) {
		out.unknown = u[i]
	}
	return out
}

// isUnknown reports whether the value as a whole is unknown at plan time.
func (x value) isUnknown() bool { b, _ := x.unknown.(bool); return b }

// str returns a known, non-null string (numbers as their text).
func (x value) str() (string, bool) {
	if x.isUnknown() {
		return "", false
	}
	switch v := x.v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// num returns a known number.
func (x value) num() (int, bool) {
	if x.isUnknown() {
		return 0, false
	}
	switch v := x.v.(type) {
	case float64:
		return int(v), true
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}

// list returns the elements of a list or set; an unknown list has none and
// reports unknown.
func (x value) list() (elems []value, known bool) {
	if x.isUnknown() {
		return nil, false
	}
	l, _ := x.v.([]any)
	for i := range l {
		elems = append(elems, x.index(i))
	}
	return elems, true
}

// strs returns the known strings of a list, and whether every element was
// known.
func (x value) strs() (out []string, known bool) {
	elems, known := x.list()
	if !known {
		return nil, false
	}
	if s, ok := x.str(); ok { // a single string where a list was expected
		return []string{s}, true
	}
	for _, e := range elems {
		s, ok := e.str()
		if !ok {
			if e.isUnknown() {
				known = false
			}
			continue
		}
		out = append(out, s)
	}
	return out, known
}

func (x value) String() string { return fmt.Sprint(x.v) }

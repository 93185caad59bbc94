package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// member is one name/value pair of a JSON object, in document order.
type member struct {
	Name  string
	Value json.RawMessage
}

// kind names the JSON type of a raw value for error messages.
func kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	return KindName(raw[0])
}

// KindName names, for messages, the JSON type of a value whose text starts
// with c (or whose encoding/json/v2 kind is c): '{' is "an object".
func KindName(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// members returns the pairs of a JSON object in document order. The value
// must already be valid JSON (it comes from a decoded json.RawMessage).
// Names that differ only in case are duplicates, as IAM element names are
// matched without regard to case here; duplicates are an error.
func members(raw json.RawMessage, path string) ([]member, error) {
	if kind(raw) != "an object" {
		return nil, fmt.Errorf("%s: want an object, got %s", path, kind(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // the opening brace
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var out []member
	seen := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("%s: malformed object", path)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s.%s: %v", path, name, err)
		}
		if first, dup := seen[strings.ToLower(name)]; dup {
			return nil, fmt.Errorf("%s: %q appears twice (also as %q)", path, name, first)
		}
		seen[strings.ToLower(name)] = name
		out = append(out, member{Name: name, Value: v})
	}
	return out, nil
}

// elements returns the items of a JSON list, or the value itself as the
// only item when it is not a list. list reports which it was.
func elements(raw json.RawMessage) (items []json.RawMessage, list bool, err error) {
	if kind(raw) != "a list" {
		return []json.RawMessage{raw}, false, nil
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, true, err
	}
	return items, true, nil
}

// scalar returns the text of a JSON string, number or boolean: a string's
// value, a number as written, "true" or "false". Other kinds are an error
// unless allowed by the flags.
func scalar(raw json.RawMessage, numbers, booleans bool) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch k := kind(raw); {
	case k == "a string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	case k == "a number" && numbers, k == "a boolean" && booleans:
		return string(raw), nil
	default:
		want := "a string"
		switch {
		case numbers && booleans:
			want = "a string, number or boolean"
		case numbers:
			want = "a string or number"
		}
		return "", fmt.Errorf("want %s, got %s", want, k)
	}
}

// scalars reads a value that is one scalar or a list of them, as IAM
// allows for Action, Resource, principals and condition values.
func scalars(raw json.RawMessage, path string, numbers, booleans bool) ([]string, error) {
	items, list, err := elements(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, err := scalar(it, numbers, booleans)
		if err != nil {
			if list {
				return nil, fmt.Errorf("%s[%d]: %v", path, i, err)
			}
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out = append(out, s)
	}
	return out, nil
}

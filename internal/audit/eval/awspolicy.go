package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Policy is an AWS IAM policy document: a trust policy, a key policy, a
// bucket policy or any other resource-based or identity-based policy.
type Policy struct {
	Version    string
	Statements []Statement
}

// Statement is one statement of a policy, with every list in document
// order.
type Statement struct {
	Sid string
	// Effect is "Allow" or "Deny" as written; ParseAWSPolicy refuses other
	// values but accepts any case ("allow").
	Effect string
	// Principals are the statement's Principal, or its NotPrincipal when
	// NotPrincipal is set. A statement without either has none.
	Principals   []PolicyPrincipal
	NotPrincipal bool
	// Actions are Action, or NotAction when NotAction is set.
	Actions   []string
	NotAction bool
	// Resources are Resource, or NotResource when NotResource is set.
	Resources   []string
	NotResource bool
	Conditions  []Condition
}

// Allow reports whether the statement's effect is Allow.
func (s Statement) Allow() bool { return strings.EqualFold(s.Effect, "Allow") }

// PolicyPrincipal is one principal a statement names.
type PolicyPrincipal struct {
	// Type is AWS, Service, Federated or CanonicalUser, spelt so whatever
	// the document's case, or "*" for "Principal": "*".
	Type string
	// Value is the identifier as written ("*" for "Principal": "*").
	Value string
}

// Condition is one key of one operator of a statement's Condition block.
type Condition struct {
	// Operator is as written, qualifiers included: StringEquals,
	// ForAnyValue:StringLike, ArnLikeIfExists.
	Operator string
	// Key is the condition key as written: aws:PrincipalAccount. IAM
	// matches keys without regard to case; compare with strings.EqualFold.
	Key string
	// Values are the values in document order; numbers and booleans are
	// kept as their JSON text ("123456789012", "true").
	Values []string
}

// principalTypes are the principal types IAM knows, by lower-case name.
var principalTypes = map[string]string{
	"aws":           "AWS",
	"service":       "Service",
	"federated":     "Federated",
	"canonicaluser": "CanonicalUser",
}

// ParseAWSPolicy parses an IAM policy document. Statement may be one
// object or a list; Principal "*" or an object of principal types, each
// one identifier or a list; Action and Resource one string or a list;
// Condition an object of operators, each an object of keys, each one value
// or a list. Element names are matched without regard to case. Unknown
// top-level elements (Id) are ignored; unknown statement elements, wrong
// types, a missing or unknown Effect and both an element and its Not form
// are errors that name the statement and element: "Statement[1].Principal:
// ...".
func ParseAWSPolicy(doc string) (Policy, error) {
	var top json.RawMessage
	if strings.TrimSpace(doc) == "" {
		return Policy{}, errors.New("aws policy: empty document")
	}
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return Policy{}, fmt.Errorf("aws policy: not JSON: %v", err)
	}
	p, err := parsePolicy(top)
	if err != nil {
		return Policy{}, fmt.Errorf("aws policy: %w", err)
	}
	return p, nil
}

func parsePolicy(top json.RawMessage) (Policy, error) {
	ms, err := members(top, "document")
	if err != nil {
		return Policy{}, err
	}
	var p Policy
	var stmts json.RawMessage
	for _, m := range ms {
		switch strings.ToLower(m.Name) {
		case "version":
			if p.Version, err = scalar(m.Value, false, false); err != nil {
				return Policy{}, fmt.Errorf("%s: %v", m.Name, err)
			}
		case "statement":
			stmts = m.Value
		}
	}
	if stmts == nil {
		return Policy{}, errors.New("Statement: missing")
	}
	items, list, err := elements(stmts)
	if err != nil {
		return Policy{}, fmt.Errorf("Statement: %v", err)
	}
	if !list && kind(stmts) != "an object" {
		return Policy{}, fmt.Errorf("Statement: want an object or a list, got %s", kind(stmts))
	}
	for i, it := range items {
		path := "Statement"
		if list {
			path = fmt.Sprintf("Statement[%d]", i)
		}
		s, err := parseStatement(it, path)
		if err != nil {
			return Policy{}, err
		}
		p.Statements = append(p.Statements, s)
	}
	return p, nil
}

func parseStatement(raw json.RawMessage, path string) (Statement, error) {
	ms, err := members(raw, path)
	if err != nil {
		return Statement{}, err
	}
	var s Statement
	seen := map[string]string{}
	for _, m := range ms {
		name := strings.ToLower(m.Name)
		at := path + "." + m.Name
		// An element and its Not form exclude each other.
		base := strings.TrimPrefix(name, "not")
		if other, ok := seen[base]; ok {
			return Statement{}, fmt.Errorf("%s: both %s and %s", path, other, m.Name)
		}
		switch name {
		case "sid":
			if s.Sid, err = scalar(m.Value, false, false); err != nil {
				err = fmt.Errorf("%s: %v", at, err)
			}
		case "effect":
			s.Effect, err = scalar(m.Value, false, false)
			if err == nil && !strings.EqualFold(s.Effect, "Allow") && !strings.EqualFold(s.Effect, "Deny") {
				err = fmt.Errorf("want Allow or Deny, got %q", s.Effect)
			}
			if err != nil {
				err = fmt.Errorf("%s: %v", at, err)
			}
		case "principal", "notprincipal":
			s.NotPrincipal = name == "notprincipal"
			s.Principals, err = parsePrincipal(m.Value, at)
		case "action", "notaction":
			s.NotAction = name == "notaction"
			s.Actions, err = scalars(m.Value, at, false, false)
		case "resource", "notresource":
			s.NotResource = name == "notresource"
			s.Resources, err = scalars(m.Value, at, false, false)
		case "condition":
			s.Conditions, err = parseConditions(m.Value, at)
		default:
			return Statement{}, fmt.Errorf("%s: unknown element %q", path, m.Name)
		}
		if err != nil { // every case names the element
			return Statement{}, err
		}
		if base != "sid" && base != "effect" && base != "condition" {
			seen[base] = m.Name
		}
	}
	if s.Effect == "" {
		return Statement{}, fmt.Errorf("%s.Effect: missing", path)
	}
	return s, nil
}

// parsePrincipal reads Principal or NotPrincipal: "*", or an object of
// principal types whose values are one identifier or a list. Identifiers
// may be JSON numbers (an account ID written as a number); their text is
// kept.
func parsePrincipal(raw json.RawMessage, path string) ([]PolicyPrincipal, error) {
	switch kind(raw) {
	case "a string":
		v, _ := scalar(raw, false, false)
		if v != "*" {
			return nil, fmt.Errorf("%s: a principal written as a string must be \"*\", got %q (use {\"AWS\": ...})", path, v)
		}
		return []PolicyPrincipal{{Type: "*", Value: "*"}}, nil
	case "an object":
	default:
		return nil, fmt.Errorf("%s: want \"*\" or an object of principal types, got %s", path, kind(raw))
	}
	ms, err := members(raw, path)
	if err != nil {
		return nil, err
	}
	var out []PolicyPrincipal
	for _, m := range ms {
		typ, ok := principalTypes[strings.ToLower(m.Name)]
		if !ok {
			return nil, fmt.Errorf("%s: unknown principal type %q (want AWS, Service, Federated or CanonicalUser)", path, m.Name)
		}
		at := path + "." + m.Name
		vs, err := scalars(m.Value, at, true, false)
		if err != nil {
			return nil, err
		}
		for i, v := range vs {
			if strings.TrimSpace(v) == "" {
				return nil, fmt.Errorf("%s: empty principal (item %d)", at, i)
			}
			out = append(out, PolicyPrincipal{Type: typ, Value: v})
		}
	}
	return out, nil
}

// parseConditions reads a Condition block: operator → key → value(s).
func parseConditions(raw json.RawMessage, path string) ([]Condition, error) {
	ops, err := members(raw, path)
	if err != nil {
		return nil, err
	}
	var out []Condition
	for _, op := range ops {
		if strings.TrimSpace(op.Name) == "" {
			return nil, fmt.Errorf("%s: empty operator", path)
		}
		at := path + "." + op.Name
		keys, err := members(op.Value, at)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			if strings.TrimSpace(k.Name) == "" {
				return nil, fmt.Errorf("%s: empty condition key", at)
			}
			vs, err := scalars(k.Value, at+"."+k.Name, true, true)
			if err != nil {
				return nil, err
			}
			out = append(out, Condition{Operator: op.Name, Key: k.Name, Values: vs})
		}
	}
	return out, nil
}

package blueprint

import (
	"encoding/json"
	"slices"
)

// policy is an IAM or KMS policy document. Field order and encoding/json's
// sorted map keys make its JSON deterministic.
type policy struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

type statement struct {
	Sid         string                       `json:"Sid"`
	Effect      string                       `json:"Effect"`
	Principal   map[string]values            `json:"Principal,omitempty"`
	Action      values                       `json:"Action"`
	Resource    values                       `json:"Resource,omitempty"`
	NotResource values                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string]values `json:"Condition,omitempty"`
}

// values is a policy element that takes one string or a list of them. One
// value is written as a string, as the policy grammar allows: a plan prints
// it on one line instead of three.
type values []string

// MarshalJSON writes one value as a string and several as a list.
func (v values) MarshalJSON() ([]byte, error) {
	if len(v) == 1 {
		return json.Marshal(v[0])
	}
	return json.Marshal([]string(v))
}

func allow(sid string, actions []string, resources ...string) statement {
	return statement{Sid: sid, Effect: "Allow", Action: sorted(actions), Resource: resources}
}

func (s statement) when(operator, key string, vs ...string) statement {
	if s.Condition == nil {
		s.Condition = map[string]map[string]values{}
	}
	if s.Condition[operator] == nil {
		s.Condition[operator] = map[string]values{}
	}
	s.Condition[operator][key] = vs
	return s
}

func (s statement) by(kind string, principals ...string) statement {
	if s.Principal == nil {
		s.Principal = map[string]values{}
	}
	s.Principal[kind] = append(s.Principal[kind], principals...)
	slices.Sort(s.Principal[kind])
	return s
}

func (p policy) String() string {
	b, err := json.Marshal(p)
	if err != nil {
		// Only strings, slices and maps of strings: marshalling cannot fail.
		panic(err)
	}
	return string(b)
}

func document(statements ...statement) policy {
	return policy{Version: "2012-10-17", Statement: statements}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// String renders a statement on its own, for resource policies that modules
// merge into theirs.
func (s statement) String() string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

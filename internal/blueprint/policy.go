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
	Sid         string                         `json:"Sid"`
	Effect      string                         `json:"Effect"`
	Principal   map[string][]string            `json:"Principal,omitempty"`
	Action      []string                       `json:"Action"`
	Resource    []string                       `json:"Resource,omitempty"`
	NotResource []string                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string][]string `json:"Condition,omitempty"`
}

func allow(sid string, actions []string, resources ...string) statement {
	return statement{Sid: sid, Effect: "Allow", Action: sorted(actions), Resource: resources}
}

func (s statement) when(operator, key string, values ...string) statement {
	if s.Condition == nil {
		s.Condition = map[string]map[string][]string{}
	}
	if s.Condition[operator] == nil {
		s.Condition[operator] = map[string][]string{}
	}
	s.Condition[operator][key] = values
	return s
}

func (s statement) by(kind string, principals ...string) statement {
	if s.Principal == nil {
		s.Principal = map[string][]string{}
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

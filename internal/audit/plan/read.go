// Package plan reads the JSON that `terraform show -json` (or `tofu show
// -json`) prints, for a saved plan or for the state, and turns its resources
// into the audit's cloud-neutral facts: it walks every module, nested child
// modules included, reads planned values with after_unknown respected, follows
// the configuration's references where a value is unknown at plan time, and
// attributes every resource to an environment, saying how.
package plan

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
)

// Kind says what a document is.
type Kind string

// The kinds of document the audit reads.
const (
	KindPlan  Kind = "plan"
	KindState Kind = "state"
)

// Document is a plan or a state, read.
type Document struct {
	Kind  Kind
	Plan  *tfjson.Plan  // set for a plan
	State *tfjson.State // set for a state
}

// Read parses the output of `terraform show -json`. Its errors say what is
// wrong with the input, and where when the JSON itself is malformed.
func Read(data []byte) (*Document, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("the input is empty: want the output of `terraform show -json PLANFILE`")
	}
	m, err := decodeMembers(trimmed)
	var semantic *json.SemanticError
	if err != nil && !errors.As(err, &semantic) {
		return nil, jsonError(trimmed, err)
	}
	kind := m.kind()
	if semantic != nil {
		// A member of the wrong shape: decoding stopped there.
		line, col := position(trimmed, semantic.ByteOffset)
		return nil, fmt.Errorf("not a valid %s: line %d, column %d: %s", kind, line, col, semanticMessage(semantic))
	}
	var version string
	if m.version != nil && json.Unmarshal(m.version, &version) != nil {
		return nil, fmt.Errorf("format_version is %s, not a string", m.version)
	}
	if version == "" {
		return nil, errors.New("the document has no format_version: it is not the output of `terraform show -json` (did you pass the plan file itself? run `terraform show -json PLANFILE > plan.json`)")
	}
	switch kind {
	case KindPlan:
		p, err := m.plan(version)
		if err != nil {
			return nil, formatError(kind, version, err)
		}
		return &Document{Kind: KindPlan, Plan: p}, nil
	case KindState:
		s, err := m.state(version)
		if err != nil {
			return nil, formatError(kind, version, err)
		}
		return &Document{Kind: KindState, State: s}, nil
	}
	return nil, fmt.Errorf("the document is neither a plan (no planned_values, resource_changes or configuration) nor a state (no values): want the output of `terraform show -json`")
}

// kind tells a plan from a state by the members the document has.
func (m *members) kind() Kind {
	has := func(name string) bool { _, ok := m.spans[name]; return ok }
	switch {
	case has("planned_values") || has("resource_changes") || has("configuration"):
		return KindPlan
	case has("values") || len(m.spans) <= 2:
		// A state with no resources has only format_version (and
		// terraform_version).
		return KindState
	}
	return "document"
}

// semanticMessage says which value had the wrong shape.
func semanticMessage(e *json.SemanticError) string {
	where := string(e.JSONPointer)
	if where == "" {
		where = "the document"
	}
	switch {
	case e.GoType != nil && e.JSONKind != 0:
		return fmt.Sprintf("%s is %s, which does not fit there", where, eval.KindName(byte(e.JSONKind)))
	case e.Err != nil:
		return fmt.Sprintf("%s: %v", where, e.Err)
	}
	return where + " does not fit there"
}

func formatError(kind Kind, version string, err error) error {
	if strings.Contains(err.Error(), "unsupported") || strings.Contains(err.Error(), "version") {
		return fmt.Errorf("unsupported %s format_version %q (this audit reads 0.1 up to, not including, 2.0): %w", kind, version, err)
	}
	return fmt.Errorf("not a valid %s: %w", kind, err)
}

// jsonError places a JSON syntax error at its line and column.
func jsonError(data []byte, err error) error {
	var syntax *jsontext.SyntacticError
	switch {
	case errors.Is(err, errNotObject):
		return err
	case errors.As(err, &syntax):
		line, col := position(data, syntax.ByteOffset)
		return fmt.Errorf("not a JSON document: line %d, column %d: %v", line, col, syntax.Err)
	}
	return fmt.Errorf("not a JSON document: %v", err)
}

func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Package plan reads the JSON that `terraform show -json` (or `tofu show
// -json`) prints, for a saved plan or for the state, and turns its resources
// into the audit's cloud-neutral facts: it walks every module, nested child
// modules included, reads planned values with after_unknown respected, follows
// the configuration's references where a value is unknown at plan time, and
// attributes every resource to an environment, saying how.
package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
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
	var probe struct {
		FormatVersion   json.RawMessage `json:"format_version"`
		PlannedValues   present         `json:"planned_values"`
		ResourceChanges present         `json:"resource_changes"`
		Configuration   present         `json:"configuration"`
		Values          present         `json:"values"`
	}
	if err := json.Unmarshal(trimmed, &probe); err != nil {
		return nil, jsonError(trimmed, err)
	}
	var version string
	if probe.FormatVersion != nil {
		if err := json.Unmarshal(probe.FormatVersion, &version); err != nil {
			return nil, fmt.Errorf("format_version is %s, not a string", probe.FormatVersion)
		}
	}
	hasPlanned, hasChanges, hasConfig, hasValues := bool(probe.PlannedValues), bool(probe.ResourceChanges), bool(probe.Configuration), bool(probe.Values)
	switch {
	case version == "":
		return nil, errors.New("the document has no format_version: it is not the output of `terraform show -json` (did you pass the plan file itself? run `terraform show -json PLANFILE > plan.json`)")
	case hasPlanned || hasChanges || hasConfig:
		var p tfjson.Plan
		if err := p.UnmarshalJSON(trimmed); err != nil {
			return nil, formatError("plan", version, err)
		}
		return &Document{Kind: KindPlan, Plan: &p}, nil
	case hasValues || members(trimmed) <= 2:
		// A state with no resources has only format_version (and
		// terraform_version).
		var s tfjson.State
		if err := s.UnmarshalJSON(trimmed); err != nil {
			return nil, formatError("state", version, err)
		}
		return &Document{Kind: KindState, State: &s}, nil
	}
	return nil, fmt.Errorf("the document is neither a plan (no planned_values, resource_changes or configuration) nor a state (no values): want the output of `terraform show -json`")
}

// present records that a member is in a document without decoding it.
type present bool

func (p *present) UnmarshalJSON([]byte) error { *p = true; return nil }

// members counts a document's members; it is read only when neither a
// plan's nor a state's members were found.
func members(data []byte) int {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(data, &m) // data was decoded once already
	return len(m)
}

func formatError(kind, version string, err error) error {
	if strings.Contains(err.Error(), "unsupported") || strings.Contains(err.Error(), "version") {
		return fmt.Errorf("unsupported %s format_version %q (this audit reads 0.1 up to, not including, 2.0): %w", kind, version, err)
	}
	return fmt.Errorf("not a valid %s: %w", kind, err)
}

// jsonError places a JSON syntax or type error at its line and column.
func jsonError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the offending one included.
		line, col := position(data, max(syntax.Offset-1, 0))
		return fmt.Errorf("not a JSON document: line %d, column %d: %v", line, col, err)
	case errors.As(err, &typeErr):
		return errors.New("not a JSON object: want the output of `terraform show -json`, which is one object")
	}
	return fmt.Errorf("not a JSON document: %v", err)
}

func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

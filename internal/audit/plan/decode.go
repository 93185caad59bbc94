package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	tfjson "github.com/hashicorp/terraform-json"
)

// The reader decodes a document into terraform-json's types with
// encoding/json/v2: one scan checks the syntax and finds the top-level
// members, then each member the audit reads is decoded once, the members
// side by side. terraform-json's own decoding (its UnmarshalJSON methods)
// scans every value two or three times and reflects over each: on a plan of
// 100,000 resources that cost more than half of the whole audit. What the
// audit never reads is skipped without being built: a resource change's
// before and after values (the planned values hold the after values again),
// its sensitivity masks, the relevant attributes, checks and outputs'
// changes.

// members are the top-level members of a document: where each lies, and
// those the audit reads, decoded.
type members struct {
	spans           map[string]span // every member, read or not, null or not
	version         jsontext.Value  // format_version, raw: a number gets its own message
	variables       map[string]*tfjson.PlanVariable
	plannedValues   *tfjson.StateValues
	resourceChanges []*change
	priorState      *tfjson.State
	config          *tfjson.Config
	values          *tfjson.StateValues
}

// change is what the audit reads of a resource change: which parts of the
// planned value are unknown until apply.
type change struct {
	Address string `json:"address"`
	Change  *struct {
		AfterUnknown any `json:"after_unknown"`
	} `json:"change"`
}

// decodeOptions accept what encoding/json accepted (duplicate names, the
// last one winning, and invalid UTF-8), and decode terraform-json's types
// without their UnmarshalJSON methods.
var decodeOptions = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
	json.WithUnmarshalers(json.JoinUnmarshalers(
		json.UnmarshalFromFunc(decodeExpression),
		json.UnmarshalFromFunc(decodeConfig),
		json.UnmarshalFromFunc(decodeState),
		json.UnmarshalFromFunc(decodeStateResource),
	)),
)

// decodeMembers reads a document's top-level object in two steps: one
// scan finds each member and checks the syntax of the whole document, then
// the members the audit reads are decoded side by side, one goroutine each,
// so that a plan's planned values and its configuration decode on two cores
// at once. A member named twice keeps its last value, as encoding/json does.
func decodeMembers(data []byte) (*members, error) {
	dec := jsontext.NewDecoder(bytes.NewBuffer(data), decodeOptions)
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	if tok.Kind() != '{' {
		return nil, errNotObject
	}
	m := &members{spans: map[string]span{}}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String()
		v, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		// The decoder reads data in place: the value is data[start:end].
		end := dec.InputOffset()
		m.spans[name] = span{start: end - int64(len(v)), end: end}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	// Nothing may follow the object but white space.
	end := dec.InputOffset()
	if _, err := dec.ReadToken(); err != io.EOF {
		if err == nil {
			next := end + int64(len(data[end:])-len(bytes.TrimLeft(data[end:], " \t\r\n")))
			err = &jsontext.SyntacticError{ByteOffset: next, Err: errors.New("more after the document's closing brace")}
		}
		return nil, err
	}
	if s, ok := m.spans["format_version"]; ok {
		m.version = data[s.start:s.end]
	}
	targets := []struct {
		name string
		into any
	}{
		{"variables", &m.variables},
		{"planned_values", &m.plannedValues},
		{"resource_changes", &m.resourceChanges},
		{"prior_state", &m.priorState},
		{"configuration", &m.config},
		{"values", &m.values},
	}
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		s, ok := m.spans[t.name]
		if !ok {
			continue
		}
		wg.Go(func() {
			if err := json.Unmarshal(data[s.start:s.end], t.into, decodeOptions); err != nil {
				errs[i] = s.place(t.name, err)
			}
		})
	}
	wg.Wait()
	// The first error in the order above, whichever goroutine ended first.
	for _, err := range errs {
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

// span is where a member's value lies in the document.
type span struct{ start, end int64 }

// place turns an error in a member's value into one about the document:
// its offset counts from the document's start and its path starts at the
// member.
func (s span) place(name string, err error) error {
	var semantic *json.SemanticError
	if errors.As(err, &semantic) {
		placed := *semantic
		placed.ByteOffset += s.start
		placed.JSONPointer = jsontext.Pointer("/" + name + string(semantic.JSONPointer))
		return &placed
	}
	return err
}

var errNotObject = errors.New("not a JSON object: want the output of `terraform show -json`, which is one object")

// plan assembles the members into a terraform-json plan and checks its
// format version the way terraform-json does.
func (m *members) plan(version string) (*tfjson.Plan, error) {
	p := &tfjson.Plan{
		FormatVersion: version,
		Variables:     m.variables,
		PlannedValues: m.plannedValues,
		PriorState:    m.priorState,
		Config:        m.config,
	}
	for _, c := range m.resourceChanges {
		if c == nil {
			continue
		}
		rc := &tfjson.ResourceChange{Address: c.Address}
		if c.Change != nil {
			rc.Change = &tfjson.Change{AfterUnknown: c.Change.AfterUnknown}
		}
		p.ResourceChanges = append(p.ResourceChanges, rc)
	}
	return p, p.Validate()
}

// state assembles the members into a terraform-json state.
func (m *members) state(version string) (*tfjson.State, error) {
	s := &tfjson.State{FormatVersion: version, Values: m.values}
	return s, s.Validate()
}

// decodeExpression reads a configuration expression as terraform-json
// does: a list is nested blocks, an object holds a constant value or the
// references that make the value unknown until apply.
func decodeExpression(dec *jsontext.Decoder, e *tfjson.Expression) error {
	data := new(tfjson.ExpressionData)
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		e.ExpressionData = nil
		return err
	case '[':
		if err := json.UnmarshalDecode(dec, &data.NestedBlocks); err != nil {
			return err
		}
	default:
		var raw struct {
			ConstantValue any      `json:"constant_value"`
			References    []string `json:"references"`
		}
		if err := json.UnmarshalDecode(dec, &raw); err != nil {
			return err
		}
		data.ConstantValue, data.References = raw.ConstantValue, raw.References
		if len(raw.References) > 0 {
			data.ConstantValue = tfjson.UnknownConstantValue
		}
	}
	e.ExpressionData = data
	return nil
}

// decodeConfig and decodeState read terraform-json's types field by field,
// past their UnmarshalJSON methods, which would decode the value again with
// encoding/json.
func decodeConfig(dec *jsontext.Decoder, c *tfjson.Config) error {
	type fields tfjson.Config
	return json.UnmarshalDecode(dec, (*fields)(c))
}

func decodeState(dec *jsontext.Decoder, s *tfjson.State) error {
	type fields tfjson.State
	if err := json.UnmarshalDecode(dec, (*fields)(s)); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("prior_state: %w", err)
	}
	return nil
}

// decodeStateResource reads a resource of planned values or a state. Its
// terraform-json type carries a struct tag that encoding/json/v2 refuses
// (`json:"schema_version,"`), so it is read through a copy of its fields;
// the sensitivity masks and identities are skipped, the audit reads neither.
func decodeStateResource(dec *jsontext.Decoder, r *tfjson.StateResource) error {
	var f struct {
		Address         string              `json:"address"`
		Mode            tfjson.ResourceMode `json:"mode"`
		Type            string              `json:"type"`
		Name            string              `json:"name"`
		Index           any                 `json:"index"`
		ProviderName    string              `json:"provider_name"`
		SchemaVersion   uint64              `json:"schema_version"`
		AttributeValues map[string]any      `json:"values"`
		DependsOn       []string            `json:"depends_on"`
		Tainted         bool                `json:"tainted"`
		DeposedKey      string              `json:"deposed_key"`
	}
	if err := json.UnmarshalDecode(dec, &f); err != nil {
		return err
	}
	*r = tfjson.StateResource{
		Address: f.Address, Mode: f.Mode, Type: f.Type, Name: f.Name, Index: f.Index,
		ProviderName: f.ProviderName, SchemaVersion: f.SchemaVersion, AttributeValues: f.AttributeValues,
		DependsOn: f.DependsOn, Tainted: f.Tainted, DeposedKey: f.DeposedKey,
	}
	return nil
}

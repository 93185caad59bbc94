package plan

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plangen"
)

// TestRead_asTerraformJSON reads every committed plan and state with the
// streaming reader and with terraform-json's own decoding, and wants the
// same values in every part the audit reads: variables, planned values,
// after_unknown, the prior state and the configuration, expressions and
// nested blocks included.
func TestRead_asTerraformJSON(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "plans", "*.json*"))
	if err != nil || len(paths) < 40 {
		t.Fatalf("want the committed plans, found %d (%v)", len(paths), err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data := readPlanFile(t, path)
			got, err := Read(data)
			if err != nil {
				t.Fatal(err)
			}
			switch got.Kind {
			case KindPlan:
				var want tfjson.Plan
				if err := want.UnmarshalJSON(data); err != nil {
					t.Fatal(err)
				}
				same(t, "variables", got.Plan.Variables, want.Variables)
				same(t, "planned_values", got.Plan.PlannedValues, withoutSensitive(want.PlannedValues))
				same(t, "configuration", got.Plan.Config, want.Config)
				if want.PriorState != nil {
					want.PriorState.Values = withoutSensitive(want.PriorState.Values)
				}
				same(t, "prior_state", got.Plan.PriorState, want.PriorState)
				if len(got.Plan.ResourceChanges) != len(want.ResourceChanges) {
					t.Fatalf("%d resource changes, want %d", len(got.Plan.ResourceChanges), len(want.ResourceChanges))
				}
				for i, rc := range want.ResourceChanges {
					same(t, rc.Address+" address", got.Plan.ResourceChanges[i].Address, rc.Address)
					same(t, rc.Address+" after_unknown", got.Plan.ResourceChanges[i].Change.AfterUnknown, rc.Change.AfterUnknown)
				}
			case KindState:
				var want tfjson.State
				if err := want.UnmarshalJSON(data); err != nil {
					t.Fatal(err)
				}
				same(t, "values", got.State.Values, withoutSensitive(want.Values))
			}
		})
	}
}

func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s differs from terraform-json's decoding:\n got %#v\nwant %#v", what, got, want)
	}
}

// withoutSensitive drops what the reader skips on purpose: sensitivity
// masks and identities, which the audit never reads.
func withoutSensitive(v *tfjson.StateValues) *tfjson.StateValues {
	if v == nil {
		return nil
	}
	var strip func(m *tfjson.StateModule)
	strip = func(m *tfjson.StateModule) {
		if m == nil {
			return
		}
		for _, r := range m.Resources {
			r.SensitiveValues, r.IdentityValues, r.IdentitySchemaVersion = nil, nil, nil
		}
		for _, c := range m.ChildModules {
			strip(c)
		}
	}
	strip(v.RootModule)
	return v
}

func readPlanFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// TestRead_members covers what the two-step reader must keep from
// encoding/json: the last of two members of one name wins, nothing may
// follow the document, and a member of the wrong shape is named with its
// path and line.
func TestRead_members(t *testing.T) {
	doc, err := Read([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.a"}]}},
		"planned_values":{"root_module":{"resources":[{"address":"aws_vpc.b"}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Plan.PlannedValues.RootModule.Resources[0].Address; got != "aws_vpc.b" {
		t.Errorf("planned_values named twice: got %s, want the last (aws_vpc.b)", got)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"format_version":"1.2","planned_values":{}} {}`, "not a JSON document: line 1, column 46"},
		{"{\"format_version\":\"1.2\",\n\"configuration\":{\"root_module\":{\"resources\":[{\"address\":7}]}}}", `not a valid plan: line 2, column 57: /configuration/root_module/resources/0/address is a number`},
		{`{"format_version":"1.2","resource_changes":[{"change":{"after_unknown":{}}},{"change":[]}]}`, `/resource_changes/1/change is a list`},
		{`{"format_version":"1.2","configuration":{"root_module":{"resources":[{"expressions":{"x":[1]}}]}}}`, `/configuration/root_module/resources/0/expressions/x/0 is a number`},
		{`{"format_version":"1.2","prior_state":{"format_version":"9.0"},"planned_values":{}}`, `unsupported state format version`},
	} {
		_, err := Read([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Read(%s) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

// BenchmarkRead reads a generated plan of 10,000 resources with the
// streaming reader and, as the baseline in the same run, with
// terraform-json's own decoding, which the reader used before.
func BenchmarkRead(b *testing.B) {
	data, err := plangen.Plan(10000)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("reader=streaming", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Read(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reader=terraform-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p tfjson.Plan
			if err := p.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

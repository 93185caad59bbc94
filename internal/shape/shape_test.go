package shape

import (
	"reflect"
	"testing"
)

type inner struct {
	Port int `json:"port" doc:"A port."`
}

type outer struct {
	Name   string            `json:"name" doc:"A name."`
	On     bool              `json:"on" doc:"A switch."`
	Items  []inner           `json:"items" doc:"Items."`
	Labels map[string]string `json:"labels" doc:"Labels."`
}

func TestOf(t *testing.T) {
	got := For[outer]()
	if got.Kind != Object || len(got.Fields) != 4 {
		t.Fatalf("outer: got %+v", got)
	}
	want := []struct {
		name string
		kind Kind
	}{{"name", String}, {"on", Bool}, {"items", List}, {"labels", Map}}
	for i, w := range want {
		f := got.Fields[i]
		if f.Name != w.name || f.Shape.Kind != w.kind || f.Index != i || f.Doc == "" {
			t.Errorf("field %d: got %+v, want name %s kind %v", i, f, w.name, w.kind)
		}
	}
	items := got.Fields[2].Shape.Elem
	if items.Kind != Object || items.Fields[0].Name != "port" || items.Fields[0].Shape.Kind != Number {
		t.Errorf("items: got %+v", items)
	}
	if got.Fields[3].Shape.Elem.Kind != String {
		t.Errorf("labels: got %+v", got.Fields[3].Shape.Elem)
	}
}

func TestOfPanicsWithoutTags(t *testing.T) {
	type untagged struct{ Name string }
	defer func() {
		if recover() == nil {
			t.Fatal("Of accepted a field without json and doc tags")
		}
	}()
	Of(reflect.TypeFor[untagged]())
}

// TestNullable: a pointer has the shape of what it points to, nullable;
// nothing else is.
func TestNullable(t *testing.T) {
	type part struct {
		Policy string `json:"policy" doc:"A policy."`
	}
	type withParts struct {
		Priority *int  `json:"priority" doc:"A priority, or null."`
		AWS      *part `json:"aws" doc:"The AWS part, or null."`
		Port     int   `json:"port" doc:"A port."`
	}
	got := For[withParts]()
	if p := got.Fields[0].Shape; p.Kind != Number || !p.Nullable {
		t.Errorf("*int: got %+v", p)
	}
	if a := got.Fields[1].Shape; a.Kind != Object || !a.Nullable || a.Fields[0].Name != "policy" || a.Fields[0].Shape.Nullable {
		t.Errorf("*part: got %+v", a)
	}
	if got.Nullable || got.Fields[2].Shape.Nullable {
		t.Error("a value that is not a pointer is nullable")
	}
}

// TestNullableTag: a slice or map tagged tf:"nullable" is nullable; one
// without the tag is not, nor is a string with it.
func TestNullableTag(t *testing.T) {
	type rule struct {
		CIDRs  []string          `json:"cidrs" tf:"nullable" doc:"Ranges, or null."`
		Labels map[string]string `json:"labels" tf:"nullable" doc:"Labels, or null."`
		Ports  []int             `json:"ports" doc:"Ports."`
		Name   string            `json:"name" tf:"nullable" doc:"A name."`
	}
	got := For[rule]()
	for i, want := range []bool{true, true, false, false} {
		if f := got.Fields[i]; f.Shape.Nullable != want {
			t.Errorf("%s: nullable %v, want %v", f.Name, f.Shape.Nullable, want)
		}
	}
}

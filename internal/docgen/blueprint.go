package main

import (
	"fmt"
	"io"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

// The computed objects the reference describes, with where each is found.
var referenced = []struct {
	attribute string // where the object is found, such as "blueprint"
	title     string
	intro     string
	shape     shape.Shape
}{
	{"blueprint", "`segmented_ml_environment.blueprint`",
		"Everything the generated module builds for one environment, known at plan time. Lists are sorted by their `key`, which the module uses as its `for_each` key.",
		shape.For[blueprint.Blueprint]()},
	{"summary", "`segmented_ml_environment.summary`",
		"What `segmented_ml_topology` checks across environments: pass it in the topology's `environments`.",
		shape.For[blueprint.Summary]()},
	{"boundaries[*]", "`segmented_ml_topology.boundaries[name]`",
		"What the allowed flows add to one environment: pass it to that environment's module as `boundary`.",
		shape.For[blueprint.Boundary]()},
}

// renderBlueprint writes the reference of the computed objects: every field
// with its type and its documentation, from the Go types' doc tags. The
// schema types these attributes as plain objects, which a plan walks far
// faster than nested attributes, so their fields are documented here rather
// than in the resources' schema pages.
func renderBlueprint(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("---\n")
	p("page_title: \"Blueprint reference\"\n")
	p("subcategory: \"\"\n")
	p("description: |-\n  Every field of the blueprint, the summary and the boundaries.\n")
	p("---\n\n")
	p("# Blueprint reference\n\n")
	p("The provider computes these objects at plan time; the generated modules read them. ")
	p("This page is generated from the Go types that define them.\n")
	for _, r := range referenced {
		p("\n## %s\n\n%s\n", r.title, r.intro)
		objectFields(p, r.attribute, r.shape)
	}
}

// objectFields lists the fields of an object, then each nested object
// under its own heading, depth first.
func objectFields(p func(string, ...any), at string, s shape.Shape) {
	p("\n")
	var nested []shape.Field
	for _, f := range s.Fields {
		p("- `%s` (%s) %s\n", f.Name, typeName(f.Shape), f.Doc)
		if objectOf(f.Shape) != nil {
			nested = append(nested, f)
		}
	}
	for _, f := range nested {
		path := nestedPath(at, f)
		p("\n### `%s`\n", path)
		objectFields(p, path, *objectOf(f.Shape))
	}
}

// objectOf returns the object a field holds, directly or as the elements of
// a list or map, or nil.
func objectOf(s shape.Shape) *shape.Shape {
	for s.Kind == shape.List || s.Kind == shape.Map {
		s = *s.Elem
	}
	if s.Kind == shape.Object {
		return &s
	}
	return nil
}

// typeName names a shape as Terraform's type constraints do: list(string),
// map(object).
func typeName(s shape.Shape) string {
	switch s.Kind {
	case shape.String:
		return "string"
	case shape.Number:
		return "number"
	case shape.Bool:
		return "bool"
	case shape.List:
		return "list(" + typeName(*s.Elem) + ")"
	case shape.Map:
		return "map(" + typeName(*s.Elem) + ")"
	}
	return "object"
}

// nestedPath is the heading of the object a field holds: "blueprint.network"
// for an object, "blueprint.subnets[*]" for the elements of a list or map.
func nestedPath(at string, f shape.Field) string {
	if f.Shape.Kind == shape.Object {
		return at + "." + f.Name
	}
	return at + "." + f.Name + "[*]"
}

package provider

import (
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Where the CLI shows a diagnostic
//
// A diagnostic carries an attribute path, and the CLI turns the path back
// into a source range (tfdiags.attributeDiagnostic.ElaborateFromConfigBody
// in Terraform, up to 1.14, and in OpenTofu). It locates two forms only:
//
//   - a top-level attribute, `ingress`: its value expression;
//   - an element of a top-level list, `ingress[1]`: the element's expression
//     if the value is written as a tuple `[...]` (the `{ ... }` of that
//     object, or the reference `segmented_ml_environment.dev.summary`),
//     otherwise the whole value (a `[for ...]`, a local, a function call).
//
// Anything deeper, such as `ingress[1].from_cidrs[0]`, it looks for as
// nested blocks, finds none, and then looks up the last attribute name in
// the resource body itself: the resource's header when there is no such
// attribute, and the resource's own `name` line for a nested `name`. So
// each path is cut to the deepest form the CLI can locate, and the
// diagnostic's detail names the full path.

// findingDiagnostics turns findings into diagnostics on their attribute paths.
func findingDiagnostics(findings []rules.Finding) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, f := range findings {
		if f.Rule.Severity == rules.Warning {
			addAttributeWarning(&diags, f.Path, f.Summary(), f.Detail())
		} else {
			addAttributeError(&diags, f.Path, f.Summary(), f.Detail())
		}
	}
	return diags
}

// addAttributeError appends an error about the attribute at p, placed where
// the CLI can show it (see attributePath).
func addAttributeError(diags *diag.Diagnostics, p rules.Path, summary, detail string) {
	diags.AddAttributeError(attributePath(p), summary, attributeDetail(p, detail))
}

// addAttributeWarning appends a warning about the attribute at p, placed
// where the CLI can show it (see attributePath).
func addAttributeWarning(diags *diag.Diagnostics, p rules.Path, summary, detail string) {
	diags.AddAttributeWarning(attributePath(p), summary, attributeDetail(p, detail))
}

// attributeDetail names p at the start of detail when the CLI shows a
// range around the attribute rather than the attribute itself.
func attributeDetail(p rules.Path, detail string) string {
	if len(locatable(p)) < len(p) {
		return p.String() + ": " + detail
	}
	return detail
}

// attributePath maps a domain path onto the framework's, cut to the deepest
// part that the CLI can locate in the configuration.
func attributePath(p rules.Path) path.Path {
	p = locatable(p)
	if len(p) == 0 {
		return path.Empty()
	}
	out := path.Root(p[0].Name)
	for _, s := range p[1:] {
		if s.IsIndex {
			out = out.AtListIndex(s.Index)
		} else {
			out = out.AtName(s.Name)
		}
	}
	return out
}

// locatable returns the longest prefix of p that the CLI can locate: the
// top-level attribute, and the list element it holds if p goes into one.
func locatable(p rules.Path) rules.Path {
	switch {
	case len(p) > 1 && p[1].IsIndex:
		return p[:2]
	case len(p) > 0:
		return p[:1]
	}
	return p
}

// inputErrorDiagnostics places the domain's input errors (an unknown tier or
// cloud) on their attributes, which at names: rules.Root for an
// environment's own attributes, or the attribute of a topology's member.
// Any other error is reported on the resource.
func inputErrorDiagnostics(err error, at func(string) rules.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	var errs []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var input *segment.InputError
		if !errors.As(e, &input) {
			diags.AddError("Invalid input", e.Error())
			continue
		}
		title := "Invalid " + strings.ReplaceAll(input.Attribute, "_", " ")
		addAttributeError(&diags, at(input.Attribute), title, input.Err.Error()+".")
	}
	return diags
}

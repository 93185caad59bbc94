package plan

import (
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// references returns the managed resources that the configuration of one of
// r's attributes refers to, followed through data sources (an
// aws_iam_policy_document's statements), module outputs and module inputs.
// explained is false when a reference leads where the plan does not say: a
// local value (the plan's configuration holds no locals), or a resource or
// module the configuration does not have.
func (d *doc) references(r *resource, attr string) (targets []*resource, explained bool) {
	if r.cfg == nil {
		return nil, false
	}
	w := &refWalk{d: d, seen: map[string]bool{}, explained: true}
	w.expr(r.cfg.Expressions[attr], r.calls, r.module)
	sort.Slice(w.targets, func(i, j int) bool { return w.targets[i].addr < w.targets[j].addr })
	return w.targets, w.explained
}

type refWalk struct {
	d         *doc
	seen      map[string]bool
	targets   []*resource
	explained bool
}

func (w *refWalk) expr(e *tfjson.Expression, calls []string, module string) {
	if e == nil || e.ExpressionData == nil {
		return
	}
	for _, ref := range e.References {
		w.ref(ref, calls, module)
	}
	for _, block := range e.NestedBlocks {
		for _, k := range sortedKeys(block) {
			w.expr(block[k], calls, module)
		}
	}
}

func (w *refWalk) ref(ref string, calls []string, module string) {
	parts := splitRef(ref)
	key := strings.Join(calls, ".") + "|" + strings.Join(parts, ".")
	if len(parts) < 2 || w.seen[key] {
		return
	}
	w.seen[key] = true
	switch parts[0] {
	case "each", "count", "path", "terraform", "self":
		return // known at plan time, or the resource itself
	case "local":
		// The plan holds no local values; the configuration's source does.
		refs, ok := w.d.locals.LocalReferences(calls, parts[1])
		if !ok {
			w.explained = false
			return
		}
		for _, r := range refs {
			w.ref(r, calls, module)
		}
	case "var":
		if len(calls) == 0 {
			return // a root module variable has its value in the plan
		}
		parent := w.d.configModule(calls[:len(calls)-1])
		if parent == nil || parent.ModuleCalls[calls[len(calls)-1]] == nil {
			w.explained = false
			return
		}
		w.expr(parent.ModuleCalls[calls[len(calls)-1]].Expressions[parts[1]], calls[:len(calls)-1], "")
	case "module":
		if len(parts) < 3 {
			w.explained = false
			return
		}
		child := w.d.configModule(append(append([]string{}, calls...), parts[1]))
		if child == nil || child.Outputs[parts[2]] == nil {
			w.explained = false
			return
		}
		w.expr(child.Outputs[parts[2]].Expression, append(append([]string{}, calls...), parts[1]), "")
	case "data":
		if len(parts) < 3 {
			return
		}
		w.resource("data."+parts[1]+"."+parts[2], calls, module)
	default:
		w.resource(parts[0]+"."+parts[1], calls, module)
	}
}

func (w *refWalk) resource(addr string, calls []string, module string) {
	prefix := ""
	for _, c := range calls {
		prefix += "module." + c + "."
	}
	found := w.d.instances(prefix+addr, module)
	if len(found) == 0 {
		// A data source read only at apply has no instance yet: follow its
		// configuration instead.
		if strings.HasPrefix(addr, "data.") {
			if cr := w.d.configResourceAt(calls, addr); cr != nil {
				for _, k := range sortedKeys(cr.Expressions) {
					w.expr(cr.Expressions[k], calls, module)
				}
				return
			}
		}
		w.explained = false
		return
	}
	for _, r := range found {
		if r.managed {
			w.targets = append(w.targets, r)
			continue
		}
		if r.cfg != nil {
			for _, k := range sortedKeys(r.cfg.Expressions) {
				w.expr(r.cfg.Expressions[k], calls, r.module)
			}
		}
	}
}

// splitRef splits a reference such as `aws_iam_role.x["a"].arn` into its
// dotted parts with instance keys dropped.
func splitRef(ref string) []string {
	var parts []string
	var b strings.Builder
	depth, inString := 0, false
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case inString:
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth > 0:
		case c == '.':
			parts = append(parts, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, b.String())
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

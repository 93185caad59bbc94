package plan

import (
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
)

// resource is one resource instance of the document, with what the reader
// needs of its configuration.
type resource struct {
	addr    string   // the full instance address
	calls   []string // the module calls it sits under, outermost first, keys dropped
	module  string   // the module instance address it sits in ("" for the root)
	managed bool
	typ     string
	name    string
	vals    value
	cfg     *tfjson.ConfigResource // nil when the document has no configuration
	index   int                    // into the facts' resources, -1 when not audited
}

// configAddr is the resource's address in the configuration: module calls
// and resource, without instance keys.
func (r *resource) configAddr() string {
	var b strings.Builder
	for _, c := range r.calls {
		b.WriteString("module." + c + ".")
	}
	if !r.managed {
		b.WriteString("data.")
	}
	b.WriteString(r.typ + "." + r.name)
	return b.String()
}

// doc is a document being read: its resources by address and configuration.
type doc struct {
	resources   []*resource
	byAddr      map[string]*resource
	byConfig    map[string][]*resource // config address -> instances
	config      *tfjson.Config
	configIndex map[*tfjson.ConfigModule]map[string]*tfjson.ConfigResource // address -> configuration, per module, built on first use
	ids         map[string][]*resource                                     // identifier -> resources, built on first use
	vars        map[string]any                                             // the root module's variables, as planned
	locals      *source.Locator                                            // the configuration's source, for local values; may be nil
	kubeIdx     *kubeIndex                                                 // Kubernetes namespaces and roles by name, built on first use (kubernetes.go)
}

func newDoc(d *Document) *doc {
	out := &doc{byAddr: map[string]*resource{}, byConfig: map[string][]*resource{}, configIndex: map[*tfjson.ConfigModule]map[string]*tfjson.ConfigResource{}}
	var root *tfjson.StateModule
	unknown := map[string]any{}
	switch d.Kind {
	case KindPlan:
		out.config = d.Plan.Config
		out.vars = map[string]any{}
		for name, v := range d.Plan.Variables {
			if v != nil {
				out.vars[name] = v.Value
			}
		}
		if d.Plan.PlannedValues != nil {
			root = d.Plan.PlannedValues.RootModule
		}
		for _, rc := range d.Plan.ResourceChanges {
			if rc.Change != nil {
				unknown[rc.Address] = rc.Change.AfterUnknown
			}
		}
		// Data sources read at plan time live in the prior state.
		if d.Plan.PriorState != nil && d.Plan.PriorState.Values != nil {
			out.walk(d.Plan.PriorState.Values.RootModule, nil, true)
		}
	case KindState:
		if d.State.Values != nil {
			root = d.State.Values.RootModule
		}
	}
	out.walkUnknown(root, unknown)
	sort.SliceStable(out.resources, func(i, j int) bool { return out.resources[i].addr < out.resources[j].addr })
	return out
}

func (d *doc) walkUnknown(m *tfjson.StateModule, unknown map[string]any) {
	d.walk(m, unknown, false)
}

// walk adds the resources of a module and its child modules; dataOnly takes
// only data sources (from the prior state, which also holds resources that
// the planned values hold again).
func (d *doc) walk(m *tfjson.StateModule, unknown map[string]any, dataOnly bool) {
	if m == nil {
		return
	}
	for _, sr := range m.Resources {
		managed := sr.Mode == tfjson.ManagedResourceMode
		if dataOnly && managed {
			continue
		}
		if _, seen := d.byAddr[sr.Address]; seen {
			continue
		}
		a, err := source.ParseAddress(sr.Address)
		if err != nil {
			continue // Terraform writes addresses; one it cannot have written is not a resource
		}
		r := &resource{
			addr: sr.Address, calls: a.Modules, module: m.Address, managed: managed,
			typ: sr.Type, name: sr.Name, index: -1,
			vals: value{v: sr.AttributeValues, unknown: unknown[sr.Address]},
		}
		if r.vals.v == nil {
			r.vals.v = map[string]any{}
		}
		r.cfg = d.configResource(r)
		d.resources = append(d.resources, r)
		d.byAddr[r.addr] = r
		d.byConfig[r.configAddr()] = append(d.byConfig[r.configAddr()], r)
	}
	for _, child := range m.ChildModules {
		d.walk(child, unknown, dataOnly)
	}
}

// configModule returns the configuration of the module the calls lead to.
func (d *doc) configModule(calls []string) *tfjson.ConfigModule {
	if d.config == nil {
		return nil
	}
	m := d.config.RootModule
	for _, c := range calls {
		if m == nil {
			return nil
		}
		mc := m.ModuleCalls[c]
		if mc == nil {
			return nil
		}
		m = mc.Module
	}
	return m
}

func (d *doc) configResource(r *resource) *tfjson.ConfigResource {
	addr := r.typ + "." + r.name
	if !r.managed {
		addr = "data." + addr
	}
	return d.configResourceAt(r.calls, addr)
}

// configResourceAt returns the configuration of the resource at addr
// (aws_vpc.main, data.aws_iam_policy_document.x) in the module the calls
// lead to. Each module's resources are indexed on first use: every
// resource and every reference looks its configuration up here.
func (d *doc) configResourceAt(calls []string, addr string) *tfjson.ConfigResource {
	m := d.configModule(calls)
	if m == nil {
		return nil
	}
	index, ok := d.configIndex[m]
	if !ok {
		index = make(map[string]*tfjson.ConfigResource, len(m.Resources))
		for _, cr := range m.Resources {
			if _, seen := index[cr.Address]; !seen {
				index[cr.Address] = cr
			}
		}
		d.configIndex[m] = index
	}
	return index[addr]
}

// instances returns the resources a configuration address stands for,
// preferring those in the module instance of the referrer.
func (d *doc) instances(configAddr, module string) []*resource {
	all := d.byConfig[configAddr]
	var same []*resource
	for _, r := range all {
		if r.module == module {
			same = append(same, r)
		}
	}
	if len(same) > 0 {
		return same
	}
	return all
}

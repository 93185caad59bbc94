package provider

import (
	"context"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/diagram"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

var (
	_ resource.Resource               = (*TopologyResource)(nil)
	_ resource.ResourceWithModifyPlan = (*TopologyResource)(nil)
)

var (
	boundaryShape     = shape.For[blueprint.Boundary]()
	reachabilityShape = shape.For[map[string]map[string][]string]()
)

// requiredSummaryAttributes must be set on every environment of a topology.
var requiredSummaryAttributes = []string{"name", "tier", "cloud", "account_id", "cidr"}

// TopologyResource is segmented_ml_topology: the trust boundaries between
// environments, checked at plan time.
type TopologyResource struct{}

// NewTopologyResource returns the resource.
func NewTopologyResource() resource.Resource { return &TopologyResource{} }

type topologyModel struct {
	ID           types.String `tfsdk:"id"`
	Environments types.List   `tfsdk:"environments"`
	Flows        types.List   `tfsdk:"flows"`
	Boundaries   types.Map    `tfsdk:"boundaries"`
	Reachability types.Map    `tfsdk:"reachability"`
	Mermaid      types.String `tfsdk:"mermaid"`
	DOT          types.String `tfsdk:"dot"`
}

// Metadata names the resource.
func (r *TopologyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ml_topology"
}

// Schema describes the resource.
func (r *TopologyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Every attribute is optional in the schema: Terraform validates required
	// nested attributes before it knows the summaries they come from. The
	// plan checks requiredSummaryAttributes instead.
	env := map[string]schema.Attribute{}
	for _, f := range summaryShape.Fields {
		doc := f.Doc
		if slices.Contains(requiredSummaryAttributes, f.Name) {
			doc += " Required."
		}
		switch f.Shape.Kind {
		case shape.List:
			env[f.Name] = schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: doc}
		default:
			env[f.Name] = schema.StringAttribute{Optional: true, MarkdownDescription: doc}
		}
	}
	resp.Schema = schema.Schema{
		Version: schemaVersion,
		MarkdownDescription: "The trust boundaries between environments. Its plan checks every pair of environments (" +
			strings.Join(rules.IDs(rules.ScopeTopology), ", ") + ") and fails on a violation; values not known at plan time " +
			"are named in a warning and checked at apply, so a violation is never stored. It computes the extra firewall " +
			"rules and grants each environment's module needs (`boundaries`), a reachability matrix and a diagram. " +
			"It is a managed resource, not a data source, because a data source that reads resources with pending changes " +
			"is deferred to apply.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "A digest of the environments' names.",
			},
			"environments": schema.ListNestedAttribute{
				Required:            true,
				MarkdownDescription: "The environments: the `summary` of each `segmented_ml_environment`.",
				NestedObject:        schema.NestedAttributeObject{Attributes: env},
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.NoNullValues()},
			},
			"flows": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "Declared flows of content, `from` -> `to`. Anything not declared is denied, and a declared " +
					"flow must be allowed by the tier policy (SEG602).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"from": schema.StringAttribute{Required: true, MarkdownDescription: "Name of the environment the content leaves."},
					"to":   schema.StringAttribute{Required: true, MarkdownDescription: "Name of the environment the content reaches."},
					"purpose": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: "What the flow carries: `model-promotion`, `telemetry`, `deploy` or `artifact-pull`.",
						Validators:          []validator.String{stringvalidator.OneOf(segment.Names(segment.FlowPurposes())...)},
					},
				}},
			},
			"boundaries": schema.MapAttribute{
				Computed:            true,
				MarkdownDescription: "Per environment name, what the allowed flows add to it: pass `boundaries[name]` to that environment's module. Its fields are described in the [blueprint reference](../guides/blueprint.md#segmented_ml_topologyboundariesname).",
				ElementType:         attrType(boundaryShape),
			},
			"reachability": schema.MapAttribute{
				Computed:            true,
				ElementType:         attrType(*reachabilityShape.Elem),
				MarkdownDescription: "Who may send what to whom: `reachability[from][to]` lists the purposes of the allowed flows. A pair that is absent may exchange nothing.",
			},
			"mermaid": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The trust-boundary diagram as a Mermaid flowchart: tiers as subgraphs, flows labelled by purpose.",
			},
			"dot": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The same diagram in Graphviz DOT.",
			},
		},
	}
}

// ModifyPlan checks the topology and puts its outputs in the plan.
func (r *TopologyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var cfg topologyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	topo, complete, diags := readTopology(cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	findings, err := rules.CheckTopology(topo)
	if err != nil {
		resp.Diagnostics.AddError("Invalid topology", err.Error()) // readTopology reports these on their attributes first
		return
	}
	resp.Diagnostics.Append(findingDiagnostics(findings)...)
	pending := uncheckedWarnings(topo, complete)
	resp.Diagnostics.Append(pending...)
	if resp.Diagnostics.HasError() || len(pending) > 0 {
		return
	}
	planned, diags := r.outputs(cfg, topo)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, planned)...)
}

// uncheckedWarnings names every value not known at plan time and the rules
// that will check it at apply.
func uncheckedWarnings(topo segment.Topology, complete bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if !complete {
		diags.AddAttributeWarning(path.Root("environments"), "Topology not known yet",
			"some environments or flows are not known at plan time, so "+strings.Join(rules.IDs(rules.ScopeTopology), ", ")+
				" are checked at apply, before anything is stored.")
	}
	for _, u := range rules.UncheckedValues(topo) {
		diags.AddAttributeWarning(attributePath(u.Path), "Not known yet: "+strings.Join(u.Rules, ", ")+" checked at apply",
			fmt.Sprintf("%s is not known at plan time, so %s cannot check it yet. They run again at apply, and a violation then fails the apply before anything is stored.",
				u.Path, strings.Join(u.Rules, ", ")))
	}
	return diags
}

// Create checks the topology again, now that every value is known, and
// stores it.
func (r *TopologyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(r.store(ctx, req.Config, &resp.State)...)
}

// Read keeps the stored topology: there is nothing remote to refresh.
// The framework hands Read the stored state as the response's state, so
// leaving it untouched keeps it.
func (r *TopologyResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

// Update checks the topology again and stores it.
func (r *TopologyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(r.store(ctx, req.Config, &resp.State)...)
}

// Delete forgets the topology: nothing remote exists.
func (r *TopologyResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// apply runs the checks with every value known and computes the outputs.
func (r *TopologyResource) apply(cfg topologyModel) (topologyModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	topo, complete, d := readTopology(cfg)
	diags.Append(d...)
	if diags.HasError() {
		return cfg, diags
	}
	if !complete || len(rules.UncheckedValues(topo)) > 0 {
		diags.AddError("Topology still not known", "some environments or flows are unknown at apply time; this is a bug in the provider or in Terraform.")
		return cfg, diags
	}
	findings, err := rules.CheckTopology(topo)
	if err != nil {
		diags.AddError("Invalid topology", err.Error()) // readTopology reports these on their attributes first
		return cfg, diags
	}
	diags.Append(findingDiagnostics(findings)...)
	if diags.HasError() {
		return cfg, diags
	}
	out, d := r.outputs(cfg, topo)
	diags.Append(d...)
	return out, diags
}

// outputs computes the boundaries, the reachability matrix and the diagrams
// of a topology that passed its checks.
func (r *TopologyResource) outputs(cfg topologyModel, topo segment.Topology) (topologyModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := cfg
	names := make([]string, 0, len(topo.Environments))
	for _, m := range topo.Environments {
		names = append(names, m.Name)
	}
	slices.Sort(names)
	h := fnv.New64a()
	h.Write([]byte(strings.Join(names, "\x00")))
	out.ID = types.StringValue(fmt.Sprintf("topology-%016x", h.Sum64()))

	bounds, issues := blueprint.Boundaries(topo)
	for _, issue := range issues {
		diags.AddAttributeWarning(path.Root("flows").AtListIndex(issue.Flow), "Flow only partly expressed", issue.Message)
	}
	elems := make(map[string]attr.Value, len(bounds))
	for name, b := range bounds {
		v, d := objectValue(b)
		diags.Append(d...)
		elems[name] = v
	}
	var d diag.Diagnostics
	out.Boundaries, d = types.MapValue(attrType(boundaryShape), elems)
	diags.Append(d...)

	reach, d := value(reachabilityShape, reflect.ValueOf(topo.Reachability()))
	diags.Append(d...)
	if m, ok := reach.(types.Map); ok {
		out.Reachability = m
	}

	nodes, edges := diagramOf(topo)
	out.Mermaid = types.StringValue(diagram.Mermaid(nodes, edges))
	out.DOT = types.StringValue(diagram.DOT(nodes, edges))
	return out, diags
}

func diagramOf(t segment.Topology) ([]diagram.Node, []diagram.Edge) {
	tiers := map[string]segment.Tier{}
	nodes := make([]diagram.Node, 0, len(t.Environments))
	for _, m := range t.Environments {
		tiers[m.Name] = m.Tier
		nodes = append(nodes, diagram.Node{Name: m.Name, Tier: string(m.Tier), CIDR: m.CIDR.String()})
	}
	edges := make([]diagram.Edge, 0, len(t.Flows))
	for _, f := range t.Flows {
		edges = append(edges, diagram.Edge{From: f.From, To: f.To, Purpose: string(f.Purpose),
			Allowed: f.From != f.To && segment.FlowAllowed(tiers[f.From], tiers[f.To], f.Purpose)})
	}
	return nodes, edges
}

// readNamespacePurposes reads a summary's namespaces into m: a null list
// (a summary written by hand) stands for the tier's default namespaces.
func readNamespacePurposes(a map[string]attr.Value, m *segment.Member) {
	list, _ := a["namespaces"].(types.List)
	switch {
	case list.IsUnknown():
		m.Unknown["namespaces"] = true
	case list.IsNull():
		// nil: the tier's defaults (segment.Member.WorkloadNamespaces)
	default:
		m.Namespaces = []segment.NamespacePurpose{}
		for _, e := range list.Elements() {
			if s, ok := e.(types.String); ok && s.IsUnknown() {
				m.Unknown["namespaces"] = true
			} else if ok && !s.IsNull() {
				m.Namespaces = append(m.Namespaces, segment.NamespacePurpose(s.ValueString()))
			}
		}
	}
	if m.Unknown["tier"] && list.IsNull() {
		m.Unknown["namespaces"] = true
	}
}

// readTopology converts the configuration into the domain. Unknown values
// are marked on their members and flows; the second result is false when a
// whole list or element is unknown.
func readTopology(cfg topologyModel) (segment.Topology, bool, diag.Diagnostics) {
	var t segment.Topology
	var diags diag.Diagnostics
	complete := !cfg.Environments.IsUnknown() && !cfg.Flows.IsUnknown()
	for i, e := range cfg.Environments.Elements() {
		at := path.Root("environments").AtListIndex(i)
		obj, ok := e.(types.Object)
		switch {
		case !ok || obj.IsUnknown():
			complete = false
			continue
		case obj.IsNull():
			diags.AddAttributeError(at, "Null environment",
				fmt.Sprintf("environments[%d] is null; pass the summary of a segmented_ml_environment.", i))
			continue
		}
		a := obj.Attributes()
		for _, name := range requiredSummaryAttributes {
			if v, _ := a[name].(types.String); v.IsNull() || (!v.IsUnknown() && strings.TrimSpace(v.ValueString()) == "") {
				addAttributeError(&diags, rules.Root("environments").Index(i).Attr(name), "Missing environment attribute",
					fmt.Sprintf("environments[%d] has no %s; pass the summary of a segmented_ml_environment, or set %s.", i, name, strings.Join(requiredSummaryAttributes, ", ")))
			}
		}
		m := segment.Member{Unknown: map[string]bool{}}
		str := func(name string) string {
			v, _ := a[name].(types.String)
			if v.IsUnknown() {
				m.Unknown[name] = true
			}
			return v.ValueString()
		}
		m.Name = str("name")
		m.Organization = str("organization")
		m.Tier = segment.Tier(str("tier"))
		m.Cloud = segment.Cloud(str("cloud"))
		m.Region = str("region")
		m.AccountID = str("account_id")
		m.CISubject = str("ci_subject")
		m.CIOIDCProvider = str("ci_oidc_provider")
		if cidr := str("cidr"); cidr != "" {
			p, err := netplan.ParsePrefix(cidr)
			if err != nil {
				addAttributeError(&diags, rules.Root("environments").Index(i).Attr("cidr"), "Invalid CIDR", err.Error())
			}
			m.CIDR = p
		}
		if principals, _ := a["principals"].(types.List); principals.IsUnknown() {
			m.Unknown["principals"] = true
		} else {
			for _, p := range principals.Elements() {
				if s, ok := p.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
					m.Principals = append(m.Principals, s.ValueString())
				} else if s.IsUnknown() {
					m.Unknown["principals"] = true
				}
			}
		}
		diags.Append(readEntryCIDRs(a, i, &m)...)
		readNamespacePurposes(a, &m)
		// A tier or cloud the domain does not know (an empty one is
		// reported above): no boundary could name its principals.
		for _, e := range m.Check() {
			diags.Append(inputErrorDiagnostics(e, rules.Root("environments").Index(i).Attr)...)
		}
		t.Environments = append(t.Environments, m)
	}
	for i, e := range cfg.Flows.Elements() {
		obj, ok := e.(types.Object)
		switch {
		case !ok || obj.IsUnknown():
			complete = false
			continue
		case obj.IsNull():
			diags.AddAttributeError(path.Root("flows").AtListIndex(i), "Null flow", fmt.Sprintf("flows[%d] is null; give it from, to and purpose.", i))
			continue
		}
		a := obj.Attributes()
		for _, name := range []string{"from", "to"} {
			if v, _ := a[name].(types.String); !v.IsUnknown() && strings.TrimSpace(v.ValueString()) == "" {
				addAttributeError(&diags, rules.Root("flows").Index(i).Attr(name), "Empty flow end",
					fmt.Sprintf("flows[%d].%s is empty; name one of the environments.", i, name))
			}
		}
		f := segment.Flow{Unknown: map[string]bool{}}
		str := func(name string) string {
			v, _ := a[name].(types.String)
			if v.IsUnknown() {
				f.Unknown[name] = true
			}
			return v.ValueString()
		}
		f.From, f.To, f.Purpose = str("from"), str("to"), segment.FlowPurpose(str("purpose"))
		t.Flows = append(t.Flows, f)
	}
	return t, complete, diags
}

// store checks the configuration, now that every value is known, and sets
// the state Create and Update return.
func (r *TopologyResource) store(ctx context.Context, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics {
	var cfg topologyModel
	diags := config.Get(ctx, &cfg)
	if diags.HasError() {
		return diags
	}
	computed, d := r.apply(cfg)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	return append(diags, state.Set(ctx, computed)...)
}

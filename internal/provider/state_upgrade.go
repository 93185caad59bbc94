package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Schema versions. Version 1 is the cloud-neutral blueprint: what every
// cloud has in fields named for the idea, what only one cloud has in a
// nested part named for that cloud. Version 0 was shaped for AWS alone.
//
// Both resources upgrade a version 0 state the same way: the attributes the
// user configures have not changed, so they are read as stored, and the
// computed ones whose shape changed are computed again from them, exactly as
// the next plan would. That plan is then empty, unless the configuration
// itself changed: an upgrade never replaces an environment.
const schemaVersion = 1

var (
	_ resource.ResourceWithUpgradeState = (*EnvironmentResource)(nil)
	_ resource.ResourceWithUpgradeState = (*TopologyResource)(nil)
)

// UpgradeState upgrades a stored environment of an earlier schema version.
func (r *EnvironmentResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeEnvironmentFromV0}}
}

// UpgradeState upgrades a stored topology of an earlier schema version.
func (r *TopologyResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeTopologyFromV0}}
}

// upgradeEnvironmentFromV0 computes the blueprint and the summary again.
// What the provider's configuration contributed to them (the organization
// and the default tags) is read from the stored blueprint, since an upgrade
// cannot rely on the provider being configured; the address space and the
// prefix length only allocate a cidr, which the state holds already.
func upgradeEnvironmentFromV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var s resource.SchemaResponse
	(&EnvironmentResource{}).Schema(ctx, resource.SchemaRequest{}, &s)
	state, stored, diags := storedState(ctx, req.RawState, s.Schema, "blueprint", "summary")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var env environmentModel
	resp.Diagnostics.Append(state.Get(ctx, &env)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var v0 struct {
		Organization string            `json:"organization"`
		Tags         map[string]string `json:"tags"`
	}
	// A null blueprint (imported, never planned) stays null: the next plan
	// computes it from the configuration.
	if err := json.Unmarshal(stored["blueprint"], &v0); err == nil && v0.Organization != "" {
		r := &EnvironmentResource{data: &providerData{known: true, organization: v0.Organization, defaultTags: v0.Tags}}
		computed, d := r.plan(ctx, env)
		if d.HasError() {
			resp.Diagnostics.AddWarning("Blueprint computed again at the next plan",
				fmt.Sprintf("The stored environment %q (schema version 0) could not be computed again in the new form, so its blueprint and summary are left empty until the next plan, which reports why: %s",
					env.Name.ValueString(), firstError(d)))
		} else {
			env = computed[0]
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, env)...)
}

// upgradeTopologyFromV0 computes the boundaries, the reachability and the
// diagrams again from the stored environments and flows.
func upgradeTopologyFromV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var s resource.SchemaResponse
	(&TopologyResource{}).Schema(ctx, resource.SchemaRequest{}, &s)
	state, _, diags := storedState(ctx, req.RawState, s.Schema, "boundaries")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var topo topologyModel
	resp.Diagnostics.Append(state.Get(ctx, &topo)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if computed, d := (&TopologyResource{}).apply(topo); d.HasError() {
		resp.Diagnostics.AddWarning("Boundaries computed again at the next plan",
			"The stored topology (schema version 0) could not be computed again in the new form, so its boundaries are left empty until the next plan, which reports why: "+firstError(d))
	} else {
		topo = computed
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, topo)...)
}

// storedState reads a stored state of an earlier version into the current
// schema, with the computed attributes named null (their shape changed), and
// returns the stored JSON of every attribute too.
func storedState(ctx context.Context, raw *tfprotov6.RawState, s schema.Schema, computed ...string) (tfsdk.State, map[string]json.RawMessage, diag.Diagnostics) {
	var diags diag.Diagnostics
	var stored map[string]json.RawMessage
	if raw == nil || json.Unmarshal(raw.JSON, &stored) != nil || stored == nil {
		diags.AddError("Unreadable state", "The stored state is not a JSON object of attributes; it cannot be upgraded.")
		return tfsdk.State{}, nil, diags
	}
	current := maps.Clone(stored)
	for _, name := range computed {
		current[name] = json.RawMessage("null")
	}
	b, err := json.Marshal(current)
	if err != nil {
		diags.AddError("Unreadable state", err.Error())
		return tfsdk.State{}, nil, diags
	}
	value, err := (&tfprotov6.RawState{JSON: b}).UnmarshalWithOpts(s.Type().TerraformType(ctx),
		tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		diags.AddError("Unreadable state", "The stored state does not have the attributes this version reads: "+err.Error())
		return tfsdk.State{}, nil, diags
	}
	return tfsdk.State{Schema: s, Raw: value}, stored, diags
}

// firstError is the first error of diagnostics, for a message.
func firstError(diags diag.Diagnostics) string {
	for _, d := range diags.Errors() {
		return d.Summary() + ": " + d.Detail()
	}
	return ""
}

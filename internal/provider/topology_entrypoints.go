package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// A summary's entry_cidrs carries the environment's declared entry points to
// the topology (SEG608): the environment writes it, the topology reads it.

// readEntryCIDRs reads the entry_cidrs of environments[i] into m: one entry
// point per element, with one source range each. An unknown list or element
// marks the attribute unknown; a summary without the attribute has none.
func readEntryCIDRs(a map[string]attr.Value, i int, m *segment.Member) diag.Diagnostics {
	var diags diag.Diagnostics
	list, _ := a["entry_cidrs"].(types.List)
	if list.IsUnknown() {
		m.Unknown["entry_cidrs"] = true
		return diags
	}
	for k, e := range list.Elements() {
		at := path.Root("environments").AtListIndex(i).AtName("entry_cidrs").AtListIndex(k)
		s, _ := e.(types.String)
		switch {
		case s.IsUnknown():
			m.Unknown["entry_cidrs"] = true
			continue
		case s.IsNull():
			diags.AddAttributeError(at, "Missing entry point", fmt.Sprintf("environments[%d].entry_cidrs[%d] is null; pass the summary of a segmented_ml_environment, or write each entry as \"name:port:cidr\".", i, k))
			continue
		}
		in, err := blueprint.ParseEntryCIDR(s.ValueString())
		if err != nil {
			diags.AddAttributeError(at, "Invalid entry point", err.Error())
			continue
		}
		m.EntryPoints = append(m.EntryPoints, in)
	}
	return diags
}

// entryCIDRsValue is a planned summary's entry_cidrs while the rest of the
// configuration may not be known: known once every entry point is.
func entryCIDRsValue(ctx context.Context, ingress types.List) attr.Value {
	unknown := types.ListUnknown(types.StringType)
	if v, err := ingress.ToTerraformValue(ctx); err != nil || !v.IsFullyKnown() {
		return unknown
	}
	var entries []ingressModel
	if diags := ingress.ElementsAs(ctx, &entries, true); diags.HasError() {
		return unknown
	}
	var in []segment.Ingress
	for _, e := range entries {
		var cidrs []string
		if diags := e.FromCIDRs.ElementsAs(ctx, &cidrs, false); diags.HasError() {
			return unknown
		}
		entry := segment.Ingress{Name: e.Name.ValueString(), Port: int(e.Port.ValueInt64())}
		for _, c := range cidrs {
			p, err := netplan.ParsePrefix(c)
			if err != nil {
				return unknown // the plan of the whole environment reports it
			}
			entry.FromCIDRs = append(entry.FromCIDRs, p)
		}
		in = append(in, entry)
	}
	v, diags := types.ListValueFrom(ctx, types.StringType, blueprint.EntryCIDRs(in))
	if diags.HasError() {
		return unknown
	}
	return v
}

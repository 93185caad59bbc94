package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
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
		at := rules.Root("environments").Index(i).Attr("entry_cidrs").Index(k)
		s, _ := e.(types.String)
		switch {
		case s.IsUnknown():
			m.Unknown["entry_cidrs"] = true
			continue
		case s.IsNull():
			addAttributeError(&diags, at, "Missing entry point", fmt.Sprintf("environments[%d].entry_cidrs[%d] is null; pass the summary of a segmented_ml_environment, or write each entry as \"name:port:cidr\".", i, k))
			continue
		}
		in, err := blueprint.ParseEntryCIDR(s.ValueString())
		if err != nil {
			addAttributeError(&diags, at, "Invalid entry point", err.Error())
			continue
		}
		m.EntryPoints = append(m.EntryPoints, in)
	}
	return diags
}

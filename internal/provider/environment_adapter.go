package provider

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// plan turns a fully known configuration into the planned state: defaults
// resolved, rules checked, blueprint and summary computed.
func (r *EnvironmentResource) plan(ctx context.Context, cfg environmentModel) (environmentModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if r.data == nil || !r.data.known {
		diags.AddError("Provider not configured", "the segmented provider's configuration is not known yet; this is a bug in the provider if it persists at apply time.")
		return cfg, diags
	}
	env, d := r.environment(ctx, cfg)
	diags.Append(d...)
	if diags.HasError() {
		return cfg, diags
	}

	result := rules.CheckEnvironment(env)
	diags.Append(findingDiagnostics(result.Findings)...)
	for _, i := range result.UnusedWaivers {
		w := env.Waivers[i]
		diags.AddAttributeWarning(path.Root("waivers").AtListIndex(i).AtName("rule"), "Waiver matches no finding",
			fmt.Sprintf("%s does not fire on this environment, so the waiver has no effect. Remove it, so that the recorded exceptions stay true.", w.Rule))
	}
	if diags.HasError() {
		return cfg, diags
	}

	bp, err := blueprint.Expand(env)
	if err != nil {
		diags.AddAttributeError(path.Root("blueprint"), "Cannot compute the blueprint", err.Error())
		return cfg, diags
	}
	out := cfg
	out.ID = types.StringValue(env.Name)
	out.CIDR = types.StringValue(env.CIDR.String())
	zones, d := types.ListValueFrom(ctx, types.StringType, env.Zones)
	diags.Append(d...)
	out.AvailabilityZones = zones
	out.DataClassification = types.StringValue(string(env.DataClassification))
	out.HumanAccess = types.StringValue(string(env.HumanAccess))
	out.CIOIDCProvider = types.StringValue(env.CIOIDCProvider)
	out.LogRetentionDays = types.Int64Value(int64(env.LogRetentionDays))
	out.KeyRotationDays = types.Int64Value(int64(env.KeyRotationDays))
	out.KeyDeletionWindowDays = types.Int64Value(int64(env.KeyDeletionWindowDays))
	out.GPUNodePools, d = poolsWithDefaults(ctx, cfg.GPUNodePools, env.GPUNodePools)
	diags.Append(d...)
	out.Blueprint, d = objectValue(bp)
	diags.Append(d...)
	out.Summary, d = objectValue(blueprint.Summarize(env))
	diags.Append(d...)
	return out, diags
}

// environment converts the configuration into the domain, resolving every
// default from the tier and the provider.
func (r *EnvironmentResource) environment(ctx context.Context, cfg environmentModel) (segment.Environment, diag.Diagnostics) {
	var diags diag.Diagnostics
	tier := segment.Tier(cfg.Tier.ValueString())
	defaults := tier.Defaults()
	env := segment.Environment{
		Organization:          r.data.organization,
		Name:                  cfg.Name.ValueString(),
		Tier:                  tier,
		Cloud:                 segment.Cloud(cfg.Cloud.ValueString()),
		Region:                cfg.Region.ValueString(),
		AccountID:             cfg.AccountID.ValueString(),
		DataClassification:    segment.Classification(stringOr(cfg.DataClassification, string(defaults.DataClassification))),
		HumanAccess:           segment.Access(stringOr(cfg.HumanAccess, string(defaults.HumanAccess))),
		CISubject:             cfg.CISubject.ValueString(),
		CIOIDCProvider:        stringOr(cfg.CIOIDCProvider, DefaultCIOIDCProvider),
		LogRetentionDays:      intOr(cfg.LogRetentionDays, defaults.LogRetentionDays),
		KeyRotationDays:       intOr(cfg.KeyRotationDays, defaults.KeyRotationDays),
		KeyDeletionWindowDays: intOr(cfg.KeyDeletionWindowDays, defaults.KeyDeletionWindowDays),
		Tags:                  r.data.defaultTags,
	}

	env.CIDR, diags = r.cidr(cfg)
	if diags.HasError() {
		return env, diags
	}

	env.Zones = segment.DefaultZones(env.Region)
	if !cfg.AvailabilityZones.IsNull() {
		env.Zones = nil
		diags.Append(cfg.AvailabilityZones.ElementsAs(ctx, &env.Zones, false)...)
		for i, z := range env.Zones {
			if !strings.HasPrefix(z, env.Region) || len(z) != len(env.Region)+1 {
				diags.AddAttributeError(path.Root("availability_zones").AtListIndex(i), "Zone outside the region",
					fmt.Sprintf("%q is not a zone of %s; zones are named by the region and a letter, such as %sa.", z, env.Region, env.Region))
			}
		}
	}

	var pools []nodePoolModel
	diags.Append(cfg.GPUNodePools.ElementsAs(ctx, &pools, true)...)
	for _, p := range pools {
		env.GPUNodePools = append(env.GPUNodePools, segment.NodePool{
			Name:         p.Name.ValueString(),
			InstanceType: p.InstanceType.ValueString(),
			MinSize:      int(p.MinSize.ValueInt64()),
			MaxSize:      int(p.MaxSize.ValueInt64()),
			Spot:         p.Spot.ValueBool(),
			Purpose:      segment.Purpose(p.Purpose.ValueString()),
		})
	}

	var entries []ingressModel
	diags.Append(cfg.Ingress.ElementsAs(ctx, &entries, true)...)
	names := map[string]int{}
	sources := 0
	for i, e := range entries {
		in := segment.Ingress{Name: e.Name.ValueString(), Port: int(e.Port.ValueInt64())}
		if j, dup := names[in.Name]; dup {
			diags.AddAttributeError(path.Root("ingress").AtListIndex(i).AtName("name"), "Duplicate entry point name",
				fmt.Sprintf("%q is already the name of ingress[%d]; every entry point needs its own name.", in.Name, j))
		}
		names[in.Name] = i
		var cidrs []string
		diags.Append(e.FromCIDRs.ElementsAs(ctx, &cidrs, false)...)
		for j, c := range cidrs {
			p, err := netplan.ParsePrefix(c)
			if err != nil {
				diags.AddAttributeError(path.Root("ingress").AtListIndex(i).AtName("from_cidrs").AtListIndex(j), "Invalid CIDR", err.Error())
				continue
			}
			in.FromCIDRs = append(in.FromCIDRs, p)
			sources++
		}
		env.Ingress = append(env.Ingress, in)
	}
	if sources > blueprint.MaxEntryPointSources {
		diags.AddAttributeError(path.Root("ingress"), "Too many entry point sources",
			fmt.Sprintf("the entry points declare %d source ranges; each takes a network ACL rule number, and there is room for %d. Merge ranges or entry points.", sources, blueprint.MaxEntryPointSources))
	}

	var waivers []waiverModel
	diags.Append(cfg.Waivers.ElementsAs(ctx, &waivers, true)...)
	seen := map[string]int{}
	for i, w := range waivers {
		rule := w.Rule.ValueString()
		if j, dup := seen[rule]; dup {
			diags.AddAttributeError(path.Root("waivers").AtListIndex(i).AtName("rule"), "Duplicate waiver",
				fmt.Sprintf("%s is already waived by waivers[%d]; keep one waiver per rule, with one reason.", rule, j))
		}
		seen[rule] = i
		env.Waivers = append(env.Waivers, segment.Waiver{Rule: rule, Reason: strings.TrimSpace(w.Reason.ValueString())})
	}
	return env, diags
}

// cidr returns the configured range, or allocates one from the provider's
// address_space.
func (r *EnvironmentResource) cidr(cfg environmentModel) (netip.Prefix, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !cfg.CIDR.IsNull() {
		p, err := netplan.ParsePrefix(cfg.CIDR.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("cidr"), "Invalid CIDR", err.Error())
		}
		return p, diags
	}
	space := r.data.addressSpace
	if !space.IsValid() {
		diags.AddAttributeError(path.Root("cidr"), "Missing cidr",
			"set cidr on the environment, or address_space on the provider to allocate one.")
		return netip.Prefix{}, diags
	}
	bits := r.data.environmentPrefixLength
	p, err := netplan.Allocate(space, bits, netplan.IndexFor(cfg.Name.ValueString(), space, bits))
	if err != nil {
		diags.AddAttributeError(path.Root("cidr"), "Cannot allocate cidr", err.Error())
	}
	return p, diags
}

// poolsWithDefaults fills the pools' optional values into the plan.
func poolsWithDefaults(ctx context.Context, cfg types.List, pools []segment.NodePool) (types.List, diag.Diagnostics) {
	elemType, ok := cfg.ElementType(ctx).(types.ObjectType)
	if cfg.IsNull() {
		return cfg, nil
	}
	var diags diag.Diagnostics
	if !ok {
		diags.AddError("Unexpected gpu_node_pools type", fmt.Sprintf("got %T; this is a bug in the provider", cfg.ElementType(ctx)))
		return cfg, diags
	}
	elems := make([]attr.Value, 0, len(pools))
	for _, p := range pools {
		obj, d := types.ObjectValueFrom(ctx, elemType.AttrTypes, nodePoolModel{
			Name:         types.StringValue(p.Name),
			InstanceType: types.StringValue(p.InstanceType),
			MinSize:      types.Int64Value(int64(p.MinSize)),
			MaxSize:      types.Int64Value(int64(p.MaxSize)),
			Spot:         types.BoolValue(p.Spot),
			Purpose:      types.StringValue(string(p.Purpose)),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	list, d := types.ListValue(elemType, elems)
	diags.Append(d...)
	return list, diags
}

// findingDiagnostics turns findings into diagnostics on their attribute paths.
func findingDiagnostics(findings []rules.Finding) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, f := range findings {
		p := attributePath(f.Path)
		if f.Rule.Severity == rules.Warning {
			diags.AddAttributeWarning(p, f.Summary(), f.Detail())
		} else {
			diags.AddAttributeError(p, f.Summary(), f.Detail())
		}
	}
	return diags
}

// attributePath maps a domain path onto the framework's.
func attributePath(p rules.Path) path.Path {
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

func stringOr(v types.String, def string) string {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueString()
}

func intOr(v types.Int64, def int) int {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return int(v.ValueInt64())
}

// partialSummary returns the summary of an environment whose configuration
// is not fully known: each value is known when what it derives from is.
func (r *EnvironmentResource) partialSummary(ctx context.Context, cfg environmentModel) types.Object {
	attrTypes := objectAttrTypes(summaryShape)
	if r.data == nil || !r.data.known {
		return types.ObjectUnknown(attrTypes)
	}
	known := func(vs ...attr.Value) bool {
		for _, v := range vs {
			if v.IsUnknown() {
				return false
			}
		}
		return true
	}
	str := func(v types.String, def string) attr.Value {
		if v.IsUnknown() {
			return types.StringUnknown()
		}
		return types.StringValue(stringOr(v, def))
	}
	values := map[string]attr.Value{
		"name":             str(cfg.Name, ""),
		"organization":     types.StringValue(r.data.organization),
		"tier":             str(cfg.Tier, ""),
		"cloud":            str(cfg.Cloud, ""),
		"region":           str(cfg.Region, ""),
		"account_id":       str(cfg.AccountID, ""),
		"ci_subject":       str(cfg.CISubject, ""),
		"ci_oidc_provider": str(cfg.CIOIDCProvider, DefaultCIOIDCProvider),
		"cidr":             types.StringUnknown(),
		"principals":       types.ListUnknown(types.StringType),
		"entry_cidrs":      entryCIDRsValue(ctx, cfg.Ingress),
	}
	if known(cfg.CIDR, cfg.Name) {
		if p, diags := r.cidr(cfg); !diags.HasError() {
			values["cidr"] = types.StringValue(p.String())
		}
	}
	if known(cfg.Name, cfg.Tier, cfg.Region, cfg.AccountID, cfg.CISubject, cfg.CIOIDCProvider, cfg.HumanAccess) && segment.Tier(cfg.Tier.ValueString()).Valid() {
		tier := segment.Tier(cfg.Tier.ValueString())
		principals := blueprint.Principals(segment.Environment{
			Organization:   r.data.organization,
			Name:           cfg.Name.ValueString(),
			Tier:           tier,
			Cloud:          segment.Cloud(cfg.Cloud.ValueString()),
			Region:         cfg.Region.ValueString(),
			AccountID:      cfg.AccountID.ValueString(),
			CISubject:      cfg.CISubject.ValueString(),
			CIOIDCProvider: stringOr(cfg.CIOIDCProvider, DefaultCIOIDCProvider),
			HumanAccess:    segment.Access(stringOr(cfg.HumanAccess, string(tier.Defaults().HumanAccess))),
		})
		values["principals"], _ = types.ListValueFrom(ctx, types.StringType, principals)
	}
	obj, diags := types.ObjectValue(attrTypes, values)
	if diags.HasError() {
		return types.ObjectUnknown(attrTypes)
	}
	return obj
}

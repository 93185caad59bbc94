package provider

import (
	"context"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// plan checks the configuration and computes the planned state, once for
// every variant of the values not known yet (one variant when all are). The
// rules run on the first variant: every rule whose inputs are known, with a
// warning for each unknown value naming the rules that wait for it.
func (r *EnvironmentResource) plan(ctx context.Context, cfg environmentModel) ([]environmentModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if r.data == nil {
		diags.AddError("Provider not configured", "the segmented provider has not been configured; this is a bug in the provider.")
		return nil, diags
	}
	// The formats ValidateConfig checked, again: a value not known then is
	// checked here at apply, and named in a warning until it is known.
	formats, unknownFormats := checkCloudFormats(cfg)
	diags.Append(formats...)
	for _, p := range unknownFormats {
		addAttributeWarning(&diags, p, "Not known yet: the format of "+p.String()+" checked at apply",
			fmt.Sprintf("%s is not known at plan time, so its format for the cloud cannot be checked yet. It is checked at apply, and a value of the wrong format then fails the apply before anything is stored.", p))
	}
	first := newReading(0)
	env, d := r.read(ctx, cfg, first)
	diags.Append(d...)
	if diags.HasError() {
		return nil, diags
	}
	diags.Append(checkTags(env)...)
	if diags.HasError() {
		return nil, diags
	}

	result, err := rules.CheckEnvironment(env)
	if err != nil {
		// The schema's validators refuse such a tier or cloud first.
		diags.Append(inputErrorDiagnostics(err, rules.Root)...)
		return nil, diags
	}
	diags.Append(findingDiagnostics(result.Findings)...)
	for _, i := range result.UnusedWaivers {
		w := env.Waivers[i]
		addAttributeWarning(&diags, rules.Root("waivers").Index(i).Attr("rule"), "Waiver matches no finding",
			fmt.Sprintf("%s does not fire on this environment, so the waiver has no effect. Remove it, so that the recorded exceptions stay true.", w.Rule))
	}
	diags.Append(uncheckedDiagnostics(result.Unchecked)...)
	if diags.HasError() {
		return nil, diags
	}

	readings := make([]*reading, first.variants, first.variants+1)
	readings[0] = first
	for k := 1; k < first.variants; k++ {
		readings[k] = newReading(k)
	}
	if first.collapsible {
		rd := newReading(0)
		rd.collapse = true
		readings = append(readings, rd)
	}
	planned := make([]environmentModel, 0, len(readings))
	for k, rd := range readings {
		if k > 0 {
			env, _ = r.read(ctx, cfg, rd)
		}
		out, d := r.planned(ctx, cfg, env)
		if d.HasError() && len(first.unknown) > 0 {
			// A stand-in the blueprint cannot take, or a rule still waiting
			// for a value: the blueprint is not known until apply.
			out.Blueprint = types.ObjectUnknown(objectAttrTypes(blueprintShape))
			d = nil
		}
		diags.Append(d...)
		planned = append(planned, out)
	}
	return planned, diags
}

// planned is the state for one reading: the configuration with its defaults
// resolved, the blueprint and the summary.
func (r *EnvironmentResource) planned(ctx context.Context, cfg environmentModel, env segment.Environment) (environmentModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := cfg
	bp, err := blueprint.Expand(env)
	if err != nil {
		diags.AddAttributeError(path.Root("blueprint"), "Cannot compute the blueprint", err.Error())
		return out, diags
	}
	out.ID = types.StringValue(env.Name)
	out.CIDR = types.StringValue(env.CIDR.String())
	zones, d := types.ListValueFrom(ctx, types.StringType, env.Zones)
	diags.Append(d...)
	out.AvailabilityZones = zones
	out.DataClassification = types.StringValue(string(env.DataClassification))
	out.HumanAccess = types.StringValue(string(env.HumanAccess))
	out.CIOIDCProvider = types.StringValue(env.CIOIDCProvider)
	out.LogRetentionDays = numberValue(env.LogRetentionDays)
	out.KeyRotationDays = numberValue(env.KeyRotationDays)
	out.KeyDeletionWindowDays = numberValue(env.KeyDeletionWindowDays)
	out.GPUNodePools, d = poolsWithDefaults(ctx, cfg.GPUNodePools, env.GPUNodePools)
	diags.Append(d...)
	out.Blueprint, d = objectValue(bp)
	diags.Append(d...)
	out.Summary, d = objectValue(blueprint.Summarize(env, bp))
	diags.Append(d...)
	return out, diags
}

// read converts the configuration into the domain, resolving every default
// from the tier and the provider. Unknown values take the reading's
// stand-ins and are listed in the environment's Unknown.
func (r *EnvironmentResource) read(ctx context.Context, cfg environmentModel, rd *reading) (segment.Environment, diag.Diagnostics) {
	var diags diag.Diagnostics
	data := r.data
	tier := segment.Tier(rd.enum(cfg.Tier, "tier", "", tierNames()))
	defaults, err := tier.Defaults()
	if err != nil {
		diags.AddAttributeError(path.Root("tier"), "Invalid tier", err.Error()+".")
		return segment.Environment{}, diags
	}
	env := segment.Environment{
		Name:           rd.str(cfg.Name, "name", "", standInText),
		Tier:           tier,
		Cloud:          segment.Cloud(rd.enum(cfg.Cloud, "cloud", "", cloudNames())),
		Region:         rd.str(cfg.Region, "region", "", standInRegions),
		AccountID:      rd.str(cfg.AccountID, "account_id", "", standInAccounts),
		CISubject:      rd.str(cfg.CISubject, "ci_subject", "", standInSubjects),
		CIOIDCProvider: rd.str(cfg.CIOIDCProvider, "ci_oidc_provider", DefaultCIOIDCProvider, standInIssuers),
		DataClassification: segment.Classification(rd.enum(cfg.DataClassification, "data_classification",
			string(defaults.DataClassification), classificationNames())),
		HumanAccess:           segment.Access(rd.enum(cfg.HumanAccess, "human_access", string(defaults.HumanAccess), accessNames())),
		LogRetentionDays:      rd.number(cfg.LogRetentionDays, "log_retention_days", defaults.LogRetentionDays, []int{30, 365}),
		KeyRotationDays:       rd.number(cfg.KeyRotationDays, "key_rotation_days", defaults.KeyRotationDays, []int{90, 365}),
		KeyDeletionWindowDays: rd.number(cfg.KeyDeletionWindowDays, "key_deletion_window_days", defaults.KeyDeletionWindowDays, []int{7, 30}),
		Organization:          data.organization,
		Tags:                  data.defaultTags,
	}
	if !data.known {
		// The provider's configuration is not known yet: its organization,
		// address_space and default_tags all wait.
		env.Organization = standIn(rd, "organization", standInText)
		env.Tags = standIn(rd, "default_tags", standInTags)
	}
	for _, p := range []string{"data_classification", "human_access", "log_retention_days", "key_rotation_days", "key_deletion_window_days"} {
		rd.derived(p, "tier")
	}

	env.CIDR, diags = r.cidr(cfg, rd)
	if diags.HasError() {
		return env, diags
	}

	facts, _ := cloud.For(env.Cloud)
	env.Zones = facts.DefaultZones(env.Region)
	rd.derived("availability_zones", "region")
	rd.derived("availability_zones", "cloud")
	switch {
	case rd.collapsed(ctx, cfg.AvailabilityZones):
		env.Zones = nil
	case !cfg.AvailabilityZones.IsNull():
		env.Zones = rd.strings(cfg.AvailabilityZones, "availability_zones", zoneStandIns(facts, env.Region),
			func(i int) []string {
				return []string{fmt.Sprintf("%s%sz%d", env.Region, facts.ZoneSeparator, i), fmt.Sprintf("%s%sy%d", env.Region, facts.ZoneSeparator, i)}
			})
		for i, z := range env.Zones {
			if rd.unknown["region"] || rd.unknown["cloud"] || rd.unknown[fmt.Sprintf("availability_zones[%d]", i)] {
				continue // checked once all are known
			}
			if !facts.ZoneIn(env.Region, z) {
				addAttributeError(&diags, rules.Root("availability_zones").Index(i), "Zone outside the region",
					fmt.Sprintf("%q is not a zone of %s; zones are named by the region and a letter, such as %s.", z, env.Region, facts.DefaultZones(env.Region)[0]))
			}
		}
	}

	if !rd.collapsed(ctx, cfg.GPUNodePools) {
		env.GPUNodePools = readPools(cfg.GPUNodePools, rd, instanceStandIns(env.Cloud))
	}
	if !rd.collapsed(ctx, cfg.Ingress) {
		env.Ingress, diags = readIngress(cfg.Ingress, rd, diags)
	}
	switch {
	case rd.collapsed(ctx, cfg.Namespaces), cfg.Namespaces.IsNull():
		// nil: the tier's namespaces
	case cfg.Namespaces.IsUnknown():
		// It may turn out null (the tier's), empty or a list.
		switch standIn(rd, "namespaces", []int{0, 1, 2}) {
		case 1:
			env.Namespaces = []segment.Namespace{}
		case 2:
			env.Namespaces = []segment.Namespace{standInNamespace(rd, 0)}
		}
	default:
		env.Namespaces, diags = readNamespaces(cfg.Namespaces, rd, diags)
	}
	if !rd.collapsed(ctx, cfg.Waivers) {
		env.Waivers, diags = readWaivers(cfg.Waivers, rd, diags)
	}
	env.Unknown = rd.unknown
	return env, diags
}

// standInPool is the pool an unknown element of gpu_node_pools takes.
func standInPool(rd *reading, i int, instanceTypes []string) segment.NodePool {
	p := fmt.Sprintf("gpu_node_pools[%d]", i)
	return segment.NodePool{
		Name:         standIn(rd, p, standInNames(i)),
		InstanceType: standIn(rd, p, instanceTypes),
		MinSize:      standIn(rd, p, []int{0, 1}),
		MaxSize:      standIn(rd, p, []int{1, 2}),
		Spot:         standIn(rd, p, standInBools),
		Purpose:      segment.Purpose(standIn(rd, p, purposeNames())),
	}
}

func readPools(list types.List, rd *reading, instanceTypes []string) []segment.NodePool {
	return objects(rd, list, "gpu_node_pools", func(i int) segment.NodePool { return standInPool(rd, i, instanceTypes) },
		func(i int, a map[string]attr.Value) segment.NodePool {
			at := func(name string) string { return indexed("gpu_node_pools", i, name) }
			return segment.NodePool{
				Name:             rd.str(attrOf(a, "name", types.StringNull()), at("name"), "", standInNames(i)),
				InstanceType:     rd.str(attrOf(a, "instance_type", types.StringNull()), at("instance_type"), "", instanceTypes),
				Accelerator:      rd.str(attrOf(a, "accelerator", types.StringNull()), at("accelerator"), "", []string{"", ""}),
				AcceleratorCount: rd.number(attrOf(a, "accelerator_count", types.NumberNull()), at("accelerator_count"), 0, []int{0, 0}),
				MinSize:          rd.number(attrOf(a, "min_size", types.NumberNull()), at("min_size"), 0, []int{0, 1}),
				MaxSize:          rd.number(attrOf(a, "max_size", types.NumberNull()), at("max_size"), 0, []int{1, 2}),
				Spot:             rd.boolean(attrOf(a, "spot", types.BoolNull()), at("spot"), false),
				Purpose:          segment.Purpose(rd.enum(attrOf(a, "purpose", types.StringNull()), at("purpose"), "", purposeNames())),
			}
		})
}

// standInEntry is the entry point an unknown element of ingress takes.
func standInEntry(rd *reading, i int) segment.Ingress {
	p := fmt.Sprintf("ingress[%d]", i)
	return segment.Ingress{
		Name:      standIn(rd, p, standInNames(i)),
		Port:      standIn(rd, p, []int{443, 8443}),
		FromCIDRs: prefixes(standIn(rd, p, standInSources)),
	}
}

func readIngress(list types.List, rd *reading, diags diag.Diagnostics) ([]segment.Ingress, diag.Diagnostics) {
	names := map[string]int{}
	sources := 0
	entries := objects(rd, list, "ingress", func(i int) segment.Ingress { return standInEntry(rd, i) },
		func(i int, a map[string]attr.Value) segment.Ingress {
			at := func(name string) string { return indexed("ingress", i, name) }
			in := segment.Ingress{
				Name: rd.str(attrOf(a, "name", types.StringNull()), at("name"), "", standInNames(i)),
				Port: rd.number(attrOf(a, "port", types.NumberNull()), at("port"), 0, []int{443, 8443}),
			}
			if j, dup := names[in.Name]; dup && !rd.unknown[at("name")] {
				addAttributeError(&diags, rules.Root("ingress").Index(i).Attr("name"), "Duplicate entry point name",
					fmt.Sprintf("%q is already the name of ingress[%d]; every entry point needs its own name.", in.Name, j))
			}
			names[in.Name] = i
			for j, c := range rd.strings(attrOf(a, "from_cidrs", types.ListNull(types.StringType)), at("from_cidrs"), standInSources, sourceStandIn) {
				p, err := netplan.ParsePrefix(c)
				if err != nil {
					addAttributeError(&diags, rules.Root("ingress").Index(i).Attr("from_cidrs").Index(j), "Invalid CIDR", err.Error())
					continue
				}
				in.FromCIDRs = append(in.FromCIDRs, p)
				sources++
			}
			return in
		})
	if sources > blueprint.MaxEntryPointSources {
		diags.AddAttributeError(path.Root("ingress"), "Too many entry point sources",
			fmt.Sprintf("the entry points declare %d source ranges; each takes a network ACL rule number, and there is room for %d. Merge ranges or entry points.", sources, blueprint.MaxEntryPointSources))
	}
	return entries, diags
}

// standInNamespace is the namespace an unknown element of namespaces takes.
func standInNamespace(rd *reading, i int) segment.Namespace {
	p := fmt.Sprintf("namespaces[%d]", i)
	purposes := namespacePurposeNames()
	return segment.Namespace{
		Purpose:     segment.NamespacePurpose(standIn(rd, p, []string{purposes[i%len(purposes)], purposes[(i+1)%len(purposes)]})),
		PodSecurity: segment.PodSecurityLevel(standIn(rd, p, []string{string(segment.PodSecurityRestricted), string(segment.PodSecurityBaseline)})),
	}
}

func readNamespaces(list types.List, rd *reading, diags diag.Diagnostics) ([]segment.Namespace, diag.Diagnostics) {
	seen := map[segment.NamespacePurpose]int{}
	out := objects(rd, list, "namespaces", func(i int) segment.Namespace { return standInNamespace(rd, i) },
		func(i int, a map[string]attr.Value) segment.Namespace {
			at := func(name string) string { return indexed("namespaces", i, name) }
			ns := segment.Namespace{
				Purpose: segment.NamespacePurpose(rd.enum(attrOf(a, "purpose", types.StringNull()), at("purpose"), "", namespacePurposeNames())),
				PodSecurity: segment.PodSecurityLevel(rd.enum(attrOf(a, "pod_security", types.StringNull()), at("pod_security"),
					string(segment.PodSecurityRestricted), segment.Names(segment.PodSecurityLevels()))),
			}
			if q := attrOf(a, "gpu_quota", types.NumberNull()); !q.IsNull() {
				ns.GPUQuota = ptrTo(rd.number(q, at("gpu_quota"), 0, []int{0, 1}))
			}
			if rd.unknown[at("purpose")] {
				return ns // checked once it is known
			}
			if j, dup := seen[ns.Purpose]; dup {
				addAttributeError(&diags, rules.Root("namespaces").Index(i).Attr("purpose"), "Duplicate namespace purpose",
					fmt.Sprintf("%q is already the purpose of namespaces[%d]; a namespace is named after its purpose, so each purpose is declared once.", ns.Purpose, j))
			}
			seen[ns.Purpose] = i
			return ns
		})
	if out == nil {
		out = []segment.Namespace{} // declared, and empty: no workload namespace
	}
	return out, diags
}

func ptrTo[T any](v T) *T { return &v }

func readWaivers(list types.List, rd *reading, diags diag.Diagnostics) ([]segment.Waiver, diag.Diagnostics) {
	seen := map[string]int{}
	waivers := objects(rd, list, "waivers",
		func(i int) segment.Waiver {
			p := fmt.Sprintf("waivers[%d]", i)
			return segment.Waiver{Rule: standIn(rd, p, standInWaivedRules), Reason: standIn(rd, p, standInText)}
		},
		func(i int, a map[string]attr.Value) segment.Waiver {
			at := indexed("waivers", i, "rule")
			w := segment.Waiver{
				Rule:   rd.str(attrOf(a, "rule", types.StringNull()), at, "", standInWaivedRules),
				Reason: strings.TrimSpace(rd.str(attrOf(a, "reason", types.StringNull()), indexed("waivers", i, "reason"), "", standInText)),
			}
			if j, dup := seen[w.Rule]; dup && !rd.unknown[at] {
				addAttributeError(&diags, rules.Root("waivers").Index(i).Attr("rule"), "Duplicate waiver",
					fmt.Sprintf("%s is already waived by waivers[%d]; keep one waiver per rule, with one reason.", w.Rule, j))
			}
			seen[w.Rule] = i
			return w
		})
	return waivers, diags
}

func prefixes(ss []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		out = append(out, parsePrefix(s))
	}
	return out
}

// cidr returns the configured range, or allocates one from the provider's
// address_space.
func (r *EnvironmentResource) cidr(cfg environmentModel, rd *reading) (netip.Prefix, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case cfg.CIDR.IsUnknown(), cfg.CIDR.IsNull() && (!r.data.known || cfg.Name.IsUnknown()):
		return parsePrefix(standIn(rd, "cidr", standInCIDRs)), diags
	case !cfg.CIDR.IsNull():
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

// checkTags refuses provider default_tags that the environment's cloud
// cannot carry on its resources, such as a Google Cloud label key with an
// upper-case letter: the module would fail at apply.
func checkTags(env segment.Environment) diag.Diagnostics {
	var diags diag.Diagnostics
	if env.Unknown["default_tags"] || env.Unknown["cloud"] && len(env.Tags) > 0 {
		addAttributeWarning(&diags, rules.Root("cloud"), "Not known yet: the default tags checked against the cloud's tag format at apply",
			"The cloud or the provider's default_tags are not known at plan time, so whether the cloud can carry every default tag (Google Cloud label keys and values, for example) cannot be checked yet. It is checked at apply, and a tag the cloud refuses then fails the apply before anything is stored.")
		return diags
	}
	f, ok := cloud.For(env.Cloud)
	if !ok {
		return diags
	}
	for _, k := range slices.Sorted(maps.Keys(env.Tags)) {
		for _, err := range []error{f.TagKey.Check(k), f.TagValue.Check(env.Tags[k])} {
			if err != nil {
				addAttributeError(&diags, rules.Root("cloud"), "Default tag the cloud cannot carry",
					fmt.Sprintf("The provider's default_tags[%q] is tagged onto every resource of this environment, but %s. Rename or drop it in the provider's default_tags, or give %s environments a provider alias of their own.", k, err, f.Name))
			}
		}
	}
	return diags
}

// optionalString is s, or null when it is empty.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// optionalNumber is n, or null when it is 0.
func optionalNumber(n int) types.Number {
	if n == 0 {
		return types.NumberNull()
	}
	return numberValue(n)
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
			Name:             types.StringValue(p.Name),
			InstanceType:     types.StringValue(p.InstanceType),
			Accelerator:      optionalString(p.Accelerator),
			AcceleratorCount: optionalNumber(p.AcceleratorCount),
			MinSize:          numberValue(p.MinSize),
			MaxSize:          numberValue(p.MaxSize),
			Spot:             types.BoolValue(p.Spot),
			Purpose:          types.StringValue(string(p.Purpose)),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	list, d := types.ListValue(elemType, elems)
	diags.Append(d...)
	return list, diags
}

// uncheckedDiagnostics warns, for every value not known yet, which rules wait
// for it: they run again at apply, and a violation then fails the apply
// before anything is stored.
func uncheckedDiagnostics(unchecked []rules.Unchecked) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, u := range unchecked {
		ids := strings.Join(u.Rules, ", ")
		what := u.Path.String()
		if what == "" {
			what = "a value"
		}
		diags.AddAttributeWarning(attributePath(u.Path), "Not known yet: "+ids+" checked at apply",
			fmt.Sprintf("%s is not known at plan time, so %s cannot check it yet. They run again at apply, and a violation then fails the apply before anything is stored.",
				what, ids))
	}
	return diags
}

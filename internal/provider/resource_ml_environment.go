package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/numbervalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/shape"
)

var (
	_ resource.Resource                = (*EnvironmentResource)(nil)
	_ resource.ResourceWithConfigure   = (*EnvironmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*EnvironmentResource)(nil)
	_ resource.ResourceWithImportState = (*EnvironmentResource)(nil)

	_ resource.ResourceWithValidateConfig = (*EnvironmentResource)(nil)
)

var oidcIssuerRegex = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(/[A-Za-z0-9._~-]+)*$`)

// DefaultCIOIDCProvider is the OIDC issuer the deployer trusts by default.
const DefaultCIOIDCProvider = "token.actions.githubusercontent.com"

// EnvironmentResource is segmented_ml_environment.
type EnvironmentResource struct {
	data *providerData
}

// NewEnvironmentResource returns the resource.
func NewEnvironmentResource() resource.Resource { return &EnvironmentResource{} }

type environmentModel struct {
	ID                    types.String `tfsdk:"id"`
	Name                  types.String `tfsdk:"name"`
	Tier                  types.String `tfsdk:"tier"`
	Cloud                 types.String `tfsdk:"cloud"`
	Region                types.String `tfsdk:"region"`
	AccountID             types.String `tfsdk:"account_id"`
	CIDR                  types.String `tfsdk:"cidr"`
	AvailabilityZones     types.List   `tfsdk:"availability_zones"`
	DataClassification    types.String `tfsdk:"data_classification"`
	HumanAccess           types.String `tfsdk:"human_access"`
	GPUNodePools          types.List   `tfsdk:"gpu_node_pools"`
	Ingress               types.List   `tfsdk:"ingress"`
	Namespaces            types.List   `tfsdk:"namespaces"`
	CISubject             types.String `tfsdk:"ci_subject"`
	CIOIDCProvider        types.String `tfsdk:"ci_oidc_provider"`
	LogRetentionDays      types.Number `tfsdk:"log_retention_days"`
	KeyRotationDays       types.Number `tfsdk:"key_rotation_days"`
	KeyDeletionWindowDays types.Number `tfsdk:"key_deletion_window_days"`
	Waivers               types.List   `tfsdk:"waivers"`
	Blueprint             types.Object `tfsdk:"blueprint"`
	Summary               types.Object `tfsdk:"summary"`
}

type nodePoolModel struct {
	Name             types.String `tfsdk:"name"`
	InstanceType     types.String `tfsdk:"instance_type"`
	Accelerator      types.String `tfsdk:"accelerator"`
	AcceleratorCount types.Number `tfsdk:"accelerator_count"`
	MinSize          types.Number `tfsdk:"min_size"`
	MaxSize          types.Number `tfsdk:"max_size"`
	Spot             types.Bool   `tfsdk:"spot"`
	Purpose          types.String `tfsdk:"purpose"`
}

type waiverModel struct {
	Rule   types.String `tfsdk:"rule"`
	Reason types.String `tfsdk:"reason"`
}

var (
	blueprintShape = shape.For[blueprint.Blueprint]()
	summaryShape   = shape.For[blueprint.Summary]()
)

// Metadata names the resource.
func (r *EnvironmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ml_environment"
}

// Schema describes the resource.
func (r *EnvironmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{requiresReplaceOnChange()}
	resp.Schema = schema.Schema{
		Version: schemaVersion,
		MarkdownDescription: "One isolated ML environment. At plan time it checks the environment against the rules " +
			"(" + strings.Join(rules.IDs(rules.ScopeEnvironment), ", ") + ") and computes its `blueprint`: network, " +
			"default-deny firewall rules, IAM roles, KMS keys, GPU node pools and monitoring. It makes no network calls; " +
			"the generated module builds the cloud resources from the blueprint.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The environment's name.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Unique name of the environment, at most 16 characters. Part of every generated name. Changing it forces a new environment.",
				PlanModifiers:       replace,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 16), stringvalidator.RegexMatches(nameRegexp, nameRule)},
			},
			"tier": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Trust tier: `development`, `staging`, `production` or `shared`. It sets the defaults and the limits the rules apply.",
				Validators:          []validator.String{stringvalidator.OneOf(segment.Names(segment.Tiers())...)},
			},
			"cloud": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Cloud of the environment. Only `aws` is supported until the GCP and Azure blueprints land. Changing it forces a new environment.",
				PlanModifiers:       replace,
				Validators:          []validator.String{cloudValidator{}},
			},
			"region": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Region, such as `us-east-1`. Changing it forces a new environment.",
				PlanModifiers:       replace,
			},
			"account_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "AWS account ID (12 digits). Production should not share an account with other tiers (SEG604). Changing it forces a new environment.",
				PlanModifiers:       replace,
			},
			"cidr": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Private IPv4 range of the environment's VPC. Required unless the provider sets `address_space`, " +
					"from which it is then allocated (see the provider's `address_space`).",
				Validators: []validator.String{ipv4CIDR()},
			},
			"availability_zones": schema.ListAttribute{
				Optional:            true,
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Availability zones, 2 to 6 (EKS needs two). Defaults to the region's zones `a`, `b` and `c`.",
				Validators: []validator.List{
					listvalidator.SizeBetween(2, 6),
					listvalidator.NoNullValues(),
					listvalidator.UniqueValues(),
				},
			},
			"data_classification": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Classification of the data: `public`, `internal`, `confidential` or `restricted`. Defaults to `restricted` in production and `internal` elsewhere.",
				Validators:          []validator.String{stringvalidator.OneOf(segment.Names(segment.Classifications())...)},
			},
			"human_access": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Access of the data-scientist role: `write`, `read` or `none` (no role). Defaults to `write` in development, `read` in staging, and `none` in production and shared. Write access in production fails SEG201.",
				Validators:          []validator.String{stringvalidator.OneOf(segment.Names(segment.AccessLevels())...)},
			},
			"gpu_node_pools": schema.ListNestedAttribute{
				Optional:            true,
				MarkdownDescription: "GPU node pools. May be empty. Every pool is tainted, labelled, private and hardened; see the `blueprint`'s `node_pools`.",
				Validators:          []validator.List{listvalidator.SizeAtMost(20), listvalidator.NoNullValues()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{
						Required: true, MarkdownDescription: "Pool name, unique in the environment (SEG404), at most 20 characters.",
						Validators: nestedStrings(stringvalidator.LengthBetween(1, 20), stringvalidator.RegexMatches(nameRegexp, nameRule)),
					},
					"instance_type": schema.StringAttribute{
						Required: true, MarkdownDescription: "GPU instance (machine) type, checked against the cloud's GPU catalog (SEG401), such as `g5.2xlarge` on AWS or `g2-standard-8` on Google Cloud. " +
							"A Google Cloud N1 machine (`n1-standard-8`) has no GPUs of its own: name the ones it attaches with `accelerator` and `accelerator_count`.",
						Validators: nestedStrings(stringvalidator.LengthAtLeast(1)),
					},
					"accelerator": schema.StringAttribute{
						Optional: true, MarkdownDescription: "The GPU an `instance_type` without GPUs of its own attaches, as the cloud names it: on Google Cloud N1 machines, " +
							"`nvidia-tesla-t4`, `nvidia-tesla-v100` or `nvidia-tesla-p100` (SEG401). Leave it out for a machine whose GPUs come with it.",
						Validators: nestedStrings(stringvalidator.LengthAtLeast(1), stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("accelerator_count"))),
					},
					"accelerator_count": schema.NumberAttribute{
						Optional: true, MarkdownDescription: "How many `accelerator` GPUs each node attaches, a count the accelerator allows for the machine's size (SEG401).",
						Validators: nestedNumbers(wholeNumberBetween(1, 16), numbervalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("accelerator"))),
					},
					"min_size": schema.NumberAttribute{
						Optional: true, Computed: true, MarkdownDescription: "Minimum node count, a whole number; defaults to 0. Must not exceed `max_size` (SEG402).",
						Validators: nestedNumbers(anyWholeNumber()),
					},
					"max_size": schema.NumberAttribute{
						Required: true, MarkdownDescription: "Maximum node count, a whole number from 1 to the limit of the cloud's node pools (" + cloud.Each(maxPoolSize) + "); SEG402.",
						Validators: nestedNumbers(anyWholeNumber()),
					},
					"spot": schema.BoolAttribute{
						Optional: true, Computed: true, MarkdownDescription: "Whether the pool runs on spot capacity; defaults to false. Production inference on spot warns (SEG403).",
					},
					"purpose": schema.StringAttribute{
						Required: true, MarkdownDescription: "`training` or `inference`.",
						Validators: nestedStrings(stringvalidator.OneOf(segment.Names(segment.Purposes())...)),
					},
				}},
			},
			"ingress": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "Declared entry points: the only traffic from outside the environment that its firewall admits. " +
					"Ingress subnets exist only when at least one is declared.",
				Validators: []validator.List{listvalidator.SizeAtMost(10), listvalidator.NoNullValues()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{
						Required: true, MarkdownDescription: "Name of the entry point, unique in the environment.",
						Validators: nestedStrings(stringvalidator.LengthBetween(1, 32), stringvalidator.RegexMatches(nameRegexp, nameRule)),
					},
					"port": schema.NumberAttribute{
						Required: true, MarkdownDescription: "TCP port, 1 to 65535. Administrative ports open to public ranges fail SEG103.",
						Validators: nestedNumbers(wholeNumberBetween(1, 65535)),
					},
					"from_cidrs": schema.ListAttribute{
						Required: true, ElementType: types.StringType, MarkdownDescription: "IPv4 ranges allowed to reach the entry point, 1 to 4.",
						Validators: nestedLists(listvalidator.SizeBetween(1, 4), listvalidator.NoNullValues(), listvalidator.UniqueValues(), listvalidator.ValueStringsAre(ipv4CIDR())),
					},
				}},
			},
			"namespaces": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "The workload namespaces of the environment's cluster, one per purpose and named after it; see the `blueprint`'s `kubernetes`. " +
					"Leave it out for the tier's: `training`, `inference` and `pipelines`, or `pipelines` and `telemetry` in the shared tier. " +
					"Each gets a default-deny network policy, a quota, a limit range, roles and bindings. A `telemetry` flow needs a `telemetry` namespace in the shared environment, and a `deploy` flow a `pipelines` one (SEG805).",
				Validators: []validator.List{listvalidator.SizeAtMost(len(segment.NamespacePurposes())), listvalidator.NoNullValues()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"purpose": schema.StringAttribute{
						Required: true, MarkdownDescription: "`training`, `inference`, `pipelines` or `telemetry`: the namespace's name, and which GPU pools, entry points and flows it gets. Each purpose once.",
						Validators: nestedStrings(stringvalidator.OneOf(segment.Names(segment.NamespacePurposes())...)),
					},
					"pod_security": schema.StringAttribute{
						Optional: true, MarkdownDescription: "The Pod Security Standards level the namespace enforces, audits and warns at: `restricted` when left out. `baseline` or `privileged` fails SEG801.",
						Validators: nestedStrings(stringvalidator.OneOf(segment.Names(segment.PodSecurityLevels())...)),
					},
					"gpu_quota": schema.NumberAttribute{
						Optional: true, MarkdownDescription: "GPUs the namespace's pods may request in all (`requests.nvidia.com/gpu`). Left out, what the GPU pools of its purpose serve at their maximum size; more than that fails SEG804.",
						Validators: nestedNumbers(wholeNumberBetween(0, 100000)),
					},
				}},
			},
			"ci_subject": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The one OIDC subject allowed to assume the deployer role, such as `repo:acme/ml:environment:prod`. " +
					"It must name the environment and hold no wildcard (SEG202). Without it there is no deployer role.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"ci_oidc_provider": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Host (and path) of the CI's OIDC issuer, without a scheme. Defaults to `" + DefaultCIOIDCProvider + "`.",
				Validators:          []validator.String{stringvalidator.RegexMatches(oidcIssuerRegex, "must be an issuer host without a scheme, such as \""+DefaultCIOIDCProvider+"\"")},
			},
			"log_retention_days": schema.NumberAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Retention of flow and audit logs, in days, a period the cloud's log store accepts (" + periodsPerCloud(logRetention) + "). Defaults by tier: 30 in development, 90 in staging, 365 in production and shared. SEG501 holds the tier minimum (production: 365).",
				Validators:          []validator.Number{daysIn(logRetention)}, // each cloud's own periods: checkCloudFormats
			},
			"key_rotation_days": schema.NumberAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Automatic key rotation period, in days, a period the cloud's key service accepts (" + periodsPerCloud(keyRotation) + "). Defaults by tier: 365 in development, 180 in staging, 90 in production and shared. SEG301 holds the tier maximum.",
				Validators:          []validator.Number{daysIn(keyRotation)}, // each cloud's own periods: checkCloudFormats
			},
			"key_deletion_window_days": schema.NumberAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "How long a deleted key waits before it is gone, in days, a period the cloud's key service accepts (" + periodsPerCloud(keyDeletion) + "). Defaults by tier: 7 in development, 14 in staging, 30 in production and shared. SEG302 holds the tier minimum.",
				Validators:          []validator.Number{daysIn(keyDeletion)}, // each cloud's own periods: checkCloudFormats
			},
			"waivers": schema.ListNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Explicit exceptions: each turns one rule off for this environment, with a reason that the blueprint records.",
				Validators:          []validator.List{listvalidator.NoNullValues()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"rule": schema.StringAttribute{
						Required: true, MarkdownDescription: "ID of a waivable environment rule: " + strings.Join(waivableRules(), ", ") + ".",
						Validators: nestedStrings(waiverRuleValidator{}),
					},
					"reason": schema.StringAttribute{
						Required: true, MarkdownDescription: "Why the risk is accepted: it must contain a letter or a digit, not only spaces or punctuation.",
						Validators: nestedStrings(meaningfulText()),
					},
				}},
			},
			"blueprint": schema.ObjectAttribute{
				Computed:            true,
				MarkdownDescription: "The environment's blueprint, known at plan time. The generated module builds the cloud resources from it. Every field is described in the [blueprint reference](../guides/blueprint.md).",
				AttributeTypes:      objectAttrTypes(blueprintShape),
			},
			"summary": schema.ObjectAttribute{
				Computed:            true,
				MarkdownDescription: "What `segmented_ml_topology` checks across environments: pass it in `environments`. Its fields are described in the [blueprint reference](../guides/blueprint.md#segmented_ml_environmentsummary).",
				AttributeTypes:      objectAttrTypes(summaryShape),
			},
		},
	}
}

// Configure receives the provider's configuration.
func (r *EnvironmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; this is a bug in the provider", req.ProviderData))
		return
	}
	r.data = data
}

// ValidateConfig checks the attributes whose format is the cloud's against
// internal/cloud's facts (checkCloudFormats), so that `terraform validate`
// reports them. A value not known yet is checked by ModifyPlan at apply.
func (r *EnvironmentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg environmentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	diags, _ := checkCloudFormats(cfg)
	resp.Diagnostics.Append(diags...)
}

// maxPoolSize describes a cloud's node pool limit: "450 for EKS managed node
// groups".
func maxPoolSize(f cloud.Facts) string { return fmt.Sprintf("%d for %s", f.MaxPoolSize, f.PoolService) }

// The settings, in days, whose accepted periods are the cloud's.
func logRetention(f cloud.Facts) cloud.Days { return f.LogRetention }
func keyRotation(f cloud.Facts) cloud.Days  { return f.KeyRotation }
func keyDeletion(f cloud.Facts) cloud.Days  { return f.KeyDeletion }

// daysIn bounds a setting in the schema by the span of every supported
// cloud's periods; checkCloudFormats holds it to its own cloud's.
func daysIn(setting func(cloud.Facts) cloud.Days) validator.Number {
	lo, hi := cloud.Span(setting)
	return wholeNumberBetween(int64(lo), int64(hi))
}

// periodsPerCloud describes the periods of a setting in every supported
// cloud, for the schema's documentation.
func periodsPerCloud(setting func(cloud.Facts) cloud.Days) string {
	return cloud.Each(func(f cloud.Facts) string { return setting(f).String() })
}

// checkCloudFormats checks the attributes whose format is the cloud's
// (account_id, region, availability_zones, and the periods of logs and keys) against
// internal/cloud's facts for the configured cloud, and returns the paths of
// those not known yet. A cloud not known yet, or a name that is not a
// cloud, leaves them alone: the cloud's own validator reports it. A cloud
// without a blueprint yet has facts, and is checked against them besides.
func checkCloudFormats(cfg environmentModel) (diag.Diagnostics, []rules.Path) {
	var diags diag.Diagnostics
	var unknown []rules.Path
	if cfg.Cloud.IsUnknown() {
		// Every format below is the cloud's: none can be checked until the
		// cloud is known, so each value set is named as waiting for it.
		for _, a := range []struct {
			v    attr.Value
			name string
		}{
			{cfg.Region, "region"}, {cfg.AccountID, "account_id"}, {cfg.AvailabilityZones, "availability_zones"},
			{cfg.LogRetentionDays, "log_retention_days"}, {cfg.KeyRotationDays, "key_rotation_days"}, {cfg.KeyDeletionWindowDays, "key_deletion_window_days"},
		} {
			if !a.v.IsNull() {
				unknown = append(unknown, rules.Root(a.name))
			}
		}
		return diags, unknown
	}
	if cfg.Cloud.IsNull() {
		return diags, unknown
	}
	facts, ok := cloud.For(segment.Cloud(cfg.Cloud.ValueString()))
	if !ok {
		return diags, unknown
	}
	check := func(v types.String, at rules.Path, p cloud.Pattern) {
		switch {
		case v.IsUnknown():
			unknown = append(unknown, at)
		case v.IsNull():
		default:
			if err := p.Check(v.ValueString()); err != nil {
				addAttributeError(&diags, at, "Invalid "+at.String(), err.Error()+".")
			}
		}
	}
	check(cfg.Region, rules.Root("region"), facts.Region)
	check(cfg.AccountID, rules.Root("account_id"), facts.AccountID)
	if cfg.AvailabilityZones.IsUnknown() {
		unknown = append(unknown, rules.Root("availability_zones"))
	}
	for i, z := range cfg.AvailabilityZones.Elements() {
		if s, ok := z.(types.String); ok {
			check(s, rules.Root("availability_zones").Index(i), facts.Zone)
		}
	}
	days := func(v types.Number, at rules.Path, setting func(cloud.Facts) cloud.Days) {
		switch {
		case v.IsUnknown():
			unknown = append(unknown, at)
		case v.IsNull():
		default:
			// A value outside every supported cloud's span is the schema's
			// to report.
			lo, hi := cloud.Span(setting)
			if n, whole := wholeNumber(v.ValueBigFloat()); whole && n >= int64(lo) && n <= int64(hi) {
				if err := setting(facts).Check(int(n)); err != nil {
					addAttributeError(&diags, at, "Invalid "+at.String(), err.Error()+".")
				}
			}
		}
	}
	days(cfg.LogRetentionDays, rules.Root("log_retention_days"), logRetention)
	days(cfg.KeyRotationDays, rules.Root("key_rotation_days"), keyRotation)
	days(cfg.KeyDeletionWindowDays, rules.Root("key_deletion_window_days"), keyDeletion)
	return diags, unknown
}

// ModifyPlan checks the environment and puts its blueprint in the plan.
// Rules whose inputs are known run now, whatever else is unknown; the others
// are named in warnings and run at apply. The blueprint and the summary hold
// every part that the unknown values cannot change.
func (r *EnvironmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var cfg environmentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	variants, diags := r.plan(ctx, cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	merged, diags := mergedPlan(ctx, resp.Plan, variants)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Plan.Raw = merged
}

// mergedPlan is the plan of all the variants, known where they agree. The
// template gives the schema.
func mergedPlan(ctx context.Context, template tfsdk.Plan, variants []environmentModel) (tftypes.Value, diag.Diagnostics) {
	var merged tftypes.Value
	var diags diag.Diagnostics
	for i, v := range variants {
		scratch := tfsdk.Plan{Schema: template.Schema}
		diags.Append(scratch.Set(ctx, v)...)
		if i == 0 {
			merged = scratch.Raw
		} else {
			merged = mergeKnown(merged, scratch.Raw)
		}
	}
	return merged, diags
}

// Create stores the planned environment. It makes no network calls; values
// that were unknown at plan time are checked now.
func (r *EnvironmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(r.store(ctx, req.Config, &resp.State)...)
}

// Read keeps the stored environment: there is nothing remote to refresh.
// The framework hands Read the stored state as the response's state, so
// leaving it untouched keeps it, without decoding and encoding the whole
// blueprint on every refresh.
func (r *EnvironmentResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

// Update stores the new plan, checked again with every value known.
func (r *EnvironmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(r.store(ctx, req.Config, &resp.State)...)
}

// Delete forgets the environment: nothing remote exists.
func (r *EnvironmentResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// ImportState imports an environment by name. The rest of the state comes
// from the configuration at the next plan, which is an in-place update
// without any cloud effect.
func (r *EnvironmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !nameRegexp.MatchString(req.ID) || len(req.ID) > 16 {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("import a segmented_ml_environment by its name; %q is not a valid environment name: it %s, at most 16 characters.", req.ID, nameRule))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), req.ID)...)
}

// requiresReplaceOnChange forces a new environment when a stored value
// changes. A value the state does not hold yet, as after an import by name,
// is filled in place.
func requiresReplaceOnChange() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.StateValue.IsNull()
		},
		"Changing the value forces a new environment.",
		"Changing the value forces a new environment.",
	)
}

// store checks the configuration, now that every value is known, and sets
// the state Create and Update return.
func (r *EnvironmentResource) store(ctx context.Context, config tfsdk.Config, state *tfsdk.State) diag.Diagnostics {
	var cfg environmentModel
	diags := config.Get(ctx, &cfg)
	if diags.HasError() {
		return diags
	}
	if !config.Raw.IsFullyKnown() {
		diags.AddError("Configuration still not known", "some values of the environment are unknown at apply time; this is a bug in the provider or in Terraform.")
		return diags
	}
	computed, d := r.plan(ctx, cfg)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	return append(diags, state.Set(ctx, computed[0])...)
}

// Package provider is the terraform-plugin-framework adapter: it turns
// configuration into domain values, runs the rules and the blueprint, and
// turns their results back into plan values and diagnostics. It holds no
// segmentation logic of its own.
package provider

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

var (
	_ provider.Provider              = (*SegmentedProvider)(nil)
	_ provider.ProviderWithFunctions = (*SegmentedProvider)(nil)
)

// DefaultEnvironmentPrefixLength is the size of the range an environment
// without a cidr gets from address_space: a /16, the largest AWS VPC.
const DefaultEnvironmentPrefixLength = 16

// nameRegexp is the form of organization, environment, pool and entry point
// names: lower-case words joined by single dashes.
var nameRegexp = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

const nameRule = "must start with a lower-case letter and contain only lower-case letters, digits and single dashes, such as \"ml-platform\""

// providerTypeName is the provider's local name, the prefix of its types.
const providerTypeName = "segmented"

// SegmentedProvider is the segmented provider.
type SegmentedProvider struct {
	version string
	// configured is what Configure gave the resources, for the server's
	// fast lane (NewServer); nil before Configure, or if it failed.
	configured atomic.Pointer[providerData]
}

// New returns a constructor of the provider at a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &SegmentedProvider{version: version} }
}

// providerModel is the provider's configuration.
type providerModel struct {
	Organization            types.String `tfsdk:"organization"`
	AddressSpace            types.String `tfsdk:"address_space"`
	EnvironmentPrefixLength types.Number `tfsdk:"environment_prefix_length"`
	DefaultTags             types.Map    `tfsdk:"default_tags"`
}

// providerData is the resolved configuration that resources receive.
type providerData struct {
	// known is false while some of the configuration is unknown at plan time.
	known                   bool
	organization            string
	addressSpace            netip.Prefix // invalid when unset
	environmentPrefixLength int
	defaultTags             map[string]string
}

// Metadata names the provider.
func (p *SegmentedProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = providerTypeName
	resp.Version = p.version
}

// Schema describes the provider configuration.
func (p *SegmentedProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Segmentation of ML environments as code: plans isolated development, staging, production and shared environments, and the trust boundaries between them, and fails `terraform plan` when they would not be isolated.",
		Attributes: map[string]schema.Attribute{
			"organization": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Prefix of every generated name: `{organization}-{environment}-{purpose}`. Lower-case letters, digits and dashes, at most 16 characters.",
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 16),
					stringvalidator.RegexMatches(nameRegexp, nameRule),
					organizationValidator{},
				},
			},
			"address_space": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Private IPv4 range that environments without a `cidr` get theirs from. An environment named `n` gets block " +
					"`fnv1a32(n) mod blocks` of length `environment_prefix_length` inside it: stable, whatever other environments exist. " +
					"`segmented_ml_topology` fails the plan (SEG601) if two allocations collide; set `cidr` on one of them.",
				Validators: []validator.String{ipv4CIDR()},
			},
			"environment_prefix_length": schema.NumberAttribute{
				Optional:            true,
				MarkdownDescription: "Prefix length of the ranges allocated from `address_space`. Defaults to 16, the largest AWS VPC.",
				Validators:          []validator.Number{environmentPrefixLength()},
			},
			"default_tags": schema.MapAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Tags added to every environment's resources. Keys starting with `segmented:` are reserved for the tags the provider sets itself.",
				Validators:          []validator.Map{mapvalidator.KeysAre(withoutPrefix(blueprint.ReservedTagPrefix))},
			},
		},
	}
}

// Configure resolves the configuration for the resources.
func (p *SegmentedProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	defer func() {
		data, _ := resp.ResourceData.(*providerData)
		p.configured.Store(data)
	}()
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{known: true, environmentPrefixLength: DefaultEnvironmentPrefixLength}
	if cfg.Organization.IsUnknown() || cfg.AddressSpace.IsUnknown() || cfg.EnvironmentPrefixLength.IsUnknown() || cfg.DefaultTags.IsUnknown() {
		data.known = false
		resp.ResourceData = data
		return
	}
	data.organization = cfg.Organization.ValueString()
	if !cfg.EnvironmentPrefixLength.IsNull() {
		n, _ := wholeNumber(cfg.EnvironmentPrefixLength.ValueBigFloat()) // validated
		data.environmentPrefixLength = int(n)
	}
	if !cfg.AddressSpace.IsNull() {
		space, err := netplan.ParsePrefix(cfg.AddressSpace.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("address_space"), "Invalid address_space", err.Error())
			return
		}
		if space.Bits() > data.environmentPrefixLength {
			resp.Diagnostics.AddAttributeError(path.Root("address_space"), "address_space is smaller than one environment",
				fmt.Sprintf("address_space %s cannot hold a /%d; use a shorter prefix, or raise environment_prefix_length.", space, data.environmentPrefixLength))
			return
		}
		if !netplan.IsPrivate(space) {
			r, _ := rules.Lookup("SEG101")
			resp.Diagnostics.AddAttributeError(path.Root("address_space"), "SEG101: address_space is not a private range",
				fmt.Sprintf("%s is not inside a private range, so every environment allocated from it would be publicly routable.\n\n%s. Fix: %s",
					space, r.CWEID(), strings.Replace(r.Remediation, "set cidr", "set address_space", 1)))
			return
		}
		data.addressSpace = space
	}
	if !cfg.DefaultTags.IsNull() {
		resp.Diagnostics.Append(cfg.DefaultTags.ElementsAs(ctx, &data.defaultTags, false)...)
	}
	for k := range data.defaultTags {
		if strings.HasPrefix(k, blueprint.ReservedTagPrefix) {
			resp.Diagnostics.AddAttributeError(path.Root("default_tags").AtMapKey(k), "Reserved tag key",
				"tag keys starting with "+blueprint.ReservedTagPrefix+" are set by the provider; rename "+k+".")
		}
	}
	resp.ResourceData = data
}

// Resources lists the managed resources.
func (p *SegmentedProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewEnvironmentResource, NewTopologyResource}
}

// DataSources lists the data sources: none, see DESIGN.md.
func (p *SegmentedProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}

// Functions lists the provider-defined functions.
func (p *SegmentedProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{NewCIDRsOverlapFunction, NewEnvironmentCIDRFunction, NewFlowAllowedFunction}
}

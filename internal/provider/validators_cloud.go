package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// environmentPrefixLength bounds the ranges allocated from address_space to
// what some supported cloud can build and carve for the default zones (AWS:
// a /16 to a /24). The cloud of an environment is not known when its range
// is allocated, so SEG104 then holds each environment to its own cloud's
// bounds.
func environmentPrefixLength() validator.Number {
	b := cloud.AllocatablePrefix(len(segment.DefaultZones("")))
	return wholeNumberBetween(int64(b.Shortest), int64(b.Longest))
}

var _ validator.String = organizationValidator{}

// organizationValidator refuses an organization that would make generated
// names invalid in a supported cloud, such as one that starts every S3 bucket
// name with a prefix S3 reserves. The facts are internal/cloud's.
type organizationValidator struct{}

func (organizationValidator) Description(context.Context) string {
	return "must not make generated names invalid for the cloud, such as S3 bucket names starting with a reserved prefix (sthree-, amzn-s3-demo-, xn--)"
}

func (v organizationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (organizationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	org := req.ConfigValue.ValueString()
	if err := cloud.CheckOrganization(org); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Organization makes generated names invalid",
			"Every generated name starts with \""+org+"-\": "+err.Error()+". Choose another organization.")
	}
}

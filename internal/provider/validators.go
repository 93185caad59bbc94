package provider

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

var (
	_ validator.String = cidrValidator{}
	_ validator.String = prefixValidator{}
	_ validator.String = waiverRuleValidator{}
)

// cidrValidator accepts a canonical IPv4 CIDR.
type cidrValidator struct{}

func ipv4CIDR() validator.String { return cidrValidator{} }

func (cidrValidator) Description(context.Context) string {
	return "must be an IPv4 range in CIDR notation with its host bits zero, such as 10.64.0.0/16"
}

func (v cidrValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cidrValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	p, err := netplan.ParsePrefix(req.ConfigValue.ValueString())
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CIDR", err.Error())
	case !p.Addr().Is4():
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CIDR",
			fmt.Sprintf("%s is an IPv6 range; AWS VPCs, subnets and network ACL rules here take IPv4 ranges.", p))
	}
}

// prefixValidator refuses strings that start with a reserved prefix.
type prefixValidator struct{ prefix string }

func withoutPrefix(prefix string) validator.String { return prefixValidator{prefix: prefix} }

func (v prefixValidator) Description(context.Context) string {
	return fmt.Sprintf("must not start with %q, which the provider reserves", v.prefix)
}

func (v prefixValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v prefixValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); strings.HasPrefix(s, v.prefix) {
		resp.Diagnostics.AddAttributeError(req.Path, "Reserved prefix",
			fmt.Sprintf("%q starts with %q, which the provider sets itself; choose another key.", s, v.prefix))
	}
}

// waiverRuleValidator accepts the ID of a waivable environment rule.
type waiverRuleValidator struct{}

func (waiverRuleValidator) Description(context.Context) string {
	return "must be the ID of a waivable environment rule: " + strings.Join(waivableRules(), ", ")
}

func (v waiverRuleValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v waiverRuleValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	r, ok := rules.Lookup(id)
	switch {
	case !ok || r.ID != id:
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown rule", fmt.Sprintf("%q is not a rule ID; it %s.", id, v.Description(ctx)))
	case r.Scope != rules.ScopeEnvironment:
		resp.Diagnostics.AddAttributeError(req.Path, "Rule cannot be waived here",
			fmt.Sprintf("%s is a %s rule; an environment waives only environment rules: %s.", id, r.Scope, strings.Join(waivableRules(), ", ")))
	case !r.Waivable:
		resp.Diagnostics.AddAttributeError(req.Path, "Rule cannot be waived",
			fmt.Sprintf("%s (%s) cannot be waived: without it no blueprint can be built. Fix: %s", id, r.Title, r.Remediation))
	}
}

func waivableRules() []string {
	var ids []string
	for _, r := range rules.Catalog() {
		if r.Scope == rules.ScopeEnvironment && r.Waivable {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// cloudValidator accepts the clouds that have a blueprint, and says which
// are planned.
type cloudValidator struct{}

var _ validator.String = cloudValidator{}

func (cloudValidator) Description(context.Context) string {
	return `must be "aws", "gcp" or "azure"`
}

func (v cloudValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v cloudValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	c := segment.Cloud(req.ConfigValue.ValueString())
	if slices.Contains(segment.SupportedClouds(), c) {
		return
	}
	msg := fmt.Sprintf("%q is not a cloud this provider knows; it %s.", c, v.Description(ctx))
	resp.Diagnostics.AddAttributeError(req.Path, "Unsupported cloud", msg)
}

var _ validator.Number = numberValidator{}

// numberValidator accepts a whole number within bounds.
// Whole-number attributes are numbers in the schema, not Int64, so that a
// value such as 1e30 or 1.5 reaches this validator and gets a message on its
// attribute, instead of failing the framework's conversion.
type numberValidator struct {
	min, max int64
}

// anyWholeNumber accepts a whole number that fits 32 bits; the rules hold
// the attribute's real bounds.
func anyWholeNumber() validator.Number {
	return numberValidator{min: math.MinInt32, max: math.MaxInt32}
}

func wholeNumberBetween(lo, hi int64) validator.Number { return numberValidator{min: lo, max: hi} }

func (v numberValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a whole number from %d to %d", v.min, v.max)
}

func (v numberValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v numberValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	f := req.ConfigValue.ValueBigFloat()
	n, whole := wholeNumber(f)
	switch {
	case !f.IsInt():
		resp.Diagnostics.AddAttributeError(req.Path, "Not a whole number", fmt.Sprintf("%s is not a whole number; it %s.", formatNumber(f), v.Description(ctx)))
	case !whole || n < v.min || n > v.max:
		resp.Diagnostics.AddAttributeError(req.Path, "Value out of range", fmt.Sprintf("%s is out of range; it %s.", formatNumber(f), v.Description(ctx)))
	}
}

var _ validator.String = meaningfulTextValidator{}

// meaningfulTextValidator accepts text with at least one letter or digit.
// Regular expressions' \S is ASCII-only, so a reason of no-break spaces or
// a vertical tab would pass it and be recorded as empty.
type meaningfulTextValidator struct{}

func meaningfulText() validator.String { return meaningfulTextValidator{} }

func (meaningfulTextValidator) Description(context.Context) string {
	return "must say something: at least one letter or digit, not only spaces, punctuation or invisible characters"
}

func (v meaningfulTextValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v meaningfulTextValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		resp.Diagnostics.AddAttributeError(req.Path, "Blank reason",
			fmt.Sprintf("%q %s: say why the risk is accepted.", s, v.Description(ctx)))
	}
}

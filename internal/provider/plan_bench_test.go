package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// BenchmarkEnvironmentPlan measures the plan of a production environment
// with two GPU pools, as ModifyPlan computes it: fully known (the baseline,
// one reading), with its account_id unknown (two variants merged), and with
// its tier unknown (four variants, one per tier).
func BenchmarkEnvironmentPlan(b *testing.B) {
	ctx := context.Background()
	_, template := environmentSchema()
	r := &EnvironmentResource{data: &providerData{known: true, organization: "acme", environmentPrefixLength: 16}}
	t := &testing.T{}
	known := testModel(t, "production", []poolInput{{"train", "p4d.24xlarge", 0, 4, false, "training"}, {"serve", "g5.2xlarge", 1, 8, false, "inference"}}, nil)
	account := known
	account.AccountID = types.StringUnknown()
	tier := known
	tier.Tier = types.StringUnknown()
	for name, cfg := range map[string]environmentModel{"known": known, "account-unknown": account, "tier-unknown": tier} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				variants, diags := r.plan(ctx, cfg)
				if diags.HasError() {
					b.Fatal(diags)
				}
				if _, diags := mergedPlan(ctx, template, variants); diags.HasError() {
					b.Fatal(diags)
				}
			}
		})
	}
}

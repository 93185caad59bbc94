package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

var _ function.Function = FlowAllowedFunction{}

// FlowAllowedFunction is the provider function flow_allowed: whether the
// tier policy lets content of a purpose move from one tier to another.
type FlowAllowedFunction struct{}

// NewFlowAllowedFunction returns the flow_allowed function.
func NewFlowAllowedFunction() function.Function { return FlowAllowedFunction{} }

// Metadata names the function.
func (FlowAllowedFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "flow_allowed"
}

// Definition describes the function's parameters and result.
func (FlowAllowedFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	tiers, purposes := quotedList(segment.Tiers()), quotedList(segment.FlowPurposes())
	resp.Definition = function.Definition{
		Summary: "Whether the tier policy allows a flow of content from one tier to another.",
		MarkdownDescription: "Returns `true` when the tier policy lets content of `purpose` move from an environment " +
			"of tier `from_tier` to an environment of tier `to_tier`, the check that `segmented_ml_topology` " +
			"makes as rule SEG602. Anything the policy does not list is denied:\n\n" +
			"| from \\ to | development | staging | production | shared |\n" +
			"|---|---|---|---|---|\n" +
			"| development | — | model-promotion | — | telemetry |\n" +
			"| staging | — | — | model-promotion | telemetry |\n" +
			"| production | — | — | — | telemetry |\n" +
			"| shared | deploy, artifact-pull | deploy, artifact-pull | deploy, artifact-pull | — |\n\n" +
			"Two different environments of the same tier are isolated from each other, so `from_tier` equal " +
			"to `to_tier` is always `false`.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "from_tier",
				Description:         "Tier the content moves from: one of " + tiers + ".",
				MarkdownDescription: "Tier the content moves from: one of " + markdownList(segment.Tiers()) + ".",
			},
			function.StringParameter{
				Name:                "to_tier",
				Description:         "Tier the content moves to: one of " + tiers + ".",
				MarkdownDescription: "Tier the content moves to: one of " + markdownList(segment.Tiers()) + ".",
			},
			function.StringParameter{
				Name:                "purpose",
				Description:         "What the flow carries: one of " + purposes + ".",
				MarkdownDescription: "What the flow carries: one of " + markdownList(segment.FlowPurposes()) + ".",
			},
		},
		Return: function.BoolReturn{},
	}
}

// Run looks the flow up in the tier policy.
func (FlowAllowedFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var from, to, purpose string
	if resp.Error = req.Arguments.Get(ctx, &from, &to, &purpose); resp.Error != nil {
		return
	}
	for i, t := range []string{from, to} {
		if !segment.Tier(t).Valid() {
			resp.Error = function.NewArgumentFuncError(int64(i),
				fmt.Sprintf("%q is not a tier: want one of %s", t, quotedList(segment.Tiers())))
			return
		}
	}
	if !slices.Contains(segment.FlowPurposes(), segment.FlowPurpose(purpose)) {
		resp.Error = function.NewArgumentFuncError(2,
			fmt.Sprintf("%q is not a flow purpose: want one of %s", purpose, quotedList(segment.FlowPurposes())))
		return
	}
	// Two environments of one tier are isolated, whatever the purpose.
	allowed := from != to && segment.FlowAllowed(segment.Tier(from), segment.Tier(to), segment.FlowPurpose(purpose))
	resp.Error = resp.Result.Set(ctx, allowed)
}

// quotedList formats values as "a", "b", "c".
func quotedList[S ~string](values []S) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", string(v))
	}
	return strings.Join(q, ", ")
}

// markdownList formats values as `a`, `b`, `c`.
func markdownList[S ~string](values []S) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + string(v) + "`"
	}
	return strings.Join(q, ", ")
}

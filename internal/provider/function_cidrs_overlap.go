package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

var _ function.Function = CIDRsOverlapFunction{}

// overlapAttrTypes is the type of one element of cidrs_overlap's result.
var overlapAttrTypes = map[string]attr.Type{
	"a":       types.StringType,
	"b":       types.StringType,
	"a_index": types.Int64Type,
	"b_index": types.Int64Type,
}

// maxReportedProblems is how many bad elements an error lists by name.
const maxReportedProblems = 10

// overlapElemType is the element type of cidrs_overlap's result.
var overlapElemType = types.ObjectType{AttrTypes: overlapAttrTypes}

// CIDRsOverlapFunction is the provider function cidrs_overlap: every
// overlapping pair among a list of CIDR ranges.
type CIDRsOverlapFunction struct{}

// NewCIDRsOverlapFunction returns the cidrs_overlap function.
func NewCIDRsOverlapFunction() function.Function { return CIDRsOverlapFunction{} }

// Metadata names the function.
func (CIDRsOverlapFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "cidrs_overlap"
}

// Definition describes the function's parameter and result.
func (CIDRsOverlapFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Every overlapping pair among a list of CIDR ranges.",
		MarkdownDescription: "Returns every pair of overlapping ranges in `cidrs`, the check that " +
			"`segmented_ml_topology` makes as rule SEG601, as a list of objects " +
			"`{ a, b, a_index, b_index }`: the two ranges as given and their positions in `cidrs` " +
			"(counting from 0), with `a_index < b_index`, ordered by `a_index` then `b_index`. " +
			"An empty list means no two ranges overlap.\n\n" +
			"Two ranges overlap when one contains the other, so identical ranges overlap and adjacent " +
			"ones (`10.0.0.0/16`, `10.1.0.0/16`) do not. IPv4 and IPv6 ranges may be mixed; they never " +
			"overlap one another. Every element must be a range in CIDR notation with its host bits " +
			"zero, such as `10.64.0.0/16` or `fd00::/8`, and not null. The pairs are found in " +
			"O(n log n + k) time, so long lists are fine.",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:                "cidrs",
				ElementType:         types.StringType,
				Description:         "The ranges to compare, in CIDR notation with their host bits zero, such as 10.64.0.0/16 or fd00::/8.",
				MarkdownDescription: "The ranges to compare, in CIDR notation with their host bits zero, such as `10.64.0.0/16` or `fd00::/8`.",
			},
		},
		Return: function.ListReturn{ElementType: overlapElemType},
	}
}

// Run returns the overlapping pairs.
func (CIDRsOverlapFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var cidrs []types.String
	if resp.Error = req.Arguments.Get(ctx, &cidrs); resp.Error != nil {
		return
	}
	named := make([]netplan.Named, len(cidrs))
	var problems []string
	for i, c := range cidrs {
		switch {
		case c.IsUnknown():
			// Terraform does not call a function with unknown arguments
			// unless the parameter allows them; if it ever does, the answer
			// is not known yet either.
			resp.Error = resp.Result.Set(ctx, types.ListUnknown(overlapElemType))
			return
		case c.IsNull():
			problems = append(problems, fmt.Sprintf("element %d is null; want a CIDR range such as \"10.64.0.0/16\"", i))
			continue
		}
		p, err := netplan.ParsePrefix(c.ValueString())
		if err != nil {
			problems = append(problems, fmt.Sprintf("element %d: %s", i, cidrProblem(err)))
			continue
		}
		named[i] = netplan.Named{Name: strconv.Itoa(i), Prefix: p}
	}
	if len(problems) > 0 {
		if len(problems) > maxReportedProblems {
			problems = append(problems[:maxReportedProblems], fmt.Sprintf("and %d more", len(problems)-maxReportedProblems))
		}
		resp.Error = function.NewArgumentFuncError(0, strings.Join(problems, "\n"))
		return
	}

	overlaps := netplan.Overlaps(named)
	pairs := make([][2]int, len(overlaps))
	for k, o := range overlaps {
		a, _ := strconv.Atoi(o.A.Name)
		b, _ := strconv.Atoi(o.B.Name)
		pairs[k] = [2]int{min(a, b), max(a, b)}
	}
	slices.SortFunc(pairs, func(x, y [2]int) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })

	// Build the values directly: the framework's reflection is slow for
	// the many objects a long list of nested ranges can produce.
	elems := make([]attr.Value, len(pairs))
	for k, p := range pairs {
		elems[k] = types.ObjectValueMust(overlapAttrTypes, map[string]attr.Value{
			"a":       cidrs[p[0]],
			"b":       cidrs[p[1]],
			"a_index": types.Int64Value(int64(p[0])),
			"b_index": types.Int64Value(int64(p[1])),
		})
	}
	resp.Error = resp.Result.Set(ctx, types.ListValueMust(overlapElemType, elems))
}

// cidrProblem phrases a netplan.ParsePrefix error for a function argument:
// a range with host bits set already names its fix; for anything else, say
// what is expected.
func cidrProblem(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "did you mean") {
		return msg
	}
	return msg + `; want a range in CIDR notation, such as "10.64.0.0/16" or "fd00::/8"`
}

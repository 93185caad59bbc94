package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

var _ function.Function = EnvironmentCIDRFunction{}

// EnvironmentCIDRFunction is the provider function environment_cidr: one
// block of an address space.
type EnvironmentCIDRFunction struct{}

// NewEnvironmentCIDRFunction returns the environment_cidr function.
func NewEnvironmentCIDRFunction() function.Function { return EnvironmentCIDRFunction{} }

// Metadata names the function.
func (EnvironmentCIDRFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "environment_cidr"
}

// Definition describes the function's parameters and result.
func (EnvironmentCIDRFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "One block of an address space, such as the range of an environment.",
		MarkdownDescription: "Splits `address_space` into consecutive blocks of length `prefix_length` and returns " +
			"block number `index`, counting from 0, in CIDR notation. For example " +
			"`environment_cidr(\"10.64.0.0/10\", 16, 2)` is `\"10.66.0.0/16\"`. Unlike `cidrsubnet`, it takes " +
			"the length of the block rather than the number of bits to add. IPv4 and IPv6 spaces both work.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "address_space",
				Description:         "The range to split, in CIDR notation with its host bits zero, such as 10.64.0.0/10.",
				MarkdownDescription: "The range to split, in CIDR notation with its host bits zero, such as `10.64.0.0/10`.",
			},
			function.NumberParameter{
				Name: "prefix_length",
				Description: "Prefix length of each block, such as 16 for a /16: at least the prefix length of " +
					"address_space and at most 32 for IPv4 or 128 for IPv6.",
				MarkdownDescription: "Prefix length of each block, such as `16` for a /16: at least the prefix length of " +
					"`address_space` and at most 32 for IPv4 or 128 for IPv6.",
			},
			function.NumberParameter{
				Name: "index",
				Description: "Which block to return, counting from 0; address_space holds " +
					"2^(prefix_length - its prefix length) blocks.",
				MarkdownDescription: "Which block to return, counting from 0; `address_space` holds " +
					"2^(`prefix_length` − its prefix length) blocks.",
			},
		},
		Return: function.StringReturn{},
	}
}

// Run allocates the block.
func (EnvironmentCIDRFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var spaceArg string
	var prefixArg, indexArg *big.Float
	if resp.Error = req.Arguments.Get(ctx, &spaceArg, &prefixArg, &indexArg); resp.Error != nil {
		return
	}
	space, err := netplan.ParsePrefix(spaceArg)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, cidrProblem(err))
		return
	}
	bits, maxBits := int64(space.Bits()), int64(space.Addr().BitLen())
	prefixLen, ok := wholeNumber(prefixArg)
	if !ok || prefixLen < bits || prefixLen > maxBits {
		what := "does not fit in address space " + space.String()
		if !prefixArg.IsInt() {
			what = "is not a whole number"
		}
		resp.Error = function.NewArgumentFuncError(1, fmt.Sprintf("prefix length %s %s: want %d to %d",
			formatNumber(prefixArg), what, bits, maxBits))
		return
	}
	extra := prefixLen - bits
	index, ok := wholeNumber(indexArg)
	if !ok || index < 0 || (extra < 63 && index >= int64(1)<<extra) || index > math.MaxInt {
		what := "is out of range"
		if !indexArg.IsInt() {
			what = "is not a whole number"
		}
		resp.Error = function.NewArgumentFuncError(2, fmt.Sprintf("index %s %s: %s holds %s blocks of /%d, want 0 to %s",
			formatNumber(indexArg), what, space, blockCount(extra), prefixLen, lastBlock(extra)))
		return
	}
	block, err := netplan.Allocate(space, int(prefixLen), int(index))
	if err != nil { // not reached: the arguments were checked above
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, block.String())
}

// wholeNumber returns f as an int64 when it is a whole number in the int64
// range.
func wholeNumber(f *big.Float) (int64, bool) {
	if !f.IsInt() {
		return 0, false
	}
	i, acc := f.Int64()
	return i, acc == big.Exact
}

// formatNumber formats a number argument as the user wrote it, without an
// exponent: 16, 16.5, -1.
func formatNumber(f *big.Float) string { return f.Text('f', -1) }

// blockCount formats 2^extra, the number of blocks in a space.
func blockCount(extra int64) string {
	if extra < 63 {
		return fmt.Sprint(int64(1) << extra)
	}
	return fmt.Sprintf("2^%d", extra)
}

// lastBlock formats 2^extra - 1, the last block index in a space.
func lastBlock(extra int64) string {
	if extra < 63 {
		return fmt.Sprint(int64(1)<<extra - 1)
	}
	return fmt.Sprintf("2^%d-1", extra)
}

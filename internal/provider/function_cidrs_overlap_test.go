package provider

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// pair is one expected element of cidrs_overlap's result.
type pair struct {
	a, b   string
	ai, bi int64
}

// runCIDRsOverlap calls cidrs_overlap's Run on a list of known strings;
// a nil element stands for null.
func runCIDRsOverlap(t *testing.T, cidrs []*string) ([]pair, *function.FuncError) {
	t.Helper()
	elems := make([]attr.Value, len(cidrs))
	for i, c := range cidrs {
		elems[i] = types.StringPointerValue(c)
	}
	got, ferr := runFunction(t, NewCIDRsOverlapFunction(), types.ListValueMust(types.StringType, elems))
	if ferr != nil {
		return nil, ferr
	}
	list := got.(types.List)
	if list.IsNull() || list.IsUnknown() {
		t.Fatalf("result is null or unknown: %v", list)
	}
	pairs := []pair{}
	for _, e := range list.Elements() {
		attrs := e.(types.Object).Attributes()
		pairs = append(pairs, pair{
			a: attrs["a"].(types.String).ValueString(), b: attrs["b"].(types.String).ValueString(),
			ai: attrs["a_index"].(types.Int64).ValueInt64(), bi: attrs["b_index"].(types.Int64).ValueInt64(),
		})
	}
	return pairs, nil
}

func strs(ss ...string) []*string {
	out := make([]*string, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}

func TestFunctionCIDRsOverlapRun(t *testing.T) {
	tests := []struct {
		name  string
		cidrs []string
		want  []pair
	}{
		{"empty", nil, []pair{}},
		{"disjoint and adjacent", []string{"10.0.0.0/16", "10.1.0.0/16", "192.168.0.0/24"}, []pair{}},
		{"identical", []string{"10.0.0.0/16", "10.0.0.0/16"}, []pair{{"10.0.0.0/16", "10.0.0.0/16", 0, 1}}},
		{"nested chain, outermost last", []string{"10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8"}, []pair{
			{"10.1.2.0/24", "10.1.0.0/16", 0, 1},
			{"10.1.2.0/24", "10.0.0.0/8", 0, 2},
			{"10.1.0.0/16", "10.0.0.0/8", 1, 2},
		}},
		{"mixed families never overlap", []string{"0.0.0.0/0", "::/0", "::ffff:10.0.0.0/104", "10.0.0.0/8"}, []pair{
			{"0.0.0.0/0", "10.0.0.0/8", 0, 3},
			{"::/0", "::ffff:10.0.0.0/104", 1, 2},
		}},
		{"as given", []string{"FD00::/8", "fd00:1::/32"}, []pair{{"FD00::/8", "fd00:1::/32", 0, 1}}},
	}
	for _, tt := range tests {
		got, err := runCIDRsOverlap(t, strs(tt.cidrs...))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: cidrs_overlap(%q) = %v, want %v", tt.name, tt.cidrs, got, tt.want)
		}
	}
}

// TestFunctionCIDRsOverlapBruteForce compares the result with a check of
// every pair, on random lists of nested and disjoint ranges of both
// families.
func TestFunctionCIDRsOverlapBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		n := r.IntN(40)
		cidrs := make([]string, n)
		for i := range cidrs {
			var p netip.Prefix
			if r.IntN(4) == 0 {
				p = netip.PrefixFrom(netip.AddrFrom16([16]byte{0xfd, byte(r.IntN(4))}), 8+r.IntN(12)).Masked()
			} else {
				p = netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(4)), 0}), 8+r.IntN(17)).Masked()
			}
			cidrs[i] = p.String()
		}
		want := []pair{}
		for i := range cidrs {
			for j := i + 1; j < len(cidrs); j++ {
				if netip.MustParsePrefix(cidrs[i]).Overlaps(netip.MustParsePrefix(cidrs[j])) {
					want = append(want, pair{cidrs[i], cidrs[j], int64(i), int64(j)})
				}
			}
		}
		got, err := runCIDRsOverlap(t, strs(cidrs...))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("cidrs_overlap(%q) = %v, want %v", cidrs, got, want)
		}
	}
}

func TestFunctionCIDRsOverlapErrors(t *testing.T) {
	tests := []struct {
		cidrs []*string
		want  []string
	}{
		{strs("10.0.0.0/8", "10.1.0.0/16", "10.0.0.1/16"), []string{`element 2: "10.0.0.1/16" has host bits set; did you mean "10.0.0.0/16"?`}},
		{strs("10.0.0.0"), []string{`element 0: "10.0.0.0" is not a valid CIDR prefix`, `want a range in CIDR notation, such as "10.64.0.0/16"`}},
		{[]*string{strs("10.0.0.0/8")[0], nil}, []string{`element 1 is null; want a CIDR range such as "10.64.0.0/16"`}},
		{append(strs("x", "10.0.0.0/8"), nil), []string{`element 0: "x" is not a valid CIDR prefix`, `element 2 is null`}}, // every bad element
	}
	for _, tt := range tests {
		_, err := runCIDRsOverlap(t, tt.cidrs)
		for _, want := range tt.want {
			wantArgumentError(t, err, 0, want)
		}
	}
}

func TestFunctionCIDRsOverlapTooManyProblems(t *testing.T) {
	var cidrs []string
	for i := range 25 {
		cidrs = append(cidrs, fmt.Sprintf("10.0.0.%d/16", i+1))
	}
	_, err := runCIDRsOverlap(t, strs(cidrs...))
	wantArgumentError(t, err, 0, `element 9: "10.0.0.10/16" has host bits set`)
	wantArgumentError(t, err, 0, "and 15 more")
	if err != nil && strings.Contains(err.Text, "element 10:") {
		t.Errorf("error lists more than 10 elements: %s", err.Text)
	}
}

// TestFunctionCIDRsOverlapUnknownElement covers a call that Terraform does
// not make today: with an unknown element the result is unknown.
func TestFunctionCIDRsOverlapUnknownElement(t *testing.T) {
	got, err := runFunction(t, NewCIDRsOverlapFunction(),
		types.ListValueMust(types.StringType, []attr.Value{types.StringValue("10.0.0.0/8"), types.StringUnknown()}))
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsUnknown() {
		t.Errorf("result %v, want unknown", got)
	}
}

func TestAccFunctionCIDRsOverlap_known(t *testing.T) {
	pairCheck := func(a, b string, ai, bi int64) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"a": knownvalue.StringExact(a), "b": knownvalue.StringExact(b),
			"a_index": knownvalue.Int64Exact(ai), "b_index": knownvalue.Int64Exact(bi),
		})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: providerBlock + `
output "overlaps" {
  value = provider::segmented::cidrs_overlap([
    "10.64.0.0/10", "10.65.0.0/16", "192.168.0.0/16", "fd00::/8", "10.65.0.0/16", "fd00:1::/32", "10.128.0.0/16",
  ])
}
output "none" {
  value = provider::segmented::cidrs_overlap(["10.64.0.0/16", "10.65.0.0/16", "fd00::/16"])
}
output "empty" {
  value = provider::segmented::cidrs_overlap([])
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("overlaps", knownvalue.ListExact([]knownvalue.Check{
					pairCheck("10.64.0.0/10", "10.65.0.0/16", 0, 1),
					pairCheck("10.64.0.0/10", "10.65.0.0/16", 0, 4),
					pairCheck("10.65.0.0/16", "10.65.0.0/16", 1, 4),
					pairCheck("fd00::/8", "fd00:1::/32", 3, 5),
				})),
				statecheck.ExpectKnownOutputValue("none", knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownOutputValue("empty", knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccFunctionCIDRsOverlap_errors(t *testing.T) {
	cases := map[string]functionErrorCase{
		"host bits set": {
			call: `provider::segmented::cidrs_overlap(["10.64.0.0/16", "10.65.0.0/16", "10.0.0.1/16"])`,
			err:  `Invalid value for "cidrs" parameter: element 2: "10.0.0.1/16" has host bits set; did you mean "10.0.0.0/16"?`,
		},
		"malformed element": {
			call: `provider::segmented::cidrs_overlap(["10.64.0.0/16", "10.65.0.0"])`,
			err:  `Invalid value for "cidrs" parameter: element 1: "10.65.0.0" is not a valid CIDR prefix`,
		},
		"null element": {
			call: `provider::segmented::cidrs_overlap(["10.64.0.0/16", null])`,
			err:  `Invalid value for "cidrs" parameter: element 1 is null; want a CIDR range such as "10.64.0.0/16".`,
		},
		"null argument": {
			call: `provider::segmented::cidrs_overlap(null)`,
			err:  `Invalid value for "cidrs" parameter: argument must not be null.`,
		},
	}
	testFunctionErrors(t, cases)
}

func TestAccFunctionCIDRsOverlap_unknown(t *testing.T) {
	// One element, and in the second output the whole list, come from a
	// resource and are unknown at plan time, so the results are too.
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: providerBlock + `
resource "terraform_data" "cidrs" {
  input = ["10.64.0.0/16", "10.64.1.0/24"]
}
output "element" {
  value = provider::segmented::cidrs_overlap(["10.64.0.0/10", terraform_data.cidrs.output[1]])
}
output "list" {
  value = provider::segmented::cidrs_overlap(terraform_data.cidrs.output)
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownOutputValue("element"),
					plancheck.ExpectUnknownOutputValue("list"),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("element", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"b": knownvalue.StringExact("10.64.1.0/24")}),
				})),
				statecheck.ExpectKnownOutputValue("list", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"a": knownvalue.StringExact("10.64.0.0/16"), "b": knownvalue.StringExact("10.64.1.0/24"),
						"a_index": knownvalue.Int64Exact(0), "b_index": knownvalue.Int64Exact(1),
					}),
				})),
			},
		}},
	})
}

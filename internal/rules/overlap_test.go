package rules_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// overlapTopology has one environment per CIDR, named e0, e1, ...
func overlapTopology(cidrs ...string) segment.Topology {
	var t segment.Topology
	for i, c := range cidrs {
		t.Environments = append(t.Environments, topoMember(fmt.Sprintf("e%d", i), segment.Development, c, fmt.Sprintf("%012d", 100000000000+i)))
	}
	return t
}

func overlapFindings(t segment.Topology) []rules.Finding {
	var out []rules.Finding
	for _, f := range testkit.Must(rules.CheckTopology(t)) {
		if f.Rule.ID == "SEG601" {
			out = append(out, f)
		}
	}
	return out
}

var listedMember = regexp.MustCompile(`"(e\d+)" \(environments\[(\d+)\], ([^)]+)\)`)

// listedMembers returns the names a SEG601 message lists, in order.
func listedMembers(f rules.Finding) []string {
	var names []string
	for _, m := range listedMember.FindAllStringSubmatch(f.Message, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestCIDROverlapGroups(t *testing.T) {
	cases := []struct {
		name  string
		cidrs []string
		want  []string   // per finding: path, then the members listed
		msg   [][]string // substrings of each finding's message
	}{
		{name: "two overlapping", cidrs: []string{"10.64.0.0/16", "10.65.0.0/16", "10.64.128.0/17"},
			want: []string{"environments[2].cidr e0 e2"},
			msg:  [][]string{{"the ranges of 2 environments overlap inside 10.64.0.0/16", `"e0" (environments[0], 10.64.0.0/16)`, `"e2" (environments[2], 10.64.128.0/17)`}}},
		{name: "a chain a > b, c inside a", cidrs: []string{"10.64.0.0/16", "10.64.0.0/20", "10.64.1.0/24", "10.64.128.0/24"},
			want: []string{"environments[1].cidr e0 e1 e2 e3"}, msg: [][]string{{"4 environments"}}},
		{name: "b and c disjoint inside a, a listed last", cidrs: []string{"10.64.1.0/24", "10.64.2.0/24", "10.64.0.0/16"},
			want: []string{"environments[1].cidr e0 e1 e2"}, msg: [][]string{{"inside 10.64.0.0/16"}}},
		{name: "two separate groups", cidrs: []string{"10.64.0.0/16", "10.65.0.0/16", "10.64.0.0/24", "10.65.0.0/24", "10.66.0.0/16"},
			want: []string{"environments[2].cidr e0 e2", "environments[3].cidr e1 e3"}},
		{name: "unmasked ranges are grouped by their block", cidrs: []string{"10.64.5.0/16", "10.64.200.0/24"},
			want: []string{"environments[1].cidr e0 e1"}, msg: [][]string{{"inside 10.64.0.0/16", "10.64.5.0/16"}}},
		{name: "IPv6", cidrs: []string{"fd00::/48", "10.64.0.0/16", "fd00:0:0:1::/64"},
			want: []string{"environments[2].cidr e0 e2"}},
		{name: "disjoint: adjacent ranges", cidrs: []string{"10.64.0.0/17", "10.64.128.0/17", "10.65.0.0/16"}},
		{name: "disjoint: last and first address", cidrs: []string{"10.64.255.255/32", "10.65.0.0/32"}},
		{name: "disjoint: IPv4 and IPv4-mapped IPv6", cidrs: []string{"10.64.0.0/16", "::ffff:10.64.0.0/112"}},
		{name: "disjoint: one range", cidrs: []string{"10.64.0.0/16"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := overlapFindings(overlapTopology(tc.cidrs...))
			var desc []string
			for _, f := range got {
				desc = append(desc, f.Path.String()+" "+strings.Join(listedMembers(f), " "))
			}
			if !slices.Equal(desc, tc.want) {
				t.Fatalf("got %q\nwant %q%s", desc, tc.want, describeFindings(got))
			}
			for i, subs := range tc.msg {
				for _, s := range subs {
					if !strings.Contains(got[i].Message, s) {
						t.Errorf("message %q does not contain %q", got[i].Message, s)
					}
				}
			}
		})
	}
}

// TestCIDROverlap150 is issue 8's case: 150 environments on one range made
// 11,175 findings. Now one lists the first members and counts the rest.
func TestCIDROverlap150(t *testing.T) {
	cidrs := make([]string, 150)
	for i := range cidrs {
		cidrs[i] = "10.64.0.0/16"
	}
	got := overlapFindings(overlapTopology(cidrs...))
	if len(got) != 1 {
		t.Fatalf("want one finding, got %d", len(got))
	}
	f := got[0]
	if f.Path.String() != "environments[1].cidr" {
		t.Errorf("finding at %s, want environments[1].cidr", f.Path)
	}
	listed := listedMembers(f)
	if want := []string{"e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"}; !slices.Equal(listed, want) || len(want) != rules.MaxOverlapMembersListed {
		t.Errorf("listed %v, want %v", listed, want)
	}
	for _, s := range []string{"the ranges of 150 environments overlap", ", and 140 more."} {
		if !strings.Contains(f.Message, s) {
			t.Errorf("message %q does not contain %q", f.Message, s)
		}
	}
	if len(f.Detail()) > 2000 {
		t.Errorf("the diagnostic's detail is %d bytes", len(f.Detail()))
	}
}

// TestCIDROverlapGroupsOracle compares the groups with the connected
// components of the pairwise overlap relation (netip's Overlaps, pair by
// pair), on random ranges, and checks that shuffling the environments gives
// the same groups.
func TestCIDROverlapGroupsOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 601))
	grouped := 0
	for run := range 300 {
		n := 2 + r.IntN(rules.MaxOverlapMembersListed-1) // every member listed
		cidrs := make([]string, n)
		for i := range cidrs {
			bits := 14 + r.IntN(6)
			addr := netip.AddrFrom4([4]byte{10, byte(64 + r.IntN(4)), byte(r.IntN(4) * 64), 0})
			cidrs[i] = netip.PrefixFrom(addr, bits).Masked().String()
		}
		want := components(cidrs)
		got := groupsOf(t, overlapTopology(cidrs...))
		if !slices.Equal(got, want) {
			t.Fatalf("run %d, %v: groups %v, want %v", run, cidrs, got, want)
		}
		grouped += len(got)

		perm := r.Perm(n)
		topo := segment.Topology{}
		base := overlapTopology(cidrs...)
		for _, p := range perm {
			topo.Environments = append(topo.Environments, base.Environments[p])
		}
		if again := groupsOf(t, topo); !slices.Equal(again, want) {
			t.Fatalf("run %d: shuffled, groups %v, want %v", run, again, want)
		}
		first := testkit.Must(rules.CheckTopology(topo))
		for range 3 {
			if fmt.Sprint(testkit.Must(rules.CheckTopology(topo))) != fmt.Sprint(first) {
				t.Fatalf("run %d: findings differ between runs", run)
			}
		}
	}
	if grouped < 100 {
		t.Errorf("only %d groups in all runs: the ranges hardly overlap", grouped)
	}
}

// groupsOf returns each SEG601 finding's members as a sorted, joined list of
// names, the lists sorted, checking that the finding sits on the second
// member's cidr.
func groupsOf(t *testing.T, topo segment.Topology) []string {
	t.Helper()
	var out []string
	for _, f := range overlapFindings(topo) {
		m := listedMember.FindAllStringSubmatch(f.Message, -1)
		if len(m) < 2 || f.Path.String() != "environments["+m[1][2]+"].cidr" {
			t.Fatalf("finding at %s lists %v: want it on the second member", f.Path, m)
		}
		var names []string
		for _, x := range m {
			names = append(names, x[1])
		}
		slices.Sort(names)
		out = append(out, strings.Join(names, ","))
	}
	slices.Sort(out)
	return out
}

// components is the oracle: union-find over every overlapping pair.
func components(cidrs []string) []string {
	parent := make([]int, len(cidrs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	for i := range cidrs {
		for j := i + 1; j < len(cidrs); j++ {
			if netip.MustParsePrefix(cidrs[i]).Overlaps(netip.MustParsePrefix(cidrs[j])) {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]string{}
	for i := range cidrs {
		groups[find(i)] = append(groups[find(i)], fmt.Sprintf("e%d", i))
	}
	var out []string
	for _, g := range groups {
		if len(g) > 1 {
			slices.Sort(g)
			out = append(out, strings.Join(g, ","))
		}
	}
	slices.Sort(out)
	return out
}

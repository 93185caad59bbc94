package rules

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// MaxOverlapMembersListed is the number of members a SEG601 finding lists;
// it counts the others.
const MaxOverlapMembersListed = 10

// checkCIDROverlap is SEG601. It reports one finding per overlapping group:
// a connected component of the overlap relation. Prefixes nest or are
// disjoint, so each group is every range inside one outermost range, and a
// sweep over the ranges sorted by address finds the groups in O(n log n),
// whatever the number of overlapping pairs (150 copies of one range make
// 11,175 pairs and one group). Groups are disjoint and have two members or
// more, so there are at most n/2 findings, each listing at most
// MaxOverlapMembersListed members: the output grows with the input, and
// needs no cap of its own.
//
// The finding sits on the cidr of the group's second environment in list
// order, the first whose range collides with one listed before it, as
// SEG601 has always reported a pair on its later member.
func checkCIDROverlap(t segment.Topology) []Finding {
	type item struct {
		index  int
		prefix netip.Prefix // masked
	}
	items := make([]item, 0, len(t.Environments))
	for i, m := range t.Environments {
		if m.Known("cidr") && m.CIDR.IsValid() {
			items = append(items, item{i, m.CIDR.Masked()})
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		// By family, then address, then length: an outermost range comes
		// before every range inside it.
		return cmp.Or(a.prefix.Addr().Compare(b.prefix.Addr()), cmp.Compare(a.prefix.Bits(), b.prefix.Bits()), cmp.Compare(a.index, b.index))
	})
	var out []Finding
	for start := 0; start < len(items); {
		root := items[start].prefix
		end := start + 1
		for end < len(items) && root.Contains(items[end].prefix.Addr()) {
			end++
		}
		if end-start > 1 {
			members := make([]int, 0, end-start)
			for _, it := range items[start:end] {
				members = append(members, it.index)
			}
			slices.Sort(members)
			out = append(out, overlapFinding(t, root, members))
		}
		start = end
	}
	return out
}

// overlapFinding describes one group of environments, sorted by index,
// whose ranges lie inside block.
func overlapFinding(t segment.Topology, block netip.Prefix, members []int) Finding {
	var b strings.Builder
	b.WriteString("the ranges of " + strconv.Itoa(len(members)) + " environments overlap inside " + block.String() + ": ")
	for k, i := range members[:min(len(members), MaxOverlapMembersListed)] {
		if k > 0 {
			b.WriteString(", ")
		}
		m := t.Environments[i]
		b.WriteString(strconv.Quote(m.Name) + " (environments[" + strconv.Itoa(i) + "], " + m.CIDR.String() + ")")
	}
	if left := len(members) - MaxOverlapMembersListed; left > 0 {
		b.WriteString(", and " + strconv.Itoa(left) + " more")
	}
	b.WriteString(". Traffic between them cannot be told apart, and routes for one reach the others.")
	return Finding{Path: envPath(members[1], "cidr"), Message: b.String()}
}

package netplan

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
)

// Named is a prefix with the name of its owner, such as an environment.
type Named struct {
	Name   string
	Prefix netip.Prefix
}

// Overlap is one pair of overlapping prefixes. A sorts before B by name,
// then by position in the input.
type Overlap struct {
	A, B Named
}

// Overlaps returns every pair of overlapping prefixes in prefixes.
//
// CIDR prefixes either nest or are disjoint, so two prefixes overlap exactly
// when one contains the other. Identical prefixes overlap; IPv4 and IPv6
// prefixes never overlap (an IPv4-mapped IPv6 prefix is IPv6); adjacent
// ranges such as 10.0.0.0/16 and 10.1.0.0/16 do not overlap. Prefixes are
// masked before comparison, but the result holds the values as given.
// Invalid prefixes hold no addresses and overlap nothing.
//
// The output is deterministic: pairs are sorted by A.Name, then B.Name, then
// the string forms of A.Prefix and B.Prefix.
//
// Overlaps runs in O(n log n + k) time for n prefixes and k overlapping
// pairs. It never compares all pairs: it sorts the prefixes by family, start
// address and prefix length, then sweeps them while keeping a stack of the
// ranges still open. Because prefixes nest, the open ranges form a chain,
// and each one on the stack overlaps the prefix being visited. The output is
// ordered with a radix sort over precomputed ranks, which keeps the ordering
// linear in k.
func Overlaps(prefixes []Named) []Overlap {
	// Sort the valid prefixes by (family, start, length, input position).
	items := make([]sweepItem, 0, len(prefixes))
	for i, np := range prefixes {
		if np.Prefix.IsValid() {
			items = append(items, sweepItem{index: i, prefix: np.Prefix.Masked()})
		}
	}
	slices.SortFunc(items, func(x, y sweepItem) int {
		if c := x.prefix.Addr().Compare(y.prefix.Addr()); c != 0 {
			return c // orders by family first, then by address
		}
		return cmp.Or(cmp.Compare(x.prefix.Bits(), y.prefix.Bits()), cmp.Compare(x.index, y.index))
	})

	// Sweep. The stack holds a chain of nested prefixes, outermost first;
	// pop those that end before the current prefix starts. Each pop is
	// matched by an earlier push, so the sweep costs O(n + k).
	var pairs [][2]int
	stack := make([]sweepItem, 0, 32)
	for _, it := range items {
		for len(stack) > 0 && !stack[len(stack)-1].prefix.Contains(it.prefix.Addr()) {
			stack = stack[:len(stack)-1]
		}
		for _, open := range stack {
			pairs = append(pairs, [2]int{open.index, it.index})
		}
		stack = append(stack, it)
	}
	if len(pairs) == 0 {
		return nil
	}

	// Rank names and prefix strings so that pairs can be ordered by small
	// integer keys. Equal names (or prefix strings) share a rank.
	nameRank := ranks(prefixes, func(np Named) string { return np.Name })
	prefixRank := ranks(prefixes, func(np Named) string { return np.Prefix.String() })

	// Put the pair's members in order: A before B by name, then by index.
	for i, p := range pairs {
		a, b := p[0], p[1]
		if nameRank[a] > nameRank[b] || (nameRank[a] == nameRank[b] && a > b) {
			pairs[i] = [2]int{b, a}
		}
	}

	// Least-significant-digit radix sort: each pass is a stable counting
	// sort, applied from the least to the most significant key.
	n := len(prefixes)
	tmp := make([][2]int, len(pairs))
	for _, key := range []func(p [2]int) int{
		func(p [2]int) int { return prefixRank[p[1]] },
		func(p [2]int) int { return prefixRank[p[0]] },
		func(p [2]int) int { return nameRank[p[1]] },
		func(p [2]int) int { return nameRank[p[0]] },
	} {
		countingSort(tmp, pairs, n, key)
		pairs, tmp = tmp, pairs
	}

	out := make([]Overlap, len(pairs))
	for i, p := range pairs {
		out[i] = Overlap{A: prefixes[p[0]], B: prefixes[p[1]]}
	}
	return out
}

// sweepItem is one valid, masked prefix with its position in the input.
type sweepItem struct {
	index  int
	prefix netip.Prefix
}

// ranks returns, for each element of list, the rank of key(element) among
// the distinct keys in sorted order.
func ranks(list []Named, key func(Named) string) []int {
	order := make([]int, len(list))
	keys := make([]string, len(list))
	for i, np := range list {
		order[i], keys[i] = i, key(np)
	}
	slices.SortFunc(order, func(x, y int) int { return strings.Compare(keys[x], keys[y]) })
	rank := make([]int, len(list))
	r := 0
	for i, idx := range order {
		if i > 0 && keys[idx] != keys[order[i-1]] {
			r++
		}
		rank[idx] = r
	}
	return rank
}

// countingSort stably sorts src into dst by key, whose values lie in
// [0, n). It runs in O(len(src) + n).
func countingSort(dst, src [][2]int, n int, key func([2]int) int) {
	start := make([]int, n+1)
	for _, p := range src {
		start[key(p)+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	for _, p := range src {
		k := key(p)
		dst[start[k]] = p
		start[k]++
	}
}

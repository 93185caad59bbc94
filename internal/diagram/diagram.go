// Package diagram renders a topology of environments and the flows between
// them as a trust-boundary diagram, in Mermaid or Graphviz DOT. Environments
// are grouped by tier; flows the tier policy denies are drawn dashed and red.
//
// The output depends only on the set of nodes and edges, never on their
// order, so the same topology always renders byte for byte the same. The
// package is pure Go and imports nothing from Terraform.
package diagram

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Node is one environment in a diagram.
type Node struct {
	Name string // environment name, unique in a well-formed topology
	Tier string // development, staging, production, shared, or any other name
	CIDR string // address range, shown under the name; may be empty
}

// Edge is one flow: content of Purpose moving From -> To. Allowed=false
// marks a flow the tier policy denies (drawn dashed/red).
type Edge struct {
	From, To, Purpose string
	Allowed           bool
}

// layout is the renderer-neutral form of a diagram: every node with a
// unique identifier, grouped by tier in drawing order, and the edges
// between identifiers, sorted and without duplicates.
type layout struct {
	groups []group
	loose  []drawnNode // nodes outside any tier group, sorted by name
	edges  []drawnEdge
}

// group is the nodes of one tier, sorted by name.
type group struct {
	tier  string
	nodes []drawnNode
}

// drawnNode is a node as drawn. An unknown node is one that an edge names
// but that is not in the node list.
type drawnNode struct {
	id      string
	name    string
	cidr    string
	unknown bool
}

// drawnEdge is an edge between node identifiers.
type drawnEdge struct {
	from, to string
	purpose  string
	allowed  bool
}

// tierRank orders the tiers of DESIGN.md ahead of any other tier name.
func tierRank(tier string) int {
	if i := slices.Index(segment.Tiers(), segment.Tier(tier)); i >= 0 {
		return i
	}
	return len(segment.Tiers())
}

// compareTiers orders tiers as the diagrams draw them: development,
// staging, production, shared, then any other tier name alphabetically.
func compareTiers(a, b string) int {
	return cmp.Or(cmp.Compare(tierRank(a), tierRank(b)), strings.Compare(a, b))
}

// compareNodes orders nodes by name, then tier, then CIDR, so that the order
// is total and independent of the input order.
func compareNodes(a, b Node) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Tier, b.Tier), strings.Compare(a.CIDR, b.CIDR))
}

// build turns nodes and edges into a layout.
//
// Identical nodes and identical edges are drawn once. Distinct nodes that
// share a name are all drawn, and edges naming that name attach to the first
// of them in (name, tier, CIDR) order. A node with an empty tier, and a node
// that edges name but that is missing from nodes, is drawn outside any tier
// group; the missing one is labelled "name (unknown)".
func build(nodes []Node, edges []Edge) layout {
	sorted := slices.Clone(nodes)
	slices.SortFunc(sorted, compareNodes)
	sorted = slices.Compact(sorted)

	// Names that edges use but no node has.
	known := make(map[string]bool, len(sorted))
	for _, n := range sorted {
		known[n.Name] = true
	}
	var unknownNames []string
	for _, e := range edges {
		for _, name := range []string{e.From, e.To} {
			if !known[name] {
				unknownNames = append(unknownNames, name)
			}
		}
	}
	slices.Sort(unknownNames)
	unknownNames = slices.Compact(unknownNames)

	// Assign identifiers in name order; unknown names never equal a node's
	// name, so merging the two sorted lists gives one deterministic order.
	ids := newIDSet("env_")
	drawn := make([]drawnNode, 0, len(sorted))
	tiers := make([]string, 0, len(sorted))
	idOf := make(map[string]string, len(sorted)+len(unknownNames))
	var loose []drawnNode
	i, j := 0, 0
	for i < len(sorted) || j < len(unknownNames) {
		if j == len(unknownNames) || (i < len(sorted) && sorted[i].Name < unknownNames[j]) {
			n := sorted[i]
			d := drawnNode{id: ids.add(n.Name), name: n.Name, cidr: n.CIDR}
			if _, ok := idOf[n.Name]; !ok {
				idOf[n.Name] = d.id
			}
			if n.Tier == "" {
				loose = append(loose, d)
			} else {
				drawn = append(drawn, d)
				tiers = append(tiers, n.Tier)
			}
			i++
			continue
		}
		name := unknownNames[j]
		d := drawnNode{id: ids.add(name), name: name, unknown: true}
		idOf[name] = d.id
		loose = append(loose, d)
		j++
	}

	// Group by tier, keeping name order inside each group.
	byTier := make(map[string][]drawnNode)
	for k, d := range drawn {
		byTier[tiers[k]] = append(byTier[tiers[k]], d)
	}
	tierNames := make([]string, 0, len(byTier))
	for t := range byTier {
		tierNames = append(tierNames, t)
	}
	slices.SortFunc(tierNames, compareTiers)
	var l layout
	for _, t := range tierNames {
		l.groups = append(l.groups, group{tier: t, nodes: byTier[t]})
	}
	l.loose = loose

	// Edges, sorted by (from, to, purpose) names; a denied duplicate of an
	// allowed edge sorts after it.
	es := slices.Clone(edges)
	slices.SortFunc(es, func(a, b Edge) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To),
			strings.Compare(a.Purpose, b.Purpose), compareBool(!a.Allowed, !b.Allowed))
	})
	es = slices.Compact(es)
	l.edges = make([]drawnEdge, len(es))
	for k, e := range es {
		l.edges[k] = drawnEdge{from: idOf[e.From], to: idOf[e.To], purpose: e.Purpose, allowed: e.Allowed}
	}
	return l
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// idSet hands out identifiers that are unique and made only of
// [A-Za-z0-9_]: the prefix and the name with every other byte replaced by
// '_', and on a collision the first free of that with _2, _3, ... appended.
type idSet struct {
	prefix string
	used   map[string]bool
}

func newIDSet(prefix string) *idSet {
	return &idSet{prefix: prefix, used: make(map[string]bool)}
}

// add returns a new identifier for name.
func (s *idSet) add(name string) string {
	base := s.prefix + sanitize(name)
	id := base
	for n := 2; s.used[id]; n++ {
		id = base + "_" + strconv.Itoa(n)
	}
	s.used[id] = true
	return id
}

func isIdentByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// sanitize replaces every byte outside [A-Za-z0-9_] with '_'. A multi-byte
// UTF-8 character therefore becomes several underscores, which keeps the
// mapping simple and deterministic.
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !isIdentByte(c) {
			b[i] = '_'
		}
	}
	return string(b)
}

package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// SEG607 follows chains of flows. A chain is a path of two or more flows of
// one content kind that visits no environment twice: content passes along a
// chain only when every link carries the same kind (segment.FlowPurpose
// Content). For every production source, lower-tier target and content kind
// that some chain connects, it reports one finding, naming one shortest such
// chain, whether or not a direct flow also connects them (that one is
// SEG602's), and also when the chain passes through another production
// environment: production content stays production content.
//
// The finding sits on the chain's last flow, the one that carries the
// content into the lower tier: it differs from target to target, so every
// finding lands on its own line, and the message names every link with its
// index, so each one can be found.
//
// Cost: one breadth-first search per production source and content kind,
// O(P·(V+E)); a second search, without the target, for each target that a
// direct flow from the source also reaches, at most one per flow.

// chainGraph holds the flows of one content kind as adjacency lists of flow
// indexes, in flow order, between environment indexes.
type chainGraph struct {
	out [][]int // environment -> indexes of flows leaving it
	in  [][]int // environment -> indexes of flows entering it
}

// chainSearch is a reusable breadth-first search over a chainGraph. Visited
// marks are stamped with a generation, so a search costs what it visits,
// not the size of the topology.
type chainSearch struct {
	t      segment.Topology
	byName map[string]int
	g      chainGraph
	stamp  []int // environment -> generation in which it was reached
	via    []int // environment -> the flow that reached it, or -1 for the source
	dist   []int
	gen    int
	queue  []int
}

func checkProductionChains(t segment.Topology) []Finding {
	byName, _ := environmentsByName(t)
	graphs := map[string]*chainGraph{}
	for i, f := range t.Flows {
		from, okFrom := byName[f.From]
		to, okTo := byName[f.To]
		if !okFrom || !okTo || !knownFlow(f) || from == to {
			continue
		}
		c := f.Purpose.Content()
		g := graphs[c]
		if g == nil {
			g = &chainGraph{out: make([][]int, len(t.Environments)), in: make([][]int, len(t.Environments))}
			graphs[c] = g
		}
		g.out[from] = append(g.out[from], i)
		g.in[to] = append(g.in[to], i)
	}
	contents := make([]string, 0, len(graphs))
	for c := range graphs {
		contents = append(contents, c)
	}
	slices.Sort(contents)

	n := len(t.Environments)
	s := &chainSearch{t: t, byName: byName, stamp: make([]int, n), via: make([]int, n), dist: make([]int, n)}
	var out []Finding
	for _, c := range contents {
		s.g = *graphs[c]
		for src, m := range t.Environments {
			if i, named := byName[m.Name]; named && i == src && m.Known("tier") && m.Tier == segment.Production {
				out = append(out, s.fromSource(src, c)...)
			}
		}
	}
	return out
}

// bfs searches from src without ever entering src again or entering avoid
// (-1 for none). It stops early when stop reports true for a reached
// environment, and returns that environment, or -1.
func (s *chainSearch) bfs(src, avoid int, stop func(int) bool) int {
	s.gen++
	s.stamp[src], s.via[src], s.dist[src] = s.gen, -1, 0
	s.queue = append(s.queue[:0], src)
	for head := 0; head < len(s.queue); head++ {
		n := s.queue[head]
		if n != src && stop != nil && stop(n) {
			return n
		}
		for _, fi := range s.g.out[n] {
			to := s.byName[s.t.Flows[fi].To]
			if to == avoid || s.stamp[to] == s.gen {
				continue
			}
			s.stamp[to], s.via[to], s.dist[to] = s.gen, fi, s.dist[n]+1
			s.queue = append(s.queue, to)
		}
	}
	return -1
}

// pathTo returns the flows from the last search's source to n, in order.
func (s *chainSearch) pathTo(n int) []int {
	var flows []int
	for s.via[n] >= 0 {
		flows = append(flows, s.via[n])
		n = s.byName[s.t.Flows[s.via[n]].From]
	}
	slices.Reverse(flows)
	return flows
}

// fromSource reports every lower-tier environment that a chain of content c
// connects to the production environment src.
func (s *chainSearch) fromSource(src int, c string) []Finding {
	s.bfs(src, -1, nil)
	type reached struct {
		target int
		chain  []int // flows; nil until found
		direct int   // a direct flow from src, or -1
	}
	var targets []reached
	for _, n := range s.queue[1:] {
		m := s.t.Environments[n]
		if !m.Known("tier") || !m.Tier.Lower() {
			continue
		}
		r := reached{target: n, direct: -1}
		if s.dist[n] >= 2 {
			r.chain = s.pathTo(n)
		} else {
			r.direct = s.via[n]
		}
		targets = append(targets, r)
	}
	var out []Finding
	for _, r := range targets {
		if r.chain == nil {
			// A direct flow reaches the target first. The shortest chain of
			// two or more links avoids the target until its last link: the
			// nearest environment other than src with a flow into it.
			into := map[int]int{}
			for _, fi := range s.g.in[r.target] {
				if from := s.byName[s.t.Flows[fi].From]; from != src {
					if _, dup := into[from]; !dup {
						into[from] = fi
					}
				}
			}
			if len(into) == 0 {
				continue
			}
			p := s.bfs(src, r.target, func(n int) bool { _, ok := into[n]; return ok })
			if p < 0 {
				continue
			}
			r.chain = append(s.pathTo(p), into[p])
		}
		out = append(out, s.chainFinding(src, r.target, c, r.chain, r.direct))
	}
	return out
}

// chainFinding writes the finding of one chain. Large topologies give
// thousands, so it builds the message in one buffer.
func (s *chainSearch) chainFinding(src, target int, c string, chain []int, direct int) Finding {
	m := s.t.Environments[target]
	var b strings.Builder
	b.WriteString("production " + c + " of " + strconv.Quote(s.t.Environments[src].Name) + " reaches " + string(m.Tier) +
		" environment " + strconv.Quote(m.Name) + " through " + s.t.Environments[src].Name)
	for _, fi := range chain {
		b.WriteString(" -> " + s.t.Flows[fi].To)
	}
	for i, fi := range chain {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		b.WriteString("flows[" + strconv.Itoa(fi) + "]")
	}
	b.WriteString(").")
	if direct >= 0 {
		b.WriteString(" The direct flows[" + strconv.Itoa(direct) + "] carries it there too (SEG602).")
	}
	return Finding{Path: Root("flows").Index(chain[len(chain)-1]), Message: b.String()}
}

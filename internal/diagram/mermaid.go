package diagram

import (
	"strconv"
	"strings"
)

// deniedColor is the colour of denied flows in both renderings.
const deniedColor = "#d62728"

// Mermaid renders a trust-boundary diagram as a Mermaid flowchart (flowchart
// LR).
//
// Each tier that has environments is a subgraph titled with the tier, in the
// order development, staging, production, shared, then any other tier name
// alphabetically. Inside it the environments are sorted by name and labelled
// with the name and the CIDR:
//
//	env_prod["prod<br/>10.66.0.0/16"]
//
// Edges are sorted by (from, to, purpose) and labelled with the purpose:
//
//	env_dev -- "model-promotion" --> env_staging
//
// A denied edge is drawn dashed and red, and its label says so:
//
//	env_prod -. "model-promotion (denied)" .-> env_dev
//
// Node identifiers are "env_" and the name with every character outside
// [A-Za-z0-9_] replaced by '_'; names that collide after that get _2, _3,
// ... in name order. An edge that names a missing environment gets a node of
// its own, outside any subgraph, labelled "name (unknown)"; so does an
// environment with an empty tier, labelled with its name and CIDR. Labels
// are escaped with Mermaid entity codes, so any name is safe.
//
// The output ends with a newline and is the same, byte for byte, for the
// same nodes and edges in any order.
func Mermaid(nodes []Node, edges []Edge) string {
	l := build(nodes, edges)
	var b strings.Builder
	b.WriteString("flowchart LR\n")

	subgraphIDs := newIDSet("tier_")
	for _, g := range l.groups {
		b.WriteString("  subgraph " + subgraphIDs.add(g.tier) + "[\"" + mermaidEscape(g.tier) + "\"]\n")
		for _, n := range g.nodes {
			b.WriteString("    " + mermaidNode(n) + "\n")
		}
		b.WriteString("  end\n")
	}
	for _, n := range l.loose {
		b.WriteString("  " + mermaidNode(n) + "\n")
	}

	var denied []string
	for i, e := range l.edges {
		label := mermaidEscape(e.purpose)
		if e.allowed {
			b.WriteString("  " + e.from + " -- \"" + label + "\" --> " + e.to + "\n")
		} else {
			b.WriteString("  " + e.from + " -. \"" + label + " (denied)\" .-> " + e.to + "\n")
			denied = append(denied, strconv.Itoa(i))
		}
	}
	if len(denied) > 0 {
		b.WriteString("  linkStyle " + strings.Join(denied, ",") + " stroke:" + deniedColor + ",color:" + deniedColor + "\n")
	}
	if hasUnknown(l.loose) {
		b.WriteString("  classDef unknown stroke-dasharray:4 4\n")
		for _, n := range l.loose {
			if n.unknown {
				b.WriteString("  class " + n.id + " unknown\n")
			}
		}
	}
	return b.String()
}

// mermaidNode renders a node statement.
func mermaidNode(n drawnNode) string {
	label := mermaidEscape(n.name)
	switch {
	case n.unknown:
		label += " (unknown)"
	case n.cidr != "":
		label += "<br/>" + mermaidEscape(n.cidr)
	}
	return n.id + "[\"" + label + "\"]"
}

func hasUnknown(nodes []drawnNode) bool {
	for _, n := range nodes {
		if n.unknown {
			return true
		}
	}
	return false
}

// mermaidReplacer escapes text for a double-quoted Mermaid label. Quotes
// would end the label, '<', '>' and '&' would be read as HTML, '#' starts an
// entity code and '`' a Markdown string, so all become entity codes. Line
// breaks and tabs become spaces: a label stays on its statement's line.
var mermaidReplacer = strings.NewReplacer(
	`"`, "#quot;",
	"#", "#35;",
	"&", "#amp;",
	"<", "#lt;",
	">", "#gt;",
	"`", "#96;",
	"\r\n", " ",
	"\n", " ",
	"\r", " ",
	"\t", " ",
)

// mermaidEscape returns s as it may appear inside a double-quoted Mermaid
// label: valid UTF-8, on one line, with the special characters as entities.
func mermaidEscape(s string) string {
	if plain(s, "\"#&<>`") {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = mermaidReplacer.Replace(s)
	// Other control characters have no place in a label.
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
}

// plain reports whether s is printable ASCII without any of the bytes in
// special, and so needs no escaping.
func plain(s, special string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || strings.IndexByte(special, c) >= 0 {
			return false
		}
	}
	return true
}

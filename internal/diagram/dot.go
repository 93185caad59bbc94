package diagram

import (
	"strings"
)

// DOT renders the same diagram as Mermaid in Graphviz DOT:
//
//	digraph topology {
//	  rankdir=LR;
//	  subgraph "cluster_production" {
//	    label="production";
//	    "env_prod" [label="prod\n10.66.0.0/16"];
//	  }
//	  "env_staging" -> "env_prod" [label="model-promotion"];
//	  "env_prod" -> "env_dev" [label="model-promotion (denied)", style=dashed, color=red, fontcolor=red];
//	}
//
// Each tier that has environments is a cluster labelled with the tier, in
// the same order as in Mermaid; node identifiers are the same as in Mermaid.
// Every identifier and label is a double-quoted DOT string with backslashes
// and double quotes escaped, so any name is safe.
//
// The output ends with a newline and is the same, byte for byte, for the
// same nodes and edges in any order.
func DOT(nodes []Node, edges []Edge) string {
	l := build(nodes, edges)
	var b strings.Builder
	b.WriteString("digraph topology {\n")
	b.WriteString("  rankdir=LR;\n")
	b.WriteString("  node [shape=box];\n")
	for _, g := range l.groups {
		b.WriteString("  subgraph " + dotQuote("cluster_"+g.tier) + " {\n")
		b.WriteString("    label=" + dotQuote(g.tier) + ";\n")
		for _, n := range g.nodes {
			b.WriteString("    " + dotNode(n) + "\n")
		}
		b.WriteString("  }\n")
	}
	for _, n := range l.loose {
		b.WriteString("  " + dotNode(n) + "\n")
	}
	for _, e := range l.edges {
		b.WriteString("  " + dotQuote(e.from) + " -> " + dotQuote(e.to))
		if e.allowed {
			b.WriteString(" [label=" + dotQuote(e.purpose) + "];\n")
		} else {
			b.WriteString(" [label=" + dotQuote(e.purpose+" (denied)") + ", style=dashed, color=red, fontcolor=red];\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotNode renders a node statement.
func dotNode(n drawnNode) string {
	switch {
	case n.unknown:
		return dotQuote(n.id) + " [label=" + dotQuote(n.name+" (unknown)") + ", style=dashed];"
	case n.cidr != "":
		// The \n between the parts is DOT's line-break escape, not an
		// escaped character of either part.
		return dotQuote(n.id) + " [label=\"" + dotEscape(n.name) + `\n` + dotEscape(n.cidr) + "\"];"
	}
	return dotQuote(n.id) + " [label=" + dotQuote(n.name) + "];"
}

// dotQuote returns s as a double-quoted DOT string.
func dotQuote(s string) string { return `"` + dotEscape(s) + `"` }

// dotReplacer escapes text for a double-quoted DOT string. Backslashes are
// doubled so that label escapes such as \n, \l or \N in a name stay literal,
// quotes are escaped, and line breaks become DOT's \n.
var dotReplacer = strings.NewReplacer(
	`\`, `\\`,
	`"`, `\"`,
	"\r\n", `\n`,
	"\n", `\n`,
	"\r", `\n`,
)

// dotEscape returns s as it may appear between the quotes of a DOT string:
// valid UTF-8, on one line, with backslashes and quotes escaped.
func dotEscape(s string) string {
	if plain(s, `\"`) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = dotReplacer.Replace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

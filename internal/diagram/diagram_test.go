package diagram

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// topology is the four-environment example of DESIGN.md, with one flow the
// tier policy denies.
func topology() ([]Node, []Edge) {
	nodes := []Node{
		{Name: "dev", Tier: "development", CIDR: "10.64.0.0/16"},
		{Name: "staging", Tier: "staging", CIDR: "10.65.0.0/16"},
		{Name: "prod", Tier: "production", CIDR: "10.66.0.0/16"},
		{Name: "shared", Tier: "shared", CIDR: "10.67.0.0/16"},
	}
	edges := []Edge{
		{From: "dev", To: "staging", Purpose: "model-promotion", Allowed: true},
		{From: "staging", To: "prod", Purpose: "model-promotion", Allowed: true},
		{From: "prod", To: "shared", Purpose: "telemetry", Allowed: true},
		{From: "shared", To: "prod", Purpose: "deploy", Allowed: true},
		{From: "prod", To: "dev", Purpose: "model-promotion", Allowed: false},
	}
	return nodes, edges
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test -update if the change is intended)\n--- got\n%s--- want\n%s", name, got, want)
	}
}

func TestMermaidGolden(t *testing.T) {
	nodes, edges := topology()
	golden(t, "topology.mmd", Mermaid(nodes, edges))
}

func TestDOTGolden(t *testing.T) {
	nodes, edges := topology()
	golden(t, "topology.dot", DOT(nodes, edges))
}

func TestMermaidShape(t *testing.T) {
	nodes, edges := topology()
	got := Mermaid(nodes, edges)
	for _, want := range []string{
		"flowchart LR\n",
		`env_prod["prod<br/>10.66.0.0/16"]`,
		`env_dev -- "model-promotion" --> env_staging`,
		`env_prod -. "model-promotion (denied)" .-> env_dev`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Mermaid output lacks %q:\n%s", want, got)
		}
	}
	// Tier order: development, staging, production, shared.
	last := -1
	for _, tier := range []string{"development", "staging", "production", "shared"} {
		i := strings.Index(got, `subgraph tier_`+tier+`["`+tier+`"]`)
		if i < 0 || i < last {
			t.Errorf("subgraph %s missing or out of order:\n%s", tier, got)
		}
		last = i
	}
}

func TestTierOrder(t *testing.T) {
	nodes := []Node{
		{Name: "z", Tier: "zeta"},
		{Name: "a", Tier: "alpha"},
		{Name: "s", Tier: "shared"},
		{Name: "d", Tier: "development"},
		{Name: "p", Tier: "production"},
	}
	var tiers []string
	for line := range strings.Lines(Mermaid(nodes, nil)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "subgraph tier_"); ok {
			tiers = append(tiers, rest[:strings.IndexByte(rest, '[')])
		}
	}
	want := []string{"development", "production", "shared", "alpha", "zeta"}
	if !slices.Equal(tiers, want) {
		t.Errorf("tier order %v, want %v", tiers, want)
	}
}

func TestDeterminism(t *testing.T) {
	nodes, edges := topology()
	// Extra parts that exercise the tie-breakers: a duplicate node, a name
	// shared by two distinct nodes, an edge to a missing node and the same
	// flow both allowed and denied.
	nodes = append(nodes,
		Node{Name: "dev", Tier: "development", CIDR: "10.64.0.0/16"},
		Node{Name: "twin", Tier: "staging", CIDR: "10.70.0.0/16"},
		Node{Name: "twin", Tier: "development", CIDR: "10.71.0.0/16"},
		Node{Name: "loose", CIDR: "10.72.0.0/16"},
	)
	edges = append(edges,
		Edge{From: "ghost", To: "prod", Purpose: "deploy"},
		Edge{From: "twin", To: "prod", Purpose: "telemetry", Allowed: true},
		Edge{From: "twin", To: "prod", Purpose: "telemetry"},
		Edge{From: "dev", To: "staging", Purpose: "model-promotion", Allowed: true},
	)
	wantM, wantD := Mermaid(nodes, edges), DOT(nodes, edges)
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		n, e := slices.Clone(nodes), slices.Clone(edges)
		r.Shuffle(len(n), func(i, j int) { n[i], n[j] = n[j], n[i] })
		r.Shuffle(len(e), func(i, j int) { e[i], e[j] = e[j], e[i] })
		if got := Mermaid(n, e); got != wantM {
			t.Fatalf("Mermaid depends on input order:\n%s\nvs\n%s", got, wantM)
		}
		if got := DOT(n, e); got != wantD {
			t.Fatalf("DOT depends on input order:\n%s\nvs\n%s", got, wantD)
		}
	}
	// The duplicates are drawn once.
	if c := strings.Count(wantM, `"dev<br/>`); c != 1 {
		t.Errorf("duplicate node drawn %d times:\n%s", c, wantM)
	}
	if c := strings.Count(wantM, `env_dev -- "model-promotion" --> env_staging`); c != 1 {
		t.Errorf("duplicate edge drawn %d times:\n%s", c, wantM)
	}
}

func TestUnknownAndLooseNodes(t *testing.T) {
	nodes := []Node{{Name: "prod", Tier: "production", CIDR: "10.66.0.0/16"}, {Name: "tierless", CIDR: "10.1.0.0/16"}}
	edges := []Edge{{From: "ghost", To: "prod", Purpose: "deploy", Allowed: true}}
	m := Mermaid(nodes, edges)
	for _, want := range []string{
		"  env_ghost[\"ghost (unknown)\"]\n", // outside any subgraph: two-space indent
		"  env_tierless[\"tierless<br/>10.1.0.0/16\"]\n",
		`env_ghost -- "deploy" --> env_prod`,
		"class env_ghost unknown",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("Mermaid lacks %q:\n%s", want, m)
		}
	}
	if strings.Count(m, "subgraph ") != 1 {
		t.Errorf("want one subgraph:\n%s", m)
	}
	d := DOT(nodes, edges)
	for _, want := range []string{
		"  \"env_ghost\" [label=\"ghost (unknown)\", style=dashed];\n",
		`"env_ghost" -> "env_prod" [label="deploy"];`,
	} {
		if !strings.Contains(d, want) {
			t.Errorf("DOT lacks %q:\n%s", want, d)
		}
	}
}

func TestIdentifiers(t *testing.T) {
	tests := []struct {
		names []string
		want  []string // identifier of each name, in the same order
	}{
		{[]string{"prod"}, []string{"env_prod"}},
		{[]string{"ml-prod.eu"}, []string{"env_ml_prod_eu"}},
		{[]string{"a b", "a_b", "a-b"}, []string{"env_a_b", "env_a_b_3", "env_a_b_2"}}, // "a b" < "a-b" < "a_b"
		{[]string{"a b", "a_b", "a_b_2"}, []string{"env_a_b", "env_a_b_2", "env_a_b_2_2"}},
		{[]string{"é"}, []string{"env___"}}, // two UTF-8 bytes
		{[]string{""}, []string{"env_"}},
		{[]string{"end"}, []string{"env_end"}},
	}
	for _, tt := range tests {
		var nodes []Node
		for _, n := range tt.names {
			nodes = append(nodes, Node{Name: n, Tier: "staging"})
		}
		l := build(nodes, nil)
		got := map[string]string{}
		for _, n := range l.groups[0].nodes {
			got[n.name] = n.id
		}
		for i, name := range tt.names {
			if got[name] != tt.want[i] {
				t.Errorf("names %q: id of %q = %q, want %q", tt.names, name, got[name], tt.want[i])
			}
		}
	}
}

func TestMermaidEscaping(t *testing.T) {
	nodes := []Node{
		{Name: `say "hi"`, Tier: `tier [x]`, CIDR: "10.0.0.0/16"},
		{Name: "a<b>&c#1`", Tier: "staging", CIDR: "10.1.0.0/16"},
		{Name: "line\nbreak]", Tier: "staging"},
	}
	edges := []Edge{{From: `say "hi"`, To: "a<b>&c#1`", Purpose: `x" --> y`, Allowed: true}}
	got := Mermaid(nodes, edges)
	for _, want := range []string{
		`subgraph tier_tier__x_["tier [x]"]`,
		`env_say__hi_["say #quot;hi#quot;<br/>10.0.0.0/16"]`,
		`env_a_b__c_1_["a#lt;b#gt;#amp;c#35;1#96;<br/>10.1.0.0/16"]`,
		`env_line_break_["line break]"]`,
		`env_say__hi_ -- "x#quot; --#gt; y" --> env_a_b__c_1_`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Mermaid lacks %q:\n%s", want, got)
		}
	}
	checkMermaid(t, got)
}

func TestDOTEscaping(t *testing.T) {
	nodes := []Node{
		{Name: `say "hi"`, Tier: `tier "x" \ y`, CIDR: "10.0.0.0/16"},
		{Name: `back\slash\n`, Tier: "staging"},
		{Name: "two\nlines", Tier: "staging", CIDR: "10.2.0.0/16"},
	}
	edges := []Edge{{From: `say "hi"`, To: `back\slash\n`, Purpose: `p"q\`}}
	got := DOT(nodes, edges)
	for _, want := range []string{
		`subgraph "cluster_tier \"x\" \\ y" {`,
		`label="tier \"x\" \\ y";`,
		`"env_say__hi_" [label="say \"hi\"\n10.0.0.0/16"];`,
		`"env_back_slash_n" [label="back\\slash\\n"];`,
		`"env_two_lines" [label="two\nlines\n10.2.0.0/16"];`,
		`"env_say__hi_" -> "env_back_slash_n" [label="p\"q\\ (denied)", style=dashed, color=red, fontcolor=red];`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("DOT lacks %q:\n%s", want, got)
		}
	}
	checkDOT(t, got)
}

func TestEmpty(t *testing.T) {
	if got, want := Mermaid(nil, nil), "flowchart LR\n"; got != want {
		t.Errorf("Mermaid(nil, nil) = %q, want %q", got, want)
	}
	if got, want := DOT(nil, nil), "digraph topology {\n  rankdir=LR;\n  node [shape=box];\n}\n"; got != want {
		t.Errorf("DOT(nil, nil) = %q, want %q", got, want)
	}
}

// TestDOTParsesWithGraphviz feeds the DOT output to Graphviz, when it is
// installed, to check that it parses.
func TestDOTParsesWithGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz is absent (no dot in PATH): skipping the check that Graphviz parses the DOT output")
	}
	nodes, edges := topology()
	nodes = append(nodes, Node{Name: `odd "name" [x] \ y`, Tier: `tier "q"`, CIDR: "10.9.0.0/16"},
		Node{Name: "two\nlines\\n", Tier: "staging"})
	edges = append(edges, Edge{From: `odd "name" [x] \ y`, To: "ghost", Purpose: `p"\`})
	for name, src := range map[string]string{"topology": DOT(topology()), "odd names": DOT(nodes, edges)} {
		cmd := exec.Command(dot, "-Tcanon")
		cmd.Stdin = strings.NewReader(src)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%s: dot rejects the output: %v\n%s\n%s", name, err, stderr.String(), src)
		}
	}
}

// checkMermaid checks the structure of Mermaid output: it ends with a
// newline, subgraph and end lines balance and never nest, and every line
// holds an even number of double quotes (each label is closed).
func checkMermaid(t testing.TB, s string) {
	t.Helper()
	if !strings.HasSuffix(s, "\n") {
		t.Fatalf("output does not end with a newline: %q", s)
	}
	depth := 0
	for line := range strings.Lines(s) {
		l := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(l, "subgraph "):
			depth++
			if depth > 1 {
				t.Fatalf("nested subgraph:\n%s", s)
			}
		case l == "end":
			depth--
			if depth < 0 {
				t.Fatalf("end without subgraph:\n%s", s)
			}
		}
		if strings.Count(l, `"`)%2 != 0 {
			t.Fatalf("unbalanced quotes in %q:\n%s", l, s)
		}
	}
	if depth != 0 {
		t.Fatalf("%d subgraphs not closed:\n%s", depth, s)
	}
}

// checkDOT checks the structure of DOT output with a small lexer: it ends
// with a newline, every quoted string is closed on its line, and braces
// outside strings balance, with one cluster per subgraph line.
func checkDOT(t testing.TB, s string) {
	t.Helper()
	if !strings.HasSuffix(s, "\n") || !strings.HasPrefix(s, "digraph topology {\n") {
		t.Fatalf("output is not a digraph ending with a newline: %q", s)
	}
	depth, subgraphs, closes := 0, 0, 0
	for line := range strings.Lines(s) {
		if strings.HasPrefix(strings.TrimSpace(line), "subgraph ") {
			subgraphs++
		}
		if strings.TrimSpace(line) == "}" {
			closes++
		}
		inString := false
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case inString && c == '\\':
				i++ // skip the escaped character
			case c == '"':
				inString = !inString
			case !inString && c == '{':
				depth++
			case !inString && c == '}':
				depth--
				if depth < 0 {
					t.Fatalf("unbalanced braces:\n%s", s)
				}
			}
		}
		if inString {
			t.Fatalf("string not closed on line %q:\n%s", line, s)
		}
	}
	if depth != 0 || closes != subgraphs+1 {
		t.Fatalf("unbalanced braces (depth %d, %d subgraphs, %d closing lines):\n%s", depth, subgraphs, closes, s)
	}
}

// fuzzInput makes a small topology out of fuzzed strings.
func fuzzInput(a, b, c, d string, allowed bool) ([]Node, []Edge) {
	nodes := []Node{{Name: a, Tier: b, CIDR: c}, {Name: b, Tier: a, CIDR: d}, {Name: c, Tier: "production", CIDR: a}, {Name: d}}
	edges := []Edge{
		{From: a, To: b, Purpose: c, Allowed: allowed},
		{From: b, To: d, Purpose: a, Allowed: !allowed},
		{From: d, To: c, Purpose: b},
		{From: a, To: b, Purpose: c, Allowed: !allowed},
	}
	return nodes, edges
}

func addFuzzSeeds(f *testing.F) {
	f.Add("dev", "development", "10.64.0.0/16", "prod", true)
	f.Add(`a "b"`, "tier [x]", "a_b", "a b", false)
	f.Add("end", "subgraph", "\nend\n", "}", true)
	f.Add("\xff\xfe", "\\", "\"", "#quot;", false)
	f.Add("", "", "", "", true)
}

func FuzzMermaid(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, a, b, c, d string, allowed bool) {
		nodes, edges := fuzzInput(a, b, c, d, allowed)
		got := Mermaid(nodes, edges)
		checkMermaid(t, got)
		slices.Reverse(nodes)
		slices.Reverse(edges)
		if again := Mermaid(nodes, edges); again != got {
			t.Fatalf("output depends on input order:\n%s\nvs\n%s", got, again)
		}
	})
}

func FuzzDOT(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, a, b, c, d string, allowed bool) {
		nodes, edges := fuzzInput(a, b, c, d, allowed)
		got := DOT(nodes, edges)
		checkDOT(t, got)
		slices.Reverse(nodes)
		slices.Reverse(edges)
		if again := DOT(nodes, edges); again != got {
			t.Fatalf("output depends on input order:\n%s\nvs\n%s", got, again)
		}
	})
}

// benchTopology is n environments across the four tiers, with two flows
// from each.
func benchTopology(n int) ([]Node, []Edge) {
	tiers := []string{"development", "staging", "production", "shared"}
	nodes := make([]Node, n)
	edges := make([]Edge, 0, 2*n)
	for i := range n {
		nodes[i] = Node{Name: "env-" + strconv.Itoa(i), Tier: tiers[i%4], CIDR: "10." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256) + ".0/24"}
		edges = append(edges,
			Edge{From: nodes[i].Name, To: "env-" + strconv.Itoa((i+1)%n), Purpose: "telemetry", Allowed: true},
			Edge{From: nodes[i].Name, To: "env-" + strconv.Itoa((i*7+3)%n), Purpose: "model-promotion", Allowed: i%3 != 0})
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(n, func(i, j int) { nodes[i], nodes[j] = nodes[j], nodes[i] })
	return nodes, edges
}

func BenchmarkMermaid(b *testing.B) {
	nodes, edges := benchTopology(1000)
	b.ReportAllocs()
	for b.Loop() {
		Mermaid(nodes, edges)
	}
}

func BenchmarkDOT(b *testing.B) {
	nodes, edges := benchTopology(1000)
	b.ReportAllocs()
	for b.Loop() {
		DOT(nodes, edges)
	}
}

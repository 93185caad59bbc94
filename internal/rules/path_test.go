package rules

import (
	"slices"
	"testing"
)

func TestPathString(t *testing.T) {
	tests := []struct {
		path Path
		want string
	}{
		{nil, ""},
		{Root("cidr"), "cidr"},
		{Root("gpu_node_pools").Index(1).Attr("name"), "gpu_node_pools[1].name"},
		{Root("ingress").Index(0).Attr("from_cidrs").Index(0), "ingress[0].from_cidrs[0]"},
		{Root("a").Attr("b").Attr("c"), "a.b.c"},
		{Root("a").Index(2).Index(3), "a[2][3]"},
		{Root("a").Index(10), "a[10]"},
		{Path{{Index: 3, IsIndex: true}}, "[3]"},
	}
	for _, tt := range tests {
		if got := tt.path.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestPathSteps(t *testing.T) {
	p := Root("gpu_node_pools").Index(1).Attr("name")
	want := Path{{Name: "gpu_node_pools"}, {Index: 1, IsIndex: true}, {Name: "name"}}
	if !slices.Equal(p, want) {
		t.Errorf("steps = %#v, want %#v", p, want)
	}
}

// TestPathNoAliasing: extending a path never changes it, and two extensions
// of one path never share their new steps, even when the path has spare
// capacity that append could reuse.
func TestPathNoAliasing(t *testing.T) {
	p := Root("a")
	q := p.Index(1)
	r := p.Attr("b")
	if p.String() != "a" || q.String() != "a[1]" || r.String() != "a.b" {
		t.Errorf("p, q, r = %q, %q, %q; want a, a[1], a.b", p, q, r)
	}

	spare := make(Path, 1, 8)
	spare[0] = Step{Name: "root"}
	x := spare.Attr("x")
	y := spare.Attr("y")
	z := spare.Index(7)
	if x.String() != "root.x" || y.String() != "root.y" || z.String() != "root[7]" || spare.String() != "root" || len(spare) != 1 {
		t.Errorf("with spare capacity: x, y, z, p = %q, %q, %q, %q", x, y, z, spare)
	}

	base := Root("ingress").Index(0)
	a := base.Attr("from_cidrs").Index(0)
	b := base.Attr("from_cidrs").Index(1)
	c := base.Attr("port")
	if a.String() != "ingress[0].from_cidrs[0]" || b.String() != "ingress[0].from_cidrs[1]" || c.String() != "ingress[0].port" {
		t.Errorf("a, b, c = %q, %q, %q", a, b, c)
	}
	a[0].Name = "mutated"
	if base.String() != "ingress[0]" || c.String() != "ingress[0].port" {
		t.Errorf("mutating an extension changed the original: base %q, c %q", base, c)
	}
}

func TestParsePath(t *testing.T) {
	good := []string{"cidr", "gpu_node_pools[1].name", "ingress[0].from_cidrs[0]", "a[2][3]", "environments[*].tier", "waivers[*].rule"}
	for _, s := range good {
		p, err := ParsePath(s)
		if err != nil {
			t.Errorf("ParsePath(%q): %v", s, err)
			continue
		}
		if p.String() != s {
			t.Errorf("ParsePath(%q).String() = %q", s, p.String())
		}
	}
	bad := []string{"", ".", "a.", "a..b", "a[", "a[]", "a[-1]", "a[01]", "a[x]", "a[0]b", "A", "1a", "a.b-c", "a[0]]"}
	for _, s := range bad {
		if p, err := ParsePath(s); err == nil {
			t.Errorf("ParsePath(%q) = %v, want an error", s, p)
		}
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		selector, unknown string
		want              bool
	}{
		{"cidr", "cidr", true},
		{"cidr", "tier", false},
		{"gpu_node_pools[*].max_size", "gpu_node_pools", true},    // the whole list
		{"gpu_node_pools[*].max_size", "gpu_node_pools[2]", true}, // an element
		{"gpu_node_pools[*].max_size", "gpu_node_pools[2].max_size", true},
		{"gpu_node_pools[*].max_size", "gpu_node_pools[2].min_size", false},
		{"ingress[*].from_cidrs", "ingress[0].from_cidrs[1]", true}, // inside the read value
		{"ingress[*].port", "ingress[0].from_cidrs[1]", false},
		{"environments[*].tier", "environments[3].tier", true},
		{"environments[*].tier", "flows[3].purpose", false},
	}
	for _, tt := range tests {
		sel, err1 := ParsePath(tt.selector)
		u, err2 := ParsePath(tt.unknown)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if got := covers(sel, u); got != tt.want {
			t.Errorf("covers(%s, %s) = %v, want %v", tt.selector, tt.unknown, got, tt.want)
		}
	}
	if !covers(Root("cidr"), Path{}) {
		t.Error("the empty path (everything unknown) must cover every selector")
	}
}

// FuzzParsePath: ParsePath never panics, and what it accepts renders back
// to the same text.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"cidr", "gpu_node_pools[1].name", "a[*][0].b", "a[", "[0]", "a.b[99999999999999999999]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("ParsePath(%q).String() = %q", s, p.String())
		}
	})
}

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

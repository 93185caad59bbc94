package netplan

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// ov builds an expected Overlap from "name=prefix" strings.
func ov(a, b string) Overlap {
	return Overlap{A: nm(a), B: nm(b)}
}

// nm parses "name=prefix" into a Named.
func nm(s string) Named {
	name, prefix, _ := strings.Cut(s, "=")
	return Named{Name: name, Prefix: mp(prefix)}
}

func nms(ss ...string) []Named {
	out := make([]Named, len(ss))
	for i, s := range ss {
		out[i] = nm(s)
	}
	return out
}

func TestOverlaps(t *testing.T) {
	tests := []struct {
		name  string
		input []Named
		want  []Overlap
	}{
		{"empty", nil, nil},
		{"single", nms("dev=10.0.0.0/16"), nil},
		{"adjacent", nms("dev=10.0.0.0/16", "prod=10.1.0.0/16"), nil},
		{"adjacent halves", nms("a=10.0.0.0/9", "b=10.128.0.0/9"), nil},
		{"disjoint", nms("dev=10.0.0.0/16", "prod=192.168.0.0/16"), nil},
		{
			"containment", nms("prod=10.5.0.0/16", "dev=10.0.0.0/8"),
			[]Overlap{ov("dev=10.0.0.0/8", "prod=10.5.0.0/16")},
		},
		{
			"identical", nms("prod=10.0.0.0/16", "dev=10.0.0.0/16"),
			[]Overlap{ov("dev=10.0.0.0/16", "prod=10.0.0.0/16")},
		},
		{
			"identical with the same name keeps input order", nms("x=10.0.0.0/16", "x=10.0.0.0/16"),
			[]Overlap{ov("x=10.0.0.0/16", "x=10.0.0.0/16")},
		},
		{
			"same name orders by index", nms("x=10.1.0.0/16", "x=10.0.0.0/8"),
			[]Overlap{ov("x=10.1.0.0/16", "x=10.0.0.0/8")},
		},
		{"ipv4 vs ipv6", nms("a=0.0.0.0/0", "b=::/0"), nil},
		{"ipv4 vs ipv4-mapped ipv6", nms("a=10.0.0.0/8", "b=::ffff:10.0.0.0/104"), nil},
		{
			"ipv6 containment", nms("b=fd00:1::/32", "a=fd00::/8"),
			[]Overlap{ov("a=fd00::/8", "b=fd00:1::/32")},
		},
		{
			"many nested", nms("a=10.0.0.0/8", "b=10.0.0.0/12", "c=10.0.0.0/16", "d=10.0.1.0/24"),
			[]Overlap{
				ov("a=10.0.0.0/8", "b=10.0.0.0/12"),
				ov("a=10.0.0.0/8", "c=10.0.0.0/16"),
				ov("a=10.0.0.0/8", "d=10.0.1.0/24"),
				ov("b=10.0.0.0/12", "c=10.0.0.0/16"),
				ov("b=10.0.0.0/12", "d=10.0.1.0/24"),
				ov("c=10.0.0.0/16", "d=10.0.1.0/24"),
			},
		},
		{
			"siblings inside a parent do not overlap each other",
			nms("p=10.0.0.0/16", "s1=10.0.0.0/24", "s2=10.0.1.0/24", "s3=10.0.2.0/23"),
			[]Overlap{
				ov("p=10.0.0.0/16", "s1=10.0.0.0/24"),
				ov("p=10.0.0.0/16", "s2=10.0.1.0/24"),
				ov("p=10.0.0.0/16", "s3=10.0.2.0/23"),
			},
		},
		{
			"a range closes before the next starts",
			nms("a=10.0.0.0/24", "b=10.0.0.128/25", "c=10.0.1.0/24", "d=10.0.1.0/25"),
			[]Overlap{
				ov("a=10.0.0.0/24", "b=10.0.0.128/25"),
				ov("c=10.0.1.0/24", "d=10.0.1.0/25"),
			},
		},
		{
			"sorted by A name then B name then prefixes",
			nms("b=10.0.0.0/8", "a=10.1.0.0/16", "c=10.1.1.0/24", "a=10.2.0.0/16"),
			[]Overlap{
				ov("a=10.1.0.0/16", "b=10.0.0.0/8"),
				ov("a=10.2.0.0/16", "b=10.0.0.0/8"),
				ov("a=10.1.0.0/16", "c=10.1.1.0/24"),
				ov("b=10.0.0.0/8", "c=10.1.1.0/24"),
			},
		},
		{
			"masked for comparison, reported as given",
			[]Named{{"a", netip.PrefixFrom(netip.MustParseAddr("10.0.0.7"), 16)}, {"b", mp("10.0.3.0/24")}},
			[]Overlap{{Named{"a", netip.PrefixFrom(netip.MustParseAddr("10.0.0.7"), 16)}, nm("b=10.0.3.0/24")}},
		},
		{
			"invalid prefixes overlap nothing",
			[]Named{{"a", netip.Prefix{}}, {"b", mp("0.0.0.0/0")}, {"c", netip.Prefix{}}},
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Overlaps(tt.input)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Overlaps(%v) =\n  %v\nwant\n  %v", tt.input, got, tt.want)
			}
			if ref := bruteOverlaps(tt.input); !slices.Equal(got, ref) {
				t.Errorf("Overlaps(%v) disagrees with the brute force:\n  %v\nwant\n  %v", tt.input, got, ref)
			}
		})
	}
}

// TestOverlapsMatchesBruteForce is a property test: on random inputs that
// nest often, Overlaps agrees with the all-pairs reference.
func TestOverlapsMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 1000 {
		input := randomNamed(rng, rng.IntN(40))
		got := Overlaps(input)
		want := bruteOverlaps(input)
		if !slices.Equal(got, want) {
			t.Fatalf("iteration %d: Overlaps(%v) =\n  %v\nwant\n  %v", iter, input, got, want)
		}
	}
}

// TestOverlapsInputOrder checks that reordering the input changes at most
// which of two equally named prefixes is A.
func TestOverlapsInputOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		input := randomNamed(rng, 30)
		// Make names unique so the result does not depend on indexes.
		for i := range input {
			input[i].Name = fmt.Sprint(input[i].Name, i)
		}
		want := Overlaps(input)
		rng.Shuffle(len(input), func(i, j int) { input[i], input[j] = input[j], input[i] })
		if got := Overlaps(input); !slices.Equal(got, want) {
			t.Fatalf("shuffling the input changed the result:\n  %v\nwant\n  %v", got, want)
		}
	}
}

// TestOverlapsManyIdentical checks the quadratic worst case: n identical
// prefixes give n(n-1)/2 pairs.
func TestOverlapsManyIdentical(t *testing.T) {
	const n = 300
	input := make([]Named, n)
	for i := range input {
		input[i] = Named{Name: fmt.Sprintf("env%03d", i), Prefix: mp("10.0.0.0/16")}
	}
	got := Overlaps(input)
	if len(got) != n*(n-1)/2 {
		t.Fatalf("got %d pairs, want %d", len(got), n*(n-1)/2)
	}
	if !slices.Equal(got, bruteOverlaps(input)) {
		t.Fatal("Overlaps disagrees with the brute force")
	}
}

// randomNamed returns n random prefixes drawn from a few small regions of
// both families, so that identical, nested, adjacent and disjoint prefixes
// all occur, with names from a small set so that names repeat.
func randomNamed(rng *rand.Rand, n int) []Named {
	out := make([]Named, n)
	for i := range out {
		var p netip.Prefix
		switch rng.IntN(10) {
		case 0:
			p = netip.Prefix{} // invalid
		case 1, 2:
			// IPv6 inside fd00::/16, lengths 16..24.
			var b [16]byte
			b[0], b[1], b[2] = 0xfd, 0, byte(rng.IntN(4))
			p = netip.PrefixFrom(netip.AddrFrom16(b), 16+rng.IntN(9))
		case 3:
			// IPv4-mapped IPv6, to check the families stay apart.
			p = netip.PrefixFrom(netip.AddrFrom16(netip.AddrFrom4([4]byte{10, byte(rng.IntN(4)), 0, 0}).As16()), 96+8+rng.IntN(10))
		default:
			// IPv4 inside 10.0.0.0/14, lengths 8..18, not always masked.
			a := netip.AddrFrom4([4]byte{10, byte(rng.IntN(4)), byte(rng.IntN(4) * 64), byte(rng.IntN(2))})
			p = netip.PrefixFrom(a, 8+rng.IntN(11))
		}
		out[i] = Named{Name: string(rune('a' + rng.IntN(5))), Prefix: p}
	}
	return out
}

// bruteOverlaps is the all-pairs reference implementation of Overlaps.
func bruteOverlaps(input []Named) []Overlap {
	var out []Overlap
	for i := range input {
		for j := i + 1; j < len(input); j++ {
			p, q := input[i].Prefix, input[j].Prefix
			if !p.IsValid() || !q.IsValid() {
				continue
			}
			p, q = p.Masked(), q.Masked()
			if !p.Overlaps(q) {
				continue
			}
			// i < j, so the index tie-break keeps i first.
			a, b := input[i], input[j]
			if b.Name < a.Name {
				a, b = b, a
			}
			out = append(out, Overlap{A: a, B: b})
		}
	}
	slices.SortStableFunc(out, func(x, y Overlap) int {
		return cmp.Or(
			strings.Compare(x.A.Name, y.A.Name),
			strings.Compare(x.B.Name, y.B.Name),
			strings.Compare(x.A.Prefix.String(), y.A.Prefix.String()),
			strings.Compare(x.B.Prefix.String(), y.B.Prefix.String()),
		)
	})
	return out
}

func BenchmarkOverlaps(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		rng := rand.New(rand.NewPCG(uint64(n), 42))
		input := make([]Named, n)
		for i := range input {
			// Random /16 to /28 prefixes inside 10.0.0.0/8 plus some IPv6:
			// mostly disjoint, with some nesting.
			if i%10 == 9 {
				var a [16]byte
				a[0] = 0xfd
				a[5] = byte(rng.IntN(256))
				input[i] = Named{fmt.Sprint("env", i), netip.PrefixFrom(netip.AddrFrom16(a), 48)}
				continue
			}
			a := netip.AddrFrom4([4]byte{10, byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
			input[i] = Named{fmt.Sprint("env", i), netip.PrefixFrom(a, 16+rng.IntN(13)).Masked()}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Overlaps(input)
			}
		})
	}
}

package netplan

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestPurposes(t *testing.T) {
	want := []Purpose{Workload, Data, Ingress}
	if got := Purposes(); !slices.Equal(got, want) {
		t.Fatalf("Purposes() = %v, want %v", got, want)
	}
	for _, p := range Purposes() {
		if !p.Valid() {
			t.Errorf("%q.Valid() = false", p)
		}
	}
	for _, p := range []Purpose{"", "Workload", "public", "private"} {
		if p.Valid() {
			t.Errorf("%q.Valid() = true", p)
		}
	}
	// The caller owns the result.
	Purposes()[0] = "changed"
	if Purposes()[0] != Workload {
		t.Error("modifying the result of Purposes changed later results")
	}
}

// subnets builds the expected result of Carve from a compact description:
// purpose -> prefixes, one per zone in zone order.
func subnets(zones []string, byPurpose map[Purpose][]string) []Subnet {
	var out []Subnet
	for _, p := range Purposes() {
		for i, s := range byPurpose[p] {
			out = append(out, Subnet{Zone: zones[i], Purpose: p, Prefix: mp(s)})
		}
	}
	return out
}

// aws are AWS's subnet limits (internal/cloud holds the same facts; this
// package may not import it).
var aws = Limits{LongestSubnet: 28, ReservedPerSubnet: 5}

func TestCarve(t *testing.T) {
	all := Purposes()
	z := func(n int) []string {
		zs := make([]string, n)
		for i := range zs {
			zs[i] = fmt.Sprintf("us-east-1%c", 'a'+i)
		}
		return zs
	}
	tests := []struct {
		name     string
		cidr     string
		zones    []string
		purposes []Purpose
		want     map[Purpose][]string
	}{
		{
			name: "1 zone", cidr: "10.0.0.0/16", zones: z(1), purposes: all,
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/17"},
				Data:     {"10.0.128.0/18"},
				Ingress:  {"10.0.192.0/18"},
			},
		},
		{
			name: "2 zones", cidr: "10.0.0.0/16", zones: z(2), purposes: all,
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/18", "10.0.64.0/18"},
				Data:     {"10.0.128.0/19", "10.0.160.0/19"},
				Ingress:  {"10.0.192.0/19", "10.0.224.0/19"},
			},
		},
		{
			name: "3 zones", cidr: "10.0.0.0/16", zones: z(3), purposes: all,
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"},
				Data:     {"10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"},
				Ingress:  {"10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20"},
			},
		},
		{
			name: "4 zones", cidr: "10.0.0.0/16", zones: z(4), purposes: all,
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19"},
				Data:     {"10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20", "10.0.176.0/20"},
				Ingress:  {"10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20", "10.0.240.0/20"},
			},
		},
		{
			name: "5 zones", cidr: "10.0.0.0/16", zones: z(5), purposes: all,
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20", "10.0.64.0/20"},
				Data:     {"10.0.128.0/21", "10.0.136.0/21", "10.0.144.0/21", "10.0.152.0/21", "10.0.160.0/21"},
				Ingress:  {"10.0.192.0/21", "10.0.200.0/21", "10.0.208.0/21", "10.0.216.0/21", "10.0.224.0/21"},
			},
		},
		{
			name: "3 zones in the largest usable /24", cidr: "10.1.2.0/24", zones: z(3), purposes: all,
			want: map[Purpose][]string{
				Workload: {"10.1.2.0/27", "10.1.2.32/27", "10.1.2.64/27"},
				Data:     {"10.1.2.128/28", "10.1.2.144/28", "10.1.2.160/28"},
				Ingress:  {"10.1.2.192/28", "10.1.2.208/28", "10.1.2.224/28"},
			},
		},
		{
			name: "1 zone in /26", cidr: "192.168.0.0/26", zones: z(1), purposes: all,
			want: map[Purpose][]string{
				Workload: {"192.168.0.0/27"},
				Data:     {"192.168.0.32/28"},
				Ingress:  {"192.168.0.48/28"},
			},
		},
		{
			name: "whole IPv4 space", cidr: "0.0.0.0/0", zones: z(2), purposes: all,
			want: map[Purpose][]string{
				Workload: {"0.0.0.0/2", "64.0.0.0/2"},
				Data:     {"128.0.0.0/3", "160.0.0.0/3"},
				Ingress:  {"192.0.0.0/3", "224.0.0.0/3"},
			},
		},
		{
			name: "workload only keeps positions", cidr: "10.0.0.0/16", zones: z(3), purposes: []Purpose{Workload},
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"},
			},
		},
		{
			name: "ingress only keeps positions", cidr: "10.0.0.0/16", zones: z(3), purposes: []Purpose{Ingress},
			want: map[Purpose][]string{
				Ingress: {"10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20"},
			},
		},
		{
			name: "purpose order and duplicates do not matter", cidr: "10.0.0.0/16", zones: z(1),
			purposes: []Purpose{Ingress, Workload, Ingress},
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/17"},
				Ingress:  {"10.0.192.0/18"},
			},
		},
		{
			name: "zone order is kept", cidr: "10.0.0.0/16", zones: []string{"c", "a", "b"}, purposes: []Purpose{Data},
			want: map[Purpose][]string{
				Data: {"10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"},
			},
		},
		{
			name: "host bits are masked", cidr: "10.0.7.9/16", zones: z(1), purposes: []Purpose{Workload},
			want: map[Purpose][]string{
				Workload: {"10.0.0.0/17"},
			},
		},
		{
			name: "no purposes", cidr: "10.0.0.0/16", zones: z(3), purposes: nil,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cidr := netip.MustParsePrefix(tt.cidr)
			got, err := aws.Carve(cidr, tt.zones, tt.purposes)
			if err != nil {
				t.Fatalf("Carve(%s, %q, %q) error: %v", tt.cidr, tt.zones, tt.purposes, err)
			}
			want := subnets(tt.zones, tt.want)
			if !slices.Equal(got, want) {
				t.Errorf("Carve(%s, %q, %q) =\n  %v\nwant\n  %v", tt.cidr, tt.zones, tt.purposes, got, want)
			}
			for _, s := range got {
				if s.Prefix.Bits() > aws.LongestSubnet {
					t.Errorf("subnet %v is longer than /%d", s.Prefix, aws.LongestSubnet)
				}
			}
			if o := Overlaps(named(got)); len(o) != 0 {
				t.Errorf("carved subnets overlap: %v", o)
			}
		})
	}
}

// TestCarveStable checks the promises that let environments grow: adding a
// purpose never moves the other subnets, and adding zones up to the next
// power of two never moves existing ones.
func TestCarveStable(t *testing.T) {
	cidr := mp("10.20.0.0/16")
	full, err := aws.Carve(cidr, []string{"a", "b", "c"}, Purposes())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Purposes() {
		part, err := aws.Carve(cidr, []string{"a", "b", "c"}, []Purpose{p})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range part {
			if !slices.Contains(full, s) {
				t.Errorf("carving only %s gave %v, which the full carve does not have", p, s)
			}
		}
	}
	four, err := aws.Carve(cidr, []string{"a", "b", "c", "d"}, Purposes())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range full {
		if !slices.Contains(four, s) {
			t.Errorf("adding a fourth zone moved %v", s)
		}
	}
}

func TestCarveErrors(t *testing.T) {
	tests := []struct {
		name     string
		cidr     netip.Prefix
		zones    []string
		purposes []Purpose
		wantErr  error
		wantMsg  string // substring of the message
	}{
		{"ipv6", mp("fd00::/48"), []string{"a"}, Purposes(), ErrNotIPv4, "only IPv4"},
		{"ipv4-mapped ipv6", mp("::ffff:10.0.0.0/112"), []string{"a"}, Purposes(), ErrNotIPv4, "only IPv4"},
		{"invalid prefix", netip.Prefix{}, []string{"a"}, Purposes(), ErrNotIPv4, "not a valid IPv4 prefix"},
		{"no zones", mp("10.0.0.0/16"), nil, Purposes(), ErrNoZones, "no zones"},
		{"empty zones", mp("10.0.0.0/16"), []string{}, Purposes(), ErrNoZones, "no zones"},
		{"duplicate zone", mp("10.0.0.0/16"), []string{"a", "b", "a"}, Purposes(), ErrDuplicateZone, `zone "a" is listed more than once (again at position 2)`},
		{"empty zone", mp("10.0.0.0/16"), []string{"a", ""}, Purposes(), ErrEmptyZone, "zone 1 has an empty name"},
		{"unknown purpose", mp("10.0.0.0/16"), []string{"a"}, []Purpose{Workload, "public"}, ErrUnknownPurpose, `unknown purpose "public" at position 1`},
		{"3 zones in /25", mp("10.0.0.0/25"), []string{"a", "b", "c"}, Purposes(), ErrTooSmall, "10.0.0.0/25 is too small for 3 zones: the longest usable prefix is /24"},
		{"3 zones in /26", mp("10.0.0.0/26"), []string{"a", "b", "c"}, Purposes(), ErrTooSmall, "10.0.0.0/26 is too small for 3 zones: the longest usable prefix is /24"},
		{"1 zone in /27", mp("10.0.0.0/27"), []string{"a"}, Purposes(), ErrTooSmall, "10.0.0.0/27 is too small for 1 zone: the longest usable prefix is /26"},
		{"5 zones in /24", mp("10.0.0.0/24"), []string{"a", "b", "c", "d", "e"}, Purposes(), ErrTooSmall, "the longest usable prefix is /23"},
		{"too small even for workload only", mp("10.0.0.0/25"), []string{"a", "b", "c"}, []Purpose{Workload}, ErrTooSmall, "/24"},
		{"host route", mp("10.0.0.1/32"), []string{"a"}, Purposes(), ErrTooSmall, "10.0.0.1/32 is too small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := aws.Carve(tt.cidr, tt.zones, tt.purposes)
			if err == nil {
				t.Fatalf("Carve(%v, %q, %q) = %v, want error", tt.cidr, tt.zones, tt.purposes, got)
			}
			if got != nil {
				t.Errorf("Carve returned subnets %v along with an error", got)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantErr)
			}
			var ce *CarveError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *CarveError", err)
			}
			if ce.CIDR != tt.cidr || ce.Zones != len(tt.zones) {
				t.Errorf("CarveError has CIDR %v and Zones %d, want %v and %d", ce.CIDR, ce.Zones, tt.cidr, len(tt.zones))
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestCarveErrorMessageFallbacks(t *testing.T) {
	other := errors.New("other")
	tests := []struct {
		err  *CarveError
		want string
	}{
		{&CarveError{}, "cannot carve subnets"},
		{&CarveError{Err: other}, "cannot carve subnets: other"},
		{&CarveError{Err: ErrTooSmall, CIDR: mp("0.0.0.0/0"), Zones: 1 << 27, MaxBits: -1},
			"0.0.0.0/0 is too small for 134217728 zones: no IPv4 prefix holds that many zones"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestMaxPrefixLen(t *testing.T) {
	tests := []struct{ zones, want int }{
		{-1, 26},
		{0, 26},
		{1, 26},
		{2, 25},
		{3, 24},
		{4, 24},
		{5, 23},
		{8, 23},
		{9, 22},
		{16, 22},
		{17, 21},
		{1 << 26, 0},
		{1<<26 + 1, -1},
	}
	for _, tt := range tests {
		if got := aws.MaxPrefixLen(tt.zones); got != tt.want {
			t.Errorf("MaxPrefixLen(%d) = %d, want %d", tt.zones, got, tt.want)
		}
	}
	// MaxPrefixLen agrees with Carve: its answer works and one bit more
	// does not.
	for n := 1; n <= 40; n++ {
		zones := make([]string, n)
		for i := range zones {
			zones[i] = fmt.Sprint("z", i)
		}
		m := aws.MaxPrefixLen(n)
		if _, err := aws.Carve(netip.PrefixFrom(netip.MustParseAddr("10.0.0.0"), m), zones, Purposes()); err != nil {
			t.Errorf("%d zones: Carve of /%d failed: %v", n, m, err)
		}
		if _, err := aws.Carve(netip.PrefixFrom(netip.MustParseAddr("10.0.0.0"), m+1), zones, Purposes()); !errors.Is(err, ErrTooSmall) {
			t.Errorf("%d zones: Carve of /%d: error %v, want ErrTooSmall", n, m+1, err)
		}
	}
}

func TestUsableAddresses(t *testing.T) {
	tests := []struct {
		prefix netip.Prefix
		want   int
	}{
		{mp("10.0.0.0/16"), 65531},
		{mp("10.0.0.0/24"), 251},
		{mp("10.0.0.0/28"), 11},
		{mp("10.0.0.0/29"), 3},
		{mp("10.0.0.0/30"), 0},
		{mp("10.0.0.0/31"), 0},
		{mp("10.0.0.1/32"), 0},
		{mp("0.0.0.0/0"), min(1<<32-5, maxInt)},
		{mp("10.0.0.9/24"), 251}, // host bits do not matter
		{mp("fd00::/64"), 0},
		{mp("::ffff:10.0.0.0/120"), 0},
		{netip.Prefix{}, 0},
	}
	for _, tt := range tests {
		if got := aws.UsableAddresses(tt.prefix); got != tt.want {
			t.Errorf("UsableAddresses(%v) = %d, want %d", tt.prefix, got, tt.want)
		}
	}
}

// named turns carved subnets into input for Overlaps.
func named(subnets []Subnet) []Named {
	out := make([]Named, len(subnets))
	for i, s := range subnets {
		out[i] = Named{Name: s.Zone + "/" + string(s.Purpose), Prefix: s.Prefix}
	}
	return out
}

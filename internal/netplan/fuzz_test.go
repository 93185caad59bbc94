package netplan

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
)

func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{
		"10.0.0.0/16", "10.0.0.1/16", "0.0.0.0/0", "255.255.255.255/32",
		"fd00::/8", "FD00::1/8", "::ffff:10.0.0.0/104", "::/0",
		"", "/", "10.0.0.0", "10.0.0.0/33", "fe80::%eth0/64", "1.2.3.4/-0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrefix(s)
		if err != nil {
			if p != (netip.Prefix{}) {
				t.Fatalf("ParsePrefix(%q) returned %v with error %v", s, p, err)
			}
			// If netip accepts it, the only reason to refuse is host bits,
			// and then the suggestion must itself parse.
			if q, perr := netip.ParsePrefix(s); perr == nil {
				want := fmt.Sprintf("%q has host bits set; did you mean %q?", s, q.Masked().String())
				if err.Error() != want {
					t.Fatalf("ParsePrefix(%q) error %q, want %q", s, err, want)
				}
				if _, err := ParsePrefix(q.Masked().String()); err != nil {
					t.Fatalf("suggested form of %q does not parse: %v", s, err)
				}
			}
			return
		}
		if !p.IsValid() || p != p.Masked() {
			t.Fatalf("ParsePrefix(%q) = %v, which is not valid and canonical", s, p)
		}
		// String round-trips: the canonical text parses to the same prefix
		// and is a fixed point.
		str := p.String()
		q, err := ParsePrefix(str)
		if err != nil {
			t.Fatalf("ParsePrefix(%q) = %v, but its String %q does not parse: %v", s, p, str, err)
		}
		if q != p || q.String() != str {
			t.Fatalf("ParsePrefix(%q) = %v does not round-trip through %q (got %v)", s, p, str, q)
		}
	})
}

func FuzzCarve(f *testing.F) {
	f.Add(uint32(0x0a000000), uint8(16), uint8(3), uint8(7))
	f.Add(uint32(0x0a000000), uint8(24), uint8(3), uint8(7))
	f.Add(uint32(0x0a000000), uint8(25), uint8(3), uint8(7))
	f.Add(uint32(0xc0a80000), uint8(26), uint8(1), uint8(1))
	f.Add(uint32(0xffffffff), uint8(0), uint8(5), uint8(4))
	f.Add(uint32(0), uint8(40), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, addr uint32, bits, nzones, purposeMask uint8) {
		a := netip.AddrFrom4([4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)})
		cidr := netip.PrefixFrom(a, int(bits%40)) // lengths over 32 are invalid
		zones := make([]string, int(nzones)%70)
		for i := range zones {
			zones[i] = fmt.Sprint("zone-", i)
		}
		var purposes []Purpose
		for i, p := range Purposes() {
			if purposeMask&(1<<i) != 0 {
				purposes = append(purposes, p)
			}
		}
		if purposeMask&0x80 != 0 {
			purposes = append(purposes, "bogus")
		}

		got, err := aws.Carve(cidr, zones, purposes)
		if err != nil {
			var ce *CarveError
			if !errors.As(err, &ce) || ce.Err == nil {
				t.Fatalf("Carve(%v, %d zones, %q) error %v is not a *CarveError with a sentinel", cidr, len(zones), purposes, err)
			}
			if got != nil {
				t.Fatalf("Carve returned %v along with error %v", got, err)
			}
			if errors.Is(err, ErrTooSmall) && cidr.Bits() <= aws.MaxPrefixLen(len(zones)) {
				t.Fatalf("Carve(%v, %d zones) says too small but MaxPrefixLen is %d", cidr, len(zones), aws.MaxPrefixLen(len(zones)))
			}
			return
		}
		if cidr.Bits() > aws.MaxPrefixLen(len(zones)) {
			t.Fatalf("Carve(%v, %d zones) succeeded beyond MaxPrefixLen %d", cidr, len(zones), aws.MaxPrefixLen(len(zones)))
		}
		distinct := 0
		for _, p := range Purposes() {
			if slices.Contains(purposes, p) {
				distinct++
			}
		}
		if len(got) != distinct*len(zones) {
			t.Fatalf("Carve(%v, %d zones, %q) returned %d subnets, want %d", cidr, len(zones), purposes, len(got), distinct*len(zones))
		}
		space := cidr.Masked()
		for _, s := range got {
			if !s.Prefix.IsValid() || !s.Prefix.Addr().Is4() || s.Prefix != s.Prefix.Masked() {
				t.Fatalf("subnet %v is not a canonical IPv4 prefix", s.Prefix)
			}
			if !Contains(space, s.Prefix) {
				t.Fatalf("subnet %v lies outside %v", s.Prefix, space)
			}
			if s.Prefix.Bits() > aws.LongestSubnet {
				t.Fatalf("subnet %v is longer than /%d", s.Prefix, aws.LongestSubnet)
			}
		}
		if o := Overlaps(named(got)); len(o) != 0 {
			t.Fatalf("Carve(%v, %d zones) produced overlapping subnets: %v", cidr, len(zones), o[0])
		}
	})
}

func FuzzOverlaps(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x10, 10, 0, 0, 0, 0x20, 10, 0, 0, 0})
	f.Add([]byte{0x10, 10, 0, 0, 0, 0x10, 10, 1, 0, 0, 0x08, 10, 0, 0, 0})
	f.Add([]byte{0x81, 0xfd, 0x00, 0x11, 0xfd, 0x01, 0x00, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		input := decodeNamed(data)
		got := Overlaps(input)
		want := bruteOverlaps(input)
		if !slices.Equal(got, want) {
			t.Fatalf("Overlaps(%v) =\n  %v\nwant\n  %v", input, got, want)
		}
	})
}

// decodeNamed turns fuzz bytes into prefixes. Each record starts with a
// header byte, whose low bit picks the family and bits 1-2 one of four
// names, and a length byte. IPv4 records then take 4 address bytes. IPv6
// records take 2 bytes placed after a fixed 0xfd first byte, so that
// prefixes collide often. Some lengths are out of range, which makes
// invalid prefixes.
func decodeNamed(data []byte) []Named {
	var out []Named
	for len(data) >= 2 && len(out) < 64 {
		h, l := data[0], data[1]
		data = data[2:]
		name := string(rune('a' + (h>>1)&3))
		if h&1 == 0 {
			if len(data) < 4 {
				break
			}
			a := netip.AddrFrom4([4]byte(data[:4]))
			data = data[4:]
			out = append(out, Named{name, netip.PrefixFrom(a, int(l%34))}) // 33 is invalid
			continue
		}
		if len(data) < 2 {
			break
		}
		var b [16]byte
		b[0], b[1], b[2] = 0xfd, data[0], data[1]
		data = data[2:]
		out = append(out, Named{name, netip.PrefixFrom(netip.AddrFrom16(b), int(l%130))}) // 129 is invalid
	}
	return out
}

package netplan

import (
	"errors"
	"hash/fnv"
	"math"
	"net/netip"
	"strings"
	"testing"
)

func TestAllocate(t *testing.T) {
	tests := []struct {
		space     string
		prefixLen int
		index     int
		want      string
	}{
		{"10.64.0.0/10", 16, 0, "10.64.0.0/16"},
		{"10.64.0.0/10", 16, 2, "10.66.0.0/16"},
		{"10.64.0.0/10", 16, 63, "10.127.0.0/16"},
		{"10.64.0.0/10", 10, 0, "10.64.0.0/10"},
		{"10.64.0.0/10", 32, 1<<22 - 1, "10.127.255.255/32"},
		{"10.0.0.0/16", 24, 5, "10.0.5.0/24"},
		{"10.0.0.0/16", 20, 3, "10.0.48.0/20"},
		{"0.0.0.0/0", 1, 1, "128.0.0.0/1"},
		{"0.0.0.0/0", 32, 1<<32 - 1, "255.255.255.255/32"},
		{"10.64.7.9/10", 16, 1, "10.65.0.0/16"}, // space is masked
		{"fd00::/8", 16, 0x12, "fd12::/16"},
		{"fd00::/8", 48, 1, "fd00:0:1::/48"},
		{"fd00::/56", 64, 255, "fd00:0:0:ff::/64"},
		{"fd00::/64", 128, 1, "fd00::1/128"},
		{"fd00::/8", 72, 1, "fd00::100:0:0:0/72"},   // crosses the 64-bit halves
		{"fd00::/8", 65, 3, "fd00:0:0:1:8000::/65"}, // carries into the high half
		{"::/0", 128, math.MaxInt, "::7fff:ffff:ffff:ffff/128"},
		{"::/0", 64, math.MaxInt, "7fff:ffff:ffff:ffff::/64"},
		{"::/0", 1, 1, "8000::/1"},
		{"::/0", 0, 0, "::/0"},
	}
	for _, tt := range tests {
		got, err := Allocate(mp(tt.space), tt.prefixLen, tt.index)
		if err != nil {
			t.Errorf("Allocate(%s, %d, %d) error: %v", tt.space, tt.prefixLen, tt.index, err)
			continue
		}
		if got != mp(tt.want) {
			t.Errorf("Allocate(%s, %d, %d) = %v, want %s", tt.space, tt.prefixLen, tt.index, got, tt.want)
		}
		if space := mp(tt.space).Masked(); !Contains(space, got) {
			t.Errorf("Allocate(%s, %d, %d) = %v is outside the space", tt.space, tt.prefixLen, tt.index, got)
		}
	}
}

func TestAllocateErrors(t *testing.T) {
	tests := []struct {
		space     netip.Prefix
		prefixLen int
		index     int
		want      string // substring of the message
	}{
		{mp("10.64.0.0/10"), 8, 0, "prefix length /8 does not fit in address space 10.64.0.0/10: want /10 to /32"},
		{mp("10.64.0.0/10"), 33, 0, "prefix length /33 does not fit in address space 10.64.0.0/10: want /10 to /32"},
		{mp("10.64.0.0/10"), -1, 0, "want /10 to /32"},
		{mp("fd00::/8"), 129, 0, "want /8 to /128"},
		{mp("10.64.0.0/10"), 16, -1, "block index -1 is negative: want 0 to 63"},
		{mp("10.64.0.0/10"), 16, 64, "block index 64 is out of range: 10.64.0.0/10 holds 64 blocks of /16, want 0 to 63"},
		{mp("10.0.0.0/16"), 16, 1, "holds 1 blocks of /16, want 0 to 0"},
		{mp("::/0"), 128, -5, "block index -5 is negative: want 0 to 2^128-1"},
		{netip.Prefix{}, 16, 0, "not a valid CIDR prefix"},
	}
	for _, tt := range tests {
		got, err := Allocate(tt.space, tt.prefixLen, tt.index)
		if err == nil {
			t.Errorf("Allocate(%v, %d, %d) = %v, want error", tt.space, tt.prefixLen, tt.index, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Allocate(%v, %d, %d) error %q does not contain %q", tt.space, tt.prefixLen, tt.index, err, tt.want)
		}
	}
}

// TestAllocateTiles checks that the blocks of a space tile it: consecutive,
// non-overlapping, covering it exactly.
func TestAllocateTiles(t *testing.T) {
	for _, space := range []netip.Prefix{mp("10.64.0.0/10"), mp("192.168.0.0/16"), mp("fd00::/56")} {
		prefixLen := space.Bits() + 6
		var all []Named
		for i := range Blocks(space, prefixLen) {
			p, err := Allocate(space, prefixLen, i)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && p.Addr() != space.Addr() {
				t.Errorf("block 0 of %v starts at %v", space, p.Addr())
			}
			if i > 0 {
				prev := all[len(all)-1].Prefix
				if next := lastAddr(prev).Next(); next != p.Addr() {
					t.Errorf("block %d of %v is %v, want it to start at %v", i, space, p, next)
				}
			}
			all = append(all, Named{Name: "b", Prefix: p})
		}
		if last := all[len(all)-1].Prefix; lastAddr(last) != lastAddr(space) {
			t.Errorf("last block %v of %v does not end the space", last, space)
		}
		if o := Overlaps(all); len(o) != 0 {
			t.Errorf("blocks of %v overlap: %v", space, o[0])
		}
	}
}

// lastAddr returns the last address of a masked prefix: the prefix with
// every host bit set.
func lastAddr(p netip.Prefix) netip.Addr {
	hi, lo := addrBits(p.Addr())
	host := uint(p.Addr().BitLen() - p.Bits())
	// The network mask as a 128-bit number is all ones shifted left by host.
	var nhi, nlo uint64
	switch {
	case host >= 128:
		nhi, nlo = 0, 0
	case host >= 64:
		nhi, nlo = math.MaxUint64<<(host-64), 0
	default:
		nhi, nlo = math.MaxUint64, math.MaxUint64<<host
	}
	return bitsAddr(hi|^nhi, lo|^nlo, p.Addr().Is4())
}

func TestBlocks(t *testing.T) {
	tests := []struct {
		space     netip.Prefix
		prefixLen int
		want      int
	}{
		{mp("10.64.0.0/10"), 16, 64},
		{mp("10.64.0.0/10"), 10, 1},
		{mp("10.64.0.0/10"), 24, 1 << 14},
		{mp("10.64.0.0/10"), 32, 1 << 22},
		{mp("0.0.0.0/0"), 30, 1 << 30},
		{mp("0.0.0.0/0"), 31, math.MaxInt32},
		{mp("0.0.0.0/0"), 32, math.MaxInt32},
		{mp("fd00::/8"), 16, 256},
		{mp("fd00::/8"), 64, math.MaxInt32},
		{mp("::/0"), 128, math.MaxInt32},
		{mp("10.64.0.0/10"), 9, 0},
		{mp("10.64.0.0/10"), 33, 0},
		{mp("fd00::/8"), 129, 0},
		{netip.Prefix{}, 16, 0},
	}
	for _, tt := range tests {
		if got := Blocks(tt.space, tt.prefixLen); got != tt.want {
			t.Errorf("Blocks(%v, %d) = %d, want %d", tt.space, tt.prefixLen, got, tt.want)
		}
	}
}

func TestIndexFor(t *testing.T) {
	// The rule is public: FNV-1a 32 of the name modulo the block count.
	// These values are fixed (computed independently of hash/fnv); if they
	// change, every user's allocation moves.
	space := mp("10.64.0.0/10")
	tests := []struct {
		name      string
		space     netip.Prefix
		prefixLen int
		want      int
	}{
		{"", space, 16, int(2166136261 % 64)}, // the FNV-1a offset basis
		{"a", space, 16, int(0xe40c292c % 64)},
		{"prod", space, 16, 52},    // 0xed3e3174 % 64
		{"staging", space, 16, 38}, // 0x9ad76926 % 64
		{"dev", space, 16, 60},     // 0xd55997bc % 64
		{"shared", space, 16, 20},  // 0xa4f844d4 % 64
		{"prod", space, 10, 0},
		{"prod", mp("fd00::/8"), 64, int(fnv32a("prod") % math.MaxInt32)},
		{"prod", space, 8, -1},
		{"prod", netip.Prefix{}, 16, -1},
	}
	for _, tt := range tests {
		got := IndexFor(tt.name, tt.space, tt.prefixLen)
		if got != tt.want {
			t.Errorf("IndexFor(%q, %v, %d) = %d, want %d", tt.name, tt.space, tt.prefixLen, got, tt.want)
		}
		if n := Blocks(tt.space, tt.prefixLen); n > 0 && int(fnv32a(tt.name)%uint32(n)) != got {
			t.Errorf("IndexFor(%q, %v, %d) = %d does not follow the documented rule", tt.name, tt.space, tt.prefixLen, got)
		}
	}
	// An invalid index makes Allocate report the real problem.
	_, err := Allocate(space, 8, IndexFor("prod", space, 8))
	if err == nil || !strings.Contains(err.Error(), "prefix length /8") {
		t.Errorf("Allocate with IndexFor's -1: error %v, want one about the prefix length", err)
	}
}

func fnv32a(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in      string
		want    string // canonical form; empty when an error is expected
		wantErr string // substring of the error
	}{
		{in: "10.0.0.0/16", want: "10.0.0.0/16"},
		{in: "10.64.0.0/10", want: "10.64.0.0/10"},
		{in: "0.0.0.0/0", want: "0.0.0.0/0"},
		{in: "10.0.0.1/32", want: "10.0.0.1/32"},
		{in: "fd00::/8", want: "fd00::/8"},
		{in: "FD00::/8", want: "fd00::/8"},
		{in: "::ffff:10.0.0.0/104", want: "::ffff:10.0.0.0/104"},
		{in: "10.0.0.1/16", wantErr: `"10.0.0.1/16" has host bits set; did you mean "10.0.0.0/16"?`},
		{in: "192.168.1.1/24", wantErr: `did you mean "192.168.1.0/24"?`},
		{in: "fd00::1/8", wantErr: `did you mean "fd00::/8"?`},
		{in: "", wantErr: `"" is not a valid CIDR prefix`},
		{in: "10.0.0.0", wantErr: `"10.0.0.0" is not a valid CIDR prefix`},
		{in: "10.0.0.0/33", wantErr: "not a valid CIDR prefix"},
		{in: "10.0.0.0/-1", wantErr: "not a valid CIDR prefix"},
		{in: "10.0.0/16", wantErr: "not a valid CIDR prefix"},
		{in: "010.0.0.0/16", wantErr: "not a valid CIDR prefix"},
		{in: " 10.0.0.0/16", wantErr: "not a valid CIDR prefix"},
		{in: "10.0.0.0/016", wantErr: "not a valid CIDR prefix"},
		{in: "fe80::%eth0/64", wantErr: "not a valid CIDR prefix"},
		{in: "example.com/16", wantErr: "not a valid CIDR prefix"},
	}
	for _, tt := range tests {
		got, err := ParsePrefix(tt.in)
		if tt.wantErr != "" {
			if err == nil {
				t.Errorf("ParsePrefix(%q) = %v, want error", tt.in, got)
			} else if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePrefix(%q) error %q does not contain %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePrefix(%q) error: %v", tt.in, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("ParsePrefix(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
	// Parse errors wrap netip's error.
	_, err := ParsePrefix("nope")
	var inner interface{ Unwrap() error }
	if !errors.As(err, &inner) || inner.Unwrap() == nil {
		t.Errorf("ParsePrefix error %v does not wrap the parser's error", err)
	}
}

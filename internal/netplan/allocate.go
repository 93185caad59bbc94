package netplan

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"net/netip"
)

// Allocate returns block number index (0-based) of length prefixLen inside
// space. For example, Allocate(10.64.0.0/10, 16, 2) is 10.66.0.0/16.
//
// space is masked first. Allocate fails when space is invalid, when
// prefixLen is shorter than space or longer than the family allows (32 for
// IPv4, 128 for IPv6), or when index is negative or not below the number of
// blocks. The error names the bad value and the valid range.
func Allocate(space netip.Prefix, prefixLen int, index int) (netip.Prefix, error) {
	if !space.IsValid() {
		return netip.Prefix{}, errors.New("address space is not a valid CIDR prefix")
	}
	space = space.Masked()
	maxBits := space.Addr().BitLen()
	if prefixLen < space.Bits() || prefixLen > maxBits {
		return netip.Prefix{}, fmt.Errorf("prefix length /%d does not fit in address space %s: want /%d to /%d",
			prefixLen, space, space.Bits(), maxBits)
	}
	if index < 0 {
		return netip.Prefix{}, fmt.Errorf("block index %d is negative: want 0 to %s",
			index, lastIndex(space, prefixLen))
	}
	// With 64 or more extra bits there are at least 2^64 blocks, more than
	// any int can count, so every non-negative index is in range.
	if extra := prefixLen - space.Bits(); extra < 64 && uint64(index) >= uint64(1)<<extra {
		return netip.Prefix{}, fmt.Errorf("block index %d is out of range: %s holds %d blocks of /%d, want 0 to %s",
			index, space, uint64(1)<<extra, prefixLen, lastIndex(space, prefixLen))
	}
	return nthBlock(space, prefixLen, uint64(index)), nil
}

// lastIndex formats the largest valid block index of prefixLen in space.
// space must be valid and masked, and prefixLen within range.
func lastIndex(space netip.Prefix, prefixLen int) string {
	extra := prefixLen - space.Bits()
	if extra >= 64 {
		return fmt.Sprintf("2^%d-1", extra)
	}
	return fmt.Sprint(uint64(1)<<extra - 1)
}

// Blocks returns how many blocks of length prefixLen fit in space, that is
// 2^(prefixLen - space.Bits()). The count is capped at math.MaxInt32 so that
// huge spaces (mostly IPv6) stay countable on every platform. Blocks returns
// 0 when space is invalid or prefixLen is out of range for it.
func Blocks(space netip.Prefix, prefixLen int) int {
	if !space.IsValid() || prefixLen < space.Bits() || prefixLen > space.Addr().BitLen() {
		return 0
	}
	extra := prefixLen - space.Bits()
	if extra >= 31 {
		return math.MaxInt32
	}
	return 1 << extra
}

// IndexFor returns the stable block index for name within space.
//
// The rule is public behaviour and will not change: the index is the 32-bit
// FNV-1a hash of the UTF-8 bytes of name, modulo Blocks(space, prefixLen).
// Because Blocks is capped at math.MaxInt32, so is the modulus. IndexFor
// returns -1 when Blocks is 0 (space invalid or prefixLen out of range), so
// passing the result to Allocate reports the underlying problem.
//
// Different names may hash to the same block; callers that allocate several
// names from one space must detect such collisions (see Overlaps).
func IndexFor(name string, space netip.Prefix, prefixLen int) int {
	n := Blocks(space, prefixLen)
	if n == 0 {
		return -1
	}
	h := fnv.New32a()
	h.Write([]byte(name)) // hash.Hash.Write never returns an error.
	return int(h.Sum32() % uint32(n))
}

// ParsePrefix parses a CIDR prefix such as "10.0.0.0/16" and requires it to
// be in canonical form, with all host bits zero. For a prefix with host bits
// set, the error names the canonical form, for example:
//
//	"10.0.0.1/16" has host bits set; did you mean "10.0.0.0/16"?
func ParsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a valid CIDR prefix: %w", s, err)
	}
	if m := p.Masked(); m != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set; did you mean %q?", s, m.String())
	}
	return p, nil
}

// nthBlock returns block index of length prefixLen inside space without any
// checks. space must be valid and masked, prefixLen between space.Bits() and
// the family's bit length, and index below the number of blocks.
func nthBlock(space netip.Prefix, prefixLen int, index uint64) netip.Prefix {
	addr := space.Addr()
	hi, lo := addrBits(addr)
	ohi, olo := shiftLeft(index, uint(addr.BitLen()-prefixLen))
	lo, carry := bits.Add64(lo, olo, 0)
	hi, _ = bits.Add64(hi, ohi, carry)
	return netip.PrefixFrom(bitsAddr(hi, lo, addr.Is4()), prefixLen)
}

// addrBits returns a as a 128-bit number split into high and low halves. An
// IPv4 address occupies the low 32 bits.
func addrBits(a netip.Addr) (hi, lo uint64) {
	if a.Is4() {
		b := a.As4()
		return 0, uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	}
	b := a.As16()
	for i := range 8 {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[i+8])
	}
	return hi, lo
}

// bitsAddr is the inverse of addrBits.
func bitsAddr(hi, lo uint64, is4 bool) netip.Addr {
	if is4 {
		return netip.AddrFrom4([4]byte{byte(lo >> 24), byte(lo >> 16), byte(lo >> 8), byte(lo)})
	}
	var b [16]byte
	for i := range 8 {
		b[7-i] = byte(hi >> (8 * i))
		b[15-i] = byte(lo >> (8 * i))
	}
	return netip.AddrFrom16(b)
}

// shiftLeft returns x << n as a 128-bit number split into high and low
// halves. Bits shifted past bit 127 are lost.
func shiftLeft(x uint64, n uint) (hi, lo uint64) {
	switch {
	case n >= 128:
		return 0, 0
	case n >= 64:
		return x << (n - 64), 0
	case n == 0:
		return 0, x
	default:
		return x >> (64 - n), x << n
	}
}

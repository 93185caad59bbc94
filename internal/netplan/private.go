// Package netplan holds the CIDR arithmetic behind network segmentation:
// which ranges are private, how an environment's CIDR is carved into
// per-zone subnets, which prefixes overlap, and how environment CIDRs are
// allocated from a shared address space.
//
// Everything here is pure and deterministic: the same inputs always give the
// same outputs, so results can be computed at Terraform plan time and
// compared across runs. The package uses only the standard library's
// net/netip types.
package netplan

import "net/netip"

// privateRanges lists the ranges that IsPrivate accepts, IPv4 first and in
// address order within each family.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),     // RFC 1918
	netip.MustParsePrefix("100.64.0.0/10"),  // RFC 6598 shared address space
	netip.MustParsePrefix("172.16.0.0/12"),  // RFC 1918
	netip.MustParsePrefix("192.168.0.0/16"), // RFC 1918
	netip.MustParsePrefix("fc00::/7"),       // RFC 4193 unique local addresses
}

// IsPrivate reports whether p lies wholly inside a private range: RFC 1918
// (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), RFC 6598 shared address space
// (100.64.0.0/10), or for IPv6 the unique-local range fc00::/7.
//
// Invalid prefixes are not private. Prefixes are masked first, so
// 10.1.2.3/16 is treated as 10.1.0.0/16. A prefix that only partly overlaps a
// private range, such as 10.0.0.0/7, is not private. IPv4-mapped IPv6
// prefixes (::ffff:10.0.0.0/104) are IPv6 prefixes and therefore not private.
func IsPrivate(p netip.Prefix) bool {
	if !p.IsValid() {
		return false
	}
	p = p.Masked()
	for _, r := range privateRanges {
		if Contains(r, p) {
			return true
		}
	}
	return false
}

// PrivateRanges returns the ranges IsPrivate accepts, IPv4 first, in a
// stable order (address order within each family). The caller owns the
// returned slice.
func PrivateRanges() []netip.Prefix {
	return append([]netip.Prefix(nil), privateRanges...)
}

// Contains reports whether outer contains every address of inner. Both
// prefixes must be valid and masked. Prefixes of different address families
// never contain each other.
func Contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

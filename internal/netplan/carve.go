package netplan

import (
	"errors"
	"fmt"
	"math/bits"
	"net/netip"
)

// Purpose is what a subnet is for.
type Purpose string

// The subnet purposes, in carving order.
const (
	Workload Purpose = "workload" // nodes and pods
	Data     Purpose = "data"     // VPC endpoints and data services
	Ingress  Purpose = "ingress"  // load balancers for declared entry points
)

// Purposes returns all purposes in carving order: workload, data, ingress.
// The caller owns the returned slice.
func Purposes() []Purpose {
	return []Purpose{Workload, Data, Ingress}
}

// Valid reports whether p is one of the purposes returned by Purposes.
func (p Purpose) Valid() bool {
	switch p {
	case Workload, Data, Ingress:
		return true
	}
	return false
}

// Subnet is one carved subnet.
type Subnet struct {
	Zone    string
	Purpose Purpose
	Prefix  netip.Prefix
}

// Limits are the facts of a cloud's subnets that carving depends on; each
// cloud's are in internal/cloud.
type Limits struct {
	// LongestSubnet is the longest subnet prefix the cloud accepts (AWS:
	// /28).
	LongestSubnet int
	// ReservedPerSubnet is the number of addresses the cloud keeps in every
	// subnet (AWS: 5, the network address, the VPC router, DNS, one for
	// future use and the broadcast address).
	ReservedPerSubnet int
}

// Errors returned by Carve, wrapped in a *CarveError. Test for them with
// errors.Is.
var (
	// ErrNotIPv4 means the CIDR is invalid or not IPv4.
	ErrNotIPv4 = errors.New("not an IPv4 prefix")
	// ErrNoZones means no zones were given.
	ErrNoZones = errors.New("no zones")
	// ErrEmptyZone means a zone name is empty.
	ErrEmptyZone = errors.New("empty zone name")
	// ErrDuplicateZone means a zone name repeats.
	ErrDuplicateZone = errors.New("duplicate zone")
	// ErrUnknownPurpose means a purpose is not one of Purposes().
	ErrUnknownPurpose = errors.New("unknown subnet purpose")
	// ErrTooSmall means a subnet would be longer than the cloud's longest.
	ErrTooSmall = errors.New("cidr too small")
)

// CarveError describes why Carve failed. Err is one of the sentinel errors
// above, so errors.Is(err, ErrTooSmall) and errors.As(err, &carveErr) both
// work on Carve's errors.
type CarveError struct {
	Err     error        // the sentinel error: ErrNotIPv4, ErrNoZones, ...
	CIDR    netip.Prefix // the cidr passed to Carve
	Zones   int          // the number of zones passed to Carve
	Zone    string       // the offending zone, for ErrEmptyZone and ErrDuplicateZone
	Index   int          // the offending zone's or purpose's position, where one applies
	Purpose Purpose      // the offending purpose, for ErrUnknownPurpose
	MaxBits int          // the longest usable prefix length, for ErrTooSmall; -1 if none
}

// Error returns a message that says what is wrong and, where possible, how
// to fix it.
func (e *CarveError) Error() string {
	switch e.Err {
	case ErrNotIPv4:
		if !e.CIDR.IsValid() {
			return "cannot carve subnets: the cidr is not a valid IPv4 prefix"
		}
		return fmt.Sprintf("cannot carve subnets from %s: only IPv4 prefixes are supported", e.CIDR)
	case ErrNoZones:
		return fmt.Sprintf("cannot carve subnets from %s: no zones given", e.CIDR)
	case ErrEmptyZone:
		return fmt.Sprintf("cannot carve subnets from %s: zone %d has an empty name", e.CIDR, e.Index)
	case ErrDuplicateZone:
		return fmt.Sprintf("cannot carve subnets from %s: zone %q is listed more than once (again at position %d)",
			e.CIDR, e.Zone, e.Index)
	case ErrUnknownPurpose:
		return fmt.Sprintf("cannot carve subnets from %s: unknown purpose %q at position %d, want one of %q",
			e.CIDR, e.Purpose, e.Index, Purposes())
	case ErrTooSmall:
		if e.MaxBits < 0 {
			return fmt.Sprintf("%s is too small for %s: no IPv4 prefix holds that many zones",
				e.CIDR, zonesPhrase(e.Zones))
		}
		return fmt.Sprintf("%s is too small for %s: the longest usable prefix is /%d",
			e.CIDR, zonesPhrase(e.Zones), e.MaxBits)
	}
	if e.Err == nil {
		return "cannot carve subnets"
	}
	return "cannot carve subnets: " + e.Err.Error()
}

// Unwrap returns the sentinel error.
func (e *CarveError) Unwrap() error { return e.Err }

// zonesPhrase returns "1 zone" or "n zones".
func zonesPhrase(n int) string {
	if n == 1 {
		return "1 zone"
	}
	return fmt.Sprintf("%d zones", n)
}

// slotBits returns log2 of the number of slots for n zones: the next power
// of two >= n, at least 1.
func slotBits(n int) int {
	if n <= 1 {
		return 0
	}
	return bits.Len(uint(n - 1))
}

// MaxPrefixLen returns the longest cidr prefix length that Carve accepts for
// n zones; for 3 zones on AWS it is 24. Values of n below 1 are treated as
// 1. It returns -1 when no IPv4 prefix can hold n zones.
//
// The data and ingress subnets are the smallest: a quarter of the cidr split
// into slots blocks. They must be no longer than /LongestSubnet, so the
// answer is LongestSubnet - 2 - log2(slots).
func (l Limits) MaxPrefixLen(n int) int {
	m := l.LongestSubnet - 2 - slotBits(n)
	if m < 0 {
		return -1
	}
	return m
}

// UsableAddresses returns the host addresses a subnet offers after the
// cloud's reservation: 2^(32-bits) - ReservedPerSubnet, never below 0. It
// returns 0 for invalid and non-IPv4 prefixes.
func (l Limits) UsableAddresses(p netip.Prefix) int {
	if !p.IsValid() || !p.Addr().Is4() {
		return 0
	}
	n := int64(1)<<(32-p.Bits()) - int64(l.ReservedPerSubnet)
	return int(max(0, min(n, int64(maxInt))))
}

// maxInt is the largest int on this platform.
const maxInt = int(^uint(0) >> 1)

// Carve splits cidr (IPv4 only) into one subnet per zone for each of the
// given purposes. The cidr is masked first. The rule is documented and
// stable:
//
//	slots    = the next power of two >= len(zones) (at least 1)
//	workload: the first half of cidr, cut into slots equal blocks; zone i gets block i
//	data:     the third quarter of cidr, cut into slots equal blocks; zone i gets block i
//	ingress:  the fourth quarter, likewise
//
// Positions are fixed whether or not a purpose is requested, so adding
// ingress later never moves the other subnets. For the same reason the size
// check always uses the data and ingress subnets, which are the smallest: a
// cidr that carves workload subnets today also carves the others tomorrow.
// Zones beyond len(zones) but within slots stay free, so adding a zone up to
// the next power of two moves nothing either.
//
// For example, 10.0.0.0/16 with zones a, b, c gives workload subnets
// 10.0.0.0/19, 10.0.32.0/19 and 10.0.64.0/19, data subnets 10.0.128.0/20,
// 10.0.144.0/20 and 10.0.160.0/20, and ingress subnets 10.0.192.0/20,
// 10.0.208.0/20 and 10.0.224.0/20.
//
// The result is ordered by purpose in Purposes() order, then by zone in the
// order given; a purpose listed twice is carved once. No purposes gives no
// subnets (after the inputs are checked).
//
// Every error is a *CarveError wrapping one of ErrNotIPv4, ErrNoZones,
// ErrEmptyZone, ErrDuplicateZone, ErrUnknownPurpose or ErrTooSmall. The
// ErrTooSmall message names the longest prefix that works, for example
// "10.0.0.0/26 is too small for 3 zones: the longest usable prefix is /24".
func (l Limits) Carve(cidr netip.Prefix, zones []string, purposes []Purpose) ([]Subnet, error) {
	fail := func(e *CarveError) ([]Subnet, error) {
		e.CIDR, e.Zones = cidr, len(zones)
		return nil, e
	}
	if !cidr.IsValid() || !cidr.Addr().Is4() {
		return fail(&CarveError{Err: ErrNotIPv4})
	}
	space := cidr.Masked()
	if len(zones) == 0 {
		return fail(&CarveError{Err: ErrNoZones})
	}
	seen := make(map[string]bool, len(zones))
	for i, z := range zones {
		switch {
		case z == "":
			return fail(&CarveError{Err: ErrEmptyZone, Index: i})
		case seen[z]:
			return fail(&CarveError{Err: ErrDuplicateZone, Zone: z, Index: i})
		}
		seen[z] = true
	}
	want := make(map[Purpose]bool, len(purposes))
	for i, p := range purposes {
		if !p.Valid() {
			return fail(&CarveError{Err: ErrUnknownPurpose, Purpose: p, Index: i})
		}
		want[p] = true
	}
	if maxBits := l.MaxPrefixLen(len(zones)); space.Bits() > maxBits {
		return fail(&CarveError{Err: ErrTooSmall, MaxBits: maxBits})
	}

	k := slotBits(len(zones))
	regions := map[Purpose]netip.Prefix{
		Workload: nthBlock(space, space.Bits()+1, 0), // first half
		Data:     nthBlock(space, space.Bits()+2, 2), // third quarter
		Ingress:  nthBlock(space, space.Bits()+2, 3), // fourth quarter
	}
	out := make([]Subnet, 0, len(want)*len(zones))
	for _, p := range Purposes() {
		if !want[p] {
			continue
		}
		region := regions[p]
		for i, z := range zones {
			out = append(out, Subnet{
				Zone:    z,
				Purpose: p,
				Prefix:  nthBlock(region, region.Bits()+k, uint64(i)),
			})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

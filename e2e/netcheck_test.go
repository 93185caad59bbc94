//go:build e2e

package e2e

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// Protocols, as numbers. -1 is every protocol.
const (
	protoAll  = -1
	protoICMP = 1
	protoTCP  = 6
	protoUDP  = 17
)

// parseProtocol turns an API protocol ("-1", "6", "tcp", "all") into a number.
func parseProtocol(p string) (int, error) {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "-1", "all", "":
		return protoAll, nil
	case "tcp":
		return protoTCP, nil
	case "udp":
		return protoUDP, nil
	case "icmp":
		return protoICMP, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > 255 {
		return 0, fmt.Errorf("unknown protocol %q", p)
	}
	return n, nil
}

func protoName(p int) string {
	switch p {
	case protoAll:
		return "all"
	case protoTCP:
		return "tcp"
	case protoUDP:
		return "udp"
	case protoICMP:
		return "icmp"
	}
	return strconv.Itoa(p)
}

func hasPorts(p int) bool { return p == protoTCP || p == protoUDP }

// portRange is an inclusive range of ports.
type portRange struct{ from, to int }

var allPorts = portRange{0, 65535}

func (r portRange) String() string {
	if r == allPorts {
		return "all ports"
	}
	if r.from == r.to {
		return fmt.Sprintf("port %d", r.from)
	}
	return fmt.Sprintf("ports %d-%d", r.from, r.to)
}

func (r portRange) contains(o portRange) bool { return r.from <= o.from && o.to <= r.to }

// naclEntry is one network ACL rule as the API returns it.
type naclEntry struct {
	number int
	egress bool
	proto  int
	allow  bool
	cidr   netip.Prefix
	ports  portRange // allPorts when the protocol has none or the entry sets none
}

// admitted is a slice of a peer range that a network ACL lets through in one
// direction: an address interval, a protocol and a port range, with the rule
// that decided it.
type admitted struct {
	egress bool
	first  netip.Addr
	last   netip.Addr
	proto  int
	ports  portRange
	rule   int
}

func (a admitted) String() string {
	dir := "ingress from"
	if a.egress {
		dir = "egress to"
	}
	what := protoName(a.proto)
	if hasPorts(a.proto) {
		what += " " + a.ports.String()
	} else if a.proto == protoAll {
		what = "all traffic"
	}
	return fmt.Sprintf("%s %s %s by rule %d", dir, addrRange(a.first, a.last), what, a.rule)
}

func addrRange(first, last netip.Addr) string {
	for bits := 0; bits <= 32; bits++ {
		p := netip.PrefixFrom(first, bits).Masked()
		if p.Addr() == first && lastAddr(p) == last {
			return p.String()
		}
	}
	return first.String() + "-" + last.String()
}

func addrInt(a netip.Addr) uint64 {
	b := a.As4()
	return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
}

func intAddr(n uint64) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

func lastAddr(p netip.Prefix) netip.Addr {
	p = p.Masked()
	size := uint64(1) << (32 - p.Bits())
	return intAddr(addrInt(p.Addr()) + size - 1)
}

// evaluateNACL evaluates a network ACL the way AWS does, for every address of
// peer, every protocol and every port, in one direction: the entries in
// ascending rule number, the first entry that matches decides, and traffic no
// entry matches is denied. It returns the slices that are allowed.
//
// The space is cut into cells at every boundary any entry draws (address
// ranges inside the peer, protocols, port ranges); within a cell every entry
// either matches all of it or none of it, so evaluating one point per cell is
// exact.
func evaluateNACL(entries []naclEntry, peer netip.Prefix, egress bool) []admitted {
	var es []naclEntry
	for _, e := range entries {
		if e.egress == egress && e.cidr.Addr().Is4() {
			es = append(es, e)
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].number < es[j].number })

	// Address cells.
	pFirst, pLast := addrInt(peer.Masked().Addr()), addrInt(lastAddr(peer))
	cuts := map[uint64]bool{pFirst: true}
	for _, e := range es {
		f, l := addrInt(e.cidr.Masked().Addr()), addrInt(lastAddr(e.cidr))
		if f > pFirst && f <= pLast {
			cuts[f] = true
		}
		if l+1 > pFirst && l+1 <= pLast {
			cuts[l+1] = true
		}
	}
	var starts []uint64
	for c := range cuts {
		starts = append(starts, c)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })

	// Protocol cells: every protocol an entry names, plus one no entry names.
	protos := map[int]bool{protoTCP: true, protoUDP: true, protoICMP: true}
	for _, e := range es {
		if e.proto != protoAll {
			protos[e.proto] = true
		}
	}
	other := 254 // "use for experimentation": no entry will name it by chance
	for protos[other] {
		other--
	}
	protos[other] = true
	var protoList []int
	for p := range protos {
		protoList = append(protoList, p)
	}
	sort.Ints(protoList)

	// Port cells, per protocol with ports.
	portCells := func(proto int) []portRange {
		if !hasPorts(proto) {
			return []portRange{allPorts}
		}
		pc := map[int]bool{0: true}
		for _, e := range es {
			if e.proto != proto {
				continue
			}
			pc[e.ports.from] = true
			if e.ports.to < 65535 {
				pc[e.ports.to+1] = true
			}
		}
		var ps []int
		for p := range pc {
			ps = append(ps, p)
		}
		sort.Ints(ps)
		var out []portRange
		for i, p := range ps {
			end := 65535
			if i+1 < len(ps) {
				end = ps[i+1] - 1
			}
			out = append(out, portRange{p, end})
		}
		return out
	}

	var out []admitted
	for i, s := range starts {
		end := pLast
		if i+1 < len(starts) {
			end = starts[i+1] - 1
		}
		addr := intAddr(s)
		for _, proto := range protoList {
			for _, ports := range portCells(proto) {
				for _, e := range es {
					if !e.cidr.Contains(addr) {
						continue
					}
					if e.proto != protoAll && e.proto != proto {
						continue
					}
					if e.proto != protoAll && hasPorts(proto) && !e.ports.contains(portRange{ports.from, ports.from}) {
						continue
					}
					if e.allow {
						shown := proto
						if e.proto == protoAll && proto == other {
							shown = protoAll
						}
						out = appendAdmitted(out, admitted{egress: egress, first: addr, last: intAddr(end), proto: shown, ports: ports, rule: e.number})
					}
					break
				}
			}
		}
	}
	return out
}

// appendAdmitted merges a cell into the previous one when they are adjacent
// ports of the same range, protocol and rule, to keep messages short.
func appendAdmitted(out []admitted, a admitted) []admitted {
	if n := len(out); n > 0 {
		p := &out[n-1]
		if p.first == a.first && p.last == a.last && p.proto == a.proto && p.rule == a.rule && p.ports.to+1 == a.ports.from {
			p.ports.to = a.ports.to
			return out
		}
	}
	return append(out, a)
}

// naclDecide evaluates one packet against a network ACL: the first matching
// entry in rule-number order decides; no match is a deny. It returns the
// deciding rule number, or -1 for the implicit deny.
func naclDecide(entries []naclEntry, addr netip.Addr, egress bool, proto, port int) (bool, int) {
	es := make([]naclEntry, 0, len(entries))
	for _, e := range entries {
		if e.egress == egress && e.cidr.Addr().Is4() {
			es = append(es, e)
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].number < es[j].number })
	for _, e := range es {
		if !e.cidr.Contains(addr) {
			continue
		}
		if e.proto != protoAll && e.proto != proto {
			continue
		}
		if e.proto != protoAll && hasPorts(proto) && (port < e.ports.from || port > e.ports.to) {
			continue
		}
		return e.allow, e.number
	}
	return false, -1
}

// within reports whether inner is equal to or inside outer.
func within(inner, outer netip.Prefix) bool {
	return inner.Bits() >= outer.Bits() && outer.Contains(inner.Addr())
}

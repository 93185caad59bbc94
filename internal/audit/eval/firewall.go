package eval

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// protocolNames maps the lower-cased protocol names the clouds write to
// the name Protocol returns.
var protocolNames = map[string]string{
	"-1":        "all", // AWS
	"all":       "all", // AWS, Google
	"*":         "all", // Azure NSG
	"asterisk":  "all", // Azure's name for "*" in some APIs and providers
	"any":       "all", // Azure Firewall
	"tcp":       "tcp",
	"udp":       "udp",
	"icmp":      "icmp",
	"icmpv6":    "icmpv6",
	"ipv6-icmp": "icmpv6", // Google's name for 58
	"esp":       "esp",
	"ah":        "ah",
	"sctp":      "sctp",
	"gre":       "gre",
	"ipip":      "ipip",
}

// protocolNumbers names the IANA protocol numbers that have a name here.
var protocolNumbers = map[int]string{
	1: "icmp", 4: "ipip", 6: "tcp", 17: "udp", 47: "gre", 50: "esp", 51: "ah", 58: "icmpv6", 132: "sctp",
}

// Protocol normalises a protocol as AWS, Google Cloud or Azure writes it,
// without regard to case: "-1", "all", "*", "Asterisk" and "Any" are
// "all"; names and IANA numbers of TCP, UDP, ICMP and ICMPv6 give "tcp",
// "udp", "icmp" and "icmpv6". Other valid protocols are not refused, as a
// rule for them still admits traffic: ESP, AH, SCTP, GRE and IPIP give
// their lower-case names, other numbers 0-255 their decimal text ("41").
func Protocol(p string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(p))
	if s == "" {
		return "", errors.New("protocol: empty")
	}
	if name, ok := protocolNames[s]; ok {
		return name, nil
	}
	if allDigits(s) {
		n, err := strconv.Atoi(s)
		if err != nil || n > 255 {
			return "", fmt.Errorf("protocol %q: not a protocol number (0-255)", p)
		}
		if name, ok := protocolNumbers[n]; ok {
			return name, nil
		}
		return strconv.Itoa(n), nil
	}
	return "", fmt.Errorf("protocol %q: unknown (want tcp, udp, icmp, icmpv6, all, -1, * or a number 0-255)", p)
}

// PortRange parses a port or an inclusive range: "443", "8000-8080",
// "0-65535"; "*" and "" mean every port, 0-65535. Spaces around the parts
// are ignored. Errors name the input.
func PortRange(s string) (from, to int, err error) {
	t := strings.TrimSpace(s)
	if t == "" || t == "*" {
		return 0, 65535, nil
	}
	a, b, isRange := strings.Cut(t, "-")
	if !isRange {
		b = a
	}
	if from, err = port(a); err == nil {
		to, err = port(b)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("port range %q: %v", s, err)
	}
	if from > to {
		return 0, 0, fmt.Errorf("port range %q: %d is above %d", s, from, to)
	}
	return from, to, nil
}

func port(s string) (int, error) {
	s = strings.TrimSpace(s)
	if !allDigits(s) {
		return 0, fmt.Errorf("%q is not a port", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 65535 {
		return 0, fmt.Errorf("port %s is out of range 0-65535", s)
	}
	return n, nil
}

// Peer parses a firewall peer. An IPv4 or IPv6 prefix ("10.0.0.0/16",
// "2001:db8::/32") is returned masked ("10.0.0.1/16" gives 10.0.0.0/16), a
// bare address as a /32 or /128; IPv4-mapped IPv6 prefixes are returned as
// IPv4. Anything else that reads as a name — an Azure service tag
// ("VirtualNetwork", "Internet", "AzureLoadBalancer", "Storage.WestEurope"),
// "*", an AWS prefix list or group ID — is returned as tag, with an
// invalid prefix, for the caller to resolve; Google Cloud has no named
// peers in its ranges. "0.0.0.0/0", "::/0" and "*" mean anyone: see
// AnyPeer. Malformed addresses ("10.0.0.0/33", "10.0.0.256") and zones
// are errors that name the input.
func Peer(s string) (p netip.Prefix, tag string, err error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return netip.Prefix{}, "", errors.New("peer: empty")
	}
	if t == "*" || isTag(t) {
		return netip.Prefix{}, t, nil
	}
	if strings.Contains(t, "/") {
		p, err = netip.ParsePrefix(t)
		if err != nil {
			return netip.Prefix{}, "", fmt.Errorf("peer %q: not a valid prefix: %v", s, err)
		}
	} else {
		a, err := netip.ParseAddr(t)
		if err != nil {
			return netip.Prefix{}, "", fmt.Errorf("peer %q: not an address, prefix or tag: %v", s, err)
		}
		if a.Zone() != "" {
			return netip.Prefix{}, "", fmt.Errorf("peer %q: an address with a zone is not a peer", s)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), "", nil
}

// AnyPeer reports whether a peer from Peer means any address: a /0 prefix
// of either family, or the tag "*" (or Azure Firewall's "Any"). Service
// tags such as "Internet" are not "any": they are for the caller to
// resolve.
func AnyPeer(p netip.Prefix, tag string) bool {
	if tag != "" {
		return tag == "*" || strings.EqualFold(tag, "any")
	}
	return p.IsValid() && p.Bits() == 0
}

// isTag accepts a name: a letter, then letters, digits, '.', '_' or '-'.
// Hex-looking IPv6 text such as "fe80::1" has colons and is not a name;
// "abcd" would be, and no valid address is written so.
func isTag(s string) bool {
	c := s[0]
	if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
		return false
	}
	return strings.IndexFunc(s[1:], func(r rune) bool { return !isTagRune(r) }) < 0
}

func isTagRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-'
}

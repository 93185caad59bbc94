package blueprint

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// EntryCIDRs returns a summary's entry_cidrs: one "{name}:{port}:{cidr}"
// per declared entry point and source range, in the order of declaration.
// Entry point names never contain a colon, so each splits back unambiguously
// (ParseEntryCIDR).
func EntryCIDRs(ingress []segment.Ingress) []string {
	out := []string{}
	for _, in := range ingress {
		for _, from := range in.FromCIDRs {
			out = append(out, fmt.Sprintf("%s:%d:%s", in.Name, in.Port, from))
		}
	}
	return out
}

// ParseEntryCIDR reads one element of a summary's entry_cidrs back into an
// entry point with exactly one source range.
func ParseEntryCIDR(s string) (segment.Ingress, error) {
	name, rest, ok := strings.Cut(s, ":")
	port, cidr, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || name == "" {
		return segment.Ingress{}, fmt.Errorf("%q is not of the form \"name:port:cidr\", such as \"inference-api:443:203.0.113.0/24\"", s)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
		return segment.Ingress{}, fmt.Errorf("%q: the port %q is not a number from 1 to 65535", s, port)
	}
	p, err := netplan.ParsePrefix(cidr)
	if err != nil {
		return segment.Ingress{}, fmt.Errorf("entry %q: %w", s, err)
	}
	if p.String() != cidr {
		return segment.Ingress{}, fmt.Errorf("entry %q: write the range as %q", s, p.String())
	}
	return segment.Ingress{Name: name, Port: n, FromCIDRs: []netip.Prefix{p}}, nil
}

package eval

import (
	"net/netip"
	"strings"
	"testing"
)

func TestProtocol(t *testing.T) {
	tests := map[string]string{
		"-1": "all", "all": "all", "ALL": "all", "*": "all", "Asterisk": "all", "Any": "all",
		"6": "tcp", "06": "tcp", "tcp": "tcp", "Tcp": "tcp", "TCP": "tcp",
		"17": "udp", "udp": "udp", "Udp": "udp",
		"1": "icmp", "icmp": "icmp", "Icmp": "icmp",
		"58": "icmpv6", "icmpv6": "icmpv6", "ipv6-icmp": "icmpv6",
		"50": "esp", "Esp": "esp", "ah": "ah", "132": "sctp", "41": "41", "0": "0", " tcp ": "tcp",
	}
	for in, want := range tests {
		got, err := Protocol(in)
		if err != nil || got != want {
			t.Errorf("Protocol(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-2", "256", "99999999999999999999", "tcpx", "+6"} {
		if got, err := Protocol(in); err == nil {
			t.Errorf("Protocol(%q) = %q, want an error", in, got)
		} else if in != "" && !strings.Contains(err.Error(), `"`+in+`"`) {
			t.Errorf("Protocol(%q) error %q does not name the input", in, err)
		}
	}
}

// portCases are shared by the table test and the fuzz seeds.
var portCases = []struct {
	in       string
	from, to int
	wantErr  string
}{
	{"443", 443, 443, ""},
	{"8000-8080", 8000, 8080, ""},
	{"0-65535", 0, 65535, ""},
	{"*", 0, 65535, ""},
	{"", 0, 65535, ""},
	{" 22 ", 22, 22, ""},
	{"22 - 23", 22, 23, ""},
	{"0", 0, 0, ""},
	{"65535", 65535, 65535, ""},
	{"65536", 0, 0, `port range "65536": port 65536 is out of range`},
	{"99999999999999999999", 0, 0, "out of range"},
	{"8080-8000", 0, 0, `port range "8080-8000": 8080 is above 8000`},
	{"-1", 0, 0, `port range "-1": "" is not a port`},
	{"+80", 0, 0, `"+80" is not a port`},
	{"80-", 0, 0, `"" is not a port`},
	{"1-2-3", 0, 0, `"2-3" is not a port`},
	{"http", 0, 0, `port range "http"`},
}

func TestPortRange(t *testing.T) {
	for _, tc := range portCases {
		from, to, err := PortRange(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("PortRange(%q) error = %v, want one containing %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || from != tc.from || to != tc.to {
			t.Errorf("PortRange(%q) = %d, %d, %v; want %d, %d", tc.in, from, to, err, tc.from, tc.to)
		}
	}
}

// peerCases are shared by the table test and the fuzz seeds.
var peerCases = []struct {
	in      string
	prefix  string // "" when a tag or an error is expected
	tag     string
	any     bool
	wantErr string
}{
	{in: "10.0.0.0/16", prefix: "10.0.0.0/16"},
	{in: "10.0.0.1/16", prefix: "10.0.0.0/16"},
	{in: "10.1.2.3", prefix: "10.1.2.3/32"},
	{in: " 192.168.0.0/24 ", prefix: "192.168.0.0/24"},
	{in: "0.0.0.0/0", prefix: "0.0.0.0/0", any: true},
	{in: "::/0", prefix: "::/0", any: true},
	{in: "2001:db8::/32", prefix: "2001:db8::/32"},
	{in: "2001:db8:1::5/48", prefix: "2001:db8:1::/48"},
	{in: "2001:db8::1", prefix: "2001:db8::1/128"},
	{in: "::ffff:10.0.0.0/104", prefix: "10.0.0.0/8"},
	{in: "::ffff:10.0.0.1", prefix: "10.0.0.1/32"},
	{in: "*", tag: "*", any: true},
	{in: "VirtualNetwork", tag: "VirtualNetwork"},
	{in: "Internet", tag: "Internet"},
	{in: "AzureLoadBalancer", tag: "AzureLoadBalancer"},
	{in: "Storage.WestEurope", tag: "Storage.WestEurope"},
	{in: "pl-0123abcd", tag: "pl-0123abcd"},
	{in: "", wantErr: "peer: empty"},
	{in: "10.0.0.0/33", wantErr: `peer "10.0.0.0/33": not a valid prefix`},
	{in: "10.0.0.256", wantErr: `peer "10.0.0.256": not an address`},
	{in: "10.0.0.0/8/8", wantErr: "not a valid prefix"},
	{in: "fe80::1%eth0", wantErr: "zone"},
	{in: "2001:db8::g/32", wantErr: "not a valid prefix"},
	{in: "Virtual Network", wantErr: "not an address, prefix or tag"},
	{in: "10.0.0.1-10.0.0.5", wantErr: "not an address, prefix or tag"},
}

func TestPeer(t *testing.T) {
	for _, tc := range peerCases {
		p, tag, err := Peer(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Peer(%q) error = %v, want one containing %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Peer(%q): unexpected error %v", tc.in, err)
			continue
		}
		want := netip.Prefix{}
		if tc.prefix != "" {
			want = netip.MustParsePrefix(tc.prefix)
		}
		if p != want || tag != tc.tag {
			t.Errorf("Peer(%q) = %v, %q; want %v, %q", tc.in, p, tag, want, tc.tag)
		}
		if got := AnyPeer(p, tag); got != tc.any {
			t.Errorf("AnyPeer(Peer(%q)) = %v, want %v", tc.in, got, tc.any)
		}
	}
	if !AnyPeer(netip.Prefix{}, "any") || AnyPeer(netip.Prefix{}, "") {
		t.Error("AnyPeer of the tag any or of nothing is wrong")
	}
}

func FuzzPeer(f *testing.F) {
	for _, tc := range peerCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, tag, err := Peer(in)
		switch {
		case err != nil:
			if p.IsValid() || tag != "" {
				t.Errorf("Peer(%q) returned %v, %q with error %v", in, p, tag, err)
			}
		case tag != "":
			if p.IsValid() {
				t.Errorf("Peer(%q) returned both %v and tag %q", in, p, tag)
			}
		default:
			if !p.IsValid() || p != p.Masked() || p.Addr().Zone() != "" || p.Addr().Is4In6() {
				t.Errorf("Peer(%q) = %v: not a valid, masked, unzoned prefix", in, p)
			}
		}
	})
}

func FuzzPortRange(f *testing.F) {
	for _, tc := range portCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		from, to, err := PortRange(in)
		if err != nil {
			if !strings.Contains(err.Error(), "port range") {
				t.Errorf("error %q does not say what it is about", err)
			}
			return
		}
		if from < 0 || to > 65535 || from > to {
			t.Errorf("PortRange(%q) = %d, %d", in, from, to)
		}
	})
}

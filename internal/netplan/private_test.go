package netplan

import (
	"net/netip"
	"slices"
	"testing"
)

func TestIsPrivate(t *testing.T) {
	tests := []struct {
		name   string
		prefix netip.Prefix
		want   bool
	}{
		{"rfc1918 10/8 itself", mp("10.0.0.0/8"), true},
		{"inside 10/8", mp("10.66.0.0/16"), true},
		{"host inside 10/8", mp("10.255.255.255/32"), true},
		{"straddles 10/8", mp("10.0.0.0/7"), false},
		{"just below 10/8", mp("9.255.255.0/24"), false},
		{"172.16/12 itself", mp("172.16.0.0/12"), true},
		{"last /16 of 172.16/12", mp("172.31.0.0/16"), true},
		{"just above 172.16/12", mp("172.32.0.0/16"), false},
		{"straddles 172.16/12", mp("172.16.0.0/11"), false},
		{"192.168/16", mp("192.168.0.0/16"), true},
		{"inside 192.168/16", mp("192.168.10.0/24"), true},
		{"straddles 192.168/16", mp("192.168.0.0/15"), false},
		{"rfc6598 100.64/10", mp("100.64.0.0/10"), true},
		{"inside 100.64/10", mp("100.100.0.0/16"), true},
		{"just above 100.64/10", mp("100.128.0.0/16"), false},
		{"straddles 100.64/10", mp("100.64.0.0/9"), false},
		{"public", mp("8.8.8.0/24"), false},
		{"documentation range", mp("203.0.113.0/24"), false},
		{"everything", mp("0.0.0.0/0"), false},
		{"loopback", mp("127.0.0.0/8"), false},
		{"link local", mp("169.254.0.0/16"), false},
		{"unmasked private", netip.PrefixFrom(netip.MustParseAddr("10.1.2.3"), 16), true},
		{"unmasked straddling", netip.PrefixFrom(netip.MustParseAddr("10.1.2.3"), 7), false},
		{"ula fc00::/7", mp("fc00::/7"), true},
		{"ula fd00::/8", mp("fd00::/8"), true},
		{"ula /48", mp("fd12:3456:789a::/48"), true},
		{"straddles ula", mp("fc00::/6"), false},
		{"ipv6 global", mp("2001:db8::/32"), false},
		{"ipv6 everything", mp("::/0"), false},
		{"ipv4-mapped private is ipv6", mp("::ffff:10.0.0.0/104"), false},
		{"invalid zero value", netip.Prefix{}, false},
		{"invalid bits", netip.PrefixFrom(netip.MustParseAddr("10.0.0.0"), 33), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPrivate(tt.prefix); got != tt.want {
				t.Errorf("IsPrivate(%v) = %v, want %v", tt.prefix, got, tt.want)
			}
		})
	}
}

func TestPrivateRanges(t *testing.T) {
	want := []netip.Prefix{
		mp("10.0.0.0/8"),
		mp("100.64.0.0/10"),
		mp("172.16.0.0/12"),
		mp("192.168.0.0/16"),
		mp("fc00::/7"),
	}
	got := PrivateRanges()
	if !slices.Equal(got, want) {
		t.Fatalf("PrivateRanges() = %v, want %v", got, want)
	}
	// Every range is private by IsPrivate's own definition, and IPv4 comes
	// first.
	seen6 := false
	for _, r := range got {
		if !IsPrivate(r) {
			t.Errorf("IsPrivate(%v) = false for a range PrivateRanges returns", r)
		}
		if r.Addr().Is6() {
			seen6 = true
		} else if seen6 {
			t.Errorf("IPv4 range %v after an IPv6 range", r)
		}
	}
	// The caller owns the result: changing it changes nothing else.
	got[0] = mp("8.8.8.0/24")
	if !IsPrivate(mp("10.0.0.0/8")) || PrivateRanges()[0] != want[0] {
		t.Error("modifying the result of PrivateRanges changed the package's ranges")
	}
}

// mp is netip.MustParsePrefix, short for tables.
func mp(s string) netip.Prefix { return netip.MustParsePrefix(s) }

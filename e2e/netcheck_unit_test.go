//go:build e2e

package e2e

import (
	"net/netip"
	"testing"
)

// The evaluator itself, without moto: it must reproduce AWS's first-match
// semantics, or the isolation checks below would prove nothing.
func TestEvaluateNACL(t *testing.T) {
	pfx := netip.MustParsePrefix
	own := pfx("10.66.0.0/16")
	peer := pfx("10.84.0.0/16")
	base := []naclEntry{
		{number: 100, proto: protoAll, allow: true, cidr: own, ports: allPorts},
		{number: 200, proto: protoAll, allow: false, cidr: pfx("10.0.0.0/8"), ports: allPorts},
		{number: 300, proto: protoTCP, allow: true, cidr: pfx("0.0.0.0/0"), ports: portRange{1024, 65535}},
		{number: 32767, proto: protoAll, allow: false, cidr: pfx("0.0.0.0/0"), ports: allPorts},
	}
	if got := evaluateNACL(base, peer, false); len(got) != 0 {
		t.Errorf("deny of 10.0.0.0/8 at 200 comes before the allow at 300, yet %v is admitted", got)
	}
	if got := evaluateNACL(base, own, false); len(got) == 0 {
		t.Errorf("own range is not admitted")
	}

	withFlow := append([]naclEntry{{number: 150, proto: protoTCP, allow: true, cidr: peer, ports: portRange{4317, 4318}}}, base...)
	got := evaluateNACL(withFlow, peer, false)
	if len(got) != 1 || got[0].proto != protoTCP || got[0].ports != (portRange{4317, 4318}) || got[0].rule != 150 || got[0].first != peer.Addr() || got[0].last != lastAddr(peer) {
		t.Errorf("flow rule: got %v, want tcp 4317-4318 of the whole peer by rule 150", got)
	}
	if got := evaluateNACL(withFlow, peer, true); len(got) != 0 {
		t.Errorf("egress: an ingress rule admitted %v", got)
	}

	// A rule for a part of the peer's range, and a broad allow before the deny.
	partial := []naclEntry{
		{number: 10, proto: protoUDP, allow: true, cidr: pfx("10.84.3.0/24"), ports: portRange{53, 53}},
		{number: 20, proto: protoAll, allow: true, cidr: pfx("10.80.0.0/12"), egress: true, ports: allPorts},
		{number: 32767, proto: protoAll, allow: false, cidr: pfx("0.0.0.0/0"), ports: allPorts},
	}
	got = evaluateNACL(partial, peer, false)
	if len(got) != 1 || got[0].first != netip.MustParseAddr("10.84.3.0") || got[0].last != netip.MustParseAddr("10.84.3.255") || got[0].proto != protoUDP {
		t.Errorf("partial: got %v, want udp 53 from 10.84.3.0/24", got)
	}
	got = evaluateNACL(partial, peer, true)
	protos := map[int]bool{}
	for _, a := range got {
		protos[a.proto] = true
		if a.first != peer.Addr() || a.last != lastAddr(peer) {
			t.Errorf("broad egress allow: cell %v is not the whole peer", a)
		}
	}
	if !protos[protoTCP] || !protos[protoUDP] || !protos[protoICMP] || !protos[protoAll] {
		t.Errorf("broad egress allow: got %v, want every protocol", got)
	}

	// No entry at all: the implicit deny.
	if got := evaluateNACL(nil, peer, false); len(got) != 0 {
		t.Errorf("empty ACL admitted %v", got)
	}
}

func TestParsePolicyAndChecks(t *testing.T) {
	doc := "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fx%22%7D%2C%22Action%22%3A%22s3%3A%2A%22%7D%7D"
	p, err := parsePolicy(doc)
	if err != nil {
		t.Fatal(err)
	}
	if w := wildcardActions(p); len(w) != 1 {
		t.Errorf("wildcards: %v", w)
	}
	r := principalRules{account: "111111111111", foreignAccounts: map[string]string{"222222222222": "staging"}, foreignRoles: map[string]string{"arn:aws:iam::222222222222:role/x": "staging"}}
	if f := checkPrincipals(p, r, nil); len(f) != 1 {
		t.Errorf("principals: %v", f)
	}
	own, err := parsePolicy(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root","Service":["logs.us-east-1.amazonaws.com"]},"Action":["kms:Decrypt"],"Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if f := checkPrincipals(own, r, nil); len(f) != 0 {
		t.Errorf("own principals flagged: %v", f)
	}
	if w := wildcardActions(own); len(w) != 0 {
		t.Errorf("a Deny's wildcard was flagged: %v", w)
	}
	cond, _ := parsePolicy(`{"Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"222222222222"}}}]}`)
	if f := checkPrincipals(cond, r, nil); len(f) != 1 {
		t.Errorf("foreign SourceAccount not flagged: %v", f)
	}
}

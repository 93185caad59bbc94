package plan

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
)

// The extractor and the readers that the clouds' extractors (aws.go,
// google.go, azure.go) share: references, blind spots, firewall peers,
// principals, routes and key users.

// extractor turns resources into facts; the per-type functions in aws.go,
// google.go and azure.go call its helpers.
type extractor struct {
	doc   *doc
	at    *attributor
	facts audit.Facts

	tagged   map[string][]audit.Ref  // network tag -> the instances that carry it (google.go), built on first use
	policies map[string]parsedPolicy // policy document -> its parse, so that each distinct text is parsed once
}

type parsedPolicy struct {
	policy eval.Policy
	err    error
}

// policy parses an AWS policy document. The instances of one resource
// (count, for_each) and the resources of one module carry the same
// documents again and again, so each distinct text is parsed once; the
// parse is only read, never changed.
func (x *extractor) policy(doc string) (eval.Policy, error) {
	if p, ok := x.policies[doc]; ok {
		return p.policy, p.err
	}
	if x.policies == nil {
		x.policies = map[string]parsedPolicy{}
	}
	p, err := eval.ParseAWSPolicy(doc)
	x.policies[doc] = parsedPolicy{p, err}
	return p, err
}

var extractors = map[string]func(*extractor, *resource){}

// ref points at what an attribute of r names: the resources its
// configuration refers to, or whose identifier its known value is.
func (x *extractor) refs(r *resource, attr string) []audit.Ref {
	v, known := r.vals.get(attr).str()
	var out []audit.Ref
	for _, t := range x.at.resolve(r, attr) {
		out = append(out, audit.Ref{Address: t.addr, Value: v})
	}
	if len(out) == 0 && known && v != "" {
		out = append(out, audit.Ref{Value: v})
	}
	return out
}

func (x *extractor) ref(r *resource, attr string) audit.Ref {
	if refs := x.refs(r, attr); len(refs) > 0 {
		return refs[0]
	}
	return audit.Ref{}
}

// blind records a value the check needs that the plan does not know and no
// reference explains.
func (x *extractor) blind(r *resource, path, rule string) {
	x.facts.Blind = append(x.facts.Blind, audit.Blind{Resource: r.index, Path: path, Rule: rule})
}

// peers reads a firewall rule's list of ranges; an unknown list is
// explained by the networks its configuration refers to, which become peer
// groups, and is otherwise a blind spot of SEG701.
func (x *extractor) peers(r *resource, v value, attr, path string) (prefixes []netip.Prefix, groups []audit.Ref) {
	raw, known := v.strs()
	for _, s := range raw {
		p, _, err := eval.Peer(s)
		if err == nil && p.IsValid() && p.Bits() > 0 {
			prefixes = append(prefixes, p)
		}
	}
	if !known {
		targets, explained := x.explaining(r, attr)
		for _, t := range targets {
			groups = append(groups, audit.Ref{Address: t.addr})
		}
		if !explained || len(targets) == 0 {
			x.blind(r, path, "SEG701")
		}
	}
	return prefixes, groups
}

// explaining returns the audited resources an attribute's configuration
// refers to. A reference to anything else (terraform_data, random_id, a
// resource of no cloud) says nothing of whose the value will be, so it does
// not explain it.
func (x *extractor) explaining(r *resource, attr string) ([]*resource, bool) {
	targets, explained := x.doc.references(r, attr)
	var out []*resource
	for _, t := range targets {
		if t.index >= 0 {
			out = append(out, t)
		} else {
			explained = false
		}
	}
	return out, explained
}

// identify points principals with a known identifier at the resource that
// has it.
func (x *extractor) identify(ps []audit.Principal) []audit.Principal {
	for i := range ps {
		if ps[i].Ref == "" && ps[i].Text != "" {
			if rs := x.doc.byIdentifier(ps[i].Text); len(rs) > 0 {
				ps[i].Ref = rs[0].addr
			}
		}
	}
	return ps
}

func (x *extractor) firewall(f audit.FirewallRule) {
	x.facts.FirewallRules = append(x.facts.FirewallRules, f)
}

func (x *extractor) link(l audit.Link) { x.facts.Links = append(x.facts.Links, l) }

func (x *extractor) grant(g audit.Grant) {
	if len(g.Principals) > 0 {
		x.facts.Grants = append(x.facts.Grants, g)
	}
}

// keyTypes are the resources that are keys.
var keyTypes = map[string]bool{"aws_kms_key": true, "aws_kms_replica_key": true, "google_kms_crypto_key": true, "azurerm_key_vault_key": true}

// blocks returns a resource's inline blocks (rules, routes, policies,
// encryption settings). An unknown list that the configuration does not
// write is computed, from separate resources that are audited themselves;
// one it writes is a blind spot of rule.
func (x *extractor) blocks(r *resource, attr, rule string) ([]value, bool) {
	elems, known := r.vals.get(attr).list()
	if !known && configured(r, attr) {
		x.blind(r, attr, rule)
	}
	return elems, known
}

// groupRef points at the resource with a known identifier (a security
// group, a service account, an application security group), or keeps the
// identifier.
func (x *extractor) groupRef(id string) audit.Ref {
	if rs := x.doc.byIdentifier(id); len(rs) > 0 {
		return audit.Ref{Address: rs[0].addr, Value: id}
	}
	return audit.Ref{Value: id}
}

// groupRefs is groupRef, for groupPeers.
func (x *extractor) groupRefs(id string) []audit.Ref { return []audit.Ref{x.groupRef(id)} }

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// portRanges reads ports ("22", "8000-8080"), one range each; none, an
// unknown one or one that does not parse is every port.
func portRanges(proto string, vs ...value) [][2]int {
	all := [][2]int{{0, 65535}}
	if proto == "all" {
		return all
	}
	var out [][2]int
	for _, v := range vs {
		ports, known := v.strs()
		if !known {
			return all
		}
		for _, p := range ports {
			from, to, err := eval.PortRange(p)
			if err != nil {
				return all
			}
			out = append(out, [2]int{from, to})
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// grantRule is the rule that a kind of grant feeds, for its blind spots.
var grantRule = map[audit.GrantKind]string{audit.Trust: "SEG703", audit.Access: "SEG703", audit.KeyUse: "SEG704", audit.Storage: "SEG706"}

// configured reports whether r's configuration writes an attribute.
func configured(r *resource, attr string) bool {
	return r.cfg != nil && r.cfg.Expressions[attr] != nil
}

// isString reports whether a value is known and equal to s, without regard
// to case.
func isString(v value, s string) bool {
	got, ok := v.str()
	return ok && strings.EqualFold(got, s)
}

// target points at what attr names, as ref does; an unknown value that no
// reference explains is a blind spot of rule.
func (x *extractor) target(r *resource, attr, rule string) audit.Ref {
	if r.vals.get(attr).isUnknown() {
		if targets, explained := x.explaining(r, attr); !explained || len(targets) == 0 {
			x.blind(r, attr, rule)
		}
	}
	return x.ref(r, attr)
}

// principals reads the principals a string or list of strings names, with
// parse; an unknown value is explained by the audited resources attr's
// configuration refers to, and is otherwise a blind spot of rule.
func (x *extractor) principals(r *resource, v value, attr, path, rule string, parse func(string) audit.Principal) []audit.Principal {
	if v.v == nil && !v.isUnknown() {
		return nil
	}
	ss, known := v.strs()
	var out []audit.Principal
	for _, s := range ss {
		if s != "" {
			out = append(out, parse(s))
		}
	}
	if !known {
		targets, explained := x.explaining(r, attr)
		for _, t := range unique(targets) {
			out = append(out, audit.Principal{Ref: t.addr})
		}
		if !explained || len(targets) == 0 {
			x.blind(r, path, rule)
		}
	}
	return out
}

// groupPeers reads a list of group identifiers (tags, service accounts,
// application security groups) a firewall rule admits, with lookup; an
// unknown list is explained by the resources attr's configuration refers
// to, and is otherwise a blind spot of SEG701.
func (x *extractor) groupPeers(r *resource, v value, attr, path string, lookup func(string) []audit.Ref) []audit.Ref {
	if v.v == nil && !v.isUnknown() {
		return nil
	}
	ids, known := v.strs()
	var out []audit.Ref
	for _, id := range ids {
		out = append(out, lookup(id)...)
	}
	if !known {
		targets, explained := x.explaining(r, attr)
		for _, t := range unique(targets) {
			out = append(out, audit.Ref{Address: t.addr})
		}
		if !explained || len(targets) == 0 {
			x.blind(r, path, "SEG701")
		}
	}
	return out
}

// routeLinks records a route towards a destination range. Names that are
// not ranges (Azure's service tags such as Internet) record nothing; an
// unknown destination is the ranges of the networks its configuration
// refers to, and is otherwise a blind spot of SEG702.
func (x *extractor) routeLinks(r *resource, v value, attr, path string, from audit.Ref) {
	if s, ok := v.str(); ok {
		if p, _, err := eval.Peer(s); err == nil && p.IsValid() && p.Bits() > 0 {
			x.link(audit.Link{Resource: r.index, Path: path, Kind: audit.Route, From: from, Destination: p})
		}
		return
	}
	if !v.isUnknown() {
		return
	}
	targets, explained := x.explaining(r, attr)
	found := false
	for _, t := range unique(targets) {
		for _, p := range networkRanges(t) {
			x.link(audit.Link{Resource: r.index, Path: path, Kind: audit.Route, From: from, Destination: p})
			found = true
		}
	}
	if !explained || !found {
		x.blind(r, path, "SEG702")
	}
}

// nestedKeyUsers records that r encrypts with the key that attr of each
// element of a block names (block[i].attr). The configuration's references
// of attr in the block are followed, or, where the block is not written as
// blocks (dynamic blocks, an attribute of objects), those of the whole
// block.
func (x *extractor) nestedKeyUsers(r *resource, block, attr string) {
	elems, _ := x.blocks(r, block, "SEG705")
	if len(elems) == 0 {
		return
	}
	targets := x.nestedReferences(r, block, attr)
	for i, e := range elems {
		x.keyUse(r, e.get(attr), targets, block+"["+strconv.Itoa(i)+"]."+attr)
	}
}

// topKeyUser records that r encrypts with the key a top-level attribute
// names.
func (x *extractor) topKeyUser(r *resource, attr string) {
	targets, _ := x.doc.references(r, attr)
	x.keyUse(r, r.vals.get(attr), targets, attr)
}

// keyUse records the key a value names: a key among the resources its
// configuration refers to, else the key whose identifier its known value
// is, else the value itself. An unknown value that refers to no key is a
// blind spot of SEG705.
func (x *extractor) keyUse(r *resource, v value, targets []*resource, path string) {
	s, known := v.str()
	if known && s == "" || v.v == nil && !v.isUnknown() {
		return
	}
	for _, t := range targets {
		if keyTypes[t.typ] {
			x.facts.KeyUsers = append(x.facts.KeyUsers, audit.KeyUser{Resource: r.index, Path: path, Key: audit.Ref{Address: t.addr}})
			return
		}
	}
	if !known {
		x.blind(r, path, "SEG705")
		return
	}
	key := audit.Ref{Value: keyID(s)}
	if t := x.keyByIdentifier(s); t != nil {
		key.Address = t.addr
	}
	x.facts.KeyUsers = append(x.facts.KeyUsers, audit.KeyUser{Resource: r.index, Path: path, Key: key})
}

// keyID is a key's identifier without its version: a Google key's
// ".../cryptoKeys/K/cryptoKeyVersions/N" is ".../cryptoKeys/K", an Azure
// key's "https://V.vault.azure.net/keys/K/VERSION" is
// "https://v.vault.azure.net/keys/K", so that users of one key that name
// different versions are users of the same key.
func keyID(s string) string {
	if i := strings.Index(s, "/cryptoKeyVersions/"); i >= 0 {
		return s[:i]
	}
	if rest, ok := strings.CutPrefix(s, "https://"); ok {
		host, path, _ := strings.Cut(rest, "/")
		if seg := strings.Split(path, "/"); len(seg) == 3 && strings.EqualFold(seg[0], "keys") {
			return "https://" + strings.ToLower(host) + "/keys/" + seg[1]
		}
	}
	return s
}

// keyByIdentifier returns the key whose identifier, any version of it, or
// (Azure) versionless or resource ID is s.
func (x *extractor) keyByIdentifier(s string) *resource {
	for _, t := range x.doc.byIdentifier(s) {
		if keyTypes[t.typ] {
			return t
		}
	}
	want := keyID(s)
	for _, t := range x.doc.resources {
		if !t.managed || !keyTypes[t.typ] {
			continue
		}
		for _, k := range []string{"id", "versionless_id", "resource_id", "resource_versionless_id"} {
			if id, ok := t.vals.get(k).str(); ok && id != "" && strings.EqualFold(keyID(id), want) {
				return t
			}
		}
	}
	return nil
}

// nestedReferences returns the resources that attr of a block's elements
// refers to in the configuration, or, when the configuration does not
// write the block as blocks, those the whole block refers to.
func (x *extractor) nestedReferences(r *resource, block, attr string) []*resource {
	if targets, written := x.doc.blockRefs(r, block, attr); written {
		return targets
	}
	targets, _ := x.doc.references(r, block)
	return targets
}

// uniqueRefs drops repeated peer groups (x.peers names a network once for
// each reference to it), keeping order, in a list of its own.
func uniqueRefs(refs []audit.Ref) []audit.Ref {
	var out []audit.Ref
	for _, r := range refs {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// unique drops repeats (a reference to x.id also lists x), keeping order.
func unique(rs []*resource) []*resource {
	var out []*resource
	for _, r := range rs {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

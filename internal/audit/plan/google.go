package plan

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
)

// The Google Cloud resources (hashicorp/google 8.x) the audit reads. The
// helpers after the extractors are shared with azure.go.

func init() {
	for typ, f := range map[string]func(*extractor, *resource){
		"google_compute_firewall":            googleFirewall,
		"google_compute_network_peering":     googlePeering,
		"google_compute_route":               googleRoute,
		"google_project_iam_member":          googleIAM(audit.Access, "project"),
		"google_project_iam_binding":         googleIAM(audit.Access, "project"),
		"google_service_account_iam_member":  googleIAM(audit.Trust, "service_account_id"),
		"google_service_account_iam_binding": googleIAM(audit.Trust, "service_account_id"),
		"google_kms_crypto_key_iam_member":   googleIAM(audit.KeyUse, "crypto_key_id"),
		"google_kms_crypto_key_iam_binding":  googleIAM(audit.KeyUse, "crypto_key_id"),
		"google_kms_key_ring_iam_member":     googleIAM(audit.KeyUse, "key_ring_id"),
		"google_kms_key_ring_iam_binding":    googleIAM(audit.KeyUse, "key_ring_id"),
		"google_storage_bucket_iam_member":   googleIAM(audit.Storage, "bucket"),
		"google_storage_bucket_iam_binding":  googleIAM(audit.Storage, "bucket"),
	} {
		extractors[typ] = f
	}
	// Key users: the block and the attribute in it that names the key.
	for typ, at := range map[string][2]string{
		"google_storage_bucket":    {"encryption", "default_kms_key_name"},
		"google_compute_disk":      {"disk_encryption_key", "kms_key_self_link"},
		"google_container_cluster": {"database_encryption", "key_name"},
		"google_bigquery_dataset":  {"default_encryption_configuration", "kms_key_name"},
	} {
		block, attr := at[0], at[1]
		extractors[typ] = func(x *extractor, r *resource) { x.nestedKeyUsers(r, block, attr) }
	}
}

// googleDefaultPriority is the priority of a firewall rule that sets none.
const googleDefaultPriority = 1000

// googleFirewall reads one allow or deny rule per block of a firewall and
// port range of the block. Its peers are its source ranges, tags and
// service accounts (ingress) or its destination ranges (egress), and the
// network it is attached to is the owner whose members it protects.
//
// Priorities are kept as written. Google lets a deny win over an allow of
// equal priority, and priority 0 is the highest; the checks' shadowing
// wants a deny of strictly lower, non-zero priority, so in those two edge
// cases an allow is reported that Google would deny: never the reverse.
func googleFirewall(x *extractor, r *resource) {
	if d, ok := r.vals.get("disabled").str(); ok && d == "true" {
		return // a disabled rule admits and denies nothing
	}
	dir := audit.Ingress
	switch d := r.vals.get("direction"); {
	case isString(d, "EGRESS"):
		dir = audit.Egress
	case d.isUnknown() && configured(r, "direction"):
		// Unknown at plan yet written: read as INGRESS, the default, and
		// say that the direction was not known.
		x.blind(r, "direction", "SEG701")
	}
	priority := googleDefaultPriority
	if v := r.vals.get("priority"); v.v != nil || v.isUnknown() {
		priority, _ = v.num() // unknown: 0, unordered, so that it shadows nothing
	}
	owner := x.target(r, "network", "SEG701")

	var peers []netip.Prefix
	var groups []audit.Ref
	if dir == audit.Ingress {
		peers, groups = x.peers(r, r.vals.get("source_ranges"), "source_ranges", "source_ranges")
		// Tags and service accounts are groups of instances: a tag points
		// at the instances that carry it, a service account at itself.
		groups = append(groups, x.groupPeers(r, r.vals.get("source_tags"), "source_tags", "source_tags", x.taggedInstances)...)
		groups = append(groups, x.groupPeers(r, r.vals.get("source_service_accounts"), "source_service_accounts", "source_service_accounts", x.serviceAccount)...)
	} else if v := r.vals.get("destination_ranges"); !v.isUnknown() || configured(r, "destination_ranges") {
		// Unwritten, the destination ranges are computed by Google as
		// every address, which the audit, like 0.0.0.0/0, records as no
		// particular peer.
		peers, groups = x.peers(r, v, "destination_ranges", "destination_ranges")
	}

	for _, action := range []string{"allow", "deny"} {
		blocks, known := r.vals.get(action).list()
		if !known {
			x.blind(r, action, "SEG701")
			continue
		}
		for i, b := range blocks {
			proto := "all"
			if p, ok := b.get("protocol").str(); ok {
				if n, err := eval.Protocol(p); err == nil {
					proto = n
				}
			}
			for _, pr := range portRanges(proto, b.get("ports")) {
				x.firewall(audit.FirewallRule{
					Resource: r.index, Path: action + "[" + strconv.Itoa(i) + "]", Direction: dir, Owner: owner,
					Protocol: proto, FromPort: pr[0], ToPort: pr[1], Deny: action == "deny", Priority: priority,
					Peers: slices.Clone(peers), PeerGroups: uniqueRefs(groups),
				})
			}
		}
	}
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

// taggedInstances points a firewall's source tag at the instances and
// templates that carry it, or keeps the tag when none in the plan does.
func (x *extractor) taggedInstances(tag string) []audit.Ref {
	var out []audit.Ref
	for _, t := range x.doc.resources {
		switch t.typ {
		case "google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template", "google_compute_instance_from_template":
			if tags, _ := t.vals.get("tags").strs(); t.managed && slices.Contains(tags, tag) {
				out = append(out, audit.Ref{Address: t.addr, Value: tag})
			}
		}
	}
	if len(out) == 0 {
		out = append(out, audit.Ref{Value: tag})
	}
	return out
}

// serviceAccount points an e-mail at the service account that has it.
func (x *extractor) serviceAccount(email string) []audit.Ref {
	ref := audit.Ref{Value: email}
	if rs := x.doc.byIdentifier(email); len(rs) > 0 {
		ref.Address = rs[0].addr
	}
	return []audit.Ref{ref}
}

func googlePeering(x *extractor, r *resource) {
	x.link(audit.Link{Resource: r.index, Path: "peer_network", Kind: audit.Peering, From: x.target(r, "network", "SEG702"), To: x.target(r, "peer_network", "SEG702")})
}

func googleRoute(x *extractor, r *resource) {
	x.routeLinks(r, r.vals.get("dest_range"), "dest_range", "dest_range", x.target(r, "network", "SEG702"))
}

// grantRule is the rule that a kind of grant feeds, for its blind spots.
var grantRule = map[audit.GrantKind]string{audit.Trust: "SEG703", audit.Access: "SEG703", audit.KeyUse: "SEG704", audit.Storage: "SEG706"}

// googleIAM reads an IAM member or binding: its member, or its members,
// granted a role on the project, service account, key, key ring or bucket
// that targetAttr names.
func googleIAM(kind audit.GrantKind, targetAttr string) func(*extractor, *resource) {
	return func(x *extractor, r *resource) {
		rule := grantRule[kind]
		g := audit.Grant{Resource: r.index, Kind: kind, Target: x.target(r, targetAttr, rule)}
		for _, attr := range []string{"member", "members"} {
			if v := r.vals.get(attr); v.v != nil || v.isUnknown() {
				g.Path = attr
				g.Principals = append(g.Principals, x.principals(r, v, attr, attr, rule, x.googleMember)...)
			}
		}
		x.grant(g)
	}
}

// googleMember is the principal an IAM member names. A service account is
// pointed at its resource when the plan has it. The members that mean
// anyone (allUsers, allAuthenticatedUsers) are "*", which the checks read
// as every principal, every other environment's included.
func (x *extractor) googleMember(s string) audit.Principal {
	m, err := eval.ParseGCPMember(s)
	if err != nil {
		return audit.Principal{Text: s}
	}
	p, _ := eval.GCPMember(s)
	if m.Public {
		p.Text = "*"
	}
	if m.Kind == "serviceAccount" && !m.WorkloadIdentity {
		if rs := x.doc.byIdentifier(m.Value); len(rs) > 0 {
			p.Ref = rs[0].addr
		}
	}
	return p
}

// The helpers below are cloud-neutral; azure.go uses them too.

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
	elems, _ := r.vals.get(block).list()
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
	if r.cfg == nil {
		return nil
	}
	e := r.cfg.Expressions[block]
	if e == nil || e.ExpressionData == nil || len(e.NestedBlocks) == 0 {
		targets, _ := x.doc.references(r, block)
		return targets
	}
	w := &refWalk{d: x.doc, seen: map[string]bool{}, explained: true}
	for _, nb := range e.NestedBlocks {
		w.expr(nb[attr], r.calls, r.module)
	}
	return unique(w.targets)
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

package plan

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
)

// The Google Cloud resources (hashicorp/google 8.x) the audit reads.

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
		groups = append(groups, x.groupPeers(r, r.vals.get("source_service_accounts"), "source_service_accounts", "source_service_accounts", x.groupRefs)...)
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

// taggedInstances points a firewall's source tag at the instances and
// templates that carry it, or keeps the tag when none in the plan does.
// The tags are indexed on first use.
func (x *extractor) taggedInstances(tag string) []audit.Ref {
	if x.tagged == nil {
		x.tagged = map[string][]audit.Ref{}
		for _, t := range x.doc.resources {
			if !t.managed || !googleInstanceTypes[t.typ] {
				continue
			}
			tags, _ := t.vals.get("tags").strs()
			for _, tag := range tags {
				if refs := x.tagged[tag]; len(refs) == 0 || refs[len(refs)-1].Address != t.addr {
					x.tagged[tag] = append(refs, audit.Ref{Address: t.addr, Value: tag})
				}
			}
		}
	}
	if refs := x.tagged[tag]; len(refs) > 0 {
		return slices.Clip(refs)
	}
	return []audit.Ref{{Value: tag}}
}

// googleInstanceTypes are the resources whose network tags a firewall's
// source tags select.
var googleInstanceTypes = map[string]bool{
	"google_compute_instance": true, "google_compute_instance_template": true,
	"google_compute_region_instance_template": true, "google_compute_instance_from_template": true,
}

func googlePeering(x *extractor, r *resource) {
	x.link(audit.Link{Resource: r.index, Path: "peer_network", Kind: audit.Peering, From: x.target(r, "network", "SEG702"), To: x.target(r, "peer_network", "SEG702")})
}

func googleRoute(x *extractor, r *resource) {
	x.routeLinks(r, r.vals.get("dest_range"), "dest_range", "dest_range", x.target(r, "network", "SEG702"))
}

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

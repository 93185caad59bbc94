package plan

import (
	"net/netip"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Options are what the reader may use besides the document.
type Options struct {
	// Environments is the environments file; nil when there is none.
	Environments *envfile.File
	// Source is the configuration's source (--source). The plan holds no
	// local values: with the source, a value that comes through a local is
	// followed to what the local refers to.
	Source *source.Locator
}

// Facts reads a document's resources into the audit's facts. file may be
// nil when there is no environments file.
func Facts(d *Document, file *envfile.File) audit.Facts {
	return FactsWith(d, Options{Environments: file})
}

// FactsWith reads a document's resources into the audit's facts.
func FactsWith(d *Document, opt Options) audit.Facts {
	file := opt.Environments
	doc := newDoc(d)
	doc.locals = opt.Source
	reg := newRegistry(file)
	at := newAttributor(doc, reg, file)
	at.declareFromPlan()

	x := &extractor{doc: doc, at: at}
	for _, r := range doc.resources {
		c := cloudOf(r.typ)
		if !r.managed || c == "" {
			continue
		}
		r.index = len(x.facts.Resources)
		x.facts.Resources = append(x.facts.Resources, audit.Resource{Address: r.addr, Type: r.typ, Cloud: c})
	}
	for _, r := range doc.resources {
		if r.index < 0 {
			continue
		}
		x.facts.Resources[r.index].Attribution = at.attribute(r)
		if ranges := networkRanges(r); len(ranges) > 0 {
			x.facts.Networks = append(x.facts.Networks, audit.Network{Resource: r.index, Path: networkPath(r.typ), CIDRs: ranges})
			if env := x.facts.Resources[r.index].Attribution.Environment; env != "" {
				reg.declare(audit.Environment{Name: env, CIDRs: ranges})
			}
		}
		if extract := extractors[r.typ]; extract != nil {
			extract(x, r)
		}
	}
	x.facts.Environments = reg.list()
	x.facts.Flows = reg.flows
	return x.facts
}

func cloudOf(typ string) segment.Cloud {
	switch {
	case strings.HasPrefix(typ, "aws_"):
		return "aws"
	case strings.HasPrefix(typ, "google_"):
		return "gcp"
	case strings.HasPrefix(typ, "azurerm_"):
		return "azure"
	}
	return ""
}

func networkPath(typ string) string {
	switch typ {
	case "google_compute_subnetwork":
		return "ip_cidr_range"
	case "azurerm_virtual_network":
		return "address_space"
	case "azurerm_subnet":
		return "address_prefixes"
	}
	return "cidr_block"
}

// extractor turns resources into facts; the per-type functions in aws.go,
// google.go and azure.go call its helpers.
type extractor struct {
	doc   *doc
	at    *attributor
	facts audit.Facts
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

// principals reads the grantees of an IAM policy document; an unknown
// document is explained by the resources its configuration (and the
// policy documents it is built from) refers to.
func (x *extractor) policyPrincipals(r *resource, attr, rule string) ([]audit.Principal, bool) {
	v := r.vals.get(attr)
	if doc, ok := v.str(); ok {
		if doc == "" {
			return nil, false
		}
		p, err := eval.ParseAWSPolicy(doc)
		if err != nil {
			x.blind(r, attr, rule)
			return nil, false
		}
		return x.identify(p.Grantees()), true
	}
	if v.v == nil && !v.isUnknown() {
		return nil, false
	}
	targets, explained := x.explaining(r, attr)
	var out []audit.Principal
	for _, t := range targets {
		out = append(out, audit.Principal{Ref: t.addr})
	}
	// Principals the referenced policy documents already know.
	for _, t := range x.dataDocuments(r, attr) {
		if s, ok := t.vals.get("json").str(); ok {
			if p, err := eval.ParseAWSPolicy(s); err == nil {
				out = append(out, x.identify(p.Grantees())...)
			}
		}
	}
	if !explained {
		x.blind(r, attr, rule)
	}
	return out, true
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

// dataDocuments returns the data sources an attribute refers to directly.
func (x *extractor) dataDocuments(r *resource, attr string) []*resource {
	if r.cfg == nil || r.cfg.Expressions[attr] == nil || r.cfg.Expressions[attr].ExpressionData == nil {
		return nil
	}
	var out []*resource
	for _, ref := range r.cfg.Expressions[attr].References {
		parts := splitRef(ref)
		if len(parts) >= 3 && parts[0] == "data" {
			prefix := ""
			for _, c := range r.calls {
				prefix += "module." + c + "."
			}
			out = append(out, x.doc.instances(prefix+"data."+parts[1]+"."+parts[2], r.module)...)
		}
	}
	return out
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

// keyUser records that r encrypts with the key an attribute names: the key
// its configuration refers to, or the key whose identifier its value is.
func (x *extractor) keyUser(r *resource, attr, path string) {
	v := r.vals.get(attr)
	if s, ok := v.str(); ok && s == "" {
		return
	}
	for _, t := range x.at.resolve(r, attr) {
		if keyTypes[t.typ] {
			x.facts.KeyUsers = append(x.facts.KeyUsers, audit.KeyUser{Resource: r.index, Path: path, Key: audit.Ref{Address: t.addr}})
			return
		}
	}
	if s, ok := v.str(); ok {
		x.facts.KeyUsers = append(x.facts.KeyUsers, audit.KeyUser{Resource: r.index, Path: path, Key: audit.Ref{Value: s}})
	}
}

// keyTypes are the resources that are keys.
var keyTypes = map[string]bool{"aws_kms_key": true, "aws_kms_replica_key": true, "google_kms_crypto_key": true, "azurerm_key_vault_key": true}

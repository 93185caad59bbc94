package envfile

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// decoder turns a body into a File, collecting every diagnostic, and keeps
// what the checks across blocks need.
type decoder struct {
	out   *File
	diags hcl.Diagnostics

	envs       map[string]envDecl
	cidrs      []cidrDecl
	accounts   map[string]ownedDecl
	principals map[string]ownedDecl
	patterns   []patternDecl
	flows      map[flowKey]hcl.Range
}

type envDecl struct {
	tier segment.Tier // empty when the tier was invalid
	rng  hcl.Range    // the name label
}

type cidrDecl struct {
	env    string
	prefix netip.Prefix
	rng    hcl.Range
}

type ownedDecl struct {
	env string
	rng hcl.Range
}

// flowKey identifies a flow.
type flowKey struct {
	from, to string
	purpose  segment.FlowPurpose
}

type patternDecl struct {
	Pattern
	rng hcl.Range
}

func newDecoder() *decoder {
	return &decoder{
		out:        &File{},
		envs:       map[string]envDecl{},
		accounts:   map[string]ownedDecl{},
		principals: map[string]ownedDecl{},
		flows:      map[flowKey]hcl.Range{},
	}
}

// file decodes the top-level body: tag_keys, then every environment, then
// every flow, so that a flow may name an environment declared after it.
func (d *decoder) file(body hcl.Body) {
	content, diags := body.Content(rootSchema)
	d.diags = append(d.diags, diags...)
	if content == nil {
		return
	}
	d.tagKeys(content.Attributes["tag_keys"])
	for _, b := range content.Blocks {
		if b.Type == "environment" {
			d.environment(b)
		}
	}
	d.checkCIDROverlaps()
	d.checkPatternOverlaps()
	for _, b := range content.Blocks {
		switch b.Type {
		case "flow":
			d.flow(b)
		case "waiver":
			d.waiver(b)
		}
	}
	slices.SortStableFunc(d.diags, func(a, b *hcl.Diagnostic) int {
		if a.Subject == nil || b.Subject == nil {
			return 0
		}
		return cmp.Or(cmp.Compare(a.Subject.Filename, b.Subject.Filename), cmp.Compare(a.Subject.Start.Byte, b.Subject.Start.Byte))
	})
}

// tagKeys decodes tag_keys: a non-empty list of distinct, non-blank keys.
func (d *decoder) tagKeys(attr *hcl.Attribute) {
	if attr == nil {
		d.out.TagKeys = DefaultTagKeys()
		return
	}
	keys, ok := d.stringList(attr, "a tag key", `"segmented:environment", "env"`)
	if ok && len(keys) == 0 {
		d.errorf(attr.Expr.Range(), "No tag keys",
			"tag_keys is empty, so no tag could name an environment. List at least one key, such as [%q], or remove tag_keys to use the default [%s].",
			segment.EnvironmentTagKey, quoteJoin(DefaultTagKeys()))
	}
	seen := map[string]hcl.Range{}
	for _, k := range keys {
		if msg := checkText(k.val); msg != "" {
			d.errorf(k.rng, "Invalid tag key", "The tag key %q is not valid: %s.", k.val, msg)
			continue
		}
		if first, dup := seen[k.val]; dup {
			d.errorf(k.rng, "Duplicate tag key", "The tag key %q is already listed at %s; list each key once.", k.val, at(first))
			continue
		}
		seen[k.val] = k.rng
		d.out.TagKeys = append(d.out.TagKeys, k.val)
	}
}

// environment decodes one environment block. The body of a block whose
// name is already taken is still checked, on its own, so that all of its
// problems are reported too.
func (d *decoder) environment(b *hcl.Block) {
	name, nameRng := b.Labels[0], b.LabelRanges[0]
	d.checkEnvironmentName(name, nameRng)
	if first, dup := d.envs[name]; dup {
		d.errorf(nameRng, "Duplicate environment",
			"The environment %q is already declared at %s. Give each environment a unique name, or merge the two blocks.", name, at(first.rng))
		scratch := newDecoder()
		scratch.environmentBody(name, b)
		d.diags = append(d.diags, scratch.diags...)
		return
	}
	env := d.environmentBody(name, b)
	d.envs[name] = envDecl{tier: env.Tier, rng: nameRng}
	d.out.Environments = append(d.out.Environments, env)
}

// environmentBody decodes the attributes of an environment block.
func (d *decoder) environmentBody(name string, b *hcl.Block) audit.Environment {
	env := audit.Environment{Name: name, Source: audit.ByEnvironmentFile}
	content, diags := b.Body.Content(environmentSchema)
	d.diags = append(d.diags, diags...)
	if content == nil {
		return env
	}
	if attr := content.Attributes["tier"]; attr != nil {
		env.Tier = d.tier(attr)
	}
	if attr := content.Attributes["cidrs"]; attr != nil {
		env.CIDRs = d.envCIDRs(name, attr)
	}
	if attr := content.Attributes["accounts"]; attr != nil {
		env.Accounts = d.owned(name, attr, d.accounts, "account", checkAccount)
	}
	if attr := content.Attributes["principals"]; attr != nil {
		env.Principals = d.owned(name, attr, d.principals, "principal", checkPrincipal)
	}
	if attr := content.Attributes["names"]; attr != nil {
		d.envPatterns(name, KindName, attr)
	}
	if attr := content.Attributes["addresses"]; attr != nil {
		d.envPatterns(name, KindAddress, attr)
	}
	return env
}

// tier decodes an environment's tier; it returns "" when the tier is not valid.
func (d *decoder) tier(attr *hcl.Attribute) segment.Tier {
	s, ok := d.stringValue(attr.Expr, "tier", `"production"`)
	if !ok {
		return ""
	}
	t := segment.Tier(s.val)
	if !t.Valid() {
		d.errorf(s.rng, "Invalid tier", "The tier %q is not one of %s.", s.val, quoteList(segment.Tiers(), "or"))
		return ""
	}
	return t
}

// envCIDRs decodes an environment's cidrs.
func (d *decoder) envCIDRs(env string, attr *hcl.Attribute) []netip.Prefix {
	list, _ := d.stringList(attr, "a CIDR", `"10.3.0.0/16"`)
	var out []netip.Prefix
	for _, s := range list {
		p, ok := d.cidr(s)
		if !ok {
			continue
		}
		out = append(out, p)
		d.cidrs = append(d.cidrs, cidrDecl{env: env, prefix: p, rng: s.rng})
	}
	return out
}

// cidr parses one CIDR, which must be canonical and narrower than /0.
func (d *decoder) cidr(s str) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s.val)
	if err != nil {
		d.errorf(s.rng, "Invalid CIDR",
			"%q is not a CIDR prefix: write an address, a slash and a prefix length, such as \"10.3.0.0/16\" or \"fd00:3::/48\".", s.val)
		return netip.Prefix{}, false
	}
	if m := p.Masked(); m != p {
		d.errorf(s.rng, "CIDR not in canonical form",
			"%q has host bits set, so it names the same range as %q; write %q.", s.val, m.String(), m.String())
		return netip.Prefix{}, false
	}
	if p.Bits() == 0 {
		d.errorf(s.rng, "CIDR covers every address",
			"%q holds every address, so every peer on the internet would count as this environment. List the environment's own ranges.", s.val)
		return netip.Prefix{}, false
	}
	if p.Addr().Is4() && !isPrivate(p) {
		d.warnf(s.rng, "CIDR not a private range",
			"%q is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10), so public peers in it will count as this environment. Check that the environment really owns it.", s.val)
	}
	return p, true
}

// owned decodes a list of identifiers that belong to one environment only:
// accounts or principals. check returns the canonical form, or why the
// value is not valid.
func (d *decoder) owned(env string, attr *hcl.Attribute, seen map[string]ownedDecl, what string, check func(string) (string, string)) []string {
	list, _ := d.stringList(attr, articles[what]+" "+what, examples[what])
	var out []string
	for _, s := range list {
		val, msg := check(s.val)
		if msg != "" {
			d.errorf(s.rng, "Invalid "+what, "%q is not valid: %s.", s.val, msg)
			continue
		}
		if first, dup := seen[val]; dup {
			if first.env == env {
				d.errorf(s.rng, "Duplicate "+what, "%q is already listed at %s; list it once.", s.val, at(first.rng))
			} else {
				d.errorf(s.rng, "The "+what+" is in two environments",
					"%q is already in environment %q (%s). %s %s belongs to one environment only: one shared between environments is the breach of isolation the audit looks for. Remove it from one of them.",
					s.val, first.env, at(first.rng), strings.ToUpper(articles[what][:1])+articles[what][1:], what)
			}
			continue
		}
		seen[val] = ownedDecl{env: env, rng: s.rng}
		out = append(out, val)
	}
	return out
}

var articles = map[string]string{"account": "an", "principal": "a"}

var examples = map[string]string{
	"account":   `"333333333333"`,
	"principal": `"arn:aws:iam::333333333333:role/prod-deployer"`,
}

// envPatterns decodes an environment's names or addresses.
func (d *decoder) envPatterns(env, kind string, attr *hcl.Attribute) {
	example := `"prod-*"`
	check := checkName
	if kind == KindAddress {
		example, check = `"module.prod.*"`, checkAddress
	}
	list, _ := d.stringList(attr, "a "+kind+" pattern", example)
	for _, s := range list {
		if msg := check(s.val, example); msg != "" {
			d.errorf(s.rng, "Invalid "+kind+" pattern", "The pattern %q is not valid: %s.", s.val, msg)
			continue
		}
		p := Pattern{Environment: env, Kind: kind, Glob: s.val}
		d.patterns = append(d.patterns, patternDecl{Pattern: p, rng: s.rng})
		d.out.Patterns = append(d.out.Patterns, p)
	}
}

// flow decodes one flow block and checks it against the tier policy.
func (d *decoder) flow(b *hcl.Block) {
	content, diags := b.Body.Content(flowSchema)
	d.diags = append(d.diags, diags...)
	if content == nil {
		return
	}
	var ends [2]str
	var tiers [2]segment.Tier
	ok := true
	for i, name := range []string{"from", "to"} {
		attr := content.Attributes[name]
		if attr == nil {
			ok = false
			continue
		}
		s, good := d.stringValue(attr.Expr, name, `"staging"`)
		if !good {
			ok = false
			continue
		}
		ends[i] = s
		env, declared := d.envs[s.val]
		if !declared {
			fix := "Declare it in an environment block."
			if names := d.envNames(); len(names) > 0 {
				fix = "Declare it, or name one of " + quoteList(names, "or") + "."
			}
			d.errorf(s.rng, "Unknown environment",
				"The flow's %s names %q, which no environment block declares. %s", name, s.val, fix)
			ok = false
			continue
		}
		tiers[i] = env.tier
	}
	var purpose segment.FlowPurpose
	if attr := content.Attributes["purpose"]; attr != nil {
		s, good := d.stringValue(attr.Expr, "purpose", `"model-promotion"`)
		purpose = segment.FlowPurpose(s.val)
		if good && !slices.Contains(segment.FlowPurposes(), purpose) {
			d.errorf(s.rng, "Unknown flow purpose", "The purpose %q is not one of %s.", s.val, quoteList(segment.FlowPurposes(), "or"))
			good = false
		}
		ok = ok && good
	} else {
		ok = false
	}
	if !ok {
		return
	}
	f := segment.Flow{From: ends[0].val, To: ends[1].val, Purpose: purpose}
	key := flowKey{f.From, f.To, f.Purpose}
	if first, dup := d.flows[key]; dup {
		d.errorf(b.DefRange, "Duplicate flow", "A flow from %q to %q for %s is already declared at %s; declare each flow once.", f.From, f.To, f.Purpose, at(first))
		return
	}
	d.flows[key] = b.DefRange
	if tiers[0] != "" && tiers[1] != "" { // an invalid tier is reported already
		if !d.checkPolicy(f, tiers, b.DefRange) {
			return
		}
	}
	d.out.Flows = append(d.out.Flows, f)
}

// checkPolicy reports a flow that the tier policy does not allow.
func (d *decoder) checkPolicy(f segment.Flow, tiers [2]segment.Tier, rng hcl.Range) bool {
	if f.From == f.To {
		d.errorf(rng, "Flow within one environment", "The flow goes from %q to itself; a flow joins two different environments. Remove it.", f.From)
		return false
	}
	if segment.FlowAllowed(tiers[0], tiers[1], f.Purpose) {
		return true
	}
	allowed := segment.AllowedPurposes(tiers[0], tiers[1])
	var why string
	fix := "Remove the flow, or give it a purpose the tiers allow."
	switch {
	case tiers[0] == tiers[1]:
		why = fmt.Sprintf("two environments of the same tier (%s) are isolated from each other, and nothing may flow between them", tiers[0])
		fix = "Remove the flow."
	case len(allowed) == 0:
		why = fmt.Sprintf("nothing may flow from %s to %s", tiers[0], tiers[1])
		if tiers[0] == segment.Production && tiers[1].Lower() {
			why += ": production data must not move to a lower tier"
		}
		fix = "Remove the flow."
	default:
		why = fmt.Sprintf("from %s to %s only %s may flow", tiers[0], tiers[1], quoteList(allowed, "or"))
	}
	d.errorf(rng, "Flow not allowed by the tier policy",
		"A %s flow from %q (%s) to %q (%s) is not allowed: %s (%s). %s",
		f.Purpose, f.From, tiers[0], f.To, tiers[1], why, rulePolicy, fix)
	return false
}

// rulePolicy names the provider's rule for the same check, so a reader can
// look up the policy table.
const rulePolicy = "the tier policy of SEG602"

// envNames returns the declared environment names, sorted.
func (d *decoder) envNames() []string {
	names := make([]string, 0, len(d.envs))
	for n := range d.envs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

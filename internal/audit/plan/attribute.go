package plan

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// moduleTag is the tag the generated modules put on every resource.
const moduleTag = "segmented:environment"

// attributor decides which environment each resource belongs to. The
// methods are tried in a fixed order, strongest first (see Attribute), and
// an attribution that rests on another resource (its network) is worked out
// once, recursively, with cycles broken.
type attributor struct {
	d       *doc
	reg     *registry
	file    *envfile.File
	tagKeys []string
	// kubeKeys are the label keys that attribute a Kubernetes object:
	// segmented.io/environment, then tagKeys.
	kubeKeys []string
	memo     map[*resource]audit.Attribution
	busy     map[*resource]bool
}

func newAttributor(d *doc, reg *registry, file *envfile.File) *attributor {
	keys := []string{moduleTag, "environment", "env", "Environment"}
	if file != nil && len(file.TagKeys) > 0 {
		keys = file.TagKeys
	}
	return &attributor{d: d, reg: reg, file: file, tagKeys: keys, kubeKeys: append([]string{audit.EnvironmentLabel}, keys...), memo: map[*resource]audit.Attribution{}, busy: map[*resource]bool{}}
}

// declareFromPlan registers the environments that the plan itself declares:
// the summaries of segmented_ml_environment resources, the flows of
// segmented_ml_topology resources, and every environment a tag names.
func (a *attributor) declareFromPlan() {
	for _, r := range a.d.resources {
		switch {
		case r.managed && r.typ == "segmented_ml_environment":
			s := r.vals.get("summary")
			name, ok := s.str()
			if !ok {
				name, ok = s.get("name").str()
			}
			if !ok || name == "" {
				continue
			}
			e := audit.Environment{Name: name, Source: audit.BySummary}
			if t, ok := s.get("tier").str(); ok {
				e.Tier = segment.Tier(t)
			}
			if c, ok := s.get("cidr").str(); ok {
				if p, err := netip.ParsePrefix(c); err == nil {
					e.CIDRs = []netip.Prefix{p.Masked()}
				}
			}
			if acct, ok := s.get("account_id").str(); ok {
				e.Accounts = []string{acct}
			}
			e.Principals, _ = s.get("principals").strs()
			a.reg.declare(e)
		case r.managed && r.typ == "segmented_ml_topology":
			flows, _ := r.vals.get("flows").list()
			for _, f := range flows {
				from, ok1 := f.get("from").str()
				to, ok2 := f.get("to").str()
				purpose, ok3 := f.get("purpose").str()
				if ok1 && ok2 && ok3 {
					a.reg.flows = append(a.reg.flows, segment.Flow{From: from, To: to, Purpose: segment.FlowPurpose(purpose)})
				}
			}
		}
	}
	for _, r := range a.d.resources {
		if env, key, ok := a.tag(r); ok && a.reg.get(env) == nil {
			method := audit.ByTag
			if key == moduleTag {
				method = audit.ByModuleTag
			}
			a.reg.declare(audit.Environment{Name: env, Source: method})
		}
	}
	a.declareKubeTiers()
}

// Attribute returns the environment of a resource, trying in order: the
// provider's own resources (segmented_ml_environment), the generated
// modules' segmented:environment tag, the environments file's accounts,
// projects and subscriptions for the one the resource names itself, the
// other tags and labels, the file's name and then address patterns, a
// Kubernetes object's namespace (kubernetes.go), the network the resource
// lives in, its provider configuration, the declared
// range its own ranges lie in, and the resources its configuration refers
// to.
func (a *attributor) attribute(r *resource) audit.Attribution {
	if at, ok := a.memo[r]; ok {
		return at
	}
	if a.busy[r] {
		return audit.Attribution{Method: audit.Unattributed}
	}
	a.busy[r] = true
	at := a.find(r)
	delete(a.busy, r)
	a.memo[r] = at
	return at
}

func (a *attributor) find(r *resource) audit.Attribution {
	if r.typ == "segmented_ml_environment" {
		if name, ok := r.vals.get("name").str(); ok {
			return audit.Attribution{Environment: name, Method: audit.BySummary, Evidence: "the environment's own resource"}
		}
	}
	env, key, tagged := a.tag(r)
	if tagged && key == moduleTag {
		return audit.Attribution{Environment: env, Method: audit.ByModuleTag, Evidence: fmt.Sprintf("tag %s = %q", key, env)}
	}
	if acct, attr := ownAccount(r); acct != "" {
		if env, ok := a.reg.byAccount(acct); ok {
			return audit.Attribution{Environment: env, Method: audit.ByEnvironmentFile, Evidence: fmt.Sprintf("%s %s is %s's", attr, acct, env)}
		}
	}
	if tagged {
		word := "tag"
		if isKube(r.typ) {
			word = "label"
		}
		return audit.Attribution{Environment: env, Method: audit.ByTag, Evidence: fmt.Sprintf("%s %s = %q", word, key, env)}
	}
	if a.file != nil {
		if name := resourceName(r); name != "" {
			if env, pattern, ok := a.file.MatchName(name); ok {
				return audit.Attribution{Environment: env, Method: audit.ByNamePattern, Evidence: fmt.Sprintf("name %q matches %q", name, pattern)}
			}
		}
		if env, pattern, ok := a.file.MatchAddress(r.addr); ok {
			return audit.Attribution{Environment: env, Method: audit.ByAddressPattern, Evidence: fmt.Sprintf("address matches %q", pattern)}
		}
	}
	if at, ok := a.namespace(r); ok {
		return at
	}
	if at, ok := a.network(r); ok {
		return at
	}
	if at, ok := a.provider(r); ok {
		return at
	}
	if at, ok := a.ranges(r); ok {
		return at
	}
	if at, ok := a.referenced(r); ok {
		return at
	}
	return audit.Attribution{Method: audit.Unattributed}
}

// tag returns the environment the resource's tags or labels name, with the
// key that named it. A Kubernetes object's are its metadata labels:
// segmented.io/environment, then the tag keys.
func (a *attributor) tag(r *resource) (env, key string, ok bool) {
	if isKube(r.typ) {
		return kubeLabel(r, a.kubeKeys)
	}
	for _, attr := range []string{"tags", "tags_all", "labels"} {
		tags := r.vals.get(attr)
		for _, k := range a.tagKeys {
			if v, _ := tags.get(k).str(); strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v), k, true
			}
		}
	}
	return "", "", false
}

// ranges attributes a network by its ranges: the environment whose declared
// range holds them. It is tried after the provider configuration, because
// two environments' networks may overlap, which is what SEG707 reports.
func (a *attributor) ranges(r *resource) (audit.Attribution, bool) {
	if prefixes := networkRanges(r); len(prefixes) > 0 {
		if env, c, ok := a.reg.containing(prefixes); ok {
			return audit.Attribution{Environment: env, Method: audit.ByNetwork, Evidence: fmt.Sprintf("%s lies in %s's %s", joinPrefixes(prefixes), env, c)}, true
		}
	}
	return audit.Attribution{}, false
}

// network attributes a resource by the network it lives in: the network (or
// group, subnet, route table, resource group) it refers to.
func (a *attributor) network(r *resource) (audit.Attribution, bool) {
	for _, attr := range parentAttrs {
		if _, ok := r.vals.v.(map[string]any)[attr]; !ok && (r.cfg == nil || r.cfg.Expressions[attr] == nil) {
			continue
		}
		for _, parent := range a.resolve(r, attr) {
			if parent == r {
				continue
			}
			if at := a.attribute(parent); at.Known() {
				return audit.Attribution{Environment: at.Environment, Method: audit.ByNetwork, Evidence: fmt.Sprintf("%s -> %s (%s)", attr, parent.addr, at.Environment)}, true
			}
		}
	}
	return audit.Attribution{}, false
}

// parentAttrs are the attributes by which a resource names the network,
// group or scope it lives in, in the order they are tried.
var parentAttrs = []string{
	"vpc_id", "security_group_id", "subnet_id", "route_table_id", "network_acl_id", "transit_gateway_attachment_id",
	"network", "subnetwork",
	"virtual_network_name", "virtual_network_id", "network_security_group_id", "network_security_group_name", "resource_group_name",
	"bucket", "key_id", "target_key_id", "role", "log_group_name", "crypto_key_id", "key_ring", "key_vault_id", "storage_account_id",
}

// resolve returns the resources an attribute names: those its configuration
// refers to, or, when it has a known value, those whose identifier equals it.
func (a *attributor) resolve(r *resource, attr string) []*resource {
	if targets, _ := a.d.references(r, attr); len(targets) > 0 {
		return targets
	}
	vals, _ := r.vals.get(attr).strs()
	if s, ok := r.vals.get(attr).str(); ok {
		vals = []string{s}
	}
	var out []*resource
	for _, v := range vals {
		out = append(out, a.d.byIdentifier(v)...)
	}
	return out
}

// referenced attributes a resource that names no network of its own (a key
// alias, a metric filter, a policy attachment) by the resources its
// configuration refers to, when they all belong to one environment.
func (a *attributor) referenced(r *resource) (audit.Attribution, bool) {
	if r.cfg == nil {
		return audit.Attribution{}, false
	}
	var found []evidenced
	for _, k := range sortedKeys(r.cfg.Expressions) {
		targets, _ := a.d.references(r, k)
		for _, t := range targets {
			if t.index >= 0 {
				found = append(found, evidenced{t, func(env string) string { return fmt.Sprintf("%s -> %s (%s)", k, t.addr, env) }})
			}
		}
	}
	env, evidence, split := a.oneEnvironment(r, found)
	if split || env == "" {
		return audit.Attribution{}, false // it joins two environments: the checks say more
	}
	return audit.Attribution{Environment: env, Method: audit.ByReference, Evidence: evidence}, true
}

// evidenced is a resource another one points at, and how to say so.
type evidenced struct {
	target *resource
	why    func(env string) string
}

// oneEnvironment is the environment of the attributed resources that self
// points at, with the evidence of the first, or "" if none is attributed;
// split says they belong to two environments.
func (a *attributor) oneEnvironment(self *resource, found []evidenced) (env, evidence string, split bool) {
	for _, f := range found {
		if f.target == self {
			continue
		}
		at := a.attribute(f.target)
		switch {
		case !at.Known():
			continue
		case env == "":
			env, evidence = at.Environment, f.why(at.Environment)
		case env != at.Environment:
			return "", "", true
		}
	}
	return env, evidence, false
}

// provider attributes a resource by its provider configuration's account,
// project or subscription.
func (a *attributor) provider(r *resource) (audit.Attribution, bool) {
	for _, pa := range a.d.providerAccounts(r) {
		if env, ok := a.reg.byAccount(pa.account); ok {
			return audit.Attribution{Environment: env, Method: audit.ByProvider, Evidence: fmt.Sprintf("provider %s: %s %s", pa.key, pa.attr, pa.account)}, true
		}
	}
	return audit.Attribution{}, false
}

// ownAccount is the account, project or subscription a resource names of
// itself: a Google resource's project, an Azure resource's subscription, an
// AWS resource's ARN or owner.
func ownAccount(r *resource) (account, attr string) {
	if p, ok := r.vals.get("project").str(); ok && strings.HasPrefix(r.typ, "google_") {
		return p, "project"
	}
	for _, k := range []string{"id", "scope", "resource_group_id", "virtual_network_id"} {
		if s, ok := r.vals.get(k).str(); ok && strings.HasPrefix(r.typ, "azurerm_") {
			if sub := eval.AzureSubscription(s); sub != "" {
				return sub, "subscription"
			}
		}
	}
	for _, k := range []string{"arn", "owner_id"} {
		if s, ok := r.vals.get(k).str(); ok && strings.HasPrefix(r.typ, "aws_") {
			if acct := eval.AWSAccount(s); acct != "" {
				return acct, "account"
			}
		}
	}
	return "", ""
}

// resourceName is the name the environments file's name patterns match: the
// resource's name, bucket name, or Name tag; a Kubernetes object's metadata
// name.
func resourceName(r *resource) string {
	if isKube(r.typ) {
		return kubeName(r)
	}
	for _, k := range []string{"name", "bucket", "function_name", "cluster_name"} {
		if s, ok := r.vals.get(k).str(); ok && s != "" {
			return s
		}
	}
	name, _ := r.vals.get("tags").get("Name").str()
	return name
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

package plan

import (
	"fmt"
	"net/netip"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
)

// providerAccount is an account, project or subscription that a provider
// configuration pins.
type providerAccount struct {
	key     string // the provider configuration, as the plan names it
	attr    string // the argument that names the account
	account string
}

// providerAccounts returns what the provider configuration of a resource
// pins: aws's assume_role role_arn account and allowed_account_ids,
// google's project, azurerm's subscription_id. A resource in a module that
// was passed a provider (providers = { aws = aws.prod }) uses the parent's
// configuration; the plan names it by the key it resolved to.
func (d *doc) providerAccounts(r *resource) []providerAccount {
	if d.config == nil || r.cfg == nil {
		return nil
	}
	pc := d.providerConfig(r.cfg.ProviderConfigKey, r.calls)
	if pc == nil {
		return nil
	}
	key := pc.Name
	if pc.Alias != "" {
		key += "." + pc.Alias
	}
	if pc.ModuleAddress != "" {
		key = pc.ModuleAddress + "." + key
	}
	var out []providerAccount
	add := func(attr, account string) {
		if account != "" {
			out = append(out, providerAccount{key: key, attr: attr, account: account})
		}
	}
	switch pc.Name {
	case "aws":
		if ar := pc.Expressions["assume_role"]; ar != nil && ar.ExpressionData != nil {
			for _, block := range ar.NestedBlocks {
				for _, s := range d.providerValues(pc, block["role_arn"]) {
					add("assume_role.role_arn", eval.AWSAccount(s))
				}
			}
		}
		for _, id := range d.providerValues(pc, pc.Expressions["allowed_account_ids"]) {
			add("allowed_account_ids", eval.AWSAccount(id))
		}
	case "google", "google-beta":
		for _, s := range d.providerValues(pc, pc.Expressions["project"]) {
			add("project", s)
		}
	case "azurerm":
		for _, s := range d.providerValues(pc, pc.Expressions["subscription_id"]) {
			add("subscription_id", strings.ToLower(s))
		}
	}
	return out
}

// providerConfig finds the provider configuration a resource's key names.
// Keys are "aws", "aws.prod", or "module.child:aws" for a configuration
// declared in a module; a key the plan does not list is looked up in the
// enclosing modules, as Terraform inherits a default provider.
func (d *doc) providerConfig(key string, calls []string) *tfjson.ProviderConfig {
	if pc := d.config.ProviderConfigs[key]; pc != nil {
		return pc
	}
	local := key
	if i := strings.LastIndex(key, ":"); i >= 0 {
		local = key[i+1:]
	}
	for n := len(calls); n >= 0; n-- {
		prefix := ""
		for _, c := range calls[:n] {
			prefix += "module." + c + "."
		}
		k := local
		if prefix != "" {
			k = strings.TrimSuffix(prefix, ".") + ":" + local
		}
		if pc := d.config.ProviderConfigs[k]; pc != nil {
			return pc
		}
	}
	return nil
}

// providerValues returns the strings a provider argument is: its constant
// value, or the values of the root module's variables it refers to (a
// provider configured with allowed_account_ids = [var.accounts.dev], or an
// ARN built from "${var.accounts.dev}", names the variable's value).
func (d *doc) providerValues(pc *tfjson.ProviderConfig, e *tfjson.Expression) []string {
	if s, ok := constString(e); ok {
		return []string{s}
	}
	if out := constStrings(e); len(out) > 0 {
		return out
	}
	if e == nil || e.ExpressionData == nil || pc.ModuleAddress != "" {
		return nil
	}
	var out []string
	for _, ref := range e.References {
		parts := splitRef(ref)
		if len(parts) < 2 || parts[0] != "var" {
			continue
		}
		v := value{v: d.vars[parts[1]]}
		for _, p := range parts[2:] {
			v = v.get(p)
		}
		if s, ok := v.str(); ok && len(parts) > 2 {
			out = append(out, s)
		} else if ss, _ := v.strs(); len(ss) > 0 && len(parts) > 2 {
			out = append(out, ss...)
		}
	}
	return out
}

func constString(e *tfjson.Expression) (string, bool) {
	if e == nil || e.ExpressionData == nil {
		return "", false
	}
	s, ok := e.ConstantValue.(string)
	return s, ok
}

func constStrings(e *tfjson.Expression) []string {
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	l, _ := e.ConstantValue.([]any)
	var out []string
	for _, v := range l {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case float64:
			out = append(out, fmt.Sprintf("%012.0f", v))
		}
	}
	return out
}

// networkRanges are the ranges a network or subnet resource declares.
func networkRanges(r *resource) []netip.Prefix {
	var raw []string
	switch r.typ {
	case "aws_vpc", "aws_subnet":
		if s, ok := r.vals.get("cidr_block").str(); ok {
			raw = append(raw, s)
		}
	case "aws_vpc_ipv4_cidr_block_association":
		if s, ok := r.vals.get("cidr_block").str(); ok {
			raw = append(raw, s)
		}
	case "google_compute_subnetwork":
		if s, ok := r.vals.get("ip_cidr_range").str(); ok {
			raw = append(raw, s)
		}
		secondary, _ := r.vals.get("secondary_ip_range").list()
		for _, sr := range secondary {
			if s, ok := sr.get("ip_cidr_range").str(); ok {
				raw = append(raw, s)
			}
		}
	case "azurerm_virtual_network":
		raw, _ = r.vals.get("address_space").strs()
	case "azurerm_subnet":
		raw, _ = r.vals.get("address_prefixes").strs()
	}
	var out []netip.Prefix
	for _, s := range raw {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		}
	}
	return out
}

// identifierAttrs are the attributes by which other resources name a
// resource once it exists.
var identifierAttrs = []string{"id", "arn", "name", "self_link", "email", "principal_id", "key_id", "bucket", "unique_id"}

// byIdentifier returns the resources one of whose identifiers is s.
func (d *doc) byIdentifier(s string) []*resource {
	if s == "" {
		return nil
	}
	if d.ids == nil {
		d.ids = map[string][]*resource{}
		for _, r := range d.resources {
			if !r.managed {
				continue
			}
			for _, k := range identifierAttrs {
				if v, ok := r.vals.get(k).str(); ok && v != "" && (k != "name" || isNetworkLike(r)) {
					d.ids[v] = append(d.ids[v], r)
				}
			}
		}
	}
	return d.ids[s]
}

// isNetworkLike says whether a resource is named by its name where others
// refer to it (Google networks and Azure resource groups and networks).
func isNetworkLike(r *resource) bool {
	switch r.typ {
	case "google_compute_network", "google_compute_subnetwork", "azurerm_resource_group", "azurerm_virtual_network",
		"azurerm_network_security_group", "google_service_account", "google_kms_crypto_key", "google_storage_bucket",
		"aws_cloudwatch_log_group", "aws_iam_role", "aws_s3_bucket":
		return true
	}
	return false
}

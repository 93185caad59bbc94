package plan

import (
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/eval"
)

// The Azure resources (hashicorp/azurerm 5.x) the audit reads.

func init() {
	for typ, f := range map[string]func(*extractor, *resource){
		"azurerm_network_security_rule":                azureSecurityRule,
		"azurerm_network_security_group":               azureSecurityGroup,
		"azurerm_virtual_network_peering":              azurePeering,
		"azurerm_route":                                azureRoute,
		"azurerm_route_table":                          azureRouteTable,
		"azurerm_role_assignment":                      azureRoleAssignment,
		"azurerm_key_vault_access_policy":              azureAccessPolicy,
		"azurerm_key_vault":                            azureKeyVault,
		"azurerm_federated_identity_credential":        azureFederatedCredential,
		"azurerm_storage_account_customer_managed_key": azureCustomerManagedKey,
		"azurerm_disk_encryption_set":                  func(x *extractor, r *resource) { x.topKeyUser(r, "key_vault_key_id") },
		"azurerm_storage_account":                      func(x *extractor, r *resource) { x.nestedKeyUsers(r, "customer_managed_key", "key_vault_key_id") },
		"azurerm_kubernetes_cluster":                   func(x *extractor, r *resource) { x.nestedKeyUsers(r, "key_management_service", "key_vault_key_id") },
	} {
		extractors[typ] = f
	}
}

func azureSecurityRule(x *extractor, r *resource) {
	x.nsgRule(r, r.vals, "", x.target(r, "network_security_group_name", "SEG701"), "")
}

func azureSecurityGroup(x *extractor, r *resource) {
	rules, _ := x.blocks(r, "security_rule", "SEG701")
	for i, rule := range rules {
		x.nsgRule(r, rule, "security_rule["+strconv.Itoa(i)+"]", audit.Ref{Address: r.addr}, "security_rule")
	}
}

// nsgRule reads one rule of a network security group, inline (path
// security_rule[i], whose unknown values the configuration of attr
// explains) or a rule resource of its own (path and attr empty). Its peers
// are the source prefixes of an inbound rule and the destination prefixes
// of an outbound one, with the application security groups on that side.
func (x *extractor) nsgRule(r *resource, rule value, path string, owner audit.Ref, attr string) {
	dir, side := audit.Ingress, "source"
	switch d := rule.get("direction"); {
	case isString(d, "Outbound"):
		dir, side = audit.Egress, "destination"
	case d.isUnknown():
		x.blind(r, joinPath(path, "direction"), "SEG701") // read as Inbound
	}
	priority, _ := rule.get("priority").num() // unknown: 0, unordered, so that it shadows nothing
	proto := "all"
	if p, ok := rule.get("protocol").str(); ok {
		if n, err := eval.Protocol(p); err == nil {
			proto = n
		}
	}
	f := audit.FirewallRule{
		Resource: r.index, Path: path, Direction: dir, Owner: owner, Protocol: proto,
		Deny: isString(rule.get("access"), "Deny"), Priority: priority, // an unknown access allows
	}
	explainedBy := func(k string) string {
		if attr != "" {
			return attr
		}
		return k
	}
	for _, k := range []string{side + "_address_prefix", side + "_address_prefixes"} {
		v := rule.get(k)
		if v.v == nil && !v.isUnknown() {
			continue
		}
		// Service tags are names, not ranges, and x.peers records nothing
		// for them, nor for "*" and "Internet". VirtualNetwork deserves a
		// word: it is the network's own address space and that of every
		// network peered with it (and of on-premises networks behind its
		// gateways), so a rule from VirtualNetwork admits another
		// environment as soon as the two networks are peered. The peering
		// is what SEG702 reports; recording the tag here would report
		// every such rule of every network that has no peering at all.
		p, g := x.peers(r, v, explainedBy(k), joinPath(path, k))
		f.Peers, f.PeerGroups = append(f.Peers, p...), append(f.PeerGroups, g...)
	}
	k := side + "_application_security_group_ids"
	f.PeerGroups = append(f.PeerGroups, x.groupPeers(r, rule.get(k), explainedBy(k), joinPath(path, k), x.groupRefs)...)
	for _, pr := range portRanges(proto, rule.get("destination_port_range"), rule.get("destination_port_ranges")) {
		fr := f
		fr.FromPort, fr.ToPort, fr.PeerGroups = pr[0], pr[1], uniqueRefs(f.PeerGroups)
		x.firewall(fr)
	}
}

func azurePeering(x *extractor, r *resource) {
	x.link(audit.Link{
		Resource: r.index, Path: "remote_virtual_network_id", Kind: audit.Peering,
		From: x.target(r, "virtual_network_name", "SEG702"), To: x.target(r, "remote_virtual_network_id", "SEG702"),
	})
}

func azureRoute(x *extractor, r *resource) {
	x.routeLinks(r, r.vals.get("address_prefix"), "address_prefix", "address_prefix", x.target(r, "route_table_name", "SEG702"))
}

func azureRouteTable(x *extractor, r *resource) {
	routes, _ := x.blocks(r, "route", "SEG702")
	for i, rt := range routes {
		x.routeLinks(r, rt.get("address_prefix"), "route", "route["+strconv.Itoa(i)+"].address_prefix", audit.Ref{Address: r.addr})
	}
}

// azureRoleAssignment reads a role assignment as a grant to its principal
// on its scope. What it grants follows from the scope: a storage account
// or anything in one is Storage (SEG706), a key vault or a key is KeyUse
// (SEG704), a user-assigned identity is Trust (the principal may act as
// it), and anything else (a subscription, a resource group, a resource) is
// Access. The role itself is not weighed.
func azureRoleAssignment(x *extractor, r *resource) {
	kind := azureScopeKind(x, r)
	rule := grantRule[kind]
	g := audit.Grant{Resource: r.index, Path: "principal_id", Kind: kind, Target: x.target(r, "scope", rule)}
	g.Principals = x.principals(r, r.vals.get("principal_id"), "principal_id", "principal_id", rule, x.azurePrincipal)
	x.grant(g)
}

func azureScopeKind(x *extractor, r *resource) audit.GrantKind {
	targets, _ := x.doc.references(r, "scope")
	for _, t := range targets {
		switch {
		case strings.HasPrefix(t.typ, "azurerm_storage_"):
			return audit.Storage
		case strings.HasPrefix(t.typ, "azurerm_key_vault"):
			return audit.KeyUse
		case t.typ == "azurerm_user_assigned_identity":
			return audit.Trust
		}
	}
	scope, _ := r.vals.get("scope").str()
	scope = strings.ToLower(scope)
	switch {
	case strings.Contains(scope, "/providers/microsoft.storage/"):
		return audit.Storage
	case strings.Contains(scope, "/providers/microsoft.keyvault/"):
		return audit.KeyUse
	case strings.Contains(scope, "/providers/microsoft.managedidentity/userassignedidentities/"):
		return audit.Trust
	}
	return audit.Access
}

// azurePrincipal is a principal (object) ID, pointed at the identity that
// has it when the plan knows it. Object IDs name no subscription.
func (x *extractor) azurePrincipal(id string) audit.Principal {
	return x.identify([]audit.Principal{{Text: id}})[0]
}

func azureAccessPolicy(x *extractor, r *resource) {
	g := audit.Grant{Resource: r.index, Path: "object_id", Kind: audit.KeyUse, Target: x.target(r, "key_vault_id", "SEG704")}
	g.Principals = x.principals(r, r.vals.get("object_id"), "object_id", "object_id", "SEG704", x.azurePrincipal)
	x.grant(g)
}

// azureKeyVault reads a key vault's inline access policies, each a grant
// of its keys to its object.
func azureKeyVault(x *extractor, r *resource) {
	policies, _ := x.blocks(r, "access_policy", "SEG704")
	for i, p := range policies {
		path := "access_policy[" + strconv.Itoa(i) + "].object_id"
		g := audit.Grant{Resource: r.index, Path: path, Kind: audit.KeyUse, Target: audit.Ref{Address: r.addr}}
		g.Principals = x.principals(r, p.get("object_id"), "access_policy", path, "SEG704", x.azurePrincipal)
		x.grant(g)
	}
}

// azureFederatedCredential reads a federated identity credential as trust
// of the identity (user_assigned_identity_id; parent_id before azurerm 5)
// by the workload its issuer and subject name: the subject as written,
// pointed at the cluster whose OIDC issuer the issuer is, and the issuer
// itself, which an environment may list among its principals.
func azureFederatedCredential(x *extractor, r *resource) {
	targetAttr := "user_assigned_identity_id"
	if v := r.vals.get(targetAttr); v.v == nil && !v.isUnknown() && !configured(r, targetAttr) {
		targetAttr = "parent_id"
	}
	g := audit.Grant{Resource: r.index, Path: "subject", Kind: audit.Trust, Target: x.target(r, targetAttr, "SEG703")}

	var issuerRef string
	issuer := r.vals.get("issuer")
	if s, ok := issuer.str(); ok && s != "" {
		issuerRef = x.oidcIssuer(s)
		g.Principals = append(g.Principals, audit.Principal{Text: s, Ref: issuerRef})
	} else if issuer.isUnknown() {
		targets, explained := x.explaining(r, "issuer")
		if len(targets) > 0 {
			issuerRef = targets[0].addr
		}
		if !explained || len(targets) == 0 {
			x.blind(r, "issuer", "SEG703")
		}
	}

	subject := r.vals.get("subject")
	if s, ok := subject.str(); ok && s != "" {
		g.Principals = append(g.Principals, audit.Principal{Text: s, Ref: issuerRef})
	} else if subject.isUnknown() {
		targets, explained := x.explaining(r, "subject")
		for _, t := range unique(targets) {
			g.Principals = append(g.Principals, audit.Principal{Ref: t.addr})
		}
		switch {
		case issuerRef != "":
			// The issuer says whose workload it is, whatever the subject.
			g.Principals = append(g.Principals, audit.Principal{Ref: issuerRef})
		case !explained || len(targets) == 0:
			x.blind(r, "subject", "SEG703")
		}
	}
	x.grant(g)
}

// oidcIssuer returns the cluster whose OIDC issuer URL is s, "" if none.
func (x *extractor) oidcIssuer(s string) string {
	for _, t := range x.doc.resources {
		if t.managed && t.typ == "azurerm_kubernetes_cluster" {
			if u, ok := t.vals.get("oidc_issuer_url").str(); ok && strings.TrimSuffix(u, "/") == strings.TrimSuffix(s, "/") {
				return t.addr
			}
		}
	}
	return ""
}

// azureCustomerManagedKey reads the key of a storage account's customer
// managed key: key_vault_key_id, or, as azurerm before 5 also wrote it, the
// key_vault_id and key_name of the key.
func azureCustomerManagedKey(x *extractor, r *resource) {
	if v := r.vals.get("key_vault_key_id"); v.v != nil || v.isUnknown() || configured(r, "key_vault_key_id") {
		x.topKeyUser(r, "key_vault_key_id")
		return
	}
	name := r.vals.get("key_name")
	if name.v == nil && !name.isUnknown() {
		return
	}
	targets, _ := x.doc.references(r, "key_name")
	if n, ok := name.str(); ok {
		// A key's name is unique only in its vault.
		if vault, ok := r.vals.get("key_vault_id").str(); ok {
			name = value{v: vault + "/keys/" + n}
		}
	}
	x.keyUse(r, name, targets, "key_name")
}

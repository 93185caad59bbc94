package audit

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// The checks of the Kubernetes layer:
//
//   - SEG801: a namespace attributed to an environment that does not
//     enforce Pod Security restricted. Kubernetes's own namespaces
//     (kube-system, kube-public, kube-node-lease) and namespaces labelled
//     segmented.io/purpose = system are skipped: they hold the cluster's
//     and the GPU device plugin's pods, not workloads.
//   - SEG802: a role or cluster role with "*" in a rule's api_groups,
//     resources or verbs (or a cluster role's non_resource_urls), whoever
//     it belongs to.
//   - SEG803: in a production environment, a role binding or cluster role
//     binding that binds a person (a User or Group subject that is not a
//     service account's) to a role that writes: a role of the plan with a
//     verb other than get, list and watch, or the built-in edit, admin or
//     cluster-admin.
//   - SEG806: a network policy rule whose peers reach another environment:
//     a range that overlaps its ranges, a namespace selector that asks for
//     its segmented.io/environment label or selects one of its namespaces
//     in the plan; and a rule with no peers, an empty peer or a selector of
//     every namespace, which admits every environment. A declared flow
//     admits its own ports, as it does for firewall rules (SEG701).

func (c *checker) kubernetes() {
	c.podSecurity()
	c.kubeWildcards()
	c.humanWriters()
	c.networkPolicies()
}

// objectName names a Kubernetes object in a message: its name, or its
// address when Kubernetes generates the name.
func (c *checker) objectName(res int, name string) string {
	if name == "" {
		return c.f.Resources[res].Address
	}
	return strconv.Quote(name)
}

// whose starts a message with the environment of a resource, when it has
// one.
func (c *checker) whose(res int) string {
	if at := c.f.Resources[res].Attribution; at.Known() {
		return at.Environment + "'s"
	}
	return "the unattributed"
}

func (c *checker) podSecurity() {
	for _, ns := range c.f.Namespaces {
		at := c.f.Resources[ns.Resource].Attribution
		if !at.Known() || ns.System() || ns.LabelsUnknown || slices.Contains(ns.Unknown, PodSecurityLabel+"enforce") {
			continue // unknown labels are SEG709
		}
		enforce := ns.Labels[PodSecurityLabel+"enforce"]
		if enforce == Restricted {
			continue
		}
		state := "has no " + PodSecurityLabel + "enforce label, so the cluster's default level applies (privileged, unless the admission configuration says otherwise)"
		if enforce != "" {
			state = fmt.Sprintf("enforces Pod Security %q, not %q", enforce, Restricted)
		}
		var also []string
		for _, mode := range []string{"audit", "warn"} {
			switch v := ns.Labels[PodSecurityLabel+mode]; {
			case v == "":
				also = append(also, "no "+mode+" label")
			case v != Restricted:
				also = append(also, fmt.Sprintf("%s at %q", mode, v))
			}
		}
		extra := ""
		if len(also) > 0 {
			extra = " (and " + strings.Join(also, ", ") + ")"
		}
		c.report("SEG801", ns.Resource, ns.Path, Attribution{},
			"%s namespace %s %s%s; its workloads may run as root, add capabilities or mount the node: set %senforce, audit and warn to %q",
			at.Environment+"'s", c.objectName(ns.Resource, ns.Name), state, extra, PodSecurityLabel, Restricted)
	}
}

func (c *checker) kubeWildcards() {
	for _, role := range c.f.KubeRoles {
		kind := "role"
		if role.Cluster {
			kind = "cluster role"
		}
		where := ""
		if role.Namespace != "" {
			where = fmt.Sprintf(" in namespace %q", role.Namespace)
		}
		for _, rule := range role.Rules {
			var wild []string
			for _, f := range []struct {
				attr string
				vals []string
			}{{"api_groups", rule.APIGroups}, {"resources", rule.Resources}, {"verbs", rule.Verbs}, {"non_resource_urls", rule.NonResourceURLs}} {
				if slices.Contains(f.vals, "*") {
					wild = append(wild, f.attr)
				}
			}
			if len(wild) == 0 {
				continue
			}
			c.report("SEG802", role.Resource, rule.Path, Attribution{},
				"%s %s %s%s grants \"*\" in the %s of %s: whatever exists there today and whatever is added later, secrets and RBAC included",
				c.whose(role.Resource), kind, c.objectName(role.Resource, role.Name), where, strings.Join(wild, ", "), rule.Path)
		}
	}
}

func (c *checker) humanWriters() {
	roles := make(map[int]KubeRole, len(c.f.KubeRoles)) // by resource
	for _, r := range c.f.KubeRoles {
		roles[r.Resource] = r
	}
	for _, b := range c.f.RoleBindings {
		at := c.f.Resources[b.Resource].Attribution
		if !at.Known() || c.tier(at.Environment) != segment.Production {
			continue
		}
		var humans []string
		for _, s := range b.Subjects {
			if s.Human() {
				humans = append(humans, fmt.Sprintf("%s %q", s.Kind, s.Name))
			}
		}
		if len(humans) == 0 {
			continue
		}
		var does string
		if i, ok := c.byAddr[b.Role.Address]; ok && b.Role.Address != "" {
			role, ok := roles[i]
			if !ok {
				continue // its rules are unknown: SEG709 says so
			}
			verbs := role.writeVerbs()
			if len(verbs) == 0 {
				continue
			}
			does = fmt.Sprintf("%s, which may %s", b.Role.Address, strings.Join(verbs, ", "))
		} else if what, ok := BuiltinWriters[b.RoleName]; ok && strings.EqualFold(b.RoleKind, "ClusterRole") {
			does = "built in, which " + what
		} else {
			continue // a role the plan does not have: the audit cannot tell what it grants
		}
		scope := "across the cluster"
		if !b.Cluster {
			scope = fmt.Sprintf("in namespace %q", b.Namespace)
		}
		c.report("SEG803", b.Resource, "subject", Attribution{},
			"%s is production, and this binding gives %s the %s %q (%s) %s; people should only read there, and deploy through the CI",
			at.Environment, strings.Join(humans, ", "), b.RoleKind, b.RoleName, does, scope)
	}
}

func (c *checker) networkPolicies() {
	nsLabels := make([]map[string]string, len(c.f.Namespaces))
	for i, ns := range c.f.Namespaces {
		nsLabels[i] = ns.selectorLabels()
	}
	for _, pr := range c.f.PolicyRules {
		own := c.f.Resources[pr.Resource].Attribution
		if !own.Known() {
			continue // SEG708 reports the resource
		}
		way := "from"
		if pr.Direction == Egress {
			way = "to"
		}
		open := func(why string) {
			c.report("SEG806", pr.Resource, pr.Path, Attribution{Method: Unattributed, Evidence: why},
				"%s network policy admits %s %s every namespace and address, every other environment's included: %s", own.Environment+"'s", pr.Direction, way, why)
		}
		if len(pr.Peers) == 0 {
			open(fmt.Sprintf("%s has no %s peers", pr.Path, way))
			continue
		}
		var others []Attribution
		for _, p := range pr.Peers {
			switch {
			case p.Empty:
				open(p.Path + " sets no ip_block, namespace_selector or pod_selector")
			case p.CIDR.IsValid():
				for _, o := range c.rangeEnvs(p.CIDR, own.Environment) {
					if !c.excepted(p.Except, o.Environment) {
						o.Evidence = p.Path + ".ip_block: " + o.Evidence
						others = append(others, o)
					}
				}
			case p.Namespaces != nil:
				found, why := c.selectedEnvironments(*p.Namespaces, p.Path, own.Environment, nsLabels)
				if why != "" {
					open(why)
				}
				others = append(others, found...)
			}
		}
		for _, o := range others {
			if c.policyAllowed(own.Environment, o.Environment, pr) {
				continue
			}
			c.report("SEG806", pr.Resource, pr.Path, o, "%s network policy admits %s %s %s's namespaces or range on %s (%s); %s",
				own.Environment+"'s", pr.Direction, way, o.Environment, policyPorts(pr), o.Evidence, flowHint(c.declared(own.Environment, o.Environment)))
		}
	}
}

// selectedEnvironments are the other environments a peer's namespace
// selector reaches: those whose segmented.io/environment label it asks
// for, and those of the plan's namespaces it matches. why is set instead
// when it selects every namespace, or every one but some environments'.
func (c *checker) selectedEnvironments(sel Selector, at, own string, nsLabels []map[string]string) (others []Attribution, why string) {
	if sel.Everything() {
		return nil, at + ".namespace_selector selects every namespace"
	}
	names, anyBut := sel.Environments()
	if anyBut {
		what := fmt.Sprintf("whose %s is not one of %q", EnvironmentLabel, names)
		if len(names) == 0 {
			what = "that has a " + EnvironmentLabel + " label"
		}
		return nil, fmt.Sprintf("%s.namespace_selector selects every namespace %s", at, what)
	}
	for _, n := range names {
		if n != own {
			others = append(others, Attribution{Environment: n, Method: ByTag, Evidence: fmt.Sprintf("%s.namespace_selector asks for %s = %q", at, EnvironmentLabel, n)})
		}
	}
	for i, ns := range c.f.Namespaces {
		a := c.f.Resources[ns.Resource].Attribution
		if a.Known() && a.Environment != own && sel.Matches(nsLabels[i]) {
			others = append(others, Attribution{Environment: a.Environment, Method: a.Method,
				Evidence: fmt.Sprintf("%s.namespace_selector selects %s (%s)", at, c.f.Resources[ns.Resource].Address, a.Evidence)})
		}
	}
	return others, ""
}

// excepted reports whether a peer's except ranges hold every range of an
// environment.
func (c *checker) excepted(except []netip.Prefix, env string) bool {
	cidrs := c.envs[env].CIDRs
	if len(cidrs) == 0 {
		return false
	}
	for _, cidr := range cidrs {
		if !slices.ContainsFunc(except, func(e netip.Prefix) bool { return netplan.Contains(e, cidr) }) {
			return false
		}
	}
	return true
}

// policyAllowed reports whether declared flows admit every port of a
// network policy rule between two environments, as they admit a firewall
// rule's (SEG701); a rule of every port is never a flow's.
func (c *checker) policyAllowed(own, other string, pr PolicyRule) bool {
	if len(pr.Ports) == 0 {
		return false
	}
	for _, p := range pr.Ports {
		if !c.trafficAllowed(own, other, FirewallRule{Direction: pr.Direction, Protocol: p.Protocol, FromPort: p.From, ToPort: p.To}) {
			return false
		}
	}
	return true
}

func policyPorts(pr PolicyRule) string {
	if len(pr.Ports) == 0 {
		return "every port"
	}
	var s []string
	for _, p := range pr.Ports {
		s = append(s, portText(FirewallRule{Protocol: p.Protocol, FromPort: p.From, ToPort: p.To}))
	}
	return strings.Join(s, ", ")
}

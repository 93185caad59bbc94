package plan

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// The Kubernetes objects (hashicorp/kubernetes 3.x) the audit reads:
// namespaces, roles and cluster roles, their bindings and network
// policies, each in its _v1 form and in the deprecated unversioned one,
// which has the same shape. Every other kubernetes_* resource is audited
// for its attribution only (SEG708).
//
// Attribution (attribute.go calls these): an object's own
// segmented.io/environment label (then the tag keys), the environments
// file's name patterns on its metadata name, and then, for a namespaced
// object, its namespace: the kubernetes_namespace_v1 of the plan that its
// metadata's namespace refers to or is named by, or else the file's name
// patterns on the namespace's name.

func init() {
	for _, v := range []string{"", "_v1"} {
		extractors["kubernetes_namespace"+v] = kubeNamespace
		extractors["kubernetes_role"+v] = kubeRole
		extractors["kubernetes_cluster_role"+v] = kubeRole
		extractors["kubernetes_role_binding"+v] = kubeBinding
		extractors["kubernetes_cluster_role_binding"+v] = kubeBinding
		extractors["kubernetes_network_policy"+v] = kubePolicy
	}
}

// isKube reports whether a resource type is hashicorp/kubernetes's.
func isKube(typ string) bool { return strings.HasPrefix(typ, "kubernetes_") }

func isKubeNamespace(typ string) bool {
	return typ == "kubernetes_namespace" || typ == "kubernetes_namespace_v1"
}

// kubeRoleTypes are the role types a binding's role_ref may name, by kind.
var kubeRoleTypes = map[string][]string{
	"Role":        {"kubernetes_role", "kubernetes_role_v1"},
	"ClusterRole": {"kubernetes_cluster_role", "kubernetes_cluster_role_v1"},
}

// first is the first element of a list block (metadata, spec, role_ref,
// ip_block), or an unknown value when the block is unknown.
func first(v value) value {
	if v.isUnknown() {
		return v
	}
	return v.index(0)
}

// kubeMeta returns an object's metadata and its path: the metadata block,
// or a kubernetes_manifest's manifest.metadata.
func kubeMeta(r *resource) (value, string) {
	if r.typ == "kubernetes_manifest" {
		m := r.vals.get("manifest")
		if m.isUnknown() {
			return m, "manifest.metadata"
		}
		return m.get("metadata"), "manifest.metadata"
	}
	return first(r.vals.get("metadata")), "metadata[0]"
}

// kubeName is an object's metadata name, when it is known.
func kubeName(r *resource) string {
	meta, _ := kubeMeta(r)
	s, _ := meta.get("name").str()
	return s
}

// kubeNamespaceOf returns the namespace an object is in. namespaced is
// false for cluster-scoped objects, whose metadata has no namespace
// (namespaces, cluster roles and their bindings); known is false when the
// namespace is not known at plan time. A namespaced object that sets none
// is in "default", hashicorp/kubernetes's default.
func kubeNamespaceOf(r *resource) (name string, known, namespaced bool) {
	meta, _ := kubeMeta(r)
	m, ok := meta.v.(map[string]any)
	if !ok {
		return "", false, false // no metadata, or one not known: nothing says
	}
	if _, has := m["namespace"]; !has {
		return "", true, false
	}
	ns := meta.get("namespace")
	if ns.isUnknown() {
		return "", false, true
	}
	if s, ok := ns.str(); ok && s != "" {
		return s, true, true
	}
	return "default", true, true
}

// kubeLabel returns the environment an object's own labels name: the
// label keys in order (the attributor's kubeKeys).
func kubeLabel(r *resource, keys []string) (env, key string, ok bool) {
	meta, _ := kubeMeta(r)
	labels := meta.get("labels")
	for _, k := range keys {
		if v, _ := labels.get(k).str(); strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v), k, true
		}
	}
	return "", "", false
}

// kubeIndex finds the plan's namespaces and roles by name.
type kubeIndex struct {
	namespaces map[string][]*resource // name -> namespaces
	roles      map[string][]*resource // kind "/" namespace "/" name -> roles and cluster roles
}

func (d *doc) kube() *kubeIndex {
	if d.kubeIdx != nil {
		return d.kubeIdx
	}
	d.kubeIdx = &kubeIndex{namespaces: map[string][]*resource{}, roles: map[string][]*resource{}}
	for _, r := range d.resources {
		if !r.managed || !isKube(r.typ) {
			continue
		}
		name := kubeName(r)
		if name == "" {
			continue
		}
		if isKubeNamespace(r.typ) {
			d.kubeIdx.namespaces[name] = append(d.kubeIdx.namespaces[name], r)
		}
		for kind, types := range kubeRoleTypes {
			for _, t := range types {
				if r.typ == t {
					ns, _, _ := kubeNamespaceOf(r)
					d.kubeIdx.roles[kind+"/"+ns+"/"+name] = append(d.kubeIdx.roles[kind+"/"+ns+"/"+name], r)
				}
			}
		}
	}
	return d.kubeIdx
}

// blockRefs returns the managed resources that attr of a block's elements
// refers to in the configuration (metadata's namespace, role_ref's name),
// and whether the configuration writes the block as blocks at all.
func (d *doc) blockRefs(r *resource, block, attr string) ([]*resource, bool) {
	if r.cfg == nil {
		return nil, true
	}
	e := r.cfg.Expressions[block]
	if e == nil || e.ExpressionData == nil || len(e.NestedBlocks) == 0 {
		return nil, false
	}
	w := &refWalk{d: d, seen: map[string]bool{}, explained: true}
	for _, nb := range e.NestedBlocks {
		w.expr(nb[attr], r.calls, r.module)
	}
	return unique(w.targets), true
}

// namespace attributes a namespaced Kubernetes object by its namespace: the
// namespace of the plan that its metadata refers to, or that has its name,
// when those belong to one environment; or else the environments file's
// name pattern that matches the namespace's name.
func (a *attributor) namespace(r *resource) (audit.Attribution, bool) {
	if !isKube(r.typ) {
		return audit.Attribution{}, false
	}
	name, known, namespaced := kubeNamespaceOf(r)
	if !namespaced {
		return audit.Attribution{}, false
	}
	// A reference to a resource with count or for_each names all its
	// instances: the one with the namespace's name is meant.
	var targets, named []*resource
	refs, _ := a.d.blockRefs(r, "metadata", "namespace")
	for _, t := range refs {
		if isKubeNamespace(t.typ) {
			targets = append(targets, t)
			if known && kubeName(t) == name {
				named = append(named, t)
			}
		}
	}
	switch {
	case len(named) > 0:
		targets = named
	case len(targets) == 0 && known:
		targets = a.d.kube().namespaces[name]
	}
	found := make([]evidenced, 0, len(targets))
	for _, t := range targets {
		found = append(found, evidenced{t, func(env string) string { return fmt.Sprintf("namespace %q -> %s (%s)", kubeName(t), t.addr, env) }})
	}
	switch env, evidence, split := a.oneEnvironment(r, found); {
	case split:
		return audit.Attribution{}, false // namespaces of one name in two environments' clusters
	case env != "":
		return audit.Attribution{Environment: env, Method: audit.ByNetwork, Evidence: evidence}, true
	}
	if known && a.file != nil {
		if env, pattern, ok := a.file.MatchName(name); ok {
			return audit.Attribution{Environment: env, Method: audit.ByNamePattern, Evidence: fmt.Sprintf("namespace %q matches %q", name, pattern)}, true
		}
	}
	return audit.Attribution{}, false
}

// declareKubeTiers registers the tier that a namespace's segmented.io/tier
// label gives its environment, where nothing declared one before.
func (a *attributor) declareKubeTiers() {
	for _, r := range a.d.resources {
		if !r.managed || !isKubeNamespace(r.typ) {
			continue
		}
		meta, _ := kubeMeta(r)
		env, _, ok := kubeLabel(r, a.kubeKeys)
		tier, _ := meta.get("labels").get(audit.TierLabel).str()
		if ok && segment.Tier(tier).Valid() {
			a.reg.declare(audit.Environment{Name: env, Tier: segment.Tier(tier), Source: audit.ByTag})
		}
	}
}

// kubeLabels reads a map of labels: the known ones, the keys whose values
// are unknown, and whether the whole map is unknown.
func kubeLabels(v value) (known map[string]string, unknown []string, all bool) {
	if v.isUnknown() {
		return nil, nil, true
	}
	known = map[string]string{}
	keys := map[string]bool{}
	if m, ok := v.v.(map[string]any); ok {
		for k := range m {
			keys[k] = true
		}
	}
	if m, ok := v.unknown.(map[string]any); ok {
		for k := range m {
			keys[k] = true
		}
	}
	for _, k := range sortedKeys(keys) {
		e := v.get(k)
		if s, ok := e.str(); ok {
			known[k] = s
		} else if e.isUnknown() {
			unknown = append(unknown, k)
		}
	}
	return known, unknown, false
}

// kubeNamespace reads a namespace's name and labels. Unknown Pod Security
// or purpose labels are blind spots of SEG801.
func kubeNamespace(x *extractor, r *resource) {
	meta, path := kubeMeta(r)
	ns := audit.Namespace{Resource: r.index, Path: path + ".labels", Name: kubeName(r)}
	var unknown []string
	ns.Labels, unknown, ns.LabelsUnknown = kubeLabels(meta.get("labels"))
	if meta.isUnknown() {
		ns.LabelsUnknown = true
	}
	if ns.LabelsUnknown {
		x.blind(r, ns.Path, "SEG801")
	}
	for _, k := range unknown {
		ns.Unknown = append(ns.Unknown, k)
		if strings.HasPrefix(k, audit.PodSecurityLabel) || k == audit.PurposeLabel {
			x.blind(r, fmt.Sprintf("%s[%q]", ns.Path, k), "SEG801")
		}
	}
	x.facts.Namespaces = append(x.facts.Namespaces, ns)
}

// kubeRole reads a role's or cluster role's rules. An unknown list of
// rules, or of a rule's API groups, resources, verbs or URLs, is a blind
// spot of SEG802 (an aggregated cluster role's rules, which Kubernetes
// computes, are not).
func kubeRole(x *extractor, r *resource) {
	ns, _, namespaced := kubeNamespaceOf(r)
	role := audit.KubeRole{Resource: r.index, Name: kubeName(r), Namespace: ns, Cluster: !namespaced}
	rules, known := x.blocks(r, "rule", "SEG802")
	if !known {
		return
	}
	for i, rv := range rules {
		kr := audit.KubeRule{Path: "rule[" + strconv.Itoa(i) + "]"}
		for _, f := range []struct {
			attr string
			dst  *[]string
		}{{"api_groups", &kr.APIGroups}, {"resources", &kr.Resources}, {"verbs", &kr.Verbs}, {"non_resource_urls", &kr.NonResourceURLs}} {
			ss, ok := rv.get(f.attr).strs()
			if !ok {
				x.blind(r, kr.Path+"."+f.attr, "SEG802")
			}
			*f.dst = ss
		}
		role.Rules = append(role.Rules, kr)
	}
	x.facts.KubeRoles = append(x.facts.KubeRoles, role)
}

// kubeBinding reads a binding's role and subjects. The role is the role or
// cluster role of the plan that role_ref's name refers to, or that has its
// name (in the binding's namespace, for a Role). An unknown role name that
// no reference explains, and unknown subjects, are blind spots of SEG803.
func kubeBinding(x *extractor, r *resource) {
	ns, _, namespaced := kubeNamespaceOf(r)
	b := audit.RoleBinding{Resource: r.index, Namespace: ns, Cluster: !namespaced}
	ref := first(r.vals.get("role_ref"))
	b.RoleKind, _ = ref.get("kind").str()
	name, nameKnown := ref.get("name").str()
	b.RoleName = name
	if t := x.bindingRole(r, b.RoleKind, ns, name, nameKnown); t != nil {
		b.Role = audit.Ref{Address: t.addr, Value: name}
		if !nameKnown {
			b.RoleName = kubeName(t)
		}
	} else if !nameKnown {
		x.blind(r, "role_ref[0].name", "SEG803")
	}
	subjects, _ := x.blocks(r, "subject", "SEG803")
	for i, sv := range subjects {
		s := audit.Subject{Path: "subject[" + strconv.Itoa(i) + "]"}
		var ok1, ok2 bool
		s.Kind, ok1 = sv.get("kind").str()
		s.Name, ok2 = sv.get("name").str()
		if !ok1 || !ok2 {
			if sv.get("kind").isUnknown() || sv.get("name").isUnknown() {
				x.blind(r, s.Path, "SEG803")
			}
			continue
		}
		b.Subjects = append(b.Subjects, s)
	}
	x.facts.RoleBindings = append(x.facts.RoleBindings, b)
}

// bindingRole returns the role a binding names: among the roles its
// role_ref refers to (every instance of a resource with count or
// for_each), the one with its name, in its namespace for a Role; or the
// only one; or else the role of the plan with that name. nil when nothing
// says which.
func (x *extractor) bindingRole(r *resource, kind, ns, name string, nameKnown bool) *resource {
	types := kubeRoleTypes[kind]
	if kind == "" {
		types = append(kubeRoleTypes["Role"], kubeRoleTypes["ClusterRole"]...)
	}
	if kind == "ClusterRole" {
		ns = ""
	}
	var refs []*resource
	named, _ := x.doc.blockRefs(r, "role_ref", "name")
	for _, t := range named {
		if slices.Contains(types, t.typ) {
			refs = append(refs, t)
		}
	}
	if !nameKnown {
		if len(refs) == 1 {
			return refs[0]
		}
		return nil
	}
	for _, t := range refs {
		if tns, _, _ := kubeNamespaceOf(t); kubeName(t) == name && tns == ns {
			return t
		}
	}
	if rs := x.doc.kube().roles[kind+"/"+ns+"/"+name]; len(rs) > 0 {
		return rs[0]
	}
	if len(refs) == 1 {
		return refs[0]
	}
	return nil
}

// kubePolicy reads a network policy's ingress and egress rules: their
// ports and their peers. Unknown rules, ports, peers, ranges and
// selectors are blind spots of SEG806.
func kubePolicy(x *extractor, r *resource) {
	specs := r.vals.get("spec")
	if specs.isUnknown() {
		x.blind(r, "spec", "SEG806")
		return
	}
	spec := first(specs)
	for _, d := range []struct {
		block, peers string
		dir          audit.Direction
	}{{"ingress", "from", audit.Ingress}, {"egress", "to", audit.Egress}} {
		rv := spec.get(d.block)
		if rv.isUnknown() {
			x.blind(r, "spec[0]."+d.block, "SEG806")
			continue
		}
		rules, _ := rv.list()
		for i, rule := range rules {
			pr := audit.PolicyRule{Resource: r.index, Path: fmt.Sprintf("spec[0].%s[%d]", d.block, i), Direction: d.dir}
			pr.Ports = x.policyPorts(r, rule.get("ports"), pr.Path+".ports")
			peers := rule.get(d.peers)
			if peers.isUnknown() {
				x.blind(r, pr.Path+"."+d.peers, "SEG806")
				continue
			}
			elems, _ := peers.list()
			for j, pv := range elems {
				pr.Peers = append(pr.Peers, x.policyPeer(r, pv, fmt.Sprintf("%s.%s[%d]", pr.Path, d.peers, j)))
			}
			x.facts.PolicyRules = append(x.facts.PolicyRules, pr)
		}
	}
}

// policyPorts reads a rule's ports; none, a named port or an unknown one
// is every port, which no declared flow admits.
func (x *extractor) policyPorts(r *resource, v value, path string) []audit.PolicyPort {
	if v.isUnknown() {
		x.blind(r, path, "SEG806")
		return nil
	}
	elems, _ := v.list()
	var out []audit.PolicyPort
	for _, e := range elems {
		proto := "tcp"
		if p, ok := e.get("protocol").str(); ok && p != "" {
			proto = strings.ToLower(p)
		}
		port := e.get("port")
		s, known := port.str()
		if !known && port.v == nil && !port.isUnknown() {
			out = append(out, audit.PolicyPort{Protocol: proto, From: 0, To: 65535})
			continue
		}
		from, err := strconv.Atoi(s)
		if !known || err != nil {
			return nil // named or unknown: every port
		}
		to := from
		if end, ok := e.get("end_port").num(); ok && end > from {
			to = end
		}
		out = append(out, audit.PolicyPort{Protocol: proto, From: from, To: to})
	}
	return out
}

// policyPeer reads one from or to peer.
func (x *extractor) policyPeer(r *resource, pv value, path string) audit.PolicyPeer {
	p := audit.PolicyPeer{Path: path}
	ipBlocks, nsSel, podSel := pv.get("ip_block"), pv.get("namespace_selector"), pv.get("pod_selector")
	for _, part := range []struct {
		v    value
		attr string
	}{{ipBlocks, "ip_block"}, {nsSel, "namespace_selector"}, {podSel, "pod_selector"}} {
		if part.v.isUnknown() {
			x.blind(r, path+"."+part.attr, "SEG806")
		}
	}
	ips, _ := ipBlocks.list()
	nss, _ := nsSel.list()
	pods, _ := podSel.list()
	p.Empty = len(ips) == 0 && len(nss) == 0 && len(pods) == 0 && !ipBlocks.isUnknown() && !nsSel.isUnknown() && !podSel.isUnknown()
	if len(ips) > 0 {
		ip := ips[0]
		c := ip.get("cidr")
		if s, ok := c.str(); ok {
			if pfx, err := netip.ParsePrefix(s); err == nil {
				p.CIDR = pfx.Masked()
			}
		} else if c.isUnknown() {
			x.blind(r, path+".ip_block[0].cidr", "SEG806")
		}
		except, ok := ip.get("except").strs()
		if !ok {
			x.blind(r, path+".ip_block[0].except", "SEG806")
		}
		for _, s := range except {
			if pfx, err := netip.ParsePrefix(s); err == nil {
				p.Except = append(p.Except, pfx.Masked())
			}
		}
	}
	if len(nss) > 0 {
		sel := x.selector(r, nss[0], path+".namespace_selector[0]")
		p.Namespaces = &sel
	}
	return p
}

// selector reads a label selector; unknown labels or expressions are blind
// spots of SEG806.
func (x *extractor) selector(r *resource, v value, path string) audit.Selector {
	var sel audit.Selector
	labels, unknown, all := kubeLabels(v.get("match_labels"))
	if all || len(unknown) > 0 {
		x.blind(r, path+".match_labels", "SEG806")
	}
	if len(labels) > 0 {
		sel.MatchLabels = labels
	}
	exprs := v.get("match_expressions")
	if exprs.isUnknown() {
		x.blind(r, path+".match_expressions", "SEG806")
	}
	elems, _ := exprs.list()
	for i, e := range elems {
		key, ok1 := e.get("key").str()
		op, ok2 := e.get("operator").str()
		vals, ok3 := e.get("values").strs()
		if !ok1 || !ok2 || !ok3 {
			x.blind(r, fmt.Sprintf("%s.match_expressions[%d]", path, i), "SEG806")
			continue
		}
		sel.Expressions = append(sel.Expressions, audit.Requirement{Key: key, Operator: op, Values: vals})
	}
	return sel
}

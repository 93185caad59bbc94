package audit

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// The Kubernetes layer's facts: namespaces and their Pod Security labels,
// roles and cluster roles, their bindings, and the rules of network
// policies. internal/audit/plan reads them from hashicorp/kubernetes's
// resources (kubernetes_namespace_v1, kubernetes_role_v1,
// kubernetes_cluster_role_v1, their bindings, kubernetes_network_policy_v1,
// and the unversioned forms of each); check_kubernetes.go checks them.

// Labels the audit reads on Kubernetes objects: those the Kubernetes layer
// of the generated modules writes (internal/k8s), and what a hand-written
// namespace should carry.
const (
	// EnvironmentLabel attributes an object, or every object of a
	// namespace, to an environment.
	EnvironmentLabel = k8s.EnvironmentLabel
	// TierLabel on a namespace says its environment's tier, when nothing
	// else does (a summary or the environments file wins).
	TierLabel = k8s.TierLabel
	// PurposeLabel with the value SystemPurpose marks a system namespace,
	// which SEG801 skips.
	PurposeLabel  = k8s.PurposeLabel
	SystemPurpose = k8s.SystemPurpose
	// MetadataNameLabel is the label Kubernetes sets on every namespace to
	// its name; a namespace selector may select by it.
	MetadataNameLabel = k8s.MetadataNameLabel
	// PodSecurityLabel prefixes the Pod Security admission labels: enforce,
	// audit and warn.
	PodSecurityLabel = k8s.PodSecurityPrefix
	// Restricted is the Pod Security level SEG801 wants.
	Restricted = string(segment.PodSecurityRestricted)
)

// SystemNamespaces are the namespaces Kubernetes itself makes; SEG801 skips
// them, as it skips every namespace labelled segmented.io/purpose = system.
var SystemNamespaces = []string{"kube-system", "kube-public", "kube-node-lease"}

// Namespace is a Kubernetes namespace of the plan with its known labels.
type Namespace struct {
	Resource int
	// Path is the attribute of its labels: "metadata[0].labels".
	Path   string
	Name   string            // "" when Kubernetes generates it
	Labels map[string]string // the known labels, the implicit kubernetes.io/metadata.name not included
	// LabelsUnknown is set when the labels are not known at plan time, and
	// Unknown names the labels whose values are not; the reader records
	// each as a blind spot (SEG709).
	LabelsUnknown bool
	Unknown       []string
}

// System reports whether the namespace is one SEG801 leaves alone: one of
// Kubernetes's own, or one labelled segmented.io/purpose = system (the GPU
// device plugin's, whose exception the blueprint records).
func (n Namespace) System() bool {
	return slices.Contains(SystemNamespaces, n.Name) || n.Labels[PurposeLabel] == SystemPurpose
}

// selectorLabels are the labels a namespace selector sees: its own, and
// kubernetes.io/metadata.name.
func (n Namespace) selectorLabels() map[string]string {
	out := make(map[string]string, len(n.Labels)+1)
	for k, v := range n.Labels {
		out[k] = v
	}
	if n.Name != "" {
		out[MetadataNameLabel] = n.Name
	}
	return out
}

// KubeRole is a role (namespaced) or a cluster role with its rules.
type KubeRole struct {
	Resource  int
	Name      string
	Namespace string // "" for a cluster role
	Cluster   bool
	Rules     []KubeRule
}

// KubeRule is one rule of a role.
type KubeRule struct {
	Path            string // "rule[0]"
	APIGroups       []string
	Resources       []string
	Verbs           []string
	NonResourceURLs []string
}

// writeVerbs returns the verbs of a role's rules that do more than read,
// "*" included, each once, in the order the rules name them.
func (r KubeRole) writeVerbs() []string {
	var out []string
	for _, rule := range r.Rules {
		for _, v := range rule.Verbs {
			if !slices.Contains(k8s.ReadVerbs, strings.ToLower(v)) && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// BuiltinWriters are the cluster roles every cluster has that write:
// bound to a person in production, they are SEG803.
var BuiltinWriters = map[string]string{
	"edit":          "creates, changes and deletes most namespaced objects, pods and secrets included",
	"admin":         "writes every namespaced object, and roles and bindings in the namespace",
	"cluster-admin": "does anything, anywhere in the cluster",
}

// RoleBinding is a role binding (in a namespace) or a cluster role
// binding, with the role it names and its subjects.
type RoleBinding struct {
	Resource  int
	Namespace string // "" for a cluster role binding
	Cluster   bool
	// RoleKind is Role or ClusterRole, RoleName the role's name, and Role
	// the role or cluster role of the plan it names, when the plan has it.
	RoleKind string
	RoleName string
	Role     Ref
	Subjects []Subject
}

// Subject is one subject of a binding.
type Subject struct {
	Path string // "subject[0]"
	Kind string // User, Group or ServiceAccount
	Name string
}

// Human reports whether a subject is a person, or a group of people: a
// User or Group that is not a service account's name.
func (s Subject) Human() bool {
	switch {
	case strings.EqualFold(s.Kind, "User"):
		return !strings.HasPrefix(s.Name, "system:serviceaccount:")
	case strings.EqualFold(s.Kind, "Group"):
		return !strings.HasPrefix(s.Name, "system:serviceaccounts")
	}
	return false
}

// PolicyRule is one ingress or egress rule of a network policy.
type PolicyRule struct {
	Resource  int
	Path      string // "spec[0].ingress[0]"
	Direction Direction
	// Ports are the ports the rule admits; none is every port. A named
	// port, which the audit cannot resolve, is every port too.
	Ports []PolicyPort
	// Peers are the rule's from (ingress) or to (egress) peers; none
	// admits every peer.
	Peers []PolicyPeer
}

// PolicyPort is one port range of a network policy rule.
type PolicyPort struct {
	Protocol string // tcp, udp or sctp
	From, To int
}

// PolicyPeer is one peer of a network policy rule: an address range, or
// namespaces (and pods in them) that a selector picks, or the pods of the
// policy's own namespace.
type PolicyPeer struct {
	Path string // "spec[0].ingress[0].from[1]"
	// CIDR is the ip_block's range, and Except the ranges it leaves out.
	CIDR   netip.Prefix
	Except []netip.Prefix
	// Namespaces selects the namespaces; nil when the peer has no
	// namespace selector (its pods are then the policy's own namespace's).
	Namespaces *Selector
	// Empty is set when the peer sets none of ip_block, namespace_selector
	// and pod_selector, which admits everyone.
	Empty bool
}

// Selector is a Kubernetes label selector.
type Selector struct {
	MatchLabels map[string]string
	Expressions []Requirement
}

// Requirement is one match expression of a selector.
type Requirement struct {
	Key      string
	Operator string // In, NotIn, Exists, DoesNotExist
	Values   []string
}

// Everything reports whether the selector selects every object.
func (s Selector) Everything() bool { return len(s.MatchLabels) == 0 && len(s.Expressions) == 0 }

// Matches reports whether the selector selects an object with the labels.
func (s Selector) Matches(labels map[string]string) bool {
	for k, v := range s.MatchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, e := range s.Expressions {
		got, ok := labels[e.Key]
		switch e.Operator {
		case "In":
			if !ok || !slices.Contains(e.Values, got) {
				return false
			}
		case "NotIn":
			if ok && slices.Contains(e.Values, got) {
				return false
			}
		case "Exists":
			if !ok {
				return false
			}
		case "DoesNotExist":
			if ok {
				return false
			}
		default:
			return false // the API refuses other operators
		}
	}
	return true
}

// Environments returns what the selector says of the environment label:
// the environments it requires (match_labels, or In), and whether it
// admits any environment but those it excludes (NotIn, Exists), in which
// case the returned names are the excluded ones.
func (s Selector) Environments() (names []string, anyBut bool) {
	if v, ok := s.MatchLabels[EnvironmentLabel]; ok {
		return []string{v}, false
	}
	for _, e := range s.Expressions {
		if e.Key != EnvironmentLabel {
			continue
		}
		switch e.Operator {
		case "In":
			return slices.Clone(e.Values), false
		case "NotIn":
			return slices.Clone(e.Values), true
		case "Exists":
			return nil, true
		}
	}
	return nil, false
}

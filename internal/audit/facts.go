// Package audit finds cross-environment violations in what a Terraform plan
// will build, whoever wrote it. It works on facts, not on plans: a reader
// (internal/audit/plan) turns a plan's resources into cloud-neutral facts —
// networks, firewall rules, links between networks, grants to principals and
// uses of keys, and in the cluster namespaces, roles, bindings and network
// policy rules — and attributes each resource to an environment, saying how.
// The checks here (the SEG7xx rules of the one rule catalog, and SEG801,
// SEG802, SEG803 and SEG806 for the Kubernetes layer) then compare the
// environments on either side of every fact against the declared flows.
//
// Like the domain, the package imports no Terraform packages.
package audit

import (
	"net/netip"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Method is how a resource or principal was attributed to an environment,
// in the order the attribution tries them.
type Method string

// The attribution methods, strongest first.
const (
	BySummary         Method = "segmented_ml_environment" // a summary of the provider's resource in the plan
	ByModuleTag       Method = "generated-module-tag"     // the segmented:environment tag of a generated module
	ByEnvironmentFile Method = "environments-file"        // an account, project, subscription or range the environments file declares
	ByTag             Method = "tag"                      // a tag or label such as environment = "prod"
	ByNamePattern     Method = "name-pattern"             // the resource's name matches a pattern of the environments file
	ByAddressPattern  Method = "address-pattern"          // the resource's address matches a pattern of the environments file
	ByNetwork         Method = "network"                  // it lives in a network attributed to, or inside the range of, an environment
	ByProvider        Method = "provider"                 // the account, project or subscription of its provider configuration
	ByReference       Method = "reference"                // a value unknown at plan time refers to an attributed resource
	ByAccount         Method = "account"                  // the account, project or subscription named in an identifier
	Unattributed      Method = "unattributed"
)

// Attribution says which environment something belongs to and why.
type Attribution struct {
	Environment string `json:"environment,omitempty"`
	Method      Method `json:"method"`
	// Evidence is what the attribution rests on, in words a reviewer can
	// check: `tag Environment = "prod"`, `vpc_id -> aws_vpc.prod (10.3.0.0/16)`.
	Evidence string `json:"evidence,omitempty"`
}

// Known reports whether an environment was found.
func (a Attribution) Known() bool { return a.Environment != "" }

// Environment is what the audit knows of one environment, gathered from the
// summaries in the plan, the environments file and the networks attributed
// to it.
type Environment struct {
	Name string
	// Tier is empty when nothing says it; flows then cannot be allowed.
	Tier segment.Tier
	// CIDRs are the environment's ranges.
	CIDRs []netip.Prefix
	// Accounts are its AWS accounts, Google Cloud projects and Azure
	// subscriptions.
	Accounts []string
	// Principals are identifiers of its identities (role ARNs, service
	// account e-mails, managed identity IDs) that a policy may name.
	Principals []string
	// Source says where the environment was declared.
	Source Method
}

// Resource is one resource of the plan, as the checks see it.
type Resource struct {
	// Address is the resource's full address, module path included:
	// module.prod.aws_security_group.app, aws_s3_bucket.data["models"].
	Address string
	Type    string
	// Cloud is the cloud of its provider: aws, gcp or azure, or
	// kubernetes for the objects of hashicorp/kubernetes.
	Cloud       segment.Cloud
	Attribution Attribution
}

// Ref points at a resource of the plan, from a value in another. Address is
// set when the plan says which resource (a reference in the configuration,
// or a known identifier that matches one); Value is the identifier as
// written, when it is known.
type Ref struct {
	Address string
	Value   string
}

// Network is a network or a subnet with its ranges.
type Network struct {
	Resource int // index into Facts.Resources
	Path     string
	CIDRs    []netip.Prefix
}

// Direction is which way traffic that a firewall rule admits travels.
type Direction string

// The directions.
const (
	Ingress Direction = "ingress"
	Egress  Direction = "egress"
)

// FirewallRule is one rule of a security group, network ACL, firewall or
// network security group that allows or denies traffic to or from peers.
type FirewallRule struct {
	Resource  int // the resource that holds the rule, or the rule resource itself
	Path      string
	Direction Direction
	// Owner is the group, ACL or network whose members the rule protects;
	// empty when the rule is part of the resource's own body.
	Owner    Ref
	Protocol string // tcp, udp, icmp, or all
	FromPort int
	ToPort   int
	// Peers are the ranges the rule admits traffic from (ingress) or to
	// (egress), and PeerGroups the groups it names instead.
	Peers      []netip.Prefix
	PeerGroups []Ref
	// Deny is set for a rule that denies; with ordered rules (network ACLs,
	// firewalls, NSGs), a deny of lower Priority shadows the allows after it.
	Deny     bool
	Priority int // 0 where rules are not ordered (security groups)
	// Stateless is set where return traffic needs rules of its own
	// (network ACLs): a declared flow then also admits the replies, on the
	// ephemeral ports 1024-65535, in the other direction.
	Stateless bool
}

// LinkKind is what joins two networks.
type LinkKind string

// The kinds of link.
const (
	Peering    LinkKind = "peering"
	Attachment LinkKind = "attachment" // a network attached to a hub (a transit gateway)
	Route      LinkKind = "route"
)

// Link is a network path a resource creates: a peering between two
// networks, a network's attachment to a hub, or a route towards a range.
type Link struct {
	Resource int
	Path     string
	Kind     LinkKind
	// From is the network (or route table) on this side, To the peer
	// network, or the hub for an attachment.
	From Ref
	To   Ref
	// Destination is a route's destination range.
	Destination netip.Prefix
}

// GrantKind is what a grant gives a principal.
type GrantKind string

// The kinds of grant.
const (
	Trust   GrantKind = "trust"   // the principal may act as an identity (assume a role, impersonate a service account)
	Access  GrantKind = "access"  // the principal gets a role on a resource or scope
	KeyUse  GrantKind = "key"     // the principal may use a key
	Storage GrantKind = "storage" // the principal may read or write storage
)

// Principal is who a grant names.
type Principal struct {
	// Text is the principal as the policy writes it; empty when it comes
	// from a reference whose value is not known yet.
	Text string
	// Account is the account, project or subscription the identifier names.
	Account string
	// Ref is the resource the principal is, when the plan says.
	Ref string
	// Condition is set when a policy condition, not the principal, names
	// the account (aws:PrincipalAccount, aws:SourceAccount and the like).
	Condition string
}

// Grant gives principals something on a resource.
type Grant struct {
	Resource int
	Path     string
	Kind     GrantKind
	// Target is what the grant is on, when it is another resource (the
	// bucket of a bucket policy, the key of a grant).
	Target     Ref
	Principals []Principal
}

// KeyUser is a resource that encrypts with a key.
type KeyUser struct {
	Resource int
	Path     string
	Key      Ref
}

// Blind is a value the checks needed but the plan does not know and no
// reference in the configuration explains.
type Blind struct {
	Resource int
	Path     string
	// Rule is the check the value would have fed.
	Rule string
}

// Facts are everything the checks see of one plan.
type Facts struct {
	Resources    []Resource
	Environments []Environment
	Flows        []segment.Flow

	Networks      []Network
	FirewallRules []FirewallRule
	Links         []Link
	Grants        []Grant
	KeyUsers      []KeyUser
	Blind         []Blind

	// The Kubernetes layer (kubernetes.go).
	Namespaces   []Namespace
	KubeRoles    []KubeRole
	RoleBindings []RoleBinding
	PolicyRules  []PolicyRule
}

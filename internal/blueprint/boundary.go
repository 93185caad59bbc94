package blueprint

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Boundary is what the allowed flows add to one environment, on top of its
// own blueprint. The receiving side of a flow holds the narrow grant: for a
// model promotion, the target's promoter role (assumable only by the target's
// CI subject) may read the source's model artefacts, and the source's bucket
// and key policies name exactly that role; the source gets nothing in the
// target.
type Boundary struct {
	Environment     string              `json:"environment" doc:"The environment's name."`
	Inbound         []FlowRef           `json:"inbound" doc:"Allowed flows into the environment, sorted."`
	Outbound        []FlowRef           `json:"outbound" doc:"Allowed flows out of the environment, sorted."`
	FirewallRules   []FirewallRule      `json:"firewall_rules" doc:"Extra firewall rules (on AWS, security group rules and network ACL rules numbered 150-199), sorted by key."`
	Identities      []Identity          `json:"identities" doc:"Extra identities the environment holds, such as the promoter of a model promotion, sorted by key."`
	ResourceGrants  []ResourceGrant     `json:"resource_grants" doc:"Grants the environment adds to its own buckets, keys and registry, each naming one principal of another environment, sorted by key."`
	NetworkPolicies []k8s.NetworkPolicy `json:"network_policies" doc:"Network policies the environment's cluster adds for its flows: egress to the peer's range from the namespaces that send, ingress from it into the namespaces that receive, on the flow's ports only; sorted by key."`
}

// FlowRef names one flow from the point of view of one environment.
type FlowRef struct {
	Peer    string `json:"peer" doc:"The environment at the other end."`
	Purpose string `json:"purpose" doc:"What the flow carries."`
}

// ResourceGrant is one grant on a resource of the environment to one
// principal of another environment.
type ResourceGrant struct {
	Key         string            `json:"key" doc:"Stable key."`
	Kind        string            `json:"kind" doc:"What is granted: bucket, key or registry."`
	Target      string            `json:"target" doc:"Key of the bucket or encryption key (models), or registry."`
	Principal   string            `json:"principal" doc:"The one principal of another environment the grant names."`
	Description string            `json:"description" doc:"Why the grant exists."`
	AWS         *AWSResourceGrant `json:"aws" doc:"The grant as a policy statement; null for other clouds."`
	GCP         *RoleBinding      `json:"gcp" doc:"The grant as a role binding on the bucket, key or repository; null for other clouds."`
	Azure       *RoleBinding      `json:"azure" doc:"The grant as a role assignment on the bucket's storage account or the registry, to the identity whose resource ID is the member (the module takes its principal ID from the other environment's module); null for other clouds."`
}

// AWSResourceGrant is a grant as a statement of a resource policy.
type AWSResourceGrant struct {
	Statement string `json:"statement" doc:"The statement added to the bucket, key or repository policy, as JSON."`
}

// The kinds of resource a grant is on.
const (
	GrantBucket   = "bucket"
	GrantKey      = "key"
	GrantRegistry = "registry"
)

// OTLPPorts are the ports telemetry flows to the shared sink on.
const (
	OTLPFromPort = 4317
	OTLPToPort   = 4318
)

// MaxBoundaryACLRules is the room in the network ACL band reserved for
// flows, per ACL and direction.
const MaxBoundaryACLRules = RuleDenyPrivate - RuleBoundaryFlows

// BoundaryIssue is a flow the boundaries could not fully express.
type BoundaryIssue struct {
	Flow    int
	Message string
}

// Boundaries computes every environment's boundary from the allowed flows of
// t. Flows the tier policy denies, or whose ends are unknown, grant nothing;
// the topology rules report them.
func Boundaries(t segment.Topology) (map[string]Boundary, []BoundaryIssue) {
	byName := map[string]segment.Member{}
	out := map[string]Boundary{}
	for _, m := range t.Environments {
		if _, dup := byName[m.Name]; !dup {
			byName[m.Name] = m
			out[m.Name] = Boundary{Environment: m.Name}
		}
	}
	b := boundaryBuilder{out: out, aclNext: map[string]int{}, nsgNext: map[string]int{}}
	var issues []BoundaryIssue
	type flowID struct {
		from, to string
		purpose  segment.FlowPurpose
	}
	first := map[flowID]int{}
	for i, f := range t.Flows {
		src, okSrc := byName[f.From]
		dst, okDst := byName[f.To]
		if !okSrc || !okDst || f.From == f.To || !segment.FlowAllowed(src.Tier, dst.Tier, f.Purpose) {
			continue
		}
		id := flowID{f.From, f.To, f.Purpose}
		if j, dup := first[id]; dup {
			issues = append(issues, BoundaryIssue{Flow: i, Message: fmt.Sprintf("flow %d repeats flow %d and grants nothing more; remove it.", i, j)})
			continue
		}
		first[id] = i
		var msg string
		switch {
		case (f.Purpose == segment.ModelPromotion || f.Purpose == segment.ArtifactPull) && src.Cloud != dst.Cloud:
			msg = fmt.Sprintf("a %s flow grants access to buckets, keys or registries by IAM, which this provider expresses between environments of one cloud only so far (%s is on %s, %s on %s): the flow grants nothing.",
				f.Purpose, src.Name, src.Cloud, dst.Name, dst.Cloud)
		case f.Purpose == segment.ModelPromotion && src.Cloud == segment.Azure:
			msg = b.azurePromotion(src, dst)
		case f.Purpose == segment.ArtifactPull && src.Cloud == segment.Azure:
			b.azureArtifactPull(src, dst)
		case f.Purpose == segment.ModelPromotion && src.Cloud == segment.GCP:
			msg = b.gcpPromotion(src, dst)
		case f.Purpose == segment.ArtifactPull && src.Cloud == segment.GCP:
			b.gcpArtifactPull(src, dst)
		case f.Purpose == segment.ModelPromotion:
			msg = b.promotion(src, dst)
		case f.Purpose == segment.Telemetry:
			msg = b.network(src, dst, "telemetry", GroupNodes, OTLPFromPort, OTLPToPort, "OTLP telemetry")
			if msg == "" {
				b.kubernetes(src, dst, f.Purpose, OTLPFromPort, OTLPToPort)
			}
		case f.Purpose == segment.Deploy:
			msg = b.network(src, dst, "deploy", GroupCluster, 443, 443, "the CI runners reach the private Kubernetes API")
			if msg == "" {
				b.kubernetes(src, dst, f.Purpose, 443, 443)
			}
		case f.Purpose == segment.ArtifactPull:
			b.artifactPull(src, dst)
		}
		if msg != "" {
			issues = append(issues, BoundaryIssue{Flow: i, Message: msg})
			continue
		}
		b.ref(src.Name, dst.Name, f.Purpose)
	}
	for name, bd := range out {
		sortByKey(bd.FirewallRules, func(r FirewallRule) string { return r.Key })
		sortByKey(bd.Identities, func(r Identity) string { return r.Key })
		sortByKey(bd.ResourceGrants, func(r ResourceGrant) string { return r.Key })
		sortByKey(bd.NetworkPolicies, func(r k8s.NetworkPolicy) string { return r.Key })
		for _, refs := range [][]FlowRef{bd.Inbound, bd.Outbound} {
			slices.SortFunc(refs, func(x, y FlowRef) int {
				return strings.Compare(x.Peer+" "+x.Purpose, y.Peer+" "+y.Purpose)
			})
		}
		bd.Inbound, bd.Outbound = nonNil(bd.Inbound), nonNil(bd.Outbound)
		bd.FirewallRules, bd.Identities = nonNil(bd.FirewallRules), nonNil(bd.Identities)
		bd.ResourceGrants, bd.NetworkPolicies = nonNil(bd.ResourceGrants), nonNil(bd.NetworkPolicies)
		out[name] = bd
	}
	return out, issues
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type boundaryBuilder struct {
	out     map[string]Boundary
	aclNext map[string]int // "env/direction" -> workload ACL rules used in the flow band
	nsgNext map[string]int // "env/direction" -> NSG priorities used in the flow band
}

func (b *boundaryBuilder) update(name string, f func(*Boundary)) {
	bd := b.out[name]
	f(&bd)
	b.out[name] = bd
}

func (b *boundaryBuilder) ref(src, dst string, purpose segment.FlowPurpose) {
	b.update(src, func(bd *Boundary) { bd.Outbound = append(bd.Outbound, FlowRef{Peer: dst, Purpose: string(purpose)}) })
	b.update(dst, func(bd *Boundary) { bd.Inbound = append(bd.Inbound, FlowRef{Peer: src, Purpose: string(purpose)}) })
}

// member returns the AWS naming helper of a topology member.
func member(m segment.Member) aws {
	return aws{env: memberEnvironment(m), partition: partition(m.Region)}
}

// memberEnvironment is what a topology member says of its environment: its
// identity, which every cloud's names and principals derive from.
func memberEnvironment(m segment.Member) segment.Environment {
	return segment.Environment{
		Organization: m.Organization, Name: m.Name, Tier: m.Tier, Cloud: m.Cloud,
		Region: m.Region, AccountID: m.AccountID, CIDR: m.CIDR,
		CISubject: m.CISubject, CIOIDCProvider: m.CIOIDCProvider,
	}
}

// network opens one TCP path from src's nodes to dst's group on the given
// ports, on both sides, each in its own cloud's firewall: on AWS a security
// group rule and the stateless network ACL rules, on Google Cloud a VPC
// firewall rule for the nodes' service account.
func (b *boundaryBuilder) network(src, dst segment.Member, kind, dstGroup string, from, to int, why string) string {
	desc := fmt.Sprintf("%s flow %s -> %s: %s.", kind, src.Name, dst.Name, why)
	if (dst.Cloud == segment.GCP || dst.Cloud == segment.Azure) && dstGroup == GroupCluster {
		return fmt.Sprintf("%s's private Kubernetes API (%s) is reached through the cluster's own private endpoint, which firewall rules of a flow do not open: the %s flow from %s grants nothing. Deploy from a runner inside %s.",
			dst.Name, dst.Cloud, kind, src.Name, dst.Name)
	}
	// Network ACLs are stateless: each AWS side allows the request one way
	// and the replies the other. All its rules fit in the flow band, or the
	// flow is left out whole.
	type aclRule struct {
		env, dir, peer string
		from, to       int
	}
	var acl []aclRule
	if src.Cloud == segment.AWS {
		acl = append(acl, aclRule{src.Name, Egress, dst.CIDR.String(), from, to}, aclRule{src.Name, Ingress, dst.CIDR.String(), 1024, 65535})
	}
	if dst.Cloud == segment.AWS {
		acl = append(acl, aclRule{dst.Name, Ingress, src.CIDR.String(), from, to}, aclRule{dst.Name, Egress, src.CIDR.String(), 1024, 65535})
	}
	for _, r := range acl {
		if b.aclNext[r.env+"/"+r.dir] >= MaxBoundaryACLRules {
			return fmt.Sprintf("%s would need more than the %d network ACL rules reserved for flows in the %s direction, so this flow grants nothing. Aggregate the peers behind fewer ranges.",
				r.env, MaxBoundaryACLRules, r.dir)
		}
	}
	sides := []struct {
		m               segment.Member
		key, group, dir string
		peer            netip.Prefix
	}{
		{src, fmt.Sprintf("flow-%s-to-%s", kind, dst.Name), GroupNodes, Egress, dst.CIDR},
		{dst, fmt.Sprintf("flow-%s-from-%s", kind, src.Name), dstGroup, Ingress, src.CIDR},
	}
	for _, side := range sides {
		if side.m.Cloud == segment.Azure && b.nsgNext[side.m.Name+"/"+side.dir] >= NSGDenyAll-NSGBoundaryFlows {
			return fmt.Sprintf("%s has no network security group priority left for flows in the %s direction, so this flow grants nothing.", side.m.Name, side.dir)
		}
		// A Google Cloud firewall rule is named {organization}-{environment}-{key}.
		if name := memberEnvironment(side.m).ResourceName(gcpFlowKey(side.key, side.dir)); side.m.Cloud == segment.GCP && len(name) > cloud.GCPFirewallNameMaxLength {
			return fmt.Sprintf("%s's firewall rule %q would have %d characters, but Google Cloud takes at most %d: the flow grants nothing. Shorten the environments' names.",
				side.m.Name, name, len(name), cloud.GCPFirewallNameMaxLength)
		}
	}
	for _, side := range sides {
		b.update(side.m.Name, func(bd *Boundary) {
			bd.FirewallRules = append(bd.FirewallRules, b.flowRule(side.m, side.key, side.group, side.dir, side.peer.String(), desc).withPorts("tcp", from, to))
		})
	}
	for _, r := range acl {
		n := b.aclNext[r.env+"/"+r.dir]
		b.aclNext[r.env+"/"+r.dir] = n + 1
		number := RuleBoundaryFlows + n
		b.update(r.env, func(bd *Boundary) {
			bd.FirewallRules = append(bd.FirewallRules, FirewallRule{
				Key:   fmt.Sprintf("nacl-workload-%s-%05d", r.dir, number),
				Layer: LayerNetworkACL, Targets: []string{string(netplan.Workload)}, Direction: r.dir, Action: Allow, Priority: ptr(number),
				CIDRs: []string{r.peer}, Description: desc,
			}.withPorts("tcp", r.from, r.to))
		})
	}
	return ""
}

// kubernetes adds the network policies of a flow to both clusters. A side
// without the namespaces the flow needs gets none: SEG805 fails the plan
// with the same message (k8s.FlowPolicies). While a side's namespaces are
// not known, the topology plans every boundary as unknown and its warning
// names SEG805 (rules.UncheckedValues), so nothing is left out unseen.
func (b *boundaryBuilder) kubernetes(src, dst segment.Member, purpose segment.FlowPurpose, from, to int) {
	if !src.Known("namespaces") || !dst.Known("namespaces") {
		return
	}
	senders, receivers := k8s.FlowNamespaces(purpose)
	sp, dp, err := k8s.FlowPolicies(k8s.FlowSide{Environment: src.Name, Namespaces: src.WorkloadNamespaces()}, k8s.FlowSide{Environment: dst.Name, Namespaces: dst.WorkloadNamespaces()},
		src.CIDR, dst.CIDR, string(purpose), senders, receivers, from, to)
	if err != nil {
		return
	}
	b.update(src.Name, func(bd *Boundary) { bd.NetworkPolicies = append(bd.NetworkPolicies, sp...) })
	b.update(dst.Name, func(bd *Boundary) { bd.NetworkPolicies = append(bd.NetworkPolicies, dp...) })
}

// gcpFlowKey is the key of a flow's Google Cloud firewall rule.
func gcpFlowKey(key, direction string) string { return key + "-fw-" + direction }

// flowRule is the stateful rule of one side of a flow, in that side's
// cloud: a security group rule on AWS (keyed "{key}-sg-{group}-{direction}"),
// a VPC firewall rule for the nodes' service account on Google Cloud
// (keyed "{key}-fw-{direction}"), a rule of the nodes' subnet's network
// security group on Azure, numbered from NSGBoundaryFlows (keyed
// "{key}-nsg-{direction}").
func (b *boundaryBuilder) flowRule(m segment.Member, key, group, direction, peer, desc string) FirewallRule {
	r := FirewallRule{Direction: direction, Action: Allow, CIDRs: []string{peer}, Description: desc}
	switch m.Cloud {
	case segment.GCP:
		r.Key, r.Layer, r.Targets, r.Priority = gcpFlowKey(key, direction), LayerVPCFirewall, []string{RoleNode}, ptr(GCPAllowPriority)
	case segment.Azure:
		n := b.nsgNext[m.Name+"/"+direction]
		b.nsgNext[m.Name+"/"+direction] = n + 1
		r.Key, r.Layer, r.Targets, r.Priority = key+"-nsg-"+direction, LayerNSG, []string{string(netplan.Workload)}, ptr(NSGBoundaryFlows+n)
	default:
		r.Key, r.Layer, r.Targets = fmt.Sprintf("%s-sg-%s-%s", key, group, direction), LayerSecurityGroup, []string{group}
	}
	return r
}

// promotion gives dst a promoter role that reads src's model artefacts, and
// src the bucket and key statements that name exactly that role.
func (b *boundaryBuilder) promotion(src, dst segment.Member) string {
	if dst.CISubject == "" {
		return fmt.Sprintf("%q has no ci_subject, so no promoter role can be made for the model promotion from %q: the flow grants nothing.", dst.Name, src.Name)
	}
	s, d := member(src), member(dst)
	// The key stays "promoter-{source}"; the name separates the source with
	// cloud.VariableSeparator, so that no promoter role can be named like
	// another environment's own roles ("{organization}-{environment}-{role}").
	key := "promoter-" + src.Name
	purpose := cloud.PromoterRole(src.Name)
	models := []string{s.bucketARN(BucketModels), s.bucketARN(BucketModels) + "/*"}
	// The promoter reads nothing of the source but its models, and writes
	// nothing but its own environment's models.
	role := Identity{
		Key:       key,
		Name:      d.name(purpose),
		Principal: d.roleARN(purpose),
		Purpose:   fmt.Sprintf("Promotes models from %s into %s; assumable only by %s's CI subject.", src.Name, dst.Name, dst.Name),
	}
	role.AWS = &AWSIdentity{
		TrustPolicy: d.ciTrust().String(),
		Policy: document(
			allow("ReadSourceModels", s3Read, models...),
			allow("DecryptSourceModels", []string{"kms:Decrypt"}, s.keyARNs()).
				when("ForAnyValue:StringEquals", "kms:ResourceAliases", s.alias(KeyModels)),
			d.bucketAccess("WriteModels", BucketModels, s3Write),
			statement{Sid: "DenyOtherBuckets", Effect: "Deny", Action: sorted(s3Write),
				NotResource: append(slices.Clone(models), d.bucketARN(BucketModels), d.bucketARN(BucketModels)+"/*")},
			statement{Sid: "DenyOtherKeys", Effect: "Deny", Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: []string{"*"}}.
				when("ForAllValues:StringNotEquals", "kms:ResourceAliases", s.alias(KeyModels), d.alias(KeyModels)),
		).String(),
		ManagedPolicyARNs: []string{},
	}
	b.update(dst.Name, func(bd *Boundary) {
		bd.Identities = append(bd.Identities, role)
		// The promoter writes into its own environment's models bucket, so
		// that environment's models key names it too.
		bd.ResourceGrants = append(bd.ResourceGrants, grant("promoter-from-"+src.Name+"-key", GrantKey, KeyModels, role.Principal,
			fmt.Sprintf("%s's promoter encrypts the models it promotes from %s.", dst.Name, src.Name),
			allow("Promoter"+sid(src.Name), keyWrite, "*").by("AWS", role.Principal)))
	})
	b.update(src.Name, func(bd *Boundary) {
		bd.ResourceGrants = append(bd.ResourceGrants,
			grant("promotion-to-"+dst.Name+"-bucket", GrantBucket, BucketModels, role.Principal,
				fmt.Sprintf("%s's promoter reads %s's model artefacts; nothing else.", dst.Name, src.Name),
				allow("PromoteTo"+sid(dst.Name), s3Read, models...).by("AWS", role.Principal)),
			grant("promotion-to-"+dst.Name+"-key", GrantKey, KeyModels, role.Principal,
				fmt.Sprintf("%s's promoter decrypts %s's model artefacts; never the data key.", dst.Name, src.Name),
				allow("PromoteTo"+sid(dst.Name), []string{"kms:Decrypt", "kms:DescribeKey"}, "*").by("AWS", role.Principal)),
		)
	})
	return ""
}

// artifactPull lets dst's nodes pull images from src's registry (src is a
// shared environment): a repository statement in src naming exactly dst's
// node role. The node role's managed registry policy already allows pulls,
// and its explicit deny of other environments spares the shared tier.
func (b *boundaryBuilder) artifactPull(src, dst segment.Member) {
	actions := []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}
	nodeRole := member(dst).roleARN(RoleNode)
	g := pullGrant(dst, nodeRole)
	g.AWS = &AWSResourceGrant{Statement: allow("PullBy"+sid(dst.Name), actions).by("AWS", nodeRole).String()}
	b.update(src.Name, func(bd *Boundary) { bd.ResourceGrants = append(bd.ResourceGrants, g) })
}

func grant(key, kind, target, principal, description string, s statement) ResourceGrant {
	return ResourceGrant{Key: key, Kind: kind, Target: target, Principal: principal, Description: description,
		AWS: &AWSResourceGrant{Statement: s.String()}}
}

// sid turns a name into the letters and digits a statement ID allows.
func sid(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// gcpPromotion gives dst a promoter service account, usable only by dst's CI
// subject through dst's workload identity pool, that reads src's models and
// writes dst's; src's models bucket names exactly that account. The buckets'
// keys are used by each project's Cloud Storage agent, so no key is granted.
func (b *boundaryBuilder) gcpPromotion(src, dst segment.Member) string {
	if dst.CISubject == "" {
		return noPromoter(src, dst)
	}
	d := gcp{env: memberEnvironment(dst)}
	key := "promoter-" + src.Name
	id := cloud.IdentityOf(d.env, cloud.PromoterRole(src.Name))
	if len(id.Name) > cloud.GCP.RoleNameMaxLength {
		return fmt.Sprintf("the promoter service account %q would have %d characters, but a service account ID has at most %d: the flow grants nothing. Shorten the environments' names.",
			id.Name, len(id.Name), cloud.GCP.RoleNameMaxLength)
	}
	principal := cloud.GCP.Principal(id)
	bd := &binder{identity: key, member: "serviceAccount:" + principal}
	bd.writeBuckets(BucketModels).actAs("ci", d.ciMember())
	sortByKey(bd.out, func(x RoleBinding) string { return x.Key })
	promoter := promoterIdentity(src, dst, key, id.Name, principal)
	promoter.GCP = &GCPIdentity{Bindings: bd.out, Federation: d.federation()}
	g := promotionGrant(src, dst, principal)
	g.GCP = &RoleBinding{Key: g.Key, Role: roleObjectViewer, Scope: ScopeBucket, Resource: ptr(BucketModels), Member: "serviceAccount:" + principal}
	b.addPromotion(src, dst, promoter, g)
	return ""
}

// gcpArtifactPull lets dst's nodes read src's container images: a reader
// binding, for src's Artifact Registry repositories, naming exactly dst's
// node service account.
func (b *boundaryBuilder) gcpArtifactPull(src, dst segment.Member) {
	nodes := cloud.GCP.Principal(cloud.IdentityOf(memberEnvironment(dst), RoleNode))
	g := pullGrant(dst, nodes)
	g.GCP = &RoleBinding{Key: g.Key, Role: roleRegistryReader, Scope: GrantRegistry, Member: "serviceAccount:" + nodes}
	b.update(src.Name, func(bd *Boundary) { bd.ResourceGrants = append(bd.ResourceGrants, g) })
}

// azurePromotion gives dst a promoter identity, usable only by dst's CI
// subject through its federated credential, that writes dst's models; src's
// models storage account assigns exactly that identity the right to read.
// The storage accounts encrypt with their own identities, so no key is
// granted.
func (b *boundaryBuilder) azurePromotion(src, dst segment.Member) string {
	if dst.CISubject == "" {
		return noPromoter(src, dst)
	}
	d := azure{env: memberEnvironment(dst)}
	key := "promoter-" + src.Name
	id := cloud.IdentityOf(d.env, cloud.PromoterRole(src.Name))
	principal := cloud.Azure.Principal(id)
	a := &assigner{identity: key, out: []RoleBinding{}}
	a.write(BucketModels)
	promoter := promoterIdentity(src, dst, key, id.Name, principal)
	promoter.Azure = &AzureIdentity{RoleAssignments: a.out,
		Federation: &AzureFederation{Issuer: "https://" + dst.CIOIDCProvider, Subject: dst.CISubject, Audience: AzureTokenAudience}}
	g := promotionGrant(src, dst, principal)
	g.Azure = &RoleBinding{Key: g.Key, Role: roleBlobReader, Scope: ScopeBucket, Resource: ptr(BucketModels), Member: principal}
	b.addPromotion(src, dst, promoter, g)
	return ""
}

// azureArtifactPull lets dst's kubelet pull images from src's registry: an
// AcrPull assignment naming exactly dst's kubelet identity.
func (b *boundaryBuilder) azureArtifactPull(src, dst segment.Member) {
	kubelet := cloud.Azure.Principal(cloud.IdentityOf(memberEnvironment(dst), RoleNode))
	g := pullGrant(dst, kubelet)
	g.Azure = &RoleBinding{Key: g.Key, Role: roleAcrPull, Scope: ScopeRegistry, Member: kubelet}
	b.update(src.Name, func(bd *Boundary) { bd.ResourceGrants = append(bd.ResourceGrants, g) })
}

// The parts of a promotion and an artefact pull that every cloud shares;
// each cloud adds its identity's and its grant's own part.

// noPromoter is the issue of a model promotion into an environment that has
// no CI subject to act as its promoter.
func noPromoter(src, dst segment.Member) string {
	return fmt.Sprintf("%q has no ci_subject, so no promoter can be made for the model promotion from %q: the flow grants nothing.", dst.Name, src.Name)
}

// promoterIdentity is dst's promoter of src's models.
func promoterIdentity(src, dst segment.Member, key, name, principal string) Identity {
	return Identity{
		Key: key, Name: name, Principal: principal,
		Purpose: fmt.Sprintf("Promotes models from %s into %s; usable only by %s's CI subject.", src.Name, dst.Name, dst.Name),
	}
}

// promotionGrant is src's grant to dst's promoter on src's models bucket.
func promotionGrant(src, dst segment.Member, principal string) ResourceGrant {
	return ResourceGrant{
		Key: "promotion-to-" + dst.Name + "-bucket", Kind: GrantBucket, Target: BucketModels, Principal: principal,
		Description: fmt.Sprintf("%s's promoter reads %s's model artefacts; nothing else.", dst.Name, src.Name),
	}
}

// addPromotion gives dst its promoter and src the grant to it.
func (b *boundaryBuilder) addPromotion(src, dst segment.Member, promoter Identity, g ResourceGrant) {
	b.update(dst.Name, func(bd *Boundary) { bd.Identities = append(bd.Identities, promoter) })
	b.update(src.Name, func(bd *Boundary) { bd.ResourceGrants = append(bd.ResourceGrants, g) })
}

// pullGrant is the grant of a registry to dst's nodes, who pull its images.
func pullGrant(dst segment.Member, principal string) ResourceGrant {
	return ResourceGrant{
		Key: "artifact-pull-by-" + dst.Name, Kind: GrantRegistry, Target: GrantRegistry, Principal: principal,
		Description: fmt.Sprintf("%s's nodes pull images; nothing else.", dst.Name),
	}
}

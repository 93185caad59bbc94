// Package blueprint expands one environment into the building blocks of an
// isolated ML environment: network, firewall rules, identities, keys, GPU
// node pools and monitoring. It is pure and deterministic: the same
// environment always gives the same blueprint, with lists sorted by stable
// keys so that a module can for_each over them.
//
// The Go types below are the single source of the provider's `blueprint`
// attribute type and of the generated modules' variable types.
package blueprint

import (
	"fmt"

	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
)

// Blueprint is everything a module needs to build one environment.
//
// Each part holds what every cloud has (networks and subnets, firewall
// rules, identities, keys, buckets, a cluster, GPU node pools, monitoring)
// in fields named for the idea, not for one cloud's service, and what only
// one cloud has in a nested part named for that cloud (aws), null for the
// other clouds. A value a part does not have is null, not empty: a security
// group rule has no priority, a rule whose peer is a range has no peer group.
// Null values cost nothing in a plan's output, and a module passes them to
// the cloud provider as "not set".
type Blueprint struct {
	Environment        string            `json:"environment" doc:"The environment's name."`
	Organization       string            `json:"organization" doc:"The organization prefix of every name."`
	Tier               string            `json:"tier" doc:"The environment's tier."`
	Cloud              string            `json:"cloud" doc:"The cloud: aws, gcp or azure."`
	Region             string            `json:"region" doc:"The region."`
	AccountID          string            `json:"account_id" doc:"The AWS account, GCP project or Azure subscription that holds the environment."`
	DataClassification string            `json:"data_classification" doc:"The classification of the data the environment holds."`
	Network            Network           `json:"network" doc:"The environment's network and its subnets."`
	FirewallRules      []FirewallRule    `json:"firewall_rules" doc:"Every firewall rule of every layer, sorted by key."`
	Identities         []Identity        `json:"identities" doc:"The environment's identities (AWS IAM roles), sorted by key."`
	CIOIDCProvider     string            `json:"ci_oidc_provider" doc:"Host of the OIDC issuer the deployer trusts; empty when there is no deployer."`
	Keys               []Key             `json:"keys" doc:"The environment's encryption keys, one per purpose, sorted by key."`
	Buckets            []Bucket          `json:"buckets" doc:"The environment's object storage buckets for data and models, sorted by key."`
	Cluster            Cluster           `json:"cluster" doc:"The private Kubernetes cluster the node pools join."`
	NodePools          []NodePool        `json:"node_pools" doc:"GPU node pools, sorted by key."`
	Monitoring         Monitoring        `json:"monitoring" doc:"Flow logs, audit logs, retention and alarms."`
	Kubernetes         k8s.Layer         `json:"kubernetes" doc:"What runs inside the cluster: namespaces at Pod Security restricted, default-deny network policies, quotas, roles, bindings and service accounts."`
	Tags               map[string]string `json:"tags" doc:"Tags (labels) for every resource: the provider's default_tags and the segmented:* tags."`
	Waivers            []Waiver          `json:"waivers" doc:"Rules this environment waives, with the recorded reasons."`
}

// Network is the environment's network and its subnets.
type Network struct {
	Name    string        `json:"name" doc:"Name of the network (the AWS VPC)."`
	CIDR    string        `json:"cidr" doc:"The network's IPv4 range."`
	Zones   []string      `json:"zones" doc:"Availability zones, in order."`
	Subnets []Subnet      `json:"subnets" doc:"Subnets per zone and purpose, sorted by key."`
	AWS     *AWSNetwork   `json:"aws" doc:"What only an AWS VPC has; null for other clouds."`
	GCP     *GCPNetwork   `json:"gcp" doc:"What only a Google Cloud VPC network has; null for other clouds."`
	Azure   *AzureNetwork `json:"azure" doc:"What only an Azure VNet has; null for other clouds."`
}

// AzureNetwork is what only an Azure VNet has. Its subnets have no default
// outbound access, and every subnet has a network security group.
type AzureNetwork struct {
	ResourceGroup    string            `json:"resource_group" doc:"The environment's resource group, which holds every resource of the environment."`
	AddressSpace     []string          `json:"address_space" doc:"The VNet's address prefixes: its subnets' ranges and the API server's subnet only, so that the pods' overlay range and the services' range, carved from the environment's range too, stay outside it as AKS requires."`
	SecurityGroups   []SubnetGuard     `json:"security_groups" doc:"One network security group per subnet purpose, sorted by key; their rules are in firewall_rules."`
	PrivateEndpoints []PrivateEndpoint `json:"private_endpoints" doc:"Private endpoints in the data subnets, the only way to the environment's storage, key vault and registry; sorted by key."`
	Egress           AzureEgress       `json:"egress" doc:"The one way out of the VNet."`
}

// AzureEgress is the one way out of an environment's VNet: a NAT gateway
// for the workload subnets, whose network security group lets them reach
// only a few service tags through it.
type AzureEgress struct {
	NATGateway    string   `json:"nat_gateway" doc:"Name of the NAT gateway."`
	PublicIP      string   `json:"public_ip" doc:"Name of its static public IP address (Standard SKU), the only address the environment's traffic leaves from."`
	SubnetPurpose string   `json:"subnet_purpose" doc:"Subnets it serves: the workload subnets."`
	ServiceTags   []string `json:"service_tags" doc:"The service tags those subnets' network security group lets them reach through it on 443, and nothing else: AzureActiveDirectory, where workload identity exchanges a pod's token (Entra ID has no private endpoint for sign-ins). The module outputs their IPv4 ranges (service_cidrs), which the Kubernetes layer's network policies name."`
}

// PrivateEndpoint is an Azure private endpoint of one of the environment's
// services.
type PrivateEndpoint struct {
	Key           string `json:"key" doc:"Stable key."`
	Name          string `json:"name" doc:"Resource name."`
	Target        string `json:"target" doc:"What it reaches: a bucket's key (its storage account), key_vault or registry."`
	Subresource   string `json:"subresource" doc:"The target's sub-resource: blob, vault or registry."`
	SubnetPurpose string `json:"subnet_purpose" doc:"Subnets it lives in."`
	DNSZone       string `json:"dns_zone" doc:"The private DNS zone it registers in, linked to the VNet."`
}

// GCPNetwork is what only a Google Cloud VPC network has. The network has no
// automatic subnets and none of the default routes: only the routes below.
type GCPNetwork struct {
	RoutingMode     string           `json:"routing_mode" doc:"REGIONAL: routes learned in one region stay there."`
	SecondaryRanges []SecondaryRange `json:"secondary_ranges" doc:"Alias ranges of the workload subnet for pods and services, carved from the environment's range. Sorted by key."`
	Routes          []Route          `json:"routes" doc:"The only routes out of the network, sorted by key: the Google APIs' virtual IP range, load balancer health checks, and a default route only when an entry point admits a public range."`
	DNSZones        []DNSZone        `json:"dns_zones" doc:"Private DNS zones that send Google API names to the virtual IPs, sorted by key."`
	GoogleAPIs      string           `json:"google_apis" doc:"The Google APIs endpoint the workloads reach: restricted.googleapis.com (VPC Service Controls only) or private.googleapis.com."`
	GoogleAPIsCIDR  string           `json:"google_apis_cidr" doc:"The virtual IP range of google_apis: 199.36.153.4/30 or 199.36.153.8/30."`
	FlowLogSampling string           `json:"flow_log_sampling" doc:"Fraction of flows every subnet logs, as a decimal: 1.0, all of them."`
	FlowLogInterval string           `json:"flow_log_interval" doc:"Aggregation interval of the subnets' flow logs."`
	FlowLogMetadata string           `json:"flow_log_metadata" doc:"Metadata the flow logs include."`
}

// SecondaryRange is an alias range of a subnet.
type SecondaryRange struct {
	Key    string `json:"key" doc:"Stable key: pods or services."`
	Name   string `json:"name" doc:"Range name, which the cluster refers to."`
	Subnet string `json:"subnet" doc:"Key of the subnet the range belongs to."`
	CIDR   string `json:"cidr" doc:"The range."`
}

// Route is a route of a Google Cloud VPC network.
type Route struct {
	Key         string `json:"key" doc:"Stable key."`
	Name        string `json:"name" doc:"Route name."`
	Destination string `json:"destination" doc:"Destination range."`
	NextHop     string `json:"next_hop" doc:"default-internet-gateway: the route leaves the network (to Google's front ends for the API and health check ranges)."`
	Priority    int    `json:"priority" doc:"Route priority."`
	Description string `json:"description" doc:"Why the route exists."`
}

// DNSZone is a private Cloud DNS zone of the network that answers for a
// Google API domain with its virtual IPs.
type DNSZone struct {
	Key     string   `json:"key" doc:"Stable key: the domain, with dashes."`
	Name    string   `json:"name" doc:"Zone name."`
	Domain  string   `json:"domain" doc:"The domain, ending in a dot."`
	Target  string   `json:"target" doc:"The name every host of the domain is an alias of (CNAME of *.domain)."`
	Records []string `json:"records" tf:"nullable" doc:"A records of the target itself when the zone holds it (the virtual IPs); null otherwise."`
}

// AWSNetwork is what only an AWS VPC has.
type AWSNetwork struct {
	InternetGateway bool            `json:"internet_gateway" doc:"Whether the ingress subnets need an internet gateway: true only when an entry point admits a public range."`
	RouteTables     []RouteTable    `json:"route_tables" doc:"One route table per subnet purpose, sorted by key."`
	Endpoints       []Endpoint      `json:"endpoints" doc:"VPC endpoints: the only way out of the workload subnets. Sorted by key."`
	SecurityGroups  []SecurityGroup `json:"security_groups" doc:"Security groups, sorted by key. The VPC's default security group is kept empty."`
	NetworkACLs     []SubnetGuard   `json:"network_acls" doc:"One network ACL per subnet purpose, sorted by key."`
}

// Subnet is one subnet of one zone and purpose.
type Subnet struct {
	Key     string  `json:"key" doc:"Stable key: {purpose}-{zone}, or {purpose} for a regional subnet."`
	Name    string  `json:"name" doc:"Resource name."`
	Zone    *string `json:"zone" doc:"Availability zone; null for a regional subnet (Google Cloud)."`
	Purpose string  `json:"purpose" doc:"workload, data or ingress."`
	CIDR    string  `json:"cidr" doc:"The subnet's range."`
}

// RouteTable routes the subnets of one purpose.
type RouteTable struct {
	Key             string `json:"key" doc:"Stable key: the subnet purpose."`
	Name            string `json:"name" doc:"Resource name."`
	Purpose         string `json:"purpose" doc:"The subnet purpose it serves."`
	InternetGateway bool   `json:"internet_gateway" doc:"Whether it has a default route to the internet gateway (ingress subnets with a public entry point only)."`
}

// Endpoint is a VPC endpoint.
type Endpoint struct {
	Key           string  `json:"key" doc:"Stable key: the short service name, such as ecr-api."`
	Service       string  `json:"service" doc:"Short service name, such as ecr.api."`
	ServiceName   string  `json:"service_name" doc:"Full service name, such as com.amazonaws.us-east-1.ecr.api."`
	Type          string  `json:"type" doc:"Gateway or Interface."`
	SubnetPurpose string  `json:"subnet_purpose" doc:"Subnets an interface endpoint lives in, or whose route table a gateway endpoint joins."`
	SecurityGroup *string `json:"security_group" doc:"Key of the security group of an interface endpoint; null for a gateway endpoint."`
	PrivateDNS    bool    `json:"private_dns" doc:"Whether the endpoint answers for the service's public DNS name inside the VPC."`
}

// SecurityGroup is one security group; its rules are in FirewallRules.
type SecurityGroup struct {
	Key         string `json:"key" doc:"Stable key: cluster, nodes, endpoints or ingress."`
	Name        string `json:"name" doc:"Resource name."`
	Description string `json:"description" doc:"What the group protects."`
}

// SubnetGuard is the firewall of the subnets of one purpose (an AWS network
// ACL, an Azure network security group); its rules are in FirewallRules.
type SubnetGuard struct {
	Key           string `json:"key" doc:"Stable key: the subnet purpose."`
	Name          string `json:"name" doc:"Resource name."`
	SubnetPurpose string `json:"subnet_purpose" doc:"Subnets it is associated with."`
}

// FirewallRule is one rule of one firewall layer, for one or more targets
// and one or more peer ranges, as Google Cloud firewall rules and Azure
// security rules take them. Exactly one of CIDRs, PeerGroup and PeerService
// names the peer. A layer that takes one target and one range per rule (AWS
// network ACLs) applies it as Entries does.
type FirewallRule struct {
	Key         string   `json:"key" doc:"Stable, unique key."`
	Layer       string   `json:"layer" doc:"The layer that enforces the rule: security_group (stateful, per instance) or network_acl (stateless, per subnet) on AWS; vpc_firewall (stateful, per instance) on Google Cloud."`
	Targets     []string `json:"targets" doc:"Keys of what the rule applies to: security groups, the subnet purposes of network ACLs, or the identities (service accounts) whose instances a Google Cloud rule applies to."`
	Direction   string   `json:"direction" doc:"ingress or egress."`
	Action      string   `json:"action" doc:"allow or deny (deny exists only in layers that order their rules)."`
	Priority    *int     `json:"priority" doc:"Evaluation order, lowest first, in a layer that orders its rules (network ACLs, Google Cloud firewall rules); on AWS the first range's number, each further range taking the next. Null in a layer that does not order its rules."`
	Protocol    string   `json:"protocol" doc:"tcp, udp, or all."`
	FromPort    *int     `json:"from_port" doc:"First port; null with protocol all."`
	ToPort      *int     `json:"to_port" doc:"Last port; null with protocol all."`
	CIDRs       []string `json:"cidrs" tf:"nullable" doc:"The peer's ranges, or null."`
	PeerGroup   *string  `json:"peer_group" doc:"Key of the peer security group (on Google Cloud, the peer identity whose instances send the traffic), or null."`
	PeerService *string  `json:"peer_service" doc:"Key of the cloud service endpoint whose addresses are the peer (on AWS, the gateway endpoint whose prefix list names them), or null. A layer that cannot name the service gets one rule per address range, numbered up from priority."`
	Description string   `json:"description" doc:"Why the rule exists."`
}

// Entries returns the rule as a layer that takes one target and one range
// per rule applies it: one entry per target and range, the n-th range at
// priority+n, each keyed "nacl-{target}-{direction}-{priority}" in an
// ordered layer. A rule with one target and at most one range is its own
// only entry. The generated AWS module expands network ACL rules the same
// way, so the keys are its resource keys.
func (r FirewallRule) Entries() []FirewallRule {
	if len(r.Targets) == 1 && len(r.CIDRs) <= 1 {
		return []FirewallRule{r}
	}
	ranges := r.CIDRs
	if len(ranges) == 0 {
		ranges = []string{""} // a peer group or service
	}
	var out []FirewallRule
	for _, t := range r.Targets {
		for i, c := range ranges {
			e := r
			e.Targets = []string{t}
			if c != "" {
				e.CIDRs = []string{c}
			}
			if r.Priority != nil {
				e.Priority = ptr(*r.Priority + i)
				e.Key = fmt.Sprintf("nacl-%s-%s-%05d", t, r.Direction, *e.Priority)
			} else {
				e.Key = fmt.Sprintf("%s-%s-%d", r.Key, t, i)
			}
			out = append(out, e)
		}
	}
	return out
}

// Identity is one identity of the environment (an AWS IAM role): who may use
// it and what it may do.
type Identity struct {
	Key       string         `json:"key" doc:"Stable key: the identity's purpose."`
	Name      string         `json:"name" doc:"Name: {organization}-{environment}-{purpose}."`
	Principal string         `json:"principal" doc:"How policies name the identity (on AWS, the role's ARN), known at plan time."`
	Purpose   string         `json:"purpose" doc:"What the identity is for."`
	Human     bool           `json:"human" doc:"Whether people use the identity."`
	AWS       *AWSIdentity   `json:"aws" doc:"The IAM role's policies; null for other clouds."`
	GCP       *GCPIdentity   `json:"gcp" doc:"The service account's role bindings; null for other clouds."`
	Azure     *AzureIdentity `json:"azure" doc:"The managed identity's role assignments; null for other clouds."`
}

// AzureIdentity is a user-assigned managed identity's role assignments and
// federated credential.
type AzureIdentity struct {
	RoleAssignments []RoleBinding    `json:"role_assignments" doc:"Roles assigned to the identity, sorted by key: on the environment's resource group or its own resources, never the subscription and never Owner or Contributor. The member is the identity's own key (its principal ID is known after apply)."`
	Federation      *AzureFederation `json:"federation" doc:"The federated credential through which the CI acts as the identity; null for an identity the CI does not use."`
	WorkloadSubject *string          `json:"workload_subject" doc:"The Kubernetes service account that acts as the identity through the cluster's OIDC issuer (workload identity), as system:serviceaccount:{namespace}:{name}; null for identities no pod uses."`
}

// AzureFederation is a federated identity credential that admits one
// subject of one issuer.
type AzureFederation struct {
	Issuer   string `json:"issuer" doc:"The CI's OIDC issuer URL."`
	Subject  string `json:"subject" doc:"The one subject admitted: the ci_subject."`
	Audience string `json:"audience" doc:"The token audience Entra ID expects."`
}

// GCPIdentity is a service account's role bindings: on the environment's
// project, on its own resources, or on the service account itself (who may
// act as it).
type GCPIdentity struct {
	Bindings   []RoleBinding  `json:"bindings" doc:"Roles granted to the service account, or on it, sorted by key. Never a primitive role (owner, editor, viewer)."`
	Federation *GCPFederation `json:"federation" doc:"The workload identity pool provider through which the CI acts as the identity; null for an identity the CI does not use."`
}

// GCPFederation is a workload identity pool with one OIDC provider, whose
// attribute condition admits exactly one subject.
type GCPFederation struct {
	Pool               string `json:"pool" doc:"Workload identity pool ID."`
	Provider           string `json:"provider" doc:"Provider ID in the pool."`
	Issuer             string `json:"issuer" doc:"The CI's OIDC issuer URL."`
	AttributeCondition string `json:"attribute_condition" doc:"CEL condition every token must meet: its subject is the ci_subject."`
}

// RoleBinding is one IAM role granted to one member on one resource.
type RoleBinding struct {
	Key       string         `json:"key" doc:"Stable key, unique in the environment."`
	Role      string         `json:"role" doc:"The predefined role."`
	Scope     string         `json:"scope" doc:"What the role is granted on: project (the environment's own), bucket, key, service_account (the identity itself: who may act as it), or registry (a boundary's artifact pull, on the environment's Artifact Registry repositories)."`
	Resource  *string        `json:"resource" doc:"Key of the bucket or key; null for the project or the identity itself."`
	Member    string         `json:"member" doc:"Who gets the role: serviceAccount:{principal}, or, for a service_account binding, the Kubernetes service account or CI subject that may act as the identity. A member containing {project_number} names a service agent or a workload identity pool, whose project number the module knows."`
	Condition *RoleCondition `json:"condition" doc:"IAM condition that narrows a project-wide role to the environment's resources; null when the binding is on the resource itself."`
}

// RoleCondition is an IAM condition.
type RoleCondition struct {
	Title      string `json:"title" doc:"Condition title."`
	Expression string `json:"expression" doc:"CEL expression."`
}

// AWSIdentity is an IAM role's trust and permissions.
type AWSIdentity struct {
	TrustPolicy       string   `json:"trust_policy" doc:"Assume-role policy, as JSON."`
	Policy            string   `json:"policy" doc:"Inline permissions policy, as JSON; ABAC-scoped, no wildcard action, and an explicit deny of other environments."`
	ManagedPolicyARNs []string `json:"managed_policy_arns" doc:"AWS managed policies the role needs to run a cluster or nodes."`
}

// Key is one customer-managed encryption key.
type Key struct {
	Key                string    `json:"key" doc:"Stable key: data, models, logs or secrets."`
	Name               string    `json:"name" doc:"Key name: {organization}-{environment}-{purpose}."`
	Purpose            string    `json:"purpose" doc:"What the key encrypts."`
	Description        string    `json:"description" doc:"Key description."`
	RotationPeriodDays int       `json:"rotation_period_days" doc:"Automatic rotation period, by tier."`
	DeletionWindowDays int       `json:"deletion_window_days" doc:"How long a deleted key waits before it is gone, by tier."`
	AWS                *AWSKey   `json:"aws" doc:"The KMS key's alias and policy; null for other clouds."`
	GCP                *GCPKey   `json:"gcp" doc:"The Cloud KMS key's ring and bindings; null for other clouds."`
	Azure              *AzureKey `json:"azure" doc:"The Key Vault key's vault and role assignments; null for other clouds."`
}

// AzureKey is what only a Key Vault key has.
type AzureKey struct {
	KeyVault        string        `json:"key_vault" doc:"The environment's key vault (RBAC authorization, purge protection, no public network access)."`
	RoleAssignments []RoleBinding `json:"role_assignments" doc:"Who may use the key, sorted by key: the identities the storage accounts, disks and cluster encrypt with, nobody else. The member is an identity's key."`
}

// GCPKey is what only a Cloud KMS crypto key has.
type GCPKey struct {
	KeyRing  string        `json:"key_ring" doc:"The environment's key ring, in its region."`
	Bindings []RoleBinding `json:"bindings" doc:"Who may use the key, sorted by key: the service agents that encrypt on the environment's behalf, nobody else."`
}

// AWSKey is what only a KMS key has.
type AWSKey struct {
	Alias  string `json:"alias" doc:"The key's alias."`
	Policy string `json:"policy" doc:"Key policy, as JSON. It names only this environment's roles and the AWS services that use the key."`
}

// Bucket is an object storage bucket of the environment, encrypted with its
// own key.
type Bucket struct {
	Key     string       `json:"key" doc:"Stable key: data or models."`
	Name    string       `json:"name" doc:"Bucket name: {organization}-{environment}-{purpose}."`
	Purpose string       `json:"purpose" doc:"What the bucket holds."`
	KMSKey  string       `json:"kms_key" doc:"Key of the encryption key that encrypts the bucket."`
	AWS     *AWSBucket   `json:"aws" doc:"The S3 bucket's policy; null for other clouds."`
	Azure   *AzureBucket `json:"azure" doc:"The storage account that holds the container; null for other clouds."`
}

// AzureBucket is the storage account of a bucket, whose blob container has
// the bucket's purpose as its name.
type AzureBucket struct {
	StorageAccount string `json:"storage_account" doc:"Storage account name: the bucket's name without dashes, at most 24 characters."`
	Identity       string `json:"identity" doc:"Key of the identity the account encrypts with (its customer-managed key)."`
}

// AWSBucket is what only an S3 bucket has.
type AWSBucket struct {
	Policy string `json:"policy" doc:"Bucket policy, as JSON: TLS only. Boundary grants are added to it."`
}

// Cluster is the private Kubernetes cluster.
type Cluster struct {
	Name              string        `json:"name" doc:"Cluster name: {organization}-{environment}."`
	KubernetesVersion string        `json:"kubernetes_version" doc:"Kubernetes version (EKS). On Google Cloud the release channel picks the version, and the module pins none."`
	Identity          string        `json:"identity" doc:"Key of the control plane's identity on AWS; on Google Cloud, whose control plane runs as Google's own, the identity of the cluster's temporary default nodes."`
	SubnetPurpose     string        `json:"subnet_purpose" doc:"Subnets of the control plane's network interfaces."`
	PrivateEndpoint   bool          `json:"private_endpoint" doc:"The API is reachable inside the network."`
	PublicEndpoint    bool          `json:"public_endpoint" doc:"The API is reachable from the internet: always false."`
	SecretsKMSKey     string        `json:"secrets_kms_key" doc:"Key of the encryption key that encrypts Kubernetes secrets."`
	AWS               *AWSCluster   `json:"aws" doc:"What only an EKS cluster has; null for other clouds."`
	GCP               *GCPCluster   `json:"gcp" doc:"What only a GKE cluster has; null for other clouds."`
	Azure             *AzureCluster `json:"azure" doc:"What only an AKS cluster has; null for other clouds."`
}

// AzureCluster is what only a private AKS cluster has.
type AzureCluster struct {
	APIServerCIDR     string `json:"api_server_cidr" doc:"The subnet delegated to the API server (API Server VNet Integration, which a private KMS key vault needs), a /28 carved from the environment's range and part of the VNet's address space."`
	PodCIDR           string `json:"pod_cidr" doc:"The pods' overlay range, carved from the environment's range outside the VNet."`
	ServiceCIDR       string `json:"service_cidr" doc:"The services' range, carved from the environment's range outside the VNet."`
	DNSServiceIP      string `json:"dns_service_ip" doc:"Cluster DNS address in the services' range."`
	NetworkPlugin     string `json:"network_plugin" doc:"azure, in overlay mode."`
	NetworkPolicy     string `json:"network_policy" doc:"cilium: network policy enforced by the Cilium data plane."`
	OutboundType      string `json:"outbound_type" doc:"none: a network-isolated cluster with no way out; nodes bootstrap from the environment's registry."`
	BootstrapRegistry string `json:"bootstrap_registry" doc:"Name of the environment's private container registry, which caches the images the nodes bootstrap from."`
	KubeletIdentity   string `json:"kubelet_identity" doc:"Key of the kubelet's identity."`
}

// GCPCluster is what only a private GKE cluster has.
type GCPCluster struct {
	ControlPlaneCIDR  string   `json:"control_plane_cidr" doc:"The control plane's private /28, carved from the environment's range."`
	AuthorizedCIDRs   []string `json:"authorized_cidrs" doc:"Master authorized networks: the environment's own range only."`
	PodsRange         string   `json:"pods_range" doc:"Key of the secondary range of pods."`
	ServicesRange     string   `json:"services_range" doc:"Key of the secondary range of services."`
	ReleaseChannel    string   `json:"release_channel" doc:"GKE release channel."`
	DatapathProvider  string   `json:"datapath_provider" doc:"ADVANCED_DATAPATH: Dataplane V2, which enforces network policy."`
	WorkloadPool      string   `json:"workload_pool" doc:"Workload Identity pool: {project}.svc.id.goog."`
	MaxPodsPerNode    int      `json:"max_pods_per_node" doc:"Pods per node, which sizes each node's share of the pods range."`
	NodeLocations     []string `json:"node_locations" doc:"Zones of the nodes of the regional cluster."`
	LoggingComponents []string `json:"logging_components" doc:"Components whose logs the cluster sends to Cloud Logging."`
}

// AWSCluster is what only an EKS cluster has.
type AWSCluster struct {
	SecurityGroup string   `json:"security_group" doc:"Key of the cluster's security group."`
	LogTypes      []string `json:"log_types" doc:"Control-plane log types sent to the audit log group."`
}

// Taint is a Kubernetes node taint, with the effect as the EKS and GKE APIs
// spell it.
type Taint struct {
	Key    string `json:"key" doc:"Taint key."`
	Value  string `json:"value" doc:"Taint value."`
	Effect string `json:"effect" doc:"NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE."`
}

// NodePool is one GPU node pool.
type NodePool struct {
	Key           string            `json:"key" doc:"Stable key: the pool's name."`
	Name          string            `json:"name" doc:"Node pool name: {organization}-{environment}-{pool}."`
	Purpose       string            `json:"purpose" doc:"training or inference."`
	MachineType   string            `json:"machine_type" doc:"GPU machine (instance) type, from the catalog."`
	GPUModel      string            `json:"gpu_model" doc:"GPU model, from the catalog."`
	GPUCount      int               `json:"gpu_count" doc:"GPUs per node, from the catalog."`
	GPUMemoryGiB  int               `json:"gpu_memory_gib" doc:"Memory per GPU in GiB, from the catalog."`
	Architecture  string            `json:"architecture" doc:"x86_64 or arm64."`
	Spot          bool              `json:"spot" doc:"Whether the nodes run on spot capacity."`
	MinSize       int               `json:"min_size" doc:"Minimum node count."`
	MaxSize       int               `json:"max_size" doc:"Maximum node count."`
	DesiredSize   int               `json:"desired_size" doc:"Initial node count (min_size)."`
	SubnetPurpose string            `json:"subnet_purpose" doc:"Subnets the nodes run in: always the private workload subnets."`
	Identity      string            `json:"identity" doc:"Key of the nodes' identity."`
	Labels        map[string]string `json:"labels" doc:"Kubernetes node labels."`
	Taints        []Taint           `json:"taints" doc:"Kubernetes node taints, sorted by key."`
	DiskGiB       int               `json:"disk_gib" doc:"Boot disk size in GiB; the disk is always encrypted."`
	DiskKMSKey    string            `json:"disk_kms_key" doc:"Key of the encryption key that encrypts the boot disk (data)."`
	AWS           *AWSNodePool      `json:"aws" doc:"What only an EKS node group has; null for other clouds."`
	GCP           *GCPNodePool      `json:"gcp" doc:"What only a GKE node pool has; null for other clouds."`
	Azure         *AzureNodePool    `json:"azure" doc:"What only an AKS node pool has; null for other clouds."`
}

// AzureNodePool is what only an AKS node pool has.
type AzureNodePool struct {
	Name           string `json:"name" doc:"The AKS pool name: lower-case letters and digits, at most 12 characters."`
	Priority       string `json:"priority" doc:"Regular or Spot."`
	HostEncryption bool   `json:"host_encryption" doc:"Encryption at host: temporary disks and caches are encrypted too."`
	OSDiskType     string `json:"os_disk_type" doc:"Managed: the OS disk is encrypted with the disk encryption set."`
}

// GCPNodePool is what only a GKE node pool has.
type GCPNodePool struct {
	AcceleratorType  string `json:"accelerator_type" doc:"The GPU's accelerator type, such as nvidia-l4."`
	AcceleratorCount int    `json:"accelerator_count" doc:"GPUs per node."`
	GPUDriverVersion string `json:"gpu_driver_version" doc:"The NVIDIA driver GKE installs: LATEST."`
	DiskType         string `json:"disk_type" doc:"Boot disk type the machine series supports."`
	WorkloadMetadata string `json:"workload_metadata" doc:"GKE_METADATA: pods see the GKE metadata server, never the node's credentials."`
	SecureBoot       bool   `json:"secure_boot" doc:"Shielded VM secure boot (off where the NVIDIA driver is unsigned)."`
	IntegrityMonitor bool   `json:"integrity_monitoring" doc:"Shielded VM integrity monitoring."`
}

// AWSNodePool is what only an EKS managed node group has.
type AWSNodePool struct {
	AMIType        string `json:"ami_type" doc:"EKS AMI type with the NVIDIA driver."`
	CapacityType   string `json:"capacity_type" doc:"ON_DEMAND or SPOT."`
	SecurityGroup  string `json:"security_group" doc:"Key of the nodes' security group."`
	RootVolumeType string `json:"root_volume_type" doc:"Root volume type."`
	IMDSHTTPTokens string `json:"imds_http_tokens" doc:"required: IMDSv2 only."`
	IMDSHopLimit   int    `json:"imds_hop_limit" doc:"1: pods cannot reach the node's instance metadata."`
}

// Monitoring is flow logs, audit logs and alarms.
type Monitoring struct {
	KMSKey        string           `json:"kms_key" doc:"Key of the encryption key that encrypts the logs (logs)."`
	RetentionDays int              `json:"retention_days" doc:"Retention of every log, by tier."`
	Alarms        []Alarm          `json:"alarms" doc:"Alerts on the logs, sorted by key."`
	AWS           *AWSMonitoring   `json:"aws" doc:"The VPC flow log and the CloudWatch log groups; null for other clouds."`
	GCP           *GCPMonitoring   `json:"gcp" doc:"The log bucket and the sink that fills it; null for other clouds."`
	Azure         *AzureMonitoring `json:"azure" doc:"The Log Analytics workspace and the flow logs; null for other clouds."`
}

// AzureMonitoring is the environment's Log Analytics workspace, the VNet
// flow log, and the resources whose diagnostics it collects.
type AzureMonitoring struct {
	Workspace       string   `json:"workspace" doc:"Log Analytics workspace name, with the tier's retention."`
	FlowLogName     string   `json:"flow_log_name" doc:"Name of the VNet flow log."`
	FlowLogStorage  string   `json:"flow_log_storage" doc:"Storage account that receives the flow logs, kept for the tier's retention."`
	DiagnosticsFrom []string `json:"diagnostics_from" doc:"What sends diagnostic logs to the workspace: cluster, key_vault, each bucket's blob service (bucket:{key}) and each network security group (nsg:{subnet purpose}), sorted."`
}

// GCPMonitoring is the environment's log bucket and the sink that routes its
// project's flow, firewall and audit logs into it.
type GCPMonitoring struct {
	LogBucket  string `json:"log_bucket" doc:"ID of the log bucket, in the environment's region, encrypted with the logs key."`
	SinkName   string `json:"sink_name" doc:"Name of the log sink that fills the bucket."`
	SinkFilter string `json:"sink_filter" doc:"The logs the sink routes: VPC flow logs, firewall logs and audit logs."`
}

// AWSMonitoring is the VPC flow log and the CloudWatch log groups.
type AWSMonitoring struct {
	FlowLogName        string `json:"flow_log_name" doc:"Name of the VPC flow log."`
	FlowLogTrafficType string `json:"flow_log_traffic_type" doc:"ALL: accepted and rejected traffic."`
	FlowLogGroup       string `json:"flow_log_group" doc:"CloudWatch log group of the flow logs."`
	FlowLogRole        string `json:"flow_log_role" doc:"Key of the IAM role that delivers flow logs."`
	AuditLogGroup      string `json:"audit_log_group" doc:"CloudWatch log group of the cluster's control-plane (audit) logs."`
}

// Alarm is an alert on a count of log entries.
type Alarm struct {
	Key         string      `json:"key" doc:"Stable key."`
	Name        string      `json:"name" doc:"Alarm name."`
	Description string      `json:"description" doc:"What the alarm means."`
	Threshold   int         `json:"threshold" doc:"The alarm fires when the count over five minutes reaches this value."`
	AWS         *AWSAlarm   `json:"aws" doc:"The CloudWatch metric filter; null for other clouds."`
	GCP         *GCPAlarm   `json:"gcp" doc:"The log-based metric; null for other clouds."`
	Azure       *AzureAlarm `json:"azure" doc:"The activity log alert; null for other clouds."`
}

// AzureAlarm is an activity log alert on an operation in the environment's
// resource group.
type AzureAlarm struct {
	OperationNames []string `json:"operation_names" doc:"Operations that fire the alert, such as Microsoft.Network/networkSecurityGroups/securityRules/write."`
}

// GCPAlarm is a log-based metric that an alert policy watches.
type GCPAlarm struct {
	MetricName string `json:"metric_name" doc:"Name of the log-based metric."`
	Filter     string `json:"filter" doc:"Cloud Logging filter of the entries the metric counts."`
}

// AWSAlarm is a CloudWatch Logs metric filter that an alarm watches.
type AWSAlarm struct {
	LogGroup      string `json:"log_group" doc:"Log group the filter reads."`
	FilterPattern string `json:"filter_pattern" doc:"CloudWatch Logs filter pattern."`
	MetricName    string `json:"metric_name" doc:"Metric the filter counts into."`
}

// Waiver is a rule the environment waives, and why.
type Waiver struct {
	Rule   string `json:"rule" doc:"Rule ID."`
	Reason string `json:"reason" doc:"The recorded reason."`
}

// Summary is what segmented_ml_topology needs to know of an environment.
type Summary struct {
	Name           string   `json:"name" doc:"The environment's name."`
	Organization   string   `json:"organization" doc:"The organization."`
	Tier           string   `json:"tier" doc:"The environment's tier."`
	Cloud          string   `json:"cloud" doc:"The cloud."`
	Region         string   `json:"region" doc:"The region."`
	AccountID      string   `json:"account_id" doc:"The account, project or subscription."`
	CIDR           string   `json:"cidr" doc:"The environment's range."`
	CISubject      string   `json:"ci_subject" doc:"The CI subject allowed to deploy, or empty."`
	CIOIDCProvider string   `json:"ci_oidc_provider" doc:"Host of the CI's OIDC issuer."`
	Principals     []string `json:"principals" doc:"ARNs of the environment's IAM roles, sorted."`
	EntryCIDRs     []string `json:"entry_cidrs" doc:"The declared entry points' source ranges, one \"name:port:cidr\" per entry point and range, in the order of ingress."`
	Namespaces     []string `json:"namespaces" doc:"The purposes of the workload namespaces of the environment's cluster, sorted, which carry the network policies of its flows."`
}

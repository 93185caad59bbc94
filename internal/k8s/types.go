// Package k8s is the in-cluster layer of an environment: its namespaces at
// Pod Security restricted, default-deny network policies and the few flows
// that are allowed, quotas sized from the GPU pools, least-privilege roles
// bound to the environment's cloud identities, and the workloads' service
// accounts. It is cloud-neutral: what a cloud contributes (how the cluster
// names a cloud identity, the ranges of its private endpoints) comes in
// through Edge, filled in by each cloud's blueprint.
//
// The types carry the json names and docs of the blueprint's kubernetes part
// and of the boundary's network_policies (internal/shape reads them), so the
// provider's schema and the generated modules cannot drift apart.
package k8s

// Layer is the in-cluster part of one environment's blueprint.
type Layer struct {
	Environment        string           `json:"environment" doc:"The environment's name."`
	PodSecurityVersion string           `json:"pod_security_version" doc:"The Pod Security Standards version every namespace pins in its enforce-version, audit-version and warn-version labels."`
	Namespaces         []Namespace      `json:"namespaces" doc:"The environment's namespaces, sorted by key: one per workload purpose at Pod Security restricted, and the GPU device plugin's system namespace when there are GPU pools."`
	NetworkPolicies    []NetworkPolicy  `json:"network_policies" doc:"Network policies, sorted by key, each written once with the namespaces it is created in: a default deny of all ingress and egress in every namespace, then only the allowed traffic."`
	Roles              []Role           `json:"roles" doc:"Namespaced roles with explicit API groups, resources and verbs (never a wildcard), each written once with the namespaces it is created in, sorted by key."`
	RoleBindings       []RoleBinding    `json:"role_bindings" doc:"Bindings of roles to the environment's cloud identities and service accounts, sorted by key."`
	ServiceAccounts    []ServiceAccount `json:"service_accounts" doc:"Service accounts of the workloads, bound to the environment's cloud identities, sorted by key."`
}

// Namespace is one namespace of the environment's cluster.
type Namespace struct {
	Key             string            `json:"key" doc:"Stable key: the namespace's name."`
	Name            string            `json:"name" doc:"Namespace name."`
	Purpose         string            `json:"purpose" doc:"training, inference, pipelines or telemetry for a workload namespace; system for the GPU device plugin's namespace."`
	PodSecurity     string            `json:"pod_security" doc:"The Pod Security Standards level the namespace enforces, audits and warns at: restricted for every workload namespace (SEG801)."`
	Exception       *string           `json:"exception" doc:"Why a system namespace is below restricted, recorded; null for a namespace at restricted."`
	Labels          map[string]string `json:"labels" doc:"Namespace labels: the environment, tier and purpose, and the Pod Security labels (enforce, audit and warn, each with its pinned version)."`
	GPUQuota        int               `json:"gpu_quota" doc:"GPUs the namespace's pods may request in all (requests.nvidia.com/gpu): at most what the GPU pools of its purpose serve at their maximum size (SEG804)."`
	Quota           map[string]string `json:"quota" doc:"The namespace's resource quota (its hard limits), in the quantities Kubernetes takes: GPUs, CPU and memory requests and limits, and pods."`
	DefaultRequests map[string]string `json:"default_requests" doc:"The limit range's default requests of a container that sets none, so that every pod counts against the quota."`
	DefaultLimits   map[string]string `json:"default_limits" doc:"The limit range's default limits of a container that sets none."`
	Tolerations     []Toleration      `json:"tolerations" doc:"The tolerations the namespace's workloads need to run on the GPU pools that serve its purpose (both taints of each pool), sorted by key; empty when no pool serves it."`
}

// Toleration is one toleration a workload needs, spelled as Kubernetes
// spells it in a pod spec.
type Toleration struct {
	Key      string `json:"key" doc:"The taint key."`
	Operator string `json:"operator" doc:"Equal."`
	Value    string `json:"value" doc:"The taint value."`
	Effect   string `json:"effect" doc:"NoSchedule, NoExecute or PreferNoSchedule."`
}

// NetworkPolicy is one Kubernetes network policy.
type NetworkPolicy struct {
	Key         string            `json:"key" doc:"Stable key, unique in the environment: the policy's name."`
	Name        string            `json:"name" doc:"Policy name, the same in every namespace."`
	Namespaces  []string          `json:"namespaces" doc:"The namespaces the policy is created in, each applying it to its own pods; sorted. It is written once for all of them, since it is the same in each."`
	Description string            `json:"description" doc:"Why the policy exists."`
	PodSelector map[string]string `json:"pod_selector" doc:"Labels of the pods the policy applies to; empty for every pod of the namespace."`
	PolicyTypes []string          `json:"policy_types" doc:"The directions the policy isolates: Ingress, Egress or both. A policy with a direction and no rule for it denies that direction."`
	Ingress     []PolicyRule      `json:"ingress" doc:"Allowed incoming traffic. Every rule names its peers and ports: a rule without peers would admit everyone, so there is none."`
	Egress      []PolicyRule      `json:"egress" doc:"Allowed outgoing traffic. Every rule names its peers and ports: a rule without peers would admit everyone, so there is none."`
}

// PolicyRule is one rule of a network policy: traffic from or to any of its
// peers on any of its ports.
type PolicyRule struct {
	Peers []Peer `json:"peers" doc:"Who the traffic comes from or goes to; never empty."`
	Ports []Port `json:"ports" doc:"The ports; never empty."`
}

// Peer is one peer of a network policy rule. Exactly one of cidr, namespace
// and service is set.
type Peer struct {
	CIDR      *string           `json:"cidr" doc:"An address range (ipBlock), or null."`
	Namespace *string           `json:"namespace" doc:"A namespace of the cluster, by name (its kubernetes.io/metadata.name label), or null."`
	PodLabels map[string]string `json:"pod_labels" tf:"nullable" doc:"With namespace: only the pods with these labels; null for every pod of the namespace."`
	Service   *string           `json:"service" doc:"A cloud service whose ranges only the cloud module knows (on AWS the prefix list of a gateway endpoint, such as s3); the Kubernetes module takes them from its service_cidrs input. Null otherwise."`
}

// Port is one port, or a range of ports, of a network policy rule.
type Port struct {
	Protocol string `json:"protocol" doc:"TCP or UDP."`
	Port     int    `json:"port" doc:"The port, or the first of the range."`
	EndPort  *int   `json:"end_port" doc:"The last port of a range; null for one port."`
}

// Role is one role, the same in each of its namespaces: it is written
// once and created in every namespace it names.
type Role struct {
	Key         string     `json:"key" doc:"Stable key: the role's name."`
	Name        string     `json:"name" doc:"Role name, the same in every namespace."`
	Namespaces  []string   `json:"namespaces" doc:"The namespaces the role is created in, sorted; a binding names the role of its own namespace."`
	Description string     `json:"description" doc:"Who the role is for."`
	Rules       []RoleRule `json:"rules" doc:"What the role allows: explicit API groups, resources and verbs, never a wildcard (SEG802)."`
}

// RoleRule is one rule of a role.
type RoleRule struct {
	APIGroups []string `json:"api_groups" doc:"API groups; \"\" is the core group."`
	Resources []string `json:"resources" doc:"Resources, such as pods or pods/log."`
	Verbs     []string `json:"verbs" doc:"Verbs, such as get, list or watch."`
}

// RoleBinding binds one role of a namespace to subjects.
type RoleBinding struct {
	Key       string    `json:"key" doc:"Stable key: {namespace}-{identity}."`
	Name      string    `json:"name" doc:"Binding name: the key of the identity it binds."`
	Namespace string    `json:"namespace" doc:"Namespace of the binding and of its role."`
	Role      string    `json:"role" doc:"Name of the role in that namespace."`
	Subjects  []Subject `json:"subjects" doc:"Who gets the role."`
}

// Subject is one subject of a role binding.
type Subject struct {
	Kind      string  `json:"kind" doc:"User, Group or ServiceAccount."`
	Name      string  `json:"name" doc:"The name the cluster knows the subject by: on AWS the Kubernetes group of the role's EKS access entry, on Google Cloud the service account's email; on Azure the identity's principal ID, known after apply, which the Kubernetes module takes from its identity_principal_ids input (the name here is then a placeholder)."`
	Namespace *string `json:"namespace" doc:"The service account's namespace; null for a user or group."`
	Identity  *string `json:"identity" doc:"Key of the environment's cloud identity the subject stands for; null for a service account."`
	Human     bool    `json:"human" doc:"Whether people act as the subject (SEG803)."`
}

// ServiceAccount is one Kubernetes service account of the workloads.
type ServiceAccount struct {
	Key            string            `json:"key" doc:"Stable key: {namespace}-{name}."`
	Name           string            `json:"name" doc:"Service account name."`
	Namespace      string            `json:"namespace" doc:"Its namespace."`
	Identity       string            `json:"identity" doc:"Key of the cloud identity the service account acts as."`
	Annotations    map[string]string `json:"annotations" doc:"Annotations that bind it to the cloud identity where the cloud reads one (the GKE service account's email); empty on AWS, where an EKS Pod Identity association binds it."`
	ClientIDKey    *string           `json:"client_id_annotation" doc:"An annotation whose value is the cloud identity's client ID, known after apply (azure.workload.identity/client-id), which the Kubernetes module takes from its identity_client_ids input; null otherwise."`
	AutomountToken bool              `json:"automount_token" doc:"Whether pods mount the account's API token: false; a workload that needs the API mounts a projected token itself."`
}

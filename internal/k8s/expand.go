package k8s

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// PodSecurityVersion is the Pod Security Standards version every namespace
// pins, so that a cluster upgrade cannot loosen a namespace unannounced.
const PodSecurityVersion = "v1.31"

// GPUResource is the extended resource the NVIDIA device plugin advertises;
// a quota caps it as requests.GPUResource, the form Kubernetes documents
// for extended resources.
const GPUResource = "nvidia.com/gpu"

// SystemNamespace is the GPU device plugin's namespace. The plugin mounts
// the kubelet's device plugin directory (a hostPath volume), which Pod
// Security restricted and baseline forbid, so it runs here and nowhere else.
const SystemNamespace = "gpu-system"

// SystemPurpose is the purpose of the system namespace.
const SystemPurpose = "system"

// Label keys of namespaces; the prefix is the node labels' one.
const (
	LabelPrefix        = "segmented.io/"
	EnvironmentLabel   = LabelPrefix + "environment"
	TierLabel          = LabelPrefix + "tier"
	PurposeLabel       = LabelPrefix + "purpose"
	PodSecurityPrefix  = "pod-security.kubernetes.io/"
	MetadataNameLabel  = "kubernetes.io/metadata.name"
	dnsNamespace       = "kube-system"
	dnsPodLabel        = "k8s-app"
	dnsPodLabelValue   = "kube-dns"
	systemException    = "The NVIDIA device plugin mounts the kubelet's device plugin directory (a hostPath volume), which Pod Security restricted and baseline forbid; it runs alone in this namespace, which enforces privileged and audits and warns at restricted, holds no workload and has no service account of its own."
	defaultDenyPurpose = "default-deny"
)

// PodSecurityLabels returns the labels that make a namespace enforce, audit
// and warn at level, each pinned to PodSecurityVersion.
func PodSecurityLabels(enforce, auditAndWarn string) map[string]string {
	return map[string]string{
		PodSecurityPrefix + "enforce":         enforce,
		PodSecurityPrefix + "enforce-version": PodSecurityVersion,
		PodSecurityPrefix + "audit":           auditAndWarn,
		PodSecurityPrefix + "audit-version":   PodSecurityVersion,
		PodSecurityPrefix + "warn":            auditAndWarn,
		PodSecurityPrefix + "warn-version":    PodSecurityVersion,
	}
}

// Pool is what the layer needs of one GPU node pool.
type Pool struct {
	Purpose   segment.Purpose
	GPUs      int // per node
	VCPUs     int // per node
	MemoryGiB int // per node
	MaxNodes  int
	Taints    []Toleration // the pool's taints, as the tolerations that match them
}

// Edge is what a cloud tells the layer.
type Edge struct {
	// Subjects are how the cluster names the cloud identities people and
	// the CI act as (data-scientist, auditor, deployer), by identity key;
	// an identity the environment does not have is absent.
	Subjects map[string]Subject
	// Workloads are the identities the workload namespaces' service
	// accounts act as, by namespace purpose (training, inference), with
	// the annotations that bind them.
	Workloads map[segment.NamespacePurpose]Workload
	// EndpointCIDRs are the ranges of the environment's private endpoints
	// and API virtual IPs, which workloads reach on 443.
	EndpointCIDRs []string
	// EndpointServices are cloud services whose ranges only the cloud
	// module knows (AWS gateway endpoints), reached on 443 too.
	EndpointServices []string
	// IdentityEndpoints are where a workload's pods get its cloud
	// identity's credentials: on the node (the EKS Pod Identity agent, the
	// GKE metadata server), or from the cloud's identity service itself
	// (Entra ID, for AKS workload identity). Only the namespaces with a
	// workload service account reach them.
	IdentityEndpoints []Endpoint
}

// Endpoint is one address range, or one cloud service, and a TCP port.
type Endpoint struct {
	CIDR    string // a range, or
	Service string // a cloud service's key, whose ranges the module resolves
	Port    int
}

// Workload is the cloud identity a workload service account acts as.
type Workload struct {
	Identity    string
	Annotations map[string]string
	ClientIDKey *string
}

// Input is one environment, as the layer sees it.
type Input struct {
	Environment string
	Tier        segment.Tier
	HumanAccess segment.Access
	Namespaces  []segment.Namespace
	Ingress     []segment.Ingress
	Pools       []Pool
	Edge        Edge
}

// Identity keys the layer binds.
const (
	DataScientist = "data-scientist"
	Auditor       = "auditor"
	Deployer      = "deployer"
)

// Role names in every workload namespace.
const (
	RoleViewer   = "workload-viewer"
	RoleEditor   = "workload-editor"
	RoleDeployer = "deployer"
	RoleAuditor  = "auditor"
)

// Expand builds the layer of one environment. Namespaces must hold each
// purpose once (the provider checks it); a namespace without a pod
// security level is at restricted.
func Expand(in Input) Layer {
	l := Layer{Environment: in.Environment, PodSecurityVersion: PodSecurityVersion}
	capacity := Capacity(in.Pools)
	for _, ns := range in.Namespaces {
		l.Namespaces = append(l.Namespaces, workloadNamespace(in, ns, capacity))
	}
	if len(in.Pools) > 0 {
		l.Namespaces = append(l.Namespaces, systemNamespace(in, capacity))
	}
	sortByKey(l.Namespaces, func(n Namespace) string { return n.Key })
	l.NetworkPolicies = namespacePolicies(in, l.Namespaces)
	var workload, all []string
	for _, ns := range l.Namespaces {
		all = append(all, ns.Name)
		if ns.Purpose == SystemPurpose {
			l.RoleBindings = appendBinding(l.RoleBindings, ns.Name, RoleAuditor, in.Edge.Subjects, Auditor)
			continue
		}
		workload = append(workload, ns.Name)
		switch in.HumanAccess {
		case segment.WriteAccess:
			l.RoleBindings = appendBinding(l.RoleBindings, ns.Name, RoleEditor, in.Edge.Subjects, DataScientist)
		case segment.ReadAccess:
			l.RoleBindings = appendBinding(l.RoleBindings, ns.Name, RoleViewer, in.Edge.Subjects, DataScientist)
		}
		l.RoleBindings = appendBinding(l.RoleBindings, ns.Name, RoleDeployer, in.Edge.Subjects, Deployer)
		l.RoleBindings = appendBinding(l.RoleBindings, ns.Name, RoleAuditor, in.Edge.Subjects, Auditor)
		if w, ok := in.Edge.Workloads[segment.NamespacePurpose(ns.Purpose)]; ok {
			l.ServiceAccounts = append(l.ServiceAccounts, ServiceAccount{
				Key: ns.Name + "-" + ns.Purpose, Name: ns.Purpose, Namespace: ns.Name, Identity: w.Identity,
				Annotations: nonNilMap(w.Annotations), ClientIDKey: w.ClientIDKey,
			})
		}
	}
	l.Roles = roles(workload, all)
	sortByKey(l.NetworkPolicies, func(p NetworkPolicy) string { return p.Key })
	sortByKey(l.Roles, func(r Role) string { return r.Key })
	sortByKey(l.RoleBindings, func(b RoleBinding) string { return b.Key })
	sortByKey(l.ServiceAccounts, func(s ServiceAccount) string { return s.Key })
	l.Namespaces, l.NetworkPolicies, l.Roles = nonNil(l.Namespaces), nonNil(l.NetworkPolicies), nonNil(l.Roles)
	l.RoleBindings, l.ServiceAccounts = nonNil(l.RoleBindings), nonNil(l.ServiceAccounts)
	return l
}

// Capacity returns, by node pool purpose, the GPUs the pools serve at their
// maximum size, and the nodes, CPUs and memory that come with them.
func Capacity(pools []Pool) map[segment.Purpose]Pool {
	out := map[segment.Purpose]Pool{}
	for _, p := range pools {
		c := out[p.Purpose]
		c.Purpose = p.Purpose
		c.GPUs += p.GPUs * p.MaxNodes
		c.VCPUs += p.VCPUs * p.MaxNodes
		c.MemoryGiB += p.MemoryGiB * p.MaxNodes
		c.MaxNodes += p.MaxNodes
		c.Taints = mergeTolerations(c.Taints, p.Taints)
		out[p.Purpose] = c
	}
	return out
}

// Quotas of a namespace no GPU pool serves, and the limit range defaults of
// every workload namespace.
const (
	plainCPU      = 8
	plainMemory   = 32 // GiB
	plainPods     = 50
	podsPerNode   = 10
	requestCPU    = "250m"
	requestMemory = "512Mi"
	limitCPU      = "1"
	limitMemory   = "2Gi"
)

func workloadNamespace(in Input, ns segment.Namespace, capacity map[segment.Purpose]Pool) Namespace {
	name := string(ns.Purpose)
	level := string(cmp.Or(ns.PodSecurity, segment.PodSecurityRestricted))
	labels := namespaceLabels(in, name, level, level)
	c, served := capacity[segment.Purpose(ns.Purpose)]
	gpus := c.GPUs
	if ns.GPUQuota != nil {
		gpus = *ns.GPUQuota
	}
	cpu, memory, pods := plainCPU, plainMemory, plainPods
	if served && c.MaxNodes > 0 {
		cpu, memory, pods = c.VCPUs, c.MemoryGiB, c.MaxNodes*podsPerNode
	}
	return Namespace{
		Key: name, Name: name, Purpose: name, PodSecurity: level, Labels: labels,
		GPUQuota:        gpus,
		Quota:           quota(gpus, fmt.Sprint(cpu), fmt.Sprintf("%dGi", memory), pods),
		DefaultRequests: map[string]string{"cpu": requestCPU, "memory": requestMemory},
		DefaultLimits:   map[string]string{"cpu": limitCPU, "memory": limitMemory},
		Tolerations:     nonNil(c.Taints),
	}
}

// systemNamespace holds the GPU device plugin: one pod per GPU node, with
// the plugin's small requests, tolerating every pool's taints (capacity
// sums the pools by purpose).
func systemNamespace(in Input, capacity map[segment.Purpose]Pool) Namespace {
	labels := namespaceLabels(in, SystemPurpose, string(segment.PodSecurityPrivileged), string(segment.PodSecurityRestricted))
	nodes := 0
	var taints []Toleration
	for _, c := range capacity {
		nodes += c.MaxNodes
		taints = mergeTolerations(taints, c.Taints)
	}
	return Namespace{
		Key: SystemNamespace, Name: SystemNamespace, Purpose: SystemPurpose,
		PodSecurity: string(segment.PodSecurityPrivileged), Exception: ptr(systemException), Labels: labels,
		Quota:           quota(0, milliCPU(500*nodes), mebibytes(256*nodes), nodes),
		DefaultRequests: map[string]string{"cpu": "50m", "memory": "64Mi"},
		DefaultLimits:   map[string]string{"cpu": "500m", "memory": "256Mi"},
		Tolerations:     nonNil(taints),
	}
}

// namespaceLabels are a namespace's labels: the environment, tier and
// purpose, and the Pod Security levels it enforces and audits and warns at.
func namespaceLabels(in Input, purpose, enforce, auditAndWarn string) map[string]string {
	labels := PodSecurityLabels(enforce, auditAndWarn)
	labels[EnvironmentLabel] = in.Environment
	labels[TierLabel] = string(in.Tier)
	labels[PurposeLabel] = purpose
	return labels
}

// quota is a namespace's hard limits: requests and limits alike, so that a
// limit range's defaults make every container count.
func quota(gpus int, cpu, memory string, pods int) map[string]string {
	return map[string]string{
		"requests." + GPUResource: fmt.Sprint(gpus),
		"requests.cpu":            cpu,
		"limits.cpu":              cpu,
		"requests.memory":         memory,
		"limits.memory":           memory,
		"pods":                    fmt.Sprint(pods),
	}
}

// milliCPU spells n thousandths of a CPU as a quantity: whole CPUs when it can.
func milliCPU(n int) string {
	if n%1000 == 0 {
		return fmt.Sprint(n / 1000)
	}
	return fmt.Sprintf("%dm", n)
}

// mebibytes spells n MiB as a quantity: in GiB when it can.
func mebibytes(n int) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%dGi", n/1024)
	}
	return fmt.Sprintf("%dMi", n)
}

// mergeTolerations adds the tolerations of b that a lacks, sorted by key and value.
func mergeTolerations(a, b []Toleration) []Toleration {
	out := slices.Clone(a)
	for _, t := range b {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(x, y Toleration) int {
		return cmp.Or(strings.Compare(x.Key, y.Key), strings.Compare(x.Value, y.Value))
	})
	return out
}

// TaintEffect spells a node pool taint's effect (NO_SCHEDULE, as the EKS
// and GKE APIs spell it) as a pod's toleration does (NoSchedule).
func TaintEffect(effect string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.ToLower(effect), "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func appendBinding(out []RoleBinding, namespace, role string, subjects map[string]Subject, identity string) []RoleBinding {
	s, ok := subjects[identity]
	if !ok {
		return out
	}
	s.Identity = ptr(identity)
	return append(out, RoleBinding{
		Key: namespace + "-" + identity, Name: identity, Namespace: namespace, Role: role,
		Subjects: []Subject{s},
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func ptr[T any](v T) *T { return &v }

func sortByKey[T any](items []T, keyOf func(T) string) {
	slices.SortStableFunc(items, func(a, b T) int { return strings.Compare(keyOf(a), keyOf(b)) })
}

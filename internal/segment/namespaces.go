package segment

// NamespacePurpose is what the workloads of a namespace of the
// environment's cluster do.
type NamespacePurpose string

// The workload namespace purposes.
const (
	TrainingNamespace  NamespacePurpose = "training"  // training jobs, on the training GPU pools
	InferenceNamespace NamespacePurpose = "inference" // model servers, behind the declared entry points
	PipelinesNamespace NamespacePurpose = "pipelines" // orchestration and CI runners
	TelemetryNamespace NamespacePurpose = "telemetry" // the collector that telemetry flows land in
)

// NamespacePurposes returns every workload namespace purpose, sorted.
func NamespacePurposes() []NamespacePurpose {
	return []NamespacePurpose{InferenceNamespace, PipelinesNamespace, TelemetryNamespace, TrainingNamespace}
}

// PodSecurityLevel is a Pod Security Standards level.
type PodSecurityLevel string

// The Pod Security Standards levels, most restrictive first.
const (
	PodSecurityRestricted PodSecurityLevel = "restricted"
	PodSecurityBaseline   PodSecurityLevel = "baseline"
	PodSecurityPrivileged PodSecurityLevel = "privileged"
)

// PodSecurityLevels returns every level, most restrictive first.
func PodSecurityLevels() []PodSecurityLevel {
	return []PodSecurityLevel{PodSecurityRestricted, PodSecurityBaseline, PodSecurityPrivileged}
}

// Namespace is a workload namespace as the user declares it. Its name is
// its purpose, which the cloud identities' workload bindings name too.
type Namespace struct {
	Purpose     NamespacePurpose
	PodSecurity PodSecurityLevel
	// GPUQuota caps the GPUs the namespace's pods may request in all; nil
	// means what the GPU pools of its purpose serve at their maximum size.
	GPUQuota *int
}

// DefaultNamespaces returns the workload namespaces of a tier whose
// environment declares none: the shared tier runs CI and the telemetry
// collector, every other tier trains, serves and runs pipelines. All are
// at Pod Security restricted.
func DefaultNamespaces(t Tier) []Namespace {
	purposes := []NamespacePurpose{InferenceNamespace, PipelinesNamespace, TrainingNamespace}
	if t == Shared {
		purposes = []NamespacePurpose{PipelinesNamespace, TelemetryNamespace}
	}
	out := make([]Namespace, len(purposes))
	for i, p := range purposes {
		out[i] = Namespace{Purpose: p, PodSecurity: PodSecurityRestricted}
	}
	return out
}

// ServesPool reports whether workloads of the namespace purpose run on GPU
// pools of the node pool purpose.
func (p NamespacePurpose) ServesPool(pool Purpose) bool {
	return string(p) == string(pool)
}

// WorkloadNamespaces returns the environment's workload namespaces: those
// it declares, or its tier's defaults when it declares none (nil; an empty
// list declares no namespace).
func (e Environment) WorkloadNamespaces() []Namespace {
	if e.Namespaces == nil {
		return DefaultNamespaces(e.Tier)
	}
	return e.Namespaces
}

// WorkloadNamespaces returns the purposes of the member's workload
// namespaces: those its summary names, or its tier's defaults when it
// names none (nil; an empty list names no namespace).
func (m Member) WorkloadNamespaces() []NamespacePurpose {
	if m.Namespaces != nil {
		return m.Namespaces
	}
	var out []NamespacePurpose
	for _, ns := range DefaultNamespaces(m.Tier) {
		out = append(out, ns.Purpose)
	}
	return out
}

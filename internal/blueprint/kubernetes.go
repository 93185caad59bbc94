package blueprint

import (
	"slices"

	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// kubernetesLayer builds the in-cluster layer of env (internal/k8s) from
// what every cloud shares (the namespaces, entry points and GPU pools) and
// what the cloud tells it (edge).
func kubernetesLayer(env segment.Environment, edge k8s.Edge) (k8s.Layer, error) {
	pools, err := commonNodePools(env)
	if err != nil {
		return k8s.Layer{}, err
	}
	in := k8s.Input{
		Environment: env.Name, Tier: env.Tier, HumanAccess: env.HumanAccess,
		Namespaces: env.WorkloadNamespaces(), Ingress: env.Ingress, Edge: edge,
	}
	for _, p := range pools {
		kp := k8s.Pool{Purpose: segment.Purpose(p.Purpose), GPUs: p.GPUCount, VCPUs: p.gpu.VCPUs, MemoryGiB: p.gpu.MemoryGiB, MaxNodes: p.MaxSize}
		for _, t := range p.Taints {
			kp.Taints = append(kp.Taints, k8s.Toleration{Key: t.Key, Operator: "Equal", Value: t.Value, Effect: k8s.TaintEffect(t.Effect)})
		}
		in.Pools = append(in.Pools, kp)
	}
	return k8s.Expand(in), nil
}

// subjects returns, for the identities people and the CI act as, how the
// cluster names them: name(identity) with kind.
func subjects(ids []Identity, kind string, name func(Identity) string) map[string]k8s.Subject {
	out := map[string]k8s.Subject{}
	for _, id := range ids {
		if id.Key == k8s.DataScientist || id.Key == k8s.Auditor || id.Key == k8s.Deployer {
			out[id.Key] = k8s.Subject{Kind: kind, Name: name(id), Human: id.Human}
		}
	}
	return out
}

// subnetRanges returns the ranges of the subnets of the given purposes, sorted.
func subnetRanges(n Network, purposes ...string) []string {
	var out []string
	for _, s := range n.Subnets {
		if slices.Contains(purposes, s.Purpose) {
			out = append(out, s.CIDR)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AWS: an EKS access entry maps each role people and the CI assume to a
// Kubernetes group named after the role; EKS Pod Identity associations
// bind the workload service accounts (no annotation). Interface endpoints
// have ranges in the VPC; the gateway endpoints' ranges are prefix lists
// that the module resolves.
func (a aws) kubernetesEdge(n Network, ids []Identity) k8s.Edge {
	e := k8s.Edge{
		Subjects: subjects(ids, "Group", func(id Identity) string { return id.Name }),
		Workloads: map[segment.NamespacePurpose]k8s.Workload{
			segment.TrainingNamespace: {Identity: RoleTraining}, segment.InferenceNamespace: {Identity: RoleInference},
		},
	}
	var purposes []string
	for _, ep := range n.AWS.Endpoints {
		if ep.Type == "Interface" {
			purposes = append(purposes, ep.SubnetPurpose)
		} else {
			e.EndpointServices = append(e.EndpointServices, ep.Key)
		}
	}
	e.EndpointCIDRs = subnetRanges(n, purposes...)
	slices.Sort(e.EndpointServices)
	// The EKS Pod Identity agent on every node.
	e.IdentityEndpoints = []k8s.Endpoint{{CIDR: "169.254.170.23/32", Port: 80}}
	return e
}

// Google Cloud: GKE names a Google service account by its email, and
// Workload Identity binds a Kubernetes service account to one through an
// annotation. Workloads reach Google's APIs at their virtual IPs.
func (g gcp) kubernetesEdge(n Network, ids []Identity) k8s.Edge {
	email := func(id Identity) string { return id.Principal }
	workload := func(purpose string) k8s.Workload {
		i := slices.IndexFunc(ids, func(id Identity) bool { return id.Key == purpose })
		return k8s.Workload{Identity: purpose, Annotations: map[string]string{"iam.gke.io/gcp-service-account": email(ids[i])}}
	}
	return k8s.Edge{
		Subjects: subjects(ids, "User", email),
		Workloads: map[segment.NamespacePurpose]k8s.Workload{
			segment.TrainingNamespace: workload(RoleTraining), segment.InferenceNamespace: workload(RoleInference),
		},
		EndpointCIDRs: []string{n.GCP.GoogleAPIsCIDR},
		// The GKE metadata server, which hands out Workload Identity tokens.
		IdentityEndpoints: []k8s.Endpoint{{CIDR: "169.254.169.252/32", Port: 988}, {CIDR: "169.254.169.254/32", Port: 80}},
	}
}

// Azure: AKS with Entra ID names an identity by its principal (object) ID
// and workload identity binds a service account to one by its client ID;
// both are known after apply, so the Kubernetes module takes them from the
// Azure module's outputs. The private endpoints live in the data subnets,
// and the identity endpoint is Entra ID, by its service tag.
func (z azure) kubernetesEdge(n Network, ids []Identity) k8s.Edge {
	workload := func(purpose string) k8s.Workload {
		return k8s.Workload{Identity: purpose, Annotations: map[string]string{}, ClientIDKey: ptr("azure.workload.identity/client-id")}
	}
	var purposes []string
	for _, pe := range n.Azure.PrivateEndpoints {
		purposes = append(purposes, pe.SubnetPurpose)
	}
	return k8s.Edge{
		Subjects: subjects(ids, "User", func(Identity) string { return "" }),
		Workloads: map[segment.NamespacePurpose]k8s.Workload{
			segment.TrainingNamespace: workload(RoleTraining), segment.InferenceNamespace: workload(RoleInference),
		},
		EndpointCIDRs: subnetRanges(n, purposes...),
		// Workload identity exchanges the service account's token with
		// Entra ID itself; the Azure module resolves the service tag.
		IdentityEndpoints: []k8s.Endpoint{{Service: AzureActiveDirectory, Port: 443}},
	}
}

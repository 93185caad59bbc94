package blueprint

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// gcp holds what every part of a Google Cloud expansion shares. An
// environment is one project (its account_id), with one VPC network in its
// region, one regional private GKE cluster and one key ring.
type gcp struct {
	env segment.Environment
}

func newGCP(env segment.Environment) expander { return gcp{env: env} }

func (g gcp) principals() []string { return principalsOf(g.identities()) }

func (g gcp) blueprint() (Blueprint, error) {
	env := g.env
	plan, err := carveClusterAddresses(g.env, cloud.GCP, g.purposes())
	if err != nil {
		return Blueprint{}, err
	}
	pools, err := g.nodePools()
	if err != nil {
		return Blueprint{}, err
	}
	ids := g.identities()
	network := g.network(plan)
	layer, err := kubernetesLayer(env, g.kubernetesEdge(network, ids))
	if err != nil {
		return Blueprint{}, err
	}
	return Blueprint{
		Environment:        env.Name,
		Organization:       env.Organization,
		Tier:               string(env.Tier),
		Cloud:              string(env.Cloud),
		Region:             env.Region,
		AccountID:          env.AccountID,
		DataClassification: string(env.DataClassification),
		Network:            network,
		FirewallRules:      g.firewallRules(plan),
		Identities:         ids,
		CIOIDCProvider:     ciOIDCProvider(env),
		Keys:               g.keys(),
		Buckets:            g.buckets(),
		Cluster:            g.cluster(plan),
		NodePools:          pools,
		Monitoring:         g.monitoring(),
		Kubernetes:         layer,
		Tags:               Tags(env),
		Waivers:            waivers(env),
	}, nil
}

func (g gcp) name(purpose string) string { return g.env.ResourceName(purpose) }

// member is how IAM names one of the environment's service accounts.
func (g gcp) member(purpose string) string {
	return "serviceAccount:" + cloud.GCP.Principal(cloud.IdentityOf(g.env, purpose))
}

// projectNumber stands for the environment's project number in members and
// names that need it (service agents, workload identity pools): it is not
// known from the project ID, so the module fills it in.
const projectNumber = "{project_number}"

// serviceAgent is how IAM names a Google service's agent in the project.
func serviceAgent(domain string) string {
	return fmt.Sprintf("serviceAccount:service-%s@%s.iam.gserviceaccount.com", projectNumber, domain)
}

// The domains of the service agents that use the environment's keys.
const (
	storageAgent = "gs-project-accounts"
	computeAgent = "compute-system"
	gkeAgent     = "container-engine-robot"
	loggingAgent = "gcp-sa-logging"
)

// workloadPool is the cluster's Workload Identity pool.
func (g gcp) workloadPool() string { return g.env.AccountID + ".svc.id.goog" }

// kubernetesMember is how IAM names a Kubernetes service account of the
// cluster through Workload Identity.
func (g gcp) kubernetesMember(namespace, serviceAccount string) string {
	return fmt.Sprintf("serviceAccount:%s[%s/%s]", g.workloadPool(), namespace, serviceAccount)
}

// ciPool is the workload identity pool that federates the CI's OIDC issuer;
// pool IDs have at most 32 characters.
func (g gcp) ciPool() string { return truncate(g.name("ci"), 32) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.TrimRight(s[:n], "-")
}

// ciMember is how IAM names the one CI subject allowed to deploy, in the
// environment's workload identity pool.
func (g gcp) ciMember() string {
	return fmt.Sprintf("principal://iam.googleapis.com/projects/%s/locations/global/workloadIdentityPools/%s/subject/%s",
		projectNumber, g.ciPool(), g.env.CISubject)
}

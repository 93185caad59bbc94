package blueprint

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// azure holds what every part of an Azure expansion shares. An environment
// is one resource group in its subscription (its account_id), with one VNet,
// one private AKS cluster and one key vault.
type azure struct {
	env segment.Environment
}

func newAzure(env segment.Environment) expander { return azure{env: env} }

func (z azure) principals() []string { return principalsOf(z.identities()) }

func (z azure) blueprint() (Blueprint, error) {
	env := z.env
	plan, err := carveClusterAddresses(env, cloud.Azure, z.purposes())
	if err != nil {
		return Blueprint{}, err
	}
	pools, err := z.nodePools()
	if err != nil {
		return Blueprint{}, err
	}
	network, ids := z.network(plan), z.identities()
	layer, err := kubernetesLayer(env, z.kubernetesEdge(network, ids))
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
		FirewallRules:      z.firewallRules(plan),
		Identities:         ids,
		CIOIDCProvider:     ciOIDCProvider(env),
		Keys:               z.keys(),
		Buckets:            z.buckets(),
		Cluster:            z.cluster(plan),
		NodePools:          pools,
		Monitoring:         z.monitoring(),
		Kubernetes:         layer,
		Tags:               Tags(env),
		Waivers:            waivers(env),
	}, nil
}

func (z azure) name(purpose string) string { return z.env.ResourceName(purpose) }

// compact is a name without dashes, for the names Azure takes as letters
// and digits only (storage accounts, registries).
func (z azure) compact(purpose string) string { return strings.ReplaceAll(z.name(purpose), "-", "") }

// keyVault is the environment's key vault; its name has at most 24
// characters (SEG203).
func (z azure) keyVault() string { return z.name("kv") }

// Azure identity keys beyond the ones every cloud has: the identities the
// storage accounts and the disk encryption set encrypt with.
const (
	RoleStorage = "storage"
	RoleDisks   = "disks"
)

// Azure role-assignment scopes: what a role is assigned on.
const (
	ScopeResourceGroup = "resource_group"
	ScopeKeyVault      = "key_vault"
	ScopeRegistry      = "registry"
	ScopeSubnet        = "subnet"
	ScopeCluster       = "cluster"
	ScopeIdentity      = "identity"
)

// workloadSubject is how AKS names a Kubernetes service account to Entra ID.
func workloadSubject(namespace, name string) *string {
	return ptr(fmt.Sprintf("system:serviceaccount:%s:%s", namespace, name))
}

// aksPoolName is an AKS node pool's name: lower-case letters and digits, at
// most 12 characters, from the pool's name.
func aksPoolName(pool string) string {
	n := strings.ReplaceAll(pool, "-", "")
	return n[:min(len(n), 12)]
}

package blueprint

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Built-in Azure roles. None is Owner or Contributor, and none is assigned
// on the subscription.
const (
	roleBlobReader          = "Storage Blob Data Reader"
	roleBlobContributor     = "Storage Blob Data Contributor"
	roleClusterUser         = "Azure Kubernetes Service Cluster User Role"
	roleReader              = "Reader"
	roleLogAnalyticsReader  = "Log Analytics Reader"
	roleAcrPull             = "AcrPull"
	roleNetworkContributor  = "Network Contributor"
	roleIdentityOperator    = "Managed Identity Operator"
	roleCryptoUser          = "Key Vault Crypto User"
	roleCryptoServiceUser   = "Key Vault Crypto Service Encryption User"
	roleKeyVaultContributor = "Key Vault Contributor"
	roleRBACWriter          = "Azure Kubernetes Service RBAC Writer"
)

// AzureTokenAudience is the audience Entra ID expects in a federated token:
// the CI's and the workloads' alike.
const AzureTokenAudience = "api://AzureADTokenExchange"

// assigner collects the role assignments of one identity.
type assigner struct {
	identity string
	out      []RoleBinding
}

// on assigns role to the identity on one of the environment's resources
// (resource is its key), or on the resource group (resource "").
func (a *assigner) on(scope, resource, role string) *assigner {
	k := a.identity + "-" + scope
	var res *string
	if resource != "" {
		res, k = ptr(resource), k+"-"+resource
	}
	a.out = append(a.out, RoleBinding{Key: key(k + "-" + roleKey(role)), Role: role, Scope: scope, Resource: res, Member: a.identity})
	return a
}

// roleKey is a role's name for keys: "Storage Blob Data Reader" ->
// "storage-blob-data-reader".
func roleKey(role string) string { return strings.ToLower(strings.ReplaceAll(role, " ", "-")) }

func (a *assigner) read(buckets ...string) *assigner {
	for _, b := range buckets {
		a.on(ScopeBucket, b, roleBlobReader)
	}
	return a
}

// write ends a chain of grants: it is always the last.
func (a *assigner) write(buckets ...string) {
	for _, b := range buckets {
		a.on(ScopeBucket, b, roleBlobContributor)
	}
}

// identities are the environment's user-assigned managed identities, each
// with role assignments on the environment's own resource group and
// resources only.
func (z azure) identities() []Identity {
	env := z.env
	id := func(purpose, description string, human bool, assign func(a *assigner)) Identity {
		a := &assigner{identity: purpose, out: []RoleBinding{}}
		assign(a)
		sortByKey(a.out, func(x RoleBinding) string { return x.Key })
		return Identity{
			Key: purpose, Name: z.name(purpose), Purpose: description, Human: human,
			Principal: cloud.Azure.Principal(cloud.IdentityOf(env, purpose)),
			Azure:     &AzureIdentity{RoleAssignments: a.out},
		}
	}
	training := id(RoleTraining, "Training jobs: read training data, write models.", false, func(a *assigner) {
		a.read(BucketData).write(BucketModels)
	})
	training.Azure.WorkloadSubject = workloadSubject(RoleTraining, RoleTraining)
	inference := id(RoleInference, "Inference services: read models.", false, func(a *assigner) { a.read(BucketModels) })
	inference.Azure.WorkloadSubject = workloadSubject(RoleInference, RoleInference)
	ids := []Identity{
		training, inference,
		id(RoleAuditor, "Auditors: read-only access to the resource group's resources and its logs.", true, func(a *assigner) {
			a.on(ScopeResourceGroup, "", roleReader).on(ScopeResourceGroup, "", roleLogAnalyticsReader)
		}),
		id(RoleNode, "The kubelet of the GPU nodes: pulls images from the environment's registry.", false, func(a *assigner) {
			a.on(ScopeRegistry, "", roleAcrPull)
		}),
		id(RoleCluster, "The AKS control plane: manages the load balancers in the nodes' subnet and assigns the kubelet's identity.", false, func(a *assigner) {
			// Key Vault Contributor on the vault (management plane only, no key
			// use): the private KMS plugin creates its private link.
			a.on(ScopeSubnet, string(netplan.Workload), roleNetworkContributor).on(ScopeIdentity, RoleNode, roleIdentityOperator).
				on(ScopeKeyVault, "", roleKeyVaultContributor)
		}),
		id(RoleStorage, "The storage accounts encrypt with the data, models and logs keys.", false, func(*assigner) {}),
		id(RoleDisks, "The disk encryption set encrypts the nodes' disks with the data key.", false, func(*assigner) {}),
	}
	if env.CISubject != "" {
		deployer := id(RoleDeployer, "CI deploys models and workloads; usable only by ci_subject.", false, func(a *assigner) {
			// Cluster User fetches the credentials; RBAC Writer lets the CI
			// deploy workloads (not roles or bindings).
			a.on(ScopeCluster, "", roleClusterUser).on(ScopeCluster, "", roleRBACWriter).write(BucketModels)
		})
		deployer.Azure.Federation = &AzureFederation{Issuer: "https://" + env.CIOIDCProvider, Subject: env.CISubject, Audience: AzureTokenAudience}
		ids = append(ids, deployer)
	}
	switch env.HumanAccess {
	case segment.WriteAccess:
		ids = append(ids, id(RoleDataScientist, "Data scientists: read and write data and models.", true, func(a *assigner) { a.write(BucketData, BucketModels) }))
	case segment.ReadAccess:
		ids = append(ids, id(RoleDataScientist, "Data scientists: read data and models.", true, func(a *assigner) { a.read(BucketData, BucketModels) }))
	}
	sortByKey(ids, func(r Identity) string { return r.Key })
	return ids
}

// keys are the environment's Key Vault keys, one per purpose. Only the
// identities that encrypt on the environment's behalf may use them: the
// storage accounts' (data, models, and the flow logs' account with the logs
// key), the disk encryption set's (data) and the cluster's (secrets, through
// the KMS plugin).
func (z azure) keys() []Key {
	users := map[string][][2]string{
		KeyData:    {{RoleDisks, roleCryptoServiceUser}, {RoleStorage, roleCryptoServiceUser}},
		KeyModels:  {{RoleStorage, roleCryptoServiceUser}},
		KeyLogs:    {{RoleStorage, roleCryptoServiceUser}},
		KeySecrets: {{RoleCluster, roleCryptoUser}},
	}
	out := make([]Key, 0, len(KeyPurposes()))
	for _, purpose := range KeyPurposes() {
		k := &AzureKey{KeyVault: z.keyVault()}
		for _, u := range users[purpose] {
			k.RoleAssignments = append(k.RoleAssignments, RoleBinding{
				Key: fmt.Sprintf("key-%s-%s", purpose, u[0]), Role: u[1], Scope: ScopeKey, Resource: ptr(purpose), Member: u[0],
			})
		}
		out = append(out, Key{
			Key: purpose, Name: z.name(purpose), Purpose: purpose,
			Description:        fmt.Sprintf("Encrypts the %s of %s.", keyDescriptions[purpose], z.env.Prefix()),
			RotationPeriodDays: z.env.KeyRotationDays,
			DeletionWindowDays: z.env.KeyDeletionWindowDays,
			Azure:              k,
		})
	}
	return out
}

// buckets are the data and models containers, each in its own storage
// account encrypted with the key of its purpose; the module disables shared
// keys and public access and requires TLS 1.2 and infrastructure
// encryption.
func (z azure) buckets() []Bucket {
	out := make([]Bucket, 0, 2)
	for _, p := range []string{BucketData, BucketModels} {
		out = append(out, Bucket{Key: p, Name: z.name(p), Purpose: p, KMSKey: p,
			Azure: &AzureBucket{StorageAccount: z.compact(p), Identity: RoleStorage}})
	}
	return out
}

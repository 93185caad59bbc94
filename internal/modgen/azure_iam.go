package modgen

import (
	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// azureScopeTargets is, per role-assignment scope, the ID of what a role on
// that scope is assigned on; resource is the assignment's resource key.
func azureScopeTarget(scope string) expr {
	resource := each("resource")
	switch scope {
	case blueprint.ScopeResourceGroup:
		return ref("azurerm_resource_group.this.id")
	case blueprint.ScopeBucket:
		return resourceRef(ref("azurerm_storage_account.this"), resource, "id")
	case blueprint.ScopeKey:
		return keyOf(resource, "resource_versionless_id")
	case blueprint.ScopeKeyVault:
		return ref("azurerm_key_vault.this.id")
	case blueprint.ScopeRegistry:
		return ref("azurerm_container_registry.this.id")
	case blueprint.ScopeSubnet:
		return subnetOf(resource)
	case blueprint.ScopeCluster:
		return ref("azurerm_kubernetes_cluster.this.id")
	case blueprint.ScopeIdentity:
		return identityOf(resource, "id")
	}
	panic("modgen: no Azure target for scope " + scope)
}

// azureScopeComments say what each scope's assignments are for.
var azureScopeComments = map[string]string{
	blueprint.ScopeResourceGroup: "Roles on the environment's resource group (the auditors' readers), never on the subscription.",
	blueprint.ScopeBucket:        "Roles on a bucket's storage account: blob data readers and contributors.",
	blueprint.ScopeKey: `Who may use each key: only the identities that encrypt for the environment (the storage
accounts', the disk encryption set's and the cluster's), each on its own key.`,
	blueprint.ScopeKeyVault: "Roles on the environment's key vault.",
	blueprint.ScopeRegistry: "Roles on the environment's registry: the kubelet pulls images.",
	blueprint.ScopeSubnet:   "Roles on a subnet: the cluster's control plane manages the load balancers of the nodes' subnet.",
	blueprint.ScopeCluster:  "Roles on the cluster: the deployer fetches its user credentials.",
	blueprint.ScopeIdentity: "Roles on a managed identity: the cluster's control plane assigns the kubelet's identity.",
}

func azureIAM() []byte {
	f := newFile(azureHeader)
	set(f.block("The tenant and the principal the provider runs as.", "data", "azurerm_client_config", "current"))
	ids, idAzure := ref("i"), ref("i.azure")
	assignments := assignmentsOf
	set(f.block(`The environment's identities, and the boundary's that have an Azure part, as user-assigned
managed identities. Every role assignment of the blueprint (of identities and of keys) is
flattened into one list; the member of each is an identity's key, whose principal ID the
module knows once the identity exists. Each human identity's assignments are repeated for the
Entra principals in var.human_principals, keyed {assignment}/{principal}.`, "locals"),
		field{"identities", call("concat", bp("identities"),
			forList("i", boundaryList("identities"), ids, notEqual(idAzure, null())))},
		field{"identity_assignments", call("flatten", forList("i", local("identities"),
			forList("b", assignments(ref("i")), call("merge", ref("b"), object(field{"principal", null()})), nil), nil))},
		field{"key_assignments", call("flatten", forList("k", bp("keys"),
			forList("b", assignments(ref("k")), call("merge", ref("b"), object(field{"principal", null()})), nil), nil))},
		field{"human_assignments", call("flatten", forList("i", local("identities"),
			forList("p", call("lookup", ref("var.human_principals"), ref("i.key"), tuple()),
				forList("b", assignments(ref("i")), call("merge", ref("b"), object(
					field{"key", call("format", str("%s/%s"), ref("b.key"), ref("p"))},
					field{"principal", ref("p")},
				)), nil), nil),
			ref("i.human")))},
		field{"grant_assignments", forList("g", boundaryList("resource_grants"),
			call("merge", ref("g.azure"), object(field{"principal", call("lookup", ref("var.grantee_principal_ids"), ref("g.azure.member"), null())})),
			notEqual(ref("g.azure"), null()))},
		field{"role_assignments", call("concat", local("identity_assignments"), local("key_assignments"), local("human_assignments"), local("grant_assignments"))},
	)
	set(f.block("One user-assigned managed identity per identity. None has a secret: workloads reach theirs through workload identity, the CI through its federated credential.", "resource", "azurerm_user_assigned_identity", "this"),
		field{"for_each", keyed(local("identities"))},
		field{"name", each("name")},
		resourceGroupName(),
		azureLocation(),
		azureTags(),
	)
	for _, scope := range azureScopes {
		set(f.block(azureScopeComments[scope], "resource", "azurerm_role_assignment", scope),
			field{"for_each", forMap("b", local("role_assignments"), ref("b.key"), ref("b"), equal(ref("b.scope"), str(scope)))},
			field{"scope", azureScopeTarget(scope)},
			field{"role_definition_name", each("role")},
			field{"principal_id", cond(equal(each("principal"), null()), identityOf(each("member"), "principal_id"), each("principal"))},
			field{"principal_type", cond(equal(each("principal"), null()), str("ServicePrincipal"), null())},
			field{"description", call("format", str("%s: %s"), bp("environment"), eachKey())},
		)
	}
	set(f.block(`The principal that applies the module creates the keys and their rotation policies, which
takes Key Vault Crypto Officer on the vault (var.manage_key_vault_access).`, "resource", "azurerm_role_assignment", "key_vault_officer"),
		field{"for_each", cond(ref("var.manage_key_vault_access"), call("toset", tuple(str("apply"))), call("toset", tuple()))},
		field{"scope", ref("azurerm_key_vault.this.id")},
		field{"role_definition_name", str("Key Vault Crypto Officer")},
		field{"principal_id", ref("data.azurerm_client_config.current.object_id")},
		field{"description", call("format", str("%s: the principal that applies the module manages the keys."), bp("environment"))},
	)
	set(f.block(`The CI acts as an identity only through its federated credential, which admits one subject of
one issuer.`, "resource", "azurerm_federated_identity_credential", "ci"),
		field{"for_each", forMap("i", local("identities"), ref("i.key"), ref("i.azure.federation"),
			cond(equal(idAzure, null()), boolean(false), notEqual(ref("i.azure.federation"), null())))},
		field{"name", str("ci")},
		field{"user_assigned_identity_id", identityOf(eachKey(), "id")},
		field{"issuer", each("issuer")},
		field{"subject", each("subject")},
		field{"audience", tuple(each("audience"))},
	)
	set(f.block(`Kubernetes service accounts act as an identity through the cluster's OIDC issuer (workload
identity): one subject, system:serviceaccount:{namespace}:{name}, per identity.`, "resource", "azurerm_federated_identity_credential", "workload"),
		field{"for_each", forMap("i", local("identities"), ref("i.key"), ref("i.azure.workload_subject"),
			cond(equal(idAzure, null()), boolean(false), notEqual(ref("i.azure.workload_subject"), null())))},
		field{"name", str("kubernetes")},
		field{"user_assigned_identity_id", identityOf(eachKey(), "id")},
		field{"issuer", ref("azurerm_kubernetes_cluster.this.oidc_issuer_url")},
		field{"subject", ref("each.value")},
		field{"audience", tuple(str(blueprint.AzureTokenAudience))},
	)
	return f.bytes()
}

package modgen

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// azureOutputList is the module's outputs, shared by outputs.tf and README.md.
var azureOutputList = []struct {
	name, description string
	sensitive         bool
	value             func() expr
}{
	{name: "resource_group_name", description: "Name of the environment's resource group.", value: func() expr { return ref("azurerm_resource_group.this.name") }},
	{name: "resource_group_id", description: "ID of the environment's resource group.", value: func() expr { return ref("azurerm_resource_group.this.id") }},
	{name: "vnet_id", description: "ID of the environment's VNet.", value: func() expr { return ref("azurerm_virtual_network.this.id") }},
	{name: "subnet_ids", description: "Subnet IDs by blueprint key.", value: func() expr { return idsOf("azurerm_subnet.this", "id") }},
	{name: "nsg_ids", description: "Network security group IDs by blueprint key.", value: func() expr { return idsOf("azurerm_network_security_group.this", "id") }},
	{name: "private_endpoint_ids", description: "Private endpoint IDs by blueprint key.", value: func() expr { return idsOf("azurerm_private_endpoint.this", "id") }},
	{name: "identity_ids", description: "Managed identity resource IDs by identity key, including the boundary's identities.", value: func() expr { return idsOf("azurerm_user_assigned_identity.this", "id") }},
	{name: "identity_client_ids", description: "Managed identity client IDs by identity key: the value of a Kubernetes service account's `azure.workload.identity/client-id` annotation, and the client ID the CI logs in with.", value: func() expr {
		return idsOf("azurerm_user_assigned_identity.this", "client_id")
	}},
	{name: "identity_principal_ids", description: "Managed identity principal (object) IDs by identity key.", value: func() expr { return idsOf("azurerm_user_assigned_identity.this", "principal_id") }},
	{name: "tenant_id", description: "The Entra tenant of the identities and the cluster.", value: func() expr { return ref("data.azurerm_client_config.current.tenant_id") }},
	{name: "key_vault_id", description: "ID of the environment's key vault.", value: func() expr { return ref("azurerm_key_vault.this.id") }},
	{name: "key_vault_uri", description: "URI of the environment's key vault.", value: func() expr { return ref("azurerm_key_vault.this.vault_uri") }},
	{name: "key_ids", description: "Versionless Key Vault key IDs by purpose.", value: func() expr { return idsOf("azurerm_key_vault_key.this", "versionless_id") }},
	{name: "storage_account_ids", description: "Storage account IDs by bucket key.", value: func() expr { return idsOf("azurerm_storage_account.this", "id") }},
	{name: "storage_account_names", description: "Storage account names by bucket key; each holds one container named after its purpose.", value: func() expr { return idsOf("azurerm_storage_account.this", "name") }},
	{name: "registry_id", description: "ID of the environment's container registry.", value: func() expr { return ref("azurerm_container_registry.this.id") }},
	{name: "registry_login_server", description: "Login server of the environment's container registry, reached through its private endpoint.", value: func() expr { return ref("azurerm_container_registry.this.login_server") }},
	{name: "disk_encryption_set_id", description: "ID of the disk encryption set of the nodes' OS disks.", value: func() expr { return ref("azurerm_disk_encryption_set.this.id") }},
	{name: "cluster_id", description: "ID of the AKS cluster.", value: func() expr { return ref("azurerm_kubernetes_cluster.this.id") }},
	{name: "cluster_name", description: "Name of the AKS cluster.", value: func() expr { return ref("azurerm_kubernetes_cluster.this.name") }},
	{name: "oidc_issuer_url", description: "The cluster's OIDC issuer, which the identities' workload credentials trust.", value: func() expr { return ref("azurerm_kubernetes_cluster.this.oidc_issuer_url") }},
	{name: "cluster_private_fqdn", description: "Private FQDN of the API server, resolvable and reachable only inside the environment's network.", value: func() expr { return ref("azurerm_kubernetes_cluster.this.private_fqdn") }},
	{name: "cluster_host", description: "The API server's URL, for the Kubernetes provider's `host` (with `cluster_ca_certificate` and an Entra token from kubelogin: local accounts are disabled).", value: func() expr {
		return call("format", str("https://%s:443"), ref("azurerm_kubernetes_cluster.this.private_fqdn"))
	}},
	{name: "cluster_ca_certificate", description: "The cluster's CA certificate, base64-encoded: `base64decode()` it for the Kubernetes provider.", sensitive: true, value: func() expr {
		return attr(index(ref("azurerm_kubernetes_cluster.this.kube_config"), num(0)), "cluster_ca_certificate")
	}},
	{name: "node_pool_ids", description: "AKS node pool IDs by pool key.", value: func() expr { return idsOf("azurerm_kubernetes_cluster_node_pool.this", "id") }},
	{name: "log_analytics_workspace_id", description: "ID of the Log Analytics workspace that holds the diagnostic logs and traffic analytics.", value: func() expr { return ref("azurerm_log_analytics_workspace.this.id") }},
	{name: "flow_log_id", description: "ID of the VNet flow log.", value: func() expr { return ref("azurerm_network_watcher_flow_log.this.id") }},
	{name: "egress_ip", description: "The static public IP address the environment's traffic leaves from (the NAT gateway's), the only one: to Entra ID, for workload identity.", value: func() expr { return ref("azurerm_public_ip.egress.ip_address") }},
	{name: "service_cidrs", description: "The IPv4 ranges of each service tag the workload subnets may reach (AzureActiveDirectory), by tag: the Kubernetes module's `service_cidrs`, for the network policy that lets the workloads' pods exchange their tokens with Entra ID.", value: func() expr {
		return forMapKV("k", "t", ref("data.azurerm_network_service_tags.egress"), ref("k"), ref("t.ipv4_cidrs"), nil)
	}},
	{name: "principal_ids_by_resource_id", description: "Entra object IDs of the environment's identities by resource ID, for the grantee_principal_ids of the environments whose grants name them.", value: func() expr {
		return forMapKV("k", "i", ref("azurerm_user_assigned_identity.this"), ref("i.id"), ref("i.principal_id"), nil)
	}},
	{name: "registry_grants", description: "The registry grants of the boundary (artifact-pull flows), which the module assigns on the environment's registry: key, principal and why.", value: func() expr {
		return forList("g", boundaryList("resource_grants"),
			object(field{"key", ref("g.key")}, field{"principal", ref("g.principal")}, field{"description", ref("g.description")}),
			equal(ref("g.kind"), str(blueprint.GrantRegistry)))
	}},
}

func azureOutputs() []byte {
	f := newFile(azureHeader)
	for _, o := range azureOutputList {
		b := set(f.block("", "output", o.name), field{"description", str(o.description)}, field{"value", o.value()})
		if o.sensitive {
			b.SetAttributeRaw("sensitive", boolean(true))
		}
	}
	return f.bytes()
}

// azureAccepted is what real tfsec and trivy runs on the module report and
// the module keeps, with the reason. The scanner tests fail on anything not
// listed here, and on anything listed that no scan reports any more.
var azureAccepted = []acceptedFinding{
	{
		scanner: "tfsec", id: "azure-container-logging", severity: "MEDIUM",
		why: "The check wants the Container insights agent (`oms_agent`). The cluster is network-isolated (outbound type `none`, every NSG denies all other egress), and the agent on the nodes would need Azure Monitor's public ingestion endpoints, or a private link scope the blueprint does not have. The control plane's logs, the audit logs among them, reach the workspace through the cluster's diagnostic setting instead, which Azure delivers without the nodes' network.",
	},
	{
		scanner: "trivy", id: "AZU-0040", severity: "MEDIUM",
		why: "The same check as tfsec's azure-container-logging (the `oms_agent` add-on), for the same reason.",
	},
	{
		scanner: "trivy", id: "AZU-0066", severity: "LOW",
		why: "The Azure Policy add-on runs pods that call Azure Policy's public endpoints, which the network-isolated cluster cannot reach (outbound type `none`, deny-all egress); the blueprint leaves admission control inside the cluster. Enabling it would deploy an add-on that cannot work.",
	},
	{
		scanner: "trivy", id: "AZU-0016", severity: "MEDIUM",
		why: "Purge protection is on, and `soft_delete_retention_days` is the longest deletion window of the blueprint's keys (7 to 30 days by tier, refused outside 7 to 90 by the variable's validation). trivy cannot evaluate the expression without a blueprint; with a blueprint's values the check passes.",
	},
	{
		scanner: "tfsec", id: "azure-storage-queue-services-logging-enabled", severity: "MEDIUM",
		why: "The check reads `queue_properties.logging`, which hashicorp/azurerm 5.x no longer has on `azurerm_storage_account`. The accounts hold no queues: the buckets are blob containers, whose data access is recorded by the diagnostic settings on their blob services (`bucket:{key}` in the blueprint's `diagnostics_from`, in `monitoring.tf`).",
	},
	{
		scanner: "trivy", id: "AZU-0057", severity: "MEDIUM",
		why: "The same check as tfsec's azure-storage-queue-services-logging-enabled (Storage Analytics logging of the queue service), for the same reason.",
	},
	{
		scanner: "trivy", id: "AZU-0058", severity: "LOW",
		why: "The accounts are zone-redundant (ZRS) on purpose: the environment's data, models and flow logs stay in its one region, in copies across its availability zones. Geo-redundant replication would put a copy in the paired region, which the environment's data classification does not declare.",
	},
	{
		scanner: "tfsec", id: "azure-keyvault-ensure-key-expiry", severity: "MEDIUM", withValues: true,
		why: "The keys expire by their rotation policy: every version expires 30 days after its rotation is due (`expire_after`), and Key Vault notifies 14 days before. A fixed `expiration_date`, which the check wants, would expire the key itself, for good: the storage accounts, the disks and the cluster's secrets would stop decrypting.",
	},
	{
		scanner: "trivy", id: "AZU-0014", severity: "MEDIUM", withValues: true,
		why: "The same check as tfsec's azure-keyvault-ensure-key-expiry (a fixed `expiration_date`), for the same reason.",
	},
	{
		scanner: "tfsec", id: "azure-network-no-public-ingress", severity: "CRITICAL", withValues: true,
		why: "Only the declared entry points' rules admit a public range, on the entry point's own port, in the NSGs of the ingress and workload subnets: that is what a declared entry point is. SEG103 refuses administrative ports from public ranges at plan time, and every other inbound path ends at the explicit deny-all at 4096.",
	},
	{
		scanner: "tfsec", id: "azure-network-retention-policy-set", severity: "LOW", withValues: true,
		why: "The flow log keeps the tier's retention: 30 days in development (the development sample), 90 in staging, 365 in production and shared. The check wants at least 90 days for every environment; SEG501 sets the minimum per tier at plan time.",
	},
	{
		scanner: "trivy", id: "AZU-0049", severity: "LOW", withValues: true,
		why: "The same check as tfsec's azure-network-retention-policy-set, for the same reason.",
	},
}

// azureBlueprintGaps are what the Azure blueprint lacks for a working
// deployment, which the README states.
var azureBlueprintGaps = []string{
	"A boundary's grants to identities of other environments are assigned with the principal IDs given in `grantee_principal_ids`, which the other environments' modules output; across clouds, IAM flows grant nothing.",
	"The human identities are managed identities that people cannot sign in as; the module gives their role assignments to `human_principals` instead.",
}

func azureReadme() []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("<!-- Generated by terraform-provider-segmented (generate module --cloud azure). Do not edit. -->\n\n")
	w("# azure-ml-environment\n\n")
	w("Builds one isolated ML environment in its own resource group of its own Azure subscription from\n")
	w("the `blueprint` that the `segmented` provider's `segmented_ml_environment` computes at plan time,\n")
	w("plus the `boundary` that `segmented_ml_topology` computes for it. Every resource is created with\n")
	w("`for_each` keyed by the blueprint's stable keys, in the subscription `blueprint.account_id` (the\n")
	w("provider's) and the region `blueprint.region`, and tagged with the environment's tags.\n\n")
	w("```hcl\nprovider \"azurerm\" {\n  alias               = \"prod\"\n")
	w("  subscription_id     = \"<the prod blueprint's account_id>\"\n")
	w("  storage_use_azuread = true # the storage accounts take no shared keys\n  features {}\n}\n\n")
	w("module \"prod\" {\n  source                      = \"./modules/azure-ml-environment\"\n")
	w("  providers                   = { azurerm = azurerm.prod }\n")
	w("  blueprint                   = segmented_ml_environment.prod.blueprint\n")
	w("  boundary                    = segmented_ml_topology.main.boundaries[\"prod\"]\n")
	w("  human_principals            = { auditor = [\"<Entra group object ID>\"] }\n")
	w("  key_vault_allowed_ip_ranges = [\"198.51.100.7/32\"] # the runner that applies, see below\n}\n```\n\n")
	w("## What it creates\n\n")
	for _, line := range []string{
		"network.tf: the resource group, the VNet (its address space is the subnets' ranges only), regional subnets per purpose without default outbound access and with network policies for private endpoints, one network security group per subnet purpose associated with its subnets, a private DNS zone per private-link domain linked to the VNet, and the private endpoints of the storage accounts, the key vault and the registry in the data subnet, each registered in its zone",
		"firewall.tf: the network security group rules of the blueprint and the boundary (layer `network_security_group`): ingress and egress as Inbound and Outbound, allow and deny, `tcp`, `udp` and `all` as `Tcp`, `Udp` and `*`, the ports or `*`, the peer's ranges (or a service tag such as `AzureLoadBalancer`) as the source of an inbound rule and the destination of an outbound one, and the rule's priority; the explicit deny-alls at 4096 come before Azure's default rules",
		"iam.tf: a user-assigned managed identity per identity (the boundary's too, where they have an Azure part); every role assignment of the identities and the keys, each on its scope (the resource group, a bucket's storage account, a key, the key vault, the registry, a subnet, the cluster or an identity), to the identity's principal, and the human identities' assignments again for `human_principals`; the CI's federated credential (one issuer, one subject) and the workload identity credentials of the Kubernetes service accounts, trusting the cluster's OIDC issuer; Key Vault Crypto Officer on the vault for the principal that applies, with `manage_key_vault_access`",
		"kms.tf: the key vault (RBAC authorization, purge protection, soft delete for the keys' deletion window, public network access disabled unless `key_vault_allowed_ip_ranges`, network ACL default Deny with the trusted-services bypass) and one RSA-HSM 3072 key per purpose with a rotation policy: automatic rotation after the tier's period, expiry 30 days later, notification 14 days before",
		"storage.tf: a storage account per bucket (no public network access, no shared keys, no public blobs, TLS 1.2, infrastructure encryption, copies only through private links, encrypted with the bucket's key through the bucket's identity, versioning and soft delete for the key's deletion window) with a private container named after the purpose; the flow-log storage account (the logs key, its public endpoint open to trusted Azure services only); `CanNotDelete` locks on the key vault, the storage accounts and the workspace with `deletion_protection`",
		"compute.tf: the Premium registry the cluster bootstraps from (no public access, no admin user, no anonymous pull, no export) and its `aks-managed-mcr` artifact cache rule; the disk encryption set (the data key, following its newest version, through the disks identity); the private AKS cluster (no local accounts, Entra ID with Azure RBAC, OIDC issuer and workload identity, Azure CNI overlay with Cilium for policy and data plane, the blueprint's pod and service ranges and DNS address, outbound type `none` with the registry as bootstrap artifact cache, Kubernetes secrets encrypted with the secrets key through a private key vault, the disk encryption set, the blueprint's control-plane and kubelet identities, manual node provisioning, a small zonal system pool for the cluster's own add-ons with encryption at host) and the GPU pools (the machine type, autoscaling between the pool's sizes, taints and labels, Regular or Spot with eviction by deletion, encryption at host, managed OS disks of the pool's size, AKS's NVIDIA driver, the environment's zones)",
		"monitoring.tf: the Log Analytics workspace (the tier's retention, at least 30 days; no shared keys), diagnostic settings of the cluster, the key vault and each network security group into it, the VNet flow log (version 2) into the flow-log storage account with the tier's retention and traffic analytics, and an activity log alert on the resource group per operation of each alarm",
	} {
		name, what, _ := strings.Cut(line, ": ")
		w("- `%s`: %s.\n", name, what)
	}
	w("\n## Before you apply\n\n")
	for _, line := range []string{
		"Configure the azurerm provider for the environment's subscription: `subscription_id` is the blueprint's `account_id`. The module cannot check it at plan time.",
		"The principal that applies needs, on the subscription, to create resource groups and resources (Contributor) and role assignments and locks (User Access Administrator or Role Based Access Control Administrator); the module never assigns Owner or Contributor to anything it creates, and nothing on the subscription.",
		"Creating the keys is a call to the key vault's data plane. Either apply from a network that reaches the vault's private endpoint (not possible on the first apply, which creates it), or name the runners' public ranges in `key_vault_allowed_ip_ranges` for the first apply and empty it afterwards. With `manage_key_vault_access` the module gives the applying principal Key Vault Crypto Officer on the vault first; Azure takes up to a few minutes to honour a new role assignment, so a first apply may need a second run.",
		"Encryption at host must be registered in the subscription (`Microsoft.Compute/EncryptionAtHost`), and the GPU sizes need quota in the region.",
		"The flow log needs the region's Network Watcher (`network_watcher_name`, `network_watcher_resource_group`), which Azure creates with a region's first virtual network unless that is switched off.",
		"The Kubernetes provider reaches the private API server only from inside the environment's network, with `cluster_host`, `base64decode(cluster_ca_certificate)` and an Entra token (`kubelogin get-token --server-id 6dae42f8-4368-4678-94ff-3960e28e3630`).",
		"The cluster's KMS plugin names a version of the secrets key. After Key Vault rotates it, apply again within the 30 days before the old version expires, so that the cluster moves to the new version.",
	} {
		w("- %s\n", line)
	}
	w("\n## What the blueprint does not say yet\n\n")
	w("The module assigns no role and opens no network path beyond what the blueprint and its inputs\n")
	w("name. These gaps of the Azure blueprint are known, and each stops or limits a real deployment\n")
	w("until the blueprint fills it:\n\n")
	for _, line := range azureBlueprintGaps {
		w("- %s\n", line)
	}
	w("\n## Inputs\n\n| Name | Description | Type | Default |\n|---|---|---|---|\n")
	for _, in := range azureInputs {
		w("| `%s` | %s | %s | %s |\n", in.name, in.description, in.typeText, in.defaultText)
	}
	w("\n## Outputs\n\n| Name | Description |\n|---|---|\n")
	for _, o := range azureOutputList {
		d := o.description
		if o.sensitive {
			d += " Sensitive."
		}
		w("| `%s` | %s |\n", o.name, d)
	}
	w("\n%s", azureVersionsReadme())
	w("## Scanner findings kept on purpose\n\n")
	w("`make test` runs tfsec and trivy on this module as generated, then again with the values of\n")
	w("real blueprints (a production environment with a GPU pool, a public entry point and a telemetry\n")
	w("flow, a development environment with a spot pool and human principals, and a shared environment\n")
	w("that admits telemetry), which lets the scanners see inside the rules and settings. Every finding\n")
	w("either scan reports, at any severity, is listed here with the reason it stays, and the tests\n")
	w("fail on any other finding, and on any listed one that no scan reports any more.\n\n")
	if len(azureAccepted) == 0 {
		w("None.\n")
		return []byte(b.String())
	}
	w("| Scanner | Check | Severity | Scan | Why it stays |\n|---|---|---|---|---|\n")
	for _, a := range azureAccepted {
		scan := "module"
		if a.withValues {
			scan = "with values"
		}
		w("| %s | `%s` | %s | %s | %s |\n", a.scanner, a.id, a.severity, scan, a.why)
	}
	return []byte(b.String())
}

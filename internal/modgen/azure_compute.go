package modgen

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// isoDays is format("P%dD", days): a number of days as an ISO 8601 duration.
func isoDays(days expr) expr { return call("format", str("P%dD"), days) }

// keyExpiryGraceDays is how long a key version lives after its rotation is
// due, so that a failed rotation warns (notifyBeforeExpiry) before anything
// stops decrypting.
const (
	keyExpiryGraceDays = 30
	keyNotifyDays      = 14
)

func azureKMS() []byte {
	f := newFile(azureHeader)
	kv := set(f.block(`The environment's key vault: RBAC authorization (no access policies), purge protection, soft
delete for the tier's deletion window, and no public network access unless
var.key_vault_allowed_ip_ranges names the runners that apply the module. Trusted Azure services
(the storage accounts' and disk encryption set's customer-managed keys) reach it through the
firewall; everything else through its private endpoint.`, "resource", "azurerm_key_vault", "this"),
		field{"name", attr(index(bp("keys"), num(0)), "azure", "key_vault")},
		resourceGroupName(),
		azureLocation(),
		field{"tenant_id", ref("data.azurerm_client_config.current.tenant_id")},
		field{"sku_name", str("premium")},
		field{"rbac_authorization_enabled", boolean(true)},
		field{"purge_protection_enabled", boolean(true)},
		field{"soft_delete_retention_days", expand("max", forList("k", bp("keys"), ref("k.deletion_window_days"), nil))},
		field{"public_network_access_enabled", greater(call("length", ref("var.key_vault_allowed_ip_ranges")), num(0))},
		azureTags(),
	)
	nested(kv, "network_acls",
		field{"default_action", str("Deny")},
		field{"bypass", str("AzureServices")},
		field{"ip_rules", ref("var.key_vault_allowed_ip_ranges")},
	)
	k := set(f.block(`One HSM-backed key per purpose. It rotates itself on the tier's period; each version expires
a grace period after its rotation is due, and Key Vault notifies before that. The storage
accounts and the disk encryption set follow the newest version themselves; the cluster's KMS
plugin names a version, which the next apply after a rotation moves to the new one.
Who may use a key is in iam.tf.`, "resource", "azurerm_key_vault_key", "this"),
		field{"for_each", keyed(bp("keys"))},
		field{"name", each("name")},
		field{"key_vault_id", ref("azurerm_key_vault.this.id")},
		field{"key_type", str("RSA-HSM")},
		field{"key_size", num(3072)},
		field{"key_opts", tuple(str("decrypt"), str("encrypt"), str("unwrapKey"), str("wrapKey"))},
		azureTags(),
	)
	rp := nested(k, "rotation_policy",
		field{"expire_after", isoDays(plus(each("rotation_period_days"), num(keyExpiryGraceDays)))},
		field{"notify_before_expiry", str(fmt.Sprintf("P%dD", keyNotifyDays))},
	)
	nested(rp, "automatic", field{"time_after_creation", isoDays(each("rotation_period_days"))})
	k.SetAttributeRaw("depends_on", tuple(ref("azurerm_role_assignment.key_vault_officer")))
	return f.bytes()
}

// storageAccount writes what every storage account of the environment has:
// no shared keys, no public blobs, TLS 1.2, infrastructure encryption,
// a customer-managed key through a user-assigned identity, and a firewall
// that denies by default.
func storageAccount(b *hclwrite.Body, name, identity, key, publicAccess expr) {
	set(b,
		field{"name", name},
		resourceGroupName(),
		azureLocation(),
		field{"account_kind", str("StorageV2")},
		field{"account_tier", str("Standard")},
		field{"account_replication_type", str("ZRS")},
		field{"https_traffic_only_enabled", boolean(true)},
		field{"min_tls_version", str("TLS1_2")},
		field{"shared_access_key_enabled", boolean(false)},
		field{"default_to_oauth_authentication", boolean(true)},
		field{"allow_nested_items_to_be_public", boolean(false)},
		field{"public_network_access_enabled", publicAccess},
		field{"infrastructure_encryption_enabled", boolean(true)},
		field{"cross_tenant_replication_enabled", boolean(false)},
		field{"local_user_enabled", boolean(false)},
		field{"sftp_enabled", boolean(false)},
		field{"allowed_copy_scope", str("PrivateLink")},
		field{"queue_encryption_key_type", str("Account")},
		field{"table_encryption_key_type", str("Account")},
		azureTags(),
	)
	userAssigned(b, identityOf(identity, "id"))
	nested(b, "customer_managed_key",
		field{"key_vault_key_id", keyOf(key, "versionless_id")},
		field{"user_assigned_identity_id", identityOf(identity, "id")},
	)
	nested(b, "network_rules",
		field{"default_action", str("Deny")},
		field{"bypass", call("toset", tuple(str("AzureServices")))},
		field{"ip_rules", tuple()},
		field{"virtual_network_subnet_ids", tuple()},
	)
}

func azureStorage() []byte {
	f := newFile(azureHeader)
	set(f.block("How long a deleted blob or container can be restored: the deletion window of the key that encrypts it.", "locals"),
		field{"deletion_window_days", forMap("k", bp("keys"), ref("k.key"), ref("k.deletion_window_days"), nil)},
	)
	sa := f.block(`A storage account per bucket, named by the blueprint, reached only through its private
endpoint: no public network access, no shared keys (Entra ID only), encrypted with the bucket's
own key through the bucket's identity, which holds its key role before the account exists.
Versioned, with soft delete for the key's deletion window.`, "resource", "azurerm_storage_account", "this")
	set(sa, field{"for_each", keyed(bp("buckets"))})
	storageAccount(sa, each("azure.storage_account"), each("azure.identity"), each("kms_key"), boolean(false))
	blob := nested(sa, "blob_properties", field{"versioning_enabled", boolean(true)})
	nested(blob, "delete_retention_policy", field{"days", index(local("deletion_window_days"), each("kms_key"))})
	nested(blob, "container_delete_retention_policy", field{"days", index(local("deletion_window_days"), each("kms_key"))})
	sa.SetAttributeRaw("depends_on", tuple(ref("azurerm_role_assignment.key")))
	set(f.block("The bucket's container, named after its purpose.", "resource", "azurerm_storage_container", "this"),
		field{"for_each", keyed(bp("buckets"))},
		field{"name", each("purpose")},
		field{"storage_account_id", resourceRef(ref("azurerm_storage_account.this"), eachKey(), "id")},
		field{"container_access_type", str("private")},
	)
	fl := f.block(`The storage account that receives the VNet flow logs, encrypted with the logs key. Network
Watcher writes to it as a trusted Azure service, which a disabled public network access would
shut out too: its public endpoint is open to trusted services only (firewall default Deny, no
address or network allowed). The flow log's retention policy deletes what is older than the
tier's retention.`, "resource", "azurerm_storage_account", "flow_logs")
	storageAccount(fl, bp("monitoring.azure.flow_log_storage"), str(blueprint.RoleStorage), bp("monitoring.kms_key"), boolean(true))
	fl.SetAttributeRaw("depends_on", tuple(ref("azurerm_role_assignment.key")))
	set(f.block(`What holds the environment's data, keys and logs, protected by CanNotDelete locks while
var.deletion_protection is true.`, "locals"),
		field{"protected", call("merge",
			object(
				field{"key_vault", ref("azurerm_key_vault.this.id")},
				field{"flow_logs", ref("azurerm_storage_account.flow_logs.id")},
				field{"logs", ref("azurerm_log_analytics_workspace.this.id")},
			),
			forMapKV("k", "a", ref("azurerm_storage_account.this"), call("format", str("bucket-%s"), ref("k")), ref("a.id"), nil))},
	)
	set(f.block(`Azure refuses to delete what a CanNotDelete lock protects, whoever asks from outside this
configuration (the portal, the CLI, another configuration). Terraform removes the locks itself
before it destroys or replaces what they protect, so set deletion_protection false, apply,
and review the plan before any destroy. The key vault's purge protection holds regardless.`, "resource", "azurerm_management_lock", "this"),
		field{"for_each", forMapKV("k", "id", local("protected"), ref("k"), ref("id"), ref("var.deletion_protection"))},
		field{"name", call("format", str("%s-deletion-protection"), bp("environment"))},
		field{"scope", ref("each.value")},
		field{"lock_level", str("CanNotDelete")},
		field{"notes", call("format", str("Deletion protection of %s (segmented, var.deletion_protection)."), bp("environment"))},
	)
	return f.bytes()
}

// taintEffects is how AKS spells the blueprint's taint effects.
var taintEffects = []field{
	{"NO_SCHEDULE", str("NoSchedule")}, {"NO_EXECUTE", str("NoExecute")}, {"PREFER_NO_SCHEDULE", str("PreferNoSchedule")},
}

// AKS labels and taints spot nodes itself; a pool that does not declare them
// would differ from Azure's on every plan.
const (
	spotLabel = "kubernetes.azure.com/scalesetpriority"
	spotTaint = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"
)

func azureCompute() []byte {
	f := newFile(azureHeader)
	set(f.block(`The private registry the network-isolated cluster bootstraps from: Premium (for private
endpoints and artifact cache), no public network access, no admin user, no anonymous pull, no
export, and no trusted-service bypass: the nodes reach it through its private endpoint only.`, "resource", "azurerm_container_registry", "this"),
		field{"name", bp("cluster.azure.bootstrap_registry")},
		resourceGroupName(),
		azureLocation(),
		field{"sku", str("Premium")},
		field{"admin_enabled", boolean(false)},
		field{"anonymous_pull_enabled", boolean(false)},
		field{"public_network_access_enabled", boolean(false)},
		field{"export_policy_enabled", boolean(false)},
		field{"data_endpoint_enabled", boolean(true)},
		field{"network_rule_bypass_option", str("None")},
		field{"zone_redundancy_enabled", greater(call("length", bp("network.zones")), num(1))},
		azureTags(),
	)
	set(f.block(`The artifact cache rule a network-isolated AKS cluster bootstraps through (artifact source
Cache): the registry pulls Microsoft Container Registry's images on the cluster's behalf into
aks-managed-repository/, under the name AKS looks for.`, "resource", "azurerm_container_registry_cache_rule", "mcr"),
		field{"name", str("aks-managed-mcr")},
		field{"container_registry_id", ref("azurerm_container_registry.this.id")},
		field{"source_repo", str("mcr.microsoft.com/*")},
		field{"target_repo", str("aks-managed-repository/*")},
	)
	des := set(f.block(`The disk encryption set of every node's OS disk: the `+azureDiskKey+` key, followed to its newest version,
through the `+azureDiskIdentity+` identity, which holds its key role first.`, "resource", "azurerm_disk_encryption_set", "this"),
		field{"name", call("format", str("%s-"+azureDiskIdentity), bp("cluster.name"))},
		resourceGroupName(),
		azureLocation(),
		field{"key_vault_key_id", keyOf(str(azureDiskKey), "versionless_id")},
		field{"auto_key_rotation_enabled", boolean(true)},
		field{"encryption_type", str("EncryptionAtRestWithCustomerKey")},
		azureTags(),
	)
	userAssigned(des, identityOf(str(azureDiskIdentity), "id"))
	des.SetAttributeRaw("depends_on", tuple(ref("azurerm_role_assignment.key")))

	zones := call("length", bp("network.zones"))
	c := set(f.block(`The private, network-isolated AKS cluster: a private API server, no local accounts (Entra ID
with Azure RBAC only), workload identity through its OIDC issuer, Azure CNI overlay with Cilium,
no outbound path (the nodes bootstrap from the environment's registry), Kubernetes secrets
encrypted with the secrets key through a private key vault, OS disks encrypted with the disk
encryption set, and the blueprint's identities for the control plane and the kubelet. Node
provisioning is manual: the GPU pools are the blueprint's.`, "resource", "azurerm_kubernetes_cluster", "this"),
		field{"name", bp("cluster.name")},
		resourceGroupName(),
		azureLocation(),
		field{"dns_prefix", bp("cluster.name")},
		field{"kubernetes_version", bp("cluster.kubernetes_version")},
		field{"sku_tier", str("Standard")},
		field{"private_cluster_enabled", boolean(true)},
		field{"private_cluster_public_fqdn_enabled", boolean(false)},
		field{"private_dns_zone_id", str("System")},
		field{"local_account_disabled", boolean(true)},
		field{"role_based_access_control_enabled", boolean(true)},
		field{"oidc_issuer_enabled", boolean(true)},
		field{"workload_identity_enabled", boolean(true)},
		field{"run_command_enabled", boolean(false)},
		field{"disk_encryption_set_id", ref("azurerm_disk_encryption_set.this.id")},
		field{"automatic_upgrade_channel", str("patch")},
		field{"node_os_upgrade_channel", str("NodeImage")},
		azureTags(),
	)
	nested(c, "api_server_access_profile",
		field{"subnet_id", ref("azurerm_subnet.api_server.id")},
		field{"virtual_network_integration_enabled", boolean(true)},
	)
	dnp := nested(c, "default_node_pool",
		field{"name", str("system")},
		field{"temporary_name_for_rotation", str("systemtmp")},
		field{"type", str("VirtualMachineScaleSets")},
		field{"vm_size", ref("var.system_node_vm_size")},
		field{"vnet_subnet_id", subnetOf(bp("cluster.subnet_purpose"))},
		field{"zones", bp("network.zones")},
		field{"orchestrator_version", bp("cluster.kubernetes_version")},
		field{"auto_scaling_enabled", boolean(true)},
		field{"min_count", call("max", num(1), zones)},
		field{"max_count", times(num(2), call("max", num(1), zones))},
		field{"only_critical_addons_enabled", boolean(true)},
		field{"host_encryption_enabled", boolean(true)},
		field{"os_disk_type", str("Managed")},
		field{"node_public_ip_enabled", boolean(false)},
		azureTags(),
	)
	nested(dnp, "upgrade_settings", field{"max_surge", str("10%")})
	userAssigned(c, identityOf(bp("cluster.identity"), "id"))
	nested(c, "kubelet_identity",
		field{"client_id", identityOf(bp("cluster.azure.kubelet_identity"), "client_id")},
		field{"object_id", identityOf(bp("cluster.azure.kubelet_identity"), "principal_id")},
		field{"user_assigned_identity_id", identityOf(bp("cluster.azure.kubelet_identity"), "id")},
	)
	nested(c, "azure_active_directory_role_based_access_control",
		field{"azure_rbac_enabled", boolean(true)},
		field{"tenant_id", ref("data.azurerm_client_config.current.tenant_id")},
	)
	nested(c, "network_profile",
		field{"network_plugin", bp("cluster.azure.network_plugin")},
		field{"network_plugin_mode", str("overlay")},
		field{"network_policy", bp("cluster.azure.network_policy")},
		field{"network_data_plane", cond(equal(bp("cluster.azure.network_policy"), str("cilium")), str("cilium"), str("azure"))},
		field{"pod_cidr", bp("cluster.azure.pod_cidr")},
		field{"service_cidr", bp("cluster.azure.service_cidr")},
		field{"dns_service_ip", bp("cluster.azure.dns_service_ip")},
		field{"outbound_type", bp("cluster.azure.outbound_type")},
		field{"load_balancer_sku", str("standard")},
	)
	nested(c, "bootstrap_profile",
		field{"artifact_source", str("Cache")},
		field{"container_registry_id", ref("azurerm_container_registry.this.id")},
	)
	nested(c, "key_management_service",
		field{"key_vault_key_id", keyOf(bp("cluster.secrets_kms_key"), "id")},
		field{"key_vault_network_access", str("Private")},
	)
	nested(c, "node_provisioning_profile",
		field{"mode", str("Manual")},
		field{"default_node_pools", str("None")},
	)
	c.SetAttributeRaw("depends_on", tuple(
		ref("azurerm_role_assignment.identity"), ref("azurerm_role_assignment.key"), ref("azurerm_role_assignment.key_vault"),
		ref("azurerm_role_assignment.registry"), ref("azurerm_role_assignment.subnet"),
		ref("azurerm_subnet_network_security_group_association.this"), ref("azurerm_private_endpoint.this"),
		ref("azurerm_container_registry_cache_rule.mcr"),
	))

	set(f.block("", "locals"), field{"taint_effects", object(taintEffects...)})
	spot := each("spot")
	np := set(f.block(`GPU node pools, tainted so that only this environment's workloads that tolerate GPUs land
there, autoscaled between the pool's sizes across the environment's zones, with AKS's NVIDIA
driver, encryption at host and managed OS disks encrypted with the disk encryption set. Spot
pools are evicted by deletion at any price up to on-demand, and carry the label and taint AKS
gives spot nodes. Regular pools upgrade one node at a time, needing no spare GPU quota. The
autoscaler owns the node count after creation.`, "resource", "azurerm_kubernetes_cluster_node_pool", "this"),
		field{"for_each", keyed(bp("node_pools"))},
		field{"name", each("azure.name")},
		field{"kubernetes_cluster_id", ref("azurerm_kubernetes_cluster.this.id")},
		field{"mode", str("User")},
		field{"os_type", str("Linux")},
		field{"vm_size", each("machine_type")},
		field{"vnet_subnet_id", subnetOf(each("subnet_purpose"))},
		field{"zones", bp("network.zones")},
		field{"orchestrator_version", bp("cluster.kubernetes_version")},
		field{"auto_scaling_enabled", boolean(true)},
		field{"min_count", each("min_size")},
		field{"max_count", each("max_size")},
		field{"node_count", each("desired_size")},
		field{"priority", each("azure.priority")},
		field{"eviction_policy", cond(spot, str("Delete"), null())},
		field{"spot_max_price", cond(spot, num(-1), null())},
		field{"node_labels", call("merge", each("labels"), cond(spot, object(field{spotLabel, str("spot")}), object()))},
		field{"node_taints", call("concat",
			forList("t", each("taints"), call("format", str("%s=%s:%s"), ref("t.key"), ref("t.value"), index(local("taint_effects"), ref("t.effect"))), nil),
			cond(spot, tuple(str(spotTaint)), tuple()))},
		field{"host_encryption_enabled", each("azure.host_encryption")},
		field{"os_disk_type", each("azure.os_disk_type")},
		field{"os_disk_size_gb", each("disk_gib")},
		field{"gpu_driver", str("Install")},
		field{"node_public_ip_enabled", boolean(false)},
		azureTags(),
	)
	set(dynamicBlock(np, "upgrade_settings", cond(spot, tuple(), tuple(str("1")))),
		field{"max_unavailable", ref("upgrade_settings.value")},
	)
	lc := set(np.AppendNewBlock("lifecycle", nil).Body(), field{"ignore_changes", tuple(ref("node_count"))})
	set(lc.AppendNewBlock("precondition", nil).Body(),
		field{"condition", and(equal(each("identity"), bp("cluster.azure.kubelet_identity")), equal(each("disk_kms_key"), str(azureDiskKey)))},
		field{"error_message", call("format", str("Node pool %s: AKS runs every pool's kubelet as the cluster's kubelet identity and encrypts every OS disk with the cluster's disk encryption set (the "+azureDiskKey+" key); the pool asks for another identity or key."), eachKey())},
	)
	return f.bytes()
}

// nsgLogCategories are the log categories a network security group sends;
// the cluster and the key vault send the category group allLogs.
var nsgLogCategories = []string{"NetworkSecurityGroupEvent", "NetworkSecurityGroupRuleCounter"}

// nsgDiagnosticsPrefix is the prefix of a network security group in
// monitoring.azure.diagnostics_from.
const nsgDiagnosticsPrefix = "nsg:"

// bucketDiagnosticsPrefix is the prefix of a bucket's blob service in
// monitoring.azure.diagnostics_from.
const bucketDiagnosticsPrefix = "bucket:"

func azureMonitoring() []byte {
	f := newFile(azureHeader)
	set(f.block(`The environment's Log Analytics workspace, kept for the tier's retention (Log Analytics keeps
at least 30 days; the blueprint's validation refuses more than 730). Only Entra ID may query
or ingest: no shared keys.`, "resource", "azurerm_log_analytics_workspace", "this"),
		field{"name", bp("monitoring.azure.workspace")},
		resourceGroupName(),
		azureLocation(),
		field{"sku", str("PerGB2018")},
		field{"retention_in_days", call("max", num(30), bp("monitoring.retention_days"))},
		field{"local_authentication_enabled", boolean(false)},
		azureTags(),
	)
	set(f.block(`What sends diagnostic logs to the workspace, by the blueprint's names: the cluster, the key
vault, each bucket's blob service (bucket:{key}) and each network security group
(nsg:{subnet purpose}).`, "locals"),
		field{"diagnostic_targets", call("merge",
			object(
				field{"cluster", ref("azurerm_kubernetes_cluster.this.id")},
				field{blueprint.ScopeKeyVault, ref("azurerm_key_vault.this.id")},
			),
			forMapKV("k", "a", ref("azurerm_storage_account.this"), call("format", str(bucketDiagnosticsPrefix+"%s"), ref("k")),
				call("format", str("%s/blobServices/default"), ref("a.id")), nil),
			forMap("g", bp("network.azure.security_groups"), call("format", str(nsgDiagnosticsPrefix+"%s"), ref("g.subnet_purpose")),
				resourceRef(ref("azurerm_network_security_group.this"), ref("g.key"), "id"), nil))},
	)
	d := set(f.block(`Diagnostic settings: every log of the cluster (its audit logs among them) and of the key
vault, and the events and rule counters of each network security group.`, "resource", "azurerm_monitor_diagnostic_setting", "this"),
		field{"for_each", call("toset", bp("monitoring.azure.diagnostics_from"))},
		field{"name", bp("monitoring.azure.workspace")},
		field{"target_resource_id", index(local("diagnostic_targets"), eachKey())},
		field{"log_analytics_workspace_id", ref("azurerm_log_analytics_workspace.this.id")},
	)
	isNSG := call("startswith", eachKey(), str(nsgDiagnosticsPrefix))
	logs := make([]expr, 0, len(nsgLogCategories))
	for _, c := range nsgLogCategories {
		logs = append(logs, object(field{"category", str(c)}, field{"category_group", null()}))
	}
	set(dynamicBlock(d, "enabled_log", cond(isNSG, tuple(logs...), tuple(object(field{"category", null()}, field{"category_group", str("allLogs")})))),
		field{"category", ref("enabled_log.value.category")},
		field{"category_group", ref("enabled_log.value.category_group")},
	)
	fl := set(f.block(`The VNet flow log (version 2, every flow of the VNet, accepted and denied) into the flow-log
storage account, kept for the tier's retention (Azure counts at most 365 days: a longer
retention keeps the logs until they are deleted), with traffic analytics into the workspace
every ten minutes. Flow logs live beside the region's Network Watcher.`, "resource", "azurerm_network_watcher_flow_log", "this"),
		field{"name", bp("monitoring.azure.flow_log_name")},
		field{"network_watcher_name", call("coalesce", ref("var.network_watcher_name"), call("format", str("NetworkWatcher_%s"), bp("region")))},
		field{"resource_group_name", ref("var.network_watcher_resource_group")},
		azureLocation(),
		field{"target_resource_id", ref("azurerm_virtual_network.this.id")},
		field{"storage_account_id", ref("azurerm_storage_account.flow_logs.id")},
		field{"enabled", boolean(true)},
		field{"version", num(2)},
		azureTags(),
	)
	nested(fl, "retention_policy",
		field{"enabled", boolean(true)},
		field{"days", cond(lessOrEqual(bp("monitoring.retention_days"), num(365)), bp("monitoring.retention_days"), num(0))},
	)
	nested(fl, "traffic_analytics",
		field{"enabled", boolean(true)},
		field{"workspace_id", ref("azurerm_log_analytics_workspace.this.workspace_id")},
		field{"workspace_region", ref("azurerm_log_analytics_workspace.this.location")},
		field{"workspace_resource_id", ref("azurerm_log_analytics_workspace.this.id")},
		field{"interval_in_minutes", num(10)},
	)
	set(f.block(`An activity log alert takes one operation: each alarm becomes one alert per operation name,
keyed {alarm}/{operation}.`, "locals"),
		field{"activity_log_alerts", forMap("e", call("flatten", forList("a", bp("monitoring.alarms"),
			forList("op", ref("a.azure.operation_names"), call("merge", ref("a"), object(field{"operation", ref("op")})), nil),
			notEqual(ref("a.azure"), null()))),
			call("format", str("%s/%s"), ref("e.key"), ref("e.operation")), ref("e"), nil)},
	)
	al := set(f.block(`Alerts on the environment's resource group: every write or delete of the alarm's operations
fires, which is the blueprint's threshold of one.`, "resource", "azurerm_monitor_activity_log_alert", "this"),
		field{"for_each", local("activity_log_alerts")},
		field{"name", call("format", str("%s-%s"), each("name"), call("replace", each("operation"), str("/"), str("-")))},
		resourceGroupName(),
		field{"location", str("global")},
		field{"scopes", tuple(ref("azurerm_resource_group.this.id"))},
		field{"description", each("description")},
		field{"enabled", boolean(true)},
		azureTags(),
	)
	nested(al, "criteria",
		field{"category", str("Administrative")},
		field{"operation_name", each("operation")},
	)
	set(dynamicBlock(al, "action", ref("var.action_group_ids")), field{"action_group_id", ref("action.value")})
	set(al.AppendNewBlock("lifecycle", nil).Body().AppendNewBlock("precondition", nil).Body(),
		field{"condition", equal(each("threshold"), num(1))},
		field{"error_message", call("format", str("Alarm %s has threshold %d; an activity log alert fires on every event, so the module takes a threshold of 1 only."), each("key"), each("threshold"))},
	)
	return f.bytes()
}

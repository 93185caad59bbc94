package modgen

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// seconds is format("%ds", days * 86400): a number of days as a duration.
func seconds(days expr) expr {
	return call("format", str("%ds"), times(days, num(86400)))
}

func gcpKMS() []byte {
	f := newFile(gcpHeader)
	set(f.block("The environment's key ring, in its region. Cloud KMS never deletes a key ring: destroy only forgets it.", "resource", "google_kms_key_ring", "this"),
		project(),
		field{"name", attr(index(bp("keys"), num(0)), "gcp", "key_ring")},
		field{"location", bp("region")},
		field{"depends_on", tuple(ref("google_project_service.this"))},
	)
	set(f.block(`One key per purpose, rotated on the tier's period. A destroyed key's versions wait for the
tier's deletion window before they are gone. Who may use a key is in iam.tf.`, "resource", "google_kms_crypto_key", "this"),
		field{"for_each", keyed(bp("keys"))},
		field{"name", each("name")},
		field{"key_ring", ref("google_kms_key_ring.this.id")},
		field{"purpose", str("ENCRYPT_DECRYPT")},
		field{"rotation_period", seconds(each("rotation_period_days"))},
		field{"destroy_scheduled_duration", seconds(each("deletion_window_days"))},
		field{"labels", labels()},
	)
	return f.bytes()
}

func gcpStorage() []byte {
	f := newFile(gcpHeader)
	b := set(f.block(`Data and model buckets: uniform access (IAM only, no ACLs), public access prevented, versioned,
encrypted with their own key. The storage agent holds the key's role before the bucket exists.`, "resource", "google_storage_bucket", "this"),
		field{"for_each", keyed(bp("buckets"))},
		project(),
		field{"name", each("name")},
		field{"location", call("upper", bp("region"))},
		field{"uniform_bucket_level_access", boolean(true)},
		field{"public_access_prevention", str("enforced")},
		field{"force_destroy", boolean(false)},
		field{"labels", labels()},
	)
	nested(b, "versioning", field{"enabled", boolean(true)})
	nested(b, "encryption", field{"default_kms_key_name", cryptoKey(each("kms_key"))})
	b.SetAttributeRaw("depends_on", tuple(ref("google_kms_crypto_key_iam_member.this")))
	return f.bytes()
}

// nodeConfig writes what every node of the environment runs with: its
// service account, Workload Identity's metadata server, no legacy metadata
// endpoints, Shielded VM, and a boot disk encrypted with the key (when
// diskKey is not nil).
func nodeConfig(nc *hclwrite.Body, identity, diskKey, secureBoot, integrity, workloadMetadata expr) {
	set(nc,
		field{"service_account", serviceAccount(identity, "email")},
		field{"oauth_scopes", tuple(str("https://www.googleapis.com/auth/cloud-platform"))},
	)
	if diskKey != nil {
		set(nc, field{"boot_disk_kms_key", cryptoKey(diskKey)})
	}
	set(nc,
		field{"image_type", str("COS_CONTAINERD")},
		field{"metadata", object(field{"disable-legacy-endpoints", str("true")})},
		field{"resource_labels", labels()},
	)
	nested(nc, "shielded_instance_config",
		field{"enable_secure_boot", secureBoot},
		field{"enable_integrity_monitoring", integrity},
	)
	nested(nc, "workload_metadata_config", field{"mode", workloadMetadata})
}

// secondaryRangeName is the name of a secondary range of the network, by key.
func secondaryRangeName(key expr) expr {
	return call("one", forList("r", bp("network.gcp.secondary_ranges"), ref("r.name"), equal(ref("r.key"), key)))
}

func gcpCompute() []byte {
	f := newFile(gcpHeader)
	set(f.block("The subnet of the cluster's nodes: the one of the cluster's subnet purpose.", "locals"),
		field{"cluster_subnet", call("one", forList("s", bp("network.subnets"), ref("s.key"), equal(ref("s.purpose"), bp("cluster.subnet_purpose"))))},
	)
	c := set(f.block(`The private, regional GKE cluster: private nodes and a private endpoint that only the
environment's own range reaches, Dataplane V2, Workload Identity, Kubernetes secrets encrypted
with the environment's key, Shielded nodes. The release channel chooses the Kubernetes version.
GKE makes a default node pool to create a cluster; it is removed at once, and runs meanwhile as
the nodes' identity rather than the project's default service account.`, "resource", "google_container_cluster", "this"),
		project(),
		field{"name", bp("cluster.name")},
		field{"location", bp("region")},
		field{"node_locations", bp("cluster.gcp.node_locations")},
		field{"network", ref("google_compute_network.this.id")},
		field{"subnetwork", resourceRef(ref("google_compute_subnetwork.this"), local("cluster_subnet"), "id")},
		field{"networking_mode", str("VPC_NATIVE")},
		field{"datapath_provider", bp("cluster.gcp.datapath_provider")},
		field{"default_max_pods_per_node", bp("cluster.gcp.max_pods_per_node")},
		field{"remove_default_node_pool", boolean(true)},
		field{"initial_node_count", num(1)},
		field{"enable_shielded_nodes", boolean(true)},
		field{"enable_legacy_abac", boolean(false)},
		field{"deletion_protection", ref("var.deletion_protection")},
		field{"resource_labels", labels()},
	)
	nested(c, "private_cluster_config",
		field{"enable_private_nodes", boolean(true)},
		field{"enable_private_endpoint", boolean(true)},
		field{"master_ipv4_cidr_block", bp("cluster.gcp.control_plane_cidr")},
	)
	man := nested(c, "master_authorized_networks_config", field{"gcp_public_cidrs_access_enabled", boolean(false)})
	set(dynamicBlock(man, "cidr_blocks", bp("cluster.gcp.authorized_cidrs")),
		field{"cidr_block", ref("cidr_blocks.value")},
		field{"display_name", call("format", str("%s-%s"), bp("network.name"), call("replace", ref("cidr_blocks.value"), str("/"), str("-")))},
	)
	nested(c, "ip_allocation_policy",
		field{"cluster_secondary_range_name", secondaryRangeName(bp("cluster.gcp.pods_range"))},
		field{"services_secondary_range_name", secondaryRangeName(bp("cluster.gcp.services_range"))},
	)
	nested(c, "workload_identity_config", field{"workload_pool", bp("cluster.gcp.workload_pool")})
	nested(c, "release_channel", field{"channel", bp("cluster.gcp.release_channel")})
	nested(c, "database_encryption",
		field{"state", str("ENCRYPTED")},
		field{"key_name", cryptoKey(bp("cluster.secrets_kms_key"))},
	)
	nested(c, "logging_config", field{"enable_components", bp("cluster.gcp.logging_components")})
	nested(nested(c, "master_auth"), "client_certificate_config", field{"issue_client_certificate", boolean(false)})
	nodeConfig(c.AppendNewBlock("node_config", nil).Body(), bp("cluster.identity"), nil,
		boolean(true), boolean(true), str("GKE_METADATA"))
	set(c.AppendNewBlock("lifecycle", nil).Body(), field{"ignore_changes", tuple(ref("node_config"))})
	c.SetAttributeRaw("depends_on", tuple(ref("google_kms_crypto_key_iam_member.this"), ref("google_project_iam_member.this")))

	np := set(f.block(`GPU node pools, tainted so that only this environment's workloads that tolerate GPUs land
there. The blueprint's sizes are totals over the pool's zones, and the autoscaler keeps the pool
between them. GKE counts the initial size per zone: the desired size shared over the zones,
rounded up, but never more than the maximum allows in every zone.`, "resource", "google_container_node_pool", "this"),
		field{"for_each", keyed(bp("node_pools"))},
		project(),
		field{"name", each("name")},
		field{"cluster", ref("google_container_cluster.this.id")},
		field{"location", bp("region")},
		field{"node_locations", bp("cluster.gcp.node_locations")},
		field{"initial_node_count", call("min",
			call("ceil", over(each("desired_size"), call("length", bp("cluster.gcp.node_locations")))),
			call("floor", over(each("max_size"), call("length", bp("cluster.gcp.node_locations")))))},
		field{"max_pods_per_node", bp("cluster.gcp.max_pods_per_node")},
	)
	nested(np, "autoscaling",
		field{"total_min_node_count", each("min_size")},
		field{"total_max_node_count", each("max_size")},
	)
	nested(np, "management", field{"auto_repair", boolean(true)}, field{"auto_upgrade", boolean(true)})
	nc := set(np.AppendNewBlock("node_config", nil).Body(),
		field{"machine_type", each("machine_type")},
		field{"spot", each("spot")},
		field{"disk_size_gb", each("disk_gib")},
		field{"disk_type", each("gcp.disk_type")},
		field{"labels", each("labels")},
	)
	nodeConfig(nc, each("identity"), each("disk_kms_key"), each("gcp.secure_boot"), each("gcp.integrity_monitoring"), each("gcp.workload_metadata"))
	set(dynamicBlock(nc, "taint", each("taints")),
		field{"key", ref("taint.value.key")},
		field{"value", ref("taint.value.value")},
		field{"effect", ref("taint.value.effect")},
	)
	ga := nested(nc, "guest_accelerator",
		field{"type", each("gcp.accelerator_type")},
		field{"count", each("gcp.accelerator_count")},
	)
	nested(ga, "gpu_driver_installation_config", field{"gpu_driver_version", each("gcp.gpu_driver_version")})
	np.SetAttributeRaw("depends_on", tuple(ref("google_kms_crypto_key_iam_member.this"), ref("google_project_iam_member.this")))
	return f.bytes()
}

// metricType is the Cloud Monitoring type of an alarm's log-based metric.
func metricType() expr {
	return call("format", str("metric.type=\"logging.googleapis.com/user/%s\""),
		resourceRef(ref("google_logging_metric.this"), eachKey(), "name"))
}

func gcpMonitoring() []byte {
	f := newFile(gcpHeader)
	lb := set(f.block("The environment's log bucket, in its region, encrypted with the logs key, kept for the tier's retention.", "resource", "google_logging_project_bucket_config", "this"),
		project(),
		field{"location", bp("region")},
		field{"bucket_id", bp("monitoring.gcp.log_bucket")},
		field{"description", call("format", str("Flow, firewall and audit logs of %s."), bp("environment"))},
		field{"retention_days", bp("monitoring.retention_days")},
	)
	nested(lb, "cmek_settings", field{"kms_key_name", cryptoKey(bp("monitoring.kms_key"))})
	lb.SetAttributeRaw("depends_on", tuple(ref("google_kms_crypto_key_iam_member.this")))
	set(f.block("Routes the project's VPC flow logs, firewall logs and audit logs into the bucket.", "resource", "google_logging_project_sink", "this"),
		project(),
		field{"name", bp("monitoring.gcp.sink_name")},
		field{"destination", call("format", str("logging.googleapis.com/projects/%s/locations/%s/buckets/%s"),
			bp("account_id"), bp("region"), ref("google_logging_project_bucket_config.this.bucket_id"))},
		field{"filter", bp("monitoring.gcp.sink_filter")},
		field{"unique_writer_identity", boolean(true)},
	)
	alarms := keyedIf(bp("monitoring.alarms"), notEqual(ref("x.gcp"), null()))
	md := set(f.block("Alarms: a log-based metric counts the entries, and an alert policy watches the count.", "resource", "google_logging_metric", "this"),
		field{"for_each", alarms},
		project(),
		field{"name", each("gcp.metric_name")},
		field{"description", each("description")},
		field{"filter", each("gcp.filter")},
	)
	nested(md, "metric_descriptor",
		field{"metric_kind", str("DELTA")},
		field{"value_type", str("INT64")},
		field{"unit", str("1")},
		field{"display_name", each("name")},
	)
	md.SetAttributeRaw("depends_on", tuple(ref("google_project_service.this")))
	ap := set(f.block(`An alert when the count over five minutes reaches the blueprint's threshold. A threshold
condition compares only with "greater than" (or "less than"), and counts are whole numbers, so
the policy fires above one less than the threshold.`, "resource", "google_monitoring_alert_policy", "this"),
		field{"for_each", alarms},
		project(),
		field{"display_name", each("name")},
		field{"combiner", str("OR")},
		field{"enabled", boolean(true)},
		field{"notification_channels", ref("var.notification_channels")},
		field{"user_labels", labels()},
	)
	ct := nested(nested(ap, "conditions", field{"display_name", each("name")}), "condition_threshold",
		field{"filter", metricType()},
		field{"comparison", str("COMPARISON_GT")},
		field{"threshold_value", minus(each("threshold"), num(1))},
		field{"duration", str("0s")},
	)
	nested(ct, "aggregations",
		field{"alignment_period", str("300s")},
		field{"per_series_aligner", str("ALIGN_SUM")},
		field{"cross_series_reducer", str("REDUCE_SUM")},
	)
	nested(ct, "trigger", field{"count", num(1)})
	nested(ap, "documentation", field{"content", each("description")}, field{"mime_type", str("text/markdown")})
	return f.bytes()
}

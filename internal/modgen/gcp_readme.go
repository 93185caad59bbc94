package modgen

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// gcpOutputList is the module's outputs, shared by outputs.tf and README.md.
var gcpOutputList = []struct {
	name, description string
	sensitive         bool
	value             func() expr
}{
	{name: "network_id", description: "ID of the environment's VPC network.", value: func() expr { return ref("google_compute_network.this.id") }},
	{name: "network_name", description: "Name of the environment's VPC network.", value: func() expr { return ref("google_compute_network.this.name") }},
	{name: "subnet_ids", description: "Subnet IDs by blueprint key.", value: func() expr { return idsOf("google_compute_subnetwork.this", "id") }},
	{name: "service_account_emails", description: "Service account emails by identity key, including the boundary's identities.", value: func() expr { return idsOf("google_service_account.this", "email") }},
	{name: "kms_key_ids", description: "Cloud KMS crypto key IDs by purpose.", value: func() expr { return idsOf("google_kms_crypto_key.this", "id") }},
	{name: "bucket_names", description: "Cloud Storage bucket names by purpose.", value: func() expr { return idsOf("google_storage_bucket.this", "name") }},
	{name: "cluster_name", description: "Name of the GKE cluster.", value: func() expr { return ref("google_container_cluster.this.name") }},
	{name: "cluster_id", description: "ID of the GKE cluster.", value: func() expr { return ref("google_container_cluster.this.id") }},
	{name: "cluster_location", description: "Region of the GKE cluster.", value: func() expr { return ref("google_container_cluster.this.location") }},
	{name: "cluster_endpoint", description: "Private IP address of the cluster's control plane, reachable only from the environment's own range.", value: func() expr {
		return attr(index(ref("google_container_cluster.this.private_cluster_config"), num(0)), "private_endpoint")
	}},
	{name: "cluster_host", description: "The control plane's URL, for the Kubernetes provider's `host` (with `cluster_ca_certificate` and a token of `google_client_config`).", value: func() expr {
		return call("format", str("https://%s"), attr(index(ref("google_container_cluster.this.private_cluster_config"), num(0)), "private_endpoint"))
	}},
	{name: "cluster_ca_certificate", description: "The cluster's CA certificate, base64-encoded: `base64decode()` it for the Kubernetes provider.", sensitive: true, value: func() expr {
		return attr(index(ref("google_container_cluster.this.master_auth"), num(0)), "cluster_ca_certificate")
	}},
	{name: "node_pool_ids", description: "GKE node pool IDs by pool key.", value: func() expr { return idsOf("google_container_node_pool.this", "id") }},
	{name: "workload_identity_pool_names", description: "Full names of the workload identity pools by pool ID.", value: func() expr { return idsOf("google_iam_workload_identity_pool.this", "name") }},
	{name: "workload_identity_provider_names", description: "For each identity the CI acts as, by key, the full name of its pool's OIDC provider: the `workload_identity_provider` the CI authenticates with before it impersonates the identity.", value: func() expr {
		return forMapKV("k", "f", local("federated"), ref("k"),
			resourceRef(ref("google_iam_workload_identity_pool_provider.this"), providerKey(ref("f")), "name"), nil)
	}},
	{name: "log_bucket_id", description: "ID of the log bucket that holds the flow, firewall and audit logs.", value: func() expr { return ref("google_logging_project_bucket_config.this.id") }},
	{name: "registry_grants", description: "Role bindings the boundary asks this environment to add to its Artifact Registry repositories (artifact-pull flows). The module creates no registry, so grant them where the repositories live.", value: func() expr {
		return forList("g", boundaryList("resource_grants"),
			call("merge", ref("g.gcp"), object(field{"member", call("replace", ref("g.gcp.member"), str(projectNumberPlaceholder), ref("var.project_number"))})),
			cond(equal(ref("g.gcp"), null()), boolean(false), equal(ref("g.kind"), str(blueprint.GrantRegistry))))
	}},
}

func gcpOutputs() []byte {
	f := newFile(gcpHeader)
	for _, o := range gcpOutputList {
		b := set(f.block("", "output", o.name), field{"description", str(o.description)}, field{"value", o.value()})
		if o.sensitive {
			b.SetAttributeRaw("sensitive", boolean(true))
		}
	}
	return f.bytes()
}

// gcpAccepted is what real tfsec and trivy runs on the module report and
// the module keeps, with the reason. The scanner tests fail on anything not
// listed here, and on anything listed that no scan reports any more.
var gcpAccepted = []acceptedFinding{
	{
		scanner: "tfsec", id: "google-gke-enforce-pod-security-policy", severity: "HIGH",
		why: "PodSecurityPolicy no longer exists: Kubernetes removed it in 1.25 and GKE with it, and hashicorp/google 8.x has no `pod_security_policy_config`. Pod Security admission, which replaced it, is configured per namespace inside the cluster, not on the cluster resource.",
	},
	{
		scanner: "tfsec", id: "google-gke-enable-network-policy", severity: "MEDIUM",
		why: "The cluster runs Dataplane V2 (`datapath_provider = ADVANCED_DATAPATH`), which enforces Kubernetes network policies itself; GKE refuses the `network_policy` add-on (Calico) on such a cluster. tfsec 1.x does not know Dataplane V2.",
	},
	{
		scanner: "trivy", id: "GCP-0056", severity: "MEDIUM",
		why: "The same check as tfsec's google-gke-enable-network-policy. trivy accepts Dataplane V2, and passes once it sees the blueprint's `datapath_provider`; only the module on its own, where the value is a variable, fails it.",
	},
	{
		scanner: "tfsec", id: "google-gke-use-cluster-labels", severity: "LOW",
		why: "The cluster's `resource_labels` are the blueprint's tags, which the module on its own does not know; with a blueprint's values the check passes.",
	},
	{
		scanner: "tfsec", id: "google-gke-metadata-endpoints-disabled", severity: "HIGH", withValues: true,
		why: "The node pools set `disable-legacy-endpoints = \"true\"` in `node_config.metadata` (and GKE has disabled the legacy endpoints by default since 1.12). tfsec 1.x reads `metadata` only as a nested block, which the google provider does not accept (it is a map attribute), so it never sees the setting; trivy's check of the same thing (GCP-0048) passes.",
	},
	{
		scanner: "tfsec", id: "google-kms-rotate-kms-keys", severity: "HIGH", withValues: true,
		why: "The keys rotate on the tier's period, which SEG301 bounds at plan time: at most 90 days in production, 180 in shared and 365 in development and staging. The check wants 90 days for every key; production keys pass it, and the development sample's keys (365 days) do not.",
	},
	{
		scanner: "trivy", id: "GCP-0065", severity: "HIGH", withValues: true,
		why: "The same check as tfsec's google-kms-rotate-kms-keys, for the same reason.",
	},
	{
		scanner: "trivy", id: "GCP-0077", severity: "MEDIUM", withValues: true,
		why: "Access to the data and model buckets is meant to be recorded by Cloud Audit Logs' Data Access logs for Cloud Storage, which the organization turns on (and pays for) across projects; usage logs, a legacy feature, would need a further bucket per environment.",
	},
}

func gcpReadme() []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("<!-- Generated by terraform-provider-segmented (generate module --cloud gcp). Do not edit. -->\n\n")
	w("# gcp-ml-environment\n\n")
	w("Builds one isolated ML environment in its own Google Cloud project from the `blueprint` that the\n")
	w("`segmented` provider's `segmented_ml_environment` computes at plan time, plus the `boundary` that\n")
	w("`segmented_ml_topology` computes for it. Every resource is created with `for_each` keyed by the\n")
	w("blueprint's stable keys, in the project `blueprint.account_id` and the region `blueprint.region`,\n")
	w("and labelled with the environment's tags.\n\n")
	w("```hcl\nmodule \"prod\" {\n  source         = \"./modules/gcp-ml-environment\"\n")
	w("  providers      = { google = google.prod }\n")
	w("  blueprint      = segmented_ml_environment.prod.blueprint\n")
	w("  boundary       = segmented_ml_topology.main.boundaries[\"prod\"]\n")
	w("  project_number = \"123456789012\"\n")
	w("  impersonators  = { auditor = [\"group:ml-auditors@example.com\"] }\n}\n```\n\n")
	w("## What it creates\n\n")
	for _, line := range []string{
		"project.tf: the APIs the environment uses (unless `enable_services` is false; never disabled on destroy), and reads of the Cloud Storage and Cloud Logging service agents, which makes Google create them",
		"network.tf: the VPC network (no automatic subnets, no default routes), regional subnets per purpose with Private Google Access, flow logs and the workload subnet's pods and services ranges, the blueprint's routes (the Google APIs' virtual IPs; health checks and a default route only with declared entry points), and private DNS zones that send the Google API domains to the virtual IPs",
		"firewall.tf: the VPC firewall rules of the blueprint and the boundary (layer `vpc_firewall`), each targeting its identities' service accounts (every instance when it has none), with its peer as source or destination ranges or as a source service account; the explicit lowest-priority denies are logged",
		"iam.tf: a service account per identity (the boundary's too, where they have a Google Cloud part), every role binding of the blueprint on the project (with its condition), a bucket, a key or a service account, with `{project_number}` filled in; the boundary's grants on buckets and keys; a workload identity pool and OIDC provider for the identities the CI acts as (the deployer and the boundary's promoters share one); `roles/iam.serviceAccountTokenCreator` on the human identities for `impersonators`",
		"kms.tf: the key ring and one key per purpose with the tier's rotation period and deletion window",
		"storage.tf: data and model buckets: uniform access, public access prevented, versioned, encrypted with their own key",
		"compute.tf: a private regional GKE cluster (private nodes and endpoint, authorized networks, Dataplane V2, Workload Identity, secrets encrypted with the environment's key, Shielded nodes, control-plane logs, no client certificate; the release channel chooses the version) and GPU node pools (accelerators with the driver GKE installs, taints, labels, Shielded VM, Workload Identity's metadata server, boot disks encrypted with the data key, autoscaling between the pool's totals)",
		"monitoring.tf: the log bucket (the tier's retention, the logs key) and the sink that fills it, and per alarm a log-based metric and an alert policy",
	} {
		name, what, _ := strings.Cut(line, ": ")
		w("- `%s`: %s.\n", name, what)
	}
	w("\n## Inputs\n\n| Name | Description | Type | Default |\n|---|---|---|---|\n")
	for _, in := range gcpInputs {
		w("| `%s` | %s | %s | %s |\n", in.name, in.description, in.typeText, in.defaultText)
	}
	w("\n## Outputs\n\n| Name | Description |\n|---|---|\n")
	for _, o := range gcpOutputList {
		d := o.description
		if o.sensitive {
			d += " Sensitive."
		}
		w("| `%s` | %s |\n", o.name, d)
	}
	w("\n%s", gcpVersionsReadme())
	w("## Scanner findings kept on purpose\n\n")
	w("`make test` runs tfsec and trivy on this module as generated, then again with the values of\n")
	w("real blueprints (a production environment with a public entry point and a telemetry flow, and a\n")
	w("development environment with a boundary that has Google Cloud grants), which lets the scanners\n")
	w("see inside the rules and settings. Every finding either scan reports, at any severity, is\n")
	w("listed here with the reason it stays, and the tests fail on any other finding, and on any\n")
	w("listed one that no scan reports any more.\n\n")
	if len(gcpAccepted) == 0 {
		w("None.\n")
		return []byte(b.String())
	}
	w("| Scanner | Check | Severity | Scan | Why it stays |\n|---|---|---|---|---|\n")
	for _, a := range gcpAccepted {
		scan := "module"
		if a.withValues {
			scan = "with values"
		}
		w("| %s | `%s` | %s | %s | %s |\n", a.scanner, a.id, a.severity, scan, a.why)
	}
	return []byte(b.String())
}

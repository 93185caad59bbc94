package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
)

// ruleTable is the one table of rules. Docs, the `rules` subcommand and the
// provider's diagnostics are all generated from it.
var ruleTable = slices.Concat(environmentRules, topologyRules, auditRules)

// environmentRules check one environment.
var environmentRules = withExamples([]Rule{
	{
		ID: "SEG101", Severity: Error, CWE: 668, Scope: ScopeEnvironment, Waivable: true,
		Title:            "cidr is not a private range",
		Rationale:        "An environment on a publicly routable range can be reached, or can reach, outside its boundary: training data and model endpoints become part of the internet's address space.",
		Remediation:      "set cidr to a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) or 100.64.0.0/10 (RFC 6598).",
		checkEnvironment: checkPrivateCIDR,
		Inputs:           []string{"cidr"},
	},
	{
		ID: "SEG102", Severity: Error, CWE: 400, Scope: ScopeEnvironment,
		Title:            "cidr is too small for the subnets",
		Rationale:        "GPU nodes and their pods take addresses from the workload subnets. An undersized range stalls scale-out mid-training, and teams then 'fix' it by sharing a neighbour's network.",
		Remediation:      "give cidr a shorter prefix (a /16 is the AWS maximum), use fewer availability_zones, or lower gpu_node_pools[*].max_size.",
		checkEnvironment: checkCIDRCapacity,
		Inputs:           []string{"cidr", "availability_zones", "gpu_node_pools[*].max_size"},
	},
	{
		ID: "SEG103", Severity: Error, CWE: 668, Scope: ScopeEnvironment, Waivable: true,
		Title:            "ingress from a public range to an administrative port",
		Rationale:        "Entry points exist for inference and APIs. SSH, RDP, WinRM, the Kubernetes API, the kubelet or etcd open to the internet hand the GPU fleet and its credentials to anyone who scans for them. Private source ranges pass, in production too: a corporate VPN or a partner's private link is a legitimate client. An entry point that admits another environment's range is a path between environments, which segmented_ml_topology refuses (SEG608).",
		Remediation:      "remove the ingress entry, or restrict ingress[*].from_cidrs to private ranges; reach nodes through SSM or a private bastion instead.",
		checkEnvironment: checkAdminIngress,
		Inputs:           []string{"ingress[*].port", "ingress[*].from_cidrs"},
	},
	{
		ID: "SEG104", Severity: Error, CWE: 1284, Scope: ScopeEnvironment,
		Title:            "cidr is outside the cloud's network sizes",
		Rationale:        "A cloud builds networks of a bounded size only: an AWS VPC takes a /16 to a /28. A larger range cannot be built as one network, and a blueprint written for it would let its network ACLs admit the whole range, neighbouring environments included, ahead of the rules that deny other environments. The prefix length is a quantity the input specifies, checked against the cloud's bounds (CWE-1284); no waiver can make such a network exist.",
		Remediation:      "set cidr to a range the cloud accepts: for AWS, a prefix from /16 (the largest VPC) to /28, such as a /16 inside 10.0.0.0/8.",
		checkEnvironment: checkNetworkSize,
		Inputs:           []string{"cidr", "cloud"},
	},
	{
		ID: "SEG201", Severity: Error, CWE: 272, Scope: ScopeEnvironment, Waivable: true,
		Title:            "human write access in production",
		Rationale:        "A person who can write production models or data can bypass promotion: a tampered model reaches users without review.",
		Remediation:      "set human_access to \"none\" or \"read\" in production; changes reach production through a model-promotion flow and the deployer role.",
		checkEnvironment: checkHumanWrite,
		Inputs:           []string{"tier", "human_access"},
	},
	{
		ID: "SEG202", Severity: Error, CWE: 272, Scope: ScopeEnvironment, Waivable: true,
		Title:            "CI subject has a wildcard or is not pinned to the environment",
		Rationale:        "The deployer role trusts exactly one CI identity. A wildcard, a subject that names the environment only as its repository, or one whose environment, workspace or branch is another's, lets any branch, pull request or pipeline deploy models here.",
		Remediation:      "set ci_subject to one exact subject, in the format of its issuer (ci_oidc_provider), whose environment-bearing claim names this environment: \"repo:OWNER/REPO:environment:<name>\" for GitHub Actions, \"project_path:GROUP/PROJECT:ref_type:branch:ref:<name>\" for GitLab, \"organization:ORG:project:PROJECT:workspace:<name>:run_phase:apply\" for HCP Terraform; the rules reference lists every accepted format.",
		checkEnvironment: checkCISubject,
		Inputs:           []string{"name", "ci_subject", "ci_oidc_provider"},
	},
	{
		ID: "SEG203", Severity: Error, CWE: 1284, Scope: ScopeEnvironment,
		Title:            "a generated name is longer than the cloud allows",
		Rationale:        "Every generated name is \"{organization}-{environment}-{purpose}\" (without dashes where the cloud takes none), and some clouds bound its length: " + nameLimits() + ". A name the cloud refuses fails the apply halfway, after the network and the keys exist.",
		Remediation:      "shorten the environment's name or the provider's organization so that every generated name fits, and on Google Cloud the name of an entry point in ingress whose firewall rule name (\"{prefix}-fw-ingress-entry-{name}\", at most 63 characters) does not.",
		checkEnvironment: checkIdentityNames,
		Inputs:           []string{"name", "organization", "cloud", "ingress"},
	},
	{
		ID: "SEG301", Severity: Error, CWE: 324, Scope: ScopeEnvironment, Waivable: true,
		Title:            "key rotation is longer than the tier allows",
		Rationale:        "Keys protect training data and model weights. The longer a key lives, the more data one leaked key exposes.",
		Remediation:      "lower key_rotation_days to the tier's maximum or less, or leave it unset for the tier default.",
		checkEnvironment: checkKeyRotation,
		Inputs:           []string{"tier", "key_rotation_days"},
	},
	{
		ID: "SEG302", Severity: Error, CWE: 693, Scope: ScopeEnvironment, Waivable: true,
		Title:     "key deletion window is below the tier minimum",
		Rationale: "Deleting a KMS key makes every dataset and model encrypted under it unreadable. The deletion window is the time left to notice a mistake or an attack.",
		Remediation: "raise key_deletion_window_days to the tier's minimum or more, within what the cloud's key service allows (" +
			cloud.Each(func(f cloud.Facts) string { return f.KeyDeletion.String() }) + "), or leave it unset for the tier default.",
		checkEnvironment: checkKeyDeletionWindow,
		Inputs:           []string{"tier", "key_deletion_window_days"},
	},
	{
		ID: "SEG401", Severity: Error, CWE: 20, Scope: ScopeEnvironment,
		Title:            "instance type is not a GPU type of the cloud",
		Rationale:        "A pool of the wrong type silently runs GPU workloads on CPU nodes, or fails at apply after the network and keys exist.",
		Remediation:      "set gpu_node_pools[*].instance_type to a GPU type of the cloud (run `terraform-provider-segmented rules` for the catalog, or see the provider docs).",
		checkEnvironment: checkInstanceType,
		Inputs:           []string{"cloud", "gpu_node_pools[*].instance_type"},
	},
	{
		ID: "SEG402", Severity: Error, CWE: 1284, Scope: ScopeEnvironment,
		Title:     "node pool size is inverted or out of bounds",
		Rationale: "An inverted or oversized pool fails at apply, or scales a GPU bill beyond any budget the team reviewed.",
		Remediation: "keep 0 <= gpu_node_pools[*].min_size <= max_size, and max_size between 1 and the limit of the cloud's node pools (" +
			cloud.Each(func(f cloud.Facts) string { return fmt.Sprintf("%d for %s", f.MaxPoolSize, f.PoolService) }) + ").",
		checkEnvironment: checkPoolSize,
		Inputs:           []string{"gpu_node_pools[*].min_size", "gpu_node_pools[*].max_size"},
	},
	{
		ID: "SEG403", Severity: Warning, CWE: 400, Scope: ScopeEnvironment, Waivable: true,
		Title:            "spot capacity for production inference",
		Rationale:        "Spot capacity is reclaimed at two minutes' notice. Production inference on spot drops user traffic whenever the market moves.",
		Remediation:      "set gpu_node_pools[*].spot = false for production inference pools, or waive SEG403 with the reason the service tolerates interruption.",
		checkEnvironment: checkSpotInference,
		Inputs:           []string{"tier", "gpu_node_pools[*].spot", "gpu_node_pools[*].purpose"},
	},
	{
		ID: "SEG404", Severity: Error, CWE: 694, Scope: ScopeEnvironment,
		Title:            "duplicate node pool name",
		Rationale:        "Pools are keyed by name in the generated module; two pools with one name collapse into one, and capacity silently disappears.",
		Remediation:      "give every entry of gpu_node_pools a unique name.",
		checkEnvironment: checkPoolNames,
		Inputs:           []string{"gpu_node_pools[*].name"},
	},
	{
		ID: "SEG501", Severity: Error, CWE: 778, Scope: ScopeEnvironment, Waivable: true,
		Title:            "log retention is below the tier minimum",
		Rationale:        "Flow and audit logs are how an exfiltration of training data or a tampered model is traced. Production keeps them at least a year.",
		Remediation:      "raise log_retention_days to the tier's minimum or more (production: 365), or leave it unset for the tier default.",
		checkEnvironment: checkLogRetention,
		Inputs:           []string{"tier", "log_retention_days"},
	},
	{
		ID: "SEG801", Severity: Error, CWE: 250, Scope: ScopeEnvironment, Waivable: true, AlsoAudited: true,
		Title:            "a workload namespace is not at Pod Security restricted",
		Rationale:        "A namespace below restricted admits pods that run as root, add capabilities or, at privileged, mount the host: one compromised notebook or model server then owns the GPU node, and with it every other namespace's pods, their service account tokens and the node's cloud identity. Only the GPU device plugin needs a host path, and it runs alone in its own system namespace, whose exception the blueprint records.",
		Remediation:      "leave namespaces[*].pod_security out (restricted), or set it to \"restricted\"; make the workload's pods run as non-root with a seccomp profile, no privilege escalation and every capability dropped.",
		checkEnvironment: checkPodSecurity,
		Inputs:           []string{"namespaces[*].purpose", "namespaces[*].pod_security"},
	},
	{
		ID: "SEG803", Severity: Error, CWE: 272, Scope: ScopeEnvironment, Waivable: true, AlsoAudited: true,
		Title:            "people may write in a production namespace",
		Rationale:        "A person bound to a role that creates or changes pods in production can deploy an unreviewed model or read production data through a pod of their own, around the CI's reviewed deploys. In the cluster, SEG201's write access becomes the workload-editor role in every production namespace.",
		Remediation:      "set human_access to \"read\" or \"none\" in production (the default is none), and deploy through the CI's deployer, which is bound only in the workload namespaces.",
		checkEnvironment: checkHumanWriterInProduction,
		Inputs:           []string{"tier", "human_access", "namespaces[*].purpose"},
	},
	{
		ID: "SEG804", Severity: Error, CWE: 400, Scope: ScopeEnvironment, Waivable: true,
		Title:            "a GPU quota is larger than the pools can serve",
		Rationale:        "A quota is the promise a namespace plans its jobs by. Above what the GPU pools of its purpose serve at their maximum size, the quota admits jobs that wait for GPUs forever, and it hides the capacity a team really has.",
		Remediation:      "lower namespaces[*].gpu_quota to at most the GPUs its purpose's pools serve (gpu_count x max_size, summed), leave it out for exactly that, or raise those pools' max_size.",
		checkEnvironment: checkGPUQuota,
		Inputs:           []string{"cloud", "namespaces[*].purpose", "namespaces[*].gpu_quota", "gpu_node_pools[*].instance_type", "gpu_node_pools[*].accelerator", "gpu_node_pools[*].accelerator_count", "gpu_node_pools[*].max_size", "gpu_node_pools[*].purpose"},
	},
})

// topologyRules look across environments: what no single environment's
// check can see.
var topologyRules = withExamples([]Rule{
	{
		ID: "SEG601", Severity: Error, CWE: 653, Scope: ScopeTopology,
		Title:         "CIDR overlap between environments",
		Rationale:     "Overlapping ranges make firewall rules ambiguous: a rule meant for a development range also admits production addresses, and peering or transit between them becomes impossible to reason about.",
		Remediation:   "give each environment of the group named in the message a distinct cidr (or set cidr on the environments whose ranges were allocated into the same block).",
		checkTopology: checkCIDROverlap,
		Inputs:        []string{"environments[*].cidr"},
	},
	{
		ID: "SEG602", Severity: Error, CWE: 653, Scope: ScopeTopology,
		Title:         "flow not allowed by the tier policy",
		Rationale:     "Models move up through review (development -> staging -> production); production data never moves down; shared services deploy and serve artefacts. Any other flow is a path for tampered models or leaked data.",
		Remediation:   "remove the flow from flows, or change its purpose to one the tier policy allows between those tiers (see the tier-policy matrix in the docs).",
		checkTopology: checkFlowPolicy,
		Inputs:        []string{"environments[*].name", "environments[*].tier", "flows[*].from", "flows[*].to", "flows[*].purpose"},
	},
	{
		ID: "SEG603", Severity: Error, CWE: 20, Scope: ScopeTopology,
		Title:         "flow names an unknown environment",
		Rationale:     "A flow to an environment the topology does not hold cannot be checked, and a typo would silently grant nothing, or the wrong thing.",
		Remediation:   "set flows[*].from and flows[*].to to the names of environments listed in environments.",
		checkTopology: checkFlowEnds,
		Inputs:        []string{"environments[*].name", "flows[*].from", "flows[*].to"},
	},
	{
		ID: "SEG604", Severity: Error, CWE: 653, Scope: ScopeTopology,
		Title:         "production shares an account with non-production",
		Rationale:     "An account is the strongest boundary a cloud offers. Sharing it means one set of administrators, quotas and service-linked roles spans production and the environments where experiments run.",
		Remediation:   "give production environments their own account_id (AWS account, GCP project or Azure subscription).",
		checkTopology: checkSharedAccount,
		Inputs:        []string{"environments[*].name", "environments[*].tier", "environments[*].cloud", "environments[*].account_id"},
	},
	{
		ID: "SEG605", Severity: Error, CWE: 694, Scope: ScopeTopology,
		Title:         "duplicate environment name",
		Rationale:     "Environments are keyed by name in boundaries, diagrams and generated names; two with one name merge their grants.",
		Remediation:   "give every environment in environments a unique name.",
		checkTopology: checkDuplicateNames,
		Inputs:        []string{"environments[*].name"},
	},
	{
		ID: "SEG606", Severity: Error, CWE: 272, Scope: ScopeTopology,
		Title:         "one principal or CI subject in two environments",
		Rationale:     "One CI identity that can deploy everywhere is one stolen token away from production. The roles the topology creates count too: a model promotion's promoter role (`{organization}-{target}-promoter--{source}`) that is already a principal of an environment would serve both.",
		Remediation:   "give each environment its own ci_subject (for example one GitHub environment per environment) and its own roles; a promoter role named in an environment's principals belongs to the flow that creates it, so remove it from those principals.",
		checkTopology: checkIdentity,
		Inputs:        []string{"environments[*].name", "environments[*].organization", "environments[*].tier", "environments[*].cloud", "environments[*].region", "environments[*].account_id", "environments[*].ci_subject", "environments[*].principals", "flows[*].from", "flows[*].to", "flows[*].purpose"},
	},
	{
		ID: "SEG607", Severity: Error, CWE: 668, Scope: ScopeTopology,
		Title:         "production content transitively reaches a lower tier",
		Rationale:     "Each flow may look harmless, but a chain that carries the same content from production down to development leaks production data as surely as a direct flow.",
		Remediation:   "break the chain: remove or retarget one of the flows named in the message, so no content can pass from production to development or staging.",
		checkTopology: checkProductionChains,
		Inputs:        []string{"environments[*].name", "environments[*].tier", "flows[*].from", "flows[*].to", "flows[*].purpose"},
	},
	{
		ID: "SEG608", Severity: Error, CWE: 653, Scope: ScopeTopology,
		Title:         "an entry point admits another environment's range",
		Rationale:     "Entry points are for clients outside the topology: users, partners, a corporate VPN. The network ACLs admit them ahead of the rules that deny other environments, so an entry point whose source range overlaps another environment's cidr opens a path between the two that no declared flow allows, say from development into production. Only a declared flow that the tier policy allows and that enters over the network on that port justifies it: telemetry (ports 4317-4318) or deploy (port 443). Model promotions and artefact pulls open no connection into the receiving environment, whose own roles read the source, so they justify none.",
		Remediation:   "set the entry point's ingress[*].from_cidrs (shown in the summary's entry_cidrs) to ranges outside every other environment's cidr, or remove the entry point; traffic between environments goes through a declared flow, whose boundary opens exactly the ports it needs.",
		checkTopology: checkEntryFromEnvironment,
		Inputs:        []string{"environments[*].name", "environments[*].tier", "environments[*].cidr", "environments[*].entry_cidrs", "flows[*].from", "flows[*].to", "flows[*].purpose"},
	},
	{
		ID: "SEG609", Severity: Error, CWE: 694, Scope: ScopeTopology,
		Title:         "two environments generate the same names",
		Rationale:     "Every generated name starts with `{organization}-{environment}`, and S3 bucket names are unique across all accounts. Organization `acme` with environment `ml-prod` and organization `acme-ml` with environment `prod` would both own the buckets `acme-ml-prod-data` and `acme-ml-prod-models` and the cluster `acme-ml-prod`: whichever applies second fails, or, worse, writes into the other's bucket. Distinct prefixes never share a generated name, so an equal prefix is exactly the collision.",
		Remediation:   "rename one of the environments (its name), or give one provider configuration another organization, so that no two environments share `{organization}-{environment}`.",
		checkTopology: checkNameCollision,
		Inputs:        []string{"environments[*].name", "environments[*].organization"},
	},
	{
		ID: "SEG805", Severity: Error, CWE: 923, Scope: ScopeTopology,
		Title:         "a declared flow has no namespace to carry its network policy",
		Rationale:     "Inside the cluster every namespace denies all traffic by default, and a declared flow is allowed only by the network policies its boundary adds: egress from the namespaces that send it, ingress into the namespace that receives it. A flow whose side has no such namespace opens the cloud firewall but nothing in the cluster, so it fails at run time, or tempts someone into an allow-all policy.",
		Remediation:   "declare the namespace the flow needs in that environment's namespaces: a telemetry namespace in the environment that receives telemetry, a pipelines namespace in the environment whose CI deploys; or remove the flow.",
		checkTopology: checkFlowPolicies,
		Inputs:        []string{"environments[*].name", "environments[*].tier", "environments[*].namespaces", "flows[*].from", "flows[*].to", "flows[*].purpose"},
	},
})

// nameLimits describes every supported cloud's bounded names.
func nameLimits() string {
	return cloud.Each(func(f cloud.Facts) string {
		var parts []string
		for _, l := range f.NameLimits {
			parts = append(parts, fmt.Sprintf("a %s has at most %d characters (\"{prefix}-%s\")", l.Kind, l.MaxLength, l.Purpose))
		}
		return strings.Join(parts, ", ")
	})
}

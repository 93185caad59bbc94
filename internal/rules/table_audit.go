package rules

// auditRules are checked by the audit command over the resources of any
// plan (internal/audit); they compare the environments on either side of a
// rule, a link, a grant or a key. Each can be waived for the resources an
// address pattern matches, by a waiver block of the environments file.
var auditRules = withExamples([]Rule{
	{
		ID: "SEG701", Severity: Error, CWE: 923, Scope: ScopeAudit, Waivable: true,
		Title:       "a firewall rule admits another environment's range or group",
		Rationale:   "A security group, network ACL, firewall or NSG rule that lets one environment's range or group in (or out) joins the two networks at the layer that enforces isolation: a compromised development notebook can then reach production's model servers or its training data.",
		Remediation: "narrow the rule's peer ranges and groups to its own environment, or declare the flow (segmented_ml_topology flows, or flows in the environments file) if the tier policy allows it; a declared flow admits exactly its ports.",
	},
	{
		ID: "SEG702", Severity: Error, CWE: 653, Scope: ScopeAudit, Waivable: true,
		Title:       "a network path joins two environments",
		Rationale:   "A peering, two attachments on one transit gateway or hub, or a route towards another environment's range makes every firewall rule the last line between them; one permissive rule later and the environments share a network.",
		Remediation: "remove the peering, attachment or route; where a declared flow needs the network (telemetry, deploy, artifact-pull), declare it so that the path is expected.",
	},
	{
		ID: "SEG703", Severity: Error, CWE: 284, Scope: ScopeAudit, Waivable: true,
		Title:       "an identity trusts or is granted to another environment",
		Rationale:   "A role that another environment's account or role may assume, or a role binding for another environment's identity, hands that environment this one's permissions: staging's CI becomes production's deployer.",
		Remediation: "name only this environment's accounts and roles in trust policies and bindings, or declare the flow that needs it (deploy from shared).",
	},
	{
		ID: "SEG704", Severity: Error, CWE: 668, Scope: ScopeAudit, Waivable: true,
		Title:       "a key policy or grant names another environment",
		Rationale:   "A key that another environment's principals may use decrypts this environment's data for them, whatever the storage policies say.",
		Remediation: "name only this environment's principals in the key policy and its grants; a declared model-promotion or artifact-pull flow allows the receiving environment to decrypt.",
	},
	{
		ID: "SEG705", Severity: Error, CWE: 653, Scope: ScopeAudit, Waivable: true,
		Title:       "one key encrypts resources of two environments",
		Rationale:   "A key shared by two environments lets whoever may decrypt one environment's data decrypt the other's, and rotating or disabling it touches both.",
		Remediation: "give each environment its own key and point kms_key_id (or the key attribute of the resource) at it.",
	},
	{
		ID: "SEG706", Severity: Error, CWE: 668, Scope: ScopeAudit, Waivable: true,
		Title:       "a storage policy grants another environment",
		Rationale:   "A bucket policy or bucket IAM binding that names another environment's principals lets that environment read or overwrite training data and models: production's data leaks downward, or a lower tier plants a model.",
		Remediation: "name only this environment's principals, or declare the model-promotion or artifact-pull flow that the tier policy allows.",
	},
	{
		ID: "SEG707", Severity: Error, CWE: 653, Scope: ScopeAudit, Waivable: true,
		Title:       "the networks of two environments overlap",
		Rationale:   "Overlapping ranges make address-based rules ambiguous: a rule meant for one environment's range also admits the other's, and the two can never be peered or routed apart cleanly.",
		Remediation: "give each environment's networks a range of its own (segmented_ml_environment allocates them from the provider's address_space).",
	},
	{
		ID: "SEG708", Severity: Warning, CWE: 1059, Scope: ScopeAudit, Waivable: true,
		Title:       "a resource could not be attributed to an environment",
		Rationale:   "The audit can only compare environments it can tell apart; a resource with no environment is a blind spot, never a clean result.",
		Remediation: "tag the resource (segmented:environment, environment or env), or declare its account, project, subscription, range or name pattern in the environments file (--environments).",
	},
	{
		ID: "SEG709", Severity: Warning, CWE: 693, Scope: ScopeAudit, Waivable: true,
		Title:       "a check could not run: a value is unknown at plan time",
		Rationale:   "A value that is only known after apply and that no reference in the configuration explains could cross environments; it is reported rather than assumed safe.",
		Remediation: "reference the resource itself (aws_iam_role.x.arn rather than a value computed elsewhere), or audit the state after apply (terraform show -json with no plan).",
	},
	{
		ID: "SEG802", Severity: Error, CWE: 272, Scope: ScopeAudit, Waivable: true,
		Title:       "a Kubernetes role grants a wildcard",
		Rationale:   "A role or cluster role with \"*\" in its API groups, resources or verbs grants what exists today and whatever is added tomorrow: secrets, service accounts bound to cloud identities, RBAC itself. A wildcard role in one namespace is a way into every other.",
		Remediation: "list the API groups, resources and verbs the subject needs (get, list and watch to read; create, update, patch and delete only where it deploys); segmented_ml_environment's roles are a starting point.",
	},
	{
		ID: "SEG806", Severity: Error, CWE: 923, Scope: ScopeAudit, Waivable: true,
		Title:       "a network policy admits another environment",
		Rationale:   "A network policy whose peer is another environment's range, or a namespace labelled with another environment, opens a path between environments inside the cluster network, whatever the cloud firewall says; an empty peer list or an egress rule without peers admits everyone.",
		Remediation: "name only the environment's own namespaces and ranges as peers, and give every ingress and egress rule explicit peers; declare the flow (telemetry, deploy) in the topology so that its boundary adds the one policy it needs.",
	},
})

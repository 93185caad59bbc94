package k8s

import "slices"

// ReadVerbs are the verbs that only read; any other verb writes.
var ReadVerbs = []string{"get", "list", "watch"}

// Resources the workload roles name, by API group. No role names a
// wildcard, secrets, service accounts or RBAC objects: a workload role that
// could mint a service account bound to a cloud identity, or bind itself a
// role, would be a way out of its namespace.
var (
	coreRead     = RoleRule{APIGroups: []string{""}, Resources: []string{"configmaps", "events", "pods", "pods/log", "services"}, Verbs: ReadVerbs}
	appsRead     = RoleRule{APIGroups: []string{"apps"}, Resources: []string{"deployments", "replicasets", "statefulsets"}, Verbs: ReadVerbs}
	batchRead    = RoleRule{APIGroups: []string{"batch"}, Resources: []string{"cronjobs", "jobs"}, Verbs: ReadVerbs}
	coreWrite    = RoleRule{APIGroups: []string{""}, Resources: []string{"configmaps", "pods", "services"}, Verbs: []string{"create", "delete", "patch", "update"}}
	appsWrite    = RoleRule{APIGroups: []string{"apps"}, Resources: []string{"deployments", "statefulsets"}, Verbs: []string{"create", "delete", "patch", "update"}}
	batchWrite   = RoleRule{APIGroups: []string{"batch"}, Resources: []string{"cronjobs", "jobs"}, Verbs: []string{"create", "delete", "patch", "update"}}
	auditorExtra = []RoleRule{
		{APIGroups: []string{""}, Resources: []string{"limitranges", "resourcequotas", "serviceaccounts"}, Verbs: ReadVerbs},
		{APIGroups: []string{"networking.k8s.io"}, Resources: []string{"networkpolicies"}, Verbs: ReadVerbs},
		{APIGroups: []string{"rbac.authorization.k8s.io"}, Resources: []string{"rolebindings", "roles"}, Verbs: ReadVerbs},
	}
)

// roles are the layer's roles: a viewer and an editor for people (bound
// by tier), the deployer in every workload namespace, and the auditor in
// every namespace. A role with no namespace is left out.
func roles(workload, all []string) []Role {
	read := []RoleRule{coreRead, appsRead, batchRead}
	write := []RoleRule{coreWrite, appsWrite, batchWrite}
	out := []Role{
		role(RoleViewer, "People who may look at the namespace's workloads and their logs (staging).", workload, read),
		role(RoleEditor, "People who may run and change workloads in the namespace (development).", workload, slices.Concat(read, write)),
		role(RoleDeployer, "The CI's deployer: rolls out workloads into the namespace.", workload, slices.Concat(read, write)),
		role(RoleAuditor, "Auditors: read-only, including the namespace's policies, quotas and bindings.", all, slices.Concat(read, auditorExtra)),
	}
	return slices.DeleteFunc(out, func(r Role) bool { return len(r.Namespaces) == 0 })
}

func role(name, description string, namespaces []string, rules []RoleRule) Role {
	return Role{Key: name, Name: name, Namespaces: slices.Sorted(slices.Values(namespaces)), Description: description, Rules: rules}
}

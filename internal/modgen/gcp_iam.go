package modgen

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// orEmptyList is c == null ? [] : then, for a list in a nullable part.
func orEmptyList(c, then expr) expr { return cond(equal(c, null()), tuple(), then) }

// bindingsOf is the bindings of the scope among the flattened bindings.
func bindingsOf(scope string) expr {
	return forMap("b", local("iam_bindings"), ref("b.key"), ref("b"), equal(ref("b.scope"), str(scope)))
}

// binding writes one kind of IAM member resource: role, member (with the
// project number filled in) and an optional condition.
func binding(f *file, comment, typ string, scope string, target field, dependsOn ...expr) {
	b := set(f.block(comment, "resource", typ, "this"),
		field{"for_each", bindingsOf(scope)},
		target,
		field{"role", each("role")},
		field{"member", withProjectNumber(each("member"))},
	)
	iamCondition(b)
	if len(dependsOn) > 0 {
		b.SetAttributeRaw("depends_on", tuple(dependsOn...))
	}
}

// iamCondition appends the binding's condition, when it has one.
func iamCondition(b *hclwrite.Body) {
	set(dynamicBlock(b, "condition", onlyIf(notEqual(each("condition"), null()), each("condition"))),
		field{"title", ref("condition.value.title")},
		field{"expression", ref("condition.value.expression")},
	)
}

func gcpIAM() []byte {
	f := newFile(gcpHeader)
	ids, idGCP := ref("i"), ref("i.gcp")
	set(f.block(`The environment's identities, and the boundary's that have a Google Cloud part, as service
accounts. Every binding of the blueprint (of identities, of keys, and the boundary's grants on
buckets and keys) is flattened into one list, with the identity it belongs to (null for a
key's or a grant's); each scope's resource is keyed by the bindings' stable keys.`, "locals"),
		field{"identities", call("concat", bp("identities"),
			forList("i", boundaryList("identities"), ids, notEqual(idGCP, null())))},
		field{"identity_bindings", call("flatten", forList("i", local("identities"),
			forList("b", orEmptyList(idGCP, ref("i.gcp.bindings")), call("merge", ref("b"), object(field{"identity", ref("i.key")})), nil), nil))},
		field{"key_bindings", forList("b", call("flatten", forList("k", bp("keys"), orEmptyList(ref("k.gcp"), ref("k.gcp.bindings")), nil)),
			call("merge", ref("b"), object(field{"identity", null()})), nil)},
		field{"grant_bindings", forList("g", boundaryList("resource_grants"),
			call("merge", ref("g.gcp"), object(field{"key", call("format", str("grant-%s"), ref("g.key"))}, field{"scope", ref("g.kind")}, field{"resource", ref("g.target")}, field{"identity", null()})),
			cond(equal(ref("g.gcp"), null()), boolean(false), notEqual(ref("g.kind"), str(blueprint.GrantRegistry))))},
		field{"bucket_names", forMap("b", bp("buckets"), ref("b.key"), ref("b.name"), nil)},
		field{"iam_bindings", call("concat", local("identity_bindings"), local("key_bindings"), local("grant_bindings"))},
		field{"impersonations", forMap("p", call("flatten", forListKV("k", "members", ref("var.impersonators"),
			forList("m", ref("members"), object(field{"identity", ref("k")}, field{"member", ref("m")}), nil), nil)),
			call("format", str("%s/%s"), ref("p.identity"), ref("p.member")), ref("p"), nil)},
	)
	set(f.block("One service account per identity. None has a key: workloads reach theirs through Workload Identity, the CI through federation, people by impersonation.", "resource", "google_service_account", "this"),
		field{"for_each", keyed(local("identities"))},
		project(),
		field{"account_id", each("name")},
		field{"display_name", each("name")},
		field{"description", each("purpose")},
		field{"depends_on", tuple(ref("google_project_service.this"))},
	)
	binding(f, "Roles on the environment's project, each narrowed by a condition where the blueprint has one. No primitive role.",
		"google_project_iam_member", blueprint.ScopeProject, project(), ref("google_service_account.this"))
	binding(f, `Roles on the environment's buckets: the identities' own, and the boundary's grants. The
bucket is named from the blueprint, so that the plan shows it, once it exists.`,
		"google_storage_bucket_iam_member", blueprint.ScopeBucket,
		field{"bucket", index(local("bucket_names"), each("resource"))}, ref("google_service_account.this"), ref("google_storage_bucket.this"))
	binding(f, `Who may use each key: only the service agents that encrypt for the environment, and the
boundary's grants. The agents exist once their APIs are on and the data sources have read them.`,
		"google_kms_crypto_key_iam_member", blueprint.ScopeKey,
		field{"crypto_key_id", cryptoKey(each("resource"))},
		ref("google_service_account.this"), ref("data.google_storage_project_service_account.this"), ref("data.google_logging_project_cmek_settings.this"))
	binding(f, `Who may act as an identity: Kubernetes service accounts through Workload Identity (the
cluster's pool exists with the cluster) and the CI subject through federation.`,
		"google_service_account_iam_member", blueprint.ScopeServiceAccount,
		field{"service_account_id", serviceAccount(each("identity"), "name")},
		ref("google_container_cluster.this"), ref("google_iam_workload_identity_pool_provider.this"))
	set(f.block("People reach the human identities only by impersonation, granted to the members named in var.impersonators.", "resource", "google_service_account_iam_member", "impersonation"),
		field{"for_each", local("impersonations")},
		field{"service_account_id", serviceAccount(each("identity"), "name")},
		field{"role", str("roles/iam.serviceAccountTokenCreator")},
		field{"member", each("member")},
	)
	set(f.block(`Workload identity federation: the identities the CI acts as, by key, and their pools and
OIDC providers. Several identities share the environment's pool and provider (the deployer
and the boundary's promoters), so these are keyed by pool ID and by pool/provider.`, "locals"),
		field{"federated", forMap("i", local("identities"), ref("i.key"), ref("i.gcp.federation"),
			cond(equal(idGCP, null()), boolean(false), notEqual(ref("i.gcp.federation"), null())))},
		field{"workload_identity_pools", forMapKV("k", "f", local("federated"), ref("f.pool"), grouped(ref("f")), nil)},
		field{"workload_identity_providers", forMapKV("k", "f", local("federated"), providerKey(ref("f")), grouped(ref("f")), nil)},
	)
	set(f.block("", "resource", "google_iam_workload_identity_pool", "this"),
		field{"for_each", local("workload_identity_pools")},
		project(),
		field{"workload_identity_pool_id", eachKey()},
		field{"display_name", eachKey()},
		field{"description", call("format", str("The CI of %s."), bp("environment"))},
		field{"depends_on", tuple(ref("google_project_service.this"))},
	)
	first := func(name string) expr { return attr(index(ref("each.value"), num(0)), name) }
	p := set(f.block(`The pool's OIDC provider admits only tokens whose subject is the environment's CI subject;
the identities that share it must agree on its issuer and condition.`, "resource", "google_iam_workload_identity_pool_provider", "this"),
		field{"for_each", local("workload_identity_providers")},
		project(),
		field{"workload_identity_pool_id", resourceRef(ref("google_iam_workload_identity_pool.this"), first("pool"), "workload_identity_pool_id")},
		field{"workload_identity_pool_provider_id", first("provider")},
		field{"display_name", first("provider")},
		field{"attribute_mapping", object(field{"google.subject", str("assertion.sub")})},
		field{"attribute_condition", first("attribute_condition")},
	)
	nested(p, "oidc", field{"issuer_uri", first("issuer")})
	set(p.AppendNewBlock("lifecycle", nil).Body().AppendNewBlock("precondition", nil).Body(),
		field{"condition", equal(call("length", call("distinct", ref("each.value"))), num(1))},
		field{"error_message", call("format", str("The identities that share the workload identity provider %s disagree on its issuer or attribute condition."), eachKey())},
	)
	return f.bytes()
}

// grouped is e... : the value of a grouping for expression.
func grouped(e expr) expr { return join(e, expr{token(hclsyntax.TokenEllipsis, "...")}) }

// providerKey is the key of a workload identity provider: pool/provider.
func providerKey(f expr) expr {
	return call("format", str("%s/%s"), attr(f, "pool"), attr(f, "provider"))
}

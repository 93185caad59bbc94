package blueprint

import (
	"fmt"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Binding scopes: what a Google Cloud role is granted on.
const (
	ScopeProject        = "project"
	ScopeBucket         = "bucket"
	ScopeKey            = "key"
	ScopeServiceAccount = "service_account"
)

// Predefined roles. No primitive role (owner, editor, viewer) is ever
// granted.
const (
	roleObjectViewer     = "roles/storage.objectViewer"
	roleObjectCreator    = "roles/storage.objectCreator"
	roleKeyUser          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
	roleWorkloadIdentity = "roles/iam.workloadIdentityUser"
	roleClusterViewer    = "roles/container.clusterViewer"
	roleDefaultNode      = "roles/container.defaultNodeServiceAccount"
	roleRegistryReader   = "roles/artifactregistry.reader"
	roleLogViewer        = "roles/logging.viewer"
	roleNetworkViewer    = "roles/compute.networkViewer"
	roleKMSViewer        = "roles/cloudkms.viewer"
)

// binder collects the bindings of one identity.
type binder struct {
	identity string
	member   string
	out      []RoleBinding
}

// on grants role to the identity on one of the environment's buckets or
// keys, or on its project.
func (b *binder) on(scope, resource, role string) *binder {
	k := fmt.Sprintf("%s-%s-%s", b.identity, scope, shortRole(role))
	var res *string
	if resource != "" {
		res = ptr(resource)
		k = fmt.Sprintf("%s-%s-%s-%s", b.identity, scope, resource, shortRole(role))
	}
	b.out = append(b.out, RoleBinding{Key: k, Role: role, Scope: scope, Resource: res, Member: b.member})
	return b
}

// actAs lets member act as the identity: a Kubernetes service account or
// the CI subject, through workload identity. It ends a chain of grants.
func (b *binder) actAs(name, member string) {
	b.out = append(b.out, RoleBinding{
		Key:  fmt.Sprintf("%s-%s-%s", b.identity, ScopeServiceAccount, name),
		Role: roleWorkloadIdentity, Scope: ScopeServiceAccount, Member: member,
	})
}

// shortRole is a role's last part with dashes, for keys:
// roles/storage.objectViewer -> storage-objectViewer.
func shortRole(role string) string { return key(role[len("roles/"):]) }

func (b *binder) readBuckets(buckets ...string) *binder {
	for _, bk := range buckets {
		b.on(ScopeBucket, bk, roleObjectViewer)
	}
	return b
}

func (b *binder) writeBuckets(buckets ...string) *binder {
	for _, bk := range buckets {
		b.on(ScopeBucket, bk, roleObjectViewer).on(ScopeBucket, bk, roleObjectCreator)
	}
	return b
}

// identities are the environment's service accounts. Each holds roles on
// the environment's own project and resources only; people reach the human
// ones by impersonation, granted in the module to named members.
func (g gcp) identities() []Identity {
	env := g.env
	id := func(purpose, description string, human bool, grant func(b *binder)) Identity {
		b := &binder{identity: purpose, member: g.member(purpose)}
		grant(b)
		sortByKey(b.out, func(x RoleBinding) string { return x.Key })
		return Identity{
			Key: purpose, Name: g.name(purpose), Purpose: description, Human: human,
			Principal: cloud.GCP.Principal(cloud.IdentityOf(env, purpose)),
			GCP:       &GCPIdentity{Bindings: b.out},
		}
	}
	ids := []Identity{
		id(RoleTraining, "Training jobs: read training data, write models.", false, func(b *binder) {
			b.readBuckets(BucketData).writeBuckets(BucketModels).actAs("kubernetes", g.kubernetesMember(RoleTraining, RoleTraining))
		}),
		id(RoleInference, "Inference services: read models.", false, func(b *binder) {
			b.readBuckets(BucketModels).actAs("kubernetes", g.kubernetesMember(RoleInference, RoleInference))
		}),
		id(RoleAuditor, "Auditors: read-only access to logs, key settings, the network and the cluster.", true, func(b *binder) {
			b.on(ScopeProject, "", roleLogViewer).on(ScopeProject, "", roleNetworkViewer).
				on(ScopeProject, "", roleClusterViewer).on(ScopeProject, "", roleKMSViewer)
			// Key settings of the environment's key ring only.
			b.out[len(b.out)-1].Condition = &RoleCondition{
				Title:      "key-ring-of-" + env.Name,
				Expression: fmt.Sprintf("resource.name.startsWith(%q)", g.keyRingName()+"/"),
			}
		}),
		id(RoleNode, "GPU nodes: write logs and metrics, pull images.", false, func(b *binder) {
			b.on(ScopeProject, "", roleDefaultNode).on(ScopeProject, "", roleRegistryReader)
		}),
	}
	if env.CISubject != "" {
		ids = append(ids, id(RoleDeployer, "CI deploys models and workloads; usable only by ci_subject.", false, func(b *binder) {
			b.on(ScopeProject, "", roleClusterViewer).writeBuckets(BucketModels).actAs("ci", g.ciMember())
		}))
		ids[len(ids)-1].GCP.Federation = g.federation()
	}
	switch env.HumanAccess {
	case segment.WriteAccess:
		ids = append(ids, id(RoleDataScientist, "Data scientists: read and write data and models.", true, func(b *binder) {
			b.writeBuckets(BucketData, BucketModels)
		}))
	case segment.ReadAccess:
		ids = append(ids, id(RoleDataScientist, "Data scientists: read data and models.", true, func(b *binder) {
			b.readBuckets(BucketData, BucketModels)
		}))
	}
	sortByKey(ids, func(r Identity) string { return r.Key })
	return ids
}

// federation trusts the CI's OIDC issuer for exactly one subject.
func (g gcp) federation() *GCPFederation {
	return &GCPFederation{
		Pool:               g.ciPool(),
		Provider:           "ci-oidc", // provider IDs have 4 to 32 characters
		Issuer:             "https://" + g.env.CIOIDCProvider,
		AttributeCondition: fmt.Sprintf("assertion.sub == %q", g.env.CISubject),
	}
}

// keyRingName is the key ring's full resource name.
func (g gcp) keyRingName() string {
	return fmt.Sprintf("projects/%s/locations/%s/keyRings/%s", g.env.AccountID, g.env.Region, g.env.Prefix())
}

// keys are the environment's Cloud KMS keys, one per purpose in one key
// ring. Only the service agents that encrypt on the environment's behalf may
// use them: Cloud Storage (data and models buckets), Compute Engine (the
// nodes' boot disks), GKE (Kubernetes secrets) and Cloud Logging (the log
// bucket). The service accounts read and write through those services and
// hold no key role.
func (g gcp) keys() []Key {
	users := map[string][]string{
		KeyData:    {computeAgent, storageAgent},
		KeyModels:  {storageAgent},
		KeyLogs:    {loggingAgent},
		KeySecrets: {gkeAgent},
	}
	out := make([]Key, 0, len(KeyPurposes()))
	for _, purpose := range KeyPurposes() {
		k := &GCPKey{KeyRing: g.env.Prefix()}
		for _, agent := range users[purpose] {
			k.Bindings = append(k.Bindings, RoleBinding{
				Key: fmt.Sprintf("key-%s-%s", purpose, agent), Role: roleKeyUser, Scope: ScopeKey, Resource: ptr(purpose), Member: serviceAgent(agent),
			})
		}
		out = append(out, Key{
			Key: purpose, Name: g.name(purpose), Purpose: purpose,
			Description:        fmt.Sprintf("Encrypts the %s of %s.", keyDescriptions[purpose], g.env.Prefix()),
			RotationPeriodDays: g.env.KeyRotationDays,
			DeletionWindowDays: g.env.KeyDeletionWindowDays,
			GCP:                k,
		})
	}
	return out
}

// buckets are the data and models buckets, each encrypted with the key of
// its purpose; the module enforces uniform access, public access prevention
// and versioning on every one.
func (g gcp) buckets() []Bucket {
	out := make([]Bucket, 0, 2)
	for _, p := range []string{BucketData, BucketModels} {
		out = append(out, Bucket{Key: p, Name: g.name(p), Purpose: p, KMSKey: p})
	}
	return out
}

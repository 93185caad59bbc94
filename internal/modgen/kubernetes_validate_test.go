package modgen

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// KubernetesSchemaVersion is the hashicorp/kubernetes release whose real
// schema (extracted from a build of its code, internal/schemaprovider/
// testdata) the module is validated against.
const KubernetesSchemaVersion = "3.2.1"

func kubernetesModuleDir() string { return filepath.Join(repoRoot, "modules", "k8s-ml-environment") }

// schemaWorkspace is a directory whose Terraform CLI configuration installs
// one provider, as the schema provider serving a release's real schema (and,
// with withSegmented, this repository's provider beside it).
type schemaWorkspace struct {
	tf, root string
	env      []string
}

// newSchemaWorkspace builds the schema provider for source at version
// (serving the trimmed schema file of internal/schemaprovider/testdata),
// optionally in plan mode, and copies the given directories of the
// repository into the workspace.
func newSchemaWorkspace(t *testing.T, source, version string, plan bool, dirs ...string) *schemaWorkspace {
	return newSchemaWorkspaceWith(t, source, version, plan, false, dirs...)
}

// newSchemaWorkspaceWith is newSchemaWorkspace; withSegmented also puts
// this repository's provider (segmentedml/segmented 0.1.0) in the mirror,
// for configurations that compute their blueprints.
func newSchemaWorkspaceWith(t *testing.T, source, version string, plan, withSegmented bool, dirs ...string) *schemaWorkspace {
	t.Helper()
	tf := terraformPath(t)
	repo, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join(repo, "internal", "schemaprovider", "testdata", filepath.Base(source)+"-"+version+".json.gz")
	if _, err := os.Stat(schema); err != nil {
		t.Fatalf("no trimmed schema for %s %s: %v", source, version, err)
	}
	tmp := t.TempDir()
	mirror := filepath.Join(tmp, "mirror")
	providers := []struct{ source, version, pkg string }{{source, version, "./tools/schemaprovider"}}
	if withSegmented {
		providers = append(providers, struct{ source, version, pkg string }{"segmentedml/segmented", "0.1.0", "."})
	}
	for _, p := range providers {
		bin := filepath.Join(tmp, "bin", "terraform-provider-"+filepath.Base(p.source))
		mustRun(t, repo, nil, "go", "build", "-o", bin, p.pkg)
		mustRun(t, repo, nil, "go", "run", "./tools/tfmirror", "-mirror", mirror, "-provider", p.source, "-version", p.version, "-binary", bin)
	}
	rc := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(rc, fmt.Appendf(nil, "provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"TF_CLI_CONFIG_FILE=" + rc, "TF_IN_AUTOMATION=1", "SEGMENTED_SCHEMA_FILE=" + schema, "SEGMENTED_SCHEMA_PROVIDER=" + source}
	if plan {
		env = append(env, "SEGMENTED_SCHEMA_PLAN=1")
	}
	work := filepath.Join(tmp, "work")
	for _, d := range dirs {
		copyTree(t, filepath.Join(repo, d), filepath.Join(work, d))
	}
	return &schemaWorkspace{tf: tf, root: work, env: env}
}

// TestValidateKubernetesModuleAgainstTheRealKubernetesSchema runs the real
// `terraform validate` on the generated module against the schema of
// hashicorp/kubernetes 3.2.1.
func TestValidateKubernetesModuleAgainstTheRealKubernetesSchema(t *testing.T) {
	ws := newSchemaWorkspace(t, "hashicorp/kubernetes", KubernetesSchemaVersion, false, filepath.Join("modules", "k8s-ml-environment"))
	dir := filepath.Join(ws.root, "modules", "k8s-ml-environment")
	mustRun(t, dir, ws.env, ws.tf, "init", "-input=false", "-backend=false")
	out := mustRun(t, dir, ws.env, ws.tf, "validate", "-no-color")
	if !strings.Contains(string(out), "Success") {
		t.Fatalf("terraform validate: %s", out)
	}
}

// kubernetesSamples are real blueprints of three clouds in one topology
// (telemetry from AWS production and Azure development into Google Cloud's
// shared environment, and shared deploying into production), with the
// module's other inputs as the cloud modules would give them.
func kubernetesSamples(t *testing.T) map[string]map[string]any {
	t.Helper()
	prod := segment.Environment{
		Organization: "acme", Name: "prod", Tier: segment.Production, Cloud: segment.AWS, Region: "us-east-1",
		AccountID: "333333333333", Zones: segment.DefaultZones("us-east-1"), CIDR: netip.MustParsePrefix("10.66.0.0/16"),
		CIOIDCProvider: "token.actions.githubusercontent.com", CISubject: "repo:acme/ml:environment:prod",
		GPUNodePools: []segment.NodePool{{Name: "inference", InstanceType: "g5.2xlarge", MinSize: 1, MaxSize: 8, Purpose: segment.Inference}},
		Ingress:      []segment.Ingress{{Name: "inference-api", Port: 443, FromCIDRs: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}}},
	}
	dev := azureEnvironment("dev", segment.Development, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "10.73.0.0/16")
	dev.GPUNodePools = []segment.NodePool{{Name: "training", InstanceType: "Standard_NC24ads_A100_v4", MaxSize: 4, Purpose: segment.Training}}
	shared := gcpEnvironment("shared", segment.Shared, "acme-ml-shared", "10.67.0.0/16")
	envs := []segment.Environment{prod, dev, shared}
	for i := range envs {
		d := testkit.Must(envs[i].Tier.Defaults())
		envs[i].HumanAccess, envs[i].DataClassification = d.HumanAccess, d.DataClassification
		envs[i].LogRetentionDays, envs[i].KeyRotationDays, envs[i].KeyDeletionWindowDays = d.LogRetentionDays, d.KeyRotationDays, d.KeyDeletionWindowDays
	}
	var topo segment.Topology
	bps := map[string]blueprint.Blueprint{}
	for _, e := range envs {
		bp := testkit.Must(blueprint.Expand(e))
		bps[e.Name] = bp
		s := blueprint.Summarize(e, bp)
		ns := make([]segment.NamespacePurpose, 0, len(s.Namespaces))
		for _, n := range s.Namespaces {
			ns = append(ns, segment.NamespacePurpose(n))
		}
		topo.Environments = append(topo.Environments, segment.Member{
			Name: s.Name, Organization: s.Organization, Tier: e.Tier, Cloud: e.Cloud, Region: s.Region, AccountID: s.AccountID,
			CIDR: e.CIDR, CISubject: s.CISubject, CIOIDCProvider: s.CIOIDCProvider, Principals: s.Principals, Namespaces: ns,
		})
	}
	topo.Flows = []segment.Flow{
		{From: "prod", To: "shared", Purpose: segment.Telemetry},
		{From: "dev", To: "shared", Purpose: segment.Telemetry},
		{From: "shared", To: "prod", Purpose: segment.Deploy},
	}
	bounds, issues := blueprint.Boundaries(topo)
	if len(issues) > 0 {
		t.Fatalf("boundary issues: %v", issues)
	}
	principals, clients := map[string]string{}, map[string]string{}
	for i, id := range bps["dev"].Identities {
		principals[id.Key] = azureSamplePrincipal(i)
		clients[id.Key] = azureSamplePrincipal(100 + i)
	}
	return map[string]map[string]any{
		"prod": {"kubernetes": bps["prod"].Kubernetes, "boundary": bounds["prod"],
			"service_cidrs": map[string][]string{"s3": {"3.5.0.0/19", "52.216.0.0/15"}}},
		"dev": {"kubernetes": bps["dev"].Kubernetes, "boundary": bounds["dev"], "identity_principal_ids": principals, "identity_client_ids": clients,
			"service_cidrs": map[string][]string{blueprint.AzureActiveDirectory: {"20.190.128.0/18", "40.126.0.0/18"}}},
		"shared": {"kubernetes": bps["shared"].Kubernetes, "boundary": bounds["shared"]},
	}
}

// TestPlanKubernetesModuleWithRealBlueprints plans the module with each
// sample through the schema provider's plan mode and checks every planned
// object against the blueprint: one per key, each network policy's rules
// with their peers (never a rule without one), the subjects' and the
// service accounts' cloud names filled in.
func TestPlanKubernetesModuleWithRealBlueprints(t *testing.T) {
	ws := newSchemaWorkspace(t, "hashicorp/kubernetes", KubernetesSchemaVersion, true, filepath.Join("modules", "k8s-ml-environment"))
	dir := filepath.Join(ws.root, "modules", "k8s-ml-environment")
	mustRun(t, dir, ws.env, ws.tf, "init", "-input=false", "-backend=false")
	for name, vars := range kubernetesSamples(t) {
		t.Run(name, func(t *testing.T) {
			p := planKubernetesSample(t, ws, dir, name, vars)
			layer := vars["kubernetes"].(k8s.Layer)
			bd := vars["boundary"].(blueprint.Boundary)
			checkKubernetesPlan(t, p.PlannedValues.RootModule, layer, bd, vars)
		})
	}
}

func checkKubernetesPlan(t *testing.T, module *tfjson.StateModule, layer k8s.Layer, bd blueprint.Boundary, vars map[string]any) {
	t.Helper()
	got := map[string]map[string]map[string]any{}
	for typ, byKey := range plannedResources(module) {
		got[strings.TrimSuffix(typ, ".this")] = byKey
	}
	wantKeys := func(typ string, keys []string) {
		t.Helper()
		if g := keysOf(got[typ]); !slices.Equal(g, sortedCopy(keys)) {
			t.Errorf("%s: planned %v, want %v", typ, g, sortedCopy(keys))
		}
	}
	var nsKeys, roleKeys, bindingKeys, saKeys, policyKeys []string
	for _, n := range layer.Namespaces {
		nsKeys = append(nsKeys, n.Key)
	}
	for _, r := range layer.Roles {
		for _, ns := range r.Namespaces {
			roleKeys = append(roleKeys, ns+"-"+r.Name)
		}
	}
	for _, b := range layer.RoleBindings {
		bindingKeys = append(bindingKeys, b.Key)
	}
	for _, s := range layer.ServiceAccounts {
		saKeys = append(saKeys, s.Key)
	}
	policies := slices.Concat(layer.NetworkPolicies, bd.NetworkPolicies)
	for _, p := range policies {
		for _, ns := range p.Namespaces {
			policyKeys = append(policyKeys, ns+"-"+p.Name)
		}
	}
	wantKeys("kubernetes_namespace_v1", nsKeys)
	wantKeys("kubernetes_resource_quota_v1", nsKeys)
	wantKeys("kubernetes_limit_range_v1", nsKeys)
	wantKeys("kubernetes_role_v1", roleKeys)
	wantKeys("kubernetes_role_binding_v1", bindingKeys)
	wantKeys("kubernetes_service_account_v1", saKeys)
	wantKeys("kubernetes_network_policy_v1", policyKeys)

	for _, n := range layer.Namespaces {
		meta := first(got["kubernetes_namespace_v1"][n.Key]["metadata"])
		if meta["name"] != n.Name || !sameStringMap(meta["labels"], n.Labels) {
			t.Errorf("namespace %s: planned %v", n.Key, meta)
		}
		if hard := first(got["kubernetes_resource_quota_v1"][n.Key]["spec"])["hard"]; !sameStringMap(hard, n.Quota) {
			t.Errorf("quota of %s: planned %v, want %v", n.Key, hard, n.Quota)
		}
	}
	serviceCIDRs, _ := vars["service_cidrs"].(map[string][]string)
	for _, p := range policies {
		for _, ns := range p.Namespaces {
			checkPlannedPolicy(t, first(got["kubernetes_network_policy_v1"][ns+"-"+p.Name]["spec"]), ns+"-"+p.Name, p, serviceCIDRs)
		}
	}
	principals, _ := vars["identity_principal_ids"].(map[string]string)
	for _, b := range layer.RoleBindings {
		subjects, _ := got["kubernetes_role_binding_v1"][b.Key]["subject"].([]any)
		s := first(subjects)
		want := b.Subjects[0].Name
		if want == "" {
			want = principals[*b.Subjects[0].Identity]
		}
		if s == nil || s["name"] != want || s["name"] == "" {
			t.Errorf("binding %s: subject %v, want the name %q", b.Key, s, want)
		}
	}
	clients, _ := vars["identity_client_ids"].(map[string]string)
	for _, sa := range layer.ServiceAccounts {
		r := got["kubernetes_service_account_v1"][sa.Key]
		annotations, _ := first(r["metadata"])["annotations"].(map[string]any)
		if sa.ClientIDKey != nil && annotations[*sa.ClientIDKey] != clients[sa.Identity] {
			t.Errorf("service account %s: annotations %v, want %s = %s", sa.Key, annotations, *sa.ClientIDKey, clients[sa.Identity])
		}
		if r["automount_service_account_token"] != false {
			t.Errorf("service account %s mounts its token", sa.Key)
		}
	}
}

// first is the first element of a nested block list, or nil.
func first(v any) map[string]any {
	l, _ := v.([]any)
	if len(l) == 0 {
		return nil
	}
	m, _ := l[0].(map[string]any)
	return m
}

func sameStringMap(v any, want map[string]string) bool {
	m, _ := v.(map[string]any)
	if len(m) != len(want) {
		return false
	}
	for k, w := range want {
		if m[k] != w {
			return false
		}
	}
	return true
}

// checkPlannedPolicy checks one planned network policy against its
// blueprint policy: its rules, in order, with their peers resolved and
// their ports, and none without a peer.
func checkPlannedPolicy(t *testing.T, spec map[string]any, key string, p k8s.NetworkPolicy, serviceCIDRs map[string][]string) {
	t.Helper()
	for _, dir := range []struct {
		name, peers string
		rules       []k8s.PolicyRule
	}{{"ingress", "from", p.Ingress}, {"egress", "to", p.Egress}} {
		planned, _ := spec[dir.name].([]any)
		var want [][]string
		for _, r := range dir.rules {
			var peers []string
			for _, x := range r.Peers {
				switch {
				case x.Service != nil:
					peers = append(peers, serviceCIDRs[*x.Service]...)
				case x.CIDR != nil:
					peers = append(peers, *x.CIDR)
				default:
					peers = append(peers, "ns:"+*x.Namespace)
				}
			}
			if len(peers) > 0 {
				want = append(want, peers)
			}
		}
		if len(planned) != len(want) {
			t.Errorf("policy %s: %d %s rules planned, want %d", key, len(planned), dir.name, len(want))
			continue
		}
		for i, r := range planned {
			rule, _ := r.(map[string]any)
			peers, _ := rule[dir.peers].([]any)
			var names []string
			for _, x := range peers {
				pm, _ := x.(map[string]any)
				if ib := first(pm["ip_block"]); ib != nil {
					names = append(names, fmt.Sprint(ib["cidr"]))
				} else if nsel := first(pm["namespace_selector"]); nsel != nil {
					labels, _ := nsel["match_labels"].(map[string]any)
					names = append(names, fmt.Sprint("ns:", labels[k8s.MetadataNameLabel]))
				}
			}
			if len(peers) == 0 || !slices.Equal(names, want[i]) {
				t.Errorf("policy %s %s rule %d: peers %v, want %v", key, dir.name, i, names, want[i])
			}
			if ports, _ := rule["ports"].([]any); len(ports) == 0 {
				t.Errorf("policy %s %s rule %d has no ports", key, dir.name, i)
			}
		}
	}
}

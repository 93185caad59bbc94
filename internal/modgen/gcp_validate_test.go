package modgen

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// gcpWorkspace is a copy of the module and of examples/gcp-complete, with
// a Terraform CLI configuration whose filesystem mirror holds this
// repository's provider and, as hashicorp/google, the schema provider
// serving one release's real schema.
type gcpWorkspace struct{ *schemaWorkspace }

// gcpExample is the example that builds four environments with the module.
var gcpExample = filepath.Join("examples", "gcp-complete")

// newGCPWorkspace builds the providers, fills the mirror and copies the
// module and the example. With plan set, the schema provider plans
// (internal/schemaprovider's plan mode): every value the configuration
// gives is planned as given, every computed one is unknown.
func newGCPWorkspace(t *testing.T, version string, plan bool) *gcpWorkspace {
	t.Helper()
	return &gcpWorkspace{newSchemaWorkspaceWith(t, "hashicorp/google", version, plan, true, gcpModuleRel, gcpExample)}
}

// dir runs terraform init in a directory of the workspace (the module's or
// the example's) and returns its path.
func (ws *gcpWorkspace) dir(t *testing.T, rel, version string) string {
	t.Helper()
	d := filepath.Join(ws.root, rel)
	if _, err := os.Stat(filepath.Join(d, ".terraform.lock.hcl")); err == nil {
		return d
	}
	mustRun(t, d, ws.env, ws.tf, "init", "-input=false", "-backend=false")
	if lock, err := os.ReadFile(filepath.Join(d, ".terraform.lock.hcl")); err != nil || !strings.Contains(string(lock), fmt.Sprintf("version     = %q", version)) {
		t.Fatalf("terraform init did not select hashicorp/google %s (%v):\n%s", version, err, lock)
	}
	return d
}

var gcpModuleRel = filepath.Join("modules", "gcp-ml-environment")

func mustRun(t *testing.T, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// varFile writes the module's inputs as a tfvars JSON file.
func varFile(t *testing.T, name string, vars map[string]any) string {
	t.Helper()
	b, err := json.Marshal(vars)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), name+".tfvars.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestValidateGCPModuleAgainstTheRealGoogleSchema runs the real `terraform
// validate` on the generated module and on examples/gcp-complete, once for
// every hashicorp/google release in GCPProvenVersions, against the trimmed
// copy of that release's real schema in internal/schemaprovider/testdata.
// `terraform init` installs the release from a mirror that holds only it,
// so the test also fails if the module's version constraint excludes a
// proven release.
func TestValidateGCPModuleAgainstTheRealGoogleSchema(t *testing.T) {
	for _, version := range GCPProvenVersions {
		t.Run("google-"+version, func(t *testing.T) {
			ws := newGCPWorkspace(t, version, false)
			for _, rel := range []string{gcpModuleRel, gcpExample} {
				t.Run(filepath.ToSlash(rel), func(t *testing.T) {
					cmd := exec.Command(ws.tf, "validate", "-json")
					cmd.Dir = ws.dir(t, rel, version)
					cmd.Env = append(os.Environ(), ws.env...)
					out, _ := cmd.Output()
					var result tfjson.ValidateOutput
					if err := json.Unmarshal(out, &result); err != nil {
						t.Fatalf("terraform validate -json: %v\n%s", err, out)
					}
					for _, d := range result.Diagnostics {
						t.Errorf("%s: %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Range)
					}
					if !result.Valid {
						t.Errorf("terraform validate: %s is not valid against the hashicorp/google %s schema", rel, version)
					}
				})
			}
		})
	}
}

// TestPlanGCPModuleWithRealBlueprints plans the module with real
// blueprints through the real Terraform and the schema provider's plan
// mode, so that every expression is evaluated on real values, and checks
// the planned resources against what the blueprint says, computed here
// without the module: which resources exist under which keys, every
// firewall rule whole, every IAM member with the project number filled in,
// the keys' periods, the node pools and the alert thresholds.
func TestPlanGCPModuleWithRealBlueprints(t *testing.T) {
	version := GCPProvenVersions[len(GCPProvenVersions)-1]
	ws := newGCPWorkspace(t, version, true)
	dir := ws.dir(t, gcpModuleRel, version)
	samples := gcpSampleVars(t)
	// The samples exercise every part of a boundary the module builds on.
	var promoters, bucketGrants, registryGrants, flowRules int
	for _, vars := range samples {
		bd := vars["boundary"].(blueprint.Boundary)
		for _, id := range bd.Identities {
			if id.GCP != nil && id.GCP.Federation != nil {
				promoters++
			}
		}
		for _, g := range bd.ResourceGrants {
			if g.GCP != nil && g.Kind == blueprint.GrantBucket {
				bucketGrants++
			}
			if g.GCP != nil && g.Kind == blueprint.GrantRegistry {
				registryGrants++
			}
		}
		for _, r := range bd.FirewallRules {
			if r.Layer == blueprint.LayerVPCFirewall {
				flowRules++
			}
		}
	}
	if promoters == 0 || bucketGrants == 0 || registryGrants == 0 || flowRules == 0 {
		t.Fatalf("the samples' boundaries have %d promoters, %d bucket grants, %d registry grants and %d firewall rules: they no longer exercise the module's boundary",
			promoters, bucketGrants, registryGrants, flowRules)
	}
	for name, vars := range samples {
		t.Run(name, func(t *testing.T) {
			file := varFile(t, name, vars)
			planFile := filepath.Join(t.TempDir(), "plan")
			mustRun(t, dir, ws.env, ws.tf, "plan", "-input=false", "-lock=false", "-var-file="+file, "-out="+planFile)
			out := mustRun(t, dir, ws.env, ws.tf, "show", "-json", planFile)
			var plan tfjson.Plan
			if err := json.Unmarshal(out, &plan); err != nil {
				t.Fatal(err)
			}
			if planned, _ := json.Marshal(plan.PlannedValues); strings.Contains(string(planned), projectNumberPlaceholder) {
				t.Errorf("the planned values still hold %s", projectNumberPlaceholder)
			}
			bp := vars["blueprint"].(blueprint.Blueprint)
			bd := vars["boundary"].(blueprint.Boundary)
			checkGCPPlan(t, plan.PlannedValues.RootModule, bp, bd, gcpProjectNumber, vars["impersonators"].(map[string][]string))
			want := []any{}
			for _, g := range bd.ResourceGrants {
				if g.GCP != nil && g.Kind == blueprint.GrantRegistry {
					want = append(want, map[string]any{"key": g.GCP.Key, "role": g.GCP.Role, "scope": g.GCP.Scope, "resource": nil,
						"member": withNumber(g.GCP.Member, gcpProjectNumber), "condition": nil})
				}
			}
			if got := plan.PlannedValues.Outputs["registry_grants"]; got == nil || !reflect.DeepEqual(got.Value, want) {
				t.Errorf("output registry_grants: %#v, want %#v", got, want)
			}
		})
	}
}

// plannedResources is a module's planned resources, by type.name, then by
// key.
func plannedResources(module *tfjson.StateModule) map[string]map[string]map[string]any {
	out := map[string]map[string]map[string]any{}
	for _, r := range module.Resources {
		if r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		name := r.Type + "." + r.Name
		if out[name] == nil {
			out[name] = map[string]map[string]any{}
		}
		key, _ := r.Index.(string)
		out[name][key] = r.AttributeValues
	}
	return out
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sortedStrings is a JSON list of strings, sorted, or nil for null.
func sortedStrings(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.(string))
	}
	sort.Strings(out)
	return out
}

func withNumber(s, number string) string {
	return strings.ReplaceAll(s, projectNumberPlaceholder, number)
}

// checkGCPPlan compares a module's planned resources with what the
// blueprint and the boundary say. With nil impersonators, it leaves the
// impersonation bindings out.
func checkGCPPlan(t *testing.T, module *tfjson.StateModule, bp blueprint.Blueprint, bd blueprint.Boundary, number string, impersonators map[string][]string) {
	res := plannedResources(module)
	keys := func(typ string, want []string) {
		t.Helper()
		if want == nil {
			want = []string{}
		}
		sort.Strings(want)
		got := keysOf(res[typ])
		if !slices.Equal(got, want) {
			t.Errorf("%s: planned %v, the blueprint has %v", typ, got, want)
		}
	}

	// Identities: the blueprint's, and the boundary's with a Google Cloud
	// part; their principals.
	ids := slices.Clone(bp.Identities)
	for _, id := range bd.Identities {
		if id.GCP != nil {
			ids = append(ids, id)
		}
	}
	principal := map[string]string{}
	var idKeys []string
	wiPools, providers := map[string]bool{}, map[string]*blueprint.GCPFederation{}
	for _, id := range ids {
		principal[id.Key] = id.Principal
		idKeys = append(idKeys, id.Key)
		if f := id.GCP.Federation; f != nil {
			wiPools[f.Pool] = true
			providers[f.Pool+"/"+f.Provider] = f
		}
	}
	keys("google_service_account.this", idKeys)
	keys("google_iam_workload_identity_pool.this", keysOf(wiPools))
	keys("google_iam_workload_identity_pool_provider.this", keysOf(providers))
	for k, fed := range providers {
		p := res["google_iam_workload_identity_pool_provider.this"][k]
		if p == nil {
			continue
		}
		if p["attribute_condition"] != fed.AttributeCondition || p["workload_identity_pool_provider_id"] != fed.Provider ||
			!reflect.DeepEqual(p["oidc"], []any{map[string]any{"issuer_uri": fed.Issuer, "allowed_audiences": nil, "jwks_json": nil}}) {
			t.Errorf("workload identity provider %s: planned %v, want %+v", k, p, fed)
		}
	}
	for _, id := range ids {
		if sa := res["google_service_account.this"][id.Key]; sa != nil && sa["account_id"] != id.Name {
			t.Errorf("service account %s: account_id %v, want %s", id.Key, sa["account_id"], id.Name)
		}
	}

	// Every binding, by scope, with the project number filled in.
	type want struct{ role, member, on string }
	bindings := map[string]map[string]want{}
	add := func(b blueprint.RoleBinding, key, scope, on string) {
		if bindings[scope] == nil {
			bindings[scope] = map[string]want{}
		}
		if _, dup := bindings[scope][key]; dup {
			t.Fatalf("binding key %s twice", key)
		}
		bindings[scope][key] = want{b.Role, withNumber(b.Member, number), on}
	}
	for _, id := range ids {
		for _, b := range id.GCP.Bindings {
			on := ""
			switch b.Scope {
			case blueprint.ScopeServiceAccount:
				on = id.Key
			case blueprint.ScopeBucket, blueprint.ScopeKey:
				on = *b.Resource
			}
			add(b, b.Key, b.Scope, on)
		}
	}
	for _, k := range bp.Keys {
		for _, b := range k.GCP.Bindings {
			add(b, b.Key, blueprint.ScopeKey, k.Key)
		}
	}
	for _, g := range bd.ResourceGrants {
		if g.GCP != nil && g.Kind != blueprint.GrantRegistry {
			add(*g.GCP, "grant-"+g.Key, g.Kind, g.Target)
		}
	}
	for scope, typ := range map[string]string{
		blueprint.ScopeProject: "google_project_iam_member.this", blueprint.ScopeBucket: "google_storage_bucket_iam_member.this",
		blueprint.ScopeKey: "google_kms_crypto_key_iam_member.this", blueprint.ScopeServiceAccount: "google_service_account_iam_member.this",
	} {
		keys(typ, keysOf(bindings[scope]))
		for k, w := range bindings[scope] {
			got := res[typ][k]
			if got == nil {
				continue
			}
			if got["role"] != w.role || got["member"] != w.member {
				t.Errorf("%s[%s]: %v %v, want %s %s", typ, k, got["role"], got["member"], w.role, w.member)
			}
			if scope == blueprint.ScopeProject && got["project"] != bp.AccountID {
				t.Errorf("%s[%s] is on project %v, want %s", typ, k, got["project"], bp.AccountID)
			}
		}
	}
	if n := len(bindings[blueprint.ScopeKey]); n < 5 {
		t.Fatalf("only %d key bindings: the sample no longer exercises the service agents", n)
	}
	var imp []string
	if impersonators == nil {
		imp = keysOf(res["google_service_account_iam_member.impersonation"])
	}
	for id, members := range impersonators {
		for _, m := range members {
			imp = append(imp, id+"/"+m)
			if got := res["google_service_account_iam_member.impersonation"][id+"/"+m]; got != nil &&
				(got["member"] != m || got["role"] != "roles/iam.serviceAccountTokenCreator") {
				t.Errorf("impersonation %s/%s: %v", id, m, got)
			}
		}
	}
	keys("google_service_account_iam_member.impersonation", imp)

	// Firewall rules, whole.
	var fwKeys []string
	for _, r := range append(slices.Clone(bp.FirewallRules), bd.FirewallRules...) {
		if r.Layer != blueprint.LayerVPCFirewall {
			continue
		}
		fwKeys = append(fwKeys, r.Key)
		got := res["google_compute_firewall.this"][r.Key]
		if got == nil {
			continue
		}
		rule := map[string]any{"protocol": r.Protocol, "ports": nil}
		if r.FromPort != nil {
			p := fmt.Sprint(*r.FromPort)
			if *r.ToPort != *r.FromPort {
				p += fmt.Sprintf("-%d", *r.ToPort)
			}
			rule["ports"] = []any{p}
		}
		allow, deny, logs := []any{}, []any{}, []any{}
		if r.Action == blueprint.Allow {
			allow = []any{rule}
		} else {
			deny = []any{rule}
			logs = []any{map[string]any{"metadata": "INCLUDE_ALL_METADATA"}}
		}
		var targets, sourceSAs, sources, destinations []string
		for _, tg := range r.Targets {
			targets = append(targets, principal[tg])
		}
		if r.PeerGroup != nil {
			sourceSAs = []string{principal[*r.PeerGroup]}
		}
		if r.Direction == blueprint.Ingress {
			sources = slices.Clone(r.CIDRs)
		} else {
			destinations = slices.Clone(r.CIDRs)
		}
		for _, l := range [][]string{targets, sourceSAs, sources, destinations} {
			sort.Strings(l)
		}
		check := func(attr string, got, want any) {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("firewall %s: %s is %v, want %v", r.Key, attr, got, want)
			}
		}
		check("name", got["name"], bp.Organization+"-"+bp.Environment+"-"+r.Key)
		check("direction", got["direction"], strings.ToUpper(r.Direction))
		check("priority", got["priority"], float64(*r.Priority))
		check("allow", got["allow"], allow)
		check("deny", got["deny"], deny)
		check("log_config", got["log_config"], logs)
		check("target_service_accounts", sortedStrings(got["target_service_accounts"]), targets)
		check("source_service_accounts", sortedStrings(got["source_service_accounts"]), sourceSAs)
		check("source_ranges", sortedStrings(got["source_ranges"]), sources)
		if r.Direction == blueprint.Egress {
			check("destination_ranges", sortedStrings(got["destination_ranges"]), destinations)
		}
	}
	keys("google_compute_firewall.this", fwKeys)
	if len(fwKeys) < 10 {
		t.Fatalf("only %d firewall rules: the sample no longer exercises the firewall", len(fwKeys))
	}

	// Network, keys, buckets, pools, alarms.
	var subnets, routes, zones, zonesWithRecords, cryptoKeys, buckets, pools, alarms []string
	for _, s := range bp.Network.Subnets {
		subnets = append(subnets, s.Key)
		var ranges []any
		for _, r := range bp.Network.GCP.SecondaryRanges {
			if r.Subnet == s.Key {
				ranges = append(ranges, map[string]any{"range_name": r.Name, "ip_cidr_range": r.CIDR, "reserved_internal_range": nil})
			}
		}
		if ranges == nil {
			ranges = []any{}
		}
		if got := res["google_compute_subnetwork.this"][s.Key]; got != nil &&
			(got["ip_cidr_range"] != s.CIDR || !reflect.DeepEqual(got["secondary_ip_range"], ranges)) {
			t.Errorf("subnet %s: %v %v, want %s %v", s.Key, got["ip_cidr_range"], got["secondary_ip_range"], s.CIDR, ranges)
		}
	}
	for _, r := range bp.Network.GCP.Routes {
		routes = append(routes, r.Key)
	}
	for _, z := range bp.Network.GCP.DNSZones {
		zones = append(zones, z.Key)
		if z.Records != nil {
			zonesWithRecords = append(zonesWithRecords, z.Key)
		}
	}
	for _, k := range bp.Keys {
		cryptoKeys = append(cryptoKeys, k.Key)
		got := res["google_kms_crypto_key.this"][k.Key]
		if got != nil && (got["rotation_period"] != fmt.Sprintf("%ds", k.RotationPeriodDays*86400) ||
			got["destroy_scheduled_duration"] != fmt.Sprintf("%ds", k.DeletionWindowDays*86400)) {
			t.Errorf("key %s: %v, %v", k.Key, got["rotation_period"], got["destroy_scheduled_duration"])
		}
	}
	for _, b := range bp.Buckets {
		buckets = append(buckets, b.Key)
	}
	for _, p := range bp.NodePools {
		pools = append(pools, p.Key)
		got := res["google_container_node_pool.this"][p.Key]
		if got == nil {
			continue
		}
		zones := len(bp.Cluster.GCP.NodeLocations)
		if initial := min((p.DesiredSize+zones-1)/zones, p.MaxSize/zones); got["initial_node_count"] != float64(initial) {
			t.Errorf("node pool %s: initial_node_count %v, want %d per zone", p.Key, got["initial_node_count"], initial)
		}
		as := got["autoscaling"].([]any)[0].(map[string]any)
		nc := got["node_config"].([]any)[0].(map[string]any)
		ga := nc["guest_accelerator"].([]any)[0].(map[string]any)
		if as["total_min_node_count"] != float64(p.MinSize) || as["total_max_node_count"] != float64(p.MaxSize) ||
			nc["machine_type"] != p.MachineType || nc["spot"] != p.Spot || ga["type"] != p.GCP.AcceleratorType ||
			ga["count"] != float64(p.GCP.AcceleratorCount) || len(nc["taint"].([]any)) != len(p.Taints) {
			t.Errorf("node pool %s: autoscaling %v, node_config %v", p.Key, as, nc)
		}
	}
	for _, a := range bp.Monitoring.Alarms {
		alarms = append(alarms, a.Key)
		got := res["google_monitoring_alert_policy.this"][a.Key]
		if got == nil {
			continue
		}
		ct := got["conditions"].([]any)[0].(map[string]any)["condition_threshold"].([]any)[0].(map[string]any)
		if ct["threshold_value"] != float64(a.Threshold-1) || ct["comparison"] != "COMPARISON_GT" {
			t.Errorf("alert %s: %v", a.Key, ct)
		}
	}
	keys("google_compute_subnetwork.this", subnets)
	keys("google_compute_route.this", routes)
	keys("google_dns_managed_zone.this", zones)
	keys("google_dns_record_set.alias", zones)
	keys("google_dns_record_set.target", zonesWithRecords)
	keys("google_kms_crypto_key.this", cryptoKeys)
	keys("google_storage_bucket.this", buckets)
	keys("google_container_node_pool.this", pools)
	keys("google_logging_metric.this", alarms)
	keys("google_monitoring_alert_policy.this", alarms)
	for _, single := range []string{"google_compute_network.this", "google_kms_key_ring.this", "google_container_cluster.this",
		"google_logging_project_bucket_config.this", "google_logging_project_sink.this"} {
		keys(single, []string{""})
	}
	cl := res["google_container_cluster.this"][""]
	if cl != nil {
		pc := cl["private_cluster_config"].([]any)[0].(map[string]any)
		ip := cl["ip_allocation_policy"].([]any)[0].(map[string]any)
		rangeName := map[string]string{}
		for _, r := range bp.Network.GCP.SecondaryRanges {
			rangeName[r.Key] = r.Name
		}
		if pc["master_ipv4_cidr_block"] != bp.Cluster.GCP.ControlPlaneCIDR || pc["enable_private_endpoint"] != true ||
			ip["cluster_secondary_range_name"] != rangeName[bp.Cluster.GCP.PodsRange] ||
			ip["services_secondary_range_name"] != rangeName[bp.Cluster.GCP.ServicesRange] {
			t.Errorf("cluster: private_cluster_config %v, ip_allocation_policy %v", pc, ip)
		}
	}
}

// TestGCPModuleRefusesBadInputs: the variables' validations stop a plan
// with a key of impersonators that is not a human identity, a project ID in
// place of the number, and a blueprint of another cloud.
func TestGCPModuleRefusesBadInputs(t *testing.T) {
	version := GCPProvenVersions[len(GCPProvenVersions)-1]
	ws := newGCPWorkspace(t, version, true)
	dir := ws.dir(t, gcpModuleRel, version)
	good := gcpSampleVars(t)["prod"]
	for name, tc := range map[string]struct {
		change func(map[string]any)
		want   string
	}{
		"impersonating a workload identity": {func(v map[string]any) { v["impersonators"] = map[string][]string{"training": {"user:a@acme.example"}} }, "must be the key of a human identity"},
		"a project ID for the number":       {func(v map[string]any) { v["project_number"] = "acme-ml-prod" }, "digits only"},
		"an AWS blueprint": {func(v map[string]any) {
			bp := v["blueprint"].(blueprint.Blueprint)
			bp.Cloud = "aws"
			v["blueprint"] = bp
		}, "builds Google Cloud environments"},
	} {
		t.Run(name, func(t *testing.T) {
			vars := map[string]any{}
			for k, v := range good {
				vars[k] = v
			}
			tc.change(vars)
			cmd := exec.Command(ws.tf, "plan", "-input=false", "-lock=false", "-var-file="+varFile(t, "bad", vars))
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), ws.env...)
			out, err := cmd.CombinedOutput()
			flat := strings.Join(strings.Fields(string(out)), " ")
			if err == nil || !strings.Contains(flat, tc.want) {
				t.Errorf("terraform plan: %v, want a failure saying %q:\n%s", err, tc.want, out)
			}
		})
	}
}

// TestPlanGCPExample plans examples/gcp-complete end to end: this
// repository's provider computes the four environments' blueprints and the
// topology's boundaries at plan time, and the module, once per environment,
// plans on them through the schema provider's plan mode. Each module
// instance's planned resources are then checked, as in
// TestPlanGCPModuleWithRealBlueprints, against the blueprint and boundary
// that the same plan holds.
func TestPlanGCPExample(t *testing.T) {
	version := GCPProvenVersions[len(GCPProvenVersions)-1]
	ws := newGCPWorkspace(t, version, true)
	dir := ws.dir(t, gcpExample, version)
	planFile := filepath.Join(t.TempDir(), "plan")
	mustRun(t, dir, ws.env, ws.tf, "plan", "-input=false", "-lock=false", "-out="+planFile)
	out := mustRun(t, dir, ws.env, ws.tf, "show", "-json", planFile)
	var plan tfjson.Plan
	if err := json.Unmarshal(out, &plan); err != nil {
		t.Fatal(err)
	}
	root := plan.PlannedValues.RootModule
	values := map[string]map[string]any{}
	for _, r := range root.Resources {
		values[r.Address] = r.AttributeValues
	}
	decode := func(v any, into any) {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatal(err)
		}
	}
	var projects map[string]struct{ Number string }
	decode(plan.Variables["projects"].Value, &projects)
	boundaries, _ := values["segmented_ml_topology.main"]["boundaries"].(map[string]any)
	seen := 0
	for _, child := range root.ChildModules {
		name := strings.TrimPrefix(child.Address, "module.")
		t.Run(name, func(t *testing.T) {
			env := values["segmented_ml_environment."+name]
			if env == nil || env["blueprint"] == nil || boundaries[name] == nil {
				t.Fatalf("the plan has no known blueprint or boundary of %s", name)
			}
			var bp blueprint.Blueprint
			var bd blueprint.Boundary
			decode(env["blueprint"], &bp)
			decode(boundaries[name], &bd)
			if bp.Cloud != "gcp" || projects[name].Number == "" {
				t.Fatalf("%s: cloud %q, project number %q", name, bp.Cloud, projects[name].Number)
			}
			seen++
			checkGCPPlan(t, child, bp, bd, projects[name].Number, nil)
		})
	}
	if seen != 4 {
		t.Errorf("planned %d module instances, want the example's 4", seen)
	}
}

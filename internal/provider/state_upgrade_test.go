package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateFile is the part of a state file the upgrade test reads.
type stateFile struct {
	Resources []struct {
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			SchemaVersion int                        `json:"schema_version"`
			Attributes    map[string]json.RawMessage `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

func readStateFile(t *testing.T, file string) stateFile {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var s stateFile
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStateUpgradeFromV0 plans the quick start against the state that the
// provider of schema version 0 stored for it, through the real CLI: the
// upgrade computes the new blueprints, summaries and boundaries, and the
// plan replaces nothing; the environments change not at all, and the
// topology only in place, because its configured environments are the
// summaries, which have gained the namespaces since version 0. An apply
// then stores them at version 1, and the next plan is empty.
func TestStateUpgradeFromV0(t *testing.T) {
	fixture := filepath.Join("testdata", "state-v0")
	// The fixture is not named like a state file, which .gitignore leaves out.
	stored := filepath.Join(fixture, "stored-state.json")
	for _, r := range readStateFile(t, stored).Resources {
		if v := r.Instances[0].SchemaVersion; v != 0 {
			t.Fatalf("the fixture's %s.%s has schema version %d: it must stay a version 0 state", r.Type, r.Name, v)
		}
	}
	v0Blueprints := map[string]json.RawMessage{}
	for _, r := range readStateFile(t, stored).Resources {
		if r.Type == "segmented_ml_environment" {
			v0Blueprints[r.Name] = r.Instances[0].Attributes["blueprint"]
		}
	}
	cli := newTerraformCLI(t)
	// The configuration is the quick start as it is now; the state is what
	// the version 0 provider stored for it.
	dir := quickstartWithState(t, cli, fixture)

	// The environments plan no change; the topology an update in place.
	// The quick start's output reads the blueprint's new names, and changes.
	p := cli.plan(t, dir, "-detailed-exitcode")
	if p.exit != 2 || !maps.Equal(p.actions, map[string]string{topologyAddress: "update"}) {
		t.Fatalf("the plan after the upgrade must update the topology in place and nothing else, got exit %d, actions %v, diagnostics %+v:\n%s", p.exit, p.actions, p.diagnostics, p.result)
	}
	for _, d := range p.diagnostics {
		t.Errorf("diagnostic: %+v", d)
	}

	// An apply stores the upgraded state; it changes only the output.
	cli.mustRun(t, dir, "apply", "-auto-approve", "-input=false", "-lock=false")
	upgraded := readStateFile(t, filepath.Join(dir, "terraform.tfstate"))
	if len(upgraded.Resources) != 5 {
		t.Fatalf("%d resources after the apply, want the fixture's 5", len(upgraded.Resources))
	}
	for _, r := range upgraded.Resources {
		in := r.Instances[0]
		if in.SchemaVersion != schemaVersion {
			t.Errorf("%s.%s: schema version %d after the apply, want %d", r.Type, r.Name, in.SchemaVersion, schemaVersion)
		}
		switch r.Type {
		case "segmented_ml_environment":
			var bp map[string]json.RawMessage
			if err := json.Unmarshal(in.Attributes["blueprint"], &bp); err != nil || !hasV1Names(bp) {
				t.Errorf("%s: the stored blueprint is not of version 1 (%v): %.300s", r.Name, err, in.Attributes["blueprint"])
			}
			// No fact is lost: version 0's blueprint, moved field by field
			// into version 1's places, is the upgraded blueprint.
			var v0, v1 map[string]any
			if err := json.Unmarshal(v0Blueprints[r.Name], &v0); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(in.Attributes["blueprint"], &v1); err != nil {
				t.Fatal(err)
			}
			v1["firewall_rules"] = ruleEntries(v1["firewall_rules"])
			decodePolicies(t, v1, false)
			moved := blueprintV0ToV1(v0)
			decodePolicies(t, moved, true)
			// Parts that version 1 gained later are computed, not moved.
			for _, k := range newSinceV1 {
				if v1[k] == nil {
					t.Errorf("%s: the upgraded blueprint has no %s", r.Name, k)
				}
				moved[k] = v1[k]
			}
			if !reflect.DeepEqual(moved, v1) {
				for k := range v1 {
					if !reflect.DeepEqual(moved[k], v1[k]) {
						t.Errorf("%s: blueprint.%s is not version 0's moved into place:\n got %v\nwant %v", r.Name, k, v1[k], moved[k])
					}
				}
			}
		case "segmented_ml_topology":
			var bds map[string]map[string]json.RawMessage
			if err := json.Unmarshal(in.Attributes["boundaries"], &bds); err != nil || len(bds) != 4 {
				t.Fatalf("the stored boundaries: %v, %d environments", err, len(bds))
			}
			for name, bd := range bds {
				if _, ok := bd["identities"]; !ok || bd["iam_roles"] != nil {
					t.Errorf("the stored boundary of %s is not of version 1: %v", name, slices.Sorted(maps.Keys(bd)))
				}
			}
		}
	}
	if p := cli.plan(t, dir, "-detailed-exitcode"); p.exit != 0 {
		t.Errorf("the plan after the apply must be empty, got:\n%s", p.result)
	}
}

// newSinceV1 are the blueprint's parts added after schema version 1 was
// first released, which a state of version 0 had no counterpart of.
var newSinceV1 = []string{"kubernetes"}

// TestStateBeforeTheKubernetesLayer plans the quick start against the
// state that the provider before the Kubernetes layer (schema version 1
// without the blueprint's kubernetes part and the summaries' namespaces)
// stored for it: every resource updates in place, none is replaced, the
// plan computes the new parts, and after an apply the next plan is empty.
func TestStateBeforeTheKubernetesLayer(t *testing.T) {
	fixture := filepath.Join("testdata", "state-v1-4cdbfbc")
	cli := newTerraformCLI(t)
	dir := quickstartWithState(t, cli, fixture)
	p := cli.plan(t, dir, "-detailed-exitcode")
	if p.exit != 2 || len(p.actions) != 5 || len(p.diagnostics) > 0 {
		t.Fatalf("want 5 updates in place, got exit %d, actions %v, diagnostics %+v:\n%s", p.exit, p.actions, p.diagnostics, p.result)
	}
	for addr, action := range p.actions {
		if action != "update" {
			t.Errorf("%s: %s, want an update in place", addr, action)
		}
	}
	cli.mustRun(t, dir, "apply", "-auto-approve", "-input=false", "-lock=false")
	for _, r := range readStateFile(t, filepath.Join(dir, "terraform.tfstate")).Resources {
		if r.Type != "segmented_ml_environment" {
			continue
		}
		var bp map[string]json.RawMessage
		if err := json.Unmarshal(r.Instances[0].Attributes["blueprint"], &bp); err != nil || len(bp["kubernetes"]) < 100 {
			t.Errorf("%s: the applied blueprint has no kubernetes part (%v)", r.Name, err)
		}
	}
	if p := cli.plan(t, dir, "-detailed-exitcode"); p.exit != 0 {
		t.Errorf("the plan after the apply must be empty, got:\n%s", p.result)
	}
}

// quickstartWithState is a working directory with the quick start as it is
// now and, as terraform.tfstate, the state a fixture directory holds.
func quickstartWithState(t *testing.T, cli *terraformCLI, fixture string) string {
	t.Helper()
	files := map[string]string{}
	for name, from := range map[string]string{
		"main.tf":           filepath.Join(examplesDir, "quickstart", "main.tf"),
		"terraform.tfstate": filepath.Join(fixture, "stored-state.json"),
	} {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	return cli.workdir(t, files)
}

// blueprintV0ToV1 moves every field of a version 0 blueprint to its place in
// version 1, as the changelog describes the change: the test's own account
// of it, independent of the code that computes version 1.
func blueprintV0ToV1(v0 map[string]any) map[string]any {
	type obj = map[string]any
	list := func(v any) []any { l, _ := v.([]any); return l }
	orNull := func(v any) any {
		if v == "" {
			return nil
		}
		return v
	}
	each := func(v any, f func(obj) obj) []any {
		out := []any{}
		for _, e := range list(v) {
			out = append(out, f(e.(obj)))
		}
		return out
	}
	pick := func(o obj, keys ...string) obj {
		out := obj{}
		for _, k := range keys {
			out[k] = o[k]
		}
		return out
	}
	out := pick(v0, "environment", "organization", "tier", "cloud", "region", "account_id", "data_classification", "ci_oidc_provider", "tags", "waivers")
	net := v0["network"].(obj)
	aws := pick(net, "internet_gateway", "route_tables", "security_groups", "network_acls")
	aws["endpoints"] = each(net["endpoints"], func(e obj) obj {
		e = pick(e, "key", "service", "service_name", "type", "subnet_purpose", "security_group", "private_dns")
		e["security_group"] = orNull(e["security_group"])
		return e
	})
	out["network"] = obj{"name": net["name"], "cidr": net["cidr"], "zones": net["zones"], "subnets": net["subnets"], "aws": aws, "gcp": nil, "azure": nil}
	out["firewall_rules"] = each(v0["firewall_rules"], func(r obj) obj {
		n := pick(r, "key", "layer", "direction", "action", "protocol", "from_port", "to_port", "description")
		n["targets"], n["cidrs"] = []any{r["target"]}, nil
		if r["cidr"] != "" {
			n["cidrs"] = []any{r["cidr"]}
		}
		n["priority"], n["peer_group"], n["peer_service"] = nil, orNull(r["peer_group"]), orNull(r["peer_prefix_list"])
		if r["layer"] == "network_acl" {
			n["priority"] = r["rule_number"]
		}
		if r["protocol"] == "-1" {
			n["protocol"], n["from_port"], n["to_port"] = "all", nil, nil
		}
		return n
	})
	out["identities"] = each(v0["iam_roles"], func(r obj) obj {
		n := pick(r, "key", "name", "purpose", "human")
		n["principal"], n["aws"], n["gcp"], n["azure"] = r["arn"], pick(r, "trust_policy", "policy", "managed_policy_arns"), nil, nil
		return n
	})
	out["keys"] = each(v0["kms_keys"], func(k obj) obj {
		n := pick(k, "key", "name", "purpose", "description", "rotation_period_days", "deletion_window_days")
		n["aws"], n["gcp"], n["azure"] = pick(k, "alias", "policy"), nil, nil
		return n
	})
	out["buckets"] = each(v0["buckets"], func(b obj) obj {
		n := pick(b, "key", "name", "purpose", "kms_key")
		n["aws"], n["azure"] = pick(b, "policy"), nil
		return n
	})
	c := v0["cluster"].(obj)
	cluster := pick(c, "name", "kubernetes_version", "subnet_purpose", "private_endpoint", "public_endpoint", "secrets_kms_key")
	cluster["identity"], cluster["aws"], cluster["gcp"], cluster["azure"] = c["role"], pick(c, "security_group", "log_types"), nil, nil
	out["cluster"] = cluster
	out["node_pools"] = each(v0["node_pools"], func(p obj) obj {
		n := pick(p, "key", "name", "purpose", "gpu_model", "gpu_count", "gpu_memory_gib", "architecture", "min_size", "max_size",
			"desired_size", "subnet_purpose", "labels", "taints")
		n["machine_type"], n["identity"], n["spot"] = p["instance_type"], p["role"], p["capacity_type"] == "SPOT"
		n["disk_gib"], n["disk_kms_key"] = p["root_volume_gib"], p["root_volume_kms_key"]
		n["aws"], n["gcp"], n["azure"] = pick(p, "ami_type", "capacity_type", "security_group", "root_volume_type", "imds_http_tokens", "imds_hop_limit"), nil, nil
		if p["root_volume_encrypted"] != true {
			n["root_volume_encrypted"] = p["root_volume_encrypted"] // version 1 drops it as always true
		}
		return n
	})
	m := v0["monitoring"].(obj)
	out["monitoring"] = obj{
		"kms_key": m["kms_key"], "retention_days": m["retention_days"],
		"alarms": each(m["alarms"], func(a obj) obj {
			n := pick(a, "key", "name", "description", "threshold")
			n["aws"], n["gcp"], n["azure"] = pick(a, "log_group", "filter_pattern", "metric_name"), nil, nil
			return n
		}),
		"aws": pick(m, "flow_log_name", "flow_log_traffic_type", "flow_log_group", "flow_log_role", "audit_log_group"), "gcp": nil, "azure": nil,
	}
	return out
}

// decodePolicies replaces every policy document of a blueprint by its
// decoded JSON, so that documents compare by content. With compact, a list
// of one value becomes the value, as version 1 writes it.
func decodePolicies(t *testing.T, bp map[string]any, compact bool) {
	t.Helper()
	decode := func(part map[string]any, field string) {
		var doc any
		if err := json.Unmarshal([]byte(part[field].(string)), &doc); err != nil {
			t.Fatalf("%s: %v", field, err)
		}
		if compact {
			doc = compactPolicy(doc, "")
		}
		part[field] = doc
	}
	for _, list := range []string{"identities", "keys", "buckets"} {
		for _, x := range bp[list].([]any) {
			aws := x.(map[string]any)["aws"].(map[string]any)
			for _, field := range []string{"trust_policy", "policy"} {
				if _, ok := aws[field]; ok {
					decode(aws, field)
				}
			}
		}
	}
}

// compactPolicy writes a list of one value of a policy's elements (Action,
// Resource, NotResource, a principal kind, a condition key) as the value.
func compactPolicy(v any, field string) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = compactPolicy(e, k)
		}
	case []any:
		if len(v) == 1 && field != "Statement" {
			return v[0]
		}
		for i, e := range v {
			v[i] = compactPolicy(e, "")
		}
	}
	return v
}

// ruleEntries expands version 1's firewall rules, each for one or more
// targets and ranges, into version 0's one rule per target and range: the
// n-th range at priority+n, keyed nacl-{target}-{direction}-{number} in
// network ACLs. Sorted by key, as version 0 was.
func ruleEntries(rules any) any {
	type obj = map[string]any
	out := []any{}
	for _, x := range rules.([]any) {
		r := x.(obj)
		targets, _ := r["targets"].([]any)
		cidrs, _ := r["cidrs"].([]any)
		if len(targets) == 1 && len(cidrs) <= 1 {
			out = append(out, r)
			continue
		}
		if len(cidrs) == 0 {
			cidrs = []any{nil}
		}
		for _, t := range targets {
			for i, c := range cidrs {
				e := maps.Clone(r)
				e["targets"], e["cidrs"] = []any{t}, nil
				if c != nil {
					e["cidrs"] = []any{c}
				}
				if p, ok := r["priority"].(float64); ok {
					e["priority"] = p + float64(i)
					e["key"] = fmt.Sprintf("nacl-%s-%s-%05d", t, r["direction"], int(p)+i)
				}
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(a, b any) int { return strings.Compare(a.(obj)["key"].(string), b.(obj)["key"].(string)) })
	return out
}

// hasV1Names reports whether a stored blueprint has version 1's parts and
// none of version 0's.
func hasV1Names(bp map[string]json.RawMessage) bool {
	var network map[string]json.RawMessage
	if json.Unmarshal(bp["network"], &network) != nil || string(network["aws"]) == "null" || network["aws"] == nil {
		return false
	}
	return bp["identities"] != nil && bp["keys"] != nil && bp["iam_roles"] == nil && bp["kms_keys"] == nil
}

// TestStateUpgradeFromV0Edges: an environment imported but never planned
// keeps a null blueprint, for the next plan to fill; a state that is not a
// JSON object is an error, not a panic.
func TestStateUpgradeFromV0Edges(t *testing.T) {
	ctx := context.Background()
	upgrade := (&EnvironmentResource{}).UpgradeState(ctx)[0].StateUpgrader

	var s resource.SchemaResponse
	(&EnvironmentResource{}).Schema(ctx, resource.SchemaRequest{}, &s)
	imported := `{"id":"prod","name":"prod","blueprint":null,"summary":null}`
	resp := &resource.UpgradeStateResponse{State: stateOf(s)}
	upgrade(ctx, resource.UpgradeStateRequest{RawState: &tfprotov6.RawState{JSON: []byte(imported)}}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var env environmentModel
	if d := resp.State.Get(ctx, &env); d.HasError() {
		t.Fatal(d)
	}
	if env.Name.ValueString() != "prod" || !env.Blueprint.IsNull() || !env.Summary.IsNull() {
		t.Errorf("imported environment upgraded to name %s, blueprint null %v, summary null %v", env.Name, env.Blueprint.IsNull(), env.Summary.IsNull())
	}

	for _, raw := range []string{``, `[]`, `null`, `{"name":`} {
		resp := &resource.UpgradeStateResponse{State: stateOf(s)}
		upgrade(ctx, resource.UpgradeStateRequest{RawState: &tfprotov6.RawState{JSON: []byte(raw)}}, resp)
		if !resp.Diagnostics.HasError() || !strings.Contains(firstError(resp.Diagnostics), "Unreadable state") {
			t.Errorf("%q: %v, want an unreadable-state error", raw, resp.Diagnostics)
		}
	}
}

// stateOf is an empty state of a resource schema, as the framework hands an
// upgrader.
func stateOf(s resource.SchemaResponse) tfsdk.State {
	return tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(s.Schema.Type().TerraformType(context.Background()), nil)}
}

// FuzzUpgradeFromV0 feeds both upgraders stored states of any shape: they
// return a state or an error diagnostic, and never panic.
func FuzzUpgradeFromV0(f *testing.F) {
	// Small stored states, so that the fuzzer's mutations reach their
	// fields: an environment and a topology of version 0.
	f.Add([]byte(`{"id":"prod","name":"prod","tier":"production","cloud":"aws","region":"us-east-1","account_id":"333333333333",` +
		`"cidr":"10.64.0.0/22","availability_zones":["us-east-1a","us-east-1b"],"blueprint":{"organization":"acme","tags":{"owner":"ml"}}}`))
	f.Add([]byte(`{"environments":[{"name":"dev","organization":"acme","tier":"development","cloud":"aws","region":"us-east-1",` +
		`"account_id":"111111111111","cidr":"10.1.0.0/16","principals":[]}],"flows":[],"boundaries":{"dev":{"iam_roles":[]}}}`))
	for _, seed := range []string{``, `{}`, `null`, `[]`, `{"name":1}`, `{"blueprint":{"organization":"acme","tags":{"a":"b"}},"name":"prod","tier":"gold"}`,
		`{"boundaries":{},"environments":[null],"flows":"x"}`} {
		f.Add([]byte(seed))
	}
	ctx := context.Background()
	var env, topo resource.SchemaResponse
	(&EnvironmentResource{}).Schema(ctx, resource.SchemaRequest{}, &env)
	(&TopologyResource{}).Schema(ctx, resource.SchemaRequest{}, &topo)
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, u := range []struct {
			upgrade func(context.Context, resource.UpgradeStateRequest, *resource.UpgradeStateResponse)
			schema  resource.SchemaResponse
		}{{upgradeEnvironmentFromV0, env}, {upgradeTopologyFromV0, topo}} {
			resp := &resource.UpgradeStateResponse{State: stateOf(u.schema)}
			u.upgrade(ctx, resource.UpgradeStateRequest{RawState: &tfprotov6.RawState{JSON: raw}}, resp)
			if resp.Diagnostics.HasError() && !strings.Contains(firstError(resp.Diagnostics), "Unreadable state") && !strings.Contains(firstError(resp.Diagnostics), "Value Conversion Error") {
				t.Errorf("%q: an error that is not about the stored state: %v", raw, resp.Diagnostics)
			}
		}
	})
}

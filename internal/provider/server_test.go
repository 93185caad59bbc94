package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protocol drives one protocol server the way Terraform does.
type protocol struct {
	t       *testing.T
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func newProtocol(t *testing.T, server tfprotov6.ProviderServer) protocol {
	t.Helper()
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: dynamic(t, providerType, objectWith(providerType, map[string]tftypes.Value{
			"organization":  tftypes.NewValue(tftypes.String, "acme"),
			"address_space": tftypes.NewValue(tftypes.String, "10.64.0.0/10"),
		})),
	})
	if err != nil || diagnosticsFail(configured.Diagnostics) {
		t.Fatal(err, configured.Diagnostics)
	}
	return protocol{t: t, server: server, schemas: schemas}
}

func (p protocol) typeOf(typeName string) tftypes.Object {
	return p.schemas.ResourceSchemas[typeName].ValueType().(tftypes.Object)
}

func (p protocol) plan(req *tfprotov6.PlanResourceChangeRequest) *tfprotov6.PlanResourceChangeResponse {
	p.t.Helper()
	resp, err := p.server.PlanResourceChange(context.Background(), req)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// apply stores a plan; it returns nil if the plan cannot be applied.
func (p protocol) apply(typeName string, planned *tfprotov6.PlanResourceChangeResponse, config *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	p.t.Helper()
	if diagnosticsFail(planned.Diagnostics) {
		return nil
	}
	null := dynamic(p.t, p.typeOf(typeName), tftypes.NewValue(p.typeOf(typeName), nil))
	applied, err := p.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: null, PlannedState: planned.PlannedState, Config: config,
	})
	if err != nil || diagnosticsFail(applied.Diagnostics) {
		p.t.Fatal(err, applied.Diagnostics)
	}
	return applied.NewState
}

// proposed is the state Terraform proposes for a configuration over a prior
// state: the configuration's values, and the prior's where a computed
// attribute is not configured.
func (p protocol) proposed(typeName string, prior, config tftypes.Value) tftypes.Value {
	var priorAttrs, configAttrs map[string]tftypes.Value
	if prior.As(&priorAttrs) != nil || config.As(&configAttrs) != nil {
		p.t.Fatal("not objects")
	}
	out := make(map[string]tftypes.Value, len(configAttrs))
	for _, a := range p.schemas.ResourceSchemas[typeName].Block.Attributes {
		out[a.Name] = configAttrs[a.Name]
		if a.Computed && configAttrs[a.Name].IsNull() {
			out[a.Name] = priorAttrs[a.Name]
		}
	}
	return tftypes.NewValue(config.Type(), out)
}

// answer is a plan response as Terraform reads it.
type answer struct {
	Planned         tftypes.Value
	RequiresReplace []string
	Diagnostics     []string
}

func (p protocol) answer(typeName string, resp *tfprotov6.PlanResourceChangeResponse) answer {
	p.t.Helper()
	planned, err := resp.PlannedState.Unmarshal(p.typeOf(typeName))
	if err != nil {
		p.t.Fatal(err)
	}
	a := answer{Planned: planned}
	for _, r := range resp.RequiresReplace {
		a.RequiresReplace = append(a.RequiresReplace, r.String())
	}
	for _, d := range resp.Diagnostics {
		a.Diagnostics = append(a.Diagnostics, fmt.Sprintf("%s %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Attribute))
	}
	return a
}

// sameAnswers compares what NewServer and the framework's server answer to
// one plan request, and reports whether NewServer's fast lane answered, and
// whether the answer carries a warning.
func sameAnswers(t *testing.T, served, framework protocol, typeName string, req *tfprotov6.PlanResourceChangeRequest) (fast, warned bool) {
	t.Helper()
	lane := served.server.(*server)
	before := lane.fastPlans.Load()
	got, want := served.plan(req), framework.plan(req)
	fast = lane.fastPlans.Load() > before
	wantAnswer := framework.answer(typeName, want)
	if diff := cmp.Diff(wantAnswer, served.answer(typeName, got), cmp.Comparer(tftypes.Value.Equal)); diff != "" {
		t.Errorf("%s: NewServer answers differently from the framework (-framework +served):\n%s", typeName, diff)
	}
	prior := must(req.PriorState.Unmarshal(framework.typeOf(typeName)))
	wantFast := !diagnosticsFail(want.Diagnostics) && len(want.RequiresReplace) == 0 && !wantAnswer.Planned.IsNull() &&
		(prior.IsNull() && len(want.Diagnostics) == 0 || wantAnswer.Planned.Equal(prior))
	if fast != wantFast {
		t.Errorf("%s: fast lane taken = %v, want %v: it answers exactly the creates with nothing to say and the plans that change nothing without an error", typeName, fast, wantFast)
	}
	if fast && !prior.IsNull() && got.PlannedState != req.PriorState {
		t.Errorf("%s: a plan that changes nothing is answered with a new encoding of the prior state, not the prior state itself", typeName)
	}
	return fast, len(got.Diagnostics) > 0
}

// cleanEnvironment draws an environment that plans without an error: a
// tier, a cloud and GPU pools or none. An inference pool is on spot now and
// then, which in production draws SEG403's warning.
func cleanEnvironment(t *testing.T, rng *rand.Rand, i int) environmentModel {
	t.Helper()
	tiers := []string{"production", "staging", "development", "shared"}
	pools := map[string][]poolInput{
		"aws":   {{name: "train", instanceType: "p4d.24xlarge", max: 2, purpose: "training"}, {name: "serve", instanceType: "g5.2xlarge", min: 1, max: 2, purpose: "inference"}},
		"gcp":   {{name: "train", instanceType: "a3-highgpu-8g", max: 2, purpose: "training"}},
		"azure": {{name: "serve", instanceType: "Standard_NC4as_T4_v3", min: 1, max: 2, purpose: "inference"}},
	}
	cloud := []string{"aws", "gcp", "azure"}[rng.IntN(3)]
	var ps []poolInput
	if rng.IntN(2) == 0 {
		ps = slices.Clone(pools[cloud])
		for j := range ps {
			ps[j].spot = ps[j].purpose == "inference" && rng.IntN(2) == 0
		}
	}
	m := testModel(t, tiers[rng.IntN(len(tiers))], ps, nil)
	m.Name = types.StringValue(fmt.Sprintf("env%d", i))
	m.CIDR = types.StringValue(fmt.Sprintf("10.%d.0.0/16", 64+i%64))
	m.Cloud = types.StringValue(cloud)
	switch cloud {
	case "aws":
		m.AccountID = types.StringValue(fmt.Sprintf("3333333%05d", i))
	case "gcp":
		m.Region, m.AccountID = types.StringValue("europe-west4"), types.StringValue(fmt.Sprintf("acme-ml-env%d", i))
	case "azure":
		m.Region, m.AccountID = types.StringValue("westeurope"), types.StringValue(fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
	}
	return m
}

// sameUpgrades upgrades a stored state as Terraform stores it (JSON), as
// it is, without an attribute, and with one the schema does not have, and
// wants NewServer and the framework's server to read the same values; and
// NewServer's fast lane to take the first two.
func sameUpgrades(t *testing.T, served, framework protocol, typeName string, state tftypes.Value) {
	t.Helper()
	stored := jsonOf(t, state).(map[string]any)
	missing, extra := maps.Clone(stored), maps.Clone(stored)
	delete(missing, "summary")
	extra["retired"] = "an attribute of an earlier release"
	for _, tc := range []struct {
		name  string
		state map[string]any
		fast  bool
	}{{"as stored", stored, true}, {"without summary", missing, true}, {"with a retired attribute", extra, false}} {
		raw := must(json.Marshal(tc.state))
		req := &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName, Version: schemaVersion, RawState: &tfprotov6.RawState{JSON: raw}}
		var values [2]tftypes.Value
		for i, p := range []protocol{served, framework} {
			resp, err := p.server.UpgradeResourceState(context.Background(), req)
			if err != nil || len(resp.Diagnostics) > 0 {
				t.Fatalf("%s: %v %v", tc.name, err, resp.Diagnostics)
			}
			values[i] = must(resp.UpgradedState.Unmarshal(p.typeOf(typeName)))
			if i == 0 && (resp.UpgradedState.JSON != nil) != tc.fast {
				t.Errorf("%s: passed through = %v, want %v", tc.name, resp.UpgradedState.JSON != nil, tc.fast)
			}
		}
		if !values[0].Equal(values[1]) {
			t.Errorf("%s: NewServer upgrades the state to another value than the framework", tc.name)
		}
	}
}

// withUnknownAttribute is an object with one attribute unknown.
func withUnknownAttribute(t *testing.T, v tftypes.Value, attribute string) tftypes.Value {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	out := maps.Clone(attrs)
	out[attribute] = tftypes.NewValue(attrs[attribute].Type(), tftypes.UnknownValue)
	return tftypes.NewValue(v.Type(), out)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestServerAnswersAsTheFramework plans random environments, and a topology
// of each pair, with NewServer and with the framework's server alone: a
// first plan, a re-plan of the applied state with the same configuration,
// one with another configuration, and a refresh. Both must answer the same
// to every request, and NewServer must take its fast lane for exactly the
// plans that change nothing and have nothing to say.
func TestServerAnswersAsTheFramework(t *testing.T) {
	served := newProtocol(t, NewServer("test")())
	framework := newProtocol(t, providerserver.NewProtocol6(New("test")())())
	sr, template := environmentSchema()
	const env, topo = "segmented_ml_environment", "segmented_ml_topology"
	envType, topoType := served.typeOf(env), served.typeOf(topo)

	rounds, fastCreates, fastPlans, fastTopologies, fastWarned := 40, 0, 0, 0, 0
	if testing.Short() {
		rounds = 8
	}
	rng := rand.New(rand.NewPCG(12, 2026))
	var summaries []tftypes.Value
	for n := range rounds {
		configs := [2]tftypes.Value{toRaw(t, template, cleanEnvironment(t, rng, 2*n)), toRaw(t, template, randomEnvironment(t, rng, sr))}
		if n%2 == 1 {
			configs[1] = toRaw(t, template, cleanEnvironment(t, rng, 2*n+1))
		}
		config := dynamic(t, envType, configs[0])
		null := dynamic(t, envType, tftypes.NewValue(envType, nil))
		first := &tfprotov6.PlanResourceChangeRequest{TypeName: env, PriorState: null, ProposedNewState: config, Config: config}
		if fast, warned := sameAnswers(t, served, framework, env, first); fast {
			fastCreates++
			if warned {
				fastWarned++
			}
		}
		other := dynamic(t, envType, configs[1]) // also created, often breaking rules
		sameAnswers(t, served, framework, env, &tfprotov6.PlanResourceChangeRequest{TypeName: env, PriorState: null, ProposedNewState: other, Config: other})
		stored := framework.apply(env, framework.plan(first), config)
		if stored == nil {
			continue // a rule fails it
		}
		state := must(stored.Unmarshal(envType))
		var attrs map[string]tftypes.Value
		_ = state.As(&attrs)
		summaries = append(summaries, attrs["summary"])

		for i, c := range configs {
			req := &tfprotov6.PlanResourceChangeRequest{
				TypeName: env, PriorState: stored, Config: dynamic(t, envType, c),
				ProposedNewState: dynamic(t, envType, framework.proposed(env, state, c)),
			}
			fast, warned := sameAnswers(t, served, framework, env, req)
			if i == 0 && !fast && !diagnosticsFail(framework.plan(req).Diagnostics) {
				t.Errorf("environment %d: re-planned with its own configuration, it plans a change", n)
			}
			if fast {
				fastPlans++
				if warned {
					fastWarned++
				}
			}
		}
		sameUpgrades(t, served, framework, env, state)
		refreshed, err := served.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: env, CurrentState: stored})
		if err != nil || len(refreshed.Diagnostics) > 0 || !must(refreshed.NewState.Unmarshal(envType)).Equal(state) {
			t.Errorf("environment %d: a refresh changed the state: %v %v", n, err, refreshed.Diagnostics)
		}
	}

	environmentsType := topoType.AttributeTypes["environments"].(tftypes.List)
	for i := 0; i+1 < len(summaries); i += 2 {
		config := dynamic(t, topoType, objectWith(topoType, map[string]tftypes.Value{
			"environments": tftypes.NewValue(environmentsType, summaries[i:i+2]),
		}))
		null := dynamic(t, topoType, tftypes.NewValue(topoType, nil))
		first := &tfprotov6.PlanResourceChangeRequest{TypeName: topo, PriorState: null, ProposedNewState: config, Config: config}
		sameAnswers(t, served, framework, topo, first)
		// With an environment's account not known yet, the topology warns
		// and leaves its outputs unknown.
		pending := dynamic(t, topoType, objectWith(topoType, map[string]tftypes.Value{
			"environments": tftypes.NewValue(environmentsType, []tftypes.Value{withUnknownAttribute(t, summaries[i], "account_id"), summaries[i+1]}),
		}))
		sameAnswers(t, served, framework, topo, &tfprotov6.PlanResourceChangeRequest{TypeName: topo, PriorState: null, ProposedNewState: pending, Config: pending})
		stored := framework.apply(topo, framework.plan(first), config)
		if stored == nil {
			continue
		}
		if fast, _ := sameAnswers(t, served, framework, topo, &tfprotov6.PlanResourceChangeRequest{TypeName: topo, PriorState: stored, ProposedNewState: stored, Config: config}); fast {
			fastTopologies++
		}
	}
	if fastCreates == 0 || fastPlans == 0 || fastTopologies == 0 || fastWarned == 0 {
		t.Errorf("the fast lane never answered a create (%d), a re-plan of an environment (%d) or of a topology (%d), or a plan with a warning (%d)",
			fastCreates, fastPlans, fastTopologies, fastWarned)
	}
	t.Logf("%d rounds: the fast lane answered %d creates and %d re-plans of environments (%d with a warning), and %d re-plans of topologies",
		rounds, fastCreates, fastPlans, fastWarned, fastTopologies)
}

// FuzzFitsType: whatever the stored JSON, fitsType does not panic, and what
// it lets through is a value of the type, as Terraform reads it.
func FuzzFitsType(f *testing.F) {
	var sr fwresource.SchemaResponse
	NewEnvironmentResource().Schema(context.Background(), fwresource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(context.Background())
	for _, seed := range []string{
		`{"name":"prod","tier":"production","gpu_node_pools":[{"name":"a","max_size":2}],"blueprint":{"tags":{"a":"b"}}}`,
		`{"name":1}`, `{"retired":"x"}`, `{"gpu_node_pools":{"a":1}}`, `null`, `[]`, `{"name":"a"} {}`, `{"blueprint":{"network":{"subnets":[null]}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !fitsType(raw, typ) {
			return
		}
		if _, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{}); err != nil {
			t.Errorf("fitsType passes %q, which is not a %s: %v", raw, typ, err)
		}
	})
}

package segment_test

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// designMatrix is DESIGN.md's tier-policy matrix, written out independently
// of the code: from tier -> to tier -> the purposes allowed. Every cell not
// listed, every diagonal cell included, allows nothing.
var designMatrix = map[string]map[string][]string{
	"development": {"staging": {"model-promotion"}, "shared": {"telemetry"}},
	"staging":     {"production": {"model-promotion"}, "shared": {"telemetry"}},
	"production":  {"shared": {"telemetry"}},
	"shared": {
		"development": {"deploy", "artifact-pull"},
		"staging":     {"deploy", "artifact-pull"},
		"production":  {"deploy", "artifact-pull"},
	},
}

var (
	allTiers    = []string{"development", "staging", "production", "shared"}
	allPurposes = []string{"model-promotion", "telemetry", "deploy", "artifact-pull"}
)

func designAllows(from, to, purpose string) bool {
	return slices.Contains(designMatrix[from][to], purpose)
}

// TestFlowPolicyMatrix checks FlowAllowed on every one of the 64 cells
// (4 tiers x 4 tiers x 4 purposes) against DESIGN.md's matrix.
func TestFlowPolicyMatrix(t *testing.T) {
	// The literal names must be the domain's.
	if got := segment.Tiers(); !slices.Equal(tierStrings(got), allTiers) {
		t.Fatalf("Tiers() = %v, want %v", got, allTiers)
	}
	gotPurposes := make([]string, 0, 4)
	for _, p := range segment.FlowPurposes() {
		gotPurposes = append(gotPurposes, string(p))
	}
	if want := slices.Sorted(slices.Values(allPurposes)); !slices.Equal(gotPurposes, want) {
		t.Fatalf("FlowPurposes() = %v, want %v (sorted)", gotPurposes, want)
	}

	cells, allowed := 0, 0
	for _, from := range allTiers {
		for _, to := range allTiers {
			for _, purpose := range allPurposes {
				cells++
				want := designAllows(from, to, purpose)
				if want {
					allowed++
				}
				t.Run(fmt.Sprintf("%s->%s/%s", from, to, purpose), func(t *testing.T) {
					got := segment.FlowAllowed(segment.Tier(from), segment.Tier(to), segment.FlowPurpose(purpose))
					if got != want {
						t.Errorf("FlowAllowed(%s, %s, %s) = %v, want %v", from, to, purpose, got, want)
					}
					if from == to && got {
						t.Errorf("diagonal cell %s->%s allows %s", from, to, purpose)
					}
				})
			}
		}
	}
	if cells != 64 {
		t.Fatalf("checked %d cells, want 64", cells)
	}
	if allowed != 11 {
		t.Fatalf("the literal matrix allows %d cells, want 11", allowed)
	}
}

// TestFlowAllowedRejectsUnknownValues: values outside the enumerations never
// allow anything.
func TestFlowAllowedRejectsUnknownValues(t *testing.T) {
	cases := []struct {
		from, to segment.Tier
		purpose  segment.FlowPurpose
	}{
		{"", segment.Shared, segment.Telemetry},
		{segment.Development, "", segment.Telemetry},
		{segment.Development, segment.Shared, ""},
		{"Development", segment.Shared, segment.Telemetry},
		{segment.Development, segment.Shared, "Telemetry"},
		{segment.Shared, segment.Production, "deploy "},
		{"prod", segment.Shared, segment.Telemetry},
	}
	for _, c := range cases {
		if segment.FlowAllowed(c.from, c.to, c.purpose) {
			t.Errorf("FlowAllowed(%q, %q, %q) = true", c.from, c.to, c.purpose)
		}
	}
}

// TestAllowedPurposes: AllowedPurposes agrees with FlowAllowed and with the
// matrix on every cell, is sorted, and returns a copy.
func TestAllowedPurposes(t *testing.T) {
	for _, from := range segment.Tiers() {
		for _, to := range segment.Tiers() {
			got := segment.AllowedPurposes(from, to)
			if !slices.IsSorted(got) {
				t.Errorf("AllowedPurposes(%s, %s) = %v, not sorted", from, to, got)
			}
			var fromFlowAllowed []segment.FlowPurpose
			for _, p := range segment.FlowPurposes() {
				if segment.FlowAllowed(from, to, p) {
					fromFlowAllowed = append(fromFlowAllowed, p)
				}
			}
			if !slices.Equal(got, fromFlowAllowed) {
				t.Errorf("AllowedPurposes(%s, %s) = %v, FlowAllowed allows %v", from, to, got, fromFlowAllowed)
			}
			want := slices.Sorted(slices.Values(designMatrix[string(from)][string(to)]))
			gotS := make([]string, 0, len(got))
			for _, p := range got {
				gotS = append(gotS, string(p))
			}
			if !slices.Equal(gotS, want) {
				t.Errorf("AllowedPurposes(%s, %s) = %v, want %v", from, to, gotS, want)
			}
		}
	}
	// Modifying the result must not change the policy.
	got := segment.AllowedPurposes(segment.Shared, segment.Production)
	if len(got) == 0 {
		t.Fatal("shared -> production allows nothing")
	}
	got[0] = segment.ModelPromotion
	if segment.FlowAllowed(segment.Shared, segment.Production, segment.ModelPromotion) {
		t.Error("writing into AllowedPurposes' result changed the tier policy")
	}
	if !slices.Equal(segment.AllowedPurposes(segment.Shared, segment.Production), []segment.FlowPurpose{segment.ArtifactPull, segment.Deploy}) {
		t.Errorf("AllowedPurposes(shared, production) changed: %v", segment.AllowedPurposes(segment.Shared, segment.Production))
	}
	if got := segment.AllowedPurposes("bogus", segment.Shared); len(got) != 0 {
		t.Errorf("AllowedPurposes(bogus, shared) = %v", got)
	}
}

func TestContent(t *testing.T) {
	if segment.Deploy.Content() != segment.ArtifactPull.Content() {
		t.Errorf("deploy carries %q, artifact-pull %q: they must share content", segment.Deploy.Content(), segment.ArtifactPull.Content())
	}
	distinct := []segment.FlowPurpose{segment.ModelPromotion, segment.Telemetry, segment.Deploy}
	seen := map[string]segment.FlowPurpose{}
	for _, p := range distinct {
		c := p.Content()
		if c == "" {
			t.Errorf("%s has empty content", p)
		}
		if q, dup := seen[c]; dup {
			t.Errorf("%s and %s both carry %q", p, q, c)
		}
		seen[c] = p
	}
	if segment.ModelPromotion.Content() == segment.Telemetry.Content() {
		t.Error("model-promotion and telemetry share content")
	}
	// An unknown purpose is its own kind of content.
	if got := segment.FlowPurpose("bogus").Content(); got != "bogus" {
		t.Errorf("bogus.Content() = %q", got)
	}
	for _, p := range segment.FlowPurposes() {
		if p.Content() == segment.FlowPurpose("bogus").Content() {
			t.Errorf("%s shares content with an unknown purpose", p)
		}
	}
}

func TestTierLower(t *testing.T) {
	want := map[segment.Tier]bool{
		segment.Development: true,
		segment.Staging:     true,
		segment.Production:  false,
		segment.Shared:      false,
		"":                  false,
		"Development":       false,
		"bogus":             false,
	}
	for tier, w := range want {
		if got := tier.Lower(); got != w {
			t.Errorf("%q.Lower() = %v, want %v", tier, got, w)
		}
	}
}

func member(name string, tier segment.Tier, cidr string) segment.Member {
	return segment.Member{
		Name: name, Organization: "acme", Tier: tier, Cloud: segment.AWS, Region: "us-east-1",
		AccountID: "111111111111", CIDR: netip.MustParsePrefix(cidr),
	}
}

func flow(from, to string, purpose segment.FlowPurpose) segment.Flow {
	return segment.Flow{From: from, To: to, Purpose: purpose}
}

func fourEnvironments() []segment.Member {
	return []segment.Member{
		member("dev", segment.Development, "10.64.0.0/16"),
		member("staging", segment.Staging, "10.65.0.0/16"),
		member("prod", segment.Production, "10.66.0.0/16"),
		member("shared", segment.Shared, "10.67.0.0/16"),
	}
}

func TestReachability(t *testing.T) {
	topo := segment.Topology{
		Environments: fourEnvironments(),
		Flows: []segment.Flow{
			flow("dev", "staging", segment.ModelPromotion),
			flow("staging", "prod", segment.ModelPromotion),
			flow("prod", "shared", segment.Telemetry),
			flow("shared", "prod", segment.Deploy),
			flow("shared", "prod", segment.ArtifactPull), // after deploy: sorting puts it first
			flow("shared", "prod", segment.Deploy),       // duplicate
			flow("shared", "dev", segment.Deploy),
			// Denied flows.
			flow("prod", "dev", segment.Telemetry),
			flow("dev", "prod", segment.ModelPromotion),
			flow("shared", "prod", segment.Telemetry),
			flow("staging", "dev", segment.ModelPromotion),
			flow("dev", "shared", "bogus"),
			// Self flows, even of a purpose the tier sends elsewhere.
			flow("shared", "shared", segment.Deploy),
			flow("dev", "dev", segment.ModelPromotion),
			// Unknown names.
			flow("ghost", "shared", segment.Telemetry),
			flow("dev", "ghost", segment.Telemetry),
			flow("", "", segment.Telemetry),
		},
	}
	got := topo.Reachability()
	want := map[string]map[string][]string{
		"dev":     {"staging": {"model-promotion"}},
		"staging": {"prod": {"model-promotion"}},
		"prod":    {"shared": {"telemetry"}},
		"shared":  {"dev": {"deploy"}, "prod": {"artifact-pull", "deploy"}},
	}
	if !equalReach(got, want) {
		t.Errorf("Reachability() = %v\nwant %v", got, want)
	}
	for from, tos := range got {
		for to, ps := range tos {
			if !slices.IsSorted(ps) || len(slices.Compact(slices.Clone(ps))) != len(ps) {
				t.Errorf("%s -> %s: purposes %v not sorted and unique", from, to, ps)
			}
			if from == to {
				t.Errorf("self flow %s -> %s in reachability", from, to)
			}
		}
	}
}

func TestReachabilityEveryEnvironmentHasAnEntry(t *testing.T) {
	topo := segment.Topology{Environments: fourEnvironments(), Flows: []segment.Flow{flow("prod", "shared", segment.Telemetry)}}
	got := topo.Reachability()
	if len(got) != 4 {
		t.Fatalf("Reachability() has %d entries, want 4: %v", len(got), got)
	}
	for _, name := range []string{"dev", "staging", "shared"} {
		m, ok := got[name]
		if !ok {
			t.Errorf("%s has no entry", name)
			continue
		}
		if m == nil || len(m) != 0 {
			t.Errorf("%s: entry %#v, want a non-nil empty map", name, m)
		}
	}
	// No flows at all.
	none := segment.Topology{Environments: fourEnvironments()}.Reachability()
	if len(none) != 4 {
		t.Fatalf("no flows: %d entries", len(none))
	}
	for name, m := range none {
		if m == nil || len(m) != 0 {
			t.Errorf("no flows: %s maps to %#v", name, m)
		}
	}
	// No environments.
	if got := (segment.Topology{Flows: []segment.Flow{flow("a", "b", segment.Deploy)}}).Reachability(); got == nil || len(got) != 0 {
		t.Errorf("empty topology: %#v", got)
	}
}

func TestReachabilityDuplicateNames(t *testing.T) {
	envs := fourEnvironments()
	// A second "prod" of the development tier: the first of a name wins,
	// and nothing panics.
	envs = append(envs, member("prod", segment.Development, "10.68.0.0/16"), member("dev", segment.Shared, "10.69.0.0/16"))
	topo := segment.Topology{Environments: envs, Flows: []segment.Flow{
		flow("staging", "prod", segment.ModelPromotion),
		flow("prod", "shared", segment.Telemetry),
		flow("dev", "staging", segment.ModelPromotion),
		flow("dev", "staging", segment.Deploy), // allowed only if the shared "dev" won
	}}
	var got map[string]map[string][]string
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Reachability panicked on duplicate names: %v", r)
			}
		}()
		got = topo.Reachability()
	}()
	want := map[string]map[string][]string{
		"dev":     {"staging": {"model-promotion"}},
		"staging": {"prod": {"model-promotion"}},
		"prod":    {"shared": {"telemetry"}},
		"shared":  {},
	}
	if !equalReach(got, want) {
		t.Errorf("Reachability() = %v\nwant %v", got, want)
	}
}

// TestReachabilityDoesNotModifyInput: the topology's flows and members are
// left as they were.
func TestReachabilityDoesNotModifyInput(t *testing.T) {
	flows := []segment.Flow{flow("shared", "prod", segment.Deploy), flow("shared", "prod", segment.ArtifactPull)}
	before := slices.Clone(flows)
	envs := fourEnvironments()
	segment.Topology{Environments: envs, Flows: flows}.Reachability()
	if !slices.EqualFunc(flows, before, func(a, b segment.Flow) bool {
		return a.From == b.From && a.To == b.To && a.Purpose == b.Purpose
	}) {
		t.Errorf("flows changed: %v, was %v", flows, before)
	}
}

func equalReach(a, b map[string]map[string][]string) bool {
	return maps.EqualFunc(a, b, func(x, y map[string][]string) bool {
		return x != nil && y != nil && maps.EqualFunc(x, y, slices.Equal[[]string])
	})
}

func tierStrings(ts []segment.Tier) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t))
	}
	return out
}

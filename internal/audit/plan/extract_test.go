package plan_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plan"
)

// res is one root-module resource of a plan written by hand: its planned
// values, its after_unknown and its configuration's expressions.
type res struct {
	addr    string
	values  map[string]any
	unknown map[string]any
	expr    map[string]any
}

// planJSON writes the plan `terraform show -json` would print for rs.
func planJSON(t *testing.T, rs ...res) []byte {
	t.Helper()
	planned, changes, config := []any{}, []any{}, []any{}
	for _, r := range rs {
		typ, name, _ := strings.Cut(r.addr, ".")
		name, _, _ = strings.Cut(name, "[") // an instance key is the address's, not the name's
		head := map[string]any{"address": r.addr, "mode": "managed", "type": typ, "name": name}
		with := func(k string, v any) map[string]any {
			m := map[string]any{k: v}
			for hk, hv := range head {
				m[hk] = hv
			}
			return m
		}
		planned = append(planned, with("values", orEmpty(r.values)))
		changes = append(changes, with("change", map[string]any{"actions": []any{"create"}, "before": nil, "after": orEmpty(r.values), "after_unknown": orEmpty(r.unknown)}))
		config = append(config, with("expressions", orEmpty(r.expr)))
	}
	doc := map[string]any{
		"format_version":    "1.2",
		"terraform_version": "1.9.0",
		"planned_values":    map[string]any{"root_module": map[string]any{"resources": planned}},
		"resource_changes":  changes,
		"configuration":     map[string]any{"root_module": map[string]any{"resources": config}},
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// factsOf reads a hand-written plan with no environments file.
func factsOf(t *testing.T, rs ...res) audit.Facts {
	t.Helper()
	doc, err := plan.Read(planJSON(t, rs...))
	if err != nil {
		t.Fatal(err)
	}
	return plan.Facts(doc, nil)
}

// refTo is the expression of a value that refers to addr's attribute.
func refTo(addr, attr string) map[string]any {
	return map[string]any{"references": []any{addr + "." + attr, addr}}
}

func constant(v any) map[string]any { return map[string]any{"constant_value": v} }

func prefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// The facts, with resources named by address, for comparing.

type rule struct {
	Addr, Path, Dir, Proto string
	From, To               int
	Owner                  audit.Ref
	Peers                  []netip.Prefix
	Groups                 []audit.Ref
	Deny                   bool
	Priority               int
}

func rulesOf(f audit.Facts, addr string) []rule {
	var out []rule
	for _, fr := range f.FirewallRules {
		if a := f.Resources[fr.Resource].Address; a == addr {
			out = append(out, rule{a, fr.Path, string(fr.Direction), fr.Protocol, fr.FromPort, fr.ToPort, fr.Owner, fr.Peers, fr.PeerGroups, fr.Deny, fr.Priority})
		}
	}
	return out
}

type grant struct {
	Addr, Path string
	Kind       audit.GrantKind
	Target     audit.Ref
	Principals []audit.Principal
}

func grantsOf(f audit.Facts, addr string) []grant {
	var out []grant
	for _, g := range f.Grants {
		if a := f.Resources[g.Resource].Address; a == addr {
			out = append(out, grant{a, g.Path, g.Kind, g.Target, g.Principals})
		}
	}
	return out
}

type link struct {
	Addr, Path string
	Kind       audit.LinkKind
	From, To   audit.Ref
	Dest       netip.Prefix
}

func linksOf(f audit.Facts, addr string) []link {
	var out []link
	for _, l := range f.Links {
		if a := f.Resources[l.Resource].Address; a == addr {
			out = append(out, link{a, l.Path, l.Kind, l.From, l.To, l.Destination})
		}
	}
	return out
}

// keyUsersOf lists "address path -> key" for every key user.
func keyUsersOf(f audit.Facts) []string {
	var out []string
	for _, u := range f.KeyUsers {
		key := u.Key.Address
		if key == "" {
			key = "=" + u.Key.Value
		}
		out = append(out, f.Resources[u.Resource].Address+" "+u.Path+" -> "+key)
	}
	sort.Strings(out)
	return out
}

// blindOf lists "address path rule" for every blind spot.
func blindOf(f audit.Facts) []string {
	var out []string
	for _, b := range f.Blind {
		out = append(out, fmt.Sprintf("%s %s %s", f.Resources[b.Resource].Address, b.Path, b.Rule))
	}
	sort.Strings(out)
	return out
}

func check[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// The readers the clouds share, on AWS and Azure resources whose values are
// unknown at plan time: each is explained by a reference or is a blind
// spot, never skipped.

func TestUnknownKeysAreBlindSpots(t *testing.T) {
	f := factsOf(t,
		res{addr: "aws_kms_key.prod", values: map[string]any{"tags": map[string]any{"environment": "prod"}}, unknown: map[string]any{"arn": true, "id": true}},
		// Explained: the configuration refers to the key.
		res{addr: "aws_ebs_volume.known", values: map[string]any{}, unknown: map[string]any{"kms_key_id": true}, expr: map[string]any{"kms_key_id": refTo("aws_kms_key.prod", "arn")}},
		// Unexplained: a variable's value, unknown at plan.
		res{addr: "aws_ebs_volume.unknown", values: map[string]any{}, unknown: map[string]any{"kms_key_id": true}, expr: map[string]any{"kms_key_id": map[string]any{"references": []any{"terraform_data.key.output", "terraform_data.key"}}}},
		res{addr: "aws_ecr_repository.models", values: map[string]any{"encryption_configuration": []any{map[string]any{"encryption_type": "KMS"}}},
			unknown: map[string]any{"encryption_configuration": []any{map[string]any{"kms_key": true}}}},
		res{addr: "aws_eks_cluster.prod", values: map[string]any{"encryption_config": []any{map[string]any{"provider": []any{map[string]any{}}, "resources": []any{"secrets"}}}},
			unknown: map[string]any{"encryption_config": []any{map[string]any{"provider": []any{map[string]any{"key_arn": true}}}}},
			expr:    map[string]any{"encryption_config": refTo("aws_kms_key.prod", "arn")}},
		res{addr: "azurerm_storage_account.dev", values: map[string]any{"name": "dev"}, unknown: map[string]any{"customer_managed_key": true},
			expr: map[string]any{"customer_managed_key": map[string]any{"references": []any{"var.key"}}}},
		res{addr: "aws_s3_bucket_server_side_encryption_configuration.data", values: map[string]any{"rule": []any{map[string]any{"apply_server_side_encryption_by_default": []any{map[string]any{"sse_algorithm": "aws:kms"}}}}},
			unknown: map[string]any{"rule": []any{map[string]any{"apply_server_side_encryption_by_default": []any{map[string]any{"kms_master_key_id": true}}}}}},
	)
	check(t, "key users", keyUsersOf(f), []string{
		"aws_ebs_volume.known kms_key_id -> aws_kms_key.prod",
		"aws_eks_cluster.prod encryption_config[0].provider[0].key_arn -> aws_kms_key.prod",
	})
	check(t, "blind", blindOf(f), []string{
		"aws_ebs_volume.unknown kms_key_id SEG705",
		"aws_ecr_repository.models encryption_configuration[0].kms_key SEG705",
		"aws_s3_bucket_server_side_encryption_configuration.data rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id SEG705",
		"azurerm_storage_account.dev customer_managed_key SEG705",
	})
}

func TestUnknownRoutesAreBlindSpots(t *testing.T) {
	f := factsOf(t,
		res{addr: "aws_vpc.dev", values: map[string]any{"cidr_block": "10.1.0.0/16"}, unknown: map[string]any{"id": true}},
		res{addr: "aws_route_table.prod", values: map[string]any{
			"route": []any{map[string]any{"cidr_block": "10.1.0.0/16"}, map[string]any{}, map[string]any{}},
		}, unknown: map[string]any{"route": []any{map[string]any{}, map[string]any{"cidr_block": true}, map[string]any{"cidr_block": true}}},
			expr: map[string]any{"route": refTo("aws_vpc.dev", "cidr_block")}},
		res{addr: "aws_route_table.shared", values: map[string]any{"route": []any{map[string]any{}}},
			unknown: map[string]any{"route": []any{map[string]any{"cidr_block": true}}}},
		res{addr: "azurerm_route_table.prod", values: map[string]any{"name": "prod"}, unknown: map[string]any{"route": true},
			expr: map[string]any{"route": map[string]any{"references": []any{"var.routes"}}}},
	)
	dev := prefixes("10.1.0.0/16")[0]
	from := audit.Ref{Address: "aws_route_table.prod"}
	check(t, "links", linksOf(f, "aws_route_table.prod"), []link{
		{"aws_route_table.prod", "route[0].cidr_block", audit.Route, from, audit.Ref{}, dev},
		{"aws_route_table.prod", "route[1].cidr_block", audit.Route, from, audit.Ref{}, dev},
		{"aws_route_table.prod", "route[2].cidr_block", audit.Route, from, audit.Ref{}, dev},
	})
	check(t, "blind", blindOf(f), []string{
		"aws_route_table.shared route[0].cidr_block SEG702",
		"azurerm_route_table.prod route SEG702",
	})
}

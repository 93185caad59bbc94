package provider

import (
	"context"
	"fmt"
	"math/big"
	"net/netip"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/segmentedml/terraform-provider-segmented/internal/catalog"
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// A reading turns a configuration into the domain. At plan time some values
// may not be known yet; each of them takes a stand-in and its path is
// recorded, so that the rules which read it wait for apply while every other
// rule runs.
//
// The blueprint is computed once per variant: variant k gives every unknown
// value its k-th stand-in (enumerations take each of their values in turn),
// and a part of the blueprint is known at plan time only where all variants
// agree (see mergeKnown). Stand-ins differ in every way the blueprint can
// see: length, partition, tier, presence.
//
// Stand-ins cannot foresee how an unknown element relates to its siblings
// (sorted before or after them, equal to one of them and merged), so one
// more variant, the collapsed one, drops every list that holds an unknown
// value: whatever the blueprint derives from such a list then differs
// between the variants, and is unknown in the plan.
type reading struct {
	variant  int
	variants int // how many variants the unknown values need; 1 when all are known
	unknown  map[string]bool

	collapse    bool // this variant drops the lists that hold unknown values
	collapsible bool // some list holds an unknown value
}

// collapsed reports whether the variant drops list v, which it does when v
// holds an unknown value; it records that such a list exists.
func (rd *reading) collapsed(ctx context.Context, v types.List) bool {
	if v.IsNull() {
		return false
	}
	raw, err := v.ToTerraformValue(ctx)
	if err == nil && raw.IsFullyKnown() {
		return false
	}
	rd.collapsible = true
	return rd.collapse
}

func newReading(variant int) *reading {
	return &reading{variant: variant, variants: 1, unknown: map[string]bool{}}
}

// Stand-ins for values not known at plan time. The first of each is the one
// the rules see, so texts read "(known after apply)" in messages.
var (
	standInText        = []string{"(known after apply)", "x"}
	standInRegions     = []string{"us-east-1", "us-gov-west-1", "cn-north-1"}
	standInAccounts    = []string{"000000000000", "999999999999"}
	standInCIDRs       = []string{"10.0.0.0/16", "172.16.0.0/20"}
	standInSubjects    = []string{"", "repo:known/after:environment:apply"}
	standInIssuers     = []string{DefaultCIOIDCProvider, "known.after.apply"}
	standInSources     = [][]string{{"192.0.2.0/24"}, {"198.51.100.0/24", "203.0.113.0/24"}}
	standInWaivedRules = []string{"SEG403", "SEG501"}
	standInTags        = []map[string]string{nil, {"known-after-apply": "x"}}
	standInBools       = []bool{false, true}
)

// standIn returns the variant's stand-in for the unknown value at path p.
func standIn[T any](rd *reading, p string, alternatives []T) T {
	rd.unknown[p] = true
	rd.variants = max(rd.variants, len(alternatives))
	return alternatives[rd.variant%len(alternatives)]
}

// derived marks p unknown when a value it defaults from is.
func (rd *reading) derived(p string, from ...string) {
	for _, f := range from {
		if rd.unknown[f] {
			rd.unknown[p] = true
		}
	}
}

func (rd *reading) str(v types.String, p, def string, alternatives []string) string {
	switch {
	case v.IsUnknown():
		return standIn(rd, p, alternatives)
	case v.IsNull():
		return def
	}
	return v.ValueString()
}

// enum reads one of values; an unknown one takes each value in turn.
func (rd *reading) enum(v types.String, p, def string, values []string) string {
	return rd.str(v, p, def, values)
}

// number reads a whole number; the schema's validators have checked it.
func (rd *reading) number(v types.Number, p string, def int, alternatives []int) int {
	switch {
	case v.IsUnknown():
		return standIn(rd, p, alternatives)
	case v.IsNull() || v.ValueBigFloat() == nil:
		return def
	}
	n, _ := v.ValueBigFloat().Int64()
	return int(n)
}

func (rd *reading) boolean(v types.Bool, p string, def bool) bool {
	switch {
	case v.IsUnknown():
		return standIn(rd, p, standInBools)
	case v.IsNull():
		return def
	}
	return v.ValueBool()
}

// unknownList marks an unknown list, and says whether the variant gives it
// one stand-in element (true) or none.
func (rd *reading) unknownList(p string) bool { return standIn(rd, p, standInBools) }

// object returns a list element's attributes, or nil when the element is
// null or unknown; an unknown element's path is marked, and ok says whether
// it takes a stand-in.
func (rd *reading) object(v attr.Value, p string) (attrs map[string]attr.Value, standInNeeded bool) {
	obj, ok := v.(types.Object)
	switch {
	case !ok || obj.IsNull():
		return nil, false
	case obj.IsUnknown():
		rd.unknown[p] = true
		return nil, true
	}
	return obj.Attributes(), false
}

// attrOf returns an object's attribute as its framework type, or null when
// it is missing.
func attrOf[T attr.Value](a map[string]attr.Value, name string, null T) T {
	if v, ok := a[name].(T); ok {
		return v
	}
	return null
}

// objects reads a list of objects. An unknown list takes no element or one
// stand-in; an unknown element takes a stand-in; read reads each known
// element from its index and attributes.
func objects[T any](rd *reading, list types.List, name string, standIn func(i int) T, read func(i int, a map[string]attr.Value) T) []T {
	if list.IsUnknown() {
		if rd.unknownList(name) {
			return []T{standIn(0)}
		}
		return nil
	}
	var out []T
	for i, e := range list.Elements() {
		a, unknown := rd.object(e, fmt.Sprintf("%s[%d]", name, i))
		switch {
		case unknown:
			out = append(out, standIn(i))
		case a != nil:
			out = append(out, read(i, a))
		}
	}
	return out
}

// standInNames are the names an unknown pool or entry point takes,
// distinct for each index.
func standInNames(i int) []string {
	return []string{fmt.Sprintf("unknown-%d", i), fmt.Sprintf("known-after-apply-%d", i)}
}

// strings reads a list of strings. An unknown list takes one of whole;
// an unknown element takes one of element(i), distinct for each index.
func (rd *reading) strings(v types.List, p string, whole [][]string, element func(i int) []string) []string {
	if v.IsUnknown() {
		return standIn(rd, p, whole)
	}
	out := make([]string, 0, len(v.Elements()))
	for i, e := range v.Elements() {
		s, _ := e.(types.String)
		if s.IsNull() {
			continue // refused by the schema's validators
		}
		out = append(out, rd.str(s, fmt.Sprintf("%s[%d]", p, i), "", element(i)))
	}
	return out
}

// numberValue is the framework value of a whole number.
func numberValue(n int) types.Number { return types.NumberValue(new(big.Float).SetInt64(int64(n))) }

// zoneStandIns are the zones an unknown availability_zones takes.
func zoneStandIns(f cloud.Facts, region string) [][]string {
	all := f.DefaultZones(region)
	return [][]string{all[:2], all}
}

// instanceStandIns are the machine types an unknown instance_type takes:
// the first and the last of the cloud's catalog, whose GPUs come with the
// machine.
func instanceStandIns(c segment.Cloud) []string {
	all := catalog.Instances(string(c))
	if len(all) == 0 {
		return []string{"", ""} // not a cloud: the cloud's own check reports it
	}
	return []string{all[0].Name, all[len(all)-1].Name}
}

// sourceStandIn gives an unknown from_cidrs element a distinct range.
func sourceStandIn(i int) []string {
	return []string{fmt.Sprintf("192.0.2.%d/32", i), fmt.Sprintf("198.51.100.%d/32", i)}
}

func parsePrefix(s string) netip.Prefix {
	p, _ := netplan.ParsePrefix(s)
	return p
}

func tierNames() []string           { return segment.Names(segment.Tiers()) }
func classificationNames() []string { return segment.Names(segment.Classifications()) }
func accessNames() []string         { return segment.Names(segment.AccessLevels()) }
func purposeNames() []string        { return segment.Names(segment.Purposes()) }
func cloudNames() []string          { return segment.Names(segment.SupportedClouds()) }
func namespacePurposeNames() []string {
	return segment.Names(segment.NamespacePurposes())
}

// indexed returns the path of an attribute of a list element.
func indexed(list string, i int, attribute string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, attribute)
}

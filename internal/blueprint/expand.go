package blueprint

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Tag keys every resource carries besides the environment and tier tags.
const (
	OrganizationTagKey   = "segmented:organization"
	ClassificationTagKey = "segmented:data-classification"
	ManagedByTagKey      = "segmented:managed-by"
	ManagedByTagValue    = "terraform-provider-segmented"
)

// ReservedTagPrefix starts every tag key the blueprint sets itself; user tags
// may not use it.
const ReservedTagPrefix = "segmented:"

// expander builds the blueprint of one environment in one cloud.
type expander interface {
	blueprint() (Blueprint, error)
	// principals returns how the cloud's policies name the environment's
	// identities, sorted. It reads only the environment's identity
	// (organization, name, tier, region, account, CI subject, human access).
	principals() []string
}

// expanders are the clouds that have a blueprint; the cloud's facts are in
// internal/cloud.
var expanders = map[segment.Cloud]func(segment.Environment) expander{
	segment.AWS:   newAWS,
	segment.GCP:   newGCP,
	segment.Azure: newAzure,
}

// principalsOf returns the principals of identities, sorted.
func principalsOf(ids []Identity) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, id.Principal)
	}
	slices.Sort(out)
	return out
}

// ciOIDCProvider is the host of the issuer the deployer trusts, or empty
// when there is no deployer.
func ciOIDCProvider(env segment.Environment) string {
	if env.CISubject == "" {
		return ""
	}
	return env.CIOIDCProvider
}

func expanderFor(env segment.Environment) (expander, error) {
	if err := env.Cloud.Check(); err != nil {
		return nil, err
	}
	newExpander, ok := expanders[env.Cloud]
	if !ok {
		return nil, fmt.Errorf("no blueprint for cloud %q yet", env.Cloud)
	}
	return newExpander(env), nil
}

// Expand builds the blueprint of env. The environment must have passed the
// rules that make it expandable (SEG102, SEG401, SEG402, SEG404 cannot be
// waived); otherwise Expand returns an error that says what is missing.
func Expand(env segment.Environment) (Blueprint, error) {
	e, err := expanderFor(env)
	if err != nil {
		return Blueprint{}, err
	}
	return e.blueprint()
}

// Tags returns the tags (labels) of every resource of env: its default
// tags, overlaid by the reserved segmented:* tags in the cloud's form of
// keys.
func Tags(env segment.Environment) map[string]string {
	tags := maps.Clone(env.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	f, _ := cloud.For(env.Cloud)
	for k, v := range map[string]string{
		segment.EnvironmentTagKey: env.Name,
		segment.TierTagKey:        string(env.Tier),
		OrganizationTagKey:        env.Organization,
		ClassificationTagKey:      string(env.DataClassification),
		ManagedByTagKey:           ManagedByTagValue,
	} {
		tags[f.ReservedTagKey(k)] = v
	}
	return tags
}

// Summarize returns the facts about an environment that the topology checks,
// from the environment and its blueprint: the principals are those of the
// blueprint's identities, not computed a second time.
func Summarize(env segment.Environment, bp Blueprint) Summary {
	principals := principalsOf(bp.Identities)
	return Summary{
		Name:           env.Name,
		Organization:   env.Organization,
		Tier:           string(env.Tier),
		Cloud:          string(env.Cloud),
		Region:         env.Region,
		AccountID:      env.AccountID,
		CIDR:           env.CIDR.String(),
		CISubject:      env.CISubject,
		CIOIDCProvider: env.CIOIDCProvider,
		Principals:     principals,
		EntryCIDRs:     EntryCIDRs(env.Ingress),
		Namespaces:     namespacePurposes(env.WorkloadNamespaces()),
	}
}

// namespacePurposes returns the purposes of the workload namespaces, sorted.
func namespacePurposes(ns []segment.Namespace) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, string(n.Purpose))
	}
	slices.Sort(out)
	return out
}

// key turns a service or zone name into a stable key: dots become dashes.
func key(parts ...string) string {
	return strings.ReplaceAll(strings.Join(parts, "-"), ".", "-")
}

func waivers(env segment.Environment) []Waiver {
	out := make([]Waiver, 0, len(env.Waivers))
	for _, w := range env.Waivers {
		out = append(out, Waiver{Rule: strings.ToUpper(w.Rule), Reason: w.Reason})
	}
	slices.SortFunc(out, func(a, b Waiver) int { return strings.Compare(a.Rule, b.Rule) })
	return out
}

// ptr returns a pointer to v: a value that is present, where nil is null.
func ptr[T any](v T) *T { return &v }

func sortByKey[T any](items []T, keyOf func(T) string) {
	slices.SortStableFunc(items, func(a, b T) int { return strings.Compare(keyOf(a), keyOf(b)) })
}

// Principals returns how the cloud's policies name the identities env has,
// sorted: role ARNs on AWS. It needs only the environment's identity
// (organization, name, tier, region, account, CI subject, human access), so
// it can be known before the rest of the environment is.
func Principals(env segment.Environment) ([]string, error) {
	e, err := expanderFor(env)
	if err != nil {
		return nil, err
	}
	return e.principals(), nil
}

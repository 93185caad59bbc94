// Package cloud holds the facts of each cloud that the rules, the blueprint
// and the provider depend on: the bounds of an environment's network, the
// rules of globally unique names, the length of role names and the format of
// principals. It is the only place that switches on the cloud.
//
// It holds only AWS's facts so far: network sizes, subnet limits, global
// names, the formats of account IDs, regions and zones, the log store's
// retention periods and the node pool limit. It is the home for the rest:
// the key bounds of the provider's schema belong here too, and move as they
// are next touched, as do gcp.go and azure.go.
package cloud

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Facts are what the rest of the provider needs to know of one cloud.
type Facts struct {
	Cloud segment.Cloud
	// Name is the cloud's name as people write it ("AWS").
	Name string
	// Network is what the cloud calls an environment's network ("VPC").
	Network string
	// NetworkPrefix bounds the prefix length of an environment's network.
	NetworkPrefix PrefixBounds
	// Subnets are the limits of the cloud's subnets that carving depends on.
	Subnets netplan.Limits
	// GlobalNames are the rules of the names that must be unique across
	// every account of the cloud, such as S3 bucket names.
	GlobalNames NameRules
	// RoleNameMaxLength is the longest role name the cloud accepts.
	RoleNameMaxLength int

	// AccountID is the format of an environment's account_id: the AWS
	// account, GCP project or Azure subscription that holds it.
	AccountID Pattern
	// Region and Zone are the formats of region and zone names.
	Region Pattern
	Zone   Pattern
	// LogService names the cloud's log store, and LogRetentionDays are the
	// retention periods it accepts, shortest first.
	LogService       string
	LogRetentionDays []int
	// MaxPoolSize is the largest max_size of a GPU node pool: the limit of
	// the cloud's managed node groups.
	MaxPoolSize int

	roleARN func(region, account, name string) string
}

// RoleARN returns the identifier of the role name in an account and region,
// as it appears in a summary's principals.
func (f Facts) RoleARN(region, account, name string) string { return f.roleARN(region, account, name) }

// Pattern is the format of one kind of identifier of a cloud.
type Pattern struct {
	re *regexp.Regexp
	// Want says what a matching value is, for messages: "a 12-digit AWS
	// account ID".
	Want string
}

func pattern(expr, want string) Pattern { return Pattern{re: regexp.MustCompile(expr), Want: want} }

// Check reports why a value does not have the format, or nil.
func (p Pattern) Check(s string) error {
	if p.re.MatchString(s) {
		return nil
	}
	return fmt.Errorf("%q is not %s", s, p.Want)
}

// CheckLogRetention reports why a retention period is not one the cloud's
// log store accepts, or nil.
func (f Facts) CheckLogRetention(days int) error {
	if slices.Contains(f.LogRetentionDays, days) {
		return nil
	}
	periods := make([]string, len(f.LogRetentionDays))
	for i, d := range f.LogRetentionDays {
		periods[i] = strconv.Itoa(d)
	}
	return fmt.Errorf("%d days is not a retention period %s accepts; use one of %s", days, f.LogService, strings.Join(periods, ", "))
}

// PrefixBounds are the shortest and the longest prefix length a network may
// have: a /Shortest is the largest network, a /Longest the smallest.
type PrefixBounds struct {
	Shortest int
	Longest  int
}

// Contains reports whether a prefix length is within the bounds.
func (b PrefixBounds) Contains(bits int) bool { return bits >= b.Shortest && bits <= b.Longest }

// NameRules are the rules a kind of name must follow.
type NameRules struct {
	Kind             string // what the names are, such as "S3 bucket name"
	MinLength        int
	MaxLength        int
	ReservedPrefixes []string
	ReservedSuffixes []string
}

// Check reports why a complete name breaks the rules, or nil.
func (n NameRules) Check(name string) error {
	if len(name) < n.MinLength || len(name) > n.MaxLength {
		return fmt.Errorf("%s %q has %d characters; it must have %d to %d", n.Kind, name, len(name), n.MinLength, n.MaxLength)
	}
	for _, p := range n.ReservedPrefixes {
		if strings.HasPrefix(name, p) {
			return fmt.Errorf("%s %q starts with %q, which is reserved", n.Kind, name, p)
		}
	}
	for _, s := range n.ReservedSuffixes {
		if strings.HasSuffix(name, s) {
			return fmt.Errorf("%s %q ends with %q, which is reserved", n.Kind, name, s)
		}
	}
	return nil
}

// CheckPrefix reports why names that start with prefix, followed by more
// lower-case words joined by single dashes (an environment's name and a
// purpose), could break the reserved-prefix rules, or nil. It refuses a
// prefix that is reserved itself, and one that a reserved prefix continues
// in the form of such words, since some environment name would complete it.
func (n NameRules) CheckPrefix(prefix string) error {
	for _, p := range n.ReservedPrefixes {
		if strings.HasPrefix(prefix, p) {
			return fmt.Errorf("every %s would start with %q, which is reserved", n.Kind, p)
		}
		if rest, ok := strings.CutPrefix(p, prefix); ok && wordsStart(rest) {
			return fmt.Errorf("for an environment whose name starts with %q, every %s would start with %q, which is reserved",
				strings.TrimSuffix(rest, "-"), n.Kind, p)
		}
	}
	return nil
}

// wordsStart reports whether s can begin lower-case words joined by single
// dashes, the form of environment names.
func wordsStart(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || strings.Contains(s, "--") {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-'
	})
}

var facts = map[segment.Cloud]Facts{segment.AWS: AWS}

// For returns the facts of a cloud; false when there are none yet.
func For(c segment.Cloud) (Facts, bool) {
	f, ok := facts[c]
	return f, ok
}

// Supported returns the facts of every cloud that has a blueprint, in the
// order of segment.SupportedClouds.
func Supported() []Facts {
	var out []Facts
	for _, c := range segment.SupportedClouds() {
		if f, ok := facts[c]; ok {
			out = append(out, f)
		}
	}
	return out
}

// NetworkPrefix returns the prefix lengths every supported cloud accepts for
// an environment's network: what a range allocated before its cloud is known
// must keep to.
func NetworkPrefix() PrefixBounds {
	all := Supported()
	b := all[0].NetworkPrefix
	for _, f := range all[1:] {
		b.Shortest = max(b.Shortest, f.NetworkPrefix.Shortest)
		b.Longest = min(b.Longest, f.NetworkPrefix.Longest)
	}
	return b
}

// LongestCarvable returns the longest network prefix that every supported
// cloud can carve into subnets for n zones: what a range allocated before
// its cloud is known must keep to.
func LongestCarvable(zones int) int {
	all := Supported()
	longest := all[0].Subnets.MaxPrefixLen(zones)
	for _, f := range all[1:] {
		longest = min(longest, f.Subnets.MaxPrefixLen(zones))
	}
	return longest
}

// CheckOrganization reports why an organization would make generated names
// invalid in some supported cloud, or nil. Every generated name starts with
// "{organization}-".
func CheckOrganization(organization string) error {
	var errs []string
	for _, f := range Supported() {
		if err := f.GlobalNames.CheckPrefix(organization + "-"); err != nil {
			errs = append(errs, fmt.Sprintf("in %s, %s", f.Cloud, err))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	slices.Sort(errs)
	return fmt.Errorf("%s", strings.Join(errs, "; "))
}

// VariableSeparator joins the fixed purpose of a generated name to a part
// that is itself a name, such as the source environment of a promoter role.
// Organization and environment names never contain it, so a name with a
// variable part can never equal another environment's fixed names.
const VariableSeparator = "--"

// PromoterRole returns the purpose part of the name of the promoter role
// that a model promotion from source creates in its target:
// "{organization}-{target}-promoter--{source}".
func PromoterRole(source string) string { return "promoter" + VariableSeparator + source }

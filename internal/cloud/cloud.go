// Package cloud holds the facts of each cloud that the rules, the blueprint
// and the provider depend on: the bounds of an environment's network, the
// rules of globally unique names, the length of role names and the format of
// principals. It is the only place that switches on the cloud.
//
// Every cloud DESIGN.md names has its facts here (aws.go, gcp.go, azure.go),
// whether or not it has a blueprint yet: Supported lists those that do, and
// the bounds the provider's schema keeps to are derived from them.
package cloud

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
	// NameLimits are the generated names whose length the cloud bounds
	// (SEG203): the longest of each kind.
	NameLimits []NameLimit

	// AccountID is the format of an environment's account_id: the AWS
	// account, GCP project or Azure subscription that holds it.
	AccountID Pattern
	// Region and Zone are the formats of region and zone names.
	Region Pattern
	Zone   Pattern
	// LogRetention are the retention periods of the cloud's log store.
	LogRetention Days
	// KeyRotation and KeyDeletion are the rotation periods and the deletion
	// (or soft-delete) windows of the cloud's key service.
	KeyRotation Days
	KeyDeletion Days
	// ZoneSeparator joins a region and a zone letter in zone names: "" on
	// AWS (us-east-1a), "-" on Google Cloud (europe-west4-a). Azure names
	// its zones by number in every region (zoneNumbers).
	ZoneSeparator string
	zoneNumbers   bool
	// TagKey and TagValue are the formats of the tag (label) keys and values
	// every resource carries; reservedTagKey turns the blueprint's own
	// segmented:* keys into the cloud's format.
	TagKey         Pattern
	TagValue       Pattern
	reservedTagKey func(string) string

	// MaxPoolSize is the largest max_size of a GPU node pool: the limit of
	// the cloud's managed node groups.
	MaxPoolSize int
	// PoolService names the managed node groups MaxPoolSize limits.
	PoolService string

	principal func(Identity) string
}

// Identity is one identity of an environment: a role, service account or
// managed identity.
type Identity struct {
	Region  string
	Account string // the account, project or subscription
	// Environment is the environment's resource prefix,
	// "{organization}-{environment}", which is also the name of the Azure
	// resource group the identity lives in.
	Environment string
	Name        string // the identity's full name
}

// IdentityOf returns the identity of one purpose of an environment, named
// "{organization}-{environment}-{purpose}".
func IdentityOf(env segment.Environment, purpose string) Identity {
	return Identity{Region: env.Region, Account: env.AccountID, Environment: env.Prefix(), Name: env.ResourceName(purpose)}
}

// DefaultZones returns the zones an environment in region uses when it
// names none: the region's first three.
func (f Facts) DefaultZones(region string) []string {
	if f.zoneNumbers {
		return []string{"1", "2", "3"}
	}
	return []string{region + f.ZoneSeparator + "a", region + f.ZoneSeparator + "b", region + f.ZoneSeparator + "c"}
}

// ZoneIn reports whether a zone name, of the cloud's zone format, names a
// zone of region: AWS and Google Cloud name zones by their region, Azure
// numbers them the same in every region.
func (f Facts) ZoneIn(region, zone string) bool {
	if f.zoneNumbers {
		return true
	}
	return strings.HasPrefix(zone, region+f.ZoneSeparator) && len(zone) == len(region)+len(f.ZoneSeparator)+1
}

// NameLimit is a generated name with a length limit: the name of the
// environment's resource of one purpose, "{organization}-{environment}-
// {purpose}", or the same without dashes.
type NameLimit struct {
	Kind      string // "service account ID"
	Purpose   string // the longest purpose that kind of name takes
	MaxLength int
	NoDashes  bool
}

// Name returns the name of the purpose for an environment's prefix.
func (l NameLimit) Name(prefix string) string {
	name := prefix + "-" + l.Purpose
	if l.NoDashes {
		return strings.ReplaceAll(name, "-", "")
	}
	return name
}

// ReservedTagKey returns the cloud's form of one of the blueprint's own tag
// keys, such as "segmented:environment" (a Google Cloud label key is
// "segmented-environment").
func (f Facts) ReservedTagKey(key string) string {
	if f.reservedTagKey == nil {
		return key
	}
	return f.reservedTagKey(key)
}

// Principal returns how the cloud's policies name an identity: an AWS role
// ARN, a GCP service account's email address, an Azure managed identity's
// resource ID. It is what a summary's principals list.
func (f Facts) Principal(id Identity) string { return f.principal(id) }

// Days are the periods, in days, a setting of a cloud service accepts: any
// whole number from Min to Max, or, when Only is set, one of Only.
type Days struct {
	Service string // the service whose setting it is, for messages
	Min     int
	Max     int
	Only    []int // shortest first; Min and Max are its ends
}

func between(service string, lo, hi int) Days { return Days{Service: service, Min: lo, Max: hi} }

func oneOf(service string, days ...int) Days {
	return Days{Service: service, Min: days[0], Max: days[len(days)-1], Only: days}
}

// Check reports why a period is not one the service accepts, or nil.
func (d Days) Check(days int) error {
	switch {
	case d.Only == nil && days >= d.Min && days <= d.Max, slices.Contains(d.Only, days):
		return nil
	case d.Only == nil:
		return fmt.Errorf("%d days is outside what %s accepts: %s", days, d.Service, d)
	}
	return fmt.Errorf("%d days is not a period %s accepts; use one of %s", days, d.Service, d)
}

// String says which periods are accepted: "90 to 2560 days" or a list.
func (d Days) String() string {
	if d.Only == nil {
		return fmt.Sprintf("%d to %d days", d.Min, d.Max)
	}
	periods := make([]string, len(d.Only))
	for i, p := range d.Only {
		periods[i] = strconv.Itoa(p)
	}
	return strings.Join(periods, ", ")
}

// Pattern is the format of one kind of identifier of a cloud.
type Pattern struct {
	expr string
	re   *regexp.Regexp
	// lengths bounds the length in characters, for a pattern whose
	// expression does not (sized); nil if it does.
	lengths *[2]int
	// Want says what a matching value is, for messages: "a 12-digit AWS
	// account ID".
	Want string
}

func pattern(expr, want string) Pattern {
	return Pattern{expr: expr, re: regexp.MustCompile(expr), Want: want}
}

// sized is a run of min to max characters of class. The length is counted
// apart: RE2 compiles class{1,512} into 512 copies of the class, and a
// Unicode class made that cost 11 ms at every start of the provider.
func sized(class string, minLen, maxLen int, want string) Pattern {
	return Pattern{
		expr:    fmt.Sprintf("^%s{%d,%d}$", class, minLen, maxLen),
		re:      regexp.MustCompile("^" + class + "*$"),
		lengths: &[2]int{minLen, maxLen},
		Want:    want,
	}
}

// Regexp is the format as a regular expression (RE2 syntax, which
// Terraform's regex function takes too).
func (p Pattern) Regexp() string { return p.expr }

// Check reports why a value does not have the format, or nil.
func (p Pattern) Check(s string) error {
	n := utf8.RuneCountInString(s)
	if p.re.MatchString(s) && (p.lengths == nil || n >= p.lengths[0] && n <= p.lengths[1]) {
		return nil
	}
	return fmt.Errorf("%q is not %s", s, p.Want)
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
	ReservedWords    []string // may appear nowhere in a name
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
	for _, w := range n.ReservedWords {
		if strings.Contains(name, w) {
			return fmt.Errorf("%s %q contains %q, which is reserved", n.Kind, name, w)
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
	for _, w := range n.ReservedWords {
		if strings.Contains(prefix, w) {
			return fmt.Errorf("every %s would contain %q, which is reserved", n.Kind, w)
		}
	}
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

var facts = map[segment.Cloud]Facts{segment.AWS: AWS, segment.GCP: GCP, segment.Azure: Azure}

// For returns the facts of a cloud; false for a name that is not a cloud.
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

// Span returns the smallest range that holds the periods of one setting in
// every supported cloud: the bounds the provider's schema keeps to before it
// knows the cloud. Each cloud's own periods are checked once it is known.
func Span(setting func(Facts) Days) (lo, hi int) {
	all := Supported()
	lo, hi = setting(all[0]).Min, setting(all[0]).Max
	for _, f := range all[1:] {
		lo, hi = min(lo, setting(f).Min), max(hi, setting(f).Max)
	}
	return lo, hi
}

// Each describes a fact of every supported cloud: "AWS: 450", joined by
// "; ", for documentation and remediation text.
func Each(fact func(Facts) string) string {
	var parts []string
	for _, f := range Supported() {
		parts = append(parts, f.Name+": "+fact(f))
	}
	return strings.Join(parts, "; ")
}

// AllocatablePrefix returns the prefix lengths that some supported cloud
// accepts for an environment's network and can carve into subnets for n
// zones: the bounds of a range allocated before its cloud is known. Each
// environment's range is then held to its own cloud's bounds (SEG104), so a
// bound that suits one cloud never refuses a configuration for another.
func AllocatablePrefix(zones int) PrefixBounds {
	var b PrefixBounds
	for i, f := range Supported() {
		longest := min(f.NetworkPrefix.Longest, f.Subnets.MaxPrefixLen(zones))
		if i == 0 {
			b = PrefixBounds{Shortest: f.NetworkPrefix.Shortest, Longest: longest}
			continue
		}
		b.Shortest, b.Longest = min(b.Shortest, f.NetworkPrefix.Shortest), max(b.Longest, longest)
	}
	return b
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

package envfile

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

// environmentName is what segmented_ml_environment's name accepts.
var environmentName = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// maxEnvironmentName is the longest name segmented_ml_environment accepts.
const maxEnvironmentName = 16

// checkEnvironmentName reports a name segmented_ml_environment would reject.
func (d *decoder) checkEnvironmentName(name string, rng hcl.Range) {
	switch {
	case !environmentName.MatchString(name):
		d.errorf(rng, "Invalid environment name",
			"%q must start with a lower-case letter and contain only lower-case letters, digits and single dashes, such as \"prod\" or \"ml-staging\", as segmented_ml_environment's name.", name)
	case len(name) > maxEnvironmentName:
		d.errorf(rng, "Invalid environment name",
			"%q is %d characters long; segmented_ml_environment's name is at most %d.", name, len(name), maxEnvironmentName)
	}
}

var (
	awsAccount     = regexp.MustCompile(`^[0-9]{12}$`)
	gcpProject     = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	azureSubscript = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// checkAccount accepts an AWS account ID, a Google Cloud project ID or an
// Azure subscription ID. It returns the canonical form: subscription IDs in
// lower case, as Azure writes them in resource IDs.
func checkAccount(s string) (string, string) {
	switch {
	case awsAccount.MatchString(s), gcpProject.MatchString(s):
		return s, ""
	case azureSubscript.MatchString(s):
		return strings.ToLower(s), ""
	case strings.Trim(s, "0123456789") == "":
		return "", "an AWS account ID has exactly 12 digits, leading zeros included, such as \"012345678901\""
	}
	return "", "an account is an AWS account ID (12 digits, such as \"333333333333\"), a Google Cloud project ID (6 to 30 lower-case letters, digits and dashes, starting with a letter, such as \"acme-ml-prod\") or an Azure subscription ID (a GUID such as \"00000000-0000-0000-0000-000000000003\")"
}

// checkPrincipal accepts an identifier of one identity: a role ARN, a
// service account e-mail, a managed identity ID.
func checkPrincipal(s string) (string, string) {
	if msg := checkText(s); msg != "" {
		return "", msg
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return "", "a principal identifier holds no white space"
	}
	if strings.Contains(s, "*") {
		return "", "a principal names one identity, so it holds no wildcard; list each identity"
	}
	return s, ""
}

// checkText returns why s cannot be a key or an identifier, or "".
func checkText(s string) string {
	switch {
	case s == "":
		return "it is empty"
	case strings.TrimSpace(s) != s:
		return "it starts or ends with white space; remove it"
	case strings.ContainsFunc(s, unicode.IsControl):
		return "it holds a control character"
	}
	return ""
}

// isPrivate reports whether p is inside a private or shared range.
func isPrivate(p netip.Prefix) bool { return netplan.IsPrivate(p) }

// checkCIDROverlaps reports ranges that overlap: within one environment
// (redundant), or between two (SEG601: they would not be isolated, and the
// audit could not tell whose an address is). Each is reported once, on the
// range declared later.
func (d *decoder) checkCIDROverlaps() {
	named := make([]netplan.Named, len(d.cidrs))
	for i, c := range d.cidrs {
		named[i] = netplan.Named{Name: strconv.Itoa(i), Prefix: c.prefix}
	}
	for _, o := range netplan.Overlaps(named) {
		i, _ := strconv.Atoi(o.A.Name)
		j, _ := strconv.Atoi(o.B.Name)
		if i > j {
			i, j = j, i
		}
		first, later := d.cidrs[i], d.cidrs[j]
		if first.env == later.env {
			d.errorf(later.rng, "Overlapping CIDRs in one environment",
				"%s overlaps %s, listed at %s for the same environment; list each range once.", later.prefix, first.prefix, at(first.rng))
			continue
		}
		d.errorf(later.rng, "CIDRs of two environments overlap",
			"%s of environment %q overlaps %s of environment %q (%s). Environments must not share addresses (SEG601); give each its own range.",
			later.prefix, later.env, first.prefix, first.env, at(first.rng))
	}
}

// checkPatternOverlaps reports patterns of one kind that match exactly the
// same strings ("prod-*" and "prod-**" do): a duplicate within one
// environment, and a certain ambiguity between two.
func (d *decoder) checkPatternOverlaps() {
	for j, later := range d.patterns {
		for _, first := range d.patterns[:j] {
			if first.Kind != later.Kind || !equivalent(first.Glob, later.Glob) {
				continue
			}
			if first.Environment == later.Environment {
				d.errorf(later.rng, "Duplicate "+later.Kind+" pattern",
					"The pattern %q matches exactly what %q at %s matches; list it once.", later.Glob, first.Glob, at(first.rng))
			} else {
				d.errorf(later.rng, "The same "+later.Kind+" pattern in two environments",
					"The pattern %q of environment %q matches exactly what %q of environment %q (%s) matches, so no resource it matches could be attributed. Keep it in one environment.",
					later.Glob, later.Environment, first.Glob, first.Environment, at(first.rng))
			}
			break
		}
	}
}

// at renders a range's start for a message: "environments.hcl:12,3".
func at(rng hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", rng.Filename, rng.Start.Line, rng.Start.Column)
}

// quoteJoin renders `"a", "b", "c"`.
func quoteJoin(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

// quoteList renders `"a", "b" or "c"`.
func quoteList[T ~string](xs []T, conj string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(string(x))
	}
	switch len(q) {
	case 0:
		return "none"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

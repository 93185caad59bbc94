package cloud_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

func TestFor(t *testing.T) {
	f, ok := cloud.For(segment.AWS)
	if !ok || f.Cloud != segment.AWS || f.NetworkPrefix != (cloud.PrefixBounds{Shortest: 16, Longest: 28}) || f.RoleNameMaxLength != 64 {
		t.Errorf("For(aws) = %+v, %v", f, ok)
	}
	for _, c := range []segment.Cloud{"", "AWS", "gcp ", "oci"} {
		if _, ok := cloud.For(c); ok {
			t.Errorf("For(%q) has facts, but it is not a cloud", c)
		}
	}
	for _, c := range segment.Clouds() {
		if f, ok := cloud.For(c); !ok || f.Cloud != c {
			t.Errorf("cloud %q has no facts", c)
		}
	}
	if got := cloud.Supported(); len(got) != len(segment.SupportedClouds()) || got[0].Cloud != segment.AWS {
		t.Errorf("Supported() = %d clouds, want those with a blueprint: %v", len(got), segment.SupportedClouds())
	}
	// AWS builds a /16 to a /24 for three zones, Google Cloud a /8 to a /20.
	if got := cloud.AllocatablePrefix(3); got != (cloud.PrefixBounds{Shortest: 8, Longest: 24}) {
		t.Errorf("AllocatablePrefix(3) = %+v", got)
	}
}

func TestPrefixBounds(t *testing.T) {
	b := cloud.AWS.NetworkPrefix
	for bits, want := range map[int]bool{0: false, 8: false, 15: false, 16: true, 24: true, 28: true, 29: false, 32: false} {
		if b.Contains(bits) != want {
			t.Errorf("Contains(%d) = %v, want %v", bits, !want, want)
		}
	}
}

// TestPrincipal: each cloud names an identity in its own format, and every
// cloud's principal for the same identity differs, so a summary can never
// pass one cloud's principal off as another's.
func TestPrincipal(t *testing.T) {
	for _, tc := range []struct {
		facts           cloud.Facts
		region, account string
		want            string
	}{
		{cloud.AWS, "us-east-1", "123456789012", "arn:aws:iam::123456789012:role/acme-prod-deployer"},
		{cloud.AWS, "us-gov-west-1", "123456789012", "arn:aws-us-gov:iam::123456789012:role/acme-prod-deployer"},
		{cloud.AWS, "cn-north-1", "123456789012", "arn:aws-cn:iam::123456789012:role/acme-prod-deployer"},
		{cloud.GCP, "europe-west4", "acme-ml-prod", "acme-prod-deployer@acme-ml-prod.iam.gserviceaccount.com"},
		{cloud.Azure, "westeurope", "00000000-0000-4000-8000-000000000001",
			"/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/acme-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acme-prod-deployer"},
	} {
		id := cloud.Identity{Region: tc.region, Account: tc.account, Environment: "acme-prod", Name: "acme-prod-deployer"}
		if got := tc.facts.Principal(id); got != tc.want {
			t.Errorf("%s Principal(%s) = %q, want %q", tc.facts.Name, tc.region, got, tc.want)
		}
	}
	seen := map[string]segment.Cloud{}
	for _, c := range segment.Clouds() {
		f, ok := cloud.For(c)
		if !ok {
			t.Fatalf("no facts for %s", c)
		}
		p := f.Principal(cloud.Identity{Region: "r", Account: "a", Environment: "e", Name: "n"})
		if other, dup := seen[p]; dup {
			t.Errorf("%s and %s both name an identity %q", other, c, p)
		}
		seen[p] = c
	}
}

func TestBucketNames(t *testing.T) {
	n := cloud.AWS.GlobalNames
	for _, ok := range []string{"acme-prod-data", "abc", strings.Repeat("a", 63), "xn-a", "acme-s3alias-data"} {
		if err := n.Check(ok); err != nil {
			t.Errorf("Check(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"ab", strings.Repeat("a", 64), "sthree-prod-data", "amzn-s3-demo-x-data", "xn--prod-data",
		"acme-data-s3alias", "acme--ol-s3", "acme.mrap", "acme--x-s3", "acme--table-s3"} {
		if err := n.Check(bad); err == nil {
			t.Errorf("Check(%q) = nil, want an error", bad)
		}
	}
}

func TestCheckOrganization(t *testing.T) {
	for _, ok := range []string{"acme", "xn", "x", "sthre", "sthreex", "amzns3", "amzn-s4", "s3", "amazon", "acme-sthree"} {
		if err := cloud.CheckOrganization(ok); err != nil {
			t.Errorf("CheckOrganization(%q) = %v", ok, err)
		}
	}
	for org, says := range map[string]string{
		"sthree":       `"sthree-"`,
		"sthree-ml":    `"sthree-"`,
		"amzn-s3-demo": `"amzn-s3-demo-"`,
		"amzn-s3":      `environment whose name starts with "demo"`,
		"amzn":         `environment whose name starts with "s3-demo"`,
	} {
		err := cloud.CheckOrganization(org)
		if err == nil || !strings.Contains(err.Error(), says) || !strings.Contains(err.Error(), "S3 bucket name") {
			t.Errorf("CheckOrganization(%q) = %v, want an error that says %s", org, err, says)
		}
	}
}

// TestCheckPrefixIsExact: CheckPrefix refuses a prefix exactly when some
// continuation in the form of environment names and purposes gives a
// reserved name, over every short continuation of a small alphabet.
func TestCheckPrefixIsExact(t *testing.T) {
	n := cloud.NameRules{Kind: "name", MinLength: 1, MaxLength: 100, ReservedPrefixes: []string{"ab-c", "x--"}}
	conts := []string{""}
	for range 4 {
		for _, c := range conts {
			for _, r := range "abcx-" {
				conts = append(conts, c+string(r))
			}
		}
	}
	words := func(s string) bool {
		return s != "" && s[0] >= 'a' && s[0] <= 'z' && !strings.Contains(s, "--") && !strings.HasSuffix(s, "-")
	}
	for _, org := range []string{"a", "ab", "ab-c", "x", "b", "ab-cx"} {
		reachable := false
		for _, c := range conts {
			if words(c) && n.Check(org+"-"+c) != nil {
				reachable = true
			}
		}
		if got := n.CheckPrefix(org+"-") != nil; got != reachable {
			t.Errorf("CheckPrefix(%q) refuses = %v, but a reserved name is reachable = %v", org+"-", got, reachable)
		}
	}
}

func TestPromoterRole(t *testing.T) {
	if got := cloud.PromoterRole("staging"); got != "promoter--staging" {
		t.Errorf("PromoterRole(staging) = %q", got)
	}
}

// TestFormats: the formats the provider checks account_id, region and zones
// against, per cloud.
func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		p         cloud.Pattern
		good, bad []string
	}{
		{cloud.AWS.AccountID, []string{"333333333333", "000000000000"}, []string{"", "12345", "3333333333333", "33333333333a", " 333333333333"}},
		{cloud.AWS.Region, []string{"us-east-1", "us-gov-west-1", "eu-central-2", "us-isob-east-1"}, []string{"", "US-East-1", "us-east", "us-east-1a", "useast1"}},
		{cloud.AWS.Zone, []string{"us-east-1a", "us-gov-west-1b"}, []string{"", "us-east-1", "use1-az1", "us-east-1A"}},
		{cloud.GCP.AccountID, []string{"acme-ml-prod", "abcdef", "a2345678901234567890123456789a"},
			[]string{"", "abcde", "1acme-prod", "acme-prod-", "Acme-prod", "a23456789012345678901234567890a", "333333333333"}},
		{cloud.GCP.Region, []string{"europe-west4", "us-central1", "northamerica-northeast1"}, []string{"", "us-east-1", "europe-west4-a", "EU-west4"}},
		{cloud.GCP.Zone, []string{"europe-west4-a", "us-central1-f"}, []string{"", "europe-west4", "us-east-1a", "europe-west4-1"}},
		{cloud.Azure.AccountID, []string{"00000000-0000-4000-8000-000000000001"},
			[]string{"", "333333333333", "00000000-0000-4000-8000-00000000000", "00000000-0000-4000-8000-00000000000G", "00000000-0000-4000-8000-00000000000A"}},
		{cloud.Azure.Region, []string{"westeurope", "eastus2", "usgovvirginia"}, []string{"", "west-europe", "us-east-1", "West Europe"}},
		{cloud.Azure.Zone, []string{"1", "2", "3"}, []string{"", "0", "4", "westeurope-1", "us-east-1a"}},
		// Tags: the length is counted in characters, apart from the class.
		{cloud.AWS.TagKey, []string{"a", "team:ml/owner@x", "équipe", strings.Repeat("é", 128)}, []string{"", "a#b", strings.Repeat("a", 129)}},
		{cloud.AWS.TagValue, []string{"", strings.Repeat("ü", 256)}, []string{"a*b", strings.Repeat("a", 257)}},
		{cloud.Azure.TagKey, []string{"Team", strings.Repeat("k", 512)}, []string{"", "a/b", "a<b", strings.Repeat("k", 513)}},
		{cloud.Azure.TagValue, []string{"", "any value: 100%", strings.Repeat("v", 256)}, []string{"line\nbreak", strings.Repeat("v", 257)}},
		{cloud.GCP.TagKey, []string{"team", "a" + strings.Repeat("b", 62)}, []string{"", "Team", "a" + strings.Repeat("b", 63)}},
	} {
		if _, err := regexp.Compile(tc.p.Regexp()); err != nil {
			t.Errorf("%s: %v", tc.p.Want, err)
		}
		for _, s := range tc.good {
			if err := tc.p.Check(s); err != nil {
				t.Errorf("%q: %v", s, err)
			}
		}
		for _, s := range tc.bad {
			if err := tc.p.Check(s); err == nil || !strings.Contains(err.Error(), tc.p.Want) {
				t.Errorf("%q: got %v, want an error naming %q", s, err, tc.p.Want)
			}
		}
	}
}

// TestDays: the periods of a service, as a list or a range, and what the
// schema keeps to before the cloud is known.
func TestDays(t *testing.T) {
	for _, tc := range []struct {
		d         cloud.Days
		good, bad []int
		msg       string
	}{
		{cloud.AWS.LogRetention, []int{1, 365, 3653}, []int{0, 2, 366, 3654}, "not a period CloudWatch Logs accepts; use one of 1, 3, 5, 7"},
		{cloud.AWS.KeyRotation, []int{90, 365, 2560}, []int{89, 2561}, "outside what AWS KMS accepts: 90 to 2560 days"},
		{cloud.AWS.KeyDeletion, []int{7, 30}, []int{6, 31}, "outside what AWS KMS accepts: 7 to 30 days"},
		{cloud.GCP.LogRetention, []int{1, 366, 3650}, []int{0, 3651}, "Cloud Logging accepts: 1 to 3650 days"},
		{cloud.GCP.KeyDeletion, []int{1, 120}, []int{0, 121}, "Cloud KMS accepts: 1 to 120 days"},
		{cloud.Azure.LogRetention, []int{30, 730}, []int{7, 731}, "Log Analytics accepts: 30 to 730 days"},
		{cloud.Azure.KeyDeletion, []int{7, 90}, []int{6, 91}, "Azure Key Vault accepts: 7 to 90 days"},
	} {
		for _, d := range tc.good {
			if err := tc.d.Check(d); err != nil {
				t.Errorf("%s %d: %v", tc.d.Service, d, err)
			}
		}
		for _, d := range tc.bad {
			if err := tc.d.Check(d); err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s %d: got %v, want an error with %q", tc.d.Service, d, err, tc.msg)
			}
		}
	}
	if lo, hi := cloud.Span(func(f cloud.Facts) cloud.Days { return f.KeyRotation }); lo != 1 || hi != 3650 {
		t.Errorf("Span(KeyRotation) = %d..%d, want 1..3650: Cloud KMS's lower and upper ends, which hold AWS's 90..2560", lo, hi)
	}
	if got := cloud.Each(func(f cloud.Facts) string { return f.KeyDeletion.String() }); got != "AWS: 7 to 30 days; Google Cloud: 1 to 120 days; Azure: 7 to 90 days" {
		t.Errorf("Each = %q", got)
	}
}

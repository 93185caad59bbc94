package cloud_test

import (
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
	for _, c := range []segment.Cloud{segment.GCP, segment.Azure, "", "AWS"} {
		if _, ok := cloud.For(c); ok {
			t.Errorf("For(%q) has facts; none are written yet", c)
		}
	}
	for _, c := range segment.SupportedClouds() {
		if _, ok := cloud.For(c); !ok {
			t.Errorf("supported cloud %q has no facts", c)
		}
	}
	if got := cloud.NetworkPrefix(); got != (cloud.PrefixBounds{Shortest: 16, Longest: 28}) {
		t.Errorf("NetworkPrefix() = %+v", got)
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

func TestRoleARN(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1":     "arn:aws:iam::123456789012:role/acme-prod-deployer",
		"us-gov-west-1": "arn:aws-us-gov:iam::123456789012:role/acme-prod-deployer",
		"cn-north-1":    "arn:aws-cn:iam::123456789012:role/acme-prod-deployer",
	} {
		if got := cloud.AWS.RoleARN(region, "123456789012", "acme-prod-deployer"); got != want {
			t.Errorf("RoleARN(%s) = %q, want %q", region, got, want)
		}
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

// TestAWSFormats: the formats the provider checks account_id, region and
// zones against, and the retention periods of CloudWatch Logs.
func TestAWSFormats(t *testing.T) {
	for _, tc := range []struct {
		p         cloud.Pattern
		good, bad []string
	}{
		{cloud.AWS.AccountID, []string{"333333333333", "000000000000"}, []string{"", "12345", "3333333333333", "33333333333a", " 333333333333"}},
		{cloud.AWS.Region, []string{"us-east-1", "us-gov-west-1", "eu-central-2", "us-isob-east-1"}, []string{"", "US-East-1", "us-east", "us-east-1a", "useast1"}},
		{cloud.AWS.Zone, []string{"us-east-1a", "us-gov-west-1b"}, []string{"", "us-east-1", "use1-az1", "us-east-1A"}},
	} {
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
	if err := cloud.AWS.CheckLogRetention(365); err != nil {
		t.Error(err)
	}
	if err := cloud.AWS.CheckLogRetention(366); err == nil || !strings.Contains(err.Error(), "CloudWatch Logs accepts; use one of 1, 3, 5, 7") {
		t.Errorf("366: %v", err)
	}
}

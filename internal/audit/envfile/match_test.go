package envfile

import (
	"reflect"
	"testing"
)

func TestAddressSubjects(t *testing.T) {
	tests := []struct {
		address string
		want    []string
	}{
		{"aws_vpc.main", []string{"aws_vpc.main"}},
		{"aws_vpc.main[0]", []string{"aws_vpc.main[0]", "aws_vpc.main"}},
		{"module.prod.aws_vpc.main", []string{"module.prod.aws_vpc.main", "module.prod"}},
		{`module.a["x"].module.b.aws_vpc.main[0]`, []string{
			`module.a["x"].module.b.aws_vpc.main[0]`,
			`module.a["x"].module.b.aws_vpc.main`,
			`module.a["x"].module.b`,
			`module.a["x"]`,
			`module.a`,
		}},
		{`module.a.data.aws_iam_policy_document.p["k.with.dots"]`, []string{
			`module.a.data.aws_iam_policy_document.p["k.with.dots"]`,
			`module.a.data.aws_iam_policy_document.p`,
			`module.a`,
		}},
		{`module.prod`, []string{`module.prod`}},
		{`bad..address`, []string{`bad..address`}},
		{`unclosed["x`, []string{`unclosed["x`}},
		{``, []string{``}},
	}
	for _, tc := range tests {
		if got := addressSubjects(tc.address); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("addressSubjects(%q) =\n %q\nwant\n %q", tc.address, got, tc.want)
		}
	}
}

// matchFile is the environments file the matching tests use.
const matchFile = `
environment "dev" {
  tier      = "development"
  names     = ["dev-*", "*-dev"]
  addresses = ["module.dev", "module.dev.*", "aws_*.dev_*"]
}
environment "prod" {
  tier      = "production"
  names     = ["prod-*", "*-prod"]
  addresses = ["module.prod", "module.prod.module.dev_mirror", "aws_*.prod_*"]
}
environment "shared" {
  tier      = "shared"
  names     = ["prod-logs-*", "prod-*-sink"]
  addresses = ["module.prod.aws_s3_bucket.central_logs", "module.prod[\"eu\"]", "*.aws_ecr_repository.*"]
}
`

func TestMatch(t *testing.T) {
	f, diags := Parse([]byte(matchFile), "e.hcl")
	if diags.HasErrors() {
		t.Fatal(Format(diags))
	}
	tests := []struct {
		kind, subject   string
		env, pattern    string
		ok, ambiguous   bool
		contenders, all int
	}{
		// Names.
		{KindName, "prod-api", "prod", "prod-*", true, false, 1, 1},
		{KindName, "api-prod", "prod", "*-prod", true, false, 1, 1},
		{KindName, "Prod-api", "", "", false, false, 0, 0}, // case-sensitive
		{KindName, "api", "", "", false, false, 0, 0},
		{KindName, "prod-api-prod", "prod", "prod-*", true, false, 2, 2},         // two of one environment: the first declared
		{KindName, "prod-logs-eu", "shared", "prod-logs-*", true, false, 1, 2},   // narrower beats wider
		{KindName, "prod-x-dev", "", "", false, true, 2, 2},                      // incomparable: ambiguous
		{KindName, "prod-logs-sink", "shared", "prod-logs-*", true, false, 2, 3}, // both contenders are shared's
		// Addresses.
		{KindAddress, "module.prod.aws_vpc.main", "prod", "module.prod", true, false, 1, 1},
		{KindAddress, "module.prod.module.net.aws_vpc.main[0]", "prod", "module.prod", true, false, 1, 1},
		{KindAddress, `module.prod["us"].aws_vpc.main`, "prod", "module.prod", true, false, 1, 1},
		{KindAddress, `module.prod["eu"].aws_vpc.main`, "shared", `module.prod["eu"]`, true, false, 1, 2}, // an instance beats the call
		{KindAddress, "module.prod.aws_s3_bucket.central_logs", "shared", "module.prod.aws_s3_bucket.central_logs", true, false, 1, 2},
		{KindAddress, `module.prod.aws_s3_bucket.central_logs["a"]`, "shared", "module.prod.aws_s3_bucket.central_logs", true, false, 1, 2},
		{KindAddress, "module.prod.module.dev_mirror.aws_vpc.main", "prod", "module.prod.module.dev_mirror", true, false, 1, 2},
		{KindAddress, "module.production.aws_vpc.main", "", "", false, false, 0, 0}, // module boundary
		{KindAddress, "aws_vpc.prod_main", "prod", "aws_*.prod_*", true, false, 1, 1},
		{KindAddress, "aws_vpc.dev_main", "dev", "aws_*.dev_*", true, false, 1, 1},
		{KindAddress, "aws_vpc.dev_prod_main", "dev", "aws_*.dev_*", true, false, 1, 1},                               // .prod_ must follow the dot
		{KindAddress, "module.prod.aws_ecr_repository.models", "shared", "*.aws_ecr_repository.*", true, false, 1, 2}, // the resource beats its module
		{KindAddress, "module.dev.aws_ecr_repository.models", "", "", false, true, 2, 3},                              // module.dev.* and *.aws_ecr_repository.* are incomparable
		{KindAddress, "module.dev.aws_vpc.main", "dev", "module.dev.*", true, false, 1, 2},
		{KindAddress, "aws_ecr_repository.models", "", "", false, false, 0, 0},
	}
	for _, tc := range tests {
		var ms Matches
		var env, pattern string
		var ok bool
		if tc.kind == KindName {
			ms = f.NameMatches(tc.subject)
			env, pattern, ok = f.MatchName(tc.subject)
		} else {
			ms = f.AddressMatches(tc.subject)
			env, pattern, ok = f.MatchAddress(tc.subject)
		}
		if env != tc.env || pattern != tc.pattern || ok != tc.ok {
			t.Errorf("match %s %q = %q, %q, %v; want %q, %q, %v", tc.kind, tc.subject, env, pattern, ok, tc.env, tc.pattern, tc.ok)
		}
		if got := ms.Ambiguous(); got != tc.ambiguous {
			t.Errorf("%s %q: Ambiguous = %v, want %v", tc.kind, tc.subject, got, tc.ambiguous)
		}
		if got := len(ms.Contenders()); got != tc.contenders {
			t.Errorf("%s %q: %d contenders %+v, want %d", tc.kind, tc.subject, got, ms.Contenders(), tc.contenders)
		}
		if len(ms) != tc.all {
			t.Errorf("%s %q: %d matches %+v, want %d", tc.kind, tc.subject, len(ms), ms, tc.all)
		}
	}
}

func TestMatchesOrder(t *testing.T) {
	f, diags := Parse([]byte(matchFile), "e.hcl")
	if diags.HasErrors() {
		t.Fatal(Format(diags))
	}
	ms := f.AddressMatches("module.prod.module.dev_mirror.aws_vpc.main")
	var got []string
	for _, m := range ms {
		got = append(got, m.Glob+" @ "+m.Matched)
	}
	want := []string{"module.prod.module.dev_mirror @ module.prod.module.dev_mirror", "module.prod @ module.prod"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AddressMatches order = %q, want %q", got, want)
	}
	for range 3 { // deterministic
		if again := f.AddressMatches("module.prod.module.dev_mirror.aws_vpc.main"); !reflect.DeepEqual(again, ms) {
			t.Errorf("AddressMatches is not deterministic: %+v vs %+v", again, ms)
		}
	}
}

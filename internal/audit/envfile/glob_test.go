package envfile

import (
	"strings"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		glob, s string
		want    bool
	}{
		{"prod-*", "prod-api", true},
		{"prod-*", "prod-", true},
		{"prod-*", "prod", false},
		{"prod-*", "Prod-api", false}, // case-sensitive
		{"*-prod", "api-prod", true},
		{"*-prod", "api-prod-2", false}, // anchored at the end
		{"a*b*c", "abc", true},
		{"a*b*c", "axxbyybzc", true},
		{"a*b*c", "axxbyybzcd", false},
		{"*.prod_*", "aws_vpc.prod_main", true},
		{"aws_*.prod_*", "aws_s3_bucket.prod_models[\"eu\"]", true}, // * matches '[' and '"'
		{"aws_*.prod_*", "module.x.aws_vpc.prod_main", false},       // anchored at the start
		{"x", "x", true},
		{"x", "xx", false},
		{"**", "", true},
		{"é*", "ecole", false},
		{"é*", "éa", true},
	}
	for _, tc := range tests {
		if got := globMatch(tc.glob, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.glob, tc.s, got, tc.want)
		}
	}
}

func TestSubsumes(t *testing.T) {
	tests := []struct {
		wide, narrow string
		want         bool
	}{
		{"prod-*", "prod-api-*", true},
		{"prod-api-*", "prod-*", false},
		{"prod-*", "*-dev", false},
		{"*-dev", "prod-*", false},
		{"prod-*", "prod-**", true},
		{"prod-**", "prod-*", true},
		{"a*", "a*b", true},
		{"a*b", "a*", false},
		{"*a*", "xay", true},
		{"module.prod", "module.prod", true},
		{"module.prod", "module.prod.*", false},
	}
	for _, tc := range tests {
		if got := subsumes(tc.wide, tc.narrow); got != tc.want {
			t.Errorf("subsumes(%q, %q) = %v, want %v", tc.wide, tc.narrow, got, tc.want)
		}
	}
}

// FuzzSubsumes checks that subsumes is sound: when wide subsumes narrow,
// every string narrow matches, wide matches too.
func FuzzSubsumes(f *testing.F) {
	f.Add("prod-*", "prod-api-*", "prod-api-x")
	f.Add("a*b*c", "a*c", "abc")
	f.Add("*x*", "x*x", "xx")
	f.Fuzz(func(t *testing.T, wide, narrow, s string) {
		if strings.Contains(wide+narrow, starToken) {
			return // validation rejects control characters
		}
		if subsumes(wide, narrow) && globMatch(narrow, s) && !globMatch(wide, s) {
			t.Errorf("subsumes(%q, %q), yet %q matches only the narrow one", wide, narrow, s)
		}
	})
}

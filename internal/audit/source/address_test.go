package source

import (
	"slices"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in   string
		want Address
	}{
		{`aws_vpc.main`, Address{Type: "aws_vpc", Name: "main"}},
		{`aws_s3_bucket.b["models"]`, Address{Type: "aws_s3_bucket", Name: "b"}},
		{`aws_s3_bucket.b["a.b[\"c\"].d"]`, Address{Type: "aws_s3_bucket", Name: "b"}},
		{`aws_s3_bucket.b["back\\slash"]`, Address{Type: "aws_s3_bucket", Name: "b"}},
		{`aws_instance.x[12]`, Address{Type: "aws_instance", Name: "x"}},
		{`module.prod.aws_security_group.app`, Address{Modules: []string{"prod"}, Type: "aws_security_group", Name: "app"}},
		{`module.envs["dev"].module.net[0].aws_vpc.this`, Address{Modules: []string{"envs", "net"}, Type: "aws_vpc", Name: "this"}},
		{`module.envs["a.module.b"].module.net[0].data.aws_iam_policy_document.trust`, Address{Modules: []string{"envs", "net"}, Data: true, Type: "aws_iam_policy_document", Name: "trust"}},
		{`data.aws_iam_policy_document.trust`, Address{Data: true, Type: "aws_iam_policy_document", Name: "trust"}},
		{`module.data.aws_vpc.x`, Address{Modules: []string{"data"}, Type: "aws_vpc", Name: "x"}},
		{`module.module.aws_vpc.x`, Address{Modules: []string{"module"}, Type: "aws_vpc", Name: "x"}},
		{`aws_vpc.my-vpc`, Address{Type: "aws_vpc", Name: "my-vpc"}},
	}
	for _, tt := range tests {
		got, err := ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%s): %v", tt.in, err)
			continue
		}
		if !slices.Equal(got.Modules, tt.want.Modules) || got.Data != tt.want.Data || got.Type != tt.want.Type || got.Name != tt.want.Name {
			t.Errorf("ParseAddress(%s) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseAddressErrors(t *testing.T) {
	for _, in := range []string{
		``, `aws_vpc`, `aws_vpc.`, `.aws_vpc.x`, `aws_vpc..x`, `aws_vpc.x.y`,
		`aws_vpc.x[`, `aws_vpc.x["a]`, `aws_vpc.x["a"`, `aws_vpc.x[a]`, `aws_vpc.x[]`, `aws_vpc.x["a"]b`,
		`module`, `module.a`, `module["x"].a.b.c`, `module.a.b`, `data.x`, `aws_vpc[0].x`, `aws vpc.x`,
		`aws_vpc.x["\"]`,
	} {
		if a, err := ParseAddress(in); err == nil {
			t.Errorf("ParseAddress(%s) = %+v, want an error", in, a)
		} else if !strings.Contains(err.Error(), "address ") {
			t.Errorf("ParseAddress(%s): %v does not name the address", in, err)
		}
	}
}

// FuzzParseAddress checks that the splitter never panics, and that an
// address it accepts renders to one that parses back to the same parts.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		`aws_vpc.main`, `aws_s3_bucket.b["models"]`, `module.prod.aws_security_group.app`,
		`module.envs["dev"].module.net[0].aws_vpc.this`, `data.aws_iam_policy_document.trust`,
		`aws_s3_bucket.b["a.b[\"c\"]"]`, `module.a["]"].data.x.y[3]`, `x.y["\\"]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			return
		}
		b, err := ParseAddress(a.String())
		if err != nil {
			t.Fatalf("ParseAddress(%q) = %+v, whose String %q does not parse: %v", s, a, a.String(), err)
		}
		if b.String() != a.String() || !slices.Equal(a.Modules, b.Modules) || a.Data != b.Data || a.Type != b.Type || a.Name != b.Name {
			t.Fatalf("round trip of %q: %+v then %+v", s, a, b)
		}
	})
}

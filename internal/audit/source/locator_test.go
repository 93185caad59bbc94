package source

import (
	"strings"
	"testing"
)

func TestLoadFind(t *testing.T) {
	l, err := Load("testdata/config")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		address string
		want    Location
		found   bool
	}{
		{`aws_vpc.main`, Location{File: "main.tf", Line: 1, Column: 1, EndLine: 3, EndColumn: 2}, true},
		{`aws_s3_bucket.b["models"]`, Location{File: "main.tf", Line: 5, Column: 1, EndLine: 8, EndColumn: 2}, true},
		{`aws_s3_bucket.b["a.b[\"c\"]"]`, Location{File: "main.tf", Line: 5, Column: 1, EndLine: 8, EndColumn: 2}, true},
		{`data.aws_iam_policy_document.trust`, Location{File: "main.tf", Line: 10, Column: 1, EndLine: 14, EndColumn: 2}, true},
		{`aws_security_group.app`, Location{File: "security.tf", Line: 1, Column: 1, EndLine: 10, EndColumn: 2}, true},
		{`module.prod.aws_vpc.this`, Location{File: "modules/net/main.tf", Line: 5, Column: 1, EndLine: 7, EndColumn: 2}, true},
		{`module.envs["dev"].aws_vpc.this`, Location{File: "modules/net/main.tf", Line: 5, Column: 1, EndLine: 7, EndColumn: 2}, true},
		{`module.envs["dev"].module.subnets[0].aws_subnet.this`, Location{File: "modules/net/subnets/main.tf", Line: 5, Column: 1, EndLine: 7, EndColumn: 2}, true},
		{`module.prod.module.subnets[1].data.aws_availability_zones.all`, Location{File: "modules/net/subnets/main.tf", Line: 9, Column: 1, EndLine: 9, EndColumn: 39}, true},
		// Registry modules are not followed.
		{`module.eks.aws_eks_cluster.this`, Location{}, false},
		// Not declared, or declared under another module path.
		{`aws_vpc.missing`, Location{}, false},
		{`aws_vpc.this`, Location{}, false},
		{`module.subnets.aws_subnet.this`, Location{}, false},
		// A data source is not the resource of the same name.
		{`data.aws_vpc.main`, Location{}, false},
		// Not an address.
		{`aws_vpc`, Location{}, false},
		{``, Location{}, false},
	}
	for _, tt := range tests {
		got, ok := l.Find(tt.address)
		if ok != tt.found || got != tt.want {
			t.Errorf("Find(%s) = %+v, %v; want %+v, %v", tt.address, got, ok, tt.want, tt.found)
		}
	}
	if n := l.Len(); n != 10 {
		t.Errorf("Len() = %d, want 10: 4 in the root, 3 under each of the 2 calls of modules/net", n)
	}
}

func TestNilLocator(t *testing.T) {
	var l *Locator
	if _, ok := l.Find("aws_vpc.main"); ok {
		t.Error("a nil Locator found something")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		dir  string
		want []string
	}{
		{"testdata/broken", []string{"main.tf:4:", "Invalid expression"}},
		{"testdata/cycle/a", []string{"calls itself", ". -> ../b -> ."}},
		{"testdata/missing", []string{"testdata/missing"}},
		{"testdata/config/main.tf", []string{"not a directory"}},
	}
	for _, tt := range tests {
		_, err := Load(tt.dir)
		if err == nil {
			t.Errorf("Load(%s): no error", tt.dir)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Load(%s) = %v; want it to say %q", tt.dir, err, w)
			}
		}
	}
}

package envfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error has a place,
// and that a file that parses survives the round trip through HCL.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.hcl")
	for _, path := range seeds {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, tc := range badCases {
		f.Add([]byte(tc.src))
	}
	f.Add([]byte(matchFile))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, diags := Parse(src, "fuzz.hcl")
		for _, d := range diags {
			if d.Subject == nil {
				t.Errorf("diagnostic without a range: %s: %s", d.Summary, d.Detail)
			}
		}
		_ = Format(diags)
		if diags.HasErrors() != (file == nil) {
			t.Fatalf("errors %v but File %v", diags.HasErrors(), file)
		}
		if file == nil {
			return
		}
		for _, p := range file.Patterns {
			file.NameMatches(p.Glob).Best()
			file.AddressMatches(p.Glob).Best()
			file.AddressMatches("module." + p.Glob + ".aws_vpc.main[0]").Ambiguous()
		}
		out := file.HCL()
		again, diags := Parse(out, "written.hcl")
		if diags.HasErrors() {
			t.Fatalf("the written file does not parse:\n%s\n%s", Format(diags), out)
		}
		if !reflect.DeepEqual(again, file) {
			t.Fatalf("round trip changed the file:\n got %+v\nwant %+v\n%s", again, file, out)
		}
	})
}

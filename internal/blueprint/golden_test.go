package blueprint_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

func marshal(t testing.TB, bp blueprint.Blueprint) []byte {
	t.Helper()
	b, err := json.MarshalIndent(bp, "", "  ")
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return append(b, '\n')
}

// TestGolden compares the blueprints of two fixed environments byte for byte
// with testdata/*.golden.json. Run `go test ./internal/blueprint -update` to
// rewrite them, then review the diff.
func TestGolden(t *testing.T) {
	tests := []struct {
		file string
		env  func() segment.Environment
	}{
		{"production.golden.json", productionEnvironment},
		{"development.golden.json", developmentEnvironment},
		{"gcp-production.golden.json", gcpProductionEnvironment},
		{"gcp-development.golden.json", gcpDevelopmentEnvironment},
		{"azure-production.golden.json", azureProductionEnvironment},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".golden.json"), func(t *testing.T) {
			env := tt.env()
			// The golden environments must plan clean: a golden file of an
			// environment the provider would reject documents nothing.
			if res := testkit.Must(rules.CheckEnvironment(env)); len(res.Findings) != 0 || len(res.Waived) != 0 {
				t.Fatalf("golden environment has findings %v, waived %v", res.Findings, res.Waived)
			}
			bp, err := blueprint.Expand(env)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			got := marshal(t, bp)
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", path)
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run `go test ./internal/blueprint -update` to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("blueprint differs from %s at %s\n(if the change is intended, run `go test ./internal/blueprint -update` and review the diff)",
					path, firstDifference(got, want))
			}
		})
	}
}

// firstDifference names the first line where got and want differ.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "no line (lengths differ)"
}

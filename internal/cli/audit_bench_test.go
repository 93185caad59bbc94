package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plangen"
)

// BenchmarkAudit runs the whole command (read, attribute, check, report) on
// generated plans of growing size; scripts/bench-audit.sh compares the same
// plans with conftest.
func BenchmarkAudit(b *testing.B) {
	dir := b.TempDir()
	envs := filepath.Join(dir, "environments.hcl")
	if err := os.WriteFile(envs, []byte(plangen.EnvironmentsFile()), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000, 100000} {
		data, err := plangen.Plan(n)
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("plan-%d.json", n))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if code := runAudit([]string{path, "--environments", envs, "--format", "json"}, io.Discard, io.Discard, "bench"); code != ExitFindings {
					b.Fatalf("exit %d, want %d (the generated plan holds violations)", code, ExitFindings)
				}
			}
		})
	}
}

package blueprint_test

import (
	"encoding/json"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// BenchmarkExpand expands the golden production environment: four GPU
// pools, two entry points, a ci_subject.
func BenchmarkExpand(b *testing.B) {
	env := productionEnvironment()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := blueprint.Expand(env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpandBaseline only marshals the same, pre-built blueprint to
// JSON: a same-run yardstick for BenchmarkExpand, since a plan marshals the
// blueprint anyway.
func BenchmarkExpandBaseline(b *testing.B) {
	bp, err := blueprint.Expand(productionEnvironment())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(bp); err != nil {
			b.Fatal(err)
		}
	}
}

package plangen_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plan"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plangen"
)

// TestPlanAudits checks that a generated plan reads as a plan, that every
// resource is attributed, and that the audit finds exactly the violations
// the package comment promises: the benchmark measures real work.
func TestPlanAudits(t *testing.T) {
	data, err := plangen.Plan(4000)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := plangen.Plan(4000)
	if !bytes.Equal(data, again) {
		t.Fatal("two plans of the same size differ")
	}
	doc, err := plan.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "environments.hcl")
	if err := os.WriteFile(path, []byte(plangen.EnvironmentsFile()), 0o644); err != nil {
		t.Fatal(err)
	}
	file, diags := envfile.Load(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	res := audit.Check(plan.Facts(doc, file))
	if res.Resources != 4000 || res.Attributed != 4000 {
		t.Errorf("%d resources, %d attributed, want 4000 and 4000", res.Resources, res.Attributed)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Rule.ID+" "+f.Address)
	}
	slices.Sort(got)
	// 400 stacks: SEG701 on every 50th group (8), SEG703 on every 100th
	// role (4), SEG705 on every 200th volume's key (2).
	var want []string
	for k := 49; k < 400; k += 50 {
		want = append(want, fmt.Sprintf("SEG701 aws_security_group.sg_%d", k))
	}
	for k := 99; k < 400; k += 100 {
		want = append(want, fmt.Sprintf("SEG703 aws_iam_role.role_%d", k))
	}
	for k := 199; k < 400; k += 200 {
		want = append(want, fmt.Sprintf("SEG705 aws_ebs_volume.volume_%d", k))
	}
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlanBounds(t *testing.T) {
	for _, n := range []int{0, -1, plangen.MaxResources + 1} {
		if _, err := plangen.Plan(n); err == nil {
			t.Errorf("Plan(%d): no error", n)
		}
	}
}

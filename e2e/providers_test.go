//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// logProviders logs the CLI and the provider versions that `terraform init`
// selected (`terraform version -json` in the initialized directory), and
// fails the test when E2E_AWS_PROVIDER_VERSION names another hashicorp/aws
// release than the one selected.
func logProviders(ctx context.Context, t *testing.T, tf *terraform, work string) {
	t.Helper()
	out := filepath.Join(work, "version.json")
	if _, err := tf.run(ctx, "version", out, nil, "version", "-json"); err != nil {
		t.Fatal(err)
	}
	var v tfjson.VersionOutput
	if err := readJSON(out, &v); err != nil {
		t.Fatalf("reading %s: %v", out, err)
	}
	aws := ""
	for addr, version := range v.ProviderSelections {
		if strings.HasSuffix(addr, "/hashicorp/aws") {
			aws = version
		}
	}
	t.Logf("applying with CLI %s (%s) and hashicorp/aws %s; provider selections: %v", v.Version, tf.bin, aws, v.ProviderSelections)
	if aws == "" {
		t.Fatalf("terraform init selected no hashicorp/aws provider: %v", v.ProviderSelections)
	}
	if want := os.Getenv("E2E_AWS_PROVIDER_VERSION"); want != "" && want != aws {
		t.Fatalf("terraform init selected hashicorp/aws %s; E2E_AWS_PROVIDER_VERSION asks for %s", aws, want)
	}
}

package modgen

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit/kubeapi"
)

// TestKubernetesModuleWithTheRealProvider applies the generated module with
// the real hashicorp/kubernetes provider to a real kube-apiserver, runs the
// same checks through the API as TestKubernetesModuleOnARealAPIServer,
// wants an empty re-plan, and destroys. The Go module proxy refuses every
// hashicorp/kubernetes release after v1.13.4, so no script here can build
// the provider: the test runs only where one was built by hand, named by
// $SEGMENTED_KUBERNETES_PROVIDER_MIRROR (a filesystem mirror holding
// hashicorp/kubernetes 3.2.1), and is skipped otherwise. The harness stands
// in for the two controllers the provider waits on (the quota controller,
// which fills a quota's status, and the namespace controller, which lets a
// deleted namespace go).
func TestKubernetesModuleWithTheRealProvider(t *testing.T) {
	mirror := os.Getenv("SEGMENTED_KUBERNETES_PROVIDER_MIRROR")
	if mirror == "" {
		t.Skip("no real hashicorp/kubernetes provider: set SEGMENTED_KUBERNETES_PROVIDER_MIRROR to a filesystem mirror holding 3.2.1, built by hand (the Go module proxy serves no release to build); see README")
	}
	kubeapi.Binaries(t)
	tf := terraformPath(t)
	repo, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	samples := kubernetesSamples(t)
	for _, name := range []string{"prod", "dev", "shared"} {
		vars := samples[name]
		t.Run(name, func(t *testing.T) {
			srv := kubeapi.Start(t, kubeapi.Options{FillQuotaStatus: true, FinalizeNamespaces: true})
			work := t.TempDir()
			copyTree(t, filepath.Join(repo, "modules", "k8s-ml-environment"), filepath.Join(work, "modules", "k8s-ml-environment"))
			b, err := json.Marshal(vars)
			if err != nil {
				t.Fatal(err)
			}
			writeTestFile(t, filepath.Join(work, "inputs.json"), b)
			writeTestFile(t, filepath.Join(work, "main.tf"), []byte(fmt.Sprintf(`terraform {
  required_providers {
    kubernetes = { source = "hashicorp/kubernetes", version = "%s" }
  }
}

provider "kubernetes" {
  config_path = %q
}

locals {
  in = jsondecode(file("${path.module}/inputs.json"))
}

module "layer" {
  source                 = "./modules/k8s-ml-environment"
  kubernetes             = local.in.kubernetes
  boundary               = local.in.boundary
  identity_principal_ids = lookup(local.in, "identity_principal_ids", {})
  identity_client_ids    = lookup(local.in, "identity_client_ids", {})
  service_cidrs          = lookup(local.in, "service_cidrs", {})
}
`, KubernetesSchemaVersion, srv.Kubeconfig())))
			rc := filepath.Join(work, "terraformrc")
			writeTestFile(t, rc, []byte(fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"registry.terraform.io/hashicorp/kubernetes\"]\n  }\n  direct {\n    exclude = [\"registry.terraform.io/hashicorp/kubernetes\"]\n  }\n}\n", mirror)))
			env := []string{"TF_CLI_CONFIG_FILE=" + rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"}
			mustRun(t, work, env, tf, "init", "-input=false", "-no-color")
			start := time.Now()
			mustRun(t, work, env, tf, "apply", "-auto-approve", "-input=false", "-no-color")
			t.Logf("%s: applied with the real provider in %s", name, time.Since(start).Round(time.Second))

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			layer := vars["kubernetes"].(k8s.Layer)
			checkPodSecurity(ctx, t, srv, layer)
			checkGPUQuota(ctx, t, srv, layer)
			principals, _ := vars["identity_principal_ids"].(map[string]string)
			checkAccess(ctx, t, srv, layer, principals)
			serviceCIDRs, _ := vars["service_cidrs"].(map[string][]string)
			checkStoredPolicies(ctx, t, srv, layer, name, serviceCIDRs)

			out, err := runIn(work, env, tf, "plan", "-input=false", "-no-color", "-detailed-exitcode")
			if err != nil {
				t.Errorf("the re-plan after apply is not empty (%v):\n%s", err, out)
			}
			// The checks' pods and probe accounts are not the module's:
			// destroying the namespaces takes them along.
			start = time.Now()
			mustRun(t, work, env, tf, "destroy", "-auto-approve", "-input=false", "-no-color")
			t.Logf("%s: destroyed in %s", name, time.Since(start).Round(time.Second))
			for _, ns := range layer.Namespaces {
				var got kubeapi.Object
				if err := srv.Get(ctx, srv.AdminToken, "/api/v1/namespaces/"+ns.Name, &got); !kubeapi.IsStatus(err, 404) {
					t.Errorf("namespace %s after destroy: %v", ns.Name, err)
				}
			}
		})
	}
}

func writeTestFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runIn runs a command and returns its combined output and error.
func runIn(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

package modgen

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
)

// realAzurermProvider is the real hashicorp/azurerm 5.2.0 binary, where
// one is on the machine: $SEGMENTED_AZURERM_PROVIDER (make test points it at
// the cache), or the default cache. Without one the test is skipped, and
// says how to build it; CI builds it and runs the test in its own stage
// (make test-azurerm), so the skip never hides it there.
func realAzurermProvider(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("SEGMENTED_AZURERM_PROVIDER")
	if bin == "" {
		home, _ := os.UserHomeDir()
		bin = filepath.Join(home, ".cache", "terraform-provider-segmented", "azurerm-5.2.0", "terraform-provider-azurerm")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no real hashicorp/azurerm 5.2.0 binary (%v): run make test-azurerm, which builds it into the cache (about 9 minutes cold) and runs this test", err)
	}
	return bin
}

// fakeAzure is a cloud that answers only what the azurerm provider asks
// before it plans: the cloud's metadata and a token whose claims name a
// made-up principal, and the service tags the module looks up. It records
// every other request, which a plan of new resources must not make.
type fakeAzure struct {
	server *httptest.Server
	mu     sync.Mutex
	calls  []string
}

func newFakeAzure(t *testing.T) *fakeAzure {
	t.Helper()
	f := &fakeAzure{}
	f.server = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.server.Close)
	return f
}

func (f *fakeAzure) serve(w http.ResponseWriter, r *http.Request) {
	base := f.server.URL + "/"
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/metadata/endpoints":
		_ = json.NewEncoder(w).Encode(map[string]any{
			"name": "SegmentedFakeCloud", "resourceManager": base, "microsoftGraphResourceId": base, "graph": base, "portal": base,
			"authentication": map[string]any{"loginEndpoint": base, "audiences": []string{base}, "tenant": "common", "identityProvider": "AAD"},
			"suffixes":       map[string]any{"keyVaultDns": "vault.azure.net", "storage": "core.windows.net", "acrLoginServer": "azurecr.io", "mhsmDns": "managedhsm.azure.net"},
		})
	case strings.HasSuffix(r.URL.Path, "/serviceTags") && r.Method == http.MethodGet:
		// The module looks up the service tags its egress allows, as Azure
		// publishes them: two of Entra ID's ranges stand for the tag.
		_ = json.NewEncoder(w).Encode(map[string]any{
			"name": "Public", "type": "Microsoft.Network/serviceTags", "changeNumber": "1", "cloud": "Public",
			"values": []any{map[string]any{"name": blueprint.AzureActiveDirectory, "id": blueprint.AzureActiveDirectory, "properties": map[string]any{
				"changeNumber": "1", "region": "", "platform": "Azure", "systemService": "AzureAD",
				"addressPrefixes": fakeEntraRanges, "networkFeatures": []string{"API", "NSG"},
			}}},
		})
	case strings.Contains(r.URL.Path, "/oauth2/"):
		enc := base64.RawURLEncoding
		claims, _ := json.Marshal(map[string]any{"aud": base, "appid": fakeClientID, "oid": "11111111-1111-4111-8111-111111111111",
			"tid": fakeTenantID, "exp": 4102444800, "iat": 1700000000, "nbf": 1700000000})
		token := enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString([]byte("unsigned"))
		_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600, "access_token": token})
	default:
		f.mu.Lock()
		f.calls = append(f.calls, r.Method+" "+r.URL.String())
		f.mu.Unlock()
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte(`{"value":[]}`))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"code":"NotFound","message":"a fake cloud"}}`))
	}
}

// fakeEntraRanges are two of Entra ID's published ranges, which the fake
// cloud gives as the AzureActiveDirectory service tag.
var fakeEntraRanges = []string{"20.190.128.0/18", "40.126.0.0/18"}

const (
	fakeClientID = "00000000-0000-4000-8000-000000000001"
	fakeTenantID = "00000000-0000-4000-8000-000000000002"
)

// TestPlanAzureModuleWithTheRealProvider plans the module, once per sample
// environment in one configuration, with the real hashicorp/azurerm 5.2.0
// provider when the machine has its binary: unlike the schema provider,
// the real one runs its own validation of every value (the enumerations,
// ranges and formats of each argument) and its plan-time checks
// (CustomizeDiff), on the values of real blueprints. It talks to a fake
// cloud that serves only metadata, a token and the service tags, and the
// plan must make no other request. The planned resources are then checked against the
// blueprints as in TestPlanAzureModuleWithRealBlueprints.
func TestPlanAzureModuleWithTheRealProvider(t *testing.T) {
	bin := realAzurermProvider(t)
	tf := terraformPath(t)
	repo, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	mirror := filepath.Join(tmp, "mirror")
	mustRun(t, repo, nil, "go", "run", "./tools/tfmirror", "-mirror", mirror, "-provider", "hashicorp/azurerm", "-version", "5.2.0", "-binary", bin)
	rc := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)), 0o644); err != nil {
		t.Fatal(err)
	}
	cloud := newFakeAzure(t)
	cert := filepath.Join(tmp, "cloud.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cloud.server.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}

	root := filepath.Join(tmp, "work")
	copyTree(t, azureModuleDir(), filepath.Join(root, "module"))
	samples := azureSampleVars(t)
	var config strings.Builder
	fmt.Fprintf(&config, "terraform {\n  required_providers {\n    azurerm = { source = \"hashicorp/azurerm\", version = \"5.2.0\" }\n  }\n}\n\n")
	fmt.Fprintf(&config, "provider \"azurerm\" {\n  resource_provider_registrations = \"none\"\n  use_cli                         = false\n  storage_use_azuread             = true\n  features {}\n}\n")
	for name, vars := range samples {
		b, err := json.Marshal(vars)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&config, "\nmodule %q {\n  source           = \"./module\"\n  blueprint        = jsondecode(file(\"${path.module}/%s.json\")).blueprint\n  boundary         = jsondecode(file(\"${path.module}/%s.json\")).boundary\n  human_principals = jsondecode(file(\"${path.module}/%s.json\")).human_principals\n}\n", name, name, name, name)
		fmt.Fprintf(&config, "\noutput \"service_cidrs_%s\" {\n  value = module.%s.service_cidrs\n}\n", name, name)
	}
	if err := os.WriteFile(filepath.Join(root, "main.tf"), []byte(config.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"TF_CLI_CONFIG_FILE=" + rc, "TF_IN_AUTOMATION=1", "SSL_CERT_FILE=" + cert,
		"ARM_METADATA_HOSTNAME=" + strings.TrimPrefix(cloud.server.URL, "https://"),
		"ARM_CLIENT_ID=" + fakeClientID, "ARM_CLIENT_SECRET=unused", "ARM_TENANT_ID=" + fakeTenantID,
		"ARM_SUBSCRIPTION_ID=" + samples["prod"]["blueprint"].(blueprint.Blueprint).AccountID,
		"ARM_PROVIDER_ENHANCED_VALIDATION_LOCATIONS=false", "ARM_PROVIDER_ENHANCED_VALIDATION_RESOURCE_PROVIDERS=false",
	}
	mustRun(t, root, env, tf, "init", "-input=false", "-backend=false")
	planFile := filepath.Join(tmp, "plan")
	mustRun(t, root, env, tf, "plan", "-input=false", "-lock=false", "-refresh=false", "-out="+planFile)
	var plan tfjson.Plan
	if err := json.Unmarshal(mustRun(t, root, env, tf, "show", "-json", planFile), &plan); err != nil {
		t.Fatal(err)
	}
	if len(cloud.calls) > 0 {
		t.Errorf("the plan called the cloud: %v", cloud.calls)
	}
	// The service tags' ranges, looked up at plan time, for the Kubernetes
	// module's network policies.
	for name := range samples {
		o := plan.PlannedValues.Outputs["service_cidrs_"+name]
		want := map[string]any{blueprint.AzureActiveDirectory: []any{fakeEntraRanges[0], fakeEntraRanges[1]}}
		if o == nil || !reflect.DeepEqual(o.Value, want) {
			t.Errorf("%s: service_cidrs planned as %#v, want %v", name, o, want)
		}
	}
	seen := 0
	for _, child := range plan.PlannedValues.RootModule.ChildModules {
		name := strings.TrimPrefix(child.Address, "module.")
		vars := samples[name]
		if vars == nil {
			t.Fatalf("unexpected module %s", child.Address)
		}
		seen++
		t.Run(name, func(t *testing.T) {
			t.Logf("%s: %d resources planned by hashicorp/azurerm", name, len(child.Resources))
			checkAzurePlan(t, child, vars["blueprint"].(blueprint.Blueprint), vars["boundary"].(blueprint.Boundary), vars["human_principals"].(map[string][]string))
		})
	}
	if seen != len(samples) {
		t.Errorf("planned %d module instances, want %d", seen, len(samples))
	}
}

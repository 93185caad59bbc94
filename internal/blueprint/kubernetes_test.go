package blueprint_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// TestKubernetesEdgesPerCloud: each cloud names its identities to the
// cluster its own way, and the workloads reach its own endpoints.
func TestKubernetesEdgesPerCloud(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  segment.Environment
		kind string
		// check the deployer subject's name and the training service account
		subject    func(string) bool
		annotation string
		clientID   bool
		endpoints  func([]string) bool
		identity   []string // the identity endpoints' ranges, or services
	}{
		{"aws", productionEnvironment(), "Group", func(n string) bool { return n == "acme-prod-deployer" }, "", false,
			func(c []string) bool { return len(c) > 0 && !slices.Contains(c, "10.66.0.0/16") }, []string{"169.254.170.23/32"}},
		{"gcp", gcpProductionEnvironment(), "User", func(n string) bool { return strings.HasPrefix(n, "acme-prod-deployer@") }, "iam.gke.io/gcp-service-account", false,
			func(c []string) bool { return slices.Equal(c, []string{"199.36.153.4/30"}) }, []string{"169.254.169.252/32", "169.254.169.254/32"}},
		{"azure", azureProductionEnvironment(), "User", func(n string) bool { return n == "" }, "", true,
			func(c []string) bool { return len(c) > 0 }, []string{blueprint.AzureActiveDirectory}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bp := testkit.Must(blueprint.Expand(tc.env))
			l := bp.Kubernetes
			if l.Environment != tc.env.Name || len(l.Namespaces) == 0 {
				t.Fatalf("layer: %+v", l)
			}
			deployer := 0
			for _, b := range l.RoleBindings {
				s := b.Subjects[0]
				if *s.Identity == k8s.Deployer {
					deployer++
					if s.Kind != tc.kind || !tc.subject(s.Name) {
						t.Errorf("deployer subject %+v", s)
					}
				}
			}
			if deployer == 0 {
				t.Error("the deployer is bound nowhere")
			}
			for _, sa := range l.ServiceAccounts {
				if tc.annotation != "" && !strings.HasPrefix(sa.Annotations[tc.annotation], "acme-prod-"+sa.Name+"@") {
					t.Errorf("service account %s: annotations %v", sa.Key, sa.Annotations)
				}
				if (sa.ClientIDKey != nil) != tc.clientID {
					t.Errorf("service account %s: client ID annotation %v", sa.Key, sa.ClientIDKey)
				}
			}
			var identity []string
			for _, p := range l.NetworkPolicies {
				if p.Name == "allow-identity-endpoint" {
					for _, r := range p.Egress {
						if peer := r.Peers[0]; peer.CIDR != nil {
							identity = append(identity, *peer.CIDR)
						} else {
							identity = append(identity, *peer.Service)
						}
					}
				}
				if p.Name == "allow-private-endpoints" {
					var cidrs []string
					for _, x := range p.Egress[0].Peers {
						if x.CIDR != nil {
							cidrs = append(cidrs, *x.CIDR)
						}
					}
					if !tc.endpoints(cidrs) {
						t.Errorf("%s: endpoint ranges %v", p.Key, cidrs)
					}
				}
			}
			if !slices.Equal(identity, tc.identity) {
				t.Errorf("identity endpoints %v, want %v", identity, tc.identity)
			}
		})
	}
}

// TestBoundaryNetworkPolicies: a telemetry flow opens egress from every
// workload namespace of the source and ingress into the shared telemetry
// namespace, a deploy flow egress from shared's pipelines only; flows
// that open no connection add none.
func TestBoundaryNetworkPolicies(t *testing.T) {
	topo := topologyOf(fourNames,
		bFlow("prod", "shared", segment.Telemetry),
		bFlow("shared", "prod", segment.Deploy),
		bFlow("staging", "prod", segment.ModelPromotion),
		bFlow("shared", "dev", segment.ArtifactPull))
	bds := boundaries(t, topo)
	keys := func(env string) []string {
		var out []string
		for _, p := range bds[env].NetworkPolicies {
			for _, ns := range p.Namespaces {
				out = append(out, ns+"/"+p.Key)
			}
		}
		return out
	}
	if got, want := keys("prod"), []string{"inference/allow-telemetry-to-shared", "pipelines/allow-telemetry-to-shared", "training/allow-telemetry-to-shared"}; !slices.Equal(got, want) {
		t.Errorf("prod: %v, want %v", got, want)
	}
	if got, want := keys("shared"), []string{"pipelines/allow-deploy-to-prod", "telemetry/allow-telemetry-from-prod"}; !slices.Equal(got, want) {
		t.Errorf("shared: %v, want %v", got, want)
	}
	if got := keys("dev"); len(got) != 0 {
		t.Errorf("dev: %v", got)
	}
	if got := keys("staging"); len(got) != 0 {
		t.Errorf("staging: %v", got)
	}
	for _, p := range bds["shared"].NetworkPolicies {
		if p.Key == "allow-deploy-to-prod" && (*p.Egress[0].Peers[0].CIDR != "10.66.0.0/16" || p.Egress[0].Ports[0].Port != 443) {
			t.Errorf("deploy policy: %+v", p)
		}
	}
	// Without a telemetry namespace on the shared side, nothing is opened
	// in either cluster (SEG805 fails the plan).
	topo.Environments[3].Namespaces = []segment.NamespacePurpose{segment.PipelinesNamespace}
	bds = boundaries(t, topo)
	if len(bds["prod"].NetworkPolicies) != 0 || len(bds["shared"].NetworkPolicies) != 1 {
		t.Errorf("without a receiver: prod %v, shared %v", bds["prod"].NetworkPolicies, bds["shared"].NetworkPolicies)
	}
}

package blueprint_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// azureEnvironment moves an environment to an Azure subscription in
// westeurope.
func azureEnvironment(env segment.Environment, subscription string) segment.Environment {
	env.Cloud, env.Region, env.AccountID = segment.Azure, "westeurope", subscription
	env.Zones = []string{"1", "2", "3"}
	env.LogRetentionDays = min(max(env.LogRetentionDays, 30), 730)
	for i := range env.GPUNodePools {
		env.GPUNodePools[i].InstanceType = "Standard_NC24ads_A100_v4"
	}
	return env
}

// azureProductionEnvironment is the golden production environment on Azure.
func azureProductionEnvironment() segment.Environment {
	env := azureEnvironment(productionEnvironment(), "33333333-3333-4333-8333-333333333333")
	env.GPUNodePools = []segment.NodePool{
		{Name: "training", InstanceType: "Standard_ND96isr_H100_v5", MinSize: 0, MaxSize: 4, Purpose: segment.Training},
		{Name: "training-spot", InstanceType: "Standard_NC24ads_A100_v4", MinSize: 0, MaxSize: 16, Spot: true, Purpose: segment.Training},
		{Name: "inference", InstanceType: "Standard_NC8as_T4_v3", MinSize: 1, MaxSize: 8, Purpose: segment.Inference},
	}
	return env
}

func azureInvariantEnvironments() []namedEnvironment {
	var out []namedEnvironment
	for i, ne := range invariantEnvironments() {
		sub := strings.Repeat(string(rune('0'+i%10)), 8) + "-0000-4000-8000-000000000000"
		out = append(out, namedEnvironment{ne.name, azureEnvironment(ne.env, sub)})
	}
	return out
}

var forbiddenAzureRoles = []string{"Owner", "Contributor", "User Access Administrator"}

// TestAzureRoleAssignmentInvariants holds over every role assignment of
// every Azure blueprint: never Owner, Contributor or User Access
// Administrator, never on the subscription, only on the environment's own
// resource group and resources, and only to its own identities.
func TestAzureRoleAssignmentInvariants(t *testing.T) {
	scopes := map[string]bool{
		blueprint.ScopeResourceGroup: true, blueprint.ScopeBucket: true, blueprint.ScopeKey: true, blueprint.ScopeKeyVault: true,
		blueprint.ScopeRegistry: true, blueprint.ScopeSubnet: true, blueprint.ScopeCluster: true, blueprint.ScopeIdentity: true,
	}
	for _, ne := range azureInvariantEnvironments() {
		t.Run(ne.name, func(t *testing.T) {
			env := ne.env
			bp := testkit.Must(blueprint.Expand(env))
			own := map[string]bool{}
			for _, id := range bp.Identities {
				own[id.Key] = true
				want := "/subscriptions/" + env.AccountID + "/resourceGroups/" + env.Prefix() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
				if !strings.HasPrefix(id.Principal, want) || id.Azure == nil || id.AWS != nil || id.GCP != nil {
					t.Errorf("identity %s: %s, parts aws %v gcp %v azure %v", id.Key, id.Principal, id.AWS != nil, id.GCP != nil, id.Azure != nil)
				}
			}
			var all []blueprint.RoleBinding
			for _, id := range bp.Identities {
				for _, a := range id.Azure.RoleAssignments {
					if a.Member != id.Key {
						t.Errorf("identity %s holds assignment %s for %s", id.Key, a.Key, a.Member)
					}
				}
				all = append(all, id.Azure.RoleAssignments...)
			}
			for _, k := range bp.Keys {
				all = append(all, k.Azure.RoleAssignments...)
			}
			seen := map[string]bool{}
			for _, a := range all {
				if seen[a.Key] {
					t.Errorf("assignment key %s repeats", a.Key)
				}
				seen[a.Key] = true
				if slices.Contains(forbiddenAzureRoles, a.Role) {
					t.Errorf("assignment %s grants %s", a.Key, a.Role)
				}
				if !scopes[a.Scope] {
					t.Errorf("assignment %s is on scope %q", a.Key, a.Scope)
				}
				if !own[a.Member] {
					t.Errorf("assignment %s is for %q, not an identity of %s", a.Key, a.Member, env.Name)
				}
			}
			ds := slices.IndexFunc(bp.Identities, func(id blueprint.Identity) bool { return id.Key == blueprint.RoleDataScientist })
			if (ds >= 0) != (env.HumanAccess != segment.NoAccess) {
				t.Errorf("data-scientist present = %v with %s access", ds >= 0, env.HumanAccess)
			}
			if ds >= 0 {
				writes := slices.ContainsFunc(bp.Identities[ds].Azure.RoleAssignments, func(a blueprint.RoleBinding) bool {
					return a.Role == "Storage Blob Data Contributor"
				})
				if writes != (env.HumanAccess == segment.WriteAccess) {
					t.Errorf("data-scientist writes = %v with %s access", writes, env.HumanAccess)
				}
			}
			dep := slices.IndexFunc(bp.Identities, func(id blueprint.Identity) bool { return id.Key == blueprint.RoleDeployer })
			if (dep >= 0) != (env.CISubject != "") {
				t.Fatalf("deployer present = %v with ci_subject %q", dep >= 0, env.CISubject)
			}
			if dep >= 0 {
				if f := bp.Identities[dep].Azure.Federation; f == nil || f.Subject != env.CISubject || f.Issuer != "https://"+env.CIOIDCProvider {
					t.Errorf("deployer federation %+v, want exactly %s from %s", f, env.CISubject, env.CIOIDCProvider)
				}
			}
		})
	}
}

// TestAzureNetworkInvariants: the VNet holds only the subnets, the pods'
// and services' ranges lie outside it but inside the environment's range,
// nothing overlaps, every NSG ends in explicit deny-alls at 4096, and no
// allow admits a range outside the environment but its entry points.
func TestAzureNetworkInvariants(t *testing.T) {
	for _, ne := range azureInvariantEnvironments() {
		t.Run(ne.name, func(t *testing.T) {
			env := ne.env
			bp := testkit.Must(blueprint.Expand(env))
			n := bp.Network.Azure
			var subnets []string
			var named []netplan.Named
			for _, s := range bp.Network.Subnets {
				subnets = append(subnets, s.CIDR)
				named = append(named, netplan.Named{Name: "subnet " + s.Key, Prefix: netip.MustParsePrefix(s.CIDR)})
			}
			c := bp.Cluster.Azure
			subnets = append(subnets, c.APIServerCIDR)
			slices.Sort(subnets)
			space := slices.Sorted(slices.Values(n.AddressSpace))
			if !slices.Equal(space, subnets) {
				t.Errorf("address space %v, want exactly the subnets and the API server's %v", space, subnets)
			}
			named = append(named, netplan.Named{Name: "pods", Prefix: netip.MustParsePrefix(c.PodCIDR)}, netplan.Named{Name: "services", Prefix: netip.MustParsePrefix(c.ServiceCIDR)},
				netplan.Named{Name: "api server", Prefix: netip.MustParsePrefix(c.APIServerCIDR)})
			for _, x := range named {
				if !env.CIDR.Contains(x.Prefix.Addr()) || x.Prefix.Bits() < env.CIDR.Bits() {
					t.Errorf("%s %s lies outside %s", x.Name, x.Prefix, env.CIDR)
				}
			}
			if o := netplan.Overlaps(named); len(o) != 0 {
				t.Errorf("overlapping ranges: %v", o)
			}
			if !netip.MustParsePrefix(c.ServiceCIDR).Contains(netip.MustParseAddr(c.DNSServiceIP)) {
				t.Errorf("DNS service IP %s outside %s", c.DNSServiceIP, c.ServiceCIDR)
			}
			entry := map[string]bool{}
			for _, in := range env.Ingress {
				for _, p := range in.FromCIDRs {
					entry[p.String()] = true
				}
			}
			denies := map[string]bool{}
			for _, r := range bp.FirewallRules {
				if r.Layer != blueprint.LayerNSG || len(r.Targets) != 1 || r.Priority == nil || *r.Priority < 100 || *r.Priority > 4096 {
					t.Fatalf("rule %s: layer %s targets %v priority %v", r.Key, r.Layer, r.Targets, r.Priority)
				}
				if r.Action == blueprint.Deny {
					if *r.Priority != blueprint.NSGDenyAll || !slices.Equal(r.CIDRs, []string{"0.0.0.0/0"}) || r.Protocol != blueprint.ProtocolAll {
						t.Errorf("deny %s is not a deny of everything at 4096", r.Key)
					}
					denies[r.Targets[0]+"/"+r.Direction] = true
					continue
				}
				if *r.Priority >= blueprint.NSGDenyAll {
					t.Errorf("allow %s at %d, after the deny-all", r.Key, *r.Priority)
				}
				// Service tags: the load balancer's probes in, and out only the
				// egress's tags, on 443, from the subnets the NAT gateway serves.
				probe := r.PeerService != nil && *r.PeerService == blueprint.AzureLoadBalancer && r.Direction == blueprint.Ingress
				out := r.PeerService != nil && slices.Contains(n.Egress.ServiceTags, *r.PeerService) && r.Direction == blueprint.Egress &&
					r.Protocol == "tcp" && *r.FromPort == 443 && *r.ToPort == 443 && r.Targets[0] == n.Egress.SubnetPurpose
				if r.PeerService != nil && !probe && !out {
					t.Errorf("allow %s names service tag %s", r.Key, *r.PeerService)
				}
				for _, cidr := range r.CIDRs {
					p := netip.MustParsePrefix(cidr)
					inside := env.CIDR.Contains(p.Addr()) && p.Bits() >= env.CIDR.Bits()
					if !inside && !entry[cidr] {
						t.Errorf("allow %s admits %s, outside the environment and its entry points", r.Key, cidr)
					}
				}
			}
			for _, g := range n.SecurityGroups {
				for _, dir := range []string{blueprint.Ingress, blueprint.Egress} {
					if !denies[g.Key+"/"+dir] {
						t.Errorf("NSG %s has no %s deny-all", g.Key, dir)
					}
				}
			}
		})
	}
}

// TestAzureNames: every name Azure bounds fits, storage accounts take no
// dashes, and AKS pool names are at most 12 letters and digits.
func TestAzureNames(t *testing.T) {
	bp := testkit.Must(blueprint.Expand(azureProductionEnvironment()))
	for _, b := range bp.Buckets {
		if n := b.Azure.StorageAccount; len(n) > 24 || strings.ContainsAny(n, "-_") {
			t.Errorf("storage account %q", n)
		}
	}
	if n := bp.Keys[0].Azure.KeyVault; len(n) > 24 {
		t.Errorf("key vault %q", n)
	}
	for _, p := range bp.NodePools {
		if n := p.Azure.Name; len(n) > 12 || strings.ContainsAny(n, "-_") {
			t.Errorf("pool %q", n)
		}
	}
	env := azureProductionEnvironment()
	env.GPUNodePools = append(env.GPUNodePools, segment.NodePool{Name: "training-spot2", InstanceType: "Standard_NC24ads_A100_v4", MaxSize: 2, Purpose: segment.Training})
	if _, err := blueprint.Expand(env); err == nil || !strings.Contains(err.Error(), `both be the AKS pool "trainingspot"`) {
		t.Errorf("Expand with colliding AKS pool names: %v", err)
	}
}

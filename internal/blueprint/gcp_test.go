package blueprint_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/blueprint"
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
	"github.com/segmentedml/terraform-provider-segmented/internal/testkit"
)

// gcpInvariantEnvironments are the invariant environments moved to Google
// Cloud, each in its own project, with GCP GPU machines.
func gcpInvariantEnvironments() []namedEnvironment {
	var out []namedEnvironment
	for i, ne := range invariantEnvironments() {
		env := gcpEnvironment(ne.env, "acme-ml-"+strings.ReplaceAll(ne.name, "_", "-")+"-"+string(rune('a'+i%26)))
		if len(env.AccountID) > 30 {
			env.AccountID = env.AccountID[len(env.AccountID)-30:]
			env.AccountID = "p" + env.AccountID[1:]
		}
		for j := range env.GPUNodePools {
			env.GPUNodePools[j].InstanceType = "g2-standard-8"
		}
		out = append(out, namedEnvironment{ne.name, env})
	}
	return out
}

var primitiveRoles = []string{"roles/owner", "roles/editor", "roles/viewer"}

// TestGCPIAMInvariants holds over every IAM binding of every Google Cloud
// blueprint: no primitive role, nothing outside the environment's own
// project and resources, nothing granted to another environment's service
// account, and the CI subject as the only one the deployer admits.
func TestGCPIAMInvariants(t *testing.T) {
	envs := gcpInvariantEnvironments()
	all := map[string]string{} // principal -> environment
	bps := map[string]blueprint.Blueprint{}
	for _, ne := range envs {
		bp := testkit.Must(blueprint.Expand(ne.env))
		bps[ne.name] = bp
		for _, id := range bp.Identities {
			all[id.Principal] = ne.name
		}
	}
	for _, ne := range envs {
		t.Run(ne.name, func(t *testing.T) {
			env, bp := ne.env, bps[ne.name]
			own := map[string]bool{}
			for _, id := range bp.Identities {
				own[id.Key] = true
				if len(id.Name) < 6 || len(id.Name) > 30 {
					t.Errorf("service account ID %q has %d characters; Google Cloud takes 6 to 30", id.Name, len(id.Name))
				}
				if f := id.GCP.Federation; f != nil && (len(f.Pool) < 4 || len(f.Pool) > 32 || len(f.Provider) < 4 || len(f.Provider) > 32) {
					t.Errorf("identity %s: pool %q and provider %q must each have 4 to 32 characters", id.Key, f.Pool, f.Provider)
				}
				if !strings.HasSuffix(id.Principal, "@"+env.AccountID+".iam.gserviceaccount.com") {
					t.Errorf("identity %s is %s, not a service account of project %s", id.Key, id.Principal, env.AccountID)
				}
			}
			resources := map[string]bool{}
			for _, b := range bp.Buckets {
				resources["bucket/"+b.Key] = true
			}
			for _, k := range bp.Keys {
				resources["key/"+k.Key] = true
			}
			var bindings []blueprint.RoleBinding
			for _, id := range bp.Identities {
				if id.GCP == nil || id.AWS != nil {
					t.Fatalf("identity %s has no gcp part, or an aws one", id.Key)
				}
				bindings = append(bindings, id.GCP.Bindings...)
			}
			for _, k := range bp.Keys {
				bindings = append(bindings, k.GCP.Bindings...)
			}
			keys := map[string]bool{}
			for _, b := range bindings {
				if keys[b.Key] {
					t.Errorf("binding key %s repeats", b.Key)
				}
				keys[b.Key] = true
				if slices.Contains(primitiveRoles, b.Role) || !strings.HasPrefix(b.Role, "roles/") {
					t.Errorf("binding %s grants %s", b.Key, b.Role)
				}
				switch b.Scope {
				case blueprint.ScopeProject, blueprint.ScopeServiceAccount:
					if b.Resource != nil {
						t.Errorf("binding %s on the %s names resource %s", b.Key, b.Scope, *b.Resource)
					}
				case blueprint.ScopeBucket, blueprint.ScopeKey:
					if b.Resource == nil || !resources[b.Scope+"/"+*b.Resource] {
						t.Errorf("binding %s is on a %s that is not the environment's", b.Key, b.Scope)
					}
				default:
					t.Errorf("binding %s has scope %q", b.Key, b.Scope)
				}
				member := b.Member
				switch {
				case strings.HasPrefix(member, "serviceAccount:service-{project_number}@"):
					if b.Scope != blueprint.ScopeKey || b.Role != "roles/cloudkms.cryptoKeyEncrypterDecrypter" {
						t.Errorf("binding %s gives a service agent %s on the %s", b.Key, b.Role, b.Scope)
					}
				case strings.HasPrefix(member, "serviceAccount:"+env.AccountID+".svc.id.goog["):
					if b.Role != "roles/iam.workloadIdentityUser" {
						t.Errorf("binding %s gives a Kubernetes service account %s", b.Key, b.Role)
					}
				case strings.HasPrefix(member, "principal://"):
					want := "/workloadIdentityPools/acme-" + env.Name + "-ci/subject/" + env.CISubject
					if env.CISubject == "" || !strings.HasSuffix(member, want) || b.Role != "roles/iam.workloadIdentityUser" {
						t.Errorf("binding %s admits %s, want only ...%s", b.Key, member, want)
					}
				case strings.HasPrefix(member, "serviceAccount:"):
					p := strings.TrimPrefix(member, "serviceAccount:")
					if owner, ok := all[p]; !ok || owner != ne.name {
						t.Errorf("binding %s grants %s to %s, of environment %q", b.Key, b.Role, p, owner)
					}
				default:
					t.Errorf("binding %s names member %q", b.Key, member)
				}
				if b.Condition != nil && !strings.Contains(b.Condition.Expression, "projects/"+env.AccountID+"/") {
					t.Errorf("binding %s has a condition outside the project: %s", b.Key, b.Condition.Expression)
				}
			}
			// The data scientist follows the tier: write, read or nothing.
			ds := slices.IndexFunc(bp.Identities, func(id blueprint.Identity) bool { return id.Key == blueprint.RoleDataScientist })
			switch env.HumanAccess {
			case segment.NoAccess:
				if ds >= 0 {
					t.Errorf("%s has a data-scientist identity without human access", ne.name)
				}
			case segment.WriteAccess, segment.ReadAccess:
				writes := slices.ContainsFunc(bp.Identities[ds].GCP.Bindings, func(b blueprint.RoleBinding) bool {
					return b.Role == "roles/storage.objectCreator"
				})
				if writes != (env.HumanAccess == segment.WriteAccess) {
					t.Errorf("data-scientist writes = %v with %s access", writes, env.HumanAccess)
				}
			}
		})
	}
}

// TestGCPNetworkInvariants: every range lies in the environment's, none
// overlaps another, the firewall ends in logged deny-alls of both
// directions, and nothing but the entry points admits a range from outside.
func TestGCPNetworkInvariants(t *testing.T) {
	for _, ne := range gcpInvariantEnvironments() {
		t.Run(ne.name, func(t *testing.T) {
			env := ne.env
			bp := testkit.Must(blueprint.Expand(env))
			var named []netplan.Named
			for _, s := range bp.Network.Subnets {
				named = append(named, netplan.Named{Name: "subnet " + s.Key, Prefix: netip.MustParsePrefix(s.CIDR)})
				if s.Zone != nil {
					t.Errorf("subnet %s has zone %s; Google Cloud subnets are regional", s.Key, *s.Zone)
				}
			}
			for _, r := range bp.Network.GCP.SecondaryRanges {
				named = append(named, netplan.Named{Name: "range " + r.Key, Prefix: netip.MustParsePrefix(r.CIDR)})
			}
			named = append(named, netplan.Named{Name: "control plane", Prefix: netip.MustParsePrefix(bp.Cluster.GCP.ControlPlaneCIDR)})
			for _, n := range named {
				if !env.CIDR.Contains(n.Prefix.Addr()) || n.Prefix.Bits() < env.CIDR.Bits() {
					t.Errorf("%s %s lies outside %s", n.Name, n.Prefix, env.CIDR)
				}
			}
			if o := netplan.Overlaps(named); len(o) != 0 {
				t.Errorf("overlapping ranges: %v", o)
			}
			entry := map[string]bool{}
			for _, in := range env.Ingress {
				for _, c := range in.FromCIDRs {
					entry[c.String()] = true
				}
			}
			denies := 0
			for _, r := range bp.FirewallRules {
				if r.Layer != blueprint.LayerVPCFirewall || r.Priority == nil {
					t.Fatalf("rule %s is %s without a priority", r.Key, r.Layer)
				}
				if r.Action == blueprint.Deny {
					denies++
					if *r.Priority != blueprint.GCPDenyPriority || len(r.Targets) != 0 || !slices.Equal(r.CIDRs, []string{"0.0.0.0/0"}) {
						t.Errorf("deny %s is not an all-instances deny of everything at the lowest priority", r.Key)
					}
					continue
				}
				if *r.Priority >= blueprint.GCPDenyPriority || !slices.Equal(r.Targets, []string{blueprint.RoleNode}) {
					t.Errorf("allow %s: priority %d, targets %v", r.Key, *r.Priority, r.Targets)
				}
				for _, c := range r.CIDRs {
					p := netip.MustParsePrefix(c)
					inside := env.CIDR.Contains(p.Addr()) && p.Bits() >= env.CIDR.Bits()
					switch {
					case inside, entry[c], c == "199.36.153.4/30":
					case r.Direction == blueprint.Ingress && (c == "35.191.0.0/16" || c == "130.211.0.0/22") && len(env.Ingress) > 0:
					default:
						t.Errorf("allow %s admits %s, outside the environment and its entry points", r.Key, c)
					}
				}
			}
			if denies != 2 {
				t.Errorf("%d deny rules, want the two deny-alls", denies)
			}
		})
	}
}

// TestGCPAddressPlan pins the carving of a /16 and refuses a range too
// small for GKE.
func TestGCPAddressPlan(t *testing.T) {
	bp := testkit.Must(blueprint.Expand(gcpProductionEnvironment()))
	got := map[string]string{}
	for _, s := range bp.Network.Subnets {
		got[s.Key] = s.CIDR
	}
	for _, r := range bp.Network.GCP.SecondaryRanges {
		got[r.Key] = r.CIDR
	}
	got["control-plane"] = bp.Cluster.GCP.ControlPlaneCIDR
	want := map[string]string{
		"pods": "10.66.0.0/18", "workload": "10.66.64.0/19", "services": "10.66.96.0/20", "control-plane": "10.66.112.0/28",
		"data": "10.66.128.0/18", "ingress": "10.66.192.0/18",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %s, want %s", k, got[k], w)
		}
	}
	env := gcpDevelopmentEnvironment()
	env.CIDR = netip.MustParsePrefix("10.64.0.0/21")
	if _, err := blueprint.Expand(env); err == nil || !strings.Contains(err.Error(), "/20") {
		t.Errorf("Expand(/21) error = %v, want one naming /20", err)
	}
}

// TestGCPFirewallNamesWithinTheLimit: SEG203 bounds firewall rule names by
// the longest key of an environment's own rules (cloud.GCP's NameLimits);
// no own rule but the declared entry points' is longer.
func TestGCPFirewallNamesWithinTheLimit(t *testing.T) {
	var limit cloud.NameLimit
	for _, l := range cloud.GCP.NameLimits {
		if l.Kind == "firewall rule name" {
			limit = l
		}
	}
	if limit.Purpose == "" {
		t.Fatal("cloud.GCP has no firewall rule name limit")
	}
	for _, ne := range gcpInvariantEnvironments() {
		for _, r := range testkit.Must(blueprint.Expand(ne.env)).FirewallRules {
			if !strings.HasPrefix(r.Key, "fw-ingress-entry-") && len(r.Key) > len(limit.Purpose) {
				t.Errorf("%s: rule %s is longer than %q, which SEG203 checks", ne.name, r.Key, limit.Purpose)
			}
		}
	}
}

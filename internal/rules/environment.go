package rules

import (
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/catalog"
	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// AddressesPerNode is the number of workload-subnet addresses SEG102 reserves
// for every GPU node at its pool's max_size: the node itself and its pods.
const AddressesPerNode = 32

// AdminPorts are the ports SEG103 refuses to open to public ranges.
var AdminPorts = map[int]string{
	22:    "SSH",
	2379:  "etcd",
	2380:  "etcd",
	3389:  "RDP",
	5985:  "WinRM",
	5986:  "WinRM",
	6443:  "the Kubernetes API",
	10250: "the kubelet",
}

// EnvironmentResult is the outcome of checking one environment.
type EnvironmentResult struct {
	// Findings are the findings that stand: errors fail the plan.
	Findings []Finding
	// Waived are findings that a waiver turned off, recorded in the blueprint.
	Waived []Finding
	// UnusedWaivers are the indexes of waivers that matched no finding.
	// It is empty while some waiver's rule is not known yet.
	UnusedWaivers []int
	// Unchecked are the values not known yet, each with the rules that read
	// it: those rules did not run, and run again once every value is known.
	Unchecked []Unchecked
}

// Errors reports whether any standing finding is an error.
func (r EnvironmentResult) Errors() bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Rule.Severity == Error })
}

// CheckEnvironment runs every environment rule on env and applies its
// waivers. A rule that reads a value listed in env.Unknown does not run; the
// result names it in Unchecked instead. Every other rule runs. An
// environment the domain refuses (segment.Environment.Check: a tier or a
// cloud it does not know) is an error, and no rule runs.
func CheckEnvironment(env segment.Environment) (EnvironmentResult, error) {
	var res EnvironmentResult
	if err := env.Check(); err != nil {
		return res, err
	}
	unknown := unknownPaths(env.Unknown)
	res.Unchecked = unchecked(ScopeEnvironment, unknown)

	var all []Finding
	for _, r := range ruleTable {
		if r.checkEnvironment == nil || slices.ContainsFunc(unknown, r.reads) {
			continue
		}
		for _, f := range r.checkEnvironment(env) {
			f.Rule = r
			all = append(all, f)
		}
	}
	sortFindings(all)

	used := make([]bool, len(env.Waivers))
	for _, f := range all {
		i := slices.IndexFunc(env.Waivers, func(w segment.Waiver) bool { return strings.EqualFold(w.Rule, f.Rule.ID) })
		if i < 0 || !f.Rule.Waivable {
			res.Findings = append(res.Findings, f)
			continue
		}
		used[i] = true
		res.Waived = append(res.Waived, f)
	}
	if len(res.Unchecked) > 0 {
		return res, nil // a waiver may yet match a rule that has not run
	}
	for i, u := range used {
		if !u {
			res.UnusedWaivers = append(res.UnusedWaivers, i)
		}
	}
	return res, nil
}

// defaults returns the defaults of the environment's tier, and facts the
// facts of its cloud: CheckEnvironment has checked both before any rule
// runs.
func defaults(env segment.Environment) segment.Defaults {
	d, _ := env.Tier.Defaults()
	return d
}

func facts(env segment.Environment) cloud.Facts {
	f, _ := cloud.For(env.Cloud)
	return f
}

// unknownPaths parses the keys of an Unknown set whose value is true, in
// order. A key that is not a path stands for the whole environment (the
// empty path), so that it holds every rule back rather than none.
func unknownPaths(set map[string]bool) []Path {
	keys := make([]string, 0, len(set))
	for k, u := range set {
		if u {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]Path, 0, len(keys))
	for _, k := range keys {
		p, err := ParsePath(k)
		if err != nil {
			p = Path{}
		}
		out = append(out, p)
	}
	return out
}

func checkPrivateCIDR(env segment.Environment) []Finding {
	if !env.CIDR.IsValid() || netplan.IsPrivate(env.CIDR) {
		return nil
	}
	return []Finding{finding(Root("cidr"),
		"%s is not inside a private range, so the environment's network would be publicly routable.", env.CIDR)}
}

func checkCIDRCapacity(env segment.Environment) []Finding {
	if !env.CIDR.IsValid() || !env.CIDR.Addr().Is4() {
		return nil
	}
	limits := facts(env).Subnets
	subnets, err := limits.Carve(env.CIDR, env.Zones, []netplan.Purpose{netplan.Workload})
	if err != nil {
		return []Finding{finding(Root("cidr"), "%s", err)}
	}
	capacity := 0
	for _, s := range subnets {
		capacity += limits.UsableAddresses(s.Prefix)
	}
	nodes := 0
	for _, p := range env.GPUNodePools {
		nodes += max(p.MaxSize, 0)
	}
	if need := nodes * AddressesPerNode; need > capacity {
		return []Finding{finding(Root("cidr"),
			"the workload subnets of %s offer %d addresses across %d zones, but %d GPU nodes at max_size need %d (%d per node).",
			env.CIDR, capacity, len(env.Zones), nodes, need, AddressesPerNode)}
	}
	return nil
}

func checkAdminIngress(env segment.Environment) []Finding {
	var out []Finding
	for i, in := range env.Ingress {
		service, admin := AdminPorts[in.Port]
		if !admin {
			continue
		}
		for j, from := range in.FromCIDRs {
			if netplan.IsPrivate(from) {
				continue
			}
			out = append(out, finding(Root("ingress").Index(i).Attr("from_cidrs").Index(j),
				"ingress %q opens port %d (%s) to the public range %s.", in.Name, in.Port, service, from))
		}
	}
	return out
}

func checkHumanWrite(env segment.Environment) []Finding {
	if env.Tier != segment.Production || env.HumanAccess != segment.WriteAccess {
		return nil
	}
	return []Finding{finding(Root("human_access"),
		"human_access = %q gives the data-scientist role write access to production data and models.", env.HumanAccess)}
}

// checkIdentityNames is SEG203: every generated name whose length the
// cloud bounds fits.
func checkIdentityNames(env segment.Environment) []Finding {
	var out []Finding
	for _, l := range facts(env).NameLimits {
		name := l.Name(env.Prefix())
		if len(name) <= l.MaxLength {
			continue
		}
		out = append(out, finding(Root("name"),
			"the %s %q has %d characters, but %s allows %d: shorten the environment's name or the organization by %d.",
			l.Kind, name, len(name), facts(env).Name, l.MaxLength, len(name)-l.MaxLength))
	}
	// On Google Cloud each declared entry point has a firewall rule named
	// after it.
	if env.Cloud == segment.GCP {
		for i, in := range env.Ingress {
			name := env.Prefix() + "-fw-ingress-entry-" + in.Name
			if len(name) > cloud.GCPFirewallNameMaxLength {
				out = append(out, finding(Root("ingress").Index(i).Attr("name"),
					"the firewall rule name %q has %d characters, but Google Cloud allows %d: shorten the entry point's name by %d.",
					name, len(name), cloud.GCPFirewallNameMaxLength, len(name)-cloud.GCPFirewallNameMaxLength))
			}
		}
	}
	return out
}

func checkKeyRotation(env segment.Environment) []Finding {
	limit := defaults(env).MaxKeyRotationDays
	if env.KeyRotationDays <= limit {
		return nil
	}
	return []Finding{finding(Root("key_rotation_days"),
		"key_rotation_days = %d, but %s keys rotate at least every %d days.", env.KeyRotationDays, env.Tier, limit)}
}

func checkKeyDeletionWindow(env segment.Environment) []Finding {
	limit := defaults(env).MinKeyDeletionWindowDays
	if env.KeyDeletionWindowDays >= limit {
		return nil
	}
	return []Finding{finding(Root("key_deletion_window_days"),
		"key_deletion_window_days = %d, but %s keys keep a deletion window of at least %d days.", env.KeyDeletionWindowDays, env.Tier, limit)}
}

// checkInstanceType is SEG401: every pool's machine is a GPU machine of
// the cloud's catalog, with the accelerators it attaches where it has none
// of its own.
func checkInstanceType(env segment.Environment) []Finding {
	var out []Finding
	for i, p := range env.GPUNodePools {
		at := Root("gpu_node_pools").Index(i)
		_, builtIn := catalog.Lookup(string(env.Cloud), p.InstanceType)
		if !builtIn && !catalog.NeedsAccelerator(string(env.Cloud), p.InstanceType) {
			msg := "%q is not a GPU instance type of %s."
			args := []any{p.InstanceType, env.Cloud}
			if s := catalog.Suggest(string(env.Cloud), p.InstanceType); len(s) > 0 {
				msg += " Did you mean %s?"
				args = append(args, strings.Join(s, ", "))
			}
			out = append(out, finding(at.Attr("instance_type"), msg, args...))
			continue
		}
		if _, err := catalog.Attach(string(env.Cloud), p.InstanceType, p.Accelerator, p.AcceleratorCount); err != nil {
			out = append(out, finding(at.Attr("accelerator"), "pool %q: %s.", p.Name, strings.TrimSuffix(err.Error(), ".")))
		}
	}
	return out
}

func checkPoolSize(env segment.Environment) []Finding {
	limit := facts(env).MaxPoolSize
	var out []Finding
	for i, p := range env.GPUNodePools {
		at := Root("gpu_node_pools").Index(i)
		switch {
		case p.MinSize < 0:
			out = append(out, finding(at.Attr("min_size"), "pool %q has min_size = %d; it must be 0 or more.", p.Name, p.MinSize))
		case p.MinSize > p.MaxSize:
			out = append(out, finding(at.Attr("min_size"), "pool %q has min_size = %d above max_size = %d.", p.Name, p.MinSize, p.MaxSize))
		}
		if p.MaxSize < 1 || p.MaxSize > limit {
			out = append(out, finding(at.Attr("max_size"), "pool %q has max_size = %d; it must be between 1 and %d.", p.Name, p.MaxSize, limit))
		}
	}
	return out
}

func checkSpotInference(env segment.Environment) []Finding {
	if env.Tier != segment.Production {
		return nil
	}
	var out []Finding
	for i, p := range env.GPUNodePools {
		if p.Spot && p.Purpose == segment.Inference {
			out = append(out, finding(Root("gpu_node_pools").Index(i).Attr("spot"),
				"production inference pool %q runs on spot capacity.", p.Name))
		}
	}
	return out
}

func checkPoolNames(env segment.Environment) []Finding {
	var out []Finding
	first := map[string]int{}
	for i, p := range env.GPUNodePools {
		if j, seen := first[p.Name]; seen {
			out = append(out, finding(Root("gpu_node_pools").Index(i).Attr("name"),
				"pool name %q is already used by gpu_node_pools[%d].", p.Name, j))
			continue
		}
		first[p.Name] = i
	}
	return out
}

func checkLogRetention(env segment.Environment) []Finding {
	limit := defaults(env).MinLogRetentionDays
	if env.LogRetentionDays >= limit {
		return nil
	}
	return []Finding{finding(Root("log_retention_days"),
		"log_retention_days = %d, but %s keeps logs for at least %d days.", env.LogRetentionDays, env.Tier, limit)}
}

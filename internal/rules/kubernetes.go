package rules

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/catalog"
	"github.com/segmentedml/terraform-provider-segmented/internal/k8s"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// checkPodSecurity is SEG801: every workload namespace enforces, audits and
// warns at Pod Security restricted.
func checkPodSecurity(env segment.Environment) []Finding {
	var out []Finding
	for i, ns := range env.Namespaces {
		if ns.PodSecurity != "" && ns.PodSecurity != segment.PodSecurityRestricted {
			out = append(out, finding(Root("namespaces").Index(i).Attr("pod_security"),
				"namespace %q is at Pod Security %s: its pods may run %s.", ns.Purpose, ns.PodSecurity, podSecurityRisk(ns.PodSecurity)))
		}
	}
	return out
}

func podSecurityRisk(l segment.PodSecurityLevel) string {
	if l == segment.PodSecurityPrivileged {
		return "privileged, with the host's namespaces, devices and file system"
	}
	return "as root, with added capabilities and without a seccomp profile"
}

// checkHumanWriterInProduction is SEG803: no production namespace binds
// people to a role that writes.
func checkHumanWriterInProduction(env segment.Environment) []Finding {
	if env.Tier != segment.Production || env.HumanAccess != segment.WriteAccess {
		return nil
	}
	var names []string
	for _, ns := range env.WorkloadNamespaces() {
		names = append(names, string(ns.Purpose))
	}
	if len(names) == 0 {
		return nil
	}
	return []Finding{finding(Root("human_access"),
		"human_access = %q binds the data-scientist identity to %s in the production namespaces %s: people can change production workloads by hand, around the CI's reviewed deploys.",
		env.HumanAccess, k8s.RoleEditor, strings.Join(names, ", "))}
}

// checkGPUQuota is SEG804: a namespace's GPU quota is at most what the
// GPU pools of its purpose serve at their maximum size.
func checkGPUQuota(env segment.Environment) []Finding {
	var out []Finding
	for i, ns := range env.Namespaces {
		if ns.GPUQuota == nil {
			continue
		}
		capacity, pools := 0, 0
		for _, p := range env.GPUNodePools {
			if !ns.Purpose.ServesPool(p.Purpose) {
				continue
			}
			gpu, err := catalog.Attach(string(env.Cloud), p.InstanceType, p.Accelerator, p.AcceleratorCount)
			if err != nil {
				continue // SEG401 reports it
			}
			capacity += gpu.GPUCount * p.MaxSize
			pools++
		}
		if *ns.GPUQuota > capacity {
			why := fmt.Sprintf("its %d %s pool(s) serve %d at their maximum size", pools, ns.Purpose, capacity)
			if pools == 0 {
				why = fmt.Sprintf("no GPU pool serves %s", ns.Purpose)
			}
			out = append(out, finding(Root("namespaces").Index(i).Attr("gpu_quota"),
				"namespace %q may request %d GPUs, but %s: pods the quota admits would wait for GPUs that never come.", ns.Purpose, *ns.GPUQuota, why))
		}
	}
	return out
}

// checkFlowPolicies is SEG805: every allowed network flow has namespaces on
// both sides to carry its network policies (k8s.FlowPolicies).
func checkFlowPolicies(t segment.Topology) []Finding {
	byName := map[string]segment.Member{}
	for _, m := range t.Environments {
		if _, dup := byName[m.Name]; !dup {
			byName[m.Name] = m
		}
	}
	var out []Finding
	for i, f := range t.Flows {
		src, okSrc := byName[f.From]
		dst, okDst := byName[f.To]
		if !knownFlow(f) || !okSrc || !okDst || f.From == f.To || !src.Known("name") || !dst.Known("name") || !src.Known("tier") || !dst.Known("tier") ||
			!src.Known("namespaces") || !dst.Known("namespaces") || !segment.FlowAllowed(src.Tier, dst.Tier, f.Purpose) {
			continue
		}
		senders, receivers := k8s.FlowNamespaces(f.Purpose)
		if senders == nil {
			continue // no connection, no policy
		}
		_, _, err := k8s.FlowPolicies(k8s.FlowSide{Environment: src.Name, Namespaces: src.WorkloadNamespaces()}, k8s.FlowSide{Environment: dst.Name, Namespaces: dst.WorkloadNamespaces()},
			src.CIDR, dst.CIDR, string(f.Purpose), senders, receivers, 1, 1)
		if err != nil {
			out = append(out, finding(Root("flows").Index(i), "%s.", err))
		}
	}
	return out
}

package blueprint

import (
	"fmt"
	"net/netip"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// clusterAddresses is how the range of an environment whose subnets are
// regional (Google Cloud, Azure) is divided between its subnets and the
// Kubernetes ranges that live beside them. The first half, the workload
// half, holds the pods range (its first half), the nodes' subnet (its third
// quarter), and the services range and a /28 for the control plane (its
// last quarter); the data and ingress subnets are the third and fourth
// quarters of the range, where every cloud carves them.
type clusterAddresses struct {
	subnets               []netplan.Subnet // workload (the nodes), data, ingress
	pods, services, plane netip.Prefix
}

// carveClusterAddresses divides env's range for a cloud whose subnets are
// regional; purposes are the subnets the environment has.
func carveClusterAddresses(env segment.Environment, f cloud.Facts, purposes []netplan.Purpose) (clusterAddresses, error) {
	bits := env.CIDR.Bits()
	if bits > f.NetworkPrefix.Longest {
		return clusterAddresses{}, fmt.Errorf("%s is too small for a Kubernetes environment on %s: the longest usable prefix is /%d", env.CIDR, f.Name, f.NetworkPrefix.Longest)
	}
	carved, err := f.Subnets.Carve(env.CIDR, []string{env.Region}, purposes)
	if err != nil {
		return clusterAddresses{}, fmt.Errorf("carving subnets: %w", err)
	}
	workload := carved[0].Prefix // the first half of the range
	block := func(prefixLen, index int) netip.Prefix {
		p, err := netplan.Allocate(workload, prefixLen, index)
		if err != nil {
			panic(fmt.Sprintf("blueprint: block %d of /%d in %s: %v", index, prefixLen, workload, err))
		}
		return p
	}
	last := block(bits+3, 3)
	plane, err := netplan.Allocate(last, 28, 1<<(28-bits-4))
	if err != nil {
		return clusterAddresses{}, fmt.Errorf("no room for the control plane's /28 in %s: %w", last, err)
	}
	a := clusterAddresses{pods: block(bits+2, 0), services: block(bits+4, 6), plane: plane}
	a.subnets = append([]netplan.Subnet{{Zone: env.Region, Purpose: netplan.Workload, Prefix: block(bits+3, 2)}}, carved[1:]...)
	return a, nil
}

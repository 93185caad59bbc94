package blueprint

import (
	"fmt"

	"github.com/segmentedml/terraform-provider-segmented/internal/cloud"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// interfaceEndpoints are the AWS services a private GPU cluster needs, and the
// only ones its workload can reach: images (ecr), node bootstrap (ec2, eks,
// eks-auth), credentials (sts), keys (kms) and logs. S3 is a gateway endpoint.
var interfaceEndpoints = []string{"ec2", "ecr.api", "ecr.dkr", "eks", "eks-auth", "kms", "logs", "sts"}

// S3Endpoint is the key of the S3 gateway endpoint, whose prefix list the
// node security group may reach.
const S3Endpoint = "s3"

// Security group keys.
const (
	GroupCluster   = "cluster"
	GroupNodes     = "nodes"
	GroupEndpoints = "endpoints"
	GroupIngress   = "ingress"
)

func (a aws) purposes() []netplan.Purpose {
	ps := []netplan.Purpose{netplan.Workload, netplan.Data}
	if len(a.env.Ingress) > 0 {
		ps = append(ps, netplan.Ingress)
	}
	return ps
}

// publicIngress reports whether an entry point admits a range outside
// private space, which needs a route to the internet for the replies.
func publicIngress(ingress []segment.Ingress) bool {
	for _, in := range ingress {
		for _, from := range in.FromCIDRs {
			if !netplan.IsPrivate(from) {
				return true
			}
		}
	}
	return false
}

func (a aws) network() (Network, error) {
	carved, err := cloud.AWS.Subnets.Carve(a.env.CIDR, a.env.Zones, a.purposes())
	if err != nil {
		return Network{}, fmt.Errorf("carving subnets: %w", err)
	}
	n := Network{
		Name:  a.name("vpc"),
		CIDR:  a.env.CIDR.String(),
		Zones: append([]string(nil), a.env.Zones...),
	}
	v := &AWSNetwork{InternetGateway: publicIngress(a.env.Ingress)}
	for _, s := range carved {
		k := key(string(s.Purpose), s.Zone)
		n.Subnets = append(n.Subnets, Subnet{
			Key: k, Name: a.name(k), Zone: ptr(s.Zone), Purpose: string(s.Purpose), CIDR: s.Prefix.String(),
		})
	}
	for _, p := range a.purposes() {
		v.RouteTables = append(v.RouteTables, RouteTable{
			Key: string(p), Name: a.name(string(p)), Purpose: string(p),
			InternetGateway: p == netplan.Ingress && v.InternetGateway,
		})
		v.NetworkACLs = append(v.NetworkACLs, SubnetGuard{
			Key: string(p), Name: a.name(string(p)), SubnetPurpose: string(p),
		})
	}
	v.Endpoints = append(v.Endpoints, Endpoint{
		Key: S3Endpoint, Service: "s3", ServiceName: a.serviceName("s3"), Type: "Gateway",
		SubnetPurpose: string(netplan.Workload),
	})
	for _, svc := range interfaceEndpoints {
		v.Endpoints = append(v.Endpoints, Endpoint{
			Key: key(svc), Service: svc, ServiceName: a.serviceName(svc), Type: "Interface",
			SubnetPurpose: string(netplan.Data), SecurityGroup: ptr(GroupEndpoints), PrivateDNS: true,
		})
	}
	v.SecurityGroups = []SecurityGroup{
		{Key: GroupCluster, Name: a.name("cluster"), Description: "Kubernetes control plane of " + a.env.Name + ": reachable from its nodes only."},
		{Key: GroupEndpoints, Name: a.name("endpoints"), Description: "VPC endpoints of " + a.env.Name + ": reachable from its nodes only."},
		{Key: GroupNodes, Name: a.name("nodes"), Description: "GPU nodes of " + a.env.Name + ": reachable from its control plane, its own nodes and its declared entry points."},
	}
	if len(a.env.Ingress) > 0 {
		v.SecurityGroups = append(v.SecurityGroups, SecurityGroup{
			Key: GroupIngress, Name: a.name("ingress"), Description: "Load balancers of the declared entry points of " + a.env.Name + ".",
		})
	}
	sortByKey(n.Subnets, func(s Subnet) string { return s.Key })
	sortByKey(v.RouteTables, func(r RouteTable) string { return r.Key })
	sortByKey(v.NetworkACLs, func(r SubnetGuard) string { return r.Key })
	sortByKey(v.Endpoints, func(e Endpoint) string { return e.Key })
	sortByKey(v.SecurityGroups, func(g SecurityGroup) string { return g.Key })
	n.AWS = v
	return n, nil
}

func (a aws) serviceName(service string) string {
	return "com.amazonaws." + a.env.Region + "." + service
}

package blueprint

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

func (z azure) cluster(a clusterAddresses) Cluster {
	return Cluster{
		Name:              z.env.Prefix(),
		KubernetesVersion: KubernetesVersion,
		Identity:          RoleCluster,
		SubnetPurpose:     string(netplan.Workload),
		PrivateEndpoint:   true,
		PublicEndpoint:    false,
		SecretsKMSKey:     KeySecrets,
		Azure: &AzureCluster{
			APIServerCIDR:     a.plane.String(),
			PodCIDR:           a.pods.String(),
			ServiceCIDR:       a.services.String(),
			DNSServiceIP:      nthAddress(a.services, 10).String(),
			NetworkPlugin:     "azure",
			NetworkPolicy:     "cilium",
			OutboundType:      "none",
			BootstrapRegistry: z.compact("registry"),
			KubeletIdentity:   RoleNode,
		},
	}
}

// nthAddress is the n-th address of a prefix.
func nthAddress(p netip.Prefix, n int) netip.Addr {
	a := p.Addr()
	for range n {
		a = a.Next()
	}
	return a
}

func (z azure) nodePools() ([]NodePool, error) {
	pools, err := commonNodePools(z.env)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for i := range pools {
		name := aksPoolName(pools[i].Key)
		if other, dup := names[name]; dup {
			return nil, fmt.Errorf("node pools %q and %q would both be the AKS pool %q (AKS pool names are at most 12 letters and digits); rename one", other, pools[i].Key, name)
		}
		names[name] = pools[i].Key
		priority := "Regular"
		if pools[i].Spot {
			priority = "Spot"
		}
		pools[i].Azure = &AzureNodePool{Name: name, Priority: priority, HostEncryption: true, OSDiskType: "Managed"}
	}
	return unwrap(pools), nil
}

func (z azure) monitoring() Monitoring {
	alarm := func(k, description string, operations ...string) Alarm {
		return Alarm{Key: k, Name: z.name(k), Description: description, Threshold: 1, Azure: &AzureAlarm{OperationNames: operations}}
	}
	from := []string{"cluster", "key_vault", "bucket:" + BucketData, "bucket:" + BucketModels}
	for _, p := range z.purposes() {
		from = append(from, "nsg:"+string(p))
	}
	slices.Sort(from)
	return Monitoring{
		KMSKey:        KeyLogs,
		RetentionDays: z.env.LogRetentionDays,
		Alarms: []Alarm{
			alarm("nsg-changes", "A network security group of the environment, or one of its rules, was written or deleted.",
				"Microsoft.Network/networkSecurityGroups/delete", "Microsoft.Network/networkSecurityGroups/securityRules/delete",
				"Microsoft.Network/networkSecurityGroups/securityRules/write", "Microsoft.Network/networkSecurityGroups/write"),
			alarm("role-assignment-changes", "A role assignment in the environment's resource group was written or deleted.",
				"Microsoft.Authorization/roleAssignments/delete", "Microsoft.Authorization/roleAssignments/write"),
		},
		Azure: &AzureMonitoring{
			Workspace:       z.name("logs"),
			FlowLogName:     z.name("flow-logs"),
			FlowLogStorage:  z.compact("logs"),
			DiagnosticsFrom: from,
		},
	}
}

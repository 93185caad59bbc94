package blueprint

import (
	"fmt"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

// gkeDiskTypes are the boot disk types of the GPU machine series that take
// no Persistent Disk; every other series boots from pd-balanced.
var gkeDiskTypes = map[string]string{"a4": "hyperdisk-balanced"}

func (g gcp) cluster(a clusterAddresses) Cluster {
	return Cluster{
		Name:              g.env.Prefix(),
		KubernetesVersion: KubernetesVersion,
		Identity:          RoleNode,
		SubnetPurpose:     string(netplan.Workload),
		PrivateEndpoint:   true,
		PublicEndpoint:    false,
		SecretsKMSKey:     KeySecrets,
		GCP: &GCPCluster{
			ControlPlaneCIDR:  a.plane.String(),
			AuthorizedCIDRs:   []string{g.env.CIDR.String()},
			PodsRange:         RangePods,
			ServicesRange:     RangeServices,
			ReleaseChannel:    "REGULAR",
			DatapathProvider:  "ADVANCED_DATAPATH",
			WorkloadPool:      g.workloadPool(),
			MaxPodsPerNode:    MaxPodsPerNode,
			NodeLocations:     append([]string(nil), g.env.Zones...),
			LoggingComponents: []string{"APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "SYSTEM_COMPONENTS", "WORKLOADS"},
		},
	}
}

func (g gcp) nodePools() ([]NodePool, error) {
	pools, err := commonNodePools(g.env)
	if err != nil {
		return nil, err
	}
	for i := range pools {
		gpu := pools[i].gpu
		family, _, _ := strings.Cut(gpu.Name, "-")
		disk, ok := gkeDiskTypes[family]
		if !ok {
			disk = "pd-balanced"
		}
		pools[i].GCP = &GCPNodePool{
			AcceleratorType:  gpu.Accelerator,
			AcceleratorCount: gpu.GPUCount,
			GPUDriverVersion: "LATEST",
			DiskType:         disk,
			WorkloadMetadata: "GKE_METADATA",
			// GKE's NVIDIA driver installer loads signed modules, so secure
			// boot stays on.
			SecureBoot:       true,
			IntegrityMonitor: true,
		}
	}
	return unwrap(pools), nil
}

func (g gcp) monitoring() Monitoring {
	project := g.env.AccountID
	alarm := func(k, description string, threshold int, filter string) Alarm {
		return Alarm{Key: k, Name: g.name(k), Description: description, Threshold: threshold,
			GCP: &GCPAlarm{MetricName: g.name(k), Filter: filter}}
	}
	return Monitoring{
		KMSKey:        KeyLogs,
		RetentionDays: g.env.LogRetentionDays,
		Alarms: []Alarm{
			alarm("firewall-changes", "A firewall rule of the environment's network was created, changed or deleted.", 1,
				`protoPayload.serviceName="compute.googleapis.com" AND protoPayload.methodName=~"firewalls\.(insert|patch|update|delete)$"`),
			alarm("iam-changes", "An IAM policy in the environment's project changed.", 1,
				`protoPayload.methodName="SetIamPolicy"`),
			alarm("rejected-flows", "Traffic denied at the environment's boundary: a misrouted flow, or something probing for a way across.", 100,
				fmt.Sprintf(`logName="projects/%s/logs/compute.googleapis.com%%2Ffirewall" AND jsonPayload.disposition="DENIED"`, project)),
		},
		GCP: &GCPMonitoring{
			LogBucket: g.name("logs"),
			SinkName:  g.name("logs"),
			SinkFilter: fmt.Sprintf(`logName:("projects/%s/logs/compute.googleapis.com%%2Fvpc_flows" OR "projects/%s/logs/compute.googleapis.com%%2Ffirewall" OR "projects/%s/logs/cloudaudit.googleapis.com")`,
				project, project, project),
		},
	}
}

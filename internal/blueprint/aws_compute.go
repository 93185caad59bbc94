package blueprint

import (
	"fmt"
	"maps"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/catalog"
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
	"github.com/segmentedml/terraform-provider-segmented/internal/segment"
)

// Taint and label keys on every GPU node.
const (
	GPUTaintKey         = "nvidia.com/gpu"
	EnvironmentTaintKey = "segmented.io/environment"
	LabelPrefix         = "segmented.io/"
)

// Root volume sizes by purpose, in GiB: training nodes stage data sets and
// checkpoints locally.
var rootVolumeGiB = map[segment.Purpose]int{segment.Training: 200, segment.Inference: 100}

var amiTypes = map[string]string{"x86_64": "AL2023_x86_64_NVIDIA", "arm64": "AL2023_ARM_64_NVIDIA"}

func (a aws) cluster() Cluster {
	return Cluster{
		Name:              a.env.Prefix(),
		KubernetesVersion: KubernetesVersion,
		Identity:          RoleCluster,
		SubnetPurpose:     string(netplan.Workload),
		PrivateEndpoint:   true,
		PublicEndpoint:    false,
		SecretsKMSKey:     KeySecrets,
		AWS: &AWSCluster{
			SecurityGroup: GroupCluster,
			LogTypes:      []string{"api", "audit", "authenticator", "controllerManager", "scheduler"},
		},
	}
}

func (a aws) nodePools() ([]NodePool, error) {
	pools := make([]NodePool, 0, len(a.env.GPUNodePools))
	seen := map[string]bool{}
	for _, p := range a.env.GPUNodePools {
		if seen[p.Name] {
			return nil, fmt.Errorf("node pool name %q is used twice; pools are keyed by name", p.Name)
		}
		seen[p.Name] = true
		gpu, ok := catalog.Lookup(string(a.env.Cloud), p.InstanceType)
		if !ok {
			return nil, fmt.Errorf("node pool %q: %q is not a GPU instance type of %s", p.Name, p.InstanceType, a.env.Cloud)
		}
		capacity := "ON_DEMAND"
		if p.Spot {
			capacity = "SPOT"
		}
		labels := map[string]string{
			LabelPrefix + "environment": a.env.Name,
			LabelPrefix + "tier":        string(a.env.Tier),
			LabelPrefix + "pool":        p.Name,
			LabelPrefix + "purpose":     string(p.Purpose),
			LabelPrefix + "gpu-model":   labelValue(gpu.GPUModel),
			LabelPrefix + "gpu-count":   fmt.Sprint(gpu.GPUCount),
		}
		pools = append(pools, NodePool{
			Key:           p.Name,
			Name:          a.name(p.Name),
			Purpose:       string(p.Purpose),
			MachineType:   p.InstanceType,
			GPUModel:      gpu.GPUModel,
			GPUCount:      gpu.GPUCount,
			GPUMemoryGiB:  gpu.GPUMemoryGiB,
			Architecture:  gpu.Architecture,
			Spot:          p.Spot,
			MinSize:       p.MinSize,
			MaxSize:       p.MaxSize,
			DesiredSize:   p.MinSize,
			SubnetPurpose: string(netplan.Workload),
			Identity:      RoleNode,
			Labels:        maps.Clone(labels),
			Taints: []Taint{
				{Key: GPUTaintKey, Value: "present", Effect: "NO_SCHEDULE"},
				{Key: EnvironmentTaintKey, Value: a.env.Name, Effect: "NO_SCHEDULE"},
			},
			DiskGiB:    rootVolumeGiB[p.Purpose],
			DiskKMSKey: KeyData,
			AWS: &AWSNodePool{
				AMIType:        amiTypes[gpu.Architecture],
				CapacityType:   capacity,
				SecurityGroup:  GroupNodes,
				RootVolumeType: "gp3",
				IMDSHTTPTokens: "required",
				IMDSHopLimit:   1,
			},
		})
	}
	sortByKey(pools, func(p NodePool) string { return p.Key })
	return pools, nil
}

const labelChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."

// labelValue makes a Kubernetes label value: letters, digits, '-', '_' and '.'.
func labelValue(s string) string {
	out := []rune(s)
	for i, r := range out {
		if !strings.ContainsRune(labelChars, r) {
			out[i] = '-'
		}
	}
	return string(out)
}

func (a aws) monitoring() Monitoring {
	return Monitoring{
		KMSKey:        KeyLogs,
		RetentionDays: a.env.LogRetentionDays,
		Alarms: []Alarm{{
			Key:         "rejected-flows",
			Name:        a.name("rejected-flows"),
			Description: "Traffic rejected at the environment's boundary: a misrouted flow, or something probing for a way across.",
			Threshold:   100,
			AWS: &AWSAlarm{
				LogGroup:      a.flowLogGroup(),
				FilterPattern: "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=\"REJECT\", flowlogstatus]",
				MetricName:    "RejectedFlows",
			},
		}},
		AWS: &AWSMonitoring{
			FlowLogName:        a.name("flow-logs"),
			FlowLogTrafficType: "ALL",
			FlowLogGroup:       a.flowLogGroup(),
			FlowLogRole:        RoleFlowLogs,
			AuditLogGroup:      a.auditLogGroup(),
		},
	}
}

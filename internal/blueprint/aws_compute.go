package blueprint

import (
	"github.com/segmentedml/terraform-provider-segmented/internal/netplan"
)

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
	pools, err := commonNodePools(a.env)
	if err != nil {
		return nil, err
	}
	for i := range pools {
		capacity := "ON_DEMAND"
		if pools[i].Spot {
			capacity = "SPOT"
		}
		pools[i].AWS = &AWSNodePool{
			AMIType:        amiTypes[pools[i].gpu.Architecture],
			CapacityType:   capacity,
			SecurityGroup:  GroupNodes,
			RootVolumeType: "gp3",
			IMDSHTTPTokens: "required",
			IMDSHopLimit:   1,
		}
	}
	return unwrap(pools), nil
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

package blueprint

import (
	"fmt"
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

// pool is a node pool with the catalog facts it was built from.
type pool struct {
	NodePool
	gpu catalog.GPUInstance
}

func unwrap(pools []pool) []NodePool {
	out := make([]NodePool, len(pools))
	for i, p := range pools {
		out[i] = p.NodePool
	}
	return out
}

// commonNodePools builds what every cloud's GPU node pools share: the
// catalog's facts, sizes, labels, both taints and the encrypted disk.
func commonNodePools(e segment.Environment) ([]pool, error) {
	out := make([]pool, 0, len(e.GPUNodePools))
	seen := map[string]bool{}
	for _, p := range e.GPUNodePools {
		if seen[p.Name] {
			return nil, fmt.Errorf("node pool name %q is used twice; pools are keyed by name", p.Name)
		}
		seen[p.Name] = true
		gpu, err := resolveGPU(e.Cloud, p)
		if err != nil {
			return nil, fmt.Errorf("node pool %q: %w", p.Name, err)
		}
		labels := map[string]string{
			LabelPrefix + "environment": e.Name,
			LabelPrefix + "tier":        string(e.Tier),
			LabelPrefix + "pool":        p.Name,
			LabelPrefix + "purpose":     string(p.Purpose),
			LabelPrefix + "gpu-model":   labelValue(gpu.GPUModel),
			LabelPrefix + "gpu-count":   fmt.Sprint(gpu.GPUCount),
		}
		out = append(out, pool{gpu: gpu, NodePool: NodePool{
			Key:           p.Name,
			Name:          e.ResourceName(p.Name),
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
			Labels:        labels,
			Taints: []Taint{
				{Key: GPUTaintKey, Value: "present", Effect: "NO_SCHEDULE"},
				{Key: EnvironmentTaintKey, Value: e.Name, Effect: "NO_SCHEDULE"},
			},
			DiskGiB:    rootVolumeGiB[p.Purpose],
			DiskKMSKey: KeyData,
		}})
	}
	sortByKey(out, func(p pool) string { return p.Key })
	return out, nil
}

// resolveGPU returns the catalog's facts of a pool's nodes: a machine whose
// GPUs come with it, or a machine with the accelerators the pool attaches.
func resolveGPU(c segment.Cloud, p segment.NodePool) (catalog.GPUInstance, error) {
	return catalog.Attach(string(c), p.InstanceType, p.Accelerator, p.AcceleratorCount)
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

// Command demosummary prints the quick start's `terraform output -json` as a
// table per environment. `make demo` pipes the output into it.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"
)

type environment struct {
	Tier          string `json:"tier"`
	CIDR          string `json:"cidr"`
	Subnets       int    `json:"subnets"`
	FirewallRules int    `json:"firewall_rules"`
	IAMRoles      int    `json:"iam_roles"`
	KMSKeys       int    `json:"kms_keys"`
	GPUPools      int    `json:"gpu_pools"`
	GPUsAtMax     int    `json:"gpus_at_max"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demosummary:", err)
		os.Exit(2)
	}
}

func run(in io.Reader, out io.Writer) error {
	var outputs struct {
		Environments struct {
			Value map[string]environment `json:"value"`
		} `json:"environments"`
	}
	if err := json.NewDecoder(in).Decode(&outputs); err != nil {
		return fmt.Errorf("reading terraform output -json: %w", err)
	}
	envs := outputs.Environments.Value
	if len(envs) == 0 {
		return fmt.Errorf("the output has no environments")
	}
	names := make([]string, 0, len(envs))
	for n := range envs {
		names = append(names, n)
	}
	slices.Sort(names)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ENVIRONMENT\tTIER\tCIDR\tSUBNETS\tFIREWALL RULES\tIAM ROLES\tKMS KEYS\tGPU POOLS\tGPUS AT MAX\t")
	for _, n := range names {
		e := envs[n]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", n, e.Tier, e.CIDR, e.Subnets, e.FirewallRules, e.IAMRoles, e.KMSKeys, e.GPUPools, e.GPUsAtMax)
	}
	return tw.Flush()
}

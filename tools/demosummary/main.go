// Command demosummary prints the quick start's `terraform output -json`: a
// table per environment and the reachability matrix, and writes the Mermaid
// diagram to the file named by -mermaid. `make demo` pipes the output into it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
)

type environment struct {
	Tier          string `json:"tier"`
	Cloud         string `json:"cloud"` // absent from outputs that predate a second cloud
	CIDR          string `json:"cidr"`
	Subnets       int    `json:"subnets"`
	FirewallRules int    `json:"firewall_rules"`
	Identities    int    `json:"identities"`
	Keys          int    `json:"keys"`
	GPUPools      int    `json:"gpu_pools"`
	GPUsAtMax     int    `json:"gpus_at_max"`
}

func main() {
	mermaid := flag.String("mermaid", "", "file to write the Mermaid diagram to")
	list := flag.Bool("list", false, "print one output's value, an object of string lists, one item per line")
	flag.Parse()
	do := func() error { return run(os.Stdin, os.Stdout, *mermaid) }
	if *list {
		do = func() error { return printLists(os.Stdin, os.Stdout) }
	}
	if err := do(); err != nil {
		fmt.Fprintln(os.Stderr, "demosummary:", err)
		os.Exit(2)
	}
}

func run(in io.Reader, out io.Writer, mermaidFile string) error {
	var outputs struct {
		Environments struct {
			Value map[string]environment `json:"value"`
		} `json:"environments"`
		Reachability struct {
			Value map[string]map[string][]string `json:"value"`
		} `json:"reachability"`
		Mermaid struct {
			Value string `json:"value"`
		} `json:"mermaid"`
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
	// The cloud column appears when the output names the clouds.
	clouds := slices.ContainsFunc(names, func(n string) bool { return envs[n].Cloud != "" })
	cloudCell := func(e environment) string {
		if !clouds {
			return ""
		}
		return e.Cloud + "\t"
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "ENVIRONMENT\tTIER\t"
	if clouds {
		header += "CLOUD\t"
	}
	fmt.Fprintln(tw, header+"CIDR\tSUBNETS\tFIREWALL RULES\tIDENTITIES\tKEYS\tGPU POOLS\tGPUS AT MAX\t")
	for _, n := range names {
		e := envs[n]
		fmt.Fprintf(tw, "%s\t%s\t%s%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", n, e.Tier, cloudCell(e), e.CIDR, e.Subnets, e.FirewallRules, e.Identities, e.Keys, e.GPUPools, e.GPUsAtMax)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(out, "\nReachability: what each environment (row) may send to each other (column); '-' is denied.")
	tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "FROM \\ TO\t%s\t\n", strings.Join(names, "\t"))
	for _, from := range names {
		cells := make([]string, 0, len(names))
		for _, to := range names {
			cell := "-"
			if p := outputs.Reachability.Value[from][to]; len(p) > 0 {
				cell = strings.Join(p, ",")
			}
			cells = append(cells, cell)
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", from, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if mermaidFile != "" {
		if outputs.Mermaid.Value == "" {
			return fmt.Errorf("the output has no mermaid diagram")
		}
		if err := os.WriteFile(mermaidFile, []byte(outputs.Mermaid.Value), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "\nThe trust-boundary diagram (Mermaid) is in %s.\n", mermaidFile)
	}
	return nil
}

// printLists prints an object of string lists, such as the mixed quick
// start's telemetry_firewall output: "  key: item" per item, keys sorted.
func printLists(in io.Reader, out io.Writer) error {
	var lists map[string][]string
	if err := json.NewDecoder(in).Decode(&lists); err != nil {
		return fmt.Errorf("reading terraform output -json NAME: %w", err)
	}
	keys := make([]string, 0, len(lists))
	for k := range lists {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, item := range lists[k] {
			fmt.Fprintf(out, "  %s: %s\n", k, item)
		}
	}
	return nil
}

// Command benchplan writes a generated plan (internal/audit/plangen) of N
// resources and the environments file that declares its environments, for
// scripts/bench-audit.sh.
//
//	go run ./tools/benchplan -n 10000 -plan plan.json -environments environments.hcl
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plangen"
)

func main() {
	n := flag.Int("n", 1000, "the number of resources")
	planPath := flag.String("plan", "plan.json", "where to write the plan")
	envPath := flag.String("environments", "", "where to write the environments file (none when empty)")
	flag.Parse()

	data, err := plangen.Plan(*n)
	if err == nil {
		err = os.WriteFile(*planPath, data, 0o644)
	}
	if err == nil && *envPath != "" {
		err = os.WriteFile(*envPath, []byte(plangen.EnvironmentsFile()), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchplan:", err)
		os.Exit(1)
	}
}

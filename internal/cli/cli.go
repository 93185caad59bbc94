// Package cli runs the binary's subcommands: everything the binary does when
// Terraform is not the one starting it.
package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"

	"github.com/segmentedml/terraform-provider-segmented/internal/modgen"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// Exit codes, as DESIGN.md fixes them.
const (
	ExitClean    = 0 // nothing at error severity
	ExitFindings = 1 // findings at error severity
	ExitBadInput = 2 // bad input, with a message that says what and where
)

type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer, version string) int
}

var commands = map[string]command{
	"audit":    {auditUsage + ": find cross-environment violations in a plan", runAudit},
	"generate": {"generate module --cloud aws|gcp|azure|kubernetes --out DIR: write a cloud module, or the in-cluster one", runGenerate},
	"rules":    {"print the rule catalog (--format table|json)", runRules},
	"version":  {"print the version", runVersion},
}

// IsCommand reports whether arg names a subcommand (or asks for help), as
// opposed to a flag Terraform passes when it starts the provider.
func IsCommand(arg string) bool {
	_, ok := commands[arg]
	return ok || arg == "help" || arg == "-h" || arg == "--help"
}

// Run runs the subcommand args[0] and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer, version string) int {
	cmd, ok := commands[args[0]]
	if !ok {
		usage(stdout)
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			return ExitClean
		}
		return ExitBadInput
	}
	return cmd.run(args[1:], stdout, stderr, version)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: terraform-provider-segmented <command> [flags]")
	fmt.Fprintln(w, "Without a command, the binary serves the Terraform provider. Commands:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(tw, "  %s\t%s\n", name, commands[name].summary)
	}
	_ = tw.Flush()
}

func runGenerate(args []string, stdout, stderr io.Writer, _ string) int {
	if len(args) == 0 || args[0] != "module" {
		fmt.Fprintln(stderr, "generate: want `generate module --cloud aws|gcp|azure|kubernetes --out DIR`")
		return ExitBadInput
	}
	fs := flag.NewFlagSet("generate module", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cloud := fs.String("cloud", "", "cloud of the module: aws, gcp or azure")
	out := fs.String("out", "", "directory to write the module to")
	if err := fs.Parse(args[1:]); err != nil {
		return ExitBadInput
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "generate module: unexpected argument %q\n", fs.Arg(0))
		return ExitBadInput
	case *cloud == "" || *out == "":
		fmt.Fprintln(stderr, "generate module: --cloud and --out are required")
		return ExitBadInput
	}
	files, err := modgen.Module(*cloud)
	if err != nil {
		fmt.Fprintln(stderr, "generate module: --cloud:", err)
		return ExitBadInput
	}
	if err := modgen.Write(*out, files); err != nil {
		fmt.Fprintln(stderr, "generate module:", err)
		return ExitBadInput
	}
	fmt.Fprintf(stdout, "wrote %d files to %s\n", len(files), *out)
	return ExitClean
}

func runVersion(_ []string, stdout, _ io.Writer, version string) int {
	fmt.Fprintln(stdout, "terraform-provider-segmented", version)
	return ExitClean
}

func runRules(args []string, stdout, stderr io.Writer, _ string) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: table or json")
	if err := fs.Parse(args); err != nil {
		return ExitBadInput
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rules: unexpected argument %q\n", fs.Arg(0))
		return ExitBadInput
	}
	catalog := rules.Catalog()
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(catalog); err != nil {
			fmt.Fprintln(stderr, "rules:", err)
			return ExitBadInput
		}
	case "table":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tCWE\tSCOPE\tWAIVABLE\tTITLE")
		for _, r := range catalog {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.CWEID(), r.Scope, yesNo(r.Waivable), r.Title)
		}
		_ = tw.Flush()
	default:
		fmt.Fprintf(stderr, "rules: --format must be table or json, not %q\n", *format)
		return ExitBadInput
	}
	return ExitClean
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

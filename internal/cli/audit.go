package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/envfile"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/plan"
	"github.com/segmentedml/terraform-provider-segmented/internal/audit/source"
	"github.com/segmentedml/terraform-provider-segmented/internal/report"
	"github.com/segmentedml/terraform-provider-segmented/internal/rules"
)

// Stdin is what `audit -` reads; tests replace it.
var Stdin io.Reader = os.Stdin

const auditUsage = "audit PLAN_JSON [--format text|json|sarif] [--out FILE] [--environments FILE] [--source DIR] [--fail-on error|warning]"

func runAudit(args []string, stdout, stderr io.Writer, version string) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: terraform-provider-segmented "+auditUsage)
		fs.PrintDefaults()
	}
	format := fs.String("format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	out := fs.String("out", "", "write the report to FILE instead of standard output")
	envPath := fs.String("environments", "", "an environments file (HCL) declaring environments, their ranges, accounts, patterns and flows")
	sourceDir := fs.String("source", "", "the configuration's directory, to locate each resource's block (file and line) in SARIF and JSON")
	failOn := fs.String("fail-on", "error", "exit 1 on findings at or above this severity: error or warning")

	// Flags may come before or after the plan's path.
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return ExitBadInput
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	switch {
	case len(positional) != 1:
		fmt.Fprintf(stderr, "audit: want one plan, the output of `terraform show -json PLANFILE` (or - for standard input), got %d arguments\nusage: terraform-provider-segmented %s\n", len(positional), auditUsage)
		return ExitBadInput
	case *failOn != string(rules.Error) && *failOn != string(rules.Warning):
		fmt.Fprintf(stderr, "audit: --fail-on must be error or warning, not %q\n", *failOn)
		return ExitBadInput
	case !slices.Contains(report.Formats(), *format):
		fmt.Fprintf(stderr, "audit: --format must be one of %s, not %q\n", strings.Join(report.Formats(), ", "), *format)
		return ExitBadInput
	}
	input := positional[0]

	data, err := readInput(input)
	if err != nil {
		fmt.Fprintf(stderr, "audit: %v\n", err)
		return ExitBadInput
	}
	doc, err := plan.Read(data)
	if err != nil {
		fmt.Fprintf(stderr, "audit: %s: %v\n", inputName(input), err)
		return ExitBadInput
	}
	var file *envfile.File
	if *envPath != "" {
		var diags = envfileLoad(*envPath)
		file = diags.file
		if diags.text != "" {
			fmt.Fprint(stderr, diags.text)
		}
		if file == nil {
			return ExitBadInput
		}
	}
	var locator *source.Locator
	if *sourceDir != "" {
		if locator, err = source.Load(*sourceDir); err != nil {
			fmt.Fprintf(stderr, "audit: --source: %v\n", err)
			return ExitBadInput
		}
	}

	res := audit.Check(plan.FactsWith(doc, plan.Options{Environments: file, Source: locator}))
	if file != nil && len(file.Waivers) > 0 {
		used := map[envfile.Waiver]bool{}
		res.Waive(func(f audit.Finding) (string, bool) {
			w, ok := file.Waives(f.Rule.ID, f.Address)
			used[w] = used[w] || ok
			return w.Reason, ok
		})
		for _, w := range file.Waivers {
			if !used[w] {
				fmt.Fprintf(stderr, "audit: warning: %s: the waiver of %s on %q matches no finding; remove it\n", *envPath, w.Rule, w.Address)
			}
		}
	}

	var buf bytes.Buffer
	written, err := report.Write(&buf, res, report.Options{Format: *format, Locator: locator, ToolVersion: version, Input: input})
	if err != nil {
		fmt.Fprintf(stderr, "audit: %v\n", err)
		return ExitBadInput
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
	} else {
		err = os.WriteFile(*out, buf.Bytes(), 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "audit: writing the report: %v\n", err)
		return ExitBadInput
	}
	errs, warns := res.Counts()
	if *out != "" || *format != "text" {
		fmt.Fprintf(stderr, "audit: %d errors, %d warnings, %d waived, in %d resources (%d attributed to an environment)\n", errs, warns, len(res.Waived), res.Resources, res.Attributed)
	}
	if written.Truncated {
		fmt.Fprintf(stderr, "audit: SARIF holds the %d most severe of %d results: GitHub code scanning accepts at most that many per run; see --format json for all\n", written.Results, written.Total)
	}
	if *format == "sarif" && written.Unlocated > 0 {
		fmt.Fprintf(stderr, "audit: %d results are not located in a .tf file (pass --source DIR); GitHub shows only results located in a committed file\n", written.Unlocated)
	}
	return report.ExitCode(res, rules.Severity(*failOn))
}

type loaded struct {
	file *envfile.File
	text string
}

func envfileLoad(path string) loaded {
	f, diags := envfile.Load(path)
	var text string
	if len(diags) > 0 {
		text = envfile.Format(diags)
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
	}
	if diags.HasErrors() {
		return loaded{text: text}
	}
	return loaded{file: f, text: text}
}

func readInput(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(Stdin)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the plan: %w", err)
	}
	return data, nil
}

func inputName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

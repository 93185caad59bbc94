package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	tfaddr "github.com/hashicorp/terraform-registry-address"
)

// terraformCLI runs the real Terraform CLI the way a user does (init,
// validate, plan, apply, import), against the provider served in-process.
// terraform-plugin-testing cannot show warnings, nor configurations whose
// terraform block names the provider's real source address, and the docs
// and examples need both.
type terraformCLI struct {
	bin string
	env []string
	// openTofu is set when bin is OpenTofu, which configures a provider
	// before it calls the provider's functions (README, "Compatibility").
	openTofu bool
}

// ruleIDRegexp finds rule IDs, as in diagnostics and comments.
var ruleIDRegexp = regexp.MustCompile(`\bSEG[1-8][0-9]{2}\b`)

// newTerraformCLI serves the provider for the test's lifetime. Terraform
// reaches it through TF_REATTACH_PROVIDERS under the provider's source
// address (segmentedml/segmented, for configurations with a terraform block)
// and under the address Terraform implies for `provider "segmented"` when no
// terraform block names a source (hashicorp/segmented, as in the rule
// snippets), each on Terraform's and OpenTofu's default registry host.
func newTerraformCLI(t *testing.T) *terraformCLI {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform >= 1.8 on PATH (`make test` does)")
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	serveErr := make(chan error, 1)
	go func() {
		serveErr <- tf6server.Serve("segmented", NewServer("test"),
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			// The provider's logs go where TF_LOG says, as in terraform-plugin-testing.
			tf6server.WithLoggingSink(t),
			tf6server.WithoutLogStderrOverride())
	}()
	var config *plugin.ReattachConfig
	select {
	case config = <-configCh:
	case err := <-serveErr:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider did not start within 30s")
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})

	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	r := reattach{
		Protocol: string(config.Protocol), ProtocolVersion: config.ProtocolVersion, Pid: config.Pid, Test: config.Test,
		Addr: addr{config.Addr.Network(), config.Addr.String()},
	}
	providers := map[string]reattach{}
	// Both CLIs' default registries: OpenTofu gives a source without a host
	// registry.opentofu.org.
	for _, host := range []string{tfaddr.DefaultProviderRegistryHost.String(), "registry.opentofu.org"} {
		for _, namespace := range []string{"segmentedml", "hashicorp"} {
			providers[host+"/"+namespace+"/segmented"] = r
		}
	}
	reattachJSON, err := json.Marshal(providers)
	if err != nil {
		t.Fatal(err)
	}

	// An empty CLI configuration, so that no dev_overrides or mirror of the
	// caller's (make test sets one) changes what the tests see.
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	version, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	return &terraformCLI{bin: bin, openTofu: strings.HasPrefix(string(version), "OpenTofu"), env: append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+string(reattachJSON),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_LOG=",
	)}
}

// workdir makes a working directory holding files (name -> content).
func (c *terraformCLI) workdir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// result is what one Terraform command did.
type result struct {
	args   []string
	exit   int
	stdout string
	stderr string
}

func (r result) String() string {
	return "terraform " + strings.Join(r.args, " ") + ": exit " + itoa(r.exit) + "\n" + r.stdout + r.stderr
}

// run runs terraform with args in dir.
func (c *terraformCLI) run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return c.runCmd(t, exec.Command(c.bin, args...), dir, args)
}

// runCmd runs a command in dir with the CLI's environment.
func (c *terraformCLI) runCmd(t *testing.T, cmd *exec.Cmd, dir string, args []string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, c.env, &stdout, &stderr
	res := result{args: args}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("%v: %v", cmd.Args, err)
		}
		res.exit = exit.ExitCode()
	}
	res.stdout, res.stderr = stdout.String(), stderr.String()
	return res
}

// mustRun runs terraform and fails the test unless it succeeds.
func (c *terraformCLI) mustRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	res := c.run(t, dir, args...)
	if res.exit != 0 {
		t.Fatalf("want exit 0 from %s", res)
	}
	return res
}

// diagnostic is one diagnostic of `terraform plan -json` or `validate -json`.
type diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

// ruleID returns the rule a diagnostic is about: its summary starts with
// "SEGnnn: ".
func (d diagnostic) ruleID() string {
	id, _, ok := strings.Cut(d.Summary, ": ")
	if !ok || !ruleIDRegexp.MatchString(id) || len(id) != 6 {
		return ""
	}
	return id
}

// planned is what `terraform plan -json` reported.
type planned struct {
	result
	diagnostics []diagnostic
	actions     map[string]string // resource address -> planned action
}

// plan runs `terraform plan -json` in an initialized dir.
func (c *terraformCLI) plan(t *testing.T, dir string, extra ...string) planned {
	t.Helper()
	return c.runJSON(t, dir, append([]string{"plan", "-json", "-input=false", "-lock=false"}, extra...)...)
}

// apply runs `terraform apply -json -auto-approve` in an initialized dir.
func (c *terraformCLI) apply(t *testing.T, dir string, extra ...string) planned {
	t.Helper()
	return c.runJSON(t, dir, append([]string{"apply", "-json", "-input=false", "-lock=false", "-auto-approve"}, extra...)...)
}

// runJSON runs a terraform command that reports in JSON lines and reads its
// diagnostics and planned changes.
func (c *terraformCLI) runJSON(t *testing.T, dir string, args ...string) planned {
	t.Helper()
	p := planned{result: c.run(t, dir, args...), actions: map[string]string{}}
	sc := bufio.NewScanner(strings.NewReader(p.stdout))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		var line struct {
			Type       string     `json:"type"`
			Diagnostic diagnostic `json:"diagnostic"`
			Change     struct {
				Resource struct {
					Addr string `json:"addr"`
				} `json:"resource"`
				Action string `json:"action"`
			} `json:"change"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		switch line.Type {
		case "diagnostic":
			p.diagnostics = append(p.diagnostics, line.Diagnostic)
		case "planned_change":
			p.actions[line.Change.Resource.Addr] = line.Change.Action
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the plan's JSON: %v", err)
	}
	return p
}

// ruleIDs returns the sorted, distinct rule IDs of the diagnostics of a
// severity ("error" or "warning").
func (p planned) ruleIDs(severity string) []string {
	var ids []string
	for _, d := range p.diagnostics {
		if d.Severity == severity && d.ruleID() != "" {
			ids = append(ids, d.ruleID())
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// fmtCheck fails the test unless terraform fmt leaves src unchanged.
func (c *terraformCLI) fmtCheck(t *testing.T, name, src string) {
	t.Helper()
	cmd := exec.Command(c.bin, "fmt", "-")
	cmd.Stdin = strings.NewReader(src)
	res := c.runCmd(t, cmd, t.TempDir(), []string{"fmt", "-"})
	if res.exit != 0 {
		t.Fatalf("%s: %s", name, res)
	}
	if res.stdout != src {
		t.Errorf("%s is not in terraform fmt style; formatted, it reads:\n%s", name, res.stdout)
	}
}

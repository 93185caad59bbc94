//go:build e2e

// Package e2e applies examples/aws-complete (four environments in four AWS
// accounts, built by the generated modules/aws-ml-environment with the real
// hashicorp/aws provider, 5.x or 6.x) against a local moto server. It checks
// through the AWS API that the environments cannot reach, trust or read one
// another beyond what the declared flows allow, destroys everything, and
// checks that nothing is left behind.
//
// It needs:
//   - moto 5.x for Python 3.11 (moto_server): $MOTO_SERVER, PATH, or
//     /root/.pyenv/versions/3.11*/bin/moto_server;
//   - TF_ACC_TERRAFORM_PATH: a Terraform CLI >= 1.8;
//   - TF_CLI_CONFIG_FILE: a CLI configuration with dev_overrides for
//     segmentedml/segmented (build/) and a filesystem mirror that holds
//     segmentedml/segmented and one hashicorp/aws release the module accepts
//     (scripts/find-aws-provider.sh finds one on the machine or builds
//     6.47.1; tools/tfmirror links both). E2E_AWS_PROVIDER_VERSION, when
//     set, is the release the test must find selected after init.
//
// Such a configuration:
//
//	provider_installation {
//	  dev_overrides { "segmentedml/segmented" = "<repo>/build" }
//	  filesystem_mirror {
//	    path    = "<mirror>"
//	    include = ["segmentedml/segmented", "hashicorp/aws"]
//	  }
//	  direct { exclude = ["segmentedml/segmented", "hashicorp/aws"] }
//	}
//
// Then:
//
//	make build mirror
//	TF_ACC_TERRAFORM_PATH=$(command -v terraform) TF_CLI_CONFIG_FILE=<that file> \
//	    go test -tags e2e -count=1 -timeout 60m -v ./e2e
//
// Every Terraform command's output goes to a log file in a temporary working
// directory, which is kept when the test fails (or when E2E_KEEP_WORKDIR is
// set). See MOTO.md for what moto does not emulate and what the test does
// instead; the test logs each such case with the prefix "MOTO GAP".
package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

const (
	// auditRole is the role the checks assume in every account. moto lets any
	// role be assumed (see MOTO.md); on AWS it would be a read-only auditor.
	auditRole = "segmented-e2e-auditor"
	// tailLines is how much of a failed command's log the test prints.
	tailLines = 80
)

// stepTiming is the wall time of one Terraform command.
type stepTiming struct {
	step string
	d    time.Duration
}

// terraform runs the Terraform CLI in one working directory and logs every
// command's output to its own file.
type terraform struct {
	t       *testing.T
	bin     string
	dir     string
	logDir  string
	env     []string
	n       int
	timings []stepTiming
}

// run runs one Terraform command. Its stdout goes to stdoutPath when set
// (for -json output), otherwise with stderr to the step's log file. okCodes
// lists exit codes besides 0 that are not failures (plan -detailed-exitcode).
func (tf *terraform) run(ctx context.Context, step, stdoutPath string, okCodes []int, args ...string) (int, error) {
	tf.t.Helper()
	tf.n++
	logPath := filepath.Join(tf.logDir, fmt.Sprintf("%02d-terraform-%s.log", tf.n, step))
	logFile, err := os.Create(logPath)
	if err != nil {
		return -1, err
	}
	defer logFile.Close()
	fmt.Fprintf(logFile, "$ terraform %s\n(in %s)\n\n", strings.Join(args, " "), tf.dir)

	cmd := exec.CommandContext(ctx, tf.bin, args...)
	cmd.Dir = tf.dir
	cmd.Env = tf.env
	cmd.Stderr = logFile
	cmd.Stdout = logFile
	if stdoutPath != "" {
		out, err := os.Create(stdoutPath)
		if err != nil {
			return -1, err
		}
		defer out.Close()
		cmd.Stdout = out
	}
	cmd.SysProcAttr = terraformProcAttr()
	// On the deadline, interrupt Terraform so that it stops cleanly, and kill
	// it if it has not stopped two minutes later.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 2 * time.Minute

	start := time.Now()
	err = cmd.Run()
	d := time.Since(start).Round(time.Second)
	tf.timings = append(tf.timings, stepTiming{step, d})
	code := cmd.ProcessState.ExitCode()
	fmt.Fprintf(logFile, "\n(exit code %d after %s)\n", code, d)
	tf.t.Logf("terraform %s: exit code %d after %s (log: %s)", step, code, d, logPath)
	if err != nil {
		for _, c := range okCodes {
			if code == c {
				return code, nil
			}
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", err, ctx.Err())
		}
		tf.t.Logf("terraform %s failed (%v); the last %d lines of %s:\n%s", step, err, tailLines, logPath, tailFile(logPath, tailLines))
		return code, fmt.Errorf("terraform %s: %w (log: %s)", step, err, logPath)
	}
	return code, nil
}

// requireFile returns the value of an environment variable that must name an
// existing file, or fails the test saying what is missing.
func requireFile(t *testing.T, name, what string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: it must name %s. Run `make test-e2e`, which sets it, or see the package comment of e2e/e2e_test.go.", name, what)
	}
	if st, err := os.Stat(v); err != nil || st.IsDir() {
		t.Fatalf("%s=%s: not a file (%v); it must name %s", name, v, err, what)
	}
	return v
}

// repoRoot is the directory that holds go.mod, above the test's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", dir)
		}
	}
}

// copyTree copies src to dst, leaving out Terraform's working files.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && name == ".terraform" {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasPrefix(name, "terraform.tfstate") || name == ".terraform.lock.hcl" || strings.HasSuffix(name, ".tfplan")) {
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", path)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// terraformEnv is the environment of every Terraform command: the caller's,
// without any AWS, TF_VAR or proxy settings of its own, and pointed at moto
// (and at the gateway for CloudWatch, S3, EC2 and host-prefixed endpoints).
func terraformEnv(endpoint, gateway, work string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "AWS_"), strings.HasPrefix(k, "TF_VAR_"), k == "TF_LOG", k == "TF_LOG_PATH", k == "TF_WORKSPACE", k == "TF_DATA_DIR":
			continue
		case strings.HasSuffix(strings.ToUpper(k), "_PROXY"):
			continue
		}
		env = append(env, kv)
	}
	empty := filepath.Join(work, "aws-empty-config")
	_ = os.WriteFile(empty, nil, 0o644)
	return append(env,
		"AWS_ENDPOINT_URL="+endpoint,
		"AWS_ENDPOINT_URL_CLOUDWATCH="+gateway,
		"AWS_ENDPOINT_URL_S3="+gateway,
		"AWS_ENDPOINT_URL_EC2="+gateway,
		"HTTP_PROXY="+gateway,
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_REGION="+region,
		"AWS_CONFIG_FILE="+empty,
		"AWS_SHARED_CREDENTIALS_FILE="+empty,
		"AWS_EC2_METADATA_DISABLED=true",
		"TF_VAR_s3_use_path_style=true",
		"TF_VAR_eks_cluster_access=false",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
	)
}

// readJSON decodes a `terraform show -json` output file.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func TestApplyDestroy(t *testing.T) {
	tfBin := requireFile(t, "TF_ACC_TERRAFORM_PATH", "the Terraform CLI (>= 1.8) to run")
	cliConfig := requireFile(t, "TF_CLI_CONFIG_FILE", "a Terraform CLI configuration with dev_overrides for segmentedml/segmented (build/) and a filesystem mirror that holds segmentedml/segmented and hashicorp/aws")
	t.Logf("terraform: %s; CLI configuration: %s", tfBin, cliConfig)

	motoPath, tried := findMotoServer()
	if motoPath == "" {
		t.Fatalf("moto_server not found. This test needs moto 5.x for Python 3.11 with its server (for example `python3.11 -m pip install 'moto[server]>=5,<6'`). It looked for it here:\n  %s\nSet MOTO_SERVER to its path.", strings.Join(tried, "\n  "))
	}
	switch v := motoVersion(motoPath); {
	case v == "":
		t.Logf("moto_server: %s (could not ask it for moto's version)", motoPath)
	case !strings.HasPrefix(v, "5."):
		t.Fatalf("moto_server %s is moto %s; this test needs moto 5.x (it relies on 5.x's multi-account sts:AssumeRole and EKS emulation)", motoPath, v)
	default:
		t.Logf("moto_server: %s (moto %s)", motoPath, v)
	}

	root := repoRoot(t)
	work, err := os.MkdirTemp("", "segmented-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("E2E_KEEP_WORKDIR") != "" {
			t.Logf("kept the working directory with every command's log: %s", work)
			return
		}
		if err := os.RemoveAll(work); err != nil {
			t.Logf("could not remove %s: %v", work, err)
		}
	})
	logDir := filepath.Join(work, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("working directory: %s", work)

	// Leave time at the end for the failure output, and stop Terraform before go test's own timeout.
	ctx := context.Background()
	if dl, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-3*time.Minute))
		defer cancel()
	}

	moto := startMoto(t, motoPath, logDir)
	// CloudWatch, and endpoints with the account in the host name, go
	// through a gateway (gateway_test.go, MOTO.md).
	gw := startMotoGateway(t, moto.endpoint)
	motoGap(t, "CloudWatch calls (Terraform's and the checks') go through a CBOR-to-JSON bridge at %s, because moto does not serve CloudWatch's rpc-v2-cbor protocol", gw.endpoint)
	motoGap(t, "Terraform's S3 calls go through %s, which sets the tags a CreateBucket carries (CreateBucketConfiguration.Tags), because moto ignores them", gw.endpoint)
	motoGap(t, "the modules' cluster_access is false (TF_VAR_eks_cluster_access): moto has no EKS access entries, Pod Identity associations or add-ons, so the clusters keep the default authentication mode and those resources are not created")
	motoGap(t, "Terraform's EC2 calls go through %s, which gives a revoke of a security group rule ID the group no longer has AWS's error code (InvalidSecurityGroupRuleId.NotFound) instead of moto's InvalidPermission.NotFound", gw.endpoint)
	motoGap(t, "Terraform's requests to host names with the account in them (S3 Control: <account>.127.0.0.1) go through %s as HTTP_PROXY, because such a name cannot resolve for an endpoint on 127.0.0.1", gw.endpoint)
	defer func() {
		t.Logf("gateway to moto: %s", gw.summary())
		for _, f := range gw.failed() {
			t.Errorf("the gateway to moto failed a call: %s", f)
		}
	}()

	// The example and the module, with their relative layout
	// (examples/aws-complete refers to ../../modules/aws-ml-environment).
	for _, rel := range []string{"examples/aws-complete", "modules"} {
		if err := copyTree(filepath.Join(root, rel), filepath.Join(work, rel)); err != nil {
			t.Fatalf("copying %s: %v", rel, err)
		}
	}
	tf := &terraform{t: t, bin: tfBin, dir: filepath.Join(work, "examples/aws-complete"), logDir: logDir, env: terraformEnv(moto.endpoint, gw.endpoint, work)}
	defer func() {
		var parts []string
		for _, s := range tf.timings {
			parts = append(parts, fmt.Sprintf("%s %s", s.step, s.d))
		}
		t.Logf("wall time of the Terraform commands: %s", strings.Join(parts, ", "))
		_ = os.WriteFile(filepath.Join(work, "timings.txt"), []byte(strings.Join(parts, "\n")+"\n"), 0o644)
	}()

	if _, err := tf.run(ctx, "init", "", nil, "init", "-input=false", "-no-color"); err != nil {
		t.Fatal(err)
	}
	logProviders(ctx, t, tf, work)

	// Plan first: the environments' accounts and ranges are known at plan
	// time, so the accounts can be inventoried before anything is created.
	planFile := filepath.Join(work, "apply.tfplan")
	if _, err := tf.run(ctx, "plan", "", nil, "plan", "-input=false", "-no-color", "-out="+planFile); err != nil {
		t.Fatal(err)
	}
	planJSON := filepath.Join(work, "plan.json")
	if _, err := tf.run(ctx, "show-plan", planJSON, nil, "show", "-json", "-no-color", planFile); err != nil {
		t.Fatal(err)
	}
	var plan tfjson.Plan
	if err := readJSON(planJSON, &plan); err != nil {
		t.Fatalf("reading the plan %s: %v", planJSON, err)
	}
	planned, err := readTopology(plan.PlannedValues)
	if err != nil {
		t.Fatalf("the plan %s: %v", planJSON, err)
	}
	t.Logf("environments in the plan: %s", planned.describe())

	motoGap(t, "the checks assume role %s in every account; moto lets any role be assumed, existing or not, so only the account switch itself is verified (sts:GetCallerIdentity)", auditRole)
	accounts := map[string]*account{}
	for _, name := range planned.names() {
		e := planned.envs[name]
		a, err := assumeAccount(ctx, moto.endpoint, gw.endpoint, e.Account, name, auditRole)
		if err != nil {
			t.Fatalf("environment %s: %v", name, err)
		}
		accounts[name] = a
	}
	baseline := map[string]*inventory{}
	for _, name := range planned.names() {
		baseline[name] = takeInventory(ctx, accounts[name])
		reportGaps(t, "before apply", name, baseline[name])
		t.Logf("baseline of %s (account %s) before apply: %s", name, accounts[name].id, inventorySummary(baseline[name]))
	}

	if _, err := tf.run(ctx, "apply", "", nil, "apply", "-auto-approve", "-input=false", "-no-color", planFile); err != nil {
		t.Fatal(err)
	}
	stateJSON := filepath.Join(work, "state.json")
	if _, err := tf.run(ctx, "show-state", stateJSON, nil, "show", "-json", "-no-color"); err != nil {
		t.Fatal(err)
	}
	var state tfjson.State
	if err := readJSON(stateJSON, &state); err != nil {
		t.Fatalf("reading the state %s: %v", stateJSON, err)
	}
	topo, err := readTopology(state.Values)
	if err != nil {
		t.Fatalf("the state %s: %v", stateJSON, err)
	}
	if got, want := topo.describe(), planned.describe(); got != want {
		t.Errorf("the applied environments differ from the planned ones:\napplied: %s\nplanned: %s", got, want)
	}

	after := map[string]*inventory{}
	for _, name := range topo.names() {
		after[name] = takeInventory(ctx, accounts[name])
		reportGaps(t, "after apply", name, after[name])
	}
	t.Run("checks", func(t *testing.T) {
		runChecks(ctx, t, topo, accounts, baseline, after)
	})

	t.Run("re-plan-after-apply", func(t *testing.T) {
		replan := filepath.Join(work, "replan.tfplan")
		code, err := tf.run(ctx, "re-plan", "", []int{2}, "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out="+replan)
		if err != nil {
			t.Fatal(err)
		}
		if code == 0 {
			return
		}
		replanJSON := filepath.Join(work, "replan.json")
		if _, err := tf.run(ctx, "show-re-plan", replanJSON, nil, "show", "-json", "-no-color", replan); err != nil {
			t.Fatal(err)
		}
		var p tfjson.Plan
		if err := readJSON(replanJSON, &p); err != nil {
			t.Fatal(err)
		}
		checkReplan(t, &p)
	})

	if !moto.alive() {
		t.Fatalf("moto_server died during the checks; its log ends with:\n%s", tailFile(moto.logPath, 30))
	}
	if _, err := tf.run(ctx, "destroy", "", nil, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatal(err)
	}
	if ids := gw.revokedUnknownRuleIDs(); len(ids) > 0 {
		motoGap(t, "destroy: moto answered the revoke of %d security group rule ID(s) the group no longer had with InvalidPermission.NotFound; the gateway answered InvalidSecurityGroupRuleId.NotFound, as AWS does: %v", len(ids), ids)
	}

	t.Run("leftovers-after-destroy", func(t *testing.T) {
		for _, name := range topo.names() {
			t.Run(name, func(t *testing.T) {
				final := takeInventory(ctx, accounts[name])
				reportGaps(t, "after destroy", name, final)
				checkLeftovers(t, name, accounts[name].id, baseline[name], final)
			})
		}
	})
}

// inventorySummary counts an inventory's resources by kind.
func inventorySummary(inv *inventory) string {
	var parts []string
	for _, k := range inv.kinds() {
		parts = append(parts, fmt.Sprintf("%d %s", len(inv.byKind[k]), k))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// topology is what the test learns from the plan or state: each
// environment's name, account and range (the inputs of its
// segmented_ml_environment), a few resource names, and the topology's
// declared flows and boundaries.
type topology struct {
	envs       map[string]*envInfo
	flows      []flow
	boundaries map[string]boundary
}

type envInfo struct {
	Name    string
	Account string
	CIDR    netip.Prefix
	// Names of things the blueprint names, by blueprint key, to place the
	// boundaries' rules and grants on the resources the API lists.
	SGNames     map[string]string
	NACLNames   map[string]string
	KeyAliases  map[string]string
	BucketNames map[string]string
}

type flow struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Purpose string `json:"purpose"`
}

// fwRule is a boundary's firewall rule for one target and one range, the
// form flatRules gives the blueprint's rules (each for several targets and
// ranges).
type fwRule struct {
	Key         string   `json:"key"`
	Layer       string   `json:"layer"`
	Targets     []string `json:"targets"`
	Direction   string   `json:"direction"`
	Action      string   `json:"action"`
	Priority    int      `json:"priority"`
	Protocol    string   `json:"protocol"`
	FromPort    int      `json:"from_port"`
	ToPort      int      `json:"to_port"`
	CIDRs       []string `json:"cidrs"`
	Description string   `json:"description"`

	Target string `json:"-"`
	CIDR   string `json:"-"` // empty when the peer is a group or service
}

// flatRules gives every rule once per target and range.
func flatRules(rules []fwRule) []fwRule {
	var out []fwRule
	for _, r := range rules {
		cidrs := r.CIDRs
		if len(cidrs) == 0 {
			cidrs = []string{""}
		}
		for _, t := range r.Targets {
			for _, c := range cidrs {
				e := r
				e.Target, e.CIDR = t, c
				out = append(out, e)
			}
		}
	}
	return out
}

type grant struct {
	Key       string `json:"key"`
	Kind      string `json:"kind"`
	Target    string `json:"target"`
	Principal string `json:"principal"`
	AWS       struct {
		Statement string `json:"statement"`
	} `json:"aws"`
}

type boundary struct {
	Environment   string   `json:"environment"`
	FirewallRules []fwRule `json:"firewall_rules"`
	Identities    []struct {
		Key       string `json:"key"`
		Name      string `json:"name"`
		Principal string `json:"principal"`
	} `json:"identities"`
	RolePolicies []struct {
		Key  string `json:"key"`
		Role string `json:"role"`
	} `json:"role_policies"`
	ResourceGrants []grant `json:"resource_grants"`
}

func (tp *topology) names() []string {
	var ns []string
	for n := range tp.envs {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

func (tp *topology) describe() string {
	var parts []string
	for _, n := range tp.names() {
		e := tp.envs[n]
		parts = append(parts, fmt.Sprintf("%s (account %s, %s)", n, e.Account, e.CIDR))
	}
	return strings.Join(parts, ", ")
}

// envByAccount returns the environment that lives in an account.
func (tp *topology) envByAccount(acct string) (string, bool) {
	for n, e := range tp.envs {
		if e.Account == acct {
			return n, true
		}
	}
	return "", false
}

// remarshal converts a decoded JSON value into a typed one.
func remarshal(in any, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// readTopology finds the segmented_ml_environment and segmented_ml_topology
// resources in a plan's or state's values.
func readTopology(values *tfjson.StateValues) (*topology, error) {
	if values == nil || values.RootModule == nil {
		return nil, errors.New("no values")
	}
	tp := &topology{envs: map[string]*envInfo{}}
	var topologies int
	var walk func(m *tfjson.StateModule) error
	walk = func(m *tfjson.StateModule) error {
		for _, r := range m.Resources {
			if r.Mode != tfjson.ManagedResourceMode {
				continue
			}
			switch r.Type {
			case "segmented_ml_environment":
				var v struct {
					Name      string `json:"name"`
					AccountID string `json:"account_id"`
					CIDR      string `json:"cidr"`
					Blueprint struct {
						Network struct {
							CIDR string `json:"cidr"`
							AWS  struct {
								SecurityGroups []struct{ Key, Name string } `json:"security_groups"`
								NetworkACLs    []struct{ Key, Name string } `json:"network_acls"`
							} `json:"aws"`
						} `json:"network"`
						Keys []struct {
							Key string `json:"key"`
							AWS struct {
								Alias string `json:"alias"`
							} `json:"aws"`
						} `json:"keys"`
						Buckets []struct{ Key, Name string } `json:"buckets"`
					} `json:"blueprint"`
				}
				if err := remarshal(r.AttributeValues, &v); err != nil {
					return fmt.Errorf("%s: %w", r.Address, err)
				}
				cidr := v.CIDR
				if cidr == "" {
					// Allocated from the provider's address_space.
					cidr = v.Blueprint.Network.CIDR
				}
				p, err := netip.ParsePrefix(cidr)
				if err != nil || v.Name == "" || v.AccountID == "" {
					return fmt.Errorf("%s: name %q, account %q, cidr %q: the plan must know all three", r.Address, v.Name, v.AccountID, cidr)
				}
				e := &envInfo{Name: v.Name, Account: v.AccountID, CIDR: p.Masked(),
					SGNames: map[string]string{}, NACLNames: map[string]string{}, KeyAliases: map[string]string{}, BucketNames: map[string]string{}}
				for _, x := range v.Blueprint.Network.AWS.SecurityGroups {
					e.SGNames[x.Key] = x.Name
				}
				for _, x := range v.Blueprint.Network.AWS.NetworkACLs {
					e.NACLNames[x.Key] = x.Name
				}
				for _, x := range v.Blueprint.Keys {
					e.KeyAliases[x.Key] = x.AWS.Alias
				}
				for _, x := range v.Blueprint.Buckets {
					e.BucketNames[x.Key] = x.Name
				}
				if _, dup := tp.envs[v.Name]; dup {
					return fmt.Errorf("two environments named %q", v.Name)
				}
				tp.envs[v.Name] = e
			case "segmented_ml_topology":
				topologies++
				var v struct {
					Flows      []flow              `json:"flows"`
					Boundaries map[string]boundary `json:"boundaries"`
				}
				if err := remarshal(r.AttributeValues, &v); err != nil {
					return fmt.Errorf("%s: %w", r.Address, err)
				}
				tp.flows = v.Flows
				tp.boundaries = v.Boundaries
			}
		}
		for _, c := range m.ChildModules {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(values.RootModule); err != nil {
		return nil, err
	}
	if len(tp.envs) < 2 {
		return nil, fmt.Errorf("found %d segmented_ml_environment resources; the example has four", len(tp.envs))
	}
	if topologies != 1 {
		return nil, fmt.Errorf("found %d segmented_ml_topology resources, want 1", topologies)
	}
	if tp.boundaries == nil {
		return nil, errors.New("the topology has no boundaries")
	}
	seen := map[string]string{}
	for _, n := range tp.names() {
		e := tp.envs[n]
		if other, ok := seen[e.Account]; ok {
			return nil, fmt.Errorf("environments %s and %s share account %s; the test gives each environment its own account", other, n, e.Account)
		}
		seen[e.Account] = n
	}
	return tp, nil
}

package schemaprovider

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// googleSchema is the trimmed google 8.0.0 schema of the plan-mode test.
const googleSchema = "testdata/google-8.0.0.json.gz"

// planTF is a small google configuration: a network and a subnetwork that
// refers to it, a firewall with nested blocks, and a data source.
const planTF = `terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "8.0.0"
    }
  }
}

provider "google" {
  project = "acme-dev"
  region  = "europe-west4"
}

data "google_compute_network" "shared" {
  name = "shared"
}

resource "google_compute_network" "dev" {
  name                    = "dev"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "dev" {
  name          = "dev-a"
  network       = google_compute_network.dev.id
  ip_cidr_range = "10.1.0.0/20"
}

resource "google_compute_firewall" "dev" {
  name          = "dev-ingress"
  network       = google_compute_network.dev.name
  source_ranges = ["10.1.0.0/16"]
  description   = data.google_compute_network.shared.self_link

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}
`

// TestPlanModeRPCs checks the plan mode's answers one RPC at a time.
func TestPlanModeRPCs(t *testing.T) {
	ctx := t.Context()
	s := NewWithOptions(loadSchemaFile(t, googleSchema, "hashicorp/google"), Options{Plan: true})
	schema := s.(*server).resources["google_compute_network"]
	typ := withoutOptionalAttributes(schema.ValueType())
	config := objectOf(t, typ, map[string]tftypes.Value{
		"name":                    tftypes.NewValue(tftypes.String, "dev"),
		"auto_create_subnetworks": tftypes.NewValue(tftypes.Bool, false),
	})
	dv := dynamic(t, typ, config)
	null := dynamic(t, typ, tftypes.NewValue(typ, nil))

	plan, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "google_compute_network", PriorState: &null, ProposedNewState: &dv, Config: &dv,
	})
	if err != nil || len(plan.Diagnostics) > 0 {
		t.Fatalf("PlanResourceChange: %v %v", err, plan.Diagnostics)
	}
	planned := attrs(t, plan.PlannedState, typ)
	for name, wantKnown := range map[string]bool{
		"name": true, "auto_create_subnetworks": true, // configured
		"id": false, "self_link": false, "project": false, // computed, null in the configuration
		"routing_mode": false, // optional+computed, null in the configuration
		"description":  true,  // optional only: stays null
	} {
		if got := planned[name].IsKnown(); got != wantKnown {
			t.Errorf("planned %s known = %t, want %t", name, got, wantKnown)
		}
	}

	// An update keeps the prior state's computed values.
	prior := objectOf(t, typ, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, "dev"),
		"id":   tftypes.NewValue(tftypes.String, "projects/acme-dev/global/networks/dev"),
	})
	priorDV := dynamic(t, typ, prior)
	update, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "google_compute_network", PriorState: &priorDV, ProposedNewState: &priorDV, Config: &dv,
	})
	if err != nil || len(update.Diagnostics) > 0 {
		t.Fatalf("PlanResourceChange (update): %v %v", err, update.Diagnostics)
	}
	if got := attrs(t, update.PlannedState, typ)["id"]; !got.Equal(tftypes.NewValue(tftypes.String, "projects/acme-dev/global/networks/dev")) {
		t.Errorf("update planned id %v, want the prior id", got)
	}

	// Apply fills the unknowns with deterministic placeholders.
	apply := func() map[string]tftypes.Value {
		resp, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: "google_compute_network", PriorState: &null, PlannedState: plan.PlannedState, Config: &dv,
		})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("ApplyResourceChange: %v %v", err, resp.Diagnostics)
		}
		return attrs(t, resp.NewState, typ)
	}
	first, second := apply(), apply()
	var id string
	if err := first["id"].As(&id); err != nil || !strings.HasPrefix(id, "fake-id-") || len(id) != len("fake-id-")+8 {
		t.Errorf("applied id %q (%v), want fake-id-<8 hex digits>", id, err)
	}
	for name, v := range first {
		if !v.IsFullyKnown() {
			t.Errorf("applied %s is not fully known: %v", name, v)
		}
		if !v.Equal(second[name]) {
			t.Errorf("applied %s differs between two applies: %v, %v", name, v, second[name])
		}
	}

	// A data source is read whole: computed attributes get placeholders.
	dsSchema := s.(*server).dataSources["google_compute_network"]
	dsType := withoutOptionalAttributes(dsSchema.ValueType())
	dsConfig := dynamic(t, dsType, objectOf(t, dsType, map[string]tftypes.Value{"name": tftypes.NewValue(tftypes.String, "shared")}))
	ds, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "google_compute_network", Config: &dsConfig})
	if err != nil || len(ds.Diagnostics) > 0 {
		t.Fatalf("ReadDataSource: %v %v", err, ds.Diagnostics)
	}
	read := attrs(t, ds.State, dsType)
	var link string
	if err := read["self_link"].As(&link); err != nil || !strings.HasPrefix(link, "fake-self_link-") {
		t.Errorf("data source self_link %q (%v), want a placeholder", link, err)
	}

	// ReadResource passes the state through.
	rr, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "google_compute_network", CurrentState: &priorDV})
	if err != nil || len(rr.Diagnostics) > 0 || rr.NewState != &priorDV {
		t.Errorf("ReadResource: %v %v, state passed through: %t", err, rr.Diagnostics, rr.NewState == &priorDV)
	}
}

// TestTerraformPlanMode runs terraform plan, show -json, apply and show
// -json (the state form) through the plan mode serving the trimmed google
// schema.
func TestTerraformPlanMode(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds the provider and runs terraform")
	}
	tf := terraformPath(t)
	root := moduleRoot(t)
	tmp := t.TempDir()

	binary := filepath.Join(tmp, "terraform-provider-google")
	build := command(root, "go", "build", "-o", binary, "./tools/schemaprovider")
	_, _, _ = run(t, build, false)
	mirror := filepath.Join(tmp, "mirror")
	_, _, _ = run(t, command(root, "go", "run", "./tools/tfmirror",
		"-mirror", mirror, "-provider", "hashicorp/google", "-version", "8.0.0", "-binary", binary), false)

	cliConfig := filepath.Join(tmp, "terraform.rc")
	mirrorJSON, _ := json.Marshal(mirror)
	writeFile(t, cliConfig, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %s\n  }\n}\n", mirrorJSON))
	schemaFile, err := filepath.Abs(googleSchema)
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(tmp, "work")
	writeFile(t, filepath.Join(work, "main.tf"), planTF)
	terraform := func(args ...string) *exec.Cmd {
		cmd := command(work, tf, args...)
		cmd.Env = terraformEnv(
			"TF_CLI_CONFIG_FILE="+cliConfig,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"SEGMENTED_SCHEMA_FILE="+schemaFile,
			"SEGMENTED_SCHEMA_PROVIDER=hashicorp/google",
			PlanEnv+"=1",
		)
		return cmd
	}
	_, _, _ = run(t, terraform("init", "-input=false", "-no-color"), false)
	_, _, _ = run(t, terraform("plan", "-input=false", "-no-color", "-out=tfplan"), false)
	stdout, _, _ := run(t, terraform("show", "-json", "tfplan"), false)
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(stdout), &plan); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	changes := map[string]*tfjson.ResourceChange{}
	for _, rc := range plan.ResourceChanges {
		changes[rc.Address] = rc
	}
	subnet := changes["google_compute_subnetwork.dev"]
	if subnet == nil {
		t.Fatalf("no change for google_compute_subnetwork.dev in %v", changes)
	}
	unknown, _ := subnet.Change.AfterUnknown.(map[string]any)
	after, _ := subnet.Change.After.(map[string]any)
	if unknown["network"] != true || unknown["id"] != true || unknown["gateway_address"] != true {
		t.Errorf("subnetwork after_unknown %v: want network, id and gateway_address unknown", unknown)
	}
	if after["ip_cidr_range"] != "10.1.0.0/20" {
		t.Errorf("subnetwork ip_cidr_range %v, want the configured range", after["ip_cidr_range"])
	}
	fw := changes["google_compute_firewall.dev"]
	fwAfter, _ := fw.Change.After.(map[string]any)
	if d, _ := fwAfter["description"].(string); !strings.HasPrefix(d, "fake-self_link-") {
		t.Errorf("firewall description %q: want the data source's placeholder self_link", d)
	}

	_, _, _ = run(t, terraform("apply", "-input=false", "-no-color", "-auto-approve", "tfplan"), false)
	stdout, _, _ = run(t, terraform("show", "-json"), false)
	var state tfjson.State
	if err := json.Unmarshal([]byte(stdout), &state); err != nil {
		t.Fatalf("show -json (state): %v", err)
	}
	var networkID string
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == "google_compute_network.dev" {
			networkID, _ = r.AttributeValues["id"].(string)
		}
		if r.Address == "google_compute_subnetwork.dev" && r.AttributeValues["network"] == nil {
			t.Errorf("subnetwork network is null in the state")
		}
	}
	if !strings.HasPrefix(networkID, "fake-id-") {
		t.Errorf("network id %q in the state, want a placeholder", networkID)
	}
	// A second plan finds nothing to do.
	_, _, err = run(t, terraform("plan", "-input=false", "-no-color", "-detailed-exitcode"), true)
	if err != nil {
		t.Errorf("a plan after apply is not empty: %v", err)
	}
}

// objectOf returns an object of typ with the given attributes and every
// other attribute null.
func objectOf(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj := typ.(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q", name)
		}
		vals[name] = v
	}
	return tftypes.NewValue(typ, vals)
}

// dynamic encodes v.
func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return dv
}

// attrs decodes an object's attributes.
func attrs(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	if dv == nil {
		t.Fatal("no value")
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]tftypes.Value
	if err := v.As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// command returns a command run in dir.
func command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	return cmd
}

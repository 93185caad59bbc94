package catalog

import (
	"strings"
	"testing"
)

// FuzzAttach checks that Attach never panics, is deterministic, and either
// returns a valid node shape that agrees with Lookup and NeedsAccelerator
// or an error with a message; and that Suggest, which its messages use,
// only suggests known names.
func FuzzAttach(f *testing.F) {
	seeds := []struct {
		cloud, machine, accel string
		count                 int
	}{
		{"gcp", "n1-standard-8", "nvidia-tesla-t4", 1},
		{"gcp", "n1-highmem-96", "nvidia-tesla-v100", 8},
		{"gcp", "n1-standard-64", "nvidia-tesla-p100", 4},
		{"gcp", "n1-standard-3", "nvidia-tesla-t4", 3},
		{"gcp", "a2-highgpu-1g", "", 0},
		{"gcp", "a2-highgpu-1g", "nvidia-tesla-a100", 1},
		{"gcp", "g2-standard-8", "nvidia-l4", 2},
		{"gcp", "e2-standard-8", "nvidia-tesla-t4", 1},
		{"gcp", "n1-standard-8", "nvidia-l4", -1},
		{"gcp", "N1-\u00e9-8", "", 0},
		{"gcp", "-", "-", 0},
		{"aws", "g5.xlarge", "", 0},
		{"aws", "g5.xlarge", "nvidia-tesla-t4", 4},
		{"aws", "m5.large", "", 0},
		{"azure", "Standard_NC8as_T4_v3", "", 0},
		{"azure", "Standard_NC8as_T4_v3", "", 4},
		{"azure", "Standard_ND96isr_H100_v5", "nvidia-h100-80gb", 8},
		{"azure", "standard_nc8as_t4", "", 0},
		{"azure", "Standard_E4-2ds_v5", "", 0},
		{"azure", "Standard_NV6ads_A10_v5", "", 1},
		{"azure", "x", "y", 1},
		{"oci", "x", "y", 1},
		{"", "", "", 0},
	}
	for _, s := range seeds {
		f.Add(s.cloud, s.machine, s.accel, s.count)
	}
	f.Fuzz(func(t *testing.T, cloud, machineType, acceleratorType string, count int) {
		got, err := Attach(cloud, machineType, acceleratorType, count)
		again, err2 := Attach(cloud, machineType, acceleratorType, count)
		if got != again || (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("Attach is not deterministic: %+v, %v then %+v, %v", got, err, again, err2)
		}
		builtIn, isBuiltIn := Lookup(cloud, machineType)
		needs := NeedsAccelerator(cloud, machineType)
		if isBuiltIn && needs {
			t.Fatalf("%s/%s both has GPUs built in and needs an accelerator", cloud, machineType)
		}
		if err != nil {
			if err.Error() == "" || got != (GPUInstance{}) {
				t.Fatalf("Attach error %q with result %+v", err, got)
			}
			if isBuiltIn && acceleratorType == "" && count == 0 {
				t.Fatalf("Attach(%q, %q, \"\", 0) of a built-in machine: %v", cloud, machineType, err)
			}
		} else {
			switch {
			case isBuiltIn:
				if got != builtIn {
					t.Fatalf("Attach = %+v, want Lookup's %+v", got, builtIn)
				}
			case needs:
				if got.Accelerator != acceleratorType || got.GPUCount != count || got.Name != machineType {
					t.Fatalf("Attach(%q, %q, %q, %d) = %+v", cloud, machineType, acceleratorType, count, got)
				}
			default:
				t.Fatalf("Attach(%q, %q, ...) succeeded for an unknown machine: %+v", cloud, machineType, got)
			}
			if verr := validate(got, cloud); verr != nil {
				t.Fatalf("Attach result %+v is invalid: %v", got, verr)
			}
		}
		s := Suggest(cloud, machineType)
		if len(s) > maxSuggestions {
			t.Fatalf("Suggest returned %d names", len(s))
		}
		for _, name := range s {
			if _, ok := Lookup(cloud, name); !ok && !NeedsAccelerator(cloud, name) {
				t.Fatalf("Suggest(%q, %q) suggested unknown %q", cloud, machineType, name)
			}
		}
	})
}

// FuzzParse checks that the loader never panics on any data, and that what
// it accepts holds together: every instance is valid and attaches as it
// is, and every count of every accelerator fits some machine.
func FuzzParse(f *testing.F) {
	f.Add("gcp", string(gcpJSON))
	f.Add("aws", string(awsJSON))
	f.Add("azure", string(azureJSON))
	f.Add("gcp", `{"instances": [{"cloud": "gcp", "name": "g2-standard-4", "family": "g2", "gpu_model": "NVIDIA L4", "accelerator": "nvidia-l4", "gpu_count": 1, "gpu_memory_gib": 24, "vcpus": 4, "memory_gib": 16, "architecture": "x86_64"}], "machines": [{"name": "n1-standard-4", "family": "n1", "vcpus": 4, "memory_gib": 15, "architecture": "x86_64"}], "accelerators": [{"name": "nvidia-tesla-t4", "gpu_model": "NVIDIA T4", "gpu_memory_gib": 16, "family": "n1", "counts": [{"count": 1, "max_vcpus": 48, "max_memory_gib": 312}]}]}`)
	f.Add("aws", `{"instances": []}`)
	f.Add("gcp", `[]`)
	f.Fuzz(func(t *testing.T, cloud, raw string) {
		c, err := parse(map[string][]byte{cloud: []byte(raw)})
		if err != nil {
			if !strings.HasPrefix(err.Error(), cloud+" data") {
				t.Fatalf("parse error %q does not name the cloud's data", err)
			}
			return
		}
		for _, inst := range c.instances[cloud] {
			if err := validate(inst, cloud); err != nil {
				t.Fatalf("accepted an invalid instance: %v", err)
			}
			if _, err := c.attach(cloud, inst.Name, "", 0); err != nil {
				t.Fatalf("attach of built-in %s: %v", inst.Name, err)
			}
		}
		for _, name := range c.accelNames[cloud] {
			for _, at := range c.accelerators[cloud+"\x00"+name].Counts {
				fits := false
				for _, m := range c.machines[cloud] {
					got, err := c.attach(cloud, m.Name, name, at.Count)
					if err == nil {
						fits = true
						if verr := validate(got, cloud); verr != nil {
							t.Fatalf("attach result %+v is invalid: %v", got, verr)
						}
					}
				}
				if !fits {
					t.Fatalf("%d %s fit no machine", at.Count, name)
				}
			}
		}
	})
}

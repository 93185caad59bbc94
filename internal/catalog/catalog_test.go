package catalog

import (
	"slices"
	"strings"
	"testing"
)

func TestEmbeddedDataParses(t *testing.T) {
	c, err := parse(sources)
	if err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	counts := []struct {
		what      string
		got, want int
	}{
		{"aws instances", len(c.instances["aws"]), 46},
		{"aws machines", len(c.machines["aws"]), 0},
		{"aws accelerators", len(c.accelNames["aws"]), 0},
		{"azure instances", len(c.instances["azure"]), 17},
		{"azure machines", len(c.machines["azure"]), 0},
		{"azure accelerators", len(c.accelNames["azure"]), 0},
		{"gcp instances", len(c.instances["gcp"]), 25},
		{"gcp machines", len(c.machines["gcp"]), 22},
		{"gcp accelerators", len(c.accelNames["gcp"]), 3},
	}
	for _, n := range counts {
		if n.got != n.want {
			t.Errorf("%s: %d, want %d", n.what, n.got, n.want)
		}
	}
	if !slices.Equal(c.clouds, []string{"aws", "azure", "gcp"}) {
		t.Errorf("clouds = %v, want [aws azure gcp]", c.clouds)
	}
}

func TestEntriesValid(t *testing.T) {
	// The family of a name, worked out apart from the code under test:
	// the part before a separator on aws and gcp; on azure, the name
	// without "Standard_" and the vCPU count, the accelerator joined on.
	familyOf := func(cloud, name string) string {
		switch cloud {
		case "aws":
			family, _, _ := strings.Cut(name, ".")
			return family
		case "gcp":
			family, _, _ := strings.Cut(name, "-")
			return family
		}
		rest := strings.TrimPrefix(name, "Standard_")
		i := strings.IndexAny(rest, "0123456789")
		j := i + len(rest[i:]) - len(strings.TrimLeft(rest[i:], "0123456789"))
		rest = rest[:i] + rest[j:] // "NCas_T4_v3"
		last := strings.LastIndex(rest, "_")
		return strings.ReplaceAll(rest[:last], "_", "") + rest[last:]
	}
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		t.Run(cloud, func(t *testing.T) {
			list := Instances(cloud)
			if len(list) == 0 {
				t.Fatalf("no %s instances", cloud)
			}
			seen := map[string]bool{}
			for _, inst := range list {
				if seen[inst.Name] {
					t.Errorf("duplicate name %q", inst.Name)
				}
				seen[inst.Name] = true
				if inst.Cloud != cloud || inst.Name == "" || inst.Family == "" || inst.GPUModel == "" {
					t.Errorf("%+v has an empty or wrong text field", inst)
				}
				if inst.GPUCount < 1 || inst.GPUMemoryGiB < 1 || inst.VCPUs < 1 || inst.MemoryGiB < 1 {
					t.Errorf("%+v has a count below 1", inst)
				}
				if family := familyOf(cloud, inst.Name); family != inst.Family {
					t.Errorf("%s: family %q, want %q", inst.Name, inst.Family, family)
				}
				if inst.Architecture != "x86_64" && inst.Architecture != "arm64" {
					t.Errorf("%s: architecture %q", inst.Name, inst.Architecture)
				}
				if !strings.HasPrefix(inst.GPUModel, "NVIDIA ") {
					t.Errorf("%s: gpu_model %q does not name the vendor", inst.Name, inst.GPUModel)
				}
				if (cloud == "gcp") != strings.HasPrefix(inst.Accelerator, "nvidia-") {
					t.Errorf("%s: accelerator %q; want an nvidia- name on gcp only", inst.Name, inst.Accelerator)
				}
				if NeedsAccelerator(cloud, inst.Name) {
					t.Errorf("%s has GPUs built in, but NeedsAccelerator reports true", inst.Name)
				}
			}
		})
	}
}

// TestGCPInstances checks every GCP machine type with GPUs built in against
// the Compute Engine documentation, row by row.
func TestGCPInstances(t *testing.T) {
	type row struct {
		name, model, accel     string
		gpus, gpuMem, cpu, mem int
	}
	want := []row{
		{"a2-highgpu-1g", "NVIDIA A100", "nvidia-tesla-a100", 1, 40, 12, 85},
		{"a2-highgpu-2g", "NVIDIA A100", "nvidia-tesla-a100", 2, 40, 24, 170},
		{"a2-highgpu-4g", "NVIDIA A100", "nvidia-tesla-a100", 4, 40, 48, 340},
		{"a2-highgpu-8g", "NVIDIA A100", "nvidia-tesla-a100", 8, 40, 96, 680},
		{"a2-megagpu-16g", "NVIDIA A100", "nvidia-tesla-a100", 16, 40, 96, 1360},
		{"a2-ultragpu-1g", "NVIDIA A100", "nvidia-a100-80gb", 1, 80, 12, 170},
		{"a2-ultragpu-2g", "NVIDIA A100", "nvidia-a100-80gb", 2, 80, 24, 340},
		{"a2-ultragpu-4g", "NVIDIA A100", "nvidia-a100-80gb", 4, 80, 48, 680},
		{"a2-ultragpu-8g", "NVIDIA A100", "nvidia-a100-80gb", 8, 80, 96, 1360},
		{"a3-highgpu-1g", "NVIDIA H100", "nvidia-h100-80gb", 1, 80, 26, 234},
		{"a3-highgpu-2g", "NVIDIA H100", "nvidia-h100-80gb", 2, 80, 52, 468},
		{"a3-highgpu-4g", "NVIDIA H100", "nvidia-h100-80gb", 4, 80, 104, 936},
		{"a3-highgpu-8g", "NVIDIA H100", "nvidia-h100-80gb", 8, 80, 208, 1872},
		{"a3-megagpu-8g", "NVIDIA H100", "nvidia-h100-mega-80gb", 8, 80, 208, 1872},
		{"a3-edgegpu-8g", "NVIDIA H100", "nvidia-h100-80gb", 8, 80, 208, 1872},
		{"a3-ultragpu-8g", "NVIDIA H200", "nvidia-h200-141gb", 8, 141, 224, 2952},
		{"a4-highgpu-8g", "NVIDIA B200", "nvidia-b200", 8, 180, 224, 3968},
		{"g2-standard-4", "NVIDIA L4", "nvidia-l4", 1, 24, 4, 16},
		{"g2-standard-8", "NVIDIA L4", "nvidia-l4", 1, 24, 8, 32},
		{"g2-standard-12", "NVIDIA L4", "nvidia-l4", 1, 24, 12, 48},
		{"g2-standard-16", "NVIDIA L4", "nvidia-l4", 1, 24, 16, 64},
		{"g2-standard-24", "NVIDIA L4", "nvidia-l4", 2, 24, 24, 96},
		{"g2-standard-32", "NVIDIA L4", "nvidia-l4", 1, 24, 32, 128},
		{"g2-standard-48", "NVIDIA L4", "nvidia-l4", 4, 24, 48, 192},
		{"g2-standard-96", "NVIDIA L4", "nvidia-l4", 8, 24, 96, 384},
	}
	if n := len(Instances("gcp")); n != len(want) {
		t.Errorf("gcp has %d instances, want %d", n, len(want))
	}
	for _, w := range want {
		got, ok := Lookup("gcp", w.name)
		if !ok {
			t.Errorf("%s is missing", w.name)
			continue
		}
		family, _, _ := strings.Cut(w.name, "-")
		if want := (GPUInstance{"gcp", w.name, family, w.model, w.accel, w.gpus, w.gpuMem, w.cpu, w.mem, "x86_64"}); got != want {
			t.Errorf("%s = %+v, want %+v", w.name, got, want)
		}
	}
}

// TestGCPAttachable checks the N1 machine types and the accelerators that
// attach to them against the Compute Engine documentation.
func TestGCPAttachable(t *testing.T) {
	c := data()
	type shape struct{ cpu, mem int }
	shapes := map[string]shape{
		"n1-standard-1": {1, 3}, "n1-standard-2": {2, 7}, "n1-standard-4": {4, 15}, "n1-standard-8": {8, 30},
		"n1-standard-16": {16, 60}, "n1-standard-32": {32, 120}, "n1-standard-64": {64, 240}, "n1-standard-96": {96, 360},
		"n1-highmem-2": {2, 13}, "n1-highmem-4": {4, 26}, "n1-highmem-8": {8, 52}, "n1-highmem-16": {16, 104},
		"n1-highmem-32": {32, 208}, "n1-highmem-64": {64, 416}, "n1-highmem-96": {96, 624},
		"n1-highcpu-2": {2, 1}, "n1-highcpu-4": {4, 3}, "n1-highcpu-8": {8, 7}, "n1-highcpu-16": {16, 14},
		"n1-highcpu-32": {32, 28}, "n1-highcpu-64": {64, 57}, "n1-highcpu-96": {96, 86},
	}
	if n := len(c.machines["gcp"]); n != len(shapes) {
		t.Errorf("gcp has %d machines, want %d", n, len(shapes))
	}
	for _, m := range c.machines["gcp"] {
		if w, ok := shapes[m.Name]; !ok || m.VCPUs != w.cpu || m.MemoryGiB != w.mem || m.Family != "n1" || m.Architecture != "x86_64" {
			t.Errorf("machine %+v, want %d vCPUs and %d GiB (known: %v)", m, w.cpu, w.mem, ok)
		}
	}
	want := []accelerator{
		{"nvidia-tesla-p100", "NVIDIA P100", 16, "n1", []attachment{{1, 16, 104}, {2, 32, 208}, {4, 64, 208}}},
		{"nvidia-tesla-t4", "NVIDIA T4", 16, "n1", []attachment{{1, 48, 312}, {2, 48, 312}, {4, 96, 624}}},
		{"nvidia-tesla-v100", "NVIDIA V100", 16, "n1", []attachment{{1, 12, 78}, {2, 24, 156}, {4, 48, 312}, {8, 96, 624}}},
	}
	for _, w := range want {
		got := c.accelerators["gcp\x00"+w.Name]
		if got.Name != w.Name || got.GPUModel != w.GPUModel || got.GPUMemoryGiB != w.GPUMemoryGiB ||
			got.Family != w.Family || !slices.Equal(got.Counts, w.Counts) {
			t.Errorf("accelerator %s = %+v, want %+v", w.Name, got, w)
		}
	}
}

// TestAzureInstances checks every Azure size against the size tables of
// the Azure virtual machine documentation, row by row.
func TestAzureInstances(t *testing.T) {
	type row struct {
		name, family, model    string
		gpus, gpuMem, cpu, mem int
	}
	want := []row{
		{"Standard_NC4as_T4_v3", "NCasT4_v3", "NVIDIA T4", 1, 16, 4, 28},
		{"Standard_NC8as_T4_v3", "NCasT4_v3", "NVIDIA T4", 1, 16, 8, 56},
		{"Standard_NC16as_T4_v3", "NCasT4_v3", "NVIDIA T4", 1, 16, 16, 110},
		{"Standard_NC64as_T4_v3", "NCasT4_v3", "NVIDIA T4", 4, 16, 64, 440},
		{"Standard_NC24ads_A100_v4", "NCadsA100_v4", "NVIDIA A100", 1, 80, 24, 220},
		{"Standard_NC48ads_A100_v4", "NCadsA100_v4", "NVIDIA A100", 2, 80, 48, 440},
		{"Standard_NC96ads_A100_v4", "NCadsA100_v4", "NVIDIA A100", 4, 80, 96, 880},
		{"Standard_NC40ads_H100_v5", "NCadsH100_v5", "NVIDIA H100 NVL", 1, 94, 40, 320},
		{"Standard_NC80adis_H100_v5", "NCadisH100_v5", "NVIDIA H100 NVL", 2, 94, 80, 640},
		{"Standard_ND96asr_v4", "NDasr_v4", "NVIDIA A100", 8, 40, 96, 900},
		{"Standard_ND96isr_H100_v5", "NDisrH100_v5", "NVIDIA H100", 8, 80, 96, 1900},
		{"Standard_NV36ads_A10_v5", "NVadsA10_v5", "NVIDIA A10", 1, 24, 36, 440},
		{"Standard_NV72ads_A10_v5", "NVadsA10_v5", "NVIDIA A10", 2, 24, 72, 880},
		{"Standard_NV36adms_A10_v5", "NVadmsA10_v5", "NVIDIA A10", 1, 24, 36, 880},
		{"Standard_NV12s_v3", "NVs_v3", "NVIDIA M60", 1, 8, 12, 112},
		{"Standard_NV24s_v3", "NVs_v3", "NVIDIA M60", 2, 8, 24, 224},
		{"Standard_NV48s_v3", "NVs_v3", "NVIDIA M60", 4, 8, 48, 448},
	}
	if n := len(Instances("azure")); n != len(want) {
		t.Errorf("azure has %d instances, want %d", n, len(want))
	}
	for _, w := range want {
		got, ok := Lookup("azure", w.name)
		if !ok {
			t.Errorf("%s is missing", w.name)
			continue
		}
		if want := (GPUInstance{"azure", w.name, w.family, w.model, "", w.gpus, w.gpuMem, w.cpu, w.mem, "x86_64"}); got != want {
			t.Errorf("%s = %+v, want %+v", w.name, got, want)
		}
		if NeedsAccelerator("azure", w.name) {
			t.Errorf("NeedsAccelerator(azure, %s) = true", w.name)
		}
		if a, err := Attach("azure", w.name, "", 0); err != nil || a != got {
			t.Errorf("Attach(azure, %s, \"\", 0) = %+v, %v; want Lookup's %+v", w.name, a, err, got)
		}
	}
	// Sizes with a fraction of a GPU are left out.
	for _, name := range []string{"Standard_NV6ads_A10_v5", "Standard_NV12ads_A10_v5", "Standard_NV18ads_A10_v5"} {
		if _, ok := Lookup("azure", name); ok {
			t.Errorf("fractional-GPU size %s is in the catalog", name)
		}
	}
}

// TestAzureNames checks the form of Azure size names and the families
// found in them.
func TestAzureNames(t *testing.T) {
	tests := []struct {
		name   string
		valid  bool
		family string
	}{
		{"Standard_NC8as_T4_v3", true, "NCasT4_v3"},
		{"Standard_NC80adis_H100_v5", true, "NCadisH100_v5"},
		{"Standard_ND96asr_v4", true, "NDasr_v4"},
		{"Standard_ND96amsr_A100_v4", true, "NDamsrA100_v4"},
		{"Standard_NV12s_v3", true, "NVs_v3"},
		{"Standard_D4s_v5", true, "Ds_v5"},
		{"Standard_DS2_v2", true, "DS_v2"},
		{"Standard_E4-2ds_v5", true, "Eds_v5"}, // constrained vCPUs
		{"Standard_HB120-16rs_v3", true, "HBrs_v3"},
		{"Standard_A1", true, "A"},   // no version
		{"Standard_NC6", true, "NC"}, // no version
		{"Standard_DC2as_cc_v5", true, "DCascc_v5"},
		{"Standard_ND128isr_NDR_GB200_v6", true, "NDisrNDRGB200_v6"},
		// Not of the form; the family is still found, for Suggest.
		{"standard_nc8as_t4_v3", false, "ncast4_v3"}, // the lower-cased family
		{"STANDARD_NC8as_T4_v3", false, "NCasT4_v3"},
		{"nc8as_t4_v3", false, "ncast4_v3"},
		{"NC8as_T4_v3", false, "NCasT4_v3"},
		{"Standard_NC8as_T4", true, "NCasT4"},
		{"Standard_nc8as_T4_v3", false, "ncasT4_v3"},
		{"Standard_NCas_T4_v3", false, "NCasT4_v3"}, // no vCPU count
		{"Standard_8as_T4_v3", false, "asT4_v3"},    // no series
		{"Standard_NC8as__v3", false, "NCas_v3"},
		{"Standard_NC8as_T4_v3_", false, "NCasT4v3"},
		{"Standard_NC8as_T4-v3", false, "NCasT4-v3"},
		{"Standard_NC8-as_T4_v3", false, "NC-asT4_v3"},
		{"Standard_NC8aS_T4_v3", false, "NCaST4_v3"},
		{"Standard_NC8as_T4_v3 ", false, "NCasT4v3 "},
		{"Standard_NC8as_Tü_v3", false, "NCasTü_v3"},
		{"Standard_", false, ""},
		{"Standard", false, "Standard"},
		{"g5.xlarge", false, "g.xlarge"},
		{"n1-standard-8", false, "n-standard-8"},
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := azureName(tt.name); got != tt.valid {
			t.Errorf("azureName(%q) = %v, want %v", tt.name, got, tt.valid)
		}
		if got := azureFamily(tt.name); got != tt.family {
			t.Errorf("azureFamily(%q) = %q, want %q", tt.name, got, tt.family)
		}
		if got, want := azureFamily(strings.ToLower(tt.name)), strings.ToLower(tt.family); got != want {
			t.Errorf("azureFamily(%q) = %q, want %q, the lower-cased family", strings.ToLower(tt.name), got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		cloud, name string
		want        GPUInstance
		ok          bool
	}{
		{"aws", "g5.2xlarge", GPUInstance{"aws", "g5.2xlarge", "g5", "NVIDIA A10G", "", 1, 24, 8, 32, "x86_64"}, true},
		{"aws", "g4dn.12xlarge", GPUInstance{"aws", "g4dn.12xlarge", "g4dn", "NVIDIA T4", "", 4, 16, 48, 192, "x86_64"}, true},
		{"aws", "g4dn.metal", GPUInstance{"aws", "g4dn.metal", "g4dn", "NVIDIA T4", "", 8, 16, 96, 384, "x86_64"}, true},
		{"aws", "g5g.16xlarge", GPUInstance{"aws", "g5g.16xlarge", "g5g", "NVIDIA T4G", "", 2, 16, 64, 128, "arm64"}, true},
		{"aws", "g6.48xlarge", GPUInstance{"aws", "g6.48xlarge", "g6", "NVIDIA L4", "", 8, 24, 192, 768, "x86_64"}, true},
		{"aws", "g6e.48xlarge", GPUInstance{"aws", "g6e.48xlarge", "g6e", "NVIDIA L40S", "", 8, 48, 192, 1536, "x86_64"}, true},
		{"aws", "p3.2xlarge", GPUInstance{"aws", "p3.2xlarge", "p3", "NVIDIA V100", "", 1, 16, 8, 61, "x86_64"}, true},
		{"aws", "p3dn.24xlarge", GPUInstance{"aws", "p3dn.24xlarge", "p3dn", "NVIDIA V100", "", 8, 32, 96, 768, "x86_64"}, true},
		{"aws", "p4d.24xlarge", GPUInstance{"aws", "p4d.24xlarge", "p4d", "NVIDIA A100", "", 8, 40, 96, 1152, "x86_64"}, true},
		{"aws", "p4de.24xlarge", GPUInstance{"aws", "p4de.24xlarge", "p4de", "NVIDIA A100", "", 8, 80, 96, 1152, "x86_64"}, true},
		{"aws", "p5.48xlarge", GPUInstance{"aws", "p5.48xlarge", "p5", "NVIDIA H100", "", 8, 80, 192, 2048, "x86_64"}, true},
		{"aws", "p5e.48xlarge", GPUInstance{"aws", "p5e.48xlarge", "p5e", "NVIDIA H200", "", 8, 141, 192, 2048, "x86_64"}, true},
		{"aws", "p5en.48xlarge", GPUInstance{"aws", "p5en.48xlarge", "p5en", "NVIDIA H200", "", 8, 141, 192, 2048, "x86_64"}, true},
		{"gcp", "a2-highgpu-1g", GPUInstance{"gcp", "a2-highgpu-1g", "a2", "NVIDIA A100", "nvidia-tesla-a100", 1, 40, 12, 85, "x86_64"}, true},
		{"gcp", "a3-megagpu-8g", GPUInstance{"gcp", "a3-megagpu-8g", "a3", "NVIDIA H100", "nvidia-h100-mega-80gb", 8, 80, 208, 1872, "x86_64"}, true},
		{"gcp", "g2-standard-24", GPUInstance{"gcp", "g2-standard-24", "g2", "NVIDIA L4", "nvidia-l4", 2, 24, 24, 96, "x86_64"}, true},
		{"azure", "Standard_NC8as_T4_v3", GPUInstance{"azure", "Standard_NC8as_T4_v3", "NCasT4_v3", "NVIDIA T4", "", 1, 16, 8, 56, "x86_64"}, true},
		{"azure", "Standard_ND96isr_H100_v5", GPUInstance{"azure", "Standard_ND96isr_H100_v5", "NDisrH100_v5", "NVIDIA H100", "", 8, 80, 96, 1900, "x86_64"}, true},
		{"azure", "standard_nc8as_t4_v3", GPUInstance{}, false}, // case-sensitive
		{"azure", "Standard_NC8as_T4", GPUInstance{}, false},
		{"azure", "NC8as_T4_v3", GPUInstance{}, false},
		{"azure", "Standard_NV6ads_A10_v5", GPUInstance{}, false}, // a sixth of a GPU
		{"azure", "Standard_NC6s_v3", GPUInstance{}, false},       // retired, not in the catalog
		{"azure", "Standard_D4s_v5", GPUInstance{}, false},
		{"azure", "g5.2xlarge", GPUInstance{}, false},
		{"aws", "Standard_NC8as_T4_v3", GPUInstance{}, false},
		{"gcp", "Standard_NC8as_T4_v3", GPUInstance{}, false},
		{"aws", "m5.large", GPUInstance{}, false},   // not a GPU type
		{"aws", "G5.2XLARGE", GPUInstance{}, false}, // case-sensitive
		{"aws", "g5.2xlarge ", GPUInstance{}, false},
		{"aws", "g5", GPUInstance{}, false},
		{"aws", "", GPUInstance{}, false},
		{"aws", "a2-highgpu-1g", GPUInstance{}, false}, // another cloud's
		{"gcp", "g5.2xlarge", GPUInstance{}, false},
		{"gcp", "n1-standard-8", GPUInstance{}, false}, // GPUs attached, not built in
		{"gcp", "A2-HIGHGPU-1G", GPUInstance{}, false},
		{"AWS", "g5.2xlarge", GPUInstance{}, false},
		{"", "", GPUInstance{}, false},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.cloud, tt.name)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Lookup(%q, %q) = %+v, %v; want %+v, %v", tt.cloud, tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestInstancesOrder(t *testing.T) {
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		if !slices.IsSortedFunc(Instances(cloud), compareInstances) {
			t.Errorf("Instances(%s) is not sorted by family, GPU count, vCPUs, name", cloud)
		}
	}
	// Spot-check the order inside one family, where GPU count beats vCPUs.
	family := func(cloud, fam string) []string {
		var names []string
		for _, inst := range Instances(cloud) {
			if inst.Family == fam {
				names = append(names, inst.Name)
			}
		}
		return names
	}
	order := []struct {
		cloud, family string
		want          []string
	}{
		{"aws", "g5", []string{
			"g5.xlarge", "g5.2xlarge", "g5.4xlarge", "g5.8xlarge", "g5.16xlarge",
			"g5.12xlarge", "g5.24xlarge", "g5.48xlarge",
		}},
		{"gcp", "g2", []string{
			"g2-standard-4", "g2-standard-8", "g2-standard-12", "g2-standard-16", "g2-standard-32",
			"g2-standard-24", "g2-standard-48", "g2-standard-96",
		}},
		{"azure", "NCasT4_v3", []string{
			"Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3", "Standard_NC16as_T4_v3", "Standard_NC64as_T4_v3",
		}},
		{"azure", "NVadsA10_v5", []string{"Standard_NV36ads_A10_v5", "Standard_NV72ads_A10_v5"}},
	}
	for _, o := range order {
		if got := family(o.cloud, o.family); !slices.Equal(got, o.want) {
			t.Errorf("%s order = %v, want %v", o.family, got, o.want)
		}
	}
	// Deterministic, and the caller owns the slice.
	list := Instances("aws")
	list[0].Name = "changed"
	if again := Instances("aws"); again[0].Name == "changed" || !slices.IsSortedFunc(again, compareInstances) {
		t.Error("modifying the result of Instances changed later results")
	}
	for _, cloud := range []string{"oci", "Azure", ""} {
		if got := Instances(cloud); got != nil {
			t.Errorf("Instances(%q) = %v, want nil", cloud, got)
		}
	}
}

func TestFamilies(t *testing.T) {
	tests := []struct {
		cloud string
		want  []string
	}{
		{"aws", []string{"g4dn", "g5", "g5g", "g6", "g6e", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en"}},
		{"gcp", []string{"a2", "a3", "a4", "g2"}}, // n1 has no GPUs built in
		{"azure", []string{
			"NCadisH100_v5", "NCadsA100_v4", "NCadsH100_v5", "NCasT4_v3", "NDasr_v4",
			"NDisrH100_v5", "NVadmsA10_v5", "NVadsA10_v5", "NVs_v3",
		}},
		{"oci", nil},
	}
	for _, tt := range tests {
		if got := Families(tt.cloud); !slices.Equal(got, tt.want) {
			t.Errorf("Families(%s) = %v, want %v", tt.cloud, got, tt.want)
		}
	}
	got := Families("aws")
	got[0] = "changed"
	if Families("aws")[0] != "g4dn" {
		t.Error("modifying the result of Families changed later results")
	}
}

func TestNeedsAccelerator(t *testing.T) {
	tests := []struct {
		cloud, machine string
		want           bool
	}{
		{"gcp", "n1-standard-1", true},
		{"gcp", "n1-standard-96", true},
		{"gcp", "n1-highmem-8", true},
		{"gcp", "n1-highcpu-64", true},
		{"gcp", "n1-highmem-1", false}, // no such shape
		{"gcp", "N1-STANDARD-8", false},
		{"gcp", "a2-highgpu-1g", false}, // GPUs built in
		{"gcp", "g2-standard-8", false},
		{"gcp", "e2-standard-8", false},
		{"gcp", "f1-micro", false},
		{"gcp", "", false},
		{"aws", "n1-standard-8", false},
		{"aws", "g5.xlarge", false},
		{"azure", "n1-standard-8", false},
		{"azure", "Standard_NC8as_T4_v3", false}, // GPUs built in
		{"azure", "Standard_D4s_v5", false},
		{"azure", "", false},
	}
	for _, tt := range tests {
		if got := NeedsAccelerator(tt.cloud, tt.machine); got != tt.want {
			t.Errorf("NeedsAccelerator(%q, %q) = %v, want %v", tt.cloud, tt.machine, got, tt.want)
		}
	}
}

func TestAccelerators(t *testing.T) {
	want := []string{"nvidia-tesla-p100", "nvidia-tesla-t4", "nvidia-tesla-v100"}
	got := Accelerators("gcp")
	if !slices.Equal(got, want) {
		t.Errorf("Accelerators(gcp) = %v, want %v", got, want)
	}
	got[0] = "changed"
	if Accelerators("gcp")[0] != want[0] {
		t.Error("modifying the result of Accelerators changed later results")
	}
	for _, cloud := range []string{"aws", "azure", ""} {
		if got := Accelerators(cloud); got != nil {
			t.Errorf("Accelerators(%q) = %v, want nil", cloud, got)
		}
	}
}

func TestAttach(t *testing.T) {
	a2, _ := Lookup("gcp", "a2-highgpu-1g")
	g5, _ := Lookup("aws", "g5.xlarge")
	t4, _ := Lookup("azure", "Standard_NC8as_T4_v3")
	h100, _ := Lookup("azure", "Standard_ND96isr_H100_v5")
	ok := []struct {
		name           string
		cloud, machine string
		accel          string
		count          int
		want           GPUInstance
	}{
		{"t4 on n1-standard-8", "gcp", "n1-standard-8", "nvidia-tesla-t4", 1,
			GPUInstance{"gcp", "n1-standard-8", "n1", "NVIDIA T4", "nvidia-tesla-t4", 1, 16, 8, 30, "x86_64"}},
		{"t4 at the vCPU limit", "gcp", "n1-standard-32", "nvidia-tesla-t4", 2,
			GPUInstance{"gcp", "n1-standard-32", "n1", "NVIDIA T4", "nvidia-tesla-t4", 2, 16, 32, 120, "x86_64"}},
		{"four t4 on the largest n1", "gcp", "n1-highmem-96", "nvidia-tesla-t4", 4,
			GPUInstance{"gcp", "n1-highmem-96", "n1", "NVIDIA T4", "nvidia-tesla-t4", 4, 16, 96, 624, "x86_64"}},
		{"eight v100", "gcp", "n1-highcpu-96", "nvidia-tesla-v100", 8,
			GPUInstance{"gcp", "n1-highcpu-96", "n1", "NVIDIA V100", "nvidia-tesla-v100", 8, 16, 96, 86, "x86_64"}},
		{"one v100 on n1-highmem-8", "gcp", "n1-highmem-8", "nvidia-tesla-v100", 1,
			GPUInstance{"gcp", "n1-highmem-8", "n1", "NVIDIA V100", "nvidia-tesla-v100", 1, 16, 8, 52, "x86_64"}},
		{"p100 at both limits", "gcp", "n1-highmem-16", "nvidia-tesla-p100", 1,
			GPUInstance{"gcp", "n1-highmem-16", "n1", "NVIDIA P100", "nvidia-tesla-p100", 1, 16, 16, 104, "x86_64"}},
		{"built in, nothing named", "gcp", "a2-highgpu-1g", "", 0, a2},
		{"built in, its own accelerator and count", "gcp", "a2-highgpu-1g", "nvidia-tesla-a100", 1, a2},
		{"built in, its own accelerator alone", "gcp", "a2-highgpu-1g", "nvidia-tesla-a100", 0, a2},
		{"built in, its own count alone", "gcp", "a2-highgpu-1g", "", 1, a2},
		{"aws, nothing named", "aws", "g5.xlarge", "", 0, g5},
		{"aws, its own count", "aws", "g5.xlarge", "", 1, g5},
		{"azure, nothing named", "azure", "Standard_NC8as_T4_v3", "", 0, t4},
		{"azure, its own count", "azure", "Standard_NC8as_T4_v3", "", 1, t4},
		{"azure, eight GPUs", "azure", "Standard_ND96isr_H100_v5", "", 8, h100},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Attach(tt.cloud, tt.machine, tt.accel, tt.count)
			if err != nil || got != tt.want {
				t.Errorf("Attach(%q, %q, %q, %d) = %+v, %v; want %+v", tt.cloud, tt.machine, tt.accel, tt.count, got, err, tt.want)
			}
		})
	}

	const attachable = "nvidia-tesla-p100, nvidia-tesla-t4 or nvidia-tesla-v100"
	bad := []struct {
		name           string
		cloud, machine string
		accel          string
		count          int
		wantErr        string
	}{
		{"unknown cloud", "oci", "n1-standard-8", "nvidia-tesla-t4", 1,
			`"oci" is not a cloud the GPU catalog knows; known: aws, azure, gcp`},
		{"empty machine", "gcp", "", "nvidia-tesla-t4", 1,
			"the machine type is empty"},
		{"unknown n1 shape", "gcp", "n1-standard-3", "nvidia-tesla-t4", 1,
			`"n1-standard-3" is not a machine type of family n1 that the GPU catalog knows for gcp; did you mean n1-standard-1, n1-standard-2 or n1-standard-32?`},
		{"unknown built-in shape", "gcp", "a2-highgpu-3g", "", 0,
			`"a2-highgpu-3g" is not a machine type of family a2 that the GPU catalog knows for gcp; did you mean a2-highgpu-1g, a2-highgpu-2g or a2-highgpu-4g?`},
		{"family that takes no GPUs", "gcp", "e2-standard-8", "nvidia-tesla-t4", 1,
			`"e2-standard-8" is not a GPU machine type of gcp: family e2 has no GPUs built in, and GPUs attach only to n1 machines such as n1-standard-8; did you mean g2-standard-8, g2-standard-4 or g2-standard-48?`},
		{"family that takes no GPUs, no n1 twin", "gcp", "c3-highcpu-176", "nvidia-tesla-t4", 1,
			`"c3-highcpu-176" is not a GPU machine type of gcp: family c3 has no GPUs built in, and GPUs attach only to n1 machines; did you mean n1-highcpu-16, a3-highgpu-1g or n1-highcpu-96?`},
		{"shared core", "gcp", "f1-micro", "nvidia-tesla-t4", 1,
			`"f1-micro" is not a GPU machine type of gcp: family f1 has no GPUs built in, and GPUs attach only to n1 machines`},
		{"not a gcp name", "gcp", "N1-standard-8", "nvidia-tesla-t4", 1,
			`"N1-standard-8" is not a machine type name: gcp names have the form family-shape, in lower-case letters and digits; did you mean n1-standard-8, n1-standard-1 or n1-standard-2?`},
		{"aws name on gcp", "gcp", "g5.xlarge", "", 0,
			`"g5.xlarge" is not a machine type name: gcp names have the form family-shape, in lower-case letters and digits`},
		{"aws family without GPUs", "aws", "m5.large", "", 0,
			`"m5.large" is not a GPU machine type of aws: family m5 has no GPUs; did you mean g5.xlarge, g5.2xlarge or g5.4xlarge?`},
		{"unknown aws size", "aws", "g5.3xlarge", "", 0,
			`"g5.3xlarge" is not a machine type of family g5 that the GPU catalog knows for aws; did you mean g5.2xlarge, g5.4xlarge or g5.8xlarge?`},
		{"no accelerator for n1", "gcp", "n1-standard-8", "", 0,
			"n1-standard-8 has no GPUs of its own; attach " + attachable + " with a count"},
		{"no accelerator for n1, with a count", "gcp", "n1-standard-8", "", 1,
			"n1-standard-8 has no GPUs of its own; attach " + attachable + " with a count"},
		{"unknown accelerator", "gcp", "n1-standard-8", "nvidia-tesla-k80", 1,
			`"nvidia-tesla-k80" is not an accelerator type that gcp attaches; attach ` + attachable},
		{"accelerator in the wrong case", "gcp", "n1-standard-8", "NVIDIA-TESLA-T4", 1,
			`"NVIDIA-TESLA-T4" is not an accelerator type that gcp attaches; attach ` + attachable},
		{"built-in accelerator on n1", "gcp", "n1-standard-8", "nvidia-l4", 1,
			"nvidia-l4 GPUs come only built into machine types such as g2-standard-4 and cannot be attached to n1-standard-8; attach " + attachable},
		{"count not allowed", "gcp", "n1-standard-8", "nvidia-tesla-t4", 3,
			"nvidia-tesla-t4 is attached 1, 2 or 4 at a time, not 3"},
		{"count zero", "gcp", "n1-standard-8", "nvidia-tesla-v100", 0,
			"nvidia-tesla-v100 is attached 1, 2, 4 or 8 at a time, not 0"},
		{"count negative", "gcp", "n1-standard-8", "nvidia-tesla-p100", -1,
			"nvidia-tesla-p100 is attached 1, 2 or 4 at a time, not -1"},
		{"too many vCPUs, more GPUs fit", "gcp", "n1-standard-16", "nvidia-tesla-v100", 1,
			"n1-standard-16 has 16 vCPUs and 60 GiB of memory, but with 1 nvidia-tesla-v100 a machine of family n1 may have at most 12 vCPUs and 78 GiB; attach 2 nvidia-tesla-v100, the fewest that allow n1-standard-16, or use a machine type within those limits"},
		{"too many vCPUs, skips a count", "gcp", "n1-standard-64", "nvidia-tesla-t4", 1,
			"n1-standard-64 has 64 vCPUs and 240 GiB of memory, but with 1 nvidia-tesla-t4 a machine of family n1 may have at most 48 vCPUs and 312 GiB; attach 4 nvidia-tesla-t4, the fewest that allow n1-standard-64, or use a machine type within those limits"},
		{"too many vCPUs for any count", "gcp", "n1-standard-96", "nvidia-tesla-p100", 1,
			"n1-standard-96 has 96 vCPUs and 360 GiB of memory, but with 1 nvidia-tesla-p100 a machine of family n1 may have at most 16 vCPUs and 104 GiB; no number of nvidia-tesla-p100 allows n1-standard-96, so use a machine type within those limits"},
		{"too much memory", "gcp", "n1-standard-64", "nvidia-tesla-p100", 4,
			"n1-standard-64 has 64 vCPUs and 240 GiB of memory, but with 4 nvidia-tesla-p100 a machine of family n1 may have at most 64 vCPUs and 208 GiB; no number of nvidia-tesla-p100 allows n1-standard-64, so use a machine type within those limits"},
		{"accelerator for a built-in machine", "gcp", "a2-highgpu-1g", "nvidia-tesla-t4", 1,
			`a2-highgpu-1g already has 1 NVIDIA A100 40 GiB GPU (nvidia-tesla-a100) built in, so no "nvidia-tesla-t4" can be attached to it; leave the accelerator type empty or name nvidia-tesla-a100`},
		{"sibling accelerator for a built-in machine", "gcp", "a2-ultragpu-8g", "nvidia-tesla-a100", 8,
			`a2-ultragpu-8g already has 8 NVIDIA A100 80 GiB GPUs (nvidia-a100-80gb) built in, so no "nvidia-tesla-a100" can be attached to it; leave the accelerator type empty or name nvidia-a100-80gb`},
		{"wrong count for a built-in machine", "gcp", "g2-standard-8", "nvidia-l4", 2,
			"g2-standard-8 has 1 NVIDIA L4 24 GiB GPU (nvidia-l4) built in, not 2; leave the count 0 or set it to 1, or use a machine type with 2 of them: g2-standard-24"},
		{"count no built-in machine has", "gcp", "a3-highgpu-8g", "", 16,
			"a3-highgpu-8g has 8 NVIDIA H100 80 GiB GPUs (nvidia-h100-80gb) built in, not 16; leave the count 0 or set it to 8"},
		{"aws, an accelerator", "aws", "g5.xlarge", "nvidia-tesla-t4", 1,
			`g5.xlarge already has 1 NVIDIA A10G 24 GiB GPU built in, so no "nvidia-tesla-t4" can be attached to it; leave the accelerator type empty`},
		{"aws, wrong count", "aws", "g5.xlarge", "", 4,
			"g5.xlarge has 1 NVIDIA A10G 24 GiB GPU built in, not 4; leave the count 0 or set it to 1, or use a machine type with 4 of them: g5.12xlarge or g5.24xlarge"},
		{"azure, an accelerator", "azure", "Standard_NC8as_T4_v3", "nvidia-tesla-t4", 1,
			`Standard_NC8as_T4_v3 already has 1 NVIDIA T4 16 GiB GPU built in, so no "nvidia-tesla-t4" can be attached to it; leave the accelerator type empty`},
		{"azure, wrong count", "azure", "Standard_NC8as_T4_v3", "", 4,
			"Standard_NC8as_T4_v3 has 1 NVIDIA T4 16 GiB GPU built in, not 4; leave the count 0 or set it to 1, or use a machine type with 4 of them: Standard_NC64as_T4_v3"},
		{"azure, wrong count, none has it", "azure", "Standard_NV12s_v3", "", 3,
			"Standard_NV12s_v3 has 1 NVIDIA M60 8 GiB GPU built in, not 3; leave the count 0 or set it to 1"},
		{"azure, unknown size of a known family", "azure", "Standard_NC32as_T4_v3", "", 0,
			`"Standard_NC32as_T4_v3" is not a machine type of family NCasT4_v3 that the GPU catalog knows for azure; did you mean Standard_NC16as_T4_v3, Standard_NC4as_T4_v3 or Standard_NC64as_T4_v3?`},
		{"azure, fractional GPU", "azure", "Standard_NV6ads_A10_v5", "", 0,
			`"Standard_NV6ads_A10_v5" is not a machine type of family NVadsA10_v5 that the GPU catalog knows for azure; did you mean Standard_NV36ads_A10_v5, Standard_NV36adms_A10_v5 or Standard_NV72ads_A10_v5?`},
		{"azure, size without GPUs", "azure", "Standard_D4s_v5", "", 0,
			`"Standard_D4s_v5" is not a GPU machine type of azure: family Ds_v5 is not a series of whole-GPU sizes that the GPU catalog knows; did you mean Standard_NV24s_v3, Standard_NV48s_v3 or Standard_NV12s_v3?`},
		{"azure, retired GPU series", "azure", "Standard_NC6s_v3", "", 0,
			`"Standard_NC6s_v3" is not a GPU machine type of azure: family NCs_v3 is not a series of whole-GPU sizes that the GPU catalog knows; did you mean Standard_NV12s_v3, Standard_NV24s_v3 or Standard_NV48s_v3?`},
		{"azure, lower case", "azure", "standard_nc8as_t4_v3", "", 0,
			`"standard_nc8as_t4_v3" is not a machine type name: azure names have the form ` + namings["azure"].form + `; did you mean Standard_NC8as_T4_v3, Standard_NC4as_T4_v3 or Standard_NC16as_T4_v3?`},
		{"azure, a gcp name", "azure", "n1-standard-8", "nvidia-tesla-t4", 1,
			`"n1-standard-8" is not a machine type name: azure names have the form ` + namings["azure"].form},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Attach(tt.cloud, tt.machine, tt.accel, tt.count)
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Attach(%q, %q, %q, %d) error\n  %v\nwant\n  %s", tt.cloud, tt.machine, tt.accel, tt.count, err, tt.wantErr)
			}
			if got != (GPUInstance{}) {
				t.Errorf("Attach(%q, %q, %q, %d) = %+v with its error, want the zero value", tt.cloud, tt.machine, tt.accel, tt.count, got)
			}
		})
	}
}

// TestAttachEveryCombination tries every N1 machine with every accelerator
// and count from -1 to 17: Attach must succeed exactly when the count is
// one the accelerator allows and the machine is within its limits.
func TestAttachEveryCombination(t *testing.T) {
	c := data()
	var ok int
	for _, m := range c.machines["gcp"] {
		for _, name := range Accelerators("gcp") {
			a := c.accelerators["gcp\x00"+name]
			for count := -1; count <= 17; count++ {
				i := slices.IndexFunc(a.Counts, func(at attachment) bool { return at.Count == count })
				fits := i >= 0 && m.VCPUs <= a.Counts[i].MaxVCPUs && m.MemoryGiB <= a.Counts[i].MaxMemoryGiB
				got, err := Attach("gcp", m.Name, name, count)
				switch {
				case fits && err != nil:
					t.Errorf("Attach(gcp, %s, %s, %d): %v", m.Name, name, count, err)
				case !fits && err == nil:
					t.Errorf("Attach(gcp, %s, %s, %d) = %+v, want an error", m.Name, name, count, got)
				case fits:
					ok++
					if err := validate(got, "gcp"); err != nil {
						t.Errorf("Attach(gcp, %s, %s, %d) is invalid: %v", m.Name, name, count, err)
					}
				}
			}
		}
	}
	// T4: 16+16+22, V100: 10+13+16+22, P100: 13+16+17 (n1-standard-64
	// and n1-highmem-64 exceed the 208 GiB of four P100s).
	if ok != 161 {
		t.Errorf("%d combinations fit, want 161", ok)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		cloud, name string
		want        []string
	}{
		// Distance 1, then three at distance 2 in name order.
		{"aws", "g5.2xlarg", []string{"g5.2xlarge", "g5.12xlarge", "g5.24xlarge"}},
		{"aws", "g5.2xlarge", []string{"g5.2xlarge", "g5.12xlarge", "g5.24xlarge"}},
		{"aws", "G5.2XLARGE", []string{"g5.2xlarge", "g5.12xlarge", "g5.24xlarge"}},
		{"aws", "p5.48xl", []string{"p5.48xlarge", "g5.48xlarge", "p5e.48xlarge"}},
		{"aws", "g4dn", []string{"g4dn.metal", "g4dn.xlarge", "g4dn.2xlarge"}},
		{"aws", "m5.large", []string{"g5.xlarge", "g5.2xlarge", "g5.4xlarge"}},
		{"aws", "n1-standard-8", nil}, // another cloud's machines are not suggested
		{"aws", "foo", nil},
		{"aws", "", nil},
		{"gcp", "a2-highgpu-1", []string{"a2-highgpu-1g", "a2-highgpu-2g", "a2-highgpu-4g"}},
		{"gcp", "A2-HIGHGPU-1G", []string{"a2-highgpu-1g", "a2-highgpu-2g", "a2-highgpu-4g"}},
		{"gcp", "a3-highgpu-8", []string{"a3-highgpu-8g", "a2-highgpu-8g", "a3-highgpu-1g"}},
		{"gcp", "g2-standard-5", []string{"g2-standard-4", "g2-standard-8", "g2-standard-12"}},
		{"gcp", "a2", []string{"a2-highgpu-1g", "a2-highgpu-2g", "a2-highgpu-4g"}}, // the family alone
		// N1 machines are suggested too.
		{"gcp", "n1-standard-3", []string{"n1-standard-1", "n1-standard-2", "n1-standard-32"}},
		{"gcp", "n1-highmem-1", []string{"n1-highmem-16", "n1-highmem-2", "n1-highmem-4"}},
		{"gcp", "n1", []string{"n1-highcpu-2", "n1-highcpu-4", "n1-highcpu-8"}},
		{"gcp", "n1-standart-8", []string{"n1-standard-8", "n1-standard-1", "n1-standard-2"}},
		{"gcp", "g5.2xlarge", nil},
		{"gcp", "nvidia-tesla-t4", nil},
		{"gcp", "", nil},
		// Azure: a missing version or prefix, lower case, another series.
		{"azure", "Standard_NC8as_T4", []string{"Standard_NC8as_T4_v3", "Standard_NC4as_T4_v3", "Standard_NC16as_T4_v3"}},
		{"azure", "nc8as_t4_v3", []string{"Standard_NC8as_T4_v3", "Standard_NC4as_T4_v3", "Standard_NC16as_T4_v3"}},
		{"azure", "NC8as_T4_v3", []string{"Standard_NC8as_T4_v3", "Standard_NC4as_T4_v3", "Standard_NC16as_T4_v3"}},
		{"azure", "standard_nc8as_t4_v3", []string{"Standard_NC8as_T4_v3", "Standard_NC4as_T4_v3", "Standard_NC16as_T4_v3"}},
		{"azure", "Standard_NC8as_T4_v3", []string{"Standard_NC8as_T4_v3", "Standard_NC4as_T4_v3", "Standard_NC16as_T4_v3"}},
		{"azure", "Standard_NC8ast4_v3", []string{"Standard_NC8as_T4_v3", "Standard_NC4as_T4_v3", "Standard_NC16as_T4_v3"}},
		{"azure", "Standard_NC12as_T4_v3", []string{"Standard_NC16as_T4_v3", "Standard_NC4as_T4_v3", "Standard_NC64as_T4_v3"}},
		{"azure", "Standard_NC80ads_H100_v5", []string{"Standard_NC40ads_H100_v5", "Standard_NC80adis_H100_v5", "Standard_NC24ads_A100_v4"}},
		{"azure", "Standard_ND96asr_v5", []string{"Standard_ND96asr_v4", "Standard_NC16as_T4_v3", "Standard_ND96isr_H100_v5"}},
		{"azure", "Standard_NV36ads_A10", []string{"Standard_NV36ads_A10_v5", "Standard_NV36adms_A10_v5", "Standard_NV72ads_A10_v5"}},
		{"azure", "nvs_v3", []string{"Standard_NV12s_v3", "Standard_NV24s_v3", "Standard_NV48s_v3"}}, // the family alone
		{"azure", "g5.2xlarge", nil},
		{"azure", "a2-highgpu-1g", nil},
		{"azure", "", nil},
		{"aws", "Standard_NC8as_T4_v3", nil},
		{"oci", "a2-highgpu-1g", nil},
	}
	for _, tt := range tests {
		got := Suggest(tt.cloud, tt.name)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.cloud, tt.name, got, tt.want)
		}
		if len(got) > 3 {
			t.Errorf("Suggest(%q, %q) returned %d names", tt.cloud, tt.name, len(got))
		}
		for _, s := range got {
			if _, ok := Lookup(tt.cloud, s); !ok && !NeedsAccelerator(tt.cloud, s) {
				t.Errorf("Suggest(%q, %q) suggested unknown %q", tt.cloud, tt.name, s)
			}
		}
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"g5.2xlarg", "g5.2xlarge", 1},
		{"héllo", "hello", 1}, // counts runes, not bytes
	}
	for _, tt := range tests {
		if got := levenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := levenshtein(tt.b, tt.a); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name       string
		aws, dashy bool
	}{
		{"g5.xlarge", true, false},
		{"u-6tb1.metal", true, false},
		{"g5.", false, false},
		{".xlarge", false, false},
		{"g5.x.large", false, false},
		{"a2-highgpu-1g", false, true},
		{"n1-standard-96", false, true},
		{"nvidia-h100-mega-80gb", false, true},
		{"n1", false, false},
		{"n1-", false, false},
		{"-n1", false, false},
		{"n1--standard", false, false},
		{"N1-standard-8", false, false},
		{"1n-standard-8", false, false},
		{"n1-standard_8", false, false},
		{"n1-stándard-8", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := awsName(tt.name); got != tt.aws {
			t.Errorf("awsName(%q) = %v, want %v", tt.name, got, tt.aws)
		}
		if got := dashedName(tt.name); got != tt.dashy {
			t.Errorf("dashedName(%q) = %v, want %v", tt.name, got, tt.dashy)
		}
	}
}

// TestParseRejectsBadData checks that the loader's own checks catch the
// mistakes the embedded data could contain.
func TestParseRejectsBadData(t *testing.T) {
	const good = `{"cloud": "aws", "name": "g5.xlarge", "family": "g5", "gpu_model": "NVIDIA A10G", "gpu_count": 1, "gpu_memory_gib": 24, "vcpus": 4, "memory_gib": 16, "architecture": "x86_64"}`
	aws := func(instances ...string) string { return `{"instances": [` + strings.Join(instances, ",") + `]}` }
	tests := []struct {
		name, json, wantErr string
	}{
		{"not json", `{`, "unexpected EOF"},
		{"not an object", `[]`, "cannot unmarshal"},
		{"no instances", `{}`, "no instances"},
		{"empty", aws(), "no instances"},
		{"trailing data", aws(good) + ` []`, "unexpected data after the JSON object"},
		{"unknown file field", `{"instance": []}`, `unknown field "instance"`},
		{"unknown field", aws(`{"label": "x"}`), `unknown field "label"`},
		{"duplicate", aws(good, good), `duplicate instance type "g5.xlarge"`},
		{"wrong cloud", aws(strings.Replace(good, `"aws"`, `"gcp"`, 1)), `cloud is "gcp", want "aws"`},
		{"family mismatch", aws(strings.Replace(good, `"family": "g5"`, `"family": "g6"`, 1)), `family is "g6", want "g5"`},
		{"no dot", aws(strings.Replace(good, `"g5.xlarge"`, `"g5xlarge"`, 1)), "not of the form family.size"},
		{"no gpus", aws(strings.Replace(good, `"gpu_count": 1`, `"gpu_count": 0`, 1)), "gpu_count is 0"},
		{"bad architecture", aws(strings.Replace(good, `"x86_64"`, `"amd64"`, 1)), `architecture is "amd64"`},
		{"empty name", aws(strings.Replace(good, `"g5.xlarge"`, `""`, 1)), "empty name"},
		{"empty model", aws(strings.Replace(good, `"NVIDIA A10G"`, `""`, 1)), "empty gpu_model"},
		{"no vcpus", aws(strings.Replace(good, `"vcpus": 4`, `"vcpus": 0`, 1)), "vcpus is 0"},
		{"accelerator on aws", aws(strings.Replace(good, `"gpu_count"`, `"accelerator": "nvidia-a10g", "gpu_count"`, 1)), `accelerator is "nvidia-a10g", but aws names no accelerator types`},
		{"machines on aws", `{"instances": [` + good + `], "machines": [{"name": "m5.large"}]}`, "aws names no accelerator types, so it has no machines or accelerators"},
	}
	if _, err := parse(map[string][]byte{"aws": []byte(aws(good))}); err != nil {
		t.Fatalf("the good entry is rejected: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(map[string][]byte{"aws": []byte(tt.json)})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parse error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	if _, err := parse(map[string][]byte{"oci": []byte(aws(good))}); err == nil || !strings.Contains(err.Error(), "does not know how oci names machine types") {
		t.Errorf("parse of oci data: error %v, want one about its naming", err)
	}
}

// TestParseRejectsBadAzureData checks the checks of Azure's names and
// families, and that Azure data has no accelerators.
func TestParseRejectsBadAzureData(t *testing.T) {
	const good = `{"cloud": "azure", "name": "Standard_NC8as_T4_v3", "family": "NCasT4_v3", "gpu_model": "NVIDIA T4", "gpu_count": 1, "gpu_memory_gib": 16, "vcpus": 8, "memory_gib": 56, "architecture": "x86_64"}`
	azure := func(instances ...string) string { return `{"instances": [` + strings.Join(instances, ",") + `]}` }
	tests := []struct {
		name, json, wantErr string
	}{
		{"lower-case name", azure(strings.Replace(good, "Standard_NC8as_T4_v3", "standard_nc8as_t4_v3", 1)), "not of the form Standard_"},
		{"no prefix", azure(strings.Replace(good, "Standard_NC8as_T4_v3", "NC8as_T4_v3", 1)), "not of the form Standard_"},
		{"family with the count", azure(strings.Replace(good, `"NCasT4_v3"`, `"NC8as_T4_v3"`, 1)),
			`family is "NC8as_T4_v3", want "NCasT4_v3" (the name without "Standard_" and its vCPU count, the "_" before an accelerator part dropped)`},
		{"family as the API names it", azure(strings.Replace(good, `"NCasT4_v3"`, `"standardNCASv3_T4Family"`, 1)), `want "NCasT4_v3"`},
		{"accelerator", azure(strings.Replace(good, `"gpu_count"`, `"accelerator": "nvidia-tesla-t4", "gpu_count"`, 1)), "azure names no accelerator types"},
		{"machines", `{"instances": [` + good + `], "machines": [{"name": "Standard_D4s_v5"}]}`, "azure names no accelerator types, so it has no machines or accelerators"},
		{"wrong cloud", azure(strings.Replace(good, `"azure"`, `"aws"`, 1)), `cloud is "aws", want "azure"`},
	}
	if _, err := parse(map[string][]byte{"azure": []byte(azure(good))}); err != nil {
		t.Fatalf("the good entry is rejected: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(map[string][]byte{"azure": []byte(tt.json)})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parse error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestParseRejectsBadGCPData checks the checks of the data of a cloud that
// attaches GPUs, starting from a small good file and breaking one thing at
// a time.
func TestParseRejectsBadGCPData(t *testing.T) {
	const (
		inst  = `{"cloud": "gcp", "name": "g2-standard-4", "family": "g2", "gpu_model": "NVIDIA L4", "accelerator": "nvidia-l4", "gpu_count": 1, "gpu_memory_gib": 24, "vcpus": 4, "memory_gib": 16, "architecture": "x86_64"}`
		inst2 = `{"cloud": "gcp", "name": "g2-standard-8", "family": "g2", "gpu_model": "NVIDIA L4", "accelerator": "nvidia-l4", "gpu_count": 1, "gpu_memory_gib": 24, "vcpus": 8, "memory_gib": 32, "architecture": "x86_64"}`
		mach  = `{"name": "n1-standard-4", "family": "n1", "vcpus": 4, "memory_gib": 15, "architecture": "x86_64"}`
		accel = `{"name": "nvidia-tesla-t4", "gpu_model": "NVIDIA T4", "gpu_memory_gib": 16, "family": "n1", "counts": [{"count": 1, "max_vcpus": 48, "max_memory_gib": 312}, {"count": 2, "max_vcpus": 48, "max_memory_gib": 312}]}`
	)
	gcp := func(instances, machines, accelerators []string) string {
		return `{"instances": [` + strings.Join(instances, ",") + `], "machines": [` + strings.Join(machines, ",") +
			`], "accelerators": [` + strings.Join(accelerators, ",") + `]}`
	}
	one := func(s string) []string { return []string{s} }
	is, ms, as := one(inst), one(mach), one(accel)
	tests := []struct {
		name, json, wantErr string
	}{
		{"dotted name", gcp(one(strings.ReplaceAll(inst, `g2-standard-4`, `g2.standard-4`)), ms, as), "not of the form family-shape"},
		{"upper-case name", gcp(one(strings.ReplaceAll(inst, `g2-standard-4`, `g2-Standard-4`)), ms, as), "not of the form family-shape"},
		{"family mismatch", gcp(one(strings.Replace(inst, `"family": "g2"`, `"family": "g2-standard"`, 1)), ms, as), `family is "g2-standard", want "g2" (the part of the name before the first "-")`},
		{"no accelerator", gcp(one(strings.Replace(inst, `"accelerator": "nvidia-l4", `, ``, 1)), ms, as), `g2-standard-4: accelerator is "", want the accelerator type name of its GPU`},
		{"accelerator models differ", gcp([]string{inst, strings.Replace(inst2, `"gpu_memory_gib": 24`, `"gpu_memory_gib": 48`, 1)}, ms, as),
			"g2-standard-8: accelerator nvidia-l4 is NVIDIA L4 48 GiB here but NVIDIA L4 24 GiB in g2-standard-4"},
		{"machine unknown field", gcp(is, one(strings.Replace(mach, `"vcpus"`, `"cpus"`, 1)), as), `unknown field "cpus"`},
		{"machine empty name", gcp(is, one(strings.Replace(mach, `"n1-standard-4"`, `""`, 1)), as), "machine 0: empty name"},
		{"machine empty family", gcp(is, one(strings.Replace(mach, `"family": "n1"`, `"family": ""`, 1)), as), "n1-standard-4: empty family"},
		{"machine family mismatch", gcp(is, one(strings.Replace(mach, `"family": "n1"`, `"family": "n2"`, 1)), as), `family is "n2", want "n1"`},
		{"machine no memory", gcp(is, one(strings.Replace(mach, `"memory_gib": 15`, `"memory_gib": 0`, 1)), as), "memory_gib is 0"},
		{"machine bad name", gcp(is, one(strings.ReplaceAll(mach, `n1-standard-4`, `n1_standard_4`)), as), "not of the form family-shape"},
		{"machine duplicate", gcp(is, []string{mach, mach}, as), `duplicate machine type "n1-standard-4"`},
		{"machine with built-in family", gcp(is, one(strings.ReplaceAll(mach, `n1`, `g2`)), as), "g2-standard-4: family g2 has GPUs built in"},
		{"machine without accelerator", gcp(is, []string{mach, strings.ReplaceAll(mach, "n1", "n2")}, as), "n2-standard-4: no accelerator attaches to family n2"},
		{"accelerator unknown field", gcp(is, ms, one(strings.Replace(accel, `"counts"`, `"count"`, 1))), `unknown field "count"`},
		{"accelerator bad name", gcp(is, ms, one(strings.Replace(accel, `"nvidia-tesla-t4"`, `"T4"`, 1))), `name "T4" is not of the form vendor-model`},
		{"accelerator empty model", gcp(is, ms, one(strings.Replace(accel, `"NVIDIA T4"`, `""`, 1))), "nvidia-tesla-t4: empty gpu_model"},
		{"accelerator no memory", gcp(is, ms, one(strings.Replace(accel, `"gpu_memory_gib": 16`, `"gpu_memory_gib": 0`, 1))), "gpu_memory_gib is 0"},
		{"accelerator family without machines", gcp(is, ms, one(strings.Replace(accel, `"family": "n1"`, `"family": "n2"`, 1))), `family is "n2", which has no machines`},
		{"accelerator no counts", gcp(is, ms, one(accel[:strings.Index(accel, `"counts"`)]+`"counts": []}`)), "nvidia-tesla-t4: no counts"},
		{"accelerator count zero", gcp(is, ms, one(strings.Replace(accel, `"count": 1`, `"count": 0`, 1))), "count is 0, want at least 1"},
		{"accelerator counts descend", gcp(is, ms, one(strings.Replace(accel, `"count": 2`, `"count": 1`, 1))), "count 1 follows 1; counts must ascend"},
		{"accelerator limits shrink", gcp(is, ms, one(strings.Replace(accel, `"max_vcpus": 48, "max_memory_gib": 312}]`, `"max_vcpus": 2, "max_memory_gib": 312}]`, 1))), "count 2 allows less than count 1"},
		{"accelerator count fits no machine", gcp(is, ms, one(strings.Replace(accel, `"max_vcpus": 48`, `"max_vcpus": 2`, 1))), "count 1 allows no n1 machine (max_vcpus 2, max_memory_gib 312)"},
		{"accelerator duplicate", gcp(is, ms, []string{accel, accel}), `duplicate accelerator type "nvidia-tesla-t4"`},
		{"accelerator also built in", gcp(is, ms, one(strings.Replace(accel, `"nvidia-tesla-t4"`, `"nvidia-l4"`, 1))), "nvidia-l4 is built into g2-standard-4 and cannot also be attached"},
	}
	if _, err := parse(map[string][]byte{"gcp": []byte(gcp(is, ms, as))}); err != nil {
		t.Fatalf("the good data is rejected: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(map[string][]byte{"gcp": []byte(tt.json)})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parse error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestAttachFamilyMismatch checks the messages of a cloud with two families
// that take attached GPUs, each with its own accelerator, which the
// embedded data cannot show.
func TestAttachFamilyMismatch(t *testing.T) {
	const raw = `{"instances": [{"cloud": "gcp", "name": "g2-standard-4", "family": "g2", "gpu_model": "NVIDIA L4", "accelerator": "nvidia-l4", "gpu_count": 1, "gpu_memory_gib": 24, "vcpus": 4, "memory_gib": 16, "architecture": "x86_64"}],
	"machines": [{"name": "n1-standard-4", "family": "n1", "vcpus": 4, "memory_gib": 15, "architecture": "x86_64"}, {"name": "x1-standard-4", "family": "x1", "vcpus": 4, "memory_gib": 15, "architecture": "x86_64"}],
	"accelerators": [{"name": "nvidia-tesla-t4", "gpu_model": "NVIDIA T4", "gpu_memory_gib": 16, "family": "n1", "counts": [{"count": 1, "max_vcpus": 48, "max_memory_gib": 312}]},
	  {"name": "nvidia-x", "gpu_model": "NVIDIA X", "gpu_memory_gib": 16, "family": "x1", "counts": [{"count": 1, "max_vcpus": 48, "max_memory_gib": 312}]}]}`
	c, err := parse(map[string][]byte{"gcp": []byte(raw)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.attach("gcp", "n1-standard-4", "nvidia-x", 1)
	const want = "nvidia-x attaches only to x1 machines, not to n1-standard-4 of family n1; attach nvidia-tesla-t4"
	if err == nil || err.Error() != want {
		t.Errorf("attach error %v, want %q", err, want)
	}
	_, err = c.attach("gcp", "x1-standard-4", "", 1)
	if want := "x1-standard-4 has no GPUs of its own; attach nvidia-x with a count"; err == nil || err.Error() != want {
		t.Errorf("attach error %v, want %q", err, want)
	}
	_, err = c.attach("gcp", "e2-standard-4", "nvidia-x", 1)
	const want2 = `"e2-standard-4" is not a GPU machine type of gcp: family e2 has no GPUs built in, and GPUs attach only to n1 or x1 machines such as n1-standard-4 or x1-standard-4; did you mean g2-standard-4, n1-standard-4 or x1-standard-4?`
	if err == nil || err.Error() != want2 {
		t.Errorf("attach error\n  %v\nwant\n  %s", err, want2)
	}
}

func TestOrList(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "c"}, "a, b or c"},
	}
	for _, tt := range tests {
		if got := orList(tt.in); got != tt.want {
			t.Errorf("orList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

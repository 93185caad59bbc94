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
	if n := len(c.instances["aws"]); n != 46 {
		t.Errorf("aws has %d instances, want 46", n)
	}
}

func TestEntriesValid(t *testing.T) {
	list := Instances("aws")
	if len(list) == 0 {
		t.Fatal("no aws instances")
	}
	seen := map[string]bool{}
	for _, inst := range list {
		if seen[inst.Name] {
			t.Errorf("duplicate name %q", inst.Name)
		}
		seen[inst.Name] = true
		if inst.Cloud != "aws" || inst.Name == "" || inst.Family == "" || inst.GPUModel == "" {
			t.Errorf("%+v has an empty or wrong text field", inst)
		}
		if inst.GPUCount < 1 || inst.GPUMemoryGiB < 1 || inst.VCPUs < 1 || inst.MemoryGiB < 1 {
			t.Errorf("%+v has a count below 1", inst)
		}
		if family, _, _ := strings.Cut(inst.Name, "."); family != inst.Family {
			t.Errorf("%s: family %q is not the part of the name before the dot", inst.Name, inst.Family)
		}
		if inst.Architecture != "x86_64" && inst.Architecture != "arm64" {
			t.Errorf("%s: architecture %q", inst.Name, inst.Architecture)
		}
		if !strings.HasPrefix(inst.GPUModel, "NVIDIA ") {
			t.Errorf("%s: gpu_model %q does not name the vendor", inst.Name, inst.GPUModel)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		cloud, name string
		want        GPUInstance
		ok          bool
	}{
		{"aws", "g5.2xlarge", GPUInstance{"aws", "g5.2xlarge", "g5", "NVIDIA A10G", 1, 24, 8, 32, "x86_64"}, true},
		{"aws", "g4dn.12xlarge", GPUInstance{"aws", "g4dn.12xlarge", "g4dn", "NVIDIA T4", 4, 16, 48, 192, "x86_64"}, true},
		{"aws", "g4dn.metal", GPUInstance{"aws", "g4dn.metal", "g4dn", "NVIDIA T4", 8, 16, 96, 384, "x86_64"}, true},
		{"aws", "g5g.16xlarge", GPUInstance{"aws", "g5g.16xlarge", "g5g", "NVIDIA T4G", 2, 16, 64, 128, "arm64"}, true},
		{"aws", "g6.48xlarge", GPUInstance{"aws", "g6.48xlarge", "g6", "NVIDIA L4", 8, 24, 192, 768, "x86_64"}, true},
		{"aws", "g6e.48xlarge", GPUInstance{"aws", "g6e.48xlarge", "g6e", "NVIDIA L40S", 8, 48, 192, 1536, "x86_64"}, true},
		{"aws", "p3.2xlarge", GPUInstance{"aws", "p3.2xlarge", "p3", "NVIDIA V100", 1, 16, 8, 61, "x86_64"}, true},
		{"aws", "p3dn.24xlarge", GPUInstance{"aws", "p3dn.24xlarge", "p3dn", "NVIDIA V100", 8, 32, 96, 768, "x86_64"}, true},
		{"aws", "p4d.24xlarge", GPUInstance{"aws", "p4d.24xlarge", "p4d", "NVIDIA A100", 8, 40, 96, 1152, "x86_64"}, true},
		{"aws", "p4de.24xlarge", GPUInstance{"aws", "p4de.24xlarge", "p4de", "NVIDIA A100", 8, 80, 96, 1152, "x86_64"}, true},
		{"aws", "p5.48xlarge", GPUInstance{"aws", "p5.48xlarge", "p5", "NVIDIA H100", 8, 80, 192, 2048, "x86_64"}, true},
		{"aws", "p5e.48xlarge", GPUInstance{"aws", "p5e.48xlarge", "p5e", "NVIDIA H200", 8, 141, 192, 2048, "x86_64"}, true},
		{"aws", "p5en.48xlarge", GPUInstance{"aws", "p5en.48xlarge", "p5en", "NVIDIA H200", 8, 141, 192, 2048, "x86_64"}, true},
		{"aws", "m5.large", GPUInstance{}, false},   // not a GPU type
		{"aws", "G5.2XLARGE", GPUInstance{}, false}, // case-sensitive
		{"aws", "g5.2xlarge ", GPUInstance{}, false},
		{"aws", "g5", GPUInstance{}, false},
		{"aws", "", GPUInstance{}, false},
		{"gcp", "g5.2xlarge", GPUInstance{}, false},
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
	list := Instances("aws")
	if !slices.IsSortedFunc(list, compareInstances) {
		t.Error("Instances is not sorted by family, GPU count, vCPUs, name")
	}
	// Spot-check the order inside one family, where GPU count beats vCPUs.
	var g5 []string
	for _, inst := range list {
		if inst.Family == "g5" {
			g5 = append(g5, inst.Name)
		}
	}
	want := []string{
		"g5.xlarge", "g5.2xlarge", "g5.4xlarge", "g5.8xlarge", "g5.16xlarge",
		"g5.12xlarge", "g5.24xlarge", "g5.48xlarge",
	}
	if !slices.Equal(g5, want) {
		t.Errorf("g5 order = %v, want %v", g5, want)
	}
	// Deterministic, and the caller owns the slice.
	list[0].Name = "changed"
	if again := Instances("aws"); again[0].Name == "changed" || !slices.IsSortedFunc(again, compareInstances) {
		t.Error("modifying the result of Instances changed later results")
	}
	if got := Instances("gcp"); got != nil {
		t.Errorf("Instances(gcp) = %v, want nil", got)
	}
}

func TestFamilies(t *testing.T) {
	want := []string{"g4dn", "g5", "g5g", "g6", "g6e", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en"}
	got := Families("aws")
	if !slices.Equal(got, want) {
		t.Errorf("Families(aws) = %v, want %v", got, want)
	}
	got[0] = "changed"
	if Families("aws")[0] != "g4dn" {
		t.Error("modifying the result of Families changed later results")
	}
	if got := Families("azure"); got != nil {
		t.Errorf("Families(azure) = %v, want nil", got)
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
		{"aws", "foo", nil},
		{"aws", "", nil},
		{"gcp", "g5.2xlarge", nil},
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
			if _, ok := Lookup(tt.cloud, s); !ok {
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

// TestParseRejectsBadData checks that the loader's own checks catch the
// mistakes the embedded data could contain.
func TestParseRejectsBadData(t *testing.T) {
	const good = `{"cloud": "aws", "name": "g5.xlarge", "family": "g5", "gpu_model": "NVIDIA A10G", "gpu_count": 1, "gpu_memory_gib": 24, "vcpus": 4, "memory_gib": 16, "architecture": "x86_64"}`
	tests := []struct {
		name, json, wantErr string
	}{
		{"not json", `[{`, "unexpected EOF"},
		{"not an array", `{}`, "cannot unmarshal"},
		{"empty", `[]`, "no instances"},
		{"trailing data", `[` + good + `] []`, "unexpected data after the JSON array"},
		{"unknown field", `[{"label": "x"}]`, `unknown field "label"`},
		{"duplicate", `[` + good + `,` + good + `]`, `duplicate instance type "g5.xlarge"`},
		{"wrong cloud", `[` + strings.Replace(good, `"aws"`, `"gcp"`, 1) + `]`, `cloud is "gcp", want "aws"`},
		{"family mismatch", `[` + strings.Replace(good, `"family": "g5"`, `"family": "g6"`, 1) + `]`, `family is "g6", want "g5"`},
		{"no dot", `[` + strings.Replace(good, `"g5.xlarge"`, `"g5xlarge"`, 1) + `]`, "not of the form family.size"},
		{"no gpus", `[` + strings.Replace(good, `"gpu_count": 1`, `"gpu_count": 0`, 1) + `]`, "gpu_count is 0"},
		{"bad architecture", `[` + strings.Replace(good, `"x86_64"`, `"amd64"`, 1) + `]`, `architecture is "amd64"`},
		{"empty name", `[` + strings.Replace(good, `"g5.xlarge"`, `""`, 1) + `]`, "empty name"},
		{"empty model", `[` + strings.Replace(good, `"NVIDIA A10G"`, `""`, 1) + `]`, "empty gpu_model"},
		{"no vcpus", `[` + strings.Replace(good, `"vcpus": 4`, `"vcpus": 0`, 1) + `]`, "vcpus is 0"},
	}
	if _, err := parse(map[string][]byte{"aws": []byte(`[` + good + `]`)}); err != nil {
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
}

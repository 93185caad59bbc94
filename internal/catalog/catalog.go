// Package catalog holds facts about the GPU instance types of each cloud,
// used to validate GPU node pools (rule SEG401) and to size them.
//
// The facts are embedded JSON data, one file per cloud (aws.json), taken
// from the clouds' public instance type documentation. The data is parsed
// and checked once, on first use; because it is compiled into the binary,
// invalid data is a programming error and makes that first use panic. The
// package's tests prove that the embedded data is valid.
package catalog

import (
	"bytes"
	"cmp"
	_ "embed" // for the //go:embed data files
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// GPUInstance describes one GPU instance size.
type GPUInstance struct {
	Cloud        string `json:"cloud"`          // "aws"
	Name         string `json:"name"`           // "g5.2xlarge"
	Family       string `json:"family"`         // "g5"
	GPUModel     string `json:"gpu_model"`      // "NVIDIA A10G"
	GPUCount     int    `json:"gpu_count"`      // GPUs per instance
	GPUMemoryGiB int    `json:"gpu_memory_gib"` // per GPU
	VCPUs        int    `json:"vcpus"`          // virtual CPUs per instance
	MemoryGiB    int    `json:"memory_gib"`     // host memory per instance
	Architecture string `json:"architecture"`   // "x86_64" or "arm64"
}

// awsJSON is the AWS GPU instance data: a JSON array of GPUInstance objects.
//
//go:embed aws.json
var awsJSON []byte

// sources maps each cloud to its embedded data.
var sources = map[string][]byte{
	"aws": awsJSON,
}

// data is the parsed catalog, built once on first use.
var data = sync.OnceValue(func() *catalog {
	c, err := parse(sources)
	if err != nil {
		panic("catalog: the embedded GPU instance data is invalid: " + err.Error())
	}
	return c
})

// catalog is the parsed, validated and sorted data of every cloud.
type catalog struct {
	instances map[string][]GPUInstance // by cloud, in Instances order
	byName    map[string]GPUInstance   // by cloud + "\x00" + name
	families  map[string][]string      // by cloud, sorted
}

// Lookup finds an instance type of a cloud such as "aws". Both cloud and
// name must match exactly, including case. The second result reports
// whether the type is a known GPU instance type; Lookup("aws", "m5.large")
// is not found, because m5 has no GPUs.
func Lookup(cloud, name string) (GPUInstance, bool) {
	inst, ok := data().byName[cloud+"\x00"+name]
	return inst, ok
}

// Instances returns all instances of a cloud sorted by family, then GPU
// count, then vCPUs, then name. It returns nil for an unknown cloud. The
// caller owns the returned slice.
func Instances(cloud string) []GPUInstance {
	return slices.Clone(data().instances[cloud])
}

// Families returns the distinct family names of a cloud, sorted. It returns
// nil for an unknown cloud. The caller owns the returned slice.
func Families(cloud string) []string {
	return slices.Clone(data().families[cloud])
}

// maxSuggestions is the most names Suggest returns.
const maxSuggestions = 3

// Suggest returns up to 3 known instance names of cloud closest to name, for
// "did you mean" messages. Closeness is the Levenshtein edit distance
// between the lower-cased names, counted in runes; ties are broken by name.
//
// Only plausible suggestions are made: a known name qualifies when its
// distance is at most half the length of the longer of the two names, or
// when it is in the family that name starts with (so "g5" suggests g5
// sizes). Suggest returns nil for an unknown cloud or when nothing
// qualifies. An exact match is its own closest suggestion.
func Suggest(cloud, name string) []string {
	type candidate struct {
		name string
		dist int
	}
	want := strings.ToLower(name)
	family, _, _ := strings.Cut(want, ".")
	var cands []candidate
	for _, inst := range data().instances[cloud] {
		known := strings.ToLower(inst.Name)
		d := levenshtein(want, known)
		limit := max(utf8.RuneCountInString(want), utf8.RuneCountInString(known)) / 2
		if d <= limit || strings.ToLower(inst.Family) == family {
			cands = append(cands, candidate{inst.Name, d})
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), strings.Compare(a.name, b.name))
	})
	var out []string
	for _, c := range cands[:min(len(cands), maxSuggestions)] {
		out = append(out, c.name)
	}
	return out
}

// levenshtein returns the edit distance between a and b: the fewest rune
// insertions, deletions and substitutions that turn a into b.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// parse decodes, validates and indexes the data of every cloud.
func parse(sources map[string][]byte) (*catalog, error) {
	c := &catalog{
		instances: make(map[string][]GPUInstance),
		byName:    make(map[string]GPUInstance),
		families:  make(map[string][]string),
	}
	for cloud, raw := range sources {
		list, err := decode(raw)
		if err != nil {
			return nil, fmt.Errorf("%s data: %w", cloud, err)
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("%s data: no instances", cloud)
		}
		for i, inst := range list {
			if err := validate(inst, cloud); err != nil {
				return nil, fmt.Errorf("%s data, entry %d: %w", cloud, i, err)
			}
			key := cloud + "\x00" + inst.Name
			if _, dup := c.byName[key]; dup {
				return nil, fmt.Errorf("%s data, entry %d: duplicate instance type %q", cloud, i, inst.Name)
			}
			c.byName[key] = inst
		}
		slices.SortFunc(list, compareInstances)
		c.instances[cloud] = list
		var fams []string
		for _, inst := range list {
			fams = append(fams, inst.Family)
		}
		slices.Sort(fams)
		c.families[cloud] = slices.Compact(fams)
	}
	return c, nil
}

// decode strictly decodes one JSON array of instances: unknown fields and
// trailing data are errors, so typos in the data cannot go unnoticed.
func decode(raw []byte) ([]GPUInstance, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var list []GPUInstance
	if err := dec.Decode(&list); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON array")
	}
	return list, nil
}

// validate checks one instance of the given cloud's data.
func validate(inst GPUInstance, cloud string) error {
	switch {
	case inst.Name == "":
		return errors.New("empty name")
	case inst.Cloud != cloud:
		return fmt.Errorf("%s: cloud is %q, want %q", inst.Name, inst.Cloud, cloud)
	case inst.Family == "":
		return fmt.Errorf("%s: empty family", inst.Name)
	case inst.GPUModel == "":
		return fmt.Errorf("%s: empty gpu_model", inst.Name)
	case inst.GPUCount < 1:
		return fmt.Errorf("%s: gpu_count is %d, want at least 1", inst.Name, inst.GPUCount)
	case inst.GPUMemoryGiB < 1:
		return fmt.Errorf("%s: gpu_memory_gib is %d, want at least 1", inst.Name, inst.GPUMemoryGiB)
	case inst.VCPUs < 1:
		return fmt.Errorf("%s: vcpus is %d, want at least 1", inst.Name, inst.VCPUs)
	case inst.MemoryGiB < 1:
		return fmt.Errorf("%s: memory_gib is %d, want at least 1", inst.Name, inst.MemoryGiB)
	case inst.Architecture != "x86_64" && inst.Architecture != "arm64":
		return fmt.Errorf("%s: architecture is %q, want \"x86_64\" or \"arm64\"", inst.Name, inst.Architecture)
	}
	family, size, ok := strings.Cut(inst.Name, ".")
	if !ok || size == "" || strings.Contains(size, ".") {
		return fmt.Errorf("%s: name is not of the form family.size", inst.Name)
	}
	if family != inst.Family {
		return fmt.Errorf("%s: family is %q, want %q (the part of the name before the dot)", inst.Name, inst.Family, family)
	}
	return nil
}

// compareInstances orders instances by family, then GPU count, then vCPUs,
// then name.
func compareInstances(a, b GPUInstance) int {
	return cmp.Or(
		strings.Compare(a.Family, b.Family),
		cmp.Compare(a.GPUCount, b.GPUCount),
		cmp.Compare(a.VCPUs, b.VCPUs),
		strings.Compare(a.Name, b.Name),
	)
}

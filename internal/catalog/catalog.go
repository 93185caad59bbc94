// Package catalog holds facts about the GPU machine types of each cloud,
// used to validate GPU node pools (rule SEG401) and to size them.
//
// A cloud's GPU machines come in two kinds. Most have their GPUs built in:
// AWS's g5.xlarge, GCP's a2-highgpu-1g and g2-standard-8, Azure's
// Standard_NC8as_T4_v3. Lookup finds those. GCP's N1 machines
// (n1-standard-8 and its kin) have no GPUs of their own: a node pool names
// the machine type and attaches accelerators to it, an accelerator type
// and a count. NeedsAccelerator tells such machines apart, and Attach
// checks a machine, accelerator and count together and returns the node
// shape they make.
//
// The facts are embedded JSON data, one file per cloud (aws.json,
// azure.json, gcp.json), taken from the clouds' public machine type
// documentation. The data is parsed and checked once, on first use;
// because it is compiled into the binary, invalid data is a programming
// error and makes that first use panic. The package's tests prove that the embedded data is
// valid.
package catalog

import (
	"bytes"
	"cmp"
	_ "embed" // for the //go:embed data files
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// GPUInstance describes one GPU node shape: a machine type with its GPUs
// built in, or a machine type with accelerators attached, as Attach
// composes it.
type GPUInstance struct {
	Cloud        string `json:"cloud"`                 // "aws", "azure" or "gcp"
	Name         string `json:"name"`                  // "g5.2xlarge", "Standard_NC8as_T4_v3", "a2-highgpu-1g", "n1-standard-8"
	Family       string `json:"family"`                // "g5", "NCasT4_v3", "a2", "n1": see familyOf
	GPUModel     string `json:"gpu_model"`             // "NVIDIA A10G"
	Accelerator  string `json:"accelerator,omitempty"` // the cloud's accelerator type name, "nvidia-tesla-a100"; empty for aws and azure
	GPUCount     int    `json:"gpu_count"`             // GPUs per instance
	GPUMemoryGiB int    `json:"gpu_memory_gib"`        // per GPU
	VCPUs        int    `json:"vcpus"`                 // virtual CPUs per instance
	MemoryGiB    int    `json:"memory_gib"`            // host memory per instance
	Architecture string `json:"architecture"`          // "x86_64" or "arm64"
}

// awsJSON is the AWS data: instance types with their GPUs built in.
//
//go:embed aws.json
var awsJSON []byte

// gcpJSON is the Google Cloud data, from the Compute Engine documentation
// of its GPU machine types (cloud.google.com/compute/docs/gpus) and of the
// N1 machine series (cloud.google.com/compute/docs/general-purpose-machines).
//
//   - instances: the accelerator-optimized A2, A3, A4 and G2 machine types,
//     whose GPUs come with the machine. Each records the accelerator type
//     name that GKE and the Compute Engine API give its GPU. Memory is the
//     machine type's default memory in GiB (the API's memoryMb divided by
//     1024; the documentation calls it GB), rounded down.
//   - machines: the predefined N1 machine types (standard, highmem and
//     highcpu), which take attached GPUs. The shared-core f1-micro and
//     g1-small take none and are left out. Fractional memory (3.75 GB for
//     n1-standard-1, 1.8 GB for n1-highcpu-2, ...) is rounded down.
//   - accelerators: the GPUs that attach to N1 machines, from the N1
//     section of the GPU machine types page. For each count of GPUs that
//     the page allows, max_vcpus and max_memory_gib are the most vCPUs and
//     memory an N1 machine may have with that many GPUs. Where the page
//     gives a larger limit in some zones only (4 P100s: 96 vCPUs and 624 GB
//     outside us-east1-c, europe-west1-b and europe-west1-d), the limit of
//     every zone is recorded: 64 vCPUs and 208 GB.
//
//go:embed gcp.json
var gcpJSON []byte

// azureJSON is the Azure data, from the GPU-accelerated size series pages
// of the Azure virtual machine documentation
// (learn.microsoft.com/azure/virtual-machines/sizes), cross-checked with
// a second published list of the sizes' vCPUs, memory and GPU counts.
//
//   - instances: the sizes of the NCasT4_v3, NC A100 v4, NCads H100 v5,
//     ND A100 v4 (Standard_ND96asr_v4), ND H100 v5, NVadsA10 v5 and NVv3
//     series that have whole GPUs, which come with the size. Azure names
//     no accelerator types, so the data has no machines or accelerators.
//   - Sizes with a fraction of a GPU are left out: Standard_NV6ads_A10_v5,
//     Standard_NV12ads_A10_v5 and Standard_NV18ads_A10_v5 have a sixth, a
//     third and half of an A10, which a GPU count cannot describe.
//   - Families are as azureFamily finds them, so a series can have more
//     than one: Standard_NC80adis_H100_v5 (an isolated size) is of family
//     NCadisH100_v5 beside NC40ads's NCadsH100_v5, and
//     Standard_NV36adms_A10_v5 of NVadmsA10_v5 beside NVadsA10_v5.
//   - Memory is the size's memory in GiB, as the size tables give it.
//     GPU memory is per GPU: 94 GB for the H100 NVL of the NCads H100 v5
//     sizes, 40 GB for the A100s of Standard_ND96asr_v4 and 80 GB for
//     those of the NC A100 v4 sizes. An NVv3 GPU is one of the two GPUs of
//     a Tesla M60 board, with 8 GiB.
//
//go:embed azure.json
var azureJSON []byte

// sources maps each cloud to its embedded data.
var sources = map[string][]byte{
	"aws":   awsJSON,
	"azure": azureJSON,
	"gcp":   gcpJSON,
}

// naming is how a cloud spells its machine type names.
type naming struct {
	form  string            // the form of a name, for messages
	valid func(string) bool // whether a name has that form
	// family returns the family of any name, of the form or not, and in
	// any case: the family of a lower-cased name is the lower-cased family.
	family     func(string) string
	familyRule string // how family finds the family, for messages
	// unknown says, after "family X", that the GPU catalog knows no
	// machine type of family X.
	unknown string
	// accelerators is whether the cloud names its GPUs with accelerator
	// types, and so whether its data may have machines and accelerators.
	accelerators bool
}

// namings holds the naming of every cloud the data may describe.
var namings = map[string]naming{
	"aws": {
		form:   "family.size",
		valid:  awsName,
		family: before("."), familyRule: `the part of the name before the first "."`,
		unknown: "has no GPUs",
	},
	"azure": {
		form:   "Standard_<series letters><vCPU count><feature letters>[_<part>]..., as in Standard_NC8as_T4_v3",
		valid:  azureName,
		family: azureFamily, familyRule: `the name without "Standard_" and its vCPU count, the "_" before an accelerator part dropped`,
		unknown: "is not a series of whole-GPU sizes that the GPU catalog knows",
	},
	"gcp": {
		form:   "family-shape, in lower-case letters and digits",
		valid:  dashedName,
		family: before("-"), familyRule: `the part of the name before the first "-"`,
		unknown: "has no GPUs", accelerators: true,
	},
}

// before returns a family function that takes the part of a name before
// the first sep, or the whole name if it has none.
func before(sep string) func(string) string {
	return func(name string) string {
		family, _, _ := strings.Cut(name, sep)
		return family
	}
}

// awsName reports whether name has the form family.size.
func awsName(name string) bool {
	family, size, ok := strings.Cut(name, ".")
	return ok && family != "" && size != "" && !strings.Contains(size, ".")
}

// dashedName reports whether name is two or more parts of lower-case
// letters and digits joined by single dashes, starting with a letter, as
// GCP spells machine and accelerator types.
func dashedName(name string) bool {
	parts := strings.Split(name, "-")
	if len(parts) < 2 || parts[0] == "" || parts[0][0] < 'a' || parts[0][0] > 'z' {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, r := range p {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}

// azurePrefix starts every Azure size name that the catalog knows.
const azurePrefix = "Standard_"

// azureName reports whether name has the form of an Azure VM size name,
// following Azure's naming convention for sizes: "Standard_", the series
// letters in upper case, the vCPU count (with "-" and a constrained count
// for constrained-core sizes), the feature letters in lower case, and
// then any number of parts of letters and digits, each after a "_": the
// accelerator, the version and the like. Standard_NC8as_T4_v3,
// Standard_ND96asr_v4, Standard_E4-2ds_v5 and Standard_A1 have the form.
func azureName(name string) bool {
	rest, ok := strings.CutPrefix(name, azurePrefix)
	if !ok {
		return false
	}
	series := leading(rest, func(b byte) bool { return 'A' <= b && b <= 'Z' })
	rest = rest[len(series):]
	count := leading(rest, isDigit)
	rest = rest[len(count):]
	if series == "" || count == "" {
		return false
	}
	if r, ok := strings.CutPrefix(rest, "-"); ok {
		constrained := leading(r, isDigit)
		if constrained == "" {
			return false
		}
		rest = r[len(constrained):]
	}
	features := leading(rest, func(b byte) bool { return 'a' <= b && b <= 'z' })
	rest = rest[len(features):]
	if rest == "" {
		return true
	}
	parts := strings.Split(rest, "_")
	if parts[0] != "" { // rest must start with "_"
		return false
	}
	for _, p := range parts[1:] {
		if p == "" || leading(p, isAlnum) != p {
			return false
		}
	}
	return true
}

// azureFamily returns the family of an Azure size name: the name without
// "Standard_" (in any case) and without its vCPU count, with the "_"
// before each part but the version dropped, so that the accelerator joins
// the feature letters. Standard_NC8as_T4_v3 is of family NCasT4_v3,
// Standard_ND96asr_v4 of NDasr_v4 and Standard_NV12s_v3 of NVs_v3. The
// sizes of a family differ only in their vCPU count and what scales with
// it. For a name not of the form, the result is still defined, so that
// Suggest can compare it.
func azureFamily(name string) string {
	rest := name
	if len(rest) >= len(azurePrefix) && strings.EqualFold(rest[:len(azurePrefix)], azurePrefix) {
		rest = rest[len(azurePrefix):]
	}
	series := leading(rest, isLetter)
	rest = rest[len(series):]
	rest = rest[len(leading(rest, isDigit)):]
	if r, ok := strings.CutPrefix(rest, "-"); ok && leading(r, isDigit) != "" {
		rest = r[len(leading(r, isDigit)):]
	}
	parts := strings.Split(rest, "_")
	var b strings.Builder
	b.WriteString(series)
	b.WriteString(parts[0])
	for i, p := range parts[1:] {
		if i == len(parts)-2 && isVersion(p) {
			b.WriteString("_")
		}
		b.WriteString(p)
	}
	return b.String()
}

// isVersion reports whether part is a size version: "v" and digits.
func isVersion(part string) bool {
	digits, ok := strings.CutPrefix(strings.ToLower(part), "v")
	return ok && digits != "" && leading(digits, isDigit) == digits
}

// leading returns the longest prefix of s whose bytes all satisfy is.
func leading(s string, is func(byte) bool) string {
	i := 0
	for i < len(s) && is(s[i]) {
		i++
	}
	return s[:i]
}

func isDigit(b byte) bool  { return '0' <= b && b <= '9' }
func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }
func isAlnum(b byte) bool  { return isLetter(b) || isDigit(b) }

// familyOf returns the family of a name of a cloud.
func familyOf(n naming, name string) string {
	return n.family(name)
}

// machine is a machine type with no GPUs of its own that accelerators are
// attached to, such as GCP's n1-standard-8.
type machine struct {
	Name         string `json:"name"`
	Family       string `json:"family"`
	VCPUs        int    `json:"vcpus"`
	MemoryGiB    int    `json:"memory_gib"`
	Architecture string `json:"architecture"`
}

// accelerator is a GPU type that is attached to the machines of one family.
type accelerator struct {
	Name         string       `json:"name"`           // "nvidia-tesla-t4"
	GPUModel     string       `json:"gpu_model"`      // "NVIDIA T4"
	GPUMemoryGiB int          `json:"gpu_memory_gib"` // per GPU
	Family       string       `json:"family"`         // the machine family it attaches to: "n1"
	Counts       []attachment `json:"counts"`         // ascending by count
}

// attachment is one number of GPUs of an accelerator type that a machine
// may have, and the largest machine that number allows.
type attachment struct {
	Count        int `json:"count"`
	MaxVCPUs     int `json:"max_vcpus"`
	MaxMemoryGiB int `json:"max_memory_gib"`
}

// allows reports whether a machine is small enough for the attachment.
func (at attachment) allows(m machine) bool {
	return m.VCPUs <= at.MaxVCPUs && m.MemoryGiB <= at.MaxMemoryGiB
}

// file is the content of one cloud's data file, a JSON object. Instances
// is required. Machines and accelerators are only for clouds that attach
// GPUs to machines, and may be left out.
type file struct {
	Instances    []GPUInstance `json:"instances"`
	Machines     []machine     `json:"machines"`
	Accelerators []accelerator `json:"accelerators"`
}

// data is the parsed catalog, built once on first use.
var data = sync.OnceValue(func() *catalog {
	c, err := parse(sources)
	if err != nil {
		panic("catalog: the embedded GPU instance data is invalid: " + err.Error())
	}
	return c
})

// catalog is the parsed, validated and sorted data of every cloud. Maps
// keyed by name use cloud + "\x00" + name.
type catalog struct {
	clouds       []string                 // sorted
	instances    map[string][]GPUInstance // by cloud, in Instances order
	byName       map[string]GPUInstance   // by name
	families     map[string][]string      // by cloud: the families of instances, sorted
	machines     map[string][]machine     // by cloud, sorted by name
	machineBy    map[string]machine       // by name
	accelerators map[string]accelerator   // by name
	accelNames   map[string][]string      // by cloud, sorted
}

// Lookup finds a machine type of a cloud such as "aws" or "gcp" that has
// its GPUs built in. Both cloud and name must match exactly, including
// case. The second result reports whether the type is known;
// Lookup("aws", "m5.large") is not found, because m5 has no GPUs, and
// neither is Lookup("gcp", "n1-standard-8"), whose GPUs are attached: see
// Attach.
func Lookup(cloud, name string) (GPUInstance, bool) {
	inst, ok := data().byName[cloud+"\x00"+name]
	return inst, ok
}

// Instances returns all machine types of a cloud that have their GPUs
// built in, sorted by family, then GPU count, then vCPUs, then name. It
// returns nil for an unknown cloud. The caller owns the returned slice.
func Instances(cloud string) []GPUInstance {
	return slices.Clone(data().instances[cloud])
}

// Families returns the distinct families of Instances(cloud), sorted. It
// returns nil for an unknown cloud. The caller owns the returned slice.
func Families(cloud string) []string {
	return slices.Clone(data().families[cloud])
}

// NeedsAccelerator reports whether machineType is a known machine type of
// cloud that has no GPUs of its own but takes attached ones, such as
// "n1-standard-8" of "gcp": a node pool of it must name an accelerator
// type and a count, which Attach checks. Names match exactly.
func NeedsAccelerator(cloud, machineType string) bool {
	_, ok := data().machineBy[cloud+"\x00"+machineType]
	return ok
}

// Accelerators returns the accelerator types that can be attached to the
// machine types of a cloud, sorted: for "gcp", "nvidia-tesla-p100",
// "nvidia-tesla-t4" and "nvidia-tesla-v100". It returns nil for a cloud
// that attaches none, or an unknown cloud. The caller owns the returned
// slice.
func Accelerators(cloud string) []string {
	return slices.Clone(data().accelNames[cloud])
}

// Attach returns the node shape of a machine type of cloud with count GPUs
// of the named accelerator type. Names must match exactly, including case.
//
// For a machine type that takes attached GPUs (see NeedsAccelerator),
// acceleratorType must be one of Accelerators(cloud), count one of the
// numbers that accelerator is attached in, and the machine no larger in
// vCPUs and memory than that number allows. The result has the machine's
// name, family, vCPUs, memory and architecture, and the accelerator's name,
// GPU model and GPU memory, with GPUCount count.
//
// For a machine type with its GPUs built in (see Lookup), acceleratorType
// must be empty or the machine's own accelerator type, and count 0 or the
// machine's GPU count; the result is what Lookup returns.
//
// Any other machine type, or arguments that do not fit, give an error that
// says what is wrong and what would be right.
func Attach(cloud, machineType, acceleratorType string, count int) (GPUInstance, error) {
	return data().attach(cloud, machineType, acceleratorType, count)
}

func (c *catalog) attach(cloud, machineType, acceleratorType string, count int) (GPUInstance, error) {
	n, ok := namings[cloud]
	if !ok || !slices.Contains(c.clouds, cloud) {
		return GPUInstance{}, fmt.Errorf("%q is not a cloud the GPU catalog knows; known: %s", cloud, strings.Join(c.clouds, ", "))
	}
	if inst, ok := c.byName[cloud+"\x00"+machineType]; ok {
		return c.attachBuiltIn(inst, acceleratorType, count)
	}
	if m, ok := c.machineBy[cloud+"\x00"+machineType]; ok {
		return c.attachTo(cloud, m, acceleratorType, count)
	}
	if machineType == "" {
		return GPUInstance{}, errors.New("the machine type is empty")
	}
	var msg string
	family := familyOf(n, machineType)
	switch {
	case !n.valid(machineType):
		msg = fmt.Sprintf("%q is not a machine type name: %s names have the form %s", machineType, cloud, n.form)
	case c.knownFamily(cloud, family):
		msg = fmt.Sprintf("%q is not a machine type of family %s that the GPU catalog knows for %s", machineType, family, cloud)
	case len(c.accelNames[cloud]) > 0:
		fams := c.attachFamilies(cloud)
		msg = fmt.Sprintf("%q is not a GPU machine type of %s: family %s has no GPUs built in, and GPUs attach only to %s machines",
			machineType, cloud, family, orList(fams))
		shape := strings.TrimPrefix(machineType, family) // "-standard-8"
		var like []string
		for _, f := range fams {
			if _, ok := c.machineBy[cloud+"\x00"+f+shape]; ok {
				like = append(like, f+shape)
			}
		}
		if len(like) > 0 {
			msg += " such as " + orList(like)
		}
	default:
		msg = fmt.Sprintf("%q is not a GPU machine type of %s: family %s %s", machineType, cloud, family, n.unknown)
	}
	if s := c.suggest(cloud, machineType); len(s) > 0 {
		msg += "; did you mean " + orList(s) + "?"
	}
	return GPUInstance{}, errors.New(msg)
}

// attachBuiltIn checks an accelerator type and count named for a machine
// type with its GPUs built in.
func (c *catalog) attachBuiltIn(inst GPUInstance, acceleratorType string, count int) (GPUInstance, error) {
	if acceleratorType != "" && acceleratorType != inst.Accelerator {
		hint := "leave the accelerator type empty"
		if inst.Accelerator != "" {
			hint += " or name " + inst.Accelerator
		}
		return GPUInstance{}, fmt.Errorf("%s already has %s, so no %q can be attached to it; %s",
			inst.Name, builtIn(inst), acceleratorType, hint)
	}
	if count != 0 && count != inst.GPUCount {
		var same []string
		for _, other := range c.instances[inst.Cloud] {
			if other.GPUCount == count && other.GPUModel == inst.GPUModel &&
				other.GPUMemoryGiB == inst.GPUMemoryGiB && other.Accelerator == inst.Accelerator {
				same = append(same, other.Name)
			}
		}
		hint := ""
		if len(same) > 0 {
			hint = fmt.Sprintf(", or use a machine type with %d of them: %s", count, orList(same))
		}
		return GPUInstance{}, fmt.Errorf("%s has %s, not %d; leave the count 0 or set it to %d%s",
			inst.Name, builtIn(inst), count, inst.GPUCount, hint)
	}
	return inst, nil
}

// builtIn describes the GPUs built into a machine type: "1 NVIDIA A100
// 40 GiB GPU (nvidia-tesla-a100) built in".
func builtIn(inst GPUInstance) string {
	s := fmt.Sprintf("%d %s %d GiB GPU", inst.GPUCount, inst.GPUModel, inst.GPUMemoryGiB)
	if inst.GPUCount != 1 {
		s += "s"
	}
	if inst.Accelerator != "" {
		s += " (" + inst.Accelerator + ")"
	}
	return s + " built in"
}

// attachTo checks an accelerator type and count for a machine type that
// takes attached GPUs, and composes the node shape.
func (c *catalog) attachTo(cloud string, m machine, acceleratorType string, count int) (GPUInstance, error) {
	var fitting []string
	for _, name := range c.accelNames[cloud] {
		if c.accelerators[cloud+"\x00"+name].Family == m.Family {
			fitting = append(fitting, name)
		}
	}
	known := orList(fitting)
	if acceleratorType == "" {
		return GPUInstance{}, fmt.Errorf("%s has no GPUs of its own; attach %s with a count", m.Name, known)
	}
	a, ok := c.accelerators[cloud+"\x00"+acceleratorType]
	if !ok {
		for _, inst := range c.instances[cloud] {
			if inst.Accelerator == acceleratorType {
				return GPUInstance{}, fmt.Errorf("%s GPUs come only built into machine types such as %s and cannot be attached to %s; attach %s",
					acceleratorType, inst.Name, m.Name, known)
			}
		}
		return GPUInstance{}, fmt.Errorf("%q is not an accelerator type that %s attaches; attach %s", acceleratorType, cloud, known)
	}
	if a.Family != m.Family {
		return GPUInstance{}, fmt.Errorf("%s attaches only to %s machines, not to %s of family %s; attach %s", a.Name, a.Family, m.Name, m.Family, known)
	}
	i := slices.IndexFunc(a.Counts, func(at attachment) bool { return at.Count == count })
	if i < 0 {
		counts := make([]string, len(a.Counts))
		for j, at := range a.Counts {
			counts[j] = strconv.Itoa(at.Count)
		}
		return GPUInstance{}, fmt.Errorf("%s is attached %s at a time, not %d", a.Name, orList(counts), count)
	}
	at := a.Counts[i]
	if !at.allows(m) {
		fix := fmt.Sprintf("no number of %s allows %s, so use", a.Name, m.Name)
		if j := slices.IndexFunc(a.Counts, func(at attachment) bool { return at.allows(m) }); j >= 0 {
			fix = fmt.Sprintf("attach %d %s, the fewest that allow %s, or use", a.Counts[j].Count, a.Name, m.Name)
		}
		return GPUInstance{}, fmt.Errorf("%s has %d vCPUs and %d GiB of memory, but with %d %s a machine of family %s may have at most %d vCPUs and %d GiB; %s a machine type within those limits",
			m.Name, m.VCPUs, m.MemoryGiB, count, a.Name, m.Family, at.MaxVCPUs, at.MaxMemoryGiB, fix)
	}
	return GPUInstance{
		Cloud:        cloud,
		Name:         m.Name,
		Family:       m.Family,
		GPUModel:     a.GPUModel,
		Accelerator:  a.Name,
		GPUCount:     count,
		GPUMemoryGiB: a.GPUMemoryGiB,
		VCPUs:        m.VCPUs,
		MemoryGiB:    m.MemoryGiB,
		Architecture: m.Architecture,
	}, nil
}

// knownFamily reports whether family is the family of a known machine type
// of cloud, with GPUs built in or attached.
func (c *catalog) knownFamily(cloud, family string) bool {
	return slices.Contains(c.families[cloud], family) || slices.Contains(c.attachFamilies(cloud), family)
}

// attachFamilies returns the families of the machine types of cloud that
// take attached GPUs, sorted.
func (c *catalog) attachFamilies(cloud string) []string {
	var fams []string
	for _, m := range c.machines[cloud] {
		fams = append(fams, m.Family)
	}
	slices.Sort(fams)
	return slices.Compact(fams)
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// maxSuggestions is the most names Suggest returns.
const maxSuggestions = 3

// Suggest returns up to 3 known machine type names of cloud closest to
// name, for "did you mean" messages. The names are those of Instances and
// those that take attached GPUs (NeedsAccelerator reports which).
// Closeness is the Levenshtein edit distance between the lower-cased
// names, counted in runes; ties are broken by name.
//
// Only plausible suggestions are made: a known name qualifies when its
// distance is at most half the length of the longer of the two names, or
// when it is in the family of name as the cloud finds families, ignoring
// case: the part before the first "." on aws or "-" on gcp (so "g5"
// suggests g5 sizes, and "n1" N1 machines), and on azure the name without
// "Standard_" and its vCPU count (so "nc8as_t4_v3" and
// "Standard_NC12as_T4_v3" suggest NCasT4_v3 sizes). Suggest returns nil
// for an unknown cloud or when nothing qualifies. An exact match is its
// own closest suggestion.
func Suggest(cloud, name string) []string {
	return data().suggest(cloud, name)
}

func (c *catalog) suggest(cloud, name string) []string {
	n, ok := namings[cloud]
	if !ok {
		return nil
	}
	type candidate struct {
		name string
		dist int
	}
	want := strings.ToLower(name)
	family := familyOf(n, want)
	var cands []candidate
	consider := func(known, knownFamily string) {
		lower := strings.ToLower(known)
		d := levenshtein(want, lower)
		limit := max(utf8.RuneCountInString(want), utf8.RuneCountInString(lower)) / 2
		if d <= limit || strings.ToLower(knownFamily) == family {
			cands = append(cands, candidate{known, d})
		}
	}
	for _, inst := range c.instances[cloud] {
		consider(inst.Name, inst.Family)
	}
	for _, m := range c.machines[cloud] {
		consider(m.Name, m.Family)
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

// parse decodes, validates and indexes the data of every cloud, in cloud
// order, so that the first error is always the same one.
func parse(sources map[string][]byte) (*catalog, error) {
	c := &catalog{
		instances:    make(map[string][]GPUInstance),
		byName:       make(map[string]GPUInstance),
		families:     make(map[string][]string),
		machines:     make(map[string][]machine),
		machineBy:    make(map[string]machine),
		accelerators: make(map[string]accelerator),
		accelNames:   make(map[string][]string),
	}
	for _, cloud := range slices.Sorted(maps.Keys(sources)) {
		if err := c.add(cloud, sources[cloud]); err != nil {
			return nil, err
		}
		c.clouds = append(c.clouds, cloud)
	}
	return c, nil
}

// add decodes, validates and indexes the data of one cloud.
func (c *catalog) add(cloud string, raw []byte) error {
	n, ok := namings[cloud]
	if !ok {
		return fmt.Errorf("%s data: the catalog does not know how %s names machine types", cloud, cloud)
	}
	f, err := decode(raw)
	if err != nil {
		return fmt.Errorf("%s data: %w", cloud, err)
	}
	if len(f.Instances) == 0 {
		return fmt.Errorf("%s data: no instances", cloud)
	}
	if !n.accelerators && (len(f.Machines) > 0 || len(f.Accelerators) > 0) {
		return fmt.Errorf("%s data: %s names no accelerator types, so it has no machines or accelerators", cloud, cloud)
	}

	// Instances, with their GPUs built in.
	builtInAccel := map[string]GPUInstance{} // the first instance of each accelerator type
	for i, inst := range f.Instances {
		if err := validate(inst, cloud); err != nil {
			return fmt.Errorf("%s data, entry %d: %w", cloud, i, err)
		}
		key := cloud + "\x00" + inst.Name
		if _, dup := c.byName[key]; dup {
			return fmt.Errorf("%s data, entry %d: duplicate instance type %q", cloud, i, inst.Name)
		}
		c.byName[key] = inst
		if inst.Accelerator == "" {
			continue
		}
		if first, seen := builtInAccel[inst.Accelerator]; !seen {
			builtInAccel[inst.Accelerator] = inst
		} else if first.GPUModel != inst.GPUModel || first.GPUMemoryGiB != inst.GPUMemoryGiB {
			return fmt.Errorf("%s data, entry %d: %s: accelerator %s is %s %d GiB here but %s %d GiB in %s",
				cloud, i, inst.Name, inst.Accelerator, inst.GPUModel, inst.GPUMemoryGiB, first.GPUModel, first.GPUMemoryGiB, first.Name)
		}
	}
	slices.SortFunc(f.Instances, compareInstances)
	c.instances[cloud] = f.Instances
	var fams []string
	for _, inst := range f.Instances {
		fams = append(fams, inst.Family)
	}
	slices.Sort(fams)
	c.families[cloud] = slices.Compact(fams)

	// Machines that take attached GPUs.
	for i, m := range f.Machines {
		if err := validateMachine(m, n); err != nil {
			return fmt.Errorf("%s data, machine %d: %w", cloud, i, err)
		}
		key := cloud + "\x00" + m.Name
		if _, dup := c.machineBy[key]; dup {
			return fmt.Errorf("%s data, machine %d: duplicate machine type %q", cloud, i, m.Name)
		}
		if slices.Contains(c.families[cloud], m.Family) {
			return fmt.Errorf("%s data, machine %d: %s: family %s has GPUs built in", cloud, i, m.Name, m.Family)
		}
		c.machineBy[key] = m
	}
	slices.SortFunc(f.Machines, func(a, b machine) int { return strings.Compare(a.Name, b.Name) })
	c.machines[cloud] = f.Machines

	// Accelerators to attach to them.
	attachable := map[string]bool{} // families with an accelerator
	for i, a := range f.Accelerators {
		if err := c.validateAccelerator(a, cloud); err != nil {
			return fmt.Errorf("%s data, accelerator %d: %w", cloud, i, err)
		}
		key := cloud + "\x00" + a.Name
		if _, dup := c.accelerators[key]; dup {
			return fmt.Errorf("%s data, accelerator %d: duplicate accelerator type %q", cloud, i, a.Name)
		}
		if inst, ok := builtInAccel[a.Name]; ok {
			return fmt.Errorf("%s data, accelerator %d: %s is built into %s and cannot also be attached", cloud, i, a.Name, inst.Name)
		}
		c.accelerators[key] = a
		c.accelNames[cloud] = append(c.accelNames[cloud], a.Name)
		attachable[a.Family] = true
	}
	slices.Sort(c.accelNames[cloud])
	for _, m := range f.Machines {
		if !attachable[m.Family] {
			return fmt.Errorf("%s data: %s: no accelerator attaches to family %s", cloud, m.Name, m.Family)
		}
	}
	return nil
}

// decode strictly decodes one data file: unknown fields and trailing data
// are errors, so typos in the data cannot go unnoticed.
func decode(raw []byte) (file, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return file{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return file{}, errors.New("unexpected data after the JSON object")
	}
	return f, nil
}

// validate checks one instance of the given cloud's data.
func validate(inst GPUInstance, cloud string) error {
	n := namings[cloud]
	switch {
	case inst.Name == "":
		return errors.New("empty name")
	case inst.Cloud != cloud:
		return fmt.Errorf("%s: cloud is %q, want %q", inst.Name, inst.Cloud, cloud)
	case inst.Family == "":
		return fmt.Errorf("%s: empty family", inst.Name)
	case inst.GPUModel == "":
		return fmt.Errorf("%s: empty gpu_model", inst.Name)
	case n.accelerators && !dashedName(inst.Accelerator):
		return fmt.Errorf("%s: accelerator is %q, want the accelerator type name of its GPU", inst.Name, inst.Accelerator)
	case !n.accelerators && inst.Accelerator != "":
		return fmt.Errorf("%s: accelerator is %q, but %s names no accelerator types", inst.Name, inst.Accelerator, cloud)
	case inst.GPUCount < 1:
		return fmt.Errorf("%s: gpu_count is %d, want at least 1", inst.Name, inst.GPUCount)
	case inst.GPUMemoryGiB < 1:
		return fmt.Errorf("%s: gpu_memory_gib is %d, want at least 1", inst.Name, inst.GPUMemoryGiB)
	}
	return validateShape(inst.Name, inst.Family, inst.VCPUs, inst.MemoryGiB, inst.Architecture, n)
}

// validateMachine checks one machine that takes attached GPUs.
func validateMachine(m machine, n naming) error {
	if m.Name == "" {
		return errors.New("empty name")
	}
	if m.Family == "" {
		return fmt.Errorf("%s: empty family", m.Name)
	}
	return validateShape(m.Name, m.Family, m.VCPUs, m.MemoryGiB, m.Architecture, n)
}

// validateShape checks the parts that instances and machines share.
func validateShape(name, family string, vcpus, memoryGiB int, arch string, n naming) error {
	switch {
	case vcpus < 1:
		return fmt.Errorf("%s: vcpus is %d, want at least 1", name, vcpus)
	case memoryGiB < 1:
		return fmt.Errorf("%s: memory_gib is %d, want at least 1", name, memoryGiB)
	case arch != "x86_64" && arch != "arm64":
		return fmt.Errorf("%s: architecture is %q, want \"x86_64\" or \"arm64\"", name, arch)
	case !n.valid(name):
		return fmt.Errorf("%s: name is not of the form %s", name, n.form)
	case familyOf(n, name) != family:
		return fmt.Errorf("%s: family is %q, want %q (%s)", name, family, familyOf(n, name), n.familyRule)
	}
	return nil
}

// validateAccelerator checks one accelerator of a cloud, once the cloud's
// machines are known.
func (c *catalog) validateAccelerator(a accelerator, cloud string) error {
	var fits []machine
	for _, m := range c.machines[cloud] {
		if m.Family == a.Family {
			fits = append(fits, m)
		}
	}
	switch {
	case !dashedName(a.Name):
		return fmt.Errorf("name %q is not of the form vendor-model, in lower-case letters and digits", a.Name)
	case a.GPUModel == "":
		return fmt.Errorf("%s: empty gpu_model", a.Name)
	case a.GPUMemoryGiB < 1:
		return fmt.Errorf("%s: gpu_memory_gib is %d, want at least 1", a.Name, a.GPUMemoryGiB)
	case len(fits) == 0:
		return fmt.Errorf("%s: family is %q, which has no machines", a.Name, a.Family)
	case len(a.Counts) == 0:
		return fmt.Errorf("%s: no counts", a.Name)
	}
	for i, at := range a.Counts {
		switch {
		case at.Count < 1:
			return fmt.Errorf("%s: count is %d, want at least 1", a.Name, at.Count)
		case i > 0 && at.Count <= a.Counts[i-1].Count:
			return fmt.Errorf("%s: count %d follows %d; counts must ascend", a.Name, at.Count, a.Counts[i-1].Count)
		case i > 0 && (at.MaxVCPUs < a.Counts[i-1].MaxVCPUs || at.MaxMemoryGiB < a.Counts[i-1].MaxMemoryGiB):
			return fmt.Errorf("%s: count %d allows less than count %d", a.Name, at.Count, a.Counts[i-1].Count)
		case !slices.ContainsFunc(fits, at.allows):
			return fmt.Errorf("%s: count %d allows no %s machine (max_vcpus %d, max_memory_gib %d)",
				a.Name, at.Count, a.Family, at.MaxVCPUs, at.MaxMemoryGiB)
		}
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

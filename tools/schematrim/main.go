// Command schematrim cuts the schema JSON of a provider (the output of
// `terraform providers schema -json`, optionally gzipped) down to what a
// set of Terraform configurations use, so that a repository can carry a
// small, exact copy of a large provider's schema:
//
//	go run ./tools/schematrim -in ../shared/schemas/aws-6.47.1.json.gz \
//	    -out internal/schemaprovider/testdata/aws-6.47.1.json.gz \
//	    -provider hashicorp/aws -dir modules/aws-ml-environment \
//	    -keep aws_vpc -keep data.aws_region
//
// The output holds the provider named by -provider only, with:
//   - its provider configuration schema and its functions, in full;
//   - the managed resource types named by `resource "TYPE"` blocks, the data
//     sources named by `data "TYPE"` blocks (also inside `check` blocks) and
//     the ephemeral resources named by `ephemeral "TYPE"` blocks in the *.tf
//     and *.tf.json files of every -dir (not recursive, like a Terraform
//     module), when the provider has them;
//   - the types named by -keep: TYPE for a managed resource, data.TYPE for a
//     data source, ephemeral.TYPE for an ephemeral resource; -keep-file names
//     a file of such names, one a line, where blank lines and lines starting
//     with # are ignored;
//   - the resource identity schemas of the kept managed resources.
//
// List resources and actions are dropped. Every other part of the kept
// schemas is copied byte for byte from the input.
//
// The output is deterministic: object keys are sorted, and the gzip header
// has no name and a zero modification time. It is gzipped when -out ends
// in ".gz".
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	tfaddr "github.com/hashicorp/terraform-registry-address"

	"github.com/segmentedml/terraform-provider-segmented/internal/schemaprovider"
)

// listFlag is a repeatable string flag.
type listFlag []string

// String implements flag.Value.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func main() {
	var (
		in, out, provider, keepFile string
		dirs, keeps                 listFlag
	)
	flag.StringVar(&in, "in", "", "schema JSON of `terraform providers schema -json`, optionally gzipped")
	flag.StringVar(&out, "out", "", "output file; gzipped when it ends in .gz")
	flag.StringVar(&provider, "provider", "", "provider source address, such as hashicorp/aws")
	flag.Var(&dirs, "dir", "directory of *.tf files whose resource and data blocks to keep (repeatable)")
	flag.Var(&keeps, "keep", "TYPE, data.TYPE or ephemeral.TYPE to keep as well (repeatable)")
	flag.StringVar(&keepFile, "keep-file", "", "file of -keep names, one a line")
	flag.Parse()
	if flag.NArg() > 0 {
		fail(fmt.Errorf("unexpected arguments %q", flag.Args()))
	}
	if keepFile != "" {
		more, err := readKeepFile(keepFile)
		if err != nil {
			fail(err)
		}
		keeps = append(keeps, more...)
	}
	if err := run(in, out, provider, dirs, keeps); err != nil {
		fail(err)
	}
}

// fail reports err and exits with the status of bad input.
func fail(err error) {
	fmt.Fprintln(os.Stderr, "schematrim:", err)
	os.Exit(2)
}

// kind is a kind of schema that a configuration names by type.
type kind struct {
	block string // configuration block type, and prefix in -keep
	key   string // key of the provider schema JSON object
}

var (
	managed   = kind{block: "resource", key: "resource_schemas"}
	data      = kind{block: "data", key: "data_source_schemas"}
	ephemeral = kind{block: "ephemeral", key: "ephemeral_resource_schemas"}
)

// wanted is the set of type names to keep, per kind.
type wanted map[kind]map[string]bool

// add records a type name of a kind.
func (w wanted) add(k kind, name string) {
	if w[k] == nil {
		w[k] = make(map[string]bool)
	}
	w[k][name] = true
}

// run writes the trimmed schema to out.
func run(in, out, provider string, dirs, keeps []string) error {
	if in == "" || out == "" || provider == "" {
		return errors.New("-in, -out and -provider are required")
	}
	b, err := build(in, provider, dirs, keeps, strings.HasSuffix(out, ".gz"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d bytes\n", out, len(b))
	return nil
}

// build returns the trimmed schema of provider from the schema file in,
// keeping the types that the configurations in dirs use and the types named
// by keeps, gzipped if gz is set.
func build(in, provider string, dirs, keeps []string, gz bool) ([]byte, error) {
	addr, err := tfaddr.ParseProviderSource(provider)
	if err != nil {
		return nil, fmt.Errorf("-provider %q: %w", provider, err)
	}

	fromConfig := wanted{}
	for _, dir := range dirs {
		if err := scanDir(dir, fromConfig); err != nil {
			return nil, err
		}
	}
	explicit := wanted{}
	for _, k := range keeps {
		switch {
		case strings.HasPrefix(k, data.block+"."):
			explicit.add(data, strings.TrimPrefix(k, data.block+"."))
		case strings.HasPrefix(k, ephemeral.block+"."):
			explicit.add(ephemeral, strings.TrimPrefix(k, ephemeral.block+"."))
		default:
			explicit.add(managed, k)
		}
	}

	raw, err := readAll(in)
	if err != nil {
		return nil, err
	}
	trimmed, err := trim(raw, addr, fromConfig, explicit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}

	// The result must load like the original does.
	schemas, err := schemaprovider.Load(bytes.NewReader(trimmed))
	if err != nil {
		return nil, fmt.Errorf("trimmed schema does not load: %w", err)
	}
	if _, err := schemaprovider.Lookup(schemas, provider); err != nil {
		return nil, fmt.Errorf("trimmed schema: %w", err)
	}
	if gz {
		return gzipBytes(trimmed)
	}
	return trimmed, nil
}

// readKeepFile reads -keep names from a file, one a line, ignoring blank
// lines and lines starting with #.
func readKeepFile(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names = append(names, line)
	}
	return names, nil
}

// readAll reads a schema file, decompressing it if it is gzipped.
func readAll(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := schemaprovider.Decompress(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// configSchema is the part of the Terraform language that names resource
// types.
var configSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: managed.block, LabelNames: []string{"type", "name"}},
	{Type: data.block, LabelNames: []string{"type", "name"}},
	{Type: ephemeral.block, LabelNames: []string{"type", "name"}},
	{Type: "check", LabelNames: []string{"name"}},
}}

// checkSchema is the part of a check block that names data source types.
var checkSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: data.block, LabelNames: []string{"type", "name"}},
}}

// scanDir records the types named by the configuration files of dir.
func scanDir(dir string, w wanted) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	parser := hclparse.NewParser()
	files := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		var (
			file  *hcl.File
			diags hcl.Diagnostics
		)
		switch {
		case strings.HasSuffix(name, ".tf"):
			file, diags = parser.ParseHCLFile(path)
		case strings.HasSuffix(name, ".tf.json"):
			file, diags = parser.ParseJSONFile(path)
		default:
			continue
		}
		if diags.HasErrors() {
			return diags
		}
		files++
		content, _, diags := file.Body.PartialContent(configSchema)
		if diags.HasErrors() {
			return diags
		}
		for _, b := range content.Blocks {
			switch b.Type {
			case managed.block:
				w.add(managed, b.Labels[0])
			case data.block:
				w.add(data, b.Labels[0])
			case ephemeral.block:
				w.add(ephemeral, b.Labels[0])
			case "check":
				inner, _, diags := b.Body.PartialContent(checkSchema)
				if diags.HasErrors() {
					return diags
				}
				for _, ib := range inner.Blocks {
					w.add(data, ib.Labels[0])
				}
			}
		}
	}
	if files == 0 {
		return fmt.Errorf("-dir %s: no *.tf or *.tf.json files", dir)
	}
	return nil
}

// trim returns the schema JSON of the provider addr from raw, keeping the
// types of fromConfig that the provider has (others belong to other
// providers) and every type of explicit, which must exist.
func trim(raw []byte, addr tfaddr.Provider, fromConfig, explicit wanted) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var providers map[string]map[string]json.RawMessage
	if err := json.Unmarshal(doc["provider_schemas"], &providers); err != nil {
		return nil, fmt.Errorf("provider_schemas: %w", err)
	}
	key, err := schemaprovider.ProviderKey(providers, addr.String())
	if err != nil {
		return nil, err
	}
	src := providers[key]

	dst := map[string]any{}
	for _, part := range []string{"provider", "functions"} {
		if v, ok := src[part]; ok {
			dst[part] = v
		}
	}
	prefix := addr.Type + "_"
	var missing []string
	kept := map[kind]map[string]json.RawMessage{}
	for _, k := range []kind{managed, data, ephemeral} {
		var all map[string]json.RawMessage
		if v, ok := src[k.key]; ok {
			if err := json.Unmarshal(v, &all); err != nil {
				return nil, fmt.Errorf("%s: %w", k.key, err)
			}
		}
		out := map[string]json.RawMessage{}
		for name := range fromConfig[k] {
			if s, ok := all[name]; ok {
				out[name] = s
			} else if strings.HasPrefix(name, prefix) {
				fmt.Fprintf(os.Stderr, "schematrim: warning: %s %q is not in the schema of %s\n", k.block, name, addr)
			}
		}
		for name := range explicit[k] {
			s, ok := all[name]
			if !ok {
				missing = append(missing, k.block+" "+name)
				continue
			}
			out[name] = s
		}
		kept[k] = out
		if len(out) > 0 {
			dst[k.key] = out
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("-keep names types that %s does not have: %s", addr, strings.Join(missing, ", "))
	}

	if v, ok := src["resource_identity_schemas"]; ok {
		var all map[string]json.RawMessage
		if err := json.Unmarshal(v, &all); err != nil {
			return nil, fmt.Errorf("resource_identity_schemas: %w", err)
		}
		ids := map[string]json.RawMessage{}
		for name := range kept[managed] {
			if s, ok := all[name]; ok {
				ids[name] = s
			}
		}
		if len(ids) > 0 {
			dst["resource_identity_schemas"] = ids
		}
	}

	result := map[string]any{
		"format_version":   doc["format_version"],
		"provider_schemas": map[string]any{key: dst},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(result); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gzipBytes compresses b with a header that has no name and a zero
// modification time, so equal input gives equal output.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

package schemaprovider

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	tfjson "github.com/hashicorp/terraform-json"
	tfaddr "github.com/hashicorp/terraform-registry-address"
)

// gzipMagic is the two-byte header that starts every gzip stream (RFC 1952).
var gzipMagic = []byte{0x1f, 0x8b}

// Load reads the output of `terraform providers schema -json` from r. The
// input may be gzip-compressed; Load recognises the gzip magic number and
// decompresses transparently. The format version is checked by tfjson.
func Load(r io.Reader) (*tfjson.ProviderSchemas, error) {
	rd, err := Decompress(r)
	if err != nil {
		return nil, err
	}
	var schemas tfjson.ProviderSchemas
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&schemas); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("decoding provider schemas: the input is empty")
		}
		return nil, fmt.Errorf("decoding provider schemas: %w", err)
	}
	if len(schemas.Schemas) == 0 {
		return nil, errors.New("provider schemas: the document holds no provider")
	}
	return &schemas, nil
}

// Decompress returns a reader of the content of r: r itself (buffered) when
// it is not gzip-compressed, or a gzip reader over it when it starts with
// the gzip magic number.
func Decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(len(gzipMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading provider schemas: %w", err)
	}
	if len(head) == len(gzipMagic) && head[0] == gzipMagic[0] && head[1] == gzipMagic[1] {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("reading gzipped provider schemas: %w", err)
		}
		return zr, nil
	}
	return br, nil
}

// ProviderKey returns the key of m, a map keyed by fully qualified provider
// address as in the "provider_schemas" object of the schema JSON, that
// names the provider with the given source address. The source may be in
// any form Terraform accepts in required_providers ("hashicorp/aws" or a
// full address); keys are compared as parsed provider addresses, so no host
// name needs to be spelled out by the caller.
func ProviderKey[V any](m map[string]V, source string) (string, error) {
	want, err := tfaddr.ParseProviderSource(source)
	if err != nil {
		return "", fmt.Errorf("provider source %q: %w", source, err)
	}
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		got, err := tfaddr.ParseProviderSource(key)
		if err != nil {
			continue
		}
		if got.Equals(want) {
			return key, nil
		}
	}
	return "", fmt.Errorf("provider %s not found; the schema holds %v", want, keys)
}

// Lookup returns the schema of the provider with the given source address,
// such as "hashicorp/aws", from schemas.
func Lookup(schemas *tfjson.ProviderSchemas, source string) (*tfjson.ProviderSchema, error) {
	if schemas == nil {
		return nil, errors.New("provider schemas are nil")
	}
	key, err := ProviderKey(schemas.Schemas, source)
	if err != nil {
		return nil, err
	}
	schema := schemas.Schemas[key]
	if schema == nil {
		return nil, fmt.Errorf("provider %s has an empty schema", key)
	}
	return schema, nil
}

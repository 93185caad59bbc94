// Command schemaprovider is a schema-only Terraform provider: it serves the
// schema of a real provider, read from `terraform providers schema -json`
// output, so that `terraform validate` checks configurations against that
// exact schema without the real provider binary (hashicorp/aws is a 1.3 GB,
// 40-minute build).
//
// Terraform starts it with no arguments. The environment tells it what to
// serve:
//
//   - SEGMENTED_SCHEMA_FILE (required): the schema JSON file, optionally
//     gzipped, such as internal/schemaprovider/testdata/aws-6.47.1.json.gz.
//   - SEGMENTED_SCHEMA_PROVIDER (optional, default hashicorp/aws): the
//     source address of the provider, in the file, to serve.
//   - SEGMENTED_SCHEMA_PLAN (optional): set to 1 for the plan mode, a
//     fixture tool that plans, applies and reads without infrastructure
//     (schemaprovider.Options.Plan); scripts/audit-fixtures.sh uses it.
//
// Install it in a filesystem mirror under the name Terraform expects for the
// real provider, for example:
//
//	go build -o build/terraform-provider-aws ./tools/schemaprovider
//	go run ./tools/tfmirror -mirror build/mirror -provider hashicorp/aws \
//	    -version 6.47.1 -binary build/terraform-provider-aws
//
// Otherwise planning, applying, reading and importing fail with an error
// diagnostic.
package main

import (
	"errors"
	"fmt"
	"os"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	tfaddr "github.com/hashicorp/terraform-registry-address"

	"github.com/segmentedml/terraform-provider-segmented/internal/schemaprovider"
)

const (
	// schemaFileEnv names the schema file to serve.
	schemaFileEnv = "SEGMENTED_SCHEMA_FILE"
	// providerEnv names the provider, within the file, to serve.
	providerEnv = "SEGMENTED_SCHEMA_PROVIDER"
	// defaultProvider is served when providerEnv is unset.
	defaultProvider = "hashicorp/aws"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "schemaprovider:", err)
		os.Exit(1)
	}
}

func run() error {
	source := os.Getenv(providerEnv)
	if source == "" {
		source = defaultProvider
	}
	addr, err := tfaddr.ParseProviderSource(source)
	if err != nil {
		return fmt.Errorf("%s=%q: %w", providerEnv, source, err)
	}
	schema, err := loadSchema(addr.String())
	if err != nil {
		return err
	}
	server := schemaprovider.NewWithOptions(schema, schemaprovider.Options{Plan: os.Getenv(schemaprovider.PlanEnv) == "1"})
	return tf6server.Serve(addr.String(), func() tfprotov6.ProviderServer { return server })
}

// loadSchema reads the schema of the provider source from the file named by
// schemaFileEnv.
func loadSchema(source string) (*tfjson.ProviderSchema, error) {
	path := os.Getenv(schemaFileEnv)
	if path == "" {
		return nil, errors.New(schemaFileEnv + " is not set: set it to the path of a " +
			"`terraform providers schema -json` file (optionally gzipped) to serve")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", schemaFileEnv, err)
	}
	defer f.Close()
	schemas, err := schemaprovider.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s=%s: %w", schemaFileEnv, path, err)
	}
	schema, err := schemaprovider.Lookup(schemas, source)
	if err != nil {
		return nil, fmt.Errorf("%s=%s: %w", schemaFileEnv, path, err)
	}
	return schema, nil
}

//go:generate go run . generate module --cloud aws --out modules/aws-ml-environment
//go:generate go run . generate module --cloud gcp --out modules/gcp-ml-environment
//go:generate go run . generate module --cloud azure --out modules/azure-ml-environment
//go:generate go run . generate module --cloud kubernetes --out modules/k8s-ml-environment
//go:generate go tool tfplugindocs generate --provider-name segmented --rendered-provider-name segmented
//go:generate go run ./internal/docgen -out docs/guides/rules.md -blueprint docs/guides/blueprint.md

// Command terraform-provider-segmented serves the segmented Terraform
// provider when Terraform starts it, and runs a subcommand when given one.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	tfaddr "github.com/hashicorp/terraform-registry-address"

	"github.com/segmentedml/terraform-provider-segmented/internal/cli"
	"github.com/segmentedml/terraform-provider-segmented/internal/provider"
)

// version is set by the release build through -ldflags "-X main.version=...".
var version = "dev"

// address is the provider's full source address: segmentedml/segmented on
// Terraform's default registry host.
var address = tfaddr.NewProvider(tfaddr.DefaultProviderRegistryHost, "segmentedml", "segmented").String()

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr, version))
	}

	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(address, provider.NewServer(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

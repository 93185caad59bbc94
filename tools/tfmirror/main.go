// Command tfmirror puts a locally built provider binary into a Terraform
// filesystem mirror (the "unpacked" layout), so that `terraform init` can
// install it without reaching a registry:
//
//	go run ./tools/tfmirror -mirror build/mirror -provider segmentedml/segmented \
//	    -version 0.1.0 -binary build/terraform-provider-segmented
//
// The binary is linked, not copied, so a 1 GB official provider costs nothing.
//
// A source without a host ("hashicorp/aws") means the CLI's default
// registry, which is registry.terraform.io for Terraform and
// registry.opentofu.org for OpenTofu; the binary is linked under both, so
// that one mirror serves both CLIs.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	tfaddr "github.com/hashicorp/terraform-registry-address"
)

func main() {
	mirror := flag.String("mirror", "", "mirror directory")
	source := flag.String("provider", "", "provider source address, such as hashicorp/aws")
	version := flag.String("version", "", "provider version, such as 6.47.1")
	binary := flag.String("binary", "", "path of the provider binary")
	flag.Parse()
	if err := run(*mirror, *source, *version, *binary); err != nil {
		fmt.Fprintln(os.Stderr, "tfmirror:", err)
		os.Exit(2)
	}
}

func run(mirror, source, version, binary string) error {
	if mirror == "" || source == "" || version == "" || binary == "" {
		return fmt.Errorf("-mirror, -provider, -version and -binary are all required")
	}
	addr, err := tfaddr.ParseProviderSource(source)
	if err != nil {
		return fmt.Errorf("-provider %q: %w", source, err)
	}
	abs, err := filepath.Abs(binary)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("-binary: %w", err)
	}
	hosts := []string{addr.Hostname.String()}
	if strings.Count(source, "/") < 2 {
		hosts = append(hosts, openTofuRegistryHost)
	}
	for _, host := range hosts {
		dir := filepath.Join(mirror, host, addr.Namespace, addr.Type, version, runtime.GOOS+"_"+runtime.GOARCH)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		link := filepath.Join(dir, fmt.Sprintf("terraform-provider-%s_v%s", addr.Type, version))
		_ = os.Remove(link)
		if err := os.Symlink(abs, link); err != nil {
			return err
		}
		fmt.Println(link)
	}
	return nil
}

// openTofuRegistryHost is OpenTofu's default registry: the host that
// OpenTofu gives a provider source without one.
const openTofuRegistryHost = "registry.opentofu.org"

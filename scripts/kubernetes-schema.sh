#!/usr/bin/env bash
# Extracts the schema of a hashicorp/kubernetes 3.2.1 provider binary
# (`terraform providers schema -json`) and trims it, with tools/schematrim and
# the types internal/schemaprovider/testdata/kubernetes-3.2.1.keep names, to
# the copy the tests keep: internal/schemaprovider/testdata/kubernetes-3.2.1.json.gz.
#
# Provenance. Unlike aws, google and azurerm, no full kubernetes schema is in
# ../shared/schemas, and the Go module proxy serves no release of
# github.com/hashicorp/terraform-provider-kubernetes after v1.13.4, so CI
# cannot build one. The committed copy was extracted on 2026-12-07 from a
# binary built by hand, outside the repository, from the code of the v3.2.1
# tag (commit 28fb611cb6be20c5059efadd6cbf16b9ad64cd6c), every dependency at
# the version its go.mod names, with Go 1.26.8:
#
#   git -C <terraform-provider-kubernetes clone> archive v3.2.1 | tar -x -C src
#   cd src && go build -trimpath -ldflags "-s -w -X 'main.Version=3.2.1'" \
#     -o terraform-provider-kubernetes_v3.2.1 .
#   scripts/kubernetes-schema.sh .../terraform-provider-kubernetes_v3.2.1
#
# (main.Version is a constant in that code, so the -X, which the upstream
# release build passes too, changes nothing; the schema does not carry it.)
# The CLI was Terraform v1.11.4. The provider declares resource identities,
# which a CLI from 1.12 on also lists (resource_identity_schemas) and
# schematrim then keeps: regenerate with a CLI older than 1.12, as the other
# trimmed schemas, which have none, were.
#
# Usage: scripts/kubernetes-schema.sh BINARY [OUT [TERRAFORM]]
#   OUT defaults to internal/schemaprovider/testdata/kubernetes-3.2.1.json.gz;
#   KUBERNETES_SCHEMA_FULL=FILE also keeps the full schema, gzipped, in FILE.
# The CLI may be Terraform or OpenTofu: the provider is named with its full
# address, whose host folder the temporary mirror holds.
set -euo pipefail

usage="usage: kubernetes-schema.sh BINARY [OUT [TERRAFORM]]"
binary="${1:?$usage}"
repo=$(cd "$(dirname "$0")/.." && pwd)
out="${2:-$repo/internal/schemaprovider/testdata/kubernetes-3.2.1.json.gz}"
terraform="${3:-${TERRAFORM:-terraform}}"
version=3.2.1
[ -x "$binary" ] || { echo "kubernetes-schema.sh: $binary is not an executable" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir="$work/mirror/registry.terraform.io/hashicorp/kubernetes/$version/linux_amd64"
mkdir -p "$dir"
ln -s "$binary" "$dir/terraform-provider-kubernetes_v$version"
printf 'terraform {\n  required_providers {\n    kubernetes = {\n      source  = "registry.terraform.io/hashicorp/kubernetes"\n      version = "%s"\n    }\n  }\n}\n' "$version" >"$work/main.tf"
printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/kubernetes"]\n  }\n}\n' "$work/mirror" >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
(cd "$work" && "$terraform" init -input=false -no-color >"$work/init.log" 2>&1) || { cat "$work/init.log" >&2; exit 1; }
(cd "$work" && "$terraform" providers schema -json) >"$work/full.json"
if [ -n "${KUBERNETES_SCHEMA_FULL:-}" ]; then
  gzip -n -9 <"$work/full.json" >"$KUBERNETES_SCHEMA_FULL"
fi
# schematrim writes the same JSON layout (format_version, provider_schemas),
# keys sorted, gzipped at level 9 with no name and no time stamp.
(cd "$repo" && go run ./tools/schematrim -in "$work/full.json" -out "$work/trimmed.json.gz" \
  -provider hashicorp/kubernetes -keep-file internal/schemaprovider/testdata/kubernetes-$version.keep) >&2
mv "$work/trimmed.json.gz" "$out"
echo "$out"

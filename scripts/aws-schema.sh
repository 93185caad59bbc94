#!/usr/bin/env bash
# Writes the full schema (`terraform providers schema -json`, gzipped) of a
# real hashicorp/aws release found in a filesystem mirror, such as the
# image's /opt/tf-plugins. tools/schematrim cuts it down to the copy the
# tests keep in internal/schemaprovider/testdata:
#
#   scripts/aws-schema.sh /opt/tf-plugins 5.100.0 build/aws-5.100.0.json.gz
#   go run ./tools/schematrim -in build/aws-5.100.0.json.gz \
#     -out internal/schemaprovider/testdata/aws-5.100.0.json.gz -provider hashicorp/aws \
#     -keep-file internal/schemaprovider/testdata/aws-6.47.1.keep
#
# The CLI may be Terraform or OpenTofu: the provider is named with its full
# address, whose host folder the mirror holds.
#
# Usage: scripts/aws-schema.sh MIRROR VERSION OUT [TERRAFORM]
set -euo pipefail

mirror="${1:?usage: aws-schema.sh MIRROR VERSION OUT [TERRAFORM]}"
version="${2:?usage: aws-schema.sh MIRROR VERSION OUT [TERRAFORM]}"
out="${3:?usage: aws-schema.sh MIRROR VERSION OUT [TERRAFORM]}"
terraform="${4:-${TERRAFORM:-terraform}}"
mirror=$(cd "$mirror" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'terraform {\n  required_providers {\n    aws = {\n      source  = "registry.terraform.io/hashicorp/aws"\n      version = "%s"\n    }\n  }\n}\n' "$version" >"$work/main.tf"
printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n' "$mirror" >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
(cd "$work" && "$terraform" init -input=false -no-color >"$work/init.log" 2>&1) || { cat "$work/init.log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
(cd "$work" && "$terraform" providers schema -json) | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"

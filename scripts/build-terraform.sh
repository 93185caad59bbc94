#!/usr/bin/env bash
# Builds a Terraform CLI release with `go install` into a cache directory that
# later runs reuse, and prints the path of the binary. Used for the oldest CLI
# the provider supports (1.8, the first with provider functions). A few
# minutes cold; a warm cache returns at once.
#
# Usage: scripts/build-terraform.sh [CACHE_DIR] [VERSION]
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-$HOME/.cache/terraform-provider-segmented}}"
version="${2:-1.8.5}"
dir="$cache/terraform-$version"
bin="$dir/terraform"

# Read whole before matching: `grep -q` stops at the first match, and the
# CLI's SIGPIPE would then fail the check under pipefail.
reports_version() { local out; out=$("$bin" version -json 2>/dev/null) && grep -q "\"terraform_version\": *\"$version\"" <<<"$out"; }

if [ -x "$bin" ] && reports_version; then
  echo "$bin"
  exit 0
fi

echo "building Terraform v$version with go install into $dir (a few minutes cold)..." >&2
mkdir -p "$dir"
tmp="$dir/.gobin.$$"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" GOFLAGS="-buildvcs=false -trimpath" nice -n 10 go install \
  -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" \
  "github.com/hashicorp/terraform@v$version" >&2
mv "$tmp/terraform" "$bin"
reports_version || { echo "the built Terraform does not report v$version" >&2; exit 1; }
echo "$bin"

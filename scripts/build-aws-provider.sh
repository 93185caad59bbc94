#!/usr/bin/env bash
# Builds the official hashicorp/aws provider (the code of release 6.47.1) from
# the Go module proxy into a cache directory that later runs reuse. A cold
# build takes about 40 minutes on a 2-core machine; a warm cache returns at once.
#
# Usage: scripts/build-aws-provider.sh [CACHE_DIR]
# Prints the directory that holds terraform-provider-aws (for dev_overrides).
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-$HOME/.cache/terraform-provider-segmented}}"
module="github.com/hashicorp/terraform-provider-aws"
pseudo="v1.60.1-0.20260602190131-5f2286d6d836" # the code of aws 6.47.1
dir="$cache/aws-6.47.1"
bin="$dir/terraform-provider-aws"

if [ -x "$bin" ]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$dir"
echo "building $module@$pseudo into $dir (about 40 minutes cold)..." >&2
tmp="$dir/.gobin.$$"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" GOFLAGS="-buildvcs=false -trimpath" nice -n 10 go install -ldflags "-s -w" "$module@$pseudo" >&2
mv "$tmp/terraform-provider-aws" "$bin"
echo "$dir"

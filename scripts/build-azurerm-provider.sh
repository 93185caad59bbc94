#!/usr/bin/env bash
# Builds the official hashicorp/azurerm provider from the Go module proxy into
# a cache directory that later runs reuse. A cold build takes about 9 minutes
# on a 2-core machine (8m43s with an empty build cache, modules already
# downloaded, which adds its own time on a new machine); a warm cache
# returns at once.
#
# The proxy serves no version for the v5.2.0 tag (nor a pseudo-version of its
# commit), so this builds its @latest pseudo-version: the main branch of
# 2026-08-24, four days after 5.2.0 (its CHANGELOG still tops with 5.2.0 of
# August 20, 2026, and it holds a few unreleased changes on top of it). The
# binary reports ProviderVersion=5.2.0, set with -ldflags -X as the release
# process does.
#
# Usage: scripts/build-azurerm-provider.sh [CACHE_DIR]
# Prints the directory that holds terraform-provider-azurerm (for
# dev_overrides or a filesystem mirror); progress goes to stderr.
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-$HOME/.cache/terraform-provider-segmented}}"
module="github.com/hashicorp/terraform-provider-azurerm"
pseudo="v1.44.1-0.20260824201233-fae580791926" # main after azurerm 5.2.0
version="5.2.0"
dir="$cache/azurerm-$version"
bin="$dir/terraform-provider-azurerm"

if [ -x "$bin" ]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$dir"
echo "building $module@$pseudo as $version into $dir (about 9 minutes cold on 2 cores)..." >&2
tmp="$dir/.gobin.$$"
trap 'rm -rf "$tmp"' EXIT
# The module has no replace directives, so go install builds it as published.
GOBIN="$tmp" GOFLAGS="-buildvcs=false -trimpath" nice -n 15 go install \
  -ldflags "-s -w -X $module/version.ProviderVersion=$version" "$module@$pseudo" >&2
mv "$tmp/terraform-provider-azurerm" "$bin"
echo "$dir"

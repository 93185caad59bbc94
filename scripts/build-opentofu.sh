#!/usr/bin/env bash
# Builds OpenTofu from the Go module proxy into a cache directory that later
# runs reuse, and prints the path of the tofu binary. `go install` refuses the
# module (its go.mod has a replace directive), but the module builds from a
# writable copy of its source. About 10 minutes cold on a 2-core machine; a
# warm cache returns at once.
#
# Usage: scripts/build-opentofu.sh [CACHE_DIR] [VERSION]
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-$HOME/.cache/terraform-provider-segmented}}"
version="${2:-1.10.6}"
module="github.com/opentofu/opentofu"
dir="$cache/opentofu-$version"
bin="$dir/tofu"

# The version is read whole before it is matched: `grep -q` would stop
# reading at the first match, and under pipefail the CLI's SIGPIPE would
# then fail the check at random.
reports_version() { local out; out=$("$bin" version 2>/dev/null) && grep -q "^OpenTofu v$version\$" <<<"$out"; }

if [ -x "$bin" ] && reports_version; then
  echo "$bin"
  exit 0
fi

echo "building OpenTofu v$version from $module into $dir (about 10 minutes cold)..." >&2
mkdir -p "$dir"
src=$(GOFLAGS=-mod=mod go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": *"\(.*\)",*$/\1/p')
[ -d "$src" ] || { echo "go mod download did not give a source directory for $module@v$version" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
chmod -R u+w "$work"
(
  cd "$work"
  GOFLAGS="-buildvcs=false -trimpath" nice -n 10 go build -ldflags "-s -w -X $module/version.dev=no" -o "$bin.tmp" ./cmd/tofu >&2
)
mv "$bin.tmp" "$bin"
reports_version || { echo "the built tofu does not report v$version:" >&2; "$bin" version >&2; exit 1; }
echo "$bin"

#!/usr/bin/env bash
# Installs the scanners the module checks need into a cache directory that
# later runs reuse, and prints that directory:
#   tfsec  with go install (a couple of minutes);
#   trivy  v0.74.0 built from a throwaway tools module (about 11 minutes cold;
#          the module proxy refuses `go install trivy@version`).
#
# Usage: scripts/install-scanners.sh [CACHE_DIR]
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-$HOME/.cache/terraform-provider-segmented}}"
bin="$cache/scanners"
mkdir -p "$bin"

if [ ! -x "$bin/tfsec" ]; then
  echo "installing tfsec..." >&2
  GOBIN="$bin" GOFLAGS=-buildvcs=false go install github.com/aquasecurity/tfsec/cmd/tfsec@latest >&2
fi

if [ ! -x "$bin/trivy" ]; then
  echo "building trivy v0.74.0 (about 11 minutes)..." >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (
    cd "$work"
    go mod init segmented.local/scanners >/dev/null 2>&1
    go get github.com/aquasecurity/trivy/cmd/trivy@v0.74.0 >&2
    GOEXPERIMENT=jsonv2 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w" -o "$bin/trivy.tmp" github.com/aquasecurity/trivy/cmd/trivy >&2
  )
  mv "$bin/trivy.tmp" "$bin/trivy"
fi
echo "$bin"

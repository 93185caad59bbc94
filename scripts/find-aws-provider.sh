#!/usr/bin/env bash
# Finds a real hashicorp/aws provider binary that the AWS module accepts
# (>= 5.100, < 7.0) already on this machine, and builds 6.47.1 from the Go
# module proxy (scripts/build-aws-provider.sh, about 40 minutes cold) only
# when there is none. It looks, in this order, in:
#   1. the filesystem mirrors in SEGMENTED_AWS_PLUGIN_DIRS (colon-separated;
#      by default the image's /opt/tf-plugins and the user's plugin
#      directories), in Terraform's unpacked layout
#      <dir>/<host>/hashicorp/aws/<version>/linux_amd64/terraform-provider-aws_v<version>*;
#      the newest accepted version wins;
#   2. the cache, where build-aws-provider.sh puts its build.
# Set SEGMENTED_AWS_BUILD=1 to skip the search and use (or make) the build.
#
# Usage: scripts/find-aws-provider.sh [CACHE_DIR]
# Prints "<version> <path of the binary>" on one line; progress goes to stderr.
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-$HOME/.cache/terraform-provider-segmented}}"
here=$(cd "$(dirname "$0")" && pwd)
platform="$(go env GOOS)_$(go env GOARCH)"
dirs="${SEGMENTED_AWS_PLUGIN_DIRS:-/opt/tf-plugins:$HOME/.terraform.d/plugins:$HOME/.local/share/terraform/plugins}"

accepted() { # $1: version; the module's constraint, >= 5.100, < 7.0
  local major minor rest
  IFS=. read -r major minor rest <<<"$1"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ && "$rest" =~ ^[0-9]+$ ]] || return 1
  { [ "$major" -eq 5 ] && [ "$minor" -ge 100 ]; } || [ "$major" -eq 6 ]
}

newer() { # $1 is a later version than $2
  [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -1)" = "$1" ]
}

if [ "${SEGMENTED_AWS_BUILD:-}" != 1 ]; then
  best="" best_bin=""
  IFS=: read -ra roots <<<"$dirs"
  for root in "${roots[@]}"; do
    [ -d "$root" ] || continue
    for vdir in "$root"/*/hashicorp/aws/*/; do
      vdir=${vdir%/}
      version=${vdir##*/}
      accepted "$version" || continue
      for bin in "$vdir/$platform"/terraform-provider-aws_v"$version"*; do
        [ -x "$bin" ] || continue
        if [ -z "$best" ] || newer "$version" "$best"; then
          best=$version best_bin=$bin
        fi
      done
    done
  done
  if [ -n "$best" ]; then
    echo "found hashicorp/aws $best at $best_bin" >&2
    echo "$best $best_bin"
    exit 0
  fi
  if [ -x "$cache/aws-6.47.1/terraform-provider-aws" ]; then
    echo "found hashicorp/aws 6.47.1 in the cache: $cache/aws-6.47.1" >&2
    echo "6.47.1 $cache/aws-6.47.1/terraform-provider-aws"
    exit 0
  fi
  echo "no hashicorp/aws binary in ${dirs} or the cache" >&2
fi
dir=$("$here/build-aws-provider.sh" "$cache")
echo "6.47.1 $dir/terraform-provider-aws"

#!/usr/bin/env bash
# Prints the path of a Terraform CLI >= 1.8: one in TOOLS_DIR or on PATH if it
# is recent enough, otherwise v1.8.5 built with `go install` once into the
# cache ($CACHE, by default ~/.cache/terraform-provider-segmented) by
# scripts/build-terraform.sh.
#
# Usage: scripts/ensure-terraform.sh TOOLS_DIR
set -euo pipefail

tools="${1:?usage: ensure-terraform.sh TOOLS_DIR}"
want="1.8.5"

recent_enough() { # $1: path to a terraform binary
  local v
  v=$("$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p' | sed -n 1p)
  [ -n "$v" ] || return 1
  local major minor
  IFS=. read -r major minor _ <<<"$v"
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 8 ]; }
}

if [ -x "$tools/terraform" ] && recent_enough "$tools/terraform"; then
  echo "$tools/terraform"
  exit 0
fi
if found=$(command -v terraform 2>/dev/null) && recent_enough "$found"; then
  echo "$found"
  exit 0
fi

echo "no Terraform CLI >= 1.8 on PATH: using v$want from the cache (built once, a few minutes)..." >&2
bin=$("$(dirname "$0")/build-terraform.sh" "${CACHE:-}" "$want")
recent_enough "$bin" || { echo "$bin does not report a version >= 1.8" >&2; exit 1; }
echo "$bin"

#!/usr/bin/env bash
# The audit against conftest on the same generated plans (1,000, 10,000 and
# 100,000 resources, internal/audit/plangen): wall time and peak memory of
# each command, read by /usr/bin/time, and their ratios. conftest runs the
# Rego policies of scripts/bench/policy, which make the same checks on these
# plans. Usage: scripts/bench-audit.sh CACHE_DIR [SIZES...]
#
# conftest is built with go install into CACHE_DIR (a few minutes, once).
set -euo pipefail

cache="${1:?usage: scripts/bench-audit.sh CACHE_DIR [SIZES...]}"
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
root="$(cd "$(dirname "$0")/.." && pwd)"
version=v0.71.1
conftest="$cache/conftest/$version/conftest"

if [ ! -x "$conftest" ]; then
  echo "building conftest $version (a few minutes, once)..." >&2
  GOBIN="$(dirname "$conftest")" GOFLAGS=-buildvcs=false go install "github.com/open-policy-agent/conftest@$version" >&2
fi
[ -x /usr/bin/time ] || { echo "bench-audit: /usr/bin/time (Debian package time) is needed to read peak memory" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/segmented" "$root"
go build -o "$work/benchplan" "$root/tools/benchplan"

# measure CMD...: runs CMD three times and keeps the fastest run's seconds
# and peak resident kilobytes in $secs and $kbs; its output is in
# $work/out. Exit 1 (findings) is what both commands are expected to return.
measure() {
  local best="" bestkb="" out
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || [ $? -eq 1 ] || {
      cat "$work/err" >&2; exit 1; }
    read -r out kb < <(tail -n 1 "$work/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($out < $best)}"; then best=$out bestkb=$kb; fi
  done
  secs=$best kbs=$bestkb
}

printf '| resources | audit s | audit MiB | conftest s | conftest MiB | conftest/audit time | findings (audit, conftest) |\n'
printf '|---:|---:|---:|---:|---:|---:|---|\n'
for n in "${sizes[@]}"; do
  "$work/benchplan" -n "$n" -plan "$work/plan.json" -environments "$work/environments.hcl"
  measure "$work/segmented" audit "$work/plan.json" --environments "$work/environments.hcl" --format json
  a_s=$secs a_kb=$kbs
  a_n=$(grep -c '"rule_id"' "$work/out" || true)
  measure "$conftest" test --no-color --output json -p "$root/scripts/bench/policy" "$work/plan.json"
  c_s=$secs c_kb=$kbs
  c_n=$(grep -c '"msg"' "$work/out" || true)
  awk -v n="$n" -v as="$a_s" -v ak="$a_kb" -v cs="$c_s" -v ck="$c_kb" -v an="$a_n" -v cn="$c_n" 'BEGIN{
    r = (as > 0) ? sprintf("%.1fx", cs/as) : "n/a";
    printf "| %d | %.2f | %.0f | %.2f | %.0f | %s | %d, %d |\n", n, as, ak/1024, cs, ck/1024, r, an, cn }'
done

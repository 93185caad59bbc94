#!/usr/bin/env bash
# What segmented_ml_environment costs Terraform at plan time, against a
# terraform_data resource that carries the same data. For each count of
# environments N it writes two configurations:
#   segmented: N segmented_ml_environment resources (production, two GPU
#              pools, an entry point), each with its own name and range;
#   baseline:  N terraform_data resources whose input is the blueprint and
#              the summary that the segmented configuration applied, read
#              from its state, so that both carry the same object.
# It times, with /usr/bin/time, the first plan (nothing applied yet) and a
# no-change re-plan (after apply) of each, the fastest of three runs, and
# prints wall and CPU seconds, the segmented/baseline ratios, and the lines
# of plan output per environment.
#
# Usage: TERRAFORM=terraform TF_CLI_CONFIG_FILE=build/terraformrc \
#          scripts/bench-plan.sh [COUNTS...]     (make bench sets both)
set -euo pipefail
: "${TERRAFORM:?the Terraform CLI}" "${TF_CLI_CONFIG_FILE:?a CLI configuration with dev_overrides for this provider}"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 50 200)
[ -x /usr/bin/time ] || { echo "bench-plan: /usr/bin/time (Debian package time) is needed" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench-plan: jq (Debian package jq) is needed to read the state" >&2; exit 2; }
export TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

segmented_config() { # N
  printf 'terraform {\n  required_providers {\n    segmented = { source = "segmentedml/segmented" }\n  }\n}\n\n'
  printf 'provider "segmented" {\n  organization = "acme"\n}\n'
  for ((i = 0; i < $1; i++)); do
    cat <<EOF

resource "segmented_ml_environment" "e$i" {
  name       = "prod$i"
  tier       = "production"
  cloud      = "aws"
  region     = "us-east-1"
  account_id = "$(printf '%012d' $((100000000000 + i)))"
  cidr       = "10.$((i / 64 + 64)).$((i % 64 * 4)).0/22"
  ci_subject = "repo:acme/ml:environment:prod$i"
  availability_zones = ["us-east-1a", "us-east-1b"]

  gpu_node_pools = [
    { name = "train", instance_type = "p4d.24xlarge", max_size = 2, purpose = "training" },
    { name = "serve", instance_type = "g5.2xlarge", min_size = 1, max_size = 2, purpose = "inference" },
  ]
  ingress = [{ name = "api", port = 443, from_cidrs = ["203.0.113.0/24"] }]
}
EOF
  done
}

# baseline_config N STATE: terraform_data resources carrying what the
# segmented resources stored, one JSON file each.
baseline_config() {
  local n=$1 state=$2 dir=$3
  for ((i = 0; i < n; i++)); do
    jq -c --arg a "segmented_ml_environment.e$i" \
      '.values.root_module.resources[] | select(.address == $a) | .values | {blueprint, summary}' "$state" >"$dir/e$i.json"
    printf 'resource "terraform_data" "e%d" {\n  input = jsondecode(file("${path.module}/e%d.json"))\n}\n\n' "$i" "$i"
  done
}

# measure DIR ARGS...: the fastest of three `terraform ARGS` in DIR; sets
# wall and cpu (user + system, the provider's process included).
measure() {
  local dir=$1 best="" cpu_best=""
  shift
  for _ in 1 2 3; do
    (cd "$dir" && /usr/bin/time -f '%e %U %S' -o "$work/time" "$TERRAFORM" "$@" >"$work/out" 2>&1) || {
      code=$?; [ "$code" -eq 2 ] || { cat "$work/out" >&2; exit 1; }; } # -detailed-exitcode: 2 means changes
    read -r w u s < <(tail -n 1 "$work/time")
    c=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')
    if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w cpu_best=$c; fi
  done
  wall=$best cpu=$cpu_best
}

echo "CLI: $("$TERRAFORM" version | sed -n 1p)"
printf '| environments | plan | segmented wall s | baseline wall s | wall ratio | segmented CPU s | baseline CPU s | CPU ratio | plan lines per environment (segmented, baseline) |\n'
printf '|---:|---|---:|---:|---:|---:|---:|---:|---|\n'
for n in "${counts[@]}"; do
  seg="$work/segmented-$n" base="$work/baseline-$n"
  mkdir -p "$seg" "$base"
  segmented_config "$n" >"$seg/main.tf"
  (cd "$seg" && "$TERRAFORM" plan -input=false -no-color >"$work/plan-seg.txt" 2>&1) || { cat "$work/plan-seg.txt" >&2; exit 1; }
  measure "$seg" plan -input=false -no-color -detailed-exitcode
  s_first=$wall c_first=$cpu
  (cd "$seg" && "$TERRAFORM" apply -auto-approve -input=false -no-color >/dev/null && "$TERRAFORM" show -json >"$work/state.json")
  measure "$seg" plan -input=false -no-color -detailed-exitcode
  s_re=$wall c_re=$cpu
  baseline_config "$n" "$work/state.json" "$base" >"$base/main.tf"
  (cd "$base" && "$TERRAFORM" plan -input=false -no-color >"$work/plan-base.txt" 2>&1) || { cat "$work/plan-base.txt" >&2; exit 1; }
  measure "$base" plan -input=false -no-color -detailed-exitcode
  b_first=$wall d_first=$cpu
  (cd "$base" && "$TERRAFORM" apply -auto-approve -input=false -no-color >/dev/null)
  measure "$base" plan -input=false -no-color -detailed-exitcode
  b_re=$wall d_re=$cpu
  lines="$(($(wc -l <"$work/plan-seg.txt") / n)), $(($(wc -l <"$work/plan-base.txt") / n))"
  for row in "first $s_first $b_first $c_first $d_first" "re-plan $s_re $b_re $c_re $d_re"; do
    read -r kind sw bw sc bc <<<"$row"
    awk -v n="$n" -v k="$kind" -v sw="$sw" -v bw="$bw" -v sc="$sc" -v bc="$bc" -v l="$lines" 'BEGIN{
      printf "| %d | %s | %.2f | %.2f | %.2fx | %.2f | %.2f | %.2fx | %s |\n", n, k, sw, bw, sw / bw, sc, bc, (bc > 0 ? sc / bc : 0), (k == "first" ? l : "") }'
  done
done

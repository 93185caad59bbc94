#!/usr/bin/env bash
# Regenerates the plan JSON that the audit's tests read
# (internal/audit/testdata/plans/<name>.json), planning hand-written
# Terraform with a real Terraform CLI, offline:
#
#   - internal/rules/examples/<ID>/{failing,fixed}.tf of every audit rule
#     (SEG7xx, SEG802, SEG806: scope audit in the catalog), as <ID>-failing
#     and <ID>-fixed;
#   - internal/audit/testdata/fixtures/<name>/ (a root module, maybe with
#     child modules below it), as <name>; a fixture holding a file named
#     STATE is applied instead, and its JSON is the state form
#     (`terraform show -json` with no plan);
#   - examples/aws-complete, as aws-complete, and once per
#     internal/audit/testdata/inject/SEG7xx.tf with that file added, as
#     aws-complete-SEG7xx.
#
# Each is copied into build/audit-fixtures/work/, given the common
# provider pins of the clouds it uses (aws 5.100.0, google 8.0.0, azurerm
# 5.2.0, kubernetes 3.2.1, in one zz-versions.tf) and the common default configuration of
# each (internal/audit/testdata/providers/<cloud>.tf, fake credentials)
# unless the root configures that provider itself, then
# `terraform init`, `plan -out`, `show -json`. The JSON is pretty-printed
# with `jq -S` (sorted keys) when jq is on the machine, and its "timestamp"
# set to a fixed value; otherwise it is kept as Terraform wrote it.
#
# Providers, from the CLI configuration written to build/audit-fixtures/terraformrc:
#   - hashicorp/aws 5.100.0: the real binary (scripts/find-aws-provider.sh,
#     /opt/tf-plugins on the image), linked into build/audit-fixtures/mirror.
#     scripts/fake-aws.py answers the STS and EC2 calls that configuring
#     assume_role/allowed_account_ids and the generated module's prefix-list
#     data source make at plan time (AWS_ENDPOINT_URL_STS/_EC2);
#   - hashicorp/google 8.0.0 and hashicorp/azurerm 5.2.0: tools/schemaprovider
#     in its plan mode (SEGMENTED_SCHEMA_PLAN=1) serving the real schemas of
#     /work/shared/schemas (SEGMENTED_SCHEMAS to change), through a wrapper
#     script per provider, linked into the same mirror;
#   - hashicorp/kubernetes 3.2.1: the same, serving the schema the
#     repository keeps (internal/schemaprovider/testdata/kubernetes-3.2.1.json.gz,
#     trimmed to the types the generated Kubernetes module uses; see
#     scripts/kubernetes-schema.sh), so the fixtures use only those types;
#   - segmentedml/segmented: built from this tree, by dev_overrides.
# Nothing is fetched from any registry.
#
# Usage: scripts/audit-fixtures.sh [NAME...]   regenerate all, or the named plans
#        scripts/audit-fixtures.sh --check     only check that every plan of
#                                              fixtures.json exists, and back
#
# Takes about 13 minutes for all 60 plans on a shared 2-core machine: an aws
# plan 11-28 s (the 5.100.0 binary starts three times), an aws-complete one
# about 24 s, a google or azurerm one 5-10 s, a kubernetes one 1-2 s. Re-running gives the same
# files: no random IDs are used, and the timestamp is fixed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
testdata="$root/internal/audit/testdata"
examples="$root/internal/rules/examples"
build="$root/build/audit-fixtures"
schemas="${SEGMENTED_SCHEMAS:-/work/shared/schemas}"
terraform="${TERRAFORM:-terraform}"

log() { printf '%s\n' "audit-fixtures: $*" >&2; }
die() { log "error: $*"; exit 1; }

# check verifies that fixtures.json and plans/ agree.
check() {
  local manifest="$testdata/fixtures.json" bad=0 name plan
  [ -f "$manifest" ] || die "no $manifest"
  command -v jq >/dev/null || die "jq is needed to read fixtures.json"
  while IFS=$'\t' read -r name plan env; do
    [ -f "$testdata/$plan" ] || { log "$name: no plan file $plan"; bad=1; }
    [ -z "$env" ] || [ -f "$testdata/$env" ] || { log "$name: no environments file $env"; bad=1; }
  done < <(jq -r '.[] | [.name, .plan, .environments] | @tsv' "$manifest")
  for plan in "$testdata"/plans/*.json "$testdata"/plans/*.json.gz; do
    [ -e "$plan" ] || continue
    name=$(basename "${plan%.gz}" .json)
    jq -e --arg n "$name" 'any(.[]; .name == $n)' "$manifest" >/dev/null ||
      { log "plans/$name.json is not in fixtures.json"; bad=1; }
  done
  [ "$bad" = 0 ] || die "fixtures.json and plans/ disagree"
  log "fixtures.json: $(jq length "$manifest") fixtures, every plan present"
}

if [ "${1:-}" = --check ]; then
  check
  exit 0
fi

command -v "$terraform" >/dev/null || die "no terraform CLI ($terraform)"
command -v python3 >/dev/null || die "python3 is needed for scripts/fake-aws.py"
for s in google-8.0.0 azurerm-5.2.0; do
  [ -f "$schemas/$s.json.gz" ] || die "no $schemas/$s.json.gz (set SEGMENTED_SCHEMAS)"
done
kubernetes_schema="$root/internal/schemaprovider/testdata/kubernetes-3.2.1.json.gz"
[ -f "$kubernetes_schema" ] || die "no $kubernetes_schema (scripts/kubernetes-schema.sh writes it)"
command -v jq >/dev/null || die "jq is needed to read the rule catalog and fixtures.json"
start=$(date +%s)

# Providers.
mkdir -p "$build/bin"
found=$("$root/scripts/find-aws-provider.sh")
aws_version=${found%% *} aws_bin=${found#* }
[ "$aws_version" = 5.100.0 ] || die "the fixtures pin hashicorp/aws 5.100.0; found $aws_version ($aws_bin)"
log "hashicorp/aws $aws_version: $aws_bin"
(cd "$root" && go build -o "$build/bin/schemaprovider" ./tools/schemaprovider)
(cd "$root" && go build -o "$build/bin/segmented/terraform-provider-segmented" .)
(cd "$root" && go build -o "$build/bin/tfmirror" ./tools/tfmirror)
# init looks for segmented in the mirror too; dev_overrides then wins.
"$build/bin/tfmirror" -mirror "$build/mirror" -provider segmentedml/segmented -version 0.1.0 \
  -binary "$build/bin/segmented/terraform-provider-segmented" >/dev/null
"$build/bin/tfmirror" -mirror "$build/mirror" -provider hashicorp/aws -version "$aws_version" -binary "$aws_bin" >/dev/null
for p in google:8.0.0 azurerm:5.2.0 kubernetes:3.2.1; do
  name=${p%%:*} version=${p#*:}
  wrapper="$build/bin/terraform-provider-$name"
  schema="$schemas/$name-$version.json.gz"
  [ "$name" != kubernetes ] || schema=$kubernetes_schema
  printf '#!/bin/sh\n# hashicorp/%s %s for the audit fixtures: the schema provider in its plan mode.\nSEGMENTED_SCHEMA_FILE=%q SEGMENTED_SCHEMA_PROVIDER=hashicorp/%s SEGMENTED_SCHEMA_PLAN=1 exec %q "$@"\n' \
    "$name" "$version" "$schema" "$name" "$build/bin/schemaprovider" >"$wrapper"
  chmod +x "$wrapper"
  "$build/bin/tfmirror" -mirror "$build/mirror" -provider "hashicorp/$name" -version "$version" -binary "$wrapper" >/dev/null
  log "hashicorp/$name $version: the schema provider's plan mode ($wrapper)"
done
cat >"$build/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "segmentedml/segmented" = "$build/bin/segmented"
  }
  filesystem_mirror {
    path    = "$build/mirror"
    include = ["segmentedml/segmented", "hashicorp/aws", "hashicorp/google", "hashicorp/azurerm", "hashicorp/kubernetes"]
  }
}
EOF
log "segmentedml/segmented: dev_overrides to $build/bin/segmented; CLI configuration $build/terraformrc"

# The fake AWS API, for assume_role, allowed_account_ids and prefix lists.
python3 "$root/scripts/fake-aws.py" "$build/fake-aws.$$.port" &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$build/fake-aws.$$.port" ] && break; sleep 0.1; done
[ -s "$build/fake-aws.$$.port" ] || die "scripts/fake-aws.py did not start"
port=$(cat "$build/fake-aws.$$.port")
rm -f "$build/fake-aws.$$.port"

export TF_CLI_CONFIG_FILE="$build/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export AWS_ENDPOINT_URL_STS="http://127.0.0.1:$port" AWS_ENDPOINT_URL_EC2="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIAFAKEFAKEFAKEFAKE AWS_SECRET_ACCESS_KEY=fake AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN TF_DATA_DIR TF_PLUGIN_CACHE_DIR
mkdir -p "$testdata/plans"

# add_providers DIR: pin the providers of the clouds DIR's configuration
# (with its child modules) uses, in one required_providers block, and add
# the common default configuration of each (providers/<cloud>.tf) unless the
# root configures that provider itself.
add_providers() {
  local dir=$1 cloud version pins=""
  for cloud in aws google azurerm kubernetes; do
    grep -rqE "^(resource|data) \"${cloud}_" --include='*.tf' "$dir" || continue
    case $cloud in aws) version=5.100.0 ;; google) version=8.0.0 ;; azurerm) version=5.2.0 ;; kubernetes) version=3.2.1 ;; esac
    pins+=$(printf '    %s = {\n      source  = "hashicorp/%s"\n      version = "%s"\n    }' "$cloud" "$cloud" "$version")$'\n'
    if ! awk -v c="$cloud" '
        $0 ~ "^provider \"" c "\" \\{" { inb = 1; alias = 0; next }
        inb && /^  alias *=/ { alias = 1 }
        inb && /^}/ { if (!alias) own = 1; inb = 0 }
        END { exit !own }' "$dir"/*.tf; then
      cp "$testdata/providers/$cloud.tf" "$dir/zz-providers-$cloud.tf"
    fi
  done
  [ -z "$pins" ] || printf '# Written by scripts/audit-fixtures.sh.\nterraform {\n  required_providers {\n%s  }\n}\n' "$pins" >"$dir/zz-versions.tf"
}

# plan NAME DIR [own]: init, plan (or apply, for a STATE fixture) and show
# -json; "own" when the configuration pins and configures its providers.
plan() {
  local name=$1 dir=$2 t0 out="$testdata/plans/$1.json" json
  t0=$(date +%s)
  [ "${3:-}" = own ] || add_providers "$dir"
  (
    cd "$dir"
    "$terraform" init -input=false -no-color >init.log 2>&1 || { cat init.log; exit 1; }
    if [ -f STATE ]; then
      "$terraform" apply -input=false -no-color -auto-approve >apply.log 2>&1 || { cat apply.log; exit 1; }
      "$terraform" show -json >show.json 2>show.log || { cat show.log; exit 1; }
    else
      "$terraform" plan -input=false -no-color -out=tfplan >plan.log 2>&1 || { cat plan.log; exit 1; }
      "$terraform" show -json tfplan >show.json 2>show.log || { cat show.log; exit 1; }
    fi
  ) || die "$name: terraform failed in $dir"
  json="$dir/show.json"
  if command -v jq >/dev/null; then
    jq -S 'if has("timestamp") then .timestamp = "2026-01-01T00:00:00Z" else . end' "$json" >"$out"
  else
    cp "$json" "$out"
  fi
  # Plans over a megabyte (aws-complete's) are kept gzipped: the tests read
  # either form.
  if [ "$(wc -c <"$out")" -gt 1048576 ]; then
    gzip -n -9 -f "$out"
    out="$out.gz"
  fi
  log "$name: $(grep -E '^(Plan:|Apply complete|No changes)' "$dir"/plan.log "$dir"/apply.log 2>/dev/null | head -1 | sed 's/^[^:]*://') -> plans/${out##*/} ($(($(date +%s) - t0))s)"
}

# wanted NAME: whether NAME was asked for.
wanted() {
  [ "${#names[@]}" = 0 ] && return 0
  local n
  for n in "${names[@]}"; do [ "$n" = "$1" ] && return 0; done
  return 1
}

names=("$@")
count=0
work="$build/work"
# The audit rules, from the catalog: their examples are hand-written
# Terraform (the other rules' use segmented_ml_environment).
audit_rules=$("$build/bin/segmented/terraform-provider-segmented" rules --format json | jq -r '.[] | select(.scope == "audit") | .id')
[ -n "$audit_rules" ] || die "the rule catalog lists no audit rule"
for rule in $audit_rules; do
  [ -d "$examples/$rule" ] || die "the audit rule $rule has no examples/$rule"
  for kind in failing fixed; do
    [ -f "$examples/$rule/$kind.tf" ] || continue
    wanted "$rule-$kind" || continue
    rm -rf "$work/$rule-$kind" && mkdir -p "$work/$rule-$kind"
    cp "$examples/$rule/$kind.tf" "$work/$rule-$kind/main.tf"
    plan "$rule-$kind" "$work/$rule-$kind"
    count=$((count + 1))
  done
done
for fixture in "$testdata"/fixtures/*/; do
  name=$(basename "$fixture")
  wanted "$name" || continue
  rm -rf "$work/$name" && mkdir -p "$work" && cp -r "$fixture" "$work/$name"
  rm -f "$work/$name/environments.hcl"
  plan "$name" "$work/$name"
  count=$((count + 1))
done
# aws-complete keeps its place relative to modules/.
mkdir -p "$work/examples"
ln -sfn "$root/modules" "$work/modules"
for inject in "" "$testdata"/inject/SEG7*.tf; do
  name=aws-complete${inject:+-$(basename "$inject" .tf)}
  wanted "$name" || continue
  rm -rf "$work/examples/$name" && mkdir -p "$work/examples/$name"
  cp "$root/examples/aws-complete/main.tf" "$work/examples/$name/"
  [ -z "$inject" ] || cp "$inject" "$work/examples/$name/injected.tf"
  plan "$name" "$work/examples/$name" own
  count=$((count + 1))
done
# examples/audit is the README's audit demo: its plan lives beside it.
if wanted example-audit; then
  rm -rf "$work/example-audit" && mkdir -p "$work/example-audit"
  cp "$root/examples/audit/main.tf" "$work/example-audit/"
  plan example-audit "$work/example-audit"
  mv "$testdata/plans/example-audit.json" "$root/examples/audit/plan.json"
  count=$((count + 1))
fi
[ "$count" -gt 0 ] || die "no fixture matched: $*"

check
log "$count plans in $(($(date +%s) - start))s"

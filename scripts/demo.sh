#!/usr/bin/env bash
# The quick start: apply examples/quickstart with the freshly built provider,
# print a summary per environment, then show the diagnostics that
# examples/insecure gets at plan time. Called by `make demo`, which sets
# TERRAFORM (Terraform or OpenTofu) and TF_CLI_CONFIG_FILE (dev_overrides
# pointing at build/).
set -euo pipefail
: "${TERRAFORM:?set by make demo}" "${TF_CLI_CONFIG_FILE:?set by make demo}"
root=$(cd "$(dirname "$0")/.." && pwd)
tf() { "$TERRAFORM" "$@"; }
export TF_IN_AUTOMATION=1

cli=$("$TERRAFORM" version | sed -n 1p) # sed reads to the end: no SIGPIPE under pipefail
echo "== $cli, provider from $root/build (dev_overrides)"
cd "$root/examples/quickstart"
rm -rf terraform.tfstate terraform.tfstate.backup .terraform .terraform.lock.hcl
echo "== examples/quickstart: init, plan and apply (no cloud account needed)"
tf init -input=false -no-color >"$root/build/quickstart-init.log" 2>&1 || {
  cat "$root/build/quickstart-init.log"; exit 1; }
grep -E '^((Terraform|OpenTofu) has been successfully initialized|- Installed)' "$root/build/quickstart-init.log" || true
tf apply -auto-approve -input=false -no-color >"$root/build/quickstart-apply.log" 2>&1 || {
  cat "$root/build/quickstart-apply.log"; exit 1; }
grep -E '^(Apply complete|Plan:)' "$root/build/quickstart-apply.log" || true
echo
tf output -json | go run "$root/tools/demosummary" -mermaid "$root/build/topology.mmd"
echo
echo "== examples/quickstart: a second plan changes nothing"
tf plan -detailed-exitcode -input=false -no-color >/dev/null 2>&1 && echo "No changes." || {
  echo "unexpected: the re-plan is not empty"; exit 1; }


echo
echo "== examples/quickstart-mixed: one topology across AWS, Google Cloud and Azure (still no cloud account)"
cd "$root/examples/quickstart-mixed"
rm -rf terraform.tfstate terraform.tfstate.backup .terraform .terraform.lock.hcl
tf init -input=false -no-color >"$root/build/quickstart-mixed-init.log" 2>&1 || {
  cat "$root/build/quickstart-mixed-init.log"; exit 1; }
tf apply -auto-approve -input=false -no-color >"$root/build/quickstart-mixed-apply.log" 2>&1 || {
  cat "$root/build/quickstart-mixed-apply.log"; exit 1; }
grep -E '^(Apply complete|Plan:)' "$root/build/quickstart-mixed-apply.log" || true
echo
tf output -json | go run "$root/tools/demosummary" -mermaid "$root/build/topology-mixed.mmd"
echo
echo "The telemetry flows into shared (AWS) from dev (Azure) and prod (Google Cloud), on both sides:"
tf output -json telemetry_firewall | go run "$root/tools/demosummary" -list
tf plan -detailed-exitcode -input=false -no-color >/dev/null 2>&1 && echo "A second plan changes nothing." || {
  echo "unexpected: the re-plan of examples/quickstart-mixed is not empty"; exit 1; }
rm -rf terraform.tfstate terraform.tfstate.backup .terraform .terraform.lock.hcl

echo
echo "== examples/insecure: the plan fails, with a rule ID, the attribute and the fix"
cd "$root/examples/insecure"
rm -rf .terraform .terraform.lock.hcl
tf init -input=false -no-color >/dev/null 2>&1
set +e
tf plan -input=false -no-color >"$root/build/insecure-plan.log" 2>&1
code=$?
set -e
grep -v -e '^\s*$' -e 'Provider development overrides' -e 'dev_overrides' -e '^ *- segmentedml' -e 'The behavior may' -e 'with published releases' -e 'Warning: Provider development' -e 'published releases' "$root/build/insecure-plan.log" \
  | sed -n '/Error\|Warning/,$p'
if [ "$code" -eq 0 ]; then
  echo "unexpected: examples/insecure planned clean"; exit 1
fi
echo
echo "== ${cli%% *} plan exited $code on examples/insecure, as a CI gate would."

#!/usr/bin/env bash
# Builds a real kube-apiserver from the k8s.io/kubernetes Go module into a
# cache directory that later runs reuse, for the tests that need a real
# Kubernetes API on 127.0.0.1 (internal/testkit/kubeapi, make test-k8s).
# A cold build takes about 10 minutes on a 2-core machine: 574 s with an
# empty Go build cache (modules already downloaded; downloading them took
# well under a minute here), measured while other builds shared the machine,
# leaving 1.8 GB in the Go build cache; 267 s when that cache already held
# most of the dependencies. The binary is 92 MB. A warm cache returns at once.
#
# k8s.io/kubernetes is not built with `go install`: its go.mod replaces every
# k8s.io/* library with ./staging/src/k8s.io/*, and requires them at v0.0.0.
# This downloads the module, copies it somewhere writable, points each of
# those at the published k8s.io/* module of the same release (v0.31.4 for
# v1.31.4), tidies and builds ./cmd/kube-apiserver. The version is set with
# -ldflags -X as the release build does, so the server reports v1.31.4 (and
# not v0.0.0, which kubectl and providers would take for a very old server).
#
# Usage: scripts/build-kube-apiserver.sh [CACHE_DIR]
# Prints the path of the kube-apiserver binary; progress goes to stderr.
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-${CACHE:-$HOME/.cache/terraform-provider-segmented}}}"
version="1.31.4"
major="${version%%.*}"
minor="${version#*.}" minor="${minor%%.*}"
libs="v0.${version#*.}" # the k8s.io/* libraries of Kubernetes 1.x.y are v0.x.y
dir="$cache/kube-apiserver-$version"
bin="$dir/kube-apiserver"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$dir"
echo "building kube-apiserver v$version into $dir (about 10 minutes cold on 2 cores)..." >&2
tmp="$(mktemp -d "$dir/.build.XXXXXX")"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# The module's source, from the module cache (read-only there); downloaded
# outside any module, so that no go.mod nearby is consulted or changed.
src="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src" ] || {
  echo "build-kube-apiserver: go mod download k8s.io/kubernetes@v$version gave no directory" >&2
  exit 1
}
cp -R "$src" "$tmp/kubernetes"
chmod -R u+w "$tmp/kubernetes"
cd "$tmp/kubernetes"
rm -f go.work go.work.sum

# Every k8s.io/X => ./staging/src/k8s.io/X becomes a requirement of the
# published k8s.io/X at the release's library version.
staged="$(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/src/k8s\.io/.*#\1#p' go.mod)"
[ -n "$staged" ] || {
  echo "build-kube-apiserver: found no ./staging replacements in go.mod" >&2
  exit 1
}
edits=()
for m in $staged; do
  edits+=("-dropreplace=$m")
  # Only what the module requires (at v0.0.0); tidy adds the rest it needs.
  if grep -Eq "^[[:space:]]*(require[[:space:]]+)?$m v0\.0\.0([[:space:]]|$)" go.mod; then
    edits+=("-require=$m@$libs")
  fi
done
go mod edit "${edits[@]}"
if grep -Eq '^[[:space:]]*(require[[:space:]]+)?k8s\.io/[^[:space:]]+ v0\.0\.0([[:space:]]|$)' go.mod; then
  echo "build-kube-apiserver: go.mod still requires a k8s.io module at v0.0.0:" >&2
  grep -E 'k8s\.io/[^[:space:]]+ v0\.0\.0([[:space:]]|$)' go.mod >&2
  exit 1
fi

echo "build-kube-apiserver: go mod tidy..." >&2
GOFLAGS=-mod=mod nice -n 15 go mod tidy >&2

pkgs=(k8s.io/component-base/version k8s.io/client-go/pkg/version)
ldflags="-s -w"
for p in "${pkgs[@]}"; do
  ldflags+=" -X $p.gitVersion=v$version -X $p.gitMajor=$major -X $p.gitMinor=$minor"
  ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

echo "build-kube-apiserver: go build ./cmd/kube-apiserver..." >&2
CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath -mod=mod" nice -n 15 \
  go build -ldflags "$ldflags" -o "$tmp/kube-apiserver" ./cmd/kube-apiserver >&2
"$tmp/kube-apiserver" --version >&2
mv "$tmp/kube-apiserver" "$bin"
echo "$bin"

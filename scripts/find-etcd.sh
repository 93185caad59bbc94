#!/usr/bin/env bash
# Finds an etcd server (3.4 or newer) for the tests that run a real
# kube-apiserver on 127.0.0.1 (internal/testkit/kubeapi, make test-k8s):
# `etcd` on PATH if it is new enough, else Debian's etcd-server package
# (3.4.23 on bookworm), fetched without root and without installing it:
# `apt-get download` into a temporary directory, then `dpkg-deb -x` into the
# cache. A warm cache returns at once; a cold one takes a few seconds.
#
# The package's index must already be on the machine (apt-cache policy
# etcd-server names a candidate). This script never runs `apt-get update`: if
# the index is missing or stale, it says so and stops.
#
# Usage: scripts/find-etcd.sh [CACHE_DIR]
# Prints the path of the etcd binary; progress goes to stderr.
set -euo pipefail

cache="${1:-${SEGMENTED_CACHE:-${CACHE:-$HOME/.cache/terraform-provider-segmented}}}"
pinned="3.4.23" # bookworm's etcd-server

# etcd --version prints "etcd Version: 3.4.23" (3.4, 3.5) as its first line.
new_enough() {
  local v
  v="$("$1" --version 2>/dev/null | sed -n 's/^etcd Version: \([0-9][0-9.]*\).*/\1/p' | sed -n 1p)"
  [ -n "$v" ] || return 1
  local major="${v%%.*}" rest="${v#*.}"
  local minor="${rest%%.*}"
  [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 4 ]; }
}

if onpath="$(command -v etcd 2>/dev/null)" && new_enough "$onpath"; then
  echo "$onpath"
  exit 0
fi

# A package extracted before (the pinned version first).
for bin in "$cache/etcd-$pinned/usr/bin/etcd" "$cache"/etcd-3.*/usr/bin/etcd; do
  if [ -x "$bin" ] && new_enough "$bin"; then
    echo "$bin"
    exit 0
  fi
done

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || {
  echo "find-etcd: no etcd 3.4+ on PATH and no apt-get/dpkg-deb to fetch Debian's etcd-server: install etcd 3.4 or newer and put it on PATH" >&2
  exit 1
}

mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.etcd.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "find-etcd: no etcd 3.4+ on PATH; fetching Debian's etcd-server package into $cache..." >&2
apt_opts=()
# As root, apt drops to the _apt user to download, who cannot write into a
# private temporary directory; say plainly that root downloads it.
[ "$(id -u)" -eq 0 ] && apt_opts=(-o APT::Sandbox::User=root)
if ! (cd "$tmp" && apt-get "${apt_opts[@]}" download etcd-server >&2); then
  cat >&2 <<EOF
find-etcd: 'apt-get download etcd-server' failed. The package index on this
machine is probably missing or stale (apt-cache policy etcd-server shows what
it knows). Refresh it with 'sudo apt-get update' (this script does not run it
for you) and run this again, or put etcd 3.4 or newer on PATH.
EOF
  exit 1
fi
deb="$(ls "$tmp"/etcd-server_*.deb)"
full="$(dpkg-deb -f "$deb" Version)" # such as 3.4.23-4+b4
upstream="${full#*:}"
upstream="${upstream%%-*}"
upstream="${upstream%%+*}"
dest="$cache/etcd-$upstream"
dpkg-deb -x "$deb" "$tmp/root"
[ -x "$tmp/root/usr/bin/etcd" ] || {
  echo "find-etcd: etcd-server $full holds no usr/bin/etcd" >&2
  exit 1
}
new_enough "$tmp/root/usr/bin/etcd" || {
  echo "find-etcd: etcd-server $full is older than 3.4 (or does not run here):" >&2
  "$tmp/root/usr/bin/etcd" --version >&2 || true
  exit 1
}
rm -rf "$dest"
mv "$tmp/root" "$dest"
echo "find-etcd: etcd-server $full extracted into $dest" >&2
echo "$dest/usr/bin/etcd"

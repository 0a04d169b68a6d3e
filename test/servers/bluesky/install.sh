#!/usr/bin/env bash
# Installs the local Bluesky PDS used by hayon's integration tests (test/servers/bluesky).
# Idempotent: does nothing when node_modules matches package-lock.json and the native module is
# built; otherwise runs `npm ci`. Install scripts are allowed only for what package.json's
# `allowScripts` approves (better-sqlite3 compiles from source here, about a minute).
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.hayon-install-stamp
want=$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)
native=node_modules/better-sqlite3/build/Release/better_sqlite3.node

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$native" ]; then
  echo "bluesky test PDS: already installed"
  exit 0
fi

start=$(date +%s)
npm ci --no-audit --no-fund
# npm 11 skips install scripts that allowScripts does not approve; make sure the one native
# dependency was built even if an older npm or a config override skipped it.
[ -f "$native" ] || npm rebuild better-sqlite3
echo "$want" > "$stamp"
echo "bluesky test PDS: installed in $(( $(date +%s) - start ))s"

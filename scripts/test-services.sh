#!/usr/bin/env bash
# Installs and starts what the test suites need, idempotently: run it as often as you like.
# Each service writes how to reach it to .tmp/services/<name>.json, which the test harnesses
# read; a service already up (answering its health check) is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="$root/.tmp/services"
mkdir -p "$state"
log() { printf '[test-services] %s\n' "$*" >&2; }

# --- Bluesky: a real local PDS (@atproto/pds 0.4.x + in-memory PLC), Node 20 ---------------
pds_node=${HAYON_PDS_NODE:-$(command -v node)}
start_pds() {
  local info="$state/bluesky-pds.json"
  if [ -f "$info" ]; then
    local url
    url=$(sed -E 's/.*"url":"([^"]+)".*/\1/' "$info")
    if curl -fsS -m 2 "$url/xrpc/_health" >/dev/null 2>&1; then
      log "bluesky PDS already up at $url"
      return
    fi
    rm -f "$info"
  fi
  bash test/servers/bluesky/install.sh
  log "starting bluesky PDS"
  PDS_INFO_FILE="$info" nohup "$pds_node" test/servers/bluesky/start.mjs >"$state/bluesky-pds.log" 2>&1 &
  echo $! >"$state/bluesky-pds.pid"
  for _ in $(seq 1 120); do
    [ -f "$info" ] && { log "bluesky PDS up: $(cat "$info")"; return; }
    kill -0 "$(cat "$state/bluesky-pds.pid")" 2>/dev/null || { cat "$state/bluesky-pds.log" >&2; log "bluesky PDS died"; exit 1; }
    sleep 0.5
  done
  log "bluesky PDS did not start in 60 s"; tail -20 "$state/bluesky-pds.log" >&2; exit 1
}

start_pds
bash scripts/services/documentdb.sh
bash scripts/services/rabbitmq.sh
bash scripts/services/tools.sh
bash scripts/services/chromium.sh

#!/usr/bin/env bash
# What bench/compare needs besides scripts/test-services.sh (DocumentDB, RabbitMQ), idempotently:
# - Debian's redis-server (for BullMQ), installed with apt-get if missing, started on a free
#   local port with no persistence, reachable as {"url":"redis://127.0.0.1:<port>"} in
#   .tmp/services/redis.json. A redis already answering there is left alone.
# - bench/compare/node_modules (BullMQ, Agenda), from its package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
state="$root/.tmp/services"
info="$state/redis.json"
mkdir -p "$state"
log() { printf '[bench-compare] %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  log "installing redis-server"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# One run at a time (two runs starting redis together would each take a port).
if command -v flock >/dev/null; then
  exec 9>"$state/redis.lock"
  flock 9
fi

answers() { [ "$(redis-cli -u "$1" ping 2>/dev/null)" = PONG ]; }

url=$(sed -nE 's#.*"url": *"(redis://[^"]+)".*#\1#p' "$info" 2>/dev/null || true)
if [ -n "$url" ] && answers "$url"; then
  log "redis already up at $url"
else
  rm -f "$info"
  port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  log "starting redis-server on 127.0.0.1:$port (no persistence)"
  # 9>&-: the daemon must not keep the lock file open.
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --dir "$state" --pidfile "$state/redis.pid" --logfile "$state/redis.log" 9>&-
  url="redis://127.0.0.1:$port"
  for _ in $(seq 1 50); do answers "$url" && break; sleep 0.1; done
  answers "$url" || { tail -20 "$state/redis.log" >&2; log "redis did not answer in 5 s"; exit 1; }
  printf '{ "url": "%s" }\n' "$url" >"$info"
  log "redis up: $(cat "$info")"
fi

if [ ! -d bench/compare/node_modules ]; then
  log "installing bench/compare's packages"
  npm ci --prefix bench/compare --no-audit --no-fund >/dev/null
fi

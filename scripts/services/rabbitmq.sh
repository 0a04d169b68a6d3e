#!/usr/bin/env bash
# Installs (Debian's rabbitmq-server) and starts RabbitMQ for the tests, idempotently, and writes
# .tmp/services/rabbitmq.json. guest/guest on 127.0.0.1:5672; tests make their own vhosts.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=.tmp/services
mkdir -p "$state"
log() { printf '[rabbitmq] %s\n' "$*" >&2; }

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  log "installing rabbitmq-server"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting rabbitmq-server"
  rabbitmq-server -detached >/dev/null 2>&1 || true
fi
for _ in $(seq 1 60); do
  rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1 && break
  sleep 1
done
rabbitmqctl -q await_startup --timeout 5 >/dev/null || { log "rabbitmq did not start"; exit 1; }
# The app may have been stopped (a test restarts it); start_app is a no-op when it runs.
rabbitmqctl -q start_app >/dev/null 2>&1 || true
echo '{"url":"amqp://guest:guest@127.0.0.1:5672"}' >"$state/rabbitmq.json"
log "up: amqp://127.0.0.1:5672"

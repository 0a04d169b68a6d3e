#!/usr/bin/env bash
# Installs (Debian's rabbitmq-server) and starts RabbitMQ for the tests, idempotently, and writes
# .tmp/services/rabbitmq.json. guest/guest on 127.0.0.1:5672 (RABBITMQ_NODE_PORT to change it);
# test files make their own vhosts. A broker already up is left alone.
# Measured here: about 1.7 s when it is already up (two rabbitmqctl calls), about 4 s for a cold
# start of an installed broker, plus about 11 s for the apt-get install on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=.tmp/services
mkdir -p "$state"
started=$SECONDS
log() { printf '[rabbitmq] %s\n' "$*" >&2; }
port=${RABBITMQ_NODE_PORT:-5672}

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  log "installing rabbitmq-server"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting rabbitmq-server"
  # -detached returns before the node has registered: await_startup below fails fast until then.
  rabbitmq-server -detached >/dev/null 2>&1 || true
  deadline=$((SECONDS + 90))
  until rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "rabbitmq did not start in 90 s; see /var/log/rabbitmq/"
      exit 1
    fi
    sleep 0.5
  done
fi
# The node may run with the app stopped (`rabbitmqctl stop_app`); start_app is a no-op otherwise.
rabbitmqctl -q start_app >/dev/null 2>&1 || true
rabbitmqctl -q await_startup --timeout 30 >/dev/null || { log "rabbitmq is not ready"; exit 1; }
printf '{"url":"amqp://guest:guest@127.0.0.1:%s"}\n' "$port" >"$state/rabbitmq.json"
log "up: amqp://127.0.0.1:$port ($((SECONDS - started)) s)"

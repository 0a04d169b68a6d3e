#!/usr/bin/env bash
# Stops what test-services.sh started.
cd "$(dirname "$0")/.." || exit 0
for pidfile in .tmp/services/*.pid; do
  [ -f "$pidfile" ] || continue
  kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile" "${pidfile%.pid}.json"
done
# DocumentDB (scripts/services/documentdb.sh) is stopped by the script that started it.
if [ -f .tmp/services/mongodb.json ]; then
  bash "${HAYON_SHARED_DIR:-../shared}/servers/documentdb/setup.sh" --stop || true
  rm -f .tmp/services/mongodb.json
fi

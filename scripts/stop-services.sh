#!/usr/bin/env bash
# Stops what test-services.sh started.
cd "$(dirname "$0")/.." || exit 0
for pidfile in .tmp/services/*.pid; do
  [ -f "$pidfile" ] || continue
  kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile" "${pidfile%.pid}.json"
done

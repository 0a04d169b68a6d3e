#!/usr/bin/env bash
# Checks that docker-compose.yml is a valid Compose file. There is no Docker engine here, and
# `config` needs none: Debian's docker-compose is installed if neither it nor the plugin is there.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  fi
  compose=(docker-compose)
fi
HAYON_SECRET_KEY=check "${compose[@]}" -f docker-compose.yml config -q
echo "docker-compose.yml: valid"

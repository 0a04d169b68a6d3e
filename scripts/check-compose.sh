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
# The services read .env (env_file), which each installation makes from .env.example: check with
# that file when there is no .env, and leave nothing behind.
if [ ! -f .env ]; then
  cp .env.example .env
  trap 'rm -f .env' EXIT
fi
HAYON_SECRET_KEY=check "${compose[@]}" -f docker-compose.yml config -q
# Every container of hayon gets the settings of .env, the public S3 endpoint, and Slack and Discord.
config=$(HAYON_SECRET_KEY=check HAYON_SLACK_BOT_TOKEN=xoxb-check "${compose[@]}" -f docker-compose.yml config)
for service in api worker; do
  block=$(printf '%s\n' "$config" | awk -v s="  $service:" '$0 == s { on = 1; next } on && /^  [a-z]/ { on = 0 } on')
  for needed in HAYON_S3_PUBLIC_URL HAYON_SLACK_BOT_TOKEN HAYON_DISCORD_TOKEN; do
    if ! printf '%s\n' "$block" | grep -q "$needed"; then
      echo "docker-compose.yml: the $service service does not get $needed" >&2
      exit 1
    fi
  done
done
echo "docker-compose.yml: valid"

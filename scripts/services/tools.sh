#!/usr/bin/env bash
# Command-line tools some tests run (the README's GitHub Actions step uses jq, openssl and curl).
set -euo pipefail
missing=()
for tool in jq openssl curl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] && exit 0
printf '[tools] installing %s\n' "${missing[*]}" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

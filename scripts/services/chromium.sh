#!/usr/bin/env bash
# Chromium for the browser tests (test/browser): Debian's package, installed with apt when
# missing, never a downloaded browser build. Idempotent. Writes .tmp/services/chromium.json with
# the executable's path; playwright-core launches it by that path.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=.tmp/services
mkdir -p "$state"
bin=${HAYON_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$bin" ]; then
  printf '[chromium] installing Debian'"'"'s chromium with apt\n' >&2
  (
    flock 9
    if [ ! -x "$bin" ]; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    fi
  ) 9>"$state/chromium.lock"
fi
version=$("$bin" --version 2>/dev/null || echo unknown)
printf '{"path":"%s","version":"%s"}\n' "$bin" "$version" >"$state/chromium.json"
printf '[chromium] %s at %s\n' "$version" "$bin" >&2

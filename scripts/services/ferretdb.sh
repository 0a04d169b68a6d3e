#!/usr/bin/env bash
# FerretDB 1.24 (MongoDB wire protocol over PostgreSQL) for the MongoDB store's tests. Idempotent:
# installs FerretDB if missing, starts it unless .tmp/services/ferretdb.json already points to a
# live one, and writes {"url":"mongodb://127.0.0.1:<port>/"} there once it accepts connections.
#
#   HAYON_FERRETDB_PORT  port to listen on (default 27018)
#   HAYON_FERRETDB_HANDLER  postgresql (default: Debian's PostgreSQL, installed and started here)
#                           or sqlite (no other service; about 3x slower per write, and SQLite
#                           takes one writer at a time, which starves the scaled tests)
#
# Why not plain `go install ...@v1.24.2`: the module zip lacks build/version/version.txt (a file
# FerretDB's own build generates), and a binary built without it panics at startup ("Invalid
# build/version/version.txt file content"). So we build from a copy of the module with that file.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
state="$root/.tmp/services"
data="$state/ferretdb"
info="$state/ferretdb.json"
pidfile="$state/ferretdb.pid"
logfile="$state/ferretdb.log"
version=v1.24.2
port=${HAYON_FERRETDB_PORT:-27018}
mkdir -p "$data"
log() { printf '[ferretdb] %s\n' "$*" >&2; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A binary that starts (a plain `go install` build panics before doing anything).
works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

find_ferretdb() {
  local candidate
  for candidate in "$(command -v ferretdb 2>/dev/null || true)" "$(go env GOBIN 2>/dev/null || true)/ferretdb" \
    "$HOME/go/bin/ferretdb"; do
    if [ -n "$candidate" ] && works "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

install_ferretdb() {
  command -v go >/dev/null || { log "Go is needed to install FerretDB"; exit 1; }
  local gobin src tmp
  gobin=$(go env GOBIN)
  gobin=${gobin:-$(go env GOPATH)/bin}
  log "building FerretDB $version into $gobin (about a minute)"
  src=$(go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p')
  [ -d "$src" ] || { log "go mod download did not give a source directory"; exit 1; }
  tmp=$(mktemp -d)
  cp -R "$src/." "$tmp/"
  chmod -R u+w "$tmp"
  echo "$version" >"$tmp/build/version/version.txt"
  mkdir -p "$gobin"
  (cd "$tmp" && go build -o "$gobin/ferretdb" ./cmd/ferretdb)
  rm -rf "$tmp"
  works "$gobin/ferretdb" || { log "the FerretDB build does not start"; exit 1; }
}

handler=${HAYON_FERRETDB_HANDLER:-postgresql}
pg_url="postgres://ferret:ferret@127.0.0.1:5432/ferretdb?pool_max_conns=80"

# Debian's PostgreSQL with a `ferret` role and database, for FerretDB's postgresql handler.
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing postgresql"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
  [ -n "$version" ] || { pg_createcluster 15 main >/dev/null 9>&-; version=15; }
  # 9>&-: PostgreSQL outlives this script and must not hold its lock (later runs would wait forever).
  pg_ctlcluster "$version" main start >/dev/null 2>&1 9>&- || true
  for _ in $(seq 1 50); do port_open 5432 && break; sleep 0.2; done
  su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='ferret'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"create role ferret login superuser password 'ferret'\"" >/dev/null
  su postgres -c "psql -qtAc \"select 1 from pg_database where datname='ferretdb'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"create database ferretdb owner ferret\"" >/dev/null
}

# One run at a time (two test runners starting it together would race for the port).
if command -v flock >/dev/null; then
  exec 9>"$state/ferretdb.lock"
  flock 9
fi

# Already up?
if [ -f "$info" ]; then
  up_port=$(sed -nE 's#.*"url":"mongodb://127\.0\.0\.1:([0-9]+)/".*#\1#p' "$info")
  if [ -n "$up_port" ] && port_open "$up_port"; then
    log "already up: $(cat "$info")"
    exit 0
  fi
  rm -f "$info"
fi

# Started by an earlier run and still alive (its info file lost, or it is still starting): keep it.
ours() {
  local pid cmd
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $cmd == *"--listen-addr=127.0.0.1:$port"* ]]
}

if ! ours; then
  rm -f "$pidfile"
  if port_open "$port"; then
    log "port $port is taken by another program; set HAYON_FERRETDB_PORT"
    exit 1
  fi
  bin=$(find_ferretdb) || {
    install_ferretdb
    bin=$(find_ferretdb)
  }
  if [ "$handler" = postgresql ]; then
    ensure_postgres
    backend=(--handler=postgresql "--postgresql-url=$pg_url")
  else
    backend=(--handler=sqlite "--sqlite-url=file:$data/")
  fi
  log "starting $bin ($handler) on 127.0.0.1:$port"
  nohup "$bin" "${backend[@]}" --listen-addr="127.0.0.1:$port" --state-dir="$data" \
    --debug-addr=- --telemetry=disable --log-level=warn >"$logfile" 2>&1 9>&- &
  echo $! >"$pidfile"
fi

for _ in $(seq 1 100); do
  if port_open "$port"; then
    printf '{"url":"mongodb://127.0.0.1:%s/"}\n' "$port" >"$info"
    log "up: $(cat "$info")"
    exit 0
  fi
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -20 "$logfile" >&2; log "FerretDB died"; exit 1; }
  sleep 0.1
done
log "FerretDB did not accept connections in 10 s"
tail -20 "$logfile" >&2
exit 1

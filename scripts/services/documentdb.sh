#!/usr/bin/env bash
# DocumentDB (Microsoft's MongoDB-compatible PostgreSQL extension with its Rust wire-protocol
# gateway) for the MongoDB store's tests, the scaled tests and the scaled benches. Built and
# started by ../shared/servers/documentdb/setup.sh from the sources in ../shared/vendor/ (about
# 3 minutes the first time on 2 cores, under a second once up; idempotent). Writes
# {"url":"mongodb://…","server":"documentdb"} to .tmp/services/mongodb.json once it answers.
#
# Without ../shared (a fresh clone of the repository alone) it writes one line saying what is
# missing to .tmp/services/mongodb.missing, and the MongoDB suites skip with that reason.
#
#   HAYON_SHARED_DIR  where shared/ is (default: ../shared beside the repository)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
state="$root/.tmp/services"
info="$state/mongodb.json"
missing="$state/mongodb.missing"
logfile="$state/documentdb.log"
shared=${HAYON_SHARED_DIR:-$root/../shared}
setup="$shared/servers/documentdb/setup.sh"
vendor="$shared/vendor"
mkdir -p "$state"
log() { printf '[documentdb] %s\n' "$*" >&2; }

if [ ! -f "$setup" ] || [ ! -f "$vendor/documentdb/pg_documentdb/documentdb.control" ]; then
  rm -f "$info"
  echo "no DocumentDB: $setup or its sources in $vendor/documentdb are missing (CI has shared/ beside the repository; or set HAYON_TEST_MONGODB_URL to a MongoDB 7+ replica set)" >"$missing"
  log "$(cat "$missing"); the MongoDB suites skip"
  exit 0
fi
rm -f "$missing"

# One run at a time (two test runners starting it together would build twice).
exec 9>"$state/documentdb.lock"
flock 9

src="$vendor/documentdb"
# The vendored tree lacks pg_documentdb_gw/include/gateway_errors.txt (the upstream .gitignore
# ignores *.txt, and the copy in shared/vendor was taken without it); the gateway's error-code
# macro reads it at compile time. Until shared/vendor has it, build from a copy that does: the
# MongoDB error codes the gateway names and the external mapping does not list.
if [ ! -f "$src/pg_documentdb_gw/include/gateway_errors.txt" ]; then
  copy="$state/documentdb-src"
  if [ ! -f "$copy/pg_documentdb_gw/include/gateway_errors.txt" ]; then
    log "copying $src to $copy to add the missing pg_documentdb_gw/include/gateway_errors.txt"
    rm -rf "$copy"
    cp -a "$src" "$copy"
    chmod -R u+w "$copy"
    mkdir -p "$copy/pg_documentdb_gw/include"
    cat >"$copy/pg_documentdb_gw/include/gateway_errors.txt" <<'CODES'
ErrorName,Source,Code
Unauthorized,gateway,13
AuthenticationFailed,gateway,18
LockTimeout,gateway,24
ShutdownInProgress,gateway,91
WriteConflict,gateway,112
ConflictingOperationInProgress,gateway,117
CannotBuildIndexKeys,gateway,171
ClientMetadataCannotBeMutated,gateway,186
TransactionTooOld,gateway,225
NoSuchTransaction,gateway,251
TransactionCommitted,gateway,256
ExceededTimeLimit,gateway,262
ReauthenticationRequired,gateway,391
OutOfDiskSpace,gateway,14031
CODES
    # setup.sh rebuilds when a file's size or time changes: the same time on every machine keeps a
    # built server (in /opt/docdb) valid for a new clone of the repository.
    touch -r "$src/pg_documentdb_gw/Cargo.toml" "$copy/pg_documentdb_gw/include/gateway_errors.txt"
  fi
  src=$copy
fi

started=$(date +%s)
log "starting (setup.sh; the first build takes minutes, its steps in $logfile)"
if ! bash "$setup" "$src" "$vendor/pgvector" "$vendor/pg_cron" >"$logfile" 2>&1 9>&-; then
  tail -30 "$logfile" >&2
  log "setup.sh failed (above; all of it in $logfile)"
  exit 1
fi
url=$(sed -nE 's/.*READY (mongodb:\/\/[^ ]+).*/\1/p' "$logfile" | tail -1)
[ -n "$url" ] || { tail -20 "$logfile" >&2; log "setup.sh printed no READY line"; exit 1; }
printf '{"url":"%s","server":"documentdb"}\n' "$url" >"$info"
log "up in $(($(date +%s) - started)) s: $(sed -E 's#//[^@]*@#//…@#' "$info")"

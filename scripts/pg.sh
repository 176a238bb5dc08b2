#!/usr/bin/env bash
# Starts a private PostgreSQL 15 for the tests (own data dir, loopback only, trust auth)
# unless one is already answering on its port. Prints the admin URL for TEST_DATABASE_URL.
# With --clean, first drops the databases earlier test runs left (trackrecord_test_*: each
# test makes its own and does not drop it), so the cluster does not grow run after run.
source "$(dirname "$0")/env.sh"

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${TRACKRECORD_PG_PORT:-55432}"
# A throwaway cluster: somewhere the postgres user can reach (not under root's home).
PG_DATA="${TRACKRECORD_PG_DATA:-/tmp/trackrecord-pg-$PG_PORT}"
PG_LOG="$PG_DATA.log"
URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

[ -x "$PG_BIN/pg_ctl" ] || { echo "PostgreSQL 15 is not installed ($PG_BIN)" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

clean_old_databases() {
  [ "${1:-}" = --clean ] || return 0
  local names
  names=$(as_postgres psql -h /tmp -p "$PG_PORT" -U postgres -d postgres -Atc \
    "SELECT datname FROM pg_database WHERE datname LIKE 'trackrecord\_test\_%'" 2>/dev/null || true)
  [ -z "$names" ] && return 0
  echo "dropping $(echo "$names" | wc -l) databases left by earlier test runs" >&2
  echo "$names" | sed 's/.*/DROP DATABASE IF EXISTS "&";/' |
    as_postgres psql -q -h /tmp -p "$PG_PORT" -U postgres -d postgres >/dev/null 2>&1 || true
}

if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  clean_old_databases "${1:-}"
  echo "$URL"; exit 0
fi

init_cluster() {
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DATA"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
}
start_cluster() {
  touch "$PG_LOG"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_LOG"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=/tmp -c fsync=off -c max_connections=300" >/dev/null
}
[ -f "$PG_DATA/PG_VERSION" ] || init_cluster
# The cluster is throwaway: if it will not start (say, left broken by a killed run), make a new one.
start_cluster || { echo "PostgreSQL did not start; making a fresh test cluster" >&2; init_cluster; start_cluster; }
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
clean_old_databases "${1:-}"
echo "$URL"

# Sourced by scripts/test and the benchmarks: starts a PostgreSQL server in a temporary folder on a free
# loopback port, and stops it (removing the folder) when the calling script exits.
#
# After `start_throwaway_postgres`, PG_BIN, PG_PORT, PG_USER and PG_URL (to the `postgres` database) are set.

ensure_postgres_installed() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "== installing postgresql"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

run_as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_throwaway_postgres() {
  ensure_postgres_installed
  PG_DIR=$(mktemp -d)
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PG_USER=$(id -un)
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; PG_USER=postgres; fi
  trap stop_throwaway_postgres EXIT
  run_as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U "$PG_USER" >/dev/null
  run_as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_EXTRA_OPTIONS:-}" \
    -w start >/dev/null
  PG_URL="postgres://$PG_USER@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
}

stop_throwaway_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    run_as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

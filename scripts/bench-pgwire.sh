#!/usr/bin/env bash
# The Postgres door against PostgreSQL 15, measured in the same run: pgbench -c 8 -j 2 -T 15
# with `SELECT 1;` in simple, extended and prepared modes, then the three TPS ratios.
#   scripts/bench-pgwire.sh            (DURATION=15 CLIENTS=8 THREADS=2 to change)
# Starts its own PostgreSQL (temporary cluster, free port), local ClickHouse and pipegate
# (release build), all on 127.0.0.1, and stops them at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-15}
clients=${CLIENTS:-8}
threads=${THREADS:-2}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

PIPEGATE_WITH_POSTGRES_SERVER=1 "$root/scripts/install-deps.sh"
"$root/scripts/setup.sh"
cargo build --release --locked --manifest-path "$root/Cargo.toml" >&2
pipegate="$CARGO_TARGET_DIR/release/pipegate"

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "bench: PostgreSQL server binaries not found" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/pg/postmaster.pid" ] && su_pg "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: run it as the `postgres` user when we are root.
su_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$work"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_port=$(free_port)
chmod 755 "$work"
echo bench > "$work/pwfile"
su_pg "$pg_bin/initdb" -D "$work/pg" -U bench --auth=scram-sha-256 --pwfile="$work/pwfile" >/dev/null
su_pg "$pg_bin/pg_ctl" -D "$work/pg" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" -l "$work/pg.log" -w start >/dev/null

ch_port=$(free_port)
"$root/.venv/bin/python" "$root/scripts/chdb_http.py" --port "$ch_port" --data "$work/ch" >"$work/ch.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$ch_port/ping" >/dev/null && break; sleep 0.5; done

gw_port=$(free_port)
secret=$(openssl rand -hex 16)
PIPEGATE_CLICKHOUSE_URL="http://127.0.0.1:$ch_port" PIPEGATE_CLICKHOUSE_DATABASE=bench \
PIPEGATE_POSTGRES_LISTEN="127.0.0.1:$gw_port" PIPEGATE_HTTP_LISTEN=127.0.0.1:0 \
PIPEGATE_ADMIN_TOKEN="$secret" PIPEGATE_LOG_LEVEL=warn \
  "$pipegate" serve --project "$root/sql" >"$work/gw.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  PGPASSWORD="$secret" psql -h 127.0.0.1 -p "$gw_port" -U admin -d pipegate -Atc 'SELECT 1' >/dev/null 2>&1 && break
  sleep 0.5
done

echo 'SELECT 1;' > "$work/select1.sql"
tps() { # host port user password db mode
  PGPASSWORD="$4" pgbench -n -h "$1" -p "$2" -U "$3" -d "$5" -M "$6" -c "$clients" -j "$threads" \
    -T "$duration" -f "$work/select1.sql" 2>&1 | awk '/^tps = /{print $3; exit}'
}

printf '%-9s %14s %14s %8s\n' mode postgresql pipegate ratio
for mode in simple extended prepared; do
  pg=$(tps 127.0.0.1 "$pg_port" bench bench postgres "$mode")
  gw=$(tps 127.0.0.1 "$gw_port" admin "$secret" pipegate "$mode")
  ratio=$(python3 -c "print(f'{float(\"$gw\" or 0)/float(\"$pg\" or 1):.2f}')")
  printf '%-9s %14s %14s %7sx\n' "$mode" "$pg" "$gw" "$ratio"
done

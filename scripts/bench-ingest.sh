#!/usr/bin/env bash
# The Events API under load, against a direct bulk insert into the same ClickHouse, in one
# run: concurrent clients post 1,000-row NDJSON batches of ~200-byte events for DURATION
# seconds (every 202 follows an fsync of the write-ahead log), then the same NDJSON goes
# straight into ClickHouse with INSERT ... FORMAT JSONEachRow. Reports MB/s and rows/s of
# both, and the time from an event's acknowledgement to its being queryable (p50/p99).
#   scripts/bench-ingest.sh            (DURATION=30 CLIENTS=8 to change)
# Starts its own local ClickHouse and pipegate (release build) on free ports of 127.0.0.1,
# with a temporary project and log folder, and stops them at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-30}
clients=${CLIENTS:-8}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

"$root/scripts/setup.sh"
cargo build --release --locked --manifest-path "$root/Cargo.toml" --bin pipegate --example ingest_load >&2
pipegate="$CARGO_TARGET_DIR/release/pipegate"
load="$CARGO_TARGET_DIR/release/examples/ingest_load"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/project"
cat > "$work/project/bench.datasource" <<'DS'
SCHEMA >
    `timestamp` DateTime64(3) `json:$.timestamp`,
    `session_id` String `json:$.session_id`,
    `event` LowCardinality(String) `json:$.event`,
    `pathname` String `json:$.pathname`,
    `referrer` String `json:$.referrer`,
    `country` LowCardinality(String) `json:$.country`,
    `device` LowCardinality(String) `json:$.device`,
    `duration_ms` UInt32 `json:$.duration_ms`,
    `revenue` Nullable(Decimal(10, 2)) `json:$.revenue`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "event, timestamp"
DS

ch_port=$(free_port)
"$root/.venv/bin/python" "$root/scripts/chdb_http.py" --port "$ch_port" --data "$work/ch" >"$work/ch.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$ch_port/ping" >/dev/null && break; sleep 0.5; done

gw_port=$(free_port)
secret=$(openssl rand -hex 16)
PIPEGATE_CLICKHOUSE_URL="http://127.0.0.1:$ch_port" PIPEGATE_CLICKHOUSE_DATABASE=bench \
PIPEGATE_HTTP_LISTEN="127.0.0.1:$gw_port" PIPEGATE_POSTGRES_LISTEN=127.0.0.1:0 \
PIPEGATE_ADMIN_TOKEN="$secret" PIPEGATE_LOG_LEVEL=warn PIPEGATE_INGEST_WAL_DIR="$work/wal" \
PIPEGATE_INGEST_REQUESTS_PER_SECOND=1000000 \
  "$pipegate" serve --project "$work/project" >"$work/gw.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$gw_port/health" >/dev/null && break; sleep 0.5; done

"$load" "http://127.0.0.1:$gw_port" "$secret" "http://127.0.0.1:$ch_port" bench "$clients" "$duration"
echo "cpu: $(nproc) cores shared by the clients, pipegate and ClickHouse"

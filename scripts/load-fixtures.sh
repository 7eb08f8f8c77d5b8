#!/usr/bin/env bash
# Loads the demo fixtures into ClickHouse once: generates them when missing, and inserts each
# file only into an empty table, so running it twice inserts nothing twice.
#   PIPEGATE_CLICKHOUSE_URL       (default http://127.0.0.1:8123)
#   PIPEGATE_CLICKHOUSE_DATABASE  (default pipegate)
#   PIPEGATE_CLICKHOUSE_USER / PIPEGATE_CLICKHOUSE_PASSWORD (default: default / empty)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
url=${PIPEGATE_CLICKHOUSE_URL:-http://127.0.0.1:8123}
db=${PIPEGATE_CLICKHOUSE_DATABASE:-pipegate}
auth=(-H "X-ClickHouse-User: ${PIPEGATE_CLICKHOUSE_USER:-default}" -H "X-ClickHouse-Key: ${PIPEGATE_CLICKHOUSE_PASSWORD:-}")
fixtures="$root/sql/fixtures"

if [ ! -s "$fixtures/events.ndjson" ] || [ ! -s "$fixtures/user_events.ndjson" ]; then
  python3 "$root/scripts/gen_fixtures.py" --out "$fixtures"
fi

# ch SQL: runs one query and prints its answer. ch_insert TABLE FILE: JSONEachRow insert.
ch() { curl -sS --fail-with-body "${auth[@]}" "$url/?database=$db" --data-binary "$1"; }
ch_insert() {
  curl -sS --fail-with-body "${auth[@]}" --data-binary @"$2" \
    "$url/?database=$db&query=INSERT%20INTO%20%60$1%60%20FORMAT%20JSONEachRow" >/dev/null
}

for table in events user_events; do
  n=$(ch "SELECT count() FROM \`$table\`")
  if [ "$n" != "0" ]; then
    echo "fixtures: $table already holds $n rows; leaving it alone"
    continue
  fi
  ch_insert "$table" "$fixtures/$table.ndjson"
  echo "fixtures: loaded $(ch "SELECT count() FROM \`$table\`") rows into $table"
done

#!/usr/bin/env bash
# The local ClickHouse: the real engine (chdb-core) behind scripts/chdb_http.py, serving
# ClickHouse's HTTP interface on 127.0.0.1:${PIPEGATE_CH_PORT:-8123}, data in .data/clickhouse/.
#   scripts/clickhouse.sh start|stop|restart|status|wait
# Every subcommand is safe to run twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${PIPEGATE_CH_PORT:-8123}
data="$root/.data"
# The default port keeps the documented paths; another port gets its own, so two local
# servers never share an engine directory.
suffix=""; [ "$port" = 8123 ] || suffix="-$port"
pidfile="$data/clickhouse$suffix.pid"
log="$data/clickhouse$suffix.log"
engine_dir="$data/clickhouse$suffix"

running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
ping() { curl -fsS -m 2 "http://127.0.0.1:$port/ping" >/dev/null 2>&1; }

wait_ready() {
  for _ in $(seq 1 120); do
    if ping; then
      echo "clickhouse: ready on http://127.0.0.1:$port ($(curl -fsS "http://127.0.0.1:$port/?query=SELECT+version()"))"
      return 0
    fi
    if [ -s "$pidfile" ] && ! running; then
      echo "clickhouse: the adapter exited; see $log" >&2
      tail -n 20 "$log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  echo "clickhouse: not answering /ping on port $port after 60 s; see $log" >&2
  return 1
}

case "${1:-}" in
  start)
    if running; then
      echo "clickhouse: already running (pid $(cat "$pidfile"))"
      exit 0
    fi
    if ping; then
      echo "clickhouse: something already answers on port $port; using it"
      exit 0
    fi
    "$root/scripts/setup.sh"
    mkdir -p "$engine_dir"
    nohup "$root/.venv/bin/python" "$root/scripts/chdb_http.py" --host 127.0.0.1 \
      --port "$port" --data "$engine_dir" >>"$log" 2>&1 &
    echo $! > "$pidfile"
    echo "clickhouse: started (pid $!, log $log)"
    ;;
  stop)
    if running; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      echo "clickhouse: stopped"
    else
      echo "clickhouse: not running"
    fi
    rm -f "$pidfile"
    ;;
  restart)
    "$0" stop
    "$0" start
    ;;
  status)
    if running && ping; then
      echo "clickhouse: running (pid $(cat "$pidfile")) on port $port"
    elif running; then
      echo "clickhouse: starting (pid $(cat "$pidfile"))"
    else
      echo "clickhouse: not running"
      exit 1
    fi
    ;;
  wait)
    wait_ready
    ;;
  *)
    echo "usage: $0 start|stop|restart|status|wait" >&2
    exit 2
    ;;
esac

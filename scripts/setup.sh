#!/usr/bin/env bash
# Creates .venv/ at the repository root and installs scripts/requirements.txt into it (the
# local ClickHouse, chdb-core, and its HTTP adapter's needs) and conformance/requirements.txt
# (the real Python drivers the conformance runner uses). Safe to run twice: it does
# nothing when the installed requirements are already these.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
reqs=("$root/scripts/requirements.txt" "$root/conformance/requirements.txt")

# A venv whose python no longer runs (the system python changed under it) is made anew.
if [ -e "$venv" ] && ! "$venv/bin/python" -c "" 2>/dev/null; then
  echo "setup: $venv is broken; recreating it"
  rm -rf "$venv"
fi

if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv" 2>/dev/null; then
    echo "setup: python3 -m venv failed; installing python3-venv"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
fi

stamp="$venv/.requirements.sha256"
want=$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing $(cat "${reqs[@]}" | grep -c '^[a-z]') packages into .venv (chdb-core is large; first time takes a minute)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${reqs[@]/#/-r}"
  echo "$want" > "$stamp"
fi

# node-postgres for the conformance runner, from the committed lockfile.
node_dir="$root/conformance/node"
if command -v npm >/dev/null; then
  lock_stamp="$node_dir/node_modules/.lock.sha256"
  want_lock=$(sha256sum "$node_dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$lock_stamp" 2>/dev/null)" != "$want_lock" ]; then
    echo "setup: npm ci in conformance/node"
    (cd "$node_dir" && npm ci --silent --no-audit --no-fund)
    echo "$want_lock" > "$lock_stamp"
  fi
fi

#!/usr/bin/env bash
# Creates .venv/ at the repository root and installs scripts/requirements.txt into it: the
# local ClickHouse (chdb-core) and its HTTP adapter's needs. Safe to run twice: it does
# nothing when the installed requirements are already these.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
req="$root/scripts/requirements.txt"

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
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing $(grep -c '^[a-z]' "$req") packages into .venv (chdb-core is large; first time takes a minute)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi

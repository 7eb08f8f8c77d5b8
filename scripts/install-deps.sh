#!/usr/bin/env bash
# Installs what `make run` and `make test` need and the machine lacks, from the package
# registries: Debian packages through apt (curl, openssl, Python's venv, psql, a Java
# runtime and pgjdbc for the conformance runners; with
# PIPEGATE_WITH_POSTGRES_SERVER=1 also a PostgreSQL server, for benchmarks),
# and the Rust components rustfmt and clippy through rustup. Safe to run twice; quick when all is there.
set -euo pipefail

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v python3 >/dev/null || need_apt+=(python3)
if command -v python3 >/dev/null && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  need_apt+=(python3-venv)
fi
command -v cc >/dev/null || need_apt+=(build-essential)
# psql and pgbench drive the Postgres door in the tests; the benchmarks also start a
# PostgreSQL server to measure against.
{ command -v psql && command -v pgbench; } >/dev/null || need_apt+=(postgresql-client)
# The conformance runners: pgjdbc (Debian packages it) on a Java runtime.
command -v java >/dev/null || need_apt+=(default-jre-headless)
[ -e /usr/share/java/postgresql.jar ] || need_apt+=(libpostgresql-jdbc-java)
# node-postgres, installed by scripts/setup.sh with npm.
command -v npm >/dev/null || need_apt+=(nodejs npm)
if [ "${PIPEGATE_WITH_POSTGRES_SERVER:-0}" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "install-deps: cargo is missing; install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "install-deps: rustup component add $component"
    rustup component add "$component"
  fi
done

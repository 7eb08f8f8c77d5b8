# pipegate: `make run` serves the demo project; `make test` runs every test.
# Both install what is missing first (apt, pip into .venv/, cargo), so they work on a fresh
# machine with no prior step.

SHELL := /bin/bash
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
PIPEGATE := $(CARGO_TARGET_DIR)/release/pipegate
DATA := $(CURDIR)/.data

.PHONY: run test conformance deps venv build build-release lint unit clickhouse-start clickhouse-stop \
        fixtures admin-token tls-cert check clean

## run: install, start the local ClickHouse, deploy the demo project, load fixtures, serve.
run: deps venv build-release clickhouse-start admin-token tls-cert
	$(PIPEGATE) deploy --project sql
	scripts/load-fixtures.sh
	@echo
	@echo "pipegate: Postgres door on 127.0.0.1:6432 (TLS), HTTP door on http://127.0.0.1:7181,"
	@echo "          local ClickHouse on http://127.0.0.1:8123"
	@echo "  connect:  psql \"postgres://admin:$$(cat $(DATA)/admin_token)@127.0.0.1:6432/pipegate?sslmode=require\""
	@echo "  health:   curl -s 127.0.0.1:7181/health"
	@echo "  metrics:  curl -s 127.0.0.1:7181/metrics"
	@echo
	PIPEGATE_ADMIN_TOKEN=$$(cat $(DATA)/admin_token) \
	PIPEGATE_POSTGRES_TLS_CERT=$(DATA)/tls/server.crt PIPEGATE_POSTGRES_TLS_KEY=$(DATA)/tls/server.key \
	  exec $(PIPEGATE) serve --project sql

## test: install, then formatting, lints, and every test (unit and integration, on the real
## local ClickHouse that the tests start themselves, or PIPEGATE_CLICKHOUSE_URL).
test: deps venv lint
	@mkdir -p $(DATA)
	cargo test --locked 2>&1 | tee $(DATA)/test.log; exit $${PIPESTATUS[0]}
	@echo "make test: all passed"

## conformance: the real clients against a real gateway (also part of `make test`).
conformance: deps venv
	cargo test --locked --test it -- conformance:: pg::

deps:
	@scripts/install-deps.sh

venv:
	@scripts/setup.sh

build:
	cargo build --locked

build-release:
	cargo build --release --locked

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --locked -- -D warnings

clickhouse-start: venv
	scripts/clickhouse.sh start
	scripts/clickhouse.sh wait

clickhouse-stop:
	scripts/clickhouse.sh stop

fixtures:
	scripts/load-fixtures.sh

## admin-token: the admin token's secret, generated once under .data/.
admin-token:
	@mkdir -p $(DATA)
	@[ -s $(DATA)/admin_token ] || (umask 077; openssl rand -hex 24 > $(DATA)/admin_token)

## tls-cert: a self-signed certificate for the Postgres door, so sslmode=require works.
tls-cert:
	@mkdir -p $(DATA)/tls
	@[ -s $(DATA)/tls/server.key ] || (umask 077; openssl req -x509 -newkey rsa:2048 -nodes \
	  -days 825 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
	  -keyout $(DATA)/tls/server.key -out $(DATA)/tls/server.crt 2>/dev/null)

check: build
	$(CARGO_TARGET_DIR)/debug/pipegate check sql

clean: clickhouse-stop
	rm -rf $(DATA)

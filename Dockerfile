# syntax=docker/dockerfile:1
# pipegate: multi-stage build, non-root runtime, health-checked.
#   docker build -t pipegate .
#   docker compose up        (with clickhouse/clickhouse-server; see docker-compose.yml)

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# Cache mounts keep the registry and build directory between builds; the binary is copied
# out because the cache mount is not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin pipegate \
 && install -m 0755 target/release/pipegate /usr/local/bin/pipegate

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pipegate \
 && useradd --system --uid 10001 --gid pipegate --home-dir /var/lib/pipegate --create-home pipegate
COPY --from=build /usr/local/bin/pipegate /usr/local/bin/pipegate
COPY sql /app/sql
COPY pipegate.example.toml /app/pipegate.example.toml
WORKDIR /var/lib/pipegate
USER pipegate:pipegate
ENV PIPEGATE_PROJECT_DIR=/app/sql \
    PIPEGATE_POSTGRES_LISTEN=0.0.0.0:6432 \
    PIPEGATE_HTTP_LISTEN=0.0.0.0:7181 \
    PIPEGATE_LOG_FORMAT=json
EXPOSE 6432 7181
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:7181/health || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/pipegate"]
CMD ["serve"]

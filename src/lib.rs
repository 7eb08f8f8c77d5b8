//! pipegate: ClickHouse behind the PostgreSQL wire protocol, with an HTTP door for the
//! Events API and pipe endpoints.
//!
//! # Layout
//! - [`config`]: the serde configuration tree, its documented defaults and `PIPEGATE_*` overrides.
//! - [`project`]: the project's datafiles (`.datasource`, `.pipe`), their parser and deploy.
//! - [`template`]: the pipe template language (Tinybird's Tornado subset).
//! - [`auth`]: tokens, scopes and the principal a session carries.
//! - [`pg_server`]: the Postgres door: listener, TLS, SCRAM login, protocol handlers.
//! - [`query`]: the query path from a client's SQL to ClickHouse and back.
//! - [`clickhouse`]: the ClickHouse client, its errors and the type names it speaks.
//! - [`ingest`]: the Events API's engine: conversion, write-ahead log, flushers, idempotency.
//! - [`http`]: the HTTP door (health, metrics, the Events API; later pipe endpoints).
//! - [`metrics`]: Prometheus counters for `/metrics`.
//! - [`state`]: the state both doors share.
//! - [`server`]: boots the doors over one shared state and shuts them down gracefully.
//! - [`telemetry`]: logging setup (human-readable or JSON).
//!
//! The catalog and the cache arrive with their issues; DESIGN.md describes where each will
//! live.

pub mod auth;
pub mod clickhouse;
pub mod config;
pub mod http;
pub mod ingest;
pub mod metrics;
pub mod pg_server;
pub mod project;
pub mod query;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod template;
pub mod translate;

pub use config::Config;
pub use server::run;

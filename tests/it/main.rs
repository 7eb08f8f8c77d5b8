//! Integration tests: one binary, so the local ClickHouse starts once per run. Each test
//! works in its own ClickHouse database. See `common/` for the harness.

mod common;

mod adapter;
mod cli;
mod conformance;
mod deploy;
mod escape;
mod golden;
mod http;
mod ingest;
mod pg;
mod pgtypes;
mod pipe_endpoints;
mod pipe_views;
mod protocol;

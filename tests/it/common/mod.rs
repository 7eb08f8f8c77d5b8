//! The integration-test harness: the real ClickHouse (local adapter or
//! `PIPEGATE_CLICKHOUSE_URL`), fresh databases, and the gateway on free ports.
#![allow(dead_code)]

pub mod clickhouse;
pub mod gateway;

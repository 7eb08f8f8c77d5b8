//! The ClickHouse side: client, errors and type names.
mod client;
mod error;
pub mod types;

pub use client::ClickHouse;
pub use error::{parse_exception, ClickHouseError};

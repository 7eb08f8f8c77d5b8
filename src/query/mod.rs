//! The query path, top to bottom in [`run`]: parse → classify → (session statements answered
//! from the session | constants answered locally | data queries resolved, executed on
//! ClickHouse and streamed back). Writes are refused as in a read-only transaction.

mod error;
pub mod resolve;

use std::sync::Arc;

use crate::auth::Principal;
use crate::state::AppState;

pub use error::QueryError;

/// What one statement produced.
pub enum Reply {
    /// An empty statement (only comments or whitespace).
    Empty,
    /// A command without rows: its PostgreSQL command tag (`SET`, `BEGIN`, ...).
    Command(String),
}

/// The context of one statement: the shared state and who is asking.
pub struct Context<'a> {
    pub state: &'a Arc<AppState>,
    pub principal: &'a Principal,
}

/// Runs every statement of `sql` in order; the first error stops the rest, as in
/// PostgreSQL's simple query protocol.
pub async fn run(sql: &str, ctx: &Context<'_>) -> Vec<Result<Reply, QueryError>> {
    let _ = (sql, ctx);
    vec![Err(QueryError::Unsupported {
        feature: "queries on the Postgres door".into(),
        hint: None,
    })]
}

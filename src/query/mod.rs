//! The query path, top to bottom in [`run`]: parse → classify → (session statements answered
//! from the session | constants answered locally | data queries translated (relations
//! resolved, parameters bound, PostgreSQL semantics kept), executed on ClickHouse whole and
//! streamed back). Writes are refused as in a read-only transaction.

pub mod classify;
pub mod constant;
pub mod describe;
mod error;
mod execute;
pub mod infer;
pub mod session;
pub mod sqlstate;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use pgwire::api::Type;

use crate::auth::Principal;
use crate::state::AppState;
use crate::translate;

use classify::Kind;
pub use error::QueryError;
pub use execute::ChRows;
use session::{Notice, Session, SessionReply};

/// What one statement produced.
pub enum Reply {
    /// An empty statement (only comments or whitespace).
    Empty,
    /// A command without rows: its PostgreSQL command tag (`SET`, `BEGIN`, ...).
    Command { tag: String, notices: Vec<Notice> },
    /// Rows computed in the gateway (SHOW, constant selects), as text.
    Local {
        columns: Vec<(String, Type)>,
        rows: Vec<Vec<Option<String>>>,
        tag: &'static str,
    },
    /// A ClickHouse result, streamed as the client reads it.
    Rows(ChRows),
}

/// The ClickHouse query id a connection is running, for CancelRequest.
pub type RunningQuery = Arc<std::sync::Mutex<Option<String>>>;

/// The context of one statement: the shared state, who is asking, and their session.
pub struct Context<'a> {
    pub state: &'a Arc<AppState>,
    pub principal: &'a Principal,
    pub session: &'a mut Session,
    /// Where the running query's id goes, so a cancel can find it.
    pub running: Option<RunningQuery>,
}

/// Runs every statement of `sql` in order. As in PostgreSQL's simple query protocol, the
/// first error stops the rest, and several statements run as one implicit transaction.
pub async fn run(
    sql: &str,
    params: &[String],
    ctx: &mut Context<'_>,
) -> Vec<Result<Reply, QueryError>> {
    match classify::classify(sql) {
        Ok(statements) => run_classified(&statements, params, ctx).await,
        Err(e) => {
            ctx.session.fail();
            vec![Err(e)]
        }
    }
}

/// Like [`run`], for statements already classified (a prepared statement keeps its
/// classification from Parse, so Execute does not parse again).
pub async fn run_classified(
    statements: &[classify::Classified],
    params: &[String],
    ctx: &mut Context<'_>,
) -> Vec<Result<Reply, QueryError>> {
    let implicit = statements.len() > 1;
    if implicit {
        ctx.session.begin_implicit();
    }
    let mut replies = Vec::with_capacity(statements.len());
    let mut ok = true;
    for statement in statements {
        let reply = run_one(statement, params, ctx).await;
        if reply.is_err() {
            ctx.session.fail();
            ok = false;
        }
        replies.push(reply);
        if !ok {
            break;
        }
    }
    if implicit {
        ctx.session.end_implicit(ok);
    }
    replies
}

/// One classified statement: session statements and constants are answered here, data
/// queries are resolved against the project and pushed down to ClickHouse whole.
async fn run_one(
    statement: &classify::Classified,
    params: &[String],
    ctx: &mut Context<'_>,
) -> Result<Reply, QueryError> {
    let command = match &statement.kind {
        Kind::Session(c) => Some(c),
        _ => None,
    };
    ctx.session.admits(command)?;
    match &statement.kind {
        Kind::Empty => Ok(Reply::Empty),
        Kind::Session(command) => {
            let outcome = ctx.session.execute(command)?;
            Ok(match outcome.reply {
                SessionReply::Command(tag) => Reply::Command {
                    tag,
                    notices: outcome.notices,
                },
                SessionReply::Rows { columns, rows } => Reply::Local {
                    columns: columns.into_iter().map(|c| (c, Type::TEXT)).collect(),
                    rows: rows
                        .into_iter()
                        .map(|r| r.into_iter().map(Some).collect())
                        .collect(),
                    tag: "SHOW",
                },
            })
        }
        Kind::Constant(constant) => {
            let values = constant.evaluate(ctx.session.extra_float_digits())?;
            Ok(Reply::Local {
                columns: values
                    .iter()
                    .map(|c| (c.name.clone(), c.pg_type.clone()))
                    .collect(),
                rows: vec![values.into_iter().map(|c| c.value).collect()],
                tag: "SELECT",
            })
        }
        Kind::Catalog => Err(QueryError::Unsupported {
            feature: "reading the system catalogs (pg_catalog, information_schema)".into(),
            hint: Some("The catalog arrives with the pg_catalog issue.".into()),
        }),
        Kind::Data => {
            let parsed = statement
                .statement
                .as_ref()
                .ok_or_else(|| QueryError::Syntax {
                    message: "syntax error".into(),
                })?;
            let state = ctx.state;
            let no_pipes = Default::default();
            let pipes = state.pipe_columns().await.unwrap_or(&no_pipes);
            let translation = translate::translate(
                parsed,
                &translate::Env {
                    project: &state.project,
                    principal: ctx.principal,
                    catalog: &state.config.postgres.database,
                    database: state.clickhouse.database(),
                    params,
                    pipes,
                    session_params: &ctx.session.params(),
                    describe: false,
                },
            )?;
            let query_id = next_query_id();
            if let Some(slot) = &ctx.running {
                if let Ok(mut running) = slot.lock() {
                    *running = Some(query_id.clone());
                }
            }
            let rows = execute::execute(
                &state.clickhouse,
                &translation,
                ctx.session.statement_timeout(),
                query_id,
            )
            .await?;
            Ok(Reply::Rows(rows))
        }
        Kind::Write { .. } | Kind::Unsupported { .. } => Err(statement
            .kind
            .error()
            .unwrap_or_else(|| QueryError::Unsupported {
                feature: "this statement".into(),
                hint: None,
            })),
    }
}

/// A ClickHouse query id unique within this process: `pipegate-<pid>-<n>`.
fn next_query_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "pipegate-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

//! Describe: the columns a statement will return and the types of its parameters, without
//! running it (the extended protocol's Describe). Data queries ask ClickHouse with
//! `DESCRIBE (query)`, parameters standing in as NULL.

use std::ops::ControlFlow;

use pgwire::api::Type;
use sqlparser::ast::{Expr, Statement, Value, VisitMut, VisitorMut};

use crate::clickhouse::types::ChType;
use crate::pg_server::types::{pg_type, pg_typmod};

use std::sync::Arc;

use crate::auth::Principal;
use crate::state::AppState;

use super::classify::{Classified, Kind};
use super::session::{Session, SessionCommand};
use super::{resolve, QueryError};

/// A described statement (its parameter types come from Parse; see `infer`).
pub struct Described {
    /// The result columns (name, type, typmod); None when it returns no rows.
    pub columns: Option<Vec<(String, Type, i32)>>,
}

/// Describes the first of `statements` (a prepared statement's classification).
pub async fn describe(
    statements: &[Classified],
    state: &Arc<AppState>,
    principal: &Principal,
    session: &Session,
) -> Result<Described, QueryError> {
    let Some(first) = statements.first() else {
        return Ok(Described { columns: None });
    };
    let text = |n: &str| (n.to_string(), Type::TEXT, -1);
    let columns = match &first.kind {
        Kind::Session(SessionCommand::Show { name }) => {
            let shown = session.canonical_name(name).unwrap_or_else(|| name.clone());
            Some(vec![text(&shown)])
        }
        Kind::Session(SessionCommand::ShowAll) => {
            Some(vec![text("name"), text("setting"), text("description")])
        }
        Kind::Constant(c) => Some(c.fields().into_iter().map(|(n, t)| (n, t, -1)).collect()),
        Kind::Data => {
            let mut parsed = first.statement.clone().ok_or_else(|| QueryError::Syntax {
                message: "syntax error".into(),
            })?;
            let stand_ins: Vec<String> = super::infer::infer_known(&parsed, &state.project)
                .iter()
                .map(|t| super::infer::stand_in(t.as_ref()))
                .collect();
            resolve::Resolver {
                project: &state.project,
                principal,
                catalog: &state.config.postgres.database,
                database: state.clickhouse.database(),
            }
            .resolve(&mut parsed)?;
            bind(&mut parsed, &stand_ins)?;
            let rows = state
                .clickhouse
                .fetch_tsv(&format!("DESCRIBE ({parsed}\n)"))
                .await?;
            let cols = rows
                .into_iter()
                .filter_map(|r| {
                    let name = r.first()?.clone();
                    let ty = ChType::parse(r.get(1)?).ok();
                    Some(match ty {
                        Some(t) => (name, pg_type(&t), pg_typmod(&t)),
                        None => (name, Type::TEXT, -1),
                    })
                })
                .collect();
            return Ok(Described {
                columns: Some(cols),
            });
        }
        _ => None,
    };
    Ok(Described { columns })
}

/// Replaces each `$n` with the n-th bound value (a ClickHouse literal), or NULL when
/// `values` is empty (for DESCRIBE). Returns the number of parameters the statement uses.
pub fn bind(statement: &mut Statement, values: &[String]) -> Result<usize, QueryError> {
    struct Binder<'v> {
        values: &'v [String],
        highest: usize,
    }
    impl VisitorMut for Binder<'_> {
        type Break = QueryError;
        fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<QueryError> {
            let Expr::Value(v) = expr else {
                return ControlFlow::Continue(());
            };
            let Value::Placeholder(p) = &v.value else {
                return ControlFlow::Continue(());
            };
            let Some(n) = p
                .strip_prefix('$')
                .and_then(|d| d.parse::<usize>().ok())
                .filter(|n| *n > 0)
            else {
                return ControlFlow::Break(QueryError::Syntax {
                    message: format!("syntax error at or near \"{p}\""),
                });
            };
            self.highest = self.highest.max(n);
            let literal = if self.values.is_empty() {
                "NULL".to_string()
            } else {
                match self.values.get(n - 1) {
                    Some(l) => l.clone(),
                    None => {
                        return ControlFlow::Break(QueryError::Coded {
                            code: "08P01",
                            message: format!(
                                "bind message supplies {} parameters, but prepared statement requires at least {n}",
                                self.values.len()
                            ),
                            hint: None,
                        })
                    }
                }
            };
            // The literal is already a complete, escaped ClickHouse expression; an unquoted
            // identifier prints it verbatim.
            *expr = Expr::Identifier(sqlparser::ast::Ident::new(literal));
            ControlFlow::Continue(())
        }
    }
    let mut binder = Binder { values, highest: 0 };
    match statement.visit(&mut binder) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(binder.highest),
    }
}

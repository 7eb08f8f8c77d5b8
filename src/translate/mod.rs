//! Postgres → ClickHouse: a data query's sqlparser AST (PostgreSQL dialect) is rebuilt as a
//! ClickHouse query with PostgreSQL's semantics, then rendered as SQL.
//!
//! The rewrite is an allowlist. Every node kind is matched explicitly; a construct without
//! a rule is `0A000` naming it, and nothing unknown is ever forwarded. Relations resolve to
//! the project's datasources (or the query's own CTEs and subqueries); every function is
//! either mapped from PostgreSQL or on the reviewed ClickHouse allowlist.
//!
//! - `relation`: table names → datasource tables, with their column types;
//! - `query`, `select`, `from`: query shapes (WITH, set operations, ORDER BY, LIMIT; the
//!   select list and its names; FROM and joins);
//! - `expr`, `operator`, `pattern`: expressions, operators, LIKE/regex/ANY;
//! - `pipe`: pipes as views, their parameters bound from calls, WHERE and the session;
//! - `func`, `agg`, `allowlist`: PostgreSQL's functions, aggregates and windows, and the
//!   reviewed ClickHouse functions;
//! - `time`, `cast`, `array`, `text`: dates and intervals, casts and typed literals, arrays
//!   and `generate_series`, `format()` and JSON;
//! - `ty`, `name`, `render`: PostgreSQL types of expressions, PostgreSQL's column names,
//!   and identifiers and literals quoted as ClickHouse reads them.

mod agg;
mod allowlist;
mod array;
mod cast;
mod expr;
mod from;
mod func;
mod name;
mod operator;
mod pattern;
pub mod pipe;
mod query;
pub mod relation;
mod render;
mod select;
mod text;
mod time;
mod ty;

use sqlparser::ast::Statement;

use crate::auth::Principal;
use crate::project::Project;
use crate::query::QueryError;

pub use ty::Ty;

/// What a translation may see: the project, who is asking, and where the tables live.
pub struct Env<'a> {
    pub project: &'a Project,
    pub principal: &'a Principal,
    /// The database name clients connect with, accepted as a catalog qualifier.
    pub catalog: &'a str,
    /// The ClickHouse database that holds the datasources' tables.
    pub database: &'a str,
    /// Bound `$n` parameters, each a complete ClickHouse literal; empty to leave them NULL
    /// (for Describe).
    pub params: &'a [String],
    /// Each pipe's output columns (a pipe missing here reads with unknown columns).
    pub pipes: &'a crate::state::PipeColumns,
    /// The session's `pipegate.param.*` values, pipe parameter defaults.
    pub session_params: &'a [(String, String)],
    /// Translating to describe the result (Parse/Describe), not to run it: `$n` values are
    /// stand-ins, so pipes render as deploy describes them (every parameter defined).
    pub describe: bool,
}

/// A translated data query.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The ClickHouse SQL.
    pub sql: String,
    /// The result columns' PostgreSQL names, in order, when the translation knows them all
    /// (it does unless a `*` reads a relation of unknown shape). ClickHouse's own names may
    /// differ: PostgreSQL allows duplicate names, ClickHouse aliases must be unique.
    pub columns: Option<Vec<String>>,
    /// The ClickHouse settings the query needs beyond the defaults every data query gets.
    pub settings: Vec<(&'static str, &'static str)>,
}

/// Translates one data query.
pub fn translate(statement: &Statement, env: &Env) -> Result<Translation, QueryError> {
    let Statement::Query(q) = statement else {
        return Err(QueryError::Unsupported {
            feature: "this statement".into(),
            hint: None,
        });
    };
    refuse_forbidden_functions(statement)?;
    let mut tx = query::Translator::new(env);
    let (out, shape) = tx.query(q)?;
    Ok(Translation {
        sql: out.to_string(),
        columns: shape.map(|s| s.into_iter().map(|c| c.name).collect()),
        settings: tx.settings(),
    })
}

/// `42501` for a file, network or server function anywhere in the statement, before any
/// other check can answer first with a less telling code.
fn refuse_forbidden_functions(statement: &Statement) -> Result<(), QueryError> {
    let found = sqlparser::ast::visit_expressions(statement, |e| match e {
        sqlparser::ast::Expr::Function(f) if relation::is_forbidden_function(&f.name) => {
            std::ops::ControlFlow::Break(f.name.to_string())
        }
        _ => std::ops::ControlFlow::Continue(()),
    });
    match found {
        std::ops::ControlFlow::Break(name) => Err(QueryError::PermissionDenied {
            kind: "function",
            name,
        }),
        std::ops::ControlFlow::Continue(()) => Ok(()),
    }
}

/// `0A000` for a construct without a translation rule.
fn unsupported(feature: impl Into<String>) -> QueryError {
    QueryError::Unsupported {
        feature: feature.into(),
        hint: None,
    }
}

#[cfg(test)]
mod tests;

//! Describe: the columns a statement will return and the types of its parameters, without
//! running it (the extended protocol's Describe). Data queries ask ClickHouse with
//! `DESCRIBE (query)`, parameters standing in as NULL.

use pgwire::api::Type;

use crate::clickhouse::types::ChType;
use crate::pg_server::types::{pg_type, pg_typmod};

use std::sync::Arc;

use crate::auth::Principal;
use crate::state::AppState;

use super::classify::{Classified, Kind};
use super::session::{Session, SessionCommand};
use super::QueryError;

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
            let parsed = first.statement.as_ref().ok_or_else(|| QueryError::Syntax {
                message: "syntax error".into(),
            })?;
            let stand_ins: Vec<String> = super::infer::infer_known(parsed, &state.project)
                .iter()
                .map(|t| super::infer::stand_in(t.as_ref()))
                .collect();
            let no_pipes = Default::default();
            let pipes = state.pipe_columns().await.unwrap_or(&no_pipes);
            let translation = crate::translate::translate(
                parsed,
                &crate::translate::Env {
                    project: &state.project,
                    principal,
                    catalog: &state.config.postgres.database,
                    database: state.clickhouse.database(),
                    params: &stand_ins,
                    pipes,
                    session_params: &session.params(),
                    describe: true,
                },
            )?;
            let settings: Vec<String> = super::execute::DATA_QUERY_SETTINGS
                .iter()
                .chain(&translation.settings)
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            let rows = state
                .clickhouse
                .fetch_tsv_in_database(&format!(
                    "DESCRIBE ({}\n) SETTINGS {}",
                    translation.sql,
                    settings.join(", ")
                ))
                .await?;
            let names = translation.columns.filter(|n| n.len() == rows.len());
            let cols = rows
                .into_iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    let name = match &names {
                        Some(n) => n.get(i)?.clone(),
                        None => r.first()?.clone(),
                    };
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

//! `POST /v0/datasources?name=<ds>&mode=append[&format=csv|ndjson][&wait=true]`: bulk
//! append, as Tinybird's Data Sources API has it. The body (CSV or NDJSON, gzip welcome)
//! goes through the same pipeline as the Events API: the same token rule, limits, log,
//! idempotency and answer. Datasources are created by deploy, so `append` is the only mode.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde::Deserialize;

use crate::ingest::Format;
use crate::state::AppState;

use super::events::{ingest, parse_wait, Request};
use super::HttpError;

#[derive(Debug, Deserialize)]
pub struct DatasourcesQuery {
    name: Option<String>,
    mode: Option<String>,
    format: Option<String>,
    wait: Option<String>,
    token: Option<String>,
}

pub async fn post(
    State(state): State<Arc<AppState>>,
    query: Result<Query<DatasourcesQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let Query(query) =
        query.map_err(|e| HttpError::BadRequest(format!("bad query string: {}", e.body_text())))?;
    let datasource = query
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            HttpError::BadRequest(
                "name the datasource: /v0/datasources?name=<datasource>&mode=append".into(),
            )
        })?;
    match query.mode.as_deref() {
        Some("append") => {}
        None => {
            return Err(HttpError::BadRequest(
                "say mode=append: datasources are created by `pipegate deploy`".into(),
            ))
        }
        Some(other) => {
            return Err(HttpError::BadRequest(format!(
                "mode {other:?} is not supported: only mode=append is (datasources are created and replaced by `pipegate deploy`)"
            )))
        }
    }
    let request = Request {
        datasource,
        wait: parse_wait(query.wait.as_deref())?,
        query_token: query.token.as_deref(),
        format: format_of(query.format.as_deref(), &headers)?,
    };
    ingest(&state, request, &headers, body).await
}

/// `format=` when given, else the Content-Type, else CSV (as in Tinybird).
fn format_of(format: Option<&str>, headers: &HeaderMap) -> Result<Format, HttpError> {
    if let Some(f) = format {
        return match f.to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "ndjson" | "json" => Ok(Format::Json),
            other => Err(HttpError::BadRequest(format!(
                "format {other:?} is not supported: use csv or ndjson"
            ))),
        };
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Ok(match content_type.as_str() {
        "application/x-ndjson" | "application/ndjson" | "application/json" => Format::Json,
        _ => Format::Csv,
    })
}

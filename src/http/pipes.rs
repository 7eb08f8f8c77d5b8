//! `GET /v0/pipes/<name>.{json,csv,ndjson,parquet}`: a pipe as an HTTP endpoint, as
//! Tinybird serves it. The query string's parameters render the pipe's template; the
//! result streams from ClickHouse in the format asked for. `json` is ClickHouse's JSON
//! format, which is Tinybird's shape: `meta`, `data`, `rows`, `rows_before_limit_at_least`
//! and `statistics {elapsed, rows_read, bytes_read}`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::auth::Principal;
use crate::clickhouse::ClickHouseError;
use crate::project::compile::compile;
use crate::project::Pipe;
use crate::state::AppState;
use crate::template::{RenderMode, TemplateError, Value, Vars, RESERVED_NAMES};

use super::events::presented_token;
use super::HttpError;

/// How long a pipe query may run, as the Postgres door's default `statement_timeout`.
const QUERY_TIMEOUT: Duration = Duration::from_secs(10);

/// The formats a pipe is served in: (extension, ClickHouse format, Content-Type).
pub(super) const FORMATS: &[(&str, &str, &str)] = &[
    ("json", "JSON", "application/json"),
    ("csv", "CSVWithNames", "text/csv; charset=utf-8"),
    ("ndjson", "JSONEachRow", "application/x-ndjson"),
    ("parquet", "Parquet", "application/vnd.apache.parquet"),
];

pub async fn get(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let Query(pairs) =
        query.map_err(|e| HttpError::BadRequest(format!("bad query string: {}", e.body_text())))?;
    let query_token = pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.as_str());
    let principal = authenticate(&state, &headers, query_token)?;
    let (name, extension) = file.rsplit_once('.').ok_or_else(|| {
        HttpError::NotFound(format!(
            "no route for /v0/pipes/{file}: name a format, as in /v0/pipes/{file}.json"
        ))
    })?;
    let &(_, format, content_type) = FORMATS
        .iter()
        .find(|(ext, _, _)| *ext == extension)
        .ok_or_else(|| {
            HttpError::NotFound(format!(
                "format {extension:?} is not served: use json, csv, ndjson or parquet"
            ))
        })?;
    let pipe = readable_pipe(&state, &principal, name)?;
    let compiled = compile(pipe, &vars(&pairs), RenderMode::Request).map_err(|e| {
        tracing::debug!(pipe = %name, error = %e, "pipe did not render");
        template_error(*e.source)
    })?;
    let query_id = format!("pipegate-http-{}", uuid_like());
    let mut query = state
        .clickhouse
        .query_client()
        .query_raw(&compiled.sql)
        .with_setting("readonly", "2")
        .with_setting("query_id", &query_id)
        .with_setting("max_execution_time", QUERY_TIMEOUT.as_secs().to_string())
        // Tinybird's JSON has 64-bit integers as numbers; `/` needs no escape.
        .with_setting("output_format_json_quote_64bit_integers", "0")
        .with_setting("output_format_json_escape_forward_slashes", "0");
    if let Some(threads) = compiled.max_threads {
        query = query.with_setting("max_threads", threads.to_string());
    }
    let mut cursor = query
        .fetch_bytes(format)
        .map_err(|e| clickhouse_error(ClickHouseError::from(e)))?;
    // The first chunk decides the status: ClickHouse reports most errors before any row.
    let first = cursor
        .next()
        .await
        .map_err(|e| clickhouse_error(ClickHouseError::from(e)))?;
    let rest = futures::stream::unfold(cursor, |mut cursor| async move {
        match cursor.next().await {
            Ok(Some(chunk)) => Some((Ok::<_, std::io::Error>(chunk), cursor)),
            Ok(None) => None,
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), cursor)),
        }
    });
    let body = futures::stream::iter(first.map(Ok)).chain(rest);
    let mut response = Body::from_stream(body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(response)
}

/// The token's principal; 403 without a valid one.
pub(super) fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    query_token: Option<&str>,
) -> Result<Principal, HttpError> {
    let presented = presented_token(headers, query_token)?;
    state
        .tokens
        .find_by_secret(presented.as_bytes())
        .map(|t| t.principal())
        .ok_or_else(|| HttpError::Forbidden("invalid token".into()))
}

/// An endpoint pipe the principal may read: 404 when there is none by that name, 403 when
/// the token may not read it.
fn readable_pipe<'a>(
    state: &'a AppState,
    principal: &Principal,
    name: &str,
) -> Result<&'a Pipe, HttpError> {
    let pipe = state
        .project
        .pipe(name)
        .filter(|p| p.is_endpoint())
        .ok_or_else(|| HttpError::NotFound(format!("pipe {name:?} does not exist")))?;
    if !principal.can_read_pipe(name) {
        return Err(HttpError::Forbidden(format!(
            "token {:?} may not read pipe {name:?} (it needs PIPES:READ:{name})",
            principal.name
        )));
    }
    Ok(pipe)
}

/// The template's values: every query parameter but the door's own; a repeated one is a
/// list (`?t=a&t=b`).
fn vars(pairs: &[(String, String)]) -> Vars {
    let mut vars = Vars::new();
    for (k, v) in pairs {
        if RESERVED_NAMES.contains(&k.as_str()) {
            continue;
        }
        let value = match vars.remove(k) {
            None => Value::Str(v.clone()),
            Some(Value::Str(first)) => Value::List(vec![first, v.clone()]),
            Some(Value::List(mut all)) => {
                all.push(v.clone());
                Value::List(all)
            }
        };
        vars.insert(k.clone(), value);
    }
    vars
}

/// A template that refused the request: the client's fault (400, or `custom_error`'s
/// status) unless the pipe itself is broken (500).
fn template_error(e: TemplateError) -> HttpError {
    match e {
        TemplateError::CustomError {
            message,
            status,
            body,
            ..
        } => HttpError::Custom {
            status: status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::BAD_REQUEST),
            message,
            body: body.map(|b| *b),
        },
        TemplateError::MissingParam { .. }
        | TemplateError::InvalidParam { .. }
        | TemplateError::UserError { .. }
        | TemplateError::Eval { .. } => HttpError::BadRequest(e.to_string()),
        TemplateError::Syntax { .. }
        | TemplateError::Sandbox { .. }
        | TemplateError::Reserved { .. } => {
            HttpError::Internal(format!("the pipe does not render: {e}"))
        }
    }
}

/// ClickHouse's refusal: a timeout is 408; any other error is 500 with ClickHouse's text
/// (the template checked the client's values, so what ClickHouse refuses is the pipe's).
fn clickhouse_error(e: ClickHouseError) -> HttpError {
    match e.code() {
        // TIMEOUT_EXCEEDED
        Some(159) => HttpError::Timeout(format!(
            "the pipe ran past its time limit of {} s",
            QUERY_TIMEOUT.as_secs()
        )),
        _ => match e {
            ClickHouseError::Unavailable(_) => HttpError::Unavailable(e.to_string()),
            ClickHouseError::Timeout => HttpError::Timeout(e.to_string()),
            other => HttpError::Internal(other.to_string()),
        },
    }
}

/// A random id for ClickHouse's `query_id`.
fn uuid_like() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes[..]);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

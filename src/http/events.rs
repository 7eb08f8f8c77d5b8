//! `POST /v0/events?name=<ds>[&wait=true]`: the Events API's HTTP side. It authenticates
//! the bearer, reads the body within its limit (413 past it), undoes `Content-Encoding:
//! gzip`, and hands the events to [`crate::ingest`]. The answer is 202 once the events are
//! durable, or 200 with `wait=true` once they are in ClickHouse:
//! `{"successful_rows":N,"quarantined_rows":M}`.

use std::io::Read;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::json;

use crate::ingest::{Format, IngestError};
use crate::state::AppState;

use super::HttpError;

/// The longest `Idempotency-Key` taken.
const MAX_KEY_LEN: usize = 256;

/// The query string of a request.
#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    name: Option<String>,
    wait: Option<String>,
    token: Option<String>,
}

pub async fn post(
    State(state): State<Arc<AppState>>,
    query: Result<Query<EventsQuery>, QueryRejection>,
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
            HttpError::BadRequest("name the datasource: /v0/events?name=<datasource>".into())
        })?;
    let request = Request {
        datasource,
        wait: parse_wait(query.wait.as_deref())?,
        query_token: query.token.as_deref(),
        format: Format::Json,
    };
    ingest(&state, request, &headers, body).await
}

/// An ingestion request as both endpoints (events and bulk append) read it.
pub(super) struct Request<'a> {
    pub datasource: &'a str,
    pub wait: bool,
    /// `?token=`, for clients that cannot set a header.
    pub query_token: Option<&'a str>,
    pub format: Format,
}

/// `wait=true|false|1|0`.
pub(super) fn parse_wait(wait: Option<&str>) -> Result<bool, HttpError> {
    match wait.map(str::to_ascii_lowercase).as_deref() {
        None | Some("false" | "0" | "") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(other) => Err(HttpError::BadRequest(format!(
            "wait must be true or false, not {other:?}"
        ))),
    }
}

/// Authenticates, applies the token's rate limit and hands the body to ingestion; every
/// answer carries the `X-RateLimit-*` headers.
pub(super) async fn ingest(
    state: &AppState,
    request: Request<'_>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let token = authorize(state, headers, request.query_token, request.datasource)?;
    let decision = state
        .events_limiter
        .check(&token, state.ingest.rps_of(&token));
    let mut response = match decision.retry_after_secs {
        Some(_) => HttpError::TooManyRequests {
            message: format!(
                "token {token:?} is over its limit of {} requests per second",
                decision.limit
            ),
            retry_after_secs: 1,
        }
        .into_response(),
        None => accept(state, &request, headers, body)
            .await
            .unwrap_or_else(IntoResponse::into_response),
    };
    decision.write(response.headers_mut());
    Ok(response)
}

/// The request once its token is known and within its rate.
async fn accept(
    state: &AppState,
    request: &Request<'_>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let (datasource, wait) = (request.datasource, request.wait);
    let ingest = &state.ingest;
    ingest.check_room(datasource).await.map_err(from_ingest)?;
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN)
                .ok_or_else(|| {
                    HttpError::BadRequest(format!(
                        "Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"
                    ))
                })?
                .to_string(),
        ),
    };
    let limit = ingest.max_body_bytes();
    let raw = read_body(body, headers, limit).await?;
    let body = decode(raw, headers, limit).await?;
    let accepted = ingest
        .accept(datasource, body, request.format, key.as_deref(), wait)
        .await
        .map_err(from_ingest)?;
    let status = if accepted.committed {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((
        status,
        Json(json!({
            "successful_rows": accepted.successful_rows,
            "quarantined_rows": accepted.quarantined_rows,
        })),
    )
        .into_response())
}

/// The bearer must be a token with APPEND on the datasource, or the admin token. An
/// unknown datasource is 404 only to a valid token.
fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    query_token: Option<&str>,
    datasource: &str,
) -> Result<String, HttpError> {
    let presented = presented_token(headers, query_token)?;
    let token = state
        .tokens
        .find_by_secret(presented.as_bytes())
        .ok_or_else(|| HttpError::Forbidden("invalid token".into()))?;
    if !state.ingest.has_datasource(datasource) {
        return Err(HttpError::NotFound(format!(
            "datasource {datasource:?} does not exist"
        )));
    }
    if !token.principal().can_append_datasource(datasource) {
        return Err(HttpError::Forbidden(format!(
            "token {:?} may not append to datasource {datasource:?} (it needs DATASOURCES:APPEND:{datasource})",
            token.name
        )));
    }
    Ok(token.name.clone())
}

/// The secret the client presents: `Authorization: Bearer <token>`, else `?token=`.
pub(super) fn presented_token(
    headers: &HeaderMap,
    query_token: Option<&str>,
) -> Result<String, HttpError> {
    match headers.get(header::AUTHORIZATION) {
        Some(v) => {
            let v = v
                .to_str()
                .map_err(|_| HttpError::Forbidden("invalid Authorization header".into()))?;
            let (scheme, token) = v.split_once(' ').unwrap_or((v, ""));
            if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
                return Err(HttpError::Forbidden(
                    "use Authorization: Bearer <token>".into(),
                ));
            }
            Ok(token.trim().to_string())
        }
        None => match query_token {
            Some(t) if !t.is_empty() => Ok(t.to_string()),
            _ => Err(HttpError::Forbidden(
                "a token is required: Authorization: Bearer <token>".into(),
            )),
        },
    }
}

/// The body, refused with 413 as soon as it is over `limit` (by its Content-Length, or by
/// what has arrived).
async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, HttpError> {
    let too_large = || {
        HttpError::PayloadTooLarge(format!(
            "the body is larger than the limit of {limit} bytes"
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut buf = BytesMut::with_capacity(declared.map_or(64 * 1024, |n| n as usize));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| HttpError::BadRequest(format!("cannot read the body: {e}")))?;
        if buf.len() + chunk.len() > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// Undoes `Content-Encoding` (gzip, or none); the decoded body has the same limit.
async fn decode(raw: Bytes, headers: &HeaderMap, limit: usize) -> Result<Bytes, HttpError> {
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match encoding.as_str() {
        "" | "identity" => Ok(raw),
        "gzip" | "x-gzip" => tokio::task::spawn_blocking(move || gunzip(&raw, limit))
            .await
            .map_err(|e| HttpError::Internal(e.to_string()))?,
        other => Err(HttpError::UnsupportedMediaType(format!(
            "Content-Encoding {other:?} is not supported: send gzip or nothing"
        ))),
    }
}

fn gunzip(raw: &[u8], limit: usize) -> Result<Bytes, HttpError> {
    let mut out = Vec::with_capacity(raw.len() * 4);
    let mut decoder = flate2::read::MultiGzDecoder::new(raw).take(limit as u64 + 1);
    decoder
        .read_to_end(&mut out)
        .map_err(|e| HttpError::BadRequest(format!("the gzip body does not decompress: {e}")))?;
    if out.len() > limit {
        return Err(HttpError::PayloadTooLarge(format!(
            "the body decompresses to more than the limit of {limit} bytes"
        )));
    }
    Ok(Bytes::from(out))
}

fn from_ingest(e: IngestError) -> HttpError {
    match e {
        IngestError::UnknownDatasource(_) => HttpError::NotFound(e.to_string()),
        IngestError::BadBody(_) => HttpError::BadRequest(e.to_string()),
        IngestError::Full { .. } => HttpError::TooManyRequests {
            message: e.to_string(),
            retry_after_secs: 1,
        },
        IngestError::Unavailable(_) => HttpError::Unavailable(e.to_string()),
    }
}

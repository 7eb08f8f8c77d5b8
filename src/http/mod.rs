//! The HTTP door: health, metrics, the Events API, bulk append and pipe endpoints.
//! `router(state)` builds the whole door so tests can call it without a socket.

mod datasources;
mod error;
mod events;
mod openapi;
mod pipes;
pub mod ratelimit;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

pub use error::HttpError;

use crate::metrics::HttpLabels;
use crate::state::AppState;

/// How long `/health` waits for ClickHouse before it calls it unhealthy.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// The HTTP door's routes over the shared state.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route("/v0/events", post(events::post))
        .route("/v0/datasources", post(datasources::post))
        .route("/v0/pipes/openapi.json", get(openapi::get))
        .route("/v0/pipes/{file}", get(pipes::get))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .with_state(state)
}

/// `GET /health`: 200 when ClickHouse answers, 503 otherwise; JSON either way.
async fn health(State(state): State<Arc<AppState>>) -> Response {
    match state.clickhouse.version(HEALTH_TIMEOUT).await {
        Ok(version) => Json(json!({
            "status": "healthy",
            "clickhouse": {"status": "ok", "version": version},
        }))
        .into_response(),
        Err(err) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unhealthy",
                "clickhouse": {"status": "error", "error": err.to_string()},
            })),
        )
            .into_response(),
    }
}

/// `GET /metrics`: Prometheus text exposition.
async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

async fn not_found(request: Request) -> HttpError {
    HttpError::NotFound(format!("no route for {}", request.uri().path()))
}

async fn method_not_allowed(request: Request) -> HttpError {
    HttpError::MethodNotAllowed(format!(
        "{} is not allowed on {}",
        request.method(),
        request.uri().path()
    ))
}

/// Counts every answered request by route template and status.
async fn count_requests(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    state
        .metrics
        .http_requests
        .get_or_create(&HttpLabels {
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

//! The state both doors share: the configuration, the project, ClickHouse and the metrics.

use std::sync::Arc;

use crate::auth::TokenStore;
use crate::clickhouse::ClickHouse;
use crate::config::Config;
use crate::http::ratelimit::RateLimiter;
use crate::ingest::Ingest;
use crate::metrics::Metrics;
use crate::project::Project;

/// Everything a request needs, shared by reference across both doors.
pub struct AppState {
    /// The configuration the gateway started with.
    pub config: Config,
    /// The project's datasources, pipes and tokens, as loaded at start.
    pub project: Project,
    /// The ClickHouse behind the gateway.
    pub clickhouse: ClickHouse,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The tokens the HTTP door accepts as bearers.
    pub tokens: Arc<TokenStore>,
    /// The Events API's logs and flushers.
    pub ingest: Arc<Ingest>,
    /// The Events API's per-token request rates.
    pub events_limiter: RateLimiter,
}

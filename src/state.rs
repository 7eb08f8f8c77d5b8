//! The state both doors share: the configuration, the project, ClickHouse and the metrics.

use std::sync::Arc;

use crate::auth::TokenStore;
use crate::clickhouse::ClickHouse;
use crate::config::Config;
use crate::http::ratelimit::RateLimiter;
use crate::ingest::Ingest;
use crate::metrics::Metrics;
use crate::project::Project;

/// Output columns by pipe name: (name, ClickHouse type), in order.
pub type PipeColumns =
    std::collections::BTreeMap<String, Vec<(String, crate::clickhouse::types::ChType)>>;

/// Everything a request needs, shared by reference across both doors.
pub struct AppState {
    /// The configuration the gateway started with.
    pub config: Config,
    /// The project's datasources, pipes and tokens, as loaded at start.
    pub project: Project,
    /// Each pipe's output columns, as ClickHouse describes its query: from deploy, or
    /// described on first use when another process deploys (so a gateway starts while
    /// ClickHouse is down).
    pub pipe_columns: tokio::sync::OnceCell<PipeColumns>,
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

impl AppState {
    /// The pipes' output columns, describing them on ClickHouse the first time.
    pub async fn pipe_columns(&self) -> Result<&PipeColumns, crate::project::deploy::DeployError> {
        self.pipe_columns
            .get_or_try_init(|| async {
                let described =
                    crate::project::deploy::describe_pipes(&self.project, &self.clickhouse).await?;
                Ok(crate::server::describe_columns(described))
            })
            .await
    }
}

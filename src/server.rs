//! Boots the gateway: loads the project, deploys it, binds the doors over one shared state,
//! and shuts them down gracefully when told to.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::auth::TokenStore;
use crate::clickhouse::{ClickHouse, ClickHouseError};
use crate::config::{Config, ConfigError, Settings};
use crate::ingest::Ingest;
use crate::metrics::Metrics;
use crate::project::deploy::{self, DeployError};
use crate::project::{Project, ProjectErrors};
use crate::state::AppState;

/// Why the gateway could not start or stopped badly.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("the project has errors:\n{0}")]
    Project(#[from] ProjectErrors),
    #[error("deploy failed: {0}")]
    Deploy(#[from] DeployError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the HTTP door failed: {0}")]
    Http(std::io::Error),
    #[error("the Postgres door cannot start: {0}")]
    Postgres(#[from] crate::pg_server::PgServerError),
    #[error(transparent)]
    ClickHouse(#[from] ClickHouseError),
    #[error("ingestion cannot start: {0}")]
    Ingest(String),
}

/// A gateway whose sockets are bound and whose project is deployed, ready to serve.
pub struct Server {
    state: Arc<AppState>,
    settings: Settings,
    http: TcpListener,
    postgres: TcpListener,
    tls: Option<crate::pg_server::Tls>,
}

impl Server {
    /// Loads and deploys the project and binds the doors. Port 0 binds a free port; ask
    /// [`Server::http_addr`] which one.
    pub async fn start(config: Config) -> Result<Server, ServerError> {
        let settings = config.settings()?;
        let project = Project::load(&config.project_dir)?;
        let metrics = Arc::new(Metrics::new());
        let clickhouse = ClickHouse::new(&config.clickhouse, metrics.clone());
        metrics
            .project_objects
            .set((project.datasources.len() + project.pipes.len()) as i64);
        let pipe_columns = tokio::sync::OnceCell::new();
        if config.deploy_on_start {
            let report = deploy::deploy(&project, &clickhouse).await;
            metrics.deploy_ok.set(i64::from(report.is_ok()));
            let report = report?;
            tracing::info!(
                database = clickhouse.database(),
                created = report.created.len(),
                unchanged = report.unchanged.len(),
                pipes = report.pipes.len(),
                "project deployed"
            );
            let _ = pipe_columns.set(describe_columns(report.pipes));
        }
        let tls = match (&config.postgres.tls_cert, &config.postgres.tls_key) {
            (cert, key) if !cert.is_empty() => Some(crate::pg_server::Tls::load(cert, key)?),
            _ => None,
        };
        let bind = |addr| async move {
            TcpListener::bind(addr)
                .await
                .map_err(|source| ServerError::Bind { addr, source })
        };
        let http = bind(settings.http_listen).await?;
        let postgres = bind(settings.postgres_listen).await?;
        let tokens = Arc::new(TokenStore::from_project(&project, &config));
        let ingest = Ingest::open(
            &project,
            clickhouse.clone(),
            settings.ingest.clone(),
            metrics.clone(),
        )
        .await
        .map_err(ServerError::Ingest)?;
        let state = Arc::new(AppState {
            config,
            project,
            pipe_columns,
            clickhouse,
            metrics,
            tokens,
            ingest: Arc::new(ingest),
            events_limiter: Default::default(),
        });
        Ok(Server {
            state,
            settings,
            http,
            postgres,
            tls,
        })
    }

    /// The address the HTTP door listens on.
    pub fn http_addr(&self) -> SocketAddr {
        self.http.local_addr().unwrap_or(self.settings.http_listen)
    }

    /// The address the Postgres door listens on.
    pub fn postgres_addr(&self) -> SocketAddr {
        self.postgres
            .local_addr()
            .unwrap_or(self.settings.postgres_listen)
    }

    /// The shared state, for tests and for the doors added later.
    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    /// Serves until `shutdown` completes, then stops accepting, lets open requests finish
    /// for up to `shutdown_timeout_secs`, and returns.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let (stop_tx, mut stop_rx) = watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        tracing::info!(
            http = %self.http_addr(),
            postgres = %self.postgres_addr(),
            tls = self.tls.is_some(),
            "pipegate is serving"
        );
        let postgres = tokio::spawn(crate::pg_server::serve(
            self.postgres,
            self.state.clone(),
            self.tls,
            stop_rx.clone(),
            self.settings.shutdown_timeout,
        ));
        let router = crate::http::router(self.state.clone());
        let mut drain_rx = stop_rx.clone();
        let http = axum::serve(self.http, router).with_graceful_shutdown(async move {
            let _ = drain_rx.wait_for(|stop| *stop).await;
        });
        let mut http = std::pin::pin!(http.into_future());
        // The serve future ends by itself only on an I/O error; once the stop signal fires
        // it also ends as soon as no connection is open, so both branches can be ready.
        let ended = tokio::select! {
            biased;
            _ = stop_rx.wait_for(|stop| *stop) => None,
            result = &mut http => Some(result),
        };
        let result = match ended {
            Some(result) => result,
            None => {
                tracing::info!(
                    timeout_secs = self.settings.shutdown_timeout.as_secs(),
                    "shutting down: draining open requests"
                );
                match tokio::time::timeout(self.settings.shutdown_timeout, http).await {
                    Ok(result) => result,
                    Err(_) => {
                        tracing::warn!("shutdown timeout reached; closing open connections");
                        Ok(())
                    }
                }
            }
        };
        // The Postgres door drains on the same signal, within the same timeout.
        let _ = tokio::time::timeout(self.settings.shutdown_timeout, postgres).await;
        // Flushers get the same time to finish; what they cannot flush stays in the log.
        self.state
            .ingest
            .shutdown(self.settings.shutdown_timeout)
            .await;
        result.map_err(ServerError::Http)?;
        tracing::info!("pipegate stopped");
        Ok(())
    }
}

/// Starts the gateway with `config` and serves until `shutdown` completes.
pub async fn run(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    Server::start(config).await?.serve(shutdown).await
}

/// The pipes' output columns with their ClickHouse types parsed; a type the gateway cannot
/// read is left out of the map (the pipe then cannot be read as a view, and says so).
pub(crate) fn describe_columns(
    described: std::collections::BTreeMap<String, Vec<(String, String)>>,
) -> crate::state::PipeColumns {
    described
        .into_iter()
        .filter_map(|(pipe, columns)| {
            let parsed: Result<Vec<_>, _> = columns
                .into_iter()
                .map(|(name, ty)| crate::clickhouse::types::ChType::parse(&ty).map(|t| (name, t)))
                .collect();
            match parsed {
                Ok(columns) => Some((pipe, columns)),
                Err(e) => {
                    tracing::warn!(%pipe, error = %e, "a pipe's column type cannot be read");
                    None
                }
            }
        })
        .collect()
}

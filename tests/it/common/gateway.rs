//! Starts the gateway in-process on `127.0.0.1:0`, against the test ClickHouse and a fresh
//! database.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use pipegate::config::Config;
use pipegate::server::{Server, ServerError};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::clickhouse::{clickhouse_url, credentials, test_database, TestDb};

/// A running gateway; dropping it stops the server task.
pub struct Gateway {
    pub http: SocketAddr,
    pub postgres: SocketAddr,
    pub db: TestDb,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl Gateway {
    /// Starts a gateway serving `project` (deployed into a fresh database).
    pub async fn start(project: &Path) -> Gateway {
        let db = test_database("gw").await;
        let config = config_for(project, &db.name);
        Gateway::start_with(config, db).await
    }

    /// Starts a gateway with a ready configuration.
    pub async fn start_with(config: Config, db: TestDb) -> Gateway {
        let server = Server::start(config).await.expect("gateway starts");
        let http = server.http_addr();
        let postgres = server.postgres_addr();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async move {
            let _ = rx.await;
        }));
        Gateway {
            http,
            postgres,
            db,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.http, path)
    }

    /// Asks for a graceful shutdown and waits for the server to return.
    pub async fn stop(mut self) -> Result<(), ServerError> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => task.await.expect("server task does not panic"),
            None => Ok(()),
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A configuration for tests: free ports, the test ClickHouse, the given database.
pub fn config_for(project: &Path, database: &str) -> Config {
    let mut config = Config {
        project_dir: project.to_path_buf(),
        ..Config::default()
    };
    config.clickhouse.url = clickhouse_url();
    (config.clickhouse.user, config.clickhouse.password) = credentials();
    config.clickhouse.database = database.to_string();
    config.http.listen = "127.0.0.1:0".into();
    config.postgres.listen = "127.0.0.1:0".into();
    config.shutdown_timeout_secs = 5;
    config.admin_token = ADMIN_SECRET.into();
    config
        .tokens
        .insert("web_read".into(), READER_SECRET.into());
    config
}

/// The admin token's secret in test gateways.
pub const ADMIN_SECRET: &str = "admin-test-secret";
/// The secret of the demo project's `web_read` token in test gateways.
pub const READER_SECRET: &str = "reader-test-secret";

impl Gateway {
    /// A libpq connection string for this gateway's Postgres door.
    pub fn pg_url(&self, user: &str, password: &str) -> String {
        format!(
            "postgres://{user}:{password}@{}:{}/pipegate",
            self.postgres.ip(),
            self.postgres.port()
        )
    }
}

/// A path under the repository root.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

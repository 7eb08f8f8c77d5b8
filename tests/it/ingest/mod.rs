//! The Events API against the real ClickHouse: a gateway in-process on free ports, its
//! write-ahead log in a temporary folder, each test in a database of its own.
//!
//! - `api`: bodies, encodings, auth, limits and answers.
//! - `types`: every column type converted by the gateway, compared with ClickHouse's own
//!   reading of the same JSON.
//! - `append`: bulk append of CSV and NDJSON through `/v0/datasources`.
//! - `durability`: quarantine, idempotent retries, back-pressure and restart recovery.

mod api;
mod append;
mod crash;
mod durability;
mod outage;
mod types;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use pipegate::config::Config;
use pipegate::server::{Server, ServerError};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::common::clickhouse::{clickhouse_url, credentials};
use crate::common::gateway::{config_for, ADMIN_SECRET};

/// The secret of the `ev_append` token in the test project.
pub const APPEND_SECRET: &str = "append-test-secret";
/// The secret of the `ev_read` token (READ only) in the test project.
pub const READ_SECRET: &str = "read-test-secret";

/// The test project: one datasource exercising JSONPaths, defaults and wrappers, and
/// `types` of `tests/projects/types` for the type comparison.
pub const EVENTS_DS: &str = r#"
SCHEMA >
    `ts` DateTime `json:$.ts`,
    `ts_ms` DateTime64(3) `json:$.ts_ms`,
    `user_id` String `json:$.user.id`,
    `kind` LowCardinality(String) `json:$.kind`,
    `ok` Bool DEFAULT true `json:$.ok`,
    `amount` Nullable(Decimal(10, 2)) `json:$.amount`,
    `tags` Array(String) `json:$.tags[:]`,
    `item_ids` Array(UInt32) `json:$.items[:].id`,
    `n` UInt16 DEFAULT 7 `json:$.n`,
    `country` String DEFAULT upper(kind) `json:$.geo.country`,
    `raw` String `json:$`

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(ts)"
ENGINE_SORTING_KEY "ts, user_id"

TOKEN "ev_append" APPEND
TOKEN "ev_read" READ
"#;

/// A project folder holding `ev.datasource` (and what else is given).
pub fn project(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("project folder");
    std::fs::write(dir.path().join("ev.datasource"), EVENTS_DS).expect("write");
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

/// A test configuration: the test ClickHouse, free ports, the log in `wal`, fast flushes.
pub fn config(project: &Path, database: &str, wal: &Path) -> Config {
    let mut c = config_for(project, database);
    c.ingest.wal_dir = wal.display().to_string();
    c.ingest.flush_delay_ms = 50;
    c.tokens.insert("ev_append".into(), APPEND_SECRET.into());
    c.tokens.insert("ev_read".into(), READ_SECRET.into());
    c
}

/// A gateway serving in this runtime, stopped gracefully by [`Running::stop`].
pub struct Running {
    pub http: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl Running {
    pub async fn start(config: Config) -> Running {
        let server = Server::start(config).await.expect("gateway starts");
        let http = server.http_addr();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async move {
            let _ = rx.await;
        }));
        Running {
            http,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.http, path)
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(20), task)
                .await
                .expect("stops in time")
                .expect("no panic")
                .expect("clean stop");
        }
    }

    /// Posts `body` to `/v0/events?<query>` with the append token and `headers`.
    pub async fn post(
        &self,
        query: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> (u16, serde_json::Value, reqwest::header::HeaderMap) {
        self.send(&format!("/v0/events?{query}"), APPEND_SECRET, body, headers)
            .await
    }

    /// Posts `body` to `path` (with its query string) as the token `secret`; the status,
    /// the JSON answer and the headers.
    pub async fn send(
        &self,
        path: &str,
        secret: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> (u16, serde_json::Value, reqwest::header::HeaderMap) {
        let mut req = reqwest::Client::new()
            .post(self.url(path))
            .bearer_auth(secret)
            .body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let json =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"));
        (status, json, headers)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Runs `sql` on the test ClickHouse in `database`; the TabSeparated answer.
pub async fn query(database: &str, sql: &str) -> String {
    let (user, password) = credentials();
    let res = reqwest::Client::new()
        .post(format!("{}/?database={database}", clickhouse_url()))
        .header("X-ClickHouse-User", user)
        .header("X-ClickHouse-Key", password)
        .body(sql.to_string())
        .send()
        .await
        .expect("ClickHouse answers");
    let status = res.status();
    let text = res.text().await.expect("text");
    assert!(status.is_success(), "{sql}: {text}");
    text
}

/// Polls `sql` until it answers `want` or `timeout` passes; answers how long it took.
pub async fn eventually(database: &str, sql: &str, want: &str, timeout: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let got = query(database, sql).await;
        if got.trim() == want {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < timeout,
            "{sql}: still {got:?} after {timeout:?}, want {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A temporary folder for a log.
pub fn wal_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("log folder")
}

pub fn admin() -> &'static str {
    ADMIN_SECRET
}

//! Ingestion: the Events API's engine. A request's body becomes an [`Entry`] (good rows
//! encoded once as RowBinaryWithDefaults, bad rows as quarantine rows), the entry goes into
//! the datasource's write-ahead log with group commit, and the answer leaves only after the
//! log is synced. A flusher per datasource moves the log into ClickHouse exactly once.
//!
//! # Layout
//! - [`json`]: a body's documents and each column's value by its JSONPath.
//! - [`convert`]: one JSON value into one ClickHouse value, RowBinary; [`number`] and
//!   [`time`] read numbers and dates exactly.
//! - [`schema`]: a datasource compiled for ingestion; turns a body into an entry.
//! - [`entry`]: one accepted request as the log stores it.
//! - [`wal`]: the write-ahead log: segments, records, recovery, checkpoint.
//! - [`idempotency`]: keys of accepted requests, so a retry inserts nothing.
//! - [`log`]: a datasource's log, queue, keys and commit watermark together.
//! - [`flusher`]: batches the log into ClickHouse.

pub mod convert;
pub mod csv;
pub mod entry;
pub mod flusher;
pub mod idempotency;
pub mod json;
pub mod log;
pub mod number;
pub mod schema;
pub mod time;
pub mod wal;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::{watch, OnceCell};
use tokio::task::JoinHandle;

use crate::clickhouse::ClickHouse;
use crate::config::IngestSettings;
use crate::metrics::{DatasourceLabels, IngestLabels, Metrics};
use crate::project::Project;

pub use entry::Entry;
use flusher::FlushOptions;
use idempotency::{Claim, Outcome};
use log::Log;
use schema::Schema;

/// Why a request was not accepted, classed by fault.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// No datasource has this name.
    #[error("datasource {0:?} does not exist")]
    UnknownDatasource(String),
    /// The body cannot be read as events.
    #[error("{0}")]
    BadBody(String),
    /// The log holds more unflushed bytes than allowed: ClickHouse is behind or down.
    #[error("datasource {datasource:?} has {unflushed} bytes waiting for ClickHouse, over the limit of {limit}; retry later")]
    Full {
        datasource: String,
        unflushed: u64,
        limit: u64,
    },
    /// The log cannot take writes (a disk failure) or is shutting down.
    #[error("{0}")]
    Unavailable(String),
}

/// How a body holds its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// NDJSON, a JSON array or one object: columns found by their JSONPaths.
    Json,
    /// CSV: columns by position, or by a header line's names.
    Csv,
}

/// What an accepted request gets back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub successful_rows: u32,
    pub quarantined_rows: u32,
    /// The rows are in ClickHouse (asked for with `wait=true`, and they made it).
    pub committed: bool,
    /// This was a repeat of an earlier request: nothing new was stored.
    pub repeat: bool,
}

/// One datasource's ingestion: its compiled schema and, once opened, its log.
struct Pipeline {
    schema: Arc<Schema>,
    dir: PathBuf,
    log: OnceCell<Arc<Log>>,
}

/// The ingestion engine of a gateway.
pub struct Ingest {
    settings: IngestSettings,
    /// Where row, flush and backlog figures go.
    metrics: Arc<Metrics>,
    clickhouse: ClickHouse,
    pipelines: HashMap<String, Pipeline>,
    /// Turns true when the gateway stops; flushers and waiters watch it.
    stop: watch::Sender<bool>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    /// `wal_dir/<database>`: the folder of this gateway's logs.
    root: PathBuf,
    /// An exclusive lock on `root`, so two gateways never write one log; taken with the
    /// first log, released by [`Ingest::shutdown`].
    lock: Mutex<Option<File>>,
}

impl Ingest {
    /// Prepares ingestion for every datasource and recovers the logs already on disk
    /// (their flushers start now, so recovered events land without waiting for a request).
    pub async fn open(
        project: &Project,
        clickhouse: ClickHouse,
        settings: IngestSettings,
        metrics: Arc<Metrics>,
    ) -> Result<Ingest, String> {
        let root = settings.wal_dir.join(clickhouse.database());
        let pipelines = project
            .datasources
            .iter()
            .map(|ds| {
                (
                    ds.name.clone(),
                    Pipeline {
                        schema: Arc::new(Schema::new(ds, clickhouse.database())),
                        dir: root.join(&ds.name),
                        log: OnceCell::new(),
                    },
                )
            })
            .collect();
        let (stop, _) = watch::channel(false);
        let ingest = Ingest {
            settings,
            metrics,
            clickhouse,
            pipelines,
            stop,
            tasks: Mutex::new(Vec::new()),
            root,
            lock: Mutex::new(None),
        };
        // A folder left by an earlier run is locked and recovered now; otherwise nothing is
        // created until the first event arrives.
        if ingest.root.exists() {
            ingest.take_lock().await?;
            for (name, p) in &ingest.pipelines {
                if p.dir.exists() {
                    ingest.log(name).await.map_err(|e| e.to_string())?;
                }
            }
        }
        Ok(ingest)
    }

    /// Locks the log folder for this gateway (once).
    async fn take_lock(&self) -> Result<(), String> {
        if self.lock.lock().map(|l| l.is_some()).unwrap_or(false) {
            return Ok(());
        }
        let root = self.root.clone();
        let file = tokio::task::spawn_blocking(move || lock_dir(&root))
            .await
            .map_err(|e| e.to_string())??;
        if let Ok(mut lock) = self.lock.lock() {
            lock.get_or_insert(file);
        }
        Ok(())
    }

    /// Whether `datasource` exists.
    pub fn has_datasource(&self, datasource: &str) -> bool {
        self.pipelines.contains_key(datasource)
    }

    /// The data version of a datasource: it goes up with every committed flush.
    pub fn version(&self, datasource: &str) -> u64 {
        self.pipelines
            .get(datasource)
            .and_then(|p| p.log.get())
            .map_or(0, |l| l.version())
    }

    /// The Events API requests per second `token` may make.
    pub fn rps_of(&self, token: &str) -> u64 {
        self.settings.rps_of(token)
    }

    /// The largest body a request may send.
    pub fn max_body_bytes(&self) -> usize {
        self.settings.max_body_bytes
    }

    /// The datasource's log, opened (and recovered, and its flusher started) on first use.
    async fn log(&self, datasource: &str) -> Result<Arc<Log>, IngestError> {
        let p = self
            .pipelines
            .get(datasource)
            .ok_or_else(|| IngestError::UnknownDatasource(datasource.into()))?;
        p.log
            .get_or_try_init(|| async {
                self.take_lock().await.map_err(IngestError::Unavailable)?;
                let dir = p.dir.clone();
                let (segment_bytes, window_ms) = (
                    self.settings.segment_bytes,
                    self.settings.idempotency_window.as_millis() as u64,
                );
                let log = tokio::task::spawn_blocking(move || {
                    Log::open(&dir, segment_bytes, window_ms, now_ms())
                })
                .await
                .map_err(|e| IngestError::Unavailable(e.to_string()))?
                .map_err(|e| {
                    IngestError::Unavailable(format!("cannot open the log of {datasource}: {e}"))
                })?;
                let log = Arc::new(log);
                let opts = FlushOptions {
                    delay: self.settings.flush_delay,
                    rows: self.settings.flush_rows,
                    bytes: self.settings.flush_bytes,
                };
                let task = tokio::spawn(flusher::run(
                    log.clone(),
                    p.schema.clone(),
                    self.clickhouse.clone(),
                    opts,
                    self.metrics.clone(),
                    self.stop.subscribe(),
                ));
                if let Ok(mut tasks) = self.tasks.lock() {
                    tasks.push(task);
                }
                Ok(log)
            })
            .await
            .cloned()
    }

    /// Fails fast when the datasource's log is over its limit, before the body is read.
    pub async fn check_room(&self, datasource: &str) -> Result<(), IngestError> {
        let log = self.log(datasource).await?;
        let unflushed = log.unflushed_bytes();
        if unflushed >= self.settings.max_unflushed_bytes {
            return Err(IngestError::Full {
                datasource: datasource.into(),
                unflushed,
                limit: self.settings.max_unflushed_bytes,
            });
        }
        Ok(())
    }

    /// Accepts one request's (decoded) body: converts it, makes it durable, and with `wait`
    /// waits until its rows are in ClickHouse. `idempotency_key` is the client's
    /// `Idempotency-Key`; without one, the body's hash is the key.
    pub async fn accept(
        &self,
        datasource: &str,
        body: Bytes,
        format: Format,
        idempotency_key: Option<&str>,
        wait: bool,
    ) -> Result<Accepted, IngestError> {
        let log = self.log(datasource).await?;
        let schema = self
            .pipelines
            .get(datasource)
            .map(|p| p.schema.clone())
            .ok_or_else(|| IngestError::UnknownDatasource(datasource.into()))?;
        let key = key_of(datasource, idempotency_key, &body);
        let guard = loop {
            match log.keys.claim(key, now_ms()) {
                Claim::Owner(g) => break g,
                Claim::Repeat(outcome) => return Ok(self.answer(&log, outcome, wait, true).await),
                Claim::Busy(mut rx) => {
                    let _ = rx.changed().await;
                }
            }
        };
        self.check_room(datasource).await?;
        let received_ms = now_ms();
        let entry = tokio::task::spawn_blocking(move || {
            let text = std::str::from_utf8(&body)
                .map_err(|e| IngestError::BadBody(format!("the body is not UTF-8: {e}")))?;
            match format {
                Format::Json => schema.encode(text, key, received_ms),
                Format::Csv => schema.encode_csv(text, key, received_ms),
            }
            .map_err(|e| IngestError::BadBody(e.0))
        })
        .await
        .map_err(|e| IngestError::Unavailable(e.to_string()))??;
        if entry.is_empty() {
            return Err(IngestError::BadBody("the body holds no events".into()));
        }
        // From here the request must finish even if its client goes away: an entry made
        // durable without its key recorded would be inserted again by the client's retry.
        let (append_log, metrics, name) =
            (log.clone(), self.metrics.clone(), datasource.to_string());
        let outcome = tokio::spawn(async move {
            let seq = append_log
                .append(&entry)
                .await
                .map_err(|e| IngestError::Unavailable(e.to_string()))?;
            let outcome = Outcome {
                seq,
                rows: entry.rows,
                quarantined: entry.quarantined,
                received_ms,
            };
            guard.complete(outcome);
            let labels = |outcome: &str| IngestLabels {
                datasource: name.clone(),
                outcome: outcome.to_string(),
            };
            metrics
                .ingest_rows
                .get_or_create(&labels("accepted"))
                .inc_by(u64::from(entry.rows));
            metrics
                .ingest_rows
                .get_or_create(&labels("quarantined"))
                .inc_by(u64::from(entry.quarantined));
            metrics
                .ingest_unflushed_bytes
                .get_or_create(&DatasourceLabels { datasource: name })
                .set(i64::try_from(append_log.unflushed_bytes()).unwrap_or(i64::MAX));
            Ok::<Outcome, IngestError>(outcome)
        })
        .await
        .map_err(|e| IngestError::Unavailable(e.to_string()))??;
        Ok(self.answer(&log, outcome, wait, false).await)
    }

    async fn answer(&self, log: &Log, outcome: Outcome, wait: bool, repeat: bool) -> Accepted {
        let committed = if wait {
            let mut stop = self.stop.subscribe();
            tokio::select! {
                ok = log.wait_committed(outcome.seq) => ok,
                _ = stop.wait_for(|s| *s) => false,
            }
        } else {
            false
        };
        Accepted {
            successful_rows: outcome.rows,
            quarantined_rows: outcome.quarantined,
            committed,
            repeat,
        }
    }

    /// Stops the flushers (each finishes or abandons its current insert; what is not in
    /// ClickHouse stays in the log) and closes the logs, within `timeout`.
    pub async fn shutdown(&self, timeout: Duration) {
        let _ = self.stop.send(true);
        let tasks: Vec<JoinHandle<()>> = self
            .tasks
            .lock()
            .map(|mut t| t.drain(..).collect())
            .unwrap_or_default();
        for task in tasks {
            let abort = task.abort_handle();
            if tokio::time::timeout(timeout, task).await.is_err() {
                abort.abort();
            }
        }
        for p in self.pipelines.values() {
            if let Some(log) = p.log.get() {
                log.wal.close();
            }
        }
        if let Ok(mut lock) = self.lock.lock() {
            lock.take();
        }
    }
}

/// The idempotency key: a hash of the datasource and the client's key, or of the
/// datasource and the body.
fn key_of(datasource: &str, given: Option<&str>, body: &[u8]) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(datasource.as_bytes());
    match given {
        Some(k) => {
            h.update(b"\0key\0");
            h.update(k.as_bytes());
        }
        None => {
            h.update(b"\0body\0");
            h.update(body);
        }
    }
    let digest = h.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// Takes the folder's lock file, failing when another gateway holds it.
fn lock_dir(root: &Path) -> Result<File, String> {
    std::fs::create_dir_all(root)
        .map_err(|e| format!("cannot create the log folder {}: {e}", root.display()))?;
    let path = root.join("LOCK");
    let file = File::create(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "the log folder {} is in use by another pipegate; each gateway needs its own ingest.wal_dir",
            root.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// Milliseconds since the epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

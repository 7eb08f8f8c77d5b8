//! The flusher of one datasource: takes batches off its log's queue (by rows, bytes, or
//! once the oldest entry has waited the flush delay less the time a flush takes, so the
//! delay bounds the time from acknowledgement to queryable), inserts them into the table and the
//! quarantine table, and only then moves the checkpoint, releases `wait=true` requests and
//! trims the log.
//!
//! Every insert carries `insert_deduplication_token` = the log range it holds, and the range
//! is written to the checkpoint before the first attempt, so a retry (after an error, a
//! timeout or a crash) sends the same rows with the same token and ClickHouse keeps one copy.
//! Inserts are retried with backoff for as long as it takes: nothing is dropped.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::watch;

use crate::clickhouse::ClickHouse;
use crate::metrics::{DatasourceLabels, IngestLabels, Metrics};

use super::idempotency::Outcome;
use super::log::{Log, Queued};
use super::now_ms;
use super::schema::Schema;

/// When a batch is cut.
#[derive(Debug, Clone, Copy)]
pub struct FlushOptions {
    pub delay: Duration,
    pub rows: u64,
    pub bytes: u64,
}

const BACKOFF_MIN: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(2);

/// Runs until `stop` turns true. On the way out it flushes what is queued unless ClickHouse
/// fails; whatever is left stays in the log for the next start.
pub async fn run(
    log: Arc<Log>,
    schema: Arc<Schema>,
    ch: ClickHouse,
    opts: FlushOptions,
    metrics: Arc<Metrics>,
    mut stop: watch::Receiver<bool>,
) {
    // A batch that was being inserted when the gateway stopped is inserted again exactly.
    let mut forced_end = log.checkpoint.lock().ok().and_then(|c| c.inflight);
    // How long a flush takes, smoothed: a batch is cut that much before its oldest entry's
    // delay is up, so the delay bounds the time to queryable, not only the wait.
    let mut lead = Duration::ZERO;
    loop {
        let stopping = *stop.borrow();
        let wait = opts.delay.saturating_sub(lead).max(opts.delay / 4);
        let Some(batch) = next_batch(&log, opts, wait, forced_end, stopping, &mut stop).await
        else {
            return;
        };
        forced_end = None;
        let started = Instant::now();
        if !flush(&log, &schema, &ch, &batch, &metrics, &mut stop).await {
            return;
        }
        lead = (lead * 3 + started.elapsed()) / 4;
    }
}

/// Waits for a batch worth flushing and takes it (the entries stay queued until committed).
/// `None` when stopping with nothing left.
async fn next_batch(
    log: &Log,
    opts: FlushOptions,
    wait: Duration,
    forced_end: Option<u64>,
    mut stopping: bool,
    stop: &mut watch::Receiver<bool>,
) -> Option<Vec<Queued>> {
    loop {
        let notified = log.notify.notified();
        let deadline = {
            let q = log.queue.lock().ok()?;
            match q.entries.front() {
                None if stopping => return None,
                None => None,
                Some(first) => {
                    let due = first.at + wait;
                    let forced = forced_end
                        .is_some_and(|end| q.entries.back().is_some_and(|b| b.seq >= end));
                    if stopping
                        || forced
                        || q.rows >= opts.rows
                        || q.bytes >= opts.bytes
                        || Instant::now() >= due
                    {
                        return Some(take(&q.entries, opts, forced_end));
                    }
                    Some(due)
                }
            }
        };
        let sleep = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = notified => {}
            _ = sleep => {}
            _ = stop.wait_for(|s| *s), if !stopping => stopping = true,
        }
    }
}

/// The batch at the front of the queue: at least one entry, then more while they fit.
fn take(
    entries: &std::collections::VecDeque<Queued>,
    opts: FlushOptions,
    forced_end: Option<u64>,
) -> Vec<Queued> {
    let mut batch = Vec::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    for q in entries {
        if let Some(end) = forced_end {
            if q.seq > end {
                break;
            }
        } else if !batch.is_empty()
            && (rows + u64::from(q.entry.rows) > opts.rows
                || bytes + q.entry.len() as u64 > opts.bytes)
        {
            break;
        }
        rows += u64::from(q.entry.rows);
        bytes += q.entry.len() as u64;
        batch.push(q.clone());
    }
    batch
}

/// Inserts one batch until it is in, then commits it. `false` when stopped before that.
async fn flush(
    log: &Arc<Log>,
    schema: &Schema,
    ch: &ClickHouse,
    batch: &[Queued],
    metrics: &Metrics,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    let (Some(first), Some(last)) = (batch.first().map(|q| q.seq), batch.last().map(|q| q.seq))
    else {
        return true;
    };
    let checkpoint = match log.checkpoint.lock() {
        Ok(mut c) => {
            c.inflight = Some(last);
            *c
        }
        Err(_) => return false,
    };
    let dir = log.dir.clone();
    if let Err(e) = blocking(move || checkpoint.store(&dir)).await {
        tracing::error!(error = %e, datasource = schema.name, "cannot write the flush checkpoint");
        return false;
    }
    let rows: Vec<Bytes> = batch
        .iter()
        .filter(|q| q.entry.rows > 0)
        .map(|q| q.entry.rows_bytes())
        .collect();
    let quarantine: Vec<Bytes> = batch
        .iter()
        .filter(|q| q.entry.quarantined > 0)
        .map(|q| q.entry.quarantine_bytes())
        .collect();
    let mut inserts = Vec::new();
    if !rows.is_empty() {
        inserts.push((
            &schema.insert_sql,
            checkpoint.token(&schema.name, first, last),
            rows,
        ));
    }
    if !quarantine.is_empty() {
        inserts.push((
            &schema.quarantine_sql,
            checkpoint.token(&format!("{}_quarantine", schema.name), first, last),
            quarantine,
        ));
    }
    let started = Instant::now();
    for (sql, token, chunks) in inserts {
        let mut backoff = BACKOFF_MIN;
        loop {
            let mut settings = vec![
                ("insert_deduplication_token", token.as_str()),
                ("insert_deduplicate", "1"),
            ];
            if schema.has_json {
                settings.push(("input_format_binary_read_json_as_string", "1"));
            }
            let result = ch.insert_chunks(sql, &settings, chunks.clone()).await;
            metrics
                .ingest_flushes
                .get_or_create(&IngestLabels {
                    datasource: schema.name.clone(),
                    outcome: if result.is_ok() { "ok" } else { "error" }.into(),
                })
                .inc();
            match result {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!(datasource = schema.name, first, last, error = %e, retry_in_ms = backoff.as_millis() as u64, "flush failed; retrying");
                    if *stop.borrow() {
                        return false;
                    }
                    let jitter = Duration::from_millis(
                        rand::random::<u64>() % (backoff.as_millis() as u64 / 2 + 1),
                    );
                    tokio::select! {
                        _ = tokio::time::sleep(backoff + jitter) => {}
                        _ = stop.wait_for(|s| *s) => return false,
                    }
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                }
            }
        }
    }
    // In ClickHouse. Keep the keys, then move the checkpoint, then trim.
    let outcomes: Vec<([u8; 16], Outcome)> = batch
        .iter()
        .map(|q| {
            (
                q.entry.key,
                Outcome {
                    seq: q.seq,
                    rows: q.entry.rows,
                    quarantined: q.entry.quarantined,
                    received_ms: q.entry.received_ms,
                },
            )
        })
        .collect();
    let keys = log.keys.clone();
    if let Err(e) = blocking(move || keys.persist(&outcomes)).await {
        tracing::error!(error = %e, datasource = schema.name, "cannot persist idempotency keys; the log keeps the entries");
        return false;
    }
    let checkpoint = match log.checkpoint.lock() {
        Ok(mut c) => {
            c.inflight = None;
            c.committed = last;
            *c
        }
        Err(_) => return false,
    };
    let dir = log.dir.clone();
    if let Err(e) = blocking(move || checkpoint.store(&dir)).await {
        tracing::error!(error = %e, datasource = schema.name, "cannot write the flush checkpoint");
        return false;
    }
    if let Ok(mut q) = log.queue.lock() {
        while q.entries.front().is_some_and(|e| e.seq <= last) {
            if let Some(e) = q.entries.pop_front() {
                q.bytes -= e.entry.len() as u64;
                q.rows -= u64::from(e.entry.rows + e.entry.quarantined);
            }
        }
    }
    metrics
        .ingest_unflushed_bytes
        .get_or_create(&DatasourceLabels {
            datasource: schema.name.clone(),
        })
        .set(i64::try_from(log.unflushed_bytes()).unwrap_or(i64::MAX));
    log.version.fetch_add(1, Ordering::AcqRel);
    log.committed.send_replace(last);
    tracing::debug!(
        datasource = schema.name,
        first,
        last,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "flushed"
    );
    let log2 = log.clone();
    let trimmed = blocking(move || {
        log2.keys.expire(now_ms())?;
        log2.wal.trim_through(last)
    })
    .await;
    if let Err(e) = trimmed {
        tracing::warn!(error = %e, datasource = schema.name, "cannot trim the log; it will be trimmed later");
    }
    true
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?
}

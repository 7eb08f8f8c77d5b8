//! A datasource's durable buffer: its write-ahead log, the entries not yet in ClickHouse
//! (in memory, in log order, for the flusher), its idempotency keys, its checkpoint, and the
//! watermark `wait=true` requests wait on.

use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{watch, Notify};

use super::entry::Entry;
use super::idempotency::{Keys, Outcome};
use super::wal::checkpoint::Checkpoint;
use super::wal::{Wal, WalError, WalOptions};

/// An entry waiting for its flush.
#[derive(Debug, Clone)]
pub struct Queued {
    pub seq: u64,
    pub entry: Entry,
    /// When it became durable; the flush delay counts from here.
    pub at: Instant,
}

/// The entries not yet in ClickHouse.
#[derive(Debug, Default)]
pub struct Queue {
    pub entries: VecDeque<Queued>,
    /// Their total size: what back-pressure limits.
    pub bytes: u64,
    pub rows: u64,
}

/// One datasource's log and what goes with it.
pub struct Log {
    pub wal: Wal,
    pub keys: Arc<Keys>,
    pub queue: Arc<Mutex<Queue>>,
    /// Woken when an entry is queued.
    pub notify: Arc<Notify>,
    /// The last sequence number in ClickHouse.
    pub committed: watch::Sender<u64>,
    pub checkpoint: Mutex<Checkpoint>,
    /// Bumped after every committed flush: what keeps cached results fresh.
    pub version: AtomicU64,
    pub dir: PathBuf,
}

impl Log {
    /// Opens (or creates) the log in `dir` and recovers it: every entry after the checkpoint
    /// is queued again, and its key is known again. Blocking.
    pub fn open(dir: &Path, segment_bytes: u64, window_ms: u64, now_ms: u64) -> io::Result<Log> {
        std::fs::create_dir_all(dir)?;
        let checkpoint = Checkpoint::load(dir)?;
        // A new log's epoch must be on disk before any token uses it.
        checkpoint.store(dir)?;
        let keys = Keys::open(dir, window_ms, now_ms)?;
        let queue: Arc<Mutex<Queue>> = Arc::default();
        let notify = Arc::new(Notify::new());
        let (sink_queue, sink_notify) = (queue.clone(), notify.clone());
        let sink = Box::new(
            move |seq: u64, bytes: bytes::Bytes| match Entry::decode(bytes) {
                Ok(entry) => {
                    if let Ok(mut q) = sink_queue.lock() {
                        q.bytes += entry.len() as u64;
                        q.rows += u64::from(entry.rows + entry.quarantined);
                        q.entries.push_back(Queued {
                            seq,
                            entry,
                            at: Instant::now(),
                        });
                    }
                    sink_notify.notify_one();
                }
                Err(e) => {
                    tracing::error!(seq, error = %e, "an entry the log just wrote does not decode")
                }
            },
        );
        let (wal, recovered) = Wal::open(
            dir,
            checkpoint.committed,
            WalOptions { segment_bytes },
            sink,
        )?;
        let mut recovered_entries = VecDeque::new();
        for (seq, bytes) in recovered.records {
            let entry = Entry::decode(bytes).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("log record {seq} in {}: {e}", dir.display()),
                )
            })?;
            keys.remember(
                entry.key,
                Outcome {
                    seq,
                    rows: entry.rows,
                    quarantined: entry.quarantined,
                    received_ms: entry.received_ms,
                },
            );
            recovered_entries.push_back(Queued {
                seq,
                entry,
                at: Instant::now(),
            });
        }
        if !recovered_entries.is_empty() {
            tracing::info!(
                dir = %dir.display(),
                entries = recovered_entries.len(),
                first = recovered_entries.front().map(|q| q.seq),
                "recovered unflushed events from the write-ahead log"
            );
            if let Ok(mut q) = queue.lock() {
                for r in recovered_entries.into_iter().rev() {
                    q.bytes += r.entry.len() as u64;
                    q.rows += u64::from(r.entry.rows + r.entry.quarantined);
                    q.entries.push_front(r);
                }
            }
            notify.notify_one();
        }
        let (committed, _) = watch::channel(checkpoint.committed);
        Ok(Log {
            wal,
            keys,
            queue,
            notify,
            committed,
            checkpoint: Mutex::new(checkpoint),
            version: AtomicU64::new(0),
            dir: dir.to_path_buf(),
        })
    }

    /// Appends an entry durably; answers its sequence number.
    pub async fn append(&self, entry: &Entry) -> Result<u64, WalError> {
        self.wal.append(entry.bytes().clone()).await
    }

    /// Bytes in the log not yet in ClickHouse.
    pub fn unflushed_bytes(&self) -> u64 {
        self.queue.lock().map(|q| q.bytes).unwrap_or(0)
    }

    /// Waits until record `seq` is in ClickHouse. `false` when the flusher stopped first.
    pub async fn wait_committed(&self, seq: u64) -> bool {
        let mut rx = self.committed.subscribe();
        let reached = rx.wait_for(|c| *c >= seq).await.is_ok();
        reached
    }

    /// The datasource's data version.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }
}

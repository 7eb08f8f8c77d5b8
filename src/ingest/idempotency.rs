//! Idempotency keys: a request seen before, within the window, gets its original answer and
//! inserts nothing.
//!
//! The key of an accepted request lives in its log entry, so it is durable exactly when the
//! request is. Before the flusher trims entries from the log it copies their keys here
//! ([`Keys::persist`]): an append-only file of fixed-size, checksummed records in the log's
//! folder, rewritten without expired keys from time to time. On start the keys come back
//! from this file and from the entries still in the log.

use std::collections::{HashMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use super::wal::segment::sync_dir;

const FILE: &str = "idempotency";
/// crc u32 | key [16] | received_ms u64 | seq u64 | rows u32 | quarantined u32
const RECORD: usize = 4 + 16 + 8 + 8 + 4 + 4;

/// The answer a request got, kept for its repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The log record holding the request's rows (a `wait=true` repeat waits for it).
    pub seq: u64,
    pub rows: u32,
    pub quarantined: u32,
    /// When the original request arrived; the window counts from here.
    pub received_ms: u64,
}

enum Slot {
    /// The first request with this key is being handled; repeats wait for it.
    Pending(watch::Receiver<()>),
    Done(Outcome),
}

/// What a request's key says to do.
pub enum Claim {
    /// First of its key: handle it, then [`Guard::complete`].
    Owner(Guard),
    /// A repeat of an accepted request.
    Repeat(Outcome),
    /// The first request with this key is still being handled: wait on this, then ask again.
    Busy(watch::Receiver<()>),
}

#[derive(Default)]
struct State {
    map: HashMap<[u8; 16], Slot>,
    /// Keys in arrival order, for expiry.
    order: VecDeque<(u64, [u8; 16])>,
    /// Records in the file, to decide when to rewrite it.
    file_records: usize,
}

/// The keys of one datasource's log.
pub struct Keys {
    dir: PathBuf,
    window_ms: u64,
    state: Mutex<State>,
    file: Mutex<Option<File>>,
}

impl Keys {
    /// Loads the keys persisted in `dir` that are still within the window, and rewrites the
    /// file with only those.
    pub fn open(dir: &Path, window_ms: u64, now_ms: u64) -> io::Result<Arc<Keys>> {
        let path = dir.join(FILE);
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let keys = Keys {
            dir: dir.to_path_buf(),
            window_ms,
            state: Mutex::new(State::default()),
            file: Mutex::new(None),
        };
        for chunk in data.chunks_exact(RECORD) {
            let Some((key, outcome)) = decode(chunk) else {
                break; // a torn tail; everything before it is intact
            };
            if outcome.received_ms + window_ms > now_ms {
                keys.remember(key, outcome);
            }
        }
        keys.rewrite()?;
        Ok(Arc::new(keys))
    }

    /// Records a key known from the log (recovery) or a completed request.
    pub fn remember(&self, key: [u8; 16], outcome: Outcome) {
        if let Ok(mut s) = self.state.lock() {
            s.map.insert(key, Slot::Done(outcome));
            s.order.push_back((outcome.received_ms, key));
        }
    }

    /// Looks a request's key up.
    pub fn claim(self: &Arc<Self>, key: [u8; 16], now_ms: u64) -> Claim {
        let Ok(mut s) = self.state.lock() else {
            // A poisoned lock only follows a panic elsewhere; handle the request as new.
            let (tx, _) = watch::channel(());
            return Claim::Owner(Guard {
                keys: self.clone(),
                key,
                tx: Some(tx),
            });
        };
        match s.map.get(&key) {
            Some(Slot::Done(o)) if o.received_ms + self.window_ms > now_ms => {
                return Claim::Repeat(*o)
            }
            Some(Slot::Pending(rx)) => return Claim::Busy(rx.clone()),
            _ => {}
        }
        let (tx, rx) = watch::channel(());
        s.map.insert(key, Slot::Pending(rx));
        Claim::Owner(Guard {
            keys: self.clone(),
            key,
            tx: Some(tx),
        })
    }

    /// Makes the keys of entries about to be trimmed from the log durable here.
    pub fn persist(&self, outcomes: &[([u8; 16], Outcome)]) -> io::Result<()> {
        if outcomes.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::with_capacity(outcomes.len() * RECORD);
        for (key, o) in outcomes {
            encode(key, o, &mut buf);
        }
        let mut guard = self
            .file
            .lock()
            .map_err(|_| io::Error::other("lock poisoned"))?;
        if guard.is_none() {
            *guard = Some(
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(self.dir.join(FILE))?,
            );
        }
        if let Some(f) = guard.as_mut() {
            f.write_all(&buf)?;
            f.sync_data()?;
        }
        if let Ok(mut s) = self.state.lock() {
            s.file_records += outcomes.len();
        }
        Ok(())
    }

    /// Forgets keys older than the window, and rewrites the file when it has grown to hold
    /// mostly forgotten keys.
    pub fn expire(&self, now_ms: u64) -> io::Result<()> {
        let rewrite = {
            let Ok(mut s) = self.state.lock() else {
                return Ok(());
            };
            while let Some((at, key)) = s.order.front().copied() {
                if at + self.window_ms > now_ms {
                    break;
                }
                s.order.pop_front();
                if matches!(s.map.get(&key), Some(Slot::Done(o)) if o.received_ms == at) {
                    s.map.remove(&key);
                }
            }
            s.file_records > 2 * s.map.len() + 100_000
        };
        if rewrite {
            self.rewrite()?;
        }
        Ok(())
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.state.lock().map(|s| s.map.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the file with the remembered keys (write, sync, rename, sync the folder).
    fn rewrite(&self) -> io::Result<()> {
        let mut file = self
            .file
            .lock()
            .map_err(|_| io::Error::other("lock poisoned"))?;
        let (buf, n) = {
            let s = self
                .state
                .lock()
                .map_err(|_| io::Error::other("lock poisoned"))?;
            let mut buf = Vec::new();
            let mut n = 0;
            for (key, slot) in &s.map {
                if let Slot::Done(o) = slot {
                    encode(key, o, &mut buf);
                    n += 1;
                }
            }
            (buf, n)
        };
        let path = self.dir.join(FILE);
        if buf.is_empty() && !path.exists() {
            return Ok(());
        }
        let tmp = self.dir.join(format!("{FILE}.tmp"));
        let mut f = File::create(&tmp)?;
        f.write_all(&buf)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        sync_dir(&self.dir)?;
        *file = Some(OpenOptions::new().append(true).open(&path)?);
        if let Ok(mut s) = self.state.lock() {
            s.file_records = n;
        }
        Ok(())
    }
}

/// The right to handle the first request of a key. Dropped without completing (the request
/// failed), it frees the key, and waiting repeats try for themselves.
pub struct Guard {
    keys: Arc<Keys>,
    key: [u8; 16],
    tx: Option<watch::Sender<()>>,
}

impl Guard {
    pub fn complete(mut self, outcome: Outcome) {
        self.keys.remember(self.key, outcome);
        self.tx.take();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.tx.take().is_some() {
            if let Ok(mut s) = self.keys.state.lock() {
                if matches!(s.map.get(&self.key), Some(Slot::Pending(_))) {
                    s.map.remove(&self.key);
                }
            }
        }
    }
}

fn encode(key: &[u8; 16], o: &Outcome, out: &mut Vec<u8>) {
    let mut body = Vec::with_capacity(RECORD - 4);
    body.extend_from_slice(key);
    body.extend_from_slice(&o.received_ms.to_le_bytes());
    body.extend_from_slice(&o.seq.to_le_bytes());
    body.extend_from_slice(&o.rows.to_le_bytes());
    body.extend_from_slice(&o.quarantined.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
}

fn decode(chunk: &[u8]) -> Option<([u8; 16], Outcome)> {
    let crc = u32::from_le_bytes(chunk.get(..4)?.try_into().ok()?);
    let body = chunk.get(4..RECORD)?;
    if crc32fast::hash(body) != crc {
        return None;
    }
    let key: [u8; 16] = body[..16].try_into().ok()?;
    let u64_at = |at: usize| -> Option<u64> {
        Some(u64::from_le_bytes(body.get(at..at + 8)?.try_into().ok()?))
    };
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(body.get(at..at + 4)?.try_into().ok()?))
    };
    Some((
        key,
        Outcome {
            received_ms: u64_at(16)?,
            seq: u64_at(24)?,
            rows: u32_at(32)?,
            quarantined: u32_at(36)?,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(seq: u64, at: u64) -> Outcome {
        Outcome {
            seq,
            rows: 3,
            quarantined: 1,
            received_ms: at,
        }
    }

    #[test]
    fn keys_survive_a_reopen_within_the_window() {
        let dir = tempfile::tempdir().expect("tmp");
        let keys = Keys::open(dir.path(), 1000, 0).expect("open");
        keys.persist(&[([1; 16], outcome(1, 100)), ([2; 16], outcome(2, 900))])
            .expect("persist");
        drop(keys);
        // A torn record at the end is ignored.
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE))
            .expect("open");
        f.write_all(&[9; 10]).expect("write");
        drop(f);
        let keys = Keys::open(dir.path(), 1000, 1050).expect("reopen");
        assert_eq!(keys.len(), 2);
        assert!(matches!(keys.claim([2; 16], 1050), Claim::Repeat(o) if o == outcome(2, 900)));
        assert!(matches!(keys.claim([1; 16], 1050), Claim::Repeat(_)));
        drop(keys);
        // Past the first key's window: it is not loaded again.
        let keys = Keys::open(dir.path(), 1000, 1150).expect("reopen");
        assert_eq!(keys.len(), 1);
        assert!(matches!(keys.claim([1; 16], 1150), Claim::Owner(_)));
    }

    #[test]
    fn a_pending_key_makes_repeats_wait_and_a_failed_one_frees_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let keys = Keys::open(dir.path(), 1000, 0).expect("open");
        let Claim::Owner(guard) = keys.claim([5; 16], 0) else {
            panic!("first is owner")
        };
        let Claim::Busy(rx) = keys.claim([5; 16], 0) else {
            panic!("second waits")
        };
        drop(guard);
        assert!(rx.has_changed().is_err(), "the owner is gone");
        let Claim::Owner(guard) = keys.claim([5; 16], 0) else {
            panic!("free again")
        };
        guard.complete(outcome(9, 0));
        assert!(matches!(keys.claim([5; 16], 10), Claim::Repeat(o) if o.seq == 9));
        assert!(
            matches!(keys.claim([5; 16], 1000), Claim::Owner(_)),
            "expired"
        );
    }
}

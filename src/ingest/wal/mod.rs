//! The write-ahead log of one datasource: segmented append-only files with a CRC on every
//! record ([`record`]), written by one thread that commits concurrent appends together with
//! one `fdatasync` (group commit) before any of them is acknowledged.
//!
//! Opening a log recovers it: every intact record after the checkpoint is handed back for
//! flushing, and a torn tail of the newest segment (a write the crash cut short, never
//! acknowledged) is cut off. Damage anywhere else means acknowledged data was lost, and
//! opening fails rather than hide it. Segments are deleted only when the flusher says every
//! record in them is in ClickHouse ([`Wal::trim_through`]).

pub mod checkpoint;
pub mod record;
pub mod segment;

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::oneshot;

use segment::Segment;

/// Where durable records go, in sequence order, before their appends are acknowledged.
pub type Sink = Box<dyn FnMut(u64, Bytes) + Send>;

/// Why an append was not made durable.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WalError {
    /// Writing or syncing failed. The log stops taking appends, since what reached the disk
    /// is unknown; a restart recovers it.
    #[error("the write-ahead log failed: {0}")]
    Io(String),
    /// The log is closed (the gateway is stopping).
    #[error("the write-ahead log is closed")]
    Closed,
    /// The payload is larger than a record may be.
    #[error("a record of {0} bytes is larger than the log allows")]
    TooLarge(usize),
}

/// An append waiting for the writer thread.
struct Append {
    payload: Bytes,
    reply: oneshot::Sender<Result<u64, WalError>>,
}

/// What opening found on disk.
#[derive(Debug, Default)]
pub struct Recovered {
    /// Records after `after`, in order, to be flushed again.
    pub records: Vec<(u64, Bytes)>,
    /// Bytes cut off the newest segment's torn tail, if any.
    pub cut_bytes: u64,
}

/// Tuning of a log.
#[derive(Debug, Clone, Copy)]
pub struct WalOptions {
    /// A segment is sealed and a new one started once it holds this many bytes.
    pub segment_bytes: u64,
}

/// An open log. Appends go through one writer thread; trimming happens on the caller's.
pub struct Wal {
    dir: PathBuf,
    tx: Mutex<Option<mpsc::Sender<Append>>>,
    /// Every segment on disk, oldest first; the last is the one being written.
    segments: Arc<Mutex<Vec<Segment>>>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Wal {
    /// Opens (creating if needed) the log in `dir`. Records up to `after` are in ClickHouse
    /// already and are not returned; the next record is numbered after both them and every
    /// record on disk. Durable appends are handed to `sink`.
    pub fn open(
        dir: &Path,
        after: u64,
        options: WalOptions,
        sink: Sink,
    ) -> io::Result<(Wal, Recovered)> {
        std::fs::create_dir_all(dir)?;
        let mut segments = segment::list(dir)?;
        let mut recovered = Recovered::default();
        let mut next = after + 1;
        let count = segments.len();
        for (i, seg) in segments.iter().enumerate() {
            let scan = segment::scan(&seg.path)?;
            if let Some(damage) = scan.damage {
                if i + 1 != count {
                    return Err(corrupt(
                        &seg.path,
                        &format!(
                            "{damage} at byte {}; this sealed segment held acknowledged records",
                            scan.valid_len
                        ),
                    ));
                }
                let len = std::fs::metadata(&seg.path)?.len();
                recovered.cut_bytes = len - scan.valid_len;
                tracing::warn!(
                    segment = %seg.path.display(),
                    offset = scan.valid_len,
                    bytes = recovered.cut_bytes,
                    %damage,
                    "cutting the torn tail of the write-ahead log (an unacknowledged write)"
                );
                segment::truncate(&seg.path, scan.valid_len)?;
            }
            let mut expect = seg.first;
            for (seq, payload) in scan.records {
                if seq != expect {
                    return Err(corrupt(
                        &seg.path,
                        &format!("record {seq} where {expect} was expected"),
                    ));
                }
                expect += 1;
                if seq > after {
                    recovered.records.push((seq, payload));
                }
            }
            next = next.max(expect);
        }
        if let Some((first, _)) = recovered.records.first() {
            if *first != after + 1 {
                return Err(corrupt(
                    dir,
                    &format!("records {} to {} are missing", after + 1, first - 1),
                ));
            }
        }
        // Appends always go to a fresh segment, so a recovered one is never appended to.
        let active = Segment::new(dir, next);
        if segments.last().is_some_and(|s| s.first == next) {
            // An empty newest segment named for the next record: reuse it.
        } else {
            segments.push(active.clone());
        }
        let file = segment::open_for_append(dir, &active)?;
        let segments = Arc::new(Mutex::new(segments));
        let (tx, rx) = mpsc::channel();
        let writer = Writer {
            dir: dir.to_path_buf(),
            file,
            size: 0,
            next,
            options,
            segments: segments.clone(),
            sink,
        };
        let handle = std::thread::Builder::new()
            .name("pipegate-wal".into())
            .spawn(move || writer.run(rx))?;
        Ok((
            Wal {
                dir: dir.to_path_buf(),
                tx: Mutex::new(Some(tx)),
                segments,
                writer: Mutex::new(Some(handle)),
            },
            recovered,
        ))
    }

    /// Appends one record and waits until it is durable; answers its sequence number.
    pub async fn append(&self, payload: Bytes) -> Result<u64, WalError> {
        if payload.len() > record::MAX_PAYLOAD {
            return Err(WalError::TooLarge(payload.len()));
        }
        let (reply, rx) = oneshot::channel();
        {
            let tx = self.tx.lock().map_err(|_| WalError::Closed)?;
            let tx = tx.as_ref().ok_or(WalError::Closed)?;
            tx.send(Append { payload, reply })
                .map_err(|_| WalError::Closed)?;
        }
        rx.await.map_err(|_| WalError::Closed)?
    }

    /// Deletes every sealed segment whose records are all at or before `seq`. Answers how
    /// many were deleted.
    pub fn trim_through(&self, seq: u64) -> io::Result<usize> {
        let doomed: Vec<Segment> = {
            let Ok(mut segments) = self.segments.lock() else {
                return Ok(0);
            };
            let mut n = 0;
            // Segment i ends where segment i + 1 begins; the newest one is never deleted.
            while segments.len() > n + 1 && segments[n + 1].first <= seq + 1 {
                n += 1;
            }
            segments.drain(..n).collect()
        };
        for seg in &doomed {
            std::fs::remove_file(&seg.path)?;
        }
        Ok(doomed.len())
    }

    /// The folder of the log.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stops taking appends, lets the writer finish what it has, and waits for it.
    pub fn close(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        let handle = self.writer.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

impl Drop for Wal {
    fn drop(&mut self) {
        self.close();
    }
}

fn corrupt(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "the write-ahead log at {} is damaged: {what}. Refusing to start rather than lose acknowledged events; move the file aside to start without it",
            path.display()
        ),
    )
}

/// The thread that owns the segment being written.
struct Writer {
    dir: PathBuf,
    file: File,
    /// Bytes in the current segment.
    size: u64,
    /// The sequence number of the next record.
    next: u64,
    options: WalOptions,
    segments: Arc<Mutex<Vec<Segment>>>,
    sink: Sink,
}

/// How many bytes one group commit gathers at most before it writes.
const GROUP_BYTES: usize = 16 << 20;

impl Writer {
    fn run(mut self, rx: mpsc::Receiver<Append>) {
        let mut failed: Option<String> = None;
        let mut buf = Vec::new();
        while let Ok(first) = rx.recv() {
            let mut group = vec![first];
            let mut bytes = group[0].payload.len();
            while bytes < GROUP_BYTES {
                match rx.try_recv() {
                    Ok(a) => {
                        bytes += a.payload.len();
                        group.push(a);
                    }
                    Err(_) => break,
                }
            }
            if let Some(reason) = &failed {
                for a in group {
                    let _ = a.reply.send(Err(WalError::Io(reason.clone())));
                }
                continue;
            }
            buf.clear();
            for (i, a) in group.iter().enumerate() {
                record::encode(self.next + i as u64, &a.payload, &mut buf);
            }
            match self.commit(&buf) {
                Ok(()) => {
                    let first = self.next;
                    self.next += group.len() as u64;
                    // Rotate before answering, so an answered append's segment is sealed
                    // and listed by the time the caller can ask to trim it.
                    if self.size >= self.options.segment_bytes {
                        if let Err(e) = self.rotate() {
                            tracing::error!(error = %e, "cannot start a new log segment");
                            failed = Some(e.to_string());
                        }
                    }
                    for (i, a) in group.into_iter().enumerate() {
                        let seq = first + i as u64;
                        (self.sink)(seq, a.payload);
                        let _ = a.reply.send(Ok(seq));
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, dir = %self.dir.display(), "the write-ahead log failed; appends stop until a restart");
                    let reason = e.to_string();
                    // Best effort: take the unacknowledged bytes back off the end.
                    let _ = self.file.set_len(self.size);
                    for a in group {
                        let _ = a.reply.send(Err(WalError::Io(reason.clone())));
                    }
                    failed = Some(reason);
                }
            }
        }
        let _ = self.file.sync_data();
    }

    fn commit(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)?;
        self.file.sync_data()?;
        self.size += buf.len() as u64;
        Ok(())
    }

    /// Seals the current segment (it is synced already) and starts the next.
    fn rotate(&mut self) -> io::Result<()> {
        let seg = Segment::new(&self.dir, self.next);
        self.file = segment::open_for_append(&self.dir, &seg)?;
        self.size = 0;
        if let Ok(mut segments) = self.segments.lock() {
            segments.push(seg);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

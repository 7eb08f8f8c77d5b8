//! Segment files: `<first seq, 20 digits>.wal`, each a run of framed records. Only the
//! newest segment is ever written; the others are sealed (synced before the next one was
//! created) and are deleted whole once every record in them is in ClickHouse.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use bytes::Bytes;

use super::record::{self, Damage, Read};

/// The file name suffix of a segment.
const SUFFIX: &str = ".wal";

/// One segment on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The sequence number of its first record (also its name).
    pub first: u64,
    pub path: PathBuf,
}

impl Segment {
    pub fn new(dir: &Path, first: u64) -> Segment {
        Segment {
            first,
            path: dir.join(format!("{first:020}{SUFFIX}")),
        }
    }
}

/// The segments in `dir`, oldest first. Files that are not segments are left alone.
pub fn list(dir: &Path) -> io::Result<Vec<Segment>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(first) = name
            .to_str()
            .and_then(|n| n.strip_suffix(SUFFIX))
            .filter(|n| n.len() == 20)
            .and_then(|n| n.parse::<u64>().ok())
        else {
            continue;
        };
        out.push(Segment {
            first,
            path: entry.path(),
        });
    }
    out.sort_by_key(|s| s.first);
    Ok(out)
}

/// What a segment holds.
#[derive(Debug)]
pub struct Scan {
    /// Its intact records, in order.
    pub records: Vec<(u64, Bytes)>,
    /// Where its intact records end.
    pub valid_len: u64,
    /// What follows them, when anything does: a torn write (in the newest segment) or
    /// damage (anywhere else).
    pub damage: Option<Damage>,
}

/// Reads every intact record of a segment. The payloads share one buffer.
pub fn scan(path: &Path) -> io::Result<Scan> {
    let data = Bytes::from(std::fs::read(path)?);
    let mut records = Vec::new();
    let mut at = 0;
    let damage = loop {
        match record::read(&data, at) {
            Read::Record { seq, payload, next } => {
                let start = at + record::HEADER_LEN;
                records.push((seq, data.slice(start..start + payload.len())));
                at = next;
            }
            Read::End => break None,
            Read::Damaged(d) => break Some(d),
        }
    };
    Ok(Scan {
        records,
        valid_len: at as u64,
        damage,
    })
}

/// Opens a segment for appending, creating it (and making its name durable) if needed.
pub fn open_for_append(dir: &Path, segment: &Segment) -> io::Result<File> {
    let existed = segment.path.exists();
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&segment.path)?;
    if !existed {
        sync_dir(dir)?;
    }
    Ok(file)
}

/// Makes the directory's entries (a created, renamed or removed file) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Cuts a segment back to `len` bytes, durably: the torn tail of a crash.
pub fn truncate(path: &Path, len: u64) -> io::Result<()> {
    let file = OpenOptions::new().write(true).open(path)?;
    file.set_len(len)?;
    file.sync_all()
}

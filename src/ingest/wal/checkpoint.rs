//! The flusher's checkpoint: which log records are in ClickHouse, and which batch is being
//! inserted. It makes a flush that is retried after a crash carry the same deduplication
//! token as the first attempt, so ClickHouse drops the repeat.
//!
//! The file is a few `key=value` lines, replaced atomically (write, sync, rename, sync the
//! folder), so it is always either the old or the new checkpoint.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::segment::sync_dir;

const FILE: &str = "checkpoint";

/// Where the flusher stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// A random number chosen when the log was created. It is part of every deduplication
    /// token, so a log created anew (its folder deleted) cannot reuse the tokens of an old
    /// one, which ClickHouse would take for repeats and drop.
    pub epoch: u64,
    /// Every record up to and including this sequence number is in ClickHouse.
    pub committed: u64,
    /// The last record of the batch being inserted when the checkpoint was written: after a
    /// crash the flusher inserts exactly `committed + 1 ..= inflight` again first.
    pub inflight: Option<u64>,
}

impl Checkpoint {
    /// Reads the checkpoint in `dir`; a log with none starts at zero with a new epoch.
    pub fn load(dir: &Path) -> io::Result<Checkpoint> {
        let text = match std::fs::read_to_string(dir.join(FILE)) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Checkpoint {
                    epoch: rand::random::<u64>() >> 1,
                    committed: 0,
                    inflight: None,
                })
            }
            Err(e) => return Err(e),
        };
        let bad = |m: &str| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {m}", dir.join(FILE).display()),
            )
        };
        let mut epoch = None;
        let mut committed = None;
        let mut inflight = None;
        for line in text.lines() {
            let (k, v) = line.split_once('=').ok_or_else(|| bad("not key=value"))?;
            let v: u64 = v.trim().parse().map_err(|_| bad("not a number"))?;
            match k.trim() {
                "epoch" => epoch = Some(v),
                "committed" => committed = Some(v),
                "inflight" => inflight = Some(v),
                _ => return Err(bad("unknown key")),
            }
        }
        Ok(Checkpoint {
            epoch: epoch.ok_or_else(|| bad("no epoch"))?,
            committed: committed.ok_or_else(|| bad("no committed"))?,
            inflight,
        })
    }

    /// Replaces the checkpoint in `dir`, durably.
    pub fn store(&self, dir: &Path) -> io::Result<()> {
        let tmp: PathBuf = dir.join(format!("{FILE}.tmp"));
        let mut text = format!("epoch={}\ncommitted={}\n", self.epoch, self.committed);
        if let Some(end) = self.inflight {
            text.push_str(&format!("inflight={end}\n"));
        }
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, dir.join(FILE))?;
        sync_dir(dir)
    }

    /// The deduplication token of the batch `first..=last` into `table`.
    pub fn token(&self, table: &str, first: u64, last: u64) -> String {
        format!("pipegate:{table}:{:016x}:{first}-{last}", self.epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_round_trips_and_a_new_log_gets_an_epoch() {
        let dir = tempfile::tempdir().expect("tmp");
        let fresh = Checkpoint::load(dir.path()).expect("fresh");
        assert_eq!((fresh.committed, fresh.inflight), (0, None));
        let c = Checkpoint {
            epoch: fresh.epoch,
            committed: 41,
            inflight: Some(50),
        };
        c.store(dir.path()).expect("store");
        assert_eq!(Checkpoint::load(dir.path()).expect("load"), c);
        let done = Checkpoint {
            inflight: None,
            committed: 50,
            ..c
        };
        done.store(dir.path()).expect("store");
        assert_eq!(Checkpoint::load(dir.path()).expect("load"), done);
        assert_eq!(
            done.token("events", 42, 50),
            format!("pipegate:events:{:016x}:42-50", done.epoch)
        );
    }
}

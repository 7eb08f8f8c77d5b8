//! The log's recovery rules, on real files: torn tails are cut, damage elsewhere refuses to
//! open, numbering continues across restarts and trims, group commit keeps order.

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::*;

type Seen = Arc<Mutex<Vec<(u64, Bytes)>>>;

fn open(dir: &Path, after: u64, segment_bytes: u64) -> (Wal, Recovered, Seen) {
    let seen: Seen = Arc::default();
    let sink_seen = seen.clone();
    let (wal, rec) = Wal::open(
        dir,
        after,
        WalOptions { segment_bytes },
        Box::new(move |seq, p| sink_seen.lock().expect("lock").push((seq, p))),
    )
    .expect("opens");
    (wal, rec, seen)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
}

fn append_all(wal: &Wal, payloads: &[&str]) -> Vec<u64> {
    rt().block_on(async {
        let mut out = Vec::new();
        for p in payloads {
            out.push(
                wal.append(Bytes::copy_from_slice(p.as_bytes()))
                    .await
                    .expect("append"),
            );
        }
        out
    })
}

fn texts(records: &[(u64, Bytes)]) -> Vec<(u64, String)> {
    records
        .iter()
        .map(|(s, p)| (*s, String::from_utf8_lossy(p).into_owned()))
        .collect()
}

fn newest_segment(dir: &Path) -> PathBuf {
    segment::list(dir)
        .expect("list")
        .into_iter()
        .rfind(|s| std::fs::metadata(&s.path).map(|m| m.len()).unwrap_or(0) > 0)
        .expect("a segment with data")
        .path
}

#[test]
fn records_survive_a_reopen_and_numbering_continues() {
    let dir = tempfile::tempdir().expect("tmp");
    let (wal, rec, seen) = open(dir.path(), 0, 1 << 20);
    assert!(rec.records.is_empty());
    assert_eq!(append_all(&wal, &["a", "b", "c"]), [1, 2, 3]);
    assert_eq!(
        texts(&seen.lock().expect("lock")),
        [(1, "a".into()), (2, "b".into()), (3, "c".into())]
    );
    drop(wal);
    let (wal, rec, _) = open(dir.path(), 1, 1 << 20);
    assert_eq!(texts(&rec.records), [(2, "b".into()), (3, "c".into())]);
    assert_eq!(append_all(&wal, &["d"]), [4]);
    drop(wal);
    let (_, rec, _) = open(dir.path(), 0, 1 << 20);
    assert_eq!(rec.records.len(), 4);
}

#[test]
fn a_torn_tail_is_cut_and_the_log_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let (wal, _, _) = open(dir.path(), 0, 1 << 20);
    append_all(&wal, &["one", "two", "three"]);
    drop(wal);
    // A crash in the middle of a write: a header and part of a payload.
    let path = newest_segment(dir.path());
    let mut torn = Vec::new();
    record::encode(4, b"four, never acknowledged", &mut torn);
    torn.truncate(torn.len() - 5);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    f.write_all(&torn).expect("write");
    drop(f);
    let (wal, rec, _) = open(dir.path(), 0, 1 << 20);
    assert_eq!(rec.cut_bytes, torn.len() as u64);
    assert_eq!(
        texts(&rec.records),
        [(1, "one".into()), (2, "two".into()), (3, "three".into())]
    );
    assert_eq!(
        append_all(&wal, &["four"]),
        [4],
        "the cut record's number is reused"
    );
    drop(wal);
    let (_, rec, _) = open(dir.path(), 0, 1 << 20);
    assert_eq!(rec.cut_bytes, 0);
    assert_eq!(rec.records.len(), 4);
}

#[test]
fn a_checksum_mismatch_at_the_tail_is_cut() {
    let dir = tempfile::tempdir().expect("tmp");
    let (wal, _, _) = open(dir.path(), 0, 1 << 20);
    append_all(&wal, &["alpha", "omega"]);
    drop(wal);
    let path = newest_segment(dir.path());
    let mut data = std::fs::read(&path).expect("read");
    let last = data.len() - 1;
    data[last] ^= 0x40;
    std::fs::write(&path, &data).expect("write");
    let (_, rec, _) = open(dir.path(), 0, 1 << 20);
    assert_eq!(texts(&rec.records), [(1, "alpha".into())]);
    assert_eq!(rec.cut_bytes, (record::HEADER_LEN + 5) as u64);
    assert_eq!(
        std::fs::metadata(&path).expect("meta").len(),
        (record::HEADER_LEN + 5) as u64
    );
}

#[test]
fn damage_in_a_sealed_segment_refuses_to_open() {
    let dir = tempfile::tempdir().expect("tmp");
    // Tiny segments: every append seals one.
    let (wal, _, _) = open(dir.path(), 0, 1);
    append_all(&wal, &["r1", "r2", "r3"]);
    drop(wal);
    let segments = segment::list(dir.path()).expect("list");
    assert!(segments.len() >= 3, "{segments:?}");
    let first = &segments[0].path;
    let mut data = std::fs::read(first).expect("read");
    data[record::HEADER_LEN] ^= 1;
    std::fs::write(first, &data).expect("write");
    let err = Wal::open(
        dir.path(),
        0,
        WalOptions { segment_bytes: 1 },
        Box::new(|_, _| {}),
    )
    .err()
    .expect("refuses");
    assert!(err.to_string().contains("is damaged"), "{err}");
}

#[test]
fn trimming_deletes_only_flushed_sealed_segments() {
    let dir = tempfile::tempdir().expect("tmp");
    let (wal, _, _) = open(dir.path(), 0, 1);
    append_all(&wal, &["1", "2", "3", "4"]);
    // Segments start at 1, 2, 3, 4 and 5 (empty, being written).
    assert_eq!(segment::list(dir.path()).expect("list").len(), 5);
    assert_eq!(wal.trim_through(2).expect("trim"), 2);
    let firsts: Vec<u64> = segment::list(dir.path())
        .expect("list")
        .iter()
        .map(|s| s.first)
        .collect();
    assert_eq!(firsts, [3, 4, 5]);
    assert_eq!(wal.trim_through(10).expect("trim"), 2, "the newest stays");
    drop(wal);
    // Everything flushed and trimmed: numbering continues after the checkpoint.
    let (wal, rec, _) = open(dir.path(), 4, 1);
    assert!(rec.records.is_empty());
    assert_eq!(append_all(&wal, &["5"]), [5]);
    drop(wal);
    let (wal, rec, _) = open(dir.path(), 7, 1 << 20);
    assert!(rec.records.is_empty());
    assert_eq!(append_all(&wal, &["8"]), [8], "never below the checkpoint");
}

#[test]
fn a_gap_after_the_checkpoint_refuses_to_open() {
    let dir = tempfile::tempdir().expect("tmp");
    let (wal, _, _) = open(dir.path(), 0, 1);
    append_all(&wal, &["1", "2", "3"]);
    drop(wal);
    std::fs::remove_file(&segment::list(dir.path()).expect("list")[0].path).expect("rm");
    let err = Wal::open(
        dir.path(),
        0,
        WalOptions { segment_bytes: 1 },
        Box::new(|_, _| {}),
    )
    .err()
    .expect("refuses");
    assert!(
        err.to_string().contains("records 1 to 1 are missing"),
        "{err}"
    );
}

#[test]
fn concurrent_appends_share_commits_and_keep_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let (wal, _, seen) = open(dir.path(), 0, 1 << 20);
    let wal = Arc::new(wal);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("runtime");
    let mut seqs: Vec<u64> = rt.block_on(async {
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let wal = wal.clone();
                tokio::spawn(async move {
                    wal.append(Bytes::from(format!("event {i}")))
                        .await
                        .expect("append")
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    });
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=200).collect::<Vec<u64>>());
    let order: Vec<u64> = seen.lock().expect("lock").iter().map(|(s, _)| *s).collect();
    assert_eq!(
        order,
        (1..=200).collect::<Vec<u64>>(),
        "the sink sees sequence order"
    );
}

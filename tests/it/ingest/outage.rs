//! The outage test: a ClickHouse of its own (a second local engine, on its own port and
//! data folder) is stopped for 30 s while a client posts. Acknowledgements go on until the
//! log reaches its limit, then requests get 429; once ClickHouse is back everything lands,
//! once. `PIPEGATE_OUTAGE_SECS` changes the length. Skipped against an external server,
//! which a test cannot stop.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{config, project, wal_dir, Running};
use crate::common::clickhouse::is_local;

/// A private local ClickHouse that can be stopped and started on the same port and data.
struct Engine {
    child: Option<Child>,
    port: u16,
    data: tempfile::TempDir,
}

impl Engine {
    fn start(port: u16, data: &Path) -> (Child, u16) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new(root.join(".venv/bin/python"))
            .arg(root.join("scripts/chdb_http.py"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--data"])
            .arg(data)
            .args(["--parent-pid", &std::process::id().to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the local ClickHouse starts");
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        out.read_line(&mut line).expect("its first line");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        std::thread::spawn(move || {
            let mut sink = String::new();
            while out.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        (child, port)
    }

    fn new() -> Engine {
        let data = tempfile::tempdir().expect("data");
        let (child, port) = Engine::start(0, data.path());
        Engine {
            child: Some(child),
            port,
            data,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn restart(&mut self) {
        let (child, _) = Engine::start(self.port, self.data.path());
        self.child = Some(child);
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.stop();
    }
}

fn batch(b: usize) -> String {
    (0..200)
        .map(|i| {
            let v = b * 200 + i;
            format!(
                "{{\"ts\":{},\"ts_ms\":0,\"user\":{{\"id\":\"e{v:07}\"}},\"kind\":\"k\",\"n\":1}}\n",
                1_714_557_600 + v
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clickhouse_outage_fills_the_log_then_429s_then_everything_lands_once() {
    if !is_local() {
        eprintln!("skipped: the outage test stops its own local ClickHouse");
        return;
    }
    let outage = Duration::from_secs(
        std::env::var("PIPEGATE_OUTAGE_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(30),
    );
    let mut engine = Engine::new();
    let db = "outage";
    let (proj, wal) = (project(&[]), wal_dir());
    let mut c = config(proj.path(), db, wal.path());
    c.clickhouse.url = engine.url();
    c.ingest.flush_delay_ms = 100;
    c.ingest.max_unflushed_bytes = 2 << 20;
    let gw = Running::start(c).await;
    let http = reqwest::Client::new();
    let post = |b: usize| {
        let req = http
            .post(gw.url("/v0/events?name=ev"))
            .bearer_auth(super::APPEND_SECRET)
            .header("Idempotency-Key", format!("b{b}"))
            .body(batch(b));
        async move {
            req.send()
                .await
                .expect("the gateway answers")
                .status()
                .as_u16()
        }
    };
    let ch_url = engine.url();
    let q = |sql: &'static str| {
        let url = ch_url.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{url}/?database={db}"))
                .body(sql)
                .send()
                .await
                .expect("ClickHouse answers")
                .text()
                .await
                .expect("text")
        }
    };
    // Before: everything is acknowledged and lands.
    let mut next = 0;
    while next < 20 {
        assert_eq!(post(next).await, 202);
        next += 1;
    }
    // ClickHouse stops. Acknowledgements go on until the log is full, then 429.
    engine.stop();
    let stopped = Instant::now();
    let mut acked_during = 0;
    let status = loop {
        let s = post(next).await;
        if s != 202 {
            break s;
        }
        acked_during += 1;
        next += 1;
        assert!(acked_during < 10_000, "the log never filled");
    };
    assert_eq!(status, 429, "a full log answers 429");
    assert!(
        acked_during > 0,
        "acknowledgements continue while ClickHouse is down"
    );
    let health = reqwest::get(gw.url("/health")).await.expect("health");
    assert_eq!(health.status(), 503);
    // The rest of the outage: still 429, and nothing is lost by asking.
    let mut refused = 1;
    while stopped.elapsed() < outage {
        assert_eq!(post(next).await, 429);
        refused += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    engine.restart();
    let back = Instant::now();
    // The client retries its refused batch until it is taken, then sends a few more.
    loop {
        match post(next).await {
            202 => break,
            429 => tokio::time::sleep(Duration::from_millis(100)).await,
            other => panic!("unexpected status {other}"),
        }
        assert!(back.elapsed() < Duration::from_secs(60), "never recovered");
    }
    let recovered_after = back.elapsed();
    next += 1;
    for _ in 0..5 {
        assert_eq!(post(next).await, 202);
        next += 1;
    }
    let total = next * 200;
    let want = format!("{total}\t{total}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = q("SELECT count(), uniqExact(user_id) FROM ev").await;
        if got.trim() == want {
            break;
        }
        assert!(Instant::now() < deadline, "still {got:?}, want {want:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "outage test: {acked_during} batches acknowledged while ClickHouse was down, {refused} refused with 429 over {outage:?}, accepting again {recovered_after:?} after the restart; {total} events landed once"
    );
    gw.stop().await;
}

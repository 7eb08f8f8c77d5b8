//! The crash test: the `pipegate` binary is killed with SIGKILL at random moments, ten
//! times, while clients that retry (with an `Idempotency-Key` per batch) post 500k events.
//! Afterwards ClickHouse holds every acknowledged event exactly once: the count, the ids
//! and a checksum of the values all match. `PIPEGATE_CRASH_EVENTS` changes the size.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;

use super::{eventually, query};
use crate::common::clickhouse::{clickhouse_url, test_database};

const DATASOURCE: &str = r#"
SCHEMA >
    `id` String `json:$.id`,
    `v` UInt64 `json:$.v`,
    `p` String `json:$.p`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "id"
"#;

const SECRET: &str = "crash-admin-secret";
const BATCH: usize = 1000;
const CLIENTS: usize = 4;
const KILLS: usize = 10;

struct Gateway {
    child: Child,
    port: u16,
    database: String,
    project: std::path::PathBuf,
    wal: std::path::PathBuf,
}

impl Gateway {
    fn spawn(&mut self) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pipegate"));
        for (key, _) in std::env::vars() {
            if key.starts_with("PIPEGATE_") || key == "RUST_LOG" {
                cmd.env_remove(key);
            }
        }
        self.child = cmd
            .arg("serve")
            .arg("--project")
            .arg(&self.project)
            .env("PIPEGATE_CLICKHOUSE_URL", clickhouse_url())
            .env("PIPEGATE_CLICKHOUSE_DATABASE", &self.database)
            .env("PIPEGATE_HTTP_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("PIPEGATE_POSTGRES_LISTEN", "127.0.0.1:0")
            .env("PIPEGATE_ADMIN_TOKEN", SECRET)
            .env("PIPEGATE_INGEST_WAL_DIR", &self.wal)
            .env("PIPEGATE_INGEST_FLUSH_DELAY_MS", "200")
            .env("PIPEGATE_LOG_LEVEL", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("pipegate starts");
    }

    async fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = format!("http://127.0.0.1:{}/health", self.port);
        while Instant::now() < deadline {
            if let Ok(res) = reqwest::get(&url).await {
                if res.status() == 200 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("pipegate did not come up");
    }

    fn kill9(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.kill9();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The body of batch `b`: events `b * BATCH ..`, each about 200 bytes.
fn batch_body(b: usize) -> String {
    let pad = "x".repeat(150);
    (0..BATCH)
        .map(|i| {
            let v = b * BATCH + i;
            format!("{{\"id\":\"e{v:08}\",\"v\":{v},\"p\":\"{pad}\"}}\n")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_ten_times_under_load_loses_and_duplicates_nothing() {
    let events: usize = std::env::var("PIPEGATE_CRASH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500_000);
    let batches = events.div_ceil(BATCH);
    let total = batches * BATCH;
    let db = test_database("ingest_crash").await;
    let project = tempfile::tempdir().expect("project");
    std::fs::write(project.path().join("crash.datasource"), DATASOURCE).expect("write");
    let wal = tempfile::tempdir().expect("wal");
    let mut gw = Gateway {
        child: Command::new("true").spawn().expect("placeholder"),
        port: free_port(),
        database: db.name.clone(),
        project: project.path().to_path_buf(),
        wal: wal.path().to_path_buf(),
    };
    gw.spawn();
    gw.wait_healthy().await;
    let started = Instant::now();
    let url = format!("http://127.0.0.1:{}/v0/events?name=crash", gw.port);
    let done = Arc::new(AtomicUsize::new(0));
    let retries = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (url, done, retries) = (url.clone(), done.clone(), retries.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .expect("client");
                for b in (c..batches).step_by(CLIENTS) {
                    let body = batch_body(b);
                    let deadline = Instant::now() + Duration::from_secs(240);
                    loop {
                        let res = http
                            .post(&url)
                            .bearer_auth(SECRET)
                            .header("Idempotency-Key", format!("batch-{b}"))
                            .body(body.clone())
                            .send()
                            .await;
                        match res {
                            Ok(r) if r.status() == 202 => break,
                            _ => {
                                retries.fetch_add(1, Ordering::Relaxed);
                                assert!(Instant::now() < deadline, "batch {b} never acknowledged");
                                tokio::time::sleep(Duration::from_millis(50)).await;
                            }
                        }
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Kill k of KILLS falls after about k / (KILLS + 1) of the batches, at a random point
    // within that stretch, so every kill lands during the load, at moments that vary.
    for k in 1..=KILLS {
        let stretch = batches / (KILLS + 1);
        let target = stretch * k + rand::rng().random_range(0..stretch.max(1)) / 2;
        while done.load(Ordering::Relaxed) < target {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(Duration::from_millis(rand::rng().random_range(0..30))).await;
        gw.kill9();
        gw.spawn();
        gw.wait_healthy().await;
    }
    let acked_at_last_kill = done.load(Ordering::Relaxed);
    for c in clients {
        c.await.expect("client");
    }
    let load = started.elapsed();
    assert_eq!(
        done.load(Ordering::Relaxed),
        batches,
        "every batch acknowledged"
    );
    eventually(
        &db.name,
        "SELECT count(), uniqExact(id), sum(v) FROM crash",
        &format!("{total}\t{total}\t{}", total * (total - 1) / 2),
        Duration::from_secs(120),
    )
    .await;
    assert_eq!(
        query(&db.name, "SELECT count() FROM crash_quarantine")
            .await
            .trim(),
        "0"
    );
    eprintln!(
        "crash test: {total} events in {batches} batches, {KILLS} SIGKILLs, {} batches acknowledged before the last kill, {} retries, load took {load:?}",
        acked_at_last_kill,
        retries.load(Ordering::Relaxed)
    );
    assert!(
        acked_at_last_kill < batches,
        "the kills should fall during the load (all {batches} batches were in before the last one)"
    );
}

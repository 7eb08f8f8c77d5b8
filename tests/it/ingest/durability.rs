//! Quarantine, idempotent retries, back-pressure and recovery across a restart.

use std::time::Duration;

use serde_json::json;

use super::*;
use crate::common::clickhouse::test_database;

fn event(user: &str) -> String {
    format!(
        r#"{{"ts":"2024-05-01 10:00:00","ts_ms":1714557600,"user":{{"id":"{user}"}},"kind":"k"}}"#
    )
}

#[tokio::test]
async fn bad_rows_are_quarantined_and_good_rows_of_the_same_request_land() {
    let db = test_database("ingest_quarantine").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let body = [
        event("good1"),
        r#"{"ts":"not a date","ts_ms":1,"user":{"id":"bad1"},"kind":"k","n":70000}"#.to_string(),
        event("good2"),
        r#"{"ts_ms":1,"user":{"id":"bad2"},"kind":"k","amount":"12x"}"#.to_string(),
    ]
    .join("\n");
    let (status, answer, _) = gw.post("name=ev&wait=true", body, &[]).await;
    assert_eq!(
        (status, answer),
        (200, json!({"successful_rows": 2, "quarantined_rows": 2}))
    );
    assert_eq!(
        query(&db.name, "SELECT user_id FROM ev ORDER BY user_id").await,
        "good1\ngood2\n"
    );
    let q = query(
        &db.name,
        "SELECT user_id, ts, n, c__error_column, c__error, length(c__import_id) FROM ev_quarantine ORDER BY user_id",
    )
    .await;
    let lines: Vec<&str> = q.lines().collect();
    assert_eq!(lines.len(), 2, "{q}");
    assert!(
        lines[0].starts_with(
            "bad1\tnot a date\t70000\t['ts','n']\t['ts: \"not a date\" is not a date and time"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("n: 70000 is out of range for UInt16"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].ends_with("\t32"),
        "the import id is the request's key: {}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("bad2\t\\N\t\\N\t['ts','amount']\t['ts: missing: the column is not Nullable and has no DEFAULT'"),
        "{}",
        lines[1]
    );
    let metrics = reqwest::get(gw.url("/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    for line in [
        r#"pipegate_ingest_rows_total{datasource="ev",outcome="accepted"} 2"#,
        r#"pipegate_ingest_rows_total{datasource="ev",outcome="quarantined"} 2"#,
        r#"pipegate_ingest_flushes_total{datasource="ev",outcome="ok"} 2"#,
        r#"pipegate_ingest_unflushed_bytes{datasource="ev"} 0"#,
    ] {
        assert!(metrics.contains(line), "{line} in:\n{metrics}");
    }
    gw.stop().await;
}

#[tokio::test]
async fn a_retried_request_gets_the_first_answer_and_inserts_nothing() {
    let db = test_database("ingest_idem").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let body = format!("{}\n{}\n{{\"bad\": true}}", event("a"), event("b"));
    let first = gw.post("name=ev&wait=true", body.clone(), &[]).await;
    assert_eq!(
        (first.0, first.1.clone()),
        (200, json!({"successful_rows": 2, "quarantined_rows": 1}))
    );
    // The same body again: the hash of datasource and body is the key.
    let again = gw.post("name=ev&wait=true", body.clone(), &[]).await;
    assert_eq!((again.0, again.1), (200, first.1.clone()));
    let again = gw.post("name=ev", body.clone(), &[]).await;
    assert_eq!((again.0, again.1), (202, first.1.clone()));
    // An Idempotency-Key wins over the body: a different body with a used key is a repeat.
    let keyed = gw
        .post(
            "name=ev&wait=true",
            event("c"),
            &[("Idempotency-Key", "req-1")],
        )
        .await;
    assert_eq!(
        keyed.1,
        json!({"successful_rows": 1, "quarantined_rows": 0})
    );
    let repeat = gw
        .post(
            "name=ev&wait=true",
            event("d"),
            &[("Idempotency-Key", "req-1")],
        )
        .await;
    assert_eq!(
        repeat.1,
        json!({"successful_rows": 1, "quarantined_rows": 0})
    );
    // Concurrent repeats: one stores, the others wait for it and share its answer.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let url = gw.url("/v0/events?name=ev");
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .bearer_auth(APPEND_SECRET)
                    .header("Idempotency-Key", "req-2")
                    .body(event("e"))
                    .send()
                    .await
                    .expect("request")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task"), 202);
    }
    eventually(
        &db.name,
        "SELECT user_id, count() FROM ev GROUP BY user_id ORDER BY user_id FORMAT CSV",
        "\"a\",1\n\"b\",1\n\"c\",1\n\"e\",1",
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(
        query(&db.name, "SELECT count() FROM ev_quarantine")
            .await
            .trim(),
        "1"
    );
    gw.stop().await;
}

#[tokio::test]
async fn a_full_log_answers_429_with_retry_after() {
    let db = test_database("ingest_full").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let mut c = config(proj.path(), &db.name, wal.path());
    // ClickHouse is unreachable, so nothing flushes and the log fills.
    c.clickhouse.url = "http://127.0.0.1:9".into();
    c.deploy_on_start = false;
    c.ingest.max_unflushed_bytes = 1;
    let gw = Running::start(c).await;
    let (status, _, _) = gw.post("name=ev", event("x"), &[]).await;
    assert_eq!(status, 202, "accepted into the log");
    let (status, answer, headers) = gw.post("name=ev", event("y"), &[]).await;
    assert_eq!(status, 429, "{answer}");
    assert_eq!(
        headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("waiting for ClickHouse")),
        "{answer}"
    );
    gw.stop().await;
}

#[tokio::test]
async fn events_acknowledged_while_clickhouse_was_down_land_once_after_a_restart() {
    let db = test_database("ingest_restart").await;
    let (proj, wal) = (project(&[]), wal_dir());
    // First start: deploy the tables, then stop.
    Running::start(config(proj.path(), &db.name, wal.path()))
        .await
        .stop()
        .await;
    // Second start: ClickHouse unreachable. Events are acknowledged into the log only.
    let mut down = config(proj.path(), &db.name, wal.path());
    down.clickhouse.url = "http://127.0.0.1:9".into();
    down.deploy_on_start = false;
    let gw = Running::start(down).await;
    let batch: String = (0..100)
        .map(|i| event(&format!("u{i:03}")) + "\n")
        .collect();
    let (status, first, _) = gw.post("name=ev", batch.clone(), &[]).await;
    assert_eq!(
        (status, first.clone()),
        (202, json!({"successful_rows": 100, "quarantined_rows": 0}))
    );
    let (status, _, _) = gw
        .post(
            "name=ev",
            "{\"only\": \"bad\"}",
            &[("Idempotency-Key", "q-1")],
        )
        .await;
    assert_eq!(status, 202);
    tokio::time::sleep(Duration::from_millis(300)).await; // flush attempts fail meanwhile
    gw.stop().await;
    assert_eq!(query(&db.name, "SELECT count() FROM ev").await.trim(), "0");
    // Third start: ClickHouse is back. The log is recovered and flushed, once.
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    eventually(
        &db.name,
        "SELECT count(), uniqExact(user_id) FROM ev",
        "100\t100",
        Duration::from_secs(10),
    )
    .await;
    eventually(
        &db.name,
        "SELECT count() FROM ev_quarantine",
        "1",
        Duration::from_secs(10),
    )
    .await;
    // The retries of both requests, after the restart, are still repeats.
    let (status, again, _) = gw.post("name=ev&wait=true", batch.clone(), &[]).await;
    assert_eq!((status, again), (200, first));
    let (_, again, _) = gw
        .post("name=ev", "{}", &[("Idempotency-Key", "q-1")])
        .await;
    assert_eq!(again, json!({"successful_rows": 0, "quarantined_rows": 1}));
    gw.stop().await;
    // And once more after a clean restart with everything flushed: still once.
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let (_, again, _) = gw.post("name=ev", batch, &[]).await;
    assert_eq!(again["successful_rows"], 100);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        query(&db.name, "SELECT count() FROM ev").await.trim(),
        "100"
    );
    assert_eq!(
        query(&db.name, "SELECT count() FROM ev_quarantine")
            .await
            .trim(),
        "1"
    );
    gw.stop().await;
}

#[tokio::test]
async fn a_second_gateway_cannot_share_the_log_folder() {
    let db = test_database("ingest_lock").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    assert!(
        std::fs::read_dir(wal.path())
            .expect("folder")
            .next()
            .is_none(),
        "nothing is created before the first event"
    );
    assert_eq!(gw.post("name=ev", event("a"), &[]).await.0, 202);
    let Err(err) = pipegate::server::Server::start(config(proj.path(), &db.name, wal.path())).await
    else {
        panic!("a second gateway on the same log must not start");
    };
    assert!(
        err.to_string().contains("in use by another pipegate"),
        "{err}"
    );
    gw.stop().await;
    // Released on stop.
    Running::start(config(proj.path(), &db.name, wal.path()))
        .await
        .stop()
        .await;
}

#[tokio::test]
async fn a_batch_inserted_again_after_a_crash_is_dropped_by_clickhouse() {
    let db = test_database("ingest_replay").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let body = format!("{}\n{}\n{{\"bad\": 1}}", event("r1"), event("r2"));
    let (status, _, _) = gw.post("name=ev&wait=true", body, &[]).await;
    assert_eq!(status, 200);
    gw.stop().await;
    // Rewind the checkpoint as a crash between the insert and the commit would leave it:
    // record 1 inserted, not yet marked committed.
    let checkpoint = wal.path().join(&db.name).join("ev").join("checkpoint");
    let text = std::fs::read_to_string(&checkpoint).expect("checkpoint");
    let epoch = text
        .lines()
        .find(|l| l.starts_with("epoch="))
        .expect("epoch");
    std::fs::write(&checkpoint, format!("{epoch}\ncommitted=0\ninflight=1\n")).expect("rewind");
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    // The flusher sends record 1 again, with the same token: ClickHouse keeps one copy.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(&checkpoint).expect("checkpoint");
        if text.contains("committed=1") && !text.contains("inflight") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never re-flushed: {text}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(query(&db.name, "SELECT count() FROM ev").await.trim(), "2");
    assert_eq!(
        query(&db.name, "SELECT count() FROM ev_quarantine")
            .await
            .trim(),
        "1"
    );
    gw.stop().await;
}

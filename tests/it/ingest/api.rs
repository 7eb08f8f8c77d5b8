//! Bodies, encodings, auth, limits and answers.

use std::io::Write;
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::common::clickhouse::test_database;

const EVENT: &str = r#"{"ts":"2024-05-01 10:00:00","ts_ms":"2024-05-01T10:00:00.123Z","user":{"id":"u1"},"kind":"click","ok":false,"amount":12.345,"tags":["a","b"],"items":[{"id":1},{"id":2}],"n":3,"geo":{"country":"ES"}}"#;

#[tokio::test]
async fn ndjson_lands_with_paths_defaults_and_types() {
    let db = test_database("ingest_rt").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let sparse = r#"{"ts":1714557600,"ts_ms":1714557600.5,"user":{"id":"u2"},"kind":"view"}"#;
    let body = format!("{EVENT}\n{sparse}\n");
    let (status, answer, _) = gw.post("name=ev&wait=true", body, &[]).await;
    assert_eq!(
        (status, answer),
        (200, json!({"successful_rows": 2, "quarantined_rows": 0}))
    );
    let rows = query(
        &db.name,
        "SELECT ts, ts_ms, user_id, kind, ok, amount, tags, item_ids, n, country, raw = '' FROM ev ORDER BY user_id",
    )
    .await;
    assert_eq!(
        rows,
        "2024-05-01 10:00:00\t2024-05-01 10:00:00.123\tu1\tclick\tfalse\t12.34\t['a','b']\t[1,2]\t3\tES\t0\n\
         2024-05-01 10:00:00\t2024-05-01 10:00:00.500\tu2\tview\ttrue\t\\N\t[]\t[]\t7\tVIEW\t0\n",
        "epoch seconds, DEFAULT expressions, NULL, empty arrays"
    );
    let raw = query(&db.name, "SELECT raw FROM ev WHERE user_id = 'u2'").await;
    assert_eq!(raw.trim(), sparse, "`$` keeps the document as sent");
    gw.stop().await;
}

#[tokio::test]
async fn without_wait_the_answer_is_202_and_the_rows_follow() {
    let db = test_database("ingest_async").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let mut c = config(proj.path(), &db.name, wal.path());
    c.ingest.flush_delay_ms = 1000; // the default
    let gw = Running::start(c).await;
    let (status, answer, _) = gw.post("name=ev", EVENT, &[]).await;
    assert_eq!(
        (status, answer),
        (202, json!({"successful_rows": 1, "quarantined_rows": 0}))
    );
    // The flusher sends the rows on its own, with no further request; how fast is
    // measured by scripts/bench-ingest.sh, not asserted here.
    eventually(
        &db.name,
        "SELECT count() FROM ev",
        "1",
        Duration::from_secs(10),
    )
    .await;
    gw.stop().await;
}

#[tokio::test]
async fn gzip_json_arrays_and_single_objects_are_bodies_too() {
    let db = test_database("ingest_bodies").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(format!("{EVENT}\n{EVENT}\n").as_bytes())
        .expect("gzip");
    let gz = gz.finish().expect("gzip");
    let (status, answer, _) = gw
        .post(
            "name=ev&wait=true",
            gz.clone(),
            &[("Content-Encoding", "gzip")],
        )
        .await;
    assert_eq!((status, answer["successful_rows"].clone()), (200, json!(2)));
    let array = format!("[{EVENT}, {EVENT}, {EVENT}]");
    let (status, answer, _) = gw.post("name=ev&wait=true", array, &[]).await;
    assert_eq!((status, answer["successful_rows"].clone()), (200, json!(3)));
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(EVENT).expect("json"),
    )
    .expect("pretty");
    let (status, answer, _) = gw.post("name=ev&wait=true", pretty, &[]).await;
    assert_eq!(
        (status, answer["successful_rows"].clone()),
        (200, json!(1)),
        "one object over many lines"
    );
    assert_eq!(query(&db.name, "SELECT count() FROM ev").await.trim(), "6");
    // A truncated gzip stream is a bad body, and stores nothing.
    let (status, answer, _) = gw
        .post(
            "name=ev",
            gz[..gz.len() / 2].to_vec(),
            &[("Content-Encoding", "gzip")],
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"].as_str().is_some_and(|e| e.contains("gzip")),
        "{answer}"
    );
    let (status, _, _) = gw
        .post("name=ev", EVENT, &[("Content-Encoding", "br")])
        .await;
    assert_eq!(status, 415);
    gw.stop().await;
}

#[tokio::test]
async fn malformed_bodies_are_400_and_store_nothing() {
    let db = test_database("ingest_bad").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    for (body, want) in [
        (
            format!("{EVENT}\n{{\"ts\": ").into_bytes(),
            "line 2: invalid JSON",
        ),
        (b"\xff\xfe{}".to_vec(), "not UTF-8"),
        (Vec::new(), "no events"),
        (b"[1, 2".to_vec(), "not a JSON array"),
        (
            format!("{{\"kind\": {}}}", "[".repeat(10)).into_bytes(),
            "line 1",
        ),
    ] {
        let (status, answer, _) = gw.post("name=ev", body, &[]).await;
        assert_eq!(status, 400, "{answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(want), "{error:?} should say {want:?}");
    }
    let (status, _, _) = gw.post("name=ev&wait=maybe", EVENT, &[]).await;
    assert_eq!(status, 400);
    let (status, _, _) = gw.post("wait=true", EVENT, &[]).await;
    assert_eq!(status, 400, "no datasource name");
    let (status, answer, _) = gw.post("name=ev&name=ev", EVENT, &[]).await;
    assert_eq!(
        status, 400,
        "a malformed query string has a JSON answer too: {answer}"
    );
    // Deep nesting where no path looks is still valid JSON: the row lands.
    let deep = format!(
        "{{\"ts\":1,\"ts_ms\":1,\"user\":{{\"id\":\"d\"}},\"kind\":\"k\",\"x\":{}{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let (status, answer, _) = gw.post("name=ev&wait=true", deep, &[]).await;
    assert_eq!((status, answer["successful_rows"].clone()), (200, json!(1)));
    assert_eq!(query(&db.name, "SELECT count() FROM ev").await.trim(), "1");
    gw.stop().await;
}

#[tokio::test]
async fn tokens_datasources_and_sizes_are_checked() {
    let db = test_database("ingest_auth").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let mut c = config(proj.path(), &db.name, wal.path());
    c.ingest.max_body_bytes = 2048;
    let gw = Running::start(c).await;
    let client = reqwest::Client::new();
    let send = |token: Option<&'static str>, query: &'static str, body: Vec<u8>| {
        let mut req = client
            .post(gw.url(&format!("/v0/events?{query}")))
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move {
            let res = req.send().await.expect("request");
            let status = res.status().as_u16();
            let body: serde_json::Value = res.json().await.expect("every error has a JSON body");
            (
                status,
                body["error"].as_str().unwrap_or_default().to_string(),
            )
        }
    };
    let ev = EVENT.as_bytes().to_vec();
    assert_eq!(send(None, "name=ev", ev.clone()).await.0, 403);
    assert_eq!(
        send(Some("wrong"), "name=ev", ev.clone()).await,
        (403, "invalid token".into())
    );
    let (status, error) = send(Some(READ_SECRET), "name=ev", ev.clone()).await;
    assert_eq!(status, 403);
    assert!(error.contains("DATASOURCES:APPEND:ev"), "{error}");
    assert_eq!(send(Some(admin()), "name=nope", ev.clone()).await.0, 404);
    assert_eq!(
        send(Some(APPEND_SECRET), "name=ev_quarantine", ev.clone())
            .await
            .0,
        404
    );
    assert_eq!(
        send(Some(admin()), "name=ev", ev.clone()).await.0,
        202,
        "admin may append"
    );
    let token_in_query = client
        .post(gw.url(&format!("/v0/events?name=ev&token={APPEND_SECRET}")))
        .body(ev.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(token_in_query.status(), 202);
    let (status, error) = send(Some(APPEND_SECRET), "name=ev", vec![b' '; 4096]).await;
    assert_eq!(status, 413, "{error}");
    // Past the limit once decompressed.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 100_000]).expect("gzip");
    let bomb = gz.finish().expect("gzip");
    assert!(bomb.len() < 2048);
    let res = client
        .post(gw.url("/v0/events?name=ev"))
        .bearer_auth(APPEND_SECRET)
        .header("Content-Encoding", "gzip")
        .body(bomb)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 413);
    gw.stop().await;
}

#[tokio::test]
async fn the_demo_project_takes_the_readme_and_tracker_events() {
    let db = test_database("ingest_demo").await;
    let wal = wal_dir();
    let mut c = config(
        &crate::common::gateway::repo_path("sql"),
        &db.name,
        wal.path(),
    );
    c.tokens
        .insert("analytics_append".into(), "analytics-secret".into());
    let gw = Running::start(c).await;
    let client = reqwest::Client::new();
    let guide = r#"{"timestamp":"2026-11-22 10:00:00.000","event":{"id":"e1","type":"click"},"user":{"id":"123"}}"#;
    let res = client
        .post(gw.url("/v0/events?name=user_events&wait=true"))
        .bearer_auth("analytics-secret")
        .body(guide)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let tracker = r#"{"timestamp":"2026-11-22T10:00:00.250Z","session_id":"s1","visitor":{"id":"v1"},"event":"purchase","page":{"pathname":"/checkout"},"device":"mobile","browser":"firefox","revenue":"19.99","tags":["sale"]}"#;
    let res = client
        .post(gw.url("/v0/events?name=events&wait=true"))
        .bearer_auth(admin())
        .body(tracker)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(
        query(
            &db.name,
            "SELECT event_id, user_id, event_type, timestamp, payload = '' FROM user_events"
        )
        .await,
        "e1\t123\tclick\t2026-11-22 10:00:00.000\t0\n"
    );
    assert_eq!(
        query(&db.name, "SELECT timestamp, visitor_id, pathname, referrer, country, duration_ms, revenue, tags FROM events").await,
        "2026-11-22 10:00:00.250\tv1\t/checkout\t\t\t0\t19.99\t['sale']\n"
    );
    gw.stop().await;
}

#[tokio::test]
async fn each_token_has_a_request_rate_and_every_answer_says_where_it_stands() {
    let db = test_database("ingest_rate").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let mut c = config(proj.path(), &db.name, wal.path());
    c.ingest
        .token_requests_per_second
        .insert("ev_append".into(), 2);
    let gw = Running::start(c).await;
    let header = |h: &reqwest::header::HeaderMap, name: &str| {
        h.get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (status, _, h) = gw.post("name=ev", EVENT, &[]).await;
    assert_eq!(status, 202);
    assert_eq!(header(&h, "x-ratelimit-limit").as_deref(), Some("2"));
    assert_eq!(header(&h, "x-ratelimit-remaining").as_deref(), Some("1"));
    assert!(header(&h, "x-ratelimit-reset").is_some());
    // Errors after authentication carry the headers too, and count.
    let (status, _, h) = gw.post("name=ev", "not json", &[]).await;
    assert_eq!(status, 400);
    assert_eq!(header(&h, "x-ratelimit-remaining").as_deref(), Some("0"));
    let (status, answer, h) = gw.post("name=ev", EVENT, &[]).await;
    assert_eq!(status, 429, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("2 requests per second")),
        "{answer}"
    );
    assert_eq!(header(&h, "retry-after").as_deref(), Some("1"));
    // Other tokens have their own bucket (the default, 1000 per second).
    let res = reqwest::Client::new()
        .post(gw.url("/v0/events?name=ev"))
        .bearer_auth(admin())
        .body(EVENT)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 202);
    assert_eq!(
        header(res.headers(), "x-ratelimit-limit").as_deref(),
        Some("1000")
    );
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(gw.post("name=ev", EVENT, &[]).await.0, 202, "refilled");
    gw.stop().await;
}

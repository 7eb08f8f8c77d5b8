//! Bulk append: `POST /v0/datasources?name=<ds>&mode=append` takes CSV or NDJSON through
//! the same pipeline as the Events API.

use serde_json::json;

use super::*;
use crate::common::clickhouse::test_database;

/// The columns of `ev` in CSV: ts, ts_ms, user_id, kind, ok, amount, tags, item_ids, n,
/// country, raw. The second line leaves out every value it may: DEFAULTs, NULL, `[]`, ''.
const CSV: &str = "2024-05-01 10:00:00,2024-05-01T10:00:00.123Z,u1,click,false,12.345,\"[\"\"a\"\",\"\"b\"\"]\",\"[1,2]\",3,ES,\"a, \"\"quoted\"\" text\"\n\
                   1714557600,1714557600.5,u2,view,,\\N,,,,,\n";

const ROWS: &str = "SELECT ts, ts_ms, user_id, kind, ok, amount, tags, item_ids, n, country, raw FROM ev ORDER BY user_id";

#[tokio::test]
async fn csv_lands_by_position_with_defaults_nulls_and_arrays() {
    let db = test_database("append_csv").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let (status, answer, headers) = gw
        .send(
            "/v0/datasources?name=ev&mode=append&wait=true",
            APPEND_SECRET,
            CSV,
            &[("Content-Type", "text/csv")],
        )
        .await;
    assert_eq!(
        (status, answer),
        (200, json!({"successful_rows": 2, "quarantined_rows": 0}))
    );
    assert!(headers.contains_key("x-ratelimit-limit"), "{headers:?}");
    assert_eq!(
        query(&db.name, ROWS).await,
        "2024-05-01 10:00:00\t2024-05-01 10:00:00.123\tu1\tclick\tfalse\t12.34\t['a','b']\t[1,2]\t3\tES\ta, \"quoted\" text\n\
         2024-05-01 10:00:00\t2024-05-01 10:00:00.500\tu2\tview\ttrue\t\\N\t[]\t[]\t7\tVIEW\t\n",
    );
    // The same body again is a repeat: the original answer, nothing inserted twice.
    let (status, answer, _) = gw
        .send(
            "/v0/datasources?name=ev&mode=append&format=csv&wait=true",
            APPEND_SECRET,
            CSV,
            &[],
        )
        .await;
    assert_eq!(
        (status, answer),
        (200, json!({"successful_rows": 2, "quarantined_rows": 0}))
    );
    assert_eq!(query(&db.name, "SELECT count() FROM ev").await.trim(), "2");
    gw.stop().await;
}

#[tokio::test]
async fn a_csv_header_maps_fields_by_name_and_bad_lines_are_quarantined() {
    let db = test_database("append_header").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let body = "raw,kind,user_id,ts_ms,ts\n\
                r1,view,u1,2024-05-01 10:00:00.250,2024-05-01 10:00:00\n\
                r2,view,u2,not a time,2024-05-01 10:00:00\n\
                r3,view,u3\n";
    let (status, answer, _) = gw
        .send(
            "/v0/datasources?name=ev&mode=append&wait=true",
            APPEND_SECRET,
            body,
            &[],
        )
        .await;
    assert_eq!(
        (status, answer),
        (200, json!({"successful_rows": 1, "quarantined_rows": 2}))
    );
    assert_eq!(
        query(&db.name, ROWS).await,
        "2024-05-01 10:00:00\t2024-05-01 10:00:00.250\tu1\tview\ttrue\t\\N\t[]\t[]\t7\tVIEW\tr1\n",
        "columns the header does not name take their DEFAULT, NULL or []"
    );
    let quarantined = query(
        &db.name,
        "SELECT user_id, c__error_column FROM ev_quarantine ORDER BY user_id",
    )
    .await;
    assert_eq!(
        quarantined, "u2\t['ts_ms']\nu3\t['ts','ts_ms','raw']\n",
        "a bad value and a short line, each with its columns"
    );
    gw.stop().await;
}

#[tokio::test]
async fn ndjson_appends_like_the_events_api() {
    let db = test_database("append_ndjson").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let event = r#"{"ts":1714557600,"ts_ms":1714557600.5,"user":{"id":"u9"},"kind":"view"}"#;
    for (path, headers) in [
        (
            "/v0/datasources?name=ev&mode=append&format=ndjson&wait=true",
            vec![("Idempotency-Key", "first")],
        ),
        (
            "/v0/datasources?name=ev&mode=append&wait=true",
            vec![
                ("Content-Type", "application/x-ndjson"),
                ("Idempotency-Key", "second"),
            ],
        ),
    ] {
        let body = format!("{event}\n{event}\n");
        let (status, answer, _) = gw.send(path, APPEND_SECRET, body, &headers).await;
        assert_eq!(status, 200, "{path}: {answer}");
    }
    assert_eq!(
        query(&db.name, "SELECT count(), uniqExact(user_id) FROM ev").await,
        "4\t1\n"
    );
    gw.stop().await;
}

#[tokio::test]
async fn bulk_append_errors_are_json_with_the_right_status() {
    let db = test_database("append_errors").await;
    let (proj, wal) = (project(&[]), wal_dir());
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    for (path, secret, body, status, says) in [
        (
            "/v0/datasources?name=ev",
            APPEND_SECRET,
            "x",
            400,
            "mode=append",
        ),
        (
            "/v0/datasources?name=ev&mode=replace",
            APPEND_SECRET,
            "x",
            400,
            "deploy",
        ),
        (
            "/v0/datasources?name=ev&mode=append&format=parquet",
            APPEND_SECRET,
            "x",
            400,
            "csv or ndjson",
        ),
        (
            "/v0/datasources?mode=append",
            APPEND_SECRET,
            "x",
            400,
            "name the datasource",
        ),
        (
            "/v0/datasources?name=ev&mode=append",
            READ_SECRET,
            "x",
            403,
            "APPEND",
        ),
        (
            "/v0/datasources?name=nope&mode=append",
            admin(),
            "x",
            404,
            "nope",
        ),
        (
            "/v0/datasources?name=ev&mode=append",
            APPEND_SECRET,
            "",
            400,
            "no events",
        ),
    ] {
        let (got, answer, _) = gw.send(path, secret, body, &[]).await;
        assert_eq!(got, status, "{path}: {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(
            error.contains(says),
            "{path}: {error:?} should say {says:?}"
        );
    }
    let (got, answer, _) = gw
        .send(
            "/v0/datasources?name=ev&mode=append",
            APPEND_SECRET,
            b"\xff\xfe,a\n".to_vec(),
            &[],
        )
        .await;
    assert_eq!(got, 400, "{answer}");
    assert_eq!(query(&db.name, "SELECT count() FROM ev").await.trim(), "0");
    gw.stop().await;
}

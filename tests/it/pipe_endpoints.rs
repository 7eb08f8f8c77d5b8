//! Pipes as HTTP endpoints on a real gateway over the demo project: Tinybird's JSON shape,
//! the other formats, parameters from the query string, the pipe's own errors, and tokens.

use serde_json::{json, Value};

use crate::common::gateway::{config_for, repo_path, Gateway, ADMIN_SECRET, READER_SECRET};

const ANALYTICS_SECRET: &str = "analytics-test-secret";

/// The demo project with a few events and user events.
async fn gateway() -> Gateway {
    let db = crate::common::clickhouse::test_database("pipes_http").await;
    let mut config = config_for(&repo_path("sql"), &db.name);
    config
        .tokens
        .insert("analytics_read".into(), ANALYTICS_SECRET.into());
    let gw = Gateway::start_with(config, db).await;
    for sql in [
        "INSERT INTO events (timestamp, session_id, visitor_id, event, pathname, device, browser) VALUES
         ('2026-11-01 10:00:00', 's1', 'v1', 'page_view', '/', 'mobile', 'firefox'),
         ('2026-11-01 10:05:00', 's2', 'v2', 'page_view', '/', 'desktop', 'chrome'),
         ('2026-11-02 08:00:00', 's2', 'v2', 'page_view', '/pricing', 'desktop', 'chrome'),
         ('2026-11-02 08:01:00', 's2', 'v2', 'click', '/pricing', 'desktop', 'chrome')",
        "INSERT INTO user_events (event_id, user_id, event_type, timestamp, payload) VALUES
         ('e1', '123', 'click', '2026-11-10 10:00:00', '{}'),
         ('e2', '123', 'click', '2026-11-10 11:00:00', '{\"a\":1}'),
         ('e3', '123', 'view', '2026-11-11 09:00:00', '{}'),
         ('e4', '456', 'click', '2026-11-10 10:00:00', '{}')",
    ] {
        gw.db.client.query(sql).execute().await.expect("fixture rows");
    }
    gw
}

async fn get(gw: &Gateway, path: &str, bearer: Option<&str>) -> (u16, String, String) {
    let mut req = reqwest::Client::new().get(gw.url(path));
    if let Some(secret) = bearer {
        req = req.bearer_auth(secret);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, content_type, res.text().await.expect("body"))
}

#[tokio::test]
async fn a_pipe_answers_in_tinybirds_json_shape_and_other_formats() {
    let gw = gateway().await;
    let (status, content_type, body) = get(
        &gw,
        "/v0/pipes/top_pages.json?date_from=2026-11-01&lim=5",
        Some(READER_SECRET),
    )
    .await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/json"),
        "{body}"
    );
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        answer["meta"],
        json!([
            {"name": "pathname", "type": "String"},
            {"name": "views", "type": "UInt64"},
            {"name": "visitors", "type": "UInt64"}
        ])
    );
    assert_eq!(
        answer["data"],
        json!([
            {"pathname": "/", "views": 2, "visitors": 2},
            {"pathname": "/pricing", "views": 1, "visitors": 1}
        ]),
        "64-bit integers are numbers, as in Tinybird"
    );
    assert_eq!(answer["rows"], 2);
    assert!(answer["rows_before_limit_at_least"].is_number(), "{answer}");
    for key in ["elapsed", "rows_read", "bytes_read"] {
        assert!(answer["statistics"][key].is_number(), "{key}: {answer}");
    }

    let (status, content_type, body) =
        get(&gw, "/v0/pipes/top_pages.csv?lim=1", Some(READER_SECRET)).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/csv; charset=utf-8")
    );
    assert_eq!(body, "\"pathname\",\"views\",\"visitors\"\n\"/\",2,2\n");
    let (status, content_type, body) = get(
        &gw,
        &format!("/v0/pipes/top_pages.ndjson?token={READER_SECRET}"),
        None,
    )
    .await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/x-ndjson")
    );
    assert_eq!(
        body,
        "{\"pathname\":\"/\",\"views\":2,\"visitors\":2}\n{\"pathname\":\"/pricing\",\"views\":1,\"visitors\":1}\n"
    );
    let res = reqwest::Client::new()
        .get(gw.url("/v0/pipes/top_pages.parquet"))
        .bearer_auth(READER_SECRET)
        .send()
        .await
        .expect("parquet");
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("bytes");
    assert!(
        bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
        "a Parquet file"
    );
}

#[tokio::test]
async fn the_guides_pipe_takes_its_parameters_and_says_its_own_error() {
    let gw = gateway().await;
    let range = "date_from=2026-11-01%2000:00:00&date_to=2026-12-01%2000:00:00";
    let (status, _, body) = get(
        &gw,
        &format!("/v0/pipes/aggregate_user_events.json?user_id=123&{range}"),
        Some(ANALYTICS_SECRET),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    let rows: Vec<(String, String, u64)> = answer["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|r| {
            (
                r["user_id"].as_str().unwrap_or_default().to_string(),
                r["event_type"].as_str().unwrap_or_default().to_string(),
                r["event_count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("123".into(), "click".into(), 2),
            ("123".into(), "view".into(), 1)
        ]
    );
    // A repeated parameter is an Array parameter's list.
    let (status, _, body) = get(
        &gw,
        &format!(
            "/v0/pipes/aggregate_user_events.json?user_id=123&{range}&event_type=view&event_type=other"
        ),
        Some(ANALYTICS_SECRET),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["rows"], 1, "{answer}");
    // Without user_id the pipe's own error() message, as a 400.
    let (status, content_type, body) = get(
        &gw,
        &format!("/v0/pipes/aggregate_user_events.json?{range}"),
        Some(ANALYTICS_SECRET),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (400, "application/json"));
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("JSON"),
        json!({"error": "user_id must be defined"})
    );
    // A value its typed parameter refuses.
    let (status, _, body) = get(
        &gw,
        "/v0/pipes/top_pages.json?lim=lots",
        Some(READER_SECRET),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let error = serde_json::from_str::<Value>(&body).expect("JSON")["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(error.contains("lim"), "{error}");
}

#[tokio::test]
async fn tokens_see_only_their_pipes_and_every_error_is_json() {
    let gw = gateway().await;
    for (path, bearer, status, says) in [
        ("/v0/pipes/top_pages.json", None, 403, "token is required"),
        (
            "/v0/pipes/top_pages.json",
            Some("wrong"),
            403,
            "invalid token",
        ),
        (
            "/v0/pipes/aggregate_user_events.json?user_id=1",
            Some(READER_SECRET),
            403,
            "PIPES:READ:aggregate_user_events",
        ),
        (
            "/v0/pipes/top_pages.json",
            Some(ANALYTICS_SECRET),
            403,
            "PIPES:READ:top_pages",
        ),
        ("/v0/pipes/nope.json", Some(ADMIN_SECRET), 404, "nope"),
        (
            "/v0/pipes/top_pages.xml",
            Some(ADMIN_SECRET),
            404,
            "json, csv, ndjson or parquet",
        ),
        (
            "/v0/pipes/top_pages",
            Some(ADMIN_SECRET),
            404,
            "top_pages.json",
        ),
    ] {
        let (got, content_type, body) = get(&gw, path, bearer).await;
        assert_eq!(
            (got, content_type.as_str()),
            (status, "application/json"),
            "{path}: {body}"
        );
        let error = serde_json::from_str::<Value>(&body).expect("JSON")["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            error.contains(says),
            "{path}: {error:?} should say {says:?}"
        );
    }
    // The admin token reads every pipe.
    let (status, _, _) = get(&gw, "/v0/pipes/top_pages.json", Some(ADMIN_SECRET)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_openapi_document_lists_the_tokens_pipes_and_validates() {
    let gw = gateway().await;
    let (status, content_type, body) =
        get(&gw, "/v0/pipes/openapi.json", Some(READER_SECRET)).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/json"),
        "{body}"
    );
    let doc: Value = serde_json::from_str(&body).expect("JSON");
    let paths: Vec<&String> = doc["paths"].as_object().expect("paths").keys().collect();
    assert_eq!(
        paths,
        [
            "/v0/pipes/kpis.csv",
            "/v0/pipes/kpis.json",
            "/v0/pipes/kpis.ndjson",
            "/v0/pipes/kpis.parquet",
            "/v0/pipes/top_pages.csv",
            "/v0/pipes/top_pages.json",
            "/v0/pipes/top_pages.ndjson",
            "/v0/pipes/top_pages.parquet"
        ],
        "only the pipes web_read may read"
    );
    let get_op = &doc["paths"]["/v0/pipes/top_pages.json"]["get"];
    assert_eq!(get_op["summary"], "The most viewed pages in a date range.");
    assert_eq!(
        get_op["parameters"],
        json!([
            {"name": "date_from", "in": "query", "required": false,
             "schema": {"type": "string", "format": "date", "default": "2026-01-01"},
             "description": "First day of the range (inclusive)", "example": "2026-11-01"},
            {"name": "date_to", "in": "query", "required": false,
             "schema": {"type": "string", "format": "date", "default": "2100-01-01"},
             "description": "Day after the range (exclusive)", "example": "2026-12-01"},
            {"name": "lim", "in": "query", "required": false,
             "schema": {"type": "integer", "format": "int32", "default": 10},
             "description": "How many pages to return", "example": 10},
        ])
    );
    // The admin's document has every endpoint pipe; a validator from PyPI accepts it.
    let (status, _, admin_doc) = get(&gw, "/v0/pipes/openapi.json", Some(ADMIN_SECRET)).await;
    assert_eq!(status, 200);
    assert!(admin_doc.contains("/v0/pipes/aggregate_user_events.json"));
    for doc in [body, admin_doc] {
        let mut child = tokio::process::Command::new(repo_path(".venv/bin/python"))
            .args([
                "-c",
                "import json, sys; from openapi_spec_validator import validate; validate(json.load(sys.stdin)); print('valid')",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python runs");
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(doc.as_bytes()).await.expect("write");
        drop(stdin);
        let out = child.wait_with_output().await.expect("validator");
        assert!(
            out.status.success() && out.stdout.starts_with(b"valid"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Without a token there is no document.
    let (status, _, _) = get(&gw, "/v0/pipes/openapi.json", None).await;
    assert_eq!(status, 403);
}

//! Pipes as views over the Postgres door, on a real gateway over the demo project: the
//! guide's pipe returns the same rows bound by WHERE, by function-call syntax, by session
//! settings and over HTTP; its own error reaches both doors; a token sees only its pipes.

use serde_json::Value;
use tokio_postgres::{NoTls, SimpleQueryMessage};

use crate::common::gateway::{config_for, repo_path, Gateway, ADMIN_SECRET, READER_SECRET};

const ANALYTICS_SECRET: &str = "analytics-test-secret";
const RANGE: &str = "date_from = '2026-11-01 00:00:00' AND date_to = '2026-12-01 00:00:00'";

async fn gateway() -> Gateway {
    let db = crate::common::clickhouse::test_database("pipe_views").await;
    let mut config = config_for(&repo_path("sql"), &db.name);
    config
        .tokens
        .insert("analytics_read".into(), ANALYTICS_SECRET.into());
    let gw = Gateway::start_with(config, db).await;
    for sql in [
        "INSERT INTO user_events (event_id, user_id, event_type, timestamp, payload) VALUES
         ('e1', '123', 'click', '2026-11-10 10:00:00', '{}'),
         ('e2', '123', 'click', '2026-11-10 11:00:00', '{\"a\":1}'),
         ('e3', '123', 'view', '2026-11-11 09:00:00', '{}'),
         ('e4', '456', 'click', '2026-11-10 10:00:00', '{}'),
         ('e5', '123', 'click', '2026-10-01 10:00:00', '{}')",
        "INSERT INTO events (timestamp, session_id, visitor_id, event, pathname, device, browser) VALUES
         ('2026-11-01 10:00:00', 's1', 'v1', 'page_view', '/', 'mobile', 'firefox'),
         ('2026-11-02 08:00:00', 's2', 'v2', 'page_view', '/pricing', 'desktop', 'chrome'),
         ('2026-11-02 08:00:01', 's2', 'v2', 'page_view', '/pricing', 'desktop', 'chrome')",
    ] {
        gw.db.client.query(sql).execute().await.expect("fixture rows");
    }
    gw
}

async fn client(gw: &Gateway, user: &str, secret: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&gw.pg_url(user, secret), NoTls)
        .await
        .expect("login");
    tokio::spawn(connection);
    client
}

/// Text rows of the last statement of a simple query.
async fn rows(
    c: &tokio_postgres::Client,
    sql: &str,
) -> Result<Vec<Vec<String>>, tokio_postgres::Error> {
    Ok(c.simple_query(sql)
        .await?
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("NULL").to_string())
                    .collect(),
            ),
            _ => None,
        })
        .collect())
}

fn sqlstate(e: &tokio_postgres::Error) -> (String, String) {
    let db = e.as_db_error().expect("a server error");
    (db.code().code().to_string(), db.message().to_string())
}

#[tokio::test]
async fn the_guides_pipe_answers_the_same_three_ways() {
    let gw = gateway().await;
    let c = client(&gw, "analytics_read", ANALYTICS_SECRET).await;
    let columns = "user_id, event_type, event_count, unique_events, first_event, last_event";
    let want = vec![
        vec![
            "123",
            "click",
            "2",
            "2",
            "2026-11-10 10:00:00",
            "2026-11-10 11:00:00",
        ],
        vec![
            "123",
            "view",
            "1",
            "1",
            "2026-11-11 09:00:00",
            "2026-11-11 09:00:00",
        ],
    ];
    let by_where = rows(
        &c,
        &format!("SELECT {columns} FROM aggregate_user_events WHERE user_id = '123' AND {RANGE} ORDER BY event_type"),
    )
    .await
    .expect("bound by WHERE");
    assert_eq!(by_where, want);
    let by_call = rows(
        &c,
        &format!(
            "SELECT {columns} FROM aggregate_user_events(user_id => '123', date_from => '2026-11-01 00:00:00', date_to => '2026-12-01 00:00:00') ORDER BY event_type"
        ),
    )
    .await
    .expect("bound by a call");
    assert_eq!(by_call, want);
    // The session's pipegate.param.* settings, and an extended-protocol parameter.
    c.batch_execute(
        "SET pipegate.param.date_from = '2026-11-01 00:00:00'; SET pipegate.param.date_to = '2026-12-01 00:00:00'",
    )
    .await
    .expect("SET");
    let extended = c
        .query(
            "SELECT event_type, event_count::bigint FROM aggregate_user_events WHERE user_id = $1 ORDER BY event_type",
            &[&"123"],
        )
        .await
        .expect("bound by $1 and the session");
    let got: Vec<(String, i64)> = extended
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
        .collect();
    assert_eq!(got, [("click".into(), 2), ("view".into(), 1)]);
    // The parameter-only columns read the bound values.
    let params = rows(
        &c,
        "SELECT DISTINCT date_from, date_to, \"limit\" FROM aggregate_user_events WHERE user_id = '123'",
    )
    .await
    .expect("parameter columns");
    assert_eq!(
        params,
        [["2026-11-01 00:00:00", "2026-12-01 00:00:00", "100"]]
    );
    // Over HTTP, the same rows.
    let res = reqwest::Client::new()
        .get(gw.url(
            "/v0/pipes/aggregate_user_events.json?user_id=123&date_from=2026-11-01%2000:00:00&date_to=2026-12-01%2000:00:00",
        ))
        .bearer_auth(ANALYTICS_SECRET)
        .send()
        .await
        .expect("HTTP");
    let body: Value = res.json().await.expect("JSON");
    let mut http: Vec<(String, u64)> = body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|r| {
            (
                r["event_type"].as_str().unwrap_or_default().to_string(),
                r["event_count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    http.sort();
    assert_eq!(http, [("click".into(), 2), ("view".into(), 1)]);
}

#[tokio::test]
async fn without_user_id_both_doors_say_the_pipes_own_error() {
    let gw = gateway().await;
    let c = client(&gw, "analytics_read", ANALYTICS_SECRET).await;
    let e = rows(
        &c,
        &format!("SELECT * FROM aggregate_user_events WHERE {RANGE}"),
    )
    .await
    .expect_err("error()");
    assert_eq!(
        sqlstate(&e),
        ("22023".into(), "user_id must be defined".into())
    );
    let res = reqwest::Client::new()
        .get(gw.url("/v0/pipes/aggregate_user_events.json?date_from=2026-11-01&date_to=2026-12-01"))
        .bearer_auth(ANALYTICS_SECRET)
        .send()
        .await
        .expect("HTTP");
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(body["error"], "user_id must be defined");
    // A missing required parameter names the three ways to pass it.
    let e = rows(
        &c,
        "SELECT * FROM aggregate_user_events WHERE user_id = '1'",
    )
    .await
    .expect_err("no date_from");
    let db = e.as_db_error().expect("server error");
    assert_eq!(db.code().code(), "22023", "{db:?}");
    let hint = db.hint().unwrap_or_default();
    assert!(
        hint.contains("date_from =>")
            && hint.contains("WHERE date_from")
            && hint.contains("SET pipegate.param.date_from"),
        "{hint}"
    );
}

#[tokio::test]
async fn pipes_join_aggregate_and_nest_in_one_query() {
    let gw = gateway().await;
    let c = client(&gw, "admin", ADMIN_SECRET).await;
    let joined = rows(
        &c,
        "SELECT t.pathname, t.views, count(DISTINCT e.session_id) AS sessions \
         FROM top_pages(date_from => '2026-11-01') AS t JOIN events e ON e.pathname = t.pathname \
         GROUP BY t.pathname, t.views ORDER BY t.pathname",
    )
    .await
    .expect("a pipe joined with a datasource");
    assert_eq!(joined, [["/", "1", "1"], ["/pricing", "2", "1"]]);
    let aggregated = rows(
        &c,
        "WITH k AS (SELECT * FROM top_pages WHERE lim = 1) SELECT count(*), sum(views) FROM k",
    )
    .await
    .expect("an aggregate over a pipe in a CTE");
    assert_eq!(aggregated, [["1", "2"]]);
    let nested = rows(
        &c,
        "SELECT pathname FROM events WHERE pathname IN (SELECT pathname FROM top_pages WHERE lim = 1) ORDER BY timestamp",
    )
    .await
    .expect("a pipe in a subquery");
    assert_eq!(nested, [["/pricing"], ["/pricing"]]);
}

#[tokio::test]
async fn a_token_reads_only_its_pipes() {
    let gw = gateway().await;
    let web = client(&gw, "web_read", READER_SECRET).await;
    let e = rows(
        &web,
        "SELECT * FROM aggregate_user_events WHERE user_id = '123'",
    )
    .await
    .expect_err("out of scope");
    assert_eq!(sqlstate(&e).0, "42501");
    let res = reqwest::Client::new()
        .get(gw.url("/v0/pipes/aggregate_user_events.json?user_id=123"))
        .bearer_auth(READER_SECRET)
        .send()
        .await
        .expect("HTTP");
    assert_eq!(res.status(), 403);
    let own = rows(&web, "SELECT pathname FROM top_pages ORDER BY pathname")
        .await
        .expect("its own pipe");
    assert_eq!(own, [["/"], ["/pricing"]]);
}

#[tokio::test]
async fn pandas_reads_a_pipe() {
    let gw = gateway().await;
    let dsn = format!(
        "postgresql://analytics_read:{ANALYTICS_SECRET}@{}:{}/pipegate",
        gw.postgres.ip(),
        gw.postgres.port()
    );
    let out = tokio::process::Command::new(repo_path(".venv/bin/python"))
        .arg(repo_path("conformance/python/pandas_pipe.py"))
        .env("PIPEGATE_TEST_DSN", dsn)
        .output()
        .await
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches("pandas: 2 rows").count(), 2, "{stdout}");
}

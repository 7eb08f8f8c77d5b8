//! The Postgres door with real clients: login (SCRAM), refusals, TLS and the connection
//! limit. Query behaviour is tested where the query path is.

use std::process::Command;

use tokio_postgres::NoTls;

use crate::common::clickhouse::test_database;
use crate::common::gateway::{config_for, repo_path, Gateway, ADMIN_SECRET, READER_SECRET};

/// Connects with tokio-postgres (SCRAM-SHA-256) and returns the client, or the error.
async fn connect(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(connection);
    Ok(client)
}

fn code(e: &tokio_postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.code().code().to_string())
        .unwrap_or_else(|| format!("no SQLSTATE: {e}"))
}

fn message(e: &tokio_postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_default()
}

/// psql, run against `url`, returning (success, stdout, stderr). It runs on a blocking
/// thread: the gateway under test shares this test's runtime.
async fn psql(url: &str, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new("psql");
    cmd.arg(url)
        .args(["-X", "-At", "-v", "ON_ERROR_STOP=1"])
        .args(args)
        .env_remove("PGPASSWORD");
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("psql thread")
        .expect("psql runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn scram_login_as_a_token_and_parameters_psql_reads() {
    let gw = Gateway::start(&repo_path("sql")).await;
    connect(&gw.pg_url("admin", ADMIN_SECRET))
        .await
        .expect("admin logs in");
    connect(&gw.pg_url("web_read", READER_SECRET))
        .await
        .expect("a datafile token logs in");

    let url = format!(
        "{}?application_name=pipegate-test",
        gw.pg_url("admin", ADMIN_SECRET)
    );
    let (ok, out, err) = psql(
        &url,
        &[
            "-c",
            "\\echo :SERVER_VERSION_NAME :SERVER_VERSION_NUM :ENCODING",
        ],
    )
    .await;
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "16.4 160004 UTF8");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_fail_alike() {
    let gw = Gateway::start(&repo_path("sql")).await;
    let wrong = connect(&gw.pg_url("admin", "nope"))
        .await
        .expect_err("refused");
    assert_eq!(code(&wrong), "28P01");
    assert_eq!(
        message(&wrong),
        "password authentication failed for user \"admin\""
    );
    let unknown = connect(&gw.pg_url("nobody", "nope"))
        .await
        .expect_err("refused");
    assert_eq!(code(&unknown), "28P01");
    assert_eq!(
        message(&unknown),
        "password authentication failed for user \"nobody\""
    );
    // A token declared in a datafile but given no secret cannot log in either.
    let no_secret = connect(&gw.pg_url("analytics_read", ""))
        .await
        .expect_err("refused");
    assert_eq!(code(&no_secret), "28P01");
}

#[tokio::test]
async fn another_database_name_is_3d000() {
    let gw = Gateway::start(&repo_path("sql")).await;
    let url = format!(
        "postgres://admin:{ADMIN_SECRET}@{}:{}/postgres",
        gw.postgres.ip(),
        gw.postgres.port()
    );
    let e = connect(&url).await.expect_err("refused");
    assert_eq!(code(&e), "3D000");
    assert_eq!(message(&e), "database \"postgres\" does not exist");
}

#[tokio::test]
async fn tls_with_sslmode_require_and_plain_with_disable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = (dir.path().join("server.crt"), dir.path().join("server.key"));
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let db = test_database("pg_tls").await;
    let mut config = config_for(&repo_path("sql"), &db.name);
    config.postgres.tls_cert = cert.display().to_string();
    config.postgres.tls_key = key.display().to_string();
    let gw = Gateway::start_with(config, db).await;

    let url = gw.pg_url("admin", ADMIN_SECRET);
    let (ok, out, err) = psql(&format!("{url}?sslmode=require"), &["-c", "\\conninfo"]).await;
    assert!(ok, "{err}");
    assert!(out.contains("SSL connection (protocol: TLSv1."), "{out}");
    // SCRAM-SHA-256-PLUS: the exchange is bound to this TLS certificate.
    let (ok, _, err) = psql(
        &format!("{url}?sslmode=require&channel_binding=require"),
        &["-c", "SELECT 1"],
    )
    .await;
    assert!(ok, "{err}");
    let wrong = gw.pg_url("admin", "not-the-secret");
    let (ok, _, err) = psql(
        &format!("{wrong}?sslmode=require&channel_binding=require"),
        &["-c", "SELECT 1"],
    )
    .await;
    assert!(
        !ok && err.contains("password authentication failed"),
        "{err}"
    );
    let (ok, out, err) = psql(&format!("{url}?sslmode=disable"), &["-c", "\\conninfo"]).await;
    assert!(ok, "{err}");
    assert!(!out.contains("SSL connection"), "{out}");
    // Without TLS there is nothing to bind to, so a client that insists is refused.
    let (ok, _, _) = psql(
        &format!("{url}?sslmode=disable&channel_binding=require"),
        &["-c", "SELECT 1"],
    )
    .await;
    assert!(!ok, "channel binding without TLS");
}

#[tokio::test]
async fn the_connection_limit_answers_53300() {
    let db = test_database("pg_limit").await;
    let mut config = config_for(&repo_path("sql"), &db.name);
    config.postgres.max_connections = 1;
    let gw = Gateway::start_with(config, db).await;
    let first = connect(&gw.pg_url("admin", ADMIN_SECRET))
        .await
        .expect("first fits");
    let second = connect(&gw.pg_url("admin", ADMIN_SECRET))
        .await
        .expect_err("second refused");
    assert_eq!(code(&second), "53300");
    assert_eq!(message(&second), "sorry, too many clients already");
    drop(first);
}

/// A gateway over the demo project with a few known events.
pub async fn gateway_with_events() -> Gateway {
    let gw = Gateway::start(&repo_path("sql")).await;
    gw.db
        .client
        .query(
            "INSERT INTO events (timestamp, session_id, visitor_id, event, pathname, country, device, browser, duration_ms, revenue, tags) VALUES
             ('2026-11-01 10:00:00.250', 's1', 'v1', 'page_view', '/', 'ES', 'mobile', 'firefox', 1200, NULL, ['a','b']),
             ('2026-11-01 10:01:00.000', 's1', 'v1', 'purchase', '/checkout', 'ES', 'mobile', 'firefox', 0, 49.99, []),
             ('2026-11-02 08:00:00.000', 's2', 'v2', 'page_view', '/pricing', 'DE', 'desktop', 'chrome', 300, NULL, ['über'])",
        )
        .execute()
        .await
        .expect("insert events");
    gw
}

#[tokio::test]
async fn simple_and_extended_queries_read_a_datasource() {
    let gw = gateway_with_events().await;
    let client = connect(&gw.pg_url("admin", ADMIN_SECRET))
        .await
        .expect("login");

    // Simple protocol: text values exactly as PostgreSQL prints them.
    let rows = client
        .simple_query(
            "SELECT pathname, duration_ms, revenue, tags, timestamp FROM events ORDER BY timestamp",
        )
        .await
        .expect("simple query");
    let values: Vec<Vec<Option<String>>> = rows
        .iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        values,
        vec![
            vec![
                s("/"),
                s("1200"),
                None,
                s("{a,b}"),
                s("2026-11-01 10:00:00.25")
            ],
            vec![
                s("/checkout"),
                s("0"),
                s("49.99"),
                s("{}"),
                s("2026-11-01 10:01:00")
            ],
            vec![
                s("/pricing"),
                s("300"),
                None,
                s("{über}"),
                s("2026-11-02 08:00:00")
            ],
        ]
    );

    // Extended protocol: tokio-postgres asks for binary results and decodes typed values.
    let rows = client
        .query("SELECT pathname, duration_ms, country FROM events WHERE event = 'page_view' ORDER BY pathname", &[])
        .await
        .expect("extended query");
    let typed: Vec<(String, i64, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        typed,
        vec![
            ("/".into(), 1200, "ES".into()),
            ("/pricing".into(), 300, "DE".into())
        ]
    );
    assert_eq!(
        rows[0].columns()[1].type_(),
        &tokio_postgres::types::Type::INT8,
        "UInt32 is int8"
    );

    // Bound parameters become escaped ClickHouse literals.
    let rows = client
        .query(
            "SELECT pathname FROM events WHERE country = $1 AND pathname <> $2 ORDER BY pathname",
            &[&"ES", &"it's'; DROP TABLE events --"],
        )
        .await
        .expect("bound parameters");
    let paths: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(paths, ["/", "/checkout"]);

    // Parameter types are inferred from the compared column, so typed binds work.
    let stmt = client
        .prepare("SELECT pathname FROM events WHERE duration_ms > $1 AND country = $2 ORDER BY pathname LIMIT $3")
        .await
        .expect("prepare");
    assert_eq!(
        stmt.params(),
        &[
            tokio_postgres::types::Type::INT8,
            tokio_postgres::types::Type::TEXT,
            tokio_postgres::types::Type::INT8
        ]
    );
    let rows = client
        .query(&stmt, &[&100i64, &"ES", &10i64])
        .await
        .expect("typed binds");
    let paths: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(paths, ["/"]);

    // Constants and session statements over the extended protocol too.
    let one: i32 = client
        .query_one("SELECT 1", &[])
        .await
        .expect("select 1")
        .get(0);
    assert_eq!(one, 1);
    let version: String = client
        .query_one("SHOW server_version", &[])
        .await
        .expect("show")
        .get(0);
    assert_eq!(version, "16.4");
}

#[tokio::test]
async fn errors_carry_postgresql_sqlstates() {
    let gw = gateway_with_events().await;
    let client = connect(&gw.pg_url("admin", ADMIN_SECRET))
        .await
        .expect("login");
    let cases = [
        ("SELEC 1", "42601"),
        ("SELECT * FROM nope", "42P01"),
        ("INSERT INTO events (pathname) VALUES ('x')", "25006"),
        ("CREATE TABLE t (a int)", "25006"),
        ("SELECT * FROM numbers(3)", "0A000"),
        ("SELECT no_such_column FROM events", "42703"),
        ("SET no_such_setting = 1", "42704"),
    ];
    for (sql, want) in cases {
        let e = client.simple_query(sql).await.expect_err(sql);
        assert_eq!(code(&e), want, "{sql}: {e:?}");
    }
    // A reader token sees only what it is scoped to.
    let reader = connect(&gw.pg_url("web_read", READER_SECRET))
        .await
        .expect("login");
    let e = reader
        .simple_query("SELECT * FROM user_events")
        .await
        .expect_err("out of scope");
    assert_eq!(code(&e), "42501");
    reader
        .simple_query("SELECT count(*) FROM events")
        .await
        .expect("in scope");
    // The connection stays usable after errors.
    client.simple_query("SELECT 1").await.expect("still usable");
}

#[tokio::test]
async fn statement_timeout_ends_with_57014_and_transactions_keep_postgresql_rules() {
    let gw = gateway_with_events().await;
    let client = connect(&gw.pg_url("admin", ADMIN_SECRET))
        .await
        .expect("login");
    client
        .simple_query("SET statement_timeout = '200ms'")
        .await
        .expect("set");
    let e = client
        .simple_query("SELECT count() FROM events WHERE sleepEachRow(0.5) = 0")
        .await
        .expect_err("times out");
    assert_eq!(code(&e), "57014", "{e:?}");
    assert_eq!(message(&e), "canceling statement due to statement timeout");

    client
        .simple_query("RESET statement_timeout")
        .await
        .expect("reset");
    client.simple_query("BEGIN").await.expect("begin");
    client
        .simple_query("SELECT * FROM nope")
        .await
        .expect_err("fails");
    let e = client
        .simple_query("SELECT 1")
        .await
        .expect_err("aborted block");
    assert_eq!(code(&e), "25P02");
    client.simple_query("ROLLBACK").await.expect("rollback");
    client.simple_query("SELECT 1").await.expect("usable again");

    // A multi-statement query stops at the first error, as in PostgreSQL.
    let (ok, out, err) = psql(
        &gw.pg_url("admin", ADMIN_SECRET),
        &["-c", "SELECT 1; SELECT * FROM nope; SELECT 2"],
    )
    .await;
    assert!(!ok);
    assert!(err.contains("relation \"nope\" does not exist"), "{err}");
    assert!(!out.contains('2'), "nothing after the error runs: {out}");
}

#[tokio::test]
async fn cancel_request_kills_the_clickhouse_query_and_reports_57014() {
    let gw = gateway_with_events().await;
    let client = connect(&gw.pg_url("admin", ADMIN_SECRET))
        .await
        .expect("login");
    let token = client.cancel_token();
    let started = std::time::Instant::now();
    let slow = tokio::spawn(async move {
        // 3 rows × 0.9 s: about 2.7 s unless cancelled.
        let r = client
            .simple_query("SELECT count() FROM events WHERE sleepEachRow(0.9) = 0")
            .await;
        (client, r)
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    token
        .cancel_query(NoTls)
        .await
        .expect("cancel request sent");
    let (client, result) = slow.await.expect("task");
    let e = result.expect_err("cancelled");
    assert_eq!(code(&e), "57014", "{e:?}");
    assert_eq!(message(&e), "canceling statement due to user request");
    assert!(
        started.elapsed() < std::time::Duration::from_millis(2000),
        "the query was stopped early, not left to finish ({:?})",
        started.elapsed()
    );
    client
        .simple_query("SELECT 1")
        .await
        .expect("the connection stays usable");
}

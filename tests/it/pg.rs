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
    let (ok, out, err) = psql(&format!("{url}?sslmode=disable"), &["-c", "\\conninfo"]).await;
    assert!(ok, "{err}");
    assert!(!out.contains("SSL connection"), "{out}");
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

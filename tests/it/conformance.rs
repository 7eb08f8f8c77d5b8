//! The conformance runners in `conformance/`, each a real client driving a real gateway.
//! The runners are data and scripts; this only starts the gateway and runs them.

use std::process::Command;

use crate::common::gateway::{repo_path, Gateway, ADMIN_SECRET};
use crate::pg::gateway_with_events;

/// Runs a conformance client on a blocking thread (the gateway under test shares this
/// runtime), requires success, and returns its output.
async fn run_client(mut cmd: Command, what: &'static str) -> String {
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("runner thread")
        .unwrap_or_else(|e| panic!("{what} runs: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The admin's libpq URL for a gateway.
fn dsn(gw: &Gateway) -> String {
    format!(
        "postgresql://admin:{ADMIN_SECRET}@{}:{}/pipegate",
        gw.postgres.ip(),
        gw.postgres.port()
    )
}

#[tokio::test]
async fn python_drivers_psycopg3_psycopg2_asyncpg() {
    let gw = gateway_with_events().await;
    let dsn = dsn(&gw);
    let mut cmd = Command::new(repo_path(".venv/bin/python"));
    cmd.arg(repo_path("conformance/python/drivers.py"))
        .env("PIPEGATE_TEST_DSN", dsn);
    // On a blocking thread: the gateway under test shares this runtime.
    let stdout = run_client(cmd, "python runs").await;
    assert!(stdout.contains("5 passed, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn pgjdbc_default_and_binary() {
    let gw = gateway_with_events().await;
    let url = format!(
        "jdbc:postgresql://{}:{}/pipegate",
        gw.postgres.ip(),
        gw.postgres.port()
    );
    let mut cmd = Command::new("java");
    cmd.args(["-cp", "/usr/share/java/postgresql.jar"])
        .arg(repo_path("conformance/java/Drivers.java"))
        .args([url.as_str(), "admin", ADMIN_SECRET]);
    let stdout = run_client(cmd, "java runs").await;
    assert!(stdout.contains("2 passed, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn node_postgres() {
    let gw = gateway_with_events().await;
    let dsn = dsn(&gw);
    let mut cmd = Command::new("node");
    cmd.arg(repo_path("conformance/node/drivers.js"))
        .current_dir(repo_path("conformance/node"))
        .env("PIPEGATE_TEST_DSN", dsn);
    let stdout = run_client(cmd, "node runs").await;
    assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn pgbench_simple_extended_and_prepared() {
    let gw = gateway_with_events().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("select1.sql");
    std::fs::write(
        &script,
        "SELECT 1;\nSELECT count(*) FROM events WHERE country = 'ES';\n",
    )
    .expect("script");
    for mode in ["simple", "extended", "prepared"] {
        let mut cmd = Command::new("pgbench");
        cmd.args(["-n", "-h"])
            .arg(gw.postgres.ip().to_string())
            .args([
                "-p",
                &gw.postgres.port().to_string(),
                "-U",
                "admin",
                "-d",
                "pipegate",
            ])
            .args(["-M", mode, "-c", "2", "-j", "1", "-t", "50", "-f"])
            .arg(&script)
            .env("PGPASSWORD", ADMIN_SECRET);
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .expect("pgbench thread")
            .expect("pgbench runs (install-deps installs postgresql-client)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{mode}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("number of transactions actually processed: 100/100"),
            "{mode}: {stdout}"
        );
        assert!(
            stdout.contains("number of failed transactions: 0"),
            "{mode}: {stdout}"
        );
    }
}

#[tokio::test]
async fn every_type_through_psycopg3_text_and_binary() {
    let gw = Gateway::start(&repo_path("tests/projects/types")).await;
    gw.db
        .client
        .query(&crate::pgtypes::ROWS.replacen("INSERT INTO t ", "INSERT INTO types ", 1))
        .execute()
        .await
        .expect("insert the typed rows");
    let dsn = dsn(&gw);
    let mut cmd = Command::new(repo_path(".venv/bin/python"));
    cmd.arg(repo_path("conformance/python/every_type.py"))
        .env("PIPEGATE_TEST_DSN", dsn);
    let stdout = run_client(cmd, "python runs").await;
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

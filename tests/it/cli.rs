//! The `pipegate` binary: `check` without ClickHouse, and `serve` with JSON logs and a
//! graceful stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::clickhouse::{clickhouse_url, test_database};

fn pipegate() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pipegate"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    // The developer's own settings must not leak into what the test checks.
    for (key, _) in std::env::vars() {
        if key.starts_with("PIPEGATE_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd
}

#[test]
fn check_accepts_the_demo_project() {
    let out = pipegate().args(["check", "sql"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("sql: ok (2 datasources, 3 pipes"),
        "{stdout}"
    );
}

#[test]
fn check_reports_every_broken_file_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.datasource"),
        "SCHEMA >\n    `ts` DateTim64(3) `json:$.ts`\n\nENGINE \"MergeTree\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.pipe"),
        "NODE n\nSQL >\n    %\n    SELECT 1\n    WHERE x = {{ String(x) \n\nTYPE endpoint\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("c.pipe"), "NODEE n\n").expect("write");
    let out = pipegate()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let a = dir.path().join("a.datasource");
    let b = dir.path().join("b.pipe");
    let c = dir.path().join("c.pipe");
    assert!(stderr.contains(&format!("{}:2:", a.display())), "{stderr}");
    assert!(stderr.contains("DateTim64"), "{stderr}");
    assert!(stderr.contains(&format!("{}:1:", c.display())), "{stderr}");
    assert!(stderr.contains("NODEE"), "{stderr}");
    // A template error points at the template's own line in the file (line 5 holds `{{`).
    assert!(stderr.contains(&format!("{}:5:", b.display())), "{stderr}");
}

#[tokio::test]
async fn serve_logs_json_and_stops_gracefully_on_sigterm() {
    let db = test_database("cli_serve").await;
    let mut child = pipegate()
        .args(["serve", "--project", "sql"])
        .env("PIPEGATE_LOG_FORMAT", "json")
        .env("PIPEGATE_CLICKHOUSE_URL", clickhouse_url())
        .env("PIPEGATE_CLICKHOUSE_DATABASE", &db.name)
        .env("PIPEGATE_HTTP_LISTEN", "127.0.0.1:0")
        .env("PIPEGATE_POSTGRES_LISTEN", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawns");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let value: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("log line is not JSON ({e}): {line}"));
            if tx.send(value).is_err() {
                break;
            }
        }
    });
    let next_message = |want: &str| -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {want:?} log line"));
            if line["message"] == want {
                return line;
            }
        }
    };
    let serving = next_message("pipegate is serving");
    assert_eq!(serving["level"], "INFO");
    let http = serving["http"]
        .as_str()
        .expect("http address field")
        .to_string();

    let res = reqwest::get(format!("http://{http}/health"))
        .await
        .expect("health");
    assert_eq!(res.status(), 200);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    next_message("SIGTERM received");
    next_message("pipegate stopped");
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "pipegate did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit}");
}

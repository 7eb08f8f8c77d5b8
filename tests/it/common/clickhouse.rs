//! The test ClickHouse: `PIPEGATE_CLICKHOUSE_URL` when set (any real server), else the local
//! engine (chdb-core behind `scripts/chdb_http.py`) started once for this test binary on a
//! free port, with its data in a temporary folder. The adapter watches our pid and exits when
//! the test binary does.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

struct Local {
    url: String,
    /// Kept so the process handle (and its data folder) live as long as the test binary.
    _child: Mutex<Child>,
    _data: tempfile::TempDir,
}

static LOCAL: OnceLock<Local> = OnceLock::new();
static EXTERNAL: OnceLock<String> = OnceLock::new();

/// The URL of the ClickHouse the tests use.
pub fn clickhouse_url() -> String {
    if let Ok(url) = std::env::var("PIPEGATE_CLICKHOUSE_URL") {
        if !url.is_empty() {
            EXTERNAL.get_or_init(|| {
                announce(&format!(
                    "integration tests use ClickHouse at {url} (PIPEGATE_CLICKHOUSE_URL)"
                ));
                url.clone()
            });
            return url;
        }
    }
    LOCAL.get_or_init(start_local).url.clone()
}

/// Credentials for an external server, from the same variables the gateway reads.
pub fn credentials() -> (String, String) {
    (
        std::env::var("PIPEGATE_CLICKHOUSE_USER").unwrap_or_else(|_| "default".into()),
        std::env::var("PIPEGATE_CLICKHOUSE_PASSWORD").unwrap_or_default(),
    )
}

/// Writes past the test harness's output capture, so the log of `make test` shows it.
fn announce(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn start_local() -> Local {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `make test` (or scripts/setup.sh) to install the local ClickHouse",
        python.display()
    );
    let data = tempfile::tempdir().expect("temporary data folder");
    let mut child = Command::new(&python)
        .arg(root.join("scripts/chdb_http.py"))
        .args(["--host", "127.0.0.1", "--port", "0", "--data"])
        .arg(data.path())
        .args(["--parent-pid", &std::process::id().to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the local ClickHouse adapter");
    let stdout = child.stdout.take().expect("adapter stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the adapter's address");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line from the adapter: {line:?}"))
        .to_string();
    let url = format!("http://{addr}");
    let version = blocking_query(&url, "SELECT version()").expect("the adapter answers");
    announce(&format!(
        "integration tests use the local ClickHouse {} (chdb-core) at {url}",
        version.trim()
    ));
    Local {
        url,
        _child: Mutex::new(child),
        _data: data,
    }
}

/// A database of its own for one test, dropped when the test ends.
pub struct TestDb {
    pub name: String,
    pub url: String,
    /// A client whose default database is this one.
    pub client: clickhouse::Client,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = blocking_query(
            &self.url,
            &format!("DROP DATABASE IF EXISTS `{}`", self.name),
        );
    }
}

/// Creates a fresh database named `<prefix>_<pid>_<n>`.
pub async fn test_database(prefix: &str) -> TestDb {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let url = clickhouse_url();
    let name = format!(
        "t_{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let (user, password) = credentials();
    let server = clickhouse::Client::default()
        .with_url(&url)
        .with_user(&user)
        .with_password(&password);
    server
        .query(&format!("CREATE DATABASE `{name}`"))
        .execute()
        .await
        .expect("create the test database");
    TestDb {
        client: server.with_database(&name),
        name,
        url,
    }
}

/// One query over plain HTTP/1.1 without an async runtime (usable from `Drop`).
pub fn blocking_query(url: &str, sql: &str) -> Result<String, String> {
    use std::io::Read;
    let addr = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// is supported here, not {url}"))?
        .trim_end_matches('/');
    let (user, password) = credentials();
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-ClickHouse-User: {user}\r\nX-ClickHouse-Key: {password}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{sql}",
        sql.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    if head.starts_with("HTTP/1.1 200") {
        Ok(body.to_string())
    } else {
        Err(format!("{head}\n{body}"))
    }
}

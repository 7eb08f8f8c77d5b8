//! The test ClickHouse: `PIPEGATE_CLICKHOUSE_URL` when set (any real server), else the local
//! engine (chdb-core behind `scripts/chdb_http.py`) started once for this test binary on a
//! free port, with its data in a temporary folder. The adapter watches our pid, and exits and
//! removes its data when the test binary is gone.
//!
//! Each test works in a database of its own ([`test_database`]), dropped when it ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

struct Local {
    url: String,
    /// Kept so the process handle lives as long as the test binary.
    _child: Mutex<Child>,
}

static LOCAL: OnceLock<Local> = OnceLock::new();
static EXTERNAL: OnceLock<String> = OnceLock::new();

/// The URL of the ClickHouse the tests use: `PIPEGATE_CLICKHOUSE_URL`, or the local adapter
/// (started on first use).
pub fn clickhouse_url() -> String {
    if let Some(url) = external_url() {
        EXTERNAL.get_or_init(|| {
            announce(&format!(
                "integration tests use the ClickHouse at {url} (PIPEGATE_CLICKHOUSE_URL)"
            ));
            url.clone()
        });
        return url;
    }
    LOCAL.get_or_init(start_local).url.clone()
}

fn external_url() -> Option<String> {
    std::env::var("PIPEGATE_CLICKHOUSE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .map(|url| url.trim().trim_end_matches('/').to_string())
}

/// Whether the tests run against the local adapter (not a server named by
/// `PIPEGATE_CLICKHOUSE_URL`): adapter-only checks (`/adapter/stats`) are skipped otherwise.
pub fn is_local() -> bool {
    external_url().is_none()
}

/// Credentials for an external server, from the same variables the gateway reads.
pub fn credentials() -> (String, String) {
    (
        std::env::var("PIPEGATE_CLICKHOUSE_USER").unwrap_or_else(|_| "default".into()),
        std::env::var("PIPEGATE_CLICKHOUSE_PASSWORD").unwrap_or_default(),
    )
}

/// A `clickhouse` client for the test server (no database), with its credentials.
pub fn client() -> clickhouse::Client {
    let (user, password) = credentials();
    clickhouse::Client::default()
        .with_url(clickhouse_url())
        .with_user(user)
        .with_password(password)
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
        "{} is missing: the local ClickHouse is not installed; run `make test` or \
         scripts/setup.sh (or set PIPEGATE_CLICKHOUSE_URL to a running server)",
        python.display()
    );
    // The adapter removes this folder when it exits; `keep` so that dropping the guard
    // (never, for a static) cannot race with it.
    let data = tempfile::Builder::new()
        .prefix("pipegate-it-clickhouse-")
        .tempdir()
        .expect("temporary data folder")
        .keep();
    let mut child = Command::new(&python)
        .arg(root.join("scripts/chdb_http.py"))
        .args(["--host", "127.0.0.1", "--port", "0", "--data"])
        .arg(&data)
        .args(["--remove-data-on-exit", "--parent-pid"])
        .arg(std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
    let mut stdout = BufReader::new(child.stdout.take().expect("adapter stdout"));
    let mut line = String::new();
    let read = stdout.read_line(&mut line).unwrap_or(0);
    let Some(addr) = line.trim().strip_prefix("listening on ") else {
        let status = child.try_wait().ok().flatten();
        panic!(
            "the local ClickHouse adapter did not start (read {read} bytes: {line:?}, exit \
             status {status:?}); its error is above. Try `scripts/setup.sh`."
        );
    };
    let url = format!("http://{addr}");
    // Keep draining stdout so that the adapter never writes into a closed pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stdout.read_to_end(&mut sink);
    });
    let version = blocking_query(&url, "SELECT version()").expect("the local ClickHouse answers");
    announce(&format!(
        "integration tests use the local ClickHouse {} (chdb-core via scripts/chdb_http.py) at \
         {url}",
        version.trim()
    ));
    Local {
        url,
        _child: Mutex::new(child),
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
        // Best effort: a failed drop leaves a database behind, never a failed test.
        let _ = blocking_query(
            &self.url,
            &format!("DROP DATABASE IF EXISTS `{}` SYNC", self.name),
        );
    }
}

/// Creates a fresh database named `t_<prefix>_<pid>_<n>`.
pub async fn test_database(prefix: &str) -> TestDb {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let url = clickhouse_url();
    let prefix: String = prefix
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let name = format!(
        "t_{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let server = client();
    server
        .query(&format!("CREATE DATABASE `{name}`"))
        .execute()
        .await
        .unwrap_or_else(|e| panic!("create the test database {name} on {url}: {e}"));
    TestDb {
        client: server.with_database(&name),
        name,
        url,
    }
}

/// The local adapter's request counters (`GET /adapter/stats`), over all requests or over
/// those that named `database`: every request that reached the engine counts once, as an
/// insert (INSERT statements) or a query (the rest), failed ones included. `None` against a
/// real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct AdapterStats {
    pub queries: u64,
    pub inserts: u64,
    pub errors: u64,
}

pub fn adapter_stats(database: Option<&str>) -> Option<AdapterStats> {
    if !is_local() {
        return None;
    }
    let url = clickhouse_url();
    let path = match database {
        Some(db) => format!("/adapter/stats?database={db}"),
        None => "/adapter/stats".to_string(),
    };
    let body = blocking_http(&url, "GET", &path, "").expect("adapter stats");
    Some(serde_json::from_str(&body).expect("adapter stats are JSON"))
}

/// One query over plain HTTP/1.1 without an async runtime (usable from `Drop`). Answers the
/// body of a 200, or the status line, headers and body of anything else.
pub fn blocking_query(url: &str, sql: &str) -> Result<String, String> {
    blocking_http(url, "POST", "/", sql)
}

fn blocking_http(url: &str, method: &str, path: &str, body: &str) -> Result<String, String> {
    let addr = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// is supported here, not {url}"))?
        .trim_end_matches('/');
    let (user, password) = credentials();
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(60)));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nX-ClickHouse-User: {user}\r\n\
         X-ClickHouse-Key: {password}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let raw = response.get(split + 4..).unwrap_or_default();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(raw)
    } else {
        raw.to_vec()
    };
    let body = String::from_utf8_lossy(&body).to_string();
    if head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200") {
        Ok(body)
    } else {
        Err(format!("{head}\n\n{body}"))
    }
}

/// A real server answers with chunked bodies.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..eol]);
        let size =
            usize::from_str_radix(size.split(';').next().unwrap_or("0").trim(), 16).unwrap_or(0);
        let rest = &body[eol + 2..];
        if size == 0 || rest.len() < size {
            break;
        }
        out.extend_from_slice(&rest[..size]);
        body = rest[size..].strip_prefix(b"\r\n").unwrap_or(&rest[size..]);
    }
    out
}

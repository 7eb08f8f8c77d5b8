//! Configuration: one serde tree read from `pipegate.toml`, then `PIPEGATE_*` environment
//! overrides, then validated once into typed settings.
//!
//! Every leaf option `a.b` can be overridden by the variable `PIPEGATE_A_B` (upper case, dots
//! become underscores): `clickhouse.url` is `PIPEGATE_CLICKHOUSE_URL`, `admin_token` is
//! `PIPEGATE_ADMIN_TOKEN`, `log.format` is `PIPEGATE_LOG_FORMAT`. The names are derived from the
//! default tree, so every option has one and no option can be misspelt. `pipegate.example.toml`
//! documents each option with its default; a test parses it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The environment variable prefix for overrides.
pub const ENV_PREFIX: &str = "PIPEGATE_";

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The folder holding the project's `.datasource` and `.pipe` files. Default: `"sql"`.
    pub project_dir: PathBuf,
    /// The secret of the built-in `admin` token; empty disables it. Default: `""`.
    pub admin_token: String,
    /// Deploy the project when `serve` starts, so the tables always match the datafiles.
    /// Default: `true`.
    pub deploy_on_start: bool,
    /// How long a graceful shutdown waits for open requests and connections. Default: `30`.
    pub shutdown_timeout_secs: u64,
    /// Logging.
    pub log: LogConfig,
    /// The ClickHouse server behind the gateway.
    pub clickhouse: ClickHouseConfig,
    /// The Postgres door.
    pub postgres: PostgresConfig,
    /// The HTTP door.
    pub http: HttpConfig,
    /// The Events API: its write-ahead log, flushing and limits.
    pub ingest: IngestConfig,
    /// Secrets for the tokens that datafiles declare (`TOKEN name ...`), by token name. A token
    /// with no secret here cannot log in. Not overridable from the environment. Default: empty.
    pub tokens: BTreeMap<String, String>,
}

/// Logging options.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `auto` (human-readable on a terminal, JSON otherwise), `text` or `json`. Default: `"auto"`.
    pub format: String,
    /// A `tracing` filter such as `info` or `pipegate=debug,info`; `RUST_LOG` wins when set.
    /// Default: `"info"`.
    pub level: String,
}

/// How to reach ClickHouse.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ClickHouseConfig {
    /// The HTTP interface of ClickHouse. Default: `"http://127.0.0.1:8123"`.
    pub url: String,
    /// The ClickHouse user. Default: `"default"`.
    pub user: String,
    /// The ClickHouse password. Default: `""`.
    pub password: String,
    /// The ClickHouse database that holds the project's tables; deploy creates it.
    /// Default: `"pipegate"`.
    pub database: String,
}

/// The Postgres door.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PostgresConfig {
    /// Address to listen on. Default: `"127.0.0.1:6432"`.
    pub listen: String,
    /// The database name clients connect to; any other name is refused with `3D000`.
    /// Default: `"pipegate"`.
    pub database: String,
    /// The most concurrent client connections. Default: `1000`.
    pub max_connections: usize,
    /// PEM certificate for TLS; empty means no TLS. Default: `""`.
    pub tls_cert: String,
    /// PEM private key for TLS. Default: `""`.
    pub tls_key: String,
}

/// The HTTP door.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address to listen on. Default: `"127.0.0.1:7181"`.
    pub listen: String,
}

/// The Events API.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// The folder of the write-ahead logs (one per datasource, under the ClickHouse database's
    /// name) and their idempotency keys. It must survive restarts. Default: `".data/wal"`.
    pub wal_dir: String,
    /// The longest an acknowledged event waits before its flush to ClickHouse starts, in
    /// milliseconds. Default: `1000`.
    pub flush_delay_ms: u64,
    /// A flush starts early once this many rows wait. Default: `500000`.
    pub flush_rows: u64,
    /// A flush starts early once this many encoded bytes wait. Default: `67108864` (64 MiB).
    pub flush_bytes: u64,
    /// The largest request body, compressed or decompressed; larger ones get 413.
    /// Default: `10485760` (10 MiB).
    pub max_body_bytes: u64,
    /// Unflushed log bytes per datasource above which requests get 429 with `Retry-After`.
    /// Default: `1073741824` (1 GiB).
    pub max_unflushed_bytes: u64,
    /// How long a repeated request (same `Idempotency-Key`, or same datasource and body)
    /// gets the original answer and inserts nothing, in seconds. Default: `18000` (5 h).
    pub idempotency_window_secs: u64,
    /// A log segment is sealed and a new one started at this size. Default: `67108864`.
    pub segment_bytes: u64,
    /// Events API requests per second each token may make (a burst of one second's worth);
    /// more get 429 with `Retry-After`. Answers carry `X-RateLimit-*`. Default: `1000`.
    pub requests_per_second: u64,
    /// Per-token overrides of `requests_per_second`, by token name. Not overridable from
    /// the environment. Default: empty.
    pub token_requests_per_second: BTreeMap<String, u64>,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            wal_dir: ".data/wal".into(),
            flush_delay_ms: 1000,
            flush_rows: 500_000,
            flush_bytes: 64 << 20,
            max_body_bytes: 10 << 20,
            max_unflushed_bytes: 1 << 30,
            idempotency_window_secs: 5 * 3600,
            segment_bytes: 64 << 20,
            requests_per_second: 1000,
            token_requests_per_second: BTreeMap::new(),
        }
    }
}

/// The Events API's options, validated.
#[derive(Debug, Clone)]
pub struct IngestSettings {
    pub wal_dir: PathBuf,
    pub flush_delay: Duration,
    pub flush_rows: u64,
    pub flush_bytes: u64,
    pub max_body_bytes: usize,
    pub max_unflushed_bytes: u64,
    pub idempotency_window: Duration,
    pub segment_bytes: u64,
    pub requests_per_second: u64,
    pub token_requests_per_second: BTreeMap<String, u64>,
}

impl IngestSettings {
    /// The requests per second `token` may make.
    pub fn rps_of(&self, token: &str) -> u64 {
        self.token_requests_per_second
            .get(token)
            .copied()
            .unwrap_or(self.requests_per_second)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            project_dir: PathBuf::from("sql"),
            admin_token: String::new(),
            deploy_on_start: true,
            shutdown_timeout_secs: 30,
            log: LogConfig::default(),
            clickhouse: ClickHouseConfig::default(),
            postgres: PostgresConfig::default(),
            http: HttpConfig::default(),
            ingest: IngestConfig::default(),
            tokens: BTreeMap::new(),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: "auto".into(),
            level: "info".into(),
        }
    }
}

impl Default for ClickHouseConfig {
    fn default() -> Self {
        ClickHouseConfig {
            url: "http://127.0.0.1:8123".into(),
            user: "default".into(),
            password: String::new(),
            database: "pipegate".into(),
        }
    }
}

impl Default for PostgresConfig {
    fn default() -> Self {
        PostgresConfig {
            listen: "127.0.0.1:6432".into(),
            database: "pipegate".into(),
            max_connections: 1000,
            tls_cert: String::new(),
            tls_key: String::new(),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: "127.0.0.1:7181".into(),
        }
    }
}

/// What can go wrong while reading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {var}: {message}")]
    Env { var: String, message: String },
    #[error("option {option}: {message}")]
    Invalid { option: String, message: String },
}

/// Log output format, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Auto,
    Text,
    Json,
}

/// The typed values the server needs, validated once at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    pub postgres_listen: SocketAddr,
    pub http_listen: SocketAddr,
    pub shutdown_timeout: Duration,
    pub log_format: LogFormat,
    pub ingest: IngestSettings,
}

impl Config {
    /// Reads `path` if given (a missing explicit file is an error), else `pipegate.toml` in the
    /// working directory if it exists, else the defaults; then applies environment overrides.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let default_path = Path::new("pipegate.toml");
        let file = match path {
            Some(p) => Some(p.to_path_buf()),
            None if default_path.exists() => Some(default_path.to_path_buf()),
            None => None,
        };
        let text = match &file {
            Some(p) => std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                path: p.clone(),
                source,
            })?,
            None => String::new(),
        };
        let vars: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX))
            .collect();
        Config::from_parts(file.as_deref().unwrap_or(default_path), &text, &vars)
    }

    /// Builds a configuration from file text and `(name, value)` environment pairs.
    pub fn from_parts(
        path: &Path,
        text: &str,
        env: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        let parse_err = |message: String| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        };
        let mut tree: toml::Table = toml::from_str(text).map_err(|e| parse_err(e.to_string()))?;
        let defaults = toml::Table::try_from(Config::default())
            .map_err(|e| parse_err(format!("internal: {e}")))?;
        let known = leaf_paths(&defaults);
        for (var, value) in env {
            let Some(rest) = var.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            // Variables of other tools that share the prefix (e.g. PIPEGATE_CLICKHOUSE_URL is
            // ours, but a test harness may set others) are ignored unless they name an option.
            let Some((option, default)) = known
                .iter()
                .find(|(p, _)| env_name(p) == rest.to_ascii_uppercase())
            else {
                continue;
            };
            let parsed = coerce(default, value).map_err(|message| ConfigError::Env {
                var: var.clone(),
                message,
            })?;
            set_path(&mut tree, option, parsed);
        }
        toml::Value::Table(tree)
            .try_into()
            .map_err(|e: toml::de::Error| parse_err(e.to_string()))
    }

    /// Validates the options that have a type richer than a string.
    pub fn settings(&self) -> Result<Settings, ConfigError> {
        let addr = |option: &str, value: &str| {
            value
                .parse::<SocketAddr>()
                .map_err(|e| ConfigError::Invalid {
                    option: option.into(),
                    message: format!("{value:?} is not an address like 127.0.0.1:6432 ({e})"),
                })
        };
        let log_format = match self.log.format.as_str() {
            "auto" => LogFormat::Auto,
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError::Invalid {
                    option: "log.format".into(),
                    message: format!("{other:?} is not one of auto, text, json"),
                })
            }
        };
        if self.clickhouse.database.is_empty()
            || !self
                .clickhouse
                .database
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(ConfigError::Invalid {
                option: "clickhouse.database".into(),
                message: "must be a non-empty name of letters, digits and underscores".into(),
            });
        }
        if self.postgres.tls_cert.is_empty() != self.postgres.tls_key.is_empty() {
            return Err(ConfigError::Invalid {
                option: "postgres.tls_cert".into(),
                message: "tls_cert and tls_key must be set together".into(),
            });
        }
        let i = &self.ingest;
        for (option, value) in [
            ("ingest.flush_rows", i.flush_rows),
            ("ingest.flush_bytes", i.flush_bytes),
            ("ingest.max_body_bytes", i.max_body_bytes),
            ("ingest.max_unflushed_bytes", i.max_unflushed_bytes),
            ("ingest.segment_bytes", i.segment_bytes),
            ("ingest.requests_per_second", i.requests_per_second),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid {
                    option: option.into(),
                    message: "must be greater than 0".into(),
                });
            }
        }
        if i.wal_dir.is_empty() {
            return Err(ConfigError::Invalid {
                option: "ingest.wal_dir".into(),
                message: "must name a folder".into(),
            });
        }
        let ingest = IngestSettings {
            wal_dir: PathBuf::from(&i.wal_dir),
            flush_delay: Duration::from_millis(i.flush_delay_ms),
            flush_rows: i.flush_rows,
            flush_bytes: i.flush_bytes,
            max_body_bytes: usize::try_from(i.max_body_bytes).unwrap_or(usize::MAX),
            max_unflushed_bytes: i.max_unflushed_bytes,
            idempotency_window: Duration::from_secs(i.idempotency_window_secs),
            segment_bytes: i.segment_bytes,
            requests_per_second: i.requests_per_second,
            token_requests_per_second: i.token_requests_per_second.clone(),
        };
        Ok(Settings {
            ingest,
            postgres_listen: addr("postgres.listen", &self.postgres.listen)?,
            http_listen: addr("http.listen", &self.http.listen)?,
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout_secs),
            log_format,
        })
    }

    /// The environment variable of every overridable option, with its dotted path.
    pub fn env_vars() -> Vec<(String, String)> {
        let defaults = toml::Table::try_from(Config::default()).unwrap_or_default();
        leaf_paths(&defaults)
            .into_iter()
            .map(|(path, _)| (format!("{ENV_PREFIX}{}", env_name(&path)), path.join(".")))
            .collect()
    }
}

/// Every scalar leaf of a table, as a path and its default value. Tables that are maps keyed
/// by user data (such as `tokens`) have no leaves in the defaults and so are not overridable.
fn leaf_paths(table: &toml::Table) -> Vec<(Vec<String>, toml::Value)> {
    let mut out = Vec::new();
    for (key, value) in table {
        match value {
            toml::Value::Table(inner) => {
                for (mut path, v) in leaf_paths(inner) {
                    path.insert(0, key.clone());
                    out.push((path, v));
                }
            }
            other => out.push((vec![key.clone()], other.clone())),
        }
    }
    out
}

fn env_name(path: &[String]) -> String {
    path.join("_").to_ascii_uppercase()
}

/// Turns an environment string into a TOML value of the same type as the default.
fn coerce(default: &toml::Value, raw: &str) -> Result<toml::Value, String> {
    match default {
        toml::Value::String(_) => Ok(toml::Value::String(raw.to_string())),
        toml::Value::Integer(_) => raw
            .trim()
            .parse::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| format!("{raw:?} is not an integer")),
        toml::Value::Float(_) => raw
            .trim()
            .parse::<f64>()
            .map(toml::Value::Float)
            .map_err(|_| format!("{raw:?} is not a number")),
        toml::Value::Boolean(_) => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "off" => Ok(toml::Value::Boolean(false)),
            _ => Err(format!("{raw:?} is not a boolean (true/false)")),
        },
        _ => Err("this option cannot be set from the environment".into()),
    }
}

fn set_path(table: &mut toml::Table, path: &[String], value: toml::Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = table;
    for key in parents {
        let entry = cur
            .entry(key.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        match entry {
            toml::Value::Table(t) => cur = t,
            _ => return,
        }
    }
    cur.insert(last.clone(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn example_file_parses_and_equals_defaults() {
        let text = include_str!("../pipegate.example.toml");
        let cfg = Config::from_parts(Path::new("pipegate.example.toml"), text, &[])
            .expect("example parses");
        assert_eq!(cfg, Config::default());
        cfg.settings().expect("defaults validate");
    }

    #[test]
    fn example_file_documents_every_option() {
        let text = include_str!("../pipegate.example.toml");
        for (var, path) in Config::env_vars() {
            let key = path.rsplit('.').next().unwrap_or(&path);
            assert!(
                text.contains(&format!("{key} = ")),
                "pipegate.example.toml does not document {path}"
            );
            assert!(
                text.contains(&var),
                "pipegate.example.toml does not name {var}"
            );
        }
    }

    #[test]
    fn env_overrides_file() {
        let text = "[clickhouse]\nurl = \"http://a:1\"\n";
        let cfg = Config::from_parts(
            Path::new("x.toml"),
            text,
            &env(&[
                ("PIPEGATE_CLICKHOUSE_URL", "http://b:2"),
                ("PIPEGATE_POSTGRES_MAX_CONNECTIONS", "7"),
                ("PIPEGATE_DEPLOY_ON_START", "false"),
                ("PIPEGATE_ADMIN_TOKEN", "12345"),
                ("PIPEGATE_UNRELATED_THING", "ignored"),
            ]),
        )
        .expect("parses");
        assert_eq!(cfg.clickhouse.url, "http://b:2");
        assert_eq!(cfg.postgres.max_connections, 7);
        assert!(!cfg.deploy_on_start);
        assert_eq!(cfg.admin_token, "12345");
    }

    #[test]
    fn bad_env_value_names_the_variable() {
        let err = Config::from_parts(
            Path::new("x.toml"),
            "",
            &env(&[("PIPEGATE_POSTGRES_MAX_CONNECTIONS", "lots")]),
        )
        .expect_err("must fail");
        assert_eq!(
            err.to_string(),
            "environment variable PIPEGATE_POSTGRES_MAX_CONNECTIONS: \"lots\" is not an integer"
        );
    }

    #[test]
    fn unknown_option_is_refused() {
        let err = Config::from_parts(Path::new("x.toml"), "[http]\nlisten_on = \"x\"\n", &[])
            .expect_err("must fail");
        assert!(
            err.to_string().contains("unknown field `listen_on`"),
            "{err}"
        );
    }

    #[test]
    fn token_secrets_are_a_map() {
        let cfg = Config::from_parts(
            Path::new("x.toml"),
            "[tokens]\nanalytics_read = \"s3cret\"\n",
            &[],
        )
        .expect("parses");
        assert_eq!(cfg.tokens["analytics_read"], "s3cret");
    }

    #[test]
    fn settings_validate_addresses_and_formats() {
        let mut cfg = Config::default();
        cfg.http.listen = "localhost".into();
        let err = cfg.settings().expect_err("bad address");
        assert!(err.to_string().starts_with("option http.listen:"), "{err}");
        let mut cfg = Config::default();
        cfg.log.format = "xml".into();
        assert!(cfg.settings().is_err());
        let mut cfg = Config::default();
        cfg.clickhouse.database = "a;b".into();
        assert!(cfg.settings().is_err());
    }
}

//! The gateway's handle on ClickHouse: the official `clickhouse` crate over HTTP, configured
//! once, counting every request into the metrics.

use std::sync::Arc;
use std::time::Duration;

use crate::config::ClickHouseConfig;
use crate::metrics::Metrics;

use super::ClickHouseError;

/// How long one chunk of an insert may take to go out.
const INSERT_SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long ClickHouse may take to answer a whole insert.
const INSERT_END_TIMEOUT: Duration = Duration::from_secs(120);

/// A cheap-to-clone handle on one ClickHouse server and the project's database there.
#[derive(Clone)]
pub struct ClickHouse {
    /// A client with no default database, for statements that name the database themselves
    /// (deploy creates the database, so it cannot be the default yet).
    client: clickhouse::Client,
    /// The same client with the project's database as its default.
    in_database: clickhouse::Client,
    /// The database that holds the project's tables.
    database: String,
    /// Where request counts go.
    metrics: Arc<Metrics>,
}

impl ClickHouse {
    pub fn new(config: &ClickHouseConfig, metrics: Arc<Metrics>) -> ClickHouse {
        let client = clickhouse::Client::default()
            .with_url(config.url.trim_end_matches('/'))
            .with_user(&config.user)
            .with_password(&config.password);
        ClickHouse {
            in_database: client.clone().with_database(&config.database),
            client,
            database: config.database.clone(),
            metrics,
        }
    }

    /// The database that holds the project's tables.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The underlying client, with the project's database as the default database. Data
    /// queries name every table fully; the default only decides where the request is
    /// accounted, and keeps a bare name from ever reaching another database.
    pub fn query_client(&self) -> &clickhouse::Client {
        &self.in_database
    }

    /// Runs a statement that returns nothing (DDL). The SQL is sent verbatim: `?` is not a
    /// placeholder, because DEFAULT expressions and TTLs may contain one.
    pub async fn execute(&self, sql: &str) -> Result<(), ClickHouseError> {
        self.count(self.client.query_raw(sql).execute().await)
    }

    /// Runs a query and returns its rows as `TabSeparated` text lines, for small internal
    /// answers (DESCRIBE, EXISTS, version).
    pub async fn fetch_tsv(&self, sql: &str) -> Result<Vec<Vec<String>>, ClickHouseError> {
        let bytes = async {
            let mut cursor = self.client.query_raw(sql).fetch_bytes("TabSeparated")?;
            cursor.collect().await
        }
        .await;
        let bytes = self.count(bytes)?;
        Ok(parse_tsv(&bytes))
    }

    /// Like [`ClickHouse::fetch_tsv`], with the project's database as the default database,
    /// so that unqualified table names resolve there (pipes name datasources bare).
    pub async fn fetch_tsv_in_database(
        &self,
        sql: &str,
    ) -> Result<Vec<Vec<String>>, ClickHouseError> {
        let bytes = async {
            let mut cursor = self
                .in_database
                .query_raw(sql)
                .fetch_bytes("TabSeparated")?;
            cursor.collect().await
        }
        .await;
        let bytes = self.count(bytes)?;
        Ok(parse_tsv(&bytes))
    }

    /// Runs an `INSERT ... FORMAT x` whose data is `chunks`, sent in order without copying,
    /// with per-insert `settings`. The SQL is sent verbatim. Each stage is bounded in time,
    /// so a server that stops answering fails the insert instead of stalling it.
    pub async fn insert_chunks(
        &self,
        sql: &str,
        settings: &[(&str, &str)],
        chunks: Vec<bytes::Bytes>,
    ) -> Result<(), ClickHouseError> {
        let result = async {
            let mut insert = self
                .client
                .insert_formatted_with(sql)
                .with_timeouts(Some(INSERT_SEND_TIMEOUT), Some(INSERT_END_TIMEOUT));
            for (name, value) in settings {
                insert = insert.with_setting(*name, *value);
            }
            for chunk in chunks {
                insert.send(chunk).await?;
            }
            insert.end().await
        }
        .await;
        self.count(result)
    }

    /// `SELECT version()`, within `timeout`: the health check.
    pub async fn version(&self, timeout: Duration) -> Result<String, ClickHouseError> {
        let rows = tokio::time::timeout(timeout, self.fetch_tsv("SELECT version()"))
            .await
            .map_err(|_| ClickHouseError::Timeout)??;
        rows.into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .ok_or_else(|| ClickHouseError::Client("empty answer to SELECT version()".into()))
    }

    fn count<T>(&self, result: Result<T, clickhouse::error::Error>) -> Result<T, ClickHouseError> {
        self.metrics.clickhouse_queries.inc();
        result.map_err(|e| {
            self.metrics.clickhouse_errors.inc();
            ClickHouseError::from(e)
        })
    }
}

fn parse_tsv(bytes: &[u8]) -> Vec<Vec<String>> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|line| line.split('\t').map(unescape_tsv).collect())
        .collect()
}

/// Undoes TabSeparated escaping (`\t`, `\n`, `\\`, `\'`, `\N` stays as is).
fn unescape_tsv(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_string();
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('N') => out.push_str("\\N"),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unescape_tsv;

    #[test]
    fn tsv_unescapes() {
        assert_eq!(unescape_tsv(r"a\tb\\c\nd"), "a\tb\\c\nd");
        assert_eq!(unescape_tsv(r"\N"), r"\N");
        assert_eq!(unescape_tsv("plain"), "plain");
    }
}

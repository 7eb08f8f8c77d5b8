//! Executing a resolved data query on ClickHouse and handing back a stream of its result in
//! `RowBinaryWithNamesAndTypes`, with the header already read so the columns are known.

use std::time::Duration;

use bytes::{Buf, BytesMut};

use crate::clickhouse::{ClickHouse, ClickHouseError};
use crate::pg_server::encode::{parse_header, Header, REQUIRED_SETTINGS};

use super::QueryError;
use crate::translate::Translation;

/// What every translated data query needs for PostgreSQL's semantics:
/// - outer joins fill with NULLs, not default values;
/// - a column name wins over a select-list alias of the same name (PostgreSQL scoping);
/// - aggregates over no rows are NULL (`sum`, `avg`, `min`, `max`), `count` stays 0;
/// - a cast keeps its argument's NULL;
/// - `ORDER BY 2` and `GROUP BY 1` are positions.
pub const DATA_QUERY_SETTINGS: &[(&str, &str)] = &[
    ("join_use_nulls", "1"),
    ("prefer_column_name_to_alias", "1"),
    ("aggregate_functions_null_for_empty", "1"),
    ("cast_keep_nullable", "1"),
    ("enable_positional_arguments", "1"),
];

/// A running ClickHouse query: its columns, and the bytes read past the header.
pub struct ChRows {
    pub header: Header,
    /// Bytes already received after the header, not yet decoded.
    pub buffered: BytesMut,
    /// The rest of the response.
    pub cursor: clickhouse::query::BytesCursor,
    /// ClickHouse's query id, for cancel.
    pub query_id: String,
}

impl ChRows {
    /// The next chunk of the response, or None at its end.
    pub async fn next_chunk(&mut self) -> Result<Option<bytes::Bytes>, QueryError> {
        self.cursor
            .next()
            .await
            .map_err(|e| QueryError::from(ClickHouseError::from(e)))
    }
}

/// Runs `sql` read-only with the session's limits and reads up to the end of the header.
pub async fn execute(
    ch: &ClickHouse,
    translation: &Translation,
    timeout: Option<Duration>,
    query_id: String,
) -> Result<ChRows, QueryError> {
    let sql = translation.sql.as_str();
    let mut query = ch
        .query_client()
        .query_raw(sql)
        .with_setting("readonly", "2")
        .with_setting("session_timezone", "UTC")
        .with_setting("query_id", &query_id);
    for (name, value) in REQUIRED_SETTINGS
        .iter()
        .chain(DATA_QUERY_SETTINGS)
        .chain(&translation.settings)
    {
        query = query.with_setting(*name, *value);
    }
    if let Some(t) = timeout {
        // ClickHouse takes seconds with a fraction.
        query = query.with_setting("max_execution_time", format!("{:.3}", t.as_secs_f64()));
    }
    let mut cursor = query
        .fetch_bytes("RowBinaryWithNamesAndTypes")
        .map_err(|e| QueryError::from(ClickHouseError::from(e)))?;
    let mut buffered = BytesMut::new();
    loop {
        match parse_header(&buffered) {
            Ok(Some((mut header, used))) => {
                buffered.advance(used);
                if let Some(names) = &translation.columns {
                    if names.len() == header.columns.len() {
                        for (column, name) in header.columns.iter_mut().zip(names) {
                            column.name = name.clone();
                        }
                    }
                }
                return Ok(ChRows {
                    header,
                    buffered,
                    cursor,
                    query_id,
                });
            }
            Ok(None) => {}
            Err(e) => {
                return Err(QueryError::Coded {
                    code: "XX000",
                    message: format!("cannot read ClickHouse's result header: {e}"),
                    hint: None,
                })
            }
        }
        let chunk = cursor
            .next()
            .await
            .map_err(|e| QueryError::from(ClickHouseError::from(e)))?;
        match chunk {
            Some(bytes) => buffered.extend_from_slice(&bytes),
            None => {
                return Err(QueryError::Coded {
                    code: "XX000",
                    message: "ClickHouse ended the result before its header".into(),
                    hint: None,
                })
            }
        }
    }
}

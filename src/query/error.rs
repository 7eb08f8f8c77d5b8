//! `QueryError`: everything a statement can fail with, each with its SQLSTATE.

use crate::clickhouse::ClickHouseError;

/// Why a statement failed. [`QueryError::sqlstate`] is an exhaustive match: a new variant
/// must choose its code.
#[derive(Debug, Clone, thiserror::Error)]
pub enum QueryError {
    /// The SQL does not parse.
    #[error("{message}")]
    Syntax { message: String },
    /// A relation that is neither a datasource nor a pipe of the project.
    #[error("relation \"{name}\" does not exist")]
    UndefinedTable { name: String },
    /// A relation the principal may not read.
    #[error("permission denied for {kind} {name}")]
    PermissionDenied { kind: &'static str, name: String },
    /// A statement that writes.
    #[error("cannot execute {statement} in a read-only transaction")]
    ReadOnly { statement: String },
    /// Something valid in PostgreSQL that pipegate does not do (yet), named.
    #[error("{feature} is not supported")]
    Unsupported {
        feature: String,
        hint: Option<String>,
    },
    /// An error with its own SQLSTATE and wording (session statements, parameters).
    #[error("{message}")]
    Coded {
        code: &'static str,
        message: String,
        hint: Option<String>,
    },
    /// `statement_timeout` elapsed.
    #[error("canceling statement due to statement timeout")]
    Timeout,
    /// The client cancelled the statement.
    #[error("canceling statement due to user request")]
    Canceled,
    /// ClickHouse refused or failed the query.
    #[error("{0}")]
    ClickHouse(ClickHouseFailure),
}

/// A ClickHouse failure, mapped to the SQLSTATE of its class.
#[derive(Debug, Clone)]
pub struct ClickHouseFailure {
    pub code: Option<u32>,
    pub message: String,
    unavailable: bool,
}

impl std::fmt::Display for ClickHouseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ClickHouseError> for QueryError {
    fn from(e: ClickHouseError) -> Self {
        match e {
            ClickHouseError::Timeout => QueryError::Timeout,
            ClickHouseError::Server { code: 159, .. } => QueryError::Timeout,
            ClickHouseError::Server { code: 394, .. } => QueryError::Canceled,
            ClickHouseError::Server { code, message } => {
                QueryError::ClickHouse(ClickHouseFailure {
                    code: Some(code),
                    message: strip_version(&message),
                    unavailable: false,
                })
            }
            ClickHouseError::Unavailable(m) => QueryError::ClickHouse(ClickHouseFailure {
                code: None,
                message: format!("ClickHouse is unavailable: {m}"),
                unavailable: true,
            }),
            ClickHouseError::Client(m) => QueryError::ClickHouse(ClickHouseFailure {
                code: None,
                message: m,
                unavailable: false,
            }),
        }
    }
}

/// `... (UNKNOWN_TABLE) (version 26.9.2.1)` → `... (UNKNOWN_TABLE)`.
fn strip_version(message: &str) -> String {
    match message.rfind(" (version ") {
        Some(at) => message[..at].trim_end().to_string(),
        None => message.trim_end().to_string(),
    }
}

impl QueryError {
    /// The SQLSTATE sent to the client.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            QueryError::Syntax { .. } => "42601",
            QueryError::UndefinedTable { .. } => "42P01",
            QueryError::PermissionDenied { .. } => "42501",
            QueryError::ReadOnly { .. } => "25006",
            QueryError::Unsupported { .. } => "0A000",
            QueryError::Coded { code, .. } => code,
            QueryError::Timeout | QueryError::Canceled => "57014",
            QueryError::ClickHouse(f) if f.unavailable => "08006",
            QueryError::ClickHouse(f) => clickhouse_sqlstate(f.code),
        }
    }

    /// A hint for the client, where one helps.
    pub fn hint(&self) -> Option<String> {
        match self {
            QueryError::Unsupported { hint, .. } | QueryError::Coded { hint, .. } => hint.clone(),
            QueryError::UndefinedTable { .. } => Some(
                "The relations are the project's datasources (tables) and endpoint pipes (views); \\dt and \\dv list them.".into(),
            ),
            QueryError::ReadOnly { .. } => {
                Some("pipegate is read-only: ingest through the Events API on the HTTP door.".into())
            }
            _ => None,
        }
    }
}

/// ClickHouse error codes to SQLSTATE, by class.
fn clickhouse_sqlstate(code: Option<u32>) -> &'static str {
    match code {
        Some(62) => "42601",                        // SYNTAX_ERROR
        Some(47) | Some(16) => "42703",             // UNKNOWN_IDENTIFIER, NO_SUCH_COLUMN_IN_TABLE
        Some(60) | Some(81) => "42P01",             // UNKNOWN_TABLE, UNKNOWN_DATABASE
        Some(46) => "42883",                        // UNKNOWN_FUNCTION
        Some(43) | Some(53) | Some(386) => "42804", // ILLEGAL_TYPE_OF_ARGUMENT, TYPE_MISMATCH, NO_COMMON_TYPE
        Some(42) => "42883",                        // NUMBER_OF_ARGUMENTS_DOESNT_MATCH
        Some(215) | Some(184) => "42803",           // NOT_AN_AGGREGATE, ILLEGAL_AGGREGATION
        Some(6) | Some(27) | Some(38) | Some(41) | Some(72) | Some(376) => "22P02", // CANNOT_PARSE_*
        Some(69) | Some(321) => "22003", // ARGUMENT_OUT_OF_BOUND, VALUE_OUT_OF_RANGE
        Some(153) => "22012",            // ILLEGAL_DIVISION
        Some(241) | Some(173) => "53200", // MEMORY_LIMIT_EXCEEDED, CANNOT_ALLOCATE_MEMORY
        Some(158) | Some(396) => "54000", // TOO_MANY_ROWS, TOO_MANY_ROWS_OR_BYTES
        Some(164) => "25006",            // READONLY
        Some(497) => "42501",            // ACCESS_DENIED
        _ => "XX000",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clickhouse_errors_map_by_class() {
        let e = |code, m: &str| {
            QueryError::from(ClickHouseError::Server {
                code,
                message: m.into(),
            })
        };
        assert_eq!(e(62, "Syntax error").sqlstate(), "42601");
        assert_eq!(e(47, "Unknown identifier").sqlstate(), "42703");
        assert_eq!(e(60, "Unknown table").sqlstate(), "42P01");
        assert_eq!(e(241, "Memory limit").sqlstate(), "53200");
        assert_eq!(e(159, "Timeout exceeded").sqlstate(), "57014");
        assert_eq!(e(999, "Other").sqlstate(), "XX000");
        assert_eq!(
            e(60, "Unknown table x. (UNKNOWN_TABLE) (version 26.9.2.1)").to_string(),
            "Unknown table x. (UNKNOWN_TABLE)"
        );
        assert_eq!(
            QueryError::from(ClickHouseError::Unavailable("refused".into())).sqlstate(),
            "08006"
        );
    }
}

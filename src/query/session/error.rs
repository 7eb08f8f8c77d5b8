//! `SessionError`: how a session statement fails, with PostgreSQL's code and wording.

use crate::query::sqlstate;
use crate::query::QueryError;

/// An error of a session statement, with PostgreSQL's code and wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SessionError {
    pub code: &'static str,
    pub message: String,
    /// PostgreSQL's DETAIL field.
    pub detail: Option<String>,
    /// PostgreSQL's HINT field.
    pub hint: Option<String>,
}

impl SessionError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> SessionError {
        SessionError {
            code,
            message: message.into(),
            detail: None,
            hint: None,
        }
    }

    pub(crate) fn with_hint(mut self, hint: String) -> SessionError {
        self.hint = Some(hint);
        self
    }

    /// 25P02, for every statement but COMMIT/ROLLBACK in a failed block.
    pub fn in_failed_transaction() -> SessionError {
        SessionError::new(
            sqlstate::IN_FAILED_SQL_TRANSACTION,
            "current transaction is aborted, commands ignored until end of transaction block",
        )
    }

    /// 26000, DEALLOCATE of a statement the connection does not have.
    pub fn no_prepared_statement(name: &str) -> SessionError {
        SessionError::new(
            sqlstate::INVALID_SQL_STATEMENT_NAME,
            format!("prepared statement \"{name}\" does not exist"),
        )
    }

    /// 34000, CLOSE of a cursor the connection does not have.
    pub fn no_cursor(name: &str) -> SessionError {
        SessionError::new(
            sqlstate::INVALID_CURSOR_NAME,
            format!("cursor \"{name}\" does not exist"),
        )
    }
}

impl From<SessionError> for QueryError {
    /// `QueryError::Coded` has no DETAIL field yet: the detail goes out as the hint when
    /// there is no hint.
    fn from(e: SessionError) -> QueryError {
        QueryError::Coded {
            code: e.code,
            message: e.message,
            hint: e.hint.or(e.detail),
        }
    }
}

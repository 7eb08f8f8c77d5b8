//! SQLSTATE codes the Postgres door sends, by name (PostgreSQL's Appendix A), and the
//! rewriting of pgwire's own errors into PostgreSQL's exact wording.

use pgwire::error::{ErrorInfo, PgWireError};

pub const SUCCESSFUL_COMPLETION: &str = "00000";
pub const FEATURE_NOT_SUPPORTED: &str = "0A000";
pub const CONNECTION_EXCEPTION: &str = "08000";
pub const PROTOCOL_VIOLATION: &str = "08P01";
pub const INVALID_AUTHORIZATION: &str = "28000";
pub const INVALID_PASSWORD: &str = "28P01";
pub const INVALID_SQL_STATEMENT_NAME: &str = "26000";
pub const INVALID_CURSOR_NAME: &str = "34000";
pub const INVALID_CATALOG_NAME: &str = "3D000";
pub const SYNTAX_ERROR: &str = "42601";
pub const TOO_MANY_CONNECTIONS: &str = "53300";
pub const ADMIN_SHUTDOWN: &str = "57P01";
pub const QUERY_CANCELED: &str = "57014";
pub const INTERNAL_ERROR: &str = "XX000";

/// PostgreSQL's wording for pgwire's errors; everything else passes through. `user` is the
/// startup packet's user, which pgwire's SCRAM error leaves out.
pub fn polish(error: PgWireError, user: &str) -> ErrorInfo {
    match error {
        // PostgreSQL says the same for an unknown user and a wrong password, in lower case.
        PgWireError::InvalidPassword(_) => fatal(
            INVALID_PASSWORD,
            format!("password authentication failed for user \"{user}\""),
        ),
        PgWireError::InvalidScramMessage(_) | PgWireError::InvalidSASLState => {
            fatal(PROTOCOL_VIOLATION, "invalid SCRAM exchange".into())
        }
        PgWireError::UnsupportedSASLAuthMethod(m) => fatal(
            PROTOCOL_VIOLATION,
            format!("client selected an invalid SASL authentication mechanism {m:?}"),
        ),
        PgWireError::UserNameRequired => fatal(
            INVALID_AUTHORIZATION,
            "no PostgreSQL user name specified in startup packet".into(),
        ),
        PgWireError::PortalNotFound(name) => self::error(
            INVALID_CURSOR_NAME,
            format!("portal \"{}\" does not exist", unnamed_as_empty(&name)),
        ),
        PgWireError::StatementNotFound(name) => self::error(
            INVALID_SQL_STATEMENT_NAME,
            format!(
                "prepared statement \"{}\" does not exist",
                unnamed_as_empty(&name)
            ),
        ),
        PgWireError::UserError(info) => *info,
        other => other.into(),
    }
}

/// The name the client used: pgwire stores the unnamed statement and portal as
/// `DEFAULT_NAME`, which PostgreSQL calls "".
fn unnamed_as_empty(name: &str) -> &str {
    if name == pgwire::api::DEFAULT_NAME {
        ""
    } else {
        name
    }
}

/// A FATAL error, which ends the connection.
pub fn fatal(code: &str, message: String) -> ErrorInfo {
    ErrorInfo::new("FATAL".into(), code.into(), message)
}

/// An ERROR, which ends the statement.
pub fn error(code: &str, message: String) -> ErrorInfo {
    ErrorInfo::new("ERROR".into(), code.into(), message)
}

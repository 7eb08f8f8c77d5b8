//! SQLSTATE codes of the query path, by name (PostgreSQL's Appendix A). Every error the
//! session, the classifier and the constant evaluator raise takes its code from here.

/// `0A000`: valid PostgreSQL that pipegate does not do.
pub const FEATURE_NOT_SUPPORTED: &str = "0A000";
/// `22003`: a number does not fit its type.
pub const NUMERIC_VALUE_OUT_OF_RANGE: &str = "22003";
/// `22023`: a setting got a value it does not take.
pub const INVALID_PARAMETER_VALUE: &str = "22023";
/// `22P02`: text that does not read as the type it is cast to.
pub const INVALID_TEXT_REPRESENTATION: &str = "22P02";
/// `25001`: BEGIN inside a block, DISCARD ALL inside a block.
pub const ACTIVE_SQL_TRANSACTION: &str = "25001";
/// `25006`: a write in a read-only transaction.
pub const READ_ONLY_SQL_TRANSACTION: &str = "25006";
/// `25P01`: COMMIT, SET LOCAL, SAVEPOINT... outside a transaction block.
pub const NO_ACTIVE_SQL_TRANSACTION: &str = "25P01";
/// `25P02`: a statement in a failed transaction block.
pub const IN_FAILED_SQL_TRANSACTION: &str = "25P02";
/// `26000`: DEALLOCATE of a prepared statement that does not exist.
pub const INVALID_SQL_STATEMENT_NAME: &str = "26000";
/// `34000`: CLOSE of a cursor that does not exist.
pub const INVALID_CURSOR_NAME: &str = "34000";
/// `3B001`: ROLLBACK TO / RELEASE of an unknown savepoint.
pub const INVALID_SAVEPOINT_SPECIFICATION: &str = "3B001";
/// `42501`: a setting only a superuser may change.
pub const INSUFFICIENT_PRIVILEGE: &str = "42501";
/// `42601`: SQL that does not parse.
pub const SYNTAX_ERROR: &str = "42601";
/// `42602`: a custom setting name that is not `a.b`.
pub const INVALID_NAME: &str = "42602";
/// `42704`: an unknown setting.
pub const UNDEFINED_OBJECT: &str = "42704";
/// `42846`: a cast PostgreSQL does not have.
pub const CANNOT_COERCE: &str = "42846";
/// `55P02`: a setting fixed at build time or server start.
pub const CANT_CHANGE_RUNTIME_PARAM: &str = "55P02";

//! The statements a session answers by itself, as the classifier reads them, and what
//! executing one gives back.

/// A statement answered from session state alone (SET, SHOW, BEGIN, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionCommand {
    /// `SET [SESSION|LOCAL] name {TO|=} value`, and the spellings that stand for one
    /// setting: `SET TIME ZONE`, `SET NAMES`, `SET SCHEMA`, `SET ROLE`,
    /// `SET SESSION AUTHORIZATION`.
    Set {
        name: String,
        value: SetValue,
        scope: SetScope,
    },
    /// `SET TRANSACTION modes` (this transaction), or with `session`,
    /// `SET SESSION CHARACTERISTICS AS TRANSACTION modes` (the defaults).
    SetTransaction {
        modes: Vec<TransactionMode>,
        session: bool,
    },
    /// `RESET name` (also `RESET TIME ZONE`, `RESET SESSION AUTHORIZATION`, ...).
    Reset { name: String },
    /// `RESET ALL`.
    ResetAll,
    /// `SHOW name` (also `SHOW TIME ZONE`, `SHOW TRANSACTION ISOLATION LEVEL`, ...).
    Show { name: String },
    /// `SHOW ALL`.
    ShowAll,
    /// `BEGIN [WORK|TRANSACTION] [modes]` or `START TRANSACTION [modes]`.
    Begin {
        modes: Vec<TransactionMode>,
        start: bool,
    },
    /// `COMMIT`/`END` `[AND [NO] CHAIN]`.
    Commit { chain: bool },
    /// `ROLLBACK`/`ABORT` `[AND [NO] CHAIN]`.
    Rollback { chain: bool },
    /// `SAVEPOINT name`.
    Savepoint { name: String },
    /// `RELEASE [SAVEPOINT] name`.
    Release { name: String },
    /// `ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name`.
    RollbackTo { name: String },
    /// `DISCARD ALL|PLANS|SEQUENCES|TEMP`.
    Discard(DiscardTarget),
    /// `DEALLOCATE [PREPARE] name`; `None` is `ALL`.
    Deallocate { name: Option<String> },
    /// `CLOSE name`; `None` is `ALL`.
    Close { name: Option<String> },
    /// `LISTEN channel`: accepted; pipegate never sends notifications.
    Listen { channel: String },
    /// `UNLISTEN channel`; `None` is `*`.
    Unlisten { channel: Option<String> },
    /// `NOTIFY channel [, payload]`: refused (0A000).
    Notify { channel: String },
}

impl SessionCommand {
    /// Whether PostgreSQL runs this statement in a failed transaction block (the
    /// statements that end it: COMMIT, ROLLBACK, ROLLBACK TO).
    pub fn ends_failed_block(&self) -> bool {
        matches!(
            self,
            SessionCommand::Commit { .. }
                | SessionCommand::Rollback { .. }
                | SessionCommand::RollbackTo { .. }
        )
    }
}

/// The right-hand side of SET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetValue {
    /// `DEFAULT` (or `LOCAL` in `SET TIME ZONE LOCAL`): the value RESET would give.
    Default,
    /// One or more values, in order.
    Values(Vec<SetArg>),
}

/// One value of SET, as PostgreSQL's grammar tells them apart: list settings quote
/// strings and identifiers as identifiers but not numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetArg {
    /// A string literal or an identifier (case-folded unless quoted).
    Text(String),
    /// A number, with its sign, as written.
    Number(String),
}

/// Whether a SET lasts for the session or to the end of the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetScope {
    /// `SET` / `SET SESSION`: undone only by ROLLBACK of the transaction that made it.
    Session,
    /// `SET LOCAL`: undone at the end of the transaction.
    Local,
}

/// One transaction mode of BEGIN or SET TRANSACTION.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransactionMode {
    /// `ISOLATION LEVEL x`, lower case (`read committed`).
    Isolation(String),
    /// `READ ONLY` (true) or `READ WRITE` (false).
    ReadOnly(bool),
    /// `DEFERRABLE` (true) or `NOT DEFERRABLE` (false).
    Deferrable(bool),
}

/// What DISCARD throws away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscardTarget {
    All,
    Plans,
    Sequences,
    Temp,
}

/// What executing a session command gives the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub reply: SessionReply,
    /// Warnings to send before the reply (NoticeResponse).
    pub notices: Vec<Notice>,
}

/// The reply proper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionReply {
    /// CommandComplete with this tag (`SET`, `BEGIN`, `ROLLBACK`, ...).
    Command(String),
    /// Rows of `text` columns (SHOW), then CommandComplete `SHOW`.
    Rows {
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A NoticeResponse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// `WARNING` or `NOTICE`.
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl Notice {
    pub(super) fn warning(code: &'static str, message: impl Into<String>) -> Notice {
        Notice {
            severity: "WARNING",
            code,
            message: message.into(),
        }
    }
}

impl Outcome {
    pub(super) fn tag(tag: &str) -> Outcome {
        Outcome {
            reply: SessionReply::Command(tag.to_string()),
            notices: Vec::new(),
        }
    }

    pub(super) fn warn(mut self, notice: Notice) -> Outcome {
        self.notices.push(notice);
        self
    }
}

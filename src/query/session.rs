//! `Session`: the settings (GUCs) and transaction state of one Postgres connection, with
//! PostgreSQL 16's semantics, so that SET, SHOW, RESET, BEGIN/COMMIT/ROLLBACK, savepoints
//! and DISCARD answer exactly as PostgreSQL does.
//!
//! - Known settings carry PostgreSQL 16's defaults, contexts (read-only, superuser-only,
//!   ...) and messages; names with a dot are custom settings (`pipegate.param.user_id`).
//! - SET inside a transaction is undone by ROLLBACK; SET LOCAL lasts to the end of the
//!   transaction; ROLLBACK TO restores the settings of its savepoint.
//! - The transaction state is the ReadyForQuery byte: idle, in a block, or failed.
//! - pipegate is read-only: transactions are read-only whatever BEGIN asks for, so writes
//!   fail with 25006 when they are classified.

mod command;
mod error;
mod execute;
mod guc;
mod special;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::time::Duration;

use pgwire::messages::response::TransactionStatus;

pub use command::{
    DiscardTarget, Notice, Outcome, SessionCommand, SessionReply, SetArg, SetScope, SetValue,
    TransactionMode,
};
pub use error::SessionError;
pub use guc::{parse_boolean, quote_identifier};

use crate::query::sqlstate;
use guc::{Context, Def, Kind, Unit};

type Values = BTreeMap<String, String>;

/// An open transaction.
#[derive(Debug, Clone)]
struct Txn {
    /// Implicit: the transaction around a multi-statement simple query; not a block for
    /// the client (ReadyForQuery says idle), but SET LOCAL works in it.
    implicit: bool,
    /// An error happened: only COMMIT/ROLLBACK/ROLLBACK TO run until the block ends.
    failed: bool,
    /// The settings when the transaction began: what ROLLBACK restores.
    start: Values,
    /// Session-level SETs made in the transaction: what COMMIT keeps.
    pending: Values,
    savepoints: Vec<Savepoint>,
}

/// A savepoint: the settings to restore on ROLLBACK TO.
#[derive(Debug, Clone)]
struct Savepoint {
    name: String,
    values: Values,
    pending: Values,
}

/// The settings and transaction state of one connection.
#[derive(Debug, Clone)]
pub struct Session {
    /// The role that logged in: `session_authorization`, and the only role SET ROLE takes.
    user: String,
    /// Current values by lower-case name, in SHOW's form. Custom settings included.
    values: Values,
    /// What RESET goes back to: the defaults, overridden by the startup packet.
    reset_values: Values,
    /// Custom settings ever defined, by lower-case name, with their first spelling. Like
    /// PostgreSQL's placeholders they survive ROLLBACK (reading as an empty string).
    customs: BTreeMap<String, String>,
    txn: Option<Txn>,
    /// The values last sent as ParameterStatus, by canonical name.
    reported: BTreeMap<&'static str, String>,
}

impl Session {
    /// A fresh session for `user`; `ssl` tells whether the connection is encrypted.
    pub fn new(user: &str, ssl: bool) -> Session {
        let mut values = Values::new();
        for def in guc::DEFS {
            values.insert(def.name.to_ascii_lowercase(), def.default.to_string());
        }
        values.insert("session_authorization".into(), user.to_string());
        values.insert("ssl".into(), if ssl { "on" } else { "off" }.into());
        Session {
            user: user.to_string(),
            reset_values: values.clone(),
            values,
            customs: BTreeMap::new(),
            txn: None,
            reported: BTreeMap::new(),
        }
    }

    /// Applies one startup-packet parameter (`application_name`, `DateStyle`, `options`
    /// with `-c name=value` pairs, ...) as the setting's value *and* its RESET value.
    /// `user`, `database` and `replication` are the caller's. An error is FATAL.
    pub fn apply_startup(&mut self, name: &str, value: &str) -> Result<(), SessionError> {
        if name == "options" {
            let mut words = value.split_whitespace();
            while let Some(word) = words.next() {
                let pair = match word {
                    "-c" => words.next().unwrap_or(""),
                    w => w
                        .strip_prefix("--")
                        .or_else(|| w.strip_prefix("-c"))
                        .unwrap_or(""),
                };
                let Some((n, v)) = pair.split_once('=') else {
                    return Err(SessionError::new(
                        sqlstate::SYNTAX_ERROR,
                        format!("invalid command-line argument for server process: {word}"),
                    ));
                };
                self.apply_startup(&n.replace('-', "_"), v)?;
            }
            return Ok(());
        }
        self.set(name, value, SetScope::Session)?;
        let key = name.to_ascii_lowercase();
        if let Some(v) = self.values.get(&key) {
            self.reset_values.insert(key, v.clone());
        }
        Ok(())
    }

    /// The ReadyForQuery status: idle, in a transaction block, or in a failed one.
    pub fn transaction_status(&self) -> TransactionStatus {
        match &self.txn {
            Some(t) if t.failed => TransactionStatus::Error,
            Some(t) if !t.implicit => TransactionStatus::Transaction,
            _ => TransactionStatus::Idle,
        }
    }

    /// Whether an explicit transaction block is open (failed or not).
    pub fn in_block(&self) -> bool {
        self.txn.as_ref().is_some_and(|t| !t.implicit)
    }

    /// The per-statement gate: in a failed block only COMMIT, ROLLBACK and ROLLBACK TO run;
    /// everything else (pass `None` for queries) is 25P02.
    pub fn admits(&self, command: Option<&SessionCommand>) -> Result<(), SessionError> {
        let failed = self.txn.as_ref().is_some_and(|t| t.failed);
        if failed && !command.is_some_and(SessionCommand::ends_failed_block) {
            return Err(SessionError::in_failed_transaction());
        }
        Ok(())
    }

    /// To call when a statement failed: an explicit block becomes failed; an implicit
    /// transaction is rolled back.
    pub fn fail(&mut self) {
        match &mut self.txn {
            Some(t) if t.implicit => self.end_transaction(false),
            Some(t) => t.failed = true,
            None => {}
        }
    }

    /// Opens the implicit transaction of a multi-statement simple query (PostgreSQL runs
    /// such a query as one transaction unless it has its own BEGIN/COMMIT).
    pub fn begin_implicit(&mut self) {
        if self.txn.is_none() {
            self.open_txn(true);
        }
    }

    /// Closes the implicit transaction after the last statement: committed if `ok`.
    pub fn end_implicit(&mut self, ok: bool) {
        if self.txn.as_ref().is_some_and(|t| t.implicit) {
            self.end_transaction(ok);
        }
    }

    /// Opens a transaction: its characteristics start from the session's defaults.
    fn open_txn(&mut self, implicit: bool) {
        let start = self.values.clone();
        self.txn = Some(Txn {
            implicit,
            failed: false,
            start,
            pending: Values::new(),
            savepoints: Vec::new(),
        });
        for (key, default) in [
            ("transaction_isolation", "default_transaction_isolation"),
            ("transaction_deferrable", "default_transaction_deferrable"),
        ] {
            let v = self.values.get(default).cloned().unwrap_or_default();
            self.values.insert(key.into(), v);
        }
    }

    /// Ends the open transaction: COMMIT keeps its session-level SETs, ROLLBACK none.
    fn end_transaction(&mut self, commit: bool) {
        if let Some(txn) = self.txn.take() {
            self.values = txn.start;
            if commit {
                self.values.extend(txn.pending);
            }
        }
    }

    /// Sets `name` to the raw text `value`, as `set_config(name, value, is_local)` does.
    pub fn set(
        &mut self,
        name: &str,
        value: &str,
        scope: SetScope,
    ) -> Result<Vec<Notice>, SessionError> {
        let (key, def) = self.resolve_for_set(name)?;
        let shown = match def {
            Some(def) => self.normalize(def, value)?,
            None => value.to_string(),
        };
        Ok(self.assign(key, name, shown, scope))
    }

    /// SET with the parsed right-hand side: values are joined as PostgreSQL's
    /// `flatten_set_variable_args` does (list settings quote strings as identifiers).
    pub fn set_value(
        &mut self,
        name: &str,
        value: &SetValue,
        scope: SetScope,
    ) -> Result<Vec<Notice>, SessionError> {
        let args = match value {
            SetValue::Default => {
                let (key, _) = self.resolve_for_set(name)?;
                let v = self.reset_value(&key);
                return Ok(self.assign(key, name, v, scope));
            }
            SetValue::Values(args) => args,
        };
        let def = guc::lookup(name);
        let flags = def.map_or(guc::LIST_INPUT, |d| d.flags);
        if args.len() > 1 && flags & guc::LIST_INPUT == 0 {
            return Err(SessionError::new(
                sqlstate::INVALID_PARAMETER_VALUE,
                format!("SET {} takes only one argument", name.to_ascii_lowercase()),
            ));
        }
        let flat: Vec<String> = args
            .iter()
            .map(|a| match a {
                SetArg::Text(t) if flags & guc::LIST_QUOTE != 0 => quote_identifier(t),
                SetArg::Text(t) | SetArg::Number(t) => t.clone(),
            })
            .collect();
        self.set(name, &flat.join(", "), scope)
    }

    /// RESET `name`: back to its default or startup value, transactionally.
    pub fn reset(&mut self, name: &str) -> Result<Vec<Notice>, SessionError> {
        self.set_value(name, &SetValue::Default, SetScope::Session)
    }

    /// RESET ALL: every user-settable setting back to its default or startup value.
    pub fn reset_all(&mut self) {
        let keys: Vec<(String, String)> = guc::DEFS
            .iter()
            .filter(|d| {
                matches!(d.context, Context::User | Context::Superuser)
                    && d.flags & guc::NO_RESET_ALL == 0
            })
            .map(|d| (d.name.to_ascii_lowercase(), d.name.to_string()))
            .chain(self.customs.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect();
        for (key, name) in keys {
            let v = self.reset_value(&key);
            self.assign(key, &name, v, SetScope::Session);
        }
    }

    fn reset_value(&self, key: &str) -> String {
        self.reset_values.get(key).cloned().unwrap_or_default()
    }

    /// Checks that `name` may be set; gives its key and definition (None for custom).
    fn resolve_for_set(&self, name: &str) -> Result<(String, Option<&'static Def>), SessionError> {
        let key = name.to_ascii_lowercase();
        let Some(def) = guc::lookup(name) else {
            guc::check_custom_name(name)?;
            return Ok((key, None));
        };
        let refuse = |code, message: String| Err(SessionError::new(code, message));
        match def.context {
            Context::Internal => refuse(
                sqlstate::CANT_CHANGE_RUNTIME_PARAM,
                format!("parameter \"{}\" cannot be changed", def.name),
            ),
            Context::Postmaster => refuse(
                sqlstate::CANT_CHANGE_RUNTIME_PARAM,
                format!(
                    "parameter \"{}\" cannot be changed without restarting the server",
                    def.name
                ),
            ),
            Context::Sighup => refuse(
                sqlstate::CANT_CHANGE_RUNTIME_PARAM,
                format!("parameter \"{}\" cannot be changed now", def.name),
            ),
            Context::Superuser => refuse(
                sqlstate::INSUFFICIENT_PRIVILEGE,
                format!("permission denied to set parameter \"{}\"", def.name),
            ),
            Context::User => Ok((key, Some(def))),
        }
    }

    /// Reads `value` for `def`, giving SHOW's text.
    fn normalize(&self, def: &Def, value: &str) -> Result<String, SessionError> {
        if !matches!(def.kind, Kind::Special) {
            return guc::normalize(def, value);
        }
        let name = def.name;
        let boolean = || {
            guc::normalize(
                &guc::Def {
                    kind: Kind::Bool,
                    ..*def
                },
                value,
            )
        };
        match name {
            "application_name" => Ok(special::application_name(value)),
            "bytea_output" => {
                match guc::normalize_enum(name, value, &["escape", "hex"])?.as_str() {
                    "hex" => Ok("hex".into()),
                    _ => Err(special::unsupported(
                        name,
                        value,
                        "pipegate sends bytea in hex format only.",
                    )),
                }
            }
            "client_encoding" => special::client_encoding(value),
            "DateStyle" => special::date_style(value, &self.values["datestyle"]),
            "default_transaction_read_only" => boolean(),
            "IntervalStyle" => {
                match guc::normalize_enum(
                    name,
                    value,
                    &["postgres", "postgres_verbose", "sql_standard", "iso_8601"],
                )?
                .as_str()
                {
                    "postgres" => Ok("postgres".into()),
                    _ => Err(special::unsupported(
                        name,
                        value,
                        "pipegate prints intervals in postgres style only.",
                    )),
                }
            }
            "lc_messages" | "lc_monetary" | "lc_numeric" | "lc_time" => {
                special::locale(name, value)
            }
            "role" if value.eq_ignore_ascii_case("none") => Ok("none".into()),
            "role" if value == self.user => Ok(value.to_string()),
            "role" => Err(SessionError::new(
                sqlstate::INSUFFICIENT_PRIVILEGE,
                format!("permission denied to set role \"{value}\""),
            )),
            "session_authorization" if value == self.user => Ok(value.to_string()),
            "session_authorization" => Err(SessionError::new(
                sqlstate::INSUFFICIENT_PRIVILEGE,
                "permission denied to set session authorization",
            )),
            "standard_conforming_strings" => match boolean()?.as_str() {
                "on" => Ok("on".into()),
                _ => Err(special::unsupported(
                    name,
                    value,
                    "pipegate reads string literals with standard_conforming_strings on only.",
                )),
            },
            "synchronous_commit" => {
                let v = match guc::parse_bool(value) {
                    Some(b) if !value.eq_ignore_ascii_case("local") => {
                        if b { "on" } else { "off" }.to_string()
                    }
                    _ => value.to_string(),
                };
                guc::normalize_enum(
                    name,
                    &v,
                    &["local", "remote_write", "remote_apply", "on", "off"],
                )
            }
            "TimeZone" => special::time_zone(value).map(|z| z.shown),
            "transaction_read_only" => match boolean()?.as_str() {
                "on" => Ok("on".into()),
                _ => Err(SessionError::new(
                    sqlstate::READ_ONLY_SQL_TRANSACTION,
                    "cannot set transaction read-write mode inside a read-only transaction",
                )),
            },
            _ => Ok(value.to_string()),
        }
    }

    /// Stores an already-checked value with SET's transactional rules.
    fn assign(&mut self, key: String, name: &str, shown: String, scope: SetScope) -> Vec<Notice> {
        if guc::lookup(&key).is_none() {
            self.customs
                .entry(key.clone())
                .or_insert_with(|| name.to_string());
        }
        let transaction_only = key.starts_with("transaction_");
        match (&mut self.txn, scope) {
            (None, SetScope::Local) => {
                return vec![Notice::warning(
                    sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                    "SET LOCAL can only be used in transaction blocks",
                )]
            }
            (None, SetScope::Session) if transaction_only => {}
            (None, SetScope::Session) => {
                self.values.insert(key, shown);
            }
            (Some(txn), scope) => {
                if scope == SetScope::Session && !transaction_only {
                    txn.pending.insert(key.clone(), shown.clone());
                }
                self.values.insert(key, shown);
            }
        }
        Vec::new()
    }

    /// SHOW `name`: the value as PostgreSQL prints it.
    pub fn show(&self, name: &str) -> Result<String, SessionError> {
        self.get(name).ok_or_else(|| {
            SessionError::new(
                sqlstate::UNDEFINED_OBJECT,
                format!("unrecognized configuration parameter \"{name}\""),
            )
        })
    }

    /// `current_setting(name, true)`: the value, or None for an unknown setting.
    pub fn get(&self, name: &str) -> Option<String> {
        let key = name.to_ascii_lowercase();
        if let Some(default_key) = match key.as_str() {
            "transaction_isolation" => Some("default_transaction_isolation"),
            "transaction_deferrable" => Some("default_transaction_deferrable"),
            _ => None,
        } {
            let source = if self.txn.is_some() {
                &key
            } else {
                default_key
            };
            return self
                .values
                .get(source)
                .or_else(|| self.values.get(default_key))
                .cloned();
        }
        if guc::lookup(&key).is_some() {
            return self.values.get(&key).cloned();
        }
        self.customs
            .contains_key(&key)
            .then(|| self.values.get(&key).cloned().unwrap_or_default())
    }

    /// SHOW's column name for `name`: the canonical spelling (`SHOW datestyle` → `DateStyle`).
    pub fn canonical_name(&self, name: &str) -> Option<String> {
        let key = name.to_ascii_lowercase();
        guc::lookup(&key)
            .map(|d| d.name.to_string())
            .or_else(|| self.customs.get(&key).cloned())
    }

    /// SHOW ALL's rows: name, setting, description; sorted by name, without the settings
    /// PostgreSQL hides from it (custom ones among them).
    pub fn show_all(&self) -> Vec<(String, String, String)> {
        guc::DEFS
            .iter()
            .filter(|d| d.flags & guc::NO_SHOW_ALL == 0)
            .map(|d| {
                (
                    d.name.to_string(),
                    self.get(d.name).unwrap_or_default(),
                    d.desc.to_string(),
                )
            })
            .collect()
    }

    /// ParameterStatus messages owed: the reported settings (GUC_REPORT) whose value
    /// differs from the one last returned here. The first call gives them all (for the
    /// end of the startup).
    pub fn parameter_status_changes(&mut self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for def in guc::DEFS.iter().filter(|d| d.flags & guc::REPORT != 0) {
            let value = self.get(def.name).unwrap_or_default();
            if self.reported.get(def.name) != Some(&value) {
                self.reported.insert(def.name, value.clone());
                out.push((def.name.to_string(), value));
            }
        }
        out
    }

    /// `statement_timeout`, or None when disabled (0).
    pub fn statement_timeout(&self) -> Option<Duration> {
        let ms = guc::parse_int(
            "statement_timeout",
            &self.values["statement_timeout"],
            Unit::Ms,
        )
        .unwrap_or(0);
        (ms > 0).then(|| Duration::from_millis(ms as u64))
    }

    /// `TimeZone` as SHOW prints it (`UTC`, `Europe/Paris`, `<+05>-05`).
    pub fn time_zone(&self) -> &str {
        &self.values["timezone"]
    }

    /// The time zone's fixed offset east of UTC in seconds, when it is a fixed offset
    /// (`UTC`, `+02:00`, `SET TIME ZONE 5`); None for named zones with rules.
    pub fn time_zone_offset_seconds(&self) -> Option<i32> {
        special::time_zone(self.time_zone())
            .ok()
            .and_then(|z| z.offset_east_seconds)
    }

    /// The rules of a named time zone (`Europe/Paris`); None for UTC and fixed offsets.
    pub fn time_zone_rules(&self) -> Option<chrono_tz::Tz> {
        special::time_zone(self.time_zone()).ok().and_then(|z| {
            if z.offset_east_seconds.is_some() {
                None
            } else {
                z.rules
            }
        })
    }

    /// `application_name`.
    pub fn application_name(&self) -> &str {
        &self.values["application_name"]
    }

    /// `extra_float_digits`, for printing float4/float8.
    pub fn extra_float_digits(&self) -> i32 {
        self.values["extra_float_digits"].parse().unwrap_or(1)
    }

    /// `client_min_messages`: the least severe notice the client wants.
    pub fn client_min_messages(&self) -> &str {
        &self.values["client_min_messages"]
    }

    /// `pipegate.cache`: whether data queries may be answered from the result cache.
    pub fn cache_enabled(&self) -> bool {
        self.values["pipegate.cache"] == "on"
    }

    /// The `pipegate.param.<name>` settings with a value: pipe parameter defaults for the
    /// session, by parameter name as first spelled.
    pub fn params(&self) -> Vec<(String, String)> {
        self.customs
            .iter()
            .filter_map(|(key, spelling)| {
                let param = spelling
                    .get("pipegate.param.".len()..)
                    .filter(|_| key.starts_with("pipegate.param."))?;
                let value = self.values.get(key).filter(|v| !v.is_empty())?;
                Some((param.to_string(), value.clone()))
            })
            .collect()
    }
}

//! Executing a [`SessionCommand`]: SET/SHOW/RESET on the settings, and the transaction
//! block commands with PostgreSQL's warnings, errors and command tags.

use super::{
    DiscardTarget, Notice, Outcome, Savepoint, Session, SessionCommand, SessionError, SessionReply,
    SetScope, TransactionMode,
};
use crate::query::sqlstate;

impl Session {
    /// Runs one session command. Errors leave the session as it was; the caller then
    /// calls [`Session::fail`], as for any failed statement.
    ///
    /// `DEALLOCATE name` and `CLOSE name` name objects the connection holds: the caller
    /// answers them when it knows the name; here they fail with 26000/34000.
    pub fn execute(&mut self, command: &SessionCommand) -> Result<Outcome, SessionError> {
        self.admits(Some(command))?;
        match command {
            SessionCommand::Set { name, value, scope } => {
                let notices = self.set_value(name, value, *scope)?;
                Ok(Outcome {
                    reply: SessionReply::Command("SET".into()),
                    notices,
                })
            }
            SessionCommand::SetTransaction { modes, session } => {
                self.set_transaction(modes, *session)
            }
            SessionCommand::Reset { name } => {
                self.reset(name)?;
                Ok(Outcome::tag("RESET"))
            }
            SessionCommand::ResetAll => {
                self.reset_all();
                Ok(Outcome::tag("RESET"))
            }
            SessionCommand::Show { name } => {
                let value = self.show(name)?;
                let column = self.canonical_name(name).unwrap_or_else(|| name.clone());
                Ok(rows(vec![column], vec![vec![value]]))
            }
            SessionCommand::ShowAll => {
                let all = self
                    .show_all()
                    .into_iter()
                    .map(|(n, s, d)| vec![n, s, d])
                    .collect();
                Ok(rows(
                    vec!["name".into(), "setting".into(), "description".into()],
                    all,
                ))
            }
            SessionCommand::Begin { modes, start } => self.begin(modes, *start),
            SessionCommand::Commit { chain } => self.commit(*chain),
            SessionCommand::Rollback { chain } => self.rollback(*chain),
            SessionCommand::Savepoint { name } => self.savepoint(name),
            SessionCommand::Release { name } => self.release(name),
            SessionCommand::RollbackTo { name } => self.rollback_to(name),
            SessionCommand::Discard(target) => self.discard(*target),
            SessionCommand::Deallocate { name: None } => Ok(Outcome::tag("DEALLOCATE ALL")),
            SessionCommand::Deallocate { name: Some(name) } => {
                Err(SessionError::no_prepared_statement(name))
            }
            SessionCommand::Close { name: None } => Ok(Outcome::tag("CLOSE CURSOR ALL")),
            SessionCommand::Close { name: Some(name) } => Err(SessionError::no_cursor(name)),
            SessionCommand::Listen { .. } => Ok(Outcome::tag("LISTEN")),
            SessionCommand::Unlisten { .. } => Ok(Outcome::tag("UNLISTEN")),
            SessionCommand::Notify { .. } => Err(SessionError::new(
                sqlstate::FEATURE_NOT_SUPPORTED,
                "NOTIFY is not supported",
            )),
        }
    }

    /// Applies transaction modes to this transaction (`transaction_*`) or, for SESSION
    /// CHARACTERISTICS, to the defaults (`default_transaction_*`). READ WRITE is accepted
    /// and changes nothing: every pipegate transaction is read-only.
    fn apply_modes(&mut self, modes: &[TransactionMode], prefix: &str) -> Result<(), SessionError> {
        for mode in modes {
            match mode {
                TransactionMode::Isolation(level) => {
                    self.set(
                        &format!("{prefix}transaction_isolation"),
                        level,
                        SetScope::Session,
                    )?;
                }
                TransactionMode::Deferrable(d) => {
                    self.set(
                        &format!("{prefix}transaction_deferrable"),
                        if *d { "on" } else { "off" },
                        SetScope::Session,
                    )?;
                }
                TransactionMode::ReadOnly(true) => {
                    self.set(
                        &format!("{prefix}transaction_read_only"),
                        "on",
                        SetScope::Session,
                    )?;
                }
                TransactionMode::ReadOnly(false) => {}
            }
        }
        Ok(())
    }

    fn set_transaction(
        &mut self,
        modes: &[TransactionMode],
        session: bool,
    ) -> Result<Outcome, SessionError> {
        if session {
            self.apply_modes(modes, "default_")?;
            return Ok(Outcome::tag("SET"));
        }
        if self.txn.is_none() {
            return Ok(Outcome::tag("SET").warn(Notice::warning(
                sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                "SET TRANSACTION can only be used in transaction blocks",
            )));
        }
        self.apply_modes(modes, "")?;
        Ok(Outcome::tag("SET"))
    }

    fn begin(&mut self, modes: &[TransactionMode], start: bool) -> Result<Outcome, SessionError> {
        let tag = if start { "START TRANSACTION" } else { "BEGIN" };
        let mut outcome = Outcome::tag(tag);
        match &mut self.txn {
            Some(t) if t.implicit => t.implicit = false,
            Some(_) => {
                outcome = outcome.warn(Notice::warning(
                    sqlstate::ACTIVE_SQL_TRANSACTION,
                    "there is already a transaction in progress",
                ))
            }
            None => self.open_txn(false),
        }
        // A bad mode (it cannot be, from the grammar) must not leave a half-open block.
        if let Err(e) = self.apply_modes(modes, "") {
            self.end_transaction(false);
            return Err(e);
        }
        Ok(outcome)
    }

    /// The transaction characteristics AND CHAIN carries into the next transaction.
    fn chained_modes(&self) -> Vec<TransactionMode> {
        let isolation = self.get("transaction_isolation").unwrap_or_default();
        let deferrable = self
            .get("transaction_deferrable")
            .is_some_and(|v| v == "on");
        vec![
            TransactionMode::Isolation(isolation),
            TransactionMode::Deferrable(deferrable),
        ]
    }

    fn commit(&mut self, chain: bool) -> Result<Outcome, SessionError> {
        self.finish(true, chain)
    }

    fn rollback(&mut self, chain: bool) -> Result<Outcome, SessionError> {
        self.finish(false, chain)
    }

    /// COMMIT or ROLLBACK, with or without AND CHAIN. COMMIT of a failed block rolls back
    /// and answers ROLLBACK, as PostgreSQL does.
    fn finish(&mut self, commit: bool, chain: bool) -> Result<Outcome, SessionError> {
        let verb = if commit { "COMMIT" } else { "ROLLBACK" };
        let (open, implicit, failed) = match &self.txn {
            Some(t) => (true, t.implicit, t.failed),
            None => (false, false, false),
        };
        if !open || implicit {
            if chain {
                return Err(SessionError::new(
                    sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                    format!("{verb} AND CHAIN can only be used in transaction blocks"),
                ));
            }
            self.end_transaction(commit);
            return Ok(Outcome::tag(verb).warn(Notice::warning(
                sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                "there is no transaction in progress",
            )));
        }
        let modes = self.chained_modes();
        let committed = commit && !failed;
        self.end_transaction(committed);
        if chain {
            self.begin(&modes, false)?;
        }
        Ok(Outcome::tag(if committed { "COMMIT" } else { "ROLLBACK" }))
    }

    /// The open explicit block, or 25P01 naming `what`.
    fn block(&mut self, what: &str) -> Result<&mut super::Txn, SessionError> {
        match &mut self.txn {
            Some(t) if !t.implicit => Ok(t),
            _ => Err(SessionError::new(
                sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                format!("{what} can only be used in transaction blocks"),
            )),
        }
    }

    fn savepoint(&mut self, name: &str) -> Result<Outcome, SessionError> {
        let values = self.values.clone();
        let txn = self.block("SAVEPOINT")?;
        let pending = txn.pending.clone();
        txn.savepoints.push(Savepoint {
            name: name.to_string(),
            values,
            pending,
        });
        Ok(Outcome::tag("SAVEPOINT"))
    }

    fn release(&mut self, name: &str) -> Result<Outcome, SessionError> {
        let txn = self.block("RELEASE SAVEPOINT")?;
        let at = find_savepoint(&txn.savepoints, name)?;
        txn.savepoints.truncate(at);
        Ok(Outcome::tag("RELEASE"))
    }

    fn rollback_to(&mut self, name: &str) -> Result<Outcome, SessionError> {
        let txn = self.block("ROLLBACK TO SAVEPOINT")?;
        let at = find_savepoint(&txn.savepoints, name)?;
        txn.savepoints.truncate(at + 1);
        let sp = &txn.savepoints[at];
        txn.pending = sp.pending.clone();
        txn.failed = false;
        self.values = sp.values.clone();
        Ok(Outcome::tag("ROLLBACK"))
    }

    fn discard(&mut self, target: DiscardTarget) -> Result<Outcome, SessionError> {
        let tag = match target {
            DiscardTarget::All => {
                if self.txn.is_some() {
                    return Err(SessionError::new(
                        sqlstate::ACTIVE_SQL_TRANSACTION,
                        "DISCARD ALL cannot run inside a transaction block",
                    ));
                }
                for key in ["session_authorization", "role"] {
                    let v = self.reset_value(key);
                    self.values.insert(key.into(), v);
                }
                self.reset_all();
                "DISCARD ALL"
            }
            DiscardTarget::Plans => "DISCARD PLANS",
            DiscardTarget::Sequences => "DISCARD SEQUENCES",
            DiscardTarget::Temp => "DISCARD TEMP",
        };
        Ok(Outcome::tag(tag))
    }
}

fn find_savepoint(savepoints: &[Savepoint], name: &str) -> Result<usize, SessionError> {
    savepoints
        .iter()
        .rposition(|s| s.name == name)
        .ok_or_else(|| {
            SessionError::new(
                sqlstate::INVALID_SAVEPOINT_SPECIFICATION,
                format!("savepoint \"{name}\" does not exist"),
            )
        })
}

fn rows(columns: Vec<String>, rows: Vec<Vec<String>>) -> Outcome {
    Outcome {
        reply: SessionReply::Rows { columns, rows },
        notices: Vec::new(),
    }
}

//! Session semantics, checked against PostgreSQL 16's behaviour and exact messages.

mod settings;
mod transactions;

use super::*;
use crate::query::QueryError;

fn session() -> Session {
    Session::new("alice", false)
}

/// Runs a session command given as SQL.
fn run(s: &mut Session, sql: &str) -> Result<Outcome, SessionError> {
    let classified = crate::query::classify::classify(sql).expect("parses");
    let crate::query::classify::Kind::Session(cmd) = &classified[0].kind else {
        panic!("{sql} is not a session command")
    };
    let result = s.execute(cmd);
    if result.is_err() {
        s.fail();
    }
    result
}

fn ok(s: &mut Session, sql: &str) -> Outcome {
    run(s, sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn tag(s: &mut Session, sql: &str) -> String {
    match ok(s, sql).reply {
        SessionReply::Command(t) => t,
        other => panic!("{sql}: {other:?}"),
    }
}

fn err(s: &mut Session, sql: &str) -> SessionError {
    run(s, sql).expect_err(sql)
}

fn show(s: &Session, name: &str) -> String {
    s.show(name).unwrap_or_else(|e| panic!("SHOW {name}: {e}"))
}

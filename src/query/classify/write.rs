//! Writes and DDL, named as PostgreSQL names them in "cannot execute X in a read-only
//! transaction" (its `CreateCommandName`: `INSERT`, `CREATE TABLE`, `DROP VIEW`,
//! `TRUNCATE TABLE`, `COPY FROM`, `SELECT FOR UPDATE`, ...).

use std::ops::ControlFlow;

use sqlparser::ast::{LockType, Query, SetExpr, Statement, Visit, Visitor};
use sqlparser::tokenizer::Token;

/// Objects named by two words after CREATE/ALTER/DROP.
const TWO_WORD_OBJECTS: &[&str] = &[
    "MATERIALIZED VIEW",
    "FOREIGN TABLE",
    "FOREIGN DATA",
    "EVENT TRIGGER",
    "TEXT SEARCH",
    "ACCESS METHOD",
    "USER MAPPING",
    "OPERATOR CLASS",
    "OPERATOR FAMILY",
    "DEFAULT PRIVILEGES",
    "LARGE OBJECT",
];

/// Words between CREATE and the object that do not name it.
const CREATE_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "GLOBAL",
    "LOCAL",
    "UNIQUE",
    "TRUSTED",
    "PROCEDURAL",
    "RECURSIVE",
    "CONSTRAINT",
    "DEFAULT",
];

fn word(token: &Token) -> Option<String> {
    match token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

/// PostgreSQL's name for a write statement, from its first words; None when the
/// statement does not write (or is a query, which [`in_query`] looks at).
pub(super) fn name_from_tokens(tokens: &[Token]) -> Option<String> {
    let words: Vec<String> = tokens
        .iter()
        .take(8)
        .map(|t| word(t).unwrap_or_default())
        .collect();
    let verb = words.first()?.as_str();
    let simple = match verb {
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "GRANT" | "REVOKE" | "VACUUM" | "ANALYZE"
        | "ANALYSE" | "CLUSTER" | "REINDEX" | "COMMENT" | "CHECKPOINT" | "REASSIGN" => {
            Some(verb.replace("ANALYSE", "ANALYZE"))
        }
        "TRUNCATE" => Some("TRUNCATE TABLE".into()),
        "REFRESH" => Some("REFRESH MATERIALIZED VIEW".into()),
        "SECURITY" => Some("SECURITY LABEL".into()),
        "IMPORT" => Some("IMPORT FOREIGN SCHEMA".into()),
        "LOCK" => Some("LOCK TABLE".into()),
        "COPY" => copy_from(tokens).then(|| "COPY FROM".into()),
        _ => None,
    };
    if simple.is_some() {
        return simple;
    }
    if !matches!(verb, "CREATE" | "ALTER" | "DROP") {
        return None;
    }
    let mut rest = words[1..]
        .iter()
        .map(String::as_str)
        .skip_while(|w| verb == "CREATE" && CREATE_MODIFIERS.contains(w));
    let first = rest.next().filter(|w| !w.is_empty())?;
    let object = match (first, rest.next()) {
        ("USER", Some("MAPPING")) => "USER MAPPING".to_string(),
        ("USER" | "GROUP", _) => "ROLE".to_string(),
        (f, Some(s)) if TWO_WORD_OBJECTS.contains(&format!("{f} {s}").as_str()) => {
            format!("{f} {s}")
        }
        (f, _) => f.to_string(),
    };
    if verb == "CREATE" && object == "TABLE" && creates_as(tokens) {
        return Some("CREATE TABLE AS".into());
    }
    Some(format!("{verb} {object}"))
}

/// COPY ... FROM (a write) rather than COPY ... TO: the first FROM or TO outside
/// parentheses decides.
fn copy_from(tokens: &[Token]) -> bool {
    let mut depth = 0i32;
    for t in tokens {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ if depth == 0 => match word(t).as_deref() {
                Some("FROM") => return true,
                Some("TO") => return false,
                _ => {}
            },
            _ => {}
        }
    }
    false
}

/// `CREATE TABLE x AS SELECT ...`: an AS outside parentheses.
fn creates_as(tokens: &[Token]) -> bool {
    let mut depth = 0i32;
    tokens.iter().any(|t| {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ => {}
        }
        depth == 0 && word(t).as_deref() == Some("AS")
    })
}

/// A query that writes: a data-modifying WITH (`WITH x AS (INSERT ...)`), SELECT INTO,
/// or row locks (`SELECT ... FOR UPDATE`).
pub(super) fn in_query(query: &Query) -> Option<String> {
    struct Writes(Option<String>);
    impl Visitor for Writes {
        type Break = ();
        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            if let Some(lock) = query.locks.first() {
                self.0 = Some(
                    match lock.lock_type {
                        LockType::Update => "SELECT FOR UPDATE",
                        LockType::Share => "SELECT FOR SHARE",
                    }
                    .into(),
                );
                return ControlFlow::Break(());
            }
            if let SetExpr::Select(select) = query.body.as_ref() {
                if select.into.is_some() {
                    self.0 = Some("SELECT INTO".into());
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        }

        fn pre_visit_statement(&mut self, statement: &Statement) -> ControlFlow<()> {
            let name = match statement {
                Statement::Insert(_) => "INSERT",
                Statement::Update(_) => "UPDATE",
                Statement::Delete(_) => "DELETE",
                Statement::Merge(_) => "MERGE",
                _ => return ControlFlow::Continue(()),
            };
            self.0 = Some(name.into());
            ControlFlow::Break(())
        }
    }
    let mut v = Writes(None);
    let _ = query.visit(&mut v);
    v.0
}

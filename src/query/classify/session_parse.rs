//! PostgreSQL's grammar for the session statements (SET, SHOW, RESET, BEGIN, COMMIT,
//! SAVEPOINT, DISCARD, DEALLOCATE, CLOSE, LISTEN, ...), read from sqlparser's tokens.
//! sqlparser's own AST for these misses forms PostgreSQL accepts (`RESET TIME ZONE`,
//! `SHOW SESSION AUTHORIZATION`), and SET must keep PostgreSQL's distinction between
//! strings and numbers, so they are read here.

use sqlparser::tokenizer::{Token, Word};

use crate::query::session::{
    DiscardTarget, SessionCommand, SetArg, SetScope, SetValue, TransactionMode,
};

/// Why a session statement did not read: a syntax error at a token (its index) or at the
/// end, or a form PostgreSQL has that pipegate does not do.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ParseFailure {
    At(usize),
    End,
    Unsupported(&'static str),
}

type Parsed<T> = Result<T, ParseFailure>;

/// The verbs that start a session statement.
pub(super) const VERBS: &[&str] = &[
    "SET",
    "SHOW",
    "RESET",
    "BEGIN",
    "START",
    "COMMIT",
    "END",
    "ROLLBACK",
    "ABORT",
    "SAVEPOINT",
    "RELEASE",
    "DISCARD",
    "DEALLOCATE",
    "CLOSE",
    "LISTEN",
    "UNLISTEN",
    "NOTIFY",
];

/// A cursor over the statement's tokens (whitespace and comments removed).
struct Cursor<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.at)
    }

    fn fail<T>(&self) -> Parsed<T> {
        Err(if self.at < self.tokens.len() {
            ParseFailure::At(self.at)
        } else {
            ParseFailure::End
        })
    }

    /// Whether the next token is the unquoted keyword `kw` (consumed if so).
    fn eat(&mut self, kw: &str) -> bool {
        if self.peek().is_some_and(|t| is_keyword(t, kw)) {
            self.at += 1;
            return true;
        }
        false
    }

    fn expect(&mut self, kw: &str) -> Parsed<()> {
        if self.eat(kw) {
            Ok(())
        } else {
            self.fail()
        }
    }

    fn eat_token(&mut self, token: &Token) -> bool {
        if self.peek() == Some(token) {
            self.at += 1;
            return true;
        }
        false
    }

    fn end(&self) -> Parsed<()> {
        if self.at < self.tokens.len() {
            return Err(ParseFailure::At(self.at));
        }
        Ok(())
    }

    /// An identifier: unquoted words fold to lower case, quoted ones are exact.
    fn ident(&mut self) -> Parsed<String> {
        match self.peek() {
            Some(Token::Word(w)) => {
                self.at += 1;
                Ok(fold(w))
            }
            _ => self.fail(),
        }
    }

    /// A setting name: identifiers joined by dots.
    fn var_name(&mut self) -> Parsed<String> {
        let mut name = self.ident()?;
        while self.eat_token(&Token::Period) {
            name.push('.');
            name.push_str(&self.ident()?);
        }
        Ok(name)
    }

    /// A string constant.
    fn string(&mut self) -> Option<String> {
        let s = match self.peek()? {
            Token::SingleQuotedString(s)
            | Token::EscapedStringLiteral(s)
            | Token::NationalStringLiteral(s) => s.clone(),
            Token::DollarQuotedString(d) => d.value.clone(),
            _ => return None,
        };
        self.at += 1;
        Some(s)
    }

    /// A number with an optional sign.
    fn number(&mut self) -> Option<String> {
        let start = self.at;
        let sign = if self.eat_token(&Token::Minus) {
            "-"
        } else {
            self.eat_token(&Token::Plus);
            ""
        };
        if let Some(Token::Number(n, _)) = self.peek() {
            self.at += 1;
            return Some(format!("{sign}{n}"));
        }
        self.at = start;
        None
    }

    /// One value of SET: a string, a number, or a word.
    fn set_arg(&mut self) -> Parsed<SetArg> {
        if let Some(s) = self.string() {
            return Ok(SetArg::Text(s));
        }
        if let Some(n) = self.number() {
            return Ok(SetArg::Number(n));
        }
        Ok(SetArg::Text(self.ident()?))
    }
}

fn is_keyword(token: &Token, kw: &str) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
}

fn fold(w: &Word) -> String {
    if w.quote_style.is_some() {
        w.value.clone()
    } else {
        w.value.to_lowercase()
    }
}

/// Reads a session statement; `tokens` start with one of [`VERBS`].
pub(super) fn parse(tokens: &[Token]) -> Parsed<SessionCommand> {
    let mut c = Cursor { tokens, at: 1 };
    let verb = match tokens.first() {
        Some(Token::Word(w)) => w.value.to_ascii_uppercase(),
        _ => return Err(ParseFailure::At(0)),
    };
    let command = match verb.as_str() {
        "SET" => set(&mut c)?,
        "SHOW" => match special_name(&mut c)? {
            Some(name) if name == "all" => SessionCommand::ShowAll,
            Some(name) => SessionCommand::Show { name },
            None => SessionCommand::Show {
                name: c.var_name()?,
            },
        },
        "RESET" => match special_name(&mut c)? {
            Some(name) if name == "all" => SessionCommand::ResetAll,
            Some(name) => SessionCommand::Reset { name },
            None => SessionCommand::Reset {
                name: c.var_name()?,
            },
        },
        "BEGIN" => {
            let _ = c.eat("WORK") || c.eat("TRANSACTION");
            SessionCommand::Begin {
                modes: modes(&mut c)?,
                start: false,
            }
        }
        "START" => {
            c.expect("TRANSACTION")?;
            SessionCommand::Begin {
                modes: modes(&mut c)?,
                start: true,
            }
        }
        "COMMIT" | "END" | "ROLLBACK" | "ABORT" => {
            if c.eat("PREPARED") {
                return Err(ParseFailure::Unsupported("prepared transactions"));
            }
            let _ = c.eat("WORK") || c.eat("TRANSACTION");
            if verb == "ROLLBACK" && c.eat("TO") {
                c.eat("SAVEPOINT");
                SessionCommand::RollbackTo { name: c.ident()? }
            } else {
                let chain = if c.eat("AND") {
                    let no = c.eat("NO");
                    c.expect("CHAIN")?;
                    !no
                } else {
                    false
                };
                if matches!(verb.as_str(), "COMMIT" | "END") {
                    SessionCommand::Commit { chain }
                } else {
                    SessionCommand::Rollback { chain }
                }
            }
        }
        "SAVEPOINT" => SessionCommand::Savepoint { name: c.ident()? },
        "RELEASE" => {
            c.eat("SAVEPOINT");
            SessionCommand::Release { name: c.ident()? }
        }
        "DISCARD" => SessionCommand::Discard(if c.eat("ALL") {
            DiscardTarget::All
        } else if c.eat("PLANS") {
            DiscardTarget::Plans
        } else if c.eat("SEQUENCES") {
            DiscardTarget::Sequences
        } else if c.eat("TEMP") || c.eat("TEMPORARY") {
            DiscardTarget::Temp
        } else {
            return c.fail();
        }),
        "DEALLOCATE" => {
            c.eat("PREPARE");
            SessionCommand::Deallocate {
                name: if c.eat("ALL") { None } else { Some(c.ident()?) },
            }
        }
        "CLOSE" => SessionCommand::Close {
            name: if c.eat("ALL") { None } else { Some(c.ident()?) },
        },
        "LISTEN" => SessionCommand::Listen {
            channel: c.ident()?,
        },
        "UNLISTEN" => SessionCommand::Unlisten {
            channel: if c.eat_token(&Token::Mul) {
                None
            } else {
                Some(c.ident()?)
            },
        },
        "NOTIFY" => {
            let channel = c.ident()?;
            if c.eat_token(&Token::Comma) && c.string().is_none() {
                return c.fail();
            }
            SessionCommand::Notify { channel }
        }
        _ => return Err(ParseFailure::At(0)),
    };
    c.end()?;
    Ok(command)
}

/// The multi-word names of SHOW and RESET: `ALL`, `TIME ZONE`, `TRANSACTION ISOLATION
/// LEVEL`, `SESSION AUTHORIZATION`.
fn special_name(c: &mut Cursor) -> Parsed<Option<String>> {
    let start = c.at;
    if c.eat("ALL") && c.peek().is_none() {
        return Ok(Some("all".into()));
    }
    c.at = start;
    if c.eat("TIME") {
        c.expect("ZONE")?;
        return Ok(Some("timezone".into()));
    }
    if c.eat("TRANSACTION") {
        c.expect("ISOLATION")?;
        c.expect("LEVEL")?;
        return Ok(Some("transaction_isolation".into()));
    }
    if c.eat("SESSION") {
        c.expect("AUTHORIZATION")?;
        return Ok(Some("session_authorization".into()));
    }
    Ok(None)
}

fn set(c: &mut Cursor) -> Parsed<SessionCommand> {
    let mut scope = SetScope::Session;
    let two = |c: &Cursor, a: &str, b: &str| {
        c.peek().is_some_and(|t| is_keyword(t, a))
            && c.tokens.get(c.at + 1).is_some_and(|t| is_keyword(t, b))
    };
    if !two(c, "SESSION", "AUTHORIZATION") && !two(c, "SESSION", "CHARACTERISTICS") {
        if c.eat("LOCAL") {
            scope = SetScope::Local;
        } else {
            c.eat("SESSION");
        }
    }
    let single = |name: &str, value: SetValue| SessionCommand::Set {
        name: name.into(),
        value,
        scope,
    };
    let text = |s: String| SetValue::Values(vec![SetArg::Text(s)]);
    if c.eat("TIME") {
        c.expect("ZONE")?;
        return Ok(single("timezone", zone_value(c)?));
    }
    if c.eat("NAMES") {
        let value = if c.peek().is_none() || c.eat("DEFAULT") {
            SetValue::Default
        } else {
            SetValue::Values(vec![c.set_arg()?])
        };
        return Ok(single("client_encoding", value));
    }
    if c.eat("SCHEMA") {
        return match c.string() {
            Some(s) => Ok(single("search_path", text(s))),
            None => c.fail(),
        };
    }
    if c.eat("ROLE") {
        let value = match c.string() {
            Some(s) => s,
            None => c.ident()?,
        };
        return Ok(single("role", text(value)));
    }
    if c.eat("SESSION") {
        if c.eat("AUTHORIZATION") {
            if c.eat("DEFAULT") {
                return Ok(single("session_authorization", SetValue::Default));
            }
            let value = match c.string() {
                Some(s) => s,
                None => c.ident()?,
            };
            return Ok(single("session_authorization", text(value)));
        }
        c.expect("CHARACTERISTICS")?;
        c.expect("AS")?;
        c.expect("TRANSACTION")?;
        return Ok(SessionCommand::SetTransaction {
            modes: modes(c)?,
            session: true,
        });
    }
    if c.eat("TRANSACTION") {
        if c.eat("SNAPSHOT") {
            return Err(ParseFailure::Unsupported("SET TRANSACTION SNAPSHOT"));
        }
        let modes = modes(c)?;
        if modes.is_empty() {
            return c.fail();
        }
        return Ok(SessionCommand::SetTransaction {
            modes,
            session: false,
        });
    }
    if c.eat("XML") {
        c.expect("OPTION")?;
        let v = if c.eat("DOCUMENT") {
            "document"
        } else {
            c.expect("CONTENT").map(|_| "content")?
        };
        return Ok(single("xmloption", text(v.into())));
    }
    let name = c.var_name()?;
    if !(c.eat("TO") || c.eat_token(&Token::Eq)) {
        if c.eat("FROM") {
            return Err(ParseFailure::Unsupported("SET ... FROM CURRENT"));
        }
        return c.fail();
    }
    if c.eat("DEFAULT") {
        return Ok(single(&name, SetValue::Default));
    }
    let mut args = vec![c.set_arg()?];
    while c.eat_token(&Token::Comma) {
        args.push(c.set_arg()?);
    }
    Ok(single(&name, SetValue::Values(args)))
}

/// The value of SET TIME ZONE: a string, an identifier, a number (hours east), an
/// `INTERVAL '+hh:mm'`, or LOCAL/DEFAULT.
fn zone_value(c: &mut Cursor) -> Parsed<SetValue> {
    if c.eat("LOCAL") || c.eat("DEFAULT") {
        return Ok(SetValue::Default);
    }
    if c.eat("INTERVAL") {
        let Some(s) = c.string() else { return c.fail() };
        // An optional qualifier: HOUR [TO MINUTE].
        if c.eat("HOUR") && c.eat("TO") {
            c.expect("MINUTE")?;
        }
        let hours = interval_hours(&s).map_or_else(|| format!("interval '{s}'"), |h| h.to_string());
        return Ok(SetValue::Values(vec![SetArg::Number(hours)]));
    }
    Ok(SetValue::Values(vec![c.set_arg()?]))
}

/// `-08:00` → -8, `5:30` → 5.5, `3` → 3 (hours).
fn interval_hours(s: &str) -> Option<f64> {
    let s = s.trim();
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => (-1.0, b),
        None => (1.0, s.strip_prefix('+').unwrap_or(s)),
    };
    let mut hours = 0.0;
    for (i, part) in body.split(':').enumerate() {
        let n: f64 = part.parse().ok()?;
        hours += n / [1.0, 60.0, 3600.0].get(i)?;
    }
    Some(sign * hours)
}

/// Transaction modes, separated by commas or spaces.
fn modes(c: &mut Cursor) -> Parsed<Vec<TransactionMode>> {
    let mut out = Vec::new();
    loop {
        if c.eat("ISOLATION") {
            c.expect("LEVEL")?;
            let level = if c.eat("SERIALIZABLE") {
                "serializable"
            } else if c.eat("REPEATABLE") {
                c.expect("READ")?;
                "repeatable read"
            } else if c.eat("READ") {
                if c.eat("COMMITTED") {
                    "read committed"
                } else {
                    c.expect("UNCOMMITTED")?;
                    "read uncommitted"
                }
            } else {
                return c.fail();
            };
            out.push(TransactionMode::Isolation(level.into()));
        } else if c.eat("READ") {
            if c.eat("ONLY") {
                out.push(TransactionMode::ReadOnly(true));
            } else {
                c.expect("WRITE")?;
                out.push(TransactionMode::ReadOnly(false));
            }
        } else if c.eat("DEFERRABLE") {
            out.push(TransactionMode::Deferrable(true));
        } else if c.eat("NOT") {
            c.expect("DEFERRABLE")?;
            out.push(TransactionMode::Deferrable(false));
        } else if out.is_empty() || c.peek().is_none() {
            return Ok(out);
        } else {
            return c.fail();
        }
        if c.peek().is_none() {
            return Ok(out);
        }
        c.eat_token(&Token::Comma);
    }
}

//! Classify: splits a simple query into its statements and tells what each one is, so
//! that [`super::run`] sends it to the right place:
//!
//! - session statements (SET, SHOW, BEGIN, ...) are answered from the [`Session`];
//! - `SELECT <constants>` is answered locally ([`ConstantSelect`]);
//! - catalog queries (`pg_catalog`, `information_schema`, `pg_*` functions, `reg*`
//!   casts, `current_setting()`, `version()`, ...) go to the catalog engine;
//! - other queries are data queries, pushed down to ClickHouse;
//! - writes and DDL are refused with 25006 and PostgreSQL's name for the statement.
//!
//! The text is split on the top-level `;` tokens of sqlparser's tokenizer, so each
//! statement keeps its exact source span; each is then parsed on its own with
//! `PostgreSqlDialect`. Like PostgreSQL, a syntax error anywhere fails the whole string
//! before anything runs.
//!
//! [`Session`]: super::session::Session

mod catalog;
mod session_parse;
#[cfg(test)]
mod tests;
mod write;

use std::ops::Range;

use sqlparser::ast::{SetExpr, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use super::constant::ConstantSelect;
use super::session::SessionCommand;
use super::sqlstate;
use super::QueryError;
use session_parse::ParseFailure;

/// What one statement is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Only comments or whitespace: EmptyQueryResponse.
    Empty,
    /// Answered from the session.
    Session(SessionCommand),
    /// `SELECT` of literals with no FROM: answered locally.
    Constant(ConstantSelect),
    /// Reads the system catalogs: the catalog engine answers.
    Catalog,
    /// Reads the project's relations: pushed down to ClickHouse.
    Data,
    /// Writes or DDL: refused with 25006 (see [`Kind::error`]).
    Write {
        /// PostgreSQL's name for the statement in its message (`INSERT`, `CREATE TABLE`).
        statement: String,
    },
    /// Valid PostgreSQL that pipegate does not run (DO, CALL, cursors, SQL-level
    /// PREPARE/EXECUTE, prepared transactions): refused with 0A000.
    Unsupported {
        /// What to name in "... is not supported".
        feature: String,
    },
}

impl Kind {
    /// The error this kind of statement always gets: 25006 for writes, 0A000 for the
    /// unsupported.
    pub fn error(&self) -> Option<QueryError> {
        match self {
            Kind::Write { statement } => Some(QueryError::ReadOnly {
                statement: statement.clone(),
            }),
            Kind::Unsupported { feature } => Some(QueryError::Unsupported {
                feature: feature.clone(),
                hint: None,
            }),
            _ => None,
        }
    }
}

/// One statement of a query string.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub kind: Kind,
    /// Byte range of the statement in the query string, without its `;`.
    pub span: Range<usize>,
    /// The parsed statement, for kinds that go further (data, catalog, constants); None
    /// for session statements, which are read by their own grammar, and empty ones.
    pub statement: Option<Box<Statement>>,
}

impl Classified {
    /// The statement's source text.
    pub fn text<'s>(&self, sql: &'s str) -> &'s str {
        sql.get(self.span.clone()).unwrap_or("")
    }
}

/// Splits `sql` into statements and classifies each. An empty string (or only comments)
/// gives one [`Kind::Empty`]. `$1`-style placeholders are accepted anywhere a value is.
pub fn classify(sql: &str) -> Result<Vec<Classified>, QueryError> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .map_err(|e| tokenizer_error(sql, &e.message, e.location))?;
    let offsets = Offsets::new(sql);
    let mut out = Vec::new();
    for piece in tokens.split(|t| t.token == Token::SemiColon) {
        let significant: Vec<&TokenWithSpan> = piece
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .collect();
        let (Some(first), Some(last)) = (significant.first(), significant.last()) else {
            continue;
        };
        let span = offsets.byte(first.span.start)..offsets.byte(last.span.end);
        let words: Vec<Token> = significant.iter().map(|t| t.token.clone()).collect();
        let text = &sql[span.clone()];
        let (kind, statement) = classify_one(text, &words, &significant, piece, &offsets, sql)?;
        out.push(Classified {
            kind,
            span,
            statement: statement.map(Box::new),
        });
    }
    if out.is_empty() {
        out.push(Classified {
            kind: Kind::Empty,
            span: 0..0,
            statement: None,
        });
    }
    Ok(out)
}

type OneResult = Result<(Kind, Option<Statement>), QueryError>;

fn classify_one(
    text: &str,
    tokens: &[Token],
    spans: &[&TokenWithSpan],
    piece: &[TokenWithSpan],
    offsets: &Offsets,
    sql: &str,
) -> OneResult {
    let verb = match tokens.first() {
        Some(Token::Word(w)) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
        _ => String::new(),
    };
    if verb == "PREPARE"
        && tokens.get(1).is_some_and(
            |t| matches!(t, Token::Word(w) if w.value.eq_ignore_ascii_case("TRANSACTION")),
        )
    {
        return Ok((unsupported("prepared transactions"), None));
    }
    if session_parse::VERBS.contains(&verb.as_str()) {
        return match session_parse::parse(tokens) {
            Ok(command) => Ok((Kind::Session(command), None)),
            Err(ParseFailure::Unsupported(feature)) => Ok((unsupported(feature), None)),
            Err(ParseFailure::At(i)) => {
                let at = spans[i].span.start;
                Err(syntax_error(Some(
                    &sql[offsets.byte(at)..offsets.byte(spans[i].span.end)],
                )))
            }
            Err(ParseFailure::End) => Err(syntax_error(None)),
        };
    }
    if let Some(feature) = match verb.as_str() {
        "DO" => Some("DO"),
        "CALL" => Some("CALL"),
        "PREPARE" | "EXECUTE" => Some("SQL-level PREPARE and EXECUTE"),
        "DECLARE" | "FETCH" | "MOVE" => Some("cursors"),
        "LOAD" => Some("LOAD"),
        _ => None,
    } {
        return Ok((unsupported(feature), None));
    }
    if let Some(name) = write::name_from_tokens(tokens) {
        // Refused whether or not sqlparser reads it: PostgreSQL would have parsed it.
        let statement = Parser::parse_sql(&PostgreSqlDialect {}, text)
            .ok()
            .and_then(|mut v| v.pop());
        return Ok((Kind::Write { statement: name }, statement));
    }
    // `TABLE x` is PostgreSQL's short form of `SELECT * FROM x`, which sqlparser lacks.
    // Anything else is parsed from the tokens already read, not tokenized twice.
    let parsed = match text.get(..5) {
        Some(t) if verb == "TABLE" && t.eq_ignore_ascii_case("TABLE") => Parser::parse_sql(
            &PostgreSqlDialect {},
            &format!("SELECT * FROM{}", &text[5..]),
        ),
        _ => Parser::new(&PostgreSqlDialect {})
            .with_tokens_with_locations(piece.to_vec())
            .parse_statements(),
    };
    let mut statements =
        parsed.map_err(|e| unicode_escape(tokens).unwrap_or_else(|| parser_error(&e)))?;
    let Some(statement) = statements.pop() else {
        return Ok((Kind::Empty, None));
    };
    let kind = classify_statement(&statement, tokens);
    Ok((kind, Some(statement)))
}

/// The kind of a statement sqlparser read.
fn classify_statement(statement: &Statement, tokens: &[Token]) -> Kind {
    match statement {
        Statement::Query(query) => {
            if let Some(name) = write::in_query(query) {
                return Kind::Write { statement: name };
            }
            if let Some(constant) = ConstantSelect::recognize(query) {
                return Kind::Constant(constant);
            }
            if catalog::reads_catalog(statement) {
                Kind::Catalog
            } else {
                Kind::Data
            }
        }
        Statement::Explain {
            statement: inner, ..
        } => match classify_statement(inner, &tokens[1..]) {
            write @ Kind::Write { .. } => write,
            _ => Kind::Data,
        },
        Statement::Insert(_) => Kind::Write {
            statement: "INSERT".into(),
        },
        Statement::Update(_) => Kind::Write {
            statement: "UPDATE".into(),
        },
        Statement::Delete(_) => Kind::Write {
            statement: "DELETE".into(),
        },
        Statement::Merge(_) => Kind::Write {
            statement: "MERGE".into(),
        },
        _ => match tokens.first() {
            Some(Token::Word(w)) => unsupported(&w.value.to_ascii_uppercase()),
            _ => unsupported("this statement"),
        },
    }
}

/// Whether a query body is a plain SELECT (for callers that need to tell VALUES apart).
pub fn is_select(statement: &Statement) -> bool {
    matches!(statement, Statement::Query(q) if matches!(*q.body, SetExpr::Select(_)))
}

fn unsupported(feature: &str) -> Kind {
    Kind::Unsupported {
        feature: feature.to_string(),
    }
}

/// `syntax error at or near "x"` / `syntax error at end of input`.
fn syntax_error(near: Option<&str>) -> QueryError {
    let message = match near {
        Some(token) => format!("syntax error at or near \"{token}\""),
        None => "syntax error at end of input".to_string(),
    };
    QueryError::Coded {
        code: sqlstate::SYNTAX_ERROR,
        message,
        hint: None,
    }
}

/// sqlparser's "Expected: X, found: Y at Line: 1, Column: 8" in PostgreSQL's words.
fn parser_error(e: &ParserError) -> QueryError {
    let text = e.to_string();
    match text.split_once("found: ") {
        Some((_, rest)) => {
            let found = rest.split(" at Line: ").next().unwrap_or(rest);
            if found == "EOF" {
                syntax_error(None)
            } else {
                syntax_error(Some(found))
            }
        }
        None => QueryError::Coded {
            code: sqlstate::SYNTAX_ERROR,
            message: format!("syntax error: {text}"),
            hint: None,
        },
    }
}

/// PostgreSQL's Unicode-escaped identifiers (`U&"\0073ystem"`) and `UESCAPE` clauses,
/// which sqlparser does not read: valid PostgreSQL, so not a syntax error, but not
/// supported either.
fn unicode_escape(tokens: &[Token]) -> Option<QueryError> {
    let found = tokens.windows(3).any(|w| match w {
        [Token::Word(u), Token::Ampersand, Token::Word(q)] => {
            u.quote_style.is_none() && u.value.eq_ignore_ascii_case("u") && q.quote_style == Some('"')
        }
        _ => false,
    }) || tokens.iter().any(|t| {
        matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("uescape"))
    });
    found.then(|| QueryError::Unsupported {
        feature: "Unicode escapes in identifiers (U&\"...\") and UESCAPE".into(),
        hint: Some("Write the characters themselves, in a quoted identifier or a string.".into()),
    })
}

/// The tokenizer's errors (unterminated strings and comments) in PostgreSQL's words.
fn tokenizer_error(sql: &str, message: &str, at: Location) -> QueryError {
    let rest = sql.get(Offsets::new(sql).byte(at)..).unwrap_or("");
    let message = if message.contains("string") {
        format!("unterminated quoted string at or near \"{rest}\"")
    } else if message.contains("comment") {
        format!("unterminated /* comment at or near \"{rest}\"")
    } else {
        format!("syntax error at or near \"{rest}\"")
    };
    QueryError::Coded {
        code: sqlstate::SYNTAX_ERROR,
        message,
        hint: None,
    }
}

/// Turns sqlparser's line/column (1-based, in characters) into byte offsets.
struct Offsets<'s> {
    sql: &'s str,
    line_starts: Vec<usize>,
}

impl<'s> Offsets<'s> {
    fn new(sql: &'s str) -> Offsets<'s> {
        let mut line_starts = vec![0];
        line_starts.extend(sql.match_indices('\n').map(|(i, _)| i + 1));
        Offsets { sql, line_starts }
    }

    fn byte(&self, at: Location) -> usize {
        let Some(&start) = (at.line as usize)
            .checked_sub(1)
            .and_then(|l| self.line_starts.get(l))
        else {
            return self.sql.len();
        };
        let column = (at.column as usize).saturating_sub(1);
        self.sql[start..]
            .char_indices()
            .nth(column)
            .map_or(self.sql.len(), |(i, _)| start + i)
    }
}

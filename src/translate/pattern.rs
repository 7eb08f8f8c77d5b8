//! Pattern matching: `LIKE`/`ILIKE … ESCAPE`, regular expressions, and `op ANY/ALL`.

use sqlparser::ast::{BinaryOperator as Op, Expr, Ident, Value, ValueWithSpan};

use super::expr::Typed;
use super::query::Translator;
use super::render::{binary, call, nested, string};
use super::{unsupported, Ty};
use crate::query::QueryError;

impl Translator<'_> {
    pub fn like(
        &mut self,
        expr: &Expr,
        pattern: &Expr,
        escape: Option<&ValueWithSpan>,
        negated: bool,
        insensitive: bool,
    ) -> Result<Typed, QueryError> {
        let x = self.expr(expr)?.expr;
        let p = match escape.map(|v| &v.value) {
            None => self.expr(pattern)?.expr,
            Some(Value::SingleQuotedString(c)) => {
                let Expr::Value(ValueWithSpan {
                    value: Value::SingleQuotedString(text),
                    ..
                }) = pattern
                else {
                    return Err(unsupported(
                        "LIKE … ESCAPE with a pattern that is not a literal",
                    ));
                };
                string(&escape_pattern(text, c)?)
            }
            Some(other) => return Err(unsupported(format!("ESCAPE {other}"))),
        };
        let name = match (insensitive, negated) {
            (false, false) => "like",
            (false, true) => "notLike",
            (true, false) => "ilike",
            (true, true) => "notILike",
        };
        Ok(Typed::new(call(name, vec![x, p]), Ty::Bool))
    }

    /// `x op ANY (array)` / `x op ALL (array)`; `= ANY (subquery)` is `IN`.
    pub fn any_all(
        &mut self,
        left: &Expr,
        op: &Op,
        right: &Expr,
        all: bool,
    ) -> Result<Typed, QueryError> {
        let x = self.expr(left)?.expr;
        let inner = match right {
            Expr::Nested(inner) => inner.as_ref(),
            other => other,
        };
        if let Expr::Subquery(q) = inner {
            let (q, _) = self.query(q)?;
            return match (op, all) {
                (Op::Eq, false) | (Op::NotEq, true) => Ok(Typed::new(
                    Expr::InSubquery {
                        expr: Box::new(nested(x)),
                        subquery: Box::new(q),
                        negated: all,
                    },
                    Ty::Bool,
                )),
                _ => Err(unsupported(format!(
                    "{op} {} (subquery)",
                    if all { "ALL" } else { "ANY" }
                ))),
            };
        }
        let arr = self.expr(right)?.expr;
        if matches!(op, Op::Eq) && !all {
            return Ok(Typed::new(call("has", vec![arr, x]), Ty::Bool));
        }
        let element = Expr::Identifier(Ident::new("__e"));
        let lambda = super::func::lambda("__e", binary(x, op.clone(), element));
        let name = if all { "arrayAll" } else { "arrayExists" };
        Ok(Typed::new(call(name, vec![lambda, arr]), Ty::Bool))
    }
}

pub fn case_insensitive(pattern: Expr) -> Expr {
    call("concat", vec![string("(?i)"), pattern])
}

/// A LIKE pattern with escape character `esc` rewritten for ClickHouse, whose escape is
/// always the backslash. An empty `esc` means no escape at all.
fn escape_pattern(pattern: &str, esc: &str) -> Result<String, QueryError> {
    let mut chars = esc.chars();
    let esc = match (chars.next(), chars.next()) {
        (None, _) => None,
        (Some(c), None) => Some(c),
        _ => {
            return Err(QueryError::Coded {
                code: "22025",
                message: "invalid escape string".into(),
                hint: Some("Escape string must be empty or one character.".into()),
            })
        }
    };
    let mut out = String::with_capacity(pattern.len());
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        if Some(c) == esc {
            match it.next() {
                Some(next) if next == '%' || next == '_' || next == '\\' => {
                    out.push('\\');
                    out.push(next);
                }
                Some(next) => out.push(next),
                None => {
                    return Err(QueryError::Coded {
                        code: "22025",
                        message: "LIKE pattern must not end with escape character".into(),
                        hint: None,
                    })
                }
            }
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

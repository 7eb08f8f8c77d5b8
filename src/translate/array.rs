//! Arrays: PostgreSQL's array input syntax and `generate_series`.

use sqlparser::ast::{BinaryOperator as Op, Expr};

use super::expr::Typed;
use super::func::{ident_expr, lambda};
use super::render::{binary, call, number};
use super::{unsupported, Ty};
use crate::query::QueryError;

/// `generate_series(start, stop[, step])` over integers, as an array of its values.
pub fn generate_series(mut a: Vec<Typed>) -> Result<(Expr, Ty), QueryError> {
    if a.iter().any(|t| t.ty.is_temporal() || t.ty == Ty::Interval) {
        return Err(unsupported("generate_series over timestamps"));
    }
    if a.iter()
        .any(|t| !(t.ty.is_integer() || t.ty == Ty::Unknown))
    {
        return Err(unsupported("generate_series over non-integers"));
    }
    let ty = a
        .iter()
        .map(|t| t.ty.clone())
        .reduce(|x, y| Ty::promote(&x, &y))
        .unwrap_or(Ty::Int4);
    let ty = if ty == Ty::Unknown { Ty::Int4 } else { ty };
    let conv = if ty == Ty::Int8 { "toInt64" } else { "toInt32" };
    let step = if a.len() == 3 {
        a.remove(2).expr
    } else {
        number("1")
    };
    let stop = a.remove(1).expr;
    let start = a.remove(0).expr;
    // range(start, stop + sign(step), step) includes stop, as PostgreSQL does.
    let end = binary(stop, Op::Plus, call("sign", vec![step.clone()]));
    let series = call(
        "arrayMap",
        vec![
            lambda("x", call(conv, vec![ident_expr("x")])),
            call(
                "range",
                vec![
                    call("toInt64", vec![start]),
                    call("toInt64", vec![end]),
                    call("toInt64", vec![step]),
                ],
            ),
        ],
    );
    Ok((series, ty))
}

/// PostgreSQL array input (`{1,2,"a b",NULL}`), one level: the elements' texts, `None`
/// for NULL.
pub fn parse_pg_array(text: &str) -> Option<Vec<Option<String>>> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut out = vec![];
    if inner.trim().is_empty() {
        return Some(out);
    }
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            loop {
                match chars.next()? {
                    '\\' => item.push(chars.next()?),
                    '"' => break,
                    c => item.push(c),
                }
            }
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if c == '{' || c == '"' {
                    return None;
                }
                item.push(c);
                chars.next();
            }
            item = item.trim().to_string();
        }
        out.push(if !quoted && item.eq_ignore_ascii_case("null") {
            None
        } else {
            Some(item)
        });
        match chars.next() {
            Some(',') => continue,
            None => return Some(out),
            Some(_) => return None,
        }
    }
}

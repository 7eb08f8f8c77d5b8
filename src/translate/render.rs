//! Building blocks of the output: identifiers, literals and calls, spelled so that
//! ClickHouse reads exactly what PostgreSQL meant.
//!
//! ClickHouse reads backslash escapes inside quoted strings and identifiers; PostgreSQL
//! (with `standard_conforming_strings`) does not. So every backslash of a value is doubled
//! here, once, as the node is built. sqlparser's printer then doubles the quotes.

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident,
    ObjectName, Value,
};
use sqlparser::keywords::ALL_KEYWORDS;

/// PostgreSQL folds unquoted identifiers to lower case; quoted ones are exact.
pub fn normalize(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

/// An identifier as ClickHouse should read it: bare when it is a plain lower-case name
/// that is not a keyword, double-quoted otherwise.
pub fn ident(name: &str) -> Ident {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !is_keyword(name);
    if plain {
        Ident::new(name)
    } else {
        // Printed verbatim: sqlparser's own quoting takes `\"` for an escaped quote.
        Ident::new(format!("\"{}\"", escape(name, '"')))
    }
}

/// Backslash-escapes `\\` and `quote` the way ClickHouse reads quoted text.
fn escape(value: &str, quote: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        if c == '\\' || c == quote {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn is_keyword(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ALL_KEYWORDS.binary_search(&upper.as_str()).is_ok()
}

/// A string literal holding exactly `value`. It is printed verbatim, quoted here: sqlparser
/// would print `\'` inside a value as an already escaped quote, which ClickHouse would end
/// the string at.
pub fn string(value: &str) -> Expr {
    Expr::Identifier(Ident::new(format!("'{}'", escape(value, '\''))))
}

/// The value of a literal built by [`string`] (or a bound parameter's quoted literal).
pub fn string_value(e: &Expr) -> Option<String> {
    let Expr::Identifier(Ident {
        value,
        quote_style: None,
        ..
    }) = e
    else {
        return None;
    };
    let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '\'' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// A numeric literal, written as given (digits, sign, point and exponent only).
pub fn number(text: &str) -> Expr {
    Expr::value(Value::Number(text.to_string(), false))
}

/// `NULL`.
pub fn null() -> Expr {
    Expr::value(Value::Null)
}

/// A ClickHouse function call `name(args...)`.
pub fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(function(name, args))
}

/// The [`Function`] node of `name(args...)`, for callers that add OVER or a filter.
pub fn function(name: &str, args: Vec<Expr>) -> Function {
    Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e)))
                .collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    }
}

/// A parametric ClickHouse aggregate `name(params)(args...)`, e.g. `quantile(0.5)(x)`.
pub fn parametric(name: &str, params: Vec<Expr>, args: Vec<Expr>) -> Expr {
    let mut f = function(name, args);
    f.parameters = FunctionArguments::List(FunctionArgumentList {
        duplicate_treatment: None,
        args: params
            .into_iter()
            .map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e)))
            .collect(),
        clauses: vec![],
    });
    Expr::Function(f)
}

/// `(expr)`, for operands whose precedence the printer would otherwise lose.
pub fn nested(expr: Expr) -> Expr {
    match expr {
        Expr::Identifier(_)
        | Expr::CompoundIdentifier(_)
        | Expr::Value(_)
        | Expr::Function(_)
        | Expr::Nested(_) => expr,
        other => Expr::Nested(Box::new(other)),
    }
}

/// `left op right`.
pub fn binary(left: Expr, op: sqlparser::ast::BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(nested(left)),
        op,
        right: Box::new(nested(right)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_bare_only_when_plain() {
        assert_eq!(ident("pathname").to_string(), "pathname");
        assert_eq!(ident("Path").to_string(), "\"Path\"");
        assert_eq!(ident("timestamp").to_string(), "\"timestamp\"");
        assert_eq!(ident("a\"b").to_string(), "\"a\\\"b\"");
        assert_eq!(ident("a\\b").to_string(), "\"a\\\\b\"");
        assert_eq!(ident("1x").to_string(), "\"1x\"");
    }

    #[test]
    fn strings_double_backslashes_and_quotes() {
        assert_eq!(string(r"a\'b").to_string(), r"'a\\\'b'");
        assert_eq!(string_value(&string(r"a\'b")).as_deref(), Some(r"a\'b"));
        assert_eq!(string("").to_string(), "''");
    }
}

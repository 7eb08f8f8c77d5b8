//! ClickHouse literals and identifiers: the only way a value reaches the rendered SQL.
//!
//! Strings become single-quoted literals with ClickHouse's backslash escaping, so no input
//! can end the literal early; identifiers become backticked names after validation.

use std::fmt::Write;

/// Renders `s` as a ClickHouse string literal: `'...'` with `\` → `\\`, `'` → `\'`,
/// every control character escaped (`\0`, `\n`, `\r`, `\t`, `\b`, `\f`, else `\xHH`),
/// and `/` → `\/`. ClickHouse reads each escape back as the character itself. Escaping
/// newlines and `/` also means a value cannot end a `--` or `/* */` comment it sits in.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '/' => out.push_str("\\/"),
            '\0' => out.push_str("\\0"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                // Infallible: writing to a String.
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Renders an integer. Negative numbers are parenthesized at the top level so that a
/// template such as `a -{{x}}` can never form a `--` comment.
pub fn integer(digits: &str, top_level: bool) -> String {
    if top_level && digits.starts_with('-') {
        format!("({digits})")
    } else {
        digits.to_string()
    }
}

/// Renders a finite float in its shortest round-trip form (`1.0`, `0.1`, `1e300`), which
/// ClickHouse reads as a Float64, parenthesized when negative at the top level.
pub fn float(v: f64, top_level: bool) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    let text = format!("{v:?}");
    Some(integer(&text, top_level))
}

/// Why a name cannot be an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadIdentifier(pub String);

/// The longest identifier accepted.
const MAX_IDENTIFIER: usize = 256;

/// Validates one identifier part: non-empty, at most 256 characters, and free of
/// backticks, backslashes, quotes and control characters, so that it cannot leave the
/// backticks it is rendered in, and of `/` and `*`, so that it cannot end a comment.
pub fn check_identifier(name: &str) -> Result<(), BadIdentifier> {
    if name.is_empty() {
        return Err(BadIdentifier("an identifier cannot be empty".into()));
    }
    if name.chars().count() > MAX_IDENTIFIER {
        return Err(BadIdentifier(format!(
            "an identifier is at most {MAX_IDENTIFIER} characters"
        )));
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '`' | '\\' | '\'' | '"' | '/' | '*') || c.is_control())
    {
        return Err(BadIdentifier(format!(
            "an identifier cannot contain {}",
            describe_char(c)
        )));
    }
    Ok(())
}

/// Renders a validated identifier in backticks.
pub fn identifier(name: &str) -> Result<String, BadIdentifier> {
    check_identifier(name)?;
    Ok(format!("`{name}`"))
}

/// Renders a possibly dotted name (`json.a` → `` `json`.`a` ``), each part validated.
/// One pair of surrounding double quotes is dropped, as Tinybird does (`"a"` → `` `a` ``).
pub fn dotted_identifier(name: &str) -> Result<String, BadIdentifier> {
    let name = strip_quotes(name.trim());
    let parts = name
        .split('.')
        .map(identifier)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parts.join("."))
}

/// Drops one pair of surrounding double quotes.
pub fn strip_quotes(name: &str) -> &str {
    name.strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name)
}

/// A readable name for a character in error messages.
fn describe_char(c: char) -> String {
    if c.is_control() {
        format!("the control character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(string("it's"), r"'it\'s'");
        assert_eq!(string(r"a\b"), r"'a\\b'");
        assert_eq!(string("a\nb\0c\r\t"), r"'a\nb\0c\r\t'");
        assert_eq!(string("\u{1}\u{7f}\u{8}\u{c}"), r"'\x01\x7F\b\f'");
        assert_eq!(string("ñ€😀"), "'ñ€😀'");
        assert_eq!(string(r"\'; DROP TABLE t; --"), r"'\\\'; DROP TABLE t; --'");
        assert_eq!(string("*/ x /*"), r"'*\/ x \/*'");
    }

    #[test]
    fn negative_numbers_are_parenthesized_at_top_level() {
        assert_eq!(integer("-5", true), "(-5)");
        assert_eq!(integer("-5", false), "-5");
        assert_eq!(integer("5", true), "5");
        assert_eq!(float(1.0, true).as_deref(), Some("1.0"));
        assert_eq!(float(-0.5, true).as_deref(), Some("(-0.5)"));
        assert_eq!(float(f64::NAN, true), None);
    }

    #[test]
    fn identifiers_are_validated() {
        assert_eq!(identifier("a b-c").as_deref(), Ok("`a b-c`"));
        assert!(identifier("a`b").is_err());
        assert!(identifier("a\\b").is_err());
        assert!(identifier("").is_err());
        assert!(identifier("a\nb").is_err());
        assert!(identifier("a*/b").is_err());
        assert_eq!(dotted_identifier("json.a").as_deref(), Ok("`json`.`a`"));
        assert_eq!(dotted_identifier("\"foo\"").as_deref(), Ok("`foo`"));
        assert!(dotted_identifier("a..b").is_err());
    }
}

//! Expression source → tokens, each with its template line.

use super::TemplateError;

/// Words that are Python keywords we refuse, with the reason given to the author.
pub const FORBIDDEN_WORDS: &[&str] = &[
    "lambda", "yield", "await", "async", "def", "class", "del", "global", "nonlocal", "assert",
    "import", "from", "with", "as", "pass", "return", "raise", "try", "except", "finally", "while",
    "exec", "eval",
];

/// A token and the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Name(String),
    Int(i128),
    Float(f64),
    Str(String),
    Op(&'static str),
    End,
}

/// Operators the tokenizer knows, longest first. The ones after `=` are refused by the
/// parser with a sandbox error.
const OPERATORS: &[&str] = &[
    "**", "//", "==", "!=", "<=", ">=", ":=", "<<", ">>", "->", "(", ")", "[", "]", "{", "}", ",",
    ":", ".", "+", "-", "*", "<", ">", "=", "/", "%", "@", "&", "|", "^", "~", ";",
];

/// Splits expression source into tokens, each with its line.
pub fn tokenize(src: &str, line: usize) -> Result<Vec<(Tok, usize)>, TemplateError> {
    let mut out = Vec::new();
    let mut line = line;
    let mut rest = src;
    loop {
        let trimmed = rest.trim_start_matches(|c: char| {
            if c == '\n' {
                line += 1;
            }
            c.is_whitespace()
        });
        rest = trimmed;
        let Some(c) = rest.chars().next() else {
            out.push((Tok::End, line));
            return Ok(out);
        };
        if c == '#' {
            return Err(sandbox(line, "comments are not allowed inside expressions"));
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..len];
            let after = &rest[len..];
            if after.starts_with(['\'', '"']) {
                match word {
                    "r" | "R" | "u" | "U" => {
                        let (s, used, lines) = string(after, line, word.eq_ignore_ascii_case("r"))?;
                        out.push((Tok::Str(s), line));
                        line += lines;
                        rest = &after[used..];
                        continue;
                    }
                    _ => {
                        return Err(sandbox(
                            line,
                            &format!(
                                "string prefix `{word}` is not allowed (no f-strings or bytes)"
                            ),
                        ))
                    }
                }
            }
            out.push((Tok::Name(word.to_string()), line));
            rest = after;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit())) {
            let (tok, used) = number(rest, line)?;
            out.push((tok, line));
            rest = &rest[used..];
            continue;
        }
        if c == '\'' || c == '"' {
            let (s, used, lines) = string(rest, line, false)?;
            out.push((Tok::Str(s), line));
            line += lines;
            rest = &rest[used..];
            continue;
        }
        let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(**op)) else {
            return Err(TemplateError::Syntax {
                line,
                message: format!("unexpected character `{c}`"),
            });
        };
        out.push((Tok::Op(op), line));
        rest = &rest[op.len()..];
    }
}

/// Reads a number: an integer, or a float with a fraction and/or an exponent.
fn number(s: &str, line: usize) -> Result<(Tok, usize), TemplateError> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut is_float = false;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        is_float = true;
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            is_float = true;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    if i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        return Err(TemplateError::Syntax {
            line,
            message: format!("invalid number `{}`", &s[..=i]),
        });
    }
    let text = &s[..i];
    let bad = || TemplateError::Syntax {
        line,
        message: format!("invalid number `{text}`"),
    };
    let tok = if is_float {
        let v: f64 = text.parse().map_err(|_| bad())?;
        if !v.is_finite() {
            return Err(bad());
        }
        Tok::Float(v)
    } else {
        Tok::Int(text.parse().map_err(|_| bad())?)
    };
    Ok((tok, i))
}

/// Reads a quoted string literal with Python's escapes. Returns the value, the bytes
/// used and the newlines crossed.
fn string(s: &str, line: usize, raw: bool) -> Result<(String, usize, usize), TemplateError> {
    let mut chars = s.char_indices();
    let Some((_, quote)) = chars.next() else {
        return Err(TemplateError::Syntax {
            line,
            message: "expected a string".into(),
        });
    };
    let mut out = String::new();
    let mut lines = 0;
    let unterminated = || TemplateError::Syntax {
        line,
        message: "unterminated string".into(),
    };
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, i + c.len_utf8(), lines)),
            '\n' => return Err(unterminated()),
            '\\' => {
                let (_, e) = chars.next().ok_or_else(unterminated)?;
                if raw {
                    out.push('\\');
                    out.push(e);
                    continue;
                }
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    '\\' | '\'' | '"' => out.push(e),
                    '\n' => lines += 1,
                    'x' | 'u' => {
                        let n = if e == 'x' { 2 } else { 4 };
                        let mut code = 0u32;
                        for _ in 0..n {
                            let (_, h) = chars.next().ok_or_else(unterminated)?;
                            let d = h.to_digit(16).ok_or_else(|| TemplateError::Syntax {
                                line,
                                message: format!("invalid `\\{e}` escape"),
                            })?;
                            code = code * 16 + d;
                        }
                        out.push(char::from_u32(code).ok_or_else(|| TemplateError::Syntax {
                            line,
                            message: format!("invalid `\\{e}` escape"),
                        })?);
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            c => out.push(c),
        }
    }
    Err(unterminated())
}

fn sandbox(line: usize, message: &str) -> TemplateError {
    TemplateError::Sandbox {
        line,
        message: message.to_string(),
    }
}

/// Python keywords that cannot be names.
pub fn is_keyword(n: &str) -> bool {
    matches!(
        n,
        "and"
            | "or"
            | "not"
            | "in"
            | "is"
            | "if"
            | "else"
            | "elif"
            | "for"
            | "None"
            | "True"
            | "False"
            | "break"
            | "continue"
    )
}

/// Refuses dunder names (`__import__`, `__class__`, ...), the usual way out of a Python
/// sandbox.
pub fn check_name(n: &str, line: usize) -> Result<(), TemplateError> {
    if n.starts_with("__") {
        return Err(sandbox(line, &format!("`{n}` is not allowed in templates")));
    }
    Ok(())
}

/// Why an operator token is refused, if it is.
pub fn forbidden_operator(op: &str) -> Option<&'static str> {
    Some(match op {
        "/" => "`/` is not allowed in templates",
        "//" => "`//` is not allowed in templates",
        "**" => "`**` is not allowed in templates",
        "%" => "`%` is not allowed in templates",
        "@" | "&" | "|" | "^" | "~" | "<<" | ">>" => {
            "bitwise operators are not allowed in templates"
        }
        ":=" => "`:=` is not allowed in templates",
        ";" => "`;` is not allowed in templates",
        "->" => "`->` is not allowed in templates",
        _ => return None,
    })
}

//! The shared syntax of `.datasource` and `.pipe` files: directives at column 0, each
//! `KEY value` or `KEY >` followed by an indented block.
//!
//! - Lines starting with `#` outside blocks are comments.
//! - An inline value loses a trailing ` -- comment` (outside quotes) and its double quotes.
//! - A block runs until the next non-empty line with no indentation; its common indentation
//!   is removed, blank lines inside are kept and trailing blank lines are dropped. Block text
//!   is verbatim: SQL keeps its own comments.

/// One directive of a datafile.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    /// The key as written (`ENGINE_SORTING_KEY`).
    pub key: String,
    pub value: Value,
    /// 1-based line of the key.
    pub line: usize,
}

/// A directive's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Inline(String),
    /// Block text and the 1-based file line of its first line.
    Block(String, usize),
}

impl Value {
    /// The text, whichever form it took.
    pub fn text(&self) -> &str {
        match self {
            Value::Inline(s) | Value::Block(s, _) => s,
        }
    }
}

/// A syntax problem at a line.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

/// Splits a datafile into directives. Syntax errors do not stop the reading.
pub fn read(text: &str) -> (Vec<Directive>, Vec<SyntaxError>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut directives = Vec::new();
    let mut errors = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line_no = i + 1;
        i += 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if raw.starts_with(char::is_whitespace) {
            errors.push(SyntaxError {
                line: line_no,
                message: "indented line outside a block: a directive starts at column 0, and only lines under `KEY >` may be indented".into(),
            });
            continue;
        }
        let (key, rest) = match raw.split_once(char::is_whitespace) {
            Some((k, r)) => (k, r.trim()),
            None => (raw.trim_end(), ""),
        };
        let rest = strip_trailing_comment(rest).trim();
        if rest == ">" {
            let start = i;
            while i < lines.len()
                && (lines[i].trim().is_empty() || lines[i].starts_with(char::is_whitespace))
            {
                i += 1;
            }
            let mut body = &lines[start..i];
            while body.last().is_some_and(|l| l.trim().is_empty()) {
                body = &body[..body.len() - 1];
            }
            let first = body.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
            let body = &body[first..];
            let indent = body
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start().len())
                .min()
                .unwrap_or(0);
            let text = body
                .iter()
                .map(|l| l.get(indent..).unwrap_or("").trim_end())
                .collect::<Vec<_>>()
                .join("\n");
            if text.is_empty() {
                errors.push(SyntaxError {
                    line: line_no,
                    message: format!("{key} > has an empty block: indent its lines under it"),
                });
            }
            directives.push(Directive {
                key: key.to_string(),
                value: Value::Block(text, start + first + 1),
                line: line_no,
            });
        } else {
            directives.push(Directive {
                key: key.to_string(),
                value: Value::Inline(unquote(rest)),
                line: line_no,
            });
        }
    }
    (directives, errors)
}

/// Drops ` -- comment` at the end of an inline value, unless the `--` is inside quotes.
fn strip_trailing_comment(s: &str) -> &str {
    let mut in_quote: Option<char> = None;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        match in_quote {
            Some(q) if c == q => in_quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => in_quote = Some(c),
            None if c == '-'
                && bytes.get(i + 1) == Some(&b'-')
                && (i == 0 || bytes[i - 1].is_ascii_whitespace()) =>
            {
                return &s[..i];
            }
            None => {}
        }
    }
    s
}

/// Removes one pair of surrounding double quotes, undoing `\"` and `\\` inside.
fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if s.len() >= 2 => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_values_lose_quotes_and_trailing_comments() {
        let (d, e) = read("TOKEN \"analytics_read\" READ -- creates a token\nTYPE endpoint -- publish\nENGINE \"MergeTree\"\nX \"a -- b\"\n");
        assert!(e.is_empty());
        assert_eq!(d[0].value.text(), "\"analytics_read\" READ");
        assert_eq!(d[1].value.text(), "endpoint");
        assert_eq!(d[2].value.text(), "MergeTree");
        assert_eq!(d[3].value.text(), "a -- b");
    }

    #[test]
    fn blocks_keep_sql_verbatim_and_blank_lines() {
        let text = "# comment\nNODE n\nSQL >\n    %\n    SELECT 1 -- one\n\n    FROM t\n\n\nTYPE endpoint\n";
        let (d, e) = read(text);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(d[0].key, "NODE");
        assert_eq!(
            d[1].value,
            Value::Block("%\nSELECT 1 -- one\n\nFROM t".into(), 4)
        );
        assert_eq!(d[2].line, 10);
    }

    #[test]
    fn uneven_indentation_keeps_relative_indent() {
        let (d, _) = read("SQL >\n      SELECT\n        a\n      FROM t\n");
        assert_eq!(d[0].value.text(), "SELECT\n  a\nFROM t");
    }

    #[test]
    fn stray_indented_lines_and_empty_blocks_are_errors() {
        let (_, e) = read("  SELECT 1\nSCHEMA >\n\nENGINE \"MergeTree\"\n");
        assert_eq!(e[0].line, 1);
        assert!(e[0].message.starts_with("indented line outside a block"));
        assert_eq!(e[1].line, 2);
        assert!(e[1].message.contains("empty block"));
    }
}

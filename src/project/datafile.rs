//! The syntax `.datasource` and `.pipe` files share (Tinybird's datafile format): a list of
//! directives, each at column 0, either `KEY value` or `KEY >` followed by an indented block.
//!
//! - Keys are case-insensitive (as in Tinybird) and reported in upper case.
//! - Lines starting with `#` outside blocks are comments. A `#` line at column 0 inside a
//!   block, followed by more indented lines, is a comment too and does not end the block.
//! - An inline value loses a trailing ` -- comment` (outside quotes), then one pair of
//!   surrounding double quotes. Nothing inside the quotes is unescaped: Tinybird's tools
//!   write values such as `ENGINE_TTL "..."` without escaping.
//! - A block runs until the next non-empty line with no indentation. Its common indentation
//!   (spaces and tabs) is removed; blank lines inside are kept; leading and trailing blank
//!   lines are dropped. Block text is otherwise verbatim: SQL keeps its own `--` comments.

use crate::clickhouse::types::{close_enough, edit_distance};

/// One directive of a datafile.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    /// The key in upper case (`ENGINE_SORTING_KEY`), for matching.
    pub key: String,
    /// The key as written, for messages about it.
    pub written: String,
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

fn indented(line: &str) -> bool {
    line.starts_with([' ', '\t'])
}

fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Splits a datafile into directives. Syntax errors do not stop the reading.
pub fn read(text: &str) -> (Vec<Directive>, Vec<SyntaxError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut directives: Vec<Directive> = Vec::new();
    let mut errors = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line_no = i + 1;
        i += 1;
        if blank(raw) || comment(raw) {
            continue;
        }
        if indented(raw) {
            // One error for a run of stray indented lines, not one per line.
            while i < lines.len() && (blank(lines[i]) || indented(lines[i])) {
                i += 1;
            }
            let hint = match directives.last() {
                Some(d) if d.value == Value::Inline(String::new()) => format!(
                    ": to give {} a block, write `{} >` on line {}",
                    d.key, d.written, d.line
                ),
                _ => ": directives start at column 0, and only lines under `KEY >` are indented"
                    .to_string(),
            };
            errors.push(SyntaxError {
                line: line_no,
                message: format!("indented line outside a block{hint}"),
            });
            continue;
        }
        let (written, rest) = match raw.split_once([' ', '\t']) {
            Some((k, r)) => (k, r.trim()),
            None => (raw.trim_end(), ""),
        };
        let rest = strip_trailing_comment(rest).trim();
        let value = if rest == ">" {
            let (body, first, next) = block(&lines, i);
            i = next;
            if body.is_empty() {
                errors.push(SyntaxError {
                    line: line_no,
                    message: format!("{written} > has an empty block: indent its lines under it"),
                });
            }
            Value::Block(body, first)
        } else {
            Value::Inline(unquote(rest).to_string())
        };
        directives.push(Directive {
            key: written.to_ascii_uppercase(),
            written: written.to_string(),
            value,
            line: line_no,
        });
    }
    (directives, errors)
}

/// The block starting at index `start`: its text, the 1-based line of its first line, and
/// the index of the first line after it.
fn block(lines: &[&str], start: usize) -> (String, usize, usize) {
    let mut kept: Vec<(usize, &str)> = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let line = lines[i];
        if blank(line) || indented(line) {
            kept.push((i, line));
            i += 1;
        } else if comment(line) && continues_block(lines, i) {
            i += 1;
        } else {
            break;
        }
    }
    while kept.last().is_some_and(|(_, l)| blank(l)) {
        kept.pop();
    }
    let first_content = kept.iter().position(|(_, l)| !blank(l)).unwrap_or(0);
    let kept = &kept[first_content..];
    let indent = kept
        .iter()
        .filter(|(_, l)| !blank(l))
        .map(|(_, l)| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let text = kept
        .iter()
        .map(|(_, l)| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    let first = kept.first().map_or(start + 1, |(idx, _)| idx + 1);
    (text, first, i)
}

/// Whether the `#` comment at `i` sits inside a block: more indented lines follow it.
fn continues_block(lines: &[&str], i: usize) -> bool {
    lines[i + 1..]
        .iter()
        .find(|l| !blank(l) && (!comment(l) || indented(l)))
        .is_some_and(|l| indented(l))
}

/// The message for a directive the file kind does not know: a "did you mean" when a known
/// key is close, or a hint to indent when the line probably belongs to the block above.
pub fn unknown_directive(
    d: &Directive,
    known: &[&str],
    after_block: bool,
    file_kind: &str,
) -> String {
    let close = known
        .iter()
        .map(|k| (edit_distance(k, &d.key), *k))
        .filter(|(dist, _)| *dist <= close_enough(&d.key))
        .min();
    match close {
        Some((_, k)) => format!("unknown directive {} (did you mean {k}?)", d.written),
        None if after_block && continues_sql_or_schema(&d.written) => format!(
            "unknown directive {}: if the line belongs to the block above, indent it",
            d.written
        ),
        None => format!(
            "unknown directive {}: a {file_kind} file takes {}",
            d.written,
            known.join(", ")
        ),
    }
}

/// Whether a column-0 word looks like a line of the block above rather than a directive:
/// it is not in upper case (a column name), or it is an SQL keyword.
fn continues_sql_or_schema(word: &str) -> bool {
    const SQL: &[&str] = &[
        "SELECT", "FROM", "WHERE", "GROUP", "ORDER", "LIMIT", "HAVING", "JOIN", "LEFT", "INNER",
        "UNION", "WITH", "AND", "OR", "ON", "AS", "CASE", "WHEN", "END", "PREWHERE", "SETTINGS",
    ];
    !word
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        || SQL.contains(&word)
}

/// Remembers the line of each directive that may appear once, to report repeats.
#[derive(Default)]
pub struct Seen(Vec<(String, usize)>);

impl Seen {
    /// `Some(message)` when `key` was seen before; records it otherwise.
    pub fn repeat(&mut self, key: &str, line: usize) -> Option<String> {
        match self.0.iter().find(|(k, _)| k == key) {
            Some((_, first)) => Some(format!("{key} is given twice (first on line {first})")),
            None => {
                self.0.push((key.to_string(), line));
                None
            }
        }
    }
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

/// Removes one pair of surrounding double quotes.
fn unquote(s: &str) -> &str {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner,
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(String, String)> {
        let (d, e) = read(text);
        assert!(e.is_empty(), "{e:?}");
        d.into_iter()
            .map(|d| (d.key, d.value.text().to_string()))
            .collect()
    }

    #[test]
    fn inline_values_lose_quotes_and_trailing_comments() {
        let (d, e) = read("TOKEN \"analytics_read\" READ -- creates a token\nTYPE endpoint -- publish\nENGINE \"MergeTree\"\nX \"a -- b\"\nENGINE_TTL \"a \\\\ \\\"b\\\"\"\nKEY\n");
        assert!(e.is_empty());
        assert_eq!(d[0].value.text(), "\"analytics_read\" READ");
        assert_eq!(d[1].value.text(), "endpoint");
        assert_eq!(d[2].value.text(), "MergeTree");
        assert_eq!(d[3].value.text(), "a -- b");
        assert_eq!(d[4].value.text(), "a \\\\ \\\"b\\\"", "no unescaping");
        assert_eq!(d[5].value, Value::Inline(String::new()));
    }

    #[test]
    fn keys_are_case_insensitive_and_tabs_separate() {
        let (d, _) = read("Engine\t\"MergeTree\"\n");
        assert_eq!(d[0].key, "ENGINE");
        assert_eq!(d[0].written, "Engine");
        assert_eq!(d[0].value.text(), "MergeTree");
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
    fn leading_blank_lines_move_the_first_line() {
        let (d, _) = read("SQL >\n\n\n    SELECT 1\n");
        assert_eq!(d[0].value, Value::Block("SELECT 1".into(), 4));
    }

    #[test]
    fn uneven_indentation_keeps_relative_indent() {
        assert_eq!(
            texts("SQL >\n      SELECT\n        a\n      FROM t\n")[0].1,
            "SELECT\n  a\nFROM t"
        );
        assert_eq!(texts("SQL >\n\tSELECT\n\t\ta\n")[0].1, "SELECT\n\ta");
    }

    #[test]
    fn comments_at_column_0_inside_a_block_do_not_end_it() {
        let got = texts("SQL >\n    SELECT 1\n# AND x = 1\n    FROM t\n# between\nTYPE endpoint\n");
        assert_eq!(
            got,
            [
                ("SQL".to_string(), "SELECT 1\nFROM t".to_string()),
                ("TYPE".to_string(), "endpoint".to_string())
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_and_crlf_are_ignored() {
        let got = texts("\u{feff}SCHEMA >\r\n    a Int8\r\n\r\nENGINE \"Null\"\r\n");
        assert_eq!(got[0], ("SCHEMA".to_string(), "a Int8".to_string()));
        assert_eq!(got[1], ("ENGINE".to_string(), "Null".to_string()));
    }

    #[test]
    fn stray_indented_lines_and_empty_blocks_are_errors() {
        let (_, e) = read("  SELECT 1\n  FROM t\nSCHEMA >\n\nENGINE \"MergeTree\"\nSQL\n    SELECT 2\n    FROM u\n");
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0].line, 1);
        assert_eq!(e[0].message, "indented line outside a block: directives start at column 0, and only lines under `KEY >` are indented");
        assert_eq!(e[1].line, 3);
        assert_eq!(
            e[1].message,
            "SCHEMA > has an empty block: indent its lines under it"
        );
        assert_eq!(e[2].line, 7);
        assert_eq!(
            e[2].message,
            "indented line outside a block: to give SQL a block, write `SQL >` on line 6"
        );
    }
}

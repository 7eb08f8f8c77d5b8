//! JSONPaths of datasource columns: where ingestion finds each column's value in an event.
//! The subset Tinybird documents: `$` (the whole event), `$.a.b`, `$.a['key.with.dots']`,
//! `$.arr[:]` (every element, for Array columns) and `$.arr[0]`.

use std::fmt;

/// A parsed JSONPath.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    /// The steps from the event's root; empty for `$`, the whole event.
    pub segments: Vec<Segment>,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// `[:]`: every element of an array (the column is an Array).
    AllItems,
    /// `[n]`: one element.
    Index(usize),
}

impl JsonPath {
    /// Parses a path that starts with `$`. The error says what is wrong.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let mut rest = text
            .strip_prefix('$')
            .ok_or("a JSONPath starts with $, as in $.name")?;
        let mut segments = Vec::new();
        while let Some(c) = rest.chars().next() {
            match c {
                '.' if rest[1..].starts_with('[') => rest = &rest[1..], // `$.['k']` = `$['k']`
                '.' => {
                    let body = &rest[1..];
                    let end = body.find(['.', '[']).unwrap_or(body.len());
                    let key = &body[..end];
                    if key.is_empty() {
                        return Err(format!(
                            "empty member name at {:?}: write .name or ['name']",
                            &text[..text.len() - body.len()]
                        ));
                    }
                    if key == "*" || key.contains(char::is_whitespace) {
                        return Err(format!(
                            "unsupported member {key:?}: use .name, ['name with spaces'] or [:]"
                        ));
                    }
                    segments.push(Segment::Key(key.to_string()));
                    rest = &body[end..];
                }
                '[' => {
                    let (segment, after) = bracket(&rest[1..])?;
                    segments.push(segment);
                    rest = after;
                }
                other => {
                    return Err(format!(
                        "unexpected {other:?}: members are written .name or ['name']"
                    ))
                }
            }
        }
        Ok(JsonPath { segments })
    }

    /// True when the path collects array elements (`[:]`), so the column must be an Array.
    pub fn collects_array(&self) -> bool {
        self.segments.contains(&Segment::AllItems)
    }
}

/// The inside of `[...]` (after the `[`): the segment and the text after the `]`.
fn bracket(s: &str) -> Result<(Segment, &str), String> {
    let trimmed = s.trim_start();
    if let Some(q) = trimmed.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let mut key = String::new();
        let mut chars = trimmed[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, n)) => key.push(n),
                    None => break,
                },
                c if c == q => {
                    let after = trimmed[1 + i + 1..].trim_start();
                    return match after.strip_prefix(']') {
                        Some(after) => Ok((Segment::Key(key), after)),
                        None => Err(format!("expected ] after [{q}{key}{q}")),
                    };
                }
                other => key.push(other),
            }
        }
        return Err(format!("unterminated name in [{q}...{q}]"));
    }
    let close = s
        .find(']')
        .ok_or("unclosed [: write [:], [n] or ['name']")?;
    let inner = s[..close].trim();
    let segment = match inner {
        ":" | "*" => Segment::AllItems,
        n => match n.parse::<usize>() {
            Ok(n) => Segment::Index(n),
            Err(_) => {
                return Err(format!(
                    "unsupported selector [{inner}]: use [:], [n] or ['name']"
                ))
            }
        },
    };
    Ok((segment, &s[close + 1..]))
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for s in &self.segments {
            match s {
                Segment::Key(k)
                    if !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
                {
                    write!(f, ".{k}")?
                }
                Segment::Key(k) => {
                    write!(f, "['{}']", k.replace('\\', "\\\\").replace('\'', "\\'"))?
                }
                Segment::AllItems => f.write_str("[:]")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    #[test]
    fn parses_the_documented_forms() {
        for (text, segs) in [
            ("$", vec![]),
            ("$.a.b", vec![key("a"), key("b")]),
            ("$.arr[:]", vec![key("arr"), Segment::AllItems]),
            ("$.a['key.with.dots']", vec![key("a"), key("key.with.dots")]),
            (
                "$.list[2].x",
                vec![key("list"), Segment::Index(2), key("x")],
            ),
            ("$.user-agent", vec![key("user-agent")]),
        ] {
            let p = JsonPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.segments, segs, "{text}");
            assert_eq!(p.to_string(), text, "displays as written");
        }
        assert!(JsonPath::parse("$.tags[:]")
            .map(|p| p.collects_array())
            .unwrap_or(false));
    }

    #[test]
    fn other_spellings_normalise() {
        for (text, shown) in [
            ("$['a']", "$.a"),
            ("$.['a']", "$.a"),
            ("$[\"a b\"]", "$['a b']"),
            ("$.a[*]", "$.a[:]"),
            ("$[ 'x' ][ 0 ]", "$.x[0]"),
            ("$['it\\'s']", "$['it\\'s']"),
            ("$['a]b']", "$['a]b']"),
        ] {
            let p = JsonPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.to_string(), shown, "{text}");
            assert_eq!(JsonPath::parse(shown), Ok(p), "round trip of {shown}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_follow() {
        for (text, want) in [
            ("a.b", "a JSONPath starts with $, as in $.name"),
            (
                "$..a",
                "empty member name at \"$.\": write .name or ['name']",
            ),
            (
                "$.a.",
                "empty member name at \"$.a.\": write .name or ['name']",
            ),
            ("$.a[", "unclosed [: write [:], [n] or ['name']"),
            (
                "$.a[?(@.x)]",
                "unsupported selector [?(@.x)]: use [:], [n] or ['name']",
            ),
            (
                "$.a[-1]",
                "unsupported selector [-1]: use [:], [n] or ['name']",
            ),
            (
                "$x",
                "unexpected 'x': members are written .name or ['name']",
            ),
            (
                "$.*",
                "unsupported member \"*\": use .name, ['name with spaces'] or [:]",
            ),
            (
                "$.a b",
                "unsupported member \"a b\": use .name, ['name with spaces'] or [:]",
            ),
            ("$['a'", "expected ] after ['a'"),
            ("$['a", "unterminated name in ['...']"),
        ] {
            assert_eq!(JsonPath::parse(text), Err(want.to_string()), "{text}");
        }
    }
}

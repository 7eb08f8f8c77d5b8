//! JSONPaths of datasource columns: where ingestion finds each column's value in an event.
//! The subset Tinybird documents: `$`, `$.a.b`, `$.a['key.with.dots']`, `$.arr[:]`, `$.arr[0]`.

use std::fmt;

/// A parsed JSONPath.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
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
    /// Parses a path that starts with `$`.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let rest = text.strip_prefix('$').ok_or("a JSONPath starts with $")?;
        let mut segments = Vec::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '.' => {
                    if chars.peek().map(|&(_, c)| c) == Some('[') {
                        continue; // `$.['key']` is the same as `$['key']`
                    }
                    let start = i + 1;
                    let mut end = rest.len();
                    while let Some(&(j, c)) = chars.peek() {
                        if c == '.' || c == '[' {
                            end = j;
                            break;
                        }
                        chars.next();
                    }
                    let key = &rest[start..end];
                    if key.is_empty() {
                        return Err(format!("empty member name at position {}", start + 1));
                    }
                    segments.push(Segment::Key(key.to_string()));
                }
                '[' => {
                    let close = rest[i..].find(']').ok_or("unclosed [")? + i;
                    let inner = rest[i + 1..close].trim();
                    let seg = if inner == ":" || inner == "*" {
                        Segment::AllItems
                    } else if let Some(q) = inner
                        .strip_prefix('\'')
                        .and_then(|s| s.strip_suffix('\''))
                        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                    {
                        Segment::Key(q.to_string())
                    } else if let Ok(n) = inner.parse::<usize>() {
                        Segment::Index(n)
                    } else {
                        return Err(format!(
                            "unsupported selector [{inner}]: use [:], [n] or ['key']"
                        ));
                    };
                    segments.push(seg);
                    while chars.peek().is_some_and(|&(j, _)| j <= close) {
                        chars.next();
                    }
                }
                other => return Err(format!("unexpected {other:?}: members are written .name")),
            }
        }
        Ok(JsonPath { segments })
    }

    /// True when the path collects array elements (`[:]`), so the column must be an Array.
    pub fn collects_array(&self) -> bool {
        self.segments.contains(&Segment::AllItems)
    }
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
                Segment::Key(k) => write!(f, "['{k}']")?,
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

    #[test]
    fn parses_the_documented_forms() {
        for (text, segs) in [
            ("$", vec![]),
            (
                "$.a.b",
                vec![Segment::Key("a".into()), Segment::Key("b".into())],
            ),
            (
                "$.arr[:]",
                vec![Segment::Key("arr".into()), Segment::AllItems],
            ),
            (
                "$.a['key.with.dots']",
                vec![
                    Segment::Key("a".into()),
                    Segment::Key("key.with.dots".into()),
                ],
            ),
            (
                "$.list[2].x",
                vec![
                    Segment::Key("list".into()),
                    Segment::Index(2),
                    Segment::Key("x".into()),
                ],
            ),
        ] {
            let p = JsonPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.segments, segs, "{text}");
            assert_eq!(JsonPath::parse(&p.to_string()), Ok(p));
        }
        assert!(JsonPath::parse("$.tags[:]")
            .map(|p| p.collects_array())
            .unwrap_or(false));
    }

    #[test]
    fn refuses_what_it_cannot_follow() {
        assert_eq!(
            JsonPath::parse("a.b"),
            Err("a JSONPath starts with $".into())
        );
        assert!(JsonPath::parse("$..a").is_err());
        assert!(JsonPath::parse("$.a[").is_err());
        assert!(JsonPath::parse("$.a[?(@.x)]").is_err());
        assert!(JsonPath::parse("$x").is_err());
    }
}

//! ClickHouse type names, parsed into a tree so the rest of the gateway can reason about them:
//! deploy compares them, the Postgres door maps them to Postgres types, ingestion converts
//! JSON values to them.
//!
//! [`ChType::parse`] takes a name as ClickHouse spells it, and `Display` writes it back in the
//! canonical spelling, the one `DESCRIBE` returns (`Decimal32(2)` becomes `Decimal(9, 2)`,
//! `Enum8('a', 'b')` becomes `Enum8('a' = 1, 'b' = 2)`). Names are case-sensitive, as in
//! ClickHouse; the one alias accepted is `Boolean`/`bool` for `Bool`, which Tinybird's own
//! tooling writes. Rules ClickHouse enforces when it creates a table (what may be `Nullable`,
//! what may be `LowCardinality`, unique enum and tuple names) are checked here too, so
//! `pipegate check` reports them without a server.

use std::fmt;

/// A ClickHouse data type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChType {
    /// `Int8` .. `Int256`: the width in bits.
    Int(u16),
    /// `UInt8` .. `UInt256`: the width in bits.
    UInt(u16),
    Float32,
    Float64,
    /// `Decimal(P, S)`: precision and scale. `Decimal32(S)` and friends are normalised to
    /// their precision (9, 18, 38, 76), as ClickHouse itself does.
    Decimal(u8, u8),
    Bool,
    String,
    /// `FixedString(N)`: the length in bytes.
    FixedString(u32),
    Uuid,
    Date,
    Date32,
    /// `DateTime` with its explicit time zone, if any: a column with a time zone is shown to
    /// Postgres clients as `timestamptz`.
    DateTime(Option<String>),
    /// `DateTime64(precision[, tz])`.
    DateTime64(u8, Option<String>),
    /// `Enum8`/`Enum16`: the width (8 or 16) and the (label, value) pairs, values resolved.
    Enum(u8, Vec<(String, i16)>),
    IPv4,
    IPv6,
    Json,
    Array(Box<ChType>),
    Nullable(Box<ChType>),
    LowCardinality(Box<ChType>),
    Map(Box<ChType>, Box<ChType>),
    /// `Tuple(T, ...)` or `Tuple(name T, ...)`: names are all present or all absent.
    Tuple(Vec<(Option<String>, ChType)>),
    /// `SimpleAggregateFunction(func, T)`: reads as a plain `T`, kept for
    /// AggregatingMergeTree datasources.
    SimpleAggregateFunction(String, Box<ChType>),
    /// `AggregateFunction(func[(params)], T...)`: an aggregation state, readable only through
    /// `-Merge` combinators. The function is kept as text, e.g. `quantiles(0.5, 0.9)`.
    AggregateFunction(String, Vec<ChType>),
}

/// Why a type name did not parse; the message says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TypeError(pub String);

#[path = "types_parse.rs"]
mod parse;

impl ChType {
    /// Parses a type name as ClickHouse spells it, e.g. `Nullable(DateTime64(3, 'UTC'))`.
    /// Whitespace between tokens is free, including newlines (`DESCRIBE` writes named tuples
    /// over several lines).
    pub fn parse(text: &str) -> Result<ChType, TypeError> {
        parse::parse(text)
    }

    /// True for `Nullable(T)`, also under `LowCardinality`: the column may hold NULL.
    pub fn is_nullable(&self) -> bool {
        match self {
            ChType::Nullable(_) => true,
            ChType::LowCardinality(inner) => inner.is_nullable(),
            _ => false,
        }
    }

    /// The type under `Nullable` and `LowCardinality` wrappers, which change storage but not
    /// the values a column holds.
    pub fn inner(&self) -> &ChType {
        match self {
            ChType::Nullable(t) | ChType::LowCardinality(t) => t.inner(),
            other => other,
        }
    }

    /// The explicit time zone of a `DateTime`/`DateTime64` (under any wrappers), if any.
    pub fn timezone(&self) -> Option<&str> {
        match self.inner() {
            ChType::DateTime(tz) | ChType::DateTime64(_, tz) => tz.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ChType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChType::Int(bits) => write!(f, "Int{bits}"),
            ChType::UInt(bits) => write!(f, "UInt{bits}"),
            ChType::Float32 => f.write_str("Float32"),
            ChType::Float64 => f.write_str("Float64"),
            ChType::Decimal(p, s) => write!(f, "Decimal({p}, {s})"),
            ChType::Bool => f.write_str("Bool"),
            ChType::String => f.write_str("String"),
            ChType::FixedString(n) => write!(f, "FixedString({n})"),
            ChType::Uuid => f.write_str("UUID"),
            ChType::Date => f.write_str("Date"),
            ChType::Date32 => f.write_str("Date32"),
            ChType::DateTime(None) => f.write_str("DateTime"),
            ChType::DateTime(Some(tz)) => write!(f, "DateTime({})", quote(tz)),
            ChType::DateTime64(p, None) => write!(f, "DateTime64({p})"),
            ChType::DateTime64(p, Some(tz)) => write!(f, "DateTime64({p}, {})", quote(tz)),
            ChType::Enum(bits, values) => {
                write!(f, "Enum{bits}(")?;
                for (i, (name, v)) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} = {v}", quote(name))?;
                }
                f.write_str(")")
            }
            ChType::IPv4 => f.write_str("IPv4"),
            ChType::IPv6 => f.write_str("IPv6"),
            ChType::Json => f.write_str("JSON"),
            ChType::Array(t) => write!(f, "Array({t})"),
            ChType::Nullable(t) => write!(f, "Nullable({t})"),
            ChType::LowCardinality(t) => write!(f, "LowCardinality({t})"),
            ChType::Map(k, v) => write!(f, "Map({k}, {v})"),
            ChType::Tuple(items) => {
                f.write_str("Tuple(")?;
                for (i, (name, t)) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match name {
                        Some(n) if is_identifier(n) => write!(f, "{n} {t}")?,
                        Some(n) => {
                            write!(f, "`{}` {t}", n.replace('\\', "\\\\").replace('`', "\\`"))?
                        }
                        None => write!(f, "{t}")?,
                    }
                }
                f.write_str(")")
            }
            ChType::SimpleAggregateFunction(func, t) => {
                write!(f, "SimpleAggregateFunction({func}, {t})")
            }
            ChType::AggregateFunction(func, args) => {
                write!(f, "AggregateFunction({func}")?;
                for t in args {
                    write!(f, ", {t}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// A single-quoted ClickHouse string literal (backslash escapes).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `[A-Za-z_][A-Za-z0-9_]*`
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// How many edits still make a "did you mean" hint helpful: one for short words, more for
/// long ones (`Blob` is not a misspelt `Bool`, `DateTim64` is a misspelt `DateTime64`).
pub fn close_enough(word: &str) -> usize {
    (word.chars().count() / 4).max(1)
}

/// Levenshtein distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
#[path = "types_tests.rs"]
mod tests;

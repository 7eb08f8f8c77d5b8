//! ClickHouse type names, parsed into a tree so the rest of the gateway can reason about them
//! (deploy compares them, the Postgres door maps them, ingestion converts to them).

use std::fmt;

/// A ClickHouse data type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChType {
    Int(u16),
    UInt(u16),
    Float32,
    Float64,
    /// `Decimal(P, S)`; `Decimal32(S)` and friends are normalised to their precision.
    Decimal(u8, u8),
    Bool,
    String,
    FixedString(u32),
    Uuid,
    Date,
    Date32,
    /// `DateTime` with an optional explicit time zone.
    DateTime(Option<String>),
    /// `DateTime64(precision[, tz])`.
    DateTime64(u8, Option<String>),
    /// `Enum8`/`Enum16`: the width and the (name, value) pairs.
    Enum(u8, Vec<(String, i16)>),
    IPv4,
    IPv6,
    Json,
    Array(Box<ChType>),
    Nullable(Box<ChType>),
    LowCardinality(Box<ChType>),
    Map(Box<ChType>, Box<ChType>),
    /// `Tuple(T, ...)` or `Tuple(name T, ...)`.
    Tuple(Vec<(Option<String>, ChType)>),
}

/// Why a type name did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TypeError(pub String);

impl ChType {
    /// Parses a type name as ClickHouse spells it, e.g. `Nullable(DateTime64(3, 'UTC'))`.
    pub fn parse(text: &str) -> Result<ChType, TypeError> {
        let mut p = Parser { s: text, pos: 0 };
        let ty = p.ty()?;
        p.ws();
        if p.pos != text.len() {
            return Err(TypeError(format!(
                "unexpected {:?} after the type {ty}",
                &text[p.pos..]
            )));
        }
        Ok(ty)
    }

    /// True for `Nullable(T)`, also under `LowCardinality`.
    pub fn is_nullable(&self) -> bool {
        match self {
            ChType::Nullable(_) => true,
            ChType::LowCardinality(inner) => inner.is_nullable(),
            _ => false,
        }
    }

    /// The type under `Nullable` and `LowCardinality` wrappers.
    pub fn inner(&self) -> &ChType {
        match self {
            ChType::Nullable(t) | ChType::LowCardinality(t) => t.inner(),
            other => other,
        }
    }

    /// The explicit time zone of a `DateTime`/`DateTime64`, if any.
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
                        Some(n) => write!(f, "{n} {t}")?,
                        None => write!(f, "{t}")?,
                    }
                }
                f.write_str(")")
            }
        }
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.s[self.pos..].chars().next().map_or(1, char::len_utf8);
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.ws();
        self.s[self.pos..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char, what: &str) -> Result<(), TypeError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(TypeError(format!("expected {c:?} {what}")))
        }
    }

    fn word(&mut self) -> String {
        self.ws();
        let rest = &self.s[self.pos..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_string()
    }

    fn number(&mut self) -> Result<i64, TypeError> {
        self.ws();
        let rest = &self.s[self.pos..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
            .map_or(rest.len(), |(i, _)| i);
        let n = rest[..len]
            .parse()
            .map_err(|_| TypeError(format!("expected a number, found {:?}", rest)))?;
        self.pos += len;
        Ok(n)
    }

    fn string(&mut self) -> Result<String, TypeError> {
        if !self.eat('\'') {
            return Err(TypeError("expected a quoted string".into()));
        }
        let mut out = String::new();
        let mut chars = self.s[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        out.push(n);
                    }
                }
                '\'' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                other => out.push(other),
            }
        }
        Err(TypeError("unterminated string in the type".into()))
    }

    fn small(&mut self, what: &str, max: i64) -> Result<i64, TypeError> {
        let n = self.number()?;
        if !(0..=max).contains(&n) {
            return Err(TypeError(format!("{what} {n} is out of range 0..={max}")));
        }
        Ok(n)
    }

    fn ty(&mut self) -> Result<ChType, TypeError> {
        let name = self.word();
        if name.is_empty() {
            return Err(TypeError("expected a type name".into()));
        }
        let simple = match name.as_str() {
            "Int8" => Some(ChType::Int(8)),
            "Int16" => Some(ChType::Int(16)),
            "Int32" => Some(ChType::Int(32)),
            "Int64" => Some(ChType::Int(64)),
            "Int128" => Some(ChType::Int(128)),
            "Int256" => Some(ChType::Int(256)),
            "UInt8" => Some(ChType::UInt(8)),
            "UInt16" => Some(ChType::UInt(16)),
            "UInt32" => Some(ChType::UInt(32)),
            "UInt64" => Some(ChType::UInt(64)),
            "UInt128" => Some(ChType::UInt(128)),
            "UInt256" => Some(ChType::UInt(256)),
            "Float32" => Some(ChType::Float32),
            "Float64" => Some(ChType::Float64),
            "Bool" | "Boolean" => Some(ChType::Bool),
            "String" => Some(ChType::String),
            "UUID" => Some(ChType::Uuid),
            "Date" => Some(ChType::Date),
            "Date32" => Some(ChType::Date32),
            "IPv4" => Some(ChType::IPv4),
            "IPv6" => Some(ChType::IPv6),
            "JSON" => Some(ChType::Json),
            _ => None,
        };
        if let Some(t) = simple {
            return Ok(t);
        }
        let open = |p: &mut Self| p.expect('(', &format!("after {name}"));
        let close = |p: &mut Self| p.expect(')', &format!("to close {name}("));
        let ty = match name.as_str() {
            "DateTime" => {
                let tz = if self.eat('(') {
                    let tz = self.string()?;
                    close(self)?;
                    Some(tz)
                } else {
                    None
                };
                ChType::DateTime(tz)
            }
            "DateTime64" => {
                open(self)?;
                let p = self.small("DateTime64 precision", 9)? as u8;
                let tz = if self.eat(',') {
                    Some(self.string()?)
                } else {
                    None
                };
                close(self)?;
                ChType::DateTime64(p, tz)
            }
            "Decimal" => {
                open(self)?;
                let p = self.small("Decimal precision", 76)? as u8;
                let s = if self.eat(',') {
                    self.small("Decimal scale", i64::from(p))? as u8
                } else {
                    0
                };
                close(self)?;
                if p == 0 {
                    return Err(TypeError("Decimal precision must be at least 1".into()));
                }
                ChType::Decimal(p, s)
            }
            "Decimal32" | "Decimal64" | "Decimal128" | "Decimal256" => {
                let p = match name.as_str() {
                    "Decimal32" => 9,
                    "Decimal64" => 18,
                    "Decimal128" => 38,
                    _ => 76,
                };
                open(self)?;
                let s = self.small("Decimal scale", p)? as u8;
                close(self)?;
                ChType::Decimal(p as u8, s)
            }
            "FixedString" => {
                open(self)?;
                let n = self.number()?;
                close(self)?;
                if n < 1 || n > i64::from(u32::MAX) {
                    return Err(TypeError(format!("FixedString length {n} is out of range")));
                }
                ChType::FixedString(n as u32)
            }
            "Enum8" | "Enum16" => {
                let bits = if name == "Enum8" { 8 } else { 16 };
                open(self)?;
                let mut values = Vec::new();
                loop {
                    let label = self.string()?;
                    self.expect('=', "after an Enum label")?;
                    let v = self.number()?;
                    let range = if bits == 8 {
                        -128..=127
                    } else {
                        -32768..=32767
                    };
                    if !range.contains(&v) {
                        return Err(TypeError(format!("{name} value {v} is out of range")));
                    }
                    values.push((label, v as i16));
                    if !self.eat(',') {
                        break;
                    }
                }
                close(self)?;
                ChType::Enum(bits, values)
            }
            "Array" | "Nullable" | "LowCardinality" => {
                open(self)?;
                let inner = Box::new(self.ty()?);
                close(self)?;
                match name.as_str() {
                    "Array" => ChType::Array(inner),
                    "Nullable" => {
                        if matches!(
                            *inner,
                            ChType::Array(_)
                                | ChType::Map(..)
                                | ChType::Tuple(_)
                                | ChType::Nullable(_)
                                | ChType::LowCardinality(_)
                        ) {
                            return Err(TypeError(format!(
                                "Nullable({inner}) is not allowed: ClickHouse cannot make a composite type Nullable"
                            )));
                        }
                        ChType::Nullable(inner)
                    }
                    _ => ChType::LowCardinality(inner),
                }
            }
            "Map" => {
                open(self)?;
                let k = self.ty()?;
                self.expect(',', "between the Map key and value types")?;
                let v = self.ty()?;
                close(self)?;
                ChType::Map(Box::new(k), Box::new(v))
            }
            "Tuple" => {
                open(self)?;
                let mut items = Vec::new();
                loop {
                    // `name Type` or `Type`: a name is a word followed by another word.
                    let save = self.pos;
                    let first = self.word();
                    let next = self.peek();
                    let named = !first.is_empty()
                        && next.is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
                    self.pos = save;
                    let name = if named { Some(self.word()) } else { None };
                    items.push((name, self.ty()?));
                    if !self.eat(',') {
                        break;
                    }
                }
                close(self)?;
                ChType::Tuple(items)
            }
            other => {
                return Err(TypeError(format!(
                    "unknown type {other}{}",
                    suggestion(other)
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default()
                )))
            }
        };
        Ok(ty)
    }
}

/// A known type name close to `name`, for the error message.
fn suggestion(name: &str) -> Option<&'static str> {
    const KNOWN: &[&str] = &[
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "UInt8",
        "UInt16",
        "UInt32",
        "UInt64",
        "Float32",
        "Float64",
        "Decimal",
        "Bool",
        "String",
        "FixedString",
        "UUID",
        "Date",
        "Date32",
        "DateTime",
        "DateTime64",
        "Enum8",
        "Enum16",
        "IPv4",
        "IPv6",
        "JSON",
        "Array",
        "Nullable",
        "LowCardinality",
        "Map",
        "Tuple",
    ];
    KNOWN
        .iter()
        .map(|k| {
            (
                edit_distance(&k.to_ascii_lowercase(), &name.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= close_enough(name))
        .min()
        .map(|(_, k)| k)
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
mod tests {
    use super::*;

    fn round_trip(text: &str) {
        let ty = ChType::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(ty.to_string(), text, "canonical spelling");
        assert_eq!(ChType::parse(&ty.to_string()), Ok(ty));
    }

    #[test]
    fn every_supported_type_round_trips() {
        for t in [
            "Int8",
            "Int256",
            "UInt64",
            "Float32",
            "Float64",
            "Decimal(10, 2)",
            "Bool",
            "String",
            "FixedString(16)",
            "UUID",
            "Date",
            "Date32",
            "DateTime",
            "DateTime('Europe/Madrid')",
            "DateTime64(3)",
            "DateTime64(6, 'UTC')",
            "Enum8('a' = 1, 'b' = -2)",
            "Enum16('x' = 1000)",
            "IPv4",
            "IPv6",
            "JSON",
            "Array(String)",
            "Array(Array(Nullable(Int32)))",
            "Nullable(Decimal(38, 10))",
            "LowCardinality(String)",
            "LowCardinality(Nullable(String))",
            "Map(String, UInt64)",
            "Tuple(Int32, String)",
            "Tuple(a Int32, b Array(String))",
        ] {
            round_trip(t);
        }
    }

    #[test]
    fn aliases_and_spacing_normalise() {
        assert_eq!(ChType::parse("Decimal32(2)"), Ok(ChType::Decimal(9, 2)));
        assert_eq!(ChType::parse("Boolean"), Ok(ChType::Bool));
        assert_eq!(
            ChType::parse(" Nullable( Decimal(10,2) ) ").map(|t| t.to_string()),
            Ok("Nullable(Decimal(10, 2))".into())
        );
    }

    #[test]
    fn helpers_see_through_wrappers() {
        let t = ChType::parse("LowCardinality(Nullable(String))").expect("parses");
        assert!(t.is_nullable());
        assert_eq!(t.inner(), &ChType::String);
        let t = ChType::parse("Nullable(DateTime64(3, 'Asia/Tokyo'))").expect("parses");
        assert_eq!(t.timezone(), Some("Asia/Tokyo"));
        assert_eq!(ChType::parse("DateTime").expect("parses").timezone(), None);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let err = |t: &str| ChType::parse(t).expect_err(t).to_string();
        assert_eq!(
            err("DateTim64(3)"),
            "unknown type DateTim64 (did you mean DateTime64?)"
        );
        assert_eq!(err("Strng"), "unknown type Strng (did you mean String?)");
        assert_eq!(err("Blob"), "unknown type Blob");
        assert_eq!(
            err("DateTime64(12)"),
            "DateTime64 precision 12 is out of range 0..=9"
        );
        assert_eq!(
            err("Decimal(10, 20)"),
            "Decimal scale 20 is out of range 0..=10"
        );
        assert_eq!(err("Array(String"), "expected ')' to close Array(");
        assert_eq!(
            err("String extra"),
            "unexpected \"extra\" after the type String"
        );
        assert!(
            err("Nullable(Array(String))").starts_with("Nullable(Array(String)) is not allowed")
        );
        assert_eq!(err("Enum8('a' = 300)"), "Enum8 value 300 is out of range");
        assert_eq!(err(""), "expected a type name");
    }

    #[test]
    fn no_input_panics() {
        for t in [
            "(",
            ")",
            "Array(",
            "Tuple(",
            "Enum8('",
            "DateTime64(-1)",
            "Map(String",
            "Decimal(0)",
            "FixedString(0)",
            "Tuple(a)",
            "ÄÖ",
            "Int8\u{0}",
        ] {
            let _ = ChType::parse(t);
        }
    }
}

//! The parser behind [`ChType::parse`]: recursive descent over the type text, with
//! ClickHouse's rules on what may wrap what.

use super::{close_enough, edit_distance, quote, ChType, TypeError};

/// How deep types may nest; deeper input is refused rather than risking the stack.
const MAX_DEPTH: usize = 32;

/// Type names ClickHouse has that pipegate does not handle yet, so the error can say so
/// instead of calling them unknown.
const UNSUPPORTED: &[&str] = &[
    "Nested",
    "Dynamic",
    "Variant",
    "Object",
    "Nothing",
    "Time",
    "Time64",
    "BFloat16",
    "Point",
    "Ring",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "IntervalSecond",
    "IntervalMinute",
    "IntervalHour",
    "IntervalDay",
];

/// The type names offered in "did you mean" hints.
const KNOWN: &[&str] = &[
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "Int128",
    "Int256",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
    "UInt128",
    "UInt256",
    "Float32",
    "Float64",
    "Decimal",
    "Decimal32",
    "Decimal64",
    "Decimal128",
    "Decimal256",
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
    "SimpleAggregateFunction",
    "AggregateFunction",
];
/// Parses a whole type name: nothing may follow the type.
pub(super) fn parse(text: &str) -> Result<ChType, TypeError> {
    let mut p = Parser {
        s: text,
        pos: 0,
        depth: 0,
    };
    let ty = p.ty()?;
    p.ws();
    if p.pos != text.len() {
        return Err(TypeError(format!(
            "unexpected {:?} after the type {ty}",
            p.rest().trim()
        )));
    }
    Ok(ty)
}

/// A recursive-descent parser over the type text.
struct Parser<'a> {
    s: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn peek(&mut self) -> Option<char> {
        self.ws();
        self.rest().chars().next()
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
            return Ok(());
        }
        Err(TypeError(match self.peek() {
            Some(found) => format!("expected '{c}' {what}, found '{found}'"),
            None => format!("expected '{c}' {what}"),
        }))
    }

    /// An identifier, possibly empty.
    fn word(&mut self) -> String {
        self.ws();
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_string()
    }

    fn number(&mut self) -> Result<i64, TypeError> {
        self.ws();
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
            .map_or(rest.len(), |(i, _)| i);
        let n = rest[..len].parse().map_err(|_| {
            let found: String = rest.chars().take(12).collect();
            TypeError(if found.is_empty() {
                "expected a number".into()
            } else {
                format!("expected a number, found {found:?}")
            })
        })?;
        self.pos += len;
        Ok(n)
    }

    /// A quoted string (`'...'` with backslash escapes, or `` `...` `` for names).
    fn quoted(&mut self, q: char) -> Result<String, TypeError> {
        if !self.eat(q) {
            return Err(TypeError(format!("expected a {q}quoted{q} string")));
        }
        // Bytes, because `\xHH` escapes may spell UTF-8 sequences one byte at a time.
        let mut out: Vec<u8> = Vec::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'x')) => {
                        let hex: String = chars.by_ref().take(2).map(|(_, c)| c).collect();
                        let byte = (hex.len() == 2 && hex.chars().all(|c| c.is_ascii_hexdigit()))
                            .then(|| u8::from_str_radix(&hex, 16).ok())
                            .flatten()
                            .ok_or_else(|| {
                                TypeError(format!("bad escape \\x{hex} in a quoted string"))
                            })?;
                        out.push(byte);
                    }
                    Some((_, n)) => push_char(&mut out, unescape(n)),
                    None => break,
                },
                c if c == q => {
                    self.pos += i + 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                other => push_char(&mut out, other),
            }
        }
        Err(TypeError("unterminated string in the type".into()))
    }

    fn ranged(&mut self, what: &str, min: i64, max: i64) -> Result<i64, TypeError> {
        let n = self.number()?;
        if !(min..=max).contains(&n) {
            return Err(TypeError(format!(
                "{what} {n} is out of range {min}..={max}"
            )));
        }
        Ok(n)
    }

    fn ty(&mut self) -> Result<ChType, TypeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TypeError(format!(
                "the type nests deeper than {MAX_DEPTH} levels"
            )));
        }
        let ty = self.ty_inner();
        self.depth -= 1;
        ty
    }

    fn ty_inner(&mut self) -> Result<ChType, TypeError> {
        let name = self.word();
        if name.is_empty() {
            return Err(TypeError(match self.peek() {
                Some(c) => format!("expected a type name, found '{c}'"),
                None => "expected a type name".into(),
            }));
        }
        if let Some(t) = simple(&name) {
            return Ok(t);
        }
        let ty = match name.as_str() {
            "DateTime" => {
                let tz = if self.eat('(') {
                    if self.peek() != Some('\'') {
                        return Err(TypeError(
                            "DateTime takes only a time zone, as in DateTime('UTC'); for fractions of a second use DateTime64(3)".into(),
                        ));
                    }
                    let tz = self.quoted('\'')?;
                    self.close(&name)?;
                    Some(tz)
                } else {
                    None
                };
                ChType::DateTime(tz)
            }
            "DateTime64" => {
                self.open(&name)?;
                let p = self.ranged("DateTime64 precision", 0, 9)?;
                let tz = if self.eat(',') {
                    Some(self.quoted('\'')?)
                } else {
                    None
                };
                self.close(&name)?;
                ChType::DateTime64(p as u8, tz)
            }
            "Decimal" => {
                self.open(&name)?;
                let p = self.ranged("Decimal precision", 1, 76)?;
                let s = if self.eat(',') {
                    self.ranged("Decimal scale", 0, p)?
                } else {
                    0
                };
                self.close(&name)?;
                ChType::Decimal(p as u8, s as u8)
            }
            "Decimal32" | "Decimal64" | "Decimal128" | "Decimal256" => {
                let p = match name.as_str() {
                    "Decimal32" => 9,
                    "Decimal64" => 18,
                    "Decimal128" => 38,
                    _ => 76,
                };
                self.open(&name)?;
                let s = self.ranged(&format!("{name} scale"), 0, p)?;
                self.close(&name)?;
                ChType::Decimal(p as u8, s as u8)
            }
            "FixedString" => {
                self.open(&name)?;
                let n = self.ranged("FixedString length", 1, i64::from(u32::MAX))?;
                self.close(&name)?;
                ChType::FixedString(n as u32)
            }
            "Enum8" | "Enum16" => self.enumeration(&name)?,
            "Array" | "Nullable" | "LowCardinality" => {
                self.open(&name)?;
                let inner = self.ty()?;
                self.close(&name)?;
                wrap(&name, inner)?
            }
            "Map" => {
                self.open(&name)?;
                let k = self.ty()?;
                self.expect(',', "between the Map key and value types")?;
                let v = self.ty()?;
                self.close(&name)?;
                if k.is_nullable() {
                    return Err(TypeError(format!(
                        "Map cannot have a key of type {k}: use a non-Nullable key"
                    )));
                }
                ChType::Map(Box::new(k), Box::new(v))
            }
            "Tuple" => self.tuple()?,
            "SimpleAggregateFunction" => {
                self.open(&name)?;
                let func = self.function()?;
                self.expect(',', "after the SimpleAggregateFunction function")?;
                let t = self.ty()?;
                self.close(&name)?;
                ChType::SimpleAggregateFunction(func, Box::new(t))
            }
            "AggregateFunction" => {
                self.open(&name)?;
                let func = self.function()?;
                let mut args = Vec::new();
                while self.eat(',') {
                    args.push(self.ty()?);
                }
                self.close(&name)?;
                ChType::AggregateFunction(func, args)
            }
            "JSON" if self.peek() == Some('(') => {
                return Err(TypeError(
                    "JSON parameters are not supported: write JSON without arguments".into(),
                ))
            }
            "JSON" => ChType::Json,
            other if UNSUPPORTED.contains(&other) => {
                return Err(TypeError(format!(
                    "the ClickHouse type {other} is not supported by pipegate"
                )))
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

    fn open(&mut self, name: &str) -> Result<(), TypeError> {
        self.expect('(', &format!("after {name}"))
    }

    fn close(&mut self, name: &str) -> Result<(), TypeError> {
        self.expect(')', &format!("to close {name}("))
    }

    /// `Enum8('a' = 1, 'b' = 2)`, or `Enum8('a', 'b')` numbered from 1.
    fn enumeration(&mut self, name: &str) -> Result<ChType, TypeError> {
        let (bits, min, max) = if name == "Enum8" {
            (8, -128, 127)
        } else {
            (16, -32768, 32767)
        };
        self.open(name)?;
        if self.eat(')') {
            return Err(TypeError(format!("{name} needs at least one value")));
        }
        let mut values: Vec<(String, i16)> = Vec::new();
        let mut explicit = None;
        loop {
            let label = self.quoted('\'')?;
            let has_value = self.eat('=');
            if *explicit.get_or_insert(has_value) != has_value {
                return Err(TypeError(format!(
                    "{name}: give every label a value, or none (they are then numbered from 1)"
                )));
            }
            let v = if has_value {
                self.number()?
            } else {
                values.len() as i64 + 1
            };
            if !(min..=max).contains(&v) {
                return Err(TypeError(format!(
                    "{name} value {v} is out of range {min}..={max}"
                )));
            }
            if values.iter().any(|(l, _)| *l == label) {
                return Err(TypeError(format!(
                    "{name}: duplicate label {}",
                    quote(&label)
                )));
            }
            if let Some((other, _)) = values.iter().find(|(_, x)| i64::from(*x) == v) {
                return Err(TypeError(format!(
                    "{name}: {} and {} have the same value {v}",
                    quote(other),
                    quote(&label)
                )));
            }
            values.push((label, v as i16));
            if !self.eat(',') {
                break;
            }
        }
        self.close(name)?;
        Ok(ChType::Enum(bits, values))
    }

    /// `Tuple(T, ...)` or `Tuple(name T, ...)`; names may be backquoted.
    fn tuple(&mut self) -> Result<ChType, TypeError> {
        self.open("Tuple")?;
        let mut items: Vec<(Option<String>, ChType)> = Vec::new();
        if self.eat(')') {
            return Ok(ChType::Tuple(items));
        }
        loop {
            let name = if self.peek() == Some('`') {
                Some(self.quoted('`')?)
            } else {
                // `name Type` or `Type`: a name is a word followed by another word.
                let save = self.pos;
                let first = self.word();
                let named = !first.is_empty()
                    && self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
                if !named {
                    self.pos = save;
                }
                named.then_some(first)
            };
            if let Some(n) = &name {
                if items.iter().any(|(m, _)| m.as_ref() == Some(n)) {
                    return Err(TypeError(format!(
                        "Tuple element names must be unique: {n} appears twice"
                    )));
                }
            }
            if !items.is_empty() && items[0].0.is_some() != name.is_some() {
                return Err(TypeError(
                    "Tuple: name every element or none of them".into(),
                ));
            }
            items.push((name, self.ty()?));
            if !self.eat(',') {
                break;
            }
        }
        self.close("Tuple")?;
        Ok(ChType::Tuple(items))
    }

    /// An aggregate function name with optional parameters: `uniq`, `quantiles(0.5, 0.9)`.
    fn function(&mut self) -> Result<String, TypeError> {
        let name = self.word();
        if name.is_empty() {
            return Err(TypeError("expected an aggregate function name".into()));
        }
        if !self.eat('(') {
            return Ok(name);
        }
        let mut params = Vec::new();
        if !self.eat(')') {
            loop {
                self.ws();
                params.push(match self.peek() {
                    Some('\'') => quote(&self.quoted('\'')?),
                    _ => {
                        let rest = self.rest();
                        let len = rest
                            .find(|c: char| {
                                !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
                            })
                            .unwrap_or(rest.len());
                        if len == 0 {
                            return Err(TypeError(format!("expected a parameter of {name}(...)")));
                        }
                        self.pos += len;
                        rest[..len].to_string()
                    }
                });
                if !self.eat(',') {
                    break;
                }
            }
            self.close(&name)?;
        }
        Ok(format!("{name}({})", params.join(", ")))
    }
}

/// Types without arguments.
fn simple(name: &str) -> Option<ChType> {
    Some(match name {
        "Int8" => ChType::Int(8),
        "Int16" => ChType::Int(16),
        "Int32" => ChType::Int(32),
        "Int64" => ChType::Int(64),
        "Int128" => ChType::Int(128),
        "Int256" => ChType::Int(256),
        "UInt8" => ChType::UInt(8),
        "UInt16" => ChType::UInt(16),
        "UInt32" => ChType::UInt(32),
        "UInt64" => ChType::UInt(64),
        "UInt128" => ChType::UInt(128),
        "UInt256" => ChType::UInt(256),
        "Float32" => ChType::Float32,
        "Float64" => ChType::Float64,
        "Bool" => ChType::Bool,
        b if b.eq_ignore_ascii_case("bool") || b.eq_ignore_ascii_case("boolean") => ChType::Bool,
        "String" => ChType::String,
        "UUID" => ChType::Uuid,
        "Date" => ChType::Date,
        "Date32" => ChType::Date32,
        "IPv4" => ChType::IPv4,
        "IPv6" => ChType::IPv6,
        _ => return None,
    })
}

/// `Array`, `Nullable` or `LowCardinality` around `inner`, with ClickHouse's rules on what
/// each may wrap.
fn wrap(name: &str, inner: ChType) -> Result<ChType, TypeError> {
    let inner = Box::new(inner);
    match name {
        "Array" => Ok(ChType::Array(inner)),
        "Nullable" => match *inner {
            ChType::LowCardinality(ref t) => Err(TypeError(format!(
                "Nullable({inner}) is not allowed: write LowCardinality(Nullable({t}))"
            ))),
            ChType::Array(_)
            | ChType::Map(..)
            | ChType::Nullable(_)
            | ChType::SimpleAggregateFunction(..)
            | ChType::AggregateFunction(..) => Err(TypeError(format!(
                "Nullable({inner}) is not allowed: ClickHouse cannot make {inner} Nullable"
            ))),
            _ => Ok(ChType::Nullable(inner)),
        },
        _ => match inner.inner() {
            ChType::Array(_)
            | ChType::Map(..)
            | ChType::Tuple(_)
            | ChType::Json
            | ChType::Decimal(..)
            | ChType::SimpleAggregateFunction(..)
            | ChType::AggregateFunction(..) => Err(TypeError(format!(
                "LowCardinality({inner}) is not allowed: LowCardinality takes numbers, strings, dates and times"
            ))),
            _ if matches!(*inner, ChType::LowCardinality(_)) => Err(TypeError(format!(
                "LowCardinality({inner}) is not allowed: it is LowCardinality already"
            ))),
            _ => Ok(ChType::LowCardinality(inner)),
        },
    }
}

/// A known type name close to `name`, for the error message.
fn suggestion(name: &str) -> Option<&'static str> {
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

/// Appends `c` as UTF-8.
fn push_char(out: &mut Vec<u8>, c: char) {
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

/// The character a backslash escape stands for in a ClickHouse string literal.
fn unescape(c: char) -> char {
    match c {
        '0' => '\0',
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'a' => '\u{7}',
        'v' => '\u{b}',
        other => other,
    }
}

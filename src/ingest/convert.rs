//! One JSON value into one ClickHouse column value, encoded as RowBinary, following
//! ClickHouse's rules for reading JSON (`input_format_json_*` defaults) except where they
//! would store a wrong value: an out-of-range integer or date is refused, not wrapped.
//!
//! Each column's type is compiled once into a [`Conv`], so rows do not re-read type names or
//! time zones.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::clickhouse::types::ChType;

use super::json::Json;
use super::number;
use super::time::{self, Zone};

/// How to convert and encode values of one ClickHouse type.
#[derive(Debug, Clone)]
pub enum Conv {
    Int {
        bits: u16,
        signed: bool,
    },
    Float32,
    Float64,
    Decimal(u8, u8),
    Bool,
    String,
    FixedString(u32),
    Uuid,
    Date,
    Date32,
    DateTime(Zone),
    DateTime64(u8, Zone),
    Enum(u8, Vec<(String, i16)>),
    IPv4,
    IPv6,
    /// ClickHouse's JSON type, sent as text (`input_format_binary_read_json_as_string`).
    Json,
    Array(Box<Conv>),
    Nullable(Box<Conv>),
    Map(Box<Conv>, Box<Conv>),
    Tuple(Vec<(Option<String>, Conv)>),
    /// A type no JSON value converts to, with the reason.
    Refused(String),
}

/// Date: days since 1970 in a UInt16 (up to 2149-06-06).
const DATE_MAX: i64 = 65_535;
/// Date32 and DateTime64: 1900-01-01 ..= 2299-12-31, in days since 1970.
const DATE32_MIN: i64 = -25_567;
const DATE32_MAX: i64 = 120_529;

impl Conv {
    pub fn new(ty: &ChType) -> Conv {
        match ty {
            ChType::Int(bits) => Conv::Int {
                bits: *bits,
                signed: true,
            },
            ChType::UInt(bits) => Conv::Int {
                bits: *bits,
                signed: false,
            },
            ChType::Float32 => Conv::Float32,
            ChType::Float64 => Conv::Float64,
            ChType::Decimal(p, s) => Conv::Decimal(*p, *s),
            ChType::Bool => Conv::Bool,
            ChType::String => Conv::String,
            ChType::FixedString(n) => Conv::FixedString(*n),
            ChType::Uuid => Conv::Uuid,
            ChType::Date => Conv::Date,
            ChType::Date32 => Conv::Date32,
            ChType::DateTime(tz) => match Zone::of(tz.as_deref()) {
                Ok(z) => Conv::DateTime(z),
                Err(e) => Conv::Refused(e),
            },
            ChType::DateTime64(p, tz) => match Zone::of(tz.as_deref()) {
                Ok(z) => Conv::DateTime64(*p, z),
                Err(e) => Conv::Refused(e),
            },
            ChType::Enum(bits, values) => Conv::Enum(*bits, values.clone()),
            ChType::IPv4 => Conv::IPv4,
            ChType::IPv6 => Conv::IPv6,
            ChType::Json => Conv::Json,
            ChType::Array(t) => Conv::Array(Box::new(Conv::new(t))),
            ChType::Nullable(t) => Conv::Nullable(Box::new(Conv::new(t))),
            // Same bytes as the type it wraps.
            ChType::LowCardinality(t) => Conv::new(t),
            ChType::SimpleAggregateFunction(_, t) => Conv::new(t),
            ChType::Map(k, v) => Conv::Map(Box::new(Conv::new(k)), Box::new(Conv::new(v))),
            ChType::Tuple(items) => Conv::Tuple(
                items
                    .iter()
                    .map(|(n, t)| (n.clone(), Conv::new(t)))
                    .collect(),
            ),
            ChType::AggregateFunction(..) => Conv::Refused(format!(
                "{ty} columns hold aggregation states, which cannot be sent as JSON"
            )),
        }
    }

    /// Encodes `v` as RowBinary into `out`. On error `out` may hold part of the value; the
    /// caller drops the row.
    pub fn encode(&self, v: &Json, out: &mut Vec<u8>) -> Result<(), String> {
        if let (Json::Null, Conv::Nullable(_)) = (v, self) {
            out.push(1);
            return Ok(());
        }
        if let Json::Null = v {
            return Err("null where the type is not Nullable".into());
        }
        match self {
            Conv::Nullable(inner) => {
                out.push(0);
                inner.encode(v, out)
            }
            Conv::Int { bits, signed } => {
                let text = scalar_text(v, "an integer")?;
                if *bits <= 64 {
                    if let Some(bytes) = small_int(text.trim(), *bits, *signed) {
                        out.extend_from_slice(&bytes[..usize::from(*bits / 8)]);
                        return Ok(());
                    }
                }
                out.extend_from_slice(&number::integer(&text, *bits, *signed)?);
                Ok(())
            }
            Conv::Float32 => {
                let f = number::float(&scalar_text(v, "a number")?)?;
                let g = f as f32;
                if f.is_finite() && !g.is_finite() {
                    return Err(format!("{f} is out of range for Float32"));
                }
                out.extend_from_slice(&g.to_le_bytes());
                Ok(())
            }
            Conv::Float64 => {
                let f = number::float(&scalar_text(v, "a number")?)?;
                out.extend_from_slice(&f.to_le_bytes());
                Ok(())
            }
            Conv::Decimal(p, s) => {
                out.extend_from_slice(&number::decimal(&scalar_text(v, "a number")?, *p, *s)?);
                Ok(())
            }
            Conv::Bool => {
                let b = match v {
                    Json::Bool(b) => *b,
                    Json::Number("0") => false,
                    Json::Number("1") => true,
                    Json::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        other => {
                            return Err(format!("{other:?} is not a boolean (true, false, 1 or 0)"))
                        }
                    },
                    other => {
                        return Err(format!(
                            "{} is not a boolean (true, false, 1 or 0)",
                            other.json()
                        ))
                    }
                };
                out.push(u8::from(b));
                Ok(())
            }
            Conv::String | Conv::Json => {
                if matches!(self, Conv::Json) && !matches!(v, Json::Object(_)) {
                    return Err(format!("a JSON column takes an object, not {}", v.kind()));
                }
                let text = v.text();
                string(text.as_bytes(), out);
                Ok(())
            }
            Conv::FixedString(n) => {
                let text = v.text();
                let bytes = text.as_bytes();
                if bytes.len() > *n as usize {
                    return Err(format!("{} bytes do not fit FixedString({n})", bytes.len()));
                }
                out.extend_from_slice(bytes);
                out.resize(out.len() + (*n as usize - bytes.len()), 0);
                Ok(())
            }
            Conv::Uuid => {
                let text = string_only(v, "a UUID")?;
                let u = parse_uuid(text.trim()).ok_or_else(|| format!("{text:?} is not a UUID"))?;
                // ClickHouse stores a UUID as two 64-bit halves, each little-endian.
                out.extend_from_slice(
                    &u64::from_be_bytes(u[..8].try_into().unwrap_or_default()).to_le_bytes(),
                );
                out.extend_from_slice(
                    &u64::from_be_bytes(u[8..].try_into().unwrap_or_default()).to_le_bytes(),
                );
                Ok(())
            }
            Conv::Date | Conv::Date32 => {
                let d = time::days(&scalar_text(v, "a date")?)?;
                let (lo, hi) = if matches!(self, Conv::Date) {
                    (0, DATE_MAX)
                } else {
                    (DATE32_MIN, DATE32_MAX)
                };
                if !(lo..=hi).contains(&d) {
                    return Err(format!(
                        "{} is out of range for {}",
                        v.text(),
                        if lo == 0 {
                            "Date (1970-01-01 to 2149-06-06)"
                        } else {
                            "Date32 (1900-01-01 to 2299-12-31)"
                        }
                    ));
                }
                if matches!(self, Conv::Date) {
                    out.extend_from_slice(&(d as u16).to_le_bytes());
                } else {
                    out.extend_from_slice(&(d as i32).to_le_bytes());
                }
                Ok(())
            }
            Conv::DateTime(zone) => {
                let i = time::instant(&scalar_text(v, "a date and time")?, zone)?;
                let secs = u32::try_from(i.secs).map_err(|_| {
                    format!(
                        "{} is out of range for DateTime (1970-01-01 to 2106-02-07)",
                        v.text()
                    )
                })?;
                out.extend_from_slice(&secs.to_le_bytes());
                Ok(())
            }
            Conv::DateTime64(p, zone) => {
                let i = time::instant(&scalar_text(v, "a date and time")?, zone)?;
                let range = (DATE32_MIN * 86_400)..((DATE32_MAX + 1) * 86_400);
                let ticks = i
                    .ticks(*p)
                    .filter(|_| range.contains(&i.secs))
                    .ok_or_else(|| {
                        format!(
                            "{} is out of range for DateTime64 (1900-01-01 to 2299-12-31)",
                            v.text()
                        )
                    })?;
                out.extend_from_slice(&ticks.to_le_bytes());
                Ok(())
            }
            Conv::Enum(bits, values) => {
                let value = match v {
                    Json::Str(s) => values
                        .iter()
                        .find(|(l, _)| l == s.as_ref())
                        .map(|(_, n)| *n),
                    Json::Number(n) => n
                        .parse::<i16>()
                        .ok()
                        .filter(|n| values.iter().any(|(_, x)| x == n)),
                    _ => None,
                }
                .ok_or_else(|| format!("{} is not a value of the enum", v.json()))?;
                if *bits == 8 {
                    out.push(value as i8 as u8);
                } else {
                    out.extend_from_slice(&value.to_le_bytes());
                }
                Ok(())
            }
            Conv::IPv4 => {
                let ip = match v {
                    Json::Number(n) => n.parse::<u32>().ok(),
                    Json::Str(s) => s.trim().parse::<Ipv4Addr>().ok().map(u32::from),
                    _ => None,
                }
                .ok_or_else(|| format!("{} is not an IPv4 address", v.json()))?;
                out.extend_from_slice(&ip.to_le_bytes());
                Ok(())
            }
            Conv::IPv6 => {
                let text = string_only(v, "an IPv6 address")?;
                let t = text.trim();
                let ip = t
                    .parse::<Ipv6Addr>()
                    .ok()
                    .or_else(|| t.parse::<Ipv4Addr>().ok().map(|a| a.to_ipv6_mapped()))
                    .ok_or_else(|| format!("{t:?} is not an IP address"))?;
                out.extend_from_slice(&ip.octets());
                Ok(())
            }
            Conv::Array(inner) => {
                let items = v
                    .items()
                    .ok_or_else(|| format!("expected an array, got {}", v.kind()))?;
                varint(items.len() as u64, out);
                for (i, item) in items.iter().enumerate() {
                    inner
                        .encode(item, out)
                        .map_err(|e| format!("element {i}: {e}"))?;
                }
                Ok(())
            }
            Conv::Map(k, val) => {
                let members = v
                    .members()
                    .ok_or_else(|| format!("expected an object for a Map, got {}", v.kind()))?;
                varint(members.len() as u64, out);
                for (key, value) in &members {
                    let key_json = match k.as_ref() {
                        Conv::Int { .. } | Conv::Float32 | Conv::Float64 | Conv::Decimal(..) => {
                            Json::Number(key)
                        }
                        _ => Json::Str(key.clone()),
                    };
                    k.encode(&key_json, out)
                        .map_err(|e| format!("key {key:?}: {e}"))?;
                    val.encode(value, out)
                        .map_err(|e| format!("key {key:?}: {e}"))?;
                }
                Ok(())
            }
            Conv::Tuple(items) => {
                if let Some(values) = v.items() {
                    if values.len() != items.len() {
                        return Err(format!(
                            "a tuple of {} takes {} values, got {}",
                            items.len(),
                            items.len(),
                            values.len()
                        ));
                    }
                    for (i, ((_, conv), value)) in items.iter().zip(&values).enumerate() {
                        conv.encode(value, out)
                            .map_err(|e| format!("element {}: {e}", i + 1))?;
                    }
                    return Ok(());
                }
                let members = v.members().ok_or_else(|| {
                    format!("expected an array or object for a Tuple, got {}", v.kind())
                })?;
                for (name, conv) in items {
                    let name = name.as_deref().ok_or("an unnamed Tuple takes an array")?;
                    let value = members
                        .iter()
                        .rev()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or(Json::Null);
                    conv.encode(&value, out)
                        .map_err(|e| format!("{name}: {e}"))?;
                }
                Ok(())
            }
            Conv::Refused(why) => Err(why.clone()),
        }
    }

    /// Whether values of this type may be missing and stored as an empty array.
    pub fn is_array(&self) -> bool {
        matches!(self, Conv::Array(_))
    }
}

/// A scalar's text: a number's digits or a string's characters (ClickHouse reads quoted
/// numbers and dates from JSON strings).
fn scalar_text<'a>(v: &'a Json, want: &str) -> Result<std::borrow::Cow<'a, str>, String> {
    match v {
        Json::Number(n) => Ok(std::borrow::Cow::Borrowed(n)),
        Json::Str(s) => Ok(std::borrow::Cow::Borrowed(s.as_ref())),
        other => Err(format!("expected {want}, got {}", other.kind())),
    }
}

fn string_only<'a>(v: &'a Json, want: &str) -> Result<&'a str, String> {
    match v {
        Json::Str(s) => Ok(s.as_ref()),
        other => Err(format!("expected {want} as a string, got {}", other.kind())),
    }
}

/// An integer of up to 64 bits by the fast path, little-endian in 8 bytes; `None` sends the
/// text to the exact, slower path (which also words the error).
fn small_int(t: &str, bits: u16, signed: bool) -> Option<[u8; 8]> {
    if signed {
        let v: i64 = t.parse().ok()?;
        let half = 1i128 << (bits - 1);
        ((-half..half).contains(&i128::from(v))).then(|| v.to_le_bytes())
    } else {
        let v: u64 = t.parse().ok()?;
        (bits == 64 || v < (1u64 << bits)).then(|| v.to_le_bytes())
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` or 32 hex digits, as 16 bytes.
fn parse_uuid(t: &str) -> Option<[u8; 16]> {
    let hex: Vec<u8> = match t.len() {
        36 => {
            let b = t.as_bytes();
            if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
                return None;
            }
            t.bytes().filter(|c| *c != b'-').collect()
        }
        32 => t.bytes().collect(),
        _ => return None,
    };
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        *out.get_mut(i)? = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// RowBinary's LEB128 length prefix.
pub fn varint(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A RowBinary String: its length, then its bytes.
pub fn string(bytes: &[u8], out: &mut Vec<u8>) {
    varint(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;

//! Bind parameters from Postgres clients, turned into ClickHouse SQL literals.
//!
//! Extended-protocol `$n` parameters bind like literals (DESIGN.md): each one arrives as
//! text or binary for a type OID, is checked against that type the way Postgres's input
//! function would check it, and leaves as a ClickHouse literal that no input can escape:
//! strings go through [`literal::string`] (backslash escaping), everything else is
//! rebuilt from parsed values, never copied through.
//!
//! Literal shapes: `NULL`; `true`/`false`; integers (negative ones parenthesized); floats
//! in shortest form, `nan`, `inf`, `(-inf)`; numeric as a plain decimal when it has at most
//! 15 significant digits (ClickHouse reads it as Float64 without loss), else
//! `toDecimal256('…', scale)`; strings and JSON as string literals; `toDate32('…')`;
//! timestamps as `toDateTime64('…', 6, 'UTC')` (a `timestamp` is taken as a UTC wall
//! clock, as the encoder shows one; a `timestamptz` without an offset is taken as UTC);
//! `toUUID('…')`; arrays as `[…]`.

use pgwire::api::results::FieldFormat;
use pgwire::api::Type;

use super::encode::{civil_from_days, days_from_civil};
use crate::template::literal;

mod text;

/// Why a parameter could not be bound. `InvalidText` and `OutOfRange` are the client's
/// data (SQLSTATE 22P02 and 22003); `InvalidBinary` is a malformed message (08P01);
/// `Unsupported` is a type pipegate does not take yet (0A000).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("invalid input syntax for type {ty}: \"{value}\"")]
    InvalidText { ty: String, value: String },
    #[error("value \"{value}\" is out of range for type {ty}")]
    OutOfRange { ty: String, value: String },
    #[error("incorrect binary data format in bind parameter of type {ty}: {reason}")]
    InvalidBinary { ty: String, reason: String },
    #[error("bind parameters of type {0} are not supported")]
    Unsupported(String),
}

impl ParamError {
    /// The SQLSTATE the client gets.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            ParamError::InvalidText { .. } => "22P02",
            ParamError::OutOfRange { .. } => "22003",
            ParamError::InvalidBinary { .. } => "08P01",
            ParamError::Unsupported(_) => "0A000",
        }
    }
}

/// Renders one bind parameter as a ClickHouse literal. `bytes` is `None` for SQL NULL.
pub fn param_to_literal(
    ty: &Type,
    format: FieldFormat,
    bytes: Option<&[u8]>,
) -> Result<String, ParamError> {
    let Some(bytes) = bytes else {
        return Ok("NULL".into());
    };
    match format {
        FieldFormat::Text => {
            let s = std::str::from_utf8(bytes).map_err(|_| ParamError::InvalidText {
                ty: ty.name().into(),
                value: String::from_utf8_lossy(bytes).into_owned(),
            })?;
            from_text(ty, s)
        }
        FieldFormat::Binary => from_binary(ty, bytes),
    }
}

fn invalid(ty: &Type, value: &str) -> ParamError {
    ParamError::InvalidText {
        ty: pg_name(ty).into(),
        value: value.into(),
    }
}

fn out_of_range(ty: &Type, value: &str) -> ParamError {
    ParamError::OutOfRange {
        ty: pg_name(ty).into(),
        value: value.into(),
    }
}

fn bad_binary(ty: &Type, reason: impl Into<String>) -> ParamError {
    ParamError::InvalidBinary {
        ty: pg_name(ty).into(),
        reason: reason.into(),
    }
}

/// The type names Postgres uses in its messages (`integer`, not `int4`).
fn pg_name(ty: &Type) -> &str {
    match *ty {
        Type::INT2 => "smallint",
        Type::INT4 => "integer",
        Type::INT8 => "bigint",
        Type::FLOAT4 => "real",
        Type::FLOAT8 => "double precision",
        Type::BOOL => "boolean",
        Type::TIMESTAMP => "timestamp",
        Type::TIMESTAMPTZ => "timestamp with time zone",
        _ => ty.name(),
    }
}

/// Whether the type is taken as a string literal.
fn is_texty(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::CHAR
    )
}

/// The element type of the array types taken as parameters.
fn array_element(ty: &Type) -> Option<Type> {
    Some(match *ty {
        Type::BOOL_ARRAY => Type::BOOL,
        Type::INT2_ARRAY => Type::INT2,
        Type::INT4_ARRAY => Type::INT4,
        Type::INT8_ARRAY => Type::INT8,
        Type::FLOAT4_ARRAY => Type::FLOAT4,
        Type::FLOAT8_ARRAY => Type::FLOAT8,
        Type::NUMERIC_ARRAY => Type::NUMERIC,
        Type::TEXT_ARRAY => Type::TEXT,
        Type::VARCHAR_ARRAY => Type::VARCHAR,
        Type::BPCHAR_ARRAY => Type::BPCHAR,
        Type::NAME_ARRAY => Type::NAME,
        Type::DATE_ARRAY => Type::DATE,
        Type::TIMESTAMP_ARRAY => Type::TIMESTAMP,
        Type::TIMESTAMPTZ_ARRAY => Type::TIMESTAMPTZ,
        Type::UUID_ARRAY => Type::UUID,
        Type::JSON_ARRAY => Type::JSON,
        Type::JSONB_ARRAY => Type::JSONB,
        _ => return None,
    })
}

fn from_text(ty: &Type, s: &str) -> Result<String, ParamError> {
    if is_texty(ty) {
        if s.contains('\0') {
            return Err(invalid(ty, s));
        }
        return Ok(literal::string(s));
    }
    if let Some(elem) = array_element(ty) {
        return text::array(ty, &elem, s);
    }
    let t = s.trim();
    match *ty {
        Type::BOOL => text::boolean(t)
            .ok_or_else(|| invalid(ty, s))
            .map(str::to_string),
        Type::INT2 | Type::INT4 | Type::INT8 => {
            let v: i64 = t.parse().map_err(|_| {
                if !t.is_empty()
                    && t.trim_start_matches(['-', '+'])
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                {
                    out_of_range(ty, s)
                } else {
                    invalid(ty, s)
                }
            })?;
            let (min, max) = match *ty {
                Type::INT2 => (i64::from(i16::MIN), i64::from(i16::MAX)),
                Type::INT4 => (i64::from(i32::MIN), i64::from(i32::MAX)),
                _ => (i64::MIN, i64::MAX),
            };
            if !(min..=max).contains(&v) {
                return Err(out_of_range(ty, s));
            }
            Ok(literal::integer(&v.to_string(), true))
        }
        Type::FLOAT4 | Type::FLOAT8 => {
            let v = text::float(t).ok_or_else(|| invalid(ty, s))?;
            if *ty == Type::FLOAT4 {
                let v32 = v as f32;
                if v.is_finite() && !v32.is_finite() {
                    return Err(out_of_range(ty, s));
                }
                return Ok(float_literal(f64::from(v32), Some(v32)));
            }
            Ok(float_literal(v, None))
        }
        Type::NUMERIC => text::numeric(t).ok_or_else(|| invalid(ty, s)),
        Type::DATE => {
            let days = text::date(t).ok_or_else(|| invalid(ty, s))?;
            Ok(date_literal(days))
        }
        Type::TIMESTAMP | Type::TIMESTAMPTZ => {
            let micros =
                text::timestamp(t, *ty == Type::TIMESTAMPTZ).ok_or_else(|| invalid(ty, s))?;
            Ok(timestamp_literal(micros))
        }
        Type::UUID => {
            let bytes = text::uuid(t).ok_or_else(|| invalid(ty, s))?;
            Ok(uuid_literal(&bytes))
        }
        Type::JSON | Type::JSONB => {
            serde_json::from_str::<serde::de::IgnoredAny>(s).map_err(|_| invalid(ty, s))?;
            Ok(literal::string(s))
        }
        _ => Err(ParamError::Unsupported(ty.name().into())),
    }
}

fn from_binary(ty: &Type, b: &[u8]) -> Result<String, ParamError> {
    if is_texty(ty) {
        let s = std::str::from_utf8(b).map_err(|_| bad_binary(ty, "invalid UTF-8"))?;
        if s.contains('\0') {
            return Err(bad_binary(ty, "a NUL byte in text"));
        }
        return Ok(literal::string(s));
    }
    if let Some(elem) = array_element(ty) {
        return text::binary_array(ty, &elem, b);
    }
    let fixed = |n: usize| -> Result<&[u8], ParamError> {
        if b.len() == n {
            Ok(b)
        } else {
            Err(bad_binary(ty, format!("{} bytes, expected {n}", b.len())))
        }
    };
    let int = |v: i64| literal::integer(&v.to_string(), true);
    Ok(match *ty {
        Type::BOOL => match fixed(1)?[0] {
            0 => "false".into(),
            _ => "true".into(),
        },
        Type::INT2 => int(i64::from(i16::from_be_bytes(array(fixed(2)?)))),
        Type::INT4 => int(i64::from(i32::from_be_bytes(array(fixed(4)?)))),
        Type::INT8 => int(i64::from_be_bytes(array(fixed(8)?))),
        Type::FLOAT4 => {
            let v = f32::from_be_bytes(array(fixed(4)?));
            float_literal(f64::from(v), Some(v))
        }
        Type::FLOAT8 => float_literal(f64::from_be_bytes(array(fixed(8)?)), None),
        Type::NUMERIC => {
            text::binary_numeric(b).ok_or_else(|| bad_binary(ty, "malformed numeric"))?
        }
        Type::DATE => {
            let days = i32::from_be_bytes(array(fixed(4)?));
            if days == i32::MIN || days == i32::MAX {
                return Err(ParamError::Unsupported("infinite dates".into()));
            }
            date_literal(i64::from(days) + super::encode::days_from_civil(2000, 1, 1))
        }
        Type::TIMESTAMP | Type::TIMESTAMPTZ => {
            let us = i64::from_be_bytes(array(fixed(8)?));
            if us == i64::MIN || us == i64::MAX {
                return Err(ParamError::Unsupported("infinite timestamps".into()));
            }
            let epoch = days_from_civil(2000, 1, 1) * 86_400_000_000;
            timestamp_literal(
                us.checked_add(epoch)
                    .ok_or_else(|| bad_binary(ty, "out of range"))?,
            )
        }
        Type::UUID => uuid_literal(&array(fixed(16)?)),
        Type::JSON | Type::JSONB => {
            let body = if *ty == Type::JSONB {
                match b.split_first() {
                    Some((1, rest)) => rest,
                    _ => return Err(bad_binary(ty, "unsupported jsonb version")),
                }
            } else {
                b
            };
            let s = std::str::from_utf8(body).map_err(|_| bad_binary(ty, "invalid UTF-8"))?;
            serde_json::from_str::<serde::de::IgnoredAny>(s).map_err(|_| invalid(ty, s))?;
            literal::string(s)
        }
        _ => return Err(ParamError::Unsupported(ty.name().into())),
    })
}

/// Copies a slice of known length into an array (the caller checked the length).
fn array<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&b[..N]);
    out
}

/// A float literal: shortest form (of the f32 when given), `nan`, `inf`, `(-inf)`.
fn float_literal(v: f64, single: Option<f32>) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "inf".into()
        } else {
            "(-inf)".into()
        };
    }
    let text = match single {
        Some(f) => format!("{f:?}"),
        None => format!("{v:?}"),
    };
    literal::integer(&text, true)
}

fn date_literal(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("toDate32('{y:04}-{m:02}-{d:02}')")
}

fn timestamp_literal(micros: i64) -> String {
    let days = micros.div_euclid(86_400_000_000);
    let rest = micros.rem_euclid(86_400_000_000);
    let (y, m, d) = civil_from_days(days);
    let secs = rest / 1_000_000;
    format!(
        "toDateTime64('{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:06}', 6, 'UTC')",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        rest % 1_000_000
    )
}

fn uuid_literal(b: &[u8; 16]) -> String {
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "toUUID('{}-{}-{}-{}-{}')",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests;

//! Casts between the types constants support, as PostgreSQL does them: numeric
//! conversions with its rounding and range errors, and text through each type's input
//! function (`int4in`, `numeric_in`, `float8in`, `boolin`).

use super::number::{float_to_dec, Dec};
use super::{
    bad_input, check_int, error, out_of_range, truncate_bytes, Ty, Val, MAX_IDENTIFIER_BYTES,
};
use crate::query::sqlstate;
use crate::query::QueryError;

/// PostgreSQL's casts between the supported types; text goes through the input
/// functions (I/O conversion).
pub(super) fn cast(v: Val, from: Ty, to: Ty) -> Result<Val, QueryError> {
    let cannot = || {
        error(
            sqlstate::CANNOT_COERCE,
            format!("cannot cast type {} to {}", from.sql_name(), to.sql_name()),
        )
    };
    match to {
        Ty::Int2 | Ty::Int4 | Ty::Int8 => {
            let n = match v {
                Val::Int(i) => i,
                Val::Numeric(d) => d.to_int().ok_or_else(|| out_of_range(to))?,
                Val::Float(f, _) => {
                    let r = f.round_ties_even();
                    if !r.is_finite() || r.abs() > 1e19 {
                        return Err(out_of_range(to));
                    }
                    r as i128
                }
                Val::Bool(b) if to == Ty::Int4 => i128::from(b),
                Val::Bool(_) => return Err(cannot()),
                Val::Str(s) => return int_input(&s, to),
            };
            Ok(Val::Int(check_int(to, n)?))
        }
        Ty::Numeric(typmod) => {
            let d = match v {
                Val::Int(i) => Dec::from_int(i),
                Val::Numeric(d) => d,
                Val::Float(f, f4) => float_to_dec(f, f4).ok_or_else(cannot)?,
                Val::Bool(_) => return Err(cannot()),
                Val::Str(s) => Dec::parse(&s).ok_or_else(|| bad_input(to, &s))?,
            };
            match typmod {
                None => Ok(Val::Numeric(d)),
                Some((p, s)) => {
                    let r = d.round(s);
                    if r.integer_digits() > p.saturating_sub(s) as usize {
                        let max = p.saturating_sub(s);
                        let limit = if max == 0 {
                            "1".to_string()
                        } else {
                            format!("10^{max}")
                        };
                        return Err(QueryError::Coded {
                            code: sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
                            message: "numeric field overflow".into(),
                            hint: Some(format!("A field with precision {p}, scale {s} must round to an absolute value less than {limit}.")),
                        });
                    }
                    Ok(Val::Numeric(r))
                }
            }
        }
        Ty::Float4 | Ty::Float8 => {
            let float4 = to == Ty::Float4;
            let f = match v {
                Val::Int(i) => i as f64,
                Val::Numeric(d) => d.to_f64(),
                Val::Float(f, _) => f,
                Val::Bool(_) => return Err(cannot()),
                Val::Str(s) => float_input(&s, to)?,
            };
            if float4 && f.is_finite() && (f as f32).is_infinite() {
                return Err(error(
                    sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
                    "value out of range: overflow".into(),
                ));
            }
            Ok(Val::Float(
                if float4 { f64::from(f as f32) } else { f },
                float4,
            ))
        }
        Ty::Bool => match v {
            Val::Bool(b) => Ok(Val::Bool(b)),
            Val::Int(i) if from == Ty::Int4 => Ok(Val::Bool(i != 0)),
            Val::Str(s) => crate::query::session::parse_boolean(s.trim())
                .map(Val::Bool)
                .ok_or_else(|| bad_input(to, &s)),
            _ => Err(cannot()),
        },
        Ty::Text | Ty::Varchar(_) | Ty::Bpchar(_) | Ty::Name | Ty::Unknown => {
            let s = match v {
                Val::Bool(b) => if b { "true" } else { "false" }.to_string(),
                Val::Str(s) => s,
                other => other.text(1),
            };
            Ok(Val::Str(match to {
                Ty::Varchar(Some(n)) => s.chars().take(n).collect(),
                Ty::Bpchar(Some(n)) => {
                    let mut t: String = s.chars().take(n).collect();
                    let len = t.chars().count();
                    t.extend(std::iter::repeat_n(' ', n - len));
                    t
                }
                Ty::Name => truncate_bytes(&s, MAX_IDENTIFIER_BYTES),
                _ => s,
            }))
        }
    }
}

/// `int2in`/`int4in`/`int8in`: optional spaces and sign, decimal digits (with `_`
/// between them) or `0x`/`0o`/`0b` prefixed.
fn int_input(text: &str, ty: Ty) -> Result<Val, QueryError> {
    let s = text.trim();
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = match body.get(..2).map(str::to_ascii_lowercase).as_deref() {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ => (10, body),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c == '_' || c.is_digit(radix));
    if !well_formed {
        return Err(bad_input(ty, text));
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let out_of_range = || {
        error(
            sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
            format!(
                "value \"{text}\" is out of range for type {}",
                ty.sql_name()
            ),
        )
    };
    let magnitude = i128::from_str_radix(&clean, radix).map_err(|_| out_of_range())?;
    let n = if negative { -magnitude } else { magnitude };
    check_int(ty, n).map(Val::Int).map_err(|_| out_of_range())
}

/// `float8in`/`float4in`: a decimal number, `NaN`, `Infinity`, `inf`.
fn float_input(text: &str, ty: Ty) -> Result<f64, QueryError> {
    let s = text.trim();
    let f: f64 = s.parse().map_err(|_| bad_input(ty, text))?;
    let word = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
    let infinite_word = word == "inf" || word == "infinity";
    let too_big = f.is_infinite() && !infinite_word
        || ty == Ty::Float4 && f.is_finite() && (f as f32).is_infinite();
    if too_big {
        return Err(error(
            sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
            format!("\"{text}\" is out of range for type {}", ty.sql_name()),
        ));
    }
    Ok(f)
}

//! Casts (`x::type`, `CAST(x AS type)`) and typed literals (`date '…'`), from PostgreSQL's
//! type names to ClickHouse conversions with PostgreSQL's results:
//! - to an integer, a number rounds (PostgreSQL) instead of truncating (ClickHouse);
//! - `varchar(n)` cuts to `n` characters;
//! - text to a timestamp accepts PostgreSQL's input forms (`parseDateTime64BestEffort`);
//! - `'{1,2}'::int[]` reads PostgreSQL's array syntax;
//! - `'yes'::boolean` takes PostgreSQL's boolean spellings.

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, Expr, TimezoneInfo, Value,
};

use super::expr::{bool_lit, Typed};
use super::query::Translator;
use super::render::{call, number, string};
use super::{unsupported, Ty};
use crate::query::QueryError;

/// A PostgreSQL type name as the target of a cast.
#[derive(Debug, Clone)]
struct Target {
    ty: Ty,
    /// `varchar(n)`: the length limit.
    length: Option<u64>,
    /// `numeric(p, s)`: precision and scale.
    decimal: Option<(u64, u64)>,
}

fn target(dt: &DataType) -> Result<Target, QueryError> {
    let plain = |ty| Target {
        ty,
        length: None,
        decimal: None,
    };
    Ok(match dt {
        DataType::SmallInt(_) | DataType::Int2(_) => plain(Ty::Int2),
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => plain(Ty::Int4),
        DataType::BigInt(_) | DataType::Int8(_) => plain(Ty::Int8),
        DataType::Real | DataType::Float4 => plain(Ty::Float4),
        DataType::DoublePrecision | DataType::Float8 => plain(Ty::Float8),
        DataType::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => plain(Ty::Float4),
        DataType::Float(_) => plain(Ty::Float8),
        DataType::Numeric(info) | DataType::Decimal(info) => Target {
            ty: Ty::Numeric,
            length: None,
            decimal: match info {
                ExactNumberInfo::None => None,
                ExactNumberInfo::Precision(p) => Some((*p, 0)),
                ExactNumberInfo::PrecisionAndScale(p, s) => Some((*p, (*s).max(0) as u64)),
            },
        },
        DataType::Text | DataType::String(None) => plain(Ty::Text),
        DataType::Varchar(len)
        | DataType::CharacterVarying(len)
        | DataType::Char(len)
        | DataType::Character(len) => Target {
            ty: Ty::Text,
            length: match len {
                Some(CharacterLength::IntegerLength { length, .. }) => Some(*length),
                _ => None,
            },
            decimal: None,
        },
        DataType::Boolean | DataType::Bool => plain(Ty::Bool),
        DataType::Date => plain(Ty::Date),
        DataType::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => {
            plain(Ty::TimestampTz)
        }
        DataType::Timestamp(_, _) => plain(Ty::Timestamp),
        DataType::Interval { .. } => plain(Ty::Interval),
        DataType::Uuid => plain(Ty::Uuid),
        DataType::JSON | DataType::JSONB => plain(Ty::Jsonb),
        DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _)) => {
            let t = target(inner)?;
            plain(Ty::Array(Box::new(t.ty)))
        }
        DataType::Custom(name, mods) if mods.is_empty() => {
            match name.to_string().to_lowercase().as_str() {
                "float4" => plain(Ty::Float4),
                "float8" => plain(Ty::Float8),
                "int2" => plain(Ty::Int2),
                "int4" => plain(Ty::Int4),
                "int8" => plain(Ty::Int8),
                "timestamptz" => plain(Ty::TimestampTz),
                "bpchar" => plain(Ty::Text),
                "inet" => plain(Ty::Inet),
                _ => return Err(type_unsupported(dt)),
            }
        }
        _ => return Err(type_unsupported(dt)),
    })
}

fn type_unsupported(dt: &DataType) -> QueryError {
    QueryError::Unsupported {
        feature: format!("casting to type {dt}"),
        hint: Some("The types are int2/4/8, numeric, float4/8, text, varchar(n), boolean, date, timestamp[tz], interval, uuid, json[b] and their arrays.".into()),
    }
}

/// The ClickHouse type for a PostgreSQL type, in casts.
fn ch_type(ty: &Ty, decimal: Option<(u64, u64)>) -> Result<String, QueryError> {
    Ok(match ty {
        Ty::Bool => "Bool".into(),
        Ty::Int2 => "Int16".into(),
        Ty::Int4 => "Int32".into(),
        Ty::Int8 => "Int64".into(),
        Ty::Numeric => {
            let (p, s) = decimal.unwrap_or((38, 10));
            if p == 0 || p > 76 || s > p {
                return Err(QueryError::Coded {
                    code: "22023",
                    message: format!("NUMERIC precision {p} must be between 1 and 76 here"),
                    hint: None,
                });
            }
            format!("Decimal({p}, {s})")
        }
        Ty::Float4 => "Float32".into(),
        Ty::Float8 => "Float64".into(),
        Ty::Text => "String".into(),
        Ty::Date => "Date32".into(),
        Ty::Timestamp => "DateTime64(6)".into(),
        Ty::TimestampTz => "DateTime64(6, 'UTC')".into(),
        Ty::Uuid => "UUID".into(),
        Ty::Jsonb => "JSON".into(),
        Ty::Inet => "IPv6".into(),
        Ty::Array(inner) => format!("Array({})", ch_type(inner, None)?),
        Ty::Interval | Ty::Unknown => return Err(unsupported("this cast")),
    })
}

/// `CAST(x AS T)` with T given as ClickHouse text.
fn ch_cast(x: Expr, ch: &str) -> Expr {
    Expr::Cast {
        kind: sqlparser::ast::CastKind::Cast,
        expr: Box::new(x),
        data_type: DataType::Custom(
            sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::new(ch)]),
            vec![],
        ),
        array: false,
        format: None,
    }
}

impl Translator<'_> {
    /// `x::type`.
    pub fn cast(&mut self, x: Typed, dt: &DataType) -> Result<Typed, QueryError> {
        let t = target(dt)?;
        if x.ty == Ty::Unknown {
            if let Some(text) = super::func::literal_text(&x.expr) {
                // A string literal: read it as PostgreSQL reads input for the type.
                return self.literal(&t, &text);
            }
        }
        convert(x, &t)
    }

    /// `type 'literal'`.
    pub fn typed_string(&mut self, dt: &DataType, value: &Value) -> Result<Typed, QueryError> {
        let text = match value {
            Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => s.clone(),
            Value::DollarQuotedString(d) => d.value.clone(),
            other => return Err(unsupported(format!("the literal {other}"))),
        };
        let t = target(dt)?;
        self.literal(&t, &text)
    }

    /// A literal of type `t` from its PostgreSQL input text.
    fn literal(&mut self, t: &Target, text: &str) -> Result<Typed, QueryError> {
        let invalid = || QueryError::Coded {
            code: "22P02",
            message: format!(
                "invalid input syntax for type {}: \"{text}\"",
                t.ty.pg_name()
            ),
            hint: None,
        };
        match &t.ty {
            Ty::Interval => super::time::interval_text(text),
            Ty::Bool => {
                let b = match text.trim().to_lowercase().as_str() {
                    "t" | "true" | "y" | "yes" | "on" | "1" => true,
                    "f" | "false" | "n" | "no" | "off" | "0" => false,
                    _ => return Err(invalid()),
                };
                Ok(Typed::exact(bool_lit(b), Ty::Bool))
            }
            Ty::Int2 | Ty::Int4 | Ty::Int8 => {
                let v: i64 = text.trim().parse().map_err(|_| invalid())?;
                let fits = match t.ty {
                    Ty::Int2 => i16::try_from(v).is_ok(),
                    Ty::Int4 => i32::try_from(v).is_ok(),
                    _ => true,
                };
                if !fits {
                    return Err(QueryError::Coded {
                        code: "22003",
                        message: format!(
                            "value \"{text}\" is out of range for type {}",
                            t.ty.pg_name()
                        ),
                        hint: None,
                    });
                }
                let f = match t.ty {
                    Ty::Int2 => "toInt16",
                    Ty::Int4 => "toInt32",
                    _ => "toInt64",
                };
                Ok(Typed::exact(
                    call(f, vec![number(&v.to_string())]),
                    t.ty.clone(),
                ))
            }
            Ty::Numeric => {
                let trimmed = text.trim();
                if trimmed.parse::<f64>().is_err() {
                    return Err(invalid());
                }
                let scale = trimmed
                    .split_once('.')
                    .map(|(_, f)| f.len() as u64)
                    .unwrap_or(0);
                let (p, s) = t.decimal.unwrap_or((38, scale.min(38)));
                let ch = ch_type(&Ty::Numeric, Some((p, s)))?;
                Ok(Typed::exact(ch_cast(string(trimmed), &ch), Ty::Numeric))
            }
            Ty::Array(elem) => {
                let items = super::array::parse_pg_array(text).ok_or_else(invalid)?;
                let elem_target = Target {
                    ty: (**elem).clone(),
                    length: None,
                    decimal: None,
                };
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(match item {
                        Some(s) => self.literal(&elem_target, &s)?.expr,
                        None => super::render::null(),
                    });
                }
                let ch = ch_type(&t.ty, None)?;
                let arr = Expr::Array(sqlparser::ast::Array {
                    elem: out,
                    named: false,
                });
                Ok(Typed::exact(ch_cast(arr, &ch), t.ty.clone()))
            }
            _ => convert(Typed::exact(string(text), Ty::Unknown), t),
        }
    }
}

/// Converts a non-literal expression.
fn convert(x: Typed, t: &Target) -> Result<Typed, QueryError> {
    let ty = t.ty.clone();
    let e = x.expr;
    let out = match &ty {
        Ty::Int2 | Ty::Int4 | Ty::Int8 if x.ty.is_float() || x.ty == Ty::Numeric => {
            ch_cast(call("round", vec![e]), &ch_type(&ty, None)?)
        }
        Ty::Text => {
            let s = match x.ty {
                Ty::Text => e,
                _ => call("toString", vec![e]),
            };
            match t.length {
                Some(n) => call(
                    "substringUTF8",
                    vec![s, number("1"), number(&n.to_string())],
                ),
                None => s,
            }
        }
        Ty::Timestamp | Ty::TimestampTz if matches!(x.ty, Ty::Text | Ty::Unknown) => {
            let mut args = vec![e, number("6")];
            if ty == Ty::TimestampTz {
                args.push(string("UTC"));
            }
            call("parseDateTime64BestEffort", args)
        }
        Ty::Numeric if x.ty.is_integer() && t.decimal.is_none() => ch_cast(e, "Decimal(38, 0)"),
        Ty::Interval => return Err(unsupported("casting an expression to interval")),
        _ if x.ty == ty && t.length.is_none() && t.decimal.is_none() => {
            return Ok(Typed {
                expr: e,
                ty,
                exact: x.exact,
            })
        }
        _ => ch_cast(e, &ch_type(&ty, t.decimal)?),
    };
    Ok(Typed::exact(out, ty))
}

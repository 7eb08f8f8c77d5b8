//! Typed parameters: `String(x)`, `Int32(x, 10)`, `Array(x, 'Int32')`, ...
//!
//! Each type validates the client's raw text and turns it into a sandbox value that renders
//! as a ClickHouse literal. This module also checks calls at parse time (arguments, literal
//! defaults of typed functions).

use std::cmp::Ordering;
use std::collections::HashMap;

use super::calendar;
use super::expr::{Expr, ExprKind, Func};
use super::value::{python_float, Typed, Val};
use super::TemplateError;

/// The type of a template parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// Any text, rendered as a quoted literal.
    String,
    /// `true`/`false`/`1`/`0` (any case), rendered as `1` or `0`.
    Boolean,
    /// Integers, each checked against its width's range; the 128/256-bit ones render as
    /// `toInt128('…')` and so on, the others as bare numbers.
    Int8,
    Int16,
    Int32,
    Int64,
    Int128,
    Int256,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    UInt128,
    UInt256,
    /// Finite floats (within `f32` range for `Float32`), rendered bare.
    Float32,
    Float64,
    /// `YYYY-MM-DD`, a real calendar date.
    Date,
    /// `YYYY-MM-DD[ T]HH:MM:SS[.f]` or a date alone, rendered `'YYYY-MM-DD HH:MM:SS'`.
    DateTime,
    /// As `DateTime`, keeping the fraction of a second.
    DateTime64,
    /// `Array(x, 'T')`: comma-separated or repeated values of `T`.
    Array(Box<ParamType>),
}

impl ParamType {
    /// The scalar type a function name declares (`Int` and `Integer` are Tinybird's
    /// aliases of `Int32`, `bool` of `Boolean`).
    pub fn from_function(name: &str) -> Option<ParamType> {
        use ParamType::*;
        Some(match name {
            "String" => String,
            "Boolean" | "bool" => Boolean,
            "Int8" => Int8,
            "Int16" => Int16,
            "Int32" | "Int" | "Integer" => Int32,
            "Int64" => Int64,
            "Int128" => Int128,
            "Int256" => Int256,
            "UInt8" => UInt8,
            "UInt16" => UInt16,
            "UInt32" => UInt32,
            "UInt64" => UInt64,
            "UInt128" => UInt128,
            "UInt256" => UInt256,
            "Float32" => Float32,
            "Float64" => Float64,
            "Date" => Date,
            "DateTime" => DateTime,
            "DateTime64" => DateTime64,
            _ => return None,
        })
    }

    /// Tinybird's name of the type: `Int32`, `Array(String)`.
    pub fn name(&self) -> std::string::String {
        match self {
            ParamType::Array(t) => format!("Array({})", t.name()),
            other => format!("{other:?}"),
        }
    }

    /// `(signed, bits)` of an integer type.
    fn int_bits(&self) -> Option<(bool, u32)> {
        use ParamType::*;
        Some(match self {
            Int8 => (true, 8),
            Int16 => (true, 16),
            Int32 => (true, 32),
            Int64 => (true, 64),
            Int128 => (true, 128),
            Int256 => (true, 256),
            UInt8 => (false, 8),
            UInt16 => (false, 16),
            UInt32 => (false, 32),
            UInt64 => (false, 64),
            UInt128 => (false, 128),
            UInt256 => (false, 256),
            _ => return None,
        })
    }

    /// The value a parameter takes in describe mode when it has no value, default or
    /// example: `''`, `0`, `0.0`, `'1970-01-01'`, ...
    pub fn placeholder(&self) -> Val {
        use ParamType::*;
        match self {
            String => Val::Str(std::string::String::new()),
            Float32 | Float64 => Val::Float(0.0),
            Date => Val::Str("1970-01-01".into()),
            DateTime => Val::Str("1970-01-01 00:00:00".into()),
            DateTime64 => Val::Str("1970-01-01 00:00:00.000".into()),
            Array(t) => Val::List(vec![t.placeholder()]),
            _ => Val::Int(0),
        }
    }

    /// Validates raw text as this (scalar) type and converts it.
    pub fn parse(&self, text: &str) -> Result<Val, std::string::String> {
        use ParamType::*;
        let bad = || format!("expected {}, got {}", self.name(), shorten(text));
        match self {
            String => Ok(Val::Str(text.to_string())),
            Boolean => match text.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Val::Int(1)),
                "false" | "0" => Ok(Val::Int(0)),
                _ => Err(bad()),
            },
            Float32 | Float64 => {
                let ok = text
                    .bytes()
                    .all(|c| c.is_ascii_digit() || b"+-.eE".contains(&c));
                let v: f64 = text.parse().map_err(|_| bad())?;
                let max = if *self == Float32 {
                    f64::from(f32::MAX)
                } else {
                    f64::MAX
                };
                if !ok || !v.is_finite() || v.abs() > max {
                    return Err(bad());
                }
                Ok(Val::Float(v))
            }
            Date => calendar::parse_date(text)
                .map(|d| Val::Str(d.date_text()))
                .ok_or_else(bad),
            DateTime => calendar::parse_datetime(text)
                .map(|d| Val::Str(d.seconds_text()))
                .ok_or_else(bad),
            DateTime64 => calendar::parse_datetime(text)
                .map(|d| Val::Str(d.full_text()))
                .ok_or_else(bad),
            Array(_) => Err("an array has no scalar form".into()),
            int => {
                let (signed, bits) = int.int_bits().ok_or_else(bad)?;
                let (negative, digits) = check_int(text, signed, bits).ok_or_else(bad)?;
                let text = if negative {
                    format!("-{digits}")
                } else {
                    digits
                };
                let plain = text
                    .parse::<i128>()
                    .map(Val::Int)
                    .unwrap_or(Val::Str(text.clone()));
                if bits <= 64 {
                    Ok(plain)
                } else {
                    Ok(Val::Typed(Box::new(Typed {
                        plain,
                        sql: format!("to{}('{text}')", self.name()),
                    })))
                }
            }
        }
    }
}

impl std::fmt::Display for ParamType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// Checks an integer's text against the range of its type; returns its sign and its
/// digits without leading zeros. Works for every width up to 256 bits.
fn check_int(text: &str, signed: bool, bits: u32) -> Option<(bool, String)> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let negative = negative && digits != "0";
    let fits = if signed {
        let half = pow2(bits - 1);
        if negative {
            cmp_decimal(digits, &half) != Ordering::Greater
        } else {
            cmp_decimal(digits, &half) == Ordering::Less
        }
    } else {
        !negative && cmp_decimal(digits, &pow2(bits)) == Ordering::Less
    };
    fits.then(|| (negative, digits.to_string()))
}

/// 2^n in decimal.
fn pow2(n: u32) -> String {
    let mut digits = vec![1u8]; // least significant first
    for _ in 0..n {
        let mut carry = 0;
        for d in &mut digits {
            let v = *d * 2 + carry;
            *d = v % 10;
            carry = v / 10;
        }
        if carry > 0 {
            digits.push(carry);
        }
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// Compares two decimal numbers without leading zeros.
fn cmp_decimal(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A value cut to 40 characters for error messages.
fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("'{}…'", text.chars().take(40).collect::<String>())
    } else {
        format!("'{text}'")
    }
}

/// The keyword arguments typed functions take.
const TYPED_KWARGS: &[&str] = &[
    "default",
    "description",
    "required",
    "example",
    "enum",
    "format",
    "defined",
];

/// The suffixes `sql_and` understands, and the operator each stands for.
pub const SQL_AND_OPS: &[(&str, &str)] = &[
    ("in", "IN"),
    ("not_in", "NOT IN"),
    ("gt", ">"),
    ("lt", "<"),
    ("gte", ">="),
    ("lte", "<="),
];

/// Checks a call's shape at parse time: argument counts, keyword names and, for typed
/// functions, that a literal default is valid for the type.
pub fn check_call(
    func: &Func,
    args: &[Expr],
    kwargs: &[(String, Expr)],
    line: usize,
) -> Result<(), TemplateError> {
    let syntax = |message: String| TemplateError::Syntax { line, message };
    let (name, min, max, allowed): (&str, usize, usize, &[&str]) = match func {
        Func::Typed(_) => ("a typed function", 1, 2, TYPED_KWARGS),
        Func::Array => ("Array", 1, 3, TYPED_KWARGS),
        Func::Defined => ("defined", 1, 1, &[]),
        Func::Column | Func::Columns => ("column", 1, 2, &["default"]),
        Func::Symbol => ("symbol", 1, 1, &[]),
        Func::Table => ("table", 1, 1, &[]),
        Func::SqlAnd => ("sql_and", 0, 0, &[]),
        Func::SplitToArray => ("split_to_array", 1, 3, &["default", "separator"]),
        Func::DayDiff => ("day_diff", 2, 3, &["default"]),
        Func::DateDiff(_) => (
            "date_diff_in_*",
            2,
            6,
            &[
                "date_format",
                "default",
                "backup_date_format",
                "none_if_error",
            ],
        ),
        Func::Error | Func::CustomError => ("error", 1, 2, &["code"]),
        Func::MaxThreads | Func::CacheTtl => ("max_threads/cache_ttl", 1, 1, &[]),
        Func::Len | Func::Str | Func::Int | Func::Float | Func::Abs | Func::List => {
            ("a builtin", 1, 1, &[])
        }
        Func::Enumerate | Func::EnumerateWithLast => ("enumerate", 1, 1, &[]),
        Func::Min | Func::Max => ("min/max", 1, usize::MAX, &[]),
        Func::Sum | Func::Round => ("sum/round", 1, 2, &[]),
        Func::Range => ("range", 1, 3, &[]),
    };
    if args.len() < min || args.len() > max {
        return Err(syntax(format!("wrong number of arguments for {name}")));
    }
    if *func == Func::SqlAnd {
        for (key, _) in kwargs {
            if let Some((column, op)) = key.rsplit_once("__") {
                if column.is_empty() || !SQL_AND_OPS.iter().any(|(s, _)| *s == op) {
                    return Err(syntax(format!("sql_and: operand `{op}` is not supported")));
                }
            }
        }
        return Ok(());
    }
    if let Some((k, _)) = kwargs.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(syntax(format!(
            "unexpected keyword argument `{k}` for {name}"
        )));
    }
    let ty = match func {
        Func::Typed(ty) => ty.clone(),
        Func::Array => {
            let elem = match args.get(1).map(|e| &e.kind) {
                None => ParamType::String,
                Some(ExprKind::Str(s)) => ParamType::from_function(s)
                    .ok_or_else(|| syntax(format!("Array: unknown element type `{s}`")))?,
                Some(_) => {
                    return Err(syntax(
                        "Array: the element type must be a string literal such as 'Int32'".into(),
                    ))
                }
            };
            ParamType::Array(Box::new(elem))
        }
        Func::Table => {
            return match args.first().map(|a| &a.kind) {
                Some(ExprKind::Str(_)) => Ok(()),
                _ => Err(TemplateError::Sandbox {
                    line,
                    message: "table() only takes a string literal; it never splices a parameter"
                        .into(),
                }),
            }
        }
        _ => return Ok(()),
    };
    let Some(call) = TypedCall::from_exprs(&ty, args, kwargs) else {
        return Err(syntax(format!("{}() needs an argument", ty.name())));
    };
    if call.positional_default && kwargs.iter().any(|(k, _)| k == "default") {
        return Err(syntax("default given twice".into()));
    }
    if let Some(default) = call.default.and_then(literal) {
        let texts = raw_texts(&ty, &default);
        for t in &texts {
            element(&ty)
                .parse(t)
                .map_err(|e| syntax(format!("the default of `{}` is invalid: {e}", call.name)))?;
        }
    }
    Ok(())
}

/// The arguments of one typed call, located in the expression tree.
pub struct TypedCall<'a> {
    /// The parameter's name, or `value` when the first argument is not a bare name.
    pub name: String,
    /// The first argument.
    pub subject: &'a Expr,
    pub default: Option<&'a Expr>,
    /// Whether the default was given by position.
    pub positional_default: bool,
    pub kwarg: HashMap<&'a str, &'a Expr>,
}

impl<'a> TypedCall<'a> {
    /// Splits a typed call's arguments: `(x, default)` or, for arrays, `(x, type, default)`.
    pub fn from_exprs(
        ty: &ParamType,
        args: &'a [Expr],
        kwargs: &'a [(String, Expr)],
    ) -> Option<Self> {
        let subject = args.first()?;
        let default_pos = if matches!(ty, ParamType::Array(_)) {
            2
        } else {
            1
        };
        let kwarg: HashMap<&str, &Expr> = kwargs.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let positional = args.get(default_pos);
        Some(TypedCall {
            name: match &subject.kind {
                ExprKind::Name(n) => n.clone(),
                _ => "value".into(),
            },
            subject,
            default: positional.or_else(|| kwarg.get("default").copied()),
            positional_default: positional.is_some(),
            kwarg,
        })
    }
}

/// The scalar type of a parameter (an array's element type).
pub fn element(ty: &ParamType) -> &ParamType {
    match ty {
        ParamType::Array(t) => t,
        t => t,
    }
}

/// A literal expression's value, folding lists; `None` for anything computed.
pub fn literal(e: &Expr) -> Option<Val> {
    Some(match &e.kind {
        ExprKind::None => Val::None,
        ExprKind::Bool(b) => Val::Bool(*b),
        ExprKind::Int(i) => Val::Int(*i),
        ExprKind::Float(f) => Val::Float(*f),
        ExprKind::Str(s) => Val::Str(s.clone()),
        ExprKind::List(v) | ExprKind::Tuple(v) => {
            Val::List(v.iter().map(literal).collect::<Option<Vec<_>>>()?)
        }
        _ => return None,
    })
}

/// A value's text as a client would have sent it (Python's `str`).
pub fn text_of(v: &Val) -> Option<String> {
    match v {
        Val::Str(s) => Some(s.clone()),
        Val::Int(i) => Some(i.to_string()),
        Val::Float(f) => Some(python_float(*f)),
        Val::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        Val::Typed(t) => text_of(&t.plain),
        _ => None,
    }
}

/// The raw texts a value stands for: a scalar's one text, or an array's items (a string
/// is split on commas).
pub fn raw_texts(ty: &ParamType, v: &Val) -> Vec<String> {
    match (ty, v) {
        (_, Val::List(items)) | (_, Val::Tuple(items)) => {
            let mut texts = items.iter().filter_map(text_of);
            if matches!(ty, ParamType::Array(_)) {
                texts.collect()
            } else {
                // Repeated values for a scalar: the last one wins, as in Tornado.
                texts.next_back().into_iter().collect()
            }
        }
        (ParamType::Array(_), v) => text_of(v)
            .map(|t| t.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        (_, v) => text_of(v).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ranges_for_every_width() {
        use ParamType::*;
        assert_eq!(Int8.parse("127"), Ok(Val::Int(127)));
        assert_eq!(Int8.parse("-128"), Ok(Val::Int(-128)));
        assert!(Int8.parse("128").is_err());
        assert!(Int8.parse("-129").is_err());
        assert!(UInt8.parse("256").is_err());
        assert!(UInt8.parse("-1").is_err());
        assert_eq!(UInt8.parse("-0"), Ok(Val::Int(0)));
        assert_eq!(Int32.parse("+007"), Ok(Val::Int(7)));
        assert!(Int32.parse("2147483648").is_err());
        assert!(Int64.parse("9223372036854775808").is_err());
        assert_eq!(
            UInt64.parse("18446744073709551615"),
            Ok(Val::Int(18_446_744_073_709_551_615))
        );
        assert!(UInt64.parse("18446744073709551616").is_err());
        let max256 =
            "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        let v = UInt256.parse(max256).expect("fits");
        assert_eq!(v.render(true), Ok(format!("toUInt256('{max256}')")));
        assert!(UInt256.parse(&format!("{max256}0")).is_err());
        assert!(Int32.parse("1.5").is_err());
        assert!(Int32.parse("").is_err());
        assert!(Int32.parse(" 1").is_err());
        assert!(Int32.parse("1e3").is_err());
    }

    #[test]
    fn floats_booleans_dates() {
        use ParamType::*;
        assert_eq!(Float64.parse("1.5"), Ok(Val::Float(1.5)));
        assert_eq!(Float64.parse("-2e3"), Ok(Val::Float(-2000.0)));
        assert!(Float64.parse("nan").is_err());
        assert!(Float64.parse("inf").is_err());
        assert!(Float32.parse("1e39").is_err());
        assert_eq!(Boolean.parse("TRUE"), Ok(Val::Int(1)));
        assert_eq!(Boolean.parse("0"), Ok(Val::Int(0)));
        assert!(Boolean.parse("yes").is_err());
        assert_eq!(Date.parse("2026-01-01"), Ok(Val::Str("2026-01-01".into())));
        assert!(Date.parse("2026-02-30").is_err());
        assert_eq!(
            DateTime.parse("2026-01-01T10:00:00"),
            Ok(Val::Str("2026-01-01 10:00:00".into()))
        );
        assert_eq!(
            DateTime64.parse("2026-01-01 10:00:00.250"),
            Ok(Val::Str("2026-01-01 10:00:00.250".into()))
        );
    }

    #[test]
    fn pow2_is_exact() {
        assert_eq!(pow2(0), "1");
        assert_eq!(pow2(64), "18446744073709551616");
    }
}

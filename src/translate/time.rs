//! Time: `extract`/`date_part`, `date_trunc`, intervals and their arithmetic, `AT TIME
//! ZONE`, `to_char`/`to_timestamp`/`to_date` masks.
//!
//! The gateway runs every query with `session_timezone = UTC`, so a ClickHouse DateTime64
//! without a zone holds a UTC wall time; `timestamptz` values carry `'UTC'` explicitly.
//! - `extract` answers `numeric` (PostgreSQL 14+), `date_part` answers `float8`;
//!   `dow` is 0 = Sunday, `isodow` 1 = Monday.
//! - `date_trunc` answers a timestamp (ClickHouse's `toStartOfMonth` answers a Date).
//! - `date + interval` is a timestamp; `date + n` is a date; `date - date` is days.
//! - `timestamptz AT TIME ZONE z` is z's wall time; `timestamp AT TIME ZONE z` is the
//!   instant when z's clocks showed it.

use sqlparser::ast::{BinaryOperator as Op, DateTimeField, Expr, Interval, Value};

use super::expr::Typed;
use super::render::{binary, call, number, string};
use super::{unsupported, Ty};
use crate::query::QueryError;

/// A timestamp expression without a time zone attribute (UTC wall time).
pub fn wall(e: Expr) -> Expr {
    cast_to(e, "DateTime64(6)")
}

fn cast_to(e: Expr, ch: &str) -> Expr {
    Expr::Cast {
        kind: sqlparser::ast::CastKind::Cast,
        expr: Box::new(e),
        data_type: sqlparser::ast::DataType::Custom(
            sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::new(ch)]),
            vec![],
        ),
        array: false,
        format: None,
    }
}

/// `extract(field FROM x)`: numeric.
pub fn extract(field: &DateTimeField, x: Typed) -> Result<Typed, QueryError> {
    let name = field_name(field)?;
    let (e, scale) = part(&name, x)?;
    Ok(Typed::exact(
        call("toDecimal128", vec![e, number(&scale.to_string())]),
        Ty::Numeric,
    ))
}

/// `date_part('field', x)`: float8.
pub fn date_part(field: &str, x: Typed) -> Result<Typed, QueryError> {
    let (e, _) = part(&field.to_lowercase(), x)?;
    Ok(Typed::exact(call("toFloat64", vec![e]), Ty::Float8))
}

fn field_name(field: &DateTimeField) -> Result<String, QueryError> {
    Ok(match field {
        DateTimeField::Year | DateTimeField::Years => "year".into(),
        DateTimeField::Month | DateTimeField::Months => "month".into(),
        DateTimeField::Day | DateTimeField::Days => "day".into(),
        DateTimeField::Hour | DateTimeField::Hours => "hour".into(),
        DateTimeField::Minute | DateTimeField::Minutes => "minute".into(),
        DateTimeField::Second | DateTimeField::Seconds => "second".into(),
        DateTimeField::Week(None) | DateTimeField::Weeks => "week".into(),
        DateTimeField::Quarter => "quarter".into(),
        DateTimeField::Dow | DateTimeField::DayOfWeek => "dow".into(),
        DateTimeField::Isodow => "isodow".into(),
        DateTimeField::Doy | DateTimeField::DayOfYear => "doy".into(),
        DateTimeField::Epoch => "epoch".into(),
        DateTimeField::Millisecond | DateTimeField::Milliseconds => "milliseconds".into(),
        DateTimeField::Microsecond | DateTimeField::Microseconds => "microseconds".into(),
        DateTimeField::Isoyear => "isoyear".into(),
        DateTimeField::Century => "century".into(),
        DateTimeField::Decade => "decade".into(),
        DateTimeField::Millenium | DateTimeField::Millennium => "millennium".into(),
        DateTimeField::Custom(i) => i.value.to_lowercase(),
        other => return Err(unsupported(format!("EXTRACT({other} FROM …)"))),
    })
}

/// One field of a date or timestamp, and the scale PostgreSQL shows it with.
fn part(field: &str, x: Typed) -> Result<(Expr, u32), QueryError> {
    if x.ty == Ty::Interval {
        return Err(unsupported("extracting a field from an interval"));
    }
    let e = x.expr;
    let micros = || {
        call(
            "toUnixTimestamp64Micro",
            vec![call("toDateTime64", vec![e.clone(), number("6")])],
        )
    };
    let second_fraction = || {
        binary(
            call("toSecond", vec![e.clone()]),
            Op::Plus,
            binary(
                call("toMicrosecond", vec![e.clone()]),
                Op::Divide,
                number("1000000"),
            ),
        )
    };
    Ok(match field {
        "year" | "years" => (call("toYear", vec![e]), 0),
        "month" | "months" | "mon" => (call("toMonth", vec![e]), 0),
        "day" | "days" => (call("toDayOfMonth", vec![e]), 0),
        "hour" | "hours" => (call("toHour", vec![e]), 0),
        "minute" | "minutes" | "min" => (call("toMinute", vec![e]), 0),
        "second" | "seconds" | "sec" => (second_fraction(), 6),
        "milliseconds" | "millisecond" => {
            (binary(second_fraction(), Op::Multiply, number("1000")), 3)
        }
        "microseconds" | "microsecond" => (
            binary(
                binary(
                    call("toSecond", vec![e.clone()]),
                    Op::Multiply,
                    number("1000000"),
                ),
                Op::Plus,
                call("toMicrosecond", vec![e]),
            ),
            0,
        ),
        "week" | "weeks" => (call("toISOWeek", vec![e]), 0),
        "quarter" => (call("toQuarter", vec![e]), 0),
        "dow" => (call("toDayOfWeek", vec![e, number("2")]), 0),
        "isodow" => (call("toDayOfWeek", vec![e, number("0")]), 0),
        "doy" => (call("toDayOfYear", vec![e]), 0),
        "isoyear" => (call("toISOYear", vec![e]), 0),
        "decade" => (
            call("intDiv", vec![call("toYear", vec![e]), number("10")]),
            0,
        ),
        "century" => (
            call(
                "intDiv",
                vec![
                    binary(call("toYear", vec![e]), Op::Plus, number("99")),
                    number("100"),
                ],
            ),
            0,
        ),
        "millennium" => (
            call(
                "intDiv",
                vec![
                    binary(call("toYear", vec![e]), Op::Plus, number("999")),
                    number("1000"),
                ],
            ),
            0,
        ),
        "epoch" => (binary(micros(), Op::Divide, number("1000000")), 6),
        other => return Err(unsupported(format!("the date field \"{other}\""))),
    })
}

/// `date_trunc('unit', x)`: the start of the unit, as a timestamp.
pub fn date_trunc(unit: &str, x: Typed) -> Result<Typed, QueryError> {
    let f = match unit.to_lowercase().as_str() {
        "microseconds" | "microsecond" => return Ok(x),
        "milliseconds" | "millisecond" => "toStartOfMillisecond",
        "second" => "toStartOfSecond",
        "minute" => "toStartOfMinute",
        "hour" => "toStartOfHour",
        "day" => "toStartOfDay",
        "week" => "toMonday",
        "month" => "toStartOfMonth",
        "quarter" => "toStartOfQuarter",
        "year" => "toStartOfYear",
        "decade" | "century" | "millennium" => {
            return Err(unsupported(format!("date_trunc('{unit}', …)")))
        }
        other => {
            return Err(QueryError::Coded {
                code: "22023",
                message: format!("unit \"{other}\" not recognized for type timestamp"),
                hint: None,
            })
        }
    };
    let (input, ty) = match x.ty {
        Ty::TimestampTz => (x.expr, Ty::TimestampTz),
        Ty::Date => (
            call("toDateTime64", vec![x.expr, number("6"), string("UTC")]),
            Ty::TimestampTz,
        ),
        _ => (x.expr, Ty::Timestamp),
    };
    let start = call(f, vec![input]);
    let out = match ty {
        Ty::TimestampTz => call("toDateTime64", vec![start, number("6"), string("UTC")]),
        _ => wall(start),
    };
    Ok(Typed::exact(out, ty))
}

/// `x AT TIME ZONE zone`.
pub fn at_time_zone(x: Typed, zone: Typed) -> Result<Typed, QueryError> {
    match x.ty {
        Ty::TimestampTz => Ok(Typed::exact(
            wall(call("fromUTCTimestamp", vec![wall(x.expr), zone.expr])),
            Ty::Timestamp,
        )),
        Ty::Timestamp | Ty::Date => Ok(Typed::exact(
            call(
                "toDateTime64",
                vec![
                    call("toUTCTimestamp", vec![wall(x.expr), zone.expr]),
                    number("6"),
                    string("UTC"),
                ],
            ),
            Ty::TimestampTz,
        )),
        _ => Err(unsupported(
            "AT TIME ZONE on a value that is not a timestamp",
        )),
    }
}

/// `INTERVAL '1 day'` and `INTERVAL '1' DAY`.
pub fn interval(i: &Interval) -> Result<Typed, QueryError> {
    let text = match i.value.as_ref() {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => s.clone(),
            Value::Number(n, _) => n.clone(),
            _ => return Err(unsupported("this interval literal")),
        },
        _ => return Err(unsupported("this interval literal")),
    };
    let text = match &i.leading_field {
        Some(f) if i.last_field.is_none() => format!("{text} {}", field_name(f)?),
        None => text,
        Some(_) => return Err(unsupported("interval field ranges")),
    };
    interval_text(&text)
}

/// PostgreSQL interval input (`1 day 2 hours`, `-3 months`, `1 year 2 mons 3 days
/// 04:05:06`) as a sum of ClickHouse intervals.
pub fn interval_text(text: &str) -> Result<Typed, QueryError> {
    let invalid = || QueryError::Coded {
        code: "22007",
        message: format!("invalid input syntax for type interval: \"{text}\""),
        hint: None,
    };
    let mut parts: Vec<(i64, &'static str)> = vec![];
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].trim_start_matches('@');
        if w.is_empty() {
            i += 1;
            continue;
        }
        if w.contains(':') {
            let neg = w.starts_with('-');
            let fields: Vec<&str> = w.trim_start_matches(['-', '+']).split(':').collect();
            let sign = if neg { -1 } else { 1 };
            let units = ["HOUR", "MINUTE", "SECOND"];
            for (k, f) in fields.iter().enumerate() {
                let unit = units.get(k).ok_or_else(invalid)?;
                if let Some((whole, frac)) = f.split_once('.') {
                    parts.push((sign * whole.parse::<i64>().map_err(|_| invalid())?, unit));
                    let micros = format!("{frac:0<6}");
                    let micros: i64 = micros
                        .get(..6)
                        .unwrap_or("0")
                        .parse()
                        .map_err(|_| invalid())?;
                    parts.push((sign * micros, "MICROSECOND"));
                } else {
                    parts.push((sign * f.parse::<i64>().map_err(|_| invalid())?, unit));
                }
            }
            i += 1;
            continue;
        }
        let n: i64 = w.parse().map_err(|_| invalid())?;
        let unit = words.get(i + 1).ok_or_else(invalid)?.to_lowercase();
        let unit = match unit.trim_end_matches(',') {
            "year" | "years" | "y" => "YEAR",
            "month" | "months" | "mon" | "mons" => "MONTH",
            "week" | "weeks" | "w" => "WEEK",
            "day" | "days" | "d" => "DAY",
            "hour" | "hours" | "h" => "HOUR",
            "minute" | "minutes" | "min" | "mins" | "m" => "MINUTE",
            "second" | "seconds" | "sec" | "secs" | "s" => "SECOND",
            "millisecond" | "milliseconds" | "ms" => "MILLISECOND",
            "microsecond" | "microseconds" | "us" => "MICROSECOND",
            _ => return Err(invalid()),
        };
        parts.push((n, unit));
        i += 2;
    }
    let mut sum: Option<Expr> = None;
    for (n, unit) in parts {
        let one = Expr::Identifier(sqlparser::ast::Ident::new(format!("INTERVAL {n} {unit}")));
        sum = Some(match sum {
            None => one,
            Some(acc) => binary(acc, Op::Plus, one),
        });
    }
    let e = sum.ok_or_else(invalid)?;
    Ok(Typed::exact(super::render::nested(e), Ty::Interval))
}

/// `+` and `-` with dates, timestamps and intervals.
pub fn arith(l: Typed, op: &Op, r: Typed) -> Result<Typed, QueryError> {
    use Ty::*;
    let plus = matches!(op, Op::Plus);
    Ok(match (&l.ty, &r.ty) {
        (Date, Interval) | (Timestamp, Interval) | (TimestampTz, Interval) => {
            let ty = if l.ty == Date {
                Timestamp
            } else {
                l.ty.clone()
            };
            let base = if l.ty == Date { wall(l.expr) } else { l.expr };
            Typed::exact(binary(base, op.clone(), r.expr), ty)
        }
        (Interval, Date | Timestamp | TimestampTz) if plus => {
            return arith(r, op, l);
        }
        (Date, t) if t.is_integer() || *t == Unknown => {
            Typed::exact(binary(l.expr, op.clone(), r.expr), Date)
        }
        (Date, Date) if !plus => {
            Typed::new(call("dateDiff", vec![string("day"), r.expr, l.expr]), Int4)
        }
        (Interval, Interval) => Typed::exact(binary(l.expr, op.clone(), r.expr), Interval),
        (Date | Timestamp | TimestampTz, Unknown) if !plus => {
            return Err(unsupported(
                "subtracting timestamps (the result is an interval)",
            ))
        }
        _ => {
            return Err(unsupported(format!(
                "{} {op} {}",
                l.ty.pg_name(),
                r.ty.pg_name()
            )))
        }
    })
}

/// A PostgreSQL `to_char` date mask in ClickHouse's `formatDateTime` syntax.
pub fn to_char_mask(mask: &str) -> Result<String, QueryError> {
    const TOKENS: &[(&str, &str)] = &[
        ("YYYY", "%Y"),
        ("HH24", "%H"),
        ("HH12", "%I"),
        ("Month", "%M"),
        ("MONTH", "%M"),
        ("month", "%M"),
        ("Mon", "%b"),
        ("MON", "%b"),
        ("mon", "%b"),
        ("Day", "%W"),
        ("DAY", "%W"),
        ("day", "%W"),
        ("Dy", "%a"),
        ("DY", "%a"),
        ("dy", "%a"),
        ("DDD", "%j"),
        ("YY", "%y"),
        ("MM", "%m"),
        ("DD", "%d"),
        ("HH", "%I"),
        ("MI", "%i"),
        ("SS", "%S"),
        ("US", "%f"),
        ("AM", "%p"),
        ("PM", "%p"),
        ("IW", "%V"),
        ("Q", "%Q"),
    ];
    let mut out = String::new();
    let mut rest = mask;
    'outer: while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            out.push_str(&after[..end].replace('%', "%%"));
            rest = after.get(end + 1..).unwrap_or("");
            continue;
        }
        for (pg, ch) in TOKENS {
            if let Some(after) = rest.strip_prefix(pg) {
                out.push_str(ch);
                rest = after;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_ascii_alphabetic() && c.is_ascii_uppercase() {
            return Err(unsupported(format!("the to_char pattern at \"{rest}\"")));
        }
        if c == '%' {
            out.push_str("%%");
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}

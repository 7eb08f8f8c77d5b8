//! The PostgreSQL type of an expression, as far as the translation needs it: integer
//! division, result types of aggregates, array versus text `||`, and so on. `Unknown` is
//! what PostgreSQL calls `unknown` (an untyped string literal, NULL) and what we cannot tell.

use crate::clickhouse::types::ChType;

/// A PostgreSQL type, by category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int2,
    Int4,
    Int8,
    Numeric,
    Float4,
    Float8,
    Text,
    Date,
    Timestamp,
    TimestampTz,
    Interval,
    Uuid,
    Jsonb,
    Inet,
    Array(Box<Ty>),
    Unknown,
}

impl Ty {
    /// The type a ClickHouse column of type `ch` has on the wire (DESIGN's table).
    pub fn of(ch: &ChType) -> Ty {
        match ch {
            ChType::Int(8 | 16) | ChType::UInt(8) => Ty::Int2,
            ChType::Int(32) | ChType::UInt(16) => Ty::Int4,
            ChType::Int(64) | ChType::UInt(32) => Ty::Int8,
            ChType::Int(_) | ChType::UInt(_) | ChType::Decimal(..) => Ty::Numeric,
            ChType::Float32 => Ty::Float4,
            ChType::Float64 => Ty::Float8,
            ChType::String | ChType::FixedString(_) | ChType::Enum(..) => Ty::Text,
            ChType::Date | ChType::Date32 => Ty::Date,
            ChType::DateTime(tz) | ChType::DateTime64(_, tz) => match tz {
                Some(_) => Ty::TimestampTz,
                None => Ty::Timestamp,
            },
            ChType::Bool => Ty::Bool,
            ChType::Uuid => Ty::Uuid,
            ChType::Map(..) | ChType::Tuple(_) | ChType::Json => Ty::Jsonb,
            ChType::IPv4 | ChType::IPv6 => Ty::Inet,
            ChType::Nullable(t)
            | ChType::LowCardinality(t)
            | ChType::SimpleAggregateFunction(_, t) => Ty::of(t),
            ChType::Array(t) => Ty::Array(Box::new(Ty::of(t))),
            ChType::AggregateFunction(..) => Ty::Unknown,
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, Ty::Int2 | Ty::Int4 | Ty::Int8)
    }

    pub fn is_float(&self) -> bool {
        matches!(self, Ty::Float4 | Ty::Float8)
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer() || self.is_float() || *self == Ty::Numeric
    }

    pub fn is_temporal(&self) -> bool {
        matches!(self, Ty::Date | Ty::Timestamp | Ty::TimestampTz)
    }

    /// The result of arithmetic on two numbers, by PostgreSQL's promotion rules.
    pub fn promote(a: &Ty, b: &Ty) -> Ty {
        let rank = |t: &Ty| match t {
            Ty::Int2 => 1,
            Ty::Int4 => 2,
            Ty::Int8 => 3,
            Ty::Numeric => 4,
            Ty::Float4 => 5,
            Ty::Float8 => 6,
            _ => 0,
        };
        match (rank(a), rank(b)) {
            (0, _) => b.clone(),
            (_, 0) => a.clone(),
            // int2 op int2 is int2 in PostgreSQL, and int2 op int4 is int4.
            (x, y) if x >= y => a.clone(),
            _ => b.clone(),
        }
    }

    /// The PostgreSQL spelling, for messages.
    pub fn pg_name(&self) -> String {
        match self {
            Ty::Bool => "boolean".into(),
            Ty::Int2 => "smallint".into(),
            Ty::Int4 => "integer".into(),
            Ty::Int8 => "bigint".into(),
            Ty::Numeric => "numeric".into(),
            Ty::Float4 => "real".into(),
            Ty::Float8 => "double precision".into(),
            Ty::Text => "text".into(),
            Ty::Date => "date".into(),
            Ty::Timestamp => "timestamp without time zone".into(),
            Ty::TimestampTz => "timestamp with time zone".into(),
            Ty::Interval => "interval".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Jsonb => "jsonb".into(),
            Ty::Inet => "inet".into(),
            Ty::Array(t) => format!("{}[]", t.pg_name()),
            Ty::Unknown => "unknown".into(),
        }
    }
}

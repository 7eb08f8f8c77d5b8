//! The one table that says which Postgres type each ClickHouse type shows as (DESIGN.md,
//! "ClickHouse → Postgres types"), and the type modifier Postgres would report with it.
//!
//! Everything the Postgres door tells a client about a column (RowDescription, the catalog,
//! `describe`) comes from [`pg_type`] and [`pg_typmod`], and the encoders in
//! [`super::encode`] write exactly the wire format of the type chosen here.

use pgwire::api::Type;

use crate::clickhouse::types::ChType;

/// The Postgres type a ClickHouse column is shown as.
///
/// `Nullable(T)`, `LowCardinality(T)` and `SimpleAggregateFunction(f, T)` map as `T`.
/// `Array(T)` maps to the array type of `T`'s type, whatever the nesting: Postgres has one
/// array type per element type, and `Array(Array(Int32))` is an `int4[]` with two
/// dimensions. `AggregateFunction` states are opaque bytes, so they map to `bytea`; the
/// encoder refuses them, since RowBinary does not say how long a state is.
pub fn pg_type(ch: &ChType) -> Type {
    match ch {
        ChType::Int(8 | 16) | ChType::UInt(8) => Type::INT2,
        ChType::Int(32) | ChType::UInt(16) => Type::INT4,
        ChType::Int(64) | ChType::UInt(32) => Type::INT8,
        ChType::Int(_) | ChType::UInt(_) | ChType::Decimal(..) => Type::NUMERIC,
        ChType::Float32 => Type::FLOAT4,
        ChType::Float64 => Type::FLOAT8,
        ChType::String | ChType::FixedString(_) | ChType::Enum(..) => Type::TEXT,
        ChType::Date | ChType::Date32 => Type::DATE,
        ChType::DateTime(tz) | ChType::DateTime64(_, tz) => match tz {
            Some(_) => Type::TIMESTAMPTZ,
            None => Type::TIMESTAMP,
        },
        ChType::Bool => Type::BOOL,
        ChType::Uuid => Type::UUID,
        ChType::Map(..) | ChType::Tuple(_) | ChType::Json => Type::JSONB,
        ChType::IPv4 | ChType::IPv6 => Type::INET,
        ChType::Nullable(t) | ChType::LowCardinality(t) | ChType::SimpleAggregateFunction(_, t) => {
            pg_type(t)
        }
        ChType::Array(t) => array_of(&pg_type(array_leaf(t))),
        ChType::AggregateFunction(..) => Type::BYTEA,
    }
}

/// The element type under any number of `Array` (and wrapper) levels.
pub fn array_leaf(ch: &ChType) -> &ChType {
    match ch {
        ChType::Array(t)
        | ChType::Nullable(t)
        | ChType::LowCardinality(t)
        | ChType::SimpleAggregateFunction(_, t) => array_leaf(t),
        other => other,
    }
}

/// The array type whose elements are `element`.
pub fn array_of(element: &Type) -> Type {
    match *element {
        Type::INT2 => Type::INT2_ARRAY,
        Type::INT4 => Type::INT4_ARRAY,
        Type::INT8 => Type::INT8_ARRAY,
        Type::NUMERIC => Type::NUMERIC_ARRAY,
        Type::FLOAT4 => Type::FLOAT4_ARRAY,
        Type::FLOAT8 => Type::FLOAT8_ARRAY,
        Type::DATE => Type::DATE_ARRAY,
        Type::TIMESTAMP => Type::TIMESTAMP_ARRAY,
        Type::TIMESTAMPTZ => Type::TIMESTAMPTZ_ARRAY,
        Type::BOOL => Type::BOOL_ARRAY,
        Type::UUID => Type::UUID_ARRAY,
        Type::JSONB => Type::JSONB_ARRAY,
        Type::INET => Type::INET_ARRAY,
        Type::BYTEA => Type::BYTEA_ARRAY,
        _ => Type::TEXT_ARRAY,
    }
}

/// The type modifier Postgres reports for the column (`atttypmod`, and RowDescription's
/// type modifier), or -1 for "none".
///
/// - `Decimal(P, S)` is `numeric(P, S)`: `((P << 16) | S) + 4`, as Postgres encodes it.
///   The other numeric columns (`UInt64`, 128- and 256-bit integers) are plain `numeric`.
/// - `DateTime` holds whole seconds, so it is `timestamp(0)`; `DateTime64(p)` is
///   `timestamp(p)` for `p <= 6`. `DateTime64(7..=9)` is -1: Postgres stops at microseconds
///   and the encoder rounds to them, so the column is a plain `timestamp(6)`-like value and
///   claiming more precision would be wrong.
/// - Arrays carry their element's modifier, as in Postgres; everything else is -1.
pub fn pg_typmod(ch: &ChType) -> i32 {
    match ch {
        ChType::Decimal(p, s) => ((i32::from(*p) << 16) | i32::from(*s)) + 4,
        ChType::DateTime(_) => 0,
        ChType::DateTime64(p, _) if *p <= 6 => i32::from(*p),
        ChType::Nullable(t)
        | ChType::LowCardinality(t)
        | ChType::SimpleAggregateFunction(_, t)
        | ChType::Array(t) => pg_typmod(t),
        _ => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(name: &str) -> Type {
        pg_type(&ChType::parse(name).expect(name))
    }

    fn typmod(name: &str) -> i32 {
        pg_typmod(&ChType::parse(name).expect(name))
    }

    #[test]
    fn scalars_map_per_the_design_table() {
        let table = [
            ("Int8", Type::INT2),
            ("Int16", Type::INT2),
            ("Int32", Type::INT4),
            ("Int64", Type::INT8),
            ("UInt8", Type::INT2),
            ("UInt16", Type::INT4),
            ("UInt32", Type::INT8),
            ("UInt64", Type::NUMERIC),
            ("Int128", Type::NUMERIC),
            ("UInt128", Type::NUMERIC),
            ("Int256", Type::NUMERIC),
            ("UInt256", Type::NUMERIC),
            ("Decimal(38, 10)", Type::NUMERIC),
            ("Float32", Type::FLOAT4),
            ("Float64", Type::FLOAT8),
            ("String", Type::TEXT),
            ("FixedString(3)", Type::TEXT),
            ("Enum8('a' = 1)", Type::TEXT),
            ("Enum16('a' = 1000)", Type::TEXT),
            ("Date", Type::DATE),
            ("Date32", Type::DATE),
            ("DateTime", Type::TIMESTAMP),
            ("DateTime64(3)", Type::TIMESTAMP),
            ("DateTime('UTC')", Type::TIMESTAMPTZ),
            ("DateTime64(9, 'Asia/Kolkata')", Type::TIMESTAMPTZ),
            ("Bool", Type::BOOL),
            ("UUID", Type::UUID),
            ("Map(String, UInt64)", Type::JSONB),
            ("Tuple(UInt8, String)", Type::JSONB),
            ("Tuple(a UInt8, b String)", Type::JSONB),
            ("JSON", Type::JSONB),
            ("IPv4", Type::INET),
            ("IPv6", Type::INET),
        ];
        for (ch, want) in table {
            assert_eq!(pg(ch), want, "{ch}");
        }
    }

    #[test]
    fn wrappers_map_as_their_inner_type() {
        assert_eq!(pg("Nullable(Int32)"), Type::INT4);
        assert_eq!(pg("LowCardinality(String)"), Type::TEXT);
        assert_eq!(pg("LowCardinality(Nullable(String))"), Type::TEXT);
        assert_eq!(pg("SimpleAggregateFunction(sum, UInt64)"), Type::NUMERIC);
        assert_eq!(pg("Nullable(DateTime('UTC'))"), Type::TIMESTAMPTZ);
    }

    #[test]
    fn arrays_map_to_one_dimensional_array_types() {
        assert_eq!(pg("Array(Int32)"), Type::INT4_ARRAY);
        assert_eq!(pg("Array(Nullable(String))"), Type::TEXT_ARRAY);
        assert_eq!(pg("Array(Array(Int32))"), Type::INT4_ARRAY);
        assert_eq!(pg("Array(LowCardinality(String))"), Type::TEXT_ARRAY);
        assert_eq!(pg("Array(UInt64)"), Type::NUMERIC_ARRAY);
        assert_eq!(pg("Array(DateTime64(3, 'UTC'))"), Type::TIMESTAMPTZ_ARRAY);
        assert_eq!(pg("Array(Map(String, String))"), Type::JSONB_ARRAY);
        assert_eq!(pg("Array(IPv6)"), Type::INET_ARRAY);
        assert_eq!(pg("Array(UUID)"), Type::UUID_ARRAY);
        assert_eq!(pg("Array(Bool)"), Type::BOOL_ARRAY);
        assert_eq!(pg("Array(Date32)"), Type::DATE_ARRAY);
        assert_eq!(pg("Array(Float32)"), Type::FLOAT4_ARRAY);
    }

    #[test]
    fn typmods_follow_postgres() {
        assert_eq!(typmod("Decimal(38, 10)"), (38 << 16 | 10) + 4);
        assert_eq!(typmod("Nullable(Decimal(9, 2))"), (9 << 16 | 2) + 4);
        assert_eq!(typmod("Array(Decimal(18, 4))"), (18 << 16 | 4) + 4);
        assert_eq!(typmod("DateTime"), 0);
        assert_eq!(typmod("DateTime64(3, 'UTC')"), 3);
        assert_eq!(typmod("DateTime64(9)"), -1);
        assert_eq!(typmod("UInt64"), -1);
        assert_eq!(typmod("String"), -1);
    }
}

//! Bind parameters: text and binary in, ClickHouse literals out, bad input refused.

use bytes::BytesMut;
use pgwire::api::results::FieldFormat;
use pgwire::api::Type;
use postgres_types::{IsNull, ToSql};

use super::*;

fn text(ty: &Type, s: &str) -> Result<String, ParamError> {
    param_to_literal(ty, FieldFormat::Text, Some(s.as_bytes()))
}

fn ok(ty: &Type, s: &str) -> String {
    text(ty, s).unwrap_or_else(|e| panic!("{ty} {s:?}: {e}"))
}

/// Encodes `v` with postgres-types' binary encoder, as a client driver would.
fn bin<T: ToSql>(ty: &Type, v: T) -> Result<String, ParamError> {
    let mut buf = BytesMut::new();
    let is_null = v.to_sql(ty, &mut buf).expect("encode");
    let bytes = match is_null {
        IsNull::Yes => None,
        IsNull::No => Some(&buf[..]),
    };
    param_to_literal(ty, FieldFormat::Binary, bytes)
}

#[test]
fn null_is_null() {
    assert_eq!(
        param_to_literal(&Type::INT4, FieldFormat::Text, None).as_deref(),
        Ok("NULL")
    );
    assert_eq!(bin(&Type::INT4, None::<i32>).as_deref(), Ok("NULL"));
}

#[test]
fn booleans() {
    for t in ["t", "TRUE", "yes", "on", "1", " tr "] {
        assert_eq!(ok(&Type::BOOL, t), "true", "{t}");
    }
    for f in ["f", "false", "NO", "off", "0"] {
        assert_eq!(ok(&Type::BOOL, f), "false", "{f}");
    }
    assert!(text(&Type::BOOL, "o").is_err());
    assert!(text(&Type::BOOL, "maybe").is_err());
    assert_eq!(bin(&Type::BOOL, true).as_deref(), Ok("true"));
}

#[test]
fn integers() {
    assert_eq!(ok(&Type::INT4, " 42 "), "42");
    assert_eq!(ok(&Type::INT4, "-7"), "(-7)");
    assert_eq!(
        ok(&Type::INT8, "+9223372036854775807"),
        "9223372036854775807"
    );
    assert!(matches!(
        text(&Type::INT2, "40000"),
        Err(ParamError::OutOfRange { .. })
    ));
    assert!(matches!(
        text(&Type::INT8, "99999999999999999999"),
        Err(ParamError::OutOfRange { .. })
    ));
    assert!(matches!(
        text(&Type::INT4, "1; DROP"),
        Err(ParamError::InvalidText { .. })
    ));
    assert_eq!(
        text(&Type::INT4, "x").map_err(|e| e.to_string()),
        Err("invalid input syntax for type integer: \"x\"".to_string())
    );
    assert_eq!(bin(&Type::INT2, -3i16).as_deref(), Ok("(-3)"));
    assert_eq!(bin(&Type::INT4, 5i32).as_deref(), Ok("5"));
    assert_eq!(
        bin(&Type::INT8, i64::MIN).as_deref(),
        Ok("(-9223372036854775808)")
    );
    assert!(matches!(
        param_to_literal(&Type::INT4, FieldFormat::Binary, Some(&[0, 1])),
        Err(ParamError::InvalidBinary { .. })
    ));
}

#[test]
fn floats() {
    assert_eq!(ok(&Type::FLOAT8, "1.5"), "1.5");
    assert_eq!(ok(&Type::FLOAT8, "1e20"), "1e20");
    assert_eq!(ok(&Type::FLOAT8, "-0.25"), "(-0.25)");
    assert_eq!(ok(&Type::FLOAT8, "NaN"), "nan");
    assert_eq!(ok(&Type::FLOAT8, "-Infinity"), "(-inf)");
    assert_eq!(ok(&Type::FLOAT4, "0.1"), "0.1");
    assert!(matches!(
        text(&Type::FLOAT4, "1e40"),
        Err(ParamError::OutOfRange { .. })
    ));
    assert!(text(&Type::FLOAT8, "1.5x").is_err());
    assert_eq!(bin(&Type::FLOAT4, 0.1f32).as_deref(), Ok("0.1"));
    assert_eq!(bin(&Type::FLOAT8, f64::INFINITY).as_deref(), Ok("inf"));
}

#[test]
fn numerics() {
    assert_eq!(ok(&Type::NUMERIC, "123.450"), "123.450");
    assert_eq!(ok(&Type::NUMERIC, "-5"), "(-5)");
    assert_eq!(ok(&Type::NUMERIC, "1.5e3"), "1500");
    assert_eq!(ok(&Type::NUMERIC, "1.5e-3"), "0.0015");
    assert_eq!(ok(&Type::NUMERIC, ".5"), "0.5");
    assert_eq!(
        ok(&Type::NUMERIC, "123456789012345678901"),
        "123456789012345678901"
    );
    assert_eq!(
        ok(&Type::NUMERIC, "-12345678901234567890.1234567890"),
        "toDecimal256('-12345678901234567890.1234567890', 10)"
    );
    assert!(text(&Type::NUMERIC, "1.2.3").is_err());
    assert!(text(&Type::NUMERIC, "").is_err());
    // numeric_send(123.45::numeric(9,2)), numeric_send(-0.05), numeric_send(10000)
    let n = |words: &[i16]| -> Vec<u8> { words.iter().flat_map(|w| w.to_be_bytes()).collect() };
    let b = |words: &[i16]| param_to_literal(&Type::NUMERIC, FieldFormat::Binary, Some(&n(words)));
    assert_eq!(b(&[2, 0, 0, 2, 123, 4500]).as_deref(), Ok("123.45"));
    assert_eq!(b(&[1, -1, 0x4000, 2, 500]).as_deref(), Ok("(-0.05)"));
    assert_eq!(b(&[1, 1, 0, 0, 1]).as_deref(), Ok("10000"));
    assert_eq!(b(&[0, 0, 0, 2]).as_deref(), Ok("0.00"));
    assert_eq!(b(&[1, -2, 0, 8, 1234]).as_deref(), Ok("0.00001234"));
    assert_eq!(b(&[0, 0, 0xC000u16 as i16, 0]).as_deref(), Ok("nan"));
    assert!(b(&[3, 0, 0, 0, 1]).is_err());
}

#[test]
fn strings_cannot_escape_the_literal() {
    assert_eq!(ok(&Type::TEXT, "it's"), r"'it\'s'");
    assert_eq!(
        ok(&Type::VARCHAR, r"\'; DROP TABLE t; --"),
        r"'\\\'; DROP TABLE t; --'"
    );
    assert_eq!(ok(&Type::UNKNOWN, "a\nb"), r"'a\nb'");
    assert!(text(&Type::TEXT, "a\0b").is_err());
    assert!(param_to_literal(&Type::TEXT, FieldFormat::Text, Some(b"\xff")).is_err());
    assert_eq!(bin(&Type::TEXT, "ünï").as_deref(), Ok("'ünï'"));
}

#[test]
fn dates_and_timestamps() {
    assert_eq!(ok(&Type::DATE, "2024-02-29"), "toDate32('2024-02-29')");
    assert!(text(&Type::DATE, "2023-02-29").is_err());
    assert!(text(&Type::DATE, "2023-13-01").is_err());
    assert_eq!(
        ok(&Type::TIMESTAMP, "2024-01-02 03:04:05.5"),
        "toDateTime64('2024-01-02 03:04:05.500000', 6, 'UTC')"
    );
    assert_eq!(
        ok(&Type::TIMESTAMP, "2024-01-02"),
        "toDateTime64('2024-01-02 00:00:00.000000', 6, 'UTC')"
    );
    assert_eq!(
        ok(&Type::TIMESTAMP, "2024-01-02T03:04:05.1234565"),
        "toDateTime64('2024-01-02 03:04:05.123456', 6, 'UTC')"
    );
    assert!(text(&Type::TIMESTAMP, "2024-01-02 03:04:05+02").is_err());
    assert_eq!(
        ok(&Type::TIMESTAMPTZ, "2024-01-02 03:04:05+05:30"),
        "toDateTime64('2024-01-01 21:34:05.000000', 6, 'UTC')"
    );
    assert_eq!(
        ok(&Type::TIMESTAMPTZ, "2024-01-02 03:04:05-08"),
        "toDateTime64('2024-01-02 11:04:05.000000', 6, 'UTC')"
    );
    assert_eq!(
        ok(&Type::TIMESTAMPTZ, "2024-01-02T03:04:05Z"),
        "toDateTime64('2024-01-02 03:04:05.000000', 6, 'UTC')"
    );
    assert!(text(&Type::TIMESTAMP, "2024-01-02 25:00").is_err());
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_micros(1_700_000_000_123_456);
    assert_eq!(
        bin(&Type::TIMESTAMPTZ, t).as_deref(),
        Ok("toDateTime64('2023-11-14 22:13:20.123456', 6, 'UTC')")
    );
    let days = 8_857i32.to_be_bytes(); // 2024-04-01 - 2000-01-01
    assert_eq!(
        param_to_literal(&Type::DATE, FieldFormat::Binary, Some(&days)).as_deref(),
        Ok("toDate32('2024-04-01')")
    );
}

#[test]
fn uuids_and_json() {
    let want = "toUUID('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')";
    assert_eq!(
        ok(&Type::UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        want
    );
    assert_eq!(
        ok(&Type::UUID, "{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}"),
        want
    );
    assert_eq!(ok(&Type::UUID, "a0eebc999c0b4ef8bb6d6bb9bd380a11"), want);
    assert!(text(&Type::UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1").is_err());
    assert!(text(&Type::UUID, "a0ee-bc99-9c0b-4ef8-bb6d-6bb9bd380a11-").is_err());
    let u = uuid::Uuid::parse_str("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").expect("uuid");
    assert_eq!(bin(&Type::UUID, u).as_deref(), Ok(want));
    assert_eq!(ok(&Type::JSONB, r#"{"a": "it's"}"#), r#"'{"a": "it\'s"}'"#);
    assert!(text(&Type::JSON, "{").is_err());
    let mut jsonb = vec![1u8];
    jsonb.extend_from_slice(b"[1, 2]");
    assert_eq!(
        param_to_literal(&Type::JSONB, FieldFormat::Binary, Some(&jsonb)).as_deref(),
        Ok("'[1, 2]'")
    );
}

#[test]
fn arrays() {
    assert_eq!(ok(&Type::INT4_ARRAY, "{1,-2,NULL}"), "[1, (-2), NULL]");
    assert_eq!(ok(&Type::INT4_ARRAY, "{}"), "[]");
    assert_eq!(ok(&Type::INT4_ARRAY, "{{1,2},{3,4}}"), "[[1, 2], [3, 4]]");
    assert_eq!(
        ok(&Type::TEXT_ARRAY, r#"{a, "b c" ,"q\"x\\", "NULL", NULL,'}"#),
        r#"['a', 'b c', 'q"x\\', 'NULL', NULL, '\'']"#
    );
    assert!(text(&Type::INT4_ARRAY, "{1,x}").is_err());
    assert!(text(&Type::INT4_ARRAY, "{1,2").is_err());
    assert!(text(&Type::INT4_ARRAY, "{1,2}}").is_err());
    assert!(text(&Type::INT4_ARRAY, "1,2").is_err());
    assert_eq!(
        bin(&Type::INT4_ARRAY, vec![Some(1i32), None, Some(3)]).as_deref(),
        Ok("[1, NULL, 3]")
    );
    assert_eq!(
        bin(&Type::TEXT_ARRAY, vec!["a'b", ""]).as_deref(),
        Ok(r"['a\'b', '']")
    );
    assert_eq!(
        bin(&Type::INT8_ARRAY, Vec::<i64>::new()).as_deref(),
        Ok("[]")
    );
    assert!(param_to_literal(&Type::INT4_ARRAY, FieldFormat::Binary, Some(&[0, 0, 0, 1])).is_err());
}

#[test]
fn unsupported_types_say_so() {
    assert_eq!(
        text(&Type::INTERVAL, "1 day"),
        Err(ParamError::Unsupported("interval".into()))
    );
}

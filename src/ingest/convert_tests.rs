//! Conversions against the bytes ClickHouse's RowBinary expects (the round trip through a
//! real ClickHouse is in `tests/it/ingest.rs`).

use super::*;
use crate::clickhouse::types::ChType;
use serde_json::value::RawValue;

fn enc(ty: &str, json: &str) -> Result<Vec<u8>, String> {
    let raw: &RawValue = serde_json::from_str(json).expect("valid JSON");
    let conv = Conv::new(&ChType::parse(ty).expect("type"));
    let mut out = Vec::new();
    conv.encode(&Json::from_raw(raw), &mut out)?;
    Ok(out)
}

#[test]
fn integers_from_numbers_and_strings() {
    assert_eq!(enc("Int8", "-5"), Ok(vec![0xfb]));
    assert_eq!(enc("UInt16", "\"513\""), Ok(vec![1, 2]));
    assert_eq!(
        enc("UInt8", "300"),
        Err("300 is out of range for UInt8".into())
    );
    assert_eq!(enc("Int32", "1.5"), Err("1.5 is not an integer".into()));
    assert_eq!(
        enc("Int32", "true"),
        Err("expected an integer, got a boolean".into())
    );
    assert_eq!(enc("UInt64", "18446744073709551615"), Ok(vec![0xff; 8]));
    assert_eq!(enc("Int128", "-1"), Ok(vec![0xff; 16]));
}

#[test]
fn floats_decimals_and_bools() {
    assert_eq!(enc("Float64", "1.5"), Ok(1.5f64.to_le_bytes().to_vec()));
    assert_eq!(enc("Float32", "\"2.5\""), Ok(2.5f32.to_le_bytes().to_vec()));
    assert!(enc("Float32", "1e40").is_err());
    assert_eq!(
        enc("Decimal(10, 2)", "12.345"),
        Ok(1234i64.to_le_bytes().to_vec())
    );
    for (json, b) in [
        ("true", 1),
        ("false", 0),
        ("1", 1),
        ("0", 0),
        ("\"true\"", 1),
        ("\"0\"", 0),
    ] {
        assert_eq!(enc("Bool", json), Ok(vec![b]), "{json}");
    }
    assert!(enc("Bool", "2").is_err());
    assert!(enc("Bool", "\"yes\"").is_err());
}

#[test]
fn strings_take_any_json_as_text() {
    assert_eq!(enc("String", "\"hé\""), Ok(b"\x03h\xc3\xa9".to_vec()));
    assert_eq!(enc("String", "12.50"), Ok(b"\x0512.50".to_vec()));
    assert_eq!(
        enc("String", "{\"a\": [1]}"),
        Ok(b"\x0a{\"a\": [1]}".to_vec())
    );
    assert_eq!(
        enc("LowCardinality(String)", "\"x\""),
        Ok(b"\x01x".to_vec())
    );
    assert_eq!(enc("FixedString(3)", "\"ab\""), Ok(b"ab\0".to_vec()));
    assert!(enc("FixedString(1)", "\"ab\"").is_err());
    assert_eq!(
        enc("String", "null"),
        Err("null where the type is not Nullable".into())
    );
}

#[test]
fn dates_and_times() {
    assert_eq!(enc("Date", "\"1970-01-03\""), Ok(vec![2, 0]));
    assert!(enc("Date", "\"2200-01-01\"").is_err());
    assert_eq!(
        enc("Date32", "\"1969-12-31\""),
        Ok((-1i32).to_le_bytes().to_vec())
    );
    assert_eq!(
        enc("DateTime", "1700000000"),
        Ok(1_700_000_000u32.to_le_bytes().to_vec())
    );
    assert_eq!(
        enc("DateTime", "\"2023-11-14T22:13:20Z\""),
        Ok(1_700_000_000u32.to_le_bytes().to_vec())
    );
    assert_eq!(
        enc("DateTime('Europe/Madrid')", "\"2023-11-14 23:13:20\""),
        Ok(1_700_000_000u32.to_le_bytes().to_vec())
    );
    assert!(enc("DateTime", "\"1969-12-31 23:59:59\"").is_err());
    assert_eq!(
        enc("DateTime64(3)", "\"2023-11-14 22:13:20.1239\""),
        Ok(1_700_000_000_123i64.to_le_bytes().to_vec())
    );
    assert_eq!(
        enc("DateTime64(6)", "1700000000.5"),
        Ok(1_700_000_000_500_000i64.to_le_bytes().to_vec())
    );
    assert!(enc("DateTime64(3)", "\"2300-01-01 00:00:00\"").is_err());
}

#[test]
fn wrappers_and_containers() {
    assert_eq!(enc("Nullable(Int8)", "null"), Ok(vec![1]));
    assert_eq!(enc("Nullable(Int8)", "3"), Ok(vec![0, 3]));
    assert_eq!(enc("LowCardinality(Nullable(String))", "null"), Ok(vec![1]));
    assert_eq!(enc("Array(UInt8)", "[1, 2]"), Ok(vec![2, 1, 2]));
    assert_eq!(
        enc("Array(UInt8)", "[1, 300]"),
        Err("element 1: 300 is out of range for UInt8".into())
    );
    assert_eq!(enc("Array(Nullable(UInt8))", "[null]"), Ok(vec![1, 1]));
    assert_eq!(
        enc("Map(String, UInt8)", "{\"a\": 1}"),
        Ok(vec![1, 1, b'a', 1])
    );
    assert_eq!(enc("Map(UInt8, UInt8)", "{\"7\": 1}"), Ok(vec![1, 7, 1]));
    assert_eq!(
        enc("Tuple(a UInt8, b String)", "{\"b\": \"x\", \"a\": 1}"),
        Ok(vec![1, 1, b'x'])
    );
    assert_eq!(
        enc("Tuple(UInt8, String)", "[1, \"x\"]"),
        Ok(vec![1, 1, b'x'])
    );
    assert_eq!(enc("Enum8('a' = 1, 'b' = -2)", "\"b\""), Ok(vec![0xfe]));
    assert_eq!(enc("Enum8('a' = 1, 'b' = -2)", "1"), Ok(vec![1]));
    assert!(enc("Enum8('a' = 1)", "\"c\"").is_err());
    assert!(enc("AggregateFunction(uniq, String)", "\"x\"").is_err());
    assert_eq!(enc("SimpleAggregateFunction(max, UInt8)", "4"), Ok(vec![4]));
    assert_eq!(enc("JSON", "{\"a\":1}"), Ok(b"\x07{\"a\":1}".to_vec()));
    assert!(enc("JSON", "[1]").is_err());
}

#[test]
fn uuids_and_addresses() {
    assert_eq!(
        enc("UUID", "\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\""),
        Ok(vec![
            0xe7, 0x11, 0xb3, 0x5c, 0x04, 0xc4, 0xf0, 0x61, 0xa0, 0xdb, 0xd3, 0x6a, 0x00, 0xa6,
            0x7b, 0x90
        ]),
        "as ClickHouse's RowBinary writes it"
    );
    assert!(enc("UUID", "\"not-a-uuid\"").is_err());
    assert_eq!(
        enc("IPv4", "\"1.2.3.4\""),
        Ok(0x0102_0304u32.to_le_bytes().to_vec())
    );
    let mut v6 = vec![0u8; 10];
    v6.extend_from_slice(&[0xff, 0xff, 1, 2, 3, 4]);
    assert_eq!(enc("IPv6", "\"1.2.3.4\""), Ok(v6));
    assert!(enc("IPv6", "\"::zz\"").is_err());
}

//! Unit tests: hand-built RowBinary in, exact Postgres text and binary out. Text is
//! compared with what PostgreSQL prints; binary is decoded with `postgres-types` where it
//! has a decoder, else compared byte for byte with PostgreSQL's `*_send` output.

use bytes::BytesMut;
use pgwire::api::results::FieldFormat;
use pgwire::api::Type;
use postgres_types::FromSql;

use super::*;

fn leb(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn string(s: &[u8], out: &mut Vec<u8>) {
    leb(s.len() as u64, out);
    out.extend_from_slice(s);
}

fn header(cols: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    leb(cols.len() as u64, &mut out);
    for (name, _) in cols {
        string(name.as_bytes(), &mut out);
    }
    for (_, ty) in cols {
        string(ty.as_bytes(), &mut out);
    }
    out
}

fn encoder(ty: &str, format: FieldFormat, zone: SessionZone) -> RowEncoder {
    let h = header(&[("c", ty)]);
    let (header, used) = parse_header(&h).expect("header").expect("complete");
    assert_eq!(used, h.len());
    RowEncoder::new(header, &[format], zone).expect("encoder")
}

/// Encodes one value of type `ty` and answers the field body (None for NULL).
fn field(ty: &str, value: &[u8], format: FieldFormat, zone: SessionZone) -> Option<Vec<u8>> {
    let enc = encoder(ty, format, zone);
    let mut out = BytesMut::new();
    let used = enc
        .encode_row(value, &mut out)
        .unwrap_or_else(|e| panic!("{ty}: {e}"))
        .unwrap_or_else(|| panic!("{ty}: needs more bytes"));
    assert_eq!(used, value.len(), "{ty}: all bytes used");
    // Every prefix is "need more", and leaves the output unchanged.
    for cut in 0..value.len() {
        let mut partial = BytesMut::new();
        assert_eq!(
            enc.encode_row(&value[..cut], &mut partial),
            Ok(None),
            "{ty} cut at {cut}"
        );
        assert!(partial.is_empty());
    }
    let len = i32::from_be_bytes(out[..4].try_into().expect("length"));
    if len < 0 {
        assert_eq!(out.len(), 4);
        return None;
    }
    assert_eq!(out.len(), 4 + len as usize);
    Some(out[4..].to_vec())
}

fn text(ty: &str, value: &[u8]) -> String {
    text_in(ty, value, SessionZone::Utc)
}

fn text_in(ty: &str, value: &[u8], zone: SessionZone) -> String {
    let body = field(ty, value, FieldFormat::Text, zone).expect("not NULL");
    String::from_utf8(body).expect("UTF-8")
}

fn binary(ty: &str, value: &[u8]) -> Vec<u8> {
    field(ty, value, FieldFormat::Binary, SessionZone::Utc).expect("not NULL")
}

fn decode<'a, T: FromSql<'a>>(pg: &Type, body: &'a [u8]) -> T {
    T::from_sql(pg, body).unwrap_or_else(|e| panic!("{pg}: {e}"))
}

#[test]
fn integers() {
    assert_eq!(text("Int8", &[0x80]), "-128");
    assert_eq!(text("UInt8", &[255]), "255");
    assert_eq!(text("Int16", &i16::MIN.to_le_bytes()), "-32768");
    assert_eq!(text("UInt16", &u16::MAX.to_le_bytes()), "65535");
    assert_eq!(text("Int32", &i32::MIN.to_le_bytes()), "-2147483648");
    assert_eq!(text("UInt32", &u32::MAX.to_le_bytes()), "4294967295");
    assert_eq!(
        text("Int64", &i64::MIN.to_le_bytes()),
        "-9223372036854775808"
    );
    assert_eq!(decode::<i16>(&Type::INT2, &binary("Int8", &[0x80])), -128);
    assert_eq!(decode::<i16>(&Type::INT2, &binary("UInt8", &[255])), 255);
    assert_eq!(
        decode::<i16>(&Type::INT2, &binary("Int16", &(-2i16).to_le_bytes())),
        -2
    );
    assert_eq!(
        decode::<i32>(&Type::INT4, &binary("UInt16", &u16::MAX.to_le_bytes())),
        65535
    );
    assert_eq!(
        decode::<i32>(&Type::INT4, &binary("Int32", &i32::MIN.to_le_bytes())),
        i32::MIN
    );
    assert_eq!(
        decode::<i64>(&Type::INT8, &binary("UInt32", &u32::MAX.to_le_bytes())),
        4294967295
    );
    assert_eq!(
        decode::<i64>(&Type::INT8, &binary("Int64", &i64::MAX.to_le_bytes())),
        i64::MAX
    );
}

#[test]
fn wide_integers_are_numeric() {
    assert_eq!(
        text("UInt64", &u64::MAX.to_le_bytes()),
        "18446744073709551615"
    );
    assert_eq!(
        text("Int128", &i128::MIN.to_le_bytes()),
        i128::MIN.to_string()
    );
    assert_eq!(
        text("UInt128", &u128::MAX.to_le_bytes()),
        u128::MAX.to_string()
    );
    assert_eq!(
        text("UInt256", &[0xff; 32]),
        "115792089237316195423570985008687907853269984665640564039457584007913129639935"
    );
    let mut min = [0u8; 32];
    min[31] = 0x80;
    assert_eq!(
        text("Int256", &min),
        "-57896044618658097711785492504343953926634992332820282019728792003956564819968"
    );
    assert_eq!(text("Int256", &[0xff; 32]), "-1");
    assert_eq!(text("Int256", &[0; 32]), "0");
}

#[test]
fn decimals_print_exactly_their_scale() {
    assert_eq!(text("Decimal(9, 2)", &12345i32.to_le_bytes()), "123.45");
    assert_eq!(text("Decimal(9, 2)", &(-5i32).to_le_bytes()), "-0.05");
    assert_eq!(text("Decimal(9, 2)", &0i32.to_le_bytes()), "0.00");
    assert_eq!(text("Decimal(18, 0)", &(-7i64).to_le_bytes()), "-7");
    assert_eq!(
        text(
            "Decimal(38, 10)",
            &(-123456789012345678901234567890i128).to_le_bytes()
        ),
        "-12345678901234567890.1234567890"
    );
    assert_eq!(text("Decimal(76, 3)", &[0xff; 32]), "-0.001");
}

/// Postgres's `numeric_send` output: ndigits, weight, sign, dscale, digits.
fn numeric(ndigits: i16, weight: i16, sign: u16, dscale: i16, digits: &[i16]) -> Vec<u8> {
    let mut v = Vec::new();
    for x in [ndigits, weight, sign as i16, dscale] {
        v.extend_from_slice(&x.to_be_bytes());
    }
    for d in digits {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v
}

#[test]
fn numeric_binary_matches_numeric_send() {
    // SELECT numeric_send(123.45::numeric(9,2)) = 0002 0000 0000 0002 007b 1194
    assert_eq!(
        binary("Decimal(9, 2)", &12345i32.to_le_bytes()),
        numeric(2, 0, 0, 2, &[123, 4500])
    );
    assert_eq!(
        binary("Decimal(9, 2)", &0i32.to_le_bytes()),
        numeric(0, 0, 0, 2, &[])
    );
    assert_eq!(
        binary("Decimal(9, 2)", &(-5i32).to_le_bytes()),
        numeric(1, -1, 0x4000, 2, &[500])
    );
    // 10000 = one digit of weight 1.
    assert_eq!(
        binary("UInt64", &10000u64.to_le_bytes()),
        numeric(1, 1, 0, 0, &[1])
    );
    assert_eq!(
        binary("UInt64", &u64::MAX.to_le_bytes()),
        numeric(5, 4, 0, 0, &[1844, 6744, 737, 955, 1615])
    );
    // 0.00001234 with scale 8: weight -2, digits [1234].
    assert_eq!(
        binary("Decimal(18, 8)", &1234i64.to_le_bytes()),
        numeric(1, -2, 0, 8, &[1234])
    );
    // 12345.6 with scale 1: 1,2345.6000
    assert_eq!(
        binary("Decimal(9, 1)", &123456i32.to_le_bytes()),
        numeric(3, 1, 0, 1, &[1, 2345, 6000])
    );
}

#[test]
fn floats_print_like_postgres() {
    let f8 = |v: f64| text("Float64", &v.to_le_bytes());
    let f4 = |v: f32| text("Float32", &v.to_le_bytes());
    assert_eq!(f8(1.5), "1.5");
    assert_eq!(f8(1e20), "1e+20");
    assert_eq!(f8(-0.0), "-0");
    assert_eq!(f8(0.0), "0");
    assert_eq!(f8(f64::INFINITY), "Infinity");
    assert_eq!(f8(f64::NEG_INFINITY), "-Infinity");
    assert_eq!(f8(f64::NAN), "NaN");
    assert_eq!(f8(0.1), "0.1");
    assert_eq!(f8(0.0001), "0.0001");
    assert_eq!(f8(0.00001), "1e-05");
    assert_eq!(f8(123456789012345.0), "123456789012345");
    assert_eq!(f8(1e15), "1e+15");
    assert_eq!(f8(1.2345678901234567e15), "1.2345678901234568e+15");
    assert_eq!(f8(f64::MAX), "1.7976931348623157e+308");
    assert_eq!(f8(5e-324), "5e-324");
    assert_eq!(f8(-3.25), "-3.25");
    assert_eq!(f4(0.1), "0.1");
    assert_eq!(f4(100000.0), "100000");
    assert_eq!(f4(1000000.0), "1e+06");
    assert_eq!(f4(1.5e-5), "1.5e-05");
    assert_eq!(f4(3.4028235e38), "3.4028235e+38");
    assert_eq!(
        decode::<f64>(&Type::FLOAT8, &binary("Float64", &1.5f64.to_le_bytes())),
        1.5
    );
    assert_eq!(
        decode::<f32>(&Type::FLOAT4, &binary("Float32", &(-2.5f32).to_le_bytes())),
        -2.5
    );
}

#[test]
fn text_types() {
    let mut v = Vec::new();
    string("héllo, 世界".as_bytes(), &mut v);
    assert_eq!(text("String", &v), "héllo, 世界");
    assert_eq!(
        decode::<String>(&Type::TEXT, &binary("String", &v)),
        "héllo, 世界"
    );
    let mut bad = Vec::new();
    string(b"a\xffb", &mut bad);
    assert_eq!(text("String", &bad), "a\u{FFFD}b");
    assert_eq!(text("LowCardinality(String)", &[0]), "");
    assert_eq!(text("FixedString(4)", b"ab\0\0"), "ab");
    assert_eq!(text("Enum8('a' = 1, 'b' = -2)", &[0xfe]), "b");
    assert_eq!(text("Enum16('big' = 1000)", &1000i16.to_le_bytes()), "big");
    assert_eq!(binary("Enum8('a' = 1)", &[1]), b"a");
    let enc = encoder("Enum8('a' = 1)", FieldFormat::Text, SessionZone::Utc);
    assert!(matches!(
        enc.encode_row(&[9], &mut BytesMut::new()),
        Err(DecodeError::Malformed(_))
    ));
}

#[test]
fn nulls_and_nothing() {
    assert_eq!(
        field("Nullable(Int32)", &[1], FieldFormat::Text, SessionZone::Utc),
        None
    );
    assert_eq!(
        field(
            "Nullable(Int32)",
            &[1],
            FieldFormat::Binary,
            SessionZone::Utc
        ),
        None
    );
    assert_eq!(text("Nullable(Int32)", &[0, 7, 0, 0, 0]), "7");
    assert_eq!(
        field(
            "LowCardinality(Nullable(String))",
            &[1],
            FieldFormat::Text,
            SessionZone::Utc
        ),
        None
    );
    assert_eq!(
        field(
            "Nullable(Nothing)",
            &[1],
            FieldFormat::Text,
            SessionZone::Utc
        ),
        None
    );
    assert_eq!(text("Array(Nothing)", &[0]), "{}");
    let h = header(&[("n", "Nullable(Nothing)"), ("e", "Array(Nothing)")]);
    let (header, _) = parse_header(&h).expect("ok").expect("complete");
    assert_eq!(header.columns[0].pg_type, Type::TEXT);
    assert_eq!(header.columns[1].pg_type, Type::TEXT_ARRAY);
}

#[test]
fn bool_and_uuid() {
    assert_eq!(text("Bool", &[1]), "t");
    assert_eq!(text("Bool", &[0]), "f");
    assert!(decode::<bool>(&Type::BOOL, &binary("Bool", &[1])));
    // toUUID('01234567-89ab-cdef-0123-456789abcdef') as ClickHouse sends it.
    let raw = [
        0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23,
        0x01,
    ];
    assert_eq!(text("UUID", &raw), "01234567-89ab-cdef-0123-456789abcdef");
    let u: uuid::Uuid = decode(&Type::UUID, &binary("UUID", &raw));
    assert_eq!(u.to_string(), "01234567-89ab-cdef-0123-456789abcdef");
}

#[test]
fn dates() {
    assert_eq!(text("Date", &0u16.to_le_bytes()), "1970-01-01");
    assert_eq!(text("Date", &u16::MAX.to_le_bytes()), "2149-06-06");
    assert_eq!(text("Date32", &(-25567i32).to_le_bytes()), "1900-01-01");
    assert_eq!(text("Date32", &19782i32.to_le_bytes()), "2024-02-29");
    assert_eq!(
        text("Date32", &(-719_163i32).to_le_bytes()),
        "0001-12-31 BC"
    );
    assert_eq!(
        decode::<i32>(&Type::INT4, &binary("Date", &10957u16.to_le_bytes())),
        0
    );
    assert_eq!(
        decode::<i32>(&Type::INT4, &binary("Date32", &(-25567i32).to_le_bytes())),
        -36524
    );
    for d in [-800_000i64, -1, 0, 59, 60, 365, 11016, 2_932_896] {
        let (y, m, day) = civil_from_days(d);
        assert_eq!(days_from_civil(y, m, day), d);
    }
}

#[test]
fn timestamps() {
    assert_eq!(text("DateTime", &0u32.to_le_bytes()), "1970-01-01 00:00:00");
    assert_eq!(
        text("DateTime", &u32::MAX.to_le_bytes()),
        "2106-02-07 06:28:15"
    );
    assert_eq!(
        text("DateTime64(3)", &1_500i64.to_le_bytes()),
        "1970-01-01 00:00:01.5"
    );
    assert_eq!(
        text("DateTime64(6)", &(-1i64).to_le_bytes()),
        "1969-12-31 23:59:59.999999"
    );
    assert_eq!(
        text("DateTime64(0)", &(-2_208_988_800i64).to_le_bytes()),
        "1900-01-01 00:00:00"
    );
    // Nanoseconds round half to even, to microseconds.
    assert_eq!(
        text("DateTime64(9)", &1_234_567_500i64.to_le_bytes()),
        "1970-01-01 00:00:01.234568"
    );
    assert_eq!(
        text("DateTime64(9)", &1_234_566_500i64.to_le_bytes()),
        "1970-01-01 00:00:01.234566"
    );
    assert_eq!(
        text("DateTime64(9)", &999_999_999i64.to_le_bytes()),
        "1970-01-01 00:00:01"
    );
    // timestamptz in the session zone.
    let t = 1_700_000_000u32.to_le_bytes();
    assert_eq!(text("DateTime('Asia/Tokyo')", &t), "2023-11-14 22:13:20+00");
    assert_eq!(
        text_in("DateTime('UTC')", &t, SessionZone::Fixed(19_800)),
        "2023-11-15 03:43:20+05:30"
    );
    assert_eq!(
        text_in("DateTime('UTC')", &t, SessionZone::Fixed(-28_800)),
        "2023-11-14 14:13:20-08"
    );
    assert_eq!(
        text_in("DateTime('UTC')", &t, SessionZone::Fixed(1_172)),
        "2023-11-14 22:32:52+00:19:32"
    );
    // A named zone prints each instant with the offset in force then, across DST.
    let ny = SessionZone::Named(chrono_tz::America::New_York);
    for (epoch, want) in [
        (1_783_500_000u32, "2026-07-08 04:40:00-04"),
        (1_800_000_000, "2027-01-15 03:00:00-05"),
        // 2026-11-01 05:30 and 06:30 UTC: both 01:30 local, before and after the fall back.
        (1_793_511_000, "2026-11-01 01:30:00-04"),
        (1_793_514_600, "2026-11-01 01:30:00-05"),
    ] {
        assert_eq!(text_in("DateTime('UTC')", &epoch.to_le_bytes(), ny), want);
    }
    assert_eq!(
        text_in(
            "DateTime('UTC')",
            &t,
            SessionZone::Named(chrono_tz::Asia::Kolkata)
        ),
        "2023-11-15 03:43:20+05:30"
    );
    let micros = |b: Vec<u8>| decode::<std::time::SystemTime>(&Type::TIMESTAMP, &b);
    assert_eq!(
        micros(binary("DateTime64(3, 'UTC')", &1_500i64.to_le_bytes())),
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(1500)
    );
    assert_eq!(
        binary("DateTime", &946_684_800u32.to_le_bytes()),
        0i64.to_be_bytes()
    );
}

#[test]
fn inet() {
    assert_eq!(text("IPv4", &[4, 3, 2, 1]), "1.2.3.4");
    let v6 = |s: &str| {
        let a: std::net::Ipv6Addr = s.parse().expect("address");
        text("IPv6", &a.octets())
    };
    assert_eq!(v6("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
    assert_eq!(v6("2001:db8::1"), "2001:db8::1");
    assert_eq!(v6("::"), "::");
    assert_eq!(v6("::1"), "::1");
    assert_eq!(v6("1::"), "1::");
    assert_eq!(v6("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
    assert_eq!(v6("2001:0:0:1:0:0:1:1"), "2001::1:0:0:1:1");
    assert_eq!(v6("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");
    assert_eq!(v6("::1.2.3.4"), "::1.2.3.4");
    let ip: std::net::IpAddr = decode(&Type::INET, &binary("IPv4", &[4, 3, 2, 1]));
    assert_eq!(ip.to_string(), "1.2.3.4");
    let a: std::net::Ipv6Addr = "2001:db8::1".parse().expect("address");
    let ip: std::net::IpAddr = decode(&Type::INET, &binary("IPv6", &a.octets()));
    assert_eq!(ip.to_string(), "2001:db8::1");
}

fn array_of_strings(items: &[Option<&str>], nullable: bool) -> Vec<u8> {
    let mut v = Vec::new();
    leb(items.len() as u64, &mut v);
    for item in items {
        if nullable {
            v.push(u8::from(item.is_none()));
        }
        if let Some(s) = item {
            string(s.as_bytes(), &mut v);
        }
    }
    v
}

#[test]
fn arrays_text() {
    let mut ints = Vec::new();
    leb(3, &mut ints);
    ints.extend_from_slice(&[0, 1, 0, 0, 0, 1, 0, 0xfe, 0xff, 0xff, 0xff]);
    assert_eq!(text("Array(Nullable(Int32))", &ints), "{1,NULL,-2}");
    let strings = array_of_strings(
        &[
            Some("a"),
            Some(""),
            Some("null"),
            Some("x y"),
            Some("q\"b\\"),
            Some("{}"),
            Some("é"),
            None,
        ],
        true,
    );
    assert_eq!(
        text("Array(Nullable(String))", &strings),
        r#"{a,"","null","x y","q\"b\\","{}",é,NULL}"#
    );
    assert_eq!(text("Array(String)", &[0]), "{}");
    // [[1,2],[3]] and [[],[]]
    let nested = [2, 2, 1, 2, 1, 3];
    assert_eq!(text("Array(Array(UInt8))", &nested), "{{1,2},{3}}");
    assert_eq!(text("Array(Array(UInt8))", &[2, 0, 0]), "{}");
    // Timestamps contain a space, so they are quoted.
    let mut ts = Vec::new();
    leb(1, &mut ts);
    ts.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(text("Array(DateTime)", &ts), r#"{"1970-01-01 00:00:00"}"#);
}

#[test]
fn arrays_binary() {
    let mut ints = Vec::new();
    leb(3, &mut ints);
    ints.extend_from_slice(&[0, 1, 0, 0, 0, 1, 0, 0xfe, 0xff, 0xff, 0xff]);
    let got: Vec<Option<i32>> = decode(&Type::INT4_ARRAY, &binary("Array(Nullable(Int32))", &ints));
    assert_eq!(got, vec![Some(1), None, Some(-2)]);
    let strings = array_of_strings(&[Some("a"), Some("")], false);
    let got: Vec<String> = decode(&Type::TEXT_ARRAY, &binary("Array(String)", &strings));
    assert_eq!(got, vec!["a".to_string(), String::new()]);
    let empty: Vec<i32> = decode(&Type::INT4_ARRAY, &binary("Array(Int32)", &[0]));
    assert!(empty.is_empty());
    // [[1,2],[3,4]]: ndim 2, dims 2x2, element int2.
    let body = binary("Array(Array(UInt8))", &[2, 2, 1, 2, 2, 3, 4]);
    let mut want = Vec::new();
    for x in [2i32, 0] {
        want.extend_from_slice(&x.to_be_bytes());
    }
    want.extend_from_slice(&Type::INT2.oid().to_be_bytes());
    for x in [2i32, 1, 2, 1] {
        want.extend_from_slice(&x.to_be_bytes());
    }
    for x in [1i16, 2, 3, 4] {
        want.extend_from_slice(&2i32.to_be_bytes());
        want.extend_from_slice(&x.to_be_bytes());
    }
    assert_eq!(body, want);
    // Ragged arrays have no binary form.
    let enc = encoder("Array(Array(UInt8))", FieldFormat::Binary, SessionZone::Utc);
    let err = enc.encode_row(&[2, 2, 1, 2, 1, 3], &mut BytesMut::new());
    assert!(
        matches!(err, Err(DecodeError::Unrepresentable { .. })),
        "{err:?}"
    );
}

#[test]
fn maps_tuples_and_json() {
    // map('k', 1, 'x"y', 2)
    let mut m = Vec::new();
    leb(2, &mut m);
    string(b"k", &mut m);
    m.push(1);
    string(b"x\"y", &mut m);
    m.push(2);
    assert_eq!(text("Map(String, UInt8)", &m), r#"{"k": 1, "x\"y": 2}"#);
    let mut jb = vec![1u8];
    jb.extend_from_slice(br#"{"k": 1, "x\"y": 2}"#);
    assert_eq!(binary("Map(String, UInt8)", &m), jb);
    let mut t = vec![1u8];
    string(b"a", &mut t);
    assert_eq!(text("Tuple(UInt8, String)", &t), r#"[1, "a"]"#);
    assert_eq!(
        text("Tuple(a UInt8, b String)", &t),
        r#"{"a": 1, "b": "a"}"#
    );
    let mut keyed = Vec::new();
    leb(1, &mut keyed);
    keyed.extend_from_slice(&7u32.to_le_bytes());
    keyed.extend_from_slice(&[1]);
    assert_eq!(
        text("Map(UInt32, Nullable(Float64))", &keyed),
        r#"{"7": null}"#
    );
    let mut j = Vec::new();
    string(br#"{"a":{"b":[1,2]},"c":"x, y: z"}"#, &mut j);
    assert_eq!(text("JSON", &j), r#"{"a": {"b": [1, 2]}, "c": "x, y: z"}"#);
    let mut nan = vec![0u8];
    nan.extend_from_slice(&f64::NAN.to_le_bytes());
    assert_eq!(text("Tuple(Nullable(Float64))", &nan), r#"["NaN"]"#);
    let mut ts = Vec::new();
    ts.extend_from_slice(&1_500i64.to_le_bytes());
    ts.extend_from_slice(&0u16.to_le_bytes());
    assert_eq!(
        text("Tuple(DateTime64(3, 'UTC'), Date)", &ts),
        r#"["1970-01-01T00:00:01.5+00:00", "1970-01-01"]"#
    );
}

#[test]
fn rows_stream_across_chunks() {
    let h = header(&[("a", "UInt8"), ("b", "String")]);
    // The header itself may arrive in pieces.
    for cut in 0..h.len() {
        assert!(parse_header(&h[..cut]).expect("no error").is_none());
    }
    let (header, _) = parse_header(&h).expect("ok").expect("complete");
    assert_eq!(header.columns[1].name, "b");
    let enc = RowEncoder::new(
        header,
        &[FieldFormat::Text, FieldFormat::Binary],
        SessionZone::Utc,
    )
    .expect("encoder");
    let mut rows = Vec::new();
    rows.push(5);
    string(b"hi", &mut rows);
    rows.push(6);
    string(b"", &mut rows);
    let mut out = BytesMut::new();
    let first = enc.encode_row(&rows, &mut out).expect("ok").expect("row");
    assert_eq!(first, 4);
    assert_eq!(&out[..], b"\0\0\0\x015\0\0\0\x02hi");
    out.clear();
    assert_eq!(enc.encode_row(&rows[first..], &mut out), Ok(Some(2)));
    assert_eq!(&out[..], b"\0\0\0\x016\0\0\0\0");
}

#[test]
fn bad_headers_are_errors() {
    let h = header(&[("a", "Frobnicate")]);
    assert!(matches!(
        parse_header(&h),
        Err(DecodeError::Unsupported { .. })
    ));
    let h = header(&[("a", "AggregateFunction(uniq, UInt64)")]);
    assert!(matches!(
        parse_header(&h),
        Err(DecodeError::Unsupported { .. })
    ));
    assert!(parse_header(&[0xff; 11]).is_err());
    let h = header(&[("a", "UInt8")]);
    let (header, _) = parse_header(&h).expect("ok").expect("complete");
    assert!(RowEncoder::new(header, &[FieldFormat::Text; 2], SessionZone::Utc).is_err());
}

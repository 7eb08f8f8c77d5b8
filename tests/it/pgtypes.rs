//! Every row of DESIGN.md's type table, fetched from the real ClickHouse in
//! `RowBinaryWithNamesAndTypes` and encoded for Postgres clients in text and binary:
//! extremes, NULLs, Unicode, empty and nested arrays, time zones.

use bytes::BytesMut;
use pgwire::api::results::FieldFormat;
use pgwire::api::Type;
use pipegate::pg_server::encode::{parse_header, RowEncoder, SessionZone, REQUIRED_SETTINGS};
use postgres_types::FromSql;

use crate::common::clickhouse::test_database;

pub const TABLE: &str = "CREATE TABLE t (
    id UInt8,
    i8 Int8, i16 Int16, i32 Int32, i64 Int64,
    u8 UInt8, u16 UInt16, u32 UInt32, u64 UInt64,
    i128 Int128, u128 UInt128, i256 Int256, u256 UInt256,
    d Decimal(38, 10), d9 Decimal(9, 2), d76 Decimal(76, 5),
    f32 Float32, f64 Float64,
    s String, fs FixedString(4), e Enum8('a' = 1, 'b c' = 2),
    dt Date, d32 Date32, ts DateTime, ts64 DateTime64(3), tsz DateTime64(6, 'Asia/Kolkata'),
    tsu DateTime('UTC'),
    b Bool, u UUID, ip4 IPv4, ip6 IPv6,
    arr Array(Nullable(Int32)), sarr Array(String), nested Array(Array(UInt8)),
    m Map(String, UInt64), tup Tuple(a UInt8, b String), j JSON,
    ns Nullable(String), lc LowCardinality(Nullable(String))
) ENGINE = MergeTree ORDER BY id";

pub const ROWS: &str = r#"INSERT INTO t VALUES
    (1, -128, -32768, -2147483648, -9223372036854775808,
     0, 0, 0, 0,
     toInt128('-170141183460469231731687303715884105728'), 0,
     toInt256('-57896044618658097711785492504343953926634992332820282019728792003956564819968'), 0,
     toDecimal128('-1234567890123456789.0123456789', 10), -0.05, toDecimal256('-1.5', 5),
     0.1, 0.00001,
     'héllo "wörld" 😀', 'ab', 'b c',
     toDate('1970-01-01'), toDate32('1900-01-01'), toDateTime(0, 'UTC'),
     fromUnixTimestamp64Milli(toInt64(1500), 'UTC'),
     toDateTime64('2024-01-02 03:04:05.123456', 6, 'Asia/Kolkata'),
     toDateTime(1700000000, 'UTC'),
     true, toUUID('01234567-89ab-cdef-0123-456789abcdef'), toIPv4('1.2.3.4'),
     toIPv6('::ffff:1.2.3.4'),
     [1, NULL, -2], ['a', '', 'x y', 'q"\\', 'NULL'], [[1, 2], [3]],
     map('k', 18446744073709551615), (1, 'x'), '{"a":{"b":"c"},"n":1}',
     NULL, 'lc'),
    (2, 127, 32767, 2147483647, 9223372036854775807,
     255, 65535, 4294967295, 18446744073709551615,
     toInt128('170141183460469231731687303715884105727'),
     toUInt128('340282366920938463463374607431768211455'),
     toInt256('57896044618658097711785492504343953926634992332820282019728792003956564819967'),
     toUInt256('115792089237316195423570985008687907853269984665640564039457584007913129639935'),
     0, 9999999.99, 0,
     nan, -inf,
     '', 'abcd', 'a',
     toDate('2149-06-06'), toDate32('2299-12-31'), toDateTime(4294967295, 'UTC'),
     fromUnixTimestamp64Milli(toInt64(-1), 'UTC'),
     toDateTime64('1900-01-01 00:00:00', 6, 'UTC'),
     toDateTime(0, 'UTC'),
     false, toUUID('00000000-0000-0000-0000-000000000000'), toIPv4('0.0.0.0'),
     toIPv6('2001:db8::1'),
     [], [], [[], []],
     map(), (0, ''), '{}',
     'x', NULL)"#;

/// What PostgreSQL prints for each column of the two rows (NULL as `None`).
fn expected_text() -> Vec<Vec<Option<&'static str>>> {
    vec![
        vec![
            Some("1"),
            Some("-128"),
            Some("-32768"),
            Some("-2147483648"),
            Some("-9223372036854775808"),
            Some("0"),
            Some("0"),
            Some("0"),
            Some("0"),
            Some("-170141183460469231731687303715884105728"),
            Some("0"),
            Some("-57896044618658097711785492504343953926634992332820282019728792003956564819968"),
            Some("0"),
            Some("-1234567890123456789.0123456789"),
            Some("-0.05"),
            Some("-1.50000"),
            Some("0.1"),
            Some("1e-05"),
            Some("héllo \"wörld\" 😀"),
            Some("ab"),
            Some("b c"),
            Some("1970-01-01"),
            Some("1900-01-01"),
            Some("1970-01-01 00:00:00"),
            Some("1970-01-01 00:00:01.5"),
            Some("2024-01-01 21:34:05.123456+00"),
            Some("2023-11-14 22:13:20+00"),
            Some("t"),
            Some("01234567-89ab-cdef-0123-456789abcdef"),
            Some("1.2.3.4"),
            Some("::ffff:1.2.3.4"),
            Some("{1,NULL,-2}"),
            Some(r#"{a,"","x y","q\"\\","NULL"}"#),
            Some("{{1,2},{3}}"),
            Some(r#"{"k": 18446744073709551615}"#),
            Some(r#"{"a": 1, "b": "x"}"#),
            Some(r#"{"a": {"b": "c"}, "n": 1}"#),
            None,
            Some("lc"),
        ],
        vec![
            Some("2"),
            Some("127"),
            Some("32767"),
            Some("2147483647"),
            Some("9223372036854775807"),
            Some("255"),
            Some("65535"),
            Some("4294967295"),
            Some("18446744073709551615"),
            Some("170141183460469231731687303715884105727"),
            Some("340282366920938463463374607431768211455"),
            Some("57896044618658097711785492504343953926634992332820282019728792003956564819967"),
            Some("115792089237316195423570985008687907853269984665640564039457584007913129639935"),
            Some("0.0000000000"),
            Some("9999999.99"),
            Some("0.00000"),
            Some("NaN"),
            Some("-Infinity"),
            Some(""),
            Some("abcd"),
            Some("a"),
            Some("2149-06-06"),
            Some("2299-12-31"),
            Some("2106-02-07 06:28:15"),
            Some("1969-12-31 23:59:59.999"),
            Some("1900-01-01 00:00:00+00"),
            Some("1970-01-01 00:00:00+00"),
            Some("f"),
            Some("00000000-0000-0000-0000-000000000000"),
            Some("0.0.0.0"),
            Some("2001:db8::1"),
            Some("{}"),
            Some("{}"),
            Some("{}"),
            Some("{}"),
            Some(r#"{"a": 0, "b": ""}"#),
            Some("{}"),
            Some("x"),
            None,
        ],
    ]
}

/// Fetches the table as ClickHouse sends it to the gateway.
async fn fetch(client: &clickhouse::Client) -> Vec<u8> {
    let mut query = client.query("SELECT * FROM t ORDER BY id");
    for (k, v) in REQUIRED_SETTINGS {
        query = query.with_setting(*k, *v);
    }
    let mut cursor = query
        .fetch_bytes("RowBinaryWithNamesAndTypes")
        .expect("fetch");
    cursor.collect().await.expect("bytes").to_vec()
}

/// Decodes `data` fed in chunks of `chunk` bytes, as from the network: each row is
/// retried from its start after more bytes arrive. Answers the DataRow bodies.
fn encode_streamed(
    data: &[u8],
    chunk: usize,
    formats: &[FieldFormat],
) -> (Vec<Type>, Vec<BytesMut>) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunks = data.chunks(chunk);
    let header = loop {
        if let Some((h, used)) = parse_header(&buf).expect("header") {
            buf.drain(..used);
            break h;
        }
        buf.extend_from_slice(chunks.next().expect("header complete"));
    };
    let types = header.columns.iter().map(|c| c.pg_type.clone()).collect();
    let enc = RowEncoder::new(header, formats, SessionZone::Utc).expect("encoder");
    let mut rows = Vec::new();
    loop {
        let mut out = BytesMut::new();
        match enc.encode_row(&buf, &mut out).expect("row") {
            Some(used) => {
                buf.drain(..used);
                rows.push(out);
            }
            None => match chunks.next() {
                Some(c) => buf.extend_from_slice(c),
                None => break,
            },
        }
    }
    assert!(buf.is_empty(), "a partial row was left over");
    (types, rows)
}

/// Splits a DataRow body into its fields.
fn fields(row: &[u8]) -> Vec<Option<&[u8]>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < row.len() {
        let len = i32::from_be_bytes(row[at..at + 4].try_into().expect("len"));
        at += 4;
        if len < 0 {
            out.push(None);
        } else {
            out.push(Some(&row[at..at + len as usize]));
            at += len as usize;
        }
    }
    out
}

#[tokio::test]
async fn every_type_encodes_like_postgres() {
    let db = test_database("pgtypes").await;
    db.client.query(TABLE).execute().await.expect("create");
    db.client.query(ROWS).execute().await.expect("insert");
    let data = fetch(&db.client).await;

    let (types, rows) = encode_streamed(&data, data.len(), &[FieldFormat::Text]);
    assert_eq!(types[9], Type::NUMERIC);
    assert_eq!(types[25], Type::TIMESTAMPTZ);
    assert_eq!(types[24], Type::TIMESTAMP);
    assert_eq!(types[31], Type::INT4_ARRAY);
    assert_eq!(types[36], Type::JSONB);
    let want = expected_text();
    assert_eq!(rows.len(), want.len());
    for (row, want) in rows.iter().zip(&want) {
        let got: Vec<Option<String>> = fields(row)
            .into_iter()
            .map(|f| f.map(|b| String::from_utf8(b.to_vec()).expect("UTF-8")))
            .collect();
        let want: Vec<Option<String>> = want.iter().map(|w| w.map(str::to_string)).collect();
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "column {i} ({})", types[i]);
        }
        assert_eq!(got.len(), want.len());
    }

    // The same rows arriving a few bytes at a time encode identically.
    for chunk in [1, 7, 64] {
        assert_eq!(
            encode_streamed(&data, chunk, &[FieldFormat::Text]).1,
            rows,
            "chunks of {chunk}"
        );
    }
}

#[tokio::test]
async fn binary_encoding_decodes_with_postgres_types() {
    let db = test_database("pgtypes_bin").await;
    db.client.query(TABLE).execute().await.expect("create");
    db.client.query(ROWS).execute().await.expect("insert");
    let data = fetch(&db.client).await;
    // All binary but the ragged nested array, which only text can carry.
    let mut formats = vec![FieldFormat::Binary; 39];
    formats[33] = FieldFormat::Text;
    let (types, rows) = encode_streamed(&data, 13, &formats);
    let row = fields(&rows[0]);
    let get = |i: usize| row[i].expect("not NULL");
    fn de<'a, T: FromSql<'a>>(ty: &Type, b: &'a [u8]) -> T {
        T::from_sql(ty, b).unwrap_or_else(|e| panic!("{ty}: {e}"))
    }
    assert_eq!(de::<i16>(&types[1], get(1)), -128);
    assert_eq!(de::<i64>(&types[4], get(4)), i64::MIN);
    assert_eq!(de::<f32>(&types[16], get(16)), 0.1);
    assert_eq!(de::<String>(&types[18], get(18)), "héllo \"wörld\" 😀");
    let t: std::time::SystemTime = de(&types[25], get(25));
    let since = t.duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    assert_eq!(since.as_micros(), 1_704_144_845_123_456);
    assert!(de::<bool>(&types[27], get(27)));
    let u: uuid::Uuid = de(&types[28], get(28));
    assert_eq!(u.to_string(), "01234567-89ab-cdef-0123-456789abcdef");
    let ip: std::net::IpAddr = de(&types[29], get(29));
    assert_eq!(ip.to_string(), "1.2.3.4");
    let arr: Vec<Option<i32>> = de(&types[31], get(31));
    assert_eq!(arr, vec![Some(1), None, Some(-2)]);
    let strings: Vec<String> = de(&types[32], get(32));
    assert_eq!(strings, ["a", "", "x y", "q\"\\", "NULL"]);
    assert_eq!(
        get(36),
        br#"{"a": {"b": "c"}, "n": 1}"#.iter().fold(vec![1u8], |mut v, b| {
            v.push(*b);
            v
        })
    );
    // numeric_send of -1.50000: one digit 1, then 5000 at weight -1.
    let d76: Vec<i16> = get(15)
        .chunks(2)
        .map(|w| i16::from_be_bytes([w[0], w[1]]))
        .collect();
    assert_eq!(d76, [2, 0, 0x4000, 5, 1, 5000]);
    assert!(row[37].is_none());
    assert_eq!(row[33], Some(&b"{{1,2},{3}}"[..]));
    let row2 = fields(&rows[1]);
    let empty: Vec<Option<i32>> = de(&types[31], row2[31].expect("not NULL"));
    assert!(empty.is_empty());
    assert!(row2[38].is_none());
}

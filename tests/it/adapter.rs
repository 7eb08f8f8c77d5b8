//! The official `clickhouse` crate against the test ClickHouse, unchanged: typed insert and
//! select, `.param()`, compressed and uncompressed inserts, raw formats, and errors shaped
//! like the real server's. Against the local adapter these prove it is a faithful stand-in;
//! against `PIPEGATE_CLICKHOUSE_URL` they run on the real server.

use clickhouse::{Compression, Row};
use serde::{Deserialize, Serialize};

use crate::common::clickhouse::{clickhouse_url, credentials, test_database, TestDb};

#[derive(Debug, Clone, PartialEq, Row, Serialize, Deserialize)]
struct Sample {
    id: u64,
    small: i8,
    wide: i64,
    ratio: f64,
    name: String,
    #[serde(with = "clickhouse::serde::uuid")]
    uid: uuid::Uuid,
    maybe: Option<i32>,
    tags: Vec<String>,
    category: String,
    flag: bool,
    day: u16,
    ts: u32,
}

const SAMPLE_TABLE: &str = "CREATE TABLE samples (
    id UInt64, small Int8, wide Int64, ratio Float64, name String, uid UUID,
    maybe Nullable(Int32), tags Array(String), category LowCardinality(String), flag Bool,
    day Date, ts DateTime
) ENGINE = MergeTree ORDER BY id";

fn sample(i: u64) -> Sample {
    Sample {
        id: i,
        small: (i % 256) as u8 as i8,
        wide: -(i as i64) * 1_000_000_007,
        ratio: i as f64 / 7.0,
        name: format!("név-{i}-'quote'\\back\ttab"),
        uid: uuid::Uuid::from_u128(0x1234_5678_9abc_def0_u128 + i as u128),
        maybe: (!i.is_multiple_of(3)).then_some(i as i32),
        tags: (0..(i % 4)).map(|t| format!("t{t}")).collect(),
        category: ["a", "b", "c"][(i % 3) as usize].to_string(),
        flag: i.is_multiple_of(2),
        day: 20_000 + (i % 365) as u16,
        ts: 1_700_000_000 + i as u32,
    }
}

async fn table(db: &TestDb) {
    db.client
        .query(SAMPLE_TABLE)
        .execute()
        .await
        .expect("create table");
}

async fn insert(client: &clickhouse::Client, rows: &[Sample]) {
    let mut insert = client.insert::<Sample>("samples").await.expect("insert");
    for row in rows {
        insert.write(row).await.expect("write row");
    }
    insert.end().await.expect("end insert");
}

#[tokio::test]
async fn typed_insert_and_select_round_trip_every_type() {
    let db = test_database("adapter_typed").await;
    table(&db).await;
    let rows: Vec<Sample> = (0..1000).map(sample).collect();
    insert(&db.client, &rows).await;
    let back = db
        .client
        .query("SELECT ?fields FROM samples ORDER BY id")
        .fetch_all::<Sample>()
        .await
        .expect("select");
    assert_eq!(back, rows);
}

#[tokio::test]
async fn large_inserts_work_with_and_without_compression() {
    let db = test_database("adapter_large").await;
    table(&db).await;
    // 200k rows: many LZ4 blocks and a chunked body.
    let compressed: Vec<Sample> = (0..200_000).map(sample).collect();
    insert(&db.client, &compressed).await;
    let plain_client = db.client.clone().with_compression(Compression::None);
    let plain: Vec<Sample> = (200_000..210_000).map(sample).collect();
    insert(&plain_client, &plain).await;

    let (count, sum): (u64, u64) = db
        .client
        .query("SELECT count(), sum(id) FROM samples")
        .fetch_one()
        .await
        .expect("count");
    assert_eq!(count, 210_000);
    assert_eq!(sum, (0..210_000u64).sum::<u64>());
    let names: u64 = plain_client
        .query("SELECT uniqExact(name) FROM samples")
        .fetch_one()
        .await
        .expect("uncompressed select");
    assert_eq!(names, 210_000);
}

#[tokio::test]
async fn server_side_parameters_bind() {
    let db = test_database("adapter_param").await;
    table(&db).await;
    insert(&db.client, &(0..100).map(sample).collect::<Vec<_>>()).await;
    let ids: Vec<u64> = db
        .client
        .query_raw(
            "SELECT id FROM samples WHERE id >= {lo: UInt64} AND name LIKE {pat: String} ORDER BY id",
        )
        .param("lo", 95u64)
        .param("pat", "név-%'quote'%")
        .fetch_all()
        .await
        .expect("param query");
    assert_eq!(ids, vec![95, 96, 97, 98, 99]);
    let echoed: String = db
        .client
        .query_raw("SELECT {s: String}")
        .param("s", "it's a \\ trap; DROP TABLE samples --")
        .fetch_one()
        .await
        .expect("string param");
    assert_eq!(echoed, "it's a \\ trap; DROP TABLE samples --");
}

#[tokio::test]
async fn raw_formats_arrow_rowbinary_and_json() {
    let db = test_database("adapter_formats").await;
    table(&db).await;
    insert(&db.client, &(0..10).map(sample).collect::<Vec<_>>()).await;

    let arrow = db
        .client
        .query("SELECT id, name, maybe FROM samples ORDER BY id")
        .fetch_bytes("ArrowStream")
        .expect("arrow")
        .collect()
        .await
        .expect("arrow bytes");
    let reader =
        arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(arrow.to_vec()), None)
            .expect("ArrowStream decodes (LZ4-compressed IPC)");
    let batches: Vec<arrow_array::RecordBatch> = reader.collect::<Result<_, _>>().expect("batches");
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 10);
    let schema = batches[0].schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, ["id", "name", "maybe"]);
    assert!(schema.field(2).is_nullable());
    let ids = batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<arrow_array::UInt64Array>()
        .expect("UInt64 column");
    assert_eq!(ids.value(9), 9);

    let rbwnat = db
        .client
        .query("SELECT id, name FROM samples WHERE id = 1")
        .fetch_bytes("RowBinaryWithNamesAndTypes")
        .expect("rowbinary")
        .collect()
        .await
        .expect("bytes");
    // Header: 2 columns, their names, their types, then one row.
    let mut expected = vec![2u8, 2, b'i', b'd', 4, b'n', b'a', b'm', b'e', 6];
    expected.extend_from_slice(b"UInt64");
    expected.push(6);
    expected.extend_from_slice(b"String");
    expected.extend_from_slice(&1u64.to_le_bytes());
    let name = sample(1).name;
    expected.push(name.len() as u8);
    expected.extend_from_slice(name.as_bytes());
    assert_eq!(rbwnat.to_vec(), expected);

    let json = db
        .client
        .query("SELECT id, maybe, tags FROM samples WHERE id IN (2, 3) ORDER BY id")
        .fetch_bytes("JSONEachRow")
        .expect("json")
        .collect()
        .await
        .expect("bytes");
    assert_eq!(
        String::from_utf8_lossy(&json),
        "{\"id\":2,\"maybe\":2,\"tags\":[\"t0\",\"t1\"]}\n{\"id\":3,\"maybe\":null,\"tags\":[\"t0\",\"t1\",\"t2\"]}\n"
    );
}

#[tokio::test]
async fn errors_look_like_the_real_servers() {
    let db = test_database("adapter_errors").await;
    let err = db
        .client
        .query("SELECT * FROM nope")
        .execute()
        .await
        .expect_err("unknown table");
    let text = err.to_string();
    assert!(text.contains("Code: 60"), "{text}");
    assert!(text.contains("UNKNOWN_TABLE"), "{text}");

    let (user, password) = credentials();
    let http = reqwest::Client::new();
    let cases = [
        ("SELECT * FROM nope", 404, "60", "UNKNOWN_TABLE"),
        ("SELEC 1", 400, "62", "SYNTAX_ERROR"),
        ("SELECT no_such_column", 404, "47", "UNKNOWN_IDENTIFIER"),
        (
            "SELECT throwIf(1, 'boom')",
            500,
            "395",
            "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO",
        ),
    ];
    for (sql, status, code, name) in cases {
        let res = http
            .post(format!("{}/?database={}", clickhouse_url(), db.name))
            .header("X-ClickHouse-User", &user)
            .header("X-ClickHouse-Key", &password)
            .body(sql)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), status, "{sql}");
        assert_eq!(
            res.headers()
                .get("X-ClickHouse-Exception-Code")
                .and_then(|v| v.to_str().ok()),
            Some(code),
            "{sql}"
        );
        let body = res.text().await.expect("body");
        assert!(
            body.starts_with(&format!("Code: {code}. DB::Exception: ")),
            "{sql}: {body}"
        );
        assert!(body.contains(&format!("({name})")), "{sql}: {body}");
        assert!(body.contains("(version "), "{sql}: {body}");
    }

    let res = http
        .post(format!("{}/?max_execution_time=1", clickhouse_url()))
        .header("X-ClickHouse-User", &user)
        .header("X-ClickHouse-Key", &password)
        .body("SELECT sleepEachRow(0.5) FROM numbers(5) SETTINGS max_block_size = 1")
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.status().as_u16(),
        408,
        "TIMEOUT_EXCEEDED is 408 on the real server"
    );
    assert_eq!(
        res.headers()
            .get("X-ClickHouse-Exception-Code")
            .and_then(|v| v.to_str().ok()),
        Some("159")
    );
}

#[tokio::test]
async fn ping_version_and_settings_stay_per_request() {
    let url = clickhouse_url();
    let res = reqwest::get(format!("{url}/ping")).await.expect("ping");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("body"), "Ok.\n");

    let (user, password) = credentials();
    let client = clickhouse::Client::default()
        .with_url(&url)
        .with_user(&user)
        .with_password(&password);
    let version: String = client
        .query("SELECT version()")
        .fetch_one()
        .await
        .expect("version");
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .expect("numeric major version");
    if std::env::var("PIPEGATE_CLICKHOUSE_URL").is_err() {
        assert_eq!(
            major, 26,
            "the local engine is ClickHouse 26.9, got {version}"
        );
        assert!(version.starts_with("26.9"), "{version}");
    }

    // A setting on one request does not leak into the next ones on the same server.
    for _ in 0..20 {
        let threads: String = client
            .query("SELECT toUInt64(getSetting('max_threads'))")
            .with_setting("max_threads", "3")
            .fetch_one::<u64>()
            .await
            .map(|v| v.to_string())
            .expect("with setting");
        assert_eq!(threads, "3");
    }
    for _ in 0..20 {
        let readonly: u8 = client
            .query("SELECT getSetting('readonly')")
            .with_setting("readonly", "2")
            .fetch_one()
            .await
            .expect("readonly request");
        assert_eq!(readonly, 2);
    }
    for _ in 0..20 {
        let threads: u64 = client
            .query("SELECT toUInt64(getSetting('max_threads'))")
            .fetch_one()
            .await
            .expect("no setting");
        assert_ne!(threads, 3, "max_threads leaked from an earlier request");
        let readonly: u8 = client
            .query("SELECT getSetting('readonly')")
            .fetch_one()
            .await
            .expect("no setting");
        assert_eq!(readonly, 0, "readonly leaked from an earlier request");
    }
}

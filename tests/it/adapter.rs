//! The official `clickhouse` crate against the test ClickHouse, unchanged: typed insert and
//! select over many types, a large insert (compressed, chunked), `.param()`, compression on
//! and off, raw formats, errors shaped like the real server's, per-request settings, KILL
//! QUERY. Against the local adapter these prove it is a faithful stand-in; against
//! `PIPEGATE_CLICKHOUSE_URL` they run on the real server, and must pass there too.

use std::time::{Duration, Instant};

use clickhouse::{Compression, Row};
use serde::{Deserialize, Serialize};

use crate::common::clickhouse::{
    adapter_stats, clickhouse_url, client, credentials, is_local, test_database, TestDb,
};

#[derive(Debug, Clone, PartialEq, Row, Serialize, Deserialize)]
struct Sample {
    id: u64,
    small: i8,
    byte: u8,
    mid: i32,
    wide: i64,
    ratio: f64,
    single: f32,
    name: String,
    #[serde(with = "clickhouse::serde::uuid")]
    uid: uuid::Uuid,
    maybe: Option<i32>,
    tags: Vec<String>,
    scores: Vec<Option<i64>>,
    category: String,
    label: Option<String>,
    flag: bool,
    /// Date: days since 1970-01-01 (the crate's `time`/`chrono` helpers need features the
    /// project does not enable; this is the same RowBinary value).
    day: u16,
    /// DateTime: seconds since the epoch.
    ts: u32,
    /// DateTime64(3, 'UTC'): milliseconds since the epoch.
    ts_ms: i64,
    code: [u8; 4],
}

const SAMPLE_TABLE: &str = "CREATE TABLE samples (
    id UInt64, small Int8, byte UInt8, mid Int32, wide Int64, ratio Float64, single Float32,
    name String, uid UUID, maybe Nullable(Int32), tags Array(String),
    scores Array(Nullable(Int64)), category LowCardinality(String),
    label LowCardinality(Nullable(String)), flag Bool, day Date, ts DateTime,
    ts_ms DateTime64(3, 'UTC'), code FixedString(4)
) ENGINE = MergeTree ORDER BY id";

fn sample(i: u64) -> Sample {
    Sample {
        id: i,
        small: (i % 256) as u8 as i8,
        byte: (i % 251) as u8,
        mid: (i as i32).wrapping_mul(-7919),
        wide: -(i as i64) * 1_000_000_007,
        ratio: i as f64 / 7.0,
        single: i as f32 * 0.25,
        name: format!("név-{i}-'quote'\\back\ttab\n"),
        uid: uuid::Uuid::from_u128(0x1234_5678_9abc_def0_u128 + i as u128),
        maybe: (!i.is_multiple_of(3)).then_some(i as i32),
        tags: (0..(i % 4)).map(|t| format!("t{t}")).collect(),
        scores: (0..(i % 3))
            .map(|s| (s != 1).then_some(s as i64 * 1_000_000_000_000))
            .collect(),
        category: ["a", "b", "c"][(i % 3) as usize].to_string(),
        label: (!i.is_multiple_of(5)).then(|| format!("l{}", i % 7)),
        flag: i.is_multiple_of(2),
        day: 20_000 + (i % 365) as u16,
        ts: 1_700_000_000 + i as u32,
        ts_ms: 1_700_000_000_000 + i as i64 * 7,
        code: *b"ab\0z",
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

async fn select_all(client: &clickhouse::Client) -> Vec<Sample> {
    client
        .query("SELECT ?fields FROM samples ORDER BY id")
        .fetch_all::<Sample>()
        .await
        .expect("select")
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

fn post(sql: &str, query: &str) -> reqwest::RequestBuilder {
    let (user, password) = credentials();
    http()
        .post(format!("{}/?{query}", clickhouse_url()))
        .header("X-ClickHouse-User", user)
        .header("X-ClickHouse-Key", password)
        .body(sql.to_string())
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    res.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn typed_insert_and_select_round_trip_every_type() {
    let db = test_database("adapter_typed").await;
    table(&db).await;
    let rows: Vec<Sample> = (0..1000).map(sample).collect();
    insert(&db.client, &rows).await;
    assert_eq!(select_all(&db.client).await, rows);
    // The same rows read back without compression.
    let plain = db.client.clone().with_compression(Compression::None);
    assert_eq!(select_all(&plain).await, rows);
    // And what the server made of a few of them.
    let (day, ts, ts_ms, code): (String, String, String, String) = db
        .client
        .query(
            "SELECT toString(day), toString(ts, 'UTC'), toString(ts_ms), hex(code) \
             FROM samples WHERE id = 1",
        )
        .fetch_one()
        .await
        .expect("as text");
    assert_eq!(day, "2024-10-05");
    assert_eq!(ts, "2023-11-14 22:13:21");
    assert_eq!(ts_ms, "2023-11-14 22:13:20.007");
    assert_eq!(code, "6162007A");
}

#[tokio::test]
async fn large_inserts_work_with_and_without_compression() {
    let db = test_database("adapter_large").await;
    table(&db).await;
    // 200k rows: many LZ4 blocks with checksums, in a chunked body.
    let compressed: Vec<Sample> = (0..200_000).map(sample).collect();
    insert(&db.client, &compressed).await;
    let plain_client = db.client.clone().with_compression(Compression::None);
    let plain: Vec<Sample> = (200_000..230_000).map(sample).collect();
    insert(&plain_client, &plain).await;

    let (count, sum): (u64, u64) = db
        .client
        .query("SELECT count(), sum(id) FROM samples")
        .fetch_one()
        .await
        .expect("count");
    assert_eq!(count, 230_000);
    assert_eq!(sum, (0..230_000u64).sum::<u64>());
    // A large result, LZ4-framed by the server, then plain.
    let back: Vec<Sample> = db
        .client
        .query("SELECT ?fields FROM samples WHERE id < 50000 ORDER BY id")
        .fetch_all()
        .await
        .expect("large select");
    assert_eq!(back.len(), 50_000);
    assert_eq!(back[49_999], sample(49_999));
    let names: u64 = plain_client
        .query("SELECT uniqExact(name) FROM samples")
        .fetch_one()
        .await
        .expect("uncompressed select");
    assert_eq!(names, 230_000);
}

#[tokio::test]
async fn formatted_inserts_take_any_input_format() {
    let db = test_database("adapter_formatted").await;
    db.client
        .query("CREATE TABLE events (id UInt32, name String) ENGINE = MergeTree ORDER BY id")
        .execute()
        .await
        .expect("create");
    for compression in [Compression::Lz4, Compression::None] {
        let client = db.client.clone().with_compression(compression);
        let mut insert = client.insert_formatted_with("INSERT INTO events FORMAT JSONEachRow");
        insert
            .send(bytes::Bytes::from_static(
                b"{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n",
            ))
            .await
            .expect("send");
        insert.end().await.expect("end");
    }
    let mut csv = db
        .client
        .insert_formatted_with("INSERT INTO events FORMAT CSV");
    csv.send(bytes::Bytes::from_static(b"3,\"c,d\"\n"))
        .await
        .expect("send csv");
    csv.end().await.expect("end csv");
    let rows: Vec<(u32, String)> = db
        .client
        .query("SELECT id, name FROM events ORDER BY id, name")
        .fetch_all()
        .await
        .expect("select");
    assert_eq!(
        rows,
        [(1, "a"), (1, "a"), (2, "b"), (2, "b"), (3, "c,d")]
            .map(|(i, n)| (i, n.to_string()))
            .to_vec()
    );

    // Raw HTTP: the data after the query in the URL, then in the body after the FORMAT line.
    let res = post(
        "{\"id\":4,\"name\":\"e\"}\n",
        "query=INSERT%20INTO%20events%20FORMAT%20JSONEachRow",
    )
    .query(&[("database", &db.name)])
    .send()
    .await
    .expect("url insert");
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let res = post(
        "INSERT INTO events FORMAT TSV\n5\tf\n",
        &format!("database={}", db.name),
    )
    .send()
    .await
    .expect("body insert");
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let n: u64 = db
        .client
        .query("SELECT count() FROM events WHERE id >= 4")
        .fetch_one()
        .await
        .expect("count");
    assert_eq!(n, 2);
}

#[tokio::test]
async fn server_side_parameters_bind() {
    let db = test_database("adapter_param").await;
    table(&db).await;
    insert(&db.client, &(0..100).map(sample).collect::<Vec<_>>()).await;
    let ids: Vec<u64> = db
        .client
        .query_raw(
            "SELECT id FROM samples WHERE id >= {lo: UInt64} AND name LIKE {pat: String} \
             AND id IN {ids: Array(UInt64)} ORDER BY id",
        )
        .param("lo", 95u64)
        .param("pat", "név-%'quote'%")
        .param("ids", vec![94u64, 95, 97, 99])
        .fetch_all()
        .await
        .expect("param query");
    assert_eq!(ids, vec![95, 97, 99]);
    let tricky = "it's a \\ trap;\t\n DROP TABLE samples --";
    let echoed: (String, Option<i32>) = db
        .client
        .query_raw("SELECT {s: String}, {n: Nullable(Int32)}")
        .param("s", tricky)
        .param("n", None::<i32>)
        .fetch_one()
        .await
        .expect("string param");
    assert_eq!(echoed, (tricky.to_string(), None));
    let missing = db
        .client
        .query_raw("SELECT {s: String}")
        .fetch_one::<String>()
        .await
        .expect_err("unbound parameter");
    assert!(
        missing.to_string().contains("UNKNOWN_QUERY_PARAMETER"),
        "{missing}"
    );
}

#[tokio::test]
async fn raw_formats_arrow_rowbinary_and_json() {
    let db = test_database("adapter_formats").await;
    table(&db).await;
    insert(&db.client, &(0..10).map(sample).collect::<Vec<_>>()).await;

    for client in [
        db.client.clone(),
        db.client.clone().with_compression(Compression::None),
    ] {
        let arrow = client
            .query("SELECT id, name, maybe, ts FROM samples ORDER BY id")
            .fetch_bytes("ArrowStream")
            .expect("arrow")
            .collect()
            .await
            .expect("arrow bytes");
        let reader =
            arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(arrow.to_vec()), None)
                .expect("ArrowStream decodes (LZ4-compressed IPC)");
        let batches: Vec<arrow_array::RecordBatch> =
            reader.collect::<Result<_, _>>().expect("batches");
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, 10);
        let schema = batches[0].schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["id", "name", "maybe", "ts"]);
        assert!(schema.field(2).is_nullable());
        assert_eq!(
            schema.field(3).data_type(),
            &arrow_schema::DataType::UInt32,
            "DateTime arrives as UInt32 in Arrow"
        );
        let ids = batches[0]
            .column(0)
            .as_any()
            .downcast_ref::<arrow_array::UInt64Array>()
            .expect("UInt64 column");
        assert_eq!(ids.value(9), 9);
    }

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
async fn responses_carry_the_servers_headers() {
    let db = test_database("adapter_headers").await;
    let res = post("SELECT number FROM system.numbers LIMIT 3", "")
        .query(&[
            ("database", db.name.as_str()),
            ("default_format", "JSONEachRow"),
            ("query_id", "adapter-headers-1"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "X-ClickHouse-Query-Id"),
        Some("adapter-headers-1")
    );
    assert_eq!(header(&res, "X-ClickHouse-Format"), Some("JSONEachRow"));
    assert!(header(&res, "X-ClickHouse-Server-Display-Name").is_some());
    assert!(header(&res, "X-ClickHouse-Timezone").is_some());
    let content_type = header(&res, "Content-Type").unwrap_or_default().to_string();
    assert!(content_type.contains("charset=UTF-8"), "{content_type}");
    let summary: serde_json::Value =
        serde_json::from_str(header(&res, "X-ClickHouse-Summary").expect("summary"))
            .expect("summary is JSON");
    assert_eq!(summary["result_rows"], "3", "{summary}");
    assert!(summary["read_rows"].as_str().is_some(), "{summary}");
    assert!(summary["elapsed_ns"].as_str().is_some(), "{summary}");
    assert_eq!(
        res.text().await.expect("body"),
        "{\"number\":0}\n{\"number\":1}\n{\"number\":2}\n"
    );

    // A FORMAT clause wins over default_format, and names the Content-Type.
    let res = post("SELECT 1 AS x FORMAT JSON", "default_format=TSV")
        .send()
        .await
        .expect("request");
    assert_eq!(header(&res, "X-ClickHouse-Format"), Some("JSON"));
    assert!(header(&res, "Content-Type")
        .unwrap_or_default()
        .starts_with("application/json"));
    let json: serde_json::Value = res.json().await.expect("JSON body");
    assert_eq!(json["data"][0]["x"], 1);

    // The query in the URL over GET; GET runs read-only, as on the server.
    let get = |sql: &str| {
        let (user, password) = credentials();
        http()
            .get(format!("{}/", clickhouse_url()))
            .query(&[("query", sql)])
            .header("X-ClickHouse-User", user)
            .header("X-ClickHouse-Key", password)
            .send()
    };
    let res = get("SELECT 40 + 2").await.expect("GET");
    assert_eq!(res.text().await.expect("body"), "42\n");
    let res = get(&format!(
        "CREATE TABLE `{}`.nope (a Int8) ENGINE = Memory",
        db.name
    ))
    .await
    .expect("GET DDL");
    assert_eq!(header(&res, "X-ClickHouse-Exception-Code"), Some("164"));
    assert_eq!(res.status(), 500);
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

    let cases = [
        ("SELECT * FROM nope", 404, "60", "UNKNOWN_TABLE"),
        ("SELEC 1", 400, "62", "SYNTAX_ERROR"),
        ("SELEC", 400, "62", "SYNTAX_ERROR"),
        ("SELECT 1; SELECT 2", 400, "62", "SYNTAX_ERROR"),
        ("SELECT no_such_column", 404, "47", "UNKNOWN_IDENTIFIER"),
        ("SELECT no_such_function(1)", 404, "46", "UNKNOWN_FUNCTION"),
        ("SELECT toInt8('x')", 400, "6", "CANNOT_PARSE_TEXT"),
        ("SELECT 1 FORMAT NoSuchFormat", 404, "73", "UNKNOWN_FORMAT"),
        (
            "SELECT throwIf(1, 'boom')",
            500,
            "395",
            "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO",
        ),
    ];
    for (sql, status, code, name) in cases {
        let res = post(sql, &format!("database={}", db.name))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), status, "{sql}");
        assert_eq!(
            header(&res, "X-ClickHouse-Exception-Code"),
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

    let settings_cases = [
        ("no_such_setting=1", 404, "115"),
        ("database=no_such_database_anywhere", 404, "81"),
        ("max_threads=lots", 400, "27"),
    ];
    for (query, status, code) in settings_cases {
        let res = post("SELECT 1", query).send().await.expect("request");
        assert_eq!(res.status().as_u16(), status, "{query}");
        assert_eq!(
            header(&res, "X-ClickHouse-Exception-Code"),
            Some(code),
            "{query}"
        );
    }

    let res = post(
        "SELECT sleepEachRow(0.5) FROM numbers(5) SETTINGS max_block_size = 1",
        "max_execution_time=1",
    )
    .send()
    .await
    .expect("request");
    assert_eq!(
        res.status().as_u16(),
        408,
        "TIMEOUT_EXCEEDED is 408 on the real server"
    );
    assert_eq!(header(&res, "X-ClickHouse-Exception-Code"), Some("159"));
}

#[tokio::test]
async fn ping_version_and_settings_stay_per_request() {
    let url = clickhouse_url();
    let res = reqwest::get(format!("{url}/ping")).await.expect("ping");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("body"), "Ok.\n");

    let client = client();
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
    if is_local() {
        assert!(
            version.starts_with("26."),
            "the local engine is 26.9: {version}"
        );
    } else {
        assert!(major >= 24, "{version}");
    }

    // A setting on one request does not leak into the next ones on the same server.
    for _ in 0..20 {
        let threads: u64 = client
            .query("SELECT toUInt64(getSetting('max_threads'))")
            .with_setting("max_threads", "3")
            .fetch_one()
            .await
            .expect("with setting");
        assert_eq!(threads, 3);
    }
    for _ in 0..20 {
        let readonly: u8 = client
            .query("SELECT toUInt8(getSetting('readonly'))")
            .with_setting("readonly", "2")
            .fetch_one()
            .await
            .expect("readonly request");
        assert_eq!(readonly, 2);
    }
    // Nor does a SET or a USE sent as the query itself.
    for _ in 0..5 {
        client
            .query("SET max_threads = 3")
            .execute()
            .await
            .expect("SET");
        client.query("USE system").execute().await.expect("USE");
    }
    for _ in 0..20 {
        let (threads, readonly, database): (u64, u8, String) = client
            .query(
                "SELECT toUInt64(getSetting('max_threads')), toUInt8(getSetting('readonly')), \
                 currentDatabase()",
            )
            .fetch_one()
            .await
            .expect("no setting");
        assert_ne!(threads, 3, "max_threads leaked from an earlier request");
        assert_eq!(readonly, 0, "readonly leaked from an earlier request");
        assert_eq!(database, "default", "USE leaked from an earlier request");
    }
}

#[tokio::test]
async fn kill_query_stops_a_running_query_by_its_id() {
    let db = test_database("adapter_kill").await;
    let query_id = format!("{}-long", db.name);
    let long = {
        let client = db.client.clone();
        let query_id = query_id.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let result = client
                .query("SELECT sum(sleepEachRow(0.2)) FROM numbers(100)")
                .with_setting("query_id", query_id)
                .with_setting("max_block_size", "1")
                .with_setting("function_sleep_max_microseconds_per_block", "0")
                .fetch_one::<u64>()
                .await;
            (result, started.elapsed())
        })
    };
    // Kill it once it runs (a KILL that finds nothing answers an empty result).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let killed = db
            .client
            .query(&format!("KILL QUERY WHERE query_id = '{query_id}' SYNC"))
            .fetch_bytes("TSV")
            .expect("kill")
            .collect()
            .await
            .expect("kill answers");
        if !killed.is_empty() || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (result, elapsed) = long.await.expect("task");
    let err = result.expect_err("the killed query fails");
    assert!(
        err.to_string().contains("394"),
        "QUERY_WAS_CANCELLED: {err}"
    );
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
}

#[tokio::test]
async fn adapter_counts_round_trips_per_database() {
    if !is_local() {
        return; // /adapter/stats is the local adapter's own
    }
    let db = test_database("adapter_stats").await;
    let before = adapter_stats(Some(&db.name)).expect("stats");
    let _: u8 = db
        .client
        .query("SELECT 1")
        .fetch_one()
        .await
        .expect("query");
    let _ = db.client.query("SELECT * FROM nope").execute().await;
    db.client
        .query("CREATE TABLE t (a UInt8) ENGINE = Memory")
        .execute()
        .await
        .expect("create");
    db.client
        .query("INSERT INTO t VALUES (1)")
        .execute()
        .await
        .expect("insert");
    let after = adapter_stats(Some(&db.name)).expect("stats");
    assert_eq!(after.queries - before.queries, 3, "{before:?} -> {after:?}");
    assert_eq!(after.inserts - before.inserts, 1, "{before:?} -> {after:?}");
    assert_eq!(after.errors - before.errors, 1, "{before:?} -> {after:?}");
    let all = adapter_stats(None).expect("stats");
    assert!(all.queries >= after.queries);
}

/// The adapter's own unit tests (raw HTTP: chunked and compressed bodies, multipart, sessions,
/// compress=1, keep-alive latency), run here so that `cargo test` covers them.
#[test]
fn adapter_python_tests() {
    if !is_local() {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(root.join(".venv/bin/python"))
        .args(["-m", "unittest", "-q", "scripts/test_chdb_http.py"])
        .current_dir(root)
        .output()
        .expect("run the adapter's Python tests (scripts/setup.sh installs .venv)");
    assert!(
        out.status.success(),
        "scripts/test_chdb_http.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

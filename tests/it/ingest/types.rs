//! Every column type of `tests/projects/types`, converted by the gateway, compared row for
//! row with ClickHouse's own reading of the same JSON (`INSERT ... FORMAT JSONEachRow` into
//! a twin table, with `date_time_input_format = 'best_effort'`).

use serde_json::json;

use super::*;
use crate::common::clickhouse::test_database;
use crate::common::gateway::repo_path;

/// Extremes and awkward spellings of every type, as JSON lines keyed by column name.
const ROWS: &[&str] = &[
    r#"{"id":1,"i8":-128,"i16":32767,"i32":-2147483648,"i64":9223372036854775807,"u8":255,"u16":65535,"u32":4294967295,"u64":18446744073709551615,"i128":-170141183460469231731687303715884105728,"u128":340282366920938463463374607431768211455,"i256":-57896044618658097711785492504343953926634992332820282019728792003956564819968,"u256":115792089237316195423570985008687907853269984665640564039457584007913129639935,"d":1234567890123456789012345678.0123456789,"d9":1234567.89,"d76":12345678901234567890123456789012345678901234567890123456789012345678901.12345,"f32":1.5,"f64":-2.25e-300,"s":"h\u00e9 \"q\" \\ \n","fs":"ab","e":"b c","dt":"2149-06-06","d32":"1900-01-01","ts":"2106-02-07 06:28:15","ts64":"2299-12-31 23:59:59.999","tsz":"2024-05-01 10:00:00.123456","tsu":1714557600,"b":true,"u":"61f0c404-5cb3-11e7-907b-a6006ad3dba0","ip4":"1.2.3.4","ip6":"2001:db8::1","arr":[1,null,-3],"sarr":["x","y"],"nested":[[1],[2,3]],"m":{"k":1,"l":2},"tup":{"a":1,"b":"z"},"j":{"a":1,"b":{"c":"d"}},"ns":null,"lc":"lc"}"#,
    r#"{"id":2,"i8":"7","i16":0,"i32":1,"i64":-1,"u8":"0","u16":1,"u32":2,"u64":"3","i128":"12","u128":0,"i256":"1","u256":"2","d":"-0.5","d9":"-1.25","d76":"3","f32":"-0.25","f64":"1e10","s":"","fs":"abcd","e":1,"dt":"1970-01-01","d32":"2299-12-31","ts":"2024-05-01T10:00:00Z","ts64":"2024-05-01T10:00:00.5+02:00","tsz":"2024-05-01T10:00:00Z","tsu":"2024-05-01 10:00:00","b":0,"u":"00000000-0000-0000-0000-000000000000","ip4":"255.255.255.255","ip6":"::ffff:1.2.3.4","arr":[],"sarr":[],"nested":[[]],"m":{},"tup":{"b":"w","a":2},"j":{},"ns":"n","lc":null}"#,
];

#[tokio::test]
async fn every_type_converts_as_clickhouse_reads_json() {
    let db = test_database("ingest_types").await;
    let proj = tempfile::tempdir().expect("project");
    let text = std::fs::read_to_string(repo_path("tests/projects/types/types.datasource"))
        .expect("types project");
    std::fs::write(proj.path().join("types.datasource"), text).expect("write");
    let wal = wal_dir();
    let gw = Running::start(config(proj.path(), &db.name, wal.path())).await;
    let client = reqwest::Client::new();
    let res = client
        .post(gw.url("/v0/events?name=types&wait=true"))
        .bearer_auth(admin())
        .body(ROWS.join("\n"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let answer: serde_json::Value = res.json().await.expect("json");
    assert_eq!(answer, json!({"successful_rows": 2, "quarantined_rows": 0}));
    query(&db.name, "CREATE TABLE direct AS types").await;
    query(
        &db.name,
        &format!(
            "INSERT INTO direct SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow\n{}",
            ROWS.join("\n")
        ),
    )
    .await;
    let ours = query(
        &db.name,
        "SELECT * FROM types ORDER BY id FORMAT JSONEachRow",
    )
    .await;
    let theirs = query(
        &db.name,
        "SELECT * FROM direct ORDER BY id FORMAT JSONEachRow",
    )
    .await;
    for (a, b) in ours.lines().zip(theirs.lines()) {
        assert_eq!(a, b, "gateway (left) and ClickHouse (right) disagree");
    }
    assert_eq!(ours.lines().count(), 2);
    gw.stop().await;
}

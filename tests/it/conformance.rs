//! The conformance runners in `conformance/`, each a real client driving a real gateway.
//! The runners are data and scripts; this only starts the gateway and runs them.

use std::process::Command;

use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::{NoTls, Row, SimpleQueryMessage};

use crate::common::gateway::{repo_path, Gateway, ADMIN_SECRET};
use crate::pg::gateway_with_events;

/// Runs a conformance client on a blocking thread (the gateway under test shares this
/// runtime), requires success, and returns its output.
async fn run_client(mut cmd: Command, what: &'static str) -> String {
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("runner thread")
        .unwrap_or_else(|e| panic!("{what} runs: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The admin's libpq URL for a gateway.
fn dsn(gw: &Gateway) -> String {
    format!(
        "postgresql://admin:{ADMIN_SECRET}@{}:{}/pipegate",
        gw.postgres.ip(),
        gw.postgres.port()
    )
}

#[tokio::test]
async fn python_drivers_psycopg3_psycopg2_asyncpg() {
    let gw = gateway_with_events().await;
    let dsn = dsn(&gw);
    let mut cmd = Command::new(repo_path(".venv/bin/python"));
    cmd.arg(repo_path("conformance/python/drivers.py"))
        .env("PIPEGATE_TEST_DSN", dsn);
    // On a blocking thread: the gateway under test shares this runtime.
    let stdout = run_client(cmd, "python runs").await;
    assert!(stdout.contains("5 passed, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn pgjdbc_default_and_binary() {
    let gw = gateway_with_events().await;
    let url = format!(
        "jdbc:postgresql://{}:{}/pipegate",
        gw.postgres.ip(),
        gw.postgres.port()
    );
    let mut cmd = Command::new("java");
    cmd.args(["-cp", "/usr/share/java/postgresql.jar"])
        .arg(repo_path("conformance/java/Drivers.java"))
        .args([url.as_str(), "admin", ADMIN_SECRET]);
    let stdout = run_client(cmd, "java runs").await;
    assert!(stdout.contains("2 passed, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn node_postgres() {
    let gw = gateway_with_events().await;
    let dsn = dsn(&gw);
    let mut cmd = Command::new("node");
    cmd.arg(repo_path("conformance/node/drivers.js"))
        .current_dir(repo_path("conformance/node"))
        .env("PIPEGATE_TEST_DSN", dsn);
    let stdout = run_client(cmd, "node runs").await;
    assert!(stdout.contains("2 passed, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn pgbench_simple_extended_and_prepared() {
    let gw = gateway_with_events().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("select1.sql");
    std::fs::write(
        &script,
        "SELECT 1;\nSELECT count(*) FROM events WHERE country = 'ES';\n",
    )
    .expect("script");
    for mode in ["simple", "extended", "prepared"] {
        let mut cmd = Command::new("pgbench");
        cmd.args(["-n", "-h"])
            .arg(gw.postgres.ip().to_string())
            .args([
                "-p",
                &gw.postgres.port().to_string(),
                "-U",
                "admin",
                "-d",
                "pipegate",
            ])
            .args(["-M", mode, "-c", "2", "-j", "1", "-t", "50", "-f"])
            .arg(&script)
            .env("PGPASSWORD", ADMIN_SECRET);
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .expect("pgbench thread")
            .expect("pgbench runs (install-deps installs postgresql-client)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{mode}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("number of transactions actually processed: 100/100"),
            "{mode}: {stdout}"
        );
        assert!(
            stdout.contains("number of failed transactions: 0"),
            "{mode}: {stdout}"
        );
    }
}

/// A gateway over tests/projects/types holding the two rows of `crate::pgtypes::ROWS`.
async fn types_gateway() -> Gateway {
    let gw = Gateway::start(&repo_path("tests/projects/types")).await;
    gw.db
        .client
        .query(&crate::pgtypes::ROWS.replacen("INSERT INTO t ", "INSERT INTO types ", 1))
        .execute()
        .await
        .expect("insert the typed rows");
    gw
}

/// The `N` of a runner's closing `N passed, 0 failed`, which must be at least `min`, so that
/// a runner that checked less than it should cannot pass.
fn passed_at_least(stdout: &str, min: usize) {
    let summary = stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_suffix(" passed, 0 failed"))
        .unwrap_or_else(|| panic!("no `N passed, 0 failed` line:\n{stdout}"));
    let passed: usize = summary.trim().parse().expect("a count");
    assert!(
        passed >= min,
        "only {passed} checks passed (want {min}):\n{stdout}"
    );
}

#[tokio::test]
async fn every_type_through_psycopg3_psycopg2_and_asyncpg() {
    let gw = types_gateway().await;
    let mut cmd = Command::new(repo_path(".venv/bin/python"));
    cmd.arg(repo_path("conformance/python/every_type.py"))
        .env("PIPEGATE_TEST_DSN", dsn(&gw));
    let stdout = run_client(cmd, "python runs").await;
    // psycopg3 text 78 + binary 76 + 1, psycopg2 78, asyncpg 74 (its int4[]/int2[] wait for
    // pg_catalog: see the runner's GAP lines).
    passed_at_least(&stdout, 307);
}

#[tokio::test]
async fn every_type_through_pgjdbc_default_and_binary() {
    let gw = types_gateway().await;
    let url = format!(
        "jdbc:postgresql://{}:{}/pipegate",
        gw.postgres.ip(),
        gw.postgres.port()
    );
    let mut cmd = Command::new("java");
    cmd.args(["-cp", "/usr/share/java/postgresql.jar"])
        .arg(repo_path("conformance/java/EveryType.java"))
        .args([url.as_str(), "admin", ADMIN_SECRET]);
    let stdout = run_client(cmd, "java runs").await;
    // Text 78; prepareThreshold=1: 3 executions of 76, plus row 2's nested each time.
    passed_at_least(&stdout, 309);
}

#[tokio::test]
async fn every_type_through_node_postgres() {
    let gw = types_gateway().await;
    let mut cmd = Command::new("node");
    cmd.arg(repo_path("conformance/node/every_type.js"))
        .current_dir(repo_path("conformance/node"))
        .env("PIPEGATE_TEST_DSN", dsn(&gw));
    let stdout = run_client(cmd, "node runs").await;
    // 78 values, as text and parsed, simple and prepared twice.
    passed_at_least(&stdout, 468);
}

/// The columns of `types`, in order.
const TYPES_COLUMNS: [&str; 39] = [
    "id", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "i128", "u128", "i256", "u256",
    "d", "d9", "d76", "f32", "f64", "s", "fs", "e", "dt", "d32", "ts", "ts64", "tsz", "tsu", "b",
    "u", "ip4", "ip6", "arr", "sarr", "nested", "m", "tup", "j", "ns", "lc",
];

/// What PostgreSQL prints for each column of the two rows (NULL as `None`): the table of
/// `crate::pgtypes`, whose `expected_text` is private to that module.
const TYPES_TEXT: [[Option<&str>; 39]; 2] = [
    [
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
    [
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
];

/// A value's binary bytes as they arrived, for the types this crate has no Rust type for
/// (numeric, date, jsonb).
struct Raw(Vec<u8>);

impl<'a> FromSql<'a> for Raw {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw.to_vec()))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// PostgreSQL's text for a binary numeric (`numeric_send`: ndigits, weight, sign, dscale,
/// then base-10000 digits, the first at `weight`).
fn numeric_text(b: &[u8]) -> String {
    let word = |i: usize| u16::from_be_bytes([b[2 * i], b[2 * i + 1]]);
    let (ndigits, weight, sign, dscale) = (word(0), word(1) as i16, word(2), word(3));
    if sign == 0xC000 {
        return "NaN".into();
    }
    let digit = |index: i32| {
        if (0..i32::from(ndigits)).contains(&index) {
            word(4 + index as usize)
        } else {
            0
        }
    };
    let mut out = String::from(if sign == 0x4000 { "-" } else { "" });
    if weight < 0 {
        out.push('0');
    }
    for index in 0..=i32::from(weight) {
        match index {
            0 => out += &digit(0).to_string(),
            _ => out += &format!("{:04}", digit(index)),
        }
    }
    if dscale > 0 {
        let mut frac = String::new();
        let mut index = i32::from(weight) + 1;
        while frac.len() < usize::from(dscale) {
            frac += &format!("{:04}", digit(index));
            index += 1;
        }
        frac.truncate(usize::from(dscale));
        out = format!("{out}.{frac}");
    }
    out
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (the proleptic Gregorian calendar).
fn date_text(days: i64) -> String {
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// PostgreSQL's text for a timestamp, with trailing zeros of the fraction dropped.
fn timestamp_text(t: std::time::SystemTime) -> String {
    let micros = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_micros() as i64,
        Err(before) => -(before.duration().as_micros() as i64),
    };
    const DAY: i64 = 86_400_000_000;
    let (days, of_day) = (micros.div_euclid(DAY), micros.rem_euclid(DAY));
    let secs = of_day / 1_000_000;
    let mut out = format!(
        "{} {:02}:{:02}:{:02}",
        date_text(days),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    let frac = format!(".{:06}", of_day % 1_000_000);
    out.push_str(frac.trim_end_matches('0').trim_end_matches('.'));
    out
}

/// PostgreSQL's text for a one-dimensional text[] (`array_out`'s quoting).
fn text_array(items: &[Option<String>]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| match item {
            None => "NULL".into(),
            Some(s)
                if s.is_empty()
                    || s.eq_ignore_ascii_case("NULL")
                    || s.contains(|c: char| "{},\"\\".contains(c) || c.is_ascii_whitespace()) =>
            {
                format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
            }
            Some(s) => s.clone(),
        })
        .collect();
    format!("{{{}}}", items.join(","))
}

/// Checks column `i` of a binary row, decoded with tokio-postgres's types, against
/// PostgreSQL's text for it: equal text, or for floats the same float.
fn check_binary(row: &Row, i: usize, want: Option<&str>) -> Result<(), String> {
    fn get<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> Option<T> {
        row.try_get::<_, Option<T>>(i)
            .unwrap_or_else(|e| panic!("column {}: {e}", TYPES_COLUMNS[i]))
    }
    let ty = row.columns()[i].type_().clone();
    let got: Option<String> = match ty {
        Type::FLOAT4 | Type::FLOAT8 => {
            let got = match ty {
                Type::FLOAT4 => get::<f32>(row, i).map(f64::from),
                _ => get::<f64>(row, i),
            };
            let want: Option<f64> = want.map(|w| match ty {
                Type::FLOAT4 => w.parse::<f32>().map(f64::from).expect("a float4"),
                _ => w.parse::<f64>().expect("a float8"),
            });
            let same = match (got, want) {
                (Some(g), Some(w)) => g == w || (g.is_nan() && w.is_nan()),
                (g, w) => g.is_none() && w.is_none(),
            };
            return if same {
                Ok(())
            } else {
                Err(format!("got {got:?}, want {want:?}"))
            };
        }
        Type::INT2 => get::<i16>(row, i).map(|v| v.to_string()),
        Type::INT4 => get::<i32>(row, i).map(|v| v.to_string()),
        Type::INT8 => get::<i64>(row, i).map(|v| v.to_string()),
        Type::NUMERIC => get::<Raw>(row, i).map(|r| numeric_text(&r.0)),
        Type::TEXT => get::<String>(row, i),
        Type::DATE => get::<Raw>(row, i).map(|r| {
            let days = i32::from_be_bytes(r.0[..].try_into().expect("4 bytes"));
            date_text(i64::from(days) + 10_957)
        }),
        Type::TIMESTAMP => get::<std::time::SystemTime>(row, i).map(timestamp_text),
        Type::TIMESTAMPTZ => get(row, i).map(|t| timestamp_text(t) + "+00"),
        Type::BOOL => get::<bool>(row, i).map(|b| if b { "t" } else { "f" }.into()),
        Type::UUID => get::<uuid::Uuid>(row, i).map(|u| u.to_string()),
        Type::INET => get::<std::net::IpAddr>(row, i).map(|ip| ip.to_string()),
        Type::JSONB => get::<Raw>(row, i).map(|r| {
            assert_eq!(r.0.first(), Some(&1), "jsonb version 1");
            String::from_utf8(r.0[1..].to_vec()).expect("UTF-8")
        }),
        Type::INT4_ARRAY => get::<Vec<Option<i32>>>(row, i).map(|a| {
            let items: Vec<String> = a
                .iter()
                .map(|v| v.map_or("NULL".into(), |v| v.to_string()))
                .collect();
            format!("{{{}}}", items.join(","))
        }),
        Type::INT2_ARRAY => get::<Vec<i16>>(row, i).map(|a| {
            let items: Vec<String> = a.iter().map(i16::to_string).collect();
            format!("{{{}}}", items.join(","))
        }),
        Type::TEXT_ARRAY => get::<Vec<Option<String>>>(row, i).map(|a| text_array(&a)),
        other => return Err(format!("unexpected type {other}")),
    };
    if got.as_deref() == want {
        Ok(())
    } else {
        Err(format!("got {got:?}, want {want:?}"))
    }
}

#[tokio::test]
async fn every_type_through_tokio_postgres_text_and_binary() {
    let gw = types_gateway().await;
    let (client, connection) = tokio_postgres::connect(&gw.pg_url("admin", ADMIN_SECRET), NoTls)
        .await
        .expect("login");
    tokio::spawn(connection);
    let mut checked = 0;

    // The simple protocol: text, exactly as PostgreSQL prints it.
    let sql = format!("SELECT {} FROM types ORDER BY id", TYPES_COLUMNS.join(", "));
    let rows: Vec<_> = client
        .simple_query(&sql)
        .await
        .expect("simple query")
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(rows.len(), 2);
    for (row, want) in rows.iter().zip(&TYPES_TEXT) {
        assert_eq!(row.len(), want.len());
        for (i, want) in want.iter().enumerate() {
            assert_eq!(row.get(i), *want, "text, column {}", TYPES_COLUMNS[i]);
            checked += 1;
        }
    }

    // `query` asks for binary results; each value, decoded, must mean PostgreSQL's text.
    // PostgreSQL arrays are rectangular (one length per dimension in the binary format), so
    // row 1's ragged `nested` has no binary form: it is read alone, below.
    let binary: Vec<usize> = (0..TYPES_COLUMNS.len()).filter(|&i| i != 33).collect();
    let names: Vec<&str> = binary.iter().map(|&i| TYPES_COLUMNS[i]).collect();
    let sql = format!("SELECT {} FROM types ORDER BY id", names.join(", "));
    let rows = client.query(&sql, &[]).await.expect("binary query");
    assert_eq!(rows.len(), 2);
    let mut failures = Vec::new();
    for (row, want) in rows.iter().zip(&TYPES_TEXT) {
        for (at, &column) in binary.iter().enumerate() {
            match check_binary(row, at, want[column]) {
                Ok(()) => checked += 1,
                Err(e) => failures.push(format!("binary, column {}: {e}", names[at])),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(rows[0].columns()[9].type_(), &Type::NUMERIC, "Int128");
    assert_eq!(rows[0].columns()[25].type_(), &Type::TIMESTAMPTZ, "tsz");
    assert_eq!(rows[0].columns()[24].type_(), &Type::TIMESTAMP, "ts64");

    // A rectangular nested array has a binary form: row 2's [[], []] is PostgreSQL's {}.
    let row = client
        .query_one("SELECT nested FROM types WHERE id = 2", &[])
        .await
        .expect("rectangular nested");
    check_binary(&row, 0, TYPES_TEXT[1][33]).expect("nested, row 2");
    checked += 1;
    // The ragged one is refused with the reason, and the connection goes on.
    let e = client
        .query("SELECT nested FROM types WHERE id = 1", &[])
        .await
        .expect_err("ragged in binary");
    let message = e.as_db_error().map(|d| d.message()).unwrap_or_default();
    assert!(message.contains("differ in length"), "{e:?}");
    let one: i16 = client
        .query_one("SELECT id FROM types WHERE id = 1", &[])
        .await
        .expect("usable after the refusal")
        .get(0);
    assert_eq!(one, 1);
    assert_eq!(checked, 2 * 39 + 2 * 38 + 1);

    // A named TimeZone prints each instant with the offset in force then, as PostgreSQL
    // does: EST in winter (and in 1900, after the 1883 switch to standard time).
    client
        .batch_execute("SET TIME ZONE 'america/new_york'")
        .await
        .expect("SET TIME ZONE");
    let text: Vec<Vec<Option<String>>> = client
        .simple_query("SHOW TimeZone; SELECT tsz, tsu FROM types ORDER BY id")
        .await
        .expect("simple query")
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        text,
        vec![
            vec![s("America/New_York")],
            vec![
                s("2024-01-01 16:34:05.123456-05"),
                s("2023-11-14 17:13:20-05")
            ],
            vec![s("1899-12-31 19:00:00-05"), s("1969-12-31 19:00:00-05")],
        ]
    );
}

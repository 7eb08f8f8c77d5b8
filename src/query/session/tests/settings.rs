//! Settings: defaults, names, values, errors, reporting.

use pgwire::messages::response::TransactionStatus;

use super::*;

#[test]
fn defaults_are_postgres_16() {
    let s = session();
    for (name, value) in [
        ("server_version", "16.4"),
        ("server_version_num", "160004"),
        ("server_encoding", "UTF8"),
        ("client_encoding", "UTF8"),
        ("DateStyle", "ISO, MDY"),
        ("TimeZone", "UTC"),
        ("IntervalStyle", "postgres"),
        ("integer_datetimes", "on"),
        ("standard_conforming_strings", "on"),
        ("default_transaction_read_only", "on"),
        ("transaction_read_only", "on"),
        ("default_transaction_isolation", "read committed"),
        ("transaction_isolation", "read committed"),
        ("is_superuser", "off"),
        ("session_authorization", "alice"),
        ("search_path", "\"$user\", public"),
        ("extra_float_digits", "1"),
        ("statement_timeout", "10s"),
        ("lock_timeout", "0"),
        ("max_identifier_length", "63"),
        ("bytea_output", "hex"),
        ("client_min_messages", "notice"),
        ("work_mem", "4MB"),
        ("scram_iterations", "4096"),
        ("in_hot_standby", "off"),
        ("ssl", "off"),
        ("lc_collate", "C.UTF-8"),
        ("lc_messages", "C"),
    ] {
        assert_eq!(show(&s, name), value, "{name}");
    }
    assert_eq!(s.transaction_status(), TransactionStatus::Idle);
}

#[test]
fn names_are_case_insensitive_and_shown_canonically() {
    let mut s = session();
    assert_eq!(show(&s, "datestyle"), "ISO, MDY");
    assert_eq!(show(&s, "TIMEZONE"), "UTC");
    match ok(&mut s, "SHOW datestyle").reply {
        SessionReply::Rows { columns, rows } => {
            assert_eq!(columns, vec!["DateStyle"]);
            assert_eq!(rows, vec![vec!["ISO, MDY".to_string()]]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_setting_is_42704() {
    let mut s = session();
    let e = err(&mut s, "SET foo = 1");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("42704", "unrecognized configuration parameter \"foo\"")
    );
    let e = err(&mut s, "SHOW foo");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("42704", "unrecognized configuration parameter \"foo\"")
    );
    assert_eq!(err(&mut s, "SHOW myapp.unset").code, "42704");
}

#[test]
fn read_only_settings_are_55p02() {
    let mut s = session();
    for name in [
        "server_version",
        "server_encoding",
        "integer_datetimes",
        "max_identifier_length",
        "is_superuser",
        "lc_collate",
    ] {
        let e = err(&mut s, &format!("SET {name} = 'x'"));
        assert_eq!(e.code, "55P02");
        assert_eq!(e.message, format!("parameter \"{name}\" cannot be changed"));
    }
    let e = err(&mut s, "SET max_connections = 5");
    assert_eq!(
        e.message,
        "parameter \"max_connections\" cannot be changed without restarting the server"
    );
    let e = err(&mut s, "SET ssl = on");
    assert_eq!(e.message, "parameter \"ssl\" cannot be changed now");
    let e = err(&mut s, "RESET server_version");
    assert_eq!(e.code, "55P02");
}

#[test]
fn superuser_settings_are_42501() {
    let mut s = session();
    let e = err(&mut s, "SET lc_messages = 'C'");
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            "42501",
            "permission denied to set parameter \"lc_messages\""
        )
    );
}

#[test]
fn booleans_take_postgres_spellings() {
    let mut s = session();
    ok(&mut s, "SET jit = true");
    assert_eq!(show(&s, "jit"), "on");
    ok(&mut s, "SET jit = 'of'");
    assert_eq!(show(&s, "jit"), "off");
    ok(&mut s, "SET jit = 1");
    assert_eq!(show(&s, "jit"), "on");
    let e = err(&mut s, "SET jit = maybe");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("22023", "parameter \"jit\" requires a Boolean value")
    );
}

#[test]
fn enums_list_available_values() {
    let mut s = session();
    let e = err(&mut s, "SET default_transaction_isolation = 'snapshot'");
    assert_eq!(e.code, "22023");
    assert_eq!(
        e.message,
        "invalid value for parameter \"default_transaction_isolation\": \"snapshot\""
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("Available values: serializable, repeatable read, read committed, read uncommitted.")
    );
    ok(
        &mut s,
        "SET default_transaction_isolation = 'REPEATABLE READ'",
    );
    assert_eq!(show(&s, "default_transaction_isolation"), "repeatable read");
    ok(&mut s, "SET client_min_messages = WARNING");
    assert_eq!(s.client_min_messages(), "warning");
}

#[test]
fn statement_timeout_units_and_show_format() {
    let mut s = session();
    assert_eq!(s.statement_timeout(), Some(Duration::from_secs(10)));
    ok(&mut s, "SET statement_timeout = 1500");
    assert_eq!(show(&s, "statement_timeout"), "1500ms");
    assert_eq!(s.statement_timeout(), Some(Duration::from_millis(1500)));
    ok(&mut s, "SET statement_timeout = '2min'");
    assert_eq!(show(&s, "statement_timeout"), "2min");
    ok(&mut s, "SET statement_timeout TO 0");
    assert_eq!(show(&s, "statement_timeout"), "0");
    assert_eq!(s.statement_timeout(), None);
    let e = err(&mut s, "SET statement_timeout = -1");
    assert_eq!(
        e.message,
        "-1 ms is outside the valid range for parameter \"statement_timeout\" (0 .. 2147483647)"
    );
    let e = err(&mut s, "SET statement_timeout = '5 parsecs'");
    assert_eq!(
        e.message,
        "invalid value for parameter \"statement_timeout\": \"5 parsecs\""
    );
    assert!(e
        .hint
        .unwrap()
        .starts_with("Valid units for this parameter are"));
    ok(&mut s, "SET statement_timeout = DEFAULT");
    assert_eq!(show(&s, "statement_timeout"), "10s");
}

#[test]
fn extra_float_digits_range() {
    let mut s = session();
    ok(&mut s, "SET extra_float_digits = 3");
    assert_eq!(s.extra_float_digits(), 3);
    let e = err(&mut s, "SET extra_float_digits = 4");
    assert_eq!(
        e.message,
        "4 is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)"
    );
}

#[test]
fn client_encoding_only_utf8() {
    let mut s = session();
    ok(&mut s, "SET client_encoding = 'utf-8'");
    assert_eq!(show(&s, "client_encoding"), "UTF8");
    ok(&mut s, "SET NAMES 'UNICODE'");
    assert_eq!(show(&s, "client_encoding"), "UNICODE");
    let e = err(&mut s, "SET client_encoding = 'LATIN1'");
    assert_eq!(e.code, "0A000");
    assert_eq!(
        e.message,
        "invalid value for parameter \"client_encoding\": \"LATIN1\""
    );
    assert_eq!(
        e.detail.as_deref(),
        Some("Conversion between LATIN1 and UTF8 is not supported.")
    );
    let e = err(&mut s, "SET client_encoding = 'klingon'");
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            "22023",
            "invalid value for parameter \"client_encoding\": \"klingon\""
        )
    );
}

#[test]
fn datestyle_accepts_postgres_forms_and_normalizes() {
    let mut s = session();
    ok(&mut s, "SET datestyle = iso, dmy");
    assert_eq!(show(&s, "DateStyle"), "ISO, DMY");
    ok(&mut s, "SET DateStyle = 'US'");
    assert_eq!(show(&s, "DateStyle"), "ISO, MDY");
    ok(&mut s, "SET datestyle TO 'ymd'");
    assert_eq!(show(&s, "DateStyle"), "ISO, YMD");
    let e = err(&mut s, "SET datestyle = 'ISO, SQL'");
    assert_eq!(
        e.message,
        "invalid value for parameter \"DateStyle\": \"ISO, SQL\""
    );
    assert_eq!(
        e.detail.as_deref(),
        Some("Conflicting \"datestyle\" specifications.")
    );
    let e = err(&mut s, "SET datestyle = 'fancy'");
    assert_eq!(
        e.detail.as_deref(),
        Some("Unrecognized key word: \"fancy\".")
    );
    let e = err(&mut s, "SET datestyle = 'SQL, DMY'");
    assert_eq!(e.code, "0A000");
}

#[test]
fn time_zones() {
    let mut s = session();
    ok(&mut s, "SET TIME ZONE 'Europe/Paris'");
    assert_eq!(s.time_zone(), "Europe/Paris");
    assert_eq!(s.time_zone_offset_seconds(), None);
    assert_eq!(s.time_zone_rules(), Some(chrono_tz::Europe::Paris));
    ok(&mut s, "SET timezone = 'america/new_york'");
    assert_eq!(s.time_zone(), "America/New_York");
    assert_eq!(s.time_zone_rules(), Some(chrono_tz::America::New_York));
    ok(&mut s, "SET timezone = 'AMERICA/ARGENTINA/BUENOS_AIRES'");
    assert_eq!(s.time_zone(), "America/Argentina/Buenos_Aires");
    let e = err(&mut s, "SET TIME ZONE 'Europe/Nowhere'");
    assert_eq!(e.code, "22023", "a zone the database does not have");
    ok(&mut s, "SET TIME ZONE 'utc'");
    assert_eq!(s.time_zone(), "UTC");
    ok(&mut s, "SET TIME ZONE -7");
    assert_eq!(s.time_zone(), "<-07>+07");
    assert_eq!(s.time_zone_offset_seconds(), Some(-7 * 3600));
    ok(&mut s, "SET TIME ZONE 5.5");
    assert_eq!(s.time_zone(), "<+05:30>-05:30");
    ok(&mut s, "SET TIME ZONE INTERVAL '-08:00' HOUR TO MINUTE");
    assert_eq!(s.time_zone(), "<-08>+08");
    ok(&mut s, "SET timezone = '+02:00'");
    assert_eq!(s.time_zone(), "+02:00");
    assert_eq!(s.time_zone_offset_seconds(), Some(-2 * 3600));
    let e = err(&mut s, "SET TIME ZONE 'Mars/Olympus_Mons'");
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            "22023",
            "invalid value for parameter \"TimeZone\": \"Mars/Olympus_Mons\""
        )
    );
    ok(&mut s, "SET TIME ZONE LOCAL");
    assert_eq!(s.time_zone(), "UTC");
}

#[test]
fn unsupported_output_styles_are_0a000() {
    let mut s = session();
    assert_eq!(
        err(&mut s, "SET standard_conforming_strings = off").code,
        "0A000"
    );
    ok(&mut s, "SET standard_conforming_strings = on");
    assert_eq!(err(&mut s, "SET IntervalStyle = iso_8601").code, "0A000");
    assert_eq!(err(&mut s, "SET bytea_output = escape").code, "0A000");
    assert_eq!(err(&mut s, "SET IntervalStyle = weird").code, "22023");
}

#[test]
fn custom_settings() {
    let mut s = session();
    ok(&mut s, "SET pipegate.param.user_id = 42");
    ok(&mut s, "SET myapp.x TO 'hello'");
    assert_eq!(show(&s, "pipegate.param.user_id"), "42");
    assert_eq!(show(&s, "MYAPP.X"), "hello");
    assert_eq!(s.params(), vec![("user_id".to_string(), "42".to_string())]);
    ok(&mut s, "RESET myapp.x");
    assert_eq!(show(&s, "myapp.x"), "");
    let e = err(&mut s, "SET pipegate.other = 1");
    assert_eq!(e.code, "42602");
    assert_eq!(
        e.detail.as_deref(),
        Some("\"pipegate\" is a reserved prefix.")
    );
    assert_eq!(s.get("nobody.home"), None);
}

#[test]
fn pipegate_cache_is_on_off() {
    let mut s = session();
    assert!(s.cache_enabled());
    ok(&mut s, "SET pipegate.cache = off");
    assert!(!s.cache_enabled());
    assert_eq!(
        err(&mut s, "SET pipegate.cache = 'sometimes'").message,
        "parameter \"pipegate.cache\" requires a Boolean value"
    );
}

#[test]
fn search_path_quotes_like_postgres() {
    let mut s = session();
    ok(&mut s, "SET search_path = public, pg_catalog");
    assert_eq!(show(&s, "search_path"), "public, pg_catalog");
    ok(&mut s, "SET search_path TO 'My Schema', \"$user\"");
    assert_eq!(show(&s, "search_path"), "\"My Schema\", \"$user\"");
    ok(&mut s, "SET SCHEMA 'analytics'");
    assert_eq!(show(&s, "search_path"), "analytics");
    let e = err(&mut s, "SET statement_timeout = 1, 2");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("22023", "SET statement_timeout takes only one argument")
    );
}

#[test]
fn application_name_escapes_non_ascii() {
    let mut s = session();
    ok(&mut s, "SET application_name = 'DBeaver 24'");
    assert_eq!(s.application_name(), "DBeaver 24");
    ok(&mut s, "SET application_name = 'café'");
    assert_eq!(s.application_name(), "caf\\xc3\\xa9");
}

#[test]
fn startup_values_are_the_reset_values() {
    let mut s = session();
    s.apply_startup("application_name", "psql").unwrap();
    s.apply_startup("DateStyle", "ISO, DMY").unwrap();
    s.apply_startup("options", "-c statement_timeout=5s --search_path=x")
        .unwrap();
    ok(&mut s, "SET application_name = 'other'");
    ok(&mut s, "RESET application_name");
    assert_eq!(s.application_name(), "psql");
    ok(&mut s, "RESET ALL");
    assert_eq!(show(&s, "DateStyle"), "ISO, DMY");
    assert_eq!(show(&s, "statement_timeout"), "5s");
    assert_eq!(show(&s, "search_path"), "x");
    assert_eq!(s.apply_startup("bogus", "1").unwrap_err().code, "42704");
}

#[test]
fn reset_all_keeps_session_authorization() {
    let mut s = session();
    ok(&mut s, "SET jit = on");
    ok(&mut s, "SET myapp.y = 'v'");
    assert_eq!(tag(&mut s, "RESET ALL"), "RESET");
    assert_eq!(show(&s, "jit"), "off");
    assert_eq!(show(&s, "myapp.y"), "");
    assert_eq!(show(&s, "session_authorization"), "alice");
}

#[test]
fn role_and_session_authorization() {
    let mut s = session();
    ok(&mut s, "SET ROLE alice");
    assert_eq!(show(&s, "role"), "alice");
    ok(&mut s, "SET ROLE NONE");
    assert_eq!(show(&s, "role"), "none");
    let e = err(&mut s, "SET ROLE bob");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("42501", "permission denied to set role \"bob\"")
    );
    ok(&mut s, "SET SESSION AUTHORIZATION alice");
    let e = err(&mut s, "SET SESSION AUTHORIZATION 'bob'");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("42501", "permission denied to set session authorization")
    );
    ok(&mut s, "SET SESSION AUTHORIZATION DEFAULT");
    assert_eq!(show(&s, "session_authorization"), "alice");
}

#[test]
fn show_all_has_three_columns_sorted_without_hidden() {
    let mut s = session();
    ok(&mut s, "SET myapp.hidden = 1");
    let all = s.show_all();
    let names: Vec<String> = all.iter().map(|r| r.0.to_ascii_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(!names
        .iter()
        .any(|n| n == "is_superuser" || n == "session_authorization" || n == "myapp.hidden"));
    let tz = all.iter().find(|r| r.0 == "TimeZone").unwrap();
    assert_eq!(
        tz.2,
        "Sets the time zone for displaying and interpreting time stamps."
    );
    match ok(&mut s, "SHOW ALL").reply {
        SessionReply::Rows { columns, .. } => {
            assert_eq!(columns, vec!["name", "setting", "description"])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn parameter_status_reports_changes_once() {
    let mut s = session();
    let first = s.parameter_status_changes();
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "application_name",
        "client_encoding",
        "DateStyle",
        "default_transaction_read_only",
        "in_hot_standby",
        "integer_datetimes",
        "IntervalStyle",
        "is_superuser",
        "scram_iterations",
        "server_encoding",
        "server_version",
        "session_authorization",
        "standard_conforming_strings",
        "TimeZone",
    ] {
        assert!(names.contains(&expected), "{expected}");
    }
    assert_eq!(first.len(), 14);
    assert!(s.parameter_status_changes().is_empty());
    ok(&mut s, "SET TIME ZONE 'Europe/Berlin'");
    ok(&mut s, "SET jit = on");
    assert_eq!(
        s.parameter_status_changes(),
        vec![("TimeZone".to_string(), "Europe/Berlin".to_string())]
    );
    ok(&mut s, "SET application_name = ''");
    assert!(s.parameter_status_changes().is_empty());
}

#[test]
fn session_errors_become_query_errors() {
    let mut s = session();
    let e: QueryError = err(&mut s, "SET client_encoding = 'LATIN1'").into();
    assert_eq!(e.sqlstate(), "0A000");
    assert_eq!(
        e.to_string(),
        "invalid value for parameter \"client_encoding\": \"LATIN1\""
    );
}

#[test]
fn quote_identifier_follows_postgres() {
    assert_eq!(quote_identifier("public"), "public");
    assert_eq!(quote_identifier("$user"), "\"$user\"");
    assert_eq!(quote_identifier("My"), "\"My\"");
    assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
}

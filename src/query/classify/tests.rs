//! Classification of statements as BI tools and drivers send them.

use super::*;
use crate::query::session::{DiscardTarget, SetArg, SetScope, SetValue, TransactionMode};

fn kinds(sql: &str) -> Vec<Kind> {
    classify(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|c| c.kind)
        .collect()
}

fn kind(sql: &str) -> Kind {
    let mut k = kinds(sql);
    assert_eq!(k.len(), 1, "{sql}");
    k.remove(0)
}

fn session(sql: &str) -> SessionCommand {
    match kind(sql) {
        Kind::Session(c) => c,
        other => panic!("{sql}: {other:?}"),
    }
}

fn write_name(sql: &str) -> String {
    match kind(sql) {
        Kind::Write { statement } => statement,
        other => panic!("{sql}: {other:?}"),
    }
}

fn syntax(sql: &str) -> String {
    let e = classify(sql).expect_err(sql);
    assert_eq!(e.sqlstate(), "42601", "{sql}");
    e.to_string()
}

fn text(s: &str) -> SetValue {
    SetValue::Values(vec![SetArg::Text(s.into())])
}

fn set(name: &str, value: SetValue) -> SessionCommand {
    SessionCommand::Set {
        name: name.into(),
        value,
        scope: SetScope::Session,
    }
}

#[test]
fn empty_and_comment_only() {
    assert_eq!(kinds(""), vec![Kind::Empty]);
    assert_eq!(kinds("  -- just a comment\n"), vec![Kind::Empty]);
    assert_eq!(kinds("/* c */ ; ;"), vec![Kind::Empty]);
}

#[test]
fn statements_keep_their_spans() {
    let sql = "SET x.y = 'é;';  SELECT 1 ;\n/* c */ SELECT * FROM t";
    let out = classify(sql).unwrap();
    let texts: Vec<&str> = out.iter().map(|c| c.text(sql)).collect();
    assert_eq!(texts, vec!["SET x.y = 'é;'", "SELECT 1", "SELECT * FROM t"]);
    assert!(out[2].statement.is_some());
}

#[test]
fn set_forms() {
    assert_eq!(
        session("SET x.y TO 1"),
        set("x.y", SetValue::Values(vec![SetArg::Number("1".into())]))
    );
    assert_eq!(
        session("SET statement_timeout = DEFAULT"),
        set("statement_timeout", SetValue::Default)
    );
    assert_eq!(session("SET TIME ZONE 'UTC'"), set("timezone", text("UTC")));
    assert_eq!(
        session("SET TIME ZONE LOCAL"),
        set("timezone", SetValue::Default)
    );
    assert_eq!(
        session("SET NAMES 'UTF8'"),
        set("client_encoding", text("UTF8"))
    );
    assert_eq!(
        session("set DateStyle = ISO, \"MDY\""),
        set(
            "datestyle",
            SetValue::Values(vec![SetArg::Text("iso".into()), SetArg::Text("MDY".into())])
        )
    );
    assert_eq!(
        session("SET extra_float_digits = -3"),
        set(
            "extra_float_digits",
            SetValue::Values(vec![SetArg::Number("-3".into())])
        )
    );
    assert_eq!(
        session("SET LOCAL statement_timeout = '5s'"),
        SessionCommand::Set {
            name: "statement_timeout".into(),
            value: text("5s"),
            scope: SetScope::Local
        }
    );
    assert_eq!(session("SET SESSION jit = on"), set("jit", text("on")));
    assert_eq!(
        session("SET SESSION AUTHORIZATION DEFAULT"),
        set("session_authorization", SetValue::Default)
    );
    assert_eq!(session("SET ROLE NONE"), set("role", text("none")));
    assert_eq!(
        session("SET SCHEMA 'public'"),
        set("search_path", text("public"))
    );
}

#[test]
fn set_transaction_forms() {
    assert_eq!(
        session(
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY, ISOLATION LEVEL SERIALIZABLE"
        ),
        SessionCommand::SetTransaction {
            modes: vec![
                TransactionMode::ReadOnly(true),
                TransactionMode::Isolation("serializable".into())
            ],
            session: true
        }
    );
    assert_eq!(
        session("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED"),
        SessionCommand::SetTransaction {
            modes: vec![TransactionMode::Isolation("read uncommitted".into())],
            session: false
        }
    );
    assert!(matches!(
        kind("SET TRANSACTION SNAPSHOT '0001'"),
        Kind::Unsupported { .. }
    ));
}

#[test]
fn show_and_reset_forms() {
    assert_eq!(session("SHOW ALL"), SessionCommand::ShowAll);
    assert_eq!(
        session("SHOW TIME ZONE"),
        SessionCommand::Show {
            name: "timezone".into()
        }
    );
    assert_eq!(
        session("SHOW TRANSACTION ISOLATION LEVEL"),
        SessionCommand::Show {
            name: "transaction_isolation".into()
        }
    );
    assert_eq!(
        session("SHOW SESSION AUTHORIZATION"),
        SessionCommand::Show {
            name: "session_authorization".into()
        }
    );
    assert_eq!(
        session("show \"DateStyle\""),
        SessionCommand::Show {
            name: "DateStyle".into()
        }
    );
    assert_eq!(
        session("SHOW pipegate.param.x"),
        SessionCommand::Show {
            name: "pipegate.param.x".into()
        }
    );
    assert_eq!(session("RESET ALL"), SessionCommand::ResetAll);
    assert_eq!(
        session("RESET TIME ZONE"),
        SessionCommand::Reset {
            name: "timezone".into()
        }
    );
    assert_eq!(
        session("RESET search_path"),
        SessionCommand::Reset {
            name: "search_path".into()
        }
    );
}

#[test]
fn transaction_forms() {
    assert_eq!(
        session("BEGIN"),
        SessionCommand::Begin {
            modes: vec![],
            start: false
        }
    );
    assert_eq!(
        session("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY NOT DEFERRABLE"),
        SessionCommand::Begin {
            modes: vec![
                TransactionMode::Isolation("repeatable read".into()),
                TransactionMode::ReadOnly(true),
                TransactionMode::Deferrable(false)
            ],
            start: false
        }
    );
    assert_eq!(
        session("START TRANSACTION READ WRITE"),
        SessionCommand::Begin {
            modes: vec![TransactionMode::ReadOnly(false)],
            start: true
        }
    );
    assert_eq!(
        session("COMMIT WORK"),
        SessionCommand::Commit { chain: false }
    );
    assert_eq!(session("END"), SessionCommand::Commit { chain: false });
    assert_eq!(
        session("COMMIT AND CHAIN"),
        SessionCommand::Commit { chain: true }
    );
    assert_eq!(session("ABORT"), SessionCommand::Rollback { chain: false });
    assert_eq!(
        session("ROLLBACK AND NO CHAIN"),
        SessionCommand::Rollback { chain: false }
    );
    assert_eq!(
        session("ROLLBACK TO SAVEPOINT Sp1"),
        SessionCommand::RollbackTo { name: "sp1".into() }
    );
    assert_eq!(
        session("ROLLBACK TRANSACTION TO sp1"),
        SessionCommand::RollbackTo { name: "sp1".into() }
    );
    assert_eq!(
        session("SAVEPOINT \"A\""),
        SessionCommand::Savepoint { name: "A".into() }
    );
    assert_eq!(
        session("RELEASE SAVEPOINT a"),
        SessionCommand::Release { name: "a".into() }
    );
    assert_eq!(
        session("RELEASE a"),
        SessionCommand::Release { name: "a".into() }
    );
    assert!(matches!(
        kind("COMMIT PREPARED 'x'"),
        Kind::Unsupported { .. }
    ));
    assert!(matches!(
        kind("PREPARE TRANSACTION 'x'"),
        Kind::Unsupported { .. }
    ));
}

#[test]
fn discard_deallocate_close_listen() {
    assert_eq!(
        session("DISCARD ALL"),
        SessionCommand::Discard(DiscardTarget::All)
    );
    assert_eq!(
        session("DISCARD SEQUENCES"),
        SessionCommand::Discard(DiscardTarget::Sequences)
    );
    assert_eq!(
        session("DEALLOCATE PREPARE S_1"),
        SessionCommand::Deallocate {
            name: Some("s_1".into())
        }
    );
    assert_eq!(
        session("DEALLOCATE ALL"),
        SessionCommand::Deallocate { name: None }
    );
    assert_eq!(session("CLOSE ALL"), SessionCommand::Close { name: None });
    assert_eq!(
        session("CLOSE c1"),
        SessionCommand::Close {
            name: Some("c1".into())
        }
    );
    assert_eq!(
        session("LISTEN events"),
        SessionCommand::Listen {
            channel: "events".into()
        }
    );
    assert_eq!(
        session("UNLISTEN *"),
        SessionCommand::Unlisten { channel: None }
    );
    assert_eq!(
        session("NOTIFY events, 'hi'"),
        SessionCommand::Notify {
            channel: "events".into()
        }
    );
}

#[test]
fn session_syntax_errors_use_postgres_wording() {
    assert_eq!(syntax("SET x"), "syntax error at end of input");
    assert_eq!(
        syntax("SET statement_timeout = 1 2"),
        "syntax error at or near \"2\""
    );
    assert_eq!(syntax("BEGIN banana"), "syntax error at or near \"banana\"");
    assert_eq!(syntax("SHOW"), "syntax error at end of input");
    assert_eq!(
        syntax("DISCARD everything"),
        "syntax error at or near \"everything\""
    );
}

#[test]
fn a_syntax_error_anywhere_fails_the_whole_string() {
    assert_eq!(
        classify("SELECT 1; SELEC 2").unwrap_err().sqlstate(),
        "42601"
    );
    assert_eq!(classify("SET x = 1; SET").unwrap_err().sqlstate(), "42601");
}

#[test]
fn unterminated_string() {
    assert_eq!(
        syntax("SELECT 'abc"),
        "unterminated quoted string at or near \"'abc\""
    );
}

#[test]
fn constants() {
    for sql in [
        "SELECT 1",
        "select 1;",
        "SELECT 'x'",
        "SELECT NULL",
        "SELECT 1 AS n, true, 1.5, -2, 'a'::text, CAST(1 AS int8)",
    ] {
        assert!(matches!(kind(sql), Kind::Constant(_)), "{sql}");
    }
}

#[test]
fn catalog_queries() {
    for sql in [
        "SELECT * FROM pg_catalog.pg_class",
        "SELECT oid, typname FROM pg_type",
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        "SELECT pg_get_userbyid(relowner) FROM x",
        "SELECT current_setting('server_version_num')",
        "SELECT version()",
        "SELECT current_database()",
        "SELECT current_schema()",
        "SELECT current_schema",
        "SELECT current_schemas(false)",
        "SELECT current_user",
        "SELECT has_table_privilege('t', 'SELECT')",
        "SELECT 'public.t'::regclass",
        "SELECT 'int4'::regtype::oid",
        "SELECT * FROM pg_catalog.pg_get_keywords()",
        "SELECT n.nspname FROM pg_namespace n JOIN events e ON true",
        "SELECT set_config('search_path', 'public', false)",
        "SELECT pg_catalog.format_type(23, NULL)",
        "SELECT to_regclass('t')",
        "SELECT $1::regclass",
    ] {
        assert_eq!(kind(sql), Kind::Catalog, "{sql}");
    }
}

#[test]
fn data_queries() {
    for sql in [
        "SELECT * FROM events",
        "SELECT count(*) FROM events WHERE user_id = $1",
        "WITH t AS (SELECT 1 AS a) SELECT a FROM t",
        "VALUES (1, 'a')",
        "EXPLAIN SELECT * FROM events",
        "SELECT 1 + 1",
        "SELECT now()",
        "SELECT $1",
        "SELECT * FROM version",
        "SELECT * FROM public.pg_events",
        "SELECT '2024-01-01'::date",
        "SELECT 1 FROM events LIMIT 1",
    ] {
        assert_eq!(kind(sql), Kind::Data, "{sql}");
    }
}

#[test]
fn writes_are_named_as_postgres_names_them() {
    for (sql, name) in [
        ("INSERT INTO events VALUES (1)", "INSERT"),
        ("UPDATE events SET a = 1", "UPDATE"),
        ("DELETE FROM events", "DELETE"),
        (
            "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
            "MERGE",
        ),
        ("CREATE TABLE t (a int)", "CREATE TABLE"),
        ("CREATE TEMP TABLE t (a int)", "CREATE TABLE"),
        ("CREATE TABLE t AS SELECT 1", "CREATE TABLE AS"),
        ("CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE VIEW"),
        ("CREATE UNIQUE INDEX i ON t (a)", "CREATE INDEX"),
        (
            "CREATE MATERIALIZED VIEW m AS SELECT 1",
            "CREATE MATERIALIZED VIEW",
        ),
        ("CREATE USER bob", "CREATE ROLE"),
        (
            "CREATE EXTENSION IF NOT EXISTS pgcrypto",
            "CREATE EXTENSION",
        ),
        ("ALTER TABLE t ADD COLUMN b int", "ALTER TABLE"),
        ("DROP TABLE t", "DROP TABLE"),
        ("DROP VIEW IF EXISTS v", "DROP VIEW"),
        ("TRUNCATE events", "TRUNCATE TABLE"),
        ("GRANT SELECT ON t TO bob", "GRANT"),
        ("REVOKE ALL ON t FROM bob", "REVOKE"),
        ("VACUUM events", "VACUUM"),
        ("COPY events FROM STDIN", "COPY FROM"),
        ("COMMENT ON TABLE t IS 'x'", "COMMENT"),
        ("SELECT * INTO t2 FROM events", "SELECT INTO"),
        ("SELECT * FROM events FOR UPDATE", "SELECT FOR UPDATE"),
        (
            "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
            "DELETE",
        ),
        ("EXPLAIN ANALYZE INSERT INTO t VALUES (1)", "INSERT"),
        (
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
            "CREATE FUNCTION",
        ),
    ] {
        assert_eq!(write_name(sql), name, "{sql}");
    }
    let e = kind("INSERT INTO t VALUES (1)").error().unwrap();
    assert_eq!(e.sqlstate(), "25006");
    assert_eq!(
        e.to_string(),
        "cannot execute INSERT in a read-only transaction"
    );
}

#[test]
fn unsupported_statements_are_named() {
    for (sql, feature) in [
        ("DO $$ BEGIN END $$", "DO"),
        ("CALL p()", "CALL"),
        ("PREPARE s AS SELECT 1", "SQL-level PREPARE and EXECUTE"),
        ("EXECUTE s", "SQL-level PREPARE and EXECUTE"),
        ("DECLARE c CURSOR FOR SELECT 1", "cursors"),
        ("FETCH 10 FROM c", "cursors"),
    ] {
        assert_eq!(
            kind(sql),
            Kind::Unsupported {
                feature: feature.into()
            },
            "{sql}"
        );
    }
    assert_eq!(
        kind("DO $$ BEGIN END $$").error().unwrap().sqlstate(),
        "0A000"
    );
}

#[test]
fn multi_statement_strings_classify_each() {
    let k = kinds("BEGIN; SELECT 1; SELECT * FROM events; COMMIT");
    assert!(matches!(k[0], Kind::Session(SessionCommand::Begin { .. })));
    assert!(matches!(k[1], Kind::Constant(_)));
    assert_eq!(k[2], Kind::Data);
    assert_eq!(k[3], Kind::Session(SessionCommand::Commit { chain: false }));
}

#[test]
fn select_parse_errors_are_42601() {
    assert_eq!(
        syntax("SELECT * FROM t WHERE )"),
        "syntax error at or near \")\""
    );
    assert_eq!(syntax("SELECT (1"), "syntax error at end of input");
}

#[test]
fn set_values_keep_strings_and_numbers_apart() {
    assert_eq!(session("SET x.y = E'a\\nb'"), set("x.y", text("a\nb")));
    assert_eq!(session("SET x.y = $$d$$"), set("x.y", text("d")));
    assert_eq!(session("SET x.y = '1'"), set("x.y", text("1")));
    assert_eq!(
        session("SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE"),
        set(
            "timezone",
            SetValue::Values(vec![SetArg::Number("5.5".into())])
        )
    );
}

#[test]
fn more_write_names() {
    for (sql, name) in [
        ("LOCK TABLE t", "LOCK TABLE"),
        ("ANALYZE t", "ANALYZE"),
        ("CREATE SCHEMA s", "CREATE SCHEMA"),
        ("DROP MATERIALIZED VIEW m", "DROP MATERIALIZED VIEW"),
        ("ALTER USER bob WITH PASSWORD 'x'", "ALTER ROLE"),
        ("REFRESH MATERIALIZED VIEW m", "REFRESH MATERIALIZED VIEW"),
        ("CREATE SEQUENCE s", "CREATE SEQUENCE"),
        ("DROP SCHEMA s CASCADE", "DROP SCHEMA"),
    ] {
        assert_eq!(write_name(sql), name, "{sql}");
    }
}

#[test]
fn copy_to_and_explain() {
    assert_eq!(
        kind("COPY (SELECT 1) TO STDOUT"),
        Kind::Unsupported {
            feature: "COPY".into()
        }
    );
    assert_eq!(kind("EXPLAIN SELECT * FROM pg_class"), Kind::Data);
    assert_eq!(kind("TABLE events"), Kind::Data);
    assert_eq!(
        kind("SELECT * FROM events").error().map(|e| e.sqlstate()),
        None
    );
}

#[test]
fn quoted_catalog_names() {
    assert_eq!(kind("SELECT * FROM \"pg_class\""), Kind::Catalog);
    assert_eq!(
        kind("SELECT * FROM \"pg_catalog\".\"pg_attribute\""),
        Kind::Catalog
    );
    assert_eq!(kind("SELECT \"current_user\" FROM events"), Kind::Data);
}

#[test]
fn placeholders_parse_in_every_kind() {
    let out = classify("SELECT * FROM events WHERE id = $1 AND ts > $2").unwrap();
    assert_eq!(out[0].kind, Kind::Data);
    assert!(out[0].statement.is_some());
    assert_eq!(kind("SELECT current_setting($1)"), Kind::Catalog);
}

#[test]
fn session_verbs_need_a_full_statement() {
    assert_eq!(
        syntax("SHOW ALL extra"),
        "syntax error at or near \"extra\""
    );
    assert_eq!(syntax("ROLLBACK TO"), "syntax error at end of input");
    assert_eq!(syntax("SET TRANSACTION"), "syntax error at end of input");
    assert_eq!(syntax("START"), "syntax error at end of input");
}

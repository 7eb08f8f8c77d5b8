//! Transaction blocks, savepoints and the statements that depend on them.

use pgwire::messages::response::TransactionStatus;

use super::*;

#[test]
fn begin_commit_rollback_tags_and_status() {
    let mut s = session();
    assert_eq!(tag(&mut s, "BEGIN"), "BEGIN");
    assert_eq!(s.transaction_status(), TransactionStatus::Transaction);
    assert_eq!(tag(&mut s, "COMMIT"), "COMMIT");
    assert_eq!(s.transaction_status(), TransactionStatus::Idle);
    assert_eq!(
        tag(&mut s, "START TRANSACTION READ ONLY"),
        "START TRANSACTION"
    );
    assert_eq!(tag(&mut s, "END"), "COMMIT");
    assert_eq!(tag(&mut s, "BEGIN WORK"), "BEGIN");
    assert_eq!(tag(&mut s, "ABORT"), "ROLLBACK");
    assert_eq!(s.transaction_status(), TransactionStatus::Idle);
}

#[test]
fn begin_inside_block_warns_25001() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    let out = ok(&mut s, "BEGIN");
    assert_eq!(out.reply, SessionReply::Command("BEGIN".into()));
    assert_eq!(
        out.notices,
        vec![Notice::warning(
            "25001",
            "there is already a transaction in progress"
        )]
    );
    assert_eq!(s.transaction_status(), TransactionStatus::Transaction);
}

#[test]
fn commit_and_rollback_outside_warn_25p01() {
    let mut s = session();
    for (sql, t) in [("COMMIT", "COMMIT"), ("ROLLBACK", "ROLLBACK")] {
        let out = ok(&mut s, sql);
        assert_eq!(out.reply, SessionReply::Command(t.into()));
        assert_eq!(
            out.notices,
            vec![Notice::warning(
                "25P01",
                "there is no transaction in progress"
            )]
        );
    }
    let e = err(&mut s, "COMMIT AND CHAIN");
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            "25P01",
            "COMMIT AND CHAIN can only be used in transaction blocks"
        )
    );
}

#[test]
fn failed_block_refuses_all_but_rollback() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    s.fail();
    assert_eq!(s.transaction_status(), TransactionStatus::Error);
    let e = s.admits(None).unwrap_err();
    assert_eq!(e.code, "25P02");
    assert_eq!(
        e.message,
        "current transaction is aborted, commands ignored until end of transaction block"
    );
    assert_eq!(err(&mut s, "SHOW TimeZone").code, "25P02");
    assert_eq!(err(&mut s, "SAVEPOINT a").code, "25P02");
    assert_eq!(err(&mut s, "BEGIN").code, "25P02");
    assert_eq!(s.transaction_status(), TransactionStatus::Error);
    assert_eq!(tag(&mut s, "ROLLBACK"), "ROLLBACK");
    assert_eq!(s.transaction_status(), TransactionStatus::Idle);
}

#[test]
fn commit_in_failed_block_reports_rollback() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    ok(&mut s, "SET jit = on");
    s.fail();
    assert_eq!(tag(&mut s, "COMMIT"), "ROLLBACK");
    assert_eq!(show(&s, "jit"), "off");
    assert_eq!(s.transaction_status(), TransactionStatus::Idle);
}

#[test]
fn set_is_undone_by_rollback_and_kept_by_commit() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    ok(&mut s, "SET statement_timeout = '1s'");
    assert_eq!(show(&s, "statement_timeout"), "1s");
    ok(&mut s, "ROLLBACK");
    assert_eq!(show(&s, "statement_timeout"), "10s");
    ok(&mut s, "BEGIN");
    ok(&mut s, "SET statement_timeout = '1s'");
    ok(&mut s, "COMMIT");
    assert_eq!(show(&s, "statement_timeout"), "1s");
}

#[test]
fn set_local_lasts_to_end_of_transaction() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    ok(&mut s, "SET jit = on");
    ok(&mut s, "SET LOCAL jit = off");
    assert_eq!(show(&s, "jit"), "off");
    ok(&mut s, "COMMIT");
    assert_eq!(show(&s, "jit"), "on");
    // A later session-level SET in the same transaction wins over SET LOCAL.
    ok(&mut s, "BEGIN");
    ok(&mut s, "SET LOCAL work_mem = '64MB'");
    ok(&mut s, "SET work_mem = '8MB'");
    ok(&mut s, "COMMIT");
    assert_eq!(show(&s, "work_mem"), "8MB");
}

#[test]
fn set_local_outside_block_warns_and_does_nothing() {
    let mut s = session();
    let out = ok(&mut s, "SET LOCAL statement_timeout = '1s'");
    assert_eq!(
        out.notices,
        vec![Notice::warning(
            "25P01",
            "SET LOCAL can only be used in transaction blocks"
        )]
    );
    assert_eq!(show(&s, "statement_timeout"), "10s");
    // The value is still checked.
    assert_eq!(
        err(&mut s, "SET LOCAL statement_timeout = 'soon'").code,
        "22023"
    );
}

#[test]
fn savepoints_restore_settings() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    ok(&mut s, "SET jit = on");
    assert_eq!(tag(&mut s, "SAVEPOINT a"), "SAVEPOINT");
    ok(&mut s, "SET jit = off");
    ok(&mut s, "SAVEPOINT b");
    ok(&mut s, "SET work_mem = '1GB'");
    assert_eq!(tag(&mut s, "ROLLBACK TO SAVEPOINT a"), "ROLLBACK");
    assert_eq!(show(&s, "jit"), "on");
    assert_eq!(show(&s, "work_mem"), "4MB");
    // b is gone, a remains.
    assert_eq!(err(&mut s, "RELEASE b").code, "3B001");
    ok(&mut s, "ROLLBACK");
    ok(&mut s, "BEGIN");
    ok(&mut s, "SAVEPOINT a");
    ok(&mut s, "SET jit = on");
    assert_eq!(tag(&mut s, "RELEASE SAVEPOINT a"), "RELEASE");
    ok(&mut s, "COMMIT");
    assert_eq!(show(&s, "jit"), "on");
}

#[test]
fn rollback_to_recovers_a_failed_block() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    ok(&mut s, "SAVEPOINT sp");
    s.fail();
    let e = err(&mut s, "ROLLBACK TO nope");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("3B001", "savepoint \"nope\" does not exist")
    );
    assert_eq!(s.transaction_status(), TransactionStatus::Error);
    ok(&mut s, "ROLLBACK TO sp");
    assert_eq!(s.transaction_status(), TransactionStatus::Transaction);
    assert!(s.admits(None).is_ok());
}

#[test]
fn savepoint_commands_outside_block_are_25p01() {
    let mut s = session();
    for (sql, what) in [
        ("SAVEPOINT a", "SAVEPOINT"),
        ("RELEASE a", "RELEASE SAVEPOINT"),
        ("ROLLBACK TO a", "ROLLBACK TO SAVEPOINT"),
    ] {
        let e = err(&mut s, sql);
        assert_eq!(e.code, "25P01");
        assert_eq!(
            e.message,
            format!("{what} can only be used in transaction blocks")
        );
    }
}

#[test]
fn transaction_isolation_follows_begin() {
    let mut s = session();
    ok(
        &mut s,
        "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE",
    );
    assert_eq!(show(&s, "transaction_isolation"), "serializable");
    assert_eq!(show(&s, "transaction_deferrable"), "on");
    match ok(&mut s, "SHOW TRANSACTION ISOLATION LEVEL").reply {
        SessionReply::Rows { columns, rows } => {
            assert_eq!(columns, vec!["transaction_isolation"]);
            assert_eq!(rows[0][0], "serializable");
        }
        other => panic!("{other:?}"),
    }
    ok(&mut s, "COMMIT");
    assert_eq!(show(&s, "transaction_isolation"), "read committed");
}

#[test]
fn set_transaction_and_session_characteristics() {
    let mut s = session();
    let out = ok(&mut s, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    assert_eq!(
        out.notices,
        vec![Notice::warning(
            "25P01",
            "SET TRANSACTION can only be used in transaction blocks"
        )]
    );
    ok(
        &mut s,
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    );
    assert_eq!(show(&s, "default_transaction_isolation"), "repeatable read");
    ok(&mut s, "BEGIN");
    assert_eq!(show(&s, "transaction_isolation"), "repeatable read");
    ok(&mut s, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    assert_eq!(show(&s, "transaction_isolation"), "serializable");
    ok(&mut s, "COMMIT");
    assert_eq!(show(&s, "transaction_isolation"), "repeatable read");
}

#[test]
fn read_write_requests_stay_read_only() {
    let mut s = session();
    assert_eq!(tag(&mut s, "BEGIN READ WRITE"), "BEGIN");
    assert_eq!(show(&s, "transaction_read_only"), "on");
    let e = err(&mut s, "SET transaction_read_only = off");
    assert_eq!(e.code, "25006");
    assert_eq!(
        e.message,
        "cannot set transaction read-write mode inside a read-only transaction"
    );
    ok(&mut s, "ROLLBACK");
    ok(
        &mut s,
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
    );
    assert_eq!(show(&s, "default_transaction_read_only"), "on");
}

#[test]
fn commit_and_chain_keeps_characteristics() {
    let mut s = session();
    ok(&mut s, "BEGIN ISOLATION LEVEL SERIALIZABLE");
    assert_eq!(tag(&mut s, "COMMIT AND CHAIN"), "COMMIT");
    assert_eq!(s.transaction_status(), TransactionStatus::Transaction);
    assert_eq!(show(&s, "transaction_isolation"), "serializable");
    assert_eq!(tag(&mut s, "ROLLBACK AND NO CHAIN"), "ROLLBACK");
    assert_eq!(s.transaction_status(), TransactionStatus::Idle);
}

#[test]
fn discard_all() {
    let mut s = session();
    ok(&mut s, "SET jit = on");
    assert_eq!(tag(&mut s, "DISCARD ALL"), "DISCARD ALL");
    assert_eq!(show(&s, "jit"), "off");
    ok(&mut s, "BEGIN");
    let e = err(&mut s, "DISCARD ALL");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("25001", "DISCARD ALL cannot run inside a transaction block")
    );
    ok(&mut s, "ROLLBACK");
    assert_eq!(tag(&mut s, "DISCARD PLANS"), "DISCARD PLANS");
    assert_eq!(tag(&mut s, "DISCARD TEMPORARY"), "DISCARD TEMP");
}

#[test]
fn deallocate_close_listen_unlisten() {
    let mut s = session();
    assert_eq!(tag(&mut s, "DEALLOCATE ALL"), "DEALLOCATE ALL");
    assert_eq!(tag(&mut s, "DEALLOCATE PREPARE ALL"), "DEALLOCATE ALL");
    let e = err(&mut s, "DEALLOCATE s1");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("26000", "prepared statement \"s1\" does not exist")
    );
    assert_eq!(tag(&mut s, "CLOSE ALL"), "CLOSE CURSOR ALL");
    let e = err(&mut s, "CLOSE c");
    assert_eq!(
        (e.code, e.message.as_str()),
        ("34000", "cursor \"c\" does not exist")
    );
    assert_eq!(tag(&mut s, "LISTEN chan"), "LISTEN");
    assert_eq!(tag(&mut s, "UNLISTEN *"), "UNLISTEN");
    assert_eq!(err(&mut s, "NOTIFY chan, 'x'").code, "0A000");
}

#[test]
fn implicit_transaction_of_a_multi_statement_query() {
    let mut s = session();
    s.begin_implicit();
    assert_eq!(s.transaction_status(), TransactionStatus::Idle);
    // SET LOCAL works inside the implicit block without a warning.
    assert!(ok(&mut s, "SET LOCAL jit = on").notices.is_empty());
    assert_eq!(show(&s, "jit"), "on");
    ok(&mut s, "SET work_mem = '8MB'");
    s.end_implicit(true);
    assert_eq!(show(&s, "jit"), "off");
    assert_eq!(show(&s, "work_mem"), "8MB");
    // An error rolls the whole string back.
    s.begin_implicit();
    ok(&mut s, "SET work_mem = '16MB'");
    s.fail();
    s.end_implicit(false);
    assert_eq!(show(&s, "work_mem"), "8MB");
    // BEGIN turns it into a real block.
    s.begin_implicit();
    assert!(ok(&mut s, "BEGIN").notices.is_empty());
    s.end_implicit(true);
    assert_eq!(s.transaction_status(), TransactionStatus::Transaction);
}

#[test]
fn custom_setting_defined_in_rolled_back_transaction_reads_empty() {
    let mut s = session();
    ok(&mut s, "BEGIN");
    ok(&mut s, "SET myapp.z = 'v'");
    ok(&mut s, "ROLLBACK");
    assert_eq!(show(&s, "myapp.z"), "");
}

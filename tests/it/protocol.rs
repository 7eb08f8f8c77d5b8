//! The PostgreSQL v3 protocol at the edges drivers rarely reach, spoken as raw frontend
//! messages over a TCP socket: GSSENCRequest, portals suspended across Syncs inside a
//! transaction, Flush without Sync, and deep pipelines with an error in the middle. Each
//! backend message is shown as a short string (`DataRow(/)`, `ReadyForQuery(T)`) so that a
//! test states the exact exchange PostgreSQL has (the client is in `protocol/wire.rs`).

mod wire;

use crate::common::gateway::ADMIN_SECRET;
use crate::pg::gateway_with_events;
use wire::{
    bind, describe_portal, execute, flush, parse, query, request, sync, Wire, GSSENC_REQUEST,
    SSL_REQUEST,
};

/// The demo project's `events`, in timestamp order.
const PATHS: &str = "SELECT pathname FROM events ORDER BY timestamp";

#[tokio::test]
async fn gssenc_request_is_refused_with_n_then_startup_or_ssl_proceeds() {
    let gw = gateway_with_events().await;
    // GSSENCRequest, then a StartupMessage on the same socket.
    let mut w = Wire::connect(gw.postgres).await;
    w.send(&[request(GSSENC_REQUEST)]).await;
    assert_eq!(w.read_exact(1).await, b"N");
    w.login("admin", ADMIN_SECRET).await;
    w.send(&[query("SELECT 1")]).await;
    assert_eq!(
        w.until_ready().await,
        [
            "RowDescription(?column?)",
            "DataRow(1)",
            "CommandComplete(SELECT 1)",
            "ReadyForQuery(I)"
        ]
    );

    // GSSENCRequest, then an SSLRequest (refused too: this gateway has no TLS), then startup.
    let mut w = Wire::connect(gw.postgres).await;
    w.send(&[request(GSSENC_REQUEST)]).await;
    assert_eq!(w.read_exact(1).await, b"N");
    w.send(&[request(SSL_REQUEST)]).await;
    assert_eq!(w.read_exact(1).await, b"N");
    w.login("admin", ADMIN_SECRET).await;
    w.send(&[query("SELECT count(*) FROM events")]).await;
    assert_eq!(
        w.until_ready().await,
        [
            "RowDescription(count)",
            "DataRow(3)",
            "CommandComplete(SELECT 1)",
            "ReadyForQuery(I)"
        ]
    );
}

#[tokio::test]
async fn a_portal_suspends_across_syncs_in_a_transaction_and_ends_with_it() {
    let gw = gateway_with_events().await;
    let mut w = Wire::admin(gw.postgres).await;
    w.send(&[query("BEGIN")]).await;
    assert_eq!(
        w.until_ready().await,
        ["CommandComplete(BEGIN)", "ReadyForQuery(T)"]
    );

    // One row at a time; each Sync ends the exchange but not the transaction's portal.
    w.send(&[
        parse("s", PATHS),
        bind("p", "s", &[]),
        execute("p", 1),
        sync(),
    ])
    .await;
    assert_eq!(
        w.until_ready().await,
        [
            "ParseComplete",
            "BindComplete",
            "DataRow(/)",
            "PortalSuspended",
            "ReadyForQuery(T)"
        ]
    );
    // A second portal of the same statement runs on its own.
    w.send(&[bind("q", "s", &[]), execute("q", 2), sync()])
        .await;
    assert_eq!(
        w.until_ready().await,
        [
            "BindComplete",
            "DataRow(/)",
            "DataRow(/checkout)",
            "PortalSuspended",
            "ReadyForQuery(T)"
        ]
    );
    w.send(&[execute("p", 1), sync()]).await;
    assert_eq!(
        w.until_ready().await,
        ["DataRow(/checkout)", "PortalSuspended", "ReadyForQuery(T)"]
    );
    // The rest (max_rows 0): the tag counts this Execute's rows.
    w.send(&[execute("p", 0), sync()]).await;
    assert_eq!(
        w.until_ready().await,
        [
            "DataRow(/pricing)",
            "CommandComplete(SELECT 1)",
            "ReadyForQuery(T)"
        ]
    );
    // A portal run to its end answers no more rows.
    w.send(&[execute("p", 1), sync()]).await;
    assert_eq!(
        w.until_ready().await,
        ["CommandComplete(SELECT 0)", "ReadyForQuery(T)"]
    );

    // COMMIT ends the transaction and its portals; the prepared statement stays.
    w.send(&[query("COMMIT")]).await;
    assert_eq!(
        w.until_ready().await,
        ["CommandComplete(COMMIT)", "ReadyForQuery(I)"]
    );
    w.send(&[execute("q", 1), sync()]).await;
    assert_eq!(
        w.until_ready().await,
        [
            "Error(34000 portal \"q\" does not exist)",
            "ReadyForQuery(I)"
        ]
    );
    w.send(&[bind("q", "s", &[]), execute("q", 0), sync()])
        .await;
    assert_eq!(
        w.until_ready().await,
        [
            "BindComplete",
            "DataRow(/)",
            "DataRow(/checkout)",
            "DataRow(/pricing)",
            "CommandComplete(SELECT 3)",
            "ReadyForQuery(I)"
        ]
    );
}

#[tokio::test]
async fn outside_a_transaction_sync_ends_the_portal() {
    let gw = gateway_with_events().await;
    let mut w = Wire::admin(gw.postgres).await;
    // Without BEGIN, Sync commits the implicit transaction, which closes its portals.
    for portal in ["p", ""] {
        w.send(&[
            parse("", PATHS),
            bind(portal, "", &[]),
            execute(portal, 1),
            sync(),
        ])
        .await;
        assert_eq!(
            w.until_ready().await,
            [
                "ParseComplete",
                "BindComplete",
                "DataRow(/)",
                "PortalSuspended",
                "ReadyForQuery(I)"
            ]
        );
        w.send(&[execute(portal, 1), sync()]).await;
        assert_eq!(
            w.until_ready().await,
            [
                format!("Error(34000 portal \"{portal}\" does not exist)").as_str(),
                "ReadyForQuery(I)"
            ]
        );
    }
}

#[tokio::test]
async fn flush_without_sync_gets_the_answers() {
    let gw = gateway_with_events().await;
    let mut w = Wire::admin(gw.postgres).await;
    w.send(&[
        parse("s", PATHS),
        bind("", "s", &[]),
        describe_portal(""),
        execute("", 0),
        flush(),
    ])
    .await;
    // Every answer arrives although no Sync was sent (each read waits at most WAIT).
    assert_eq!(
        w.recv_n(7).await,
        [
            "ParseComplete",
            "BindComplete",
            "RowDescription(pathname)",
            "DataRow(/)",
            "DataRow(/checkout)",
            "DataRow(/pricing)",
            "CommandComplete(SELECT 3)"
        ]
    );
    // Again, with a bound parameter and a suspended portal, still without Sync.
    w.send(&[
        parse(
            "t",
            "SELECT pathname FROM events WHERE country = $1 ORDER BY pathname",
        ),
        bind("", "t", &["ES"]),
        execute("", 1),
        flush(),
    ])
    .await;
    assert_eq!(
        w.recv_n(4).await,
        [
            "ParseComplete",
            "BindComplete",
            "DataRow(/)",
            "PortalSuspended"
        ]
    );
    // Sync then answers ReadyForQuery only: nothing was held back.
    w.send(&[sync()]).await;
    assert_eq!(w.until_ready().await, ["ReadyForQuery(I)"]);
}

/// `events` rows with `duration_ms` above each threshold: 1200, 0 and 300 ms.
const THRESHOLDS: [(&str, &str); 4] = [("-1", "3"), ("100", "2"), ("500", "1"), ("2000", "0")];
const COUNT_ABOVE: &str = "SELECT count(*) FROM events WHERE duration_ms > $1";

/// `n` Parse/Bind/Execute sequences of COUNT_ABOVE and PostgreSQL's answers to them.
fn counts(n: usize) -> (Vec<Vec<u8>>, Vec<String>) {
    let mut sent = Vec::new();
    let mut answers = Vec::new();
    for i in 0..n {
        let (threshold, count) = THRESHOLDS[i % THRESHOLDS.len()];
        sent.extend([
            parse("", COUNT_ABOVE),
            bind("", "", &[threshold]),
            execute("", 0),
        ]);
        answers.extend([
            "ParseComplete".to_string(),
            "BindComplete".into(),
            format!("DataRow({count})"),
            "CommandComplete(SELECT 1)".into(),
        ]);
    }
    (sent, answers)
}

#[tokio::test]
async fn deep_pipelines_answer_in_order_and_an_error_skips_to_sync() {
    let gw = gateway_with_events().await;
    let mut w = Wire::admin(gw.postgres).await;

    // 60 statements in one write, one Sync.
    let (mut sent, mut want) = counts(60);
    sent.push(sync());
    want.push("ReadyForQuery(I)".into());
    w.send(&sent).await;
    assert_eq!(w.until_ready().await, want);

    // An error at Execute: everything after it up to Sync is skipped.
    let (mut sent, mut want) = counts(10);
    sent.extend([
        parse("", "INSERT INTO events (pathname) VALUES ('x')"),
        bind("", "", &[]),
        execute("", 0),
    ]);
    want.extend([
        "ParseComplete".to_string(),
        "BindComplete".into(),
        "Error(25006 cannot execute INSERT in a read-only transaction)".into(),
    ]);
    sent.extend(counts(10).0);
    sent.push(sync());
    want.push("ReadyForQuery(I)".into());
    w.send(&sent).await;
    assert_eq!(w.until_ready().await, want);

    // An error at Parse (a syntax error): the same, from the Parse on.
    let (mut sent, mut want) = counts(10);
    sent.extend([parse("", "SELEC 1"), bind("", "", &[]), execute("", 0)]);
    want.push("Error(42601 syntax error at or near \"SELEC\")".into());
    sent.extend(counts(10).0);
    sent.push(sync());
    want.push("ReadyForQuery(I)".into());
    w.send(&sent).await;
    assert_eq!(w.until_ready().await, want);

    // Two statements in one Parse: refused at Parse too.
    let (mut sent, mut want) = counts(2);
    sent.extend([
        parse("", "SELECT 1; SELECT 2"),
        bind("", "", &[]),
        execute("", 0),
    ]);
    sent.push(sync());
    want.extend([
        "Error(42601 cannot insert multiple commands into a prepared statement)".to_string(),
        "ReadyForQuery(I)".into(),
    ]);
    w.send(&sent).await;
    assert_eq!(w.until_ready().await, want);

    // Inside a transaction block the error fails the block until ROLLBACK.
    w.send(&[query("BEGIN")]).await;
    assert_eq!(
        w.until_ready().await,
        ["CommandComplete(BEGIN)", "ReadyForQuery(T)"]
    );
    let (mut sent, mut want) = counts(3);
    sent.extend([parse("", "SELEC 1"), sync()]);
    want.extend([
        "Error(42601 syntax error at or near \"SELEC\")".to_string(),
        "ReadyForQuery(E)".into(),
    ]);
    w.send(&sent).await;
    assert_eq!(w.until_ready().await, want);
    w.send(&[query("ROLLBACK")]).await;
    assert_eq!(
        w.until_ready().await,
        ["CommandComplete(ROLLBACK)", "ReadyForQuery(I)"]
    );

    // The connection goes on as before.
    let (mut sent, mut want) = counts(8);
    sent.push(sync());
    want.push("ReadyForQuery(I)".into());
    w.send(&sent).await;
    assert_eq!(w.until_ready().await, want);
}

#[tokio::test]
async fn a_parameter_its_type_cannot_read_fails_the_bind_and_the_block() {
    let gw = gateway_with_events().await;
    let mut w = Wire::admin(gw.postgres).await;
    w.send(&[query("BEGIN")]).await;
    assert_eq!(
        w.until_ready().await,
        ["CommandComplete(BEGIN)", "ReadyForQuery(T)"]
    );
    // PostgreSQL reads the value at Bind: the error comes instead of BindComplete, the
    // Execute is skipped, and the block has failed.
    w.send(&[
        parse("", "SELECT pathname FROM events WHERE duration_ms = $1"),
        bind("", "", &["twelve"]),
        execute("", 0),
        sync(),
    ])
    .await;
    let answer = w.until_ready().await;
    assert_eq!(answer.len(), 3, "{answer:?}");
    assert_eq!(answer[0], "ParseComplete");
    assert!(answer[1].starts_with("Error(22P02 "), "{answer:?}");
    assert!(answer[1].contains("\"twelve\""), "{answer:?}");
    assert_eq!(answer[2], "ReadyForQuery(E)");
    w.send(&[query("ROLLBACK")]).await;
    assert_eq!(
        w.until_ready().await,
        ["CommandComplete(ROLLBACK)", "ReadyForQuery(I)"]
    );
    // A good value binds and runs.
    w.send(&[
        parse("", "SELECT pathname FROM events WHERE duration_ms = $1"),
        bind("", "", &["300"]),
        execute("", 0),
        sync(),
    ])
    .await;
    assert_eq!(
        w.until_ready().await,
        [
            "ParseComplete",
            "BindComplete",
            "DataRow(/pricing)",
            "CommandComplete(SELECT 1)",
            "ReadyForQuery(I)"
        ]
    );
}

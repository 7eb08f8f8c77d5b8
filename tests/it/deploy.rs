//! Deploy against the real ClickHouse: tables with their engine options, quarantine tables,
//! pipes checked with DESCRIBE, idempotence, and clear errors.

use std::sync::Arc;

use pipegate::clickhouse::ClickHouse;
use pipegate::config::ClickHouseConfig;
use pipegate::metrics::Metrics;
use pipegate::project::deploy::{deploy, DeployError};
use pipegate::project::Project;

use crate::common::clickhouse::{clickhouse_url, credentials, test_database, TestDb};
use crate::common::gateway::repo_path;

fn handle(db: &TestDb) -> ClickHouse {
    let (user, password) = credentials();
    let config = ClickHouseConfig {
        url: clickhouse_url(),
        database: db.name.clone(),
        user,
        password,
    };
    ClickHouse::new(&config, Arc::new(Metrics::new()))
}

async fn show_create(ch: &ClickHouse, table: &str) -> String {
    let rows = ch
        .fetch_tsv_in_database(&format!("SHOW CREATE TABLE `{table}`"))
        .await
        .expect("SHOW CREATE TABLE");
    rows.concat().concat()
}

#[tokio::test]
async fn demo_project_deploys_with_engine_options_and_pipe_columns() {
    let db = test_database("deploy_demo").await;
    let ch = handle(&db);
    let project = Project::load(&repo_path("sql")).expect("demo project loads");
    let report = deploy(&project, &ch).await.expect("demo project deploys");

    let mut created = report.created.clone();
    created.sort();
    let expected: Vec<String> = [
        "events",
        "events_quarantine",
        "user_events",
        "user_events_quarantine",
    ]
    .iter()
    .map(|t| format!("{}.{t}", db.name))
    .collect();
    assert_eq!(created, expected);

    let events = show_create(&ch, "events").await;
    for needle in [
        "`timestamp` DateTime64(3)",
        "`event` LowCardinality(String)",
        "`revenue` Nullable(Decimal(10, 2))",
        "`tags` Array(String)",
        "`referrer` String DEFAULT ''",
        "PARTITION BY toYYYYMM(timestamp)",
        "ORDER BY (event, timestamp, pathname)",
        "TTL toDateTime(timestamp) + toIntervalDay(365)",
        "non_replicated_deduplication_window = 1000",
        "index_granularity = 8192",
    ] {
        assert!(events.contains(needle), "{needle:?} not in:\n{events}");
    }
    let quarantine = show_create(&ch, "events_quarantine").await;
    for needle in [
        "`timestamp` Nullable(String)",
        "`c__error_column` Array(String)",
        "`c__error` Array(String)",
        "`c__import_id` Nullable(String)",
        "`insertion_date` DateTime",
    ] {
        assert!(
            quarantine.contains(needle),
            "{needle:?} not in:\n{quarantine}"
        );
    }

    assert_eq!(
        report.pipes["top_pages"],
        vec![
            ("pathname".to_string(), "String".to_string()),
            ("views".to_string(), "UInt64".to_string()),
            ("visitors".to_string(), "UInt64".to_string()),
        ]
    );
    let kpis: Vec<&str> = report.pipes["kpis"]
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        kpis,
        [
            "date",
            "visitors",
            "visits",
            "pageviews",
            "bounce_rate",
            "avg_session_s"
        ]
    );
    let agg: Vec<&str> = report.pipes["aggregate_user_events"]
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        agg,
        [
            "user_id",
            "event_type",
            "event_count",
            "unique_events",
            "first_event",
            "last_event",
            "avg_payload_size"
        ]
    );
}

#[tokio::test]
async fn deploying_an_unchanged_project_again_changes_nothing() {
    let db = test_database("deploy_again").await;
    let ch = handle(&db);
    let project = Project::load(&repo_path("sql")).expect("loads");
    let first = deploy(&project, &ch).await.expect("first deploy");
    assert_eq!(first.created.len(), 4);
    let before = show_create(&ch, "events").await;

    let second = deploy(&project, &ch).await.expect("second deploy");
    assert!(second.created.is_empty(), "{second}");
    assert!(second.created_database.is_none());
    assert_eq!(second.unchanged.len(), 4, "{second}");
    assert_eq!(show_create(&ch, "events").await, before);
}

#[tokio::test]
async fn a_changed_schema_is_a_clear_error() {
    let db = test_database("deploy_changed").await;
    let ch = handle(&db);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("clicks.datasource");
    std::fs::write(
        &file,
        "SCHEMA >\n    `ts` DateTime `json:$.ts`,\n    `n` UInt8 `json:$.n`\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"ts\"\n",
    )
    .expect("write");
    deploy(&Project::load(dir.path()).expect("loads"), &ch)
        .await
        .expect("first deploy");

    std::fs::write(
        &file,
        "SCHEMA >\n    `ts` DateTime `json:$.ts`,\n    `n` UInt16 `json:$.n`,\n    `m` String `json:$.m`\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"ts\"\n",
    )
    .expect("rewrite");
    let err = deploy(&Project::load(dir.path()).expect("loads"), &ch)
        .await
        .expect_err("changed schema must fail");
    assert!(matches!(err, DeployError::SchemaChanged { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("clicks.datasource:1: datasource clicks"),
        "{msg}"
    );
    assert!(
        msg.contains("column n is UInt8, the datafile says UInt16"),
        "{msg}"
    );
    assert!(
        msg.contains("column m is in the datafile, not in the table"),
        "{msg}"
    );
    assert!(
        msg.contains("drop the table or revert the datafile"),
        "{msg}"
    );

    // Only the sorting key changes: the columns match, so the message says what else differs.
    std::fs::write(
        &file,
        "SCHEMA >\n    `ts` DateTime `json:$.ts`,\n    `n` UInt8 `json:$.n`\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"n, ts\"\n",
    )
    .expect("rewrite");
    let err = deploy(&Project::load(dir.path()).expect("loads"), &ch)
        .await
        .expect_err("changed key must fail");
    assert!(
        err.to_string()
            .contains("the engine, keys, TTL or settings differ"),
        "{err}"
    );
}

#[tokio::test]
async fn the_guide_pipe_as_written_is_refused_with_its_location() {
    let db = test_database("deploy_guide").await;
    let ch = handle(&db);
    let project = Project::load(&repo_path("tests/projects/guide")).expect("guide loads");
    let err = deploy(&project, &ch)
        .await
        .expect_err("ClickHouse refuses it");
    let msg = err.to_string();
    assert!(
        msg.contains("aggregate_user_events.pipe:") && msg.contains("pipe aggregate_user_events"),
        "{msg}"
    );
    assert!(
        msg.contains("NOT_AN_AGGREGATE") || msg.contains("error 215"),
        "{msg}"
    );
    // The tables were still created: a broken pipe does not undo the datasources.
    let tables = ch
        .fetch_tsv_in_database("EXISTS TABLE user_events")
        .await
        .expect("exists");
    assert_eq!(tables, vec![vec!["1".to_string()]]);
}

#[tokio::test]
async fn a_pipe_reading_an_unknown_table_fails_deploy() {
    let db = test_database("deploy_badpipe").await;
    let ch = handle(&db);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("broken.pipe"),
        "NODE n\nSQL >\n    SELECT * FROM nowhere\n\nTYPE endpoint\n",
    )
    .expect("write");
    let err = deploy(&Project::load(dir.path()).expect("loads"), &ch)
        .await
        .expect_err("must fail");
    let msg = err.to_string();
    assert!(msg.contains("broken.pipe:3: pipe broken"), "{msg}");
    assert!(msg.contains("ClickHouse error 60"), "{msg}");
}

#[test]
fn the_demo_pipe_is_the_guides_text_but_for_the_group_by() {
    let guide =
        std::fs::read_to_string(repo_path("tests/projects/guide/aggregate_user_events.pipe"))
            .expect("guide pipe");
    let demo = std::fs::read_to_string(repo_path("sql/aggregate_user_events.pipe")).expect("demo");
    let demo_body: String = demo
        .lines()
        .skip_while(|l| l.starts_with('#') || l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        demo_body,
        guide.replace(
            "    GROUP BY user_id\n",
            "    GROUP BY user_id, event_type\n"
        )
    );
    assert_ne!(demo_body, guide, "the one change is there");
}

use std::path::Path;

use super::*;
use crate::project::jsonpath::Segment;

fn parse(text: &str) -> Result<Datasource, Vec<String>> {
    Datasource::parse(Path::new("ds/events.datasource"), text)
        .map_err(|es| es.into_iter().map(|e| e.to_string()).collect())
}

const EVENTS: &str = r#"DESCRIPTION >
    Events, one per row.

SCHEMA >
    `timestamp` DateTime64(3, 'UTC') `json:$.timestamp`,
    `user_id` String `json:$.user.id`,
    `kind` LowCardinality(String) DEFAULT 'view' `json:$.kind`,
    `amount` Nullable(Decimal(10, 2)) CODEC(ZSTD(1)) `json:$.amount`,
    `tags` Array(String) `json:$.tags[:]`,
    `note` String DEFAULT concat('a, b', toString(1))

ENGINE "ReplacingMergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "timestamp, user_id"
ENGINE_PRIMARY_KEY "timestamp"
ENGINE_TTL "toDateTime(timestamp) + toIntervalDay(90)"
ENGINE_VER "timestamp"
ENGINE_SETTINGS "index_granularity = 4096"
TOKEN "ev_append" APPEND
TOKEN ev_read READ
"#;

#[test]
fn parses_every_part() {
    let ds = parse(EVENTS).expect("parses");
    assert_eq!(ds.name, "events");
    assert_eq!(ds.description.as_deref(), Some("Events, one per row."));
    let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["timestamp", "user_id", "kind", "amount", "tags", "note"]
    );
    assert_eq!(ds.columns[0].ty.to_string(), "DateTime64(3, 'UTC')");
    assert_eq!(ds.columns[0].line, 5);
    assert_eq!(ds.columns[2].default.as_deref(), Some("'view'"));
    assert_eq!(ds.columns[3].codec.as_deref(), Some("ZSTD(1)"));
    assert_eq!(ds.columns[3].ty.to_string(), "Nullable(Decimal(10, 2))");
    assert_eq!(
        ds.columns[4].json_path.as_ref().map(|p| p.segments.clone()),
        Some(vec![Segment::Key("tags".into()), Segment::AllItems])
    );
    assert_eq!(
        ds.columns[5].default.as_deref(),
        Some("concat('a, b', toString(1))")
    );
    assert_eq!(ds.columns[5].json_path, None);
    assert_eq!(ds.engine.name, "ReplacingMergeTree");
    assert_eq!(ds.engine.ver.as_deref(), Some("timestamp"));
    assert_eq!(ds.tokens.len(), 2);
    assert_eq!(ds.tokens[0].name, "ev_append");
    assert_eq!(ds.tokens[0].access, crate::project::Access::Append);
}

#[test]
fn generates_the_table_ddl() {
    let ds = parse(EVENTS).expect("parses");
    assert_eq!(
        ds.create_table_sql("db"),
        "CREATE TABLE IF NOT EXISTS `db`.`events`
(
    `timestamp` DateTime64(3, 'UTC'),
    `user_id` String,
    `kind` LowCardinality(String) DEFAULT 'view',
    `amount` Nullable(Decimal(10, 2)) CODEC(ZSTD(1)),
    `tags` Array(String),
    `note` String DEFAULT concat('a, b', toString(1))
)
ENGINE = ReplacingMergeTree(timestamp)
PARTITION BY toYYYYMM(timestamp)
PRIMARY KEY (timestamp)
ORDER BY (timestamp, user_id)
TTL toDateTime(timestamp) + toIntervalDay(90)
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 4096"
    );
}

#[test]
fn generates_the_quarantine_ddl() {
    let ds = parse("SCHEMA >\n    `a` Int32 `json:$.a`\n").expect("parses");
    assert_eq!(
        ds.quarantine_table_sql("db"),
        "CREATE TABLE IF NOT EXISTS `db`.`events_quarantine`
(
    `a` Nullable(String),
    `c__error_column` Array(String),
    `c__error` Array(String),
    `c__import_id` Nullable(String),
    `insertion_date` DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY insertion_date
SETTINGS non_replicated_deduplication_window = 1000"
    );
}

#[test]
fn defaults_and_other_engines() {
    let ds = parse("SCHEMA >\n    a Int32\n").expect("bare names and no engine");
    assert_eq!(
        ds.create_table_sql("d"),
        "CREATE TABLE IF NOT EXISTS `d`.`events`\n(\n    `a` Int32\n)\nENGINE = MergeTree()\nORDER BY tuple()\nSETTINGS non_replicated_deduplication_window = 1000"
    );
    let ds = parse("SCHEMA >\n    a Int32,\n    s Int8\nENGINE \"VersionedCollapsingMergeTree\"\nENGINE_SIGN \"s\"\nENGINE_VERSION \"a\"\nENGINE_SORTING_KEY \"a\"\nENGINE_SETTINGS \"non_replicated_deduplication_window = 10\"\n").expect("parses");
    let sql = ds.create_table_sql("d");
    assert!(
        sql.contains("ENGINE = VersionedCollapsingMergeTree(s, a)"),
        "{sql}"
    );
    assert!(
        sql.ends_with("SETTINGS non_replicated_deduplication_window = 10"),
        "{sql}"
    );
    let ds = parse("SCHEMA >\n    a Int32\nENGINE \"Null\"\n").expect("parses");
    assert_eq!(
        ds.create_table_sql("d"),
        "CREATE TABLE IF NOT EXISTS `d`.`events`\n(\n    `a` Int32\n)\nENGINE = Null"
    );
}

#[test]
fn errors_name_the_line_and_what_to_do() {
    let cases: &[(&str, &str)] = &[
        ("SCHEMA >\n    `ts` DateTim64(3) `json:$.ts`\n", "ds/events.datasource:2: column ts: unknown type DateTim64 (did you mean DateTime64?)"),
        ("SCHEMA >\n    `a` Int32 `json:$.a`\nENGIN \"MergeTree\"\n", "ds/events.datasource:3: unknown directive ENGIN in a .datasource file (did you mean ENGINE?)"),
        ("ENGINE \"MergeTree\"\n", "ds/events.datasource:1: missing SCHEMA block: declare the columns under `SCHEMA >`"),
        ("SCHEMA >\n    `a` Int32 `json:$.a`\nENGINE \"Log\"\n", "ds/events.datasource:3: unsupported ENGINE \"Log\": use one of MergeTree, ReplacingMergeTree, SummingMergeTree, AggregatingMergeTree, CollapsingMergeTree, VersionedCollapsingMergeTree, Null"),
        ("SCHEMA >\n    `a` Int32 `json:$.a`,\n    `b` String\n", "ds/events.datasource:3: column b has no JSONPath while others do: add `json:$.…` or a DEFAULT"),
        ("SCHEMA >\n    `a` Int32 `json:a`\n", "ds/events.datasource:2: column a: bad JSONPath \"a\": a JSONPath starts with $"),
        ("SCHEMA >\n    `a` Int32,\n    `a` String\n", "ds/events.datasource:3: duplicate column a"),
        ("SCHEMA >\n    `a` Int32,\n\n    ,\n    `b` Int8\n", "ds/events.datasource:4: empty column definition (a stray comma?)"),
        ("SCHEMA >\n    `a`\n", "ds/events.datasource:2: column a has no type"),
        ("SCHEMA >\n    `a` Int32 MATERIALIZED 1\n", "ds/events.datasource:2: column a: MATERIALIZED columns are not supported in a datasource; compute them in a pipe"),
        ("SCHEMA >\n    `a` Int32\nTOKEN t WRITE\n", "ds/events.datasource:3: token t: unknown access WRITE: use READ or APPEND"),
        ("SCHEMA >\n    `a` Int32\nTOKEN \"bad-name\" READ\n", "ds/events.datasource:3: token name \"bad-name\" must be letters, digits and underscores: it is the Postgres user name"),
        ("SCHEMA >\n    `a` Int32\nENGINE \"CollapsingMergeTree\"\n", "ds/events.datasource:1: ENGINE CollapsingMergeTree needs ENGINE_SIGN"),
        ("SCHEMA \"a Int32\"\n", "ds/events.datasource:1: SCHEMA must be a block: write `SCHEMA >` and the columns indented below"),
        ("SCHEMA >\n    `1a` Int32\n", "ds/events.datasource:2: column name \"1a\" must be letters, digits and underscores, not starting with a digit"),
    ];
    for (text, want) in cases {
        let errs = parse(text).expect_err(text);
        assert!(
            errs.iter().any(|e| e == want),
            "for {text:?}\nwant {want}\n got {errs:#?}"
        );
    }
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let errs =
        parse("SCHEMA >\n    `a` Strng `json:$.a`,\n    `b` Int33 `json:$.b`\nENGIN \"x\"\n")
            .expect_err("three errors");
    assert_eq!(errs.len(), 3, "{errs:#?}");
}

#[test]
fn no_input_panics() {
    for text in [
        "SCHEMA >",
        "SCHEMA >\n    `",
        "SCHEMA >\n    `a` Int32 `json:",
        "SCHEMA >\n    `a` Int32 CODEC(",
        "SCHEMA >\n    (((",
        "\u{0}\n\t",
        "TOKEN",
        "TOKEN \"",
        "ENGINE_TTL >\n",
    ] {
        let _ = parse(text);
    }
}

use std::path::Path;

use super::*;
use crate::clickhouse::types::ChType;
use crate::project::{Access, Segment};

fn parse(text: &str) -> Result<Datasource, Vec<String>> {
    Datasource::parse(Path::new("ds/events.datasource"), text)
        .map_err(|ProjectErrors(es)| es.into_iter().map(|e| e.to_string()).collect())
}

fn ddl(text: &str) -> String {
    parse(text)
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .create_table_sql("db")
}

const EVENTS: &str = r#"# Events, as the tracking snippet posts them.
DESCRIPTION >
    Events, one per row.

SCHEMA >
    `timestamp` DateTime64(3, 'UTC') `json:$.timestamp`,
    `user_id` String `json:$.user.id`,
    `kind` LowCardinality(String) `json:$.kind` DEFAULT 'view',
    `amount` Nullable(Decimal(10, 2)) CODEC(ZSTD(1)) `json:$.amount`,
    `tags` Array(String) `json:$.tags[:]`,
    `note` String DEFAULT concat('a, b', toString(1))

ENGINE "ReplacingMergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "timestamp, user_id"
ENGINE_PRIMARY_KEY "timestamp"
ENGINE_TTL "toDateTime(timestamp) + toIntervalDay(90)"
ENGINE_VER "timestamp"
ENGINE_SETTINGS "index_granularity=4096, ttl_only_drop_parts=1"
TOKEN "ev_append" APPEND -- the tracking snippet
TOKEN ev_read READ
TAGS "web"
"#;

#[test]
fn parses_every_part() {
    let ds = parse(EVENTS).expect("parses");
    assert_eq!(ds.name, "events");
    assert_eq!(ds.schema_line, 5);
    assert_eq!(ds.description.as_deref(), Some("Events, one per row."));
    let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["timestamp", "user_id", "kind", "amount", "tags", "note"]
    );
    assert_eq!(ds.columns[0].ty, ChType::DateTime64(3, Some("UTC".into())));
    assert_eq!(ds.columns[0].line, 6);
    assert_eq!(ds.columns[5].line, 11);
    assert_eq!(ds.columns[2].default.as_deref(), Some("'view'"));
    assert_eq!(ds.columns[3].codec.as_deref(), Some("ZSTD(1)"));
    assert_eq!(ds.columns[3].ty.to_string(), "Nullable(Decimal(10, 2))");
    assert_eq!(
        ds.columns[1].json_path.as_ref().map(|p| p.segments.clone()),
        Some(vec![Segment::Key("user".into()), Segment::Key("id".into())])
    );
    assert_eq!(
        ds.columns[4].json_path.as_ref().map(|p| p.segments.clone()),
        Some(vec![Segment::Key("tags".into()), Segment::AllItems])
    );
    assert_eq!(
        ds.columns[5].default.as_deref(),
        Some("concat('a, b', toString(1))")
    );
    assert_eq!(ds.columns[5].json_path, None);
    let e = &ds.engine;
    assert_eq!(e.kind, EngineKind::ReplacingMergeTree);
    assert_eq!(e.partition_key.as_deref(), Some("toYYYYMM(timestamp)"));
    assert_eq!(e.sorting_key.as_deref(), Some("timestamp, user_id"));
    assert_eq!(e.primary_key.as_deref(), Some("timestamp"));
    assert_eq!(
        e.ttl.as_deref(),
        Some("toDateTime(timestamp) + toIntervalDay(90)")
    );
    assert_eq!(e.ver.as_deref(), Some("timestamp"));
    assert_eq!(
        e.settings,
        [
            ("index_granularity".to_string(), "4096".to_string()),
            ("ttl_only_drop_parts".to_string(), "1".to_string())
        ]
    );
    assert_eq!(ds.tokens.len(), 2);
    assert_eq!(ds.tokens[0].name, "ev_append");
    assert_eq!(ds.tokens[0].access, Access::Append);
    assert_eq!(ds.tokens[0].line, 20);
    assert_eq!(ds.tokens[1].access, Access::Read);
}

#[test]
fn inline_description_and_bare_names() {
    let ds = parse("DESCRIPTION \"Just numbers\"\nSCHEMA >\n    a Int32,\n    b UInt8\n")
        .expect("parses");
    assert_eq!(ds.description.as_deref(), Some("Just numbers"));
    assert_eq!(ds.columns.len(), 2);
    assert_eq!(ds.engine, Engine::default());
}

#[test]
fn generates_the_table_ddl() {
    assert_eq!(
        ddl(EVENTS),
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
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 4096, ttl_only_drop_parts = 1"
    );
}

#[test]
fn generates_the_quarantine_ddl() {
    let ds =
        parse("SCHEMA >\n    `a` Int32 `json:$.a`,\n    `b` String `json:$.b`\n").expect("parses");
    assert_eq!(ds.quarantine_name(), "events_quarantine");
    assert_eq!(
        ds.quarantine_table_sql("db"),
        "CREATE TABLE IF NOT EXISTS `db`.`events_quarantine`
(
    `a` Nullable(String),
    `b` Nullable(String),
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
fn ddl_for_each_engine() {
    assert_eq!(
        ddl("SCHEMA >\n    a Int32\n"),
        "CREATE TABLE IF NOT EXISTS `db`.`events`\n(\n    `a` Int32\n)\nENGINE = MergeTree()\nORDER BY tuple()\nSETTINGS non_replicated_deduplication_window = 1000"
    );
    let tail = |text: &str| {
        let sql = ddl(text);
        sql[sql.find("ENGINE").unwrap_or(0)..].to_string()
    };
    assert_eq!(
        tail("SCHEMA >\n    a Int32,\n    v UInt32,\n    d UInt8\nENGINE \"ReplacingMergeTree\"\nENGINE_SORTING_KEY \"a\"\nENGINE_VER \"v\"\nENGINE_IS_DELETED \"d\"\n"),
        "ENGINE = ReplacingMergeTree(v, d)\nORDER BY (a)\nSETTINGS non_replicated_deduplication_window = 1000"
    );
    assert_eq!(
        tail("SCHEMA >\n    a Int32,\n    b Int64,\n    c Int64\nENGINE SummingMergeTree\nENGINE_SORTING_KEY a\nENGINE_SUMMING_COLUMNS \"b, c\"\n"),
        "ENGINE = SummingMergeTree((b, c))\nORDER BY (a)\nSETTINGS non_replicated_deduplication_window = 1000"
    );
    assert_eq!(
        tail("SCHEMA >\n    a Int32,\n    b Int64\nENGINE \"SummingMergeTree\"\nENGINE_SORTING_KEY \"a\"\nENGINE_SUMMING_COLUMNS \"b\"\n"),
        "ENGINE = SummingMergeTree(b)\nORDER BY (a)\nSETTINGS non_replicated_deduplication_window = 1000"
    );
    assert_eq!(
        tail("SCHEMA >\n    a Int32,\n    s Int8\nENGINE \"CollapsingMergeTree\"\nENGINE_SORTING_KEY \"a\"\nENGINE_SIGN \"s\"\n"),
        "ENGINE = CollapsingMergeTree(s)\nORDER BY (a)\nSETTINGS non_replicated_deduplication_window = 1000"
    );
    assert_eq!(
        tail("SCHEMA >\n    a Int32,\n    s Int8\nENGINE \"VersionedCollapsingMergeTree\"\nENGINE_SIGN \"s\"\nENGINE_VERSION \"a\"\nENGINE_SORTING_KEY \"(a)\"\nENGINE_SETTINGS \"non_replicated_deduplication_window = 10\"\n"),
        "ENGINE = VersionedCollapsingMergeTree(s, a)\nORDER BY (a)\nSETTINGS non_replicated_deduplication_window = 10"
    );
    assert_eq!(
        tail("SCHEMA >\n    a Int32\nENGINE \"AggregatingMergeTree\"\nENGINE_SORTING_KEY \"tuple()\"\n"),
        "ENGINE = AggregatingMergeTree()\nORDER BY tuple()\nSETTINGS non_replicated_deduplication_window = 1000"
    );
    assert_eq!(
        tail("SCHEMA >\n    a Int32\nENGINE \"Null\"\n"),
        "ENGINE = Null"
    );
}

#[test]
fn odd_names_are_quoted_in_ddl() {
    let ds = Datasource::parse(
        Path::new("p/_x1.datasource"),
        "SCHEMA >\n    `select` Int32\n",
    )
    .expect("parses");
    assert!(ds
        .create_table_sql("we`ird")
        .starts_with("CREATE TABLE IF NOT EXISTS `we\\`ird`.`_x1`\n(\n    `select` Int32\n)"));
}

#[test]
fn errors_name_the_line_and_what_to_do() {
    let cases: &[(&str, &str)] = &[
        ("SCHEMA >\n    `ts` DateTim64(3) `json:$.ts`\n", "ds/events.datasource:2: column `ts`: unknown type DateTim64 (did you mean DateTime64?)"),
        ("SCHEMA >\n    `a` Int32\nENGIN \"MergeTree\"\n", "ds/events.datasource:3: unknown directive ENGIN (did you mean ENGINE?)"),
        ("SCHEMA >\n    `a` Int32\nSORTING_KEY \"a\"\n", "ds/events.datasource:3: unknown directive SORTING_KEY: a .datasource file takes DESCRIPTION, SCHEMA, ENGINE, ENGINE_SORTING_KEY, ENGINE_PARTITION_KEY, ENGINE_PRIMARY_KEY, ENGINE_TTL, ENGINE_VER, ENGINE_IS_DELETED, ENGINE_SIGN, ENGINE_VERSION, ENGINE_SUMMING_COLUMNS, ENGINE_SETTINGS, TOKEN, TAGS"),
        ("SCHEMA >\n    `a` Int32\nb Int8\n", "ds/events.datasource:3: unknown directive b: if the line belongs to the block above, indent it"),
        ("ENGINE \"MergeTree\"\n", "ds/events.datasource:1: missing SCHEMA block: declare the columns under `SCHEMA >`"),
        ("SCHEMA >\n    `a` Int32\nSCHEMA >\n    `b` Int32\n", "ds/events.datasource:3: SCHEMA is given twice (first on line 1)"),
        ("SCHEMA >\n    `a` Int32\nENGINE \"Log\"\n", "ds/events.datasource:3: unsupported ENGINE \"Log\": use one of MergeTree, ReplacingMergeTree, SummingMergeTree, AggregatingMergeTree, CollapsingMergeTree, VersionedCollapsingMergeTree, Null"),
        ("SCHEMA >\n    `a` Int32 `json:$.a`,\n    `b` String\n", "ds/events.datasource:3: column `b` has no JSONPath while others do: add `json:$.b` or a DEFAULT"),
        ("SCHEMA >\n    `a` Int32 `json:a`\n", "ds/events.datasource:2: column `a`: bad JSONPath a: a JSONPath starts with $, as in $.name"),
        ("SCHEMA >\n    `a` Int32,\n    `a` String\n", "ds/events.datasource:3: duplicate column `a` (first declared on line 2)"),
        ("SCHEMA >\n    `a` Int32,\n\n    ,\n    `b` Int8\n", "ds/events.datasource:4: empty column definition (a stray comma?)"),
        ("SCHEMA >\n    `a`\n", "ds/events.datasource:2: column `a` has no type: write `a` Type"),
        ("SCHEMA >\n    `a` Int32 MATERIALIZED 1\n", "ds/events.datasource:2: column `a`: MATERIALIZED columns are not supported in a datasource; compute the value in a pipe"),
        ("SCHEMA >\n    `a` Int32\nTOKEN t WRITE\n", "ds/events.datasource:3: token t: unknown access WRITE: use READ or APPEND"),
        ("SCHEMA >\n    `a` Int32\nTOKEN \"bad-name\" READ\n", "ds/events.datasource:3: token name \"bad-name\" must be letters, digits and underscores, not starting with a digit: it is the Postgres user name"),
        ("SCHEMA >\n    `a` Int32\nENGINE \"CollapsingMergeTree\"\n", "ds/events.datasource:3: ENGINE CollapsingMergeTree needs ENGINE_SIGN"),
        ("SCHEMA >\n    `a` Int32\nENGINE \"VersionedCollapsingMergeTree\"\nENGINE_SIGN \"a\"\n", "ds/events.datasource:3: ENGINE VersionedCollapsingMergeTree needs ENGINE_VERSION"),
        ("SCHEMA >\n    `a` Int32\nENGINE_VER \"a\"\n", "ds/events.datasource:3: ENGINE_VER does not apply to ENGINE MergeTree: it is for ReplacingMergeTree"),
        ("SCHEMA >\n    `a` Int32\nENGINE \"Null\"\nENGINE_SORTING_KEY \"a\"\n", "ds/events.datasource:4: ENGINE_SORTING_KEY does not apply to ENGINE Null: a Null table stores nothing"),
        ("SCHEMA >\n    `a` Int32\nENGINE \"ReplacingMergeTree\"\nENGINE_IS_DELETED \"a\"\n", "ds/events.datasource:4: ENGINE_IS_DELETED needs ENGINE_VER as well"),
        ("SCHEMA >\n    `a` Int32\nENGINE \"ReplacingMergeTree\"\nENGINE_VER \"version\"\n", "ds/events.datasource:4: ENGINE_VER: there is no column `version` in SCHEMA"),
        ("SCHEMA >\n    `a` Int32\nENGINE_SORTING_KEY \"a, ts\"\n", "ds/events.datasource:3: ENGINE_SORTING_KEY: there is no column `ts` in SCHEMA"),
        ("SCHEMA >\n    `a` Int32\nENGINE_TTL \"\"\n", "ds/events.datasource:3: ENGINE_TTL needs a value"),
        ("SCHEMA >\n    `a` Int32\nENGINE_SETTINGS \"index_granularity\"\n", "ds/events.datasource:3: ENGINE_SETTINGS: expected `name = value`, found \"index_granularity\""),
        ("SCHEMA \"a Int32\"\n", "ds/events.datasource:1: SCHEMA must be a block: write `SCHEMA >` and the columns indented below"),
        ("SCHEMA >\n    `1a` Int32\n", "ds/events.datasource:2: column name \"1a\" must be letters, digits and underscores, not starting with a digit"),
        ("SCHEMA >\n    `a` Int32\nKAFKA_TOPIC events\n", "ds/events.datasource:3: KAFKA_TOPIC is a Tinybird feature pipegate does not support yet; remove it"),
        ("SCHEMA >\n    `a` Int32\nINDEXES >\n    i a TYPE minmax GRANULARITY 1\n", "ds/events.datasource:3: INDEXES is a Tinybird feature pipegate does not support yet; remove it"),
    ];
    for (text, want) in cases {
        let errs = parse(text).expect_err(text);
        assert_eq!(errs, [want.to_string()], "for {text:?}");
    }
}

#[test]
fn sorting_keys_that_are_expressions_are_not_checked() {
    let ds = parse("SCHEMA >\n    ts DateTime\nENGINE_SORTING_KEY \"toDate(ts), cityHash64(ts)\"\nENGINE_PRIMARY_KEY \"(toDate(ts))\"\n")
        .expect("parses");
    assert_eq!(
        ds.engine.sorting_key.as_deref(),
        Some("toDate(ts), cityHash64(ts)")
    );
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let errs = parse(
        "SCHEMA >\n    `a` Strng `json:$.a`,\n    `b` Int33 `json:$.b`\nENGIN \"x\"\nTOKEN t\n",
    )
    .expect_err("four errors");
    assert_eq!(
        errs,
        [
            "ds/events.datasource:2: column `a`: unknown type Strng (did you mean String?)",
            "ds/events.datasource:3: column `b`: unknown type Int33 (did you mean Int32?)",
            "ds/events.datasource:4: unknown directive ENGIN (did you mean ENGINE?)",
            "ds/events.datasource:5: token t needs its access: READ or APPEND",
        ]
    );
}

#[test]
fn no_input_panics() {
    for text in [
        "SCHEMA >",
        "SCHEMA >\n    `",
        "SCHEMA >\n    `a` Int32 `json:",
        "SCHEMA >\n    `a` Int32 CODEC(",
        "SCHEMA >\n    (((",
        "SCHEMA >\n    a Int8\nENGINE_SORTING_KEY \"(((\"\n",
        "SCHEMA >\n    a Int8\nENGINE_SETTINGS \"=\"\n",
        "\u{0}\n\t",
        "TOKEN",
        "TOKEN \"",
        "ENGINE_TTL >\n",
        "SCHEMA >\n\u{3000}a Int8\n",
        "SCHEMA >\n    a Int8 DEFAULT 'é\\",
    ] {
        let _ = parse(text);
    }
}

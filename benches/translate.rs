//! Parse and translate: the gateway's own share of a data query's latency, measured through
//! the functions the query path calls (`query::classify::classify` tokenizes, parses and
//! classifies; `translate::translate` rewrites and renders). Each query is
//! the kind of SQL a BI tool generates against the demo project in `sql/` (Metabase's
//! quoted, fully qualified names and `date_trunc` buckets, Superset's time-series
//! subqueries, an analyst's window and CTE queries). The goal (issue 4) is at most 50 µs
//! p50 per query, parse included; criterion's report gives the median per query.
//!
//! Run with `cargo bench --bench translate`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use pipegate::auth::{Principal, Scope};
use pipegate::project::Project;
use pipegate::query::classify::{classify, Kind};
use pipegate::translate::{translate, Env};
use sqlparser::ast::Statement;

/// (name, SQL): realistic generated queries.
const QUERIES: &[(&str, &str)] = &[
    (
        "metabase_count_by_month",
        r#"SELECT CAST(date_trunc('month', "public"."events"."timestamp") AS date) AS "timestamp", count(*) AS "count" FROM "public"."events" GROUP BY CAST(date_trunc('month', "public"."events"."timestamp") AS date) ORDER BY CAST(date_trunc('month', "public"."events"."timestamp") AS date) ASC"#,
    ),
    (
        "metabase_filtered_table",
        r#"SELECT "public"."events"."timestamp" AS "timestamp", "public"."events"."session_id" AS "session_id", "public"."events"."event" AS "event", "public"."events"."pathname" AS "pathname", "public"."events"."country" AS "country", "public"."events"."revenue" AS "revenue" FROM "public"."events" WHERE ("public"."events"."event" = 'purchase') AND ("public"."events"."timestamp" >= timestamp with time zone '2026-01-01 00:00:00.000Z') AND ("public"."events"."timestamp" < timestamp with time zone '2026-02-01 00:00:00.000Z') LIMIT 2000"#,
    ),
    (
        "metabase_sum_by_country_top10",
        r#"SELECT "public"."events"."country" AS "country", sum("public"."events"."revenue") AS "sum", count(distinct "public"."events"."visitor_id") AS "count" FROM "public"."events" WHERE "public"."events"."revenue" IS NOT NULL GROUP BY "public"."events"."country" ORDER BY "sum" DESC, "public"."events"."country" ASC LIMIT 10"#,
    ),
    (
        "metabase_distinct_values",
        r#"SELECT "public"."events"."device" AS "device" FROM "public"."events" GROUP BY "public"."events"."device" ORDER BY "public"."events"."device" ASC LIMIT 1000"#,
    ),
    (
        "superset_timeseries",
        r#"SELECT date_trunc('day', "timestamp") AS __timestamp, "event" AS "event", COUNT(*) AS "count" FROM public.events JOIN (SELECT "event" AS "event__", COUNT(*) AS "mme_inner__" FROM public.events WHERE "timestamp" >= TO_TIMESTAMP('2026-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') AND "timestamp" < TO_TIMESTAMP('2026-03-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') GROUP BY "event" ORDER BY "mme_inner__" DESC LIMIT 5) AS anon_1 ON "event" = "event__" WHERE "timestamp" >= TO_TIMESTAMP('2026-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') AND "timestamp" < TO_TIMESTAMP('2026-03-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') GROUP BY date_trunc('day', "timestamp"), "event" ORDER BY "count" DESC LIMIT 10000"#,
    ),
    (
        "superset_big_number",
        r#"SELECT SUM(revenue) AS "SUM(revenue)" FROM public.events WHERE "timestamp" >= TO_TIMESTAMP('2026-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') LIMIT 50000"#,
    ),
    (
        "analyst_cte_window",
        r#"WITH daily AS (SELECT date_trunc('day', "timestamp") AS day, pathname, count(*) AS views FROM events WHERE event = 'page_view' GROUP BY 1, 2) SELECT day, pathname, views, rank() OVER (PARTITION BY day ORDER BY views DESC) AS rnk, sum(views) OVER (PARTITION BY pathname ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS views_7d FROM daily ORDER BY day, rnk LIMIT 100"#,
    ),
    (
        "analyst_funnel_filter",
        r#"SELECT country, count(*) FILTER (WHERE event = 'page_view') AS views, count(*) FILTER (WHERE event = 'purchase') AS purchases, round(100.0 * count(*) FILTER (WHERE event = 'purchase') / nullif(count(*) FILTER (WHERE event = 'page_view'), 0), 2) AS conversion FROM events GROUP BY ROLLUP (country) HAVING count(*) > 10 ORDER BY conversion DESC NULLS LAST"#,
    ),
    (
        "analyst_join_subquery",
        r#"SELECT e.visitor_id, max(e."timestamp") AS last_seen, coalesce(sum(e.revenue), 0) AS revenue FROM events e LEFT JOIN user_events u ON u.user_id = e.visitor_id WHERE e.visitor_id IN (SELECT visitor_id FROM events WHERE event = 'purchase') AND lower(e.country) <> 'us' GROUP BY e.visitor_id ORDER BY revenue DESC LIMIT 50"#,
    ),
    (
        "analyst_text_functions",
        r#"SELECT split_part(pathname, '/', 2) AS section, string_agg(DISTINCT device, ', ' ORDER BY device) AS devices, percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90 FROM events WHERE pathname ~ '^/(blog|docs)/' AND referrer NOT ILIKE '%example.com%' GROUP BY 1 ORDER BY 1"#,
    ),
];

fn project() -> Project {
    Project::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sql"))
        .expect("the demo project loads")
}

/// The data query in `sql`, as the query path reads it.
fn parse(sql: &str) -> Statement {
    let mut classified = classify(sql).expect("parses");
    let one = classified.remove(0);
    assert!(matches!(one.kind, Kind::Data), "a data query");
    *one.statement.expect("a statement")
}

fn bench(c: &mut Criterion) {
    let project = project();
    let principal = Principal {
        name: "bench".into(),
        scopes: vec![Scope::Admin],
    };
    let env = Env {
        project: &project,
        principal: &principal,
        catalog: "pipegate",
        database: "analytics",
        params: &[],
        pipes: &Default::default(),
        session_params: &[],
        describe: false,
    };
    let mut group = c.benchmark_group("parse_and_translate");
    for (name, sql) in QUERIES {
        // A query that stops translating would make the figure meaningless.
        translate(&parse(sql), &env).unwrap_or_else(|e| panic!("{name} translates: {e}"));
        group.bench_function(*name, |b| {
            b.iter(|| black_box(translate(&parse(black_box(sql)), &env).expect("translates")))
        });
    }
    group.finish();
    // The parser's share, to tell it apart from the translator's.
    let mut group = c.benchmark_group("parse_only");
    for (name, sql) in QUERIES {
        group.bench_function(*name, |b| b.iter(|| parse(black_box(sql))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

use std::path::Path;

use super::*;
use crate::project::{Access, Resource};

fn parse(text: &str) -> Result<Pipe, Vec<String>> {
    Pipe::parse(Path::new("p/x.pipe"), text)
        .map_err(|ProjectErrors(es)| es.into_iter().map(|e| e.to_string()).collect())
}

const PIPE: &str = r#"DESCRIPTION >
    Top pages.

TOKEN "reader" READ -- a read token

NODE filtered
DESCRIPTION >
    Only views.
SQL >
    SELECT * FROM events WHERE kind = 'view'

NODE top
SQL >
    %
    SELECT page, count() AS c FROM filtered
    WHERE day >= {{ Date(date_from, '2026-01-01') }}
    GROUP BY page -- grouped
    LIMIT {{ Int32(lim, 10) }}

TYPE Endpoint -- publish
CACHE 30
"#;

#[test]
fn parses_a_pipe() {
    let p = Pipe::parse(Path::new("p/top_pages.pipe"), PIPE).expect("parses");
    assert_eq!(p.name, "top_pages");
    assert_eq!(p.description.as_deref(), Some("Top pages."));
    assert_eq!(p.kind, Some(PipeKind::Endpoint));
    assert!(p.is_endpoint());
    assert_eq!(p.cache_ttl, Some(30));
    assert_eq!(p.tokens.len(), 1);
    assert_eq!(p.tokens[0].name, "reader");
    assert_eq!(p.tokens[0].resource, Resource::Pipe("top_pages".into()));
    assert_eq!(p.tokens[0].access, Access::Read);
    assert_eq!(p.tokens[0].line, 4);
    assert_eq!(p.nodes.len(), 2);
    let filtered = p.node("filtered").expect("node");
    assert_eq!(filtered.line, 6);
    assert_eq!(filtered.description.as_deref(), Some("Only views."));
    assert!(!filtered.templated);
    assert_eq!(filtered.sql, "SELECT * FROM events WHERE kind = 'view'");
    assert_eq!(filtered.sql_line, 10);
    let top = &p.nodes[1];
    assert!(top.templated);
    assert_eq!(top.line, 12);
    assert_eq!(top.sql_line, 15, "the line after `%`");
    assert_eq!(
        top.sql,
        "SELECT page, count() AS c FROM filtered\nWHERE day >= {{ Date(date_from, '2026-01-01') }}\nGROUP BY page -- grouped\nLIMIT {{ Int32(lim, 10) }}",
        "SQL keeps its comments and loses the % line"
    );
}

#[test]
fn type_may_sit_inside_a_node_and_any_case() {
    for (text, kind) in [
        (
            "NODE n\nSQL >\n    SELECT 1\nTYPE materialized\n",
            PipeKind::Materialized,
        ),
        ("NODE n\nTYPE COPY\nSQL >\n    SELECT 1\n", PipeKind::Copy),
        ("TYPE sink\nNODE n\nSQL >\n    SELECT 1\n", PipeKind::Sink),
        (
            "NODE n\nSQL >\n    SELECT 1\n\nTYPE ENDPOINT\n",
            PipeKind::Endpoint,
        ),
    ] {
        let p = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(p.kind, Some(kind), "{text}");
    }
    let p = parse("NODE n\nSQL >\n    SELECT 1\n").expect("parses");
    assert_eq!((p.kind, p.cache_ttl), (None, None));
    assert!(!p.is_endpoint());
}

#[test]
fn a_lone_percent_line_marks_a_template() {
    let p = parse("NODE n\nSQL >\n    %\n\n    SELECT {{ Int8(x, 1) }}\n").expect("parses");
    assert!(p.nodes[0].templated);
    assert_eq!(p.nodes[0].sql_line, 4);
    assert_eq!(p.nodes[0].sql, "\nSELECT {{ Int8(x, 1) }}");
    let p = parse("NODE n\nSQL >\n    SELECT 1 % 2\n").expect("parses");
    assert!(!p.nodes[0].templated);
}

#[test]
fn pipe_errors_name_the_line() {
    let cases: &[(&str, &str)] = &[
        ("NODE n\n", "p/x.pipe:1: node n has no SQL: add `SQL >` with the query indented below"),
        ("NODE n\nSQL >\n    SELECT 1\nNODE n\nSQL >\n    SELECT 2\n", "p/x.pipe:4: duplicate node n (first on line 1)"),
        ("NODE n\nSQL >\n    SELECT 1\nTYPE api\n", "p/x.pipe:4: unknown TYPE \"api\": use endpoint, materialized, copy or sink"),
        ("NODE n\nSQL >\n    SELECT 1\nTYPE endpoint\nTYPE endpoint\n", "p/x.pipe:5: TYPE is given twice (first on line 4)"),
        ("NODE n\nSQL >\n    SELECT 1\nCACHE soon\n", "p/x.pipe:4: CACHE takes whole seconds, as in CACHE 60, not \"soon\""),
        ("NODE n\nSQL >\n    SELECT 1\nCACHE -5\n", "p/x.pipe:4: CACHE takes whole seconds, as in CACHE 60, not \"-5\""),
        ("NODE n\nSQL >\n    SELECT 1\nNODEE m\n", "p/x.pipe:4: unknown directive NODEE (did you mean NODE?)"),
        ("NODE n\nSQL >\n    SELECT 1\nFROM t\n", "p/x.pipe:4: unknown directive FROM: if the line belongs to the block above, indent it"),
        ("SQL >\n    SELECT 1\nNODE n\nSQL >\n    SELECT 1\n", "p/x.pipe:1: SQL outside a node: put `NODE <name>` before it"),
        ("NODE n\nSQL SELECT 1\n", "p/x.pipe:2: SQL must be a block: write `SQL >` and the query indented below"),
        ("NODE n\nSQL >\n    SELECT 1\nSQL >\n    SELECT 2\n", "p/x.pipe:4: SQL is given twice (first on line 2)"),
        ("DESCRIPTION >\n    nothing\n", "p/x.pipe:1: the pipe has no nodes: add `NODE <name>` and its `SQL >` block"),
        ("TOKEN t APPEND\nNODE n\nSQL >\n    SELECT 1\n", "p/x.pipe:1: token t: a pipe can only be READ; APPEND belongs on a .datasource"),
        ("NODE bad-name\nSQL >\n    SELECT 1\n", "p/x.pipe:1: node name \"bad-name\" must be letters, digits and underscores, not starting with a digit"),
        ("NODE n\nSQL >\n    %\n", "p/x.pipe:3: node n: the SQL after `%` is empty"),
        ("NODE n\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE target\n", "p/x.pipe:5: DATASOURCE is not supported: pipegate serves endpoint pipes, and does not run materialized, copy or sink pipes yet"),
    ];
    for (text, want) in cases {
        let errs = parse(text).expect_err(text);
        assert_eq!(errs, [want.to_string()], "for {text:?}");
    }
}

#[test]
fn template_errors_point_at_the_file_line() {
    let errs = parse("NODE n\nSQL >\n    %\n    SELECT 1\n    WHERE x = {{ String(x) \n")
        .expect_err("unclosed expression");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with("p/x.pipe:5: node n: "), "{errs:#?}");
}

#[test]
fn every_error_is_reported() {
    let errs = parse("NODE a\nNODE a\nSQL >\n    SELECT 1\nCACHE x\nTYPE y\n").expect_err("errors");
    assert_eq!(
        errs,
        [
            "p/x.pipe:1: node a has no SQL: add `SQL >` with the query indented below",
            "p/x.pipe:2: duplicate node a (first on line 1)",
            "p/x.pipe:5: CACHE takes whole seconds, as in CACHE 60, not \"x\"",
            "p/x.pipe:6: unknown TYPE \"y\": use endpoint, materialized, copy or sink",
        ]
    );
}

#[test]
fn no_input_panics() {
    for text in [
        "NODE",
        "NODE \"",
        "SQL >",
        "NODE n\nSQL >\n    %",
        "NODE n\nSQL >\n    %\n    {{",
        "NODE n\nSQL >\n    %\n    {% if %}",
        "CACHE 99999999999999999999999",
        "TOKEN \"\" READ",
        "\u{feff}",
    ] {
        let _ = parse(text);
    }
}

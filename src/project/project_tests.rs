use std::path::{Path, PathBuf};

use super::*;

fn project(files: &[(&str, &str)]) -> Result<Project, Vec<String>> {
    let sources: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect();
    Project::from_sources(Path::new("p"), &sources)
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
    assert_eq!(p.tokens[0].name, "reader");
    assert_eq!(p.tokens[0].resource, Resource::Pipe("top_pages".into()));
    assert_eq!(p.nodes.len(), 2);
    assert_eq!(p.nodes[0].description.as_deref(), Some("Only views."));
    assert!(!p.nodes[0].templated);
    assert_eq!(p.nodes[0].sql, "SELECT * FROM events WHERE kind = 'view'");
    assert_eq!(p.nodes[0].sql_line, 10);
    assert!(p.nodes[1].templated);
    assert_eq!(p.nodes[1].sql_line, 15, "the line after `%`");
    assert!(p.nodes[1].sql.starts_with("SELECT page"));
    assert!(
        p.nodes[1].sql.contains("GROUP BY page -- grouped"),
        "SQL keeps its comments"
    );
}

#[test]
fn pipe_errors_name_the_line() {
    let cases: &[(&str, &str)] = &[
        (
            "NODE n\n",
            "p/x.pipe:1: node n has no SQL: add `SQL >` with the query indented below",
        ),
        (
            "NODE n\nSQL >\n    SELECT 1\nNODE n\nSQL >\n    SELECT 2\n",
            "p/x.pipe:4: duplicate node n",
        ),
        (
            "NODE n\nSQL >\n    SELECT 1\nTYPE api\n",
            "p/x.pipe:4: unknown TYPE \"api\": use endpoint, materialized, copy or sink",
        ),
        (
            "NODE n\nSQL >\n    SELECT 1\nCACHE soon\n",
            "p/x.pipe:4: CACHE takes whole seconds, not \"soon\"",
        ),
        (
            "NODEE n\n",
            "p/x.pipe:1: unknown directive NODEE in a .pipe file (did you mean NODE?)",
        ),
        (
            "SQL >\n    SELECT 1\n",
            "p/x.pipe:1: SQL outside a node: put `NODE <name>` before it",
        ),
        (
            "DESCRIPTION >\n    nothing\n",
            "p/x.pipe:1: the pipe has no nodes: add `NODE <name>` and its `SQL >` block",
        ),
        (
            "TOKEN t APPEND\nNODE n\nSQL >\n    SELECT 1\n",
            "p/x.pipe:1: token t: a pipe can only be READ",
        ),
        (
            "NODE bad-name\nSQL >\n    SELECT 1\n",
            "p/x.pipe:1: node name \"bad-name\" must be letters, digits and underscores",
        ),
    ];
    for (text, want) in cases {
        let errs: Vec<String> = Pipe::parse(Path::new("p/x.pipe"), text)
            .expect_err(text)
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            errs.iter().any(|e| e == want),
            "for {text:?}\nwant {want}\n got {errs:#?}"
        );
    }
}

#[test]
fn names_are_unique_across_files() {
    let errs = project(&[
        ("p/a.datasource", "SCHEMA >\n    x Int8\n"),
        ("p/sub/a.pipe", "NODE n\nSQL >\n    SELECT 1\n"),
        ("p/a_quarantine.pipe", "NODE n\nSQL >\n    SELECT 1\n"),
        ("p/bad-name.pipe", "NODE n\nSQL >\n    SELECT 1\n"),
    ])
    .expect_err("duplicates");
    assert!(
        errs.contains(
            &"p/sub/a.pipe:1: duplicate name a (also defined in p/a.datasource:1)".to_string()
        ),
        "{errs:#?}"
    );
    assert!(errs.contains(&"p/a_quarantine.pipe:1: a_quarantine is the quarantine table of a datasource; choose another name".to_string()), "{errs:#?}");
    assert!(
        errs.iter()
            .any(|e| e
                .starts_with("p/bad-name.pipe:1: the file name \"bad-name\" must be a valid name")),
        "{errs:#?}"
    );
}

#[test]
fn tokens_are_collected_across_files() {
    let p = project(&[
        (
            "p/a.datasource",
            "SCHEMA >\n    x Int8\nTOKEN w APPEND\nTOKEN r READ\n",
        ),
        ("p/b.pipe", "TOKEN r READ\nNODE n\nSQL >\n    SELECT 1\n"),
    ])
    .expect("loads");
    assert_eq!(p.tokens.len(), 3);
    assert_eq!(p.token_names(), ["r", "w"]);
    assert!(p.datasource("a").is_some() && p.pipe("b").is_some() && p.pipe("a").is_none());
}

#[test]
fn the_demo_project_loads() {
    let p = Project::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sql")).expect("sql/ loads");
    assert_eq!(p.datasources.len(), 2);
    assert_eq!(p.pipes.len(), 3);
    assert!(p.pipes.iter().all(Pipe::is_endpoint));
    assert_eq!(
        p.token_names(),
        [
            "analytics_append",
            "analytics_read",
            "web_append",
            "web_read"
        ]
    );
    let kpis = p.pipe("kpis").expect("kpis");
    assert_eq!(
        kpis.nodes
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>(),
        ["sessions", "kpis"]
    );
}

#[test]
fn the_guide_files_load_verbatim() {
    let p = Project::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/projects/guide"))
        .expect("guide loads");
    let pipe = p.pipe("aggregate_user_events").expect("pipe");
    assert!(pipe.is_endpoint());
    assert_eq!(pipe.tokens[0].name, "analytics_read");
    assert!(pipe.nodes[0].templated);
    let ds = p.datasource("user_events").expect("ds");
    assert_eq!(
        ds.columns
            .last()
            .and_then(|c| c.json_path.as_ref())
            .map(|j| j.to_string())
            .as_deref(),
        Some("$")
    );
}

#[test]
fn a_missing_folder_is_an_error_not_a_panic() {
    let err = Project::load(Path::new("/nonexistent/pipegate")).expect_err("missing");
    assert!(
        err.to_string()
            .starts_with("/nonexistent/pipegate:0: cannot read the project folder"),
        "{err}"
    );
}

#[test]
fn template_errors_point_at_the_file_line() {
    let errs: Vec<String> = Pipe::parse(
        Path::new("p/t.pipe"),
        "NODE n\nSQL >\n    %\n    SELECT 1\n    WHERE x = {{ String(x) \n",
    )
    .expect_err("unclosed expression")
    .into_iter()
    .map(|e| e.to_string())
    .collect();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with("p/t.pipe:5: node n: "), "{errs:#?}");
}

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

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

const NODE: &str = "NODE n\nSQL >\n    SELECT 1\n";

#[test]
fn names_are_unique_across_files() {
    let errs = project(&[
        ("p/a.datasource", "SCHEMA >\n    x Int8\n"),
        ("p/sub/a.pipe", NODE),
        ("p/b.pipe", NODE),
        ("p/sub/b.pipe", NODE),
        ("p/a_quarantine.pipe", NODE),
        ("p/bad-name.pipe", NODE),
        ("p/notes.txt", "ignored"),
    ])
    .expect_err("duplicates");
    assert_eq!(
        errs,
        [
            "p/a_quarantine.pipe:1: a_quarantine is the quarantine table of the datasource in p/a.datasource; choose another name",
            "p/bad-name.pipe:1: the file name \"bad-name\" must be a valid name (letters, digits and underscores, not starting with a digit): it names the table or view",
            "p/sub/a.pipe:1: duplicate name a: the datasource in p/a.datasource:1 has it too, and datasources and pipes share one namespace",
            "p/sub/b.pipe:1: duplicate pipe name b (also defined in p/b.pipe:1)",
        ]
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
    let r: Vec<&Resource> = p.grants("r").map(|g| &g.resource).collect();
    assert_eq!(
        r,
        [
            &Resource::Datasource("a".into()),
            &Resource::Pipe("b".into())
        ]
    );
    assert!(p.datasource("a").is_some() && p.pipe("b").is_some() && p.pipe("a").is_none());
}

#[test]
fn single_files_parse_without_a_project() {
    let ds = Project::parse_datasource(Path::new("x/t.datasource"), "SCHEMA >\n    a Int8\n")
        .expect("parses");
    assert_eq!(ds.name, "t");
    let err = Project::parse_pipe(Path::new("x/q.pipe"), "").expect_err("no nodes");
    assert_eq!(
        err.to_string(),
        "x/q.pipe:1: the pipe has no nodes: add `NODE <name>` and its `SQL >` block"
    );
}

#[test]
fn the_demo_project_loads() {
    let p = Project::load(&repo("sql")).expect("sql/ loads");
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
    let nodes: Vec<&str> = kpis.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(nodes, ["sessions", "kpis"]);
}

/// The guide's files, copied verbatim from the article, load as they are.
#[test]
fn the_guide_files_load_verbatim() {
    let p = Project::load(&repo("tests/projects/guide")).expect("guide loads");
    let pipe = p.pipe("aggregate_user_events").expect("pipe");
    assert!(pipe.is_endpoint());
    assert_eq!(pipe.tokens.len(), 1);
    assert_eq!(pipe.tokens[0].name, "analytics_read");
    assert_eq!(pipe.tokens[0].access, Access::Read);
    assert_eq!(pipe.nodes.len(), 1);
    let node = &pipe.nodes[0];
    assert_eq!(node.name, "aggregate_user_events");
    assert!(node.templated);
    assert_eq!(node.sql_line, 6);
    assert!(node.sql.starts_with("SELECT\n    user_id,"));
    assert!(node
        .sql
        .contains("WHERE timestamp >= {{ DateTime(date_from) }} -- query params"));
    assert!(node
        .sql
        .ends_with("LIMIT {{ Int32(limit, 100) }} -- dynamic limit"));
    let ds = p.datasource("user_events").expect("ds");
    let cols: Vec<String> = ds
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty))
        .collect();
    assert_eq!(
        cols,
        [
            "event_id String",
            "user_id String",
            "event_type String",
            "timestamp DateTime64(3)",
            "payload String"
        ]
    );
    let paths: Vec<String> = ds
        .columns
        .iter()
        .filter_map(|c| c.json_path.as_ref().map(|j| j.to_string()))
        .collect();
    assert_eq!(
        paths,
        [
            "$.event.id",
            "$.user.id",
            "$.event.type",
            "$.timestamp",
            "$"
        ]
    );
    assert_eq!(ds.engine.kind, EngineKind::MergeTree);
    assert_eq!(
        ds.engine.ttl.as_deref(),
        Some("toDateTime(timestamp) + toIntervalDay(90)")
    );
}

/// A project that uses every directive loads into the expected shape.
#[test]
fn the_valid_sample_project_loads() {
    let p = Project::load(&repo("tests/projects/valid")).expect("valid loads");
    let names: Vec<&str> = p
        .datasources
        .iter()
        .map(|d| d.name.as_str())
        .chain(p.pipes.iter().map(|p| p.name.as_str()))
        .collect();
    assert_eq!(
        names,
        ["daily_totals", "orders", "order_stats", "recent_orders"]
    );
    let orders = p.datasource("orders").expect("orders");
    assert_eq!(orders.engine.kind, EngineKind::ReplacingMergeTree);
    assert_eq!(orders.columns.len(), 8);
    let totals = p.datasource("daily_totals").expect("totals");
    assert_eq!(totals.engine.kind, EngineKind::SummingMergeTree);
    let stats = p.pipe("order_stats").expect("stats");
    assert_eq!(stats.nodes.len(), 3);
    assert_eq!(stats.kind, Some(PipeKind::Endpoint), "TYPE inside a node");
    assert_eq!(stats.cache_ttl, Some(120));
    assert_eq!(
        p.token_names(),
        ["dashboard", "shop_backend", "shop_reader"]
    );
    assert_eq!(p.grants("dashboard").count(), 2);
}

/// Every file in `tests/projects/broken/` is broken in its own way; the full report is
/// kept in `expected.txt` beside them (regenerate with `PIPEGATE_BLESS=1`).
#[test]
fn the_broken_sample_project_reports_every_error() {
    let dir = repo("tests/projects/broken");
    let err = Project::load(&dir).expect_err("broken");
    let prefix = format!("{}/", dir.display());
    let got = format!("{}\n", err.to_string().replace(&prefix, ""));
    let expected_file = dir.join("expected.txt");
    if std::env::var_os("PIPEGATE_BLESS").is_some() {
        std::fs::write(&expected_file, &got).expect("write expected.txt");
    }
    let want = std::fs::read_to_string(&expected_file).expect("expected.txt");
    assert_eq!(got, want, "run with PIPEGATE_BLESS=1 to accept:\n{got}");
}

#[test]
fn folder_problems_are_errors_not_panics() {
    let err = Project::load(Path::new("/nonexistent/pipegate")).expect_err("missing");
    assert!(
        err.to_string()
            .starts_with("/nonexistent/pipegate: cannot read the project folder"),
        "{err}"
    );
    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(empty.path().join(".hidden")).expect("mkdir");
    std::fs::write(empty.path().join(".hidden/x.pipe"), NODE).expect("write");
    std::fs::write(empty.path().join("README.md"), "# not a datafile").expect("write");
    let err = Project::load(empty.path()).expect_err("empty");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: no .datasource or .pipe files here: is this the project folder?",
            empty.path().display()
        )
    );
}

#[test]
fn load_reports_errors_of_every_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.datasource"), "SCHEMA >\n    x Int88\n").expect("write");
    std::fs::create_dir(dir.path().join("pipes")).expect("mkdir");
    std::fs::write(dir.path().join("pipes/b.pipe"), "NODEE n\n").expect("write");
    std::fs::write(dir.path().join("c.pipe"), [0xff, 0xfe]).expect("write");
    let err = Project::load(dir.path()).expect_err("three files");
    let lines: Vec<String> = err
        .to_string()
        .replace(&format!("{}/", dir.path().display()), "")
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(
        lines[0],
        "a.datasource:2: column `x`: unknown type Int88 (did you mean Int8?)"
    );
    assert!(lines[1].starts_with("c.pipe: cannot read: "), "{lines:#?}");
    assert_eq!(
        lines[2],
        "pipes/b.pipe:1: unknown directive NODEE (did you mean NODE?)"
    );
    assert_eq!(
        lines[3],
        "pipes/b.pipe:1: the pipe has no nodes: add `NODE <name>` and its `SQL >` block"
    );
}

mod no_panics {
    use proptest::prelude::*;

    use super::*;

    /// Text made of the pieces datafiles are made of, so the parsers' corners get reached.
    fn datafile() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "SCHEMA >",
            "NODE n",
            "SQL >",
            "%",
            "TOKEN",
            "ENGINE",
            "ENGINE_SORTING_KEY",
            "TYPE",
            "CACHE",
            "DESCRIPTION >",
            "\n",
            "\n    ",
            "\t",
            " ",
            "`",
            "'",
            "\"",
            "(",
            ")",
            ",",
            "[",
            "]",
            "$",
            ".",
            ":",
            "json:",
            "DEFAULT",
            "CODEC",
            "Int8",
            "Array(",
            "-- ",
            "#",
            "{{",
            "}}",
            "{%",
            "%}",
            "a",
            "1",
            "é",
            "\u{3000}",
            "\\",
        ]);
        prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn datafile_parsers_never_panic(text in datafile()) {
            let _ = Datasource::parse(Path::new("p/d.datasource"), &text);
            let _ = Pipe::parse(Path::new("p/p.pipe"), &text);
            let _ = JsonPath::parse(&text);
        }
    }
}

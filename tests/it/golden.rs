//! Golden tests of the translation (issue 4): every `tests/translate/<area>/<case>.sql`
//! holds one PostgreSQL statement under a header comment. It is translated for an admin of
//! the project in `tests/translate/project/`, and the result (the ClickHouse SQL, the
//! result columns' names and the extra settings, or `ERROR <sqlstate>: <message>`) must
//! equal the insta snapshot in `<area>/snapshots/<case>.snap`. Every ClickHouse SQL must
//! also parse again under sqlparser's ClickHouseDialect, except the cases listed in
//! `tests/translate/reparse_known_failures.txt`. No ClickHouse is needed.
//!
//! Every case runs and every failure is reported at once. `INSTA_UPDATE=always cargo test
//! --test it golden` writes the snapshots; `tests/translate/README.md` tells the format.

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use pipegate::auth::{Principal, Scope};
use pipegate::project::Project;
use pipegate::query::classify::{classify, Kind};
use pipegate::query::QueryError;
use pipegate::translate::{translate, Env};
use sqlparser::dialect::ClickHouseDialect;
use sqlparser::parser::Parser;

use crate::common::gateway::repo_path;

/// The issue asks for at least this many cases.
const MIN_CASES: usize = 300;
/// The database clients connect to, accepted as a catalog qualifier.
const CATALOG: &str = "pipegate";
/// The ClickHouse database the datasources' tables live in.
const DATABASE: &str = "analytics";

/// One case file.
struct Case {
    area: String,
    name: String,
    path: PathBuf,
    /// The header comment, without `--` and without directives.
    description: String,
    /// `-- params: 42, 'x'`: bound `$n` values, each a ClickHouse literal.
    params: Vec<String>,
    /// The file as given (the parser skips the header's comments).
    sql: String,
}

impl Case {
    fn id(&self) -> String {
        format!("{}/{}", self.area, self.name)
    }
}

#[test]
fn translations_match_their_snapshots() {
    let root = repo_path("tests/translate");
    let project = Project::load(&root.join("project"))
        .unwrap_or_else(|e| panic!("tests/translate/project does not load:\n{e}"));
    let principal = Principal {
        name: "golden".into(),
        scopes: vec![Scope::Admin],
    };
    let cases = load(&root);
    assert!(
        cases.len() >= MIN_CASES,
        "tests/translate holds {} cases; it needs at least {MIN_CASES}",
        cases.len()
    );
    let known = known_reparse_failures(&root);
    let mut failures = Vec::new();
    let mut not_reparsed = Vec::new();
    for case in &cases {
        let (text, sql) = render(case, &project, &principal);
        if let Some(sql) = &sql {
            if let Err(e) = Parser::parse_sql(&ClickHouseDialect {}, sql) {
                not_reparsed.push(case.id());
                if !known.contains(&case.id()) {
                    failures.push(format!(
                        "{}: the ClickHouse SQL does not parse under ClickHouseDialect: {e}\n    {sql}",
                        case.id()
                    ));
                }
            }
        }
        let matched = catch_unwind(AssertUnwindSafe(|| {
            insta::with_settings!({
                snapshot_path => case.path.parent().expect("area folder").join("snapshots"),
                prepend_module_to_snapshot => false,
                input_file => &case.path,
                description => case.description.as_str(),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(case.name.as_str(), text);
            });
        }));
        if matched.is_err() {
            failures.push(format!(
                "{}: the translation differs from its snapshot, or it has none",
                case.id()
            ));
        }
    }
    for id in &known {
        if !not_reparsed.contains(id) {
            failures.push(format!(
                "{id}: listed in reparse_known_failures.txt but parses (or is gone): remove it"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The project's pipes' output columns, as deploy's DESCRIBE gives them (there is no
/// ClickHouse here).
fn pipe_columns() -> pipegate::state::PipeColumns {
    use pipegate::clickhouse::types::ChType;
    let described = [
        (
            "top_pages",
            vec![("pathname", "String"), ("hits", "UInt64")],
        ),
        (
            "user_activity",
            vec![
                ("user_id", "Nullable(UInt64)"),
                ("day", "Date"),
                ("events", "UInt64"),
            ],
        ),
    ];
    described
        .into_iter()
        .map(|(pipe, columns)| {
            let columns = columns
                .into_iter()
                .map(|(n, t)| (n.to_string(), ChType::parse(t).expect("a ClickHouse type")))
                .collect();
            (pipe.to_string(), columns)
        })
        .collect()
}

/// The snapshot's text for a case, and the ClickHouse SQL when it translated.
fn render(case: &Case, project: &Project, principal: &Principal) -> (String, Option<String>) {
    let env = Env {
        project,
        principal,
        catalog: CATALOG,
        database: DATABASE,
        params: &case.params,
        pipes: &pipe_columns(),
        session_params: &[],
        describe: false,
    };
    let statements = match classify(&case.sql) {
        Ok(s) => s,
        Err(e) => return (error_text(&e), None),
    };
    let [statement] = statements.as_slice() else {
        panic!(
            "{}: holds {} statements, not one",
            case.id(),
            statements.len()
        );
    };
    if let Some(e) = statement.kind.error() {
        // Writes and unsupported statements are refused before any translation.
        return (error_text(&e), None);
    }
    let mut text = String::new();
    match &statement.kind {
        Kind::Data => {}
        Kind::Constant(_) => {
            text.push_str("-- route: constant (the gateway answers it without ClickHouse)\n")
        }
        Kind::Catalog => text.push_str("-- route: catalog (the catalog engine answers it)\n"),
        other => panic!("{}: not a query: {other:?}", case.id()),
    }
    let Some(parsed) = &statement.statement else {
        panic!("{}: classify kept no statement", case.id());
    };
    match translate(parsed, &env) {
        Ok(t) => {
            text.push_str(&t.sql);
            text.push('\n');
            match &t.columns {
                Some(cols) => {
                    let _ = writeln!(text, "-- columns: {}", cols.join(", "));
                }
                None => text.push_str("-- columns: (unknown)\n"),
            }
            if !t.settings.is_empty() {
                let settings: Vec<String> =
                    t.settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let _ = writeln!(text, "-- settings: {}", settings.join(", "));
            }
            (text, Some(t.sql))
        }
        Err(e) => {
            text.push_str(&error_text(&e));
            (text, None)
        }
    }
}

fn error_text(e: &QueryError) -> String {
    let mut text = format!("ERROR {}: {e}\n", e.sqlstate());
    if let Some(hint) = e.hint() {
        let _ = writeln!(text, "HINT: {hint}");
    }
    text
}

/// Every `<area>/<case>.sql` under `root`, areas and cases in name order.
fn load(root: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for area in sorted_dir(root) {
        let area_name = file_name(&area);
        if !area.is_dir() || area_name == "project" {
            continue;
        }
        for path in sorted_dir(&area) {
            if path.extension().and_then(|e| e.to_str()) != Some("sql") {
                continue;
            }
            let sql = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let (description, params) = header(&sql);
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            assert!(
                !description.is_empty(),
                "{}: the case needs a header comment saying what it shows",
                path.display()
            );
            cases.push(Case {
                area: area_name.clone(),
                name,
                path,
                description,
                params,
                sql,
            });
        }
    }
    cases
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    out.sort();
    out
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The leading `--` lines: the description, and a `params:` directive if any.
fn header(sql: &str) -> (String, Vec<String>) {
    let mut description = Vec::new();
    let mut params = Vec::new();
    for line in sql.lines() {
        let Some(comment) = line.trim_start().strip_prefix("--") else {
            break;
        };
        let comment = comment.trim();
        match comment.strip_prefix("params:") {
            Some(list) => params = split_params(list),
            None => description.push(comment.to_string()),
        }
    }
    (description.join("\n").trim().to_string(), params)
}

/// `42, 'a, b', NULL` → `["42", "'a, b'", "NULL"]`: commas inside quotes stay.
fn split_params(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '\'' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// Cases whose ClickHouse SQL is known not to parse under ClickHouseDialect, one
/// `area/case` per line (`#` comments).
fn known_reparse_failures(root: &Path) -> Vec<String> {
    let path = root.join("reparse_known_failures.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

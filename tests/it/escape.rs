//! The escape corpus (`tests/escape/*.sql`): statements a client with a valid read-only
//! token sends to reach beyond its datasources and pipes, or to change how ClickHouse runs
//! the query. Each is refused with one of the SQLSTATEs its case lists, through the simple
//! and the extended protocol, and none reaches ClickHouse: the local adapter counts the
//! requests that name the test's database, before and after every case. The values in
//! `literals.sql` come back exactly as PostgreSQL gives them. The cases are data; the
//! format is in the header of `tests/escape/corpus.sql`.

use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, NoTls, Row, SimpleQueryMessage};

use crate::common::clickhouse::{adapter_stats, AdapterStats};
use crate::common::gateway::{repo_path, Gateway, READER_SECRET};
use crate::pg::gateway_with_events;

/// The only codes corpus.sql may list: insufficient privilege, feature not supported.
const ESCAPE_CODES: &[&str] = &["42501", "0A000"];
/// How a literal case may be refused instead of answering.
const LITERAL_REFUSALS: &[&str] = &["42501", "0A000"];
/// The issue asks for at least this many escape attempts in corpus.sql.
const MIN_CORPUS: usize = 80;
/// The token every case runs as: it may read `events`, `kpis` and `top_pages` only.
const USER: &str = "web_read";

#[tokio::test]
async fn the_corpus_is_refused_before_clickhouse() {
    run_file("corpus.sql", Rule::Refuse(Some(ESCAPE_CODES)), MIN_CORPUS).await;
}

#[tokio::test]
async fn clickhouse_syntax_is_refused_before_clickhouse() {
    run_file("clickhouse_syntax.sql", Rule::Refuse(None), 1).await;
}

#[tokio::test]
async fn clickhouse_settings_and_tables_get_postgresql_codes_before_clickhouse() {
    run_file("pg_errors.sql", Rule::Refuse(None), 1).await;
}

#[tokio::test]
async fn writes_are_refused_before_clickhouse() {
    run_file("writes.sql", Rule::Refuse(None), 1).await;
}

#[tokio::test]
async fn literals_come_back_exactly_as_postgresql_gives_them() {
    run_file("literals.sql", Rule::Literal, 1).await;
}

/// What the cases of a file must do.
#[derive(Clone, Copy)]
enum Rule {
    /// Be refused with one of the case's codes (which must be among these, when given).
    Refuse(Option<&'static [&'static str]>),
    /// Return the case's `expect` value, or be refused with [`LITERAL_REFUSALS`].
    Literal,
}

/// One run of a case through one protocol.
struct Run<'c> {
    case: &'c Case,
    protocol: &'static str,
    outcome: Outcome,
    /// Whether ClickHouse saw a request naming the test's database meanwhile; `None` when
    /// nobody counts.
    reached: Option<bool>,
}

/// Runs every case of `file` through both protocols, one fresh connection per case, and
/// counts the requests ClickHouse sees around each run. Then it proves the counter live
/// with a legitimate query, and reports every failure at once.
async fn run_file(file: &'static str, rule: Rule, min: usize) {
    let cases = load(file);
    assert!(
        cases.len() >= min,
        "{file} holds {} cases; it needs at least {min}",
        cases.len()
    );
    for case in &cases {
        validate(case, rule);
    }
    let gw = gateway_with_events().await;
    let start = stats(&gw);
    let mut runs = Vec::new();
    for case in &cases {
        let sql = case.sql.replace("{database}", &gw.db.name);
        let client = connect(&gw).await;
        if case.params.is_none() {
            let before = stats(&gw);
            let outcome = run_simple(&client, &sql).await;
            let reached = reached(before, stats(&gw));
            runs.push(Run {
                case,
                protocol: "simple",
                outcome,
                reached,
            });
        }
        if !case.simple_only {
            let params = case.params.as_deref().unwrap_or_default();
            let before = stats(&gw);
            let outcome = run_extended(&client, &sql, params).await;
            let reached = reached(before, stats(&gw));
            runs.push(Run {
                case,
                protocol: "extended",
                outcome,
                reached,
            });
        }
    }
    let end = stats(&gw);

    // The check must be able to fail: a legitimate query moves the counter.
    let legitimate = "SELECT count(*) AS liveness FROM events";
    connect(&gw)
        .await
        .simple_query(legitimate)
        .await
        .expect("a legitimate query runs");
    let mut failures = Vec::new();
    let counted = match (end, stats(&gw)) {
        (Some(end), Some(live)) if end == live => {
            failures.push(format!(
                "`{legitimate}` did not move the adapter's counter for database {} ({end:?}): \
                 the gateway's queries do not name it, so whether a case reached ClickHouse \
                 is not known",
                gw.db.name
            ));
            false
        }
        (Some(_), Some(_)) => true,
        _ => {
            eprintln!("escape: {file}: not the local adapter: codes checked, requests not counted");
            false
        }
    };
    // Literal cases may run on ClickHouse; refusals never do.
    if let (Rule::Refuse(_), true, Some(start), Some(end)) = (rule, counted, start, end) {
        if start != end {
            failures.push(format!(
                "ClickHouse saw requests naming the test database while {file} ran: {start:?} \
                 before, {end:?} after"
            ));
        }
    }
    for mut run in runs {
        if !counted {
            run.reached = None;
        }
        if let Some(wanted) = judge(rule, &run) {
            failures.push(failure(&run, &wanted));
        }
    }
    report(file, cases.len(), &failures);
}

/// A case's header and directives agree with its file's rule.
fn validate(case: &Case, rule: Rule) {
    match rule {
        Rule::Refuse(only) => {
            assert!(!case.codes.is_empty(), "{}: no expected codes", case.at());
            assert!(
                case.expect.is_none() && case.params.is_none(),
                "{}: `expect` and `params` belong in literals.sql",
                case.at()
            );
            for code in &case.codes {
                assert!(
                    only.is_none_or(|only| only.contains(&code.as_str())),
                    "{}: {} takes only {only:?}, not {code}",
                    case.at(),
                    case.file
                );
            }
        }
        Rule::Literal => {
            assert!(
                case.expect.is_some(),
                "{}: a literal case needs an `-- expect:` line",
                case.at()
            );
            assert!(
                case.codes.is_empty() && !case.simple_only,
                "{}: a literal case lists no codes or flags",
                case.at()
            );
        }
    }
}

/// None when the run did what the rule asks; otherwise what was wanted.
fn judge(rule: Rule, run: &Run) -> Option<String> {
    let case = run.case;
    let before_clickhouse = run.reached != Some(true);
    let refused_with = |codes: &[&str]| matches!(&run.outcome, Outcome::Refused { code, .. } if codes.contains(&code.as_str()));
    match rule {
        Rule::Refuse(_) => {
            let codes: Vec<&str> = case.codes.iter().map(String::as_str).collect();
            (!(refused_with(&codes) && before_clickhouse))
                .then(|| format!("a refusal with {} before ClickHouse", codes.join(" or ")))
        }
        Rule::Literal => {
            let expect = case.expect.as_ref()?;
            let answered = match &run.outcome {
                Outcome::Rows { column, values } => {
                    values.as_slice() == std::slice::from_ref(expect)
                        && case
                            .column
                            .as_ref()
                            .is_none_or(|c| column.as_ref() == Some(c))
                }
                _ => false,
            };
            let refused = refused_with(LITERAL_REFUSALS) && before_clickhouse;
            (!answered && !refused).then(|| {
                let column = case.column.as_ref().map(|c| format!(" {c:?}"));
                format!(
                    "one row whose first column{} is {}, or a refusal with {} before ClickHouse",
                    column.unwrap_or_default(),
                    shown(expect.as_deref()),
                    LITERAL_REFUSALS.join(" or ")
                )
            })
        }
    }
}

/// One case of a corpus file.
#[derive(Debug)]
struct Case {
    file: &'static str,
    /// The line of its `-- case:` header, for messages.
    line: usize,
    name: String,
    /// The SQLSTATEs it may be refused with.
    codes: Vec<String>,
    /// Several statements in one string: the extended protocol cannot prepare them.
    simple_only: bool,
    /// literals.sql: the first column of the only row, as text.
    expect: Option<Option<String>>,
    /// literals.sql: that column's name.
    column: Option<String>,
    /// literals.sql: values bound as text to `$1`, `$2`, ... (extended protocol only).
    params: Option<Vec<String>>,
    sql: String,
}

impl Case {
    fn at(&self) -> String {
        format!("tests/escape/{}:{} {}", self.file, self.line, self.name)
    }
}

/// Reads `tests/escape/<file>`: cases start at `-- case: <name> (<codes>) [simple-only]`.
fn load(file: &'static str) -> Vec<Case> {
    let path = repo_path("tests/escape").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut cases: Vec<Case> = Vec::new();
    let mut open: Option<(usize, &str, Vec<&str>)> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(header) = line.strip_prefix("-- case:") {
            if let Some((at, header, body)) = open.take() {
                cases.push(parse_case(file, at, header, &body));
            }
            open = Some((i + 1, header, Vec::new()));
        } else if let Some((_, _, body)) = open.as_mut() {
            body.push(line);
        }
    }
    if let Some((at, header, body)) = open {
        cases.push(parse_case(file, at, header, &body));
    }
    for (i, case) in cases.iter().enumerate() {
        assert!(
            cases[..i].iter().all(|c| c.name != case.name),
            "{}: the name is taken",
            case.at()
        );
    }
    cases
}

fn parse_case(file: &'static str, line: usize, header: &str, body: &[&str]) -> Case {
    let at = format!("tests/escape/{file}:{line}");
    let header = header.trim();
    let (name, codes, flags) = match header.split_once('(') {
        Some((name, rest)) => {
            let (codes, flags) = rest
                .split_once(')')
                .unwrap_or_else(|| panic!("{at}: the code list is not closed"));
            let codes = codes.split_whitespace().map(String::from).collect();
            (name.trim(), codes, flags.trim())
        }
        None => (header, Vec::new(), ""),
    };
    assert!(
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "{at}: a case name is letters, digits and underscores, not {name:?}"
    );
    let simple_only = match flags {
        "" => false,
        "simple-only" => true,
        other => panic!("{at}: unknown flag {other:?} (only `simple-only`)"),
    };
    let is_comment = |l: &&str| l.trim().is_empty() || l.trim_start().starts_with("--");
    let start = body
        .iter()
        .position(|l| !is_comment(l))
        .unwrap_or_else(|| panic!("{at}: the case has no SQL"));
    let end = body
        .iter()
        .rposition(|l| !is_comment(l))
        .map_or(start, |e| e + 1);
    let mut case = Case {
        file,
        line,
        name: name.to_string(),
        codes,
        simple_only,
        expect: None,
        column: None,
        params: None,
        sql: body[start..end].join("\n"),
    };
    for l in &body[..start] {
        if let Some(v) = l.strip_prefix("-- expect:") {
            case.expect = Some(json(&at, v));
        } else if let Some(v) = l.strip_prefix("-- column:") {
            case.column = Some(json(&at, v));
        } else if let Some(v) = l.strip_prefix("-- params:") {
            case.params = Some(json(&at, v));
        }
    }
    case
}

fn json<T: DeserializeOwned>(at: &str, text: &str) -> T {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{at}: {text:?} is not JSON: {e}"))
}

/// What a statement did.
#[derive(Debug)]
enum Outcome {
    /// It ran: the last result's first column name, and each row's first column as text.
    Rows {
        column: Option<String>,
        values: Vec<Option<String>>,
    },
    /// The server refused it.
    Refused { code: String, message: String },
    /// It failed without a SQLSTATE (a lost connection, a client-side error).
    Broken(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Rows { values, .. } => {
                let first: Vec<String> =
                    values.iter().take(3).map(|v| shown(v.as_deref())).collect();
                write!(
                    f,
                    "succeeded with {} row(s) [{}]",
                    values.len(),
                    first.join(", ")
                )
            }
            Outcome::Refused { code, message } => write!(f, "refused with {code}: {message}"),
            Outcome::Broken(e) => write!(f, "failed without a SQLSTATE: {e}"),
        }
    }
}

fn outcome_of(e: &tokio_postgres::Error) -> Outcome {
    match e.as_db_error() {
        Some(db) => Outcome::Refused {
            code: db.code().code().to_string(),
            message: db.message().to_string(),
        },
        None => Outcome::Broken(e.to_string()),
    }
}

async fn connect(gw: &Gateway) -> Client {
    let (client, connection) = tokio_postgres::connect(&gw.pg_url(USER, READER_SECRET), NoTls)
        .await
        .unwrap_or_else(|e| panic!("{USER} logs in: {e}"));
    tokio::spawn(connection);
    client
}

async fn run_simple(client: &Client, sql: &str) -> Outcome {
    match client.simple_query(sql).await {
        Ok(messages) => {
            let (mut column, mut values) = (None, Vec::new());
            for message in messages {
                match message {
                    SimpleQueryMessage::RowDescription(columns) => {
                        column = columns.first().map(|c| c.name().to_string());
                    }
                    SimpleQueryMessage::Row(row) => values.push(row.get(0).map(String::from)),
                    _ => {}
                }
            }
            Outcome::Rows { column, values }
        }
        Err(e) => outcome_of(&e),
    }
}

/// Parse, Bind, Execute; `params` are bound as text.
async fn run_extended(client: &Client, sql: &str, params: &[String]) -> Outcome {
    let types = vec![Type::TEXT; params.len()];
    let statement = match client.prepare_typed(sql, &types).await {
        Ok(statement) => statement,
        Err(e) => return outcome_of(&e),
    };
    let args: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    match client.query(&statement, &args).await {
        Ok(rows) => Outcome::Rows {
            column: statement.columns().first().map(|c| c.name().to_string()),
            values: rows.iter().map(first_as_text).collect(),
        },
        Err(e) => outcome_of(&e),
    }
}

/// The first column of a binary-format row, as PostgreSQL prints it.
fn first_as_text(row: &Row) -> Option<String> {
    let Some(column) = row.columns().first() else {
        return Some("<no columns>".into());
    };
    let ty = column.type_().clone();
    let text = match ty {
        Type::INT2 => row
            .try_get::<_, Option<i16>>(0)
            .map(|v| v.map(|v| v.to_string())),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(0)
            .map(|v| v.map(|v| v.to_string())),
        Type::INT8 => row
            .try_get::<_, Option<i64>>(0)
            .map(|v| v.map(|v| v.to_string())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(0)
            .map(|v| v.map(|b| if b { "t" } else { "f" }.to_string())),
        _ => row.try_get::<_, Option<String>>(0),
    };
    text.unwrap_or_else(|e| Some(format!("<a {ty} value this test cannot read: {e}>")))
}

/// The adapter's counters for the test's database; `None` against a real server.
fn stats(gw: &Gateway) -> Option<AdapterStats> {
    adapter_stats(Some(&gw.db.name))
}

/// Whether ClickHouse saw a request between two counts; `None` when nobody counts.
fn reached(before: Option<AdapterStats>, after: Option<AdapterStats>) -> Option<bool> {
    Some(before? != after?)
}

fn failure(run: &Run, wanted: &str) -> String {
    let reached = match run.reached {
        Some(true) => "REACHED ClickHouse",
        Some(false) => "did not reach ClickHouse",
        None => "requests not counted",
    };
    format!(
        "{} [{}]: {}; {reached}; wanted {wanted}",
        run.case.at(),
        run.protocol,
        run.outcome
    )
}

/// A text value as the messages show it.
fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "NULL".to_string(), |v| format!("{v:?}"))
}

/// Prints a one-line summary, then fails with every failure at once.
fn report(file: &str, cases: usize, failures: &[String]) {
    eprintln!(
        "escape: {file}: {cases} cases, {} failure(s) over both protocols",
        failures.len()
    );
    if failures.is_empty() {
        return;
    }
    let mut message = format!("{} failure(s) in tests/escape/{file}:\n", failures.len());
    for f in failures {
        let _ = writeln!(message, "  {f}");
    }
    panic!("{message}");
}

//! `.datasource` files: a ClickHouse table, how events map onto its columns (JSONPaths), its
//! engine options, and the tokens that may read or append to it. The DDL lives in `ddl.rs`.

use std::path::{Path, PathBuf};

use super::column::{parse_schema, Column};
use super::datafile::{self, unknown_directive, Directive, Seen, Value};
use super::engine::{Engine, EngineKind, EngineOption, OPTIONS};
use super::error::{ProjectError, ProjectErrors};
use super::token::{Resource, TokenGrant};

/// A datasource: one table (and its quarantine table).
#[derive(Debug, Clone, PartialEq)]
pub struct Datasource {
    /// The file stem; also the table name and the relation's name for clients.
    pub name: String,
    /// Where it was declared, for error messages.
    pub file: PathBuf,
    /// 1-based line of `SCHEMA`, where errors about the table as a whole point (deploy's
    /// "the table differs" among them).
    pub schema_line: usize,
    /// `DESCRIPTION`, shown in the catalog as the table's comment.
    pub description: Option<String>,
    /// The `SCHEMA` columns, in order.
    pub columns: Vec<Column>,
    /// `ENGINE` and its `ENGINE_*` options.
    pub engine: Engine,
    /// `TOKEN` lines of this file.
    pub tokens: Vec<TokenGrant>,
}

/// The directives a `.datasource` file takes.
const DIRECTIVES: &[&str] = &[
    "DESCRIPTION",
    "SCHEMA",
    "ENGINE",
    "ENGINE_SORTING_KEY",
    "ENGINE_PARTITION_KEY",
    "ENGINE_PRIMARY_KEY",
    "ENGINE_TTL",
    "ENGINE_VER",
    "ENGINE_IS_DELETED",
    "ENGINE_SIGN",
    "ENGINE_VERSION",
    "ENGINE_SUMMING_COLUMNS",
    "ENGINE_SETTINGS",
    "TOKEN",
    "TAGS",
];

/// Tinybird directives pipegate knows but does not implement: refused by name rather than
/// ignored, because ignoring them would change what the datasource does.
const UNSUPPORTED: &[&str] = &[
    "INDEXES",
    "FORWARD_QUERY",
    "BACKFILL",
    "SHARED_WITH",
    "KAFKA_",
    "IMPORT_",
    "S3_",
    "GCS_",
];

impl Datasource {
    /// Parses one `.datasource` file. The name is the file stem; every error carries
    /// `file:line`.
    pub fn parse(path: &Path, text: &str) -> Result<Datasource, ProjectErrors> {
        let (ds, errors) = parse(path, text);
        ProjectErrors::or_ok(errors, ds)
    }
}

fn parse(path: &Path, text: &str) -> (Datasource, Vec<ProjectError>) {
    let name = super::stem(path);
    let err = |line: usize, message: String| ProjectError::new(path, line, message);
    let (directives, syntax) = datafile::read(text);
    let mut errors: Vec<ProjectError> =
        syntax.into_iter().map(|e| err(e.line, e.message)).collect();
    let mut ds = Datasource {
        name: name.clone(),
        file: path.to_path_buf(),
        schema_line: 1,
        description: None,
        columns: Vec::new(),
        engine: Engine::default(),
        tokens: Vec::new(),
    };
    let mut seen = Seen::default();
    let mut schema_seen = false;
    // Engine options are checked against the columns only when all of them parsed, so a
    // broken column does not also show up as "no such column".
    let mut schema_ok = false;
    let (mut kind, mut kind_line) = (EngineKind::MergeTree, None);
    let mut options = Vec::new();
    let mut after_block = false;
    for d in &directives {
        let Directive {
            key, value, line, ..
        } = d;
        let line = *line;
        let was_after_block =
            std::mem::replace(&mut after_block, matches!(value, Value::Block(..)));
        if key != "TOKEN" && key != "TAGS" {
            if let Some(m) = seen.repeat(key, line) {
                errors.push(err(line, m));
                continue;
            }
        }
        match key.as_str() {
            "DESCRIPTION" => ds.description = Some(value.text().to_string()),
            "SCHEMA" => {
                schema_seen = true;
                ds.schema_line = line;
                match value {
                    Value::Block(body, first) => {
                        let (columns, errs) = parse_schema(body, *first);
                        ds.columns = columns;
                        schema_ok = errs.is_empty();
                        errors.extend(errs.into_iter().map(|(l, m)| err(l, m)));
                    }
                    Value::Inline(_) => errors.push(err(
                        line,
                        "SCHEMA must be a block: write `SCHEMA >` and the columns indented below"
                            .into(),
                    )),
                }
            }
            "ENGINE" => match EngineKind::parse(value.text()) {
                Some(k) => (kind, kind_line) = (k, Some(line)),
                None => errors.push(err(
                    line,
                    format!(
                        "unsupported ENGINE {:?}: use one of {}",
                        value.text(),
                        EngineKind::all_names()
                    ),
                )),
            },
            k if OPTIONS.contains(&k) => options.push(EngineOption {
                key: k,
                value: value.text(),
                line,
            }),
            "TOKEN" => match TokenGrant::parse(
                path,
                line,
                value.text(),
                Resource::Datasource(name.clone()),
            ) {
                Ok(t) => ds.tokens.push(t),
                Err(e) => errors.push(e),
            },
            "TAGS" => {} // Tinybird's labels for its UI: nothing to do here.
            k if UNSUPPORTED
                .iter()
                .any(|u| k == *u || (u.ends_with('_') && k.starts_with(u))) =>
            {
                errors.push(err(
                    line,
                    format!(
                        "{} is a Tinybird feature pipegate does not support yet; remove it",
                        d.written
                    ),
                ))
            }
            _ => errors.push(err(
                line,
                unknown_directive(d, DIRECTIVES, was_after_block, ".datasource"),
            )),
        }
    }
    if !schema_seen {
        errors.push(err(
            1,
            "missing SCHEMA block: declare the columns under `SCHEMA >`".into(),
        ));
    }
    let known = if schema_ok { &ds.columns[..] } else { &[] };
    let (engine, errs) = Engine::build(kind, kind_line.unwrap_or(ds.schema_line), &options, known);
    ds.engine = engine;
    errors.extend(errs.into_iter().map(|(l, m)| err(l, m)));
    check_json_paths(&ds, &mut errors);
    errors.sort_by_key(|e| e.line);
    (ds, errors)
}

/// Tinybird's rule: JSONPaths on all columns or on none, except that a column with a
/// DEFAULT may go without (ingestion fills it with the default).
fn check_json_paths(ds: &Datasource, errors: &mut Vec<ProjectError>) {
    if !ds.columns.iter().any(|c| c.json_path.is_some()) {
        return;
    }
    for c in &ds.columns {
        if c.json_path.is_none() && c.default.is_none() {
            errors.push(ProjectError::new(
                &ds.file,
                c.line,
                format!(
                    "column `{}` has no JSONPath while others do: add `json:$.{}` or a DEFAULT",
                    c.name, c.name
                ),
            ));
        }
    }
}

#[cfg(test)]
#[path = "datasource_tests.rs"]
mod tests;

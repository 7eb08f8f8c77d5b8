//! `.datasource` files: a ClickHouse table, how events map onto its columns (JSONPaths), its
//! engine options, and the tokens that may read or append to it.

use std::path::{Path, PathBuf};

use crate::clickhouse::types::ChType;

use super::datafile::{self, Directive, Value};
use super::jsonpath::JsonPath;
use super::{parse_token, suggest, ProjectError, TokenGrant};

/// A datasource: one table and its quarantine table.
#[derive(Debug, Clone, PartialEq)]
pub struct Datasource {
    /// The file stem; also the table name.
    pub name: String,
    /// Where it was declared, for error messages.
    pub file: PathBuf,
    /// `DESCRIPTION`, shown in the catalog as the table's comment.
    pub description: Option<String>,
    pub columns: Vec<Column>,
    pub engine: Engine,
    /// `TOKEN` lines of this file.
    pub tokens: Vec<TokenGrant>,
}

/// One column of `SCHEMA`.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub ty: ChType,
    /// `DEFAULT expr`, used by ClickHouse and by ingestion when the JSONPath finds nothing.
    pub default: Option<String>,
    /// `CODEC(...)`, passed to ClickHouse as written.
    pub codec: Option<String>,
    /// Where ingestion finds the value in each event.
    pub json_path: Option<JsonPath>,
    /// 1-based file line, for errors.
    pub line: usize,
}

/// The table engine and its options (`ENGINE*` directives).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Engine {
    /// `MergeTree`, `ReplacingMergeTree`, ... or `Null`.
    pub name: String,
    pub sorting_key: Option<String>,
    pub partition_key: Option<String>,
    pub primary_key: Option<String>,
    pub ttl: Option<String>,
    /// `ENGINE_VER`: ReplacingMergeTree's version column.
    pub ver: Option<String>,
    /// `ENGINE_IS_DELETED`: ReplacingMergeTree's deleted flag.
    pub is_deleted: Option<String>,
    /// `ENGINE_SIGN`: (Versioned)CollapsingMergeTree's sign column.
    pub sign: Option<String>,
    /// `ENGINE_VERSION`: VersionedCollapsingMergeTree's version column.
    pub version: Option<String>,
    /// `ENGINE_SUMMING_COLUMNS`: SummingMergeTree's columns.
    pub summing_columns: Option<String>,
    /// `ENGINE_SETTINGS`, e.g. `index_granularity = 8192`.
    pub settings: Option<String>,
}

const ENGINES: &[&str] = &[
    "MergeTree",
    "ReplacingMergeTree",
    "SummingMergeTree",
    "AggregatingMergeTree",
    "CollapsingMergeTree",
    "VersionedCollapsingMergeTree",
    "Null",
];
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
];
/// The retry window ingestion relies on for exactly-once flushes (`insert_deduplication_token`).
const DEDUP_SETTING: &str = "non_replicated_deduplication_window";
const DEDUP_WINDOW: u32 = 1000;

impl Datasource {
    /// Parses one `.datasource` file; errors carry `file:line`.
    pub fn parse(path: &Path, text: &str) -> Result<Datasource, Vec<ProjectError>> {
        let name = super::stem(path);
        let mut errors = Vec::new();
        let err = |line: usize, message: String| ProjectError {
            file: path.to_path_buf(),
            line,
            message,
        };
        let (directives, syntax) = datafile::read(text);
        errors.extend(syntax.into_iter().map(|e| err(e.line, e.message)));
        let mut ds = Datasource {
            name: name.clone(),
            file: path.to_path_buf(),
            description: None,
            columns: Vec::new(),
            engine: Engine {
                name: "MergeTree".into(),
                ..Engine::default()
            },
            tokens: Vec::new(),
        };
        let mut schema_seen = false;
        for Directive { key, value, line } in directives {
            let text = value.text().to_string();
            let slot = match key.as_str() {
                "DESCRIPTION" => &mut ds.description,
                "SCHEMA" => {
                    schema_seen = true;
                    match value {
                        Value::Block(body, first) => {
                            match parse_schema(&body, first) {
                                Ok(cols) => ds.columns = cols,
                                Err(es) => errors.extend(es.into_iter().map(|(l, m)| err(l, m))),
                            }
                        }
                        Value::Inline(_) => errors.push(err(line, "SCHEMA must be a block: write `SCHEMA >` and the columns indented below".into())),
                    }
                    continue;
                }
                "ENGINE" => {
                    let engine = text.trim_end_matches("()").to_string();
                    if !ENGINES.contains(&engine.as_str()) {
                        errors.push(err(
                            line,
                            format!(
                                "unsupported ENGINE {engine:?}: use one of {}",
                                ENGINES.join(", ")
                            ),
                        ));
                    }
                    ds.engine.name = engine;
                    continue;
                }
                "ENGINE_SORTING_KEY" => &mut ds.engine.sorting_key,
                "ENGINE_PARTITION_KEY" => &mut ds.engine.partition_key,
                "ENGINE_PRIMARY_KEY" => &mut ds.engine.primary_key,
                "ENGINE_TTL" => &mut ds.engine.ttl,
                "ENGINE_VER" => &mut ds.engine.ver,
                "ENGINE_IS_DELETED" => &mut ds.engine.is_deleted,
                "ENGINE_SIGN" => &mut ds.engine.sign,
                "ENGINE_VERSION" => &mut ds.engine.version,
                "ENGINE_SUMMING_COLUMNS" => &mut ds.engine.summing_columns,
                "ENGINE_SETTINGS" => &mut ds.engine.settings,
                "TOKEN" => {
                    match parse_token(path, line, &text, &name, true) {
                        Ok(t) => ds.tokens.push(t),
                        Err(e) => errors.push(e),
                    }
                    continue;
                }
                other => {
                    errors.push(err(
                        line,
                        format!(
                            "unknown directive {other} in a .datasource file{}",
                            suggest(other, DIRECTIVES)
                        ),
                    ));
                    continue;
                }
            };
            if text.trim().is_empty() {
                errors.push(err(line, format!("{key} needs a value")));
            }
            *slot = Some(text.trim().to_string());
        }
        if !schema_seen {
            errors.push(err(
                1,
                "missing SCHEMA block: declare the columns under `SCHEMA >`".into(),
            ));
        }
        check_engine(&ds, &mut errors);
        if errors.is_empty() {
            Ok(ds)
        } else {
            Err(errors)
        }
    }

    /// `CREATE TABLE IF NOT EXISTS` for the datasource's table in `database`.
    pub fn create_table_sql(&self, database: &str) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|c| {
                let mut def = format!("    {} {}", ident(&c.name), c.ty);
                if let Some(d) = &c.default {
                    def.push_str(&format!(" DEFAULT {d}"));
                }
                if let Some(codec) = &c.codec {
                    def.push_str(&format!(" CODEC({codec})"));
                }
                def
            })
            .collect();
        let e = &self.engine;
        let args: Vec<&str> = match e.name.as_str() {
            "ReplacingMergeTree" => [e.ver.as_deref(), e.is_deleted.as_deref()]
                .into_iter()
                .flatten()
                .collect(),
            "CollapsingMergeTree" => e.sign.as_deref().into_iter().collect(),
            "VersionedCollapsingMergeTree" => [e.sign.as_deref(), e.version.as_deref()]
                .into_iter()
                .flatten()
                .collect(),
            "SummingMergeTree" => e
                .summing_columns
                .as_deref()
                .map(|c| c.trim_start_matches('(').trim_end_matches(')'))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        let mut sql = format!(
            "CREATE TABLE IF NOT EXISTS {}.{}\n(\n{}\n)\nENGINE = {}",
            ident(database),
            ident(&self.name),
            columns.join(",\n"),
            e.name
        );
        if e.name == "Null" {
            return sql;
        }
        sql.push_str(&format!("({})", args.join(", ")));
        if let Some(p) = &e.partition_key {
            sql.push_str(&format!("\nPARTITION BY {p}"));
        }
        if let Some(p) = &e.primary_key {
            sql.push_str(&format!("\nPRIMARY KEY {}", tuple(p)));
        }
        sql.push_str(&format!(
            "\nORDER BY {}",
            e.sorting_key
                .as_deref()
                .map(tuple)
                .unwrap_or_else(|| "tuple()".into())
        ));
        if let Some(t) = &e.ttl {
            sql.push_str(&format!("\nTTL {t}"));
        }
        sql.push_str(&format!(
            "\nSETTINGS {}",
            merged_settings(e.settings.as_deref())
        ));
        sql
    }

    /// `CREATE TABLE IF NOT EXISTS` for `<name>_quarantine`: each column as text, plus why
    /// the row was refused.
    pub fn quarantine_table_sql(&self, database: &str) -> String {
        let mut columns: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("    {} Nullable(String)", ident(&c.name)))
            .collect();
        columns.extend([
            "    `c__error_column` Array(String)".to_string(),
            "    `c__error` Array(String)".to_string(),
            "    `c__import_id` Nullable(String)".to_string(),
            "    `insertion_date` DateTime DEFAULT now()".to_string(),
        ]);
        format!(
            "CREATE TABLE IF NOT EXISTS {}.{}\n(\n{}\n)\nENGINE = MergeTree\nORDER BY insertion_date\nSETTINGS {DEDUP_SETTING} = {DEDUP_WINDOW}",
            ident(database),
            ident(&format!("{}_quarantine", self.name)),
            columns.join(",\n")
        )
    }
}

/// The user's settings with the deduplication window added unless they set it.
fn merged_settings(user: Option<&str>) -> String {
    match user.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.contains(DEDUP_SETTING) => s.to_string(),
        Some(s) => format!("{DEDUP_SETTING} = {DEDUP_WINDOW}, {s}"),
        None => format!("{DEDUP_SETTING} = {DEDUP_WINDOW}"),
    }
}

/// `a, b` → `(a, b)`; an expression already in parentheses stays as it is.
fn tuple(key: &str) -> String {
    let k = key.trim();
    if k.starts_with('(') && k.ends_with(')') {
        k.to_string()
    } else {
        format!("({k})")
    }
}

/// A backtick-quoted identifier.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`"))
}

fn check_engine(ds: &Datasource, errors: &mut Vec<ProjectError>) {
    let e = &ds.engine;
    let need = |opt: &Option<String>, key: &str, engine: &str, errors: &mut Vec<ProjectError>| {
        if opt.is_none() && e.name == engine {
            errors.push(ProjectError {
                file: ds.file.clone(),
                line: 1,
                message: format!("ENGINE {engine} needs {key}"),
            });
        }
    };
    need(&e.sign, "ENGINE_SIGN", "CollapsingMergeTree", errors);
    need(
        &e.sign,
        "ENGINE_SIGN",
        "VersionedCollapsingMergeTree",
        errors,
    );
    need(
        &e.version,
        "ENGINE_VERSION",
        "VersionedCollapsingMergeTree",
        errors,
    );
    if e.is_deleted.is_some() && e.ver.is_none() {
        errors.push(ProjectError {
            file: ds.file.clone(),
            line: 1,
            message: "ENGINE_IS_DELETED needs ENGINE_VER as well".into(),
        });
    }
    let with_path = ds.columns.iter().filter(|c| c.json_path.is_some()).count();
    if with_path > 0 {
        for c in &ds.columns {
            if c.json_path.is_none() && c.default.is_none() {
                errors.push(ProjectError {
                    file: ds.file.clone(),
                    line: c.line,
                    message: format!(
                        "column {} has no JSONPath while others do: add `json:$.…` or a DEFAULT",
                        c.name
                    ),
                });
            }
        }
    }
}

/// Splits the SCHEMA block into column definitions at top-level commas.
fn parse_schema(body: &str, first_line: usize) -> Result<Vec<Column>, Vec<(usize, String)>> {
    let mut defs: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut cur_line = first_line;
    let (mut depth, mut quote) = (0i32, None::<char>);
    let mut line = first_line;
    let mut prev = '\0';
    for c in body.chars() {
        if cur.trim().is_empty() && !c.is_whitespace() {
            cur_line = line;
        }
        match quote {
            Some(q) if c == q && prev != '\\' => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '`' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            },
        }
        if c == '\n' {
            line += 1;
        }
        if c == ',' && quote.is_none() && depth == 0 {
            defs.push((cur_line, std::mem::take(&mut cur)));
        } else {
            cur.push(c);
        }
        prev = if prev == '\\' && c == '\\' { '\0' } else { c };
    }
    if !cur.trim().is_empty() {
        defs.push((cur_line, cur));
    }
    let mut columns = Vec::new();
    let mut errors = Vec::new();
    for (line, def) in defs {
        let def = def.trim();
        if def.is_empty() {
            errors.push((line, "empty column definition (a stray comma?)".to_string()));
            continue;
        }
        match parse_column(def, line) {
            Ok(c) => {
                if columns.iter().any(|x: &Column| x.name == c.name) {
                    errors.push((line, format!("duplicate column {}", c.name)));
                }
                columns.push(c);
            }
            Err(m) => errors.push((line, m)),
        }
    }
    if columns.is_empty() && errors.is_empty() {
        errors.push((first_line, "SCHEMA declares no columns".into()));
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

/// `` `name` Type [DEFAULT expr] [CODEC(...)] [`json:$.path`] ``
fn parse_column(def: &str, line: usize) -> Result<Column, String> {
    let (name, rest) = if let Some(r) = def.strip_prefix('`') {
        let end = r.find('`').ok_or("unterminated `name`")?;
        (r[..end].to_string(), r[end + 1..].trim())
    } else {
        let end = def.find(char::is_whitespace).unwrap_or(def.len());
        (def[..end].to_string(), def[end..].trim())
    };
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!("column name {name:?} must be letters, digits and underscores, not starting with a digit"));
    }
    let (rest, json_path) = match rest.rfind("`json:") {
        Some(start) if rest.ends_with('`') && start + 6 < rest.len() => {
            let path = &rest[start + 6..rest.len() - 1];
            let jp = JsonPath::parse(path)
                .map_err(|e| format!("column {name}: bad JSONPath {path:?}: {e}"))?;
            (rest[..start].trim(), Some(jp))
        }
        _ if rest.contains("`json:") => {
            return Err(format!(
                "column {name}: the JSONPath must be the last thing on the line, as `json:$.path`"
            ))
        }
        _ => (rest, None),
    };
    let upper = rest.to_ascii_uppercase();
    let find_kw = |kw: &str| top_level_find(&upper, kw);
    let default_at = find_kw(" DEFAULT ");
    let codec_at = find_kw(" CODEC(");
    for unsupported in [" MATERIALIZED ", " ALIAS ", " EPHEMERAL "] {
        if find_kw(unsupported).is_some() {
            return Err(format!("column {name}:{} columns are not supported in a datasource; compute them in a pipe", unsupported.trim_end()));
        }
    }
    let type_end = [default_at, codec_at]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let ty_text = rest[..type_end].trim();
    if ty_text.is_empty() {
        return Err(format!("column {name} has no type"));
    }
    let ty = ChType::parse(ty_text).map_err(|e| format!("column {name}: {e}"))?;
    let default = default_at.map(|at| {
        let end = codec_at.filter(|&c| c > at).unwrap_or(rest.len());
        rest[at + " DEFAULT ".len()..end].trim().to_string()
    });
    if default.as_deref() == Some("") {
        return Err(format!("column {name}: DEFAULT needs an expression"));
    }
    let codec = match codec_at {
        Some(at) => {
            let inner = &rest[at + " CODEC(".len()..];
            let end =
                matching_paren(inner).ok_or_else(|| format!("column {name}: unclosed CODEC("))?;
            Some(inner[..end].trim().to_string())
        }
        None => None,
    };
    Ok(Column {
        name,
        ty,
        default,
        codec,
        json_path,
        line,
    })
}

/// Position of `kw` outside quotes and parentheses.
fn top_level_find(s: &str, kw: &str) -> Option<usize> {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => continue,
            None if c == '\'' || c == '`' => quote = Some(c),
            None if c == '(' => depth += 1,
            None if c == ')' => depth -= 1,
            None if depth == 0 && s[i..].starts_with(kw) => return Some(i),
            None => {}
        }
    }
    None
}

/// Index of the `)` closing an already-opened parenthesis.
fn matching_paren(s: &str) -> Option<usize> {
    let mut depth = 1;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
#[path = "datasource_tests.rs"]
mod tests;

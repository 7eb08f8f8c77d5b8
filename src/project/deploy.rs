//! Deploy: make ClickHouse match the project. Creates the database, each datasource's table
//! and its `<name>_quarantine` table, and checks every pipe with `DESCRIBE`.
//!
//! Deploying an unchanged project sends no DDL: each table we create carries a fingerprint of
//! its DDL in its `COMMENT`, and an equal fingerprint means there is nothing to do. A changed
//! schema is an error that says what changed (migrations come later).

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

use crate::clickhouse::{ClickHouse, ClickHouseError};
use crate::template::{RenderMode, Vars};

use super::compile::{compile, PipeError};
use super::{Datasource, Project};

/// The prefix of the table comment that holds the fingerprint.
const FINGERPRINT_PREFIX: &str = "pipegate:ddl:";
/// Stands for the database name while fingerprinting, so that one project deployed into two
/// databases has the same fingerprints.
const DB_PLACEHOLDER: &str = "__pipegate_db__";

/// What a deploy did.
#[derive(Debug, Default)]
pub struct DeployReport {
    /// The database, when deploy created it.
    pub created_database: Option<String>,
    /// Tables created by this deploy.
    pub created: Vec<String>,
    /// Tables that already matched the project.
    pub unchanged: Vec<String>,
    /// Each pipe's output columns, as `DESCRIBE` gave them: (name, ClickHouse type).
    pub pipes: BTreeMap<String, Vec<(String, String)>>,
}

impl fmt::Display for DeployReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(db) = &self.created_database {
            writeln!(f, "created database {db}")?;
        }
        for t in &self.created {
            writeln!(f, "created table {t}")?;
        }
        for t in &self.unchanged {
            writeln!(f, "unchanged table {t}")?;
        }
        for (pipe, cols) in &self.pipes {
            let cols: Vec<String> = cols.iter().map(|(n, t)| format!("{n} {t}")).collect();
            writeln!(f, "pipe {pipe} ok: {}", cols.join(", "))?;
        }
        Ok(())
    }
}

/// Why a deploy failed.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("ClickHouse: {0}")]
    ClickHouse(#[from] ClickHouseError),
    #[error("{file}:{line}: datasource {name}: the table {table} exists with a different schema ({changes}); pipegate does not migrate tables yet: drop the table or revert the datafile")]
    SchemaChanged {
        file: String,
        line: usize,
        name: String,
        table: String,
        changes: String,
    },
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Pipes(Vec<PipeDeployError>),
}

/// A pipe that does not render or that ClickHouse refuses.
#[derive(Debug, thiserror::Error)]
pub enum PipeDeployError {
    #[error(transparent)]
    Render(#[from] PipeError),
    #[error("{file}:{line}: pipe {pipe}: ClickHouse refuses its SQL: {source}")]
    Refused {
        file: String,
        line: usize,
        pipe: String,
        source: ClickHouseError,
    },
}

/// Deploys `project` into the ClickHouse database of `ch`.
pub async fn deploy(project: &Project, ch: &ClickHouse) -> Result<DeployReport, DeployError> {
    let db = ch.database();
    let mut report = DeployReport::default();
    if !exists(ch, &format!("EXISTS DATABASE {}", ident(db))).await? {
        ch.execute(&format!("CREATE DATABASE IF NOT EXISTS {}", ident(db)))
            .await?;
        report.created_database = Some(db.to_string());
    }
    let comments = table_comments(ch, db).await?;
    for ds in &project.datasources {
        let tables = [
            (ds.name.clone(), ds.create_table_sql(DB_PLACEHOLDER)),
            (
                format!("{}_quarantine", ds.name),
                ds.quarantine_table_sql(DB_PLACEHOLDER),
            ),
        ];
        for (table, ddl) in tables {
            deploy_table(ch, ds, &table, &ddl, comments.get(&table), &mut report).await?;
        }
    }
    report.pipes = describe_pipes(project, ch).await?;
    Ok(report)
}

/// Each pipe's output columns, from `DESCRIBE` of its query rendered with defaults and
/// examples; every pipe that does not render or that ClickHouse refuses is reported.
pub async fn describe_pipes(
    project: &Project,
    ch: &ClickHouse,
) -> Result<BTreeMap<String, Vec<(String, String)>>, DeployError> {
    let mut described = BTreeMap::new();
    let mut failures = Vec::new();
    for pipe in &project.pipes {
        let compiled = match compile(pipe, &Vars::new(), RenderMode::Describe) {
            Ok(c) => c,
            Err(e) => {
                failures.push(PipeDeployError::Render(e));
                continue;
            }
        };
        match ch
            .fetch_tsv_in_database(&format!("DESCRIBE ({}\n)", compiled.sql))
            .await
        {
            Ok(rows) => {
                let cols = rows
                    .into_iter()
                    .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone())))
                    .collect();
                described.insert(pipe.name.clone(), cols);
            }
            Err(source) => failures.push(PipeDeployError::Refused {
                file: pipe.file.display().to_string(),
                line: pipe.nodes.first().map(|n| n.sql_line).unwrap_or(1),
                pipe: pipe.name.clone(),
                source,
            }),
        }
    }
    if failures.is_empty() {
        Ok(described)
    } else {
        Err(DeployError::Pipes(failures))
    }
}

/// Creates `table` when missing; otherwise checks that it is the table the project describes.
async fn deploy_table(
    ch: &ClickHouse,
    ds: &Datasource,
    table: &str,
    ddl_template: &str,
    comment: Option<&String>,
    report: &mut DeployReport,
) -> Result<(), DeployError> {
    let db = ch.database();
    let fingerprint = format!("{FINGERPRINT_PREFIX}{}", sha256_hex(ddl_template));
    let qualified = format!("{db}.{table}");
    match comment {
        None => {
            let ddl = ddl_template.replace(&ident(DB_PLACEHOLDER), &ident(db));
            ch.execute(&format!("{ddl} COMMENT {}", string_literal(&fingerprint)))
                .await?;
            report.created.push(qualified);
        }
        Some(c) if *c == fingerprint => report.unchanged.push(qualified),
        Some(c) => {
            // Our own table from another version of the datafile, or a table made by hand:
            // explain in terms of columns, which is what a user can act on.
            let expected = if table == ds.name {
                ds.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.ty.to_string()))
                    .collect::<Vec<_>>()
            } else {
                quarantine_columns(ds)
            };
            let actual = describe_table(ch, db, table).await?;
            let changes = column_changes(&expected, &actual);
            if changes.is_empty() && !c.starts_with(FINGERPRINT_PREFIX) {
                // Made by hand with the same columns: adopt it as it is.
                report.unchanged.push(qualified);
                return Ok(());
            }
            return Err(DeployError::SchemaChanged {
                file: ds.file.display().to_string(),
                line: 1,
                name: ds.name.clone(),
                table: qualified,
                changes: if changes.is_empty() {
                    "the engine, keys, TTL or settings differ".into()
                } else {
                    changes.join("; ")
                },
            });
        }
    }
    Ok(())
}

/// The columns of a quarantine table, as the datasource generates them.
fn quarantine_columns(ds: &Datasource) -> Vec<(String, String)> {
    let mut cols: Vec<(String, String)> = ds
        .columns
        .iter()
        .map(|c| (c.name.clone(), "Nullable(String)".to_string()))
        .collect();
    for (n, t) in [
        ("c__error_column", "Array(String)"),
        ("c__error", "Array(String)"),
        ("c__import_id", "Nullable(String)"),
        ("insertion_date", "DateTime"),
    ] {
        cols.push((n.into(), t.into()));
    }
    cols
}

/// Human-readable differences between the declared and the actual columns.
fn column_changes(expected: &[(String, String)], actual: &[(String, String)]) -> Vec<String> {
    let mut changes = Vec::new();
    for (name, ty) in expected {
        match actual.iter().find(|(n, _)| n == name) {
            None => changes.push(format!(
                "column {name} is in the datafile, not in the table"
            )),
            Some((_, actual_ty)) if normalize_type(actual_ty) != normalize_type(ty) => changes
                .push(format!(
                    "column {name} is {actual_ty}, the datafile says {ty}"
                )),
            Some(_) => {}
        }
    }
    for (name, _) in actual {
        if !expected.iter().any(|(n, _)| n == name) {
            changes.push(format!(
                "column {name} is in the table, not in the datafile"
            ));
        }
    }
    changes
}

fn normalize_type(ty: &str) -> String {
    ty.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `(name, type)` of each column of an existing table.
async fn describe_table(
    ch: &ClickHouse,
    db: &str,
    table: &str,
) -> Result<Vec<(String, String)>, ClickHouseError> {
    let rows = ch
        .fetch_tsv(&format!("DESCRIBE TABLE {}.{}", ident(db), ident(table)))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone())))
        .collect())
}

/// Every table of `db` with its comment, in one query.
async fn table_comments(
    ch: &ClickHouse,
    db: &str,
) -> Result<BTreeMap<String, String>, ClickHouseError> {
    let rows = ch
        .fetch_tsv(&format!(
            "SELECT name, comment FROM system.tables WHERE database = {}",
            string_literal(db)
        ))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.first()?.clone(), r.get(1).cloned().unwrap_or_default())))
        .collect())
}

async fn exists(ch: &ClickHouse, sql: &str) -> Result<bool, ClickHouseError> {
    let rows = ch.fetch_tsv(sql).await?;
    Ok(rows.first().and_then(|r| r.first()).map(String::as_str) == Some("1"))
}

/// A backtick-quoted ClickHouse identifier.
fn ident(name: &str) -> String {
    format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`"))
}

/// A single-quoted ClickHouse string literal.
fn string_literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn column_changes_name_each_difference() {
        let expected = cols(&[("a", "String"), ("b", "Decimal(10, 2)"), ("c", "UInt8")]);
        let actual = cols(&[
            ("a", "String"),
            ("b", "Decimal(10,2)"),
            ("c", "UInt16"),
            ("d", "Date"),
        ]);
        assert_eq!(
            column_changes(&expected, &actual),
            vec![
                "column c is UInt16, the datafile says UInt8".to_string(),
                "column d is in the table, not in the datafile".to_string(),
            ]
        );
        assert!(column_changes(&expected, &expected).is_empty());
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(ident("we`ird"), "`we\\`ird`");
        assert_eq!(string_literal("it's \\"), "'it\\'s \\\\'");
    }

    #[test]
    fn fingerprint_is_stable() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

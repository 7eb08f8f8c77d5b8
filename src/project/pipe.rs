//! `.pipe` files: named, templated ClickHouse queries made of nodes. Later nodes read earlier
//! ones by name, and an endpoint pipe is published as a view and an HTTP endpoint.

use std::fmt;
use std::path::{Path, PathBuf};

use super::datafile::{self, unknown_directive, Directive, Seen, Value};
use super::error::{ProjectError, ProjectErrors};
use super::token::{Resource, TokenGrant};
use super::valid_name;

/// A pipe.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    /// The file stem; the view's name and the endpoint's path.
    pub name: String,
    /// Where it was declared, for error messages.
    pub file: PathBuf,
    /// `DESCRIPTION` before the first node: the view's comment and the endpoint's docs.
    pub description: Option<String>,
    /// The nodes in file order; the last one is the pipe's result.
    pub nodes: Vec<Node>,
    /// `TYPE` (at the top or inside a node): only endpoint pipes are visible to clients.
    pub kind: Option<PipeKind>,
    /// `CACHE <seconds>`: how long results may be served from the cache.
    pub cache_ttl: Option<u64>,
    /// `TOKEN` lines of this file.
    pub tokens: Vec<TokenGrant>,
}

/// What a pipe is published as (`TYPE`, case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipeKind {
    Endpoint,
    Materialized,
    Copy,
    Sink,
}

impl fmt::Display for PipeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PipeKind::Endpoint => "endpoint",
            PipeKind::Materialized => "materialized",
            PipeKind::Copy => "copy",
            PipeKind::Sink => "sink",
        })
    }
}

/// One node: a query that later nodes can read by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The name later nodes use to read this one (it becomes a CTE).
    pub name: String,
    /// The node's `DESCRIPTION`.
    pub description: Option<String>,
    /// The SQL, without the leading `%` line of a templated node.
    pub sql: String,
    /// Whether the SQL is a template (its block began with a `%` line).
    pub templated: bool,
    /// 1-based file line of the first line of `sql`, so template errors map to file lines.
    pub sql_line: usize,
    /// 1-based line of `NODE`.
    pub line: usize,
}

/// The directives a `.pipe` file takes.
const DIRECTIVES: &[&str] = &[
    "DESCRIPTION",
    "TOKEN",
    "TYPE",
    "CACHE",
    "NODE",
    "SQL",
    "TAGS",
];

/// Directives of materialized, copy and sink pipes, which pipegate does not run.
const UNSUPPORTED: &[&str] = &[
    "DATASOURCE",
    "TARGET_DATASOURCE",
    "COPY_SCHEDULE",
    "COPY_MODE",
    "DEPLOYMENT_METHOD",
    "EXPORT_",
    "ENGINE",
    "INCLUDE",
];

impl Pipe {
    /// Parses one `.pipe` file, including each templated node's template. The name is the
    /// file stem; every error carries `file:line`.
    pub fn parse(path: &Path, text: &str) -> Result<Pipe, ProjectErrors> {
        let (pipe, errors) = parse(path, text);
        ProjectErrors::or_ok(errors, pipe)
    }

    /// True when clients may see the pipe (`TYPE endpoint`).
    pub fn is_endpoint(&self) -> bool {
        self.kind == Some(PipeKind::Endpoint)
    }

    /// The node named `name`.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name == name)
    }
}

/// A node being read: from its `NODE` line until the next one.
struct OpenNode {
    name: String,
    line: usize,
    description: Option<String>,
    /// The SQL block and its first file line.
    sql: Option<(String, usize)>,
    /// Whether a broken SQL directive was already reported, so "no SQL" would be noise.
    sql_reported: bool,
    seen: Seen,
}

fn parse(path: &Path, text: &str) -> (Pipe, Vec<ProjectError>) {
    let name = super::stem(path);
    let err = |line: usize, message: String| ProjectError::new(path, line, message);
    let (directives, syntax) = datafile::read(text);
    let mut errors: Vec<ProjectError> =
        syntax.into_iter().map(|e| err(e.line, e.message)).collect();
    let mut pipe = Pipe {
        name: name.clone(),
        file: path.to_path_buf(),
        description: None,
        nodes: Vec::new(),
        kind: None,
        cache_ttl: None,
        tokens: Vec::new(),
    };
    let mut seen = Seen::default();
    let mut open: Option<OpenNode> = None;
    let mut node_lines: Vec<(&str, usize)> = Vec::new();
    let mut after_block = false;
    for d in &directives {
        let Directive {
            key, value, line, ..
        } = d;
        let line = *line;
        let text = value.text().trim();
        let was_after_block =
            std::mem::replace(&mut after_block, matches!(value, Value::Block(..)));
        // DESCRIPTION and SQL belong to the open node; TYPE and CACHE to the pipe.
        let repeat = match (key.as_str(), open.as_mut()) {
            ("DESCRIPTION" | "SQL", Some(node)) => node.seen.repeat(key, line),
            ("DESCRIPTION" | "TYPE" | "CACHE", _) => seen.repeat(key, line),
            _ => None,
        };
        if let Some(m) = repeat {
            errors.push(err(line, m));
            continue;
        }
        match key.as_str() {
            "NODE" => {
                close(open.take(), &mut pipe, &mut errors);
                if !valid_name(text) {
                    errors.push(err(
                        line,
                        format!("node name {text:?} must be letters, digits and underscores, not starting with a digit"),
                    ));
                } else if let Some((_, first)) = node_lines.iter().find(|(n, _)| *n == text) {
                    errors.push(err(
                        line,
                        format!("duplicate node {text} (first on line {first})"),
                    ));
                }
                node_lines.push((text, line));
                open = Some(OpenNode {
                    name: text.to_string(),
                    line,
                    description: None,
                    sql: None,
                    sql_reported: false,
                    seen: Seen::default(),
                });
            }
            "SQL" => match (&mut open, value) {
                (Some(node), Value::Block(body, first)) => node.sql = Some((body.clone(), *first)),
                (Some(node), Value::Inline(_)) => {
                    node.sql_reported = true;
                    errors.push(err(
                        line,
                        "SQL must be a block: write `SQL >` and the query indented below".into(),
                    ))
                }
                (None, _) => errors.push(err(
                    line,
                    "SQL outside a node: put `NODE <name>` before it".into(),
                )),
            },
            "DESCRIPTION" => match &mut open {
                Some(node) => node.description = Some(text.to_string()),
                None => pipe.description = Some(text.to_string()),
            },
            "TYPE" => {
                pipe.kind = match text.to_ascii_lowercase().as_str() {
                    "endpoint" => Some(PipeKind::Endpoint),
                    "materialized" => Some(PipeKind::Materialized),
                    "copy" => Some(PipeKind::Copy),
                    "sink" => Some(PipeKind::Sink),
                    _ => {
                        errors.push(err(
                            line,
                            format!("unknown TYPE {text:?}: use endpoint, materialized, copy or sink"),
                        ));
                        None
                    }
                }
            }
            "CACHE" => match text.parse::<u64>() {
                Ok(ttl) => pipe.cache_ttl = Some(ttl),
                Err(_) => errors.push(err(
                    line,
                    format!("CACHE takes whole seconds, as in CACHE 60, not {text:?}"),
                )),
            },
            "TOKEN" => match TokenGrant::parse(path, line, text, Resource::Pipe(name.clone())) {
                Ok(t) => pipe.tokens.push(t),
                Err(e) => errors.push(e),
            },
            "TAGS" => {} // Tinybird's labels for its UI: nothing to do here.
            k if UNSUPPORTED.iter().any(|u| k == *u || (u.ends_with('_') && k.starts_with(u))) => {
                errors.push(err(
                    line,
                    format!(
                        "{} is not supported: pipegate serves endpoint pipes, and does not run materialized, copy or sink pipes yet",
                        d.written
                    ),
                ))
            }
            _ => errors.push(err(line, unknown_directive(d, DIRECTIVES, was_after_block, ".pipe"))),
        }
    }
    close(open, &mut pipe, &mut errors);
    if !directives.iter().any(|d| d.key == "NODE") {
        errors.push(err(
            1,
            "the pipe has no nodes: add `NODE <name>` and its `SQL >` block".into(),
        ));
    }
    errors.sort_by_key(|e| e.line);
    (pipe, errors)
}

/// Finishes the open node: checks its SQL and its template, and adds it to the pipe.
fn close(open: Option<OpenNode>, pipe: &mut Pipe, errors: &mut Vec<ProjectError>) {
    let Some(OpenNode {
        name,
        line,
        description,
        sql,
        sql_reported,
        ..
    }) = open
    else {
        return;
    };
    let Some((body, first)) = sql else {
        if sql_reported {
            return;
        }
        errors.push(ProjectError::new(
            &pipe.file,
            line,
            format!("node {name} has no SQL: add `SQL >` with the query indented below"),
        ));
        return;
    };
    // A first line of `%` marks a template.
    let (templated, sql, sql_line) = match body.split_once('\n') {
        Some((head, rest)) if head.trim() == "%" => (true, rest.to_string(), first + 1),
        None if body.trim() == "%" => (true, String::new(), first + 1),
        _ => (false, body, first),
    };
    if templated && sql.trim().is_empty() {
        errors.push(ProjectError::new(
            &pipe.file,
            first,
            format!("node {name}: the SQL after `%` is empty"),
        ));
    } else if templated {
        if let Err(e) = crate::template::Template::parse(&sql) {
            errors.push(ProjectError::new(
                &pipe.file,
                sql_line + e.line().unwrap_or(1).saturating_sub(1),
                format!("node {name}: {e}"),
            ));
        }
    }
    pipe.nodes.push(Node {
        name,
        description,
        sql,
        templated,
        sql_line,
        line,
    });
}

#[cfg(test)]
#[path = "pipe_tests.rs"]
mod tests;

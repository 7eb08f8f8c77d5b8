//! `.pipe` files: named, templated ClickHouse queries made of nodes; later nodes read earlier
//! ones by name, and an endpoint pipe is published as a view and an HTTP endpoint.

use std::path::{Path, PathBuf};

use super::datafile::{self, Directive, Value};
use super::{parse_token, suggest, valid_name, ProjectError, TokenGrant};

/// A pipe.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    /// The file stem; the view's name and the endpoint's path.
    pub name: String,
    pub file: PathBuf,
    pub description: Option<String>,
    pub nodes: Vec<Node>,
    /// `TYPE`: only endpoint pipes are visible to clients.
    pub kind: Option<PipeKind>,
    /// `CACHE <seconds>`: how long results may be served from the cache.
    pub cache_ttl: Option<u64>,
    pub tokens: Vec<TokenGrant>,
}

/// What a pipe is published as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipeKind {
    Endpoint,
    Materialized,
    Copy,
    Sink,
}

/// One node: a query that later nodes can read by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
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

const DIRECTIVES: &[&str] = &[
    "DESCRIPTION",
    "TOKEN",
    "TYPE",
    "CACHE",
    "NODE",
    "SQL",
    "TAGS",
];

impl Pipe {
    /// Parses one `.pipe` file; errors carry `file:line`.
    pub fn parse(path: &Path, text: &str) -> Result<Pipe, Vec<ProjectError>> {
        let name = super::stem(path);
        let mut errors = Vec::new();
        let err = |line: usize, message: String| ProjectError {
            file: path.to_path_buf(),
            line,
            message,
        };
        let (directives, syntax) = datafile::read(text);
        errors.extend(syntax.into_iter().map(|e| err(e.line, e.message)));
        let mut pipe = Pipe {
            name: name.clone(),
            file: path.to_path_buf(),
            description: None,
            nodes: Vec::new(),
            kind: None,
            cache_ttl: None,
            tokens: Vec::new(),
        };
        // A node is open from its NODE line until the next NODE.
        let mut open: Option<OpenNode> = None;
        let close = |open: &mut Option<OpenNode>,
                     pipe: &mut Pipe,
                     errors: &mut Vec<ProjectError>| {
            if let Some(OpenNode {
                name: node,
                line,
                description,
                sql,
            }) = open.take()
            {
                match sql {
                    Some((body, first)) => {
                        let node = node_from(node, line, description, body, first);
                        if node.templated {
                            if let Err(e) = crate::template::Template::parse(&node.sql) {
                                errors.push(ProjectError {
                                    file: pipe.file.clone(),
                                    line: node.sql_line + e.line().unwrap_or(1).saturating_sub(1),
                                    message: format!("node {}: {e}", node.name),
                                });
                            }
                        }
                        pipe.nodes.push(node);
                    }
                    None => errors.push(ProjectError {
                        file: pipe.file.clone(),
                        line,
                        message: format!(
                            "node {node} has no SQL: add `SQL >` with the query indented below"
                        ),
                    }),
                }
            }
        };
        for Directive { key, value, line } in directives {
            let text = value.text().trim().to_string();
            match key.as_str() {
                "NODE" => {
                    close(&mut open, &mut pipe, &mut errors);
                    if !valid_name(&text) {
                        errors.push(err(
                            line,
                            format!("node name {text:?} must be letters, digits and underscores"),
                        ));
                    } else if pipe.nodes.iter().any(|n| n.name == text) {
                        errors.push(err(line, format!("duplicate node {text}")));
                    }
                    open = Some(OpenNode {
                        name: text,
                        line,
                        description: None,
                        sql: None,
                    });
                }
                "SQL" => match (&mut open, value) {
                    (Some(node), Value::Block(body, first)) => {
                        if node.sql.is_some() {
                            errors
                                .push(err(line, format!("node {} has two SQL blocks", node.name)));
                        }
                        node.sql = Some((body, first));
                    }
                    (Some(_), Value::Inline(_)) => errors.push(err(
                        line,
                        "SQL must be a block: write `SQL >` and the query indented below".into(),
                    )),
                    (None, _) => errors.push(err(
                        line,
                        "SQL outside a node: put `NODE <name>` before it".into(),
                    )),
                },
                "DESCRIPTION" => match &mut open {
                    Some(node) => node.description = Some(text),
                    None => pipe.description = Some(text),
                },
                "TYPE" => {
                    pipe.kind = match text.to_ascii_lowercase().as_str() {
                        "endpoint" => Some(PipeKind::Endpoint),
                        "materialized" => Some(PipeKind::Materialized),
                        "copy" => Some(PipeKind::Copy),
                        "sink" => Some(PipeKind::Sink),
                        other => {
                            errors.push(err(line, format!("unknown TYPE {other:?}: use endpoint, materialized, copy or sink")));
                            None
                        }
                    }
                }
                "CACHE" => match text.parse::<u64>() {
                    Ok(ttl) => pipe.cache_ttl = Some(ttl),
                    Err(_) => errors.push(err(
                        line,
                        format!("CACHE takes whole seconds, not {text:?}"),
                    )),
                },
                "TOKEN" => match parse_token(path, line, &text, &name, false) {
                    Ok(t) => pipe.tokens.push(t),
                    Err(e) => errors.push(e),
                },
                "TAGS" => {}
                other => errors.push(err(
                    line,
                    format!(
                        "unknown directive {other} in a .pipe file{}",
                        suggest(other, DIRECTIVES)
                    ),
                )),
            }
        }
        close(&mut open, &mut pipe, &mut errors);
        if pipe.nodes.is_empty() && errors.is_empty() {
            errors.push(err(
                1,
                "the pipe has no nodes: add `NODE <name>` and its `SQL >` block".into(),
            ));
        }
        if errors.is_empty() {
            Ok(pipe)
        } else {
            Err(errors)
        }
    }

    /// True when clients may see the pipe (`TYPE endpoint`).
    pub fn is_endpoint(&self) -> bool {
        self.kind == Some(PipeKind::Endpoint)
    }
}

/// A node being read: from its `NODE` line until the next one.
struct OpenNode {
    name: String,
    line: usize,
    description: Option<String>,
    /// The SQL block and its first file line.
    sql: Option<(String, usize)>,
}

/// A node from its SQL block; a first line of `%` marks a template.
fn node_from(
    name: String,
    line: usize,
    description: Option<String>,
    body: String,
    first: usize,
) -> Node {
    let (templated, sql, sql_line) = match body.split_once('\n') {
        Some((head, rest)) if head.trim() == "%" => (true, rest.to_string(), first + 1),
        None if body.trim() == "%" => (true, String::new(), first + 1),
        _ => (false, body, first),
    };
    Node {
        name,
        description,
        sql,
        templated,
        sql_line,
        line,
    }
}

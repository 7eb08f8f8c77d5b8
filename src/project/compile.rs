//! Compiling a pipe: render each node's template and join the nodes into one ClickHouse
//! query, the earlier nodes as CTEs that later nodes read by name.

use crate::template::{RenderMode, Template, TemplateError, Vars};

use super::Pipe;

/// A pipe rendered into one query.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledPipe {
    /// The whole query: `WITH node1 AS (...), ... <last node>`.
    pub sql: String,
    /// `cache_ttl()` from the template, which wins over the pipe's `CACHE`.
    pub cache_ttl: Option<u64>,
    /// `max_threads()` from the template.
    pub max_threads: Option<u64>,
}

/// A pipe that failed to render, located at the file line of the failing template line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: pipe {pipe}, node {node}: {source}")]
pub struct PipeError {
    pub file: String,
    pub line: usize,
    pub pipe: String,
    pub node: String,
    #[source]
    pub source: Box<TemplateError>,
}

/// Renders every node of `pipe` with `vars` and joins them into one query.
pub fn compile(pipe: &Pipe, vars: &Vars, mode: RenderMode) -> Result<CompiledPipe, PipeError> {
    let mut rendered = Vec::with_capacity(pipe.nodes.len());
    let (mut cache_ttl, mut max_threads) = (None, None);
    for node in &pipe.nodes {
        let sql = if node.templated {
            let located = |source: TemplateError| PipeError {
                file: pipe.file.display().to_string(),
                line: node.sql_line + source.line().unwrap_or(1).saturating_sub(1),
                pipe: pipe.name.clone(),
                node: node.name.clone(),
                source: Box::new(source),
            };
            let out = Template::parse(&node.sql)
                .and_then(|t| t.render(vars, mode))
                .map_err(located)?;
            cache_ttl = out.cache_ttl.or(cache_ttl);
            max_threads = out.max_threads.or(max_threads);
            out.sql
        } else {
            node.sql.clone()
        };
        rendered.push((node.name.as_str(), strip_terminator(&sql).to_string()));
    }
    Ok(CompiledPipe {
        sql: join_nodes(&rendered),
        cache_ttl,
        max_threads,
    })
}

/// Drops a trailing `;` so a node can be wrapped in parentheses.
fn strip_terminator(sql: &str) -> &str {
    sql.trim_end().trim_end_matches(';').trim_end()
}

/// Earlier nodes become CTEs named after the node. Each CTE body ends with a newline before
/// its `)`, because node SQL may end in a `--` comment. When the last node has a `WITH` of
/// its own, the node CTEs are put in front of its list, since a query has one `WITH`.
fn join_nodes(nodes: &[(&str, String)]) -> String {
    let Some(((_, last), earlier)) = nodes.split_last() else {
        return String::new();
    };
    if earlier.is_empty() {
        return last.clone();
    }
    let mut sql = String::from("WITH\n");
    for (i, (name, body)) in earlier.iter().enumerate() {
        if i > 0 {
            sql.push_str(",\n");
        }
        sql.push_str(&format!("`{}` AS (\n{}\n)", name.replace('`', "``"), body));
    }
    match leading_with(last) {
        Some(rest) => {
            sql.push_str(",\n");
            sql.push_str(rest);
        }
        None => {
            sql.push('\n');
            sql.push_str(last);
        }
    }
    sql
}

/// The text after a leading `WITH` keyword, when the query starts with one.
fn leading_with(sql: &str) -> Option<&str> {
    let trimmed = sql.trim_start();
    let head = trimmed.get(..4)?;
    let next = trimmed[4..].chars().next()?;
    (head.eq_ignore_ascii_case("with") && next.is_whitespace()).then(|| trimmed[4..].trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_node_is_its_own_query() {
        assert_eq!(join_nodes(&[("a", "SELECT 1".into())]), "SELECT 1");
    }

    #[test]
    fn earlier_nodes_become_ctes() {
        let sql = join_nodes(&[
            ("a", "SELECT 1 AS x -- note".into()),
            ("b", "SELECT x FROM a".into()),
        ]);
        assert_eq!(
            sql,
            "WITH\n`a` AS (\nSELECT 1 AS x -- note\n)\nSELECT x FROM a"
        );
    }

    #[test]
    fn last_node_with_its_own_with_is_merged() {
        let sql = join_nodes(&[
            ("a", "SELECT 1 AS x".into()),
            ("b", "WITH y AS (SELECT 2) SELECT * FROM a, y".into()),
        ]);
        assert_eq!(
            sql,
            "WITH\n`a` AS (\nSELECT 1 AS x\n),\ny AS (SELECT 2) SELECT * FROM a, y"
        );
    }

    #[test]
    fn terminators_are_dropped() {
        assert_eq!(strip_terminator("SELECT 1;  \n"), "SELECT 1");
    }
}

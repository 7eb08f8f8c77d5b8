//! A datasource's table engine and its `ENGINE_*` options, checked against each other and
//! against the columns so that `pipegate check` catches what ClickHouse would refuse.

use std::fmt;

use super::column::Column;

/// The table engines a datasource may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    MergeTree,
    ReplacingMergeTree,
    SummingMergeTree,
    AggregatingMergeTree,
    CollapsingMergeTree,
    VersionedCollapsingMergeTree,
    /// Keeps nothing: rows only feed materialized views.
    Null,
}

const KINDS: &[EngineKind] = &[
    EngineKind::MergeTree,
    EngineKind::ReplacingMergeTree,
    EngineKind::SummingMergeTree,
    EngineKind::AggregatingMergeTree,
    EngineKind::CollapsingMergeTree,
    EngineKind::VersionedCollapsingMergeTree,
    EngineKind::Null,
];

impl EngineKind {
    /// The engine named `name` (`MergeTree` or `MergeTree()`), case as ClickHouse spells it.
    pub fn parse(name: &str) -> Option<EngineKind> {
        let name = name.trim();
        let name = name.strip_suffix("()").unwrap_or(name);
        KINDS.iter().copied().find(|k| k.name() == name)
    }

    /// The ClickHouse name.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::MergeTree => "MergeTree",
            EngineKind::ReplacingMergeTree => "ReplacingMergeTree",
            EngineKind::SummingMergeTree => "SummingMergeTree",
            EngineKind::AggregatingMergeTree => "AggregatingMergeTree",
            EngineKind::CollapsingMergeTree => "CollapsingMergeTree",
            EngineKind::VersionedCollapsingMergeTree => "VersionedCollapsingMergeTree",
            EngineKind::Null => "Null",
        }
    }

    /// MergeTree-family engines store rows in parts: they take keys, TTL and settings, and
    /// the deduplication window ingestion relies on.
    pub fn is_merge_tree(self) -> bool {
        self != EngineKind::Null
    }

    /// Every engine name, for error messages.
    pub(crate) fn all_names() -> String {
        KINDS
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The table engine and its options (`ENGINE*` directives), as written (expressions are
/// passed to ClickHouse verbatim).
#[derive(Debug, Clone, PartialEq)]
pub struct Engine {
    /// `ENGINE`; MergeTree when the file does not say.
    pub kind: EngineKind,
    /// `ENGINE_SORTING_KEY`: ORDER BY; `tuple()` when absent.
    pub sorting_key: Option<String>,
    /// `ENGINE_PARTITION_KEY`: PARTITION BY.
    pub partition_key: Option<String>,
    /// `ENGINE_PRIMARY_KEY`: PRIMARY KEY, when it differs from the sorting key.
    pub primary_key: Option<String>,
    /// `ENGINE_TTL`: the table TTL expression.
    pub ttl: Option<String>,
    /// `ENGINE_VER`: ReplacingMergeTree's version column.
    pub ver: Option<String>,
    /// `ENGINE_IS_DELETED`: ReplacingMergeTree's deleted flag (needs `ENGINE_VER`).
    pub is_deleted: Option<String>,
    /// `ENGINE_SIGN`: (Versioned)CollapsingMergeTree's sign column.
    pub sign: Option<String>,
    /// `ENGINE_VERSION`: VersionedCollapsingMergeTree's version column.
    pub version: Option<String>,
    /// `ENGINE_SUMMING_COLUMNS`: SummingMergeTree's columns to sum.
    pub summing_columns: Option<String>,
    /// `ENGINE_SETTINGS`, as (name, value) pairs, e.g. `("index_granularity", "8192")`.
    pub settings: Vec<(String, String)>,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine {
            kind: EngineKind::MergeTree,
            sorting_key: None,
            partition_key: None,
            primary_key: None,
            ttl: None,
            ver: None,
            is_deleted: None,
            sign: None,
            version: None,
            summing_columns: None,
            settings: Vec::new(),
        }
    }
}

/// The `ENGINE_*` option directives.
pub(crate) const OPTIONS: &[&str] = &[
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
];

/// An `ENGINE_*` directive: key, value and line.
pub(crate) struct EngineOption<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub line: usize,
}

impl Engine {
    /// Builds the engine from `ENGINE` (its kind and the line to blame for what it lacks)
    /// and its options, and checks them against each other and against `columns` (when
    /// empty, column names are not checked). Errors are (line, message).
    pub(crate) fn build(
        kind: EngineKind,
        kind_line: usize,
        options: &[EngineOption<'_>],
        columns: &[Column],
    ) -> (Engine, Vec<(usize, String)>) {
        let mut engine = Engine {
            kind,
            ..Engine::default()
        };
        let mut errors = Vec::new();
        let column_check =
            |key: &str, value: &str, line: usize, errors: &mut Vec<(usize, String)>| {
                for item in split_top_level(value) {
                    let name = item.trim().trim_matches('`');
                    let bare = super::valid_name(name);
                    if bare && !columns.is_empty() && !columns.iter().any(|c| c.name == name) {
                        errors.push((
                            line,
                            format!("{key}: there is no column `{name}` in SCHEMA"),
                        ));
                    }
                }
            };
        for EngineOption { key, value, line } in options {
            let (key, value, line) = (*key, value.trim(), *line);
            if !applies(key, kind) {
                errors.push((
                    line,
                    format!("{key} does not apply to ENGINE {kind}{}", applies_hint(key)),
                ));
                continue;
            }
            if value.is_empty() {
                errors.push((line, format!("{key} needs a value")));
                continue;
            }
            let slot = match key {
                "ENGINE_SORTING_KEY" => &mut engine.sorting_key,
                "ENGINE_PARTITION_KEY" => &mut engine.partition_key,
                "ENGINE_PRIMARY_KEY" => &mut engine.primary_key,
                "ENGINE_TTL" => &mut engine.ttl,
                "ENGINE_VER" => &mut engine.ver,
                "ENGINE_IS_DELETED" => &mut engine.is_deleted,
                "ENGINE_SIGN" => &mut engine.sign,
                "ENGINE_VERSION" => &mut engine.version,
                "ENGINE_SUMMING_COLUMNS" => &mut engine.summing_columns,
                _ => {
                    match parse_settings(value) {
                        Ok(settings) => engine.settings = settings,
                        Err(m) => errors.push((line, format!("ENGINE_SETTINGS: {m}"))),
                    }
                    continue;
                }
            };
            match key {
                "ENGINE_VER" | "ENGINE_IS_DELETED" | "ENGINE_SIGN" | "ENGINE_VERSION" => {
                    let name = value.trim_matches('`');
                    if !columns.is_empty() && !columns.iter().any(|c| c.name == name) {
                        errors.push((
                            line,
                            format!("{key}: there is no column `{name}` in SCHEMA"),
                        ));
                    }
                }
                "ENGINE_SORTING_KEY" | "ENGINE_PRIMARY_KEY" | "ENGINE_SUMMING_COLUMNS" => {
                    column_check(key, strip_parens(value), line, &mut errors)
                }
                _ => {}
            }
            *slot = Some(value.to_string());
        }
        let mut need = |present: bool, key: &str| {
            if !present {
                errors.push((kind_line, format!("ENGINE {kind} needs {key}")));
            }
        };
        match kind {
            EngineKind::CollapsingMergeTree => need(engine.sign.is_some(), "ENGINE_SIGN"),
            EngineKind::VersionedCollapsingMergeTree => {
                need(engine.sign.is_some(), "ENGINE_SIGN");
                need(engine.version.is_some(), "ENGINE_VERSION");
            }
            _ => {}
        }
        if engine.is_deleted.is_some() && engine.ver.is_none() {
            let line = options
                .iter()
                .find(|o| o.key == "ENGINE_IS_DELETED")
                .map_or(kind_line, |o| o.line);
            errors.push((line, "ENGINE_IS_DELETED needs ENGINE_VER as well".into()));
        }
        (engine, errors)
    }
}

/// Whether option `key` means something for engine `kind`.
fn applies(key: &str, kind: EngineKind) -> bool {
    use EngineKind::*;
    match key {
        "ENGINE_VER" | "ENGINE_IS_DELETED" => kind == ReplacingMergeTree,
        "ENGINE_SIGN" => matches!(kind, CollapsingMergeTree | VersionedCollapsingMergeTree),
        "ENGINE_VERSION" => kind == VersionedCollapsingMergeTree,
        "ENGINE_SUMMING_COLUMNS" => kind == SummingMergeTree,
        _ => kind.is_merge_tree(),
    }
}

fn applies_hint(key: &str) -> &'static str {
    match key {
        "ENGINE_VER" | "ENGINE_IS_DELETED" => ": it is for ReplacingMergeTree",
        "ENGINE_SIGN" => ": it is for CollapsingMergeTree and VersionedCollapsingMergeTree",
        "ENGINE_VERSION" => ": it is for VersionedCollapsingMergeTree",
        "ENGINE_SUMMING_COLUMNS" => ": it is for SummingMergeTree",
        _ => ": a Null table stores nothing",
    }
}

/// `(a, b)` → `a, b`, when the outer parentheses enclose the whole text.
pub(crate) fn strip_parens(s: &str) -> &str {
    let t = s.trim();
    match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) if closes_at_end(t) => inner,
        _ => t,
    }
}

/// Whether the `(` at the start of `s` is closed by its last character.
fn closes_at_end(s: &str) -> bool {
    let mut depth = 0;
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '`' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1 == s.len();
                    }
                }
                _ => {}
            },
        }
    }
    false
}

/// Splits at commas outside parentheses and quotes.
pub(crate) fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '`' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&s[start..i]);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    parts.push(&s[start..]);
    parts
}

/// `a = 1, b = 'x'` → [("a", "1"), ("b", "'x'")].
fn parse_settings(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in split_top_level(s) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let Some((name, value)) = item.split_once('=') else {
            return Err(format!("expected `name = value`, found {item:?}"));
        };
        let (name, value) = (name.trim(), value.trim());
        if !super::valid_name(name) || value.is_empty() {
            return Err(format!("expected `name = value`, found {item:?}"));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(format!("{name} is set twice"));
        }
        out.push((name.to_string(), value.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_names() {
        assert_eq!(
            EngineKind::parse("MergeTree()"),
            Some(EngineKind::MergeTree)
        );
        assert_eq!(EngineKind::parse("Null"), Some(EngineKind::Null));
        assert_eq!(EngineKind::parse("mergetree"), None);
        assert!(!EngineKind::Null.is_merge_tree());
    }

    #[test]
    fn settings_are_pairs() {
        assert_eq!(
            parse_settings("index_granularity=8192, ttl_only_drop_parts = 1,storage_policy='s3'"),
            Ok(vec![
                ("index_granularity".into(), "8192".into()),
                ("ttl_only_drop_parts".into(), "1".into()),
                ("storage_policy".into(), "'s3'".into()),
            ])
        );
        assert_eq!(
            parse_settings("index_granularity"),
            Err("expected `name = value`, found \"index_granularity\"".into())
        );
        assert_eq!(parse_settings("a=1, a=2"), Err("a is set twice".into()));
    }

    #[test]
    fn parentheses_and_commas() {
        assert_eq!(strip_parens("(a, b)"), "a, b");
        assert_eq!(strip_parens("(a), (b)"), "(a), (b)");
        assert_eq!(strip_parens("tuple()"), "tuple()");
        assert_eq!(
            split_top_level("a, f(b, c), 'x,y'"),
            ["a", " f(b, c)", " 'x,y'"]
        );
    }
}

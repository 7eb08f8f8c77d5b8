//! The ClickHouse DDL of a datasource: its table and its `<name>_quarantine` table.
//!
//! MergeTree-family tables always get `non_replicated_deduplication_window`: ingestion
//! retries a flush with the same `insert_deduplication_token`, and only that setting makes
//! a non-replicated table drop the repeat. A user's own value for it wins.

use super::column::QUARANTINE_COLUMNS;
use super::engine::{split_top_level, strip_parens, EngineKind};
use super::Datasource;

/// The retry window ingestion relies on for exactly-once flushes.
pub const DEDUP_SETTING: &str = "non_replicated_deduplication_window";
/// How many recent inserts a table remembers for deduplication.
pub const DEDUP_WINDOW: u32 = 1000;

impl Datasource {
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
        let mut sql = format!(
            "CREATE TABLE IF NOT EXISTS {}.{}\n(\n{}\n)\nENGINE = {}",
            ident(database),
            ident(&self.name),
            columns.join(",\n"),
            e.kind
        );
        if !e.kind.is_merge_tree() {
            return sql;
        }
        let args: Vec<String> = match e.kind {
            EngineKind::ReplacingMergeTree => [&e.ver, &e.is_deleted]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            EngineKind::CollapsingMergeTree => e.sign.iter().cloned().collect(),
            EngineKind::VersionedCollapsingMergeTree => [&e.sign, &e.version]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            // One argument: a column, or a tuple of columns.
            EngineKind::SummingMergeTree => e
                .summing_columns
                .as_deref()
                .map(|c| match split_top_level(strip_parens(c)).len() {
                    1 => strip_parens(c).to_string(),
                    _ => format!("({})", strip_parens(c)),
                })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        sql.push_str(&format!("({})", args.join(", ")));
        if let Some(p) = &e.partition_key {
            sql.push_str(&format!("\nPARTITION BY {p}"));
        }
        if let Some(p) = &e.primary_key {
            sql.push_str(&format!("\nPRIMARY KEY {}", tuple(p)));
        }
        let order = e.sorting_key.as_deref().map_or("tuple()".into(), tuple);
        sql.push_str(&format!("\nORDER BY {order}"));
        if let Some(t) = &e.ttl {
            sql.push_str(&format!("\nTTL {t}"));
        }
        sql.push_str(&format!("\nSETTINGS {}", settings(&e.settings)));
        sql
    }

    /// `CREATE TABLE IF NOT EXISTS` for `<name>_quarantine` in `database`: each column as
    /// text (the raw value that failed), plus why the row was refused and when.
    pub fn quarantine_table_sql(&self, database: &str) -> String {
        let mut columns: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("    {} Nullable(String)", ident(&c.name)))
            .collect();
        for (name, ty) in QUARANTINE_COLUMNS {
            let default = if *name == "insertion_date" {
                " DEFAULT now()"
            } else {
                ""
            };
            columns.push(format!("    {} {ty}{default}", ident(name)));
        }
        format!(
            "CREATE TABLE IF NOT EXISTS {}.{}\n(\n{}\n)\nENGINE = MergeTree\nORDER BY insertion_date\nSETTINGS {DEDUP_SETTING} = {DEDUP_WINDOW}",
            ident(database),
            ident(&self.quarantine_name()),
            columns.join(",\n")
        )
    }

    /// The name of the quarantine table.
    pub fn quarantine_name(&self) -> String {
        format!("{}_quarantine", self.name)
    }
}

/// The user's settings, after the deduplication window unless they set it themselves.
fn settings(user: &[(String, String)]) -> String {
    let mut all: Vec<String> = Vec::with_capacity(user.len() + 1);
    if !user.iter().any(|(n, _)| n == DEDUP_SETTING) {
        all.push(format!("{DEDUP_SETTING} = {DEDUP_WINDOW}"));
    }
    all.extend(user.iter().map(|(n, v)| format!("{n} = {v}")));
    all.join(", ")
}

/// `a, b` → `(a, b)`; an expression already in parentheses, or `tuple()`, stays as it is.
fn tuple(key: &str) -> String {
    let k = key.trim();
    if k == "tuple()" || strip_parens(k) != k {
        k.to_string()
    } else {
        format!("({k})")
    }
}

/// A backtick-quoted ClickHouse identifier, with `\` and `` ` `` escaped.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_escaped() {
        assert_eq!(ident("a"), "`a`");
        assert_eq!(ident("we`ird\\"), "`we\\`ird\\\\`");
    }

    #[test]
    fn keys_become_tuples_once() {
        assert_eq!(tuple("a, b"), "(a, b)");
        assert_eq!(tuple("(a, b)"), "(a, b)");
        assert_eq!(tuple("(a), (b)"), "((a), (b))");
        assert_eq!(tuple("tuple()"), "tuple()");
        assert_eq!(tuple("toDate(ts)"), "(toDate(ts))");
    }

    #[test]
    fn the_dedup_window_is_added_once() {
        assert_eq!(settings(&[]), "non_replicated_deduplication_window = 1000");
        assert_eq!(
            settings(&[("index_granularity".into(), "8192".into())]),
            "non_replicated_deduplication_window = 1000, index_granularity = 8192"
        );
        assert_eq!(
            settings(&[(DEDUP_SETTING.into(), "10".into())]),
            "non_replicated_deduplication_window = 10"
        );
    }
}

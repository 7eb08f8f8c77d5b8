//! A datasource compiled for ingestion: its columns' JSONPaths as one [`PathTree`], each
//! column's [`Conv`], and the INSERT statements of its table and quarantine table. It turns
//! a body into an [`Entry`]: the good rows as RowBinaryWithDefaults, the bad ones as
//! quarantine rows that say which columns failed and why.

use serde_json::value::RawValue;

use crate::project::ddl::ident;
use crate::project::{Column, Datasource};

use super::convert::{self, Conv};
use super::entry::{Entry, EntryBuilder};
use super::json::{self, follow, Json, Locator, PathTree};

/// One column as ingestion sees it.
#[derive(Debug)]
pub(super) struct Target {
    pub(super) name: String,
    pub(super) conv: Conv,
    /// Where the value is; `None` for a column with no JSONPath, filled by its DEFAULT (or,
    /// in a datasource with no JSONPaths at all, found by its name at the top level).
    locator: Option<Locator>,
    /// Whether the column has a DEFAULT, which a missing or null value takes.
    pub(super) has_default: bool,
}

/// A datasource ready for ingestion.
#[derive(Debug)]
pub struct Schema {
    /// The datasource's name.
    pub name: String,
    pub(super) targets: Vec<Target>,
    tree: PathTree,
    slots: usize,
    /// `INSERT INTO db.table (cols) FORMAT RowBinaryWithDefaults`.
    pub insert_sql: String,
    /// `INSERT INTO db.table_quarantine (cols) FORMAT RowBinary`.
    pub quarantine_sql: String,
    /// The table has a JSON column, which RowBinary must read as text.
    pub has_json: bool,
}

/// Why a body was refused as a whole (a 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BodyError(pub String);

impl Schema {
    pub fn new(ds: &Datasource, database: &str) -> Schema {
        let by_name = !ds.columns.iter().any(|c| c.json_path.is_some());
        let paths: Vec<crate::project::JsonPath> = ds
            .columns
            .iter()
            .filter_map(|c| path_of(c, by_name))
            .collect();
        let refs: Vec<&crate::project::JsonPath> = paths.iter().collect();
        let (tree, locators, slots) = PathTree::build(&refs);
        let mut locators = locators.into_iter();
        let targets: Vec<Target> = ds
            .columns
            .iter()
            .map(|c| Target {
                name: c.name.clone(),
                conv: Conv::new(&c.ty),
                locator: path_of(c, by_name).and_then(|_| locators.next()),
                has_default: c.default.is_some(),
            })
            .collect();
        let cols: Vec<String> = ds.columns.iter().map(|c| ident(&c.name)).collect();
        let mut qcols = cols.clone();
        qcols.extend(
            crate::project::column::QUARANTINE_COLUMNS
                .iter()
                .map(|(n, _)| ident(n)),
        );
        Schema {
            name: ds.name.clone(),
            insert_sql: format!(
                "INSERT INTO {}.{} ({}) FORMAT RowBinaryWithDefaults",
                ident(database),
                ident(&ds.name),
                cols.join(", ")
            ),
            quarantine_sql: format!(
                "INSERT INTO {}.{} ({}) FORMAT RowBinary",
                ident(database),
                ident(&ds.quarantine_name()),
                qcols.join(", ")
            ),
            has_json: targets.iter().any(|t| has_json(&t.conv)),
            targets,
            tree,
            slots,
        }
    }

    /// Converts every document of `body` into an entry. A body that is not JSON (or whose
    /// documents are not) is refused whole; a document whose values do not convert is
    /// quarantined and the others still land.
    pub fn encode(&self, body: &str, key: [u8; 16], received_ms: u64) -> Result<Entry, BodyError> {
        let mut builder = EntryBuilder::new(key, received_ms);
        let docs = json::documents(body).map_err(BodyError)?;
        let mut slots: Vec<Option<&RawValue>> = vec![None; self.slots];
        let mut errors: Vec<(usize, String)> = Vec::new();
        let mut row = Vec::with_capacity(256);
        let mut fallback = None;
        for (n, (line, doc)) in docs.iter().enumerate() {
            slots.iter_mut().for_each(|s| *s = None);
            if let Err(e) = self.tree.capture(doc, &mut slots) {
                if n == 0 && fallback.is_none() {
                    // Not one document per line: perhaps one document over several lines.
                    if let Some(stream) = json::stream(body) {
                        fallback = Some(stream);
                        break;
                    }
                }
                return Err(BodyError(format!("line {line}: invalid JSON: {e}")));
            }
            let value = |_: usize, t: &Target| self.value(t, &slots);
            self.encode_row(&value, &mut row, &mut errors);
            self.finish_row(&value, &mut row, &mut errors, &mut builder);
        }
        if let Some(docs) = fallback {
            for (line, doc) in docs {
                slots.iter_mut().for_each(|s| *s = None);
                self.tree
                    .capture(doc, &mut slots)
                    .map_err(|e| BodyError(format!("line {line}: invalid JSON: {e}")))?;
                let value = |_: usize, t: &Target| self.value(t, &slots);
                self.encode_row(&value, &mut row, &mut errors);
                self.finish_row(&value, &mut row, &mut errors, &mut builder);
            }
        }
        Ok(builder.finish())
    }

    /// Adds the encoded row to the entry, or its quarantine row when a column failed.
    pub(super) fn finish_row<'a>(
        &self,
        value: &dyn Fn(usize, &Target) -> Option<Json<'a>>,
        row: &mut Vec<u8>,
        errors: &mut Vec<(usize, String)>,
        builder: &mut EntryBuilder,
    ) {
        if errors.is_empty() {
            builder.push_row(row);
        } else {
            let mut q = Vec::with_capacity(256);
            self.quarantine_row(
                value,
                errors,
                builder.key_hex(),
                builder.received_secs(),
                &mut q,
            );
            builder.push_quarantined(&q);
        }
        row.clear();
        errors.clear();
    }

    /// Encodes one row as RowBinaryWithDefaults into `row`, or records each column's error.
    pub(super) fn encode_row<'a>(
        &self,
        value: &dyn Fn(usize, &Target) -> Option<Json<'a>>,
        row: &mut Vec<u8>,
        errors: &mut Vec<(usize, String)>,
    ) {
        for (i, t) in self.targets.iter().enumerate() {
            match value(i, t) {
                None | Some(Json::Null) if t.has_default => row.push(1),
                None if t.conv.is_array() => row.extend_from_slice(&[0, 0]),
                None if matches!(t.conv, Conv::Nullable(_)) => row.extend_from_slice(&[0, 1]),
                None => errors.push((
                    i,
                    "missing: the column is not Nullable and has no DEFAULT".into(),
                )),
                Some(Json::Null) if t.conv.is_array() => row.extend_from_slice(&[0, 0]),
                Some(v) => {
                    row.push(0);
                    if let Err(e) = t.conv.encode(&v, row) {
                        errors.push((i, e));
                    }
                }
            }
        }
    }

    fn value<'a>(&self, t: &Target, slots: &[Option<&'a RawValue>]) -> Option<Json<'a>> {
        let loc = t.locator.as_ref()?;
        let raw = (*slots.get(loc.slot)?)?;
        follow(Json::from_raw(raw), &loc.rest)
    }

    /// The quarantine row: every column's value as text (NULL when absent), the failed
    /// columns and their errors, the import id and the time the request arrived.
    fn quarantine_row<'a>(
        &self,
        value: &dyn Fn(usize, &Target) -> Option<Json<'a>>,
        errors: &[(usize, String)],
        import_id: &str,
        received_secs: u32,
        out: &mut Vec<u8>,
    ) {
        for (i, t) in self.targets.iter().enumerate() {
            match value(i, t) {
                None => out.push(1),
                Some(v) => {
                    out.push(0);
                    convert::string(v.text().as_bytes(), out);
                }
            }
        }
        convert::varint(errors.len() as u64, out);
        for (i, _) in errors {
            convert::string(self.targets[*i].name.as_bytes(), out);
        }
        convert::varint(errors.len() as u64, out);
        for (i, e) in errors {
            convert::string(format!("{}: {e}", self.targets[*i].name).as_bytes(), out);
        }
        out.push(0);
        convert::string(import_id.as_bytes(), out);
        out.extend_from_slice(&received_secs.to_le_bytes());
    }
}

/// A column's path: its JSONPath, or in a datasource without any, `$.<name>`.
fn path_of(c: &Column, by_name: bool) -> Option<crate::project::JsonPath> {
    match (&c.json_path, by_name) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => Some(crate::project::JsonPath {
            segments: vec![crate::project::Segment::Key(c.name.clone())],
        }),
        (None, false) => None,
    }
}

fn has_json(c: &Conv) -> bool {
    match c {
        Conv::Json => true,
        Conv::Array(t) | Conv::Nullable(t) => has_json(t),
        Conv::Map(k, v) => has_json(k) || has_json(v),
        Conv::Tuple(items) => items.iter().any(|(_, t)| has_json(t)),
        _ => false,
    }
}

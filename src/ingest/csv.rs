//! Bulk append in CSV: each line is a row whose fields are the datasource's columns, in
//! their declared order, or in the order a header line names them. A field converts as the
//! same text would in a JSON string, so CSV and NDJSON rows land identically.
//!
//! - A first line whose every field is a column name is a header: fields map by name, and
//!   columns it does not name are missing.
//! - An empty field is a missing value (the column's DEFAULT, NULL, `[]`), except in a
//!   non-Nullable String column without a DEFAULT, where it is the empty string; `\N` is
//!   NULL.
//! - Array, Map, Tuple and JSON fields hold JSON text (`"[1,2]"`).
//! - A line with the wrong number of fields is quarantined; the others still land.

use std::borrow::Cow;

use serde_json::value::RawValue;

use super::convert::Conv;
use super::entry::{Entry, EntryBuilder};
use super::json::Json;
use super::schema::{BodyError, Schema, Target};

impl Schema {
    /// Converts every line of a CSV body into an entry. A body that is not CSV is refused
    /// whole; a line whose values do not convert is quarantined.
    pub fn encode_csv(
        &self,
        body: &str,
        key: [u8; 16],
        received_ms: u64,
    ) -> Result<Entry, BodyError> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut builder = EntryBuilder::new(key, received_ms);
        let mut fields: Vec<Option<usize>> = (0..self.targets.len()).map(Some).collect();
        let mut width = self.targets.len();
        let mut record = ::csv::StringRecord::new();
        let mut row = Vec::with_capacity(256);
        let mut errors: Vec<(usize, String)> = Vec::new();
        let mut first = true;
        loop {
            let more = reader.read_record(&mut record).map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                BodyError(format!("line {line}: invalid CSV: {e}"))
            })?;
            if !more {
                break;
            }
            if std::mem::take(&mut first) {
                if let Some(by_name) = self.header(&record) {
                    (fields, width) = (by_name, record.len());
                    continue;
                }
            }
            let value = |i: usize, t: &Target| {
                let text = record.get(fields[i]?)?;
                field(t, text)
            };
            self.encode_row(&value, &mut row, &mut errors);
            if record.len() != width {
                let line = record.position().map_or(0, |p| p.line());
                errors.push((
                    self.targets.len() - 1,
                    format!(
                        "line {line} has {} fields where {width} are expected",
                        record.len()
                    ),
                ));
            }
            self.finish_row(&value, &mut row, &mut errors, &mut builder);
        }
        Ok(builder.finish())
    }

    /// For a header line (every field a column name), the field of each column.
    fn header(&self, record: &::csv::StringRecord) -> Option<Vec<Option<usize>>> {
        let names: Vec<&str> = record.iter().map(str::trim).collect();
        if names.is_empty()
            || !names
                .iter()
                .all(|n| self.targets.iter().any(|t| t.name == *n))
        {
            return None;
        }
        Some(
            self.targets
                .iter()
                .map(|t| names.iter().position(|n| *n == t.name))
                .collect(),
        )
    }
}

/// A field's value as the column's converter takes it; `None` when it is missing.
fn field<'a>(target: &Target, text: &'a str) -> Option<Json<'a>> {
    if text == "\\N" {
        return Some(Json::Null);
    }
    if text.is_empty() {
        let empty_string = matches!(target.conv, Conv::String) && !target.has_default;
        return empty_string.then_some(Json::Str(Cow::Borrowed("")));
    }
    let inner = match &target.conv {
        Conv::Nullable(inner) => inner,
        other => other,
    };
    if matches!(
        inner,
        Conv::Array(_) | Conv::Map(..) | Conv::Tuple(_) | Conv::Json
    ) {
        if let Ok(raw) = serde_json::from_str::<&RawValue>(text) {
            return Some(Json::from_raw(raw));
        }
    }
    Some(Json::Str(Cow::Borrowed(text)))
}

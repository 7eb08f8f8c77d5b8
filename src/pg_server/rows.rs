//! Result rows as DataRow messages: a ClickHouse result decoded and re-encoded in one pass
//! as the client reads it, or rows computed in the gateway (SHOW, constants).

use std::sync::Arc;

use bytes::{Buf, BytesMut};
use futures::stream::{self, BoxStream, StreamExt};
use pgwire::api::results::{FieldFormat, FieldInfo};
use pgwire::api::Type;
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::data::DataRow;

use crate::query::{ChRows, QueryError};

use super::encode::{RowEncoder, SessionZone};
use super::types::pg_typmod;

/// Bind's result formats as a list (empty: all text; one: all alike; else per column).
pub fn formats(format: &pgwire::api::portal::Format) -> Vec<FieldFormat> {
    use pgwire::api::portal::Format;
    match format {
        Format::UnifiedText => Vec::new(),
        Format::UnifiedBinary => vec![FieldFormat::Binary],
        Format::Individual(codes) => codes
            .iter()
            .map(|c| {
                if *c == 1 {
                    FieldFormat::Binary
                } else {
                    FieldFormat::Text
                }
            })
            .collect(),
    }
}

/// The format of column `i` under Bind's rule: none given means text, one means all.
pub fn format_of(formats: &[FieldFormat], i: usize) -> FieldFormat {
    match formats {
        [] => FieldFormat::Text,
        [one] => *one,
        many => many.get(i).copied().unwrap_or(FieldFormat::Text),
    }
}

fn query_error(e: &QueryError) -> PgWireError {
    PgWireError::UserError(Box::new(super::handler::error_info(e)))
}

/// A result's RowDescription fields and its rows as they are decoded.
pub type RowStream = (
    Arc<Vec<FieldInfo>>,
    BoxStream<'static, PgWireResult<DataRow>>,
);

/// RowDescription fields and the row stream of a ClickHouse result.
pub fn clickhouse_rows(
    rows: ChRows,
    formats: &[FieldFormat],
    zone: SessionZone,
) -> PgWireResult<RowStream> {
    let fields: Vec<FieldInfo> = rows
        .header
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut f = FieldInfo::new(
                c.name.clone(),
                None,
                None,
                c.pg_type.clone(),
                format_of(formats, i),
            );
            f = f.with_type_modifier(pg_typmod(&c.ch_type));
            f
        })
        .collect();
    let count = fields.len() as i16;
    let encoder = RowEncoder::new(rows.header.clone(), formats, zone).map_err(|e| {
        query_error(&QueryError::Unsupported {
            feature: e.to_string(),
            hint: None,
        })
    })?;
    let state = (rows, encoder, false);
    let stream = stream::unfold(state, move |(mut rows, encoder, done)| async move {
        if done {
            return None;
        }
        loop {
            let mut out = BytesMut::with_capacity(128);
            match encoder.encode_row(&rows.buffered, &mut out) {
                Ok(Some(used)) => {
                    rows.buffered.advance(used);
                    let row = DataRow::new(out, count);
                    return Some((Ok(row), (rows, encoder, false)));
                }
                Ok(None) => match rows.next_chunk().await {
                    Ok(Some(chunk)) => rows.buffered.extend_from_slice(&chunk),
                    Ok(None) if rows.buffered.is_empty() => return None,
                    Ok(None) => {
                        let e = QueryError::Coded {
                            code: "XX000",
                            message: "ClickHouse ended the result in the middle of a row".into(),
                            hint: None,
                        };
                        return Some((Err(query_error(&e)), (rows, encoder, true)));
                    }
                    Err(e) => return Some((Err(query_error(&e)), (rows, encoder, true))),
                },
                Err(e) => {
                    let e = QueryError::Coded {
                        code: "XX000",
                        message: format!("cannot decode ClickHouse's result: {e}"),
                        hint: None,
                    };
                    return Some((Err(query_error(&e)), (rows, encoder, true)));
                }
            }
        }
    });
    Ok((Arc::new(fields), stream.boxed()))
}

/// RowDescription fields and rows for values computed in the gateway, given as text.
pub fn local_rows(
    columns: &[(String, Type)],
    rows: Vec<Vec<Option<String>>>,
    formats: &[FieldFormat],
) -> PgWireResult<(Arc<Vec<FieldInfo>>, Vec<DataRow>)> {
    let fields: Vec<FieldInfo> = columns
        .iter()
        .enumerate()
        .map(|(i, (name, ty))| {
            FieldInfo::new(name.clone(), None, None, ty.clone(), format_of(formats, i))
        })
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut data = BytesMut::new();
        for (i, value) in row.iter().enumerate() {
            match value {
                None => data.extend_from_slice(&(-1i32).to_be_bytes()),
                Some(text) => {
                    let bytes = match format_of(formats, i) {
                        FieldFormat::Text => text.as_bytes().to_vec(),
                        FieldFormat::Binary => binary(&columns[i].1, text)?,
                    };
                    data.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
                    data.extend_from_slice(&bytes);
                }
            }
        }
        out.push(DataRow::new(data, columns.len() as i16));
    }
    Ok((Arc::new(fields), out))
}

/// The binary form of a locally computed value, from its text.
fn binary(ty: &Type, text: &str) -> PgWireResult<Vec<u8>> {
    let bad = || {
        PgWireError::UserError(Box::new(ErrorInfo::new(
            "ERROR".into(),
            "0A000".into(),
            format!(
                "binary format for a {} value computed by the gateway is not supported",
                ty.name()
            ),
        )))
    };
    Ok(match *ty {
        Type::INT2 => text
            .parse::<i16>()
            .map_err(|_| bad())?
            .to_be_bytes()
            .to_vec(),
        Type::INT4 => text
            .parse::<i32>()
            .map_err(|_| bad())?
            .to_be_bytes()
            .to_vec(),
        Type::INT8 => text
            .parse::<i64>()
            .map_err(|_| bad())?
            .to_be_bytes()
            .to_vec(),
        Type::FLOAT4 => parse_float(text)
            .map(|f| (f as f32).to_be_bytes().to_vec())
            .ok_or_else(bad)?,
        Type::FLOAT8 => parse_float(text)
            .map(|f| f.to_be_bytes().to_vec())
            .ok_or_else(bad)?,
        Type::BOOL => vec![u8::from(text == "t")],
        Type::TEXT | Type::VARCHAR | Type::NAME | Type::UNKNOWN | Type::BPCHAR => {
            text.as_bytes().to_vec()
        }
        _ => return Err(bad()),
    })
}

fn parse_float(text: &str) -> Option<f64> {
    match text {
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        t => t.parse().ok(),
    }
}

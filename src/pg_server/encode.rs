//! ClickHouse `RowBinaryWithNamesAndTypes` in, PostgreSQL DataRow fields out, in one pass.
//!
//! The gateway streams query results from ClickHouse in `RowBinaryWithNamesAndTypes`: a
//! header (LEB128 column count, the names, the type names), then rows, each the columns'
//! values back to back. Network chunks end anywhere, so both steps work on a buffer that
//! may be short: [`parse_header`] and [`RowEncoder::encode_row`] answer `Ok(None)` ("need
//! more bytes") and the caller appends the next chunk and retries from the same start.
//! Only when the stream has ended is a leftover partial row an error (the caller's call).
//!
//! Each value is decoded and written straight into the DataRow body as a length-prefixed
//! field (`-1` for NULL) in the text or binary format the client asked for, byte-exact to
//! what PostgreSQL 16 sends for the type [`super::types::pg_type`] chose. Scalars never
//! allocate. The layouts ClickHouse uses are summed up on [`Codec`].
//!
//! The query must be sent with `output_format_binary_write_json_as_string=1` (see
//! [`REQUIRED_SETTINGS`]): otherwise `JSON` columns arrive in ClickHouse's internal
//! dynamic-path encoding, which this module does not decode.

mod array;
mod format;
mod value;

use bytes::{BufMut, BytesMut};
use pgwire::api::results::FieldFormat;
use pgwire::api::Type;

use super::types::{pg_type, pg_typmod};
use crate::clickhouse::types::ChType;

pub use format::{civil_from_days, days_from_civil, Wide};

/// ClickHouse settings every query decoded here must carry.
pub const REQUIRED_SETTINGS: &[(&str, &str)] =
    &[("output_format_binary_write_json_as_string", "1")];

/// Why a result could not be encoded. Truncation is not an error here (the answer is
/// "need more bytes"); these are real faults in the data or limits of the mapping.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// ClickHouse sent bytes that are not valid RowBinary for the declared types.
    #[error("ClickHouse sent a malformed result: {0}")]
    Malformed(String),
    /// A column type that cannot be sent to Postgres clients.
    #[error(
        "column {column:?} has the ClickHouse type {ty}, which pipegate cannot send: {reason}"
    )]
    Unsupported {
        column: String,
        ty: String,
        reason: String,
    },
    /// A value that has no Postgres representation in the chosen format.
    #[error("a value of column {column:?} cannot be sent to the client: {reason}")]
    Unrepresentable { column: String, reason: String },
}

/// The session's `TimeZone`, in which `timestamptz` values are printed.
///
/// UTC, a fixed offset, or an IANA zone whose offset depends on the instant (DST). The
/// binary format is zone-independent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionZone {
    #[default]
    Utc,
    /// Seconds east of UTC, as Postgres prints it (`+05:30`). Note that a POSIX-style zone
    /// name such as `UTC+3` means three hours *west*: the caller converts.
    Fixed(i32),
    /// A zone with rules (`America/New_York`).
    Named(chrono_tz::Tz),
}

impl SessionZone {
    /// The offset east of UTC in force at `utc_micros`.
    pub fn offset_at(&self, utc_micros: i64) -> i32 {
        use chrono::{Offset, TimeZone};
        match self {
            SessionZone::Utc => 0,
            SessionZone::Fixed(secs) => *secs,
            SessionZone::Named(tz) => {
                chrono::DateTime::from_timestamp_micros(utc_micros).map_or(0, |t| {
                    tz.offset_from_utc_datetime(&t.naive_utc())
                        .fix()
                        .local_minus_utc()
                })
            }
        }
    }
}

/// One result column, as the header describes it.
#[derive(Debug, Clone)]
pub struct Column {
    /// The name shown in RowDescription.
    pub name: String,
    /// The ClickHouse type, as parsed from the header.
    pub ch_type: ChType,
    /// The Postgres type the column is shown as (RowDescription's type OID).
    pub pg_type: Type,
    /// RowDescription's type modifier.
    pub typmod: i32,
    /// How to read its values.
    codec: Codec,
}

/// The decode plan for one ClickHouse type: its RowBinary layout, and the Postgres type it
/// is written as. Integers, floats, dates and times are little-endian.
#[derive(Debug, Clone, PartialEq)]
enum Codec {
    /// One byte, 0 or 1.
    Bool,
    /// Signed/unsigned integers of up to 64 bits: (bytes, signed), written as int2/4/8.
    Int(u8, bool),
    /// `numeric`: a little-endian integer of `bytes` (8, 16 or 32), with a decimal scale.
    Numeric {
        bytes: u8,
        signed: bool,
        scale: u8,
    },
    Float32,
    Float64,
    /// LEB128 length, then the bytes.
    String,
    /// Exactly N bytes, NUL-padded: the padding is not shown.
    FixedString(usize),
    /// `Enum8`/`Enum16`: the stored integer (1 or 2 bytes), shown as its label.
    Enum(u8, Vec<(i16, String)>),
    /// Two little-endian u64 halves, the high half first.
    Uuid,
    /// u16 days since 1970-01-01.
    Date,
    /// i32 days since 1970-01-01.
    Date32,
    /// u32 seconds since the epoch; `tz` means the column is `timestamptz`.
    DateTime {
        tz: bool,
    },
    /// i64 ticks of 10^-precision seconds since the epoch.
    DateTime64 {
        precision: u8,
        tz: bool,
    },
    /// A little-endian u32 (so 1.2.3.4 arrives as 04 03 02 01).
    IPv4,
    /// 16 bytes in network order.
    IPv6,
    /// A String holding JSON text (with `output_format_binary_write_json_as_string=1`).
    Json,
    /// LEB128 count, then the elements.
    Array(Box<Codec>),
    /// One byte, 1 for NULL, then the value when 0.
    Nullable(Box<Codec>),
    /// LEB128 count, then key/value pairs.
    Map(Box<Codec>, Box<Codec>),
    /// The elements back to back.
    Tuple(Vec<(Option<String>, Codec)>),
    /// ClickHouse's `Nothing` (the type of a bare NULL or `[]`): no bytes.
    Nothing,
}

/// What stands in for `Nothing` when the type name is parsed: [`ChType`] does not know
/// `Nothing`, and an enum with this one label maps to `text` (as a bare NULL has in PG).
const NOTHING_LABEL: &str = "\u{1}pipegate:Nothing";

impl Codec {
    fn from_ch(ty: &ChType) -> Result<Codec, String> {
        Ok(match ty {
            ChType::Bool => Codec::Bool,
            ChType::Int(bits @ (8 | 16 | 32 | 64)) => Codec::Int((bits / 8) as u8, true),
            ChType::UInt(bits @ (8 | 16 | 32)) => Codec::Int((bits / 8) as u8, false),
            ChType::Int(bits) | ChType::UInt(bits) => Codec::Numeric {
                bytes: (bits / 8) as u8,
                signed: matches!(ty, ChType::Int(_)),
                scale: 0,
            },
            ChType::Decimal(p, s) => Codec::Numeric {
                bytes: match p {
                    0..=9 => 4,
                    10..=18 => 8,
                    19..=38 => 16,
                    _ => 32,
                },
                signed: true,
                scale: *s,
            },
            ChType::Float32 => Codec::Float32,
            ChType::Float64 => Codec::Float64,
            ChType::String => Codec::String,
            ChType::FixedString(n) => Codec::FixedString(*n as usize),
            ChType::Enum(_, labels) if labels.len() == 1 && labels[0].0 == NOTHING_LABEL => {
                Codec::Nothing
            }
            ChType::Enum(bits, labels) => Codec::Enum(
                bits / 8,
                labels.iter().map(|(l, v)| (*v, l.clone())).collect(),
            ),
            ChType::Uuid => Codec::Uuid,
            ChType::Date => Codec::Date,
            ChType::Date32 => Codec::Date32,
            ChType::DateTime(tz) => Codec::DateTime { tz: tz.is_some() },
            ChType::DateTime64(p, tz) => Codec::DateTime64 {
                precision: *p,
                tz: tz.is_some(),
            },
            ChType::IPv4 => Codec::IPv4,
            ChType::IPv6 => Codec::IPv6,
            ChType::Json => Codec::Json,
            ChType::Array(t) => Codec::Array(Box::new(Codec::from_ch(t)?)),
            ChType::Nullable(t) => Codec::Nullable(Box::new(Codec::from_ch(t)?)),
            ChType::LowCardinality(t) | ChType::SimpleAggregateFunction(_, t) => Codec::from_ch(t)?,
            ChType::Map(k, v) => {
                Codec::Map(Box::new(Codec::from_ch(k)?), Box::new(Codec::from_ch(v)?))
            }
            ChType::Tuple(items) => Codec::Tuple(
                items
                    .iter()
                    .map(|(n, t)| Ok((n.clone(), Codec::from_ch(t)?)))
                    .collect::<Result<_, String>>()?,
            ),
            ChType::AggregateFunction(..) => {
                return Err(
                    "aggregation states are opaque: finalize them with a -Merge combinator".into(),
                )
            }
        })
    }
}

/// Parses a type name from the header, accepting `Nothing` (see [`NOTHING_LABEL`]).
fn parse_type(name: &str) -> Result<ChType, String> {
    match ChType::parse(name) {
        Ok(t) => Ok(t),
        Err(e) if name.contains("Nothing") => {
            let stand_in = "Enum8('\u{1}pipegate:Nothing' = 0)";
            ChType::parse(&name.replace("Nothing", stand_in)).map_err(|_| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The columns of a result.
#[derive(Debug, Clone)]
pub struct Header {
    pub columns: Vec<Column>,
}

/// Parses the `RowBinaryWithNamesAndTypes` header at the start of `buf`: `Ok(None)` when
/// `buf` ends before the header does, else the header and the bytes it took.
pub fn parse_header(buf: &[u8]) -> Result<Option<(Header, usize)>, DecodeError> {
    let mut r = value::Reader::new(buf);
    match read_header(&mut r) {
        Ok(h) => Ok(Some((h, r.pos()))),
        Err(value::Fail::More) => Ok(None),
        Err(value::Fail::Bad(e)) => Err(e),
    }
}

/// At most this many columns: a corrupt count must not reserve gigabytes.
const MAX_COLUMNS: u64 = 100_000;

fn read_header(r: &mut value::Reader<'_>) -> Result<Header, value::Fail> {
    let count = r.leb128()?;
    if count > MAX_COLUMNS {
        return Err(value::malformed(format!("{count} columns in the header")));
    }
    let mut names = Vec::with_capacity(count as usize);
    for _ in 0..count {
        names.push(String::from_utf8_lossy(r.string()?).into_owned());
    }
    let mut columns = Vec::with_capacity(count as usize);
    for name in names {
        let type_name = String::from_utf8_lossy(r.string()?).into_owned();
        let unsupported = |reason: String| {
            value::Fail::Bad(DecodeError::Unsupported {
                column: name.clone(),
                ty: type_name.clone(),
                reason,
            })
        };
        let ch_type = parse_type(&type_name).map_err(unsupported)?;
        let codec = Codec::from_ch(&ch_type).map_err(unsupported)?;
        columns.push(Column {
            pg_type: pg_type(&ch_type),
            typmod: pg_typmod(&ch_type),
            name,
            ch_type,
            codec,
        });
    }
    Ok(Header { columns })
}

/// Encodes rows of one result for one client: the columns, the format of each, and the
/// session time zone.
#[derive(Debug, Clone)]
pub struct RowEncoder {
    columns: Vec<Column>,
    formats: Vec<FieldFormat>,
    zone: SessionZone,
}

impl RowEncoder {
    /// `formats` follows Bind's result-format rule: empty means all text, one entry applies
    /// to every column, otherwise one per column.
    pub fn new(
        header: Header,
        formats: &[FieldFormat],
        zone: SessionZone,
    ) -> Result<RowEncoder, DecodeError> {
        let n = header.columns.len();
        let formats = match formats.len() {
            0 => vec![FieldFormat::Text; n],
            1 => vec![formats[0]; n],
            len if len == n => formats.to_vec(),
            len => {
                return Err(DecodeError::Malformed(format!(
                    "{len} result formats were given for {n} columns"
                )))
            }
        };
        Ok(RowEncoder {
            columns: header.columns,
            formats,
            zone,
        })
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Decodes the row at the start of `buf` and appends its fields (each an i32 length,
    /// -1 for NULL, then the bytes) to `out`: the body of a DataRow message. Answers the
    /// bytes consumed, or `Ok(None)` with `out` unchanged when `buf` ends mid-row.
    pub fn encode_row(&self, buf: &[u8], out: &mut BytesMut) -> Result<Option<usize>, DecodeError> {
        let start = out.len();
        let mut r = value::Reader::new(buf);
        for (col, format) in self.columns.iter().zip(&self.formats) {
            let ctx = value::Ctx {
                zone: self.zone,
                column: &col.name,
            };
            if let Err(fail) = ctx.field(&col.codec, *format, &mut r, out) {
                out.truncate(start);
                return match fail {
                    value::Fail::More => Ok(None),
                    value::Fail::Bad(e) => Err(e),
                };
            }
        }
        Ok(Some(r.pos()))
    }
}

/// Writes a NULL field (for callers building rows of their own).
pub fn put_null(out: &mut BytesMut) {
    out.put_i32(-1);
}

#[cfg(test)]
mod tests;

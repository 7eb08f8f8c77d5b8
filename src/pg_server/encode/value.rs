//! Reading RowBinary values and writing them as Postgres text, binary or JSON.

use bytes::{BufMut, BytesMut};
use pgwire::api::results::FieldFormat;

use super::format::{self, TsStyle, Wide, PG_EPOCH_DAYS, PG_EPOCH_MICROS};
use super::{Codec, DecodeError, SessionZone};

/// Why reading stopped: the buffer ended (retry with more), or the data is bad.
#[derive(Debug)]
pub enum Fail {
    More,
    Bad(DecodeError),
}

pub fn malformed(msg: String) -> Fail {
    Fail::Bad(DecodeError::Malformed(msg))
}

/// Strings and arrays longer than this are taken as corrupt rather than awaited.
const MAX_LEN: u64 = 1 << 31;
/// Postgres arrays have at most six dimensions (MAXDIM).
pub(super) const MAX_DIMS: usize = 6;
/// How deep values may nest before the data is taken as corrupt.
pub(super) const MAX_DEPTH: usize = 64;

/// A cursor over the bytes received so far.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Fail> {
        let end = self.pos.checked_add(n).ok_or(Fail::More)?;
        let bytes = self.buf.get(self.pos..end).ok_or(Fail::More)?;
        self.pos = end;
        Ok(bytes)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Fail> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, Fail> {
        Ok(self.array::<1>()?[0])
    }

    /// An unsigned LEB128 integer (at most 10 bytes).
    pub fn leb128(&mut self) -> Result<u64, Fail> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(malformed("a LEB128 length longer than 10 bytes".into()))
    }

    /// A length for strings and arrays, sanity-checked.
    pub fn len(&mut self) -> Result<usize, Fail> {
        let n = self.leb128()?;
        if n > MAX_LEN {
            return Err(malformed(format!("a length of {n}")));
        }
        Ok(n as usize)
    }

    pub fn string(&mut self) -> Result<&'a [u8], Fail> {
        let n = self.len()?;
        self.take(n)
    }
}

/// What writing needs besides the value: the session zone, and a column name for errors.
pub struct Ctx<'c> {
    pub zone: SessionZone,
    pub column: &'c str,
}

/// Reserves a field's length word and answers where its body starts.
pub(super) fn begin_field(out: &mut BytesMut) -> usize {
    out.put_i32(0);
    out.len()
}

/// Fills in the length word reserved by [`begin_field`].
pub(super) fn end_field(out: &mut BytesMut, body: usize) -> Result<(), Fail> {
    let len = i32::try_from(out.len() - body)
        .map_err(|_| malformed("a value longer than 2 GiB".into()))?;
    out[body - 4..body].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

pub(super) fn le<const N: usize>(r: &mut Reader<'_>) -> Result<[u8; N], Fail> {
    r.array::<N>()
}

impl Ctx<'_> {
    pub(super) fn unrepresentable(&self, reason: String) -> Fail {
        Fail::Bad(DecodeError::Unrepresentable {
            column: self.column.to_string(),
            reason,
        })
    }

    /// Writes one length-prefixed field (NULL as -1).
    pub fn field(
        &self,
        codec: &Codec,
        format: FieldFormat,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
    ) -> Result<(), Fail> {
        let codec = match codec {
            Codec::Nullable(inner) => {
                if r.u8()? != 0 {
                    out.put_i32(-1);
                    return Ok(());
                }
                inner
            }
            Codec::Nothing => {
                out.put_i32(-1);
                return Ok(());
            }
            other => other,
        };
        let body = begin_field(out);
        match format {
            FieldFormat::Text => self.text(codec, r, out, 0)?,
            FieldFormat::Binary => self.binary(codec, r, out, 0)?,
        }
        end_field(out, body)
    }

    /// Reads an integer-like value of up to 64 bits as i64 (UInt32 fits; UInt64 is numeric).
    fn int(bytes: u8, signed: bool, r: &mut Reader<'_>) -> Result<i64, Fail> {
        Ok(match (bytes, signed) {
            (1, true) => i64::from(i8::from_le_bytes(le(r)?)),
            (1, false) => i64::from(u8::from_le_bytes(le(r)?)),
            (2, true) => i64::from(i16::from_le_bytes(le(r)?)),
            (2, false) => i64::from(u16::from_le_bytes(le(r)?)),
            (4, true) => i64::from(i32::from_le_bytes(le(r)?)),
            (4, false) => i64::from(u32::from_le_bytes(le(r)?)),
            _ => i64::from_le_bytes(le(r)?),
        })
    }

    fn wide(bytes: u8, signed: bool, r: &mut Reader<'_>) -> Result<Wide, Fail> {
        Ok(Wide::from_le(r.take(usize::from(bytes))?, signed))
    }

    fn enum_label<'e>(
        &self,
        width: u8,
        labels: &'e [(i16, String)],
        r: &mut Reader<'_>,
    ) -> Result<&'e str, Fail> {
        let v = if width == 1 {
            i16::from(i8::from_le_bytes(le(r)?))
        } else {
            i16::from_le_bytes(le(r)?)
        };
        labels
            .iter()
            .find(|(x, _)| *x == v)
            .map(|(_, l)| l.as_str())
            .ok_or_else(|| malformed(format!("enum value {v} has no label")))
    }

    /// Microseconds since the epoch of a DateTime/DateTime64, rounded half to even from
    /// finer precisions as Postgres rounds input.
    fn micros(&self, codec: &Codec, r: &mut Reader<'_>) -> Result<i64, Fail> {
        match codec {
            Codec::DateTime { .. } => Ok(i64::from(u32::from_le_bytes(le(r)?)) * 1_000_000),
            Codec::DateTime64 { precision, .. } => {
                let ticks = i128::from(i64::from_le_bytes(le(r)?));
                let p = u32::from(*precision);
                let micros = if p <= 6 {
                    ticks * 10i128.pow(6 - p)
                } else {
                    let div = 10i128.pow(p - 6);
                    let (q, rem) = (ticks.div_euclid(div), ticks.rem_euclid(div));
                    match (rem * 2).cmp(&div) {
                        std::cmp::Ordering::Greater => q + 1,
                        std::cmp::Ordering::Equal => q + (q & 1),
                        std::cmp::Ordering::Less => q,
                    }
                };
                i64::try_from(micros).map_err(|_| malformed(format!("DateTime64 ticks {ticks}")))
            }
            _ => Err(malformed("not a timestamp".into())),
        }
    }

    fn days(codec: &Codec, r: &mut Reader<'_>) -> Result<i64, Fail> {
        Ok(match codec {
            Codec::Date => i64::from(u16::from_le_bytes(le(r)?)),
            _ => i64::from(i32::from_le_bytes(le(r)?)),
        })
    }

    fn uuid(r: &mut Reader<'_>) -> Result<[u8; 16], Fail> {
        let high = u64::from_le_bytes(le(r)?);
        let low = u64::from_le_bytes(le(r)?);
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&high.to_be_bytes());
        b[8..].copy_from_slice(&low.to_be_bytes());
        Ok(b)
    }

    fn ipv4(r: &mut Reader<'_>) -> Result<[u8; 4], Fail> {
        Ok(u32::from_le_bytes(le(r)?).to_be_bytes())
    }

    /// A FixedString's bytes without the NUL padding.
    fn fixed<'a>(n: usize, r: &mut Reader<'a>) -> Result<&'a [u8], Fail> {
        let b = r.take(n)?;
        let end = b.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
        Ok(&b[..end])
    }

    pub(super) fn deeper(&self, depth: usize) -> Result<usize, Fail> {
        if depth >= MAX_DEPTH {
            return Err(malformed(format!("values nested deeper than {MAX_DEPTH}")));
        }
        Ok(depth + 1)
    }

    /// Writes a non-NULL value in Postgres's text format.
    pub fn text(
        &self,
        codec: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        match codec {
            Codec::Bool => out.put_u8(if r.u8()? != 0 { b't' } else { b'f' }),
            Codec::Int(bytes, signed) => {
                format::write_i128(out, i128::from(Self::int(*bytes, *signed, r)?))
            }
            Codec::Numeric {
                bytes,
                signed,
                scale,
            } => format::write_numeric_text(out, &Self::wide(*bytes, *signed, r)?, *scale),
            Codec::Float32 => format::write_float(out, f64::from(f32::from_le_bytes(le(r)?)), true),
            Codec::Float64 => format::write_float(out, f64::from_le_bytes(le(r)?), false),
            Codec::String => format::write_lossy(out, r.string()?),
            Codec::FixedString(n) => format::write_lossy(out, Self::fixed(*n, r)?),
            Codec::Enum(w, labels) => out.put_slice(self.enum_label(*w, labels, r)?.as_bytes()),
            Codec::Uuid => format::write_uuid(out, &Self::uuid(r)?),
            Codec::Date | Codec::Date32 => format::write_date(out, Self::days(codec, r)?),
            Codec::DateTime { tz } | Codec::DateTime64 { tz, .. } => {
                let micros = self.micros(codec, r)?;
                let offset = tz.then(|| self.zone.offset_at(micros));
                format::write_timestamp(out, micros, offset, TsStyle::Text)
            }
            Codec::IPv4 => format::write_ipv4(out, Self::ipv4(r)?),
            Codec::IPv6 => format::write_ipv6(out, r.array()?),
            Codec::Json => format::write_json_spaced(out, r.string()?),
            Codec::Map(..) | Codec::Tuple(_) => self.json(codec, r, out, depth)?,
            Codec::Array(elem) => self.text_array(elem, r, out, depth)?,
            Codec::Nullable(inner) => {
                // Only reached for a Nullable whose NULL the caller already ruled out.
                self.text(inner, r, out, depth)?
            }
            Codec::Nothing => {}
        }
        Ok(())
    }

    /// Writes a non-NULL value in Postgres's binary format.
    pub fn binary(
        &self,
        codec: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        match codec {
            Codec::Bool => out.put_u8(u8::from(r.u8()? != 0)),
            Codec::Int(bytes, signed) => {
                let v = Self::int(*bytes, *signed, r)?;
                // int2 for 8-bit and Int16, int4 for UInt16 and Int32, int8 for the rest.
                match (bytes, signed) {
                    (1, _) | (2, true) => out.put_i16(v as i16),
                    (2, false) | (4, true) => out.put_i32(v as i32),
                    _ => out.put_i64(v),
                }
            }
            Codec::Numeric {
                bytes,
                signed,
                scale,
            } => format::write_numeric_binary(out, &Self::wide(*bytes, *signed, r)?, *scale),
            Codec::Float32 => out.put_slice(&le::<4>(r).map(f32::from_le_bytes)?.to_be_bytes()),
            Codec::Float64 => out.put_slice(&le::<8>(r).map(f64::from_le_bytes)?.to_be_bytes()),
            Codec::String => format::write_lossy(out, r.string()?),
            Codec::FixedString(n) => format::write_lossy(out, Self::fixed(*n, r)?),
            Codec::Enum(w, labels) => out.put_slice(self.enum_label(*w, labels, r)?.as_bytes()),
            Codec::Uuid => out.put_slice(&Self::uuid(r)?),
            Codec::Date | Codec::Date32 => {
                out.put_i32((Self::days(codec, r)? - PG_EPOCH_DAYS) as i32)
            }
            Codec::DateTime { .. } | Codec::DateTime64 { .. } => {
                out.put_i64(self.micros(codec, r)? - PG_EPOCH_MICROS)
            }
            Codec::IPv4 => {
                out.put_slice(&[2, 32, 0, 4]);
                out.put_slice(&Self::ipv4(r)?);
            }
            Codec::IPv6 => {
                out.put_slice(&[3, 128, 0, 16]);
                out.put_slice(r.take(16)?);
            }
            Codec::Json => {
                out.put_u8(1);
                format::write_json_spaced(out, r.string()?);
            }
            Codec::Map(..) | Codec::Tuple(_) => {
                out.put_u8(1);
                self.json(codec, r, out, depth)?;
            }
            Codec::Array(elem) => self.binary_array(elem, r, out, depth)?,
            Codec::Nullable(inner) => self.binary(inner, r, out, depth)?,
            Codec::Nothing => {}
        }
        Ok(())
    }

    /// Writes a non-NULL value as JSON, spaced as Postgres's `jsonb` output: Map as an
    /// object (keys as strings), Tuple as an array or, when named, an object; numbers as
    /// numbers (non-finite floats as strings, as `to_jsonb` does), other scalars as strings.
    pub fn json(
        &self,
        codec: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        let depth = self.deeper(depth)?;
        match codec {
            Codec::Bool => out.put_slice(if r.u8()? != 0 { b"true" } else { b"false" }),
            Codec::Int(..) | Codec::Numeric { .. } => self.text(codec, r, out, depth)?,
            Codec::Float32 | Codec::Float64 => {
                let start = out.len();
                self.text(codec, r, out, depth)?;
                if matches!(out[start..].last(), Some(b'N' | b'y')) {
                    // NaN, Infinity, -Infinity
                    let text = out.split_off(start);
                    format::write_json_string(out, &text);
                }
            }
            Codec::String => format::write_json_string(out, r.string()?),
            Codec::FixedString(n) => format::write_json_string(out, Self::fixed(*n, r)?),
            Codec::Enum(w, labels) => {
                format::write_json_string(out, self.enum_label(*w, labels, r)?.as_bytes())
            }
            Codec::Json => format::write_json_spaced(out, r.string()?),
            Codec::DateTime { tz } | Codec::DateTime64 { tz, .. } => {
                let micros = self.micros(codec, r)?;
                let offset = tz.then(|| self.zone.offset_at(micros));
                out.put_u8(b'"');
                format::write_timestamp(out, micros, offset, TsStyle::Json);
                out.put_u8(b'"');
            }
            Codec::Uuid | Codec::Date | Codec::Date32 | Codec::IPv4 | Codec::IPv6 => {
                out.put_u8(b'"');
                self.text(codec, r, out, depth)?;
                out.put_u8(b'"');
            }
            Codec::Nullable(inner) => {
                if r.u8()? != 0 {
                    out.put_slice(b"null");
                } else {
                    self.json(inner, r, out, depth)?;
                }
            }
            Codec::Nothing => out.put_slice(b"null"),
            Codec::Array(elem) => {
                let n = r.len()?;
                out.put_u8(b'[');
                for i in 0..n {
                    if i > 0 {
                        out.put_slice(b", ");
                    }
                    self.json(elem, r, out, depth)?;
                }
                out.put_u8(b']');
            }
            Codec::Map(k, v) => {
                let n = r.len()?;
                out.put_u8(b'{');
                for i in 0..n {
                    if i > 0 {
                        out.put_slice(b", ");
                    }
                    self.json_key(k, r, out, depth)?;
                    out.put_slice(b": ");
                    self.json(v, r, out, depth)?;
                }
                out.put_u8(b'}');
            }
            Codec::Tuple(items) => {
                let named = items.first().is_some_and(|(n, _)| n.is_some());
                out.put_u8(if named { b'{' } else { b'[' });
                for (i, (name, item)) in items.iter().enumerate() {
                    if i > 0 {
                        out.put_slice(b", ");
                    }
                    if let Some(name) = name {
                        format::write_json_string(out, name.as_bytes());
                        out.put_slice(b": ");
                    }
                    self.json(item, r, out, depth)?;
                }
                out.put_u8(if named { b'}' } else { b']' });
            }
        }
        Ok(())
    }

    /// A Map key as a JSON string: string keys as they are, others by their JSON text.
    fn json_key(
        &self,
        codec: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        let start = out.len();
        self.json(codec, r, out, depth)?;
        if out[start..].first() != Some(&b'"') || out.len() - start < 2 || out.last() != Some(&b'"')
        {
            let text = out.split_off(start);
            format::write_json_string(out, &text);
        }
        Ok(())
    }
}

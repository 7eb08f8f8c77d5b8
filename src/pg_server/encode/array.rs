//! Arrays: Postgres's text form (`{1,"a b",NULL}`, nested braces) and binary form
//! (dimensions up front, so nested ClickHouse arrays are scanned for their shape first).

use bytes::{BufMut, BytesMut};
use pgwire::api::Type;

use super::value::{begin_field, end_field, malformed, Ctx, Fail, Reader, MAX_DEPTH, MAX_DIMS};
use super::Codec;

impl Ctx<'_> {
    /// `{1,2,NULL}`, nested as `{{1,2},{3}}`; `{}` when there are no elements at all.
    pub(super) fn text_array(
        &self,
        elem: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        let start = out.len();
        self.text_array_level(elem, r, out, depth)?;
        if out[start..].iter().all(|b| matches!(b, b'{' | b'}' | b',')) {
            out.truncate(start);
            out.put_slice(b"{}");
        }
        Ok(())
    }

    fn text_array_level(
        &self,
        elem: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        let depth = self.deeper(depth)?;
        let n = r.len()?;
        out.put_u8(b'{');
        for i in 0..n {
            if i > 0 {
                out.put_u8(b',');
            }
            match elem {
                Codec::Array(inner) => self.text_array_level(inner, r, out, depth)?,
                Codec::Nullable(inner) => {
                    if r.u8()? != 0 {
                        out.put_slice(b"NULL");
                    } else {
                        self.text_element(inner, r, out, depth)?;
                    }
                }
                Codec::Nothing => out.put_slice(b"NULL"),
                other => self.text_element(other, r, out, depth)?,
            }
        }
        out.put_u8(b'}');
        Ok(())
    }

    /// Writes an array element, then quotes it in place when Postgres's `array_out` would:
    /// empty, `NULL` in any case, or containing `{ } , " \` or white space.
    fn text_element(
        &self,
        codec: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        let start = out.len();
        self.text(codec, r, out, depth)?;
        let body = &out[start..];
        let needs_quotes = body.is_empty()
            || body.eq_ignore_ascii_case(b"NULL")
            || body.iter().any(|b| {
                matches!(
                    b,
                    b'{' | b'}' | b',' | b'"' | b'\\' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
                )
            });
        if !needs_quotes {
            return Ok(());
        }
        let escapes = body.iter().filter(|b| matches!(b, b'"' | b'\\')).count();
        let old_len = out.len();
        out.resize(old_len + escapes + 2, 0);
        // Shift the element right, from the end, escaping as we go.
        let mut dst = out.len() - 1;
        out[dst] = b'"';
        let mut src = old_len;
        while src > start {
            src -= 1;
            let b = out[src];
            dst -= 1;
            out[dst] = b;
            if matches!(b, b'"' | b'\\') {
                dst -= 1;
                out[dst] = b'\\';
            }
        }
        out[start] = b'"';
        Ok(())
    }

    /// Postgres's binary array: ndim, has-null flag, element OID, (size, lower bound 1) per
    /// dimension, then each element length-prefixed. Nested ClickHouse arrays become
    /// dimensions, so they must be rectangular: a ragged array has no binary form.
    pub(super) fn binary_array(
        &self,
        elem: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        depth: usize,
    ) -> Result<(), Fail> {
        // Find the element type and the number of levels.
        let mut leaf = elem;
        let mut levels = 1;
        while let Codec::Array(inner) = leaf {
            leaf = inner;
            levels += 1;
        }
        if levels > MAX_DIMS {
            return Err(self.unrepresentable(format!(
                "Postgres arrays have at most {MAX_DIMS} dimensions, this one has {levels}"
            )));
        }
        let oid = leaf_oid(leaf);
        // Scan a copy of the reader for the shape.
        let mut dims = [None::<usize>; MAX_DIMS];
        let mut scan = *r;
        let mut ragged = false;
        let mut leaves = 0usize;
        self.scan_shape(
            elem,
            &mut scan,
            0,
            &mut dims,
            &mut ragged,
            &mut leaves,
            depth,
        )?;
        if leaves == 0 {
            *r = scan;
            out.put_i32(0);
            out.put_i32(0);
            out.put_u32(oid);
            return Ok(());
        }
        if ragged {
            return Err(self.unrepresentable(
                "a nested array whose sub-arrays differ in length has no Postgres binary form; \
                 ask for text results"
                    .into(),
            ));
        }
        out.put_i32(levels as i32);
        let has_null_at = out.len();
        out.put_i32(0);
        out.put_u32(oid);
        for d in dims.iter().take(levels) {
            out.put_i32(d.unwrap_or(0) as i32);
            out.put_i32(1);
        }
        let mut has_null = false;
        self.binary_elements(elem, r, out, &mut has_null, depth)?;
        if has_null {
            out[has_null_at..has_null_at + 4].copy_from_slice(&1i32.to_be_bytes());
        }
        Ok(())
    }

    fn binary_elements(
        &self,
        elem: &Codec,
        r: &mut Reader<'_>,
        out: &mut BytesMut,
        has_null: &mut bool,
        depth: usize,
    ) -> Result<(), Fail> {
        let depth = self.deeper(depth)?;
        let n = r.len()?;
        for _ in 0..n {
            match elem {
                Codec::Array(inner) => self.binary_elements(inner, r, out, has_null, depth)?,
                Codec::Nullable(inner) => {
                    if r.u8()? != 0 {
                        *has_null = true;
                        out.put_i32(-1);
                    } else {
                        let body = begin_field(out);
                        self.binary(inner, r, out, depth)?;
                        end_field(out, body)?;
                    }
                }
                Codec::Nothing => {
                    *has_null = true;
                    out.put_i32(-1);
                }
                other => {
                    let body = begin_field(out);
                    self.binary(other, r, out, depth)?;
                    end_field(out, body)?;
                }
            }
        }
        Ok(())
    }

    /// Reads one array level for its shape: the size at each level (`ragged` when sizes
    /// at one level differ) and the number of leaf elements.
    #[allow(clippy::too_many_arguments)]
    fn scan_shape(
        &self,
        elem: &Codec,
        r: &mut Reader<'_>,
        level: usize,
        dims: &mut [Option<usize>; MAX_DIMS],
        ragged: &mut bool,
        leaves: &mut usize,
        depth: usize,
    ) -> Result<(), Fail> {
        let depth = self.deeper(depth)?;
        let n = r.len()?;
        match dims[level] {
            None => dims[level] = Some(n),
            Some(m) if m != n => *ragged = true,
            Some(_) => {}
        }
        match elem {
            Codec::Array(inner) => {
                for _ in 0..n {
                    self.scan_shape(inner, r, level + 1, dims, ragged, leaves, depth)?;
                }
            }
            other => {
                *leaves += n;
                for _ in 0..n {
                    skip(other, r, depth)?;
                }
            }
        }
        Ok(())
    }
}

/// The element OID of an array whose leaf codec is `leaf`.
fn leaf_oid(leaf: &Codec) -> u32 {
    let ty = match leaf {
        Codec::Nullable(inner) => return leaf_oid(inner),
        Codec::Bool => Type::BOOL,
        Codec::Int(1, _) | Codec::Int(2, true) => Type::INT2,
        Codec::Int(2, false) | Codec::Int(4, true) => Type::INT4,
        Codec::Int(..) => Type::INT8,
        Codec::Numeric { .. } => Type::NUMERIC,
        Codec::Float32 => Type::FLOAT4,
        Codec::Float64 => Type::FLOAT8,
        Codec::Uuid => Type::UUID,
        Codec::Date | Codec::Date32 => Type::DATE,
        Codec::DateTime { tz: true } | Codec::DateTime64 { tz: true, .. } => Type::TIMESTAMPTZ,
        Codec::DateTime { .. } | Codec::DateTime64 { .. } => Type::TIMESTAMP,
        Codec::IPv4 | Codec::IPv6 => Type::INET,
        Codec::Json | Codec::Map(..) | Codec::Tuple(_) => Type::JSONB,
        Codec::String
        | Codec::FixedString(_)
        | Codec::Enum(..)
        | Codec::Nothing
        | Codec::Array(_) => Type::TEXT,
    };
    ty.oid()
}

/// Skips one value (NULL flag included for Nullable).
fn skip(codec: &Codec, r: &mut Reader<'_>, depth: usize) -> Result<(), Fail> {
    if depth >= MAX_DEPTH {
        return Err(malformed(format!("values nested deeper than {MAX_DEPTH}")));
    }
    let depth = depth + 1;
    match codec {
        Codec::Bool => r.take(1).map(drop),
        Codec::Int(b, _) => r.take(usize::from(*b)).map(drop),
        Codec::Numeric { bytes, .. } => r.take(usize::from(*bytes)).map(drop),
        Codec::Float32 | Codec::Date32 | Codec::IPv4 | Codec::DateTime { .. } => {
            r.take(4).map(drop)
        }
        Codec::Float64 | Codec::DateTime64 { .. } => r.take(8).map(drop),
        Codec::Date => r.take(2).map(drop),
        Codec::Uuid | Codec::IPv6 => r.take(16).map(drop),
        Codec::Enum(w, _) => r.take(usize::from(*w)).map(drop),
        Codec::String | Codec::Json => r.string().map(drop),
        Codec::FixedString(n) => r.take(*n).map(drop),
        Codec::Nothing => Ok(()),
        Codec::Nullable(inner) => {
            if r.u8()? == 0 {
                skip(inner, r, depth)?;
            }
            Ok(())
        }
        Codec::Array(inner) => {
            for _ in 0..r.len()? {
                skip(inner, r, depth)?;
            }
            Ok(())
        }
        Codec::Map(k, v) => {
            for _ in 0..r.len()? {
                skip(k, r, depth)?;
                skip(v, r, depth)?;
            }
            Ok(())
        }
        Codec::Tuple(items) => items.iter().try_for_each(|(_, t)| skip(t, r, depth)),
    }
}

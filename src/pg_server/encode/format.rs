//! Formatting primitives: each writes one value in PostgreSQL's exact output format straight
//! into the row buffer, using only stack buffers, so encoding a scalar never allocates.

use std::fmt::Write as _;

use bytes::{BufMut, BytesMut};

/// Days from 1970-01-01 to 2000-01-01, the epoch of Postgres's binary dates.
pub const PG_EPOCH_DAYS: i64 = 10_957;
/// Microseconds from 1970-01-01 to 2000-01-01, the epoch of Postgres's binary timestamps.
pub const PG_EPOCH_MICROS: i64 = PG_EPOCH_DAYS * MICROS_PER_DAY;
pub const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A fixed-size stack buffer that `write!` can target, so `{:e}` float formatting needs no
/// heap. Writes past the end fail rather than truncate.
pub struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    pub fn new() -> Self {
        StackBuf {
            buf: [0; N],
            len: 0,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl<const N: usize> std::fmt::Write for StackBuf<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes an unsigned integer in decimal.
pub fn write_u128(out: &mut BytesMut, mut v: u128) {
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.put_slice(&buf[i..]);
}

/// Writes a signed integer in decimal.
pub fn write_i128(out: &mut BytesMut, v: i128) {
    if v < 0 {
        out.put_u8(b'-');
    }
    write_u128(out, v.unsigned_abs());
}

/// Writes a float as Postgres 12+ does with `extra_float_digits >= 1`: the shortest
/// digits that read back to the same value, in fixed notation when the decimal exponent is
/// in `-4..15` (`-4..6` for float4, Postgres's `%g`-like thresholds) and as `1.5e+20`
/// otherwise, with at least two exponent digits; `NaN`, `Infinity`, `-Infinity`, `-0`.
pub fn write_float(out: &mut BytesMut, v: f64, single: bool) {
    if v.is_nan() {
        return out.put_slice(b"NaN");
    }
    if v.is_infinite() {
        return out.put_slice(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
    }
    let mut sci = StackBuf::<48>::new();
    // Rust's `{:e}` prints the shortest round-trip digits, for f32 those of the f32.
    let written = if single {
        write!(sci, "{:e}", v as f32)
    } else {
        write!(sci, "{v:e}")
    };
    if written.is_err() {
        // Cannot happen (48 bytes hold any float), but never send a wrong value silently.
        return out.put_slice(b"NaN");
    }
    let text = sci.as_bytes();
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let e_pos = text.iter().position(|&b| b == b'e').unwrap_or(text.len());
    let (mantissa, exp_text) = text.split_at(e_pos);
    let exp = parse_exp(exp_text.get(1..).unwrap_or(b"0"));
    let mut digits = [0u8; 24];
    let mut n = 0;
    for &b in mantissa.iter().filter(|b| b.is_ascii_digit()) {
        if let Some(slot) = digits.get_mut(n) {
            *slot = b;
            n += 1;
        }
    }
    let digits = &digits[..n.max(1)];
    if negative {
        out.put_u8(b'-');
    }
    let limit = if single { 6 } else { 15 };
    if (-4..limit).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            for i in 0..int_len {
                out.put_u8(digits.get(i).copied().unwrap_or(b'0'));
            }
            if digits.len() > int_len {
                out.put_u8(b'.');
                out.put_slice(&digits[int_len..]);
            }
        } else {
            out.put_slice(b"0.");
            for _ in 0..(-exp - 1) {
                out.put_u8(b'0');
            }
            out.put_slice(digits);
        }
    } else {
        out.put_u8(digits[0]);
        if digits.len() > 1 {
            out.put_u8(b'.');
            out.put_slice(&digits[1..]);
        }
        out.put_u8(b'e');
        out.put_u8(if exp < 0 { b'-' } else { b'+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.put_u8(b'0');
        }
        write_u128(out, u128::from(e));
    }
}

fn parse_exp(text: &[u8]) -> i32 {
    let (neg, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let v = digits
        .iter()
        .fold(0i32, |acc, d| acc * 10 + i32::from(d.wrapping_sub(b'0')));
    if neg {
        -v
    } else {
        v
    }
}

/// A 256-bit integer as sign and magnitude (little-endian 64-bit limbs): the value of every
/// ClickHouse column shown as `numeric` (UInt64, (U)Int128/256, and Decimal's scaled integer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wide {
    pub negative: bool,
    pub magnitude: [u64; 4],
}

impl Wide {
    /// Reads a little-endian two's-complement (or unsigned) integer of 1..=32 bytes.
    pub fn from_le(bytes: &[u8], signed: bool) -> Wide {
        let mut limbs = [0u64; 4];
        let negative = signed && bytes.last().is_some_and(|b| b & 0x80 != 0);
        let fill = if negative { 0xff } else { 0 };
        let mut full = [fill; 32];
        full[..bytes.len().min(32)].copy_from_slice(&bytes[..bytes.len().min(32)]);
        for (i, limb) in limbs.iter_mut().enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(&full[i * 8..i * 8 + 8]);
            *limb = u64::from_le_bytes(b);
        }
        if negative {
            // Two's complement negation: invert and add one.
            let mut carry = true;
            for limb in &mut limbs {
                let (v, c) = (!*limb).overflowing_add(u64::from(carry));
                *limb = v;
                carry = c;
            }
        }
        Wide {
            negative,
            magnitude: limbs,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.magnitude.iter().all(|&l| l == 0)
    }

    /// The magnitude's decimal digits, without leading zeros ("0" for zero).
    pub fn digits<'b>(&self, buf: &'b mut [u8; 80]) -> &'b [u8] {
        const CHUNK: u64 = 10_000_000_000_000_000_000; // 10^19
        let mut mag = self.magnitude;
        let mut i = buf.len();
        loop {
            // Divide the magnitude by 10^19, most significant limb first.
            let mut rem: u128 = 0;
            for limb in mag.iter_mut().rev() {
                let cur = (rem << 64) | u128::from(*limb);
                *limb = (cur / u128::from(CHUNK)) as u64;
                rem = cur % u128::from(CHUNK);
            }
            let mut chunk = rem as u64;
            let last = mag.iter().all(|&l| l == 0);
            for _ in 0..19 {
                i -= 1;
                buf[i] = b'0' + (chunk % 10) as u8;
                chunk /= 10;
                if last && chunk == 0 {
                    break;
                }
            }
            if last {
                break;
            }
        }
        &buf[i..]
    }
}

/// Writes a scaled integer as Postgres prints `numeric`: exactly `scale` fraction digits.
pub fn write_numeric_text(out: &mut BytesMut, value: &Wide, scale: u8) {
    let mut buf = [0u8; 80];
    let digits = value.digits(&mut buf);
    if value.negative && !value.is_zero() {
        out.put_u8(b'-');
    }
    let scale = usize::from(scale);
    if scale == 0 {
        return out.put_slice(digits);
    }
    if digits.len() <= scale {
        out.put_slice(b"0.");
        for _ in digits.len()..scale {
            out.put_u8(b'0');
        }
        out.put_slice(digits);
    } else {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.put_slice(int);
        out.put_u8(b'.');
        out.put_slice(frac);
    }
}

/// Writes Postgres's binary `numeric`: ndigits, weight, sign, dscale, then base-10000
/// digits with leading and trailing zero digits stripped (as `numeric_send` does).
pub fn write_numeric_binary(out: &mut BytesMut, value: &Wide, scale: u8) {
    let mut buf = [0u8; 80];
    let digits = value.digits(&mut buf);
    let scale = usize::from(scale);
    // Lay the digits out so the decimal point falls on a base-10000 boundary: the integer
    // part left-padded and the fraction (exactly `scale` digits) right-padded to fours.
    let (int, frac_digits) = digits.split_at(digits.len().saturating_sub(scale));
    let frac_zeros = scale - frac_digits.len();
    let lead = (4 - int.len() % 4) % 4;
    let mut padded = [0u8; 96];
    let mut n = lead;
    for &d in int {
        padded[n] = d - b'0';
        n += 1;
    }
    n += frac_zeros;
    for &d in frac_digits {
        padded[n] = d - b'0';
        n += 1;
    }
    let count = n.div_ceil(4);
    let mut groups = [0i16; 24];
    for (g, slot) in groups.iter_mut().enumerate().take(count) {
        let v = padded[g * 4..g * 4 + 4]
            .iter()
            .fold(0i16, |acc, &d| acc * 10 + i16::from(d));
        *slot = v;
    }
    let int_len = int.len();
    let int_groups = (lead + int_len) / 4;
    let mut first = 0;
    let mut weight = int_groups as i16 - 1;
    while first < count && groups[first] == 0 {
        first += 1;
        weight -= 1;
    }
    let mut last = count;
    while last > first && groups[last - 1] == 0 {
        last -= 1;
    }
    let ndigits = last - first;
    if ndigits == 0 {
        weight = 0;
    }
    out.put_i16(ndigits as i16);
    out.put_i16(weight);
    out.put_u16(if value.negative && ndigits > 0 {
        0x4000
    } else {
        0
    });
    out.put_i16(scale as i16);
    for g in &groups[first..last] {
        out.put_i16(*g);
    }
}

/// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day count from 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn two(out: &mut BytesMut, v: u32) {
    out.put_u8(b'0' + (v / 10 % 10) as u8);
    out.put_u8(b'0' + (v % 10) as u8);
}

/// Writes `YYYY-MM-DD` and answers whether the year is BC (Postgres then appends ` BC`
/// after the whole value, and counts 1 BC as year 0).
fn write_ymd(out: &mut BytesMut, days: i64) -> bool {
    let (year, month, day) = civil_from_days(days);
    let bc = year <= 0;
    let shown = if bc { 1 - year } else { year } as u128;
    if shown < 1000 {
        let mut pad = 1000;
        while pad > shown.max(1) && pad > 1 {
            out.put_u8(b'0');
            pad /= 10;
        }
    }
    write_u128(out, shown);
    out.put_u8(b'-');
    two(out, month);
    out.put_u8(b'-');
    two(out, day);
    bc
}

/// Writes a date as Postgres's ISO `DateStyle` does: `2024-02-29`.
pub fn write_date(out: &mut BytesMut, days: i64) {
    if write_ymd(out, days) {
        out.put_slice(b" BC");
    }
}

/// How a timestamp is spelled: as Postgres's text output, or inside JSON (`to_jsonb`'s
/// ISO 8601 with `T` and a full `+HH:MM` offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsStyle {
    Text,
    Json,
}

/// Writes a timestamp given in microseconds since 1970-01-01 UTC. With `offset` (seconds
/// east of UTC) the wall clock is shifted and the offset appended, as for `timestamptz`;
/// without, it is a `timestamp`. The fraction is printed only when non-zero, trimmed of
/// trailing zeros.
pub fn write_timestamp(out: &mut BytesMut, micros: i64, offset: Option<i32>, style: TsStyle) {
    let local = micros.saturating_add(i64::from(offset.unwrap_or(0)) * 1_000_000);
    let days = local.div_euclid(MICROS_PER_DAY);
    let in_day = local.rem_euclid(MICROS_PER_DAY);
    let bc = write_ymd(out, days);
    out.put_u8(if style == TsStyle::Json { b'T' } else { b' ' });
    let secs = (in_day / 1_000_000) as u32;
    two(out, secs / 3600);
    out.put_u8(b':');
    two(out, secs / 60 % 60);
    out.put_u8(b':');
    two(out, secs % 60);
    let mut frac = (in_day % 1_000_000) as u32;
    if frac != 0 {
        out.put_u8(b'.');
        let mut width = 6;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        let mut div = 10u32.pow(width - 1);
        while div > 0 {
            out.put_u8(b'0' + (frac / div % 10) as u8);
            div /= 10;
        }
    }
    if let Some(off) = offset {
        out.put_u8(if off < 0 { b'-' } else { b'+' });
        let a = off.unsigned_abs();
        two(out, a / 3600);
        if a % 3600 != 0 || style == TsStyle::Json {
            out.put_u8(b':');
            two(out, a / 60 % 60);
        }
        if a % 60 != 0 {
            out.put_u8(b':');
            two(out, a % 60);
        }
    }
    if bc {
        out.put_slice(b" BC");
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes a UUID (16 bytes in canonical order) as lowercase hex with hyphens.
pub fn write_uuid(out: &mut BytesMut, bytes: &[u8; 16]) {
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.put_u8(b'-');
        }
        out.put_u8(HEX[usize::from(b >> 4)]);
        out.put_u8(HEX[usize::from(b & 15)]);
    }
}

/// Writes an IPv4 address in dotted decimal.
pub fn write_ipv4(out: &mut BytesMut, octets: [u8; 4]) {
    for (i, o) in octets.iter().enumerate() {
        if i > 0 {
            out.put_u8(b'.');
        }
        write_u128(out, u128::from(*o));
    }
}

/// Writes an IPv6 address as Postgres's `inet_net_ntop` does: the longest run (first if
/// tied) of two or more zero groups becomes `::`, hex in lowercase, and an address whose
/// first 96 bits are zero, or `::ffff:` followed by 32 bits, ends in dotted IPv4.
pub fn write_ipv6(out: &mut BytesMut, octets: [u8; 16]) {
    let mut words = [0u16; 8];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u16::from_be_bytes([octets[2 * i], octets[2 * i + 1]]);
    }
    let (mut best, mut best_len) = (usize::MAX, 0);
    let mut i = 0;
    while i < 8 {
        if words[i] == 0 {
            let start = i;
            while i < 8 && words[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best = usize::MAX;
    }
    let mut i = 0;
    while i < 8 {
        if i == best {
            if i == 0 {
                out.put_u8(b':');
            }
            out.put_u8(b':');
            i += best_len;
            continue;
        }
        if i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff)) {
            write_ipv4(out, [octets[12], octets[13], octets[14], octets[15]]);
            return;
        }
        let _ = write!(HexWriter(out), "{:x}", words[i]);
        if i < 7 {
            out.put_u8(b':');
        }
        i += 1;
    }
}

/// Lets `write!` target the row buffer.
struct HexWriter<'a>(&'a mut BytesMut);

impl std::fmt::Write for HexWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.put_slice(s.as_bytes());
        Ok(())
    }
}

/// Writes bytes that should be UTF-8 text, with each invalid sequence replaced by U+FFFD,
/// so a client never receives bytes that are not valid in the (UTF8) client encoding.
pub fn write_lossy(out: &mut BytesMut, bytes: &[u8]) {
    if std::str::from_utf8(bytes).is_ok() {
        return out.put_slice(bytes);
    }
    for chunk in bytes.utf8_chunks() {
        out.put_slice(chunk.valid().as_bytes());
        if !chunk.invalid().is_empty() {
            out.put_slice("\u{FFFD}".as_bytes());
        }
    }
}

/// Writes a JSON string literal: quotes, `\"`, `\\`, `\b \f \n \r \t` and `\u00XX` for
/// the other control characters, as Postgres's `jsonb` output escapes them.
pub fn write_json_string(out: &mut BytesMut, bytes: &[u8]) {
    out.put_u8(b'"');
    for chunk in bytes.utf8_chunks() {
        for &b in chunk.valid().as_bytes() {
            match b {
                b'"' => out.put_slice(b"\\\""),
                b'\\' => out.put_slice(b"\\\\"),
                b'\n' => out.put_slice(b"\\n"),
                b'\r' => out.put_slice(b"\\r"),
                b'\t' => out.put_slice(b"\\t"),
                0x08 => out.put_slice(b"\\b"),
                0x0c => out.put_slice(b"\\f"),
                b if b < 0x20 => {
                    out.put_slice(b"\\u00");
                    out.put_u8(HEX[usize::from(b >> 4)]);
                    out.put_u8(HEX[usize::from(b & 15)]);
                }
                b => out.put_u8(b),
            }
        }
        if !chunk.invalid().is_empty() {
            out.put_slice("\u{FFFD}".as_bytes());
        }
    }
    out.put_u8(b'"');
}

/// Re-spaces compact JSON text (as ClickHouse writes its `JSON` type) the way Postgres's
/// `jsonb` output spaces it: `", "` between items and `": "` after keys, no other
/// whitespace. Strings are copied as they are (invalid UTF-8 replaced).
pub fn write_json_spaced(out: &mut BytesMut, json: &[u8]) {
    let start = out.len();
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            out.put_u8(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b' ' | b'\n' | b'\r' | b'\t' => {}
            b'"' => {
                in_string = true;
                out.put_u8(b);
            }
            b',' => out.put_slice(b", "),
            b':' => out.put_slice(b": "),
            b => out.put_u8(b),
        }
    }
    if std::str::from_utf8(&out[start..]).is_err() {
        let fixed = String::from_utf8_lossy(&out[start..]).into_owned();
        out.truncate(start);
        out.put_slice(fixed.as_bytes());
    }
}

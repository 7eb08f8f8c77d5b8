//! Parsers for Postgres's input syntaxes (the subset clients send), and for binary arrays
//! and numerics.

use pgwire::api::Type;

use super::{bad_binary, days_from_civil, from_binary, from_text, invalid, ParamError};

/// Postgres's boolean input: `t`/`f`, `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`,
/// any case, and unique prefixes of the words.
pub fn boolean(t: &str) -> Option<&'static str> {
    let l = t.to_ascii_lowercase();
    if l.is_empty() {
        return None;
    }
    let prefix = |word: &str, min: usize| l.len() >= min && word.starts_with(l.as_str());
    if prefix("true", 1) || prefix("yes", 1) || prefix("on", 2) || l == "1" {
        Some("true")
    } else if prefix("false", 1) || prefix("no", 1) || prefix("off", 2) || l == "0" {
        Some("false")
    } else {
        None
    }
}

/// Postgres's float input: decimal or exponent notation, `NaN`, `[+-]Infinity`, `inf`.
pub fn float(t: &str) -> Option<f64> {
    let l = t.to_ascii_lowercase();
    let unsigned = l.trim_start_matches(['+', '-']);
    if matches!(unsigned, "infinity" | "inf" | "nan") {
        return l.replace("infinity", "inf").parse().ok();
    }
    // Rust's parser also takes forms Postgres refuses ("1_0" is refused by both).
    if l.is_empty()
        || !l
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    l.parse().ok()
}

/// Splits a decimal into sign, integer digits and fraction digits, applying an exponent.
fn decimal_parts(t: &str) -> Option<(bool, String, String)> {
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        || exp.unsigned_abs() > 1000
    {
        return None;
    }
    let mut digits = format!("{int}{frac}");
    let mut point = int.len() as i64 + i64::from(exp);
    if point < 0 {
        digits.insert_str(0, &"0".repeat(point.unsigned_abs() as usize));
        point = 0;
    }
    while (digits.len() as i64) < point {
        digits.push('0');
    }
    let (i, f) = digits.split_at(point as usize);
    let i = i.trim_start_matches('0');
    Some((
        neg,
        if i.is_empty() { "0".into() } else { i.into() },
        f.into(),
    ))
}

/// A numeric literal (see the module doc): plain when it has at most 15 significant digits.
pub fn numeric(t: &str) -> Option<String> {
    let l = t.to_ascii_lowercase();
    match l.as_str() {
        "nan" => return Some("nan".into()),
        "infinity" | "+infinity" | "inf" | "+inf" => return Some("inf".into()),
        "-infinity" | "-inf" => return Some("(-inf)".into()),
        _ => {}
    }
    let (neg, int, frac) = decimal_parts(t)?;
    let sign = if neg && (int != "0" || frac.bytes().any(|b| b != b'0')) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        return Some(crate::template::literal::integer(
            &format!("{sign}{int}"),
            true,
        ));
    }
    let significant = format!("{int}{frac}").trim_start_matches('0').len();
    let text = format!("{sign}{int}.{frac}");
    if significant <= 15 {
        return Some(crate::template::literal::integer(&text, true));
    }
    if int.len() + frac.len() > 76 {
        return None;
    }
    Some(format!("toDecimal256('{text}', {})", frac.len()))
}

fn num<T: std::str::FromStr>(s: &str, digits: std::ops::RangeInclusive<usize>) -> Option<T> {
    (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD` (ISO), checked against the calendar; answers days since 1970-01-01.
pub fn date(t: &str) -> Option<i64> {
    let mut parts = t.splitn(3, '-');
    let y: i64 = num(parts.next()?, 4..=6)?;
    let m: u32 = num(parts.next()?, 1..=2)?;
    let d: u32 = num(parts.next()?, 1..=2)?;
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 2023-02-30 and the like: the day must survive the round trip.
    (super::civil_from_days(days) == (y, m, d)).then_some(days)
}

/// `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][zone]` with zone `Z`, `UTC`, `±HH`, `±HHMM`,
/// `±HH:MM[:SS]` (only when `with_zone`); answers microseconds since the epoch, UTC.
/// A fraction beyond microseconds is rounded half to even, as Postgres does.
pub fn timestamp(t: &str, with_zone: bool) -> Option<i64> {
    let (day, rest) = match t.find([' ', 'T', 't']) {
        Some(i) => (&t[..i], t[i + 1..].trim_start()),
        None => (t, ""),
    };
    let days = date(day)?;
    let (time, zone) = match rest.find(['+', '-', 'Z', 'z', ' ', 'U']) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let mut micros: i64 = 0;
    if !time.is_empty() {
        let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
        let mut it = hms.split(':');
        let h: i64 = num(it.next()?, 1..=2)?;
        let m: i64 = num(it.next()?, 1..=2)?;
        let s: i64 = match it.next() {
            Some(s) => num(s, 1..=2)?,
            None => 0,
        };
        if it.next().is_some() || h > 24 || m > 59 || s > 60 || (h == 24 && (m, s) != (0, 0)) {
            return None;
        }
        let mut us = 0i64;
        if !frac.is_empty() {
            if !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let six: String = frac.chars().chain(std::iter::repeat('0')).take(6).collect();
            us = six.parse().ok()?;
            let rest = frac.get(6..).unwrap_or("");
            let first = rest.bytes().next().unwrap_or(b'0');
            let tail_nonzero = rest.bytes().skip(1).any(|b| b != b'0');
            if first > b'5' || (first == b'5' && (tail_nonzero || us % 2 == 1)) {
                us += 1;
            }
        }
        micros = ((h * 60 + m) * 60 + s) * 1_000_000 + us;
    }
    let offset = if zone.is_empty() {
        0
    } else if !with_zone {
        return None;
    } else {
        zone_offset(zone)?
    };
    days.checked_mul(86_400_000_000)?
        .checked_add(micros)?
        .checked_sub(i64::from(offset) * 1_000_000)
}

/// `Z`, `UTC`, `±HH`, `±HHMM`, `±HH:MM`, `±HH:MM:SS`: seconds east of UTC.
fn zone_offset(zone: &str) -> Option<i32> {
    if zone.eq_ignore_ascii_case("z") || zone.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let (sign, rest) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let parts: Vec<&str> = if rest.contains(':') {
        rest.split(':').collect()
    } else if rest.len() == 4 {
        vec![&rest[..2], &rest[2..]]
    } else {
        vec![rest]
    };
    if parts.len() > 3 {
        return None;
    }
    let mut secs = 0i32;
    for (i, p) in parts.iter().enumerate() {
        let v: i32 = num(p, 1..=2)?;
        if (i == 0 && v > 15) || (i > 0 && v > 59) {
            return None;
        }
        secs += v * [3600, 60, 1][i];
    }
    Some(sign * secs)
}

/// Postgres's uuid input: 32 hex digits, optionally in braces, with a hyphen allowed
/// after any group of four digits.
pub fn uuid(t: &str) -> Option<[u8; 16]> {
    let t = match t.strip_prefix('{') {
        Some(inner) => inner.strip_suffix('}')?,
        None => t,
    };
    let mut out = [0u8; 16];
    let mut n = 0;
    let mut prev_hyphen = true;
    for (i, c) in t.chars().enumerate() {
        if c == '-' {
            if prev_hyphen || n % 4 != 0 || i + 1 == t.len() {
                return None;
            }
            prev_hyphen = true;
            continue;
        }
        prev_hyphen = false;
        let v = c.to_digit(16)? as u8;
        if n >= 32 {
            return None;
        }
        out[n / 2] |= if n % 2 == 0 { v << 4 } else { v };
        n += 1;
    }
    (n == 32).then_some(out)
}

/// Postgres's array input (`{1,2,NULL}`, `{"a b","c\"d"}`, `{{1},{2}}`) as a ClickHouse
/// array literal, each element checked by the element type's own input rules.
pub fn array(ty: &Type, elem: &Type, s: &str) -> Result<String, ParamError> {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut pos = 0;
    let out = array_level(ty, elem, s, &chars, &mut pos, 0)?;
    if pos != chars.len() {
        return Err(invalid(ty, s));
    }
    Ok(out)
}

fn array_level(
    ty: &Type,
    elem: &Type,
    s: &str,
    c: &[char],
    pos: &mut usize,
    depth: usize,
) -> Result<String, ParamError> {
    if depth > 6 || c.get(*pos) != Some(&'{') {
        return Err(invalid(ty, s));
    }
    *pos += 1;
    let mut items = Vec::new();
    let skip_ws = |pos: &mut usize| {
        while c.get(*pos).is_some_and(|ch| ch.is_whitespace()) {
            *pos += 1;
        }
    };
    skip_ws(pos);
    if c.get(*pos) == Some(&'}') {
        *pos += 1;
        return Ok("[]".into());
    }
    loop {
        skip_ws(pos);
        match c.get(*pos) {
            Some('{') => items.push(array_level(ty, elem, s, c, pos, depth + 1)?),
            Some('"') => {
                *pos += 1;
                let mut v = String::new();
                loop {
                    match c.get(*pos) {
                        Some('\\') => {
                            v.push(*c.get(*pos + 1).ok_or_else(|| invalid(ty, s))?);
                            *pos += 2;
                        }
                        Some('"') => {
                            *pos += 1;
                            break;
                        }
                        Some(ch) => {
                            v.push(*ch);
                            *pos += 1;
                        }
                        None => return Err(invalid(ty, s)),
                    }
                }
                items.push(from_text(elem, &v)?);
            }
            Some(_) => {
                let mut v = String::new();
                while let Some(&ch) = c.get(*pos) {
                    if matches!(ch, ',' | '}') {
                        break;
                    }
                    if matches!(ch, '{' | '"') {
                        return Err(invalid(ty, s));
                    }
                    if ch == '\\' {
                        v.push(*c.get(*pos + 1).ok_or_else(|| invalid(ty, s))?);
                        *pos += 2;
                        continue;
                    }
                    v.push(ch);
                    *pos += 1;
                }
                let v = v.trim_end();
                if v.is_empty() {
                    return Err(invalid(ty, s));
                }
                items.push(if v.eq_ignore_ascii_case("null") {
                    "NULL".into()
                } else {
                    from_text(elem, v)?
                });
            }
            None => return Err(invalid(ty, s)),
        }
        skip_ws(pos);
        match c.get(*pos) {
            Some(',') => *pos += 1,
            Some('}') => {
                *pos += 1;
                return Ok(format!("[{}]", items.join(", ")));
            }
            _ => return Err(invalid(ty, s)),
        }
    }
}

/// Reads a big-endian i32 at `*at`, advancing.
fn be_i32(ty: &Type, b: &[u8], at: &mut usize) -> Result<i32, ParamError> {
    let bytes = b
        .get(*at..*at + 4)
        .ok_or_else(|| bad_binary(ty, "truncated array"))?;
    *at += 4;
    Ok(i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// Postgres's binary array (ndim, flags, element OID, dims, elements) as a ClickHouse
/// array literal.
pub fn binary_array(ty: &Type, elem: &Type, b: &[u8]) -> Result<String, ParamError> {
    let mut at = 0;
    let ndim = be_i32(ty, b, &mut at)?;
    let _flags = be_i32(ty, b, &mut at)?;
    let oid = be_i32(ty, b, &mut at)? as u32;
    if oid != elem.oid() {
        return Err(bad_binary(
            ty,
            format!("element type {oid}, expected {}", elem.oid()),
        ));
    }
    if !(0..=6).contains(&ndim) {
        return Err(bad_binary(ty, format!("{ndim} dimensions")));
    }
    if ndim == 0 {
        return Ok("[]".into());
    }
    let mut dims = Vec::new();
    for _ in 0..ndim {
        let size = be_i32(ty, b, &mut at)?;
        let _lower = be_i32(ty, b, &mut at)?;
        if size < 0 || size > (b.len() as i32) {
            return Err(bad_binary(ty, format!("dimension of size {size}")));
        }
        dims.push(size as usize);
    }
    let out = binary_level(ty, elem, b, &mut at, &dims)?;
    if at != b.len() {
        return Err(bad_binary(ty, "trailing bytes after the array"));
    }
    Ok(out)
}

fn binary_level(
    ty: &Type,
    elem: &Type,
    b: &[u8],
    at: &mut usize,
    dims: &[usize],
) -> Result<String, ParamError> {
    let mut items = Vec::new();
    for _ in 0..dims[0] {
        if dims.len() > 1 {
            items.push(binary_level(ty, elem, b, at, &dims[1..])?);
            continue;
        }
        let len = be_i32(ty, b, at)?;
        if len < 0 {
            items.push("NULL".into());
            continue;
        }
        let body = b
            .get(*at..*at + len as usize)
            .ok_or_else(|| bad_binary(ty, "truncated element"))?;
        *at += len as usize;
        items.push(from_binary(elem, body)?);
    }
    Ok(format!("[{}]", items.join(", ")))
}

/// Postgres's binary numeric (ndigits, weight, sign, dscale, base-10000 digits) as a
/// literal, through its decimal text.
pub fn binary_numeric(b: &[u8]) -> Option<String> {
    let word = |i: usize| {
        b.get(i * 2..i * 2 + 2)
            .map(|w| i16::from_be_bytes([w[0], w[1]]))
    };
    let (ndigits, weight, sign, dscale) = (word(0)?, word(1)?, word(2)? as u16, word(3)?);
    if ndigits < 0 || dscale < 0 || b.len() != 8 + 2 * ndigits as usize {
        return None;
    }
    match sign {
        0xC000 => return Some("nan".into()),
        0xD000 => return Some("inf".into()),
        0xF000 => return Some("(-inf)".into()),
        0x0000 | 0x4000 => {}
        _ => return None,
    }
    let mut int = String::new();
    let mut frac = String::new();
    for i in 0..ndigits {
        let d = word(4 + i as usize)?;
        if !(0..10000).contains(&d) {
            return None;
        }
        let pos = i32::from(weight) - i32::from(i);
        if pos >= 0 {
            int.push_str(&format!("{d:04}"));
        } else {
            while frac.len() < 4 * (-pos - 1) as usize {
                frac.push_str("0000");
            }
            frac.push_str(&format!("{d:04}"));
        }
    }
    // Integer digits the weight implies beyond the stored ones are zeros.
    let stored_int = (i32::from(weight) + 1).clamp(0, i32::from(ndigits));
    for _ in stored_int..(i32::from(weight) + 1).max(0) {
        int.push_str("0000");
    }
    let scale = dscale as usize;
    while frac.len() < scale {
        frac.push('0');
    }
    frac.truncate(scale);
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let text = if scale == 0 {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    numeric(&format!("{}{text}", if sign == 0x4000 { "-" } else { "" }))
}

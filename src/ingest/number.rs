//! Numbers from JSON text into ClickHouse's integer and decimal encodings, exactly: the
//! digits are read as written, never through a float, so `Int128`, `UInt256` and
//! `Decimal(38, 10)` keep every digit. Out-of-range values are errors (ClickHouse would wrap
//! them; a wrapped value is a wrong value).

/// An unsigned 256-bit integer, little-endian 64-bit limbs: enough for every integer and
/// decimal width ClickHouse has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct U256(pub [u64; 4]);

impl U256 {
    /// `self * m + a`, or `None` on overflow.
    fn mul_add(self, m: u64, a: u64) -> Option<U256> {
        let mut out = [0u64; 4];
        let mut carry = u128::from(a);
        for (i, limb) in self.0.iter().enumerate() {
            let v = u128::from(*limb) * u128::from(m) + carry;
            out[i] = v as u64;
            carry = v >> 64;
        }
        (carry == 0).then_some(U256(out))
    }

    fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }

    /// The number of significant bits.
    fn bits(&self) -> u32 {
        for i in (0..4).rev() {
            if self.0[i] != 0 {
                return 64 * i as u32 + (64 - self.0[i].leading_zeros());
            }
        }
        0
    }

    /// Two's complement negation.
    fn negate(self) -> U256 {
        let mut out = [0u64; 4];
        let mut carry = 1u128;
        for (i, limb) in self.0.iter().enumerate() {
            let v = u128::from(!limb) + carry;
            out[i] = v as u64;
            carry = v >> 64;
        }
        U256(out)
    }

    fn le_bytes(&self, width: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(32);
        for limb in self.0 {
            out.extend_from_slice(&limb.to_le_bytes());
        }
        out.truncate(width);
        out
    }

    fn cmp_pow10(&self, p: u32) -> std::cmp::Ordering {
        let mut ten = U256([1, 0, 0, 0]);
        for _ in 0..p {
            match ten.mul_add(10, 0) {
                Some(t) => ten = t,
                None => return std::cmp::Ordering::Less,
            }
        }
        for i in (0..4).rev() {
            match self.0[i].cmp(&ten.0[i]) {
                std::cmp::Ordering::Equal => continue,
                other => return other,
            }
        }
        std::cmp::Ordering::Equal
    }
}

/// A number's text taken apart: sign, digits, and the power of ten they are scaled by.
struct Parts<'a> {
    negative: bool,
    digits: &'a [u8],
    /// Digits after the point, among `digits`.
    fraction: usize,
    exponent: i64,
}

fn parts(text: &str) -> Option<Parts<'_>> {
    let s = text.trim().as_bytes();
    let (negative, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match s.iter().position(|b| *b == b'e' || *b == b'E') {
        Some(i) => {
            let e = std::str::from_utf8(&s[i + 1..]).ok()?.parse::<i64>().ok()?;
            (&s[..i], e)
        }
        None => (s, 0),
    };
    if !(-1000..=1000).contains(&exponent) {
        return None;
    }
    let (int, frac) = match mantissa.iter().position(|b| *b == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &mantissa[..0]),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    // The digits are contiguous in the text unless there is a point; keep one buffer-free
    // view by handling the point in `scaled`.
    Some(Parts {
        negative,
        digits: mantissa,
        fraction: frac.len(),
        exponent,
    })
}

/// The value of `parts` times 10^scale, with digits past the point truncated (toward zero),
/// as ClickHouse reads decimals. `None` when it does not fit 256 bits.
fn scaled(p: &Parts, scale: u32) -> Option<U256> {
    // Digits kept: those whose power of ten is at least 10^-scale after the exponent.
    let shift = i64::from(scale) + p.exponent - p.fraction as i64;
    let digits: Vec<u8> = p.digits.iter().copied().filter(|b| *b != b'.').collect();
    let keep = if shift >= 0 {
        digits.len()
    } else {
        digits.len().saturating_sub(shift.unsigned_abs() as usize)
    };
    let mut v = U256::default();
    for d in &digits[..keep] {
        v = v.mul_add(10, u64::from(d - b'0'))?;
    }
    for _ in 0..shift.max(0) {
        v = v.mul_add(10, 0)?;
    }
    Some(v)
}

/// A signed or unsigned integer of `bits` (8 to 256), little-endian.
pub fn integer(text: &str, bits: u16, signed: bool) -> Result<Vec<u8>, String> {
    let p = parts(text).ok_or_else(|| format!("{text:?} is not a number"))?;
    if p.fraction > 0 || p.exponent != 0 {
        return Err(format!("{text} is not an integer"));
    }
    let v = scaled(&p, 0).ok_or_else(|| out_of_range(text, bits, signed))?;
    let width = usize::from(bits / 8);
    let bits = u32::from(bits);
    if signed {
        // Magnitude up to 2^(bits-1) - 1, or 2^(bits-1) for negatives.
        let fits = v.bits() < bits || (p.negative && is_min(&v, bits));
        if !fits {
            return Err(out_of_range(text, bits as u16, true));
        }
        let v = if p.negative && !v.is_zero() {
            v.negate()
        } else {
            v
        };
        Ok(v.le_bytes(width))
    } else {
        if p.negative && !v.is_zero() {
            return Err(out_of_range(text, bits as u16, false));
        }
        if v.bits() > bits {
            return Err(out_of_range(text, bits as u16, false));
        }
        Ok(v.le_bytes(width))
    }
}

/// Whether `v` is exactly 2^(bits-1), the magnitude of the smallest signed value.
fn is_min(v: &U256, bits: u32) -> bool {
    let mut min = U256::default();
    let bit = bits - 1;
    min.0[(bit / 64) as usize] = 1u64 << (bit % 64);
    *v == min
}

fn out_of_range(text: &str, bits: u16, signed: bool) -> String {
    format!(
        "{} is out of range for {}Int{bits}",
        text.trim(),
        if signed { "" } else { "U" }
    )
}

/// A `Decimal(precision, scale)` value in its storage width (4, 8, 16 or 32 bytes).
pub fn decimal(text: &str, precision: u8, scale: u8) -> Result<Vec<u8>, String> {
    let p = parts(text).ok_or_else(|| format!("{text:?} is not a number"))?;
    let too_big = || format!("{} does not fit Decimal({precision}, {scale})", text.trim());
    let v = scaled(&p, u32::from(scale)).ok_or_else(too_big)?;
    if v.cmp_pow10(u32::from(precision)) != std::cmp::Ordering::Less {
        return Err(too_big());
    }
    let v = if p.negative && !v.is_zero() {
        v.negate()
    } else {
        v
    };
    let width = match precision {
        0..=9 => 4,
        10..=18 => 8,
        19..=38 => 16,
        _ => 32,
    };
    Ok(v.le_bytes(width))
}

/// The value of a number's text times 10^scale, digits past that truncated toward zero, as
/// a signed 128-bit integer: epoch seconds with their fraction, for DateTime64.
pub fn fixed(text: &str, scale: u32) -> Result<i128, String> {
    let p = parts(text).ok_or_else(|| format!("{text:?} is not a number"))?;
    let v = scaled(&p, scale)
        .filter(|v| v.bits() < 127)
        .ok_or_else(|| format!("{} is out of range", text.trim()))?;
    let mut low = [0u8; 16];
    low.copy_from_slice(&v.le_bytes(16));
    let v = i128::from_le_bytes(low);
    Ok(if p.negative { -v } else { v })
}

/// A float from JSON number text or a string (`nan`, `inf` and `-inf` too).
pub fn float(text: &str) -> Result<f64, String> {
    let t = text.trim();
    t.parse::<f64>()
        .map_err(|_| format!("{t:?} is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(text: &str, bits: u16, signed: bool) -> Result<i128, String> {
        let b = integer(text, bits, signed)?;
        let mut full = [if signed && b.last().is_some_and(|x| x & 0x80 != 0) {
            0xff
        } else {
            0
        }; 16];
        full[..b.len().min(16)].copy_from_slice(&b[..b.len().min(16)]);
        Ok(i128::from_le_bytes(full))
    }

    #[test]
    fn integers_are_exact_and_range_checked() {
        assert_eq!(int("127", 8, true), Ok(127));
        assert_eq!(int("-128", 8, true), Ok(-128));
        assert!(int("128", 8, true).is_err());
        assert!(int("-129", 8, true).is_err());
        assert_eq!(int("255", 8, false), Ok(255));
        assert_eq!(
            int("300", 8, false),
            Err("300 is out of range for UInt8".into())
        );
        assert!(int("-1", 32, false).is_err());
        assert_eq!(int("-0", 32, false), Ok(0));
        assert_eq!(int(" 42 ", 64, true), Ok(42));
        assert_eq!(
            int("-170141183460469231731687303715884105728", 128, true),
            Ok(i128::MIN)
        );
        assert!(int("170141183460469231731687303715884105728", 128, true).is_err());
        assert_eq!(int("1.5", 32, true), Err("1.5 is not an integer".into()));
        assert_eq!(int("abc", 32, true), Err("\"abc\" is not a number".into()));
        let max256 =
            "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(integer(max256, 256, false), Ok(vec![0xff; 32]));
        assert!(integer(
            "115792089237316195423570985008687907853269984665640564039457584007913129639936",
            256,
            false
        )
        .is_err());
        assert_eq!(integer("-1", 256, true), Ok(vec![0xff; 32]));
    }

    fn dec(text: &str, p: u8, s: u8) -> Result<i128, String> {
        let b = decimal(text, p, s)?;
        let mut full = [if b.last().is_some_and(|x| x & 0x80 != 0) {
            0xff
        } else {
            0
        }; 16];
        full[..b.len().min(16)].copy_from_slice(&b[..b.len().min(16)]);
        Ok(i128::from_le_bytes(full))
    }

    #[test]
    fn decimals_scale_and_truncate_like_clickhouse() {
        assert_eq!(
            dec("1.239", 10, 2),
            Ok(123),
            "truncated, as ClickHouse reads it"
        );
        assert_eq!(dec("-1.239", 10, 2), Ok(-123));
        assert_eq!(dec("12", 10, 2), Ok(1200));
        assert_eq!(dec("1.5e2", 10, 2), Ok(15000));
        assert_eq!(dec("15e-1", 10, 2), Ok(150));
        assert_eq!(dec(".5", 3, 1), Ok(5));
        assert_eq!(dec("99.99", 4, 2), Ok(9999));
        assert_eq!(
            dec("100.00", 4, 2),
            Err("100.00 does not fit Decimal(4, 2)".into())
        );
        assert_eq!(decimal("1", 9, 0).map(|b| b.len()), Ok(4));
        assert_eq!(decimal("1", 18, 0).map(|b| b.len()), Ok(8));
        assert_eq!(decimal("1", 38, 0).map(|b| b.len()), Ok(16));
        assert_eq!(decimal("1", 76, 0).map(|b| b.len()), Ok(32));
        assert!(decimal("1e999", 76, 0).is_err());
        assert!(decimal("x", 9, 0).is_err());
    }
}

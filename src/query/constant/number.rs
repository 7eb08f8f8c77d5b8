//! Numbers as PostgreSQL reads and prints them: `numeric` as exact decimals that keep
//! their scale (`1.50`), and `float4`/`float8` output under `extra_float_digits`.

/// An exact decimal: `digits × 10^-scale`, as PostgreSQL's `numeric` (scale kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dec {
    negative: bool,
    /// Decimal digits without leading zeros; empty for zero.
    digits: Vec<u8>,
    scale: u32,
}

impl Dec {
    /// PostgreSQL's `numeric_in`: `[+-]digits[.digits][e[+-]digits]`, surrounding spaces
    /// allowed; the scale is the fraction's digits less the exponent (at least 0).
    pub(super) fn parse(text: &str) -> Option<Dec> {
        let s = text.trim();
        let (negative, s) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exponent) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
            None => (s, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
            || exponent.abs() > 1000
        {
            return None;
        }
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let mut scale = frac.len() as i64 - exponent;
        if scale < 0 {
            digits.extend(std::iter::repeat_n(0, (-scale) as usize));
            scale = 0;
        }
        let mut d = Dec {
            negative,
            digits,
            scale: scale as u32,
        };
        d.trim();
        Some(d)
    }

    fn trim(&mut self) {
        let zeros = self.digits.iter().take_while(|d| **d == 0).count();
        self.digits.drain(..zeros);
        if self.digits.is_empty() {
            self.negative = false;
        }
    }

    pub(super) fn from_int(n: i128) -> Dec {
        let mut d = Dec {
            negative: n < 0,
            digits: n
                .unsigned_abs()
                .to_string()
                .bytes()
                .map(|b| b - b'0')
                .collect(),
            scale: 0,
        };
        d.trim();
        d
    }

    pub(super) fn negate(mut self) -> Dec {
        self.negative = !self.negative && !self.digits.is_empty();
        self
    }

    /// Rounded (half away from zero) or zero-extended to `scale` fraction digits.
    pub(super) fn round(&self, scale: u32) -> Dec {
        let mut d = self.clone();
        if d.scale <= scale {
            d.digits
                .extend(std::iter::repeat_n(0, (scale - d.scale) as usize));
        } else {
            let drop = (d.scale - scale) as usize;
            if d.digits.len() <= drop {
                let mut padded = vec![0; drop + 1 - d.digits.len()];
                padded.extend(&d.digits);
                d.digits = padded;
            }
            let round_up = d.digits[d.digits.len() - drop] >= 5;
            d.digits.truncate(d.digits.len() - drop);
            if round_up {
                let mut i = d.digits.len();
                loop {
                    if i == 0 {
                        d.digits.insert(0, 1);
                        break;
                    }
                    i -= 1;
                    if d.digits[i] == 9 {
                        d.digits[i] = 0;
                    } else {
                        d.digits[i] += 1;
                        break;
                    }
                }
            }
        }
        d.scale = scale;
        d.trim();
        d
    }

    /// The digits left of the point.
    pub(super) fn integer_digits(&self) -> usize {
        self.digits.len().saturating_sub(self.scale as usize)
    }

    /// Rounded half away from zero to an integer; None past i128.
    pub(super) fn to_int(&self) -> Option<i128> {
        let r = self.round(0);
        if r.digits.len() > 38 {
            return None;
        }
        let magnitude = r
            .digits
            .iter()
            .fold(0i128, |acc, d| acc * 10 + i128::from(*d));
        Some(if r.negative { -magnitude } else { magnitude })
    }

    pub(super) fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }
}

impl std::fmt::Display for Dec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scale = self.scale as usize;
        let mut digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        if digits.len() <= scale {
            digits = format!("{}{digits}", "0".repeat(scale + 1 - digits.len()));
        }
        let (int, frac) = digits.split_at(digits.len() - scale);
        let sign = if self.negative { "-" } else { "" };
        if frac.is_empty() {
            write!(f, "{sign}{int}")
        } else {
            write!(f, "{sign}{int}.{frac}")
        }
    }
}

/// Decimal digits and exponent of a finite float from Rust's `{:e}` form
/// (`1.5e-5` → ("15", -5)).
fn digits_exponent(sci: &str) -> (String, i32) {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() {
        "0".to_string()
    } else {
        digits.to_string()
    };
    (digits, exp.parse().unwrap_or(0))
}

/// `digits` with the first at 10^`exp`, fixed-point or `d.ddde+XX` as C's `%g` does.
fn layout(negative: bool, digits: &str, exp: i32, scientific: bool) -> String {
    let sign = if negative { "-" } else { "" };
    if scientific {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{point}e{esign}{:02}", exp.unsigned_abs());
    }
    if exp < 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize));
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
    }
}

/// `float8out`/`float4out`: the shortest exact form when `extra_float_digits` > 0
/// (fixed-point for exponents -4 ..< 15, or ..< 6 for float4), else `%.{15|6 + extra}g`.
pub(super) fn float_out(v: f64, float4: bool, extra_float_digits: i32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let negative = v.is_sign_negative();
    let a = v.abs();
    if extra_float_digits > 0 {
        let sci = if float4 {
            format!("{:e}", a as f32)
        } else {
            format!("{a:e}")
        };
        let (digits, exp) = digits_exponent(&sci);
        let limit = if float4 { 6 } else { 15 };
        return layout(negative, &digits, exp, !(-4..limit).contains(&exp));
    }
    let precision = ((if float4 { 6 } else { 15 }) + extra_float_digits).max(1) as usize;
    let sci = if float4 {
        format!("{:.*e}", precision - 1, a as f32)
    } else {
        format!("{:.*e}", precision - 1, a)
    };
    let (digits, exp) = digits_exponent(&sci);
    layout(negative, &digits, exp, exp < -4 || exp >= precision as i32)
}

/// A float as `numeric` takes it: `%.15g` (`%.6g` for float4) then read exactly.
pub(super) fn float_to_dec(v: f64, float4: bool) -> Option<Dec> {
    if !v.is_finite() {
        return None;
    }
    Dec::parse(&float_out(v, float4, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keeps_scale_like_postgres() {
        let n = |s: &str| Dec::parse(s).unwrap().to_string();
        assert_eq!(n("1.50"), "1.50");
        assert_eq!(n(".5"), "0.5");
        assert_eq!(n("1e3"), "1000");
        assert_eq!(n("1.50e1"), "15.0");
        assert_eq!(n("1.5e-3"), "0.0015");
        assert_eq!(n("-0.0"), "0.0");
        assert_eq!(n("007"), "7");
        assert!(Dec::parse("1.2.3").is_none());
        assert!(Dec::parse("e5").is_none());
        assert_eq!(Dec::parse("1.555").unwrap().round(2).to_string(), "1.56");
        assert_eq!(Dec::parse("-2.5").unwrap().to_int(), Some(-3));
        assert_eq!(Dec::parse("9.99").unwrap().round(1).to_string(), "10.0");
        assert_eq!(Dec::parse("0.004").unwrap().round(2).to_string(), "0.00");
    }

    #[test]
    fn floats_print_like_postgres() {
        assert_eq!(float_out(1.5, false, 1), "1.5");
        assert_eq!(float_out(1e15, false, 1), "1e+15");
        assert_eq!(float_out(123456789012345.0, false, 1), "123456789012345");
        assert_eq!(float_out(0.0001, false, 1), "0.0001");
        assert_eq!(float_out(0.00001, false, 1), "1e-05");
        assert_eq!(float_out(0.1 + 0.2, false, 1), "0.30000000000000004");
        assert_eq!(float_out(0.1 + 0.2, false, 0), "0.3");
        assert_eq!(float_out(-0.0, false, 1), "-0");
        assert_eq!(float_out(1e100, false, 1), "1e+100");
        assert_eq!(float_out(1234567.0, true, 1), "1.234567e+06");
        assert_eq!(float_out(f64::INFINITY, false, 1), "Infinity");
    }
}

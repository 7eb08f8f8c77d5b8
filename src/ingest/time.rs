//! Dates and times from JSON: ISO 8601 strings (`2024-05-01`, `2024-05-01 10:00:00`,
//! `2024-05-01T10:00:00.123Z`, `...+02:00`) and epoch numbers (seconds, with a fraction for
//! DateTime64), as ClickHouse reads them with `date_time_input_format = 'best_effort'`. A
//! string without an offset is in the column's time zone, or UTC when the column has none
//! (the server time zone pipegate assumes, as Tinybird does).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};

use super::number;

/// The time zone that offset-less strings are read in.
#[derive(Debug, Clone)]
pub enum Zone {
    Utc,
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The zone of a column's `DateTime('tz')`; `None` is UTC.
    pub fn of(tz: Option<&str>) -> Result<Zone, String> {
        match tz {
            None | Some("UTC") | Some("Etc/UTC") => Ok(Zone::Utc),
            Some(name) => name
                .parse::<chrono_tz::Tz>()
                .map(Zone::Named)
                .map_err(|_| format!("unknown time zone {name:?}")),
        }
    }

    /// The UTC offset, in seconds, of a local wall-clock time in this zone. In a gap (the
    /// hour skipped when clocks go forward) the offset from before the gap applies; in an
    /// overlap, the earlier instant.
    fn offset_of_local(&self, local: &NaiveDateTime) -> i64 {
        match self {
            Zone::Utc => 0,
            Zone::Named(tz) => match tz.offset_from_local_datetime(local).earliest() {
                Some(off) => i64::from(off.fix().local_minus_utc()),
                None => {
                    let before = *local - Duration::hours(3);
                    i64::from(tz.offset_from_utc_datetime(&before).fix().local_minus_utc())
                }
            },
        }
    }
}

/// A point in time: whole seconds since the epoch (floored) and nanoseconds after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    pub secs: i64,
    pub nanos: u32,
}

impl Instant {
    /// Ticks of 10^-precision seconds since the epoch, the fraction truncated.
    pub fn ticks(&self, precision: u8) -> Option<i64> {
        let scale = 10i64.checked_pow(u32::from(precision))?;
        let frac = i64::from(self.nanos) / 10i64.pow(9 - u32::from(precision.min(9)));
        self.secs.checked_mul(scale)?.checked_add(frac)
    }
}

/// A date-time string or epoch-seconds text.
pub fn instant(text: &str, zone: &Zone) -> Result<Instant, String> {
    let t = text.trim();
    if looks_numeric(t) {
        return epoch(t);
    }
    let (date, rest) = date_prefix(t).ok_or_else(|| not_a_datetime(t))?;
    let rest = rest.trim_start_matches(['T', 't', ' ']);
    let (time, nanos, rest) = if rest.is_empty() || !rest.as_bytes()[0].is_ascii_digit() {
        (NaiveTime::MIN, 0, rest)
    } else {
        time_prefix(rest).ok_or_else(|| not_a_datetime(t))?
    };
    let local = NaiveDateTime::new(date, time);
    let offset = match offset(rest.trim_start()) {
        Some(Some(off)) => off,
        Some(None) => zone.offset_of_local(&local),
        None => return Err(not_a_datetime(t)),
    };
    let secs = local.and_utc().timestamp() - offset;
    Ok(Instant { secs, nanos })
}

/// Epoch seconds, with an optional fraction.
pub fn epoch(text: &str) -> Result<Instant, String> {
    let nanos = number::fixed(text, 9)?;
    let secs = nanos.div_euclid(1_000_000_000);
    let secs = i64::try_from(secs).map_err(|_| format!("{} is out of range", text.trim()))?;
    Ok(Instant {
        secs,
        nanos: nanos.rem_euclid(1_000_000_000) as u32,
    })
}

/// Days since 1970-01-01 of a date string (a time after it is ignored, as in ClickHouse's
/// Date from a date-time), or of a day number.
pub fn days(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if looks_numeric(t) {
        let n = number::fixed(t, 0)?;
        return i64::try_from(n).map_err(|_| format!("{t} is out of range"));
    }
    let (date, _) = date_prefix(t).ok_or_else(|| format!("{t:?} is not a date"))?;
    Ok(days_of(date))
}

fn days_of(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

fn looks_numeric(t: &str) -> bool {
    let digits = t.strip_prefix('-').unwrap_or(t);
    !digits.is_empty()
        && digits.as_bytes()[0].is_ascii_digit()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && !(digits.len() >= 10 && digits.as_bytes().get(4) == Some(&b'-'))
}

fn not_a_datetime(t: &str) -> String {
    format!("{t:?} is not a date and time (use ISO 8601, like 2024-05-01 10:00:00 or 2024-05-01T10:00:00Z, or epoch seconds)")
}

/// `YYYY-MM-DD` at the start, and what follows.
fn date_prefix(t: &str) -> Option<(NaiveDate, &str)> {
    let b = t.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = t.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    Some((date, &t[10..]))
}

/// `HH:MM[:SS[.fraction]]` at the start: the time, its nanoseconds and what follows.
fn time_prefix(t: &str) -> Option<(NaiveTime, u32, &str)> {
    let b = t.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let h = two(0)?;
    if b.get(2) != Some(&b':') {
        return None;
    }
    let m = two(3)?;
    let mut at = 5;
    let mut s = 0;
    let mut nanos = 0u32;
    if b.get(5) == Some(&b':') {
        s = two(6)?;
        at = 8;
        if matches!(b.get(8), Some(b'.') | Some(b',')) {
            let digits = b[9..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            for (i, d) in b[9..9 + digits].iter().enumerate().take(9) {
                nanos += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
            }
            at = 9 + digits;
        }
    }
    let time = NaiveTime::from_hms_opt(h, m, s)?;
    Some((time, nanos, &t[at..]))
}

/// A trailing offset: `Some(Some(seconds))` for `Z`, `UTC`, `+02`, `+02:00`, `-0530`;
/// `Some(None)` for nothing; `None` for anything else.
fn offset(t: &str) -> Option<Option<i64>> {
    match t {
        "" => return Some(None),
        "Z" | "z" | "UTC" | "GMT" => return Some(Some(0)),
        _ => {}
    }
    let sign = match t.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = t[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (
            digits[..2].parse::<i64>().ok()?,
            digits[2..].parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(Some(sign * (h * 3600 + m * 60)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(t: &str) -> Result<(i64, u32), String> {
        instant(t, &Zone::Utc).map(|i| (i.secs, i.nanos))
    }

    #[test]
    fn iso_strings_and_epochs() {
        assert_eq!(utc("1970-01-01"), Ok((0, 0)));
        assert_eq!(utc("2023-11-14 22:13:20"), Ok((1_700_000_000, 0)));
        assert_eq!(utc("2023-11-14T22:13:20Z"), Ok((1_700_000_000, 0)));
        assert_eq!(
            utc("2023-11-14T22:13:20.5Z"),
            Ok((1_700_000_000, 500_000_000))
        );
        assert_eq!(utc("2023-11-14T23:13:20+01:00"), Ok((1_700_000_000, 0)));
        assert_eq!(utc("2023-11-14T21:13:20-0100"), Ok((1_700_000_000, 0)));
        assert_eq!(utc("2023-11-14 22:13"), Ok((1_699_999_980, 0)));
        assert_eq!(utc("1700000000"), Ok((1_700_000_000, 0)));
        assert_eq!(utc("1700000000.25"), Ok((1_700_000_000, 250_000_000)));
        assert_eq!(utc("-1.5"), Ok((-2, 500_000_000)));
        assert_eq!(utc("1.7e9"), Ok((1_700_000_000, 0)));
        for bad in [
            "2023-02-30",
            "2023-11-14 25:00:00",
            "yesterday",
            "2023-11-14T10:00:00+99",
            "2023-11-14 10:00:00 junk",
            "",
        ] {
            assert!(utc(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn offsetless_strings_take_the_column_zone() {
        let madrid = Zone::of(Some("Europe/Madrid")).expect("zone");
        let i = instant("2024-01-15 10:00:00", &madrid).expect("winter");
        assert_eq!(i.secs, utc("2024-01-15 09:00:00").expect("utc").0);
        let i = instant("2024-07-15 10:00:00", &madrid).expect("summer");
        assert_eq!(i.secs, utc("2024-07-15 08:00:00").expect("utc").0);
        let i = instant("2024-07-15T10:00:00Z", &madrid).expect("explicit");
        assert_eq!(i.secs, utc("2024-07-15 10:00:00").expect("utc").0);
        // 02:30 does not exist on 2024-03-31 in Madrid: read with the offset before the gap.
        let i = instant("2024-03-31 02:30:00", &madrid).expect("gap");
        assert_eq!(i.secs, utc("2024-03-31 01:30:00").expect("utc").0);
        assert!(Zone::of(Some("Mars/Olympus")).is_err());
    }

    #[test]
    fn ticks_truncate_to_the_precision() {
        let i = Instant {
            secs: 1,
            nanos: 123_456_789,
        };
        assert_eq!(i.ticks(0), Some(1));
        assert_eq!(i.ticks(3), Some(1123));
        assert_eq!(i.ticks(9), Some(1_123_456_789));
        let neg = epoch("-0.001").expect("epoch");
        assert_eq!(neg.ticks(3), Some(-1));
    }

    #[test]
    fn dates() {
        assert_eq!(days("1970-01-02"), Ok(1));
        assert_eq!(days("2024-01-02 10:00:00"), Ok(19_724));
        assert_eq!(days("19724"), Ok(19_724));
        assert!(days("2024-13-01").is_err());
    }
}

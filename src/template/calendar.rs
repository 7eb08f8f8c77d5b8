//! Dates and times as the template functions read them: strict `YYYY-MM-DD` dates,
//! `YYYY-MM-DD HH:MM:SS[.ffffff]` date-times, and a small `strptime` for the
//! `date_diff_in_*` helpers.

/// A calendar date and time of day, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTime {
    /// Year, month (1–12) and day (valid for the month).
    pub date: (i32, u32, u32),
    /// Hour (0–23), minute and second (0–59).
    pub time: (u32, u32, u32),
    /// Fractional-second digits as written (at most 9), empty when absent.
    pub fraction: String,
}

impl DateTime {
    /// `YYYY-MM-DD`.
    pub fn date_text(&self) -> String {
        let (y, m, d) = self.date;
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `YYYY-MM-DD HH:MM:SS`, the fraction dropped.
    pub fn seconds_text(&self) -> String {
        let (h, mi, s) = self.time;
        format!("{} {h:02}:{mi:02}:{s:02}", self.date_text())
    }

    /// `YYYY-MM-DD HH:MM:SS[.fff]`, the fraction kept as written.
    pub fn full_text(&self) -> String {
        if self.fraction.is_empty() {
            self.seconds_text()
        } else {
            format!("{}.{}", self.seconds_text(), self.fraction)
        }
    }

    /// Microseconds since 1970-01-01 00:00:00 (the time zone does not matter for
    /// differences).
    pub fn micros(&self) -> i128 {
        let (y, m, d) = self.date;
        let (h, mi, s) = self.time;
        let secs = i128::from(days_from_civil(y, m, d)) * 86_400
            + i128::from(h) * 3600
            + i128::from(mi) * 60
            + i128::from(s);
        let mut frac: String = self.fraction.chars().take(6).collect();
        while frac.len() < 6 {
            frac.push('0');
        }
        secs * 1_000_000 + frac.parse::<i128>().unwrap_or(0)
    }
}

/// Parses exactly `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(s.get(0..4)?)?;
    let m = digits(s.get(5..7)?)?;
    let d = digits(s.get(8..10)?)?;
    let date = (i32::try_from(y).ok()?, m, d);
    valid_date(date).then(|| DateTime {
        date,
        time: (0, 0, 0),
        fraction: String::new(),
    })
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, with an optional
/// fraction of one to nine digits after the seconds.
pub fn parse_datetime(s: &str) -> Option<DateTime> {
    if s.len() == 10 {
        return parse_date(s);
    }
    let mut dt = parse_date(s.get(..10)?)?;
    let rest = s.get(10..)?;
    let rest = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('T'))?;
    let b = rest.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let time = (
        digits(rest.get(0..2)?)?,
        digits(rest.get(3..5)?)?,
        digits(rest.get(6..8)?)?,
    );
    if time.0 > 23 || time.1 > 59 || time.2 > 59 {
        return None;
    }
    dt.time = time;
    let tail = rest.get(8..)?;
    if !tail.is_empty() {
        let fraction = tail.strip_prefix('.')?;
        if fraction.is_empty()
            || fraction.len() > 9
            || !fraction.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        dt.fraction = fraction.to_string();
    }
    Some(dt)
}

/// Parses `s` with a Python `strptime` format limited to `%Y %m %d %H %M %S %f %%`;
/// other characters match literally, ignoring ASCII case as Python does.
pub fn strptime(s: &str, format: &str) -> Option<DateTime> {
    let mut input = s;
    let mut fields = [1970u32, 1, 1, 0, 0, 0];
    let mut fraction = String::new();
    let mut fmt = format.chars();
    while let Some(c) = fmt.next() {
        if c != '%' {
            let mut it = input.chars();
            let got = it.next()?;
            if !got.eq_ignore_ascii_case(&c) {
                return None;
            }
            input = it.as_str();
            continue;
        }
        let directive = fmt.next()?;
        let (slot, max_len) = match directive {
            'Y' => (0, 4),
            'm' => (1, 2),
            'd' => (2, 2),
            'H' => (3, 2),
            'M' => (4, 2),
            'S' => (5, 2),
            'f' => (6, 6),
            '%' => {
                input = input.strip_prefix('%')?;
                continue;
            }
            _ => return None,
        };
        let len = input
            .bytes()
            .take(max_len)
            .take_while(u8::is_ascii_digit)
            .count();
        if len == 0 || (slot == 0 && len != 4) {
            return None;
        }
        let (number, rest) = input.split_at(len);
        input = rest;
        if slot == 6 {
            fraction = number.to_string();
        } else {
            fields[slot] = digits(number)?;
        }
    }
    if !input.is_empty() {
        return None;
    }
    let [y, m, d, h, mi, sec] = fields;
    let date = (i32::try_from(y).ok()?, m, d);
    (valid_date(date) && h < 24 && mi < 60 && sec < 60).then_some(DateTime {
        date,
        time: (h, mi, sec),
        fraction,
    })
}

/// Parses a run of ASCII digits.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Whether the month exists and the day exists in it.
fn valid_date((y, m, d): (i32, u32, u32)) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2024-02-29").map(|d| d.date_text()).as_deref(),
            Some("2024-02-29")
        );
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2023-13-01").is_none());
        assert!(parse_date("2023-1-01").is_none());
        assert!(parse_date("2023-01-01 ").is_none());
        assert!(parse_date("２０２３-01-01").is_none());
    }

    #[test]
    fn datetimes_accept_t_fraction_and_date_only() {
        let dt = parse_datetime("2026-01-02T03:04:05.123").expect("valid");
        assert_eq!(dt.seconds_text(), "2026-01-02 03:04:05");
        assert_eq!(dt.full_text(), "2026-01-02 03:04:05.123");
        assert_eq!(
            parse_datetime("2026-01-02")
                .map(|d| d.seconds_text())
                .as_deref(),
            Some("2026-01-02 00:00:00")
        );
        assert!(parse_datetime("2026-01-02 24:00:00").is_none());
        assert!(parse_datetime("2026-01-02 00:00:00Z").is_none());
        assert!(parse_datetime("2026-01-02 00:00:00.").is_none());
    }

    #[test]
    fn strptime_reads_python_formats() {
        let a = strptime("2022-12-19T18:42:23.521Z", "%Y-%m-%dT%H:%M:%S.%fz").expect("valid");
        let b = strptime("2022-12-19T18:44:23.531Z", "%Y-%m-%dT%H:%M:%S.%fz").expect("valid");
        assert_eq!((b.micros() - a.micros()) / 1_000_000, 120);
        assert!(strptime("2022/12/19", "%Y-%m-%d").is_none());
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2019, 2, 1) - days_from_civil(2019, 1, 2),
            30
        );
    }
}

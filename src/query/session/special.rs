//! The settings with checks of their own: DateStyle, TimeZone, client_encoding,
//! application_name and the locales. Each reads a value the way PostgreSQL's check hook
//! does and gives SHOW's text; values PostgreSQL takes but pipegate cannot honour (a
//! non-ISO DateStyle, a non-UTF8 encoding) are refused with 0A000 and a detail.

use super::guc::invalid;
use super::SessionError;
use crate::query::sqlstate;

/// A value PostgreSQL accepts that pipegate cannot honour.
pub(super) fn unsupported(name: &str, value: &str, detail: &str) -> SessionError {
    let mut e = invalid(name, value);
    e.code = sqlstate::FEATURE_NOT_SUPPORTED;
    e.detail = Some(detail.to_string());
    e
}

/// DateStyle: a comma-separated list of an output style (ISO, SQL, Postgres, German) and
/// a field order (YMD, DMY/EURO/EUROPEAN, MDY/US/NONEURO/NONEUROPEAN), each optional, the
/// missing one kept from `current`. Printed `ISO, MDY`. Only ISO output is supported.
pub(super) fn date_style(value: &str, current: &str) -> Result<String, SessionError> {
    const NAME: &str = "DateStyle";
    let (mut style, mut order) = current.split_once(", ").unwrap_or(("ISO", "MDY"));
    let (mut have_style, mut have_order) = (false, false);
    let conflict = || {
        let mut e = invalid(NAME, value);
        e.detail = Some("Conflicting \"datestyle\" specifications.".into());
        e
    };
    for token in value.split(',').map(str::trim) {
        let lower = token.to_ascii_lowercase();
        let (new_style, new_order) = match lower.as_str() {
            "iso" => (Some("ISO"), None),
            "sql" => (Some("SQL"), None),
            "postgres" => (Some("Postgres"), None),
            "german" => (Some("German"), None),
            "ymd" => (None, Some("YMD")),
            "dmy" | "euro" | "european" => (None, Some("DMY")),
            "mdy" | "us" | "noneuro" | "noneuropean" => (None, Some("MDY")),
            "default" => (Some("ISO"), Some("MDY")),
            _ => {
                let mut e = invalid(NAME, value);
                e.detail = Some(format!("Unrecognized key word: \"{token}\"."));
                return Err(e);
            }
        };
        if let Some(s) = new_style {
            if have_style && s != style {
                return Err(conflict());
            }
            style = s;
            have_style = true;
            if s == "German" && !have_order && lower != "default" {
                order = "DMY";
            }
        }
        if let Some(o) = new_order {
            if have_order && o != order {
                return Err(conflict());
            }
            order = o;
            have_order = true;
        }
    }
    if style != "ISO" {
        return Err(unsupported(
            NAME,
            value,
            "pipegate prints dates and times in ISO style only.",
        ));
    }
    Ok(format!("{style}, {order}"))
}

/// client_encoding: `UTF8` (spelled any way PostgreSQL accepts: `utf-8`, `unicode`), or
/// `UNICODE` kept as written, as PostgreSQL does. Other known encodings are refused with
/// PostgreSQL's "Conversion ... is not supported" detail; unknown names are 22023.
pub(super) fn client_encoding(value: &str) -> Result<String, SessionError> {
    const NAME: &str = "client_encoding";
    let clean: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if clean == "utf8" || clean == "unicode" {
        return Ok(if value == "UNICODE" {
            "UNICODE"
        } else {
            "UTF8"
        }
        .to_string());
    }
    const OTHERS: &[&str] = &[
        "sqlascii",
        "eucjp",
        "euccn",
        "euckr",
        "euctw",
        "eucjis2004",
        "muleinternal",
        "latin1",
        "latin2",
        "latin3",
        "latin4",
        "latin5",
        "latin6",
        "latin7",
        "latin8",
        "latin9",
        "latin10",
        "win1256",
        "win1258",
        "win866",
        "win874",
        "koi8r",
        "win1251",
        "win1252",
        "iso88595",
        "iso88596",
        "iso88597",
        "iso88598",
        "win1250",
        "win1253",
        "win1254",
        "win1255",
        "win1257",
        "koi8u",
        "sjis",
        "big5",
        "gbk",
        "uhc",
        "gb18030",
        "johab",
        "shiftjis2004",
        "iso88591",
        "iso88592",
        "iso88593",
        "iso88594",
        "iso88599",
        "iso885910",
        "iso885913",
        "iso885914",
        "iso885915",
        "iso885916",
        "koi8",
        "alt",
        "win",
        "mskanji",
        "shiftjis",
        "tcvn",
        "tcvn5712",
        "vscii",
        "windows1250",
        "windows1251",
        "windows1252",
        "windows866",
    ];
    if OTHERS.contains(&clean.as_str()) {
        let upper = value.to_ascii_uppercase();
        return Err(unsupported(
            NAME,
            value,
            &format!("Conversion between {upper} and UTF8 is not supported."),
        ));
    }
    Err(invalid(NAME, value))
}

/// application_name: printable ASCII kept, every other byte written `\xNN` (PostgreSQL 16).
pub(super) fn application_name(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if (32..127).contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// lc_monetary, lc_numeric, lc_time, lc_messages: the locales a C.UTF-8 server has.
pub(super) fn locale(name: &str, value: &str) -> Result<String, SessionError> {
    match value {
        "" | "C" | "POSIX" | "C.UTF-8" | "C.utf8" => Ok(value.to_string()),
        _ => Err(invalid(name, value)),
    }
}

/// Zone names with no `/` in the IANA database, in their canonical case.
const SINGLE_ZONES: &[&str] = &[
    "UTC",
    "GMT",
    "UCT",
    "Universal",
    "Zulu",
    "Greenwich",
    "GMT0",
    "GMT+0",
    "GMT-0",
    "EST",
    "MST",
    "HST",
    "EST5EDT",
    "CST6CDT",
    "MST7MDT",
    "PST8PDT",
    "CET",
    "EET",
    "MET",
    "WET",
    "Japan",
    "Singapore",
    "Israel",
    "Egypt",
    "Turkey",
    "Iceland",
    "Cuba",
    "Jamaica",
    "Iran",
    "Libya",
    "Poland",
    "Portugal",
    "Hongkong",
    "Eire",
    "GB",
    "GB-Eire",
    "NZ",
    "NZ-CHAT",
    "PRC",
    "ROC",
    "ROK",
    "Navajo",
    "Kwajalein",
    "W-SU",
    "Factory",
];

/// The areas of `Area/Location` zone names, in their canonical case.
const AREAS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
    "Etc",
    "US",
    "Canada",
    "Brazil",
    "Chile",
    "Mexico",
];

/// A TimeZone value: what SHOW prints, and the fixed offset east of UTC when it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Zone {
    pub shown: String,
    pub offset_east_seconds: Option<i32>,
    /// The IANA zone's rules, for a named zone.
    pub rules: Option<chrono_tz::Tz>,
}

/// TimeZone, read as PostgreSQL's `check_timezone` does:
/// - a bare number is hours east of UTC, printed POSIX-style (`5` → `<+05>-05`);
/// - a POSIX offset (`+02:00`, `UTC+3`, `<+03>-03`) is kept as written (POSIX signs are
///   west-positive);
/// - an IANA name is accepted when the zone database (chrono-tz) has it, in any case, and
///   shown as the database spells it.
pub(super) fn time_zone(value: &str) -> Result<Zone, SessionError> {
    const NAME: &str = "TimeZone";
    let v = value.trim();
    if let Ok(hours) = v.parse::<f64>() {
        if hours.is_finite() && hours.abs() < 24.0 {
            let east = (hours * 3600.0).round() as i32;
            return Ok(Zone {
                shown: posix_offset_name(east),
                offset_east_seconds: Some(east),
                rules: None,
            });
        }
        return Err(invalid(NAME, value));
    }
    if let Some(west) = posix_offset(v) {
        return Ok(Zone {
            shown: v.to_string(),
            offset_east_seconds: Some(-west),
            rules: None,
        });
    }
    if let Some(single) = SINGLE_ZONES.iter().find(|z| z.eq_ignore_ascii_case(v)) {
        let utc = matches!(
            *single,
            "UTC" | "GMT" | "UCT" | "Universal" | "Zulu" | "Greenwich" | "GMT0" | "GMT+0" | "GMT-0"
        );
        return Ok(Zone {
            shown: (*single).to_string(),
            offset_east_seconds: utc.then_some(0),
            rules: iana(single),
        });
    }
    let mut parts = v.split('/');
    let area = parts
        .next()
        .and_then(|a| AREAS.iter().find(|x| x.eq_ignore_ascii_case(a)));
    let rest: Vec<&str> = parts.collect();
    let valid_part = |p: &&str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    };
    match area {
        Some(_) if (1..=2).contains(&rest.len()) && rest.iter().all(valid_part) => {
            // The zone database's own spelling, as PostgreSQL shows it.
            let rules = iana(v).ok_or_else(|| invalid(NAME, value))?;
            Ok(Zone {
                shown: rules.name().to_string(),
                offset_east_seconds: None,
                rules: Some(rules),
            })
        }
        _ => Err(invalid(NAME, value)),
    }
}

/// An IANA zone by name, in any case.
pub(crate) fn iana(name: &str) -> Option<chrono_tz::Tz> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name))
        .copied()
}

/// PostgreSQL's name for a fixed offset: `<+05:30>-05:30` for 5.5 hours east.
fn posix_offset_name(east: i32) -> String {
    let abs = east.unsigned_abs();
    let mut hms = format!("{:02}", abs / 3600);
    if !abs.is_multiple_of(3600) {
        hms.push_str(&format!(":{:02}", abs % 3600 / 60));
        if !abs.is_multiple_of(60) {
            hms.push_str(&format!(":{:02}", abs % 60));
        }
    }
    if east < 0 {
        format!("<-{hms}>+{hms}")
    } else {
        format!("<+{hms}>-{hms}")
    }
}

/// A POSIX TZ offset, `[+-]hh[:mm[:ss]]` with an optional `<abbrev>` or alphabetic
/// abbreviation in front; gives the seconds west of UTC.
fn posix_offset(v: &str) -> Option<i32> {
    let rest = if let Some(r) = v.strip_prefix('<') {
        let end = r.find('>')?;
        &r[end + 1..]
    } else {
        let letters = v
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(v.len());
        if letters != 0 && letters < 3 {
            return None;
        }
        &v[letters..]
    };
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => (1, rest),
    };
    let mut seconds = 0i32;
    let mut parts = 0;
    for (i, p) in digits.split(':').enumerate() {
        if i > 2 || p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: i32 = p.parse().ok()?;
        seconds += n * [3600, 60, 1][i];
        parts += 1;
    }
    (parts > 0 && seconds <= 24 * 3600).then_some(sign * seconds)
}

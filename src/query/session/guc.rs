//! The catalogue of settings (GUCs) a pipegate session knows, with PostgreSQL 16's
//! defaults, contexts, flags and descriptions, and the parsing of each kind of value into
//! the text `SHOW` prints.

use super::SessionError;
use crate::query::sqlstate;

/// Who may change a setting, and when (PostgreSQL's `GucContext`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    /// Fixed when the server was built (`server_version`): "cannot be changed".
    Internal,
    /// Fixed at server start (`max_connections`).
    Postmaster,
    /// Changed by reloading the server configuration (`ssl`).
    Sighup,
    /// Only a superuser may SET it (`lc_messages`); pipegate's roles never are.
    Superuser,
    /// Anyone may SET it.
    User,
}

/// How a setting's value is read and printed.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// `on`/`off`, read with PostgreSQL's `parse_bool`.
    Bool,
    /// An integer, optionally with a unit, in `min ..= max` of the base unit.
    Int { min: i64, max: i64, unit: Unit },
    /// One of a fixed list of values (case-insensitive), printed in lower case.
    Enum(&'static [&'static str]),
    /// Free text.
    Text,
    /// A setting with its own check (DateStyle, TimeZone, client_encoding, ...), in the
    /// session module.
    Special,
}

/// The base unit of an integer setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    None,
    Ms,
    Kb,
}

/// Marks a setting whose changes are sent to the client as ParameterStatus.
pub(super) const REPORT: u8 = 1;
/// Left out of SHOW ALL.
pub(super) const NO_SHOW_ALL: u8 = 2;
/// Left alone by RESET ALL and DISCARD ALL.
pub(super) const NO_RESET_ALL: u8 = 4;
/// Takes a comma-separated list (`SET x = a, b`).
pub(super) const LIST_INPUT: u8 = 8;
/// List elements given as strings are quoted as identifiers (`search_path`).
pub(super) const LIST_QUOTE: u8 = 16;

/// One known setting.
#[derive(Debug)]
pub(super) struct Def {
    /// The canonical spelling: SHOW's column name, ParameterStatus's name.
    pub name: &'static str,
    /// The boot value, already in SHOW's form.
    pub default: &'static str,
    pub context: Context,
    pub kind: Kind,
    pub flags: u8,
    /// SHOW ALL's third column (PostgreSQL's short description).
    pub desc: &'static str,
}

const MAX_INT: i64 = i32::MAX as i64;
const TIMEOUT: Kind = Kind::Int {
    min: 0,
    max: MAX_INT,
    unit: Unit::Ms,
};
const ISOLATION: &[&str] = &[
    "serializable",
    "repeatable read",
    "read committed",
    "read uncommitted",
];

macro_rules! def {
    ($name:literal, $default:literal, $ctx:ident, $kind:expr, $flags:expr, $desc:literal) => {
        Def {
            name: $name,
            default: $default,
            context: Context::$ctx,
            kind: $kind,
            flags: $flags,
            desc: $desc,
        }
    };
}

/// Every setting pipegate knows, sorted by lower-case name. `ssl`, `session_authorization`
/// and `application_name` get their values per connection.
pub(super) static DEFS: &[Def] = &[
    def!("application_name", "", User, Kind::Special, REPORT, "Sets the application name to be reported in statistics and logs."),
    def!("block_size", "8192", Internal, Kind::Text, 0, "Shows the size of a disk block."),
    def!("bytea_output", "hex", User, Kind::Special, 0, "Sets the output format for bytea."),
    def!("client_encoding", "UTF8", User, Kind::Special, REPORT, "Sets the client's character set encoding."),
    def!("client_min_messages", "notice", User, Kind::Enum(&["debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error"]), 0, "Sets the message levels that are sent to the client."),
    def!("DateStyle", "ISO, MDY", User, Kind::Special, REPORT | LIST_INPUT, "Sets the display format for date and time values."),
    def!("default_tablespace", "", User, Kind::Text, 0, "Sets the default tablespace to create tables and indexes in."),
    def!("default_text_search_config", "pg_catalog.english", User, Kind::Text, 0, "Sets default text search configuration."),
    def!("default_transaction_deferrable", "off", User, Kind::Bool, 0, "Sets the default deferrable status of new transactions."),
    def!("default_transaction_isolation", "read committed", User, Kind::Enum(ISOLATION), 0, "Sets the transaction isolation level of each new transaction."),
    def!("default_transaction_read_only", "on", User, Kind::Special, REPORT, "Sets the default read-only status of new transactions."),
    def!("extra_float_digits", "1", User, Kind::Int { min: -15, max: 3, unit: Unit::None }, 0, "Sets the number of digits displayed for floating-point values."),
    def!("idle_in_transaction_session_timeout", "0", User, TIMEOUT, 0, "Sets the maximum allowed idle time between queries, when in a transaction."),
    def!("idle_session_timeout", "0", User, TIMEOUT, 0, "Sets the maximum allowed idle time between queries, when not in a transaction."),
    def!("in_hot_standby", "off", Internal, Kind::Bool, REPORT, "Shows whether hot standby is currently active."),
    def!("integer_datetimes", "on", Internal, Kind::Bool, REPORT, "Shows whether datetimes are integer based."),
    def!("IntervalStyle", "postgres", User, Kind::Special, REPORT, "Sets the display format for interval values."),
    def!("is_superuser", "off", Internal, Kind::Bool, REPORT | NO_SHOW_ALL | NO_RESET_ALL, "Shows whether the current user is a superuser."),
    def!("jit", "off", User, Kind::Bool, 0, "Allow JIT compilation."),
    def!("lc_collate", "C.UTF-8", Internal, Kind::Text, 0, "Shows the collation order locale."),
    def!("lc_ctype", "C.UTF-8", Internal, Kind::Text, 0, "Shows the character classification and case conversion locale."),
    def!("lc_messages", "C", Superuser, Kind::Special, 0, "Sets the language in which messages are displayed."),
    def!("lc_monetary", "C", User, Kind::Special, 0, "Sets the locale for formatting monetary amounts."),
    def!("lc_numeric", "C", User, Kind::Special, 0, "Sets the locale for formatting numbers."),
    def!("lc_time", "C", User, Kind::Special, 0, "Sets the locale for formatting date and time values."),
    def!("lock_timeout", "0", User, TIMEOUT, 0, "Sets the maximum allowed duration of any wait for a lock."),
    def!("max_connections", "100", Postmaster, Kind::Text, 0, "Sets the maximum number of concurrent connections."),
    def!("max_function_args", "100", Internal, Kind::Text, 0, "Shows the maximum number of function arguments."),
    def!("max_identifier_length", "63", Internal, Kind::Text, 0, "Shows the maximum identifier length."),
    def!("max_index_keys", "32", Internal, Kind::Text, 0, "Shows the maximum number of index keys."),
    def!("password_encryption", "scram-sha-256", User, Kind::Enum(&["md5", "scram-sha-256"]), 0, "Chooses the algorithm for encrypting passwords."),
    def!("pipegate.cache", "on", User, Kind::Bool, 0, "Use pipegate's result cache for this session's data queries."),
    def!("role", "none", User, Kind::Special, NO_SHOW_ALL | NO_RESET_ALL, "Sets the current role."),
    def!("row_security", "on", User, Kind::Bool, 0, "Enable row security."),
    def!("scram_iterations", "4096", User, Kind::Int { min: 1, max: MAX_INT, unit: Unit::None }, REPORT, "Sets the iteration count for SCRAM secret generation."),
    def!("search_path", "\"$user\", public", User, Kind::Text, LIST_INPUT | LIST_QUOTE, "Sets the schema search order for names that are not schema-qualified."),
    def!("server_encoding", "UTF8", Internal, Kind::Text, REPORT, "Shows the server (database) character set encoding."),
    def!("server_version", "16.4", Internal, Kind::Text, REPORT, "Shows the server version."),
    def!("server_version_num", "160004", Internal, Kind::Text, 0, "Shows the server version as an integer."),
    def!("session_authorization", "", User, Kind::Special, REPORT | NO_SHOW_ALL | NO_RESET_ALL, "Sets the session user name."),
    def!("shared_buffers", "128MB", Postmaster, Kind::Text, 0, "Sets the number of shared memory buffers used by the server."),
    def!("ssl", "off", Sighup, Kind::Bool, 0, "Enables SSL connections."),
    def!("standard_conforming_strings", "on", User, Kind::Special, REPORT, "Causes '...' strings to treat backslashes literally."),
    def!("statement_timeout", "10s", User, TIMEOUT, 0, "Sets the maximum allowed duration of any statement."),
    def!("synchronous_commit", "on", User, Kind::Special, 0, "Sets the current transaction's synchronization level."),
    def!("temp_tablespaces", "", User, Kind::Text, LIST_INPUT | LIST_QUOTE, "Sets the tablespace(s) to use for temporary tables and sort files."),
    def!("TimeZone", "UTC", User, Kind::Special, REPORT, "Sets the time zone for displaying and interpreting time stamps."),
    def!("timezone_abbreviations", "Default", User, Kind::Text, 0, "Selects a file of time zone abbreviations."),
    def!("transaction_deferrable", "off", User, Kind::Bool, NO_RESET_ALL, "Whether to defer a read-only serializable transaction until it can be executed with no possible serialization failures."),
    def!("transaction_isolation", "read committed", User, Kind::Enum(ISOLATION), NO_RESET_ALL, "Sets the current transaction's isolation level."),
    def!("transaction_read_only", "on", User, Kind::Special, NO_RESET_ALL, "Sets the current transaction's read-only status."),
    def!("work_mem", "4MB", User, Kind::Int { min: 64, max: MAX_INT, unit: Unit::Kb }, 0, "Sets the maximum memory to be used for query workspaces."),
    def!("xmloption", "content", User, Kind::Enum(&["content", "document"]), 0, "Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or content fragments."),
];

/// The definition of `name` (any case).
pub(super) fn lookup(name: &str) -> Option<&'static Def> {
    DEFS.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

/// `invalid value for parameter "x": "v"`, PostgreSQL's message for a value a check refused.
pub(super) fn invalid(name: &str, value: &str) -> SessionError {
    SessionError::new(
        sqlstate::INVALID_PARAMETER_VALUE,
        format!("invalid value for parameter \"{name}\": \"{value}\""),
    )
}

/// Reads `value` for a setting of a generic kind, giving SHOW's text.
pub(super) fn normalize(def: &Def, value: &str) -> Result<String, SessionError> {
    match def.kind {
        Kind::Bool => parse_bool(value).map(on_off).ok_or_else(|| {
            SessionError::new(
                sqlstate::INVALID_PARAMETER_VALUE,
                format!("parameter \"{}\" requires a Boolean value", def.name),
            )
        }),
        Kind::Int { min, max, unit } => {
            let n = parse_int(def.name, value, unit)?;
            if n < min || n > max {
                let unit_name = match unit {
                    Unit::None => "",
                    Unit::Ms => " ms",
                    Unit::Kb => " kB",
                };
                return Err(SessionError::new(
                    sqlstate::INVALID_PARAMETER_VALUE,
                    format!(
                        "{n}{unit_name} is outside the valid range for parameter \"{}\" ({min} .. {max})",
                        def.name
                    ),
                ));
            }
            Ok(show_int(n, unit))
        }
        Kind::Enum(values) => normalize_enum(def.name, value, values),
        Kind::Text | Kind::Special => Ok(value.to_string()),
    }
}

/// One of `values` (case-insensitive), or 22023 with PostgreSQL's "Available values" hint.
pub(super) fn normalize_enum(
    name: &str,
    value: &str,
    values: &[&str],
) -> Result<String, SessionError> {
    match values.iter().find(|v| v.eq_ignore_ascii_case(value)) {
        Some(v) => Ok((*v).to_string()),
        None => {
            Err(invalid(name, value).with_hint(format!("Available values: {}.", values.join(", "))))
        }
    }
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

/// PostgreSQL's `parse_bool`: `true`/`false`/`yes`/`no` and their prefixes, `on`, `off`
/// (and `of`), `1`, `0`; case-insensitive; no surrounding spaces.
pub(super) fn parse_bool(value: &str) -> Option<bool> {
    let v = value.to_ascii_lowercase();
    let prefix_of = |word: &str| !v.is_empty() && word.starts_with(v.as_str());
    match v.as_bytes().first()? {
        b't' => prefix_of("true").then_some(true),
        b'f' => prefix_of("false").then_some(false),
        b'y' => prefix_of("yes").then_some(true),
        b'n' => prefix_of("no").then_some(false),
        b'o' if v == "on" => Some(true),
        b'o' if v.len() >= 2 && "off".starts_with(v.as_str()) => Some(false),
        b'1' if v.len() == 1 => Some(true),
        b'0' if v.len() == 1 => Some(false),
        _ => None,
    }
}

/// The units an integer setting accepts, largest first, with their size in the base unit.
fn units(unit: Unit) -> &'static [(&'static str, f64)] {
    match unit {
        Unit::None => &[],
        Unit::Ms => &[
            ("d", 86_400_000.0),
            ("h", 3_600_000.0),
            ("min", 60_000.0),
            ("s", 1000.0),
            ("ms", 1.0),
            ("us", 0.001),
        ],
        Unit::Kb => &[
            ("TB", 1_073_741_824.0),
            ("GB", 1_048_576.0),
            ("MB", 1024.0),
            ("kB", 1.0),
            ("B", 1.0 / 1024.0),
        ],
    }
}

fn unit_hint(unit: Unit) -> &'static str {
    match unit {
        Unit::None => "",
        Unit::Ms => {
            "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\"."
        }
        Unit::Kb => "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".",
    }
}

/// PostgreSQL's `parse_int`: a decimal (fractions are rounded) or `0x` number, then an
/// optional unit (case-sensitive), in the setting's base unit.
pub(super) fn parse_int(name: &str, value: &str, unit: Unit) -> Result<i64, SessionError> {
    let text = value.trim_start();
    let (number, rest) = split_number(text);
    let mut n = if let Some(hex) = number
        .strip_prefix("0x")
        .or_else(|| number.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16)
            .map(|n| n as f64)
            .map_err(|_| invalid(name, value))?
    } else {
        number.parse::<f64>().map_err(|_| invalid(name, value))?
    };
    let rest = rest.trim();
    if !rest.is_empty() {
        match units(unit).iter().find(|(u, _)| *u == rest) {
            Some((_, factor)) => n *= factor,
            None if unit == Unit::None => return Err(invalid(name, value)),
            None => return Err(invalid(name, value).with_hint(unit_hint(unit).to_string())),
        }
    }
    let n = n.round_ties_even();
    if !n.is_finite() || n > i32::MAX as f64 || n < i32::MIN as f64 {
        return Err(invalid(name, value).with_hint("Value exceeds integer range.".into()));
    }
    Ok(n as i64)
}

/// Splits a leading number (sign, digits, fraction, exponent, or `0x` hex) from the rest.
fn split_number(text: &str) -> (&str, &str) {
    let b = text.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X')) && i == 0 {
        let mut j = 2;
        while j < b.len() && b[j].is_ascii_hexdigit() {
            j += 1;
        }
        return text.split_at(j);
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    text.split_at(i)
}

/// SHOW's form of an integer: the largest unit that divides it exactly (`10s`, `4MB`,
/// `1500ms`); zero and negative values bare.
pub(super) fn show_int(n: i64, unit: Unit) -> String {
    if n > 0 {
        for (name, factor) in units(unit) {
            if *factor >= 1.0 && n % (*factor as i64) == 0 {
                return format!("{}{name}", n / *factor as i64);
            }
        }
    }
    n.to_string()
}

/// A custom setting's name must be two or more identifiers joined by dots; the
/// `pipegate` prefix is reserved but for `pipegate.param.*`.
pub(super) fn check_custom_name(name: &str) -> Result<(), SessionError> {
    let parts: Vec<&str> = name.split('.').collect();
    let ident = |p: &&str| {
        let mut c = p.chars();
        c.next().is_some_and(|f| f.is_alphabetic() || f == '_')
            && c.all(|x| x.is_alphanumeric() || x == '_' || x == '$')
    };
    if parts.len() < 2 {
        return Err(SessionError::new(
            sqlstate::UNDEFINED_OBJECT,
            format!("unrecognized configuration parameter \"{name}\""),
        ));
    }
    if !parts.iter().all(ident) {
        let mut e = SessionError::new(
            sqlstate::INVALID_NAME,
            format!("invalid configuration parameter name \"{name}\""),
        );
        e.detail = Some(
            "Custom parameter names must be two or more simple identifiers separated by dots."
                .into(),
        );
        return Err(e);
    }
    if parts[0].eq_ignore_ascii_case("pipegate")
        && !(parts.len() > 2 && parts[1].eq_ignore_ascii_case("param"))
    {
        let mut e = SessionError::new(
            sqlstate::INVALID_NAME,
            format!("invalid configuration parameter name \"{name}\""),
        );
        e.detail = Some("\"pipegate\" is a reserved prefix.".into());
        return Err(e);
    }
    Ok(())
}

/// PostgreSQL's `parse_bool` (`boolin` after trimming): `t`, `true`, `yes`, `on`, `1`
/// and their false counterparts, prefixes allowed, any case.
pub fn parse_boolean(text: &str) -> Option<bool> {
    parse_bool(text)
}

/// PostgreSQL's `quote_identifier`: bare when lower-case letters, digits and `_` (not
/// starting with a digit); otherwise in double quotes with `"` doubled.
pub fn quote_identifier(ident: &str) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defs_are_sorted_and_unique() {
        let names: Vec<String> = DEFS.iter().map(|d| d.name.to_ascii_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn parse_bool_follows_postgres() {
        for t in ["on", "ON", "t", "tr", "true", "y", "yes", "1"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["off", "of", "f", "false", "n", "no", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "", " on", "2", "truex", "onn"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn ints_with_units_round_trip_like_postgres() {
        let ms =
            |v: &str| parse_int("statement_timeout", v, Unit::Ms).map(|n| show_int(n, Unit::Ms));
        assert_eq!(ms("10s").unwrap(), "10s");
        assert_eq!(ms("1500").unwrap(), "1500ms");
        assert_eq!(ms(" 1.5s ").unwrap(), "1500ms");
        assert_eq!(ms("60000").unwrap(), "1min");
        assert_eq!(ms("2h").unwrap(), "2h");
        assert_eq!(ms("1d").unwrap(), "1d");
        assert_eq!(ms("0").unwrap(), "0");
        assert_eq!(ms("0x10").unwrap(), "16ms");
        let e = ms("5 sec").unwrap_err();
        assert_eq!(
            e.message,
            "invalid value for parameter \"statement_timeout\": \"5 sec\""
        );
        assert_eq!(
            e.hint.as_deref(),
            Some("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".")
        );
        assert_eq!(
            ms("5S").unwrap_err().code,
            sqlstate::INVALID_PARAMETER_VALUE
        );
        assert_eq!(
            ms("99999999999").unwrap_err().hint.as_deref(),
            Some("Value exceeds integer range.")
        );
        assert_eq!(show_int(4096, Unit::Kb), "4MB");
        assert_eq!(show_int(100, Unit::Kb), "100kB");
    }
}

//! The columns of a datasource's `SCHEMA` block. Each definition is
//! `` `name` Type [`json:$.path`] [DEFAULT expr] [CODEC(...)] ``, separated by commas; the
//! JSONPath, DEFAULT and CODEC may come in any order (Tinybird's tools write the JSONPath
//! right after the type, hand-written files often put it last).

use crate::clickhouse::types::ChType;

use super::jsonpath::JsonPath;
use super::valid_name;

/// One column of `SCHEMA`.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name in ClickHouse and on the Postgres side.
    pub name: String,
    /// Its ClickHouse type: the table's DDL, ingestion's conversion and the Postgres type.
    pub ty: ChType,
    /// `DEFAULT expr`: used by ClickHouse and by ingestion when the JSONPath finds nothing.
    pub default: Option<String>,
    /// `CODEC(...)`, without the `CODEC(`..`)`: passed to ClickHouse as written.
    pub codec: Option<String>,
    /// Where ingestion finds the value in each event.
    pub json_path: Option<JsonPath>,
    /// 1-based file line, for errors about the column.
    pub line: usize,
}

/// The columns the quarantine table adds after the datasource's own (all as
/// `Nullable(String)`), with their types; a datasource column may not take these names.
pub const QUARANTINE_COLUMNS: &[(&str, &str)] = &[
    ("c__error_column", "Array(String)"),
    ("c__error", "Array(String)"),
    ("c__import_id", "Nullable(String)"),
    ("insertion_date", "DateTime"),
];

/// Parses a SCHEMA block whose first line is file line `first_line`: the columns that
/// parsed, and a (line, message) for each that did not.
pub(crate) fn parse_schema(body: &str, first_line: usize) -> (Vec<Column>, Vec<(usize, String)>) {
    let mut columns: Vec<Column> = Vec::new();
    let mut errors = Vec::new();
    let (defs, unclosed) = split_definitions(body, first_line);
    if let Some((line, what)) = unclosed {
        errors.push((line, format!("unclosed {what} in SCHEMA")));
    }
    let last = defs.len().saturating_sub(1);
    for (i, (line, def)) in defs.into_iter().enumerate() {
        if def.trim().is_empty() {
            if i != last {
                errors.push((line, "empty column definition (a stray comma?)".to_string()));
            }
            continue;
        }
        match parse_column(def, line) {
            Ok(c) => {
                if let Some(first) = columns.iter().find(|x| x.name == c.name) {
                    errors.push((
                        line,
                        format!(
                            "duplicate column `{}` (first declared on line {})",
                            c.name, first.line
                        ),
                    ));
                } else if QUARANTINE_COLUMNS.iter().any(|(q, _)| *q == c.name) {
                    errors.push((
                        line,
                        format!(
                            "column `{}` has the name of a column the quarantine table adds; rename it",
                            c.name
                        ),
                    ));
                }
                columns.push(c);
            }
            Err(m) => errors.push((line, m)),
        }
    }
    if columns.is_empty() && errors.is_empty() {
        errors.push((first_line, "SCHEMA declares no columns".into()));
    }
    (columns, errors)
}

/// A column definition's text and the file line of its first non-blank character.
type Definition<'a> = (usize, &'a str);

/// Splits at top-level commas. Also reports an unclosed quote or parenthesis, as its line
/// and the character.
fn split_definitions(
    body: &str,
    first_line: usize,
) -> (Vec<Definition<'_>>, Option<(usize, String)>) {
    let mut defs = Vec::new();
    let (mut start, mut start_line, mut line) = (0, None, first_line);
    let (mut depth, mut quote) = (0i32, None::<(char, usize)>);
    let mut open_paren_line = first_line;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if start_line.is_none() && !c.is_whitespace() {
            start_line = Some(line);
        }
        match quote {
            Some(_) if c == '\\' => {
                if let Some((_, '\n')) = chars.next() {
                    line += 1;
                }
            }
            Some((q, _)) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '`' | '"' => quote = Some((c, line)),
                '(' => {
                    if depth == 0 {
                        open_paren_line = line;
                    }
                    depth += 1;
                }
                ')' => depth -= 1,
                ',' if depth <= 0 => {
                    defs.push((start_line.unwrap_or(line), &body[start..i]));
                    start = i + 1;
                    start_line = None;
                    depth = 0;
                }
                _ => {}
            },
        }
        if c == '\n' {
            line += 1;
        }
    }
    defs.push((start_line.unwrap_or(line), &body[start..]));
    let unclosed = match quote {
        Some((q, l)) => Some((l, format!("{q}"))),
        None if depth > 0 => Some((open_paren_line, "(".to_string())),
        None => None,
    };
    (defs, unclosed)
}

/// A lexical piece of a column definition.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A run of other characters: `Int32`, `DEFAULT`, `1+2`.
    Word,
    /// A quoted string or identifier, by its quote character.
    Quoted(char),
    /// A parenthesised group, parentheses included.
    Group,
}

#[derive(Debug, Clone, Copy)]
struct Atom {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Splits a definition into atoms. Quotes and parentheses are balanced by
/// `split_definitions` already, so a stray one here only ends the text early.
fn atoms(s: &str) -> Vec<Atom> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = match c {
            b'\'' | b'`' | b'"' => {
                i = skip_quoted(s, i);
                Kind::Quoted(c as char)
            }
            b'(' => {
                let mut depth = 0;
                while i < s.len() {
                    match bytes[i] {
                        b'\'' | b'`' | b'"' => {
                            i = skip_quoted(s, i);
                            continue;
                        }
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                Kind::Group
            }
            _ => {
                while i < s.len()
                    && !bytes[i].is_ascii_whitespace()
                    && !matches!(bytes[i], b'\'' | b'`' | b'"' | b'(' | b')')
                {
                    i += 1;
                }
                if i == start {
                    i += 1; // a stray `)`
                }
                Kind::Word
            }
        };
        out.push(Atom {
            kind,
            start,
            end: i.min(s.len()),
        });
    }
    out
}

/// The index just past the quoted string starting at `i` (backslash escapes).
fn skip_quoted(s: &str, i: usize) -> usize {
    let bytes = s.as_bytes();
    let q = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b if b == q => return j + 1,
            _ => j += 1,
        }
    }
    s.len()
}

/// The unescaped content of a quoted atom.
fn unquote(text: &str) -> String {
    let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            other => out.push(other),
        }
    }
    out
}

/// Words that start a clause after the type.
fn keyword(s: &str, atom: &Atom) -> Option<&'static str> {
    if atom.kind != Kind::Word {
        return None;
    }
    let word = &s[atom.start..atom.end];
    [
        "DEFAULT",
        "CODEC",
        "MATERIALIZED",
        "ALIAS",
        "EPHEMERAL",
        "COMMENT",
        "TTL",
        "NULL",
        "NOT",
    ]
    .into_iter()
    .find(|k| word.eq_ignore_ascii_case(k))
}

fn is_json_path(s: &str, atom: &Atom) -> bool {
    atom.kind == Kind::Quoted('`') && s[atom.start..].starts_with("`json:")
}

/// Parses one definition at file line `line`.
fn parse_column(def: &str, line: usize) -> Result<Column, String> {
    let def = def.trim();
    let atoms = atoms(def);
    let text = |a: &Atom| &def[a.start..a.end];
    let Some(first) = atoms.first() else {
        return Err("empty column definition".into());
    };
    let name = match first.kind {
        Kind::Quoted('`') | Kind::Quoted('"') => unquote(text(first)),
        Kind::Word => text(first).to_string(),
        _ => return Err(format!("expected a column name, found {}", text(first))),
    };
    if !valid_name(&name) {
        return Err(format!(
            "column name {name:?} must be letters, digits and underscores, not starting with a digit"
        ));
    }
    let col = |m: String| format!("column `{name}`: {m}");
    // The type: a word and its parenthesised arguments, if any.
    let ty_atoms: &[Atom] = match atoms.get(1..) {
        Some([w, g, ..])
            if w.kind == Kind::Word && g.kind == Kind::Group && keyword(def, w).is_none() =>
        {
            &atoms[1..3]
        }
        Some([w, ..]) if w.kind == Kind::Word && keyword(def, w).is_none() => &atoms[1..2],
        _ => return Err(format!("column `{name}` has no type: write `{name}` Type")),
    };
    let ty_text = &def[ty_atoms[0].start..ty_atoms[ty_atoms.len() - 1].end];
    let ty = ChType::parse(ty_text).map_err(|e| col(e.to_string()))?;
    let mut column = Column {
        name: name.clone(),
        ty,
        default: None,
        codec: None,
        json_path: None,
        line,
    };
    let mut i = 1 + ty_atoms.len();
    while let Some(atom) = atoms.get(i) {
        i += 1;
        if is_json_path(def, atom) {
            let path = unquote(text(atom));
            let path = path.strip_prefix("json:").unwrap_or(&path);
            if column.json_path.is_some() {
                return Err(col("has two JSONPaths".into()));
            }
            let jp = JsonPath::parse(path).map_err(|e| col(format!("bad JSONPath {path}: {e}")))?;
            if jp.collects_array() && !matches!(column.ty, ChType::Array(_)) {
                return Err(col(format!(
                    "the JSONPath {jp} collects an array, so the type must be Array(...), not {}",
                    column.ty
                )));
            }
            column.json_path = Some(jp);
            continue;
        }
        match keyword(def, atom) {
            Some("DEFAULT") => {
                let start = i;
                while atoms
                    .get(i)
                    .is_some_and(|a| !is_json_path(def, a) && !matches!(keyword(def, a), Some(k) if k != "NULL" && k != "NOT"))
                {
                    i += 1;
                }
                if column.default.is_some() {
                    return Err(col("has two DEFAULTs".into()));
                }
                if start == i {
                    return Err(col("DEFAULT needs an expression".into()));
                }
                let expr = &def[atoms[start].start..atoms[i - 1].end];
                // `DEFAULT 0` then a next column without the comma between them reads as one
                // long expression; catch it when the next line is a column of its own.
                // Only that one line is tried, so this never recurses more than once.
                if let Some(next) = def[atom.end..atoms[i - 1].end].lines().nth(1) {
                    if parse_column(next, line).is_ok() {
                        return Err(col(
                            "the DEFAULT runs into the next line, which is a column: is a comma missing at the end of the column?".into(),
                        ));
                    }
                }
                column.default = Some(expr.to_string());
            }
            Some("CODEC") => match atoms.get(i) {
                Some(g) if g.kind == Kind::Group => {
                    i += 1;
                    let inner = &def[g.start + 1..g.end.saturating_sub(1).max(g.start + 1)];
                    if column.codec.is_some() {
                        return Err(col("has two CODECs".into()));
                    }
                    column.codec = Some(inner.trim().to_string());
                }
                _ => return Err(col("CODEC needs its codecs in parentheses, as in CODEC(ZSTD(1))".into())),
            },
            Some(k @ ("MATERIALIZED" | "ALIAS" | "EPHEMERAL")) => {
                return Err(col(format!(
                    "{k} columns are not supported in a datasource; compute the value in a pipe"
                )))
            }
            Some(k @ ("COMMENT" | "TTL")) => {
                return Err(col(format!("column {k} is not supported in a datasource")))
            }
            Some(_) => {
                return Err(col(format!(
                    "NULL and NOT NULL are not supported: write Nullable({}) for a column that may be NULL",
                    column.ty
                )))
            }
            None => {
                let missing_comma = def[ty_atoms[0].start..atom.start].contains('\n');
                return Err(col(format!(
                    "unexpected {:?}{}",
                    text(atom),
                    if missing_comma {
                        " on the next line: is a comma missing at the end of the column?"
                    } else {
                        ": a column is `name` Type [`json:$.path`] [DEFAULT expr] [CODEC(...)]"
                    }
                )));
            }
        }
    }
    Ok(column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(def: &str) -> Result<Column, String> {
        let (mut cols, errs) = parse_schema(def, 1);
        match errs.into_iter().next() {
            Some((_, m)) => Err(m),
            None => Ok(cols.remove(0)),
        }
    }

    #[test]
    fn clauses_come_in_any_order() {
        for def in [
            "`a` String `json:$.a` DEFAULT 'x, (y)' CODEC(ZSTD(1))",
            "`a` String DEFAULT 'x, (y)' CODEC(ZSTD(1)) `json:$.a`",
            "a String CODEC(ZSTD(1)) DEFAULT 'x, (y)' `json:$.a`,",
        ] {
            let c = one(def).unwrap_or_else(|e| panic!("{def}: {e}"));
            assert_eq!(c.name, "a");
            assert_eq!(c.ty, ChType::String);
            assert_eq!(c.default.as_deref(), Some("'x, (y)'"), "{def}");
            assert_eq!(c.codec.as_deref(), Some("ZSTD(1)"), "{def}");
            assert_eq!(c.json_path.map(|p| p.to_string()).as_deref(), Some("$.a"));
        }
    }

    #[test]
    fn types_and_defaults_may_hold_spaces_strings_and_parentheses() {
        let c = one("`t` DateTime64(3, 'Europe/Madrid') DEFAULT now64(3, 'Europe/Madrid') + toIntervalSecond(1)")
            .expect("parses");
        assert_eq!(c.ty.to_string(), "DateTime64(3, 'Europe/Madrid')");
        assert_eq!(
            c.default.as_deref(),
            Some("now64(3, 'Europe/Madrid') + toIntervalSecond(1)")
        );
        let c = one("e Enum8('a, b' = 1, 'it\\'s' = 2) DEFAULT 'a, b'").expect("parses");
        assert_eq!(c.ty.to_string(), "Enum8('a, b' = 1, 'it\\'s' = 2)");
        let c = one("s String DEFAULT concat(\n    'a',\n    'b')")
            .expect("a DEFAULT over several lines");
        assert_eq!(c.default.as_deref(), Some("concat(\n    'a',\n    'b')"));
        let c = one("n Nullable(String) DEFAULT NULL").expect("parses");
        assert_eq!(c.default.as_deref(), Some("NULL"));
        let c = one("m Map(String, Tuple(a Int32, b String)) `json:$.m`").expect("parses");
        assert_eq!(c.ty.to_string(), "Map(String, Tuple(a Int32, b String))");
    }

    #[test]
    fn lines_follow_each_definition() {
        let (cols, errs) = parse_schema("a Int8,\n\n    b Int8, c Int8,\n d\n   Int8\n", 10);
        assert!(errs.is_empty(), "{errs:?}");
        let lines: Vec<usize> = cols.iter().map(|c| c.line).collect();
        assert_eq!(lines, [10, 12, 12, 13]);
    }

    #[test]
    fn errors_name_the_column() {
        for (def, want) in [
            ("`a` Strng", "column `a`: unknown type Strng (did you mean String?)"),
            ("`a`", "column `a` has no type: write `a` Type"),
            ("`a` DEFAULT 1", "column `a` has no type: write `a` Type"),
            ("`a` Int8 DEFAULT", "column `a`: DEFAULT needs an expression"),
            ("`a` Int8 DEFAULT `json:$.a`", "column `a`: DEFAULT needs an expression"),
            ("`a` Int8 CODEC", "column `a`: CODEC needs its codecs in parentheses, as in CODEC(ZSTD(1))"),
            ("`a` Int8 `json:$.a` `json:$.b`", "column `a`: has two JSONPaths"),
            ("`a` Int8 `json:a`", "column `a`: bad JSONPath a: a JSONPath starts with $, as in $.name"),
            ("`a` String `json:$.a[:]`", "column `a`: the JSONPath $.a[:] collects an array, so the type must be Array(...), not String"),
            ("`a` Int8 MATERIALIZED 1", "column `a`: MATERIALIZED columns are not supported in a datasource; compute the value in a pipe"),
            ("`a` Int8 COMMENT 'x'", "column `a`: column COMMENT is not supported in a datasource"),
            ("`a` String NULL", "column `a`: NULL and NOT NULL are not supported: write Nullable(String) for a column that may be NULL"),
            ("`a` Int8 extra", "column `a`: unexpected \"extra\": a column is `name` Type [`json:$.path`] [DEFAULT expr] [CODEC(...)]"),
            ("`a` Int8\n  `b` Int8", "column `a`: unexpected \"`b`\" on the next line: is a comma missing at the end of the column?"),
            ("`a` Int8 DEFAULT 0\n  `b` Int8", "column `a`: the DEFAULT runs into the next line, which is a column: is a comma missing at the end of the column?"),
            ("`a` Int8 DEFAULT\n  `b` Int8", "column `a`: the DEFAULT runs into the next line, which is a column: is a comma missing at the end of the column?"),
            ("`1a` Int8", "column name \"1a\" must be letters, digits and underscores, not starting with a digit"),
            ("`a b` Int8", "column name \"a b\" must be letters, digits and underscores, not starting with a digit"),
            ("(a) Int8", "expected a column name, found (a)"),
            ("`insertion_date` DateTime", "column `insertion_date` has the name of a column the quarantine table adds; rename it"),
            ("a Int8, a String", "duplicate column `a` (first declared on line 1)"),
            ("a Int8,, b Int8", "empty column definition (a stray comma?)"),
            ("a Enum8('x", "unclosed ' in SCHEMA"),
            ("a Array(Int8", "unclosed ( in SCHEMA"),
        ] {
            assert_eq!(one(def).expect_err(def), want, "for {def:?}");
        }
    }

    #[test]
    fn no_input_panics() {
        for def in [
            "`",
            "'",
            "a (",
            "a )",
            "a Int8 CODEC(",
            "a Int8 )",
            "a\\",
            "é ñ",
            "a Int8 `json:",
            "a Int8 DEFAULT (((",
            "`a\\",
        ] {
            let _ = parse_schema(def, 1);
        }
    }
}

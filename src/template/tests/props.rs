//! Properties: whatever a client sends, its value stays inside one literal, and no input
//! makes the template engine panic.

use proptest::prelude::*;

use super::vars;
use crate::template::{RenderMode, Template, TemplateError, Value, Vars};

/// Reads the ClickHouse string literal at the start of `s` and returns its value and the
/// text after it, with ClickHouse's rules: `''` is a quote; `\b \f \n \r \t \0 \a \v \e`
/// and `\xHH` decode; `\c` gives `c` for `\ ' " ` / =` and control characters; any other
/// `\c` keeps its backslash (so that `'100\%'` stays a LIKE escape).
fn scan_literal(s: &str) -> Option<(String, &str)> {
    let mut chars = s.char_indices().peekable();
    if chars.next()?.1 != '\'' {
        return None;
    }
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                if chars.peek().map(|(_, c)| *c) == Some('\'') {
                    chars.next();
                    out.push('\'');
                    continue;
                }
                return Some((out, &s[i + 1..]));
            }
            '\\' => {
                let (_, e) = chars.next()?;
                let decoded = match e {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    '0' => '\0',
                    'a' => '\u{7}',
                    'v' => '\u{b}',
                    'e' => '\u{1b}',
                    'x' => {
                        let hi = chars.next()?.1.to_digit(16)?;
                        let lo = chars.next()?.1.to_digit(16)?;
                        char::from_u32(hi * 16 + lo)?
                    }
                    other => other,
                };
                if !matches!(decoded, '\\' | '\'' | '"' | '`' | '/' | '=')
                    && !decoded.is_ascii_control()
                {
                    out.push('\\');
                }
                out.push(decoded);
            }
            c => out.push(c),
        }
    }
    None
}

/// Strings rich in the characters that break naive quoting.
fn nasty() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        Just('\''),
        Just('\\'),
        Just('"'),
        Just('`'),
        Just('\0'),
        Just('\n'),
        Just('\r'),
        Just('\t'),
        Just('\u{1}'),
        Just('\u{7f}'),
        Just('-'),
        Just('/'),
        Just('*'),
        Just(';'),
        Just('{'),
        Just('}'),
        Just('%'),
        Just('x'),
        any::<char>(),
    ];
    prop_oneof![
        prop::collection::vec(ch, 0..40).prop_map(String::from_iter),
        any::<String>(),
    ]
}

fn one(name: &str, v: Value) -> Vars {
    let mut vars = Vars::new();
    vars.insert(name.to_string(), v);
    vars
}

fn render(src: &str, vars: &Vars) -> Result<String, TemplateError> {
    Template::parse(src)?
        .render(vars, RenderMode::Request)
        .map(|r| r.sql)
}

/// Template sources built from the characters and words that matter to the parsers.
fn template_source() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{{"),
        Just("}}"),
        Just("{%"),
        Just("%}"),
        Just("{#"),
        Just("#}"),
        Just("{"),
        Just("}"),
        Just("("),
        Just(")"),
        Just("["),
        Just("]"),
        Just("'"),
        Just("\""),
        Just(","),
        Just("."),
        Just("="),
        Just("=="),
        Just("+"),
        Just("-"),
        Just("*"),
        Just("/"),
        Just(":"),
        Just(" "),
        Just("\n"),
        Just("\\"),
        Just("x"),
        Just("y"),
        Just("1"),
        Just("0.5"),
        Just("if "),
        Just("elif "),
        Just("else"),
        Just("end"),
        Just("for "),
        Just(" in "),
        Just("set "),
        Just("not "),
        Just(" and "),
        Just(" or "),
        Just("None"),
        Just("True"),
        Just("String(x)"),
        Just("Int32(y, 3)"),
        Just("Array(x, 'Int8')"),
        Just("defined(x)"),
        Just("split_to_array(x)"),
        Just("sql_and(a=x)"),
        Just("column(x, 'c')"),
        Just(".split(','))"),
        Just("break"),
        Just("range(3)"),
        Just("error('e')"),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_string_parameter_stays_inside_one_literal(x in nasty()) {
        let sql = render("SELECT * FROM t WHERE a = {{String(x)}} AND b = 1", &one("x", Value::Str(x.clone())))
            .expect("any string is a valid String");
        let lit = sql.strip_prefix("SELECT * FROM t WHERE a = ").expect("prefix unchanged");
        let (value, rest) = scan_literal(lit).expect("a complete literal");
        prop_assert_eq!(value, x);
        prop_assert_eq!(rest, " AND b = 1");
    }

    #[test]
    fn a_bare_variable_stays_inside_one_literal(x in nasty()) {
        let sql = render("WHERE a = {{ x }} -- end", &one("x", Value::Str(x.clone()))).expect("renders");
        let lit = sql.strip_prefix("WHERE a = ").expect("prefix unchanged");
        let (value, rest) = scan_literal(lit).expect("a complete literal");
        prop_assert_eq!(value, x);
        prop_assert_eq!(rest, " -- end");
    }

    #[test]
    fn a_value_cannot_end_the_comment_it_sits_in(x in nasty()) {
        let sql = render("/* {{String(x)}} */ -- {{String(x)}}\nSELECT 1", &one("x", Value::Str(x))).expect("renders");
        let (block, rest) = sql.split_once("*/").expect("the block comment closes");
        prop_assert!(block.starts_with("/* '") && !block.contains('\n'));
        let (line, tail) = rest.split_once('\n').expect("the line comment ends");
        prop_assert!(line.starts_with(" -- '"));
        prop_assert_eq!(tail, "SELECT 1");
    }

    #[test]
    fn array_items_each_stay_inside_their_literal(items in prop::collection::vec(nasty(), 1..5)) {
        let sql = render("x IN {{Array(t, 'String')}};", &one("t", Value::List(items.clone()))).expect("renders");
        let mut rest = sql.strip_prefix("x IN [").expect("prefix unchanged");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                rest = rest.strip_prefix(',').expect("separator");
            }
            let (value, after) = scan_literal(rest).expect("a complete literal");
            prop_assert_eq!(&value, item);
            rest = after;
        }
        prop_assert_eq!(rest, "];");
    }

    #[test]
    fn identifiers_never_leave_their_backticks(x in nasty()) {
        match render("SELECT {{column(c)}} FROM t", &one("c", Value::Str(x))) {
            Ok(sql) => {
                let ident = sql.strip_prefix("SELECT ").and_then(|s| s.strip_suffix(" FROM t")).expect("frame unchanged");
                prop_assert!(ident.starts_with('`') && ident.ends_with('`'));
                for part in ident[1..ident.len() - 1].split("`.`") {
                    prop_assert!(!part.is_empty());
                    prop_assert!(!part.contains(['`', '\\', '\'', '"']));
                    prop_assert!(!part.chars().any(char::is_control));
                }
            }
            Err(e) => prop_assert!(matches!(e, TemplateError::InvalidParam { .. }), "{:?}", e),
        }
    }

    #[test]
    fn int32_accepts_exactly_its_range(n in any::<i64>()) {
        let got = render("{{Int32(x)}}", &one("x", Value::Str(n.to_string())));
        if let Ok(small) = i32::try_from(n) {
            let expected = if small < 0 { format!("({small})") } else { small.to_string() };
            prop_assert_eq!(got.expect("in range"), expected);
        } else {
            let is_invalid = matches!(got, Err(TemplateError::InvalidParam { .. }));
            prop_assert!(is_invalid);
        }
    }

    #[test]
    fn typed_values_never_reach_sql_unvalidated(x in nasty()) {
        for ty in ["Int64", "UInt8", "Float64", "Date", "DateTime", "DateTime64", "Boolean"] {
            let src = format!("a = {{{{{ty}(x)}}}} AND b");
            match render(&src, &one("x", Value::Str(x.clone()))) {
                Ok(sql) => {
                    let v = sql.strip_prefix("a = ").and_then(|s| s.strip_suffix(" AND b")).expect("frame");
                    let safe = v.chars().all(|c| c.is_ascii_alphanumeric() || "'-.:() ".contains(c));
                    prop_assert!(safe, "{} rendered {:?}", ty, v);
                }
                Err(e) => prop_assert!(matches!(e, TemplateError::InvalidParam { .. }), "{:?}", e),
            }
        }
    }

    #[test]
    fn no_template_makes_the_engine_panic(src in template_source(), x in nasty()) {
        if let Ok(t) = Template::parse(&src) {
            let _ = t.params();
            let _ = t.render(&vars(&[("x", x.as_str()), ("y", "2")]), RenderMode::Request);
            let _ = t.render(&Vars::new(), RenderMode::Request);
            let _ = t.render(&Vars::new(), RenderMode::Describe);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>()) {
        if let Ok(t) = Template::parse(&src) {
            let _ = t.render(&Vars::new(), RenderMode::Describe);
        }
    }
}

#[test]
fn the_scanner_reads_what_the_renderer_writes() {
    assert_eq!(
        scan_literal(r"'a\'b\\c\x01\/' tail"),
        Some(("a'b\\c\u{1}/".into(), " tail"))
    );
    assert_eq!(scan_literal(r"'100\%'"), Some((r"100\%".into(), "")));
    assert_eq!(scan_literal("'it''s'"), Some(("it's".into(), "")));
    assert_eq!(scan_literal("'open"), None);
}

//! Text built from values: `format()` and the JSON operators `->` and `->>`.

use sqlparser::ast::BinaryOperator as Op;

use super::expr::{not, Typed};
use super::func::{as_text, literal_text};
use super::query::Translator;
use super::render::{binary, call, null, number, string};
use super::{unsupported, Ty};
use crate::query::QueryError;

impl Translator<'_> {
    /// `format('%s and %I', a, b)` with a literal format string.
    pub fn format(&mut self, mut a: Vec<Typed>) -> Result<Typed, QueryError> {
        let fmt = literal_text(&a.remove(0).expr)
            .ok_or_else(|| unsupported("format() with a format string that is not a literal"))?;
        let mut parts = vec![];
        let mut lit = String::new();
        let mut args = a.into_iter();
        let mut chars = fmt.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                lit.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => lit.push('%'),
                Some(spec @ ('s' | 'I' | 'L')) => {
                    if !lit.is_empty() {
                        parts.push(string(&std::mem::take(&mut lit)));
                    }
                    let arg = args.next().ok_or_else(|| QueryError::Coded {
                        code: "22023",
                        message: "too few arguments for format()".into(),
                        hint: None,
                    })?;
                    let text = as_text(arg);
                    parts.push(match spec {
                        's' => call("coalesce", vec![text, string("")]),
                        'I' => call(
                            "concat",
                            vec![
                                string("\""),
                                call("replaceAll", vec![text, string("\""), string("\"\"")]),
                                string("\""),
                            ],
                        ),
                        _ => call(
                            "coalesce",
                            vec![
                                call(
                                    "concat",
                                    vec![
                                        string("'"),
                                        call("replaceAll", vec![text, string("'"), string("''")]),
                                        string("'"),
                                    ],
                                ),
                                string("NULL"),
                            ],
                        ),
                    });
                }
                _ => return Err(unsupported("this format() conversion")),
            }
        }
        if !lit.is_empty() {
            parts.push(string(&lit));
        }
        if parts.is_empty() {
            return Ok(Typed::exact(string(""), Ty::Text));
        }
        if parts.len() == 1 {
            parts.push(string(""));
        }
        Ok(Typed::exact(call("concat", parts), Ty::Text))
    }
}

/// `json -> key` (jsonb) and `json ->> key` (text), over a JSON column or JSON text.
pub fn json_get(l: Typed, key: Typed, text: bool) -> Typed {
    let doc = match l.ty {
        Ty::Text | Ty::Unknown => l.expr,
        _ => call("toJSONString", vec![l.expr]),
    };
    let key = match key.ty {
        t if t.is_integer() => binary(key.expr, Op::Plus, number("1")),
        _ => key.expr,
    };
    let has = call("JSONHas", vec![doc.clone(), key.clone()]);
    let value = if text {
        let is_string = binary(
            call("JSONType", vec![doc.clone(), key.clone()]),
            Op::Eq,
            string("String"),
        );
        let is_null = binary(
            call("JSONType", vec![doc.clone(), key.clone()]),
            Op::Eq,
            string("Null"),
        );
        call(
            "multiIf",
            vec![
                not(has),
                null(),
                is_null,
                null(),
                is_string,
                call("JSONExtractString", vec![doc.clone(), key.clone()]),
                call("JSONExtractRaw", vec![doc, key]),
            ],
        )
    } else {
        call(
            "if",
            vec![has, call("JSONExtractRaw", vec![doc, key]), null()],
        )
    };
    Typed::exact(value, Ty::Text)
}

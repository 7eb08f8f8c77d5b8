//! Functions: PostgreSQL's scalar functions mapped one by one to ClickHouse, then the
//! reviewed allowlist of ClickHouse functions that pass through. Anything else is `42883`
//! naming the function; file, network and server functions are `42501` whatever their
//! spelling. Aggregates and window functions are in `agg.rs`.

use sqlparser::ast::{
    BinaryOperator as Op, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments,
    TrimWhereField,
};

use super::expr::Typed;
use super::query::Translator;
use super::relation::is_forbidden_function;
use super::render::{binary, call, null, number, string};
use super::{time, unsupported, Ty};
use crate::query::QueryError;

/// A translated argument list.
pub struct Args {
    pub items: Vec<Typed>,
    pub star: bool,
    pub distinct: bool,
}

impl Translator<'_> {
    /// A function call: PostgreSQL's first, then the ClickHouse allowlist.
    pub fn function(&mut self, f: &Function) -> Result<Typed, QueryError> {
        if is_forbidden_function(&f.name) {
            return Err(QueryError::PermissionDenied {
                kind: "function",
                name: f.name.to_string(),
            });
        }
        let raw = match f.name.0.as_slice() {
            [p] => p
                .as_ident()
                .map(|i| (i.value.clone(), i.quote_style.is_some())),
            [schema, p]
                if schema
                    .as_ident()
                    .is_some_and(|s| s.value.eq_ignore_ascii_case("pg_catalog")) =>
            {
                p.as_ident()
                    .map(|i| (i.value.clone(), i.quote_style.is_some()))
            }
            _ => None,
        };
        let Some((raw, quoted)) = raw else {
            return Err(super::allowlist::unknown_function(&f.name.to_string()));
        };
        let lower = if quoted {
            raw.clone()
        } else {
            raw.to_lowercase()
        };
        if !matches!(f.parameters, FunctionArguments::None) {
            return Err(unsupported(format!("parametric call {}", f.name)));
        }
        if f.null_treatment.is_some() || f.uses_odbc_syntax {
            return Err(unsupported(format!("this form of {lower}()")));
        }
        if super::agg::is_aggregate_or_window(&lower)
            || f.over.is_some()
            || f.filter.is_some()
            || !f.within_group.is_empty()
        {
            return self.aggregate(f, &lower, &raw);
        }
        let args = self.args(&f.args)?;
        if args.distinct || args.star {
            return Err(unsupported(format!("{lower}(DISTINCT …) or {lower}(*)")));
        }
        if let Some(t) = self.scalar(&lower, args.items.clone())? {
            return Ok(t);
        }
        super::allowlist::passthrough(&raw, args.items)
    }

    /// Translates a call's arguments.
    pub fn args(&mut self, args: &FunctionArguments) -> Result<Args, QueryError> {
        let mut out = Args {
            items: vec![],
            star: false,
            distinct: false,
        };
        match args {
            FunctionArguments::None => {}
            FunctionArguments::Subquery(_) => return Err(unsupported("a subquery as arguments")),
            FunctionArguments::List(list) => {
                out.distinct = matches!(
                    list.duplicate_treatment,
                    Some(sqlparser::ast::DuplicateTreatment::Distinct)
                );
                for a in &list.args {
                    match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                            out.items.push(self.expr(e)?)
                        }
                        FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => out.star = true,
                        _ => return Err(unsupported("named or qualified-wildcard arguments")),
                    }
                }
            }
        }
        Ok(out)
    }

    /// PostgreSQL's scalar functions; `None` when the name is not one of them.
    fn scalar(&mut self, name: &str, mut a: Vec<Typed>) -> Result<Option<Typed>, QueryError> {
        let n = a.len();
        let e = |a: &mut Vec<Typed>| -> Vec<Expr> { a.drain(..).map(|t| t.expr).collect() };
        let first_ty = a.first().map(|t| t.ty.clone()).unwrap_or(Ty::Unknown);
        let t = match (name, n) {
            ("lower", 1) => Typed::exact(call("lowerUTF8", e(&mut a)), Ty::Text),
            ("upper", 1) => Typed::exact(call("upperUTF8", e(&mut a)), Ty::Text),
            ("length" | "char_length" | "character_length", 1) => {
                Typed::new(call("lengthUTF8", e(&mut a)), Ty::Int4)
            }
            ("octet_length", 1) => Typed::new(call("length", e(&mut a)), Ty::Int4),
            ("substr" | "substring", 2 | 3) => {
                Typed::exact(call("substringUTF8", e(&mut a)), Ty::Text)
            }
            ("strpos", 2) => Typed::new(call("positionUTF8", e(&mut a)), Ty::Int4),
            ("btrim" | "trim", 1 | 2) => {
                let mut v = e(&mut a);
                let what = (v.len() == 2).then(|| v.remove(1));
                Typed::exact(
                    trim(Some(TrimWhereField::Both), what, v.remove(0)),
                    Ty::Text,
                )
            }
            ("ltrim", 1 | 2) => {
                let mut v = e(&mut a);
                let what = (v.len() == 2).then(|| v.remove(1));
                Typed::exact(
                    trim(Some(TrimWhereField::Leading), what, v.remove(0)),
                    Ty::Text,
                )
            }
            ("rtrim", 1 | 2) => {
                let mut v = e(&mut a);
                let what = (v.len() == 2).then(|| v.remove(1));
                Typed::exact(
                    trim(Some(TrimWhereField::Trailing), what, v.remove(0)),
                    Ty::Text,
                )
            }
            ("split_part", 3) => {
                let v = e(&mut a);
                let [s, delim, idx] =
                    <[Expr; 3]>::try_from(v).map_err(|_| unsupported("split_part"))?;
                Typed::exact(
                    call(
                        "arrayElement",
                        vec![call("splitByString", vec![delim, s]), idx],
                    ),
                    Ty::Text,
                )
            }
            ("replace", 3) => Typed::exact(call("replaceAll", e(&mut a)), Ty::Text),
            ("left", 2) => Typed::exact(call("leftUTF8", e(&mut a)), Ty::Text),
            ("right", 2) => Typed::exact(call("rightUTF8", e(&mut a)), Ty::Text),
            ("lpad", 2) => Typed::exact(
                call("leftPadUTF8", [e(&mut a), vec![string(" ")]].concat()),
                Ty::Text,
            ),
            ("lpad", 3) => Typed::exact(call("leftPadUTF8", e(&mut a)), Ty::Text),
            ("rpad", 2) => Typed::exact(
                call("rightPadUTF8", [e(&mut a), vec![string(" ")]].concat()),
                Ty::Text,
            ),
            ("rpad", 3) => Typed::exact(call("rightPadUTF8", e(&mut a)), Ty::Text),
            ("concat", _) if n > 0 => {
                let parts = a
                    .drain(..)
                    .map(|t| call("coalesce", vec![as_text(t), string("")]))
                    .collect();
                Typed::exact(call("concat", parts), Ty::Text)
            }
            ("concat_ws", _) if n > 1 => {
                let sep = a.remove(0).expr;
                let items = a
                    .drain(..)
                    .map(|t| call("toNullable", vec![as_text(t)]))
                    .collect();
                let arr = Expr::Array(sqlparser::ast::Array {
                    elem: items,
                    named: false,
                });
                let filtered = call(
                    "arrayFilter",
                    vec![lambda("x", Expr::IsNotNull(Box::new(ident_expr("x")))), arr],
                );
                Typed::exact(call("arrayStringConcat", vec![filtered, sep]), Ty::Text)
            }
            ("initcap", 1) => Typed::exact(call("initcapUTF8", e(&mut a)), Ty::Text),
            ("reverse", 1) => Typed::exact(call("reverseUTF8", e(&mut a)), Ty::Text),
            ("repeat", 2) => Typed::exact(call("repeat", e(&mut a)), Ty::Text),
            ("starts_with", 2) => Typed::new(call("startsWith", e(&mut a)), Ty::Bool),
            ("md5", 1) => Typed::exact(
                call("lower", vec![call("hex", vec![call("MD5", e(&mut a))])]),
                Ty::Text,
            ),
            ("ascii", 1) => Typed::new(call("ascii", e(&mut a)), Ty::Int4),
            ("chr", 1) => Typed::exact(call("char", e(&mut a)), Ty::Text),
            ("to_hex", 1) => Typed::exact(call("lower", vec![call("hex", e(&mut a))]), Ty::Text),
            ("regexp_replace", 3 | 4) => {
                let mut v = e(&mut a);
                let flags = if v.len() == 4 {
                    literal_text(&v.remove(3))
                        .ok_or_else(|| unsupported("regexp_replace flags that are not a literal"))?
                } else {
                    String::new()
                };
                let mut pattern = v.remove(1);
                if flags.contains('i') {
                    pattern = call("concat", vec![string("(?i)"), pattern]);
                }
                v.insert(1, pattern);
                let f = if flags.contains('g') {
                    "replaceRegexpAll"
                } else {
                    "replaceRegexpOne"
                };
                Typed::exact(call(f, v), Ty::Text)
            }
            ("regexp_match", 2) => {
                let v = e(&mut a);
                let matched = call("match", v.clone());
                let groups = call("extractGroups", v);
                Typed::exact(
                    call("if", vec![matched, groups, null()]),
                    Ty::Array(Box::new(Ty::Text)),
                )
            }
            ("format", _) if n >= 1 => return self.format(a).map(Some),
            // math
            ("abs", 1) => Typed::new(call("abs", e(&mut a)), first_ty),
            ("sign", 1) => Typed::new(
                call("sign", e(&mut a)),
                if first_ty.is_integer() {
                    Ty::Float8
                } else {
                    first_ty
                },
            ),
            ("round", 1) => {
                let ty = if first_ty == Ty::Numeric {
                    Ty::Numeric
                } else {
                    Ty::Float8
                };
                Typed::new(call("round", e(&mut a)), ty)
            }
            ("round", 2) => {
                if first_ty.is_float() {
                    return Err(QueryError::Coded {
                        code: "42883",
                        message: "function round(double precision, integer) does not exist".into(),
                        hint: Some(
                            "Cast the first argument to numeric: round(x::numeric, n).".into(),
                        ),
                    });
                }
                let mut v = e(&mut a);
                if first_ty.is_integer() {
                    v[0] = call("toDecimal128", vec![v[0].clone(), number("0")]);
                }
                Typed::exact(call("round", v), Ty::Numeric)
            }
            ("trunc", 1 | 2) => Typed::new(
                call("trunc", e(&mut a)),
                if first_ty == Ty::Numeric || n == 2 {
                    Ty::Numeric
                } else {
                    Ty::Float8
                },
            ),
            ("ceil" | "ceiling", 1) => Typed::new(
                call("ceil", e(&mut a)),
                if first_ty == Ty::Numeric {
                    Ty::Numeric
                } else {
                    Ty::Float8
                },
            ),
            ("floor", 1) => Typed::new(
                call("floor", e(&mut a)),
                if first_ty == Ty::Numeric {
                    Ty::Numeric
                } else {
                    Ty::Float8
                },
            ),
            ("div", 2) => Typed::exact(
                call("toDecimal128", vec![call("intDiv", e(&mut a)), number("0")]),
                Ty::Numeric,
            ),
            ("mod", 2) => {
                let ty = Ty::promote(&first_ty, &a[1].ty);
                let v = e(&mut a);
                Typed::new(binary(v[0].clone(), Op::Modulo, v[1].clone()), ty)
            }
            ("power" | "pow", 2) => Typed::new(
                call("pow", e(&mut a)),
                if first_ty == Ty::Numeric {
                    Ty::Numeric
                } else {
                    Ty::Float8
                },
            ),
            ("sqrt", 1) => Typed::new(call("sqrt", e(&mut a)), Ty::Float8),
            ("cbrt", 1) => Typed::new(call("cbrt", e(&mut a)), Ty::Float8),
            ("exp", 1) => Typed::new(call("exp", e(&mut a)), Ty::Float8),
            ("ln", 1) => Typed::new(call("log", e(&mut a)), Ty::Float8),
            ("log" | "log10", 1) => Typed::new(call("log10", e(&mut a)), Ty::Float8),
            ("log", 2) => {
                let v = e(&mut a);
                Typed::new(
                    binary(
                        call("log", vec![v[1].clone()]),
                        Op::Divide,
                        call("log", vec![v[0].clone()]),
                    ),
                    Ty::Numeric,
                )
            }
            ("pi", 0) => Typed::new(call("pi", vec![]), Ty::Float8),
            ("random", 0) => Typed::new(call("randCanonical", vec![]), Ty::Float8),
            ("degrees" | "radians" | "sin" | "cos" | "tan" | "asin" | "acos" | "atan", 1) => {
                Typed::new(call(name, e(&mut a)), Ty::Float8)
            }
            ("atan2", 2) => Typed::new(call("atan2", e(&mut a)), Ty::Float8),
            ("gcd" | "lcm", 2) => Typed::new(call(name, e(&mut a)), first_ty),
            // conditionals
            ("coalesce", _) if n > 0 => {
                let ty = a
                    .iter()
                    .map(|t| t.ty.clone())
                    .find(|t| *t != Ty::Unknown)
                    .unwrap_or(Ty::Unknown);
                Typed::new(call("coalesce", e(&mut a)), ty)
            }
            ("nullif", 2) => Typed::new(call("nullIf", e(&mut a)), first_ty),
            ("greatest" | "least", _) if n > 0 => {
                let ty = a
                    .iter()
                    .map(|t| t.ty.clone())
                    .reduce(|x, y| Ty::promote(&x, &y))
                    .unwrap_or(Ty::Unknown);
                Typed::new(call(name, e(&mut a)), ty)
            }
            // time
            (
                "now"
                | "transaction_timestamp"
                | "statement_timestamp"
                | "clock_timestamp"
                | "current_timestamp",
                0,
            ) => Typed::exact(
                call("now64", vec![number("6"), string("UTC")]),
                Ty::TimestampTz,
            ),
            ("current_date", 0) => {
                Typed::exact(call("toDate32", vec![call("today", vec![])]), Ty::Date)
            }
            ("localtimestamp", 0) => {
                Typed::exact(time::wall(call("now64", vec![number("6")])), Ty::Timestamp)
            }
            ("date_trunc", 2) => {
                let unit = literal_text(&a[0].expr)
                    .ok_or_else(|| unsupported("date_trunc with a unit that is not a literal"))?;
                return time::date_trunc(&unit, a.remove(1)).map(Some);
            }
            ("date_part", 2) => {
                let field = literal_text(&a[0].expr)
                    .ok_or_else(|| unsupported("date_part with a field that is not a literal"))?;
                return time::date_part(&field, a.remove(1)).map(Some);
            }
            ("to_char", 2) if first_ty.is_temporal() => {
                let mask = literal_text(&a[1].expr)
                    .ok_or_else(|| unsupported("to_char with a mask that is not a literal"))?;
                let x = a.remove(0).expr;
                Typed::exact(
                    call(
                        "formatDateTime",
                        vec![x, string(&time::to_char_mask(&mask)?)],
                    ),
                    Ty::Text,
                )
            }
            ("to_timestamp", 1) => Typed::exact(
                call(
                    "toDateTime64",
                    vec![a.remove(0).expr, number("6"), string("UTC")],
                ),
                Ty::TimestampTz,
            ),
            ("to_timestamp", 2) => {
                let mask = literal_text(&a[1].expr)
                    .ok_or_else(|| unsupported("to_timestamp with a mask that is not a literal"))?;
                let s = a.remove(0).expr;
                let parsed = call(
                    "parseDateTime64",
                    vec![
                        s,
                        number("6"),
                        string(&time::to_char_mask(&mask)?),
                        string("UTC"),
                    ],
                );
                Typed::exact(parsed, Ty::TimestampTz)
            }
            ("to_date", 2) => {
                let mask = literal_text(&a[1].expr)
                    .ok_or_else(|| unsupported("to_date with a mask that is not a literal"))?;
                let s = a.remove(0).expr;
                Typed::exact(
                    call(
                        "toDate32",
                        vec![call(
                            "parseDateTime",
                            vec![s, string(&time::to_char_mask(&mask)?)],
                        )],
                    ),
                    Ty::Date,
                )
            }
            ("make_date", 3) => Typed::exact(call("makeDate32", e(&mut a)), Ty::Date),
            ("make_timestamp", 6) => {
                let mut v = e(&mut a);
                let secs = v.pop().unwrap_or_else(null);
                v.push(call("toUInt8", vec![call("floor", vec![secs.clone()])]));
                v.push(call(
                    "toUInt32",
                    vec![binary(
                        binary(secs.clone(), Op::Minus, call("floor", vec![secs])),
                        Op::Multiply,
                        number("1000000"),
                    )],
                ));
                v.push(number("6"));
                Typed::exact(time::wall(call("makeDateTime64", v)), Ty::Timestamp)
            }
            ("generate_series", 2 | 3) => {
                let (series, ty) = super::array::generate_series(a)?;
                Typed::exact(call("arrayJoin", vec![series]), ty)
            }
            ("array_length", 2) | ("cardinality", 1) => {
                Typed::new(call("length", vec![a.remove(0).expr]), Ty::Int4)
            }
            ("array_position", 2) => Typed::new(
                call("nullIf", vec![call("indexOf", e(&mut a)), number("0")]),
                Ty::Int4,
            ),
            ("array_to_string", 2) => Typed::exact(call("arrayStringConcat", e(&mut a)), Ty::Text),
            ("string_to_array", 2) => {
                let v = e(&mut a);
                Typed::exact(
                    call("splitByString", vec![v[1].clone(), v[0].clone()]),
                    Ty::Array(Box::new(Ty::Text)),
                )
            }
            ("array_append", 2) => Typed::exact(call("arrayPushBack", e(&mut a)), first_ty),
            ("array_prepend", 2) => {
                let v = e(&mut a);
                Typed::exact(
                    call("arrayPushFront", vec![v[1].clone(), v[0].clone()]),
                    a.get(1).map(|t| t.ty.clone()).unwrap_or(Ty::Unknown),
                )
            }
            ("array_cat", 2) => Typed::exact(call("arrayConcat", e(&mut a)), first_ty),
            ("age", _) => return Err(unsupported("age() (its result is an interval)")),
            _ => return Ok(None),
        };
        Ok(Some(t))
    }
}

/// A value as text (for concat, format).
pub fn as_text(t: Typed) -> Expr {
    match t.ty {
        Ty::Text | Ty::Unknown => t.expr,
        _ => call("toString", vec![t.expr]),
    }
}

/// The text of a string literal argument, as the user wrote it.
pub fn literal_text(e: &Expr) -> Option<String> {
    super::render::string_value(e)
}

pub fn ident_expr(name: &str) -> Expr {
    Expr::Identifier(sqlparser::ast::Ident::new(name))
}

/// `param -> body`.
pub fn lambda(param: &str, body: Expr) -> Expr {
    Expr::Lambda(sqlparser::ast::LambdaFunction {
        params: sqlparser::ast::OneOrManyWithParens::One(sqlparser::ast::LambdaFunctionParameter {
            name: sqlparser::ast::Ident::new(param),
            data_type: None,
        }),
        body: Box::new(body),
        syntax: sqlparser::ast::LambdaSyntax::Arrow,
    })
}

/// `trim([BOTH|LEADING|TRAILING] [chars] FROM s)`: `chars` is a set of characters.
pub fn trim(place: Option<TrimWhereField>, chars: Option<Expr>, s: Expr) -> Expr {
    Expr::Trim {
        trim_where: Some(place.unwrap_or(TrimWhereField::Both)),
        trim_what: Some(Box::new(chars.unwrap_or_else(|| string(" ")))),
        expr: Box::new(s),
        trim_characters: None,
    }
}

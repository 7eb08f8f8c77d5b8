//! Expressions: column references, literals, CASE, subqueries, IN, BETWEEN. Operators are
//! in `operator.rs`, functions in `func.rs`, casts in `cast.rs`, time in `time.rs`.
//!
//! - `IS TRUE/FALSE` never yields NULL; `IS [NOT] DISTINCT FROM` is in `operator.rs`.
//! - A numeric literal is a ClickHouse decimal, so `0.1 + 0.2` is `0.3` as in PostgreSQL.
//! - `arr[i]` is NULL out of bounds, as in PostgreSQL.

use sqlparser::ast::{CaseWhen, Expr, Ident, UnaryOperator, Value, ValueWithSpan};

use super::query::Translator;
use super::render::{call, ident, nested, normalize, null, number, string};
use super::{unsupported, Ty};
use crate::query::QueryError;

/// A translated expression with its PostgreSQL type. `exact` says whether ClickHouse's
/// result type already maps to that PostgreSQL type on the wire (a column does; `1 + 1`
/// is ClickHouse `UInt16` but PostgreSQL `integer`).
#[derive(Debug, Clone)]
pub struct Typed {
    pub expr: Expr,
    pub ty: Ty,
    pub exact: bool,
}

impl Typed {
    pub fn new(expr: Expr, ty: Ty) -> Typed {
        Typed {
            expr,
            ty,
            exact: false,
        }
    }

    pub fn exact(expr: Expr, ty: Ty) -> Typed {
        Typed {
            expr,
            ty,
            exact: true,
        }
    }

    /// The expression as a result column: converted where ClickHouse's type would show
    /// the client a different PostgreSQL type.
    pub fn output(self) -> Expr {
        if self.exact {
            return self.expr;
        }
        let convert = match self.ty {
            Ty::Bool => "toBool",
            Ty::Int2 => "toInt16",
            Ty::Int4 => "toInt32",
            Ty::Int8 => "toInt64",
            Ty::Float4 => "toFloat32",
            Ty::Float8 => "toFloat64",
            _ => return self.expr,
        };
        if matches!(&self.expr, Expr::Value(v) if v.value == Value::Null) {
            return self.expr;
        }
        call(convert, vec![self.expr])
    }
}

impl Translator<'_> {
    /// Translates one expression.
    pub fn expr(&mut self, e: &Expr) -> Result<Typed, QueryError> {
        match e {
            Expr::Identifier(i) => self.column(None, i),
            Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [q, c] => self.column(Some(q), c),
                // Metabase qualifies columns fully: "public"."events"."timestamp".
                [schema, t, c] if normalize(schema) == "public" => self.column(Some(t), c),
                [catalog, schema, t, c]
                    if normalize(catalog) == self.env.catalog && normalize(schema) == "public" =>
                {
                    self.column(Some(t), c)
                }
                [.., t, _] => Err(QueryError::Coded {
                    code: "42P01",
                    message: format!("missing FROM-clause entry for table \"{}\"", normalize(t)),
                    hint: None,
                }),
                _ => Err(unsupported(format!("the column reference {e}"))),
            },
            Expr::Value(v) => self.value(v),
            Expr::TypedString(t) => self.typed_string(&t.data_type, &t.value.value),
            Expr::Cast {
                expr,
                data_type,
                format: None,
                array: false,
                ..
            } => {
                let inner = self.expr(expr)?;
                self.cast(inner, data_type)
            }
            Expr::Nested(inner) => {
                let t = self.expr(inner)?;
                Ok(Typed {
                    expr: nested(t.expr),
                    ..t
                })
            }
            Expr::UnaryOp { op, expr } => self.unary(op, expr),
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right),
            Expr::IsNull(x) => Ok(self.predicate(x, |x| Expr::IsNull(Box::new(x)))?),
            Expr::IsNotNull(x) => Ok(self.predicate(x, |x| Expr::IsNotNull(Box::new(x)))?),
            Expr::IsUnknown(x) => Ok(self.predicate(x, |x| Expr::IsNull(Box::new(x)))?),
            Expr::IsNotUnknown(x) => Ok(self.predicate(x, |x| Expr::IsNotNull(Box::new(x)))?),
            Expr::IsTrue(x) => self.predicate(x, |x| call("coalesce", vec![x, bool_lit(false)])),
            Expr::IsNotTrue(x) => {
                self.predicate(x, |x| not(call("coalesce", vec![x, bool_lit(false)])))
            }
            Expr::IsFalse(x) => {
                self.predicate(x, |x| call("coalesce", vec![not(x), bool_lit(false)]))
            }
            Expr::IsNotFalse(x) => self.predicate(x, |x| call("coalesce", vec![x, bool_lit(true)])),
            Expr::IsDistinctFrom(a, b) => Ok(Typed::new(not(self.not_distinct(a, b)?), Ty::Bool)),
            Expr::IsNotDistinctFrom(a, b) => Ok(Typed::new(self.not_distinct(a, b)?, Ty::Bool)),
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let x = self.expr(expr)?.expr;
                let mut items = Vec::with_capacity(list.len());
                for item in list {
                    items.push(self.expr(item)?.expr);
                }
                Ok(Typed::new(
                    Expr::InList {
                        expr: Box::new(nested(x)),
                        list: items,
                        negated: *negated,
                    },
                    Ty::Bool,
                ))
            }
            Expr::InSubquery {
                expr,
                subquery,
                negated,
            } => {
                let x = self.expr(expr)?.expr;
                let (q, _) = self.query(subquery)?;
                Ok(Typed::new(
                    Expr::InSubquery {
                        expr: Box::new(nested(x)),
                        subquery: Box::new(q),
                        negated: *negated,
                    },
                    Ty::Bool,
                ))
            }
            Expr::Exists { subquery, negated } => {
                let (q, _) = self.query(subquery)?;
                Ok(Typed::new(
                    Expr::Exists {
                        subquery: Box::new(q),
                        negated: *negated,
                    },
                    Ty::Bool,
                ))
            }
            Expr::Subquery(q) => {
                let (q, shape) = self.query(q)?;
                let ty = shape
                    .and_then(|s| s.into_iter().next())
                    .map(|c| c.ty)
                    .unwrap_or(Ty::Unknown);
                Ok(Typed::exact(Expr::Subquery(Box::new(q)), ty))
            }
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => Ok(Typed::new(
                Expr::Between {
                    expr: Box::new(nested(self.expr(expr)?.expr)),
                    negated: *negated,
                    low: Box::new(nested(self.expr(low)?.expr)),
                    high: Box::new(nested(self.expr(high)?.expr)),
                },
                Ty::Bool,
            )),
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            } => self.like(expr, pattern, escape_char.as_ref(), *negated, false),
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            } => self.like(expr, pattern, escape_char.as_ref(), *negated, true),
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => self.any_all(left, compare_op, right, false),
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => self.any_all(left, compare_op, right, true),
            Expr::Case {
                case_token,
                end_token,
                operand,
                conditions,
                else_result,
            } => {
                let operand = match operand {
                    Some(o) => Some(Box::new(self.expr(o)?.expr)),
                    None => None,
                };
                let mut ty = Ty::Unknown;
                let mut out = Vec::with_capacity(conditions.len());
                for CaseWhen { condition, result } in conditions {
                    let c = self.expr(condition)?.expr;
                    let r = self.expr(result)?;
                    if ty == Ty::Unknown {
                        ty = r.ty.clone();
                    }
                    out.push(CaseWhen {
                        condition: c,
                        result: r.expr,
                    });
                }
                let else_result = match else_result {
                    Some(e) => {
                        let t = self.expr(e)?;
                        if ty == Ty::Unknown {
                            ty = t.ty.clone();
                        }
                        Some(Box::new(t.expr))
                    }
                    None => None,
                };
                Ok(Typed::new(
                    Expr::Case {
                        case_token: case_token.clone(),
                        end_token: end_token.clone(),
                        operand,
                        conditions: out,
                        else_result,
                    },
                    ty,
                ))
            }
            Expr::Function(f) => self.function(f),
            Expr::Extract { field, expr, .. } => {
                let t = self.expr(expr)?;
                super::time::extract(field, t)
            }
            Expr::Ceil { expr, field } | Expr::Floor { expr, field } => {
                if !matches!(
                    field,
                    sqlparser::ast::CeilFloorKind::DateTimeField(
                        sqlparser::ast::DateTimeField::NoDateTime
                    )
                ) {
                    return Err(unsupported("CEIL/FLOOR with a field"));
                }
                let t = self.expr(expr)?;
                let name = if matches!(e, Expr::Ceil { .. }) {
                    "ceil"
                } else {
                    "floor"
                };
                let ty = if t.ty.is_integer() || t.ty == Ty::Unknown {
                    Ty::Float8
                } else {
                    t.ty.clone()
                };
                Ok(Typed::new(call(name, vec![t.expr]), ty))
            }
            Expr::Position { expr, r#in } => {
                let needle = self.expr(expr)?.expr;
                let haystack = self.expr(r#in)?.expr;
                Ok(Typed::new(
                    call("positionUTF8", vec![haystack, needle]),
                    Ty::Int4,
                ))
            }
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![self.expr(expr)?.expr];
                args.push(match substring_from {
                    Some(f) => self.expr(f)?.expr,
                    None => number("1"),
                });
                if let Some(f) = substring_for {
                    args.push(self.expr(f)?.expr);
                }
                Ok(Typed::exact(call("substringUTF8", args), Ty::Text))
            }
            Expr::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters: None,
            } => {
                let s = self.expr(expr)?.expr;
                let what = match trim_what {
                    Some(w) => Some(self.expr(w)?.expr),
                    None => None,
                };
                Ok(Typed::exact(
                    super::func::trim(*trim_where, what, s),
                    Ty::Text,
                ))
            }
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => {
                let ts = self.expr(timestamp)?;
                let tz = self.expr(time_zone)?;
                super::time::at_time_zone(ts, tz)
            }
            Expr::Interval(i) => super::time::interval(i),
            Expr::Array(a) => {
                let mut elems = Vec::with_capacity(a.elem.len());
                let mut ty = Ty::Unknown;
                for x in &a.elem {
                    let t = self.expr(x)?;
                    if ty == Ty::Unknown {
                        ty = t.ty.clone();
                    }
                    elems.push(t.expr);
                }
                let ty = if ty == Ty::Unknown { Ty::Text } else { ty };
                Ok(Typed::exact(
                    Expr::Array(sqlparser::ast::Array {
                        elem: elems,
                        named: false,
                    }),
                    Ty::Array(Box::new(ty)),
                ))
            }
            Expr::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for x in items {
                    out.push(self.expr(x)?.expr);
                }
                Ok(Typed::exact(Expr::Tuple(out), Ty::Unknown))
            }
            Expr::CompoundFieldAccess { root, access_chain } => {
                let mut t = self.expr(root)?;
                for access in access_chain {
                    let sqlparser::ast::AccessExpr::Subscript(sqlparser::ast::Subscript::Index {
                        index,
                    }) = access
                    else {
                        return Err(unsupported("array slices and field access"));
                    };
                    let i = self.expr(index)?.expr;
                    let elem = match t.ty {
                        Ty::Array(inner) => *inner,
                        _ => Ty::Unknown,
                    };
                    // PostgreSQL answers NULL out of bounds; ClickHouse a default value.
                    t = Typed::exact(call("arrayElementOrNull", vec![t.expr, i]), elem);
                }
                Ok(t)
            }
            _ => Err(unsupported(format!("the expression {e}"))),
        }
    }

    /// A column reference, typed from the innermost relation that has it.
    /// A column reference, typed from the innermost relation that has it. A name that no
    /// relation in scope can have is refused here: ClickHouse would read an unresolved
    /// `x IN (system.one)` as a table, so nothing unresolved may be forwarded.
    pub fn column(&self, qualifier: Option<&Ident>, name: &Ident) -> Result<Typed, QueryError> {
        let col = normalize(name);
        let q = qualifier.map(normalize);
        let rels: Vec<&super::relation::Rel> = self
            .scopes
            .iter()
            .rev()
            .flat_map(|scope| scope.iter())
            .filter(|rel| q.as_ref().is_none_or(|q| *q == rel.name))
            .collect();
        if let Some(q) = &q {
            if rels.is_empty() {
                return Err(QueryError::Coded {
                    code: "42P01",
                    message: format!("missing FROM-clause entry for table \"{q}\""),
                    hint: None,
                });
            }
        }
        let found = rels.iter().find_map(|rel| {
            rel.columns
                .as_ref()?
                .iter()
                .find(|c| c.name == col)
                .map(|c| c.ty.clone())
        });
        let ty = match found {
            Some(ty) => ty,
            None if rels.iter().all(|r| r.columns.is_some()) => {
                return Err(QueryError::Coded {
                    code: "42703",
                    message: match &q {
                        Some(q) => format!("column {q}.{col} does not exist"),
                        None => format!("column \"{col}\" does not exist"),
                    },
                    hint: None,
                })
            }
            None => Ty::Unknown,
        };
        let expr = match q {
            Some(q) => Expr::CompoundIdentifier(vec![ident(&q), ident(&col)]),
            None => Expr::Identifier(ident(&col)),
        };
        Ok(Typed::exact(expr, ty))
    }

    fn value(&mut self, v: &ValueWithSpan) -> Result<Typed, QueryError> {
        match &v.value {
            Value::Number(n, _) => Ok(number_literal(n)),
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::UnicodeStringLiteral(s) => Ok(Typed::exact(string(s), Ty::Unknown)),
            Value::DollarQuotedString(d) => Ok(Typed::exact(string(&d.value), Ty::Unknown)),
            Value::Boolean(b) => Ok(Typed::exact(bool_lit(*b), Ty::Bool)),
            Value::Null => Ok(Typed::exact(null(), Ty::Unknown)),
            Value::Placeholder(p) => self.placeholder(p),
            _ => Err(unsupported(format!("the literal {v}"))),
        }
    }

    /// `$n`: the bound value, a complete ClickHouse literal printed verbatim (or NULL when
    /// describing).
    fn placeholder(&self, p: &str) -> Result<Typed, QueryError> {
        let n = p
            .strip_prefix('$')
            .and_then(|d| d.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| QueryError::Syntax {
                message: format!("syntax error at or near \"{p}\""),
            })?;
        let params = self.env.params;
        if params.is_empty() {
            return Ok(Typed::exact(null(), Ty::Unknown));
        }
        let literal = params.get(n - 1).ok_or_else(|| QueryError::Coded {
            code: "08P01",
            message: format!(
                "bind message supplies {} parameters, but prepared statement requires at least {n}",
                params.len()
            ),
            hint: None,
        })?;
        Ok(Typed::exact(
            Expr::Identifier(Ident::new(literal.clone())),
            Ty::Unknown,
        ))
    }

    fn predicate(&mut self, x: &Expr, build: impl Fn(Expr) -> Expr) -> Result<Typed, QueryError> {
        let t = self.expr(x)?;
        Ok(Typed::new(build(nested(t.expr)), Ty::Bool))
    }
}

/// PostgreSQL's type for a numeric literal: `integer`, `bigint`, else `numeric`. Numeric
/// literals become ClickHouse decimals, so `0.1 + 0.2` is `0.3` as in PostgreSQL.
pub fn number_literal(n: &str) -> Typed {
    if let Ok(v) = n.parse::<i64>() {
        let ty = if i32::try_from(v).is_ok() {
            Ty::Int4
        } else {
            Ty::Int8
        };
        return Typed::new(number(n), ty);
    }
    let plain = n.trim_start_matches('-');
    let digits = plain.chars().filter(|c| c.is_ascii_digit()).count();
    if plain.contains(['e', 'E']) || digits > 76 {
        return Typed::new(number(n), Ty::Float8);
    }
    let scale = plain.split_once('.').map(|(_, f)| f.len()).unwrap_or(0);
    let (func, max) = if digits <= 38 {
        ("toDecimal128", 38)
    } else {
        ("toDecimal256", 76)
    };
    let _ = max;
    Typed::exact(
        call(func, vec![string(n), number(&scale.to_string())]),
        Ty::Numeric,
    )
}

pub fn not(e: Expr) -> Expr {
    Expr::UnaryOp {
        op: UnaryOperator::Not,
        expr: Box::new(nested(e)),
    }
}

pub fn bool_lit(b: bool) -> Expr {
    Expr::value(Value::Boolean(b))
}

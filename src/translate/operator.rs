//! Operators, with PostgreSQL's meaning:
//! - `int / int` truncates: `intDiv`; `numeric / numeric` keeps digits: `divideDecimal`.
//! - `||` is `concat` (NULL in, NULL out), or `arrayConcat` on arrays.
//! - `~`, `~*`, `!~`, `!~*` are `match` (RE2), case-insensitive with `(?i)`.
//! - `IS [NOT] DISTINCT FROM` treats NULLs as equal.
//! - `@>`, `<@`, `&&` are `hasAll`/`hasAny`; `->`/`->>` read JSON.

use sqlparser::ast::{BinaryOperator as Op, Expr, UnaryOperator, Value};

use super::expr::{not, number_literal, Typed};
use super::query::Translator;
use super::render::{binary, call, nested, number};
use super::{unsupported, Ty};
use crate::query::QueryError;

impl Translator<'_> {
    /// `a IS NOT DISTINCT FROM b`: equal, or both NULL.
    pub fn not_distinct(&mut self, a: &Expr, b: &Expr) -> Result<Expr, QueryError> {
        let a = nested(self.expr(a)?.expr);
        let b = nested(self.expr(b)?.expr);
        let both_null = binary(
            Expr::IsNull(Box::new(a.clone())),
            Op::And,
            Expr::IsNull(Box::new(b.clone())),
        );
        Ok(call("coalesce", vec![binary(a, Op::Eq, b), both_null]))
    }

    pub fn unary(&mut self, op: &UnaryOperator, x: &Expr) -> Result<Typed, QueryError> {
        // `-9223372036854775808` is one literal in PostgreSQL.
        if let (UnaryOperator::Minus, Expr::Value(v)) = (op, x) {
            if let Value::Number(n, _) = &v.value {
                return Ok(number_literal(&format!("-{n}")));
            }
        }
        let t = self.expr(x)?;
        Ok(match op {
            UnaryOperator::Not => Typed::new(not(t.expr), Ty::Bool),
            UnaryOperator::Minus => Typed::new(
                Expr::UnaryOp {
                    op: UnaryOperator::Minus,
                    expr: Box::new(nested(t.expr)),
                },
                t.ty,
            ),
            UnaryOperator::Plus => t,
            UnaryOperator::PGAbs => Typed::new(call("abs", vec![t.expr]), t.ty),
            UnaryOperator::PGSquareRoot => Typed::new(call("sqrt", vec![t.expr]), Ty::Float8),
            UnaryOperator::PGCubeRoot => Typed::new(call("cbrt", vec![t.expr]), Ty::Float8),
            _ => return Err(unsupported(format!("the operator {op}"))),
        })
    }

    pub fn binary(&mut self, left: &Expr, op: &Op, right: &Expr) -> Result<Typed, QueryError> {
        let l = self.expr(left)?;
        let r = self.expr(right)?;
        let bool_of = |e: Expr| Typed::new(e, Ty::Bool);
        Ok(match op {
            Op::Plus | Op::Minus if is_time_arith(&l.ty, &r.ty) => super::time::arith(l, op, r)?,
            Op::Plus | Op::Minus | Op::Multiply => {
                let ty = Ty::promote(&l.ty, &r.ty);
                Typed::new(binary(l.expr, op.clone(), r.expr), ty)
            }
            Op::Divide => divide(l, r),
            Op::Modulo => {
                let ty = Ty::promote(&l.ty, &r.ty);
                Typed::new(binary(l.expr, Op::Modulo, r.expr), ty)
            }
            Op::StringConcat => concat(l, r),
            Op::Eq | Op::NotEq | Op::Lt | Op::LtEq | Op::Gt | Op::GtEq => {
                bool_of(binary(l.expr, op.clone(), r.expr))
            }
            Op::And | Op::Or => bool_of(binary(l.expr, op.clone(), r.expr)),
            Op::PGRegexMatch => bool_of(call("match", vec![l.expr, r.expr])),
            Op::PGRegexIMatch => bool_of(call(
                "match",
                vec![l.expr, super::pattern::case_insensitive(r.expr)],
            )),
            Op::PGRegexNotMatch => bool_of(not(call("match", vec![l.expr, r.expr]))),
            Op::PGRegexNotIMatch => bool_of(not(call(
                "match",
                vec![l.expr, super::pattern::case_insensitive(r.expr)],
            ))),
            Op::PGLikeMatch => bool_of(call("like", vec![l.expr, r.expr])),
            Op::PGILikeMatch => bool_of(call("ilike", vec![l.expr, r.expr])),
            Op::PGNotLikeMatch => bool_of(call("notLike", vec![l.expr, r.expr])),
            Op::PGNotILikeMatch => bool_of(call("notILike", vec![l.expr, r.expr])),
            Op::PGStartsWith => bool_of(call("startsWith", vec![l.expr, r.expr])),
            Op::AtArrow => bool_of(call("hasAll", vec![l.expr, r.expr])),
            Op::ArrowAt => bool_of(call("hasAll", vec![r.expr, l.expr])),
            Op::PGOverlap => bool_of(call("hasAny", vec![l.expr, r.expr])),
            Op::Arrow => super::text::json_get(l, r, false),
            Op::LongArrow => super::text::json_get(l, r, true),
            Op::PGExp => {
                let ty = if l.ty == Ty::Numeric || r.ty == Ty::Numeric {
                    Ty::Numeric
                } else {
                    Ty::Float8
                };
                Typed::new(call("pow", vec![l.expr, r.expr]), ty)
            }
            Op::BitwiseAnd => Typed::new(
                call("bitAnd", vec![l.expr, r.expr]),
                Ty::promote(&l.ty, &r.ty),
            ),
            Op::BitwiseOr => Typed::new(
                call("bitOr", vec![l.expr, r.expr]),
                Ty::promote(&l.ty, &r.ty),
            ),
            Op::PGBitwiseXor => Typed::new(
                call("bitXor", vec![l.expr, r.expr]),
                Ty::promote(&l.ty, &r.ty),
            ),
            Op::PGBitwiseShiftLeft => Typed::new(call("bitShiftLeft", vec![l.expr, r.expr]), l.ty),
            Op::PGBitwiseShiftRight => {
                Typed::new(call("bitShiftRight", vec![l.expr, r.expr]), l.ty)
            }
            _ => return Err(unsupported(format!("the operator {op}"))),
        })
    }
}

fn is_time_arith(l: &Ty, r: &Ty) -> bool {
    l.is_temporal() || r.is_temporal() || *l == Ty::Interval || *r == Ty::Interval
}

/// `/`: integer division truncates toward zero (`intDiv`, which raises on zero as
/// PostgreSQL does); decimals keep digits; floats divide.
fn divide(l: Typed, r: Typed) -> Typed {
    let ty = Ty::promote(&l.ty, &r.ty);
    if l.ty.is_integer() && r.ty.is_integer() {
        return Typed::new(call("intDiv", vec![l.expr, r.expr]), ty);
    }
    if ty == Ty::Numeric {
        let as_decimal = |t: Typed| {
            if t.ty.is_integer() {
                call("toDecimal128", vec![t.expr, number("0")])
            } else {
                t.expr
            }
        };
        return Typed::exact(
            call(
                "divideDecimal",
                vec![as_decimal(l), as_decimal(r), number("16")],
            ),
            Ty::Numeric,
        );
    }
    Typed::new(
        binary(l.expr, Op::Divide, r.expr),
        if ty == Ty::Unknown { Ty::Float8 } else { ty },
    )
}

/// `||`: text concatenation (NULL if either side is), or array concatenation.
fn concat(l: Typed, r: Typed) -> Typed {
    match (&l.ty, &r.ty) {
        (Ty::Array(_), Ty::Array(_)) => {
            let ty = l.ty.clone();
            Typed::exact(call("arrayConcat", vec![l.expr, r.expr]), ty)
        }
        (Ty::Array(_), _) => {
            let ty = l.ty.clone();
            Typed::exact(call("arrayPushBack", vec![l.expr, r.expr]), ty)
        }
        (_, Ty::Array(_)) => {
            let ty = r.ty.clone();
            Typed::exact(call("arrayPushFront", vec![r.expr, l.expr]), ty)
        }
        _ => Typed::exact(call("concat", vec![l.expr, r.expr]), Ty::Text),
    }
}

//! Constant selects: `SELECT 1`, `SELECT 'x'`, `SELECT NULL`, `SELECT 1 AS n, true,
//! -2, 1.5, 'a'::text, CAST(1 AS int8)` with no FROM are answered locally, with the column
//! names, type OIDs and text PostgreSQL gives:
//!
//! - names: the alias; else the (outermost) cast's type name (`1::bigint` → `int8`,
//!   `true` → `bool`); else `?column?`;
//! - types: integers are int4, then int8, then numeric by size; decimals are numeric
//!   (keeping their scale); strings and NULL are `unknown`, sent as text;
//! - values: printed as PostgreSQL's output functions print them.
//!
//! Only literals, casts of literals to int2/int4/int8/numeric/float4/float8/bool/text/
//! varchar/bpchar/name, unary `-`/`+` and parentheses qualify; anything else is left to
//! the catalog or data path.

mod cast;
mod number;
#[cfg(test)]
mod tests;

use pgwire::api::Type;
use sqlparser::ast::{
    CharacterLength, DataType, ExactNumberInfo, Expr, Ident, ObjectNamePart, Query, SelectItem,
    SetExpr, UnaryOperator, Value,
};

use super::sqlstate;
use super::QueryError;
use cast::cast;
use number::{float_out, Dec};

/// PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated.
const MAX_IDENTIFIER_BYTES: usize = 63;

/// A recognised constant select, evaluated per execution (its text depends on
/// `extra_float_digits`, and a bad cast fails when the statement runs, as in PostgreSQL).
#[derive(Debug, Clone, PartialEq)]
pub struct ConstantSelect {
    columns: Vec<(String, Const)>,
}

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstantColumn {
    pub name: String,
    pub pg_type: Type,
    /// The value in text format; None for NULL.
    pub value: Option<String>,
}

/// The types a constant can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Unknown,
    Int2,
    Int4,
    Int8,
    Numeric(Option<(u32, u32)>),
    Float4,
    Float8,
    Bool,
    Text,
    Varchar(Option<usize>),
    Bpchar(Option<usize>),
    Name,
}

impl Ty {
    /// The name PostgreSQL's grammar gives the type: a cast's column name.
    fn column_name(self) -> &'static str {
        match self {
            Ty::Unknown => "?column?",
            Ty::Int2 => "int2",
            Ty::Int4 => "int4",
            Ty::Int8 => "int8",
            Ty::Numeric(_) => "numeric",
            Ty::Float4 => "float4",
            Ty::Float8 => "float8",
            Ty::Bool => "bool",
            Ty::Text => "text",
            Ty::Varchar(_) => "varchar",
            Ty::Bpchar(_) => "bpchar",
            Ty::Name => "name",
        }
    }

    /// The name in error messages (`integer`, `double precision`).
    fn sql_name(self) -> &'static str {
        match self {
            Ty::Int2 => "smallint",
            Ty::Int4 => "integer",
            Ty::Int8 => "bigint",
            Ty::Float4 => "real",
            Ty::Float8 => "double precision",
            Ty::Bool => "boolean",
            Ty::Varchar(_) => "character varying",
            Ty::Bpchar(_) => "character",
            Ty::Unknown => "unknown",
            other => other.column_name(),
        }
    }

    /// The wire type; `unknown` results go out as text, as in PostgreSQL 10+.
    fn pg_type(self) -> Type {
        match self {
            Ty::Unknown | Ty::Text => Type::TEXT,
            Ty::Int2 => Type::INT2,
            Ty::Int4 => Type::INT4,
            Ty::Int8 => Type::INT8,
            Ty::Numeric(_) => Type::NUMERIC,
            Ty::Float4 => Type::FLOAT4,
            Ty::Float8 => Type::FLOAT8,
            Ty::Bool => Type::BOOL,
            Ty::Varchar(_) => Type::VARCHAR,
            Ty::Bpchar(_) => Type::BPCHAR,
            Ty::Name => Type::NAME,
        }
    }

    fn is_numeric(self) -> bool {
        matches!(
            self,
            Ty::Int2 | Ty::Int4 | Ty::Int8 | Ty::Numeric(_) | Ty::Float4 | Ty::Float8
        )
    }

    /// The integer range of int2/int4/int8.
    fn int_range(self) -> Option<(i128, i128)> {
        match self {
            Ty::Int2 => Some((i16::MIN.into(), i16::MAX.into())),
            Ty::Int4 => Some((i32::MIN.into(), i32::MAX.into())),
            Ty::Int8 => Some((i64::MIN.into(), i64::MAX.into())),
            _ => None,
        }
    }
}

/// A constant expression.
#[derive(Debug, Clone, PartialEq)]
enum Const {
    Number(String),
    Str(String),
    Bool(bool),
    Null,
    Neg(Box<Const>),
    Plus(Box<Const>),
    Cast(Box<Const>, Ty),
}

impl Const {
    /// The static type (for Describe), without evaluating.
    fn ty(&self) -> Ty {
        match self {
            Const::Number(n) => number_type(n),
            Const::Str(_) | Const::Null => Ty::Unknown,
            Const::Bool(_) => Ty::Bool,
            Const::Neg(inner) => match inner.as_ref() {
                Const::Number(n) => number_type(&format!("-{n}")),
                other => other.ty(),
            },
            Const::Plus(inner) => inner.ty(),
            Const::Cast(_, ty) => *ty,
        }
    }

    /// PostgreSQL's FigureColname for this expression.
    fn column_name(&self) -> &'static str {
        match self {
            Const::Cast(_, ty) => ty.column_name(),
            Const::Bool(_) => "bool",
            _ => "?column?",
        }
    }
}

/// Integer literals are int4, int8 or numeric by size; others are numeric.
fn number_type(n: &str) -> Ty {
    match n.parse::<i128>() {
        Ok(v) if i32::try_from(v).is_ok() => Ty::Int4,
        Ok(v) if i64::try_from(v).is_ok() => Ty::Int8,
        _ => Ty::Numeric(None),
    }
}

impl ConstantSelect {
    /// Recognises `SELECT <constants>`: a bare projection with no FROM, WHERE, GROUP BY,
    /// ORDER BY, LIMIT, DISTINCT or WITH.
    pub fn recognize(query: &Query) -> Option<ConstantSelect> {
        if query.with.is_some()
            || query.order_by.is_some()
            || query.limit_clause.is_some()
            || query.fetch.is_some()
        {
            return None;
        }
        let SetExpr::Select(select) = query.body.as_ref() else {
            return None;
        };
        let plain = select.from.is_empty()
            && select.selection.is_none()
            && select.having.is_none()
            && select.distinct.is_none()
            && select.into.is_none()
            && select.named_window.is_empty()
            && select.qualify.is_none()
            && select.top.is_none()
            && !select.projection.is_empty()
            && matches!(&select.group_by, sqlparser::ast::GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty());
        if !plain {
            return None;
        }
        let mut columns = Vec::with_capacity(select.projection.len());
        for item in &select.projection {
            let (expr, alias) = match item {
                SelectItem::UnnamedExpr(e) => (e, None),
                SelectItem::ExprWithAlias { expr, alias } => (expr, Some(alias)),
                _ => return None,
            };
            let c = constant(expr)?;
            let name = alias.map_or_else(|| c.column_name().to_string(), fold_alias);
            columns.push((name, c));
        }
        Some(ConstantSelect { columns })
    }

    /// Column names and wire types, as RowDescription gives them.
    pub fn fields(&self) -> Vec<(String, Type)> {
        self.columns
            .iter()
            .map(|(n, c)| (n.clone(), c.ty().pg_type()))
            .collect()
    }

    /// The single row, printed with the session's `extra_float_digits`.
    pub fn evaluate(&self, extra_float_digits: i32) -> Result<Vec<ConstantColumn>, QueryError> {
        self.columns
            .iter()
            .map(|(name, c)| {
                let (ty, value) = eval(c)?;
                Ok(ConstantColumn {
                    name: name.clone(),
                    pg_type: ty.pg_type(),
                    value: value.map(|v| v.text(extra_float_digits)),
                })
            })
            .collect()
    }
}

/// Unquoted aliases fold to lower case; all are cut to 63 bytes.
fn fold_alias(alias: &Ident) -> String {
    let name = if alias.quote_style.is_some() {
        alias.value.clone()
    } else {
        alias.value.to_lowercase()
    };
    truncate_bytes(&name, MAX_IDENTIFIER_BYTES)
}

fn truncate_bytes(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// Reads a constant expression; None when it is not one.
fn constant(expr: &Expr) -> Option<Const> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(Const::Number(n.clone())),
            Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => {
                Some(Const::Str(s.clone()))
            }
            Value::DollarQuotedString(d) => Some(Const::Str(d.value.clone())),
            Value::Boolean(b) => Some(Const::Bool(*b)),
            Value::Null => Some(Const::Null),
            _ => None,
        },
        Expr::Nested(inner) => constant(inner),
        Expr::UnaryOp { op, expr } => {
            let inner = constant(expr)?;
            if !inner.ty().is_numeric() {
                return None;
            }
            match op {
                UnaryOperator::Minus => Some(Const::Neg(Box::new(inner))),
                UnaryOperator::Plus => Some(Const::Plus(Box::new(inner))),
                _ => None,
            }
        }
        Expr::Cast {
            expr,
            data_type,
            format: None,
            array: false,
            ..
        } => Some(Const::Cast(Box::new(constant(expr)?), target(data_type)?)),
        Expr::TypedString(t) => {
            let Value::SingleQuotedString(s) = &t.value.value else {
                return None;
            };
            Some(Const::Cast(
                Box::new(Const::Str(s.clone())),
                target(&t.data_type)?,
            ))
        }
        _ => None,
    }
}

fn char_length(len: &Option<CharacterLength>) -> Option<Option<usize>> {
    match len {
        None => Some(None),
        Some(CharacterLength::IntegerLength { length, .. }) => {
            Some(Some(usize::try_from(*length).ok()?))
        }
        Some(CharacterLength::Max) => None,
    }
}

/// The cast targets constants support, from sqlparser's spelling.
fn target(data_type: &DataType) -> Option<Ty> {
    Some(match data_type {
        DataType::Int2(_) | DataType::SmallInt(_) => Ty::Int2,
        DataType::Int(_) | DataType::Int4(_) | DataType::Integer(_) => Ty::Int4,
        DataType::Int8(_) | DataType::BigInt(_) => Ty::Int8,
        DataType::Float4 | DataType::Real => Ty::Float4,
        DataType::Float8 | DataType::DoublePrecision => Ty::Float8,
        DataType::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => Ty::Float4,
        DataType::Float(ExactNumberInfo::Precision(p)) if *p <= 53 => Ty::Float8,
        DataType::Float(ExactNumberInfo::None) => Ty::Float8,
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => {
            Ty::Numeric(match info {
                ExactNumberInfo::None => None,
                ExactNumberInfo::Precision(p) => Some((u32::try_from(*p).ok()?, 0)),
                ExactNumberInfo::PrecisionAndScale(p, s) => {
                    Some((u32::try_from(*p).ok()?, u32::try_from(*s).ok()?))
                }
            })
        }
        DataType::Bool | DataType::Boolean => Ty::Bool,
        DataType::Text => Ty::Text,
        DataType::Varchar(l) | DataType::CharacterVarying(l) | DataType::CharVarying(l) => {
            Ty::Varchar(char_length(l)?)
        }
        DataType::Char(l) | DataType::Character(l) => {
            Ty::Bpchar(Some(char_length(l)?.unwrap_or(1)))
        }
        DataType::Custom(name, modifiers) if modifiers.is_empty() => {
            let parts: Vec<String> = name
                .0
                .iter()
                .map(|p| match p {
                    ObjectNamePart::Identifier(i) if i.quote_style.is_none() => {
                        i.value.to_lowercase()
                    }
                    ObjectNamePart::Identifier(i) => i.value.clone(),
                    other => other.to_string(),
                })
                .collect();
            let (last, schema) = parts.split_last()?;
            if !(schema.is_empty() || schema == ["pg_catalog"]) {
                return None;
            }
            match last.as_str() {
                "int2" => Ty::Int2,
                "int4" => Ty::Int4,
                "int8" => Ty::Int8,
                "float4" => Ty::Float4,
                "float8" => Ty::Float8,
                "numeric" => Ty::Numeric(None),
                "bool" => Ty::Bool,
                "text" => Ty::Text,
                "varchar" => Ty::Varchar(None),
                "bpchar" => Ty::Bpchar(None),
                "name" => Ty::Name,
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// An evaluated value.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Int(i128),
    Numeric(Dec),
    Float(f64, bool),
    Bool(bool),
    Str(String),
}

impl Val {
    fn text(&self, extra_float_digits: i32) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Numeric(d) => d.to_string(),
            Val::Float(f, float4) => float_out(*f, *float4, extra_float_digits),
            Val::Bool(b) => if *b { "t" } else { "f" }.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
}

fn error(code: &'static str, message: String) -> QueryError {
    QueryError::Coded {
        code,
        message,
        hint: None,
    }
}

fn out_of_range(ty: Ty) -> QueryError {
    error(
        sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
        format!("{} out of range", ty.sql_name()),
    )
}

fn bad_input(ty: Ty, text: &str) -> QueryError {
    error(
        sqlstate::INVALID_TEXT_REPRESENTATION,
        format!(
            "invalid input syntax for type {}: \"{text}\"",
            ty.sql_name()
        ),
    )
}

/// Evaluates a constant: its type and value (None for NULL).
fn eval(c: &Const) -> Result<(Ty, Option<Val>), QueryError> {
    match c {
        Const::Number(n) => number_literal(n),
        Const::Str(s) => Ok((Ty::Unknown, Some(Val::Str(s.clone())))),
        Const::Bool(b) => Ok((Ty::Bool, Some(Val::Bool(*b)))),
        Const::Null => Ok((Ty::Unknown, None)),
        Const::Neg(inner) => {
            if let Const::Number(n) = inner.as_ref() {
                return number_literal(&format!("-{n}"));
            }
            let (ty, v) = eval(inner)?;
            let v = match v {
                Some(Val::Int(i)) => Some(Val::Int(check_int(ty, -i)?)),
                Some(Val::Numeric(d)) => Some(Val::Numeric(d.negate())),
                Some(Val::Float(f, f4)) => Some(Val::Float(-f, f4)),
                other => other,
            };
            Ok((ty, v))
        }
        Const::Plus(inner) => eval(inner),
        Const::Cast(inner, ty) => {
            let (from, v) = eval(inner)?;
            Ok((*ty, v.map(|v| cast(v, from, *ty)).transpose()?))
        }
    }
}

fn number_literal(n: &str) -> Result<(Ty, Option<Val>), QueryError> {
    let ty = number_type(n);
    let v = match (ty, n.parse::<i128>()) {
        (Ty::Int4 | Ty::Int8, Ok(i)) => Val::Int(i),
        _ => Val::Numeric(Dec::parse(n).ok_or_else(|| bad_input(Ty::Numeric(None), n))?),
    };
    Ok((ty, Some(v)))
}

fn check_int(ty: Ty, v: i128) -> Result<i128, QueryError> {
    match ty.int_range() {
        Some((lo, hi)) if v < lo || v > hi => Err(out_of_range(ty)),
        _ => Ok(v),
    }
}

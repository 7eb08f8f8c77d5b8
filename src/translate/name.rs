//! The name PostgreSQL gives a result column that has no alias (its `FigureColname`): a
//! column's own name, a function's name, `case`, the type of a cast literal, `?column?`
//! for anything else.

use sqlparser::ast::{DataType, Expr, Value};

use super::render::normalize;

/// PostgreSQL's name for the unaliased result column `e`.
pub fn figure(e: &Expr) -> String {
    figure_inner(e).unwrap_or_else(|| "?column?".to_string())
}

fn figure_inner(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(normalize(i)),
        Expr::CompoundIdentifier(parts) => parts.last().map(normalize),
        Expr::Function(f) => {
            let name = f.name.0.last()?.as_ident()?;
            Some(normalize(name))
        }
        Expr::Cast {
            expr, data_type, ..
        } => figure_inner(expr).or_else(|| type_name(data_type)),
        Expr::TypedString(t) => type_name(&t.data_type),
        Expr::Nested(inner) => figure_inner(inner),
        Expr::Case { .. } => Some("case".into()),
        Expr::Exists { .. } => Some("exists".into()),
        Expr::Array(_) => Some("array".into()),
        Expr::Subquery(q) => match q.body.as_ref() {
            sqlparser::ast::SetExpr::Select(s) => match s.projection.first()? {
                sqlparser::ast::SelectItem::UnnamedExpr(e) => figure_inner(e),
                sqlparser::ast::SelectItem::ExprWithAlias { alias, .. } => Some(normalize(alias)),
                _ => None,
            },
            _ => None,
        },
        Expr::Extract { .. } => Some("extract".into()),
        Expr::Position { .. } => Some("position".into()),
        Expr::Substring { .. } => Some("substring".into()),
        Expr::Trim { .. } => Some(trim_name(e)),
        Expr::Ceil { .. } => Some("ceil".into()),
        Expr::Floor { .. } => Some("floor".into()),
        Expr::Interval(_) => Some("interval".into()),
        Expr::AtTimeZone { .. } => Some("timezone".into()),
        Expr::Value(v) => match v.value {
            Value::Boolean(_) => Some("bool".into()),
            _ => None,
        },
        Expr::CompoundFieldAccess { root, .. } => figure_inner(root),
        _ => None,
    }
}

/// `trim(leading …)` is `ltrim`, `trailing` is `rtrim`, otherwise `btrim`.
fn trim_name(e: &Expr) -> String {
    match e {
        Expr::Trim {
            trim_where: Some(sqlparser::ast::TrimWhereField::Leading),
            ..
        } => "ltrim".into(),
        Expr::Trim {
            trim_where: Some(sqlparser::ast::TrimWhereField::Trailing),
            ..
        } => "rtrim".into(),
        _ => "btrim".into(),
    }
}

/// The name a cast literal's column takes: the type's internal name.
fn type_name(t: &DataType) -> Option<String> {
    let name = match t {
        DataType::SmallInt(_) | DataType::Int2(_) => "int2",
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => "int4",
        DataType::BigInt(_) | DataType::Int8(_) => "int8",
        DataType::Real | DataType::Float4 => "float4",
        DataType::DoublePrecision | DataType::Float8 => "float8",
        DataType::Numeric(_) | DataType::Decimal(_) => "numeric",
        DataType::Text => "text",
        DataType::Varchar(_) | DataType::CharacterVarying(_) => "varchar",
        DataType::Char(_) | DataType::Character(_) => "bpchar",
        DataType::Boolean | DataType::Bool => "bool",
        DataType::Date => "date",
        DataType::Timestamp(_, tz) => match tz {
            sqlparser::ast::TimezoneInfo::WithTimeZone | sqlparser::ast::TimezoneInfo::Tz => {
                "timestamptz"
            }
            _ => "timestamp",
        },
        DataType::Interval { .. } => "interval",
        DataType::Uuid => "uuid",
        DataType::JSON => "json",
        DataType::JSONB => "jsonb",
        _ => return None,
    };
    Some(name.into())
}

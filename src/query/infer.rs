//! Parameter types for ParameterDescription: a `$n` compared with a column (`=`, `<>`, `<`,
//! `>`, `<=`, `>=`, `IN (...)`, `BETWEEN`) takes that column's type; a `$n` in LIMIT or
//! OFFSET is int8; anything else is text, which every driver can send.

use std::collections::HashMap;
use std::ops::ControlFlow;

use pgwire::api::Type;
use sqlparser::ast::{BinaryOperator, Expr, ObjectName, Statement, Value, Visit, Visitor};

use crate::pg_server::types::pg_type;
use crate::project::Project;

/// One type per `$n` (1-based, in order), inferred from the statement's comparisons.
pub fn infer_params(statement: &Statement, project: &Project) -> Vec<Type> {
    infer_known(statement, project)
        .into_iter()
        .map(|t| t.unwrap_or(Type::TEXT))
        .collect()
}

/// A literal of `ty` that stands for a parameter while describing: any value of the right
/// type keeps ClickHouse's type checks (and `LIMIT`) satisfied; NULL when the type is unknown.
pub fn stand_in(ty: Option<&Type>) -> String {
    match ty {
        Some(t)
            if [
                Type::INT2,
                Type::INT4,
                Type::INT8,
                Type::NUMERIC,
                Type::FLOAT4,
                Type::FLOAT8,
            ]
            .contains(t) =>
        {
            "0".into()
        }
        Some(t) if *t == Type::TEXT => "''".into(),
        Some(t) if *t == Type::BOOL => "false".into(),
        Some(t) if *t == Type::DATE => "toDate(0)".into(),
        Some(t) if *t == Type::TIMESTAMP || *t == Type::TIMESTAMPTZ => "toDateTime64(0, 6)".into(),
        _ => "NULL".into(),
    }
}

/// Like [`infer_params`], with None where nothing was inferred.
pub fn infer_known(statement: &Statement, project: &Project) -> Vec<Option<Type>> {
    // The columns of every datasource the statement names, by lower-case column name.
    let mut columns: HashMap<String, Type> = HashMap::new();
    let _ = statement.visit(&mut Relations(|name: &ObjectName| {
        let last = name
            .0
            .last()
            .map(|p| p.to_string().trim_matches('"').to_lowercase());
        if let Some(ds) = last.and_then(|n| project.datasource(&n)) {
            for c in &ds.columns {
                columns
                    .entry(c.name.to_lowercase())
                    .or_insert_with(|| pg_type(&c.ty));
            }
        }
    }));
    let mut found: HashMap<usize, Type> = HashMap::new();
    let mut highest = 0;
    let _ = statement.visit(&mut Exprs(|expr: &Expr| {
        let mut note = |p: &Expr, other: Option<&Expr>| {
            if let Some(n) = placeholder(p) {
                highest = highest.max(n);
                if let Some(ty) = other.and_then(|o| column_type(o, &columns)) {
                    found.entry(n).or_insert(ty);
                }
            }
        };
        match expr {
            Expr::BinaryOp { left, op, right } if is_comparison(op) => {
                note(left, Some(right));
                note(right, Some(left));
            }
            Expr::InList { expr, list, .. } => {
                for item in list {
                    note(item, Some(expr));
                }
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                note(low, Some(expr));
                note(high, Some(expr));
            }
            other => note(other, None),
        }
    }));
    if let Statement::Query(q) = statement {
        if let Some(sqlparser::ast::LimitClause::LimitOffset { limit, offset, .. }) =
            &q.limit_clause
        {
            for e in limit.iter().chain(offset.iter().map(|o| &o.value)) {
                if let Some(n) = placeholder(e) {
                    highest = highest.max(n);
                    found.insert(n, Type::INT8);
                }
            }
        }
    }
    (1..=highest).map(|n| found.remove(&n)).collect()
}

fn placeholder(e: &Expr) -> Option<usize> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Placeholder(p) => p.strip_prefix('$')?.parse().ok().filter(|n| *n > 0),
            _ => None,
        },
        Expr::Nested(inner) => placeholder(inner),
        _ => None,
    }
}

fn column_type(e: &Expr, columns: &HashMap<String, Type>) -> Option<Type> {
    let name = match e {
        Expr::Identifier(i) => i.value.to_lowercase(),
        Expr::CompoundIdentifier(parts) => parts.last()?.value.to_lowercase(),
        Expr::Nested(inner) => return column_type(inner, columns),
        _ => return None,
    };
    columns.get(&name).cloned()
}

fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq
    )
}

struct Relations<F>(F);
impl<F: FnMut(&ObjectName)> Visitor for Relations<F> {
    type Break = ();
    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        (self.0)(relation);
        ControlFlow::Continue(())
    }
}

struct Exprs<F>(F);
impl<F: FnMut(&Expr)> Visitor for Exprs<F> {
    type Break = ();
    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        (self.0)(expr);
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;
    use std::path::{Path, PathBuf};

    fn infer(sql: &str) -> Vec<Type> {
        let sources = vec![(
            PathBuf::from("p/events.datasource"),
            "SCHEMA >\n    `n` UInt32,\n    `s` String,\n    `ts` DateTime64(3),\n    `d` Date\n"
                .to_string(),
        )];
        let project = Project::from_sources(Path::new("p"), &sources).expect("loads");
        let stmt = Parser::parse_sql(&PostgreSqlDialect {}, sql)
            .expect("parses")
            .remove(0);
        infer_params(&stmt, &project)
    }

    #[test]
    fn placeholders_take_the_type_of_what_they_are_compared_with() {
        assert_eq!(
            infer("SELECT * FROM events WHERE n > $1 AND s = $2 AND ts BETWEEN $3 AND $4"),
            vec![Type::INT8, Type::TEXT, Type::TIMESTAMP, Type::TIMESTAMP]
        );
        assert_eq!(
            infer("SELECT * FROM events e WHERE $1 = e.d"),
            vec![Type::DATE]
        );
        assert_eq!(
            infer("SELECT * FROM events WHERE n IN ($1, $2)"),
            vec![Type::INT8, Type::INT8]
        );
        assert_eq!(
            infer("SELECT * FROM events LIMIT $2 OFFSET $1"),
            vec![Type::INT8, Type::INT8]
        );
        assert_eq!(
            infer("SELECT $1, $3"),
            vec![Type::TEXT, Type::TEXT, Type::TEXT]
        );
        assert!(infer("SELECT 1").is_empty());
    }
}

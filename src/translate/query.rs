//! Query shapes: WITH, set operations, ORDER BY, LIMIT/OFFSET/FETCH. The SELECT itself is
//! in `select.rs`.
//!
//! - `UNION`/`INTERSECT`/`EXCEPT` are DISTINCT by default in PostgreSQL; ClickHouse's
//!   default depends on settings, so the quantifier is always written out.
//! - `FETCH FIRST n ROWS ONLY` is `LIMIT n`.
//! - `ORDER BY` after a set operation names the result's columns.

use sqlparser::ast::{
    Cte, Expr, Fetch, LimitClause, Offset, OffsetRows, OrderBy, OrderByExpr, OrderByKind,
    OrderByOptions, Query, SetExpr, SetOperator, SetQuantifier, TableAlias, With,
};

use super::relation::{Column, Rel};
use super::render::normalize;
use super::{unsupported, Env, Ty};
use crate::query::QueryError;

/// Rewrites one statement; holds what is in scope while it walks.
pub struct Translator<'a> {
    pub env: &'a Env<'a>,
    /// FROM scopes, innermost last: the relations a column name may come from.
    pub scopes: Vec<Vec<Rel>>,
    /// CTEs in scope, innermost last.
    pub ctes: Vec<(String, Option<Vec<Column>>)>,
    /// Whether some GROUP BY has ROLLUP/CUBE/GROUPING SETS (they need NULLs, not defaults).
    pub grouping_sets: bool,
    /// The pipe parameters each enclosing SELECT's WHERE binds, and the bindings its pipes
    /// consumed as parameter-only columns, innermost last.
    pub pipe_bindings: Vec<(Vec<super::pipe::Binding>, Vec<super::pipe::Consumed>)>,
}

/// A query's result columns, when known.
pub type Shape = Option<Vec<Column>>;

impl<'a> Translator<'a> {
    pub fn new(env: &'a Env<'a>) -> Translator<'a> {
        Translator {
            env,
            scopes: vec![],
            ctes: vec![],
            grouping_sets: false,
            pipe_bindings: vec![],
        }
    }

    /// The settings this statement needs beyond every data query's defaults.
    pub fn settings(&self) -> Vec<(&'static str, &'static str)> {
        if self.grouping_sets {
            vec![("group_by_use_nulls", "1")]
        } else {
            vec![]
        }
    }

    /// A whole query (top level, subquery or CTE body).
    pub fn query(&mut self, q: &Query) -> Result<(Query, Shape), QueryError> {
        if !q.locks.is_empty() {
            return Err(QueryError::ReadOnly {
                statement: "SELECT FOR UPDATE".into(),
            });
        }
        if q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return Err(unsupported("this query clause"));
        }
        let ctes_before = self.ctes.len();
        let result = self.query_body(q);
        self.ctes.truncate(ctes_before);
        result
    }

    fn query_body(&mut self, q: &Query) -> Result<(Query, Shape), QueryError> {
        let with = match &q.with {
            Some(w) => Some(self.with(w)?),
            None => None,
        };
        let (limit_clause, limit_by_pending) = self.limit(q)?;
        let order = match &q.order_by {
            Some(OrderBy {
                kind: OrderByKind::Expressions(items),
                interpolate: None,
            }) => Some(items.as_slice()),
            Some(_) => return Err(unsupported("this ORDER BY form")),
            None => None,
        };
        let (body, shape, order_by, distinct_on) = match q.body.as_ref() {
            SetExpr::Select(select) => {
                let out = self.select(select, order)?;
                (
                    SetExpr::Select(Box::new(out.select)),
                    out.shape,
                    out.order_by,
                    out.distinct_on,
                )
            }
            body => {
                let (body, shape) = self.set_expr(body)?;
                let order_by = match order {
                    Some(items) => Some(self.order_by_output(items, &shape)?),
                    None => None,
                };
                (body, shape, order_by, vec![])
            }
        };
        let limit_clause = attach_distinct_on(limit_clause, distinct_on, limit_by_pending);
        let out = Query {
            with,
            body: Box::new(body),
            order_by: order_by.map(|items| OrderBy {
                kind: OrderByKind::Expressions(items),
                interpolate: None,
            }),
            limit_clause,
            fetch: None,
            locks: vec![],
            for_clause: None,
            settings: None,
            format_clause: None,
            pipe_operators: vec![],
        };
        Ok((out, shape))
    }

    fn with(&mut self, w: &With) -> Result<With, QueryError> {
        if w.recursive {
            return Err(unsupported("WITH RECURSIVE"));
        }
        let mut tables = Vec::with_capacity(w.cte_tables.len());
        for cte in &w.cte_tables {
            if cte.from.is_some() {
                return Err(unsupported("this CTE form"));
            }
            let (mut query, mut shape) = self.query(&cte.query)?;
            let name = normalize(&cte.alias.name);
            if !cte.alias.columns.is_empty() {
                let names: Vec<String> = cte
                    .alias
                    .columns
                    .iter()
                    .map(|c| normalize(&c.name))
                    .collect();
                (query, shape) = super::select::rename_outputs(query, shape, &names)?;
            }
            self.ctes.push((name.clone(), shape));
            tables.push(Cte {
                alias: TableAlias {
                    explicit: false,
                    name: super::render::ident(&name),
                    columns: vec![],
                    at: None,
                },
                query: Box::new(query),
                from: None,
                materialized: None,
                closing_paren_token: cte.closing_paren_token.clone(),
            });
        }
        Ok(With {
            with_token: w.with_token.clone(),
            recursive: false,
            cte_tables: tables,
        })
    }

    fn set_expr(&mut self, body: &SetExpr) -> Result<(SetExpr, Shape), QueryError> {
        match body {
            SetExpr::Select(select) => {
                let out = self.select(select, None)?;
                if !out.distinct_on.is_empty() {
                    // DISTINCT ON needs its own LIMIT BY: keep it in a subquery.
                    let query = Query {
                        with: None,
                        body: Box::new(SetExpr::Select(Box::new(out.select))),
                        order_by: None,
                        limit_clause: attach_distinct_on(None, out.distinct_on, None),
                        fetch: None,
                        locks: vec![],
                        for_clause: None,
                        settings: None,
                        format_clause: None,
                        pipe_operators: vec![],
                    };
                    return Ok((SetExpr::Query(Box::new(query)), out.shape));
                }
                Ok((SetExpr::Select(Box::new(out.select)), out.shape))
            }
            SetExpr::Query(q) => {
                let (q, shape) = self.query(q)?;
                Ok((SetExpr::Query(Box::new(q)), shape))
            }
            SetExpr::SetOperation {
                left,
                op,
                set_quantifier,
                right,
            } => {
                let (l, left_shape) = self.set_expr(left)?;
                let (r, right_shape) = self.set_expr(right)?;
                let op = match op {
                    SetOperator::Union => SetOperator::Union,
                    SetOperator::Except | SetOperator::Minus => SetOperator::Except,
                    SetOperator::Intersect => SetOperator::Intersect,
                };
                let set_quantifier = match set_quantifier {
                    SetQuantifier::All => SetQuantifier::All,
                    SetQuantifier::Distinct | SetQuantifier::None => SetQuantifier::Distinct,
                    _ => return Err(unsupported("UNION BY NAME")),
                };
                let shape = union_shape(left_shape, right_shape);
                Ok((
                    SetExpr::SetOperation {
                        left: Box::new(l),
                        op,
                        set_quantifier,
                        right: Box::new(r),
                    },
                    shape,
                ))
            }
            SetExpr::Values(_) => Err(unsupported("VALUES lists")),
            _ => Err(unsupported("this statement in a query")),
        }
    }

    /// ORDER BY over a set operation's result: names and ordinals of its columns.
    fn order_by_output(
        &mut self,
        items: &[OrderByExpr],
        shape: &Shape,
    ) -> Result<Vec<OrderByExpr>, QueryError> {
        self.scopes.push(vec![Rel {
            name: String::new(),
            columns: shape.clone(),
        }]);
        let result = items
            .iter()
            .map(|item| {
                let e = self.expr(&item.expr)?;
                Ok(order_item(e.expr, &item.options))
            })
            .collect();
        self.scopes.pop();
        result
    }

    /// LIMIT/OFFSET and FETCH FIRST, as `LIMIT n OFFSET m`.
    fn limit(&mut self, q: &Query) -> Result<(Option<LimitClause>, Option<Pending>), QueryError> {
        let (mut limit, mut offset) = (None, None);
        match &q.limit_clause {
            Some(LimitClause::LimitOffset {
                limit: l,
                offset: o,
                limit_by,
            }) if limit_by.is_empty() => {
                limit = l.clone();
                offset = o.as_ref().map(|o| o.value.clone());
            }
            Some(_) => return Err(unsupported("this LIMIT form")),
            None => {}
        }
        if let Some(Fetch {
            with_ties,
            percent,
            quantity,
        }) = &q.fetch
        {
            if *with_ties || *percent {
                return Err(unsupported("FETCH FIRST ... WITH TIES or PERCENT"));
            }
            limit = Some(
                quantity
                    .clone()
                    .unwrap_or_else(|| super::render::number("1")),
            );
        }
        let limit = match limit {
            Some(e) => Some(self.count_expr(&e, "LIMIT")?),
            None => None,
        };
        let offset = match offset {
            Some(e) => Some(self.count_expr(&e, "OFFSET")?),
            None => None,
        };
        if limit.is_none() && offset.is_none() {
            return Ok((None, None));
        }
        Ok((
            Some(LimitClause::LimitOffset {
                limit: limit.clone(),
                offset: offset.clone().map(|value| Offset {
                    value,
                    rows: OffsetRows::None,
                }),
                limit_by: vec![],
            }),
            Some(Pending { limit, offset }),
        ))
    }

    /// A LIMIT or OFFSET count: an integer constant or parameter (NULL is no limit).
    fn count_expr(&mut self, e: &Expr, what: &str) -> Result<Expr, QueryError> {
        let t = self.expr(e)?;
        if !(t.ty.is_integer() || t.ty == Ty::Unknown || t.ty == Ty::Numeric) {
            return Err(QueryError::Coded {
                code: "42804",
                message: format!(
                    "argument of {what} must be type bigint, not type {}",
                    t.ty.pg_name()
                ),
                hint: None,
            });
        }
        Ok(t.expr)
    }
}

/// The LIMIT and OFFSET of a query whose DISTINCT ON also needs `LIMIT 1 BY`.
pub struct Pending {
    limit: Option<Expr>,
    offset: Option<Expr>,
}

/// ClickHouse writes DISTINCT ON as `LIMIT 1 BY keys`, after ORDER BY and before the
/// query's own LIMIT: `LIMIT 1 BY a, b LIMIT 10 OFFSET 5`. sqlparser prints one LIMIT
/// clause, so the second rides in verbatim after the keys (it is our own rendering of
/// already translated expressions).
fn attach_distinct_on(
    clause: Option<LimitClause>,
    keys: Vec<Expr>,
    pending: Option<Pending>,
) -> Option<LimitClause> {
    if keys.is_empty() {
        return clause;
    }
    let mut keys_text = keys
        .iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(p) = pending {
        if let Some(l) = p.limit {
            keys_text.push_str(&format!(" LIMIT {l}"));
        }
        if let Some(o) = p.offset {
            keys_text.push_str(&format!(" OFFSET {o}"));
        }
    }
    Some(LimitClause::LimitOffset {
        limit: Some(super::render::number("1")),
        offset: None,
        limit_by: vec![Expr::Identifier(sqlparser::ast::Ident::new(keys_text))],
    })
}

/// One ORDER BY item with PostgreSQL's NULL placement: NULLS LAST ascending, NULLS FIRST
/// descending (ClickHouse puts NULLs last either way unless told).
pub fn order_item(expr: Expr, options: &OrderByOptions) -> OrderByExpr {
    let descending = options.asc == Some(false);
    OrderByExpr {
        expr,
        options: OrderByOptions {
            asc: options.asc.filter(|a| !a),
            nulls_first: match options.nulls_first {
                Some(first) => Some(first),
                None if descending => Some(true),
                None => None,
            },
        },
        with_fill: None,
    }
}

/// A set operation's columns are named by its left arm.
fn union_shape(left: Shape, right: Shape) -> Shape {
    let (left, right) = (left?, right?);
    Some(
        left.into_iter()
            .zip(right)
            .map(|(l, r)| Column {
                name: l.name,
                ty: if l.ty == Ty::Unknown { r.ty } else { l.ty },
            })
            .collect(),
    )
}

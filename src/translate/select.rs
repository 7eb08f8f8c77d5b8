//! One SELECT: FROM and joins, the select list with PostgreSQL's column names, WHERE,
//! GROUP BY, HAVING, WINDOW, ORDER BY and DISTINCT [ON].
//!
//! - Every result column gets PostgreSQL's name (`count`, `?column?`, the alias folded to
//!   lower case); ClickHouse aliases are made unique, since PostgreSQL allows duplicates.
//! - `ORDER BY name` means the output column first, as in PostgreSQL: it becomes an ordinal.
//! - `DISTINCT ON (keys)` is ClickHouse's `LIMIT 1 BY keys`, applied after ORDER BY.
//! - Joins are ClickHouse's; `join_use_nulls` gives outer joins PostgreSQL's NULLs.

use std::collections::HashMap;

use sqlparser::ast::{
    Distinct, Expr, GroupByExpr, NamedWindowDefinition, NamedWindowExpr, ObjectName, OrderByExpr,
    Query, Select, SelectFlavor, SelectItem, SelectItemQualifiedWildcardKind, SetExpr,
    WildcardAdditionalOptions,
};

use super::query::{order_item, Shape, Translator};
use super::relation::Column;
use super::render::{ident, normalize};
use super::{name, unsupported};
use crate::query::QueryError;

/// A translated SELECT, with what its enclosing query needs.
pub struct SelectOut {
    pub select: Select,
    pub shape: Shape,
    pub order_by: Option<Vec<OrderByExpr>>,
    pub distinct_on: Vec<Expr>,
}

impl Translator<'_> {
    pub fn select(
        &mut self,
        s: &Select,
        order: Option<&[OrderByExpr]>,
    ) -> Result<SelectOut, QueryError> {
        check_plain(s)?;
        self.scopes.push(vec![]);
        let result = self.select_in_scope(s, order);
        self.scopes.pop();
        result
    }

    fn select_in_scope(
        &mut self,
        s: &Select,
        order: Option<&[OrderByExpr]>,
    ) -> Result<SelectOut, QueryError> {
        let mut from = Vec::with_capacity(s.from.len());
        let bindings = super::pipe::where_bindings(s.selection.as_ref(), self.env.params);
        self.pipe_bindings.push((bindings, vec![]));
        let translated: Result<(), QueryError> = s.from.iter().try_for_each(|twj| {
            from.push(self.table_with_joins(twj)?);
            Ok(())
        });
        let consumed = self.pipe_bindings.pop().map(|(_, c)| c).unwrap_or_default();
        translated?;
        let own_selection;
        let where_clause = match (&s.selection, consumed.is_empty()) {
            (Some(e), false) => {
                own_selection = super::pipe::without_consumed(e, &consumed, self.env.params);
                own_selection.as_ref()
            }
            (selection, _) => selection.as_ref(),
        };
        let (projection, shape) = self.projection(&s.projection)?;
        let selection = match where_clause {
            Some(e) => Some(self.expr(e)?.expr),
            None => None,
        };
        let group_by = match &s.group_by {
            GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => {
                let mut out = Vec::with_capacity(exprs.len());
                for e in exprs {
                    out.push(self.group_item(e, &s.projection)?);
                }
                GroupByExpr::Expressions(out, vec![])
            }
            _ => return Err(unsupported("this GROUP BY form")),
        };
        let having = match &s.having {
            Some(e) => Some(self.expr(e)?.expr),
            None => None,
        };
        let mut named_window = Vec::with_capacity(s.named_window.len());
        for NamedWindowDefinition(name, def) in &s.named_window {
            let def = match def {
                NamedWindowExpr::WindowSpec(spec) => {
                    NamedWindowExpr::WindowSpec(self.window_spec(spec)?)
                }
                NamedWindowExpr::NamedWindow(n) => {
                    NamedWindowExpr::NamedWindow(ident(&normalize(n)))
                }
            };
            named_window.push(NamedWindowDefinition(ident(&normalize(name)), def));
        }
        let order_by = match order {
            Some(items) => Some(self.order_by(items, &s.projection, &shape)?),
            None => None,
        };
        let (distinct, distinct_on) = match &s.distinct {
            None | Some(Distinct::All) => (None, vec![]),
            Some(Distinct::Distinct) => (Some(Distinct::Distinct), vec![]),
            Some(Distinct::On(keys)) => {
                let mut out = Vec::with_capacity(keys.len());
                for k in keys {
                    out.push(self.expr(k)?.expr);
                }
                (None, out)
            }
        };
        let select = Select {
            select_token: s.select_token.clone(),
            optimizer_hints: vec![],
            distinct,
            select_modifiers: None,
            top: None,
            top_before_distinct: false,
            projection,
            exclude: None,
            into: None,
            from,
            lateral_views: vec![],
            prewhere: None,
            selection,
            connect_by: vec![],
            group_by,
            cluster_by: vec![],
            distribute_by: vec![],
            sort_by: vec![],
            having,
            named_window,
            qualify: None,
            window_before_qualify: false,
            value_table_mode: None,
            flavor: SelectFlavor::Standard,
        };
        Ok(SelectOut {
            select,
            shape,
            order_by,
            distinct_on,
        })
    }

    /// The select list: each item translated and named as PostgreSQL names it.
    fn projection(&mut self, items: &[SelectItem]) -> Result<(Vec<SelectItem>, Shape), QueryError> {
        let mut out = Vec::with_capacity(items.len());
        let mut shape: Vec<Column> = Vec::with_capacity(items.len());
        let mut known = true;
        let mut used: HashMap<String, usize> = HashMap::new();
        for item in items {
            let (expr, pg_name) = match item {
                SelectItem::UnnamedExpr(e) => (e, name::figure(e)),
                SelectItem::ExprWithAlias { expr, alias } => (expr, normalize(alias)),
                SelectItem::Wildcard(opts) => {
                    check_wildcard(opts)?;
                    match self.star(None) {
                        Some(cols) => {
                            for c in cols {
                                out.push(aliased(c.expr, &c.column.name, &mut used));
                                shape.push(c.column);
                            }
                        }
                        None => {
                            known = false;
                            out.push(SelectItem::Wildcard(WildcardAdditionalOptions::default()));
                        }
                    }
                    continue;
                }
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(n),
                    opts,
                ) => {
                    check_wildcard(opts)?;
                    let qualifier = match n.0.as_slice() {
                        [sqlparser::ast::ObjectNamePart::Identifier(i)] => normalize(i),
                        _ => return Err(unsupported(format!("{n}.*"))),
                    };
                    match self.star(Some(&qualifier)) {
                        Some(cols) => {
                            for c in cols {
                                out.push(aliased(c.expr, &c.column.name, &mut used));
                                shape.push(c.column);
                            }
                        }
                        None => {
                            known = false;
                            out.push(SelectItem::QualifiedWildcard(
                                SelectItemQualifiedWildcardKind::ObjectName(ObjectName::from(
                                    vec![ident(&qualifier)],
                                )),
                                WildcardAdditionalOptions::default(),
                            ));
                        }
                    }
                    continue;
                }
                _ => return Err(unsupported("this select-list item")),
            };
            let t = self.expr(expr)?;
            shape.push(Column {
                name: pg_name.clone(),
                ty: t.ty.clone(),
            });
            let value = t.output();
            out.push(aliased(value, &pg_name, &mut used));
        }
        Ok((out, known.then_some(shape)))
    }

    /// The columns `*` (or `q.*`) stands for, each as a qualified reference; `None` when a
    /// relation's shape is unknown.
    fn star(&self, qualifier: Option<&str>) -> Option<Vec<StarColumn>> {
        let scope = self.scopes.last()?;
        let mut out = vec![];
        let mut any = false;
        for rel in scope {
            if qualifier.is_some_and(|q| q != rel.name) {
                continue;
            }
            any = true;
            for c in rel.columns.as_ref()? {
                let expr = if rel.name.is_empty() {
                    Expr::Identifier(ident(&c.name))
                } else {
                    Expr::CompoundIdentifier(vec![ident(&rel.name), ident(&c.name)])
                };
                out.push(StarColumn {
                    expr,
                    column: c.clone(),
                });
            }
        }
        any.then_some(out)
    }

    /// One GROUP BY item: ordinals stay ordinals; ROLLUP/CUBE/GROUPING SETS need NULLs.
    fn group_item(&mut self, e: &Expr, projection: &[SelectItem]) -> Result<Expr, QueryError> {
        // `GROUP BY alias`: an input column of that name wins, else the output column.
        if let Expr::Identifier(i) = e {
            if self.column(None, i).is_err() {
                let n = normalize(i);
                let pos = projection.iter().position(|item| match item {
                    SelectItem::ExprWithAlias { alias, .. } => normalize(alias) == n,
                    _ => false,
                });
                if let Some(pos) = pos {
                    return Ok(super::render::number(&(pos + 1).to_string()));
                }
            }
        }
        let sets = |tx: &mut Self, sets: &Vec<Vec<Expr>>| -> Result<Vec<Vec<Expr>>, QueryError> {
            tx.grouping_sets = true;
            sets.iter()
                .map(|set| set.iter().map(|x| Ok(tx.expr(x)?.expr)).collect())
                .collect()
        };
        Ok(match e {
            Expr::Rollup(s) => Expr::Rollup(sets(self, s)?),
            Expr::Cube(s) => Expr::Cube(sets(self, s)?),
            Expr::GroupingSets(s) => Expr::GroupingSets(sets(self, s)?),
            _ => self.expr(e)?.expr,
        })
    }

    /// ORDER BY of a SELECT: an output column's name or an ordinal means that column; any
    /// other expression is over the input.
    fn order_by(
        &mut self,
        items: &[OrderByExpr],
        projection: &[SelectItem],
        shape: &Shape,
    ) -> Result<Vec<OrderByExpr>, QueryError> {
        let output_names: Vec<Option<String>> = projection
            .iter()
            .map(|item| match item {
                SelectItem::ExprWithAlias { alias, .. } => Some(normalize(alias)),
                SelectItem::UnnamedExpr(e) => Some(name::figure(e)),
                _ => None,
            })
            .collect();
        let has_star = output_names.iter().any(|n| n.is_none());
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if item.with_fill.is_some() {
                return Err(unsupported("WITH FILL"));
            }
            let by_name = match &item.expr {
                Expr::Identifier(i) if !has_star => {
                    let n = normalize(i);
                    let mut hits = output_names
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.as_deref() == Some(n.as_str()));
                    match (hits.next(), hits.next()) {
                        (Some((pos, _)), None) => Some(pos + 1),
                        (Some(_), Some(_)) => {
                            return Err(QueryError::Coded {
                                code: "42702",
                                message: format!("ORDER BY \"{n}\" is ambiguous"),
                                hint: None,
                            })
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            let expr = match by_name {
                Some(pos) => super::render::number(&pos.to_string()),
                None => self.expr(&item.expr)?.expr,
            };
            let _ = shape;
            out.push(order_item(expr, &item.options));
        }
        Ok(out)
    }
}

struct StarColumn {
    expr: Expr,
    column: Column,
}

/// `expr AS name`, with the ClickHouse alias made unique; a bare column already named
/// `name` needs none.
fn aliased(expr: Expr, pg_name: &str, used: &mut HashMap<String, usize>) -> SelectItem {
    let count = used.entry(pg_name.to_string()).or_insert(0);
    *count += 1;
    let alias = if *count == 1 {
        pg_name.to_string()
    } else {
        format!("{pg_name}_{count}")
    };
    match &expr {
        Expr::Identifier(i) if i.value == alias => SelectItem::UnnamedExpr(expr),
        _ => SelectItem::ExprWithAlias {
            expr,
            alias: ident(&alias),
        },
    }
}

fn check_wildcard(opts: &WildcardAdditionalOptions) -> Result<(), QueryError> {
    if opts.opt_ilike.is_some()
        || opts.opt_exclude.is_some()
        || opts.opt_except.is_some()
        || opts.opt_replace.is_some()
        || opts.opt_rename.is_some()
    {
        return Err(unsupported("this wildcard form"));
    }
    Ok(())
}

/// The clauses PostgreSQL has but a data query may not use, or that are not PostgreSQL's.
fn check_plain(s: &Select) -> Result<(), QueryError> {
    if s.into.is_some() {
        return Err(QueryError::ReadOnly {
            statement: "SELECT INTO".into(),
        });
    }
    if s.top.is_some()
        || s.select_modifiers.is_some()
        || s.exclude.is_some()
        || !s.lateral_views.is_empty()
        || s.prewhere.is_some()
        || !s.connect_by.is_empty()
        || !s.cluster_by.is_empty()
        || !s.distribute_by.is_empty()
        || !s.sort_by.is_empty()
        || s.qualify.is_some()
        || s.value_table_mode.is_some()
        || !s.optimizer_hints.is_empty()
    {
        return Err(unsupported("this SELECT clause"));
    }
    Ok(())
}

/// Renames a query's result columns (`WITH x(a, b) AS`, `(subquery) AS t(a, b)`): the
/// select list's aliases change, the rest stays.
pub fn rename_outputs(
    mut query: Query,
    shape: Shape,
    names: &[String],
) -> Result<(Query, Shape), QueryError> {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return Err(unsupported("column aliases on a set operation"));
    };
    if names.len() > select.projection.len() {
        return Err(QueryError::Coded {
            code: "42P10",
            message: format!(
                "table has {} columns available but {} columns specified",
                select.projection.len(),
                names.len()
            ),
            hint: None,
        });
    }
    for (item, name) in select.projection.iter_mut().zip(names) {
        let expr = match item {
            SelectItem::UnnamedExpr(e) => e.clone(),
            SelectItem::ExprWithAlias { expr, .. } => expr.clone(),
            _ => return Err(unsupported("column aliases over *")),
        };
        *item = SelectItem::ExprWithAlias {
            expr,
            alias: ident(name),
        };
    }
    let shape = shape.map(|cols| {
        cols.into_iter()
            .enumerate()
            .map(|(i, c)| Column {
                name: names.get(i).cloned().unwrap_or(c.name),
                ty: c.ty,
            })
            .collect()
    });
    Ok((query, shape))
}

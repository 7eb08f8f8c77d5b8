//! FROM: datasources, CTEs, subqueries, `generate_series`, and joins (inner, left, right,
//! full, cross, `USING`). `(a JOIN b) JOIN c` is written flat, as ClickHouse has no
//! parenthesised joins. Every relation joins the scope with its columns' types.

use sqlparser::ast::{
    Join, JoinConstraint, JoinOperator, ObjectName, TableAlias, TableFactor, TableWithJoins,
};

use super::query::{Shape, Translator};
use super::relation::{self, Column, Rel};
use super::render::{ident, normalize};
use super::unsupported;
use crate::query::QueryError;

impl Translator<'_> {
    pub fn table_with_joins(&mut self, twj: &TableWithJoins) -> Result<TableWithJoins, QueryError> {
        let relation = self.table_factor(&twj.relation)?;
        let mut joins = Vec::with_capacity(twj.joins.len());
        for j in &twj.joins {
            joins.push(self.join(j)?);
        }
        // `(a JOIN b ON ..) JOIN c`: ClickHouse has no parenthesised joins; a left-deep
        // nest is the same join written flat.
        if let TableFactor::NestedJoin {
            table_with_joins,
            alias: None,
        } = relation
        {
            let mut flat = *table_with_joins;
            flat.joins.extend(joins);
            return Ok(flat);
        }
        Ok(TableWithJoins { relation, joins })
    }

    fn join(&mut self, j: &Join) -> Result<Join, QueryError> {
        if j.global {
            return Err(unsupported("GLOBAL JOIN"));
        }
        let relation = self.table_factor(&j.relation)?;
        let join_operator = match &j.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => {
                JoinOperator::Inner(self.constraint(c)?)
            }
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => {
                JoinOperator::LeftOuter(self.constraint(c)?)
            }
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => {
                JoinOperator::RightOuter(self.constraint(c)?)
            }
            JoinOperator::FullOuter(c) => JoinOperator::FullOuter(self.constraint(c)?),
            JoinOperator::CrossJoin(JoinConstraint::None) => {
                JoinOperator::CrossJoin(JoinConstraint::None)
            }
            _ => return Err(unsupported("this kind of join")),
        };
        Ok(Join {
            relation,
            global: false,
            join_operator,
        })
    }

    fn constraint(&mut self, c: &JoinConstraint) -> Result<JoinConstraint, QueryError> {
        match c {
            JoinConstraint::On(e) => Ok(JoinConstraint::On(self.expr(e)?.expr)),
            JoinConstraint::Using(names) => {
                let mut out = Vec::with_capacity(names.len());
                for n in names {
                    let col = match n.0.as_slice() {
                        [sqlparser::ast::ObjectNamePart::Identifier(i)] => normalize(i),
                        _ => return Err(unsupported(format!("USING ({n})"))),
                    };
                    out.push(ObjectName::from(vec![ident(&col)]));
                    self.hide_using_column(&col);
                }
                Ok(JoinConstraint::Using(out))
            }
            JoinConstraint::Natural => Err(unsupported("NATURAL JOIN")),
            JoinConstraint::None => Err(unsupported("a join without ON or USING")),
        }
    }

    /// After `USING (col)`, `*` shows `col` once: hide it in the join's right side.
    fn hide_using_column(&mut self, col: &str) {
        let Some(scope) = self.scopes.last_mut() else {
            return;
        };
        if let Some(Rel {
            columns: Some(cols),
            ..
        }) = scope.last_mut()
        {
            cols.retain(|c| c.name != col);
        }
    }

    fn table_factor(&mut self, f: &TableFactor) -> Result<TableFactor, QueryError> {
        match f {
            TableFactor::Table {
                name,
                alias,
                args,
                with_hints,
                version: None,
                with_ordinality: false,
                partitions,
                json_path: None,
                sample: None,
                index_hints,
            } if with_hints.is_empty() && partitions.is_empty() && index_hints.is_empty() => {
                if let Some(args) = args {
                    return self.table_function(name, args, alias.as_ref());
                }
                let cte = match name.0.as_slice() {
                    [sqlparser::ast::ObjectNamePart::Identifier(i)] => {
                        let n = normalize(i);
                        self.ctes.iter().rev().find(|(c, _)| *c == n).cloned()
                    }
                    _ => None,
                };
                if cte.is_none() {
                    if let relation::Resolved::Pipe(pipe) = relation::resolve(self.env, name)? {
                        return self.pipe_view(pipe, None, alias.as_ref());
                    }
                }
                let (target, own_name, columns) = match cte {
                    Some((n, shape)) => (ObjectName::from(vec![ident(&n)]), n, shape),
                    None => {
                        let (target, cols) = relation::datasource(self.env, name)?;
                        let own = match target.0.last() {
                            Some(sqlparser::ast::ObjectNamePart::Identifier(i)) => i.value.clone(),
                            _ => String::new(),
                        };
                        (target, own, Some(cols))
                    }
                };
                let (alias_name, columns) = self.alias(alias.as_ref(), own_name, columns)?;
                self.add_rel(Rel {
                    name: alias_name.clone(),
                    columns,
                });
                Ok(TableFactor::Table {
                    name: target,
                    alias: Some(table_alias(&alias_name)),
                    args: None,
                    with_hints: vec![],
                    version: None,
                    with_ordinality: false,
                    partitions: vec![],
                    json_path: None,
                    sample: None,
                    index_hints: vec![],
                })
            }
            TableFactor::Derived {
                lateral: false,
                subquery,
                alias,
                sample: None,
            } => {
                // A derived table sees the enclosing queries' scopes, not its siblings.
                let sibling = self.scopes.pop();
                let translated = self.query(subquery);
                if let Some(s) = sibling {
                    self.scopes.push(s);
                }
                let (mut query, mut shape) = translated?;
                let alias_name = match alias {
                    Some(a) => normalize(&a.name),
                    None => String::new(),
                };
                if let Some(a) = alias {
                    if !a.columns.is_empty() {
                        let names: Vec<String> =
                            a.columns.iter().map(|c| normalize(&c.name)).collect();
                        (query, shape) = super::select::rename_outputs(query, shape, &names)?;
                    }
                }
                self.add_rel(Rel {
                    name: alias_name.clone(),
                    columns: shape,
                });
                Ok(TableFactor::Derived {
                    lateral: false,
                    subquery: Box::new(query),
                    alias: (!alias_name.is_empty()).then(|| table_alias(&alias_name)),
                    sample: None,
                })
            }
            TableFactor::Derived { lateral: true, .. } => Err(unsupported("LATERAL subqueries")),
            TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => {
                let inner = self.table_with_joins(table_with_joins)?;
                Ok(TableFactor::NestedJoin {
                    table_with_joins: Box::new(inner),
                    alias: None,
                })
            }
            TableFactor::UNNEST { .. } => Err(unsupported("UNNEST in FROM")),
            TableFactor::Function { name, .. } => Err(QueryError::Unsupported {
                feature: format!("table function {name}"),
                hint: Some("Only the project's datasources and pipes can be read.".into()),
            }),
            _ => Err(unsupported("this FROM item")),
        }
    }

    /// `AS alias(col, ...)` on a relation: its name in the query and its columns renamed.
    fn alias(
        &self,
        alias: Option<&TableAlias>,
        own: String,
        columns: Shape,
    ) -> Result<(String, Shape), QueryError> {
        let Some(a) = alias else {
            return Ok((own, columns));
        };
        if !a.columns.is_empty() {
            return Err(unsupported("column aliases on a table (AS t(a, b))"));
        }
        Ok((normalize(&a.name), columns))
    }

    fn add_rel(&mut self, rel: Rel) {
        if self.scopes.is_empty() {
            self.scopes.push(vec![]);
        }
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(rel);
        }
    }

    /// Table functions: only `generate_series`, as a subquery over `range`.
    fn table_function(
        &mut self,
        name: &ObjectName,
        args: &sqlparser::ast::TableFunctionArgs,
        alias: Option<&TableAlias>,
    ) -> Result<TableFactor, QueryError> {
        match relation::resolve(self.env, name) {
            Ok(relation::Resolved::Pipe(pipe)) if args.settings.is_none() => {
                return self.pipe_view(pipe, Some(args), alias);
            }
            Err(e @ QueryError::PermissionDenied { .. }) => return Err(e),
            _ => {}
        }
        let lower = name.to_string().to_lowercase();
        if lower != "generate_series" || args.settings.is_some() {
            // A pipe or datasource called like a function: out of scope is still 42501.
            if let Err(e @ QueryError::PermissionDenied { .. }) =
                super::relation::datasource(self.env, name)
            {
                return Err(e);
            }
            return Err(QueryError::Unsupported {
                feature: format!("table function {name}"),
                hint: Some("Only the project's datasources and pipes can be read.".into()),
            });
        }
        let mut exprs = Vec::with_capacity(args.args.len());
        for a in &args.args {
            match a {
                sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) => {
                    exprs.push(self.expr(e)?)
                }
                _ => return Err(unsupported("this generate_series argument")),
            }
        }
        let (rel_name, col_name) = match alias {
            Some(a) => (
                normalize(&a.name),
                a.columns
                    .first()
                    .map(|c| normalize(&c.name))
                    .unwrap_or_else(|| normalize(&a.name)),
            ),
            None => ("generate_series".to_string(), "generate_series".to_string()),
        };
        let (series, ty) = super::array::generate_series(exprs)?;
        let sql = format!("SELECT {} AS {}", series, ident(&col_name));
        let subquery = sqlparser::parser::Parser::new(&sqlparser::dialect::ClickHouseDialect {})
            .try_with_sql(&sql)
            .and_then(|mut p| p.parse_query())
            .map_err(|e| QueryError::Coded {
                code: "XX000",
                message: format!("internal error rendering generate_series: {e}"),
                hint: None,
            })?;
        self.add_rel(Rel {
            name: rel_name.clone(),
            columns: Some(vec![Column { name: col_name, ty }]),
        });
        Ok(TableFactor::Derived {
            lateral: false,
            subquery,
            alias: Some(table_alias(&rel_name)),
            sample: None,
        })
    }
}

impl Translator<'_> {
    /// A pipe read in FROM: its query rendered with the parameters bound (call arguments,
    /// then the enclosing WHERE's, then the session's) as a derived table.
    fn pipe_view(
        &mut self,
        pipe: &crate::project::Pipe,
        call: Option<&sqlparser::ast::TableFunctionArgs>,
        alias: Option<&TableAlias>,
    ) -> Result<TableFactor, QueryError> {
        let alias_name = alias.map_or_else(|| pipe.name.clone(), |a| normalize(&a.name));
        let call = match call {
            Some(args) => super::pipe::call_bindings(&pipe.name, args, self.env.params)?,
            None => Default::default(),
        };
        let no_bindings = Vec::new();
        let bindings = self.pipe_bindings.last().map_or(&no_bindings, |(b, _)| b);
        let session: std::collections::BTreeMap<String, String> =
            self.env.session_params.iter().cloned().collect();
        let vars = super::pipe::merge(call, &alias_name, bindings, &session);
        let described = self.env.pipes.get(&pipe.name);
        let outputs: Option<Vec<String>> =
            described.map(|cols| cols.iter().map(|(n, _)| n.clone()).collect());
        let mode = if self.env.describe {
            crate::template::RenderMode::Describe
        } else {
            crate::template::RenderMode::Request
        };
        let view = super::pipe::render(pipe, outputs.as_deref(), &vars, mode)?;
        if let Some((_, consumed)) = self.pipe_bindings.last_mut() {
            consumed.extend(
                view.param_columns
                    .iter()
                    .map(|(name, _)| super::pipe::Consumed {
                        alias: alias_name.clone(),
                        name: name.clone(),
                    }),
            );
        }
        let columns = described.map(|cols| {
            cols.iter()
                .chain(view.param_columns.iter())
                .map(|(name, ty)| Column {
                    name: name.clone(),
                    ty: super::Ty::of(ty),
                })
                .collect()
        });
        let (alias_name, columns) = self.alias(alias, alias_name, columns)?;
        self.add_rel(Rel {
            name: alias_name.clone(),
            columns,
        });
        // The rendered pipe goes in as written: it is the project's own SQL, with every
        // client value a literal the template quoted.
        Ok(TableFactor::Table {
            name: ObjectName::from(vec![sqlparser::ast::Ident::new(format!(
                "({}\n)",
                view.sql
            ))]),
            alias: Some(table_alias(&alias_name)),
            args: None,
            with_hints: vec![],
            version: None,
            with_ordinality: false,
            partitions: vec![],
            json_path: None,
            sample: None,
            index_hints: vec![],
        })
    }
}

fn table_alias(name: &str) -> TableAlias {
    TableAlias {
        explicit: true,
        name: ident(name),
        columns: vec![],
        at: None,
    }
}

//! Aggregates and window functions.
//!
//! - `count` answers bigint; `sum` of integers answers bigint (of bigints, numeric); `avg`
//!   of integers and decimals answers numeric with 16 fractional digits, as PostgreSQL.
//! - An empty input gives NULL, not 0 (`aggregate_functions_null_for_empty` on every query).
//! - `agg(x) FILTER (WHERE c)` is ClickHouse's `-If` combinator.
//! - `string_agg`/`array_agg … ORDER BY k` sort the collected pairs by `k`.
//! - `percentile_cont(p) WITHIN GROUP (ORDER BY x)` interpolates like PostgreSQL
//!   (`quantileExactInclusive`); `percentile_disc` is `quantileExactLow`; `mode` is the
//!   most frequent value (`topK(1)`).
//! - `lag`/`lead` see the whole partition (`lagInFrame` over an unbounded frame) and
//!   answer NULL past the edge.

use sqlparser::ast::{
    Expr, Function, FunctionArgumentClause, FunctionArguments, OrderByExpr, WindowFrame,
    WindowFrameBound, WindowFrameUnits, WindowSpec, WindowType,
};

use super::allowlist::{plain_number, unknown_function, CLICKHOUSE_ALLOWLIST};
use super::expr::Typed;
use super::func::lambda;
use super::query::{order_item, Translator};
use super::render::{call, function, ident, normalize, number, parametric};
use super::{unsupported, Ty};
use crate::query::QueryError;

const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "bool_and",
    "bool_or",
    "every",
    "string_agg",
    "array_agg",
    "stddev",
    "stddev_samp",
    "stddev_pop",
    "variance",
    "var_samp",
    "var_pop",
    "corr",
    "covar_pop",
    "covar_samp",
    "percentile_cont",
    "percentile_disc",
    "mode",
    "bit_and",
    "bit_or",
];

const WINDOW_ONLY: &[&str] = &[
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
    "nth_value",
];

pub fn is_aggregate_or_window(name: &str) -> bool {
    AGGREGATES.contains(&name) || WINDOW_ONLY.contains(&name)
}

impl Translator<'_> {
    /// An aggregate or window call, with its FILTER, WITHIN GROUP and OVER.
    pub fn aggregate(&mut self, f: &Function, name: &str, raw: &str) -> Result<Typed, QueryError> {
        let args = self.args(&f.args)?;
        let order = match &f.args {
            FunctionArguments::List(l) => l
                .clauses
                .iter()
                .map(|c| match c {
                    FunctionArgumentClause::OrderBy(items) => Ok(items.clone()),
                    _ => Err(unsupported(format!("this clause in {name}()"))),
                })
                .collect::<Result<Vec<_>, _>>()?
                .concat(),
            _ => vec![],
        };
        let filter = match &f.filter {
            Some(c) => Some(self.expr(c)?.expr),
            None => None,
        };
        let within: Vec<Typed> = f
            .within_group
            .iter()
            .map(|o| self.expr(&o.expr))
            .collect::<Result<_, _>>()?;
        let mut items = args.items;
        let first_ty = items.first().map(|t| t.ty.clone()).unwrap_or(Ty::Unknown);
        let mut base: Option<(Expr, Ty, bool)> = None;
        let simple =
            |n: &str, items: Vec<Typed>| call(n, items.into_iter().map(|t| t.expr).collect());
        let (ch_name, ch_args, ty, exact) = match (name, items.len()) {
            // `count()` is ClickHouse's spelling of `count(*)`.
            ("count", 0) => ("count", vec![], Ty::Int8, false),
            ("count", 1) => ("count", exprs(items), Ty::Int8, false),
            ("sum", 1) => {
                let ty = match first_ty {
                    Ty::Int2 | Ty::Int4 => Ty::Int8,
                    Ty::Int8 | Ty::Numeric => Ty::Numeric,
                    ref t => t.clone(),
                };
                let x = items.remove(0).expr;
                let x = if first_ty == Ty::Int8 {
                    call("toDecimal128", vec![x, number("0")])
                } else {
                    x
                };
                ("sum", vec![x], ty.clone(), ty != Ty::Float4)
            }
            ("avg", 1) => {
                let x = items.remove(0).expr;
                if first_ty.is_float() {
                    ("avg", vec![x], Ty::Float8, true)
                } else {
                    (
                        "avg",
                        vec![call("toDecimal128", vec![x, number("16")])],
                        Ty::Numeric,
                        true,
                    )
                }
            }
            ("min" | "max", 1) => (name, exprs(items), first_ty.clone(), true),
            ("bool_and" | "every", 1) => ("min", exprs(items), Ty::Bool, false),
            ("bool_or", 1) => ("max", exprs(items), Ty::Bool, false),
            ("bit_and", 1) => ("groupBitAnd", exprs(items), first_ty.clone(), false),
            ("bit_or", 1) => ("groupBitOr", exprs(items), first_ty.clone(), false),
            ("stddev" | "stddev_samp" | "stddev_pop" | "variance" | "var_samp" | "var_pop", 1) => {
                let n = match name {
                    "stddev" | "stddev_samp" => "stddevSamp",
                    "stddev_pop" => "stddevPop",
                    "variance" | "var_samp" => "varSamp",
                    _ => "varPop",
                };
                let ty = if first_ty.is_float() {
                    Ty::Float8
                } else {
                    Ty::Numeric
                };
                if ty == Ty::Numeric {
                    base = Some((
                        call("toDecimal128", vec![simple(n, items.clone()), number("16")]),
                        ty.clone(),
                        true,
                    ));
                }
                (n, exprs(items), ty, true)
            }
            ("corr" | "covar_pop" | "covar_samp", 2) => {
                let n = match name {
                    "corr" => "corr",
                    "covar_pop" => "covarPop",
                    _ => "covarSamp",
                };
                (n, exprs(items), Ty::Float8, true)
            }
            ("string_agg", 2) => {
                let sep = items.remove(1).expr;
                let x = items.remove(0).expr;
                let collected = self.collect(x, &order)?;
                let joined = call("arrayStringConcat", vec![collected, sep]);
                base = Some((joined, Ty::Text, true));
                ("", vec![], Ty::Text, true)
            }
            ("array_agg", 1) => {
                let x = items.remove(0).expr;
                let collected = self.collect(x, &order)?;
                base = Some((collected, Ty::Array(Box::new(first_ty.clone())), true));
                ("", vec![], Ty::Unknown, true)
            }
            ("percentile_cont" | "percentile_disc", 1) if within.len() == 1 => {
                let p = items.remove(0).expr;
                let x = within[0].clone();
                let n = if name == "percentile_cont" {
                    "quantileExactInclusive"
                } else {
                    "quantileExactLow"
                };
                let ty = if name == "percentile_cont" {
                    Ty::Float8
                } else {
                    x.ty.clone()
                };
                let e = parametric(n, vec![p], vec![x.expr]);
                return self.finish(e, ty, name == "percentile_disc", filter, f.over.as_ref());
            }
            ("mode", 0) if within.len() == 1 => {
                let x = within[0].clone();
                let e = call(
                    "arrayElement",
                    vec![
                        parametric("topK", vec![number("1")], vec![x.expr]),
                        number("1"),
                    ],
                );
                return self.finish(e, x.ty, true, filter, f.over.as_ref());
            }
            ("row_number" | "rank" | "dense_rank", 0) => (name_ch(name), vec![], Ty::Int8, false),
            ("percent_rank" | "cume_dist", 0) => (name, vec![], Ty::Float8, true),
            ("ntile", 1) => ("ntile", exprs(items), Ty::Int4, false),
            ("first_value" | "last_value", 1) => (name, exprs(items), first_ty.clone(), true),
            ("nth_value", 2) => ("nth_value", exprs(items), first_ty.clone(), true),
            ("lag" | "lead", 1..=3) => {
                let mut v = exprs(items);
                v[0] = call("toNullable", vec![v[0].clone()]);
                if v.len() == 1 {
                    v.push(number("1"));
                }
                let n = if name == "lag" {
                    "lagInFrame"
                } else {
                    "leadInFrame"
                };
                let spec = match &f.over {
                    Some(WindowType::WindowSpec(s)) => s.clone(),
                    _ => {
                        return Err(unsupported(format!(
                            "{name}() without an inline OVER (...)"
                        )))
                    }
                };
                let mut spec = self.window_spec(&spec)?;
                spec.window_frame = Some(WindowFrame {
                    units: WindowFrameUnits::Rows,
                    start_bound: WindowFrameBound::Preceding(None),
                    end_bound: Some(WindowFrameBound::Following(None)),
                });
                let mut func = function(n, v);
                func.over = Some(WindowType::WindowSpec(spec));
                return Ok(Typed::exact(Expr::Function(func), first_ty));
            }
            _ => {
                if let Some(canonical) = CLICKHOUSE_ALLOWLIST
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(raw))
                {
                    let args = items.into_iter().map(|t| plain_number(t.expr)).collect();
                    (*canonical, args, Ty::Unknown, true)
                } else {
                    return Err(unknown_function(raw));
                }
            }
        };
        if let Some((e, ty, exact)) = base {
            if filter.is_some() || f.over.is_some() {
                return Err(unsupported(format!("{name}() with FILTER or OVER")));
            }
            return Ok(Typed { expr: e, ty, exact });
        }
        if args.distinct {
            let mut func = function(ch_name, ch_args);
            if let FunctionArguments::List(l) = &mut func.args {
                l.duplicate_treatment = Some(sqlparser::ast::DuplicateTreatment::Distinct);
            }
            if filter.is_some() {
                return Err(unsupported("DISTINCT aggregates with FILTER"));
            }
            return self.finish(Expr::Function(func), ty, exact, None, f.over.as_ref());
        }
        let e = match filter {
            Some(c) => {
                let mut v = ch_args;
                v.push(c);
                call(&format!("{ch_name}If"), v)
            }
            None => call(ch_name, ch_args),
        };
        self.finish(e, ty, exact, None, f.over.as_ref())
    }

    /// Adds OVER (and a FILTER's `-If`, for calls built whole) to an aggregate.
    fn finish(
        &mut self,
        e: Expr,
        ty: Ty,
        exact: bool,
        filter: Option<Expr>,
        over: Option<&WindowType>,
    ) -> Result<Typed, QueryError> {
        if filter.is_some() {
            return Err(unsupported("FILTER on this aggregate"));
        }
        let Expr::Function(mut func) = e else {
            return Ok(Typed { expr: e, ty, exact });
        };
        if let Some(w) = over {
            func.over = Some(match w {
                WindowType::WindowSpec(s) => WindowType::WindowSpec(self.window_spec(s)?),
                WindowType::NamedWindow(n) => WindowType::NamedWindow(ident(&normalize(n))),
            });
        }
        Ok(Typed {
            expr: Expr::Function(func),
            ty,
            exact,
        })
    }

    /// `groupArray(x)`, sorted by the aggregate's ORDER BY keys when it has one.
    fn collect(&mut self, x: Expr, order: &[OrderByExpr]) -> Result<Expr, QueryError> {
        match order {
            [] => Ok(call("groupArray", vec![x])),
            [key] => {
                let k = self.expr(&key.expr)?.expr;
                let pairs = call("groupArray", vec![Expr::Tuple(vec![x, k])]);
                let sort = if key.options.asc == Some(false) {
                    "arrayReverseSort"
                } else {
                    "arraySort"
                };
                let second = call(
                    "tupleElement",
                    vec![
                        Expr::Identifier(sqlparser::ast::Ident::new("t")),
                        number("2"),
                    ],
                );
                let first = call(
                    "tupleElement",
                    vec![
                        Expr::Identifier(sqlparser::ast::Ident::new("t")),
                        number("1"),
                    ],
                );
                let sorted = call(sort, vec![lambda("t", second), pairs]);
                Ok(call("arrayMap", vec![lambda("t", first), sorted]))
            }
            _ => Err(unsupported(
                "ORDER BY with several keys inside an aggregate",
            )),
        }
    }

    /// A window specification: PARTITION BY, ORDER BY with PostgreSQL's NULL order, frame.
    pub fn window_spec(&mut self, s: &WindowSpec) -> Result<WindowSpec, QueryError> {
        let mut partition_by = Vec::with_capacity(s.partition_by.len());
        for e in &s.partition_by {
            partition_by.push(self.expr(e)?.expr);
        }
        let mut order_by = Vec::with_capacity(s.order_by.len());
        for o in &s.order_by {
            order_by.push(order_item(self.expr(&o.expr)?.expr, &o.options));
        }
        let window_frame = match &s.window_frame {
            Some(fr) => {
                if matches!(fr.units, WindowFrameUnits::Groups) {
                    return Err(unsupported("GROUPS frames"));
                }
                let bound = |tx: &mut Self,
                             b: &WindowFrameBound|
                 -> Result<WindowFrameBound, QueryError> {
                    Ok(match b {
                        WindowFrameBound::CurrentRow => WindowFrameBound::CurrentRow,
                        WindowFrameBound::Preceding(n) => WindowFrameBound::Preceding(match n {
                            Some(e) => Some(Box::new(tx.expr(e)?.expr)),
                            None => None,
                        }),
                        WindowFrameBound::Following(n) => WindowFrameBound::Following(match n {
                            Some(e) => Some(Box::new(tx.expr(e)?.expr)),
                            None => None,
                        }),
                    })
                };
                Some(WindowFrame {
                    units: fr.units,
                    start_bound: bound(self, &fr.start_bound)?,
                    end_bound: match &fr.end_bound {
                        Some(b) => Some(bound(self, b)?),
                        None => Some(WindowFrameBound::CurrentRow),
                    },
                })
            }
            None => None,
        };
        Ok(WindowSpec {
            window_name: s.window_name.as_ref().map(|n| ident(&normalize(n))),
            partition_by,
            order_by,
            window_frame,
        })
    }
}

fn exprs(items: Vec<Typed>) -> Vec<Expr> {
    items.into_iter().map(|t| t.expr).collect()
}

fn name_ch(name: &str) -> &str {
    match name {
        "row_number" => "row_number",
        "rank" => "rank",
        _ => "dense_rank",
    }
}

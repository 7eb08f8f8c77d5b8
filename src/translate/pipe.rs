//! Pipes as views. A pipe read in FROM becomes its compiled query as a derived table, its
//! template rendered with parameters bound, in DESIGN's order of precedence:
//! 1. function-call syntax: `FROM top_pages(date_from => '2026-01-01', lim => 10)`;
//! 2. top-level conjunctive predicates of the WHERE that reads the pipe: `param = literal`
//!    for a scalar, `param IN (...)` for an Array parameter (on an output column the
//!    predicate stays as a filter too);
//! 3. the session's `SET pipegate.param.<name> = '...'`;
//! 4. the template's defaults.
//!
//! The view's columns are the pipe's output columns (described at deploy) and one column
//! per parameter that is not already an output column, reading the bound value (else the
//! template's default, else NULL). A WHERE predicate that bound such a column is consumed:
//! it leaves the WHERE, since the column holds exactly its value.

use std::collections::BTreeMap;

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArgOperator, TableFunctionArgs,
    UnaryOperator, Value as SqlValue,
};

use crate::clickhouse::types::ChType;
use crate::project::compile::compile;
use crate::project::Pipe;
use crate::query::QueryError;
use crate::template::{
    literal, ParamSpec, ParamType, RenderMode, Template, TemplateError, Value, Vars,
};

use super::render::normalize;

/// A parameter value the WHERE gives: `qualifier.name = value` (no qualifier: any pipe).
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub qualifier: Option<String>,
    pub name: String,
    pub value: Value,
}

/// The bindings in the top-level conjuncts of a WHERE. `params` are the statement's bound
/// `$n` values as ClickHouse literals.
pub fn where_bindings(selection: Option<&Expr>, params: &[String]) -> Vec<Binding> {
    let mut out = Vec::new();
    if let Some(e) = selection {
        conjuncts(e, params, &mut out);
    }
    out
}

fn conjuncts(e: &Expr, params: &[String], out: &mut Vec<Binding>) {
    match e {
        Expr::Nested(inner) => conjuncts(inner, params, out),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            conjuncts(left, params, out);
            conjuncts(right, params, out);
        }
        other => out.extend(binding(other, params)),
    }
}

/// The binding one conjunct makes: `col = constant`, `constant = col`, `col IN (...)`.
fn binding(e: &Expr, params: &[String]) -> Option<Binding> {
    match e {
        Expr::Nested(inner) => binding(inner, params),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } => {
            let ((qualifier, name), value) = match (column(left), column(right)) {
                (Some(c), None) => (c, scalar(right, params)?),
                (None, Some(c)) => (c, scalar(left, params)?),
                _ => return None,
            };
            Some(Binding {
                qualifier,
                name,
                value: Value::Str(value),
            })
        }
        Expr::InList {
            expr,
            list,
            negated: false,
        } => {
            let (qualifier, name) = column(expr)?;
            let values: Option<Vec<String>> = list.iter().map(|v| scalar(v, params)).collect();
            Some(Binding {
                qualifier,
                name,
                value: Value::List(values?),
            })
        }
        _ => None,
    }
}

/// A parameter-only column a binding was consumed by: the pipe's name in the query and
/// the parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Consumed {
    pub alias: String,
    pub name: String,
}

/// The WHERE without the conjuncts that bound parameter-only columns: those columns read
/// the bound value, so the predicate is the binding, not a filter (and an `IN` list would
/// not even compare with an Array column).
pub fn without_consumed(
    selection: &Expr,
    consumed: &[Consumed],
    params: &[String],
) -> Option<Expr> {
    let drop = |e: &Expr| {
        binding(e, params).is_some_and(|b| {
            consumed
                .iter()
                .any(|c| c.name == b.name && b.qualifier.as_ref().is_none_or(|q| *q == c.alias))
        })
    };
    fn keep(e: &Expr, drop: &dyn Fn(&Expr) -> bool) -> Option<Expr> {
        match e {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => match (keep(left, drop), keep(right, drop)) {
                (Some(l), Some(r)) => Some(Expr::BinaryOp {
                    left: Box::new(l),
                    op: BinaryOperator::And,
                    right: Box::new(r),
                }),
                (one, other) => one.or(other),
            },
            Expr::Nested(inner)
                if matches!(
                    **inner,
                    Expr::BinaryOp {
                        op: BinaryOperator::And,
                        ..
                    }
                ) =>
            {
                keep(inner, drop).map(|e| Expr::Nested(Box::new(e)))
            }
            other if drop(other) => None,
            other => Some(other.clone()),
        }
    }
    keep(selection, &drop)
}

/// `name` or `qualifier.name`.
fn column(e: &Expr) -> Option<(Option<String>, String)> {
    match e {
        Expr::Identifier(i) => Some((None, normalize(i))),
        Expr::CompoundIdentifier(parts) => match parts.as_slice() {
            [q, n] => Some((Some(normalize(q)), normalize(n))),
            _ => None,
        },
        Expr::Nested(inner) => column(inner),
        _ => None,
    }
}

/// A constant's text: a string, number or boolean literal, a typed literal (`DATE '…'`),
/// a cast of one (`'…'::date`), a negative number, or a bound `$n`.
fn scalar(e: &Expr, params: &[String]) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            SqlValue::SingleQuotedString(s)
            | SqlValue::EscapedStringLiteral(s)
            | SqlValue::DollarQuotedString(sqlparser::ast::DollarQuotedString {
                value: s, ..
            }) => Some(s.clone()),
            SqlValue::Number(n, _) => Some(n.to_string()),
            SqlValue::Boolean(b) => Some(b.to_string()),
            SqlValue::Placeholder(p) => {
                let n: usize = p.strip_prefix('$')?.parse().ok()?;
                param_text(params.get(n.checked_sub(1)?)?)
            }
            _ => None,
        },
        Expr::TypedString(t) => match &t.value.value {
            SqlValue::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        Expr::Cast { expr, .. } | Expr::Nested(expr) => scalar(expr, params),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match expr.as_ref() {
            Expr::Value(v) => match &v.value {
                SqlValue::Number(n, _) => Some(format!("-{n}")),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The text of a bound parameter, from the ClickHouse literal the gateway made of it:
/// `'text'` (backslash escapes), a number, or a function of a quoted text
/// (`toDate32('2026-01-01')`). NULL binds nothing.
fn param_text(literal: &str) -> Option<String> {
    let l = literal.trim();
    if l.eq_ignore_ascii_case("NULL") {
        return None;
    }
    let Some(start) = l.find('\'') else {
        return Some(l.to_string());
    };
    let mut out = String::new();
    let mut chars = l[start + 1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(match chars.next()? {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                other => other,
            }),
            '\'' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// `top_pages(date_from => '2026-01-01', lim => 10)`: the named arguments.
pub fn call_bindings(
    pipe: &str,
    args: &TableFunctionArgs,
    params: &[String],
) -> Result<Vars, QueryError> {
    let mut vars = Vars::new();
    for a in &args.args {
        let named = match a {
            FunctionArg::Named {
                name,
                arg: FunctionArgExpr::Expr(e),
                operator,
            } => Some((name.clone(), e, operator)),
            FunctionArg::ExprNamed {
                name: Expr::Identifier(name),
                arg: FunctionArgExpr::Expr(e),
                operator,
            } => Some((name.clone(), e, operator)),
            _ => None,
        };
        let Some((name, e)) = named.and_then(|(n, e, op)| {
            matches!(
                op,
                FunctionArgOperator::RightArrow
                    | FunctionArgOperator::Assignment
                    | FunctionArgOperator::Equals
            )
            .then_some((n, e))
        }) else {
            return Err(QueryError::Coded {
                code: "42601",
                message: format!("the arguments of pipe {pipe} must be named"),
                hint: Some(format!("Write {pipe}(name => value, ...).")),
            });
        };
        let value = match e {
            Expr::Array(a) => a
                .elem
                .iter()
                .map(|v| scalar(v, params))
                .collect::<Option<Vec<_>>>()
                .map(Value::List),
            other => scalar(other, params).map(Value::Str),
        }
        .ok_or_else(|| QueryError::Coded {
            code: "22023",
            message: format!(
                "argument {} of pipe {pipe} must be a constant",
                normalize(&name)
            ),
            hint: None,
        })?;
        vars.insert(normalize(&name), value);
    }
    Ok(vars)
}

/// The parameters every templated node of `pipe` declares, each once.
pub fn params(pipe: &Pipe) -> Vec<ParamSpec> {
    let mut out: Vec<ParamSpec> = Vec::new();
    for node in pipe.nodes.iter().filter(|n| n.templated) {
        let Ok(template) = Template::parse(&node.sql) else {
            continue;
        };
        for p in template.params() {
            match out.iter_mut().find(|q| q.name == p.name) {
                Some(q) => q.required |= p.required,
                None => out.push(p),
            }
        }
    }
    out
}

/// A pipe rendered for a view: its SQL, wrapped to add the parameter-only columns, and
/// those columns' ClickHouse types.
pub struct View {
    pub sql: String,
    pub param_columns: Vec<(String, ChType)>,
}

/// Renders `pipe` with `vars` for reading as a view whose output columns are `outputs`
/// (`None` when the pipe was not described: then no parameter-only columns are added, as
/// they might clash with output columns of the same name).
pub fn render(
    pipe: &Pipe,
    outputs: Option<&[String]>,
    vars: &Vars,
    mode: RenderMode,
) -> Result<View, QueryError> {
    let compiled = compile(pipe, vars, mode).map_err(|e| template_error(&pipe.name, *e.source))?;
    let extra: Vec<ParamSpec> = match outputs {
        Some(outputs) => params(pipe)
            .into_iter()
            .filter(|p| !outputs.contains(&p.name))
            .collect(),
        None => vec![],
    };
    if extra.is_empty() {
        return Ok(View {
            sql: compiled.sql,
            param_columns: vec![],
        });
    }
    let mut select = Vec::with_capacity(extra.len() + 1);
    select.push("*".to_string());
    let mut param_columns = Vec::with_capacity(extra.len());
    for p in &extra {
        let ty = ch_type(&p.ty);
        let value = match vars.get(&p.name).or(p.default.as_ref()) {
            None => "NULL".to_string(),
            Some(Value::Str(s)) => literal::string(s),
            Some(Value::List(items)) => {
                let quoted: Vec<String> = items.iter().map(|s| literal::string(s)).collect();
                format!("[{}]", quoted.join(", "))
            }
        };
        let nullable = match &ty {
            ChType::Array(_) => ty.clone(),
            other => ChType::Nullable(Box::new(other.clone())),
        };
        select.push(format!(
            "CAST({value} AS {}) AS {}",
            nullable,
            literal::identifier(&p.name).unwrap_or_else(|_| format!("`{}`", p.name))
        ));
        param_columns.push((p.name.clone(), nullable));
    }
    Ok(View {
        sql: format!("SELECT {} FROM ({}\n)", select.join(", "), compiled.sql),
        param_columns,
    })
}

/// A parameter type as the ClickHouse type of its column.
pub fn ch_type(ty: &ParamType) -> ChType {
    match ty {
        ParamType::Boolean => ChType::Bool,
        ParamType::DateTime64 => ChType::DateTime64(3, None),
        ParamType::Array(inner) => ChType::Array(Box::new(ch_type(inner))),
        other => ChType::parse(&other.name()).unwrap_or(ChType::String),
    }
}

/// A template's refusal as PostgreSQL reports a bad parameter (`22023`).
fn template_error(pipe: &str, e: TemplateError) -> QueryError {
    let coded = |message: String, hint: Option<String>| QueryError::Coded {
        code: "22023",
        message,
        hint,
    };
    match e {
        TemplateError::MissingParam { name, .. } => coded(
            format!("pipe {pipe} needs a value for its parameter {name}"),
            Some(format!(
                "Pass it as {pipe}({name} => ...), as WHERE {name} = ... on the pipe, or for the session with SET pipegate.param.{name} = '...'."
            )),
        ),
        TemplateError::InvalidParam { .. }
        | TemplateError::UserError { .. }
        | TemplateError::CustomError { .. } => coded(e.to_string(), None),
        other => QueryError::Coded {
            code: "XX000",
            message: format!("pipe {pipe} does not render: {other}"),
            hint: Some("Run `pipegate check` on the project.".into()),
        },
    }
}

/// The values for a pipe read as `alias`: function-call arguments, then the WHERE's
/// bindings for it, then the session's `pipegate.param.*`.
pub fn merge(
    call: Vars,
    alias: &str,
    bindings: &[Binding],
    session: &BTreeMap<String, String>,
) -> Vars {
    let mut vars = call;
    for b in bindings {
        if b.qualifier.as_deref().is_none_or(|q| q == alias) {
            vars.entry(b.name.clone())
                .or_insert_with(|| b.value.clone());
        }
    }
    for (k, v) in session {
        vars.entry(k.clone())
            .or_insert_with(|| Value::Str(v.clone()));
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn selection(sql: &str) -> Expr {
        let stmt = Parser::parse_sql(&PostgreSqlDialect {}, sql)
            .expect("parses")
            .remove(0);
        let sqlparser::ast::Statement::Query(q) = stmt else {
            panic!("query")
        };
        let sqlparser::ast::SetExpr::Select(s) = *q.body else {
            panic!("select")
        };
        s.selection.expect("where")
    }

    #[test]
    fn top_level_equalities_and_in_lists_bind() {
        let e = selection(
            "SELECT * FROM p WHERE user_id = '123' AND (p.lim = 5) AND 'x' = kind \
             AND d = DATE '2026-01-01' AND t IN ('a', 'b') AND n = -3 AND c = '7'::int \
             AND (a = 1 OR b = 2) AND z > 3 AND y = $1 AND w = $2",
        );
        let got = where_bindings(Some(&e), &["'it\\'s'".into(), "NULL".into()]);
        let s = |q: Option<&str>, n: &str, v: &str| Binding {
            qualifier: q.map(String::from),
            name: n.into(),
            value: Value::Str(v.into()),
        };
        assert_eq!(
            got,
            vec![
                s(None, "user_id", "123"),
                s(Some("p"), "lim", "5"),
                s(None, "kind", "x"),
                s(None, "d", "2026-01-01"),
                Binding {
                    qualifier: None,
                    name: "t".into(),
                    value: Value::List(vec!["a".into(), "b".into()])
                },
                s(None, "n", "-3"),
                s(None, "c", "7"),
                s(None, "y", "it's"),
            ],
            "OR branches, inequalities and NULL parameters bind nothing"
        );
    }

    #[test]
    fn bound_parameter_literals_read_back_as_text() {
        assert_eq!(param_text("'a\\'b\\\\c'"), Some("a'b\\c".into()));
        assert_eq!(param_text("42"), Some("42".into()));
        assert_eq!(
            param_text("toDate32('2026-01-01')"),
            Some("2026-01-01".into())
        );
        assert_eq!(param_text("NULL"), None);
    }

    #[test]
    fn call_arguments_must_be_named_constants() {
        let stmt = Parser::parse_sql(
            &PostgreSqlDialect {},
            "SELECT * FROM top(date_from => '2026-01-01', lim => 10, tags => ARRAY['a','b'])",
        )
        .expect("parses")
        .remove(0);
        let sqlparser::ast::Statement::Query(q) = stmt else {
            panic!()
        };
        let sqlparser::ast::SetExpr::Select(s) = *q.body else {
            panic!()
        };
        let sqlparser::ast::TableFactor::Table {
            args: Some(args), ..
        } = &s.from[0].relation
        else {
            panic!("a call: {:?}", s.from[0].relation)
        };
        let vars = call_bindings("top", args, &[]).unwrap_or_else(|e| panic!("{e:?}: {args:?}"));
        assert_eq!(
            vars.get("date_from"),
            Some(&Value::Str("2026-01-01".into()))
        );
        assert_eq!(vars.get("lim"), Some(&Value::Str("10".into())));
        assert_eq!(
            vars.get("tags"),
            Some(&Value::List(vec!["a".into(), "b".into()]))
        );
    }

    #[test]
    fn calls_win_over_where_over_session() {
        let call = Vars::from([("a".to_string(), Value::Str("call".into()))]);
        let bindings = vec![
            Binding {
                qualifier: None,
                name: "a".into(),
                value: Value::Str("where".into()),
            },
            Binding {
                qualifier: None,
                name: "b".into(),
                value: Value::Str("where".into()),
            },
            Binding {
                qualifier: Some("other".into()),
                name: "c".into(),
                value: Value::Str("x".into()),
            },
        ];
        let session = BTreeMap::from([
            ("b".to_string(), "session".to_string()),
            ("c".to_string(), "session".to_string()),
        ]);
        let vars = merge(call, "p", &bindings, &session);
        assert_eq!(vars.get("a"), Some(&Value::Str("call".into())));
        assert_eq!(vars.get("b"), Some(&Value::Str("where".into())));
        assert_eq!(
            vars.get("c"),
            Some(&Value::Str("session".into())),
            "another relation's binding"
        );
    }
}

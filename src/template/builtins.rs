//! The whitelisted functions: typed parameters and Tinybird's helpers, here, and the
//! Python builtins and methods in `python.rs`. Nothing else can be called.

use super::calendar;
use super::eval::{eval_error, Eval};
use super::expr::{Expr, ExprKind, Func, Unit};
use super::literal;
use super::params::{element, raw_texts, text_of, ParamType, TypedCall, SQL_AND_OPS};
use super::value::{self, check_items, Val};
use super::{RenderMode, TemplateError};

type R = Result<Val, TemplateError>;

impl Eval<'_> {
    /// Calls a whitelisted function.
    pub fn call(
        &mut self,
        func: &Func,
        args: &[Expr],
        kwargs: &[(String, Expr)],
        line: usize,
    ) -> R {
        match func {
            Func::Typed(ty) => self.typed(ty, args, kwargs, line),
            Func::Array => {
                let elem = match args.get(1).map(|a| &a.kind) {
                    Some(ExprKind::Str(s)) => ParamType::from_function(s),
                    _ => None,
                };
                let ty = ParamType::Array(Box::new(elem.unwrap_or(ParamType::String)));
                self.typed(&ty, args, kwargs, line)
            }
            Func::Defined => {
                let v = self.eval(nth(args, 0, line)?)?;
                Ok(Val::Bool(!matches!(v, Val::None)))
            }
            Func::Column | Func::Columns => self.column(func, args, kwargs, line),
            Func::Symbol | Func::Table => self.identifier(func, args, line),
            Func::SqlAnd => self.sql_and(kwargs, line),
            Func::SplitToArray => self.split_to_array(args, kwargs, line),
            Func::DayDiff => self.date_diff(args, kwargs, Unit::Days, true, line),
            Func::DateDiff(unit) => self.date_diff(args, kwargs, *unit, false, line),
            Func::Error | Func::CustomError => self.raise(func, args, kwargs, line),
            Func::MaxThreads => {
                let v = self.arg(nth(args, 0, line)?)?;
                let n = positive_int(&v).filter(|n| *n >= 1).ok_or_else(|| {
                    eval_error(
                        line,
                        format!("max_threads() needs a positive integer, not {}", v.repr()),
                    )
                })?;
                self.max_threads = Some(n);
                Ok(Val::Sql(String::new()))
            }
            Func::CacheTtl => {
                let v = self.arg(nth(args, 0, line)?)?;
                let secs = ttl_seconds(&v).ok_or_else(|| {
                    let m = format!(
                        "cache_ttl() needs seconds or a duration such as '5m', not {}",
                        v.repr()
                    );
                    eval_error(line, m)
                })?;
                self.cache_ttl = Some(secs);
                Ok(Val::Sql(String::new()))
            }
            _ => {
                let vals = self.args(args)?;
                super::python::builtin(func, vals).map_err(|m| eval_error(line, m))
            }
        }
    }

    /// `column(x[, default])` and `columns(x[, default])`: validated, backticked names
    /// (`json.a` → `` `json`.`a` ``), `columns` splitting on commas.
    fn column(&mut self, func: &Func, args: &[Expr], kwargs: &[(String, Expr)], line: usize) -> R {
        let err = |m: String| eval_error(line, m);
        let subject = nth(args, 0, line)?;
        let v = self.eval(subject)?;
        let default = self.kw_or_pos(args, kwargs, 1, "default")?;
        let fname = if *func == Func::Column {
            "column"
        } else {
            "columns"
        };
        let v = match v {
            Val::None | Val::Placeholder(_) => default.ok_or_else(|| {
                err(format!(
                    "{fname}() has no value and no default; use `{fname}(name, 'default')`"
                ))
            })?,
            v => v,
        };
        let text = string_arg(&v).ok_or_else(|| {
            err(format!(
                "column names must be strings, not {}",
                v.type_name()
            ))
        })?;
        let bad = |e: literal::BadIdentifier| TemplateError::InvalidParam {
            line,
            name: param_name(subject),
            message: e.0,
        };
        let sql = if *func == Func::Column {
            literal::dotted_identifier(&text).map_err(bad)?
        } else {
            let cols = text
                .split(',')
                .map(|c| literal::dotted_identifier(c.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad)?;
            cols.join(",")
        };
        Ok(Val::Sql(sql))
    }

    /// `symbol(x)`, one backticked name, and `table('name')`, a possibly dotted one (the
    /// parser only lets a string literal reach `table`).
    fn identifier(&mut self, func: &Func, args: &[Expr], line: usize) -> R {
        let subject = nth(args, 0, line)?;
        let text = match self.eval(subject)? {
            Val::Placeholder(_) => return Ok(Val::Sql("`placeholder`".into())),
            Val::None => return Err(self.missing(subject, line)),
            v => string_arg(&v).ok_or_else(|| {
                eval_error(
                    line,
                    format!("identifiers must be strings, not {}", v.type_name()),
                )
            })?,
        };
        let rendered = if *func == Func::Table {
            literal::dotted_identifier(&text)
        } else {
            literal::identifier(literal::strip_quotes(&text))
        };
        rendered
            .map(Val::Sql)
            .map_err(|e| TemplateError::InvalidParam {
                line,
                name: param_name(subject),
                message: e.0,
            })
    }

    /// `split_to_array(x, default='', separator=',')`: trimmed strings.
    fn split_to_array(&mut self, args: &[Expr], kwargs: &[(String, Expr)], line: usize) -> R {
        let err = |m: String| eval_error(line, m);
        let v = self.eval(nth(args, 0, line)?)?;
        let default = self.kw_or_pos(args, kwargs, 1, "default")?;
        let sep = match self.kw_or_pos(args, kwargs, 2, "separator")? {
            None => ",".to_string(),
            Some(Val::Str(s)) if !s.is_empty() => s,
            Some(_) => {
                return Err(err(
                    "split_to_array: the separator must be a non-empty string".into(),
                ))
            }
        };
        let v = match v {
            Val::None | Val::Placeholder(_) => default.unwrap_or(Val::Str(String::new())),
            v => v,
        };
        let parts: Vec<Val> = match v.plain() {
            Val::List(items) | Val::Tuple(items) => items
                .iter()
                .map(|i| Val::Str(i.to_text().trim().to_string()))
                .collect(),
            v => {
                let text = text_of(&v).ok_or_else(|| {
                    err(format!(
                        "split_to_array needs a string, not {}",
                        v.type_name()
                    ))
                })?;
                text.split(sep.as_str())
                    .map(|s| Val::Str(s.trim().to_string()))
                    .collect()
            }
        };
        check_items(parts.len()).map_err(err)?;
        Ok(Val::List(parts))
    }

    /// A typed parameter function: validates the value and converts it.
    fn typed(
        &mut self,
        ty: &ParamType,
        args: &[Expr],
        kwargs: &[(String, Expr)],
        line: usize,
    ) -> R {
        let call = TypedCall::from_exprs(ty, args, kwargs)
            .ok_or_else(|| eval_error(line, format!("{}() needs an argument", ty.name())))?;
        let subject = self.eval(call.subject)?;
        let default = match call.default {
            Some(e) => Some(self.arg(e)?).filter(|v| *v != Val::None),
            None => None,
        };
        let mut kw = |k: &str| -> Result<Option<Val>, TemplateError> {
            match call.kwarg.get(k) {
                Some(e) => self.arg(e).map(Some),
                None => Ok(None),
            }
        };
        let example = kw("example")?.and_then(|v| text_of(&v));
        let allowed: Option<Vec<String>> = kw("enum")?.map(|v| match v {
            Val::List(items) | Val::Tuple(items) => items.iter().filter_map(text_of).collect(),
            other => text_of(&other).into_iter().collect(),
        });
        let may_be_undefined = kw("defined")?.is_some_and(|v| !v.truthy());
        let name = call.name.clone();
        let source = match subject {
            // Describe mode: the default, else the example, else the first allowed value.
            Val::Placeholder(_) => match default.or_else(|| example.map(Val::Str)).or_else(|| {
                allowed
                    .as_ref()
                    .and_then(|a| a.first().cloned().map(Val::Str))
            }) {
                Some(v) => v,
                None => return Ok(ty.placeholder()),
            },
            Val::None => match default {
                Some(v) => v,
                None if may_be_undefined => return Ok(Val::None),
                None => return Err(TemplateError::MissingParam { line, name }),
            },
            v => v,
        };
        let invalid = |message: String| TemplateError::InvalidParam {
            line,
            name: name.clone(),
            message,
        };
        let texts = raw_texts(ty, &source);
        let is_array = matches!(ty, ParamType::Array(_));
        if !is_array && texts.len() != 1 {
            return Err(invalid(format!(
                "expected {}, got {}",
                ty.name(),
                source.type_name()
            )));
        }
        check_items(texts.len()).map_err(|m| eval_error(line, m))?;
        let mut out = Vec::with_capacity(texts.len());
        for t in &texts {
            if let Some(allowed) = &allowed {
                if !allowed.contains(t) {
                    return Err(invalid(format!(
                        "{} is not one of: {}",
                        literal::string(t),
                        allowed.join(", ")
                    )));
                }
            }
            out.push(element(ty).parse(t).map_err(invalid)?);
        }
        if is_array {
            Ok(Val::List(out))
        } else {
            Ok(out.pop().unwrap_or(Val::None))
        }
    }

    /// `sql_and(a=x, b__in=y, ...)`: `a = x AND b IN y`, skipping `None` values; `1` when
    /// nothing is left.
    fn sql_and(&mut self, kwargs: &[(String, Expr)], line: usize) -> R {
        let mut parts = Vec::new();
        for (key, e) in kwargs {
            let v = self.arg(e)?;
            if v == Val::None {
                continue;
            }
            let (column, op) = match key.rsplit_once("__") {
                Some((c, suffix)) => {
                    let op = SQL_AND_OPS
                        .iter()
                        .find(|(s, _)| *s == suffix)
                        .map(|(_, op)| *op)
                        .ok_or_else(|| {
                            eval_error(
                                line,
                                format!("sql_and: operand `{suffix}` is not supported"),
                            )
                        })?;
                    (c, op)
                }
                None => (key.as_str(), "="),
            };
            let v = match (op, v.plain()) {
                ("IN" | "NOT IN", v @ (Val::List(_) | Val::Tuple(_))) => v,
                ("IN" | "NOT IN", v) => Val::List(vec![v]),
                (_, v) => v,
            };
            let sql = v
                .render(true)
                .map_err(|m| eval_error(line, format!("sql_and: `{key}` {m}")))?;
            parts.push(format!("{column} {op} {sql}"));
        }
        Ok(Val::Sql(if parts.is_empty() {
            "1".into()
        } else {
            parts.join(" AND ")
        }))
    }

    /// `day_diff` and `date_diff_in_*`: the absolute difference, truncated to the unit.
    fn date_diff(
        &mut self,
        args: &[Expr],
        kwargs: &[(String, Expr)],
        unit: Unit,
        day_diff: bool,
        line: usize,
    ) -> R {
        let a = self.eval(nth(args, 0, line)?)?;
        let b = self.eval(nth(args, 1, line)?)?;
        let (format_pos, default_pos) = if day_diff { (usize::MAX, 2) } else { (2, 3) };
        let default = self.kw_or_pos(args, kwargs, default_pos, "default")?;
        if matches!(a, Val::Placeholder(_)) || matches!(b, Val::Placeholder(_)) {
            return Ok(default.filter(Val::truthy).unwrap_or(Val::Int(0)));
        }
        let base = if unit == Unit::Days {
            "%Y-%m-%d"
        } else {
            "%Y-%m-%d %H:%M:%S"
        };
        let mut formats = vec![
            match self.kw_or_pos(args, kwargs, format_pos, "date_format")? {
                Some(v) => v.to_text(),
                None => base.to_string(),
            },
        ];
        if let Some(v) = self
            .kw_or_pos(args, kwargs, 4, "backup_date_format")?
            .filter(|v| *v != Val::None)
        {
            formats.push(v.to_text());
        }
        let none_if_error = self
            .kw_or_pos(args, kwargs, 5, "none_if_error")?
            .is_some_and(|v| v.truthy());
        let parse = |v: &Val| {
            let text = text_of(v)?;
            formats.iter().find_map(|f| calendar::strptime(&text, f))
        };
        let (Some(x), Some(y)) = (parse(&a), parse(&b)) else {
            if none_if_error {
                return Ok(Val::None);
            }
            let name = if day_diff {
                "day_diff"
            } else {
                "date_diff_in_*"
            };
            return Err(eval_error(
                line,
                format!(
                    "{name}: the dates do not match the format {}",
                    formats.join(" or ")
                ),
            ));
        };
        let micros = (x.micros() - y.micros()).abs();
        let per = match unit {
            Unit::Seconds => 1_000_000,
            Unit::Minutes => 60_000_000,
            Unit::Hours => 3_600_000_000,
            Unit::Days => 86_400_000_000,
        };
        Ok(Val::Int(micros / per))
    }

    /// `error()` and `custom_error()`. In describe mode they write nothing, as in
    /// Tinybird's check mode, so deploy can describe the query.
    fn raise(&mut self, func: &Func, args: &[Expr], kwargs: &[(String, Expr)], line: usize) -> R {
        let v = self.arg(nth(args, 0, line)?)?;
        let code = self.kw_or_pos(args, kwargs, 1, "code")?;
        if self.mode == RenderMode::Describe {
            return Ok(Val::Sql(String::new()));
        }
        if *func == Func::Error {
            return Err(TemplateError::UserError {
                line,
                message: v.to_text(),
            });
        }
        let status = match code {
            None | Some(Val::None) => None,
            Some(c) => Some(
                positive_int(&c)
                    .and_then(|n| u16::try_from(n).ok())
                    .filter(|n| (100..=599).contains(n))
                    .ok_or_else(|| {
                        eval_error(
                            line,
                            format!("custom_error: {} is not an HTTP status", c.repr()),
                        )
                    })?,
            ),
        };
        let (message, body) = match &v {
            Val::Dict(d) => {
                let body = value::to_json(&v);
                let message = value::lookup(d, &Val::Str("error".into()))
                    .map(Val::to_text)
                    .unwrap_or_else(|| body.to_string());
                (message, Some(Box::new(body)))
            }
            other => (other.to_text(), None),
        };
        Err(TemplateError::CustomError {
            line,
            message,
            status,
            body,
        })
    }

    /// An argument given by position `pos` or by keyword `name`, evaluated and resolved.
    fn kw_or_pos(
        &mut self,
        args: &[Expr],
        kwargs: &[(String, Expr)],
        pos: usize,
        name: &str,
    ) -> Result<Option<Val>, TemplateError> {
        let e = args
            .get(pos)
            .or_else(|| kwargs.iter().find(|(k, _)| k == name).map(|(_, e)| e));
        match e {
            Some(e) => self.arg(e).map(Some),
            None => Ok(None),
        }
    }

    fn missing(&self, subject: &Expr, line: usize) -> TemplateError {
        match &subject.kind {
            ExprKind::Name(n) => TemplateError::MissingParam {
                line,
                name: n.clone(),
            },
            _ => eval_error(line, "value is None".into()),
        }
    }
}

/// Argument `i`, which the parse-time arity check guarantees.
fn nth(args: &[Expr], i: usize, line: usize) -> Result<&Expr, TemplateError> {
    args.get(i)
        .ok_or_else(|| eval_error(line, format!("missing argument {}", i + 1)))
}

/// The name to report for a helper's first argument.
fn param_name(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        _ => "value".into(),
    }
}

/// A string argument: a string, a number's text, or the last of repeated values.
fn string_arg(v: &Val) -> Option<String> {
    match v {
        Val::List(items) => items.last().and_then(text_of),
        v => text_of(v),
    }
}

/// A non-negative integer from an int or its text.
fn positive_int(v: &Val) -> Option<u64> {
    match v.clone().plain() {
        Val::Int(i) => u64::try_from(i).ok(),
        Val::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Seconds from an int, or from a duration text: `300`, `5s`, `1m`, `1h`.
fn ttl_seconds(v: &Val) -> Option<u64> {
    if let Val::Str(s) = v.clone().plain() {
        let s = s.trim();
        let (digits, mult) = match s.char_indices().last()? {
            (i, 's') => (&s[..i], 1),
            (i, 'm') => (&s[..i], 60),
            (i, 'h') => (&s[..i], 3600),
            _ => (s, 1),
        };
        return digits.parse::<u64>().ok()?.checked_mul(mult);
    }
    positive_int(v)
}

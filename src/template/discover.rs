//! Finding a template's parameters without running it.

use std::collections::HashSet;

use super::expr::{Expr, ExprKind, Func};
use super::params::{literal, text_of, ParamType, TypedCall};
use super::parse::Node;
use super::value::Val;
use super::{ParamSpec, TemplateError, Value, RESERVED_NAMES};

/// A literal as a client value, for [`ParamSpec::default`].
fn client_value(v: &Val) -> Option<Value> {
    match v {
        Val::None => None,
        Val::List(items) => Some(Value::List(items.iter().filter_map(text_of).collect())),
        v => text_of(v).map(Value::Str),
    }
}

/// Finds the parameters of a template without running it: every name a typed function
/// reads (with its type and metadata), and every other name the template reads as a
/// `String` — except names bound earlier by `set` or `for`.
pub fn discover(nodes: &[Node]) -> Result<Vec<ParamSpec>, TemplateError> {
    let mut d = Discovery::default();
    d.walk(nodes);
    for spec in &d.specs {
        if RESERVED_NAMES.contains(&spec.name.as_str()) {
            return Err(TemplateError::Reserved {
                line: spec.line,
                name: spec.name.clone(),
            });
        }
    }
    Ok(d.specs)
}

#[derive(Default)]
struct Discovery {
    specs: Vec<ParamSpec>,
    typed: HashSet<String>,
    locals: HashSet<String>,
}

impl Discovery {
    fn walk(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Text(_) | Node::Break | Node::Continue => {}
                Node::Expr(e) => self.expr(e),
                Node::If {
                    branches,
                    otherwise,
                } => {
                    for (cond, body) in branches {
                        self.expr(cond);
                        self.walk(body);
                    }
                    if let Some(body) = otherwise {
                        self.walk(body);
                    }
                }
                Node::For {
                    targets,
                    iter,
                    body,
                    ..
                } => {
                    self.expr(iter);
                    self.locals.extend(targets.iter().cloned());
                    self.walk(body);
                }
                Node::Set { name, expr } => {
                    self.expr(expr);
                    self.locals.insert(name.clone());
                }
            }
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.specs.iter().position(|s| s.name == name)
    }

    fn untyped(&mut self, name: &str, line: usize, default: Option<Value>) {
        if self.locals.contains(name) {
            return;
        }
        match self.position(name) {
            Some(i) => {
                if self.specs[i].default.is_none() && !self.typed.contains(name) {
                    self.specs[i].default = default;
                }
            }
            None => self.specs.push(ParamSpec {
                name: name.to_string(),
                ty: ParamType::String,
                default,
                required: false,
                description: None,
                example: None,
                enum_values: None,
                format: None,
                line,
            }),
        }
    }

    fn typed(&mut self, ty: &ParamType, args: &[Expr], kwargs: &[(String, Expr)], line: usize) {
        let Some(call) = TypedCall::from_exprs(ty, args, kwargs) else {
            return;
        };
        let ExprKind::Name(name) = &call.subject.kind else {
            return;
        };
        if self.locals.contains(name) {
            return;
        }
        let text = |k: &str| {
            call.kwarg
                .get(k)
                .and_then(|e| literal(e))
                .and_then(|v| text_of(&v))
        };
        let spec = ParamSpec {
            name: name.clone(),
            ty: ty.clone(),
            default: call
                .default
                .and_then(literal)
                .and_then(|v| client_value(&v)),
            required: call.kwarg.get("required").and_then(|e| literal(e)) == Some(Val::Bool(true)),
            description: text("description"),
            example: text("example"),
            enum_values: call
                .kwarg
                .get("enum")
                .and_then(|e| literal(e))
                .map(|v| match v {
                    Val::List(items) => items.iter().filter_map(text_of).collect(),
                    other => text_of(&other).into_iter().collect(),
                }),
            format: text("format"),
            line,
        };
        match self.position(name) {
            None => self.specs.push(spec),
            Some(i) if !self.typed.contains(name) => {
                // A typed use wins over an earlier untyped one such as `defined(x)`.
                self.specs[i] = ParamSpec {
                    line: self.specs[i].line,
                    ..spec
                };
            }
            Some(i) => {
                let old = &mut self.specs[i];
                old.required |= spec.required;
                old.default = old.default.take().or(spec.default);
                old.description = old.description.take().or(spec.description);
                old.example = old.example.take().or(spec.example);
                old.enum_values = old.enum_values.take().or(spec.enum_values);
                old.format = old.format.take().or(spec.format);
            }
        }
        self.typed.insert(name.clone());
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => self.untyped(n, e.line, None),
            ExprKind::Call { func, args, kwargs } => {
                let skip_first = match func {
                    Func::Typed(ty) => {
                        self.typed(ty, args, kwargs, e.line);
                        true
                    }
                    Func::Array => {
                        let elem = match args.get(1).map(|a| &a.kind) {
                            Some(ExprKind::Str(s)) => ParamType::from_function(s),
                            _ => Some(ParamType::String),
                        };
                        if let Some(elem) = elem {
                            self.typed(&ParamType::Array(Box::new(elem)), args, kwargs, e.line);
                        }
                        true
                    }
                    Func::Column => {
                        if let Some(ExprKind::Name(n)) = args.first().map(|a| &a.kind) {
                            let default = args
                                .get(1)
                                .or_else(|| {
                                    kwargs.iter().find(|(k, _)| k == "default").map(|(_, v)| v)
                                })
                                .and_then(literal)
                                .and_then(|v| client_value(&v));
                            self.untyped(n, e.line, default);
                            true
                        } else {
                            false
                        }
                    }
                    _ => false,
                };
                for (i, a) in args.iter().enumerate() {
                    // A bare name read by a typed function or `column` was recorded above.
                    let recorded = i == 0 && skip_first && matches!(a.kind, ExprKind::Name(_));
                    if !recorded {
                        self.expr(a);
                    }
                }
                for (_, v) in kwargs {
                    self.expr(v);
                }
            }
            ExprKind::List(v) | ExprKind::Tuple(v) => v.iter().for_each(|x| self.expr(x)),
            ExprKind::Dict(v) => v.iter().for_each(|(k, x)| {
                self.expr(k);
                self.expr(x);
            }),
            ExprKind::Method { recv, args, .. } => {
                self.expr(recv);
                args.iter().for_each(|x| self.expr(x));
            }
            ExprKind::Index { obj, index } => {
                self.expr(obj);
                self.expr(index);
            }
            ExprKind::Neg(x) | ExprKind::Not(x) => self.expr(x),
            ExprKind::Binary { left, right, .. }
            | ExprKind::And(left, right)
            | ExprKind::Or(left, right) => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::Compare { first, rest } => {
                self.expr(first);
                rest.iter().for_each(|(_, x)| self.expr(x));
            }
            ExprKind::IfElse {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.expr(then);
                self.expr(otherwise);
            }
            ExprKind::None
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_) => {}
        }
    }
}

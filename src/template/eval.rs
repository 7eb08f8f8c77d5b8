//! The evaluator: walks the node tree with the client's values and writes the SQL.
//!
//! Names resolve to `set`/`for` locals first, then to the client's values, then (in
//! describe mode, for the template's parameters) to a placeholder, else to `None`. Work is
//! bounded: a step budget, and caps on string, list and output sizes.

use std::collections::HashMap;

use super::expr::{CmpOp, Expr, ExprKind};
use super::params::{element, ParamType};
use super::parse::Node;
use super::value::{self, Val};
use super::{ParamSpec, RenderMode, TemplateError, Value, Vars};

/// The most evaluation steps (expressions plus loop iterations) one render may take.
const MAX_STEPS: usize = 1_000_000;
/// The longest rendered SQL (bytes).
const MAX_OUTPUT: usize = 8 << 20;

/// What a block asks of its enclosing loop.
#[derive(PartialEq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// One render in progress.
pub struct Eval<'a> {
    /// Request or describe mode.
    pub mode: RenderMode,
    /// The client's values.
    vars: &'a Vars,
    /// The template's parameters, for describe-mode placeholders and array values.
    specs: &'a [ParamSpec],
    /// `set` and `for` bindings (one scope, as in a Python function).
    locals: HashMap<String, Val>,
    steps: usize,
    /// The SQL written so far.
    pub out: String,
    /// Set by `cache_ttl()`.
    pub cache_ttl: Option<u64>,
    /// Set by `max_threads()`.
    pub max_threads: Option<u64>,
}

impl<'a> Eval<'a> {
    /// A render of a template whose parameters are `specs`.
    pub fn new(vars: &'a Vars, specs: &'a [ParamSpec], mode: RenderMode) -> Self {
        Eval {
            mode,
            vars,
            specs,
            locals: HashMap::new(),
            steps: 0,
            out: String::new(),
            cache_ttl: None,
            max_threads: None,
        }
    }

    /// Renders `nodes` into `self.out`.
    pub fn run(&mut self, nodes: &[Node]) -> Result<(), TemplateError> {
        self.block(nodes).map(|_| ())
    }

    fn block(&mut self, nodes: &[Node]) -> Result<Flow, TemplateError> {
        for node in nodes {
            let flow = self.node(node)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn node(&mut self, node: &Node) -> Result<Flow, TemplateError> {
        match node {
            Node::Text(t) => self.write(t, 1)?,
            Node::Expr(e) => {
                let v = self.eval(e)?;
                let v = self.resolve(v);
                let sql = match (&v, &e.kind) {
                    (Val::None, ExprKind::Name(n)) if self.mode == RenderMode::Request => {
                        return Err(TemplateError::MissingParam {
                            line: e.line,
                            name: n.clone(),
                        })
                    }
                    _ => v
                        .render(true)
                        .map_err(|m| eval_error(e.line, format!("expression {m}")))?,
                };
                self.write(&sql, e.line)?;
            }
            Node::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    if self.arg(cond)?.truthy() {
                        return self.block(body);
                    }
                }
                if let Some(body) = otherwise {
                    return self.block(body);
                }
            }
            Node::For {
                targets,
                iter,
                body,
                line,
            } => {
                let v = self.arg(iter)?;
                let items = value::items(v).map_err(|m| eval_error(*line, m))?;
                for item in items {
                    self.step(*line)?;
                    self.bind(targets, item, *line)?;
                    if self.block(body)? == Flow::Break {
                        break;
                    }
                }
            }
            Node::Set { name, expr } => {
                let v = self.eval(expr)?;
                self.locals.insert(name.clone(), v);
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn write(&mut self, s: &str, line: usize) -> Result<(), TemplateError> {
        if self.out.len() + s.len() > MAX_OUTPUT {
            return Err(eval_error(
                line,
                format!("rendered SQL longer than {MAX_OUTPUT} bytes"),
            ));
        }
        self.out.push_str(s);
        Ok(())
    }

    /// Binds a loop item to one name, or unpacks it into several.
    fn bind(&mut self, targets: &[String], item: Val, line: usize) -> Result<(), TemplateError> {
        if let [one] = targets {
            self.locals.insert(one.clone(), item);
            return Ok(());
        }
        let parts = match item.plain() {
            Val::List(v) | Val::Tuple(v) if v.len() == targets.len() => v,
            other => {
                return Err(eval_error(
                    line,
                    format!(
                        "cannot unpack {} into {} names",
                        other.type_name(),
                        targets.len()
                    ),
                ))
            }
        };
        for (name, v) in targets.iter().zip(parts) {
            self.locals.insert(name.clone(), v);
        }
        Ok(())
    }

    /// Counts one step against the budget.
    pub fn step(&mut self, line: usize) -> Result<(), TemplateError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(eval_error(
                line,
                "template takes too many steps to render".into(),
            ));
        }
        Ok(())
    }

    /// The value of a name.
    fn lookup(&self, name: &str) -> Val {
        if let Some(v) = self.locals.get(name) {
            return v.clone();
        }
        let spec = self.specs.iter().find(|s| s.name == name);
        if let Some(v) = self.vars.get(name) {
            return client_val(v, spec.map(|s| &s.ty));
        }
        if self.mode == RenderMode::Describe && spec.is_some() {
            return Val::Placeholder(name.to_string());
        }
        Val::None
    }

    /// Replaces a describe-mode placeholder by its parameter's default, else example, else
    /// the placeholder of its type. Other values are returned as they are.
    pub fn resolve(&self, v: Val) -> Val {
        let Val::Placeholder(name) = &v else {
            return v;
        };
        let Some(spec) = self.specs.iter().find(|s| &s.name == name) else {
            return Val::None;
        };
        let given = spec
            .default
            .clone()
            .or_else(|| spec.example.clone().map(Value::Str));
        given
            .and_then(|g| typed_client_val(&g, &spec.ty))
            .unwrap_or_else(|| spec.ty.placeholder())
    }

    /// Evaluates an expression and resolves placeholders: the value an operation sees.
    pub fn arg(&mut self, e: &Expr) -> Result<Val, TemplateError> {
        let v = self.eval(e)?;
        Ok(self.resolve(v))
    }

    /// Evaluates an expression, keeping a describe-mode placeholder as it is.
    pub fn eval(&mut self, e: &Expr) -> Result<Val, TemplateError> {
        self.step(e.line)?;
        let line = e.line;
        let err = |m: String| eval_error(line, m);
        Ok(match &e.kind {
            ExprKind::None => Val::None,
            ExprKind::Bool(b) => Val::Bool(*b),
            ExprKind::Int(i) => Val::Int(*i),
            ExprKind::Float(f) => Val::Float(*f),
            ExprKind::Str(s) => Val::Str(s.clone()),
            ExprKind::List(items) => Val::List(self.args(items)?),
            ExprKind::Tuple(items) => Val::Tuple(self.args(items)?),
            ExprKind::Dict(items) => {
                let mut d = Vec::with_capacity(items.len());
                for (k, v) in items {
                    d.push((self.arg(k)?, self.arg(v)?));
                }
                Val::Dict(d)
            }
            ExprKind::Name(n) => self.lookup(n),
            ExprKind::Call { func, args, kwargs } => self.call(func, args, kwargs, line)?,
            ExprKind::Method { recv, method, args } => {
                let recv = self.arg(recv)?;
                let args = self.args(args)?;
                super::python::method(*method, recv, args).map_err(err)?
            }
            ExprKind::Index { obj, index } => {
                let obj = self.arg(obj)?;
                let index = self.arg(index)?;
                value::index(obj, index).map_err(err)?
            }
            ExprKind::Neg(x) => value::negate(self.arg(x)?).map_err(err)?,
            ExprKind::Not(x) => Val::Bool(!self.arg(x)?.truthy()),
            ExprKind::Binary { op, left, right } => {
                let l = self.arg(left)?;
                let r = self.arg(right)?;
                value::arith(*op, l, r).map_err(err)?
            }
            ExprKind::And(l, r) => {
                let l = self.arg(l)?;
                if l.truthy() {
                    self.arg(r)?
                } else {
                    l
                }
            }
            ExprKind::Or(l, r) => {
                let l = self.arg(l)?;
                if l.truthy() {
                    l
                } else {
                    self.arg(r)?
                }
            }
            ExprKind::Compare { first, rest } => {
                let mut left = self.arg(first)?;
                for (op, right) in rest {
                    let right = self.arg(right)?;
                    if !compare(*op, &left, &right).map_err(err)? {
                        return Ok(Val::Bool(false));
                    }
                    left = right;
                }
                Val::Bool(true)
            }
            ExprKind::IfElse {
                cond,
                then,
                otherwise,
            } => {
                if self.arg(cond)?.truthy() {
                    self.eval(then)?
                } else {
                    self.eval(otherwise)?
                }
            }
        })
    }

    /// Evaluates and resolves each expression.
    pub fn args(&mut self, items: &[Expr]) -> Result<Vec<Val>, TemplateError> {
        items.iter().map(|e| self.arg(e)).collect()
    }
}

/// Applies one comparison operator.
fn compare(op: CmpOp, a: &Val, b: &Val) -> Result<bool, String> {
    use std::cmp::Ordering::*;
    Ok(match op {
        CmpOp::Eq => value::equal(a, b),
        CmpOp::Ne => !value::equal(a, b),
        CmpOp::Lt => value::order(a, b)? == Less,
        CmpOp::Gt => value::order(a, b)? == Greater,
        CmpOp::Le => value::order(a, b)? != Greater,
        CmpOp::Ge => value::order(a, b)? != Less,
        CmpOp::In => value::contains(b, a)?,
        CmpOp::NotIn => !value::contains(b, a)?,
        CmpOp::Is => identical(a, b),
        CmpOp::IsNot => !identical(a, b),
    })
}

/// Python's `is` for the values where it is meaningful (`None`, `True`, `False`); other
/// values are identical only to an equal value of the same kind.
fn identical(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::None, Val::None) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::None | Val::Bool(_), _) | (_, Val::None | Val::Bool(_)) => false,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && value::equal(a, b),
    }
}

/// A client's raw value as the template sees it: a string, or a list for repeated
/// values. An `Array` parameter's value is a list (split on commas), of typed items when
/// they all parse, as Tinybird does.
fn client_val(v: &Value, ty: Option<&ParamType>) -> Val {
    if let Some(ty @ ParamType::Array(_)) = ty {
        if let Some(typed) = typed_client_val(v, ty) {
            return typed;
        }
        let texts = match v {
            Value::Str(s) => s.split(',').map(str::to_string).collect(),
            Value::List(items) => items.clone(),
        };
        return Val::List(texts.into_iter().map(Val::Str).collect());
    }
    match v {
        Value::Str(s) => Val::Str(s.clone()),
        Value::List(items) => Val::List(items.iter().cloned().map(Val::Str).collect()),
    }
}

/// A client value converted to a parameter's type, if it is valid for it.
fn typed_client_val(v: &Value, ty: &ParamType) -> Option<Val> {
    let texts: Vec<String> = match (v, ty) {
        (Value::Str(s), ParamType::Array(_)) => s.split(',').map(str::to_string).collect(),
        (Value::Str(s), _) => vec![s.clone()],
        (Value::List(items), ParamType::Array(_)) => items.clone(),
        (Value::List(items), _) => items.last().cloned().into_iter().collect(),
    };
    let parsed = texts
        .iter()
        .map(|t| element(ty).parse(t).ok())
        .collect::<Option<Vec<_>>>()?;
    match ty {
        ParamType::Array(_) => Some(Val::List(parsed)),
        _ => parsed.into_iter().next(),
    }
}

/// A runtime error at `line`.
pub fn eval_error(line: usize, message: String) -> TemplateError {
    TemplateError::Eval { line, message }
}

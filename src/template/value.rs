//! Values inside the sandbox and what Python-like operations do with them.
//!
//! Every value that reaches the SQL goes through [`Val::render`], which writes strings as
//! escaped ClickHouse literals. Only [`Val::Sql`], produced by helpers that validate their
//! input (`column`, `symbol`, `sql_and`, ...), is written verbatim.

use super::literal;

/// The longest string the sandbox builds (bytes).
pub const MAX_STRING: usize = 1 << 20;
/// The longest list the sandbox builds.
pub const MAX_LIST: usize = 100_000;

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Python's values: `None`, `bool`, `int`, `float`, `str`, `list`, `tuple`, `dict`.
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    List(Vec<Val>),
    Tuple(Vec<Val>),
    Dict(Vec<(Val, Val)>),
    /// SQL text from a validating helper, written verbatim.
    Sql(String),
    /// A typed parameter whose SQL form differs from its plain value (wide integers).
    Typed(Box<Typed>),
    /// Describe mode: a parameter with no client value (see `eval::resolve`).
    Placeholder(String),
}

/// A value with its own SQL rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    /// The value used by comparisons, arithmetic and `str()`.
    pub plain: Val,
    /// The SQL written for it, e.g. `toInt128('…')`.
    pub sql: String,
}

impl Val {
    /// Python's name for the type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::None => "None",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Float(_) => "float",
            Val::Str(_) => "str",
            Val::List(_) => "list",
            Val::Tuple(_) => "tuple",
            Val::Dict(_) => "dict",
            Val::Sql(_) => "SQL fragment",
            Val::Typed(t) => t.plain.type_name(),
            Val::Placeholder(_) => "parameter",
        }
    }

    /// The plain value of a typed one; other values unchanged.
    pub fn plain(self) -> Val {
        match self {
            Val::Typed(t) => t.plain,
            v => v,
        }
    }

    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Val::None | Val::Placeholder(_) => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) | Val::Sql(s) => !s.is_empty(),
            Val::List(v) | Val::Tuple(v) => !v.is_empty(),
            Val::Dict(d) => !d.is_empty(),
            Val::Typed(t) => t.plain.truthy(),
        }
    }

    /// Python's `str()`.
    pub fn to_text(&self) -> String {
        match self {
            Val::Str(s) | Val::Sql(s) => s.clone(),
            Val::Typed(t) => t.plain.to_text(),
            v => v.repr(),
        }
    }

    /// Python's `repr()`.
    pub fn repr(&self) -> String {
        match self {
            Val::None => "None".into(),
            Val::Bool(true) => "True".into(),
            Val::Bool(false) => "False".into(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => python_float(*f),
            Val::Str(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Val::Sql(s) => s.clone(),
            Val::List(v) => format!("[{}]", join_repr(v)),
            Val::Tuple(v) if v.len() == 1 => format!("({},)", join_repr(v)),
            Val::Tuple(v) => format!("({})", join_repr(v)),
            Val::Dict(d) => {
                let items: Vec<String> = d
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.repr(), v.repr()))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
            Val::Typed(t) => t.plain.repr(),
            Val::Placeholder(n) => n.clone(),
        }
    }

    /// The SQL for this value: strings as escaped literals, numbers bare (negative ones in
    /// parentheses at the top level), lists as `[a,b]`, tuples as `(a,b)`, booleans as
    /// `1`/`0`. `None`, dicts and non-finite floats cannot be rendered.
    pub fn render(&self, top_level: bool) -> Result<String, String> {
        Ok(match self {
            Val::None => return Err("evaluated to None".into()),
            Val::Placeholder(n) => return Err(format!("parameter `{n}` has no value")),
            Val::Bool(b) => if *b { "1" } else { "0" }.into(),
            Val::Int(i) => literal::integer(&i.to_string(), top_level),
            Val::Float(f) => literal::float(*f, top_level)
                .ok_or_else(|| format!("{f} is not a finite number"))?,
            Val::Str(s) => literal::string(s),
            Val::Sql(s) => s.clone(),
            Val::Typed(t) => t.sql.clone(),
            Val::List(v) => format!("[{}]", render_items(v)?),
            Val::Tuple(v) => format!("({})", render_items(v)?),
            Val::Dict(_) => return Err("a dict cannot be written into SQL".into()),
        })
    }
}

fn render_items(v: &[Val]) -> Result<String, String> {
    let items = v
        .iter()
        .map(|x| x.render(false))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(items.join(","))
}

fn join_repr(v: &[Val]) -> String {
    v.iter().map(Val::repr).collect::<Vec<_>>().join(", ")
}

/// Python's `repr` of a float: always with a `.` or an exponent.
pub fn python_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        format!("{f:?}")
    }
}

/// A number for arithmetic: bools count as integers, as in Python.
#[derive(Clone, Copy)]
enum Num {
    I(i128),
    F(f64),
}

fn num(v: &Val) -> Option<Num> {
    match v {
        Val::Bool(b) => Some(Num::I(i128::from(*b))),
        Val::Int(i) => Some(Num::I(*i)),
        Val::Float(f) => Some(Num::F(*f)),
        Val::Typed(t) => num(&t.plain),
        _ => None,
    }
}

fn as_f64(n: Num) -> f64 {
    match n {
        Num::I(i) => i as f64,
        Num::F(f) => f,
    }
}

/// Python's `==` (values of different kinds are unequal, numbers compare by value).
pub fn equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Typed(t), o) | (o, Val::Typed(t)) => equal(&t.plain, o),
        _ => match (num(a), num(b)) {
            (Some(Num::I(x)), Some(Num::I(y))) => x == y,
            (Some(x), Some(y)) => as_f64(x) == as_f64(y),
            _ => match (a, b) {
                (Val::List(x), Val::List(y)) | (Val::Tuple(x), Val::Tuple(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
                }
                (Val::Dict(x), Val::Dict(y)) => {
                    x.len() == y.len()
                        && x.iter()
                            .all(|(k, v)| lookup(y, k).is_some_and(|w| equal(v, w)))
                }
                _ => a == b,
            },
        },
    }
}

/// Python's ordering of two values, where one exists.
pub fn order(a: &Val, b: &Val) -> Result<std::cmp::Ordering, String> {
    use std::cmp::Ordering;
    let a = a.clone().plain();
    let b = b.clone().plain();
    if let (Some(x), Some(y)) = (num(&a), num(&b)) {
        return Ok(match (x, y) {
            (Num::I(x), Num::I(y)) => x.cmp(&y),
            (x, y) => as_f64(x).partial_cmp(&as_f64(y)).unwrap_or(Ordering::Equal),
        });
    }
    match (&a, &b) {
        (Val::Str(x), Val::Str(y)) => Ok(x.cmp(y)),
        (Val::List(x), Val::List(y)) | (Val::Tuple(x), Val::Tuple(y)) => {
            for (p, q) in x.iter().zip(y) {
                if !equal(p, q) {
                    return order(p, q);
                }
            }
            Ok(x.len().cmp(&y.len()))
        }
        _ => Err(format!(
            "cannot compare {} with {}",
            a.type_name(),
            b.type_name()
        )),
    }
}

/// Python's `in`.
pub fn contains(container: &Val, item: &Val) -> Result<bool, String> {
    match container {
        Val::Str(s) => match item.clone().plain() {
            Val::Str(i) => Ok(s.contains(i.as_str())),
            other => Err(format!("`in <str>` needs a str, not {}", other.type_name())),
        },
        Val::List(v) | Val::Tuple(v) => Ok(v.iter().any(|x| equal(x, item))),
        Val::Dict(d) => Ok(lookup(d, item).is_some()),
        Val::Typed(t) => contains(&t.plain, item),
        other => Err(format!(
            "`in` needs a str, list, tuple or dict, not {}",
            other.type_name()
        )),
    }
}

/// A dict lookup.
pub fn lookup<'a>(d: &'a [(Val, Val)], key: &Val) -> Option<&'a Val> {
    d.iter().find(|(k, _)| equal(k, key)).map(|(_, v)| v)
}

/// `a + b`, `a - b` and `a * b`.
pub fn arith(op: super::expr::BinOp, a: Val, b: Val) -> Result<Val, String> {
    use super::expr::BinOp;
    let (a, b) = (a.plain(), b.plain());
    if let (Some(x), Some(y)) = (num(&a), num(&b)) {
        return match (x, y) {
            (Num::I(x), Num::I(y)) => {
                let r = match op {
                    BinOp::Add => x.checked_add(y),
                    BinOp::Sub => x.checked_sub(y),
                    BinOp::Mul => x.checked_mul(y),
                };
                r.map(Val::Int)
                    .ok_or_else(|| "integer overflow".to_string())
            }
            (x, y) => {
                let (x, y) = (as_f64(x), as_f64(y));
                Ok(Val::Float(match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                }))
            }
        };
    }
    match (op, a, b) {
        (BinOp::Add, Val::Str(x), Val::Str(y)) => {
            check_len(x.len() + y.len())?;
            Ok(Val::Str(x + &y))
        }
        (BinOp::Add, Val::List(mut x), Val::List(y)) => {
            check_items(x.len() + y.len())?;
            x.extend(y);
            Ok(Val::List(x))
        }
        (BinOp::Add, Val::Tuple(mut x), Val::Tuple(y)) => {
            check_items(x.len() + y.len())?;
            x.extend(y);
            Ok(Val::Tuple(x))
        }
        (BinOp::Mul, Val::Str(s), n) | (BinOp::Mul, n, Val::Str(s)) if num(&n).is_some() => {
            let times = repeat_count(&n)?;
            check_len(s.len().saturating_mul(times))?;
            Ok(Val::Str(s.repeat(times)))
        }
        (BinOp::Mul, Val::List(v), n) | (BinOp::Mul, n, Val::List(v)) if num(&n).is_some() => {
            let times = repeat_count(&n)?;
            check_items(v.len().saturating_mul(times))?;
            Ok(Val::List(
                v.iter().cloned().cycle().take(v.len() * times).collect(),
            ))
        }
        (op, a, b) => Err(format!(
            "unsupported operand types for {}: {} and {}",
            match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
            },
            a.type_name(),
            b.type_name()
        )),
    }
}

fn repeat_count(n: &Val) -> Result<usize, String> {
    match num(n) {
        Some(Num::I(i)) => Ok(usize::try_from(i.max(0)).unwrap_or(usize::MAX)),
        _ => Err("a sequence can only be repeated by an int".into()),
    }
}

/// Fails when a string would exceed [`MAX_STRING`].
pub fn check_len(len: usize) -> Result<(), String> {
    if len > MAX_STRING {
        Err(format!("string longer than {MAX_STRING} bytes"))
    } else {
        Ok(())
    }
}

/// Fails when a list would exceed [`MAX_LIST`].
pub fn check_items(len: usize) -> Result<(), String> {
    if len > MAX_LIST {
        Err(format!("list longer than {MAX_LIST} items"))
    } else {
        Ok(())
    }
}

/// Unary minus.
pub fn negate(v: Val) -> Result<Val, String> {
    match num(&v) {
        Some(Num::I(i)) => i
            .checked_neg()
            .map(Val::Int)
            .ok_or_else(|| "integer overflow".into()),
        Some(Num::F(f)) => Ok(Val::Float(-f)),
        None => Err(format!("bad operand type for unary -: {}", v.type_name())),
    }
}

/// `obj[index]`, with Python's negative indices.
pub fn index(obj: Val, idx: Val) -> Result<Val, String> {
    let obj = obj.plain();
    if let Val::Dict(d) = &obj {
        return lookup(d, &idx)
            .cloned()
            .ok_or_else(|| format!("key {} not found", idx.repr()));
    }
    let i = match num(&idx) {
        Some(Num::I(i)) => i,
        _ => return Err(format!("indices must be integers, not {}", idx.type_name())),
    };
    let pick = |len: usize| -> Option<usize> {
        let len = i128::try_from(len).ok()?;
        let j = if i < 0 { i + len } else { i };
        (0..len)
            .contains(&j)
            .then(|| usize::try_from(j).ok())
            .flatten()
    };
    match obj {
        Val::Str(s) => {
            let n = s.chars().count();
            pick(n)
                .and_then(|j| s.chars().nth(j))
                .map(|c| Val::Str(c.to_string()))
                .ok_or_else(|| "string index out of range".into())
        }
        Val::List(v) | Val::Tuple(v) => pick(v.len())
            .and_then(|j| v.into_iter().nth(j))
            .ok_or_else(|| "index out of range".into()),
        other => Err(format!("{} cannot be indexed", other.type_name())),
    }
}

/// The items a `for` loop or a function walks over.
pub fn items(v: Val) -> Result<Vec<Val>, String> {
    match v.plain() {
        Val::List(v) | Val::Tuple(v) => Ok(v),
        Val::Str(s) => Ok(s.chars().map(|c| Val::Str(c.to_string())).collect()),
        Val::Dict(d) => Ok(d.into_iter().map(|(k, _)| k).collect()),
        other => Err(format!("{} is not iterable", other.type_name())),
    }
}

/// A dict or list as JSON, for `custom_error()` bodies.
pub fn to_json(v: &Val) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Val::None | Val::Placeholder(_) => J::Null,
        Val::Bool(b) => J::Bool(*b),
        Val::Int(i) => i64::try_from(*i).map_or_else(|_| J::String(i.to_string()), J::from),
        Val::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Val::Str(s) | Val::Sql(s) => J::String(s.clone()),
        Val::List(v) | Val::Tuple(v) => J::Array(v.iter().map(to_json).collect()),
        Val::Dict(d) => J::Object(d.iter().map(|(k, v)| (k.to_text(), to_json(v))).collect()),
        Val::Typed(t) => to_json(&t.plain),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::expr::BinOp;

    #[test]
    fn python_like_operations() {
        assert_eq!(
            arith(BinOp::Add, Val::Int(1), Val::Float(0.5)),
            Ok(Val::Float(1.5))
        );
        assert_eq!(
            arith(BinOp::Add, Val::Str("a".into()), Val::Str("b".into())),
            Ok(Val::Str("ab".into()))
        );
        assert!(arith(BinOp::Add, Val::Str("a".into()), Val::Int(1)).is_err());
        assert!(arith(BinOp::Mul, Val::Str("ab".into()), Val::Int(1 << 40)).is_err());
        assert!(arith(BinOp::Mul, Val::Int(i128::MAX), Val::Int(2)).is_err());
        assert_eq!(
            index(Val::Str("héllo".into()), Val::Int(-4)),
            Ok(Val::Str("é".into()))
        );
        assert!(index(Val::List(vec![]), Val::Int(0)).is_err());
        assert!(equal(&Val::Int(1), &Val::Float(1.0)));
        assert!(!equal(&Val::Int(1), &Val::Str("1".into())));
        assert!(order(&Val::Int(1), &Val::Str("1".into())).is_err());
    }

    #[test]
    fn rendering_quotes_strings_and_refuses_none() {
        let v = Val::List(vec![Val::Str("a'b".into()), Val::Int(-1)]);
        assert_eq!(v.render(true).as_deref(), Ok(r"['a\'b',-1]"));
        assert_eq!(Val::Int(-1).render(true).as_deref(), Ok("(-1)"));
        assert!(Val::None.render(true).is_err());
        assert!(Val::Float(f64::INFINITY).render(true).is_err());
    }
}

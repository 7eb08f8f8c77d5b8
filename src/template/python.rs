//! The Python side of the sandbox: the few builtins templates use (`len str int float min
//! max sum abs round range enumerate list`, plus Tinybird's `enumerate_with_last`) and the
//! methods `.split()`, `.join()`, `.replace()` and `.get()`.

use super::expr::{BinOp, Func, Method};
use super::value::{self, check_items, check_len, Val};

/// Calls a whitelisted method.
pub fn method(method: Method, recv: Val, args: Vec<Val>) -> Result<Val, String> {
    let recv = recv.plain();
    let str_arg = |v: Option<&Val>, what: &str| -> Result<String, String> {
        match v.map(|v| v.clone().plain()) {
            Some(Val::Str(s)) => Ok(s),
            Some(other) => Err(format!("{what} must be a str, not {}", other.type_name())),
            None => Err(format!("{what} is missing")),
        }
    };
    match (method, recv) {
        (Method::Split, Val::Str(s)) => {
            if args.len() > 2 {
                return Err("split() takes at most 2 arguments".into());
            }
            let max = match args.get(1) {
                Some(v) => match v.clone().plain() {
                    Val::Int(n) if n >= 0 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                    Val::Int(_) => None,
                    other => {
                        return Err(format!(
                            "maxsplit must be an int, not {}",
                            other.type_name()
                        ))
                    }
                },
                None => None,
            };
            let parts: Vec<Val> = match args.first().map(|v| v.clone().plain()) {
                None | Some(Val::None) => {
                    s.split_whitespace().map(|p| Val::Str(p.into())).collect()
                }
                Some(Val::Str(sep)) if sep.is_empty() => return Err("empty separator".into()),
                Some(Val::Str(sep)) => match max {
                    Some(m) => s
                        .splitn(m.saturating_add(1), sep.as_str())
                        .map(|p| Val::Str(p.into()))
                        .collect(),
                    None => s.split(sep.as_str()).map(|p| Val::Str(p.into())).collect(),
                },
                Some(other) => {
                    return Err(format!(
                        "separator must be a str, not {}",
                        other.type_name()
                    ))
                }
            };
            check_items(parts.len())?;
            Ok(Val::List(parts))
        }
        (Method::Join, Val::Str(sep)) => {
            let [items] = args.as_slice() else {
                return Err("join() takes exactly one argument".into());
            };
            let items = value::items(items.clone())?;
            let mut texts = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                match item.plain() {
                    Val::Str(s) => texts.push(s),
                    other => {
                        return Err(format!("join: item {i} is {}, not str", other.type_name()))
                    }
                }
            }
            let len = texts.iter().map(String::len).sum::<usize>() + sep.len() * texts.len();
            check_len(len)?;
            Ok(Val::Str(texts.join(&sep)))
        }
        (Method::Replace, Val::Str(s)) => {
            if !(2..=3).contains(&args.len()) {
                return Err("replace() takes 2 or 3 arguments".into());
            }
            let old = str_arg(args.first(), "replace: the old text")?;
            let new = str_arg(args.get(1), "replace: the new text")?;
            let count = match args.get(2).map(|v| v.clone().plain()) {
                Some(Val::Int(n)) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
                Some(Val::Int(_)) | None => usize::MAX,
                Some(other) => {
                    return Err(format!("count must be an int, not {}", other.type_name()))
                }
            };
            let hits = if old.is_empty() {
                s.chars().count() + 1
            } else {
                s.matches(old.as_str()).count()
            };
            let hits = hits.min(count);
            check_len(s.len().saturating_add(hits.saturating_mul(new.len())))?;
            Ok(Val::Str(s.replacen(old.as_str(), &new, count)))
        }
        (Method::Get, Val::Dict(d)) => {
            if !(1..=2).contains(&args.len()) {
                return Err("get() takes 1 or 2 arguments".into());
            }
            Ok(value::lookup(&d, &args[0])
                .cloned()
                .or_else(|| args.get(1).cloned())
                .unwrap_or(Val::None))
        }
        (m, recv) => {
            let name = match m {
                Method::Split => "split",
                Method::Get => "get",
                Method::Join => "join",
                Method::Replace => "replace",
            };
            Err(format!("{} has no method .{name}()", recv.type_name()))
        }
    }
}

/// The Python builtins: `len str int float min max sum abs round range enumerate list`
/// and Tinybird's `enumerate_with_last`.
pub fn builtin(func: &Func, vals: Vec<Val>) -> Result<Val, String> {
    let mut it = vals.into_iter();
    let first = it.next().unwrap_or(Val::None);
    let second = it.next();
    Ok(match func {
        Func::Len => Val::Int(match first.plain() {
            Val::Str(s) => s.chars().count(),
            Val::List(v) | Val::Tuple(v) => v.len(),
            Val::Dict(d) => d.len(),
            other => return Err(format!("{} has no len()", other.type_name())),
        } as i128),
        Func::Str => {
            let s = first.to_text();
            check_len(s.len())?;
            Val::Str(s)
        }
        Func::Int => match first.plain() {
            Val::Int(i) => Val::Int(i),
            Val::Bool(b) => Val::Int(i128::from(b)),
            Val::Float(f) if f.is_finite() && f.abs() < 1e38 => Val::Int(f.trunc() as i128),
            Val::Str(s) => s.trim().parse::<i128>().map(Val::Int).map_err(|_| {
                format!("invalid literal for int(): {}", Val::Str(s.clone()).repr())
            })?,
            other => return Err(format!("int() cannot convert {}", other.type_name())),
        },
        Func::Float => match first.plain() {
            Val::Int(i) => Val::Float(i as f64),
            Val::Bool(b) => Val::Float(f64::from(u8::from(b))),
            Val::Float(f) => Val::Float(f),
            Val::Str(s) => s.trim().parse::<f64>().map(Val::Float).map_err(|_| {
                format!(
                    "could not convert string to float: {}",
                    Val::Str(s.clone()).repr()
                )
            })?,
            other => return Err(format!("float() cannot convert {}", other.type_name())),
        },
        Func::Min | Func::Max => {
            let items = match second {
                None => value::items(first)?,
                Some(s) => [first, s].into_iter().chain(it).collect(),
            };
            let mut best: Option<Val> = None;
            for v in items {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        let ord = value::order(&v, &b)?;
                        let better = if *func == Func::Min {
                            ord.is_lt()
                        } else {
                            ord.is_gt()
                        };
                        if better {
                            v
                        } else {
                            b
                        }
                    }
                });
            }
            best.ok_or("min()/max() of an empty sequence")?
        }
        Func::Sum => {
            let mut total = second.unwrap_or(Val::Int(0));
            for v in value::items(first)? {
                total = value::arith(BinOp::Add, total, v)?;
            }
            total
        }
        Func::Abs => match first.plain() {
            Val::Int(i) => Val::Int(i.checked_abs().ok_or("integer overflow")?),
            Val::Bool(b) => Val::Int(i128::from(b)),
            Val::Float(f) => Val::Float(f.abs()),
            other => return Err(format!("bad operand type for abs(): {}", other.type_name())),
        },
        Func::Round => round(first, second)?,
        Func::Range => range(first, second, it.next())?,
        Func::Enumerate | Func::EnumerateWithLast => {
            let items = value::items(first)?;
            let n = items.len();
            Val::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let tag = if *func == Func::Enumerate {
                            Val::Int(i as i128)
                        } else {
                            Val::Bool(i + 1 == n)
                        };
                        Val::Tuple(vec![tag, v])
                    })
                    .collect(),
            )
        }
        Func::List => Val::List(value::items(first)?),
        other => return Err(format!("{other:?} cannot be called here")),
    })
}

/// Python's `round()`: halves to even; an int without digits, else a float.
fn round(x: Val, digits: Option<Val>) -> Result<Val, String> {
    let f = match x.plain() {
        Val::Int(i) => return Ok(Val::Int(i)),
        Val::Bool(b) => return Ok(Val::Int(i128::from(b))),
        Val::Float(f) => f,
        other => return Err(format!("round() cannot take {}", other.type_name())),
    };
    match digits.map(Val::plain) {
        None | Some(Val::None) => {
            if !f.is_finite() || f.abs() >= 1e38 {
                return Err("cannot round this float to an int".into());
            }
            Ok(Val::Int(f.round_ties_even() as i128))
        }
        Some(Val::Int(n)) => {
            let n = i32::try_from(n.clamp(-308, 308)).unwrap_or(0);
            let scale = 10f64.powi(n);
            Ok(Val::Float((f * scale).round_ties_even() / scale))
        }
        Some(other) => Err(format!(
            "round() digits must be an int, not {}",
            other.type_name()
        )),
    }
}

/// Python's `range()`, at most [`value::MAX_LIST`] items.
fn range(a: Val, b: Option<Val>, c: Option<Val>) -> Result<Val, String> {
    let int = |v: Val| match v.plain() {
        Val::Int(i) => Ok(i),
        other => Err(format!("range() needs ints, not {}", other.type_name())),
    };
    let (start, stop) = match b {
        None => (0, int(a)?),
        Some(b) => (int(a)?, int(b)?),
    };
    let step = c.map(int).transpose()?.unwrap_or(1);
    if step == 0 {
        return Err("range() step must not be zero".into());
    }
    let span = if step > 0 {
        stop.checked_sub(start)
    } else {
        start.checked_sub(stop)
    };
    let span = span.ok_or("range() is too large")?;
    let stride = step.checked_abs().ok_or("range() is too large")?;
    let len = if span <= 0 {
        0
    } else {
        (span - 1) / stride + 1
    };
    check_items(usize::try_from(len).unwrap_or(usize::MAX))?;
    Ok(Val::List(
        (0..len).map(|i| Val::Int(start + i * step)).collect(),
    ))
}

//! The tightest-binding part of the expression grammar: postfix calls, indexing and
//! methods, call arguments, and atoms (names, literals, parenthesised forms, lists,
//! dicts). Continues [`super::grammar::Parser`].

use super::expr::{Expr, ExprKind, Func, Method};
use super::grammar::{sandbox, CallArgs, Parser};
use super::token::{check_name, is_keyword, Tok, FORBIDDEN_WORDS};
use super::TemplateError;

impl Parser {
    pub(super) fn postfix(&mut self) -> Result<Expr, TemplateError> {
        let mut e = self.atom()?;
        loop {
            let line = self.line();
            if self.eat_op("[") {
                if self.is_op(":") {
                    return Err(sandbox(line, "slices are not supported"));
                }
                let index = self.expr()?;
                if self.is_op(":") {
                    return Err(sandbox(line, "slices are not supported"));
                }
                self.expect_op("]")?;
                e = Expr {
                    kind: ExprKind::Index {
                        obj: Box::new(e),
                        index: Box::new(index),
                    },
                    line,
                };
            } else if self.eat_op(".") {
                e = self.method(e, line)?;
            } else if self.is_op("(") {
                return Err(match &e.kind {
                    ExprKind::Name(n) => {
                        sandbox(line, &format!("`{n}` is not an allowed function"))
                    }
                    _ => sandbox(line, "only named functions can be called"),
                });
            } else {
                return Ok(e);
            }
        }
    }

    /// `.split(...)`, `.get(...)`, `.join(...)` or `.replace(...)` after `recv`.
    pub(super) fn method(&mut self, recv: Expr, line: usize) -> Result<Expr, TemplateError> {
        let name = match self.bump() {
            Tok::Name(n) => n,
            _ => {
                return Err(TemplateError::Syntax {
                    line,
                    message: "expected a method name after `.`".into(),
                })
            }
        };
        let method = match name.as_str() {
            "split" => Method::Split,
            "get" => Method::Get,
            "join" => Method::Join,
            "replace" => Method::Replace,
            _ => {
                return Err(sandbox(
                    line,
                    &format!(
                        "attribute `.{name}` is not allowed (only .split, .get, .join and .replace calls)"
                    ),
                ))
            }
        };
        if !self.is_op("(") {
            return Err(sandbox(line, &format!("`.{name}` can only be called")));
        }
        let (args, kwargs) = self.call_args()?;
        if !kwargs.is_empty() {
            return Err(TemplateError::Syntax {
                line,
                message: format!("`.{name}()` takes no keyword arguments"),
            });
        }
        Ok(Expr {
            kind: ExprKind::Method {
                recv: Box::new(recv),
                method,
                args,
            },
            line,
        })
    }

    /// `( args )`, positional arguments before keyword ones.
    pub(super) fn call_args(&mut self) -> Result<CallArgs, TemplateError> {
        self.expect_op("(")?;
        self.enter()?;
        let mut args = Vec::new();
        let mut kwargs: Vec<(String, Expr)> = Vec::new();
        while !self.is_op(")") {
            if self.is_op("*") || self.is_op("**") {
                return Err(sandbox(self.line(), "`*args`/`**kwargs` are not allowed"));
            }
            let is_kw =
                matches!(self.peek(), Tok::Name(_)) && matches!(self.peek_at(1), Tok::Op("="));
            if is_kw {
                let line = self.line();
                let name = self.expect_name()?;
                self.pos += 1;
                if kwargs.iter().any(|(k, _)| *k == name) {
                    return Err(TemplateError::Syntax {
                        line,
                        message: format!("keyword argument `{name}` repeated"),
                    });
                }
                kwargs.push((name, self.expr()?));
            } else {
                if !kwargs.is_empty() {
                    return Err(TemplateError::Syntax {
                        line: self.line(),
                        message: "positional argument after keyword argument".into(),
                    });
                }
                args.push(self.expr()?);
                if self.is_word("for") {
                    return Err(sandbox(self.line(), "comprehensions are not allowed"));
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        self.depth -= 1;
        Ok((args, kwargs))
    }

    pub(super) fn atom(&mut self) -> Result<Expr, TemplateError> {
        let line = self.line();
        let kind = match self.peek().clone() {
            Tok::Int(i) => {
                self.pos += 1;
                ExprKind::Int(i)
            }
            Tok::Float(f) => {
                self.pos += 1;
                ExprKind::Float(f)
            }
            Tok::Str(mut s) => {
                self.pos += 1;
                // Adjacent literals concatenate, as in Python.
                while let Tok::Str(next) = self.peek() {
                    s.push_str(next);
                    self.pos += 1;
                }
                ExprKind::Str(s)
            }
            Tok::Name(n) => match n.as_str() {
                "None" => {
                    self.pos += 1;
                    ExprKind::None
                }
                "True" | "False" => {
                    self.pos += 1;
                    ExprKind::Bool(n == "True")
                }
                _ if is_keyword(&n) || FORBIDDEN_WORDS.contains(&n.as_str()) => {
                    return Err(self.unexpected("an expression"))
                }
                _ => {
                    check_name(&n, line)?;
                    self.pos += 1;
                    if !self.is_op("(") {
                        ExprKind::Name(n)
                    } else {
                        let Some(func) = Func::from_name(&n) else {
                            return Err(sandbox(
                                line,
                                &format!("`{n}` is not an allowed function"),
                            ));
                        };
                        let (args, kwargs) = self.call_args()?;
                        super::params::check_call(&func, &args, &kwargs, line)?;
                        ExprKind::Call { func, args, kwargs }
                    }
                }
            },
            Tok::Op("(") => {
                self.pos += 1;
                self.paren()?
            }
            Tok::Op("[") => {
                self.pos += 1;
                self.enter()?;
                let mut items = Vec::new();
                while !self.is_op("]") {
                    items.push(self.expr()?);
                    if self.is_word("for") {
                        return Err(sandbox(self.line(), "comprehensions are not allowed"));
                    }
                    if !self.eat_op(",") {
                        break;
                    }
                }
                self.expect_op("]")?;
                self.depth -= 1;
                ExprKind::List(items)
            }
            Tok::Op("{") => {
                self.pos += 1;
                self.dict()?
            }
            _ => return Err(self.unexpected("an expression")),
        };
        Ok(Expr { kind, line })
    }

    /// After `(`: a parenthesized expression or a tuple.
    pub(super) fn paren(&mut self) -> Result<ExprKind, TemplateError> {
        self.enter()?;
        if self.eat_op(")") {
            self.depth -= 1;
            return Ok(ExprKind::Tuple(Vec::new()));
        }
        let first = self.expr()?;
        if self.is_word("for") {
            return Err(sandbox(
                self.line(),
                "generator expressions are not allowed",
            ));
        }
        let kind = if self.eat_op(",") {
            let mut items = vec![first];
            while !self.is_op(")") {
                items.push(self.expr()?);
                if !self.eat_op(",") {
                    break;
                }
            }
            ExprKind::Tuple(items)
        } else {
            first.kind
        };
        self.expect_op(")")?;
        self.depth -= 1;
        Ok(kind)
    }

    /// After `{`: a dict literal (sets are not supported).
    pub(super) fn dict(&mut self) -> Result<ExprKind, TemplateError> {
        self.enter()?;
        let mut items = Vec::new();
        while !self.is_op("}") {
            let k = self.expr()?;
            if !self.eat_op(":") {
                return Err(sandbox(self.line(), "sets are not supported"));
            }
            let v = self.expr()?;
            if self.is_word("for") {
                return Err(sandbox(self.line(), "comprehensions are not allowed"));
            }
            items.push((k, v));
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op("}")?;
        self.depth -= 1;
        Ok(ExprKind::Dict(items))
    }
}

//! The expression parser: tokens → [`Expr`], by recursive descent with Python's
//! precedence (`x if c else y` < `or` < `and` < `not` < comparisons < `+ -` < `*` < unary
//! minus < calls, indexing and methods). Refusals are sandbox errors with the line.

use super::expr::{BinOp, CmpOp, Expr, ExprKind, Func, Method};
use super::token::{check_name, forbidden_operator, is_keyword, tokenize, Tok, FORBIDDEN_WORDS};
use super::TemplateError;

/// The deepest nesting accepted, so adversarial input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Parses a whole expression (the inside of `{{ }}` or an `if` condition).
pub fn parse_expr(src: &str, line: usize) -> Result<Expr, TemplateError> {
    let mut p = Parser::new(src, line)?;
    let e = p.expr()?;
    p.finish()?;
    Ok(e)
}

/// A call's positional and keyword arguments.
type CallArgs = (Vec<Expr>, Vec<(String, Expr)>);

/// A recursive-descent parser over the tokens of one expression.
pub struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
}

impl Parser {
    /// Tokenizes `src`, which starts on template line `line`.
    pub fn new(src: &str, line: usize) -> Result<Parser, TemplateError> {
        Ok(Parser {
            toks: tokenize(src, line)?,
            pos: 0,
            depth: 0,
        })
    }

    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::End, |(t, _)| t)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.pos + n).map_or(&Tok::End, |(t, _)| t)
    }

    /// The line of the next token.
    fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(1, |(_, l)| *l)
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == w)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn eat_word(&mut self, w: &str) -> bool {
        let yes = self.is_word(w);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn expect_op(&mut self, op: &str) -> Result<(), TemplateError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{op}`")))
        }
    }

    /// Consumes a plain name (not a keyword).
    pub fn expect_name(&mut self) -> Result<String, TemplateError> {
        let line = self.line();
        match self.peek().clone() {
            Tok::Name(n) if !is_keyword(&n) && !FORBIDDEN_WORDS.contains(&n.as_str()) => {
                check_name(&n, line)?;
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.unexpected("a name")),
        }
    }

    /// Consumes the keyword `w` or fails.
    pub fn expect_word(&mut self, w: &str) -> Result<(), TemplateError> {
        if self.eat_word(w) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{w}`")))
        }
    }

    /// Consumes `,` if it is next.
    pub fn eat_comma(&mut self) -> bool {
        self.eat_op(",")
    }

    /// Consumes `=` (for `set`) or fails.
    pub fn expect_assign(&mut self) -> Result<(), TemplateError> {
        self.expect_op("=")
    }

    /// Fails unless every token was consumed.
    pub fn finish(&mut self) -> Result<(), TemplateError> {
        if matches!(self.peek(), Tok::End) {
            Ok(())
        } else {
            Err(self.unexpected("the end of the expression"))
        }
    }

    /// An error for the next token: a sandbox error when it is a refused operator or
    /// keyword, else a syntax error saying what was wanted.
    fn unexpected(&self, wanted: &str) -> TemplateError {
        let line = self.line();
        let found = match self.peek() {
            Tok::Name(n) => {
                if FORBIDDEN_WORDS.contains(&n.as_str()) {
                    return sandbox(line, &format!("`{n}` is not allowed in templates"));
                }
                format!("`{n}`")
            }
            Tok::Op(o) => {
                if let Some(message) = forbidden_operator(o) {
                    return sandbox(line, message);
                }
                format!("`{o}`")
            }
            Tok::Int(i) => format!("`{i}`"),
            Tok::Float(f) => format!("`{f}`"),
            Tok::Str(_) => "a string".to_string(),
            Tok::End => "the end of the expression".to_string(),
        };
        TemplateError::Syntax {
            line,
            message: format!("expected {wanted}, found {found}"),
        }
    }

    fn enter(&mut self) -> Result<(), TemplateError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TemplateError::Syntax {
                line: self.line(),
                message: format!("expression nested deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(())
    }

    /// `or_test [if or_test else expr]`.
    pub fn expr(&mut self) -> Result<Expr, TemplateError> {
        self.enter()?;
        let line = self.line();
        let e = self.or_test()?;
        let e = if self.eat_word("if") {
            let cond = self.or_test()?;
            self.expect_word("else")?;
            let otherwise = self.expr()?;
            Expr {
                kind: ExprKind::IfElse {
                    cond: Box::new(cond),
                    then: Box::new(e),
                    otherwise: Box::new(otherwise),
                },
                line,
            }
        } else {
            e
        };
        self.depth -= 1;
        Ok(e)
    }

    /// `a, b, ...` as a tuple when there is more than one (a `for` iterable).
    pub fn expr_list(&mut self) -> Result<Expr, TemplateError> {
        let line = self.line();
        let first = self.expr()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if matches!(self.peek(), Tok::End) {
                break;
            }
            items.push(self.expr()?);
        }
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            line,
        })
    }

    fn or_test(&mut self) -> Result<Expr, TemplateError> {
        let mut left = self.and_test()?;
        while self.is_word("or") {
            let line = self.line();
            self.pos += 1;
            let right = self.and_test()?;
            left = Expr {
                kind: ExprKind::Or(Box::new(left), Box::new(right)),
                line,
            };
        }
        Ok(left)
    }

    fn and_test(&mut self) -> Result<Expr, TemplateError> {
        let mut left = self.not_test()?;
        while self.is_word("and") {
            let line = self.line();
            self.pos += 1;
            let right = self.not_test()?;
            left = Expr {
                kind: ExprKind::And(Box::new(left), Box::new(right)),
                line,
            };
        }
        Ok(left)
    }

    fn not_test(&mut self) -> Result<Expr, TemplateError> {
        if self.is_word("not") {
            let line = self.line();
            self.pos += 1;
            self.enter()?;
            let inner = self.not_test()?;
            self.depth -= 1;
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                line,
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, TemplateError> {
        let line = self.line();
        let first = self.arith()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::Op("==") => CmpOp::Eq,
                Tok::Op("!=") => CmpOp::Ne,
                Tok::Op("<") => CmpOp::Lt,
                Tok::Op(">") => CmpOp::Gt,
                Tok::Op("<=") => CmpOp::Le,
                Tok::Op(">=") => CmpOp::Ge,
                Tok::Name(n) if n == "in" => CmpOp::In,
                Tok::Name(n) if n == "is" => {
                    if matches!(self.peek_at(1), Tok::Name(m) if m == "not") {
                        self.pos += 1;
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    }
                }
                Tok::Name(n)
                    if n == "not" && matches!(self.peek_at(1), Tok::Name(m) if m == "in") =>
                {
                    self.pos += 1;
                    CmpOp::NotIn
                }
                _ => break,
            };
            self.pos += 1;
            rest.push((op, self.arith()?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        Ok(Expr {
            kind: ExprKind::Compare {
                first: Box::new(first),
                rest,
            },
            line,
        })
    }

    fn arith(&mut self) -> Result<Expr, TemplateError> {
        let mut left = self.term()?;
        loop {
            let op = if self.is_op("+") {
                BinOp::Add
            } else if self.is_op("-") {
                BinOp::Sub
            } else {
                break;
            };
            let line = self.line();
            self.pos += 1;
            let right = self.term()?;
            left = binary(op, left, right, line);
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, TemplateError> {
        let mut left = self.factor()?;
        loop {
            if let Tok::Op(o) = self.peek() {
                if let Some(message) = forbidden_operator(o) {
                    return Err(sandbox(self.line(), message));
                }
            }
            if !self.is_op("*") {
                break;
            }
            let line = self.line();
            self.pos += 1;
            let right = self.factor()?;
            left = binary(BinOp::Mul, left, right, line);
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, TemplateError> {
        let line = self.line();
        if self.eat_op("-") {
            self.enter()?;
            let inner = self.factor()?;
            self.depth -= 1;
            let kind = match inner.kind {
                // Literal negative numbers are folded, so defaults like `-1` stay literals.
                ExprKind::Int(i) => ExprKind::Int(-i),
                ExprKind::Float(f) => ExprKind::Float(-f),
                kind => ExprKind::Neg(Box::new(Expr { kind, line })),
            };
            return Ok(Expr { kind, line });
        }
        if self.eat_op("+") {
            self.enter()?;
            let inner = self.factor()?;
            self.depth -= 1;
            let zero = Expr {
                kind: ExprKind::Int(0),
                line,
            };
            return Ok(binary(BinOp::Add, zero, inner, line));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Expr, TemplateError> {
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
    fn method(&mut self, recv: Expr, line: usize) -> Result<Expr, TemplateError> {
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
    fn call_args(&mut self) -> Result<CallArgs, TemplateError> {
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

    fn atom(&mut self) -> Result<Expr, TemplateError> {
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
    fn paren(&mut self) -> Result<ExprKind, TemplateError> {
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
    fn dict(&mut self) -> Result<ExprKind, TemplateError> {
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

fn binary(op: BinOp, left: Expr, right: Expr, line: usize) -> Expr {
    Expr {
        kind: ExprKind::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        },
        line,
    }
}

fn sandbox(line: usize, message: &str) -> TemplateError {
    TemplateError::Sandbox {
        line,
        message: message.to_string(),
    }
}

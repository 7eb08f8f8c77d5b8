//! The expression parser: tokens → [`Expr`], by recursive descent with Python's
//! precedence (`x if c else y` < `or` < `and` < `not` < comparisons < `+ -` < `*` < unary
//! minus < calls, indexing and methods). Refusals are sandbox errors with the line.

use super::expr::{BinOp, CmpOp, Expr, ExprKind};
use super::token::{check_name, forbidden_operator, is_keyword, tokenize, Tok, FORBIDDEN_WORDS};
use super::TemplateError;

/// The deepest nesting accepted, so adversarial input cannot exhaust the stack.
pub(super) const MAX_DEPTH: usize = 64;

/// Parses a whole expression (the inside of `{{ }}` or an `if` condition).
pub fn parse_expr(src: &str, line: usize) -> Result<Expr, TemplateError> {
    let mut p = Parser::new(src, line)?;
    let e = p.expr()?;
    p.finish()?;
    Ok(e)
}

/// A call's positional and keyword arguments.
pub(super) type CallArgs = (Vec<Expr>, Vec<(String, Expr)>);

/// A recursive-descent parser over the tokens of one expression.
pub struct Parser {
    toks: Vec<(Tok, usize)>,
    pub(super) pos: usize,
    pub(super) depth: usize,
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

    pub(super) fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::End, |(t, _)| t)
    }

    pub(super) fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.pos + n).map_or(&Tok::End, |(t, _)| t)
    }

    /// The line of the next token.
    pub(super) fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(1, |(_, l)| *l)
    }

    pub(super) fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    pub(super) fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    pub(super) fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == w)
    }

    pub(super) fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        if yes {
            self.pos += 1;
        }
        yes
    }

    pub(super) fn eat_word(&mut self, w: &str) -> bool {
        let yes = self.is_word(w);
        if yes {
            self.pos += 1;
        }
        yes
    }

    pub(super) fn expect_op(&mut self, op: &str) -> Result<(), TemplateError> {
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
    pub(super) fn unexpected(&self, wanted: &str) -> TemplateError {
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

    pub(super) fn enter(&mut self) -> Result<(), TemplateError> {
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

    pub(super) fn or_test(&mut self) -> Result<Expr, TemplateError> {
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

    pub(super) fn and_test(&mut self) -> Result<Expr, TemplateError> {
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

    pub(super) fn not_test(&mut self) -> Result<Expr, TemplateError> {
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

    pub(super) fn comparison(&mut self) -> Result<Expr, TemplateError> {
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

    pub(super) fn arith(&mut self) -> Result<Expr, TemplateError> {
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

    pub(super) fn term(&mut self) -> Result<Expr, TemplateError> {
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

    pub(super) fn factor(&mut self) -> Result<Expr, TemplateError> {
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
}

pub(super) fn binary(op: BinOp, left: Expr, right: Expr, line: usize) -> Expr {
    Expr {
        kind: ExprKind::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        },
        line,
    }
}

pub(super) fn sandbox(line: usize, message: &str) -> TemplateError {
    TemplateError::Sandbox {
        line,
        message: message.to_string(),
    }
}

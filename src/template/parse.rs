//! Chunks → a tree of nodes: text, `{{ }}` expressions, `if/elif/else`, `for`, `set`,
//! `break` and `continue`, each block closed by `{% end %}` as in Tornado.

use super::expr::Expr;
use super::grammar::{parse_expr, Parser};
use super::lexer::Chunk;
use super::TemplateError;

/// The deepest block nesting accepted.
const MAX_NESTING: usize = 64;

/// A node of a parsed template.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// SQL text, written as is.
    Text(String),
    /// `{{ expr }}`: the value written as a SQL literal.
    Expr(Expr),
    /// `{% if %}` with its `elif` branches and optional `else`.
    If {
        branches: Vec<(Expr, Vec<Node>)>,
        otherwise: Option<Vec<Node>>,
    },
    /// `{% for a[, b] in expr %}`.
    For {
        targets: Vec<String>,
        iter: Expr,
        body: Vec<Node>,
        line: usize,
    },
    /// `{% set name = expr %}`.
    Set { name: String, expr: Expr },
    /// `{% break %}` inside a `for`.
    Break,
    /// `{% continue %}` inside a `for`.
    Continue,
}

/// What ended a block.
enum Stop {
    End(usize),
    Elif(Expr),
    Else(usize),
    Eof,
}

/// Builds the node tree of a template.
pub fn parse(chunks: Vec<Chunk>) -> Result<Vec<Node>, TemplateError> {
    let mut p = BlockParser {
        chunks: chunks.into_iter(),
        depth: 0,
    };
    let (nodes, stop) = p.block(false)?;
    match stop {
        Stop::Eof => Ok(nodes),
        Stop::End(line) => Err(TemplateError::Syntax {
            line,
            message: "`{% end %}` without a block to close".into(),
        }),
        Stop::Elif(e) => Err(TemplateError::Syntax {
            line: e.line,
            message: "`{% elif %}` outside an `{% if %}`".into(),
        }),
        Stop::Else(line) => Err(TemplateError::Syntax {
            line,
            message: "`{% else %}` outside an `{% if %}`".into(),
        }),
    }
}

struct BlockParser {
    chunks: std::vec::IntoIter<Chunk>,
    depth: usize,
}

impl BlockParser {
    /// Reads nodes until `end`, `elif`, `else` or the end of the template.
    fn block(&mut self, in_loop: bool) -> Result<(Vec<Node>, Stop), TemplateError> {
        let mut nodes = Vec::new();
        while let Some(chunk) = self.chunks.next() {
            match chunk {
                Chunk::Text(t) => nodes.push(Node::Text(t)),
                Chunk::Expr { src, line } => nodes.push(Node::Expr(parse_expr(&src, line)?)),
                Chunk::Stmt { src, line } => {
                    let (op, rest) = match src.find(char::is_whitespace) {
                        Some(i) => (&src[..i], src[i..].trim()),
                        None => (src.as_str(), ""),
                    };
                    let no_args = |op: &str| -> Result<(), TemplateError> {
                        if rest.is_empty() {
                            Ok(())
                        } else {
                            Err(TemplateError::Syntax {
                                line,
                                message: format!("`{{% {op} %}}` takes nothing after it"),
                            })
                        }
                    };
                    match op {
                        "end" => {
                            no_args(op)?;
                            return Ok((nodes, Stop::End(line)));
                        }
                        "else" => {
                            no_args(op)?;
                            return Ok((nodes, Stop::Else(line)));
                        }
                        "elif" => return Ok((nodes, Stop::Elif(condition(op, rest, line)?))),
                        "if" => {
                            nodes.push(self.if_block(condition(op, rest, line)?, line, in_loop)?)
                        }
                        "for" => nodes.push(self.for_block(rest, line)?),
                        "set" => nodes.push(set(rest, line)?),
                        "break" | "continue" => {
                            no_args(op)?;
                            if !in_loop {
                                return Err(TemplateError::Syntax {
                                    line,
                                    message: format!("`{{% {op} %}}` outside a `{{% for %}}`"),
                                });
                            }
                            nodes.push(if op == "break" {
                                Node::Break
                            } else {
                                Node::Continue
                            });
                        }
                        "comment" => {}
                        "raw" | "import" | "from" | "include" | "extends" | "module" | "apply"
                        | "autoescape" | "block" | "while" | "try" | "except" | "finally"
                        | "whitespace" => {
                            return Err(TemplateError::Sandbox {
                                line,
                                message: format!("`{{% {op} %}}` is not supported in templates"),
                            })
                        }
                        _ => {
                            return Err(TemplateError::Syntax {
                                line,
                                message: format!("unknown block `{{% {op} %}}`"),
                            })
                        }
                    }
                }
            }
        }
        Ok((nodes, Stop::Eof))
    }

    fn enter(&mut self, line: usize) -> Result<(), TemplateError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(TemplateError::Syntax {
                line,
                message: format!("blocks nested deeper than {MAX_NESTING} levels"),
            });
        }
        Ok(())
    }

    fn if_block(&mut self, cond: Expr, line: usize, in_loop: bool) -> Result<Node, TemplateError> {
        self.enter(line)?;
        let mut branches = Vec::new();
        let mut cond = cond;
        let mut otherwise = None;
        loop {
            let (body, stop) = self.block(in_loop)?;
            branches.push((cond, body));
            match stop {
                Stop::End(_) => break,
                Stop::Elif(next) => cond = next,
                Stop::Else(else_line) => {
                    let (body, stop) = self.block(in_loop)?;
                    match stop {
                        Stop::End(_) => {}
                        Stop::Eof => return Err(unclosed("if", line)),
                        Stop::Elif(e) => {
                            return Err(TemplateError::Syntax {
                                line: e.line,
                                message: "`{% elif %}` after `{% else %}`".into(),
                            })
                        }
                        Stop::Else(_) => {
                            return Err(TemplateError::Syntax {
                                line: else_line,
                                message: "two `{% else %}` in one `{% if %}`".into(),
                            })
                        }
                    }
                    otherwise = Some(body);
                    break;
                }
                Stop::Eof => return Err(unclosed("if", line)),
            }
        }
        self.depth -= 1;
        Ok(Node::If {
            branches,
            otherwise,
        })
    }

    fn for_block(&mut self, rest: &str, line: usize) -> Result<Node, TemplateError> {
        let mut p = Parser::new(rest, line)?;
        let mut targets = vec![p.expect_name()?];
        while p.eat_comma() {
            targets.push(p.expect_name()?);
        }
        p.expect_word("in")?;
        let iter = p.expr_list()?;
        p.finish()?;
        self.enter(line)?;
        let (body, stop) = self.block(true)?;
        match stop {
            Stop::End(_) => {}
            Stop::Eof => return Err(unclosed("for", line)),
            Stop::Elif(e) => {
                return Err(TemplateError::Syntax {
                    line: e.line,
                    message: "`{% elif %}` inside a `{% for %}`".into(),
                })
            }
            Stop::Else(l) => {
                return Err(TemplateError::Syntax {
                    line: l,
                    message: "`{% for %}...{% else %}` is not supported".into(),
                })
            }
        }
        self.depth -= 1;
        Ok(Node::For {
            targets,
            iter,
            body,
            line,
        })
    }
}

/// The condition of `if`/`elif`.
fn condition(op: &str, rest: &str, line: usize) -> Result<Expr, TemplateError> {
    if rest.is_empty() {
        return Err(TemplateError::Syntax {
            line,
            message: format!("`{{% {op} %}}` needs a condition"),
        });
    }
    parse_expr(rest, line)
}

/// `set name = expr`.
fn set(rest: &str, line: usize) -> Result<Node, TemplateError> {
    let mut p = Parser::new(rest, line)?;
    let name = p.expect_name()?;
    p.expect_assign()?;
    let expr = p.expr()?;
    p.finish()?;
    Ok(Node::Set { name, expr })
}

fn unclosed(what: &str, line: usize) -> TemplateError {
    TemplateError::Syntax {
        line,
        message: format!("missing `{{% end %}}` for the `{{% {what} %}}` on line {line}"),
    }
}

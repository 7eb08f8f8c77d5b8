//! Expressions: a small Python subset, as a tree parsed before anything runs (the parser
//! is in `grammar.rs`, the tokenizer in `token.rs`).
//!
//! Supported: literals (strings in `'` or `"`, integers, floats, `True`/`False`/`None`,
//! lists, tuples, dicts), names, calls of whitelisted functions with positional and
//! keyword arguments, `and`/`or`/`not`, comparisons (`== != < > <= >= in not in is is not`),
//! `+ - *`, unary minus, `a if c else b`, indexing `x[i]`, and the methods `.split()`,
//! `.get()`, `.join()` and `.replace()`. Everything else (`/`, `**`, `%`, `lambda`,
//! comprehensions, other attributes, dunder names, unknown functions) is refused here, at
//! parse time, with a sandbox error.

use super::params::ParamType;

/// A parsed expression and the template line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// 1-based template line, for error messages.
    pub line: usize,
}

/// The expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An integer literal (negative ones folded).
    Int(i128),
    /// A float literal.
    Float(f64),
    /// A string literal, escapes decoded.
    Str(String),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `{k: v}`.
    Dict(Vec<(Expr, Expr)>),
    /// A variable: a `set`/`for` local or a parameter.
    Name(String),
    /// `f(args, k=v)` of a whitelisted function.
    Call {
        func: Func,
        args: Vec<Expr>,
        kwargs: Vec<(String, Expr)>,
    },
    /// `recv.method(args)` of a whitelisted method.
    Method {
        recv: Box<Expr>,
        method: Method,
        args: Vec<Expr>,
    },
    /// `obj[index]`.
    Index { obj: Box<Expr>, index: Box<Expr> },
    /// `-x`.
    Neg(Box<Expr>),
    /// `not x`.
    Not(Box<Expr>),
    /// `a + b`, `a - b`, `a * b`.
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `a and b` (short-circuit, yields an operand as in Python).
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
    /// A comparison chain: `a < b <= c` is `a < b and b <= c`.
    Compare {
        first: Box<Expr>,
        rest: Vec<(CmpOp, Expr)>,
    },
    /// `then if cond else otherwise`.
    IfElse {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
}

/// Arithmetic operators (only these three: no `/`, `//`, `%` or `**`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

/// The whitelisted methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Split,
    Get,
    Join,
    Replace,
}

/// Units of the `date_diff_in_*` helpers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

/// The whitelisted functions: nothing else can be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Func {
    /// `String(x)`, `Int32(x)`, ...: a typed parameter.
    Typed(ParamType),
    /// `Array(x, 'Type')`.
    Array,
    Defined,
    Column,
    Columns,
    Symbol,
    Table,
    SqlAnd,
    SplitToArray,
    DayDiff,
    DateDiff(Unit),
    Error,
    CustomError,
    MaxThreads,
    CacheTtl,
    EnumerateWithLast,
    Len,
    Str,
    Int,
    Float,
    Min,
    Max,
    Sum,
    Abs,
    Round,
    Range,
    Enumerate,
    List,
}

impl Func {
    /// The function a name calls, if it is whitelisted.
    pub fn from_name(name: &str) -> Option<Func> {
        if let Some(ty) = ParamType::from_function(name) {
            return Some(Func::Typed(ty));
        }
        Some(match name {
            "Array" => Func::Array,
            "defined" => Func::Defined,
            "column" => Func::Column,
            "columns" => Func::Columns,
            "symbol" | "Symbol" | "Column" => Func::Symbol,
            "table" | "TABLE" => Func::Table,
            "sql_and" => Func::SqlAnd,
            "split_to_array" => Func::SplitToArray,
            "day_diff" => Func::DayDiff,
            "date_diff_in_seconds" => Func::DateDiff(Unit::Seconds),
            "date_diff_in_minutes" => Func::DateDiff(Unit::Minutes),
            "date_diff_in_hours" => Func::DateDiff(Unit::Hours),
            "date_diff_in_days" => Func::DateDiff(Unit::Days),
            "error" => Func::Error,
            "custom_error" => Func::CustomError,
            "max_threads" => Func::MaxThreads,
            "cache_ttl" => Func::CacheTtl,
            "enumerate_with_last" => Func::EnumerateWithLast,
            "len" => Func::Len,
            "str" => Func::Str,
            "int" => Func::Int,
            "float" => Func::Float,
            "min" => Func::Min,
            "max" => Func::Max,
            "sum" => Func::Sum,
            "abs" => Func::Abs,
            "round" => Func::Round,
            "range" => Func::Range,
            "enumerate" => Func::Enumerate,
            "list" => Func::List,
            _ => return None,
        })
    }
}

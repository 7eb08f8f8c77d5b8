//! The pipe template language: Tinybird's Tornado subset, sandboxed.
//!
//! A templated node (SQL after a `%` line) is parsed once into a [`Template`], which lists
//! its parameters ([`Template::params`]) and renders to ClickHouse SQL for a set of client
//! values ([`Template::render`]).
//!
//! # Syntax
//! `{{ expr }}` writes a value; `{% if %}`/`{% elif %}`/`{% else %}`, `{% for x in xs %}`,
//! `{% set x = expr %}`, `{% break %}` and `{% continue %}` control the text; `{% end %}`
//! closes a block; `{# ... #}` is a comment. Expressions are a small Python subset (see
//! `expr.rs`).
//!
//! # Safety
//! - Every value is written as a ClickHouse literal with backslash escaping ([`literal`]):
//!   a bare `{{ x }}` is a quoted string, never raw text. Identifiers (`column()`,
//!   `symbol()`) are validated and backticked. `table()` only takes a string literal.
//! - Only whitelisted functions and the methods `.split/.get/.join/.replace` can be called;
//!   `/`, `**`, `%`, `lambda`, imports, comprehensions, dunder names and other attribute
//!   access are refused when the template is parsed.
//! - Rendering is bounded in steps, string and list sizes, and output size.
//!
//! # Layout
//! - `lexer`: text → chunks (text, `{{ }}`, `{% %}`).
//! - `expr`: the expression tree; `token` and `grammar`: its tokenizer and parser.
//! - `parse`: chunks → node tree.
//! - `params`: typed parameters and their validation; `discover`: finding them statically.
//! - `eval`: the evaluator; `builtins`: typed parameters and Tinybird helpers as calls;
//!   `python`: the Python builtins and methods.
//! - `value`: sandbox values; [`literal`]: ClickHouse literals; `calendar`: dates.

mod atoms;
mod builtins;
mod calendar;
mod discover;
mod eval;
mod expr;
mod grammar;
mod lexer;
pub mod literal;
mod params;
mod parse;
mod python;
mod token;
mod value;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use params::ParamType;

/// Parameter names a template may not use: the HTTP door reads them itself.
pub const RESERVED_NAMES: &[&str] = &[
    "format", "q", "token", "pipeline", "debug", "explain", "query_id", "tag",
];

/// A client's raw value for one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// One value, as text (`?limit=10`, `limit => 10`, `WHERE limit = 10`).
    Str(String),
    /// Repeated values (`?t=a&t=b`, `WHERE t IN ('a','b')`), for `Array` parameters.
    List(Vec<String>),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Self {
        Value::List(v)
    }
}

/// The client's values by parameter name.
pub type Vars = BTreeMap<String, Value>;

/// How missing values are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderMode {
    /// A client request: a parameter without a value is undefined (`defined(x)` is false),
    /// and a typed function reading it takes its default or fails with
    /// [`TemplateError::MissingParam`].
    Request,
    /// Deploy time, to `DESCRIBE` the query: every parameter is defined; one without a
    /// value takes its default, else its example, else a placeholder of its type (`''`,
    /// `0`, `'1970-01-01'`, ...). `error()` and `custom_error()` write nothing.
    Describe,
}

/// A rendered template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The ClickHouse SQL.
    pub sql: String,
    /// Seconds from `cache_ttl()`, which overrides the pipe's `CACHE`.
    pub cache_ttl: Option<u64>,
    /// From `max_threads()`, sent to ClickHouse as the `max_threads` setting.
    pub max_threads: Option<u64>,
}

/// A parameter found in a template, with what its typed function declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSpec {
    /// The name clients pass it by.
    pub name: String,
    /// Its type: from the typed function that reads it, else `String`.
    pub ty: ParamType,
    /// The default written in the template, in the form a client would send it.
    pub default: Option<Value>,
    /// `required=True`: binding must report it missing instead of using no value.
    pub required: bool,
    /// `description=`, for the catalog and OpenAPI.
    pub description: Option<String>,
    /// `example=`, for OpenAPI and describe mode.
    pub example: Option<String>,
    /// `enum=[...]`: the only values accepted.
    pub enum_values: Option<Vec<String>>,
    /// `format=`, for OpenAPI.
    pub format: Option<String>,
    /// The template line it first appears on.
    pub line: usize,
}

/// Why a template could not be parsed or rendered. `line` is 1-based, relative to the
/// template text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    /// Malformed template or expression.
    #[error("template syntax error: {message}")]
    Syntax { line: usize, message: String },
    /// Something the sandbox refuses (`/`, `**`, attributes, unknown functions, ...).
    #[error("not allowed in a template: {message}")]
    Sandbox { line: usize, message: String },
    /// A runtime failure: a type error, an index out of range, a limit reached.
    #[error("template error: {message}")]
    Eval { line: usize, message: String },
    /// A client value that is not valid for its parameter's type or `enum`.
    #[error("invalid value for parameter `{name}`: {message}")]
    InvalidParam {
        line: usize,
        name: String,
        message: String,
    },
    /// A parameter that needs a value and has none.
    #[error("missing required parameter `{name}`")]
    MissingParam { line: usize, name: String },
    /// `error('message')` in the template.
    #[error("{message}")]
    UserError { line: usize, message: String },
    /// `custom_error(message_or_dict, status)` in the template.
    #[error("{message}")]
    CustomError {
        line: usize,
        /// The text, or a dict's `error` entry (else the dict as JSON).
        message: String,
        /// The HTTP status asked for.
        status: Option<u16>,
        /// The dict, as the JSON body of an HTTP error.
        body: Option<Box<serde_json::Value>>,
    },
    /// A parameter named like one of [`RESERVED_NAMES`].
    #[error("`{name}` is a reserved parameter name")]
    Reserved { line: usize, name: String },
}

impl TemplateError {
    /// The template line the error is on.
    pub fn line(&self) -> Option<usize> {
        match self {
            TemplateError::Syntax { line, .. }
            | TemplateError::Sandbox { line, .. }
            | TemplateError::Eval { line, .. }
            | TemplateError::InvalidParam { line, .. }
            | TemplateError::MissingParam { line, .. }
            | TemplateError::UserError { line, .. }
            | TemplateError::CustomError { line, .. }
            | TemplateError::Reserved { line, .. } => Some(*line),
        }
    }
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<parse::Node>,
    params: Vec<ParamSpec>,
}

impl Template {
    /// Parses the SQL of a templated node (the text after the leading `%` line). Syntax
    /// errors, sandbox violations, invalid literal defaults and reserved parameter names
    /// are all reported here.
    pub fn parse(src: &str) -> Result<Template, TemplateError> {
        let nodes = parse::parse(lexer::lex(src)?)?;
        let params = discover::discover(&nodes)?;
        Ok(Template { nodes, params })
    }

    /// The parameters, in order of first appearance: every name a typed function reads
    /// (`String(user_id)`, `Int32(limit, 100, description="..", required=True)`,
    /// `Array(t, 'String', default='a,b')`), and as `String` every other name the template
    /// reads (`defined(x)`, `{{ x }}`), except `set`/`for` variables.
    pub fn params(&self) -> Vec<ParamSpec> {
        self.params.clone()
    }

    /// Renders the template with the client's values.
    pub fn render(&self, vars: &Vars, mode: RenderMode) -> Result<Rendered, TemplateError> {
        let mut ev = eval::Eval::new(vars, &self.params, mode);
        ev.run(&self.nodes)?;
        Ok(Rendered {
            sql: ev.out,
            cache_ttl: ev.cache_ttl,
            max_threads: ev.max_threads,
        })
    }
}

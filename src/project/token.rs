//! `TOKEN` lines: every one creates (or extends) a static token, whose name is the Postgres
//! user name and whose scope is the sum of its grants across the project.

use std::path::{Path, PathBuf};

use super::error::ProjectError;
use super::valid_name;

/// The name of the built-in admin token the config defines; datafiles may not grant to it.
pub const ADMIN_TOKEN_NAME: &str = "admin";

/// One `TOKEN name READ|APPEND` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    /// The token's name: the Postgres user and the key of its secret in the config.
    pub name: String,
    /// What the grant is on: the datasource or pipe of the file the line is in.
    pub resource: Resource,
    /// What the grant allows.
    pub access: Access,
    /// Where the line is, so auth errors and `pipegate check` can point at it.
    pub file: PathBuf,
    /// 1-based line of the `TOKEN` directive.
    pub line: usize,
}

/// What a grant is about: the file's own datasource or pipe, by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Datasource(String),
    Pipe(String),
}

/// What a grant allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// Query the datasource or pipe.
    Read,
    /// Post events to the datasource (never valid on a pipe).
    Append,
}

impl TokenGrant {
    /// Parses the value of a `TOKEN` line (`name ACCESS`, the name optionally in double
    /// quotes) as a grant on `resource`.
    pub(crate) fn parse(
        file: &Path,
        line: usize,
        text: &str,
        resource: Resource,
    ) -> Result<TokenGrant, ProjectError> {
        let err = |message: String| ProjectError::new(file, line, message);
        let accesses = match resource {
            Resource::Datasource(_) => "READ or APPEND",
            Resource::Pipe(_) => "READ",
        };
        let text = text.trim();
        let (name, rest) = match text.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted
                    .find('"')
                    .ok_or_else(|| err("the token name has no closing double quote".to_string()))?;
                (&quoted[..end], quoted[end + 1..].trim())
            }
            None => match text.split_once(char::is_whitespace) {
                Some((name, rest)) => (name, rest.trim()),
                None => (text, ""),
            },
        };
        if name.is_empty() {
            return Err(err(format!(
                "TOKEN needs a name and its access: TOKEN <name> {accesses}"
            )));
        }
        if !valid_name(name) {
            return Err(err(format!(
                "token name {name:?} must be letters, digits and underscores, not starting with a digit: it is the Postgres user name"
            )));
        }
        if name == ADMIN_TOKEN_NAME {
            return Err(err(format!(
                "the token name {ADMIN_TOKEN_NAME} is reserved for the built-in admin token; choose another"
            )));
        }
        let mut words = rest.split_whitespace();
        let access = words.next().unwrap_or_default();
        if let Some(extra) = words.next() {
            return Err(err(format!(
                "token {name}: unexpected {extra:?} after the access; one TOKEN line grants one access"
            )));
        }
        let access = match access.to_ascii_uppercase().as_str() {
            "READ" => Access::Read,
            "APPEND" => match resource {
                Resource::Datasource(_) => Access::Append,
                Resource::Pipe(_) => {
                    return Err(err(format!(
                        "token {name}: a pipe can only be READ; APPEND belongs on a .datasource"
                    )))
                }
            },
            "" => return Err(err(format!("token {name} needs its access: {accesses}"))),
            other => {
                return Err(err(format!(
                    "token {name}: unknown access {other}: use {accesses}"
                )))
            }
        };
        Ok(TokenGrant {
            name: name.to_string(),
            resource,
            access,
            file: file.to_path_buf(),
            line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(text: &str, on_pipe: bool) -> Result<TokenGrant, String> {
        let resource = if on_pipe {
            Resource::Pipe("p".into())
        } else {
            Resource::Datasource("d".into())
        };
        TokenGrant::parse(Path::new("f"), 7, text, resource).map_err(|e| e.to_string())
    }

    #[test]
    fn parses_quoted_and_bare_names() {
        let g = grant("\"analytics_read\" READ", true).expect("parses");
        assert_eq!(g.name, "analytics_read");
        assert_eq!(g.access, Access::Read);
        assert_eq!(g.resource, Resource::Pipe("p".into()));
        assert_eq!(g.line, 7);
        let g = grant("writer append", false).expect("parses");
        assert_eq!((g.name.as_str(), g.access), ("writer", Access::Append));
    }

    #[test]
    fn errors_say_what_to_write() {
        for (text, on_pipe, want) in [
            ("t APPEND", true, "f:7: token t: a pipe can only be READ; APPEND belongs on a .datasource"),
            ("t WRITE", false, "f:7: token t: unknown access WRITE: use READ or APPEND"),
            ("t", true, "f:7: token t needs its access: READ"),
            ("", false, "f:7: TOKEN needs a name and its access: TOKEN <name> READ or APPEND"),
            ("\"t READ", false, "f:7: the token name has no closing double quote"),
            ("\"bad-name\" READ", false, "f:7: token name \"bad-name\" must be letters, digits and underscores, not starting with a digit: it is the Postgres user name"),
            ("admin READ", false, "f:7: the token name admin is reserved for the built-in admin token; choose another"),
            ("t READ APPEND", false, "f:7: token t: unexpected \"APPEND\" after the access; one TOKEN line grants one access"),
        ] {
            assert_eq!(grant(text, on_pipe).expect_err(text), want, "{text:?}");
        }
    }
}

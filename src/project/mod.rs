//! The project: a folder of Tinybird-style datafiles. `.datasource` files declare tables,
//! `.pipe` files declare templated queries, and `TOKEN` lines in both declare who may read
//! or append. Loading reports every problem at once, each as `file:line: message`.

pub mod compile;
mod datafile;
pub mod datasource;
pub mod deploy;
pub mod jsonpath;
pub mod pipe;

use std::fmt;
use std::path::{Path, PathBuf};

pub use datasource::{Column, Datasource, Engine};
pub use pipe::{Node, Pipe, PipeKind};

/// A loaded project.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The folder it was loaded from.
    pub dir: PathBuf,
    pub datasources: Vec<Datasource>,
    pub pipes: Vec<Pipe>,
    /// Every `TOKEN` line of every file, in file order.
    pub tokens: Vec<TokenGrant>,
}

/// A `TOKEN name READ|APPEND` line: it creates (or extends) the static token `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub name: String,
    pub resource: Resource,
    pub access: Access,
    pub file: PathBuf,
    pub line: usize,
}

/// What a grant is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Datasource(String),
    Pipe(String),
}

/// What a grant allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Append,
}

/// A problem in a datafile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectError {
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// All the problems of a project, one per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProjectErrors(pub Vec<ProjectError>);

impl fmt::Display for ProjectErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl Project {
    /// Loads every `*.datasource` and `*.pipe` under `dir` (recursively, in path order).
    pub fn load(dir: &Path) -> Result<Project, ProjectErrors> {
        let mut files = Vec::new();
        collect_files(dir, &mut files).map_err(|e| {
            ProjectErrors(vec![ProjectError {
                file: dir.to_path_buf(),
                line: 0,
                message: format!("cannot read the project folder: {e}"),
            }])
        })?;
        files.sort();
        let mut sources = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        for path in files {
            match std::fs::read_to_string(&path) {
                Ok(text) => sources.push((path, text)),
                Err(e) => errors.push(ProjectError {
                    file: path,
                    line: 0,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
        let mut project =
            Project::from_sources(dir, &sources).unwrap_or_else(|ProjectErrors(es)| {
                errors.extend(es);
                Project {
                    dir: dir.to_path_buf(),
                    datasources: vec![],
                    pipes: vec![],
                    tokens: vec![],
                }
            });
        if errors.is_empty() {
            project.dir = dir.to_path_buf();
            Ok(project)
        } else {
            Err(ProjectErrors(errors))
        }
    }

    /// Builds a project from `(path, text)` pairs; the extension tells the kind of file.
    pub fn from_sources(
        dir: &Path,
        sources: &[(PathBuf, String)],
    ) -> Result<Project, ProjectErrors> {
        let mut project = Project {
            dir: dir.to_path_buf(),
            datasources: Vec::new(),
            pipes: Vec::new(),
            tokens: Vec::new(),
        };
        let mut errors = Vec::new();
        for (path, text) in sources {
            let name = stem(path);
            if !valid_name(&name) {
                errors.push(ProjectError {
                    file: path.clone(),
                    line: 1,
                    message: format!("the file name {name:?} must be a valid name (letters, digits, underscores, not starting with a digit): it names the table or view"),
                });
                continue;
            }
            match path.extension().and_then(|e| e.to_str()) {
                Some("datasource") => match Datasource::parse(path, text) {
                    Ok(ds) => project.datasources.push(ds),
                    Err(es) => errors.extend(es),
                },
                Some("pipe") => match Pipe::parse(path, text) {
                    Ok(p) => project.pipes.push(p),
                    Err(es) => errors.extend(es),
                },
                _ => {}
            }
        }
        // Names are unique across datasources and pipes: both are relations to a client.
        let mut seen: Vec<(&str, &Path)> = Vec::new();
        let names = project
            .datasources
            .iter()
            .map(|d| (d.name.as_str(), d.file.as_path()))
            .chain(
                project
                    .pipes
                    .iter()
                    .map(|p| (p.name.as_str(), p.file.as_path())),
            );
        for (name, file) in names {
            if let Some((_, other)) = seen.iter().find(|(n, _)| *n == name) {
                errors.push(ProjectError {
                    file: file.to_path_buf(),
                    line: 1,
                    message: format!(
                        "duplicate name {name} (also defined in {}:1)",
                        other.display()
                    ),
                });
            } else if name.ends_with("_quarantine")
                && project
                    .datasources
                    .iter()
                    .any(|d| format!("{}_quarantine", d.name) == name)
            {
                errors.push(ProjectError {
                    file: file.to_path_buf(),
                    line: 1,
                    message: format!(
                        "{name} is the quarantine table of a datasource; choose another name"
                    ),
                });
            }
            seen.push((name, file));
        }
        project.tokens = project
            .datasources
            .iter()
            .flat_map(|d| d.tokens.iter().cloned())
            .chain(project.pipes.iter().flat_map(|p| p.tokens.iter().cloned()))
            .collect();
        if errors.is_empty() {
            Ok(project)
        } else {
            Err(ProjectErrors(errors))
        }
    }

    pub fn datasource(&self, name: &str) -> Option<&Datasource> {
        self.datasources.iter().find(|d| d.name == name)
    }

    pub fn pipe(&self, name: &str) -> Option<&Pipe> {
        self.pipes.iter().find(|p| p.name == name)
    }

    /// The distinct token names the datafiles declare.
    pub fn token_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.tokens.iter().map(|t| t.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("datasource" | "pipe")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// The file stem, which names the datasource or pipe.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

/// `[A-Za-z_][A-Za-z0-9_]*`
pub(crate) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// ` (did you mean X?)` when a known word is close to `word`.
pub(crate) fn suggest(word: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| {
            (
                crate::clickhouse::types::edit_distance(k, &word.to_ascii_uppercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= crate::clickhouse::types::close_enough(word))
        .min()
        .map(|(_, k)| format!(" (did you mean {k}?)"))
        .unwrap_or_default()
}

/// `TOKEN name READ|APPEND`, the name optionally quoted.
pub(crate) fn parse_token(
    path: &Path,
    line: usize,
    text: &str,
    resource: &str,
    datasource: bool,
) -> Result<TokenGrant, ProjectError> {
    let err = |message: String| ProjectError {
        file: path.to_path_buf(),
        line,
        message,
    };
    let (name, access) = match text.strip_prefix('"') {
        Some(rest) => {
            let end = rest
                .find('"')
                .ok_or_else(|| err("unterminated token name".into()))?;
            (rest[..end].to_string(), rest[end + 1..].trim())
        }
        None => {
            let mut parts = text.split_whitespace();
            (
                parts.next().unwrap_or_default().to_string(),
                parts.next().unwrap_or_default(),
            )
        }
    };
    if !valid_name(&name) {
        return Err(err(format!("token name {name:?} must be letters, digits and underscores: it is the Postgres user name")));
    }
    let access = match access.to_ascii_uppercase().as_str() {
        "READ" => Access::Read,
        "APPEND" if datasource => Access::Append,
        "APPEND" => return Err(err(format!("token {name}: a pipe can only be READ"))),
        "" => {
            return Err(err(format!(
                "token {name} needs its access: READ{}",
                if datasource { " or APPEND" } else { "" }
            )))
        }
        other => {
            return Err(err(format!(
                "token {name}: unknown access {other}: use READ{}",
                if datasource { " or APPEND" } else { "" }
            )))
        }
    };
    Ok(TokenGrant {
        name,
        resource: if datasource {
            Resource::Datasource(resource.to_string())
        } else {
            Resource::Pipe(resource.to_string())
        },
        access,
        file: path.to_path_buf(),
        line,
    })
}

#[cfg(test)]
#[path = "project_tests.rs"]
mod tests;

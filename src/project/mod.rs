//! The project: a folder of Tinybird-style datafiles. `.datasource` files declare tables,
//! `.pipe` files declare templated queries, and `TOKEN` lines in both declare who may read
//! or append. Loading reports every problem of every file at once, each as
//! `file:line: message`.
//!
//! # Layout
//! - `datafile`: the syntax both kinds of file share (directives and indented blocks).
//! - [`datasource`]: `.datasource` files; [`column`](mod@column) their `SCHEMA`, [`jsonpath`] their
//!   JSONPaths, [`engine`] their `ENGINE*` options, [`ddl`] the tables they create.
//! - [`pipe`]: `.pipe` files and their nodes; [`compile`] joins the nodes into one query.
//! - [`token`]: `TOKEN` grants.
//! - [`error`]: located errors.
//! - [`deploy`]: making ClickHouse match the project.

pub mod column;
pub mod compile;
mod datafile;
pub mod datasource;
pub mod ddl;
pub mod deploy;
pub mod engine;
pub mod error;
pub mod jsonpath;
pub mod pipe;
pub mod token;

use std::path::{Path, PathBuf};

pub use column::Column;
pub use datasource::Datasource;
pub use engine::{Engine, EngineKind};
pub use error::{ProjectError, ProjectErrors};
pub use jsonpath::{JsonPath, Segment};
pub use pipe::{Node, Pipe, PipeKind};
pub use token::{Access, Resource, TokenGrant};

/// A loaded project: everything the doors serve and deploy creates.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The folder it was loaded from, for messages.
    pub dir: PathBuf,
    /// Every datasource, in path order.
    pub datasources: Vec<Datasource>,
    /// Every pipe, in path order.
    pub pipes: Vec<Pipe>,
    /// Every `TOKEN` line of every file, in path and line order: the static tokens and
    /// their scopes.
    pub tokens: Vec<TokenGrant>,
}

impl Project {
    /// Loads every `*.datasource` and `*.pipe` under `dir`, recursively and in path order
    /// (hidden folders and other files are skipped). Every problem of every file is
    /// reported, not only the first.
    pub fn load(dir: &Path) -> Result<Project, ProjectErrors> {
        let mut files = Vec::new();
        collect_files(dir, &mut files).map_err(|e| {
            ProjectErrors(vec![ProjectError::new(
                dir,
                0,
                format!("cannot read the project folder: {e}"),
            )])
        })?;
        if files.is_empty() {
            return Err(ProjectErrors(vec![ProjectError::new(
                dir,
                0,
                "no .datasource or .pipe files here: is this the project folder?",
            )]));
        }
        files.sort();
        let mut sources = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        for path in files {
            match std::fs::read_to_string(&path) {
                Ok(text) => sources.push((path, text)),
                Err(e) => errors.push(ProjectError::new(&path, 0, format!("cannot read: {e}"))),
            }
        }
        match Project::from_sources(dir, &sources) {
            Ok(project) if errors.is_empty() => Ok(project),
            Ok(_) => Err(ProjectErrors(errors)),
            Err(ProjectErrors(more)) => {
                errors.extend(more);
                sort(&mut errors);
                Err(ProjectErrors(errors))
            }
        }
    }

    /// Builds a project from `(path, text)` pairs, in the order given; the extension tells
    /// the kind of file, and other files are ignored.
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
            let kind = path.extension().and_then(|e| e.to_str());
            if !matches!(kind, Some("datasource" | "pipe")) {
                continue;
            }
            let name = stem(path);
            if !valid_name(&name) {
                errors.push(ProjectError::new(
                    path,
                    1,
                    format!("the file name {name:?} must be a valid name (letters, digits and underscores, not starting with a digit): it names the table or view"),
                ));
                continue;
            }
            let parsed = if kind == Some("datasource") {
                Datasource::parse(path, text).map(|d| project.datasources.push(d))
            } else {
                Pipe::parse(path, text).map(|p| project.pipes.push(p))
            };
            if let Err(ProjectErrors(es)) = parsed {
                errors.extend(es);
            }
        }
        check_names(&project, &mut errors);
        project.tokens = project
            .datasources
            .iter()
            .flat_map(|d| d.tokens.iter())
            .chain(project.pipes.iter().flat_map(|p| p.tokens.iter()))
            .cloned()
            .collect();
        project
            .tokens
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        sort(&mut errors);
        ProjectErrors::or_ok(errors, project)
    }

    /// Parses one `.datasource` file on its own (no cross-file checks).
    pub fn parse_datasource(path: &Path, text: &str) -> Result<Datasource, ProjectErrors> {
        Datasource::parse(path, text)
    }

    /// Parses one `.pipe` file on its own (no cross-file checks).
    pub fn parse_pipe(path: &Path, text: &str) -> Result<Pipe, ProjectErrors> {
        Pipe::parse(path, text)
    }

    /// The datasource named `name`.
    pub fn datasource(&self, name: &str) -> Option<&Datasource> {
        self.datasources.iter().find(|d| d.name == name)
    }

    /// The pipe named `name`.
    pub fn pipe(&self, name: &str) -> Option<&Pipe> {
        self.pipes.iter().find(|p| p.name == name)
    }

    /// The distinct token names the datafiles declare, sorted.
    pub fn token_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.tokens.iter().map(|t| t.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The grants of the token named `name`: its scope.
    pub fn grants<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a TokenGrant> + 'a {
        self.tokens.iter().filter(move |t| t.name == name)
    }
}

/// Names are unique across datasources and pipes (both are relations to a client), and no
/// pipe may take the name of a datasource's quarantine table.
fn check_names(project: &Project, errors: &mut Vec<ProjectError>) {
    let mut seen: Vec<(&str, &str, &Path)> = Vec::new();
    let all = project
        .datasources
        .iter()
        .map(|d| (d.name.as_str(), "datasource", d.file.as_path()))
        .chain(
            project
                .pipes
                .iter()
                .map(|p| (p.name.as_str(), "pipe", p.file.as_path())),
        );
    for (name, kind, file) in all {
        if let Some((_, other_kind, other)) = seen.iter().find(|(n, _, _)| *n == name) {
            let message = if *other_kind == kind {
                format!(
                    "duplicate {kind} name {name} (also defined in {}:1)",
                    other.display()
                )
            } else {
                format!(
                    "duplicate name {name}: the {other_kind} in {}:1 has it too, and datasources and pipes share one namespace",
                    other.display()
                )
            };
            errors.push(ProjectError::new(file, 1, message));
        } else if let Some(d) = project
            .datasources
            .iter()
            .find(|d| d.quarantine_name() == name)
        {
            errors.push(ProjectError::new(
                file,
                1,
                format!(
                    "{name} is the quarantine table of the datasource in {}; choose another name",
                    d.file.display()
                ),
            ));
        }
        seen.push((name, kind, file));
    }
}

/// Errors in file order, then line order (stable, so one line's errors keep their order).
fn sort(errors: &mut [ProjectError]) {
    errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
}

/// Every datafile under `dir`. Hidden folders (`.git`, `.venv`, ...) are skipped, and
/// symbolic links to folders are not followed, so a link cycle cannot loop.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if !entry.file_name().to_string_lossy().starts_with('.') {
                collect_files(&path, out)?;
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("datasource" | "pipe")
        ) && path.is_file()
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The file stem, which names the datasource or pipe.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `[A-Za-z_][A-Za-z0-9_]*`: the names of datasources, pipes, nodes, columns and tokens.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
#[path = "project_tests.rs"]
mod tests;

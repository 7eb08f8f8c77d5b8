//! Errors in a project's datafiles. Loading collects every one of them, so `pipegate check`
//! shows all the problems of all the files at once, each as `file:line: message`.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem, located in a datafile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProjectError {
    /// The datafile (or the project folder, for problems reading it).
    pub file: PathBuf,
    /// 1-based line of the problem; 0 when it concerns the file as a whole (it cannot be
    /// read), and then the line is left out of the message.
    pub line: usize,
    /// What is wrong and, where it helps, what to do about it.
    pub message: String,
}

impl ProjectError {
    /// An error at `line` of `file`.
    pub fn new(file: &Path, line: usize, message: impl Into<String>) -> ProjectError {
        ProjectError {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file.display(), self.message),
            line => write!(f, "{}:{line}: {}", self.file.display(), self.message),
        }
    }
}

/// Every problem of a project, in file order, shown one per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProjectErrors(pub Vec<ProjectError>);

impl fmt::Display for ProjectErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl ProjectErrors {
    /// `Ok(value)` when `errors` is empty.
    pub(crate) fn or_ok<T>(errors: Vec<ProjectError>, value: T) -> Result<T, ProjectErrors> {
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(ProjectErrors(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_file_line_and_message() {
        let e = ProjectError::new(Path::new("p/a.pipe"), 3, "bad");
        assert_eq!(e.to_string(), "p/a.pipe:3: bad");
        let e = ProjectError::new(Path::new("p"), 0, "cannot read");
        assert_eq!(e.to_string(), "p: cannot read");
        let all = ProjectErrors(vec![
            ProjectError::new(Path::new("a"), 1, "x"),
            ProjectError::new(Path::new("b"), 2, "y"),
        ]);
        assert_eq!(all.to_string(), "a:1: x\nb:2: y");
    }
}

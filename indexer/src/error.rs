//! The error type of the crate: failures that stop a command, as opposed to lint findings.

use std::path::PathBuf;

/// A result whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a command before it produces findings.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path the operation was on.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `catalog.toml` is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The SQLite database or the Tantivy index of a generation failed.
    #[error("{path}: {message}")]
    Store {
        /// The database file or index folder.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A request made by the user cannot be carried out (bad argument, existing file, …).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Wraps a store error with the database or index it happened on.
    pub fn store(path: impl Into<PathBuf>, err: impl std::fmt::Display) -> Self {
        Error::Store {
            path: path.into(),
            message: err.to_string(),
        }
    }

    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

//! What can go wrong with the database, as values that name the file and say
//! what to do. Each has a locale key so the app shows it in the user's
//! language; `Display` gives the English text for the command line.

use std::path::{Path, PathBuf};

use crate::i18n::Localized;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", english(self))]
    NotSqlite { path: PathBuf },
    #[error("{}", english(self))]
    NewerSchema {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    #[error("{}", english(self))]
    OlderSchemaReadOnly {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    #[error("{}", english(self))]
    ReadOnlyFile { path: PathBuf },
    #[error("{}", english(self))]
    ReadOnlyDir { path: PathBuf, dir: PathBuf },
    #[error("{}", english(self))]
    IsDirectory { path: PathBuf },
    #[error("{}", english(self))]
    NotFound { path: PathBuf },
    /// Nobody is named as making changes: every change is recorded with who
    /// made it, so none is saved until the operator is set.
    #[error("{}", english(self))]
    NoOperator { path: PathBuf },
    /// A database of another program (or an empty file): never written.
    #[error("{}", english(self))]
    NotFieldbook { path: PathBuf },
    /// Not a regular file: a FIFO, a device, a socket.
    #[error("{}", english(self))]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{}", english(self))]
    ReadOnlyMode { path: PathBuf },
    /// Another program holds the database for a long write (a first import).
    #[error("{}", english(self))]
    Busy { path: PathBuf },
    /// A program stopped midway through a write that a read-only connection
    /// cannot undo (a hot rollback journal).
    #[error("{}", english(self))]
    Unfinished { path: PathBuf },
    #[error("{}", english(self))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", english(self))]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{}", english(self))]
    Migration { path: PathBuf, message: String },
    /// A save that would break a uniqueness rule (e.g. a household number already used).
    #[error("{}", english(self))]
    Duplicate {
        path: PathBuf,
        table: String,
        column: String,
    },
    /// A save that refers to a row that does not exist.
    #[error("{}", english(self))]
    MissingReference { path: PathBuf, table: String },
    /// A record with a value its column does not take (the problem says
    /// which and why).
    #[error("{}", english(self))]
    Invalid {
        path: PathBuf,
        table: String,
        problem: Box<crate::domain::Problem>,
    },
    /// A record changed (or deleted) by someone else since it was read: not
    /// saved over that change.
    #[error("{}", english(self))]
    Changed {
        path: PathBuf,
        /// Who changed it, and when (UTC, as stored).
        by: String,
        at: String,
        deleted: bool,
    },
    /// A record that was expected but is not there (or is deleted).
    #[error("{}", english(self))]
    NoSuchRow {
        path: PathBuf,
        table: String,
        id: String,
    },
}

fn english(e: &StoreError) -> String {
    e.english()
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

impl Localized for StoreError {
    fn keyed_args(&self) -> Vec<(&'static str, String)> {
        match self {
            StoreError::Invalid { problem, .. } => problem.keyed_args(),
            StoreError::NotRegular { kind, .. } => vec![("kind", (*kind).to_owned())],
            _ => Vec::new(),
        }
    }

    /// The locale key and arguments of this error's message.
    fn key_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        use StoreError::*;
        match self {
            NotSqlite { path } => ("store.error.not_sqlite", vec![("path", p(path))]),
            NewerSchema {
                path,
                found,
                supported,
            } => (
                "store.error.newer_schema",
                vec![
                    ("path", p(path)),
                    ("found", found.to_string()),
                    ("supported", supported.to_string()),
                ],
            ),
            OlderSchemaReadOnly {
                path,
                found,
                supported,
            } => (
                "store.error.older_schema_read_only",
                vec![
                    ("path", p(path)),
                    ("found", found.to_string()),
                    ("supported", supported.to_string()),
                ],
            ),
            ReadOnlyFile { path } => ("store.error.read_only_file", vec![("path", p(path))]),
            ReadOnlyDir { path, dir } => (
                "store.error.read_only_dir",
                vec![("path", p(path)), ("dir", p(dir))],
            ),
            IsDirectory { path } => ("store.error.is_directory", vec![("path", p(path))]),
            NotFound { path } => ("store.error.not_found", vec![("path", p(path))]),
            NotFieldbook { path } => ("store.error.not_fieldbook", vec![("path", p(path))]),
            NoOperator { path } => ("store.error.no_operator", vec![("path", p(path))]),
            NotRegular { path, .. } => ("store.error.not_regular", vec![("path", p(path))]),
            ReadOnlyMode { path } => ("store.error.read_only_mode", vec![("path", p(path))]),
            Busy { path } => ("store.error.busy", vec![("path", p(path))]),
            Unfinished { path } => ("store.error.unfinished", vec![("path", p(path))]),
            Io { path, source } => (
                "store.error.io",
                vec![("path", p(path)), ("detail", source.to_string())],
            ),
            Sqlite { path, source } => (
                "store.error.sqlite",
                vec![("path", p(path)), ("detail", source.to_string())],
            ),
            Migration { path, message } => (
                "store.error.migration",
                vec![("path", p(path)), ("detail", message.clone())],
            ),
            Duplicate {
                path,
                table,
                column,
            } => (
                "store.error.duplicate",
                vec![
                    ("path", p(path)),
                    ("table", table.clone()),
                    ("column", column.clone()),
                ],
            ),
            MissingReference { path, table } => (
                "store.error.missing_reference",
                vec![("path", p(path)), ("table", table.clone())],
            ),
            Invalid { problem, .. } => problem.key_args(),
            Changed {
                by, at, deleted, ..
            } => (
                if *deleted {
                    "store.error.deleted_meanwhile"
                } else {
                    "store.error.changed_meanwhile"
                },
                vec![("who", by.clone()), ("when", crate::clock::local_time(at))],
            ),
            NoSuchRow { path, table, id } => (
                "store.error.no_such_row",
                vec![
                    ("path", p(path)),
                    ("table", table.clone()),
                    ("id", id.clone()),
                ],
            ),
        }
    }
}

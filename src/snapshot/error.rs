//! What can go wrong with a snapshot, as values that name the file (and for
//! a row, its line and column) and say what to do. Each has a locale key so
//! the app shows it in the user's language; `Display` gives the English text
//! for the command line.

use std::path::{Path, PathBuf};

use crate::i18n::{Catalog, Lang, Localized};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{}", english(self))]
    Store(#[from] StoreError),
    #[error("{}", english(self))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", english(self))]
    Xlsx { path: PathBuf, detail: String },
    /// The folder given to import has no manifest.json.
    #[error("{}", english(self))]
    NoManifest { dir: PathBuf },
    #[error("{}", english(self))]
    BadManifest { path: PathBuf, detail: String },
    /// A manifest of another kind of file, or of a newer snapshot format.
    #[error("{}", english(self))]
    UnknownFormat { path: PathBuf, found: String },
    #[error("{}", english(self))]
    NewerSchema {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    /// A file name in the manifest that is not a plain name in the folder.
    #[error("{}", english(self))]
    BadFileName { path: PathBuf, name: String },
    #[error("{}", english(self))]
    MissingFile { path: PathBuf },
    /// Not a regular file (a link, a named pipe, a folder): not read.
    #[error("{}", english(self))]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{}", english(self))]
    Checksum { path: PathBuf },
    /// A table file for a table this database does not have.
    #[error("{}", english(self))]
    UnknownTable { path: PathBuf, table: String },
    /// A snapshot of this schema version that lacks one of its tables.
    #[error("{}", english(self))]
    TableMissing { dir: PathBuf, table: String },
    #[error("{}", english(self))]
    RowCount {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
    /// The file is not well-formed CSV at this line.
    #[error("{}", english(self))]
    Csv {
        path: PathBuf,
        line: u64,
        detail: String,
    },
    #[error("{}", english(self))]
    FieldCount {
        path: PathBuf,
        line: u64,
        found: usize,
        expected: usize,
    },
    #[error("{}", english(self))]
    UnknownColumn {
        path: PathBuf,
        column: usize,
        name: String,
    },
    #[error("{}", english(self))]
    MissingColumn { path: PathBuf, name: String },
    #[error("{}", english(self))]
    DuplicateColumn {
        path: PathBuf,
        column: usize,
        name: String,
    },
    /// A value that is not what its column holds; `expected` is the locale
    /// key describing what it should be.
    #[error("{}", english(self))]
    Cell {
        path: PathBuf,
        line: u64,
        column: usize,
        name: String,
        value: String,
        expected: &'static str,
    },
    /// A value that breaks its column's check (the same check a form makes).
    #[error("{}", english(self))]
    Value {
        path: PathBuf,
        line: u64,
        column: usize,
        name: String,
        problem: Box<crate::domain::Problem>,
    },
    /// The same id on two lines of one file.
    #[error("{}", english(self))]
    DuplicateId {
        path: PathBuf,
        line: u64,
        first: u64,
        id: String,
    },
    /// A reference to a row that is neither in the database nor in the snapshot.
    #[error("{}", english(self))]
    Reference {
        path: PathBuf,
        line: u64,
        column: usize,
        name: String,
        table: String,
        id: String,
    },
    /// A row that breaks a rule of its table (SQLite's words in `detail`).
    #[error("{}", english(self))]
    Rule {
        path: PathBuf,
        line: u64,
        column: usize,
        name: String,
        detail: String,
    },
    /// The merge would leave this household (its number) with `heads`
    /// heads, 0 or more than one, while it has members.
    #[error("{}", english(self))]
    Heads { household: String, heads: u64 },
}

fn english(e: &SnapshotError) -> String {
    e.english()
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

impl SnapshotError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> SnapshotError {
        SnapshotError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Localized for SnapshotError {
    /// The locale key and arguments of this error's message (for
    /// [`SnapshotError::Store`], the store's own).
    fn key_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        use SnapshotError::*;
        let n = |v: u64| v.to_string();
        match self {
            Store(e) => e.key_args(),
            Io { path, source } => (
                "snapshot.error.io",
                vec![("path", p(path)), ("detail", source.to_string())],
            ),
            Xlsx { path, detail } => (
                "snapshot.error.xlsx",
                vec![("path", p(path)), ("detail", detail.clone())],
            ),
            NoManifest { dir } => ("snapshot.error.no_manifest", vec![("dir", p(dir))]),
            BadManifest { path, detail } => (
                "snapshot.error.bad_manifest",
                vec![("path", p(path)), ("detail", detail.clone())],
            ),
            UnknownFormat { path, found } => (
                "snapshot.error.unknown_format",
                vec![("path", p(path)), ("found", found.clone())],
            ),
            NewerSchema {
                path,
                found,
                supported,
            } => (
                "snapshot.error.newer_schema",
                vec![
                    ("path", p(path)),
                    ("found", found.to_string()),
                    ("supported", supported.to_string()),
                ],
            ),
            BadFileName { path, name } => (
                "snapshot.error.bad_file_name",
                vec![("path", p(path)), ("name", name.clone())],
            ),
            MissingFile { path } => ("snapshot.error.missing_file", vec![("path", p(path))]),
            NotRegular { path, .. } => ("snapshot.error.not_regular", vec![("path", p(path))]),
            Checksum { path } => ("snapshot.error.checksum", vec![("path", p(path))]),
            UnknownTable { path, table } => (
                "snapshot.error.unknown_table",
                vec![("path", p(path)), ("table", table.clone())],
            ),
            TableMissing { dir, table } => (
                "snapshot.error.table_missing",
                vec![("dir", p(dir)), ("table", table.clone())],
            ),
            RowCount {
                path,
                expected,
                found,
            } => (
                "snapshot.error.row_count",
                vec![
                    ("path", p(path)),
                    ("expected", n(*expected)),
                    ("found", n(*found)),
                ],
            ),
            Csv { path, line, detail } => (
                "snapshot.error.csv",
                vec![
                    ("path", p(path)),
                    ("line", n(*line)),
                    ("detail", detail.clone()),
                ],
            ),
            FieldCount {
                path,
                line,
                found,
                expected,
            } => (
                "snapshot.error.field_count",
                vec![
                    ("path", p(path)),
                    ("line", n(*line)),
                    ("found", found.to_string()),
                    ("expected", expected.to_string()),
                ],
            ),
            UnknownColumn { path, column, name } => (
                "snapshot.error.unknown_column",
                vec![
                    ("path", p(path)),
                    ("column", column.to_string()),
                    ("name", name.clone()),
                ],
            ),
            MissingColumn { path, name } => (
                "snapshot.error.missing_column",
                vec![("path", p(path)), ("name", name.clone())],
            ),
            DuplicateColumn { path, column, name } => (
                "snapshot.error.duplicate_column",
                vec![
                    ("path", p(path)),
                    ("column", column.to_string()),
                    ("name", name.clone()),
                ],
            ),
            Cell {
                path,
                line,
                column,
                name,
                value,
                expected: _,
            } => (
                "snapshot.error.cell",
                vec![
                    ("path", p(path)),
                    ("line", n(*line)),
                    ("column", column.to_string()),
                    ("name", name.clone()),
                    ("value", value.clone()),
                ],
            ),
            Value {
                path,
                line,
                column,
                name,
                problem: _,
            } => (
                "snapshot.error.value",
                vec![
                    ("path", p(path)),
                    ("line", n(*line)),
                    ("column", column.to_string()),
                    ("name", name.clone()),
                ],
            ),
            DuplicateId {
                path,
                line,
                first,
                id,
            } => (
                "snapshot.error.duplicate_id",
                vec![
                    ("path", p(path)),
                    ("line", n(*line)),
                    ("first", n(*first)),
                    ("id", id.clone()),
                ],
            ),
            Reference {
                path,
                line,
                column,
                name,
                table,
                id,
            } => (
                "snapshot.error.reference",
                vec![
                    ("path", p(path)),
                    ("line", n(*line)),
                    ("column", column.to_string()),
                    ("name", name.clone()),
                    ("table", table.clone()),
                    ("id", id.clone()),
                ],
            ),
            Rule {
                path,
                line,
                column,
                name,
                detail,
            } => (
                "snapshot.error.rule",
                vec![
                    ("path", p(path)),
                    ("line", n(*line)),
                    ("column", column.to_string()),
                    ("name", name.clone()),
                    ("detail", detail.clone()),
                ],
            ),
            Heads {
                household,
                heads: 0,
            } => (
                "snapshot.error.no_head",
                vec![("household", household.clone())],
            ),
            Heads { household, heads } => (
                "snapshot.error.heads",
                vec![("household", household.clone()), ("n", n(*heads))],
            ),
        }
    }

    fn keyed_args(&self) -> Vec<(&'static str, String)> {
        match self {
            SnapshotError::Cell { expected, .. } => vec![("expected", (*expected).to_owned())],
            SnapshotError::NotRegular { kind, .. } => vec![("kind", (*kind).to_owned())],
            _ => Vec::new(),
        }
    }

    /// The message in `lang`; a value's problem is itself a message, in
    /// the same language (each half of a bilingual line its own).
    fn message(&self, catalog: &Catalog, lang: Lang) -> String {
        match self {
            SnapshotError::Store(e) => e.message(catalog, lang),
            SnapshotError::Value { problem, .. } => {
                let one = |l: Lang| {
                    let (key, mut args) = self.key_args();
                    args.push(("detail", problem.message(catalog, l)));
                    let args: Vec<(&str, &str)> =
                        args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    catalog.format(l, key, &args)
                };
                match lang {
                    Lang::ZhBo => crate::i18n::bilingual(&one(Lang::Zh), &one(Lang::Bo)),
                    l => one(l),
                }
            }
            _ => {
                let (key, args) = self.key_args();
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let keyed = self.keyed_args();
                let keyed: Vec<(&str, &str)> =
                    keyed.iter().map(|(k, v)| (*k, v.as_str())).collect();
                catalog.format_keyed(lang, key, &args, &keyed)
            }
        }
    }
}

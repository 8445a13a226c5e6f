//! Daily CSV snapshots for the county office, and merging snapshots from
//! many laptops.
//!
//! A snapshot is a folder `<date>/` holding one CSV file per table of
//! entered data (every table of [`crate::store::TABLES`], so a table added
//! later joins by itself), `codebook.csv` and `manifest.json`, and with
//! `--xlsx` a workbook. The CSV files are UTF-8 with a byte order mark (so
//! Excel and WPS show Chinese and Tibetan), RFC 4180 with CRLF line ends,
//! headed by the column names; ids and references are UUIDs, choices are
//! codes, money is fen, tombstoned rows are included with their deletion
//! time, and NULL is an empty cell. A text cell starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return (or a `'`) gets a leading `'` so no
//! spreadsheet takes it for a formula; the importer removes exactly that one
//! quote.
//!
//! - [`export`] streams the tables out of one read transaction into a
//!   private temporary folder beside the target and renames it into place.
//! - [`import`] checks every checksum first, then merges by id in one
//!   transaction (see `import.rs` for the rules).
//! - [`auto`] is the snapshot the app writes when it exits.

pub mod auto;
mod codebook;
mod error;
mod export;
pub mod files;
mod import;
pub mod manifest;
mod xlsx;

pub use codebook::HEADER as CODEBOOK_HEADER;
/// The locale keys of a table's and a column's label (the workbook's, the
/// codebook's and the history's).
pub use codebook::{column_key, table_key};
pub use error::SnapshotError;
pub use export::{ExportOptions, Exported, export};
pub use import::{
    Conflict, ConflictKind, DuplicateMember, ImportReport, PossibleDuplicate, Source, TableCounts,
    import,
};
pub use manifest::{FileEntry, MANIFEST, Manifest};

/// The codebook's file name.
pub const CODEBOOK: &str = "codebook.csv";

/// Rows between two progress reports.
pub const TICK: u64 = 4096;

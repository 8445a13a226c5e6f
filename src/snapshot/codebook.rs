//! `codebook.csv`: every file, every column and every code of a snapshot
//! with its Chinese, Tibetan and English label, so a person can read the
//! files without the app.
//!
//! Columns: `file, column, kind, code, label_zh, label_bo, label_en`.
//! - first, one row per kind of value (`file` and `column` empty) saying
//!   what such a value looks like;
//! - then for each table file: a row naming the file, a row per column with
//!   its kind (`ref:village`, `code:sex`, `fen`, ...), and after a column of
//!   codes, a row per code.

use std::io::Write;
use std::path::Path;

use super::files::{BOM, HashWriter, create_private_file, neutralise};
use super::manifest::FileEntry;
use super::{CODEBOOK, SnapshotError};
use crate::domain::table::{FAMILIES, Kind, Table};
use crate::i18n::{Catalog, Locale};

pub const HEADER: [&str; 7] = [
    "file", "column", "kind", "code", "label_zh", "label_bo", "label_en",
];

/// The label of `key` in each locale, or `fallback` where a locale lacks it.
pub fn labels(catalog: &Catalog, key: &str, fallback: &str) -> [String; 3] {
    [Locale::Zh, Locale::Bo, Locale::En].map(|l| catalog.get(l, key).unwrap_or(fallback).to_owned())
}

pub fn table_key(table: &str) -> String {
    format!("snapshot.table.{table}")
}

pub fn column_key(column: &str) -> String {
    format!("snapshot.col.{column}")
}

/// Writes the codebook into `dir` for the tables (and their columns) of a snapshot.
pub fn write(
    dir: &Path,
    catalog: &Catalog,
    tables: &[&Table],
    courses: &[(String, String, String, String)],
) -> Result<FileEntry, SnapshotError> {
    let path = dir.join(CODEBOOK);
    let io = |e: std::io::Error| SnapshotError::io(&path, e);
    let file = create_private_file(&path).map_err(io)?;
    let mut hw = HashWriter::new(file);
    hw.write_all(BOM).map_err(io)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(hw);
    let mut rows = 0u64;
    let mut scratch = Vec::new();
    let mut row = |w: &mut csv::Writer<_>, fields: [&str; 7]| -> Result<(), SnapshotError> {
        for f in fields {
            w.write_field(neutralise(f.as_bytes(), &mut scratch))
                .map_err(|e| SnapshotError::io(&path, e.into()))?;
        }
        w.write_record(None::<&[u8]>)
            .map_err(|e| SnapshotError::io(&path, e.into()))?;
        rows += 1;
        Ok(())
    };
    w.write_record(HEADER).map_err(|e| io(e.into()))?;
    for family in FAMILIES {
        let [zh, bo, en] = labels(catalog, &format!("snapshot.kind.{family}"), family);
        row(&mut w, ["", "", family, "", &zh, &bo, &en])?;
    }
    let yes = labels(catalog, "snapshot.flag.yes", "1");
    let no = labels(catalog, "snapshot.flag.no", "0");
    for table in tables {
        let file = format!("{}.csv", table.name);
        let [zh, bo, en] = labels(catalog, &table_key(table.name), table.name);
        row(&mut w, [&file, "", "", "", &zh, &bo, &en])?;
        for c in table.all_columns() {
            let [zh, bo, en] = labels(catalog, &column_key(c.name), c.name);
            let kind = c.kind.code();
            row(&mut w, [&file, c.name, &kind, "", &zh, &bo, &en])?;
            match c.kind {
                Kind::Code(list) | Kind::Codes(list) => {
                    for code in list.codes {
                        let [zh, bo, en] = labels(catalog, &list.label_key(code), code);
                        row(&mut w, [&file, c.name, "", code, &zh, &bo, &en])?;
                    }
                }
                Kind::CodesOf(_) => {
                    for (code, zh, bo, en) in courses {
                        row(&mut w, [&file, c.name, "", code, zh, bo, en])?;
                    }
                }
                Kind::Flag => {
                    row(&mut w, [&file, c.name, "", "1", &yes[0], &yes[1], &yes[2]])?;
                    row(&mut w, [&file, c.name, "", "0", &no[0], &no[1], &no[2]])?;
                }
                _ => {}
            }
        }
    }
    let hw = w
        .into_inner()
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let (file, sha256, bytes) = hw.finish();
    file.sync_all().map_err(io)?;
    Ok(FileEntry {
        file: CODEBOOK.to_owned(),
        table: None,
        rows,
        bytes,
        sha256,
    })
}

//! Writing a snapshot: every table of entered data streamed from one
//! consistent read into `<table>.csv`, then the codebook, the workbook if
//! asked for, and the manifest last, all in a private temporary folder
//! beside the target that is renamed into place when whole.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;

use super::codebook;
use super::files::{
    BOM, HashWriter, aside, create_private_dir, create_private_file, neutralise, replace_dir,
};
use super::manifest::{FORMAT, FORMAT_VERSION, FileEntry, MANIFEST, Manifest};
use super::xlsx::Book;
use super::{SnapshotError, TICK};
use crate::domain::records::Course;
use crate::domain::table::{Record, Table};
use crate::i18n::Catalog;
use crate::store::sync::{Cell, Reader};
use crate::store::{Store, TABLES};

/// For the test that kills an export midway: after this many rows the
/// export stops and waits to be killed.
const STALL_ENV: &str = "FIELDBOOK_TEST_EXPORT_STALL_AFTER_ROWS";

/// What to export, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The folder that receives `<date>/`.
    pub out_dir: PathBuf,
    /// The snapshot's day (its folder's name).
    pub date: NaiveDate,
    /// Also write the workbook for the county office.
    pub xlsx: bool,
}

/// A snapshot written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// `<out_dir>/<date>`.
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// The database's change mark as of the rows read (see `Store::change_mark`).
    pub mark: i64,
}

impl Exported {
    /// Data rows in all table files.
    pub fn rows(&self) -> u64 {
        self.manifest
            .files
            .iter()
            .filter(|f| f.table.is_some())
            .map(|f| f.rows)
            .sum()
    }
}

/// Writes the snapshot of `opts.date` into `opts.out_dir`, replacing that
/// day's snapshot if there is one. `progress(done, total)` is called every
/// few thousand rows (`total` is an estimate until the end).
pub fn export(
    store: &Store,
    catalog: &Catalog,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Exported, SnapshotError> {
    let out = &opts.out_dir;
    fs::create_dir_all(out).map_err(|e| SnapshotError::io(out, e))?;
    remove_stale(out);
    let dest = out.join(opts.date.format("%Y-%m-%d").to_string());
    let tmp = aside(&dest, "tmp");
    create_private_dir(&tmp).map_err(|e| SnapshotError::io(&tmp, e))?;
    let result =
        write_snapshot(store, catalog, opts, &tmp, progress).and_then(|(manifest, mark)| {
            replace_dir(&tmp, &dest).map_err(|e| SnapshotError::io(&dest, e))?;
            Ok(Exported {
                dir: dest.clone(),
                manifest,
                mark,
            })
        });
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Removes what interrupted exports left in `out` (hidden `.DATE.tmp-*`
/// and `.DATE.old-*` folders) once they are an hour old: a younger one may
/// belong to an export still running.
fn remove_stale(out: &Path) {
    let Ok(entries) = fs::read_dir(out) else {
        return;
    };
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') || !(name.contains(".tmp-") || name.contains(".old-")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if old {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn write_snapshot(
    store: &Store,
    catalog: &Catalog,
    opts: &ExportOptions,
    tmp: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Manifest, i64), SnapshotError> {
    let stall: Option<u64> = std::env::var(STALL_ENV).ok().and_then(|v| v.parse().ok());
    let schema_version = store.schema_version()?;
    store.read_consistent(|r| {
        let exported_at = crate::clock::now_utc();
        let mark = r.change_mark()?;
        let tables: &[&Table] = TABLES;
        let mut total = 0u64;
        for table in tables {
            total += r.estimate_rows(table.name)?;
        }
        let courses = r.catalogue_names(Course::TABLE)?;
        let date = opts.date.format("%Y-%m-%d").to_string();
        let mut book = if opts.xlsx {
            Some(Book::new(
                tmp.join(format!("fieldbook-{date}.xlsx")),
                tmp,
                catalog,
                &courses,
            )?)
        } else {
            None
        };
        let mut files = Vec::with_capacity(tables.len() + 2);
        let mut done = 0u64;
        progress(0, total);
        for table in tables {
            let mut ctx = TableCtx {
                done: &mut done,
                total,
                progress: &mut *progress,
                stall,
            };
            files.push(write_table(r, tmp, table, book.as_mut(), &mut ctx)?);
        }
        progress(done, done);
        files.push(codebook::write(tmp, catalog, tables, &courses)?);
        if let Some(b) = book {
            files.push(b.save()?);
        }
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version,
            device_id: store.device_id().to_owned(),
            operator: store.operator().to_owned(),
            exported_at,
            date,
            files,
        };
        write_manifest(tmp, &manifest)?;
        Ok((manifest, mark))
    })
}

struct TableCtx<'a> {
    done: &'a mut u64,
    total: u64,
    progress: &'a mut dyn FnMut(u64, u64),
    stall: Option<u64>,
}

fn write_table(
    r: &Reader<'_>,
    dir: &Path,
    table: &Table,
    mut book: Option<&mut Book<'_>>,
    ctx: &mut TableCtx<'_>,
) -> Result<FileEntry, SnapshotError> {
    let file_name = format!("{}.csv", table.name);
    let path = dir.join(&file_name);
    let io = |e: std::io::Error| SnapshotError::io(&path, e);
    let file = create_private_file(&path).map_err(io)?;
    let mut hw = HashWriter::new(file);
    hw.write_all(BOM).map_err(io)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1 << 16)
        .from_writer(hw);
    w.write_record(table.all_columns().map(|c| c.name))
        .map_err(|e| io(e.into()))?;
    if let Some(b) = book.as_deref_mut() {
        b.begin_table(table)?;
    }
    let text: Vec<bool> = table.all_columns().map(|c| !c.kind.is_integer()).collect();
    let mut scratch = Vec::with_capacity(64);
    let mut number = Vec::with_capacity(24);
    let mut rows = 0u64;
    r.for_each_row(table, |cells| {
        for (i, cell) in cells.iter().enumerate() {
            let written = match *cell {
                Cell::Null => w.write_field(b""),
                Cell::Int(n) => {
                    number.clear();
                    let _ = write!(number, "{n}");
                    w.write_field(&number)
                }
                Cell::Real(x) => {
                    number.clear();
                    let _ = write!(number, "{x}");
                    w.write_field(&number)
                }
                Cell::Text(t) if text[i] => w.write_field(neutralise(t, &mut scratch)),
                Cell::Text(t) => w.write_field(t),
            };
            written.map_err(|e| io(e.into()))?;
        }
        w.write_record(None::<&[u8]>).map_err(|e| io(e.into()))?;
        if let Some(b) = book.as_deref_mut() {
            b.write_row(r, cells)?;
        }
        rows += 1;
        *ctx.done += 1;
        if ctx.done.is_multiple_of(TICK) {
            (ctx.progress)(*ctx.done, ctx.total.max(*ctx.done));
        }
        if ctx.stall == Some(*ctx.done) {
            // The test kills the process here, with this file half written.
            let _ = w.flush();
            loop {
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        Ok::<(), SnapshotError>(())
    })?;
    let hw = w
        .into_inner()
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let (file, sha256, bytes) = hw.finish();
    file.sync_all().map_err(io)?;
    Ok(FileEntry {
        file: file_name,
        table: Some(table.name.to_owned()),
        rows,
        bytes,
        sha256,
    })
}

fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), SnapshotError> {
    let path = dir.join(MANIFEST);
    let io = |e: std::io::Error| SnapshotError::io(&path, e);
    let mut json = serde_json::to_vec_pretty(manifest).map_err(|e| io(e.into()))?;
    json.push(b'\n');
    let mut f = create_private_file(&path).map_err(io)?;
    f.write_all(&json).map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok(())
}

//! Merging snapshots from other laptops (the county office's consolidation).
//!
//! First every snapshot's manifest is read and every file's SHA-256 checked,
//! before anything is written. Then, in one transaction, table by table
//! (parents before children) and snapshot by snapshot, each row is merged by
//! its id: inserted if new, replacing the row if newer (`updated_at`, ties
//! broken by the greater device id), kept otherwise. Tombstones are rows
//! like any other, so deletions travel the same way. Any malformed value,
//! unknown or missing column, or reference to a row that exists nowhere
//! stops the import with the file, line and column, and nothing is written.
//!
//! A row whose unique code (a village code, a household number) is already
//! held by another row is a conflict for review: it is skipped, and so is
//! every row that depends on it (its households, their members ...), so no
//! reference is ever left dangling; the rest of the snapshot is imported.
//! The same person (ID number) under two ids is imported but reported as a
//! possible duplicate, never merged silently.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rusqlite::types::Value;
use serde_json::json;

use super::files::{BOM, sha256_of, unneutralise};
use super::manifest::Manifest;
use super::{SnapshotError, TICK};
use crate::domain::Problem;
use crate::domain::table::{Column, Kind, Table};
use crate::store::sync::{BATCH_ROWS, DuplicateGroup, Merged, Param, Upsert};
use crate::store::{LATEST_VERSION, Store, TABLES, Writer};

/// Incoming rows from which a table is loaded in bulk: into an empty table
/// its indexes are built once after the load instead of kept in step row by
/// row, and for persons the search index is rebuilt once.
const BULK_ROWS: u64 = 2000;

/// For the test that kills an import midway: once this many rows are in,
/// the import waits to be killed, its transaction open.
const STALL_ENV: &str = "FIELDBOOK_TEST_IMPORT_STALL_AFTER_ROWS";

/// Rows merged by one statement.
const BATCH: usize = BATCH_ROWS;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub sources: Vec<Source>,
    /// Per table, in import order.
    pub tables: Vec<TableCounts>,
    /// Rows not imported, for review.
    pub conflicts: Vec<Conflict>,
    /// Persons sharing an ID number under different ids since this import.
    pub duplicates: Vec<PossibleDuplicate>,
    /// Sessions this import left with more trainees than places (enrolled
    /// on two laptops): kept, since they were enrolled, and named so the
    /// roster can be put right.
    pub over_capacity: Vec<crate::store::training::OverCapacity>,
}

/// One snapshot imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub dir: PathBuf,
    pub device_id: String,
    pub operator: String,
    pub exported_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableCounts {
    pub table: String,
    pub inserted: u64,
    pub updated: u64,
    /// Rows the database already had in this version or a newer one.
    pub unchanged: u64,
    /// Rows skipped for review (see [`Conflict`]).
    pub conflicts: u64,
}

/// A row not imported, for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub path: PathBuf,
    pub line: u64,
    pub table: String,
    pub id: String,
    pub kind: ConflictKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConflictKind {
    /// Its `column` holds `value`, which another row (`holder`) already has.
    Unique {
        column: String,
        value: String,
        holder: Option<String>,
    },
    /// It refers (in `column`) to a row of `parent_table` that was skipped.
    Dependent {
        column: String,
        parent_table: String,
        parent_id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleDuplicate {
    pub id_number: String,
    pub members: Vec<DuplicateMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateMember {
    pub id: String,
    pub name_zh: String,
    pub name_bo: String,
    /// Where the row came from, if from this import.
    pub source: Option<(PathBuf, u64)>,
}

/// A snapshot whose files have been checked.
struct Snapshot {
    dir: PathBuf,
    manifest: Manifest,
    /// Table -> (file, rows the manifest promises).
    tables: HashMap<String, (PathBuf, u64)>,
}

/// Reads the manifest of `dir` and checks every file it lists.
fn check_snapshot(dir: &Path) -> Result<Snapshot, SnapshotError> {
    let manifest = Manifest::read(dir)?;
    let manifest_path = dir.join(super::MANIFEST);
    if manifest.schema_version > LATEST_VERSION {
        return Err(SnapshotError::NewerSchema {
            path: manifest_path,
            found: manifest.schema_version,
            supported: LATEST_VERSION,
        });
    }
    let mut names = HashSet::new();
    let mut tables = HashMap::new();
    for f in &manifest.files {
        let plain = !f.file.is_empty()
            && f.file != "."
            && f.file != ".."
            && !f.file.contains(['/', '\\', '\0'])
            && f.file != super::MANIFEST;
        if !plain || !names.insert(f.file.clone()) {
            return Err(SnapshotError::BadFileName {
                path: manifest_path,
                name: f.file.clone(),
            });
        }
        let path = dir.join(&f.file);
        match crate::files::regular(&path) {
            Ok(true) => {}
            Ok(false) => return Err(SnapshotError::MissingFile { path }),
            Err(crate::files::Unreadable::NotRegular(kind)) => {
                return Err(SnapshotError::NotRegular { path, kind });
            }
            Err(crate::files::Unreadable::Missing) => {
                return Err(SnapshotError::MissingFile { path });
            }
            Err(crate::files::Unreadable::Io(e)) => return Err(SnapshotError::io(&path, e)),
        }
        let (sha, bytes) = sha256_of(&path).map_err(|e| SnapshotError::io(&path, e))?;
        if bytes != f.bytes || !sha.eq_ignore_ascii_case(&f.sha256) {
            return Err(SnapshotError::Checksum { path });
        }
        if let Some(t) = &f.table {
            if crate::domain::records::table(t).is_none() {
                return Err(SnapshotError::UnknownTable {
                    path,
                    table: t.clone(),
                });
            }
            if tables.insert(t.clone(), (path, f.rows)).is_some() {
                return Err(SnapshotError::BadFileName {
                    path: manifest_path,
                    name: f.file.clone(),
                });
            }
        }
    }
    // A snapshot of an older schema may lack tables added since; one of
    // this schema must have them all.
    if manifest.schema_version == LATEST_VERSION
        && let Some(t) = TABLES.iter().find(|t| !tables.contains_key(t.name))
    {
        return Err(SnapshotError::TableMissing {
            dir: dir.to_path_buf(),
            table: t.name.to_owned(),
        });
    }
    Ok(Snapshot {
        dir: dir.to_path_buf(),
        manifest,
        tables,
    })
}

/// Merges the snapshots in `dirs` into the database, in one transaction.
/// `progress(done, total)` is called every few thousand rows.
pub fn import(
    store: &mut Store,
    dirs: &[PathBuf],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportReport, SnapshotError> {
    let snapshots = dirs
        .iter()
        .map(|d| check_snapshot(d))
        .collect::<Result<Vec<_>, _>>()?;
    let total: u64 = snapshots
        .iter()
        .flat_map(|s| s.tables.values().map(|(_, n)| *n))
        .sum();
    store.merge(|w| {
        let mut m = Merge {
            w,
            done: 0,
            total,
            progress,
            stall: std::env::var(STALL_ENV).ok().and_then(|v| v.parse().ok()),
            skipped: HashMap::new(),
            whole: total >= BULK_ROWS,
            report: ImportReport {
                sources: snapshots
                    .iter()
                    .map(|s| Source {
                        dir: s.dir.clone(),
                        device_id: s.manifest.device_id.clone(),
                        operator: s.manifest.operator.clone(),
                        exported_at: s.manifest.exported_at.clone(),
                    })
                    .collect(),
                ..ImportReport::default()
            },
        };
        // A large import sets every derived table's triggers aside (the
        // search index, training wishes, the report's tallies) for all its
        // tables, not only the persons: row by row they would refresh a
        // household's or an assignment's tallies for each of its rows. The
        // commit makes them all once (Store::write).
        if m.whole {
            m.w.defer_search_index_with_cache(None)?;
        }
        let before = m.w.duplicate_id_numbers()?;
        // Households already without exactly one head (written before the
        // store held the rule) do not stop an import that leaves them so.
        let heads_before = if m.w.count_rows("person")? == 0 {
            HashSet::new()
        } else {
            m.w.households_without_one_head()?.into_iter().collect()
        };
        let full_before = m.w.sessions_over_capacity()?;
        for table in TABLES {
            m.table(table, &snapshots)?;
        }
        m.one_head_each(&heads_before)?;
        m.report.over_capacity =
            m.w.sessions_over_capacity()?
                .into_iter()
                .filter(|s| !full_before.contains(s))
                .collect();
        let after = m.w.duplicate_id_numbers()?;
        m.report.duplicates = new_duplicates(&before, after, &snapshots)?;
        (m.progress)(m.done, m.done);
        m.audit()?;
        Ok(m.report)
    })
}

/// A row that met a unique clash, kept to try again at the end of its table
/// (two rows that swapped codes clash until both are in).
struct Pending {
    path: PathBuf,
    line: u64,
    values: Vec<Value>,
    /// The column whose value another row holds.
    column: String,
}

struct Merge<'w, 'a, 'p> {
    w: &'w mut Writer<'a>,
    done: u64,
    total: u64,
    progress: &'p mut dyn FnMut(u64, u64),
    /// See [`STALL_ENV`].
    stall: Option<u64>,
    /// Ids of rows skipped (not in the database), by table: rows that
    /// refer to them are skipped too.
    skipped: HashMap<String, HashSet<String>>,
    report: ImportReport,
    /// The whole import is a bulk load (see [`import`]).
    whole: bool,
}

impl Merge<'_, '_, '_> {
    fn table(&mut self, decl: &'static Table, snapshots: &[Snapshot]) -> Result<(), SnapshotError> {
        let table = decl.name;
        if !snapshots.iter().any(|s| s.tables.contains_key(table)) {
            return Ok(());
        }
        let columns: Vec<&'static Column> = decl.all_columns().collect();
        let upsert = Upsert::new(decl);
        // The codes of catalogues (courses) a column of this table names,
        // as merged so far (catalogues come first).
        let mut catalogues = HashMap::new();
        for c in &columns {
            if let Kind::CodesOf(t) = c.kind {
                catalogues.insert(t, self.w.catalogue_codes(t)?);
            }
        }
        // The parents' values a rule of this table needs (villages' codes
        // for household numbers), as merged so far (parents come first).
        let parents = match decl.parent_rule {
            Some(rule) => Some(self.w.column_by_id(rule.parent, rule.parent_column)?),
            None => None,
        };
        let rows_before = self.w.count_rows(table)?;
        let mut counts = TableCounts {
            table: table.to_owned(),
            ..TableCounts::default()
        };
        let (mut read, mut changed) = (0u64, 0u64);
        let mut pending = Vec::new();
        let incoming: u64 = snapshots
            .iter()
            .filter_map(|s| s.tables.get(table).map(|(_, n)| *n))
            .sum();
        // Into an empty table, rows go in much faster without its indexes,
        // which are then built once, by sorting.
        let fresh = rows_before == 0 && incoming >= BULK_ROWS;
        // Row by row, the person search index would make a large merge
        // several times slower: it is rebuilt once after the table instead.
        let bulk = table == "person" && incoming >= BULK_ROWS && !self.whole;
        if bulk {
            self.w.defer_person_index(!fresh)?;
        }
        let indexes = if fresh {
            self.w.drop_indexes_for_load(table)?
        } else {
            Vec::new()
        };
        for s in snapshots {
            let Some((path, expected)) = s.tables.get(table) else {
                continue;
            };
            let what = Read {
                table: decl,
                columns: &columns,
                catalogues: &catalogues,
                parents: parents.as_ref(),
            };
            let (n, c) = self.file(&what, path, &upsert, &mut pending, &mut counts)?;
            if n != *expected {
                return Err(SnapshotError::RowCount {
                    path: path.clone(),
                    expected: *expected,
                    found: n,
                });
            }
            read += n;
            changed += c;
        }
        // Clashing rows again, while that lets some in.
        loop {
            let mut still = Vec::new();
            let before = pending.len();
            for mut p in pending {
                let params: Vec<Param<'_>> = p.values.iter().map(Param::from).collect();
                match self.merge_one(decl, &p.path, p.line, &upsert, &params)? {
                    Merged::Changed => changed += 1,
                    Merged::Clash { column } => {
                        p.column = column;
                        still.push(p);
                    }
                    _ => {}
                }
            }
            let progress_made = still.len() < before;
            pending = still;
            if pending.is_empty() || !progress_made {
                break;
            }
        }
        for p in pending {
            self.unique_conflict(decl, p)?;
            counts.conflicts += 1;
        }
        // Before anything reads them: the head names recomputed next read
        // persons by household.
        self.w.build_indexes(&indexes)?;
        if bulk {
            self.w.resume_person_index(changed > 0)?;
        }
        let inserted = self.w.count_rows(table)?.saturating_sub(rows_before);
        counts.inserted = inserted;
        counts.updated = changed.saturating_sub(inserted);
        counts.unchanged = read.saturating_sub(changed + counts.conflicts);
        self.report.tables.push(counts);
        Ok(())
    }

    /// Merges one file; returns (rows read, rows changed).
    ///
    /// A second thread reads and checks the rows (CSV, UTF-8, each value
    /// against its column) a batch ahead while this one writes the batch
    /// before: about a tenth of an import's work, off the writing thread.
    fn file(
        &mut self,
        what: &Read<'_>,
        path: &Path,
        upsert: &Upsert,
        pending: &mut Vec<Pending>,
        counts: &mut TableCounts,
    ) -> Result<(u64, u64), SnapshotError> {
        let (decl, columns) = (what.table, what.columns);
        let table = decl.name;
        let mut reader = open_csv(path)?;
        let mut rec = csv::ByteRecord::new();
        let order = read_header(&mut reader, &mut rec, path, columns)?;
        let width = rec.len();
        let (mut read, mut changed) = (0u64, 0u64);
        let refs: Vec<(usize, &str)> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c.kind {
                Kind::Ref(t) => Some((i, t)),
                _ => None,
            })
            .collect();
        let w: &Writer<'_> = self.w;
        let mut stmt = w.upsert_statement(upsert)?;
        let mut batch = w.batch_statement(upsert)?;
        std::thread::scope(|scope| {
            let (rows_tx, rows_rx) = mpsc::sync_channel(4);
            let (back_tx, back_rx) = mpsc::channel();
            let order = &order;
            scope.spawn(move || {
                let rows = RowReader {
                    reader,
                    path,
                    what,
                    order,
                    width,
                    days: crate::clock::days(),
                    seen: HashMap::new(),
                };
                rows.run(&rows_tx, &back_rx);
            });
            // Ends when the reader has sent its last chunk (or an error);
            // returning early drops the receiver, which stops the reader.
            for chunk in rows_rx {
                let chunk: Chunk = chunk?;
                let rows = &chunk.rows[..chunk.len];
                let before = self.done;
                read += rows.len() as u64;
                self.done += rows.len() as u64;
                if self.done / TICK != before / TICK {
                    (self.progress)(self.done, self.total.max(self.done));
                }
                // The batch's values one row after another, less the rows
                // that refer to a row skipped for review.
                let mut all: Vec<Param<'_>> = Vec::with_capacity(rows.len() * columns.len());
                let mut kept: Vec<u64> = Vec::with_capacity(rows.len());
                for row in rows {
                    let from = all.len();
                    all.extend(row.params());
                    let params = &all[from..];
                    if let Some(c) =
                        dependent(&self.skipped, table, columns, &refs, params, path, row.line)
                    {
                        // Its own dependents are skipped in turn, unless the
                        // database already has it (then they have their parent).
                        if !w.row_exists(table, &c.id)? {
                            self.skipped
                                .entry(table.to_owned())
                                .or_default()
                                .insert(c.id.clone());
                        }
                        self.report.conflicts.push(c);
                        counts.conflicts += 1;
                        all.truncate(from);
                        continue;
                    }
                    kept.push(row.line);
                }
                // One statement for the batch; a batch with a row that
                // breaks a constraint is merged again row by row.
                let batched = if kept.len() == BATCH {
                    batch.merge(&all)?
                } else if kept.len() > 1 {
                    w.merge_batch(upsert, &all)?
                } else {
                    None
                };
                if let Some(k) = batched {
                    changed += k;
                } else {
                    for (line, params) in kept.iter().zip(all.chunks(columns.len())) {
                        let merged = stmt.merge(params)?;
                        match checked(w, merged, decl, path, *line, params)? {
                            Merged::Changed => changed += 1,
                            Merged::Clash { column } => pending.push(Pending {
                                path: path.to_path_buf(),
                                line: *line,
                                values: params.iter().map(|p| p.to_value()).collect(),
                                column,
                            }),
                            _ => {}
                        }
                    }
                }
                drop(all);
                // The reader fills it again; if it has stopped, no matter.
                let _ = back_tx.send(chunk);
                if self.stall.is_some_and(|n| self.done >= n) {
                    loop {
                        std::thread::sleep(std::time::Duration::from_secs(60));
                    }
                }
            }
            Ok((read, changed))
        })
    }

    /// Merges one row: `Changed`, `Kept` or `Clash`; a broken reference or
    /// rule is an error naming the line and column.
    fn merge_one(
        &mut self,
        table: &'static Table,
        path: &Path,
        line: u64,
        upsert: &Upsert,
        params: &[Param<'_>],
    ) -> Result<Merged, SnapshotError> {
        let merged = self.w.merge_row(upsert, params)?;
        checked(self.w, merged, table, path, line, params)
    }

    /// Records a row that still clashes on a unique value, and skips its dependents.
    fn unique_conflict(&mut self, decl: &'static Table, p: Pending) -> Result<(), SnapshotError> {
        let table = decl.name;
        let params: Vec<Param<'_>> = p.values.iter().map(Param::from).collect();
        let column = p.column;
        let i = decl.all_columns().position(|c| c.name == column);
        let value = i.map(|i| params[i]).unwrap_or(Param::Null);
        let holder = self.w.unique_holder(table, &column, value)?;
        let id = id_of(&params);
        if !self.w.row_exists(table, &id)? {
            self.skipped
                .entry(table.to_owned())
                .or_default()
                .insert(id.clone());
        }
        self.report.conflicts.push(Conflict {
            path: p.path,
            line: p.line,
            table: table.to_owned(),
            id,
            kind: ConflictKind::Unique {
                column,
                value: match value {
                    Param::Text(t) => t.to_owned(),
                    Param::Int(n) => n.to_string(),
                    Param::Null => String::new(),
                },
                holder,
            },
        });
        Ok(())
    }

    /// Refuses the whole import if it would leave a household with two
    /// heads, or with members and none (the head changed on two laptops,
    /// or deleted on one): the rule every save in the store keeps. A
    /// household that broke it before the import and is left as it was
    /// (the same number of heads) is no reason to refuse.
    fn one_head_each(&self, before: &HashSet<(String, i64)>) -> Result<(), SnapshotError> {
        let after = self.w.households_without_one_head()?;
        match after.into_iter().find(|h| !before.contains(h)) {
            Some((id, heads)) => Err(SnapshotError::Heads {
                household: self.w.household_number(&id)?,
                heads: heads.max(0) as u64,
            }),
            None => Ok(()),
        }
    }

    /// One audit entry per table, and one for the import as a whole.
    fn audit(&mut self) -> Result<(), SnapshotError> {
        let dirs: Vec<String> = self
            .report
            .sources
            .iter()
            .map(|s| s.dir.display().to_string())
            .collect();
        for t in &self.report.tables {
            let detail = json!({
                "snapshots": dirs,
                "inserted": t.inserted,
                "updated": t.updated,
                "unchanged": t.unchanged,
                "conflicts": t.conflicts,
            });
            self.w.note(&t.table, "import", &detail.to_string())?;
        }
        let sources: Vec<_> = self
            .report
            .sources
            .iter()
            .map(|s| {
                json!({
                    "dir": s.dir.display().to_string(),
                    "device_id": s.device_id,
                    "operator": s.operator,
                    "exported_at": s.exported_at,
                })
            })
            .collect();
        let conflicts: Vec<String> = self
            .report
            .conflicts
            .iter()
            .filter(|c| matches!(c.kind, ConflictKind::Unique { .. }))
            .map(|c| format!("{}:{} {} {}", c.path.display(), c.line, c.table, c.id))
            .collect();
        let detail = json!({
            "snapshots": sources,
            "unique_conflicts": conflicts,
            "rows_skipped": self.report.conflicts.len(),
            "possible_duplicates": self.report.duplicates.iter().map(|d| &d.id_number).collect::<Vec<_>>(),
        });
        self.w.note("snapshot", "import", &detail.to_string())?;
        Ok(())
    }
}

/// A conflict if the row refers to a row that was skipped.
fn dependent(
    skipped: &HashMap<String, HashSet<String>>,
    table: &str,
    columns: &[&Column],
    refs: &[(usize, &str)],
    params: &[Param<'_>],
    path: &Path,
    line: u64,
) -> Option<Conflict> {
    if skipped.is_empty() {
        return None;
    }
    for (i, parent) in refs {
        let Param::Text(id) = params[*i] else {
            continue;
        };
        if skipped.get(*parent).is_some_and(|s| s.contains(id)) {
            return Some(Conflict {
                path: path.to_path_buf(),
                line,
                table: table.to_owned(),
                id: id_of(params),
                kind: ConflictKind::Dependent {
                    column: columns[*i].name.to_owned(),
                    parent_table: (*parent).to_owned(),
                    parent_id: id.to_owned(),
                },
            });
        }
    }
    None
}

/// `merged`, unless it is a broken reference or rule: then the error,
/// naming the line and column.
fn checked(
    w: &Writer<'_>,
    merged: Merged,
    table: &'static Table,
    path: &Path,
    line: u64,
    params: &[Param<'_>],
) -> Result<Merged, SnapshotError> {
    let columns: Vec<&Column> = table.all_columns().collect();
    match merged {
        Merged::MissingParent => {
            let i = w.missing_parent(table, params)?.unwrap_or(0);
            let c = columns[i];
            let id = match params.get(i) {
                Some(Param::Text(t)) => (*t).to_owned(),
                _ => String::new(),
            };
            Err(SnapshotError::Reference {
                path: path.to_path_buf(),
                line,
                column: i + 1,
                name: c.name.to_owned(),
                table: match c.kind {
                    Kind::Ref(t) => t.to_owned(),
                    _ => table.name.to_owned(),
                },
                id,
            })
        }
        Merged::Rule { detail } => {
            // SQLite names the column in most such messages; the longest
            // name found is the one meant ("id_number", not "id").
            let i = columns
                .iter()
                .enumerate()
                .filter(|(_, c)| detail.contains(c.name))
                .max_by_key(|(_, c)| c.name.len())
                .map(|(i, _)| i);
            Err(SnapshotError::Rule {
                path: path.to_path_buf(),
                line,
                column: i.map_or(0, |i| i + 1),
                name: i.map(|i| columns[i].name.to_owned()).unwrap_or_default(),
                detail,
            })
        }
        other => Ok(other),
    }
}

fn id_of(params: &[Param<'_>]) -> String {
    match params.first() {
        Some(Param::Text(t)) => (*t).to_owned(),
        _ => String::new(),
    }
}

/// Line breaks inside a record's (quoted) fields: the lines it takes beyond
/// its first. (The reader's own line count lags by one after a CRLF.)
fn newlines(rec: &csv::ByteRecord) -> u64 {
    rec.as_slice().iter().filter(|b| **b == b'\n').count() as u64
}

fn csv_error(path: &Path, e: &csv::Error) -> SnapshotError {
    let line = e.position().map_or(0, |p| p.line());
    SnapshotError::Csv {
        path: path.to_path_buf(),
        line,
        detail: e.to_string(),
    }
}

/// A CSV reader over a snapshot file, past its byte order mark.
fn open_csv(path: &Path) -> Result<csv::Reader<BufReader<File>>, SnapshotError> {
    let io = |e| SnapshotError::io(path, e);
    let file = match crate::files::open(path) {
        Ok(f) => f,
        Err(crate::files::Unreadable::NotRegular(kind)) => {
            return Err(SnapshotError::NotRegular {
                path: path.to_path_buf(),
                kind,
            });
        }
        Err(crate::files::Unreadable::Missing) => {
            return Err(SnapshotError::MissingFile {
                path: path.to_path_buf(),
            });
        }
        Err(crate::files::Unreadable::Io(e)) => return Err(io(e)),
    };
    let mut r = BufReader::with_capacity(1 << 16, file);
    if r.fill_buf().map_err(io)?.starts_with(BOM) {
        r.consume(BOM.len());
    }
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(r))
}

/// Reads the header and maps it to `columns`: `order[i]` is the file's
/// field holding column `i`. Every column must be there, and nothing else.
fn read_header(
    reader: &mut csv::Reader<BufReader<File>>,
    rec: &mut csv::ByteRecord,
    path: &Path,
    columns: &[&Column],
) -> Result<Vec<usize>, SnapshotError> {
    let has = reader
        .read_byte_record(rec)
        .map_err(|e| csv_error(path, &e))?;
    let mut order = vec![usize::MAX; columns.len()];
    if has {
        for (j, raw) in rec.iter().enumerate() {
            let name = String::from_utf8_lossy(raw).into_owned();
            let Some(i) = columns.iter().position(|c| c.name == name) else {
                return Err(SnapshotError::UnknownColumn {
                    path: path.to_path_buf(),
                    column: j + 1,
                    name,
                });
            };
            if order[i] != usize::MAX {
                return Err(SnapshotError::DuplicateColumn {
                    path: path.to_path_buf(),
                    column: j + 1,
                    name,
                });
            }
            order[i] = j;
        }
    }
    if let Some(i) = order.iter().position(|j| *j == usize::MAX) {
        return Err(SnapshotError::MissingColumn {
            path: path.to_path_buf(),
            name: columns[i].name.to_owned(),
        });
    }
    Ok(order)
}

/// Rows read and checked, on their way from the reading thread to the
/// database, [`BATCH`] at a time. Chunks go back to the reader to be
/// filled again, so their buffers are allocated once per file.
#[derive(Default)]
struct Chunk {
    rows: Vec<ReadRow>,
    /// The rows in use (the rest are buffers kept for reuse).
    len: usize,
}

#[derive(Default)]
struct ReadRow {
    line: u64,
    record: csv::StringRecord,
    /// The row's values in column order.
    cells: Vec<Cell>,
}

/// One checked value, pointing into its record.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Null,
    Int(i64),
    /// `record[field][start..]` (past a quote that neutralised it).
    Text {
        field: usize,
        start: usize,
    },
}

impl ReadRow {
    fn params(&self) -> impl Iterator<Item = Param<'_>> {
        self.cells.iter().map(|c| match *c {
            Cell::Null => Param::Null,
            Cell::Int(n) => Param::Int(n),
            Cell::Text { field, start } => Param::Text(&self.record[field][start..]),
        })
    }
}

/// The reading side of [`Merge::file`]: reads the records after the
/// header and checks each against the columns.
struct RowReader<'a> {
    reader: csv::Reader<BufReader<File>>,
    path: &'a Path,
    what: &'a Read<'a>,
    /// `order[i]`: the record's field holding column `i`.
    order: &'a [usize],
    /// Fields every record must have.
    width: usize,
    /// The days values are checked against (no time from the future).
    days: crate::domain::table::Days,
    /// The line of each id read so far in this file: an id twice in one
    /// file is refused (which row would be meant?).
    seen: HashMap<u128, u64>,
}

/// What the rows of one table are read against: its declaration, and the
/// codes of the catalogues its columns name.
struct Read<'a> {
    table: &'static Table,
    columns: &'a [&'static Column],
    catalogues: &'a HashMap<&'static str, HashSet<String>>,
    /// For a table with a parent rule: each parent's id and the value the
    /// rule compares with.
    parents: Option<&'a HashMap<String, String>>,
}

impl RowReader<'_> {
    /// Sends chunks until the file ends, an error (sent as the last
    /// message), or the receiver hangs up.
    fn run(
        mut self,
        out: &mpsc::SyncSender<Result<Chunk, SnapshotError>>,
        back: &mpsc::Receiver<Chunk>,
    ) {
        let mut next_line = 2u64;
        let mut raw = csv::ByteRecord::new();
        loop {
            let mut chunk = back.try_recv().unwrap_or_default();
            chunk.len = 0;
            let mut eof = false;
            while chunk.len < BATCH {
                match self.reader.read_byte_record(&mut raw) {
                    Ok(true) => {}
                    Ok(false) => {
                        eof = true;
                        break;
                    }
                    Err(e) => {
                        let _ = out.send(Err(csv_error(self.path, &e)));
                        return;
                    }
                }
                let line = next_line;
                next_line += 1 + newlines(&raw);
                if chunk.rows.len() == chunk.len {
                    chunk.rows.push(ReadRow::default());
                }
                let row = &mut chunk.rows[chunk.len];
                row.line = line;
                if let Err(e) = self.check(&mut raw, row) {
                    let _ = out.send(Err(e));
                    return;
                }
                chunk.len += 1;
            }
            if chunk.len > 0 && out.send(Ok(chunk)).is_err() {
                return;
            }
            if eof {
                return;
            }
        }
    }

    /// Moves the record just read into `row` (its old buffer into `raw`,
    /// for the next) and works out its values in column order, checked
    /// against what each column holds. Text cells lose the quote that
    /// neutralised them.
    fn check(&mut self, raw: &mut csv::ByteRecord, row: &mut ReadRow) -> Result<(), SnapshotError> {
        let (path, line) = (self.path, row.line);
        if raw.len() != self.width {
            return Err(SnapshotError::FieldCount {
                path: path.to_path_buf(),
                line,
                found: raw.len(),
                expected: self.width,
            });
        }
        let spare = std::mem::take(&mut row.record).into_byte_record();
        let filled = std::mem::replace(raw, spare);
        let record = match csv::StringRecord::from_byte_record(filled) {
            Ok(r) => r,
            Err(e) => {
                let j = e.utf8_error().field();
                let name = self
                    .order
                    .iter()
                    .position(|f| *f == j)
                    .map(|i| self.what.columns[i].name.to_owned())
                    .unwrap_or_default();
                return Err(SnapshotError::Cell {
                    path: path.to_path_buf(),
                    line,
                    column: j + 1,
                    name,
                    value: String::from_utf8_lossy(&e.into_byte_record()[j]).into_owned(),
                    expected: "snapshot.expect.utf8",
                });
            }
        };
        row.record = record;
        row.cells.clear();
        let bad = |j: usize, c: &Column, problem: Problem| SnapshotError::Value {
            path: path.to_path_buf(),
            line,
            column: j + 1,
            name: c.name.to_owned(),
            problem: Box::new(problem),
        };
        for (i, c) in self.what.columns.iter().enumerate() {
            let j = self.order[i];
            let s = &row.record[j];
            // The same check as a form's, on the value as stored.
            let cell = if c.kind.is_integer() {
                c.check(s, self.days).map_err(|p| bad(j, c, p))?;
                match s.parse::<i64>() {
                    Ok(n) => Cell::Int(n),
                    Err(_) => Cell::Null,
                }
            } else {
                let t = unneutralise(s);
                c.check(t, self.days).map_err(|p| bad(j, c, p))?;
                if let (Kind::CodesOf(table), false) = (c.kind, t.is_empty()) {
                    let known = self.what.catalogues.get(table);
                    if let Some(code) = t
                        .split(' ')
                        .find(|code| known.is_none_or(|k| !k.contains(*code)))
                    {
                        return Err(bad(
                            j,
                            c,
                            Problem::error("rule.code.unknown")
                                .arg("code", code)
                                .arg("table", table),
                        ));
                    }
                }
                if t.is_empty() && c.nullable {
                    Cell::Null
                } else {
                    Cell::Text {
                        field: j,
                        start: s.len() - t.len(),
                    }
                }
            };
            row.cells.push(cell);
        }
        // The id is the first column, checked canonical above.
        let id = &row.record[self.order[0]];
        if let Ok(key) = u128::from_str_radix(&id.replace('-', ""), 16)
            && let Some(first) = self.seen.insert(key, line)
        {
            return Err(SnapshotError::DuplicateId {
                path: path.to_path_buf(),
                line,
                first,
                id: id.to_owned(),
            });
        }
        if let (Some(rule), Some(parents)) = (self.what.table.parent_rule, self.what.parents) {
            let cell = |name: &str| {
                self.what
                    .columns
                    .iter()
                    .position(|c| c.name == name)
                    .map(|i| (i, unneutralise(&row.record[self.order[i]])))
            };
            if let (Some((_, via)), Some((i, own))) = (cell(rule.via), cell(rule.column))
                && let Some(parent_value) = parents.get(via)
                && let Some(p) = (rule.check)(own, parent_value)
            {
                return Err(bad(self.order[i], self.what.columns[i], p));
            }
        }
        if let Some(rule) = self.what.table.row_rule {
            let get = |name: &str| -> String {
                self.what
                    .columns
                    .iter()
                    .position(|c| c.name == name)
                    .map(|i| unneutralise(&row.record[self.order[i]]).to_owned())
                    .unwrap_or_default()
            };
            if let Some(p) = rule(&get) {
                let i = p
                    .field
                    .and_then(|f| self.what.columns.iter().position(|c| c.name == f))
                    .unwrap_or(0);
                return Err(bad(self.order[i], self.what.columns[i], p));
            }
        }
        Ok(())
    }
}

/// Groups of persons sharing an ID number that this import made (or changed),
/// with where each imported member came from.
fn new_duplicates(
    before: &[DuplicateGroup],
    after: Vec<DuplicateGroup>,
    snapshots: &[Snapshot],
) -> Result<Vec<PossibleDuplicate>, SnapshotError> {
    let fresh: Vec<DuplicateGroup> = after.into_iter().filter(|g| !before.contains(g)).collect();
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: HashSet<&str> = fresh
        .iter()
        .flat_map(|g| g.members.iter().map(|(id, _, _)| id.as_str()))
        .collect();
    let mut found: HashMap<String, (PathBuf, u64)> = HashMap::new();
    for s in snapshots {
        let Some((path, _)) = s.tables.get("person") else {
            continue;
        };
        let mut reader = open_csv(path)?;
        let mut rec = csv::ByteRecord::new();
        if !reader
            .read_byte_record(&mut rec)
            .map_err(|e| csv_error(path, &e))?
        {
            continue;
        }
        let Some(id_col) = rec.iter().position(|f| f == b"id") else {
            continue;
        };
        let mut next_line = 2u64;
        while reader
            .read_byte_record(&mut rec)
            .map_err(|e| csv_error(path, &e))?
        {
            let line = next_line;
            next_line += 1 + newlines(&rec);
            let id = rec.get(id_col).and_then(|b| std::str::from_utf8(b).ok());
            if let Some(id) = id.filter(|id| wanted.contains(id)) {
                found
                    .entry(id.to_owned())
                    .or_insert_with(|| (path.clone(), line));
            }
        }
    }
    Ok(fresh
        .into_iter()
        .map(|g| PossibleDuplicate {
            id_number: g.id_number,
            members: g
                .members
                .into_iter()
                .map(|(id, name_zh, name_bo)| DuplicateMember {
                    source: found.get(&id).cloned(),
                    id,
                    name_zh,
                    name_bo,
                })
                .collect(),
        })
        .collect())
}

//! The SQL of snapshots: streaming every table of entered data out in one
//! consistent read, and merging snapshot rows in by id, the newer
//! `updated_at` winning and ties broken by device id, so every machine
//! reaches the same rows whatever the order of imports.
//!
//! `crate::snapshot` owns the files (CSV, manifest, workbook); this module
//! owns the statements. It works on the tables' declarations
//! ([`Table`]), not on record types, so a table added to
//! [`TABLES`](super::TABLES) travels in snapshots without code here.

use std::path::Path;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{OptionalExtension, params_from_iter};

use super::{Result, Store, StoreError, Writer, sql_error};
use crate::domain::table::{Kind, Table};

/// How a trigger stands aside during a bulk load (see `schema_v3.sql`).
const BULK_GUARD: &str = "NOT EXISTS (SELECT 1 FROM search_deferred)";

/// The page cache while merging, in KiB. With the indexes of a table loaded
/// in bulk built after its rows (see [`Writer::drop_indexes_for_load`]), a
/// larger cache no longer makes a 100,000-household import faster; 8 MB
/// keeps that import's peak under 50 MB.
const MERGE_CACHE_KIB: u32 = 8 * 1024;

/// One value of a row being streamed out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a [u8]),
}

/// One value of a row being merged in, borrowed from the file being read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(match self {
            Param::Null => ValueRef::Null,
            Param::Int(n) => ValueRef::Integer(*n),
            Param::Text(t) => ValueRef::Text(t.as_bytes()),
        }))
    }
}

impl Param<'_> {
    pub fn to_value(self) -> Value {
        match self {
            Param::Null => Value::Null,
            Param::Int(n) => Value::Integer(n),
            Param::Text(t) => Value::Text(t.to_owned()),
        }
    }
}

impl<'a> From<&'a Value> for Param<'a> {
    fn from(v: &'a Value) -> Param<'a> {
        match v {
            Value::Integer(n) => Param::Int(*n),
            Value::Text(t) => Param::Text(t),
            _ => Param::Null,
        }
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A read transaction over the whole database: every table read through
/// it is seen as of the same instant, whatever is written meanwhile.
pub struct Reader<'a> {
    tx: rusqlite::Transaction<'a>,
    path: &'a Path,
}

impl Store {
    /// Runs `f` in one read transaction (a consistent view of every table).
    pub fn read_consistent<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Reader<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let reader = Reader {
            tx,
            path: &self.path,
        };
        let out = f(&reader);
        // Nothing was written: ending the read cannot lose anything.
        let _ = reader.tx.rollback();
        out
    }

    /// Runs `f` in one write transaction for a merge import: everything it
    /// writes lands together, or nothing does.
    pub fn merge<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.ensure_writable()?;
        // Each merged row that fires triggers needs a statement journal; in
        // a file that is a write and a read per page touched, and a large
        // merge several times slower. They are small: kept in memory.
        // A larger page cache too while merging: rows land in several
        // indexes each, and pages pushed out mid-transaction are read back
        // from the WAL. (About 2 MB normally, MERGE_CACHE_KIB here.)
        //
        // The first import into a new database goes through a rollback
        // journal instead of the WAL: its pages are new, past the end of the
        // file, so the journal has almost nothing to keep, and each page is
        // written once instead of to the WAL and again by the checkpoint.
        // (A few seconds of a 100,000-household import. Readers wait for
        // the commit meanwhile, but a new database has nothing to read.)
        let temp_store = self.pragma("temp_store")?;
        let cache_size = self.pragma("cache_size")?;
        let merge_cache = format!("-{MERGE_CACHE_KIB}");
        self.conn
            .pragma_update(None, "temp_store", "MEMORY")
            .and_then(|()| self.conn.pragma_update(None, "cache_size", &merge_cache))
            .map_err(|e| self.err(e))?;
        let rollback = self.is_new()? && self.set_journal_mode("DELETE");
        let out = self.merge_in_transaction(f);
        if rollback {
            // Should another connection have opened meanwhile, the file
            // stays in rollback mode until the next open turns WAL back on.
            self.set_journal_mode("WAL");
        }
        let _ = self.conn.pragma_update(None, "temp_store", &temp_store);
        let _ = self.conn.pragma_update(None, "cache_size", &cache_size);
        out
    }

    /// Whether nothing has been entered yet (no household): a database
    /// made to receive the first import, which nobody is reading.
    fn is_new(&self) -> Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM household)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    /// Switches the journal mode; whether it now is `mode`. (Leaving WAL
    /// needs the only connection: with another open it stays WAL.)
    fn set_journal_mode(&self, mode: &str) -> bool {
        self.conn
            .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| {
                r.get::<_, String>(0)
            })
            .is_ok_and(|m| m.eq_ignore_ascii_case(mode))
    }

    /// [`Store::write`] for a closure with its own error type: the same
    /// transaction, and the same work before the commit (the search index).
    fn merge_in_transaction<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut failed: Option<E> = None;
        let path = self.path.clone();
        let out = self.write(|w| match f(w) {
            Ok(t) => Ok(t),
            Err(e) => {
                failed = Some(e);
                // Any error rolls the transaction back; this one is not shown.
                Err(StoreError::Migration {
                    path,
                    message: String::new(),
                })
            }
        });
        match (out, failed) {
            (_, Some(e)) => Err(e),
            (Ok(t), None) => Ok(t),
            (Err(e), None) => Err(e.into()),
        }
    }

    /// The newest audit log entry's sequence number (0 for none): it moves
    /// with every change, so it tells whether anything changed since a mark.
    pub fn change_mark(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }
}

impl Reader<'_> {
    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_error(self.path, e)
    }

    /// About how many rows a table has, without counting them: rows are
    /// never removed (deletions are tombstones), so the highest rowid is close.
    pub fn estimate_rows(&self, table: &str) -> Result<u64> {
        self.tx
            .query_row(
                &format!("SELECT coalesce(max(rowid), 0) FROM {}", quoted(table)),
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }

    /// The audit log mark as of this read (see [`Store::change_mark`]).
    pub fn change_mark(&self) -> Result<i64> {
        self.tx
            .query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))
    }

    /// The codes of a catalogue table (courses) with their names (Chinese,
    /// Tibetan, English), for labels.
    pub fn catalogue_names(&self, table: &Table) -> Result<Vec<(String, String, String, String)>> {
        let mut stmt = self
            .tx
            .prepare(&format!(
                "SELECT code, name_zh, name_bo, name_en FROM {} ORDER BY code",
                quoted(table.name)
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Some columns of the row `id` of `table`, as text (NULL empty), or
    /// `None` if there is no such row: how the workbook reads a reference,
    /// one row at a time, its statement kept for the next.
    pub fn texts_by_id(
        &self,
        table: &Table,
        columns: &[&str],
        id: &str,
    ) -> Result<Option<Vec<String>>> {
        if columns.is_empty() {
            return Ok(None);
        }
        let list = columns
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {list} FROM {} WHERE id = ?1", quoted(table.name));
        let mut stmt = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        stmt.query_row([id], |r| {
            (0..columns.len())
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        ValueRef::Null => String::new(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(x) => x.to_string(),
                        ValueRef::Text(t) | ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                    })
                })
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .optional()
        .map_err(|e| self.err(e))
    }

    /// Streams every row of `table` (tombstones included), in storage order,
    /// to `f` as the values of its columns. Only one row is held at a time.
    pub fn for_each_row<E: From<StoreError>>(
        &self,
        table: &Table,
        mut f: impl FnMut(&[Cell<'_>]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let columns: Vec<&str> = table.all_columns().map(|c| c.name).collect();
        let list = columns
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {list} FROM {}", quoted(table.name));
        let mut stmt = self.tx.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let mut cells: Vec<Cell<'_>> = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                let cell = match row.get_ref(i).map_err(|e| self.err(e))? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Real(x) => Cell::Real(x),
                    ValueRef::Text(t) | ValueRef::Blob(t) => Cell::Text(t),
                };
                cells.push(cell);
            }
            f(&cells)?;
        }
        Ok(())
    }
}

/// The statement that merges one row of a table: insert, or replace the
/// whole row (creation time included, so every machine ends with the same
/// row) when the incoming one is newer, or as new from a greater device id.
#[derive(Debug, Clone)]
pub struct Upsert {
    table: String,
    sql: String,
    columns: usize,
    /// `(?, ?, ...)`: one row of a batch.
    row: String,
    batch_head: String,
    batch_tail: String,
}

impl Upsert {
    /// Every column of the table, `id` first (see [`Table::all_columns`]).
    pub fn new(table: &Table) -> Upsert {
        let columns: Vec<&str> = table.all_columns().map(|c| c.name).collect();
        let names: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
        let marks = (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let updates = columns
            .iter()
            .filter(|c| **c != "id")
            .map(|c| format!("{0} = excluded.{0}", quoted(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let t = quoted(table.name);
        let sql = format!(
            "INSERT INTO {t} ({}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates} \
             WHERE excluded.updated_at > {t}.updated_at \
             OR (excluded.updated_at = {t}.updated_at AND excluded.device_id > {t}.device_id)",
            names.join(", ")
        );
        let row = format!("({})", vec!["?"; names.len()].join(", "));
        let batch_head = format!("INSERT INTO {t} ({}) VALUES ", names.join(", "));
        let batch_tail = sql[sql.find(" ON CONFLICT").unwrap_or(sql.len())..].to_owned();
        Upsert {
            table: table.name.to_owned(),
            sql,
            columns: names.len(),
            row,
            batch_head,
            batch_tail,
        }
    }

    /// The same upsert for `rows` rows at once.
    fn batch_sql(&self, rows: usize) -> String {
        let mut sql = String::with_capacity(
            self.batch_head.len() + rows * (self.row.len() + 2) + self.batch_tail.len(),
        );
        sql.push_str(&self.batch_head);
        for i in 0..rows {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&self.row);
        }
        sql.push_str(&self.batch_tail);
        sql
    }
}

/// An [`Upsert`] prepared on a write transaction.
pub struct UpsertStatement<'s> {
    stmt: rusqlite::CachedStatement<'s>,
    upsert: &'s Upsert,
    path: &'s Path,
}

impl UpsertStatement<'_> {
    /// Merges one row (values in the order of the upsert's columns).
    pub fn merge(&mut self, values: &[Param<'_>]) -> Result<Merged> {
        use rusqlite::ffi;
        let upsert = self.upsert;
        match self.stmt.execute(params_from_iter(values)) {
            Ok(0) => Ok(Merged::Kept),
            Ok(_) => Ok(Merged::Changed),
            Err(rusqlite::Error::SqliteFailure(code, msg)) => {
                let msg = msg.unwrap_or_default();
                match code.extended_code {
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                        // "UNIQUE constraint failed: village.code"
                        let what = msg.rsplit(": ").next().unwrap_or_default();
                        let first = what.split(", ").next().unwrap_or_default();
                        let column = first
                            .strip_prefix(&format!("{}.", upsert.table))
                            .unwrap_or(first)
                            .to_owned();
                        Ok(Merged::Clash { column })
                    }
                    ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Ok(Merged::MissingParent),
                    ffi::SQLITE_CONSTRAINT_CHECK
                    | ffi::SQLITE_CONSTRAINT_NOTNULL
                    | ffi::SQLITE_CONSTRAINT_DATATYPE
                    | ffi::SQLITE_CONSTRAINT_TRIGGER => Ok(Merged::Rule { detail: msg }),
                    _ => Err(sql_error(
                        self.path,
                        rusqlite::Error::SqliteFailure(code, Some(msg)),
                    )),
                }
            }
            Err(e) => Err(sql_error(self.path, e)),
        }
    }
}

/// [`Upsert`] for [`BATCH_ROWS`] rows at once, prepared once for a whole
/// file. Its texts are bound where they lie (`SQLITE_STATIC`): rusqlite
/// binds every text as `SQLITE_TRANSIENT`, a copy SQLite allocates and
/// frees per value, some 20 million of them in a 100,000-household import,
/// with the reading thread allocating meanwhile (a third of the writing
/// thread's time went to malloc, free and their locks). Each value is bound
/// only for the one step that reads it.
pub struct BatchStatement<'s> {
    stmt: *mut rusqlite::ffi::sqlite3_stmt,
    db: *mut rusqlite::ffi::sqlite3,
    values: usize,
    path: &'s Path,
    /// The transaction it runs in outlives it.
    _writer: std::marker::PhantomData<&'s Writer<'s>>,
}

/// Rows of one [`BatchStatement`].
pub const BATCH_ROWS: usize = 64;

impl BatchStatement<'_> {
    /// Merges [`BATCH_ROWS`] rows (`values` holds them one after another):
    /// as [`Writer::merge_batch`].
    pub fn merge(&mut self, values: &[Param<'_>]) -> Result<Option<u64>> {
        use rusqlite::ffi;
        use std::os::raw::c_int;
        assert_eq!(values.len(), self.values, "a batch of BATCH_ROWS rows");
        // SAFETY: `stmt` is a live statement of `db` (finalized only on
        // drop); every text bound points into `values`, which outlives the
        // step that reads it, and the bindings are cleared before returning.
        unsafe {
            let mut rc = ffi::SQLITE_OK;
            for (i, v) in values.iter().enumerate() {
                let n = (i + 1) as c_int;
                rc = match v {
                    Param::Null => ffi::sqlite3_bind_null(self.stmt, n),
                    Param::Int(x) => ffi::sqlite3_bind_int64(self.stmt, n, *x),
                    Param::Text(t) => ffi::sqlite3_bind_text64(
                        self.stmt,
                        n,
                        t.as_ptr().cast(),
                        t.len() as ffi::sqlite3_uint64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as _,
                    ),
                };
                if rc != ffi::SQLITE_OK {
                    break;
                }
            }
            let (rc, message) = if rc == ffi::SQLITE_OK {
                let rc = ffi::sqlite3_step(self.stmt);
                let message = (rc != ffi::SQLITE_DONE).then(|| self.message());
                (rc, message)
            } else {
                (rc, Some(self.message()))
            };
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
            if rc == ffi::SQLITE_DONE {
                return Ok(Some(ffi::sqlite3_changes64(self.db).max(0) as u64));
            }
            let code = ffi::sqlite3_extended_errcode(self.db);
            let error = ffi::Error::new(if rc == ffi::SQLITE_ROW { rc } else { code });
            if error.code == ffi::ErrorCode::ConstraintViolation {
                return Ok(None);
            }
            Err(sql_error(
                self.path,
                rusqlite::Error::SqliteFailure(error, message),
            ))
        }
    }

    /// SQLite's message for the last error on the connection.
    ///
    /// # Safety
    /// `self.db` is live.
    unsafe fn message(&self) -> String {
        // SAFETY: sqlite3_errmsg returns a NUL-terminated string owned by
        // the connection, valid until its next call.
        unsafe {
            std::ffi::CStr::from_ptr(rusqlite::ffi::sqlite3_errmsg(self.db))
                .to_string_lossy()
                .into_owned()
        }
    }
}

impl Drop for BatchStatement<'_> {
    fn drop(&mut self) {
        // SAFETY: prepared by this connection, finalized once, here.
        unsafe {
            rusqlite::ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// What merging one row did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// Inserted, or replaced an older version.
    Changed,
    /// The database already had this version or a newer one.
    Kept,
    /// Another row already holds this unique value (e.g. a village code).
    Clash { column: String },
    /// A referenced row does not exist.
    MissingParent,
    /// The row breaks a rule of the table (a CHECK, NOT NULL or type).
    Rule { detail: String },
}

/// Rows with the same resident ID number under different ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateGroup {
    pub id_number: String,
    /// (id, name_zh, name_bo) of each live person holding the number.
    pub members: Vec<(String, String, String)>,
}

impl Writer<'_> {
    /// Before merging many rows into `person`: the search index is rebuilt
    /// once when the merge commits instead of row by row (see schema_v3.sql).
    /// `big_cache`: with a larger page cache meanwhile, for a table whose
    /// indexes are kept in step row by row (see [`Writer::drop_indexes_for_load`]).
    pub fn defer_person_index(&mut self, big_cache: bool) -> Result<()> {
        if big_cache {
            self.defer_search_index()
        } else {
            self.defer_search_index_with_cache(None)
        }
    }

    /// After merging into `person`: turns the index's triggers back on and,
    /// if they were off and a person changed, rebuilds the index now.
    pub fn resume_person_index(&mut self, changed: bool) -> Result<()> {
        if self.end_search_deferral()? && changed {
            self.rebuild_search_index()?;
        }
        Ok(())
    }

    /// Before loading many rows into an empty `table`: drops its secondary
    /// indexes, so the rows go in without keeping each index in step row by
    /// row (random inserts that push pages out of the cache and read them
    /// back), and returns what makes them again: [`Writer::build_indexes`]
    /// builds each by one sort once the rows are in. Kept are the indexes
    /// that must answer during the load: unique ones (they catch a code held
    /// twice), and all of a table with a trigger that would run meanwhile
    /// (it may read them). Only triggers that stand aside in a bulk load
    /// (see `schema_v3.sql`) let a table's indexes go.
    pub fn drop_indexes_for_load(&mut self, table: &str) -> Result<Vec<String>> {
        let bulk: bool = self
            .tx
            .query_row("SELECT EXISTS (SELECT 1 FROM search_deferred)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))?;
        let triggers: Vec<String> = self
            .tx
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1")
            .and_then(|mut s| {
                s.query_map([table], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()
            })
            .map_err(|e| self.err(e))?;
        if triggers.iter().any(|t| !(bulk && t.contains(BULK_GUARD))) {
            return Ok(Vec::new());
        }
        let indexes: Vec<(String, String)> = self
            .tx
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 \
                 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
            )
            .and_then(|mut s| {
                s.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()
            })
            .map_err(|e| self.err(e))?;
        for (name, _) in &indexes {
            self.tx
                .execute_batch(&format!("DROP INDEX {}", quoted(name)))
                .map_err(|e| self.err(e))?;
        }
        Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
    }

    /// Builds again the indexes [`Writer::drop_indexes_for_load`] dropped.
    pub fn build_indexes(&mut self, made_by: &[String]) -> Result<()> {
        if made_by.is_empty() {
            return Ok(());
        }
        // The sorter building an index writes its sorted runs to temporary
        // files, which a merge keeps in memory (temp_store, see
        // Store::merge): on disk they take no longer, and the 500,000
        // persons' indexes take some 25 MB less at the import's peak.
        let temp_store: i64 = self
            .tx
            .pragma_query_value(None, "temp_store", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let built = self
            .tx
            .pragma_update(None, "temp_store", "FILE")
            .and_then(|()| {
                made_by
                    .iter()
                    .try_for_each(|sql| self.tx.execute_batch(sql))
            });
        let restored = self.tx.pragma_update(None, "temp_store", temp_store);
        built.and(restored).map_err(|e| self.err(e))
    }

    /// The number of rows of a table, tombstones included.
    pub fn count_rows(&self, table: &str) -> Result<u64> {
        self.tx
            .query_row(
                &format!("SELECT count(*) FROM {}", quoted(table)),
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }

    /// Merges one row (values in the order of the upsert's columns).
    pub fn merge_row(&self, upsert: &Upsert, values: &[Param<'_>]) -> Result<Merged> {
        self.upsert_statement(upsert)?.merge(values)
    }

    /// Merges several rows (`values` holds them one after another) in one
    /// statement, which costs much less per row than one statement each.
    /// `Some(rows changed)`, or `None` if any row broke a constraint: then
    /// none of them was written, and merging them one by one tells which
    /// and why.
    pub fn merge_batch(&self, upsert: &Upsert, values: &[Param<'_>]) -> Result<Option<u64>> {
        use rusqlite::ffi;
        let rows = values.len() / upsert.columns.max(1);
        let mut stmt = self
            .tx
            .prepare_cached(&upsert.batch_sql(rows))
            .map_err(|e| sql_error(self.path, e))?;
        match stmt.execute(params_from_iter(values)) {
            Ok(n) => Ok(Some(n as u64)),
            Err(rusqlite::Error::SqliteFailure(code, _))
                if code.code == ffi::ErrorCode::ConstraintViolation =>
            {
                Ok(None)
            }
            Err(e) => Err(sql_error(self.path, e)),
        }
    }

    /// The upsert for [`BATCH_ROWS`] rows prepared once, for merging a
    /// file's rows a batch at a time (see [`BatchStatement`]).
    pub fn batch_statement<'s>(&'s self, upsert: &Upsert) -> Result<BatchStatement<'s>> {
        use rusqlite::ffi;
        let sql = upsert.batch_sql(BATCH_ROWS);
        let mut stmt = std::ptr::null_mut();
        // SAFETY: the handle of this writer's open connection, which
        // outlives the statement (it borrows the writer); the SQL is passed
        // with its length, so needs no NUL.
        let db = unsafe { self.tx.handle() };
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr().cast(),
                sql.len() as std::os::raw::c_int,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        let batch = BatchStatement {
            stmt,
            db,
            values: BATCH_ROWS * upsert.columns,
            path: self.path,
            _writer: std::marker::PhantomData,
        };
        if rc != ffi::SQLITE_OK || stmt.is_null() {
            // SAFETY: `db` is live.
            let message = unsafe { batch.message() };
            return Err(sql_error(
                self.path,
                rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some(message)),
            ));
        }
        Ok(batch)
    }

    /// The upsert prepared once, for merging many rows of one table.
    pub fn upsert_statement<'s>(&'s self, upsert: &'s Upsert) -> Result<UpsertStatement<'s>> {
        let stmt = self
            .tx
            .prepare_cached(&upsert.sql)
            .map_err(|e| sql_error(self.path, e))?;
        Ok(UpsertStatement {
            stmt,
            upsert,
            path: self.path,
        })
    }

    /// Every code of a catalogue table (courses), deleted rows' too: a
    /// code once used stays a code.
    pub fn catalogue_codes(&self, table: &str) -> Result<std::collections::HashSet<String>> {
        self.tx
            .prepare(&format!("SELECT code FROM {}", quoted(table)))
            .and_then(|mut s| {
                s.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<std::collections::HashSet<String>>>()
            })
            .map_err(|e| self.err(e))
    }

    /// One column of every row of `table` (deleted ones too), by id.
    pub fn column_by_id(
        &self,
        table: &str,
        column: &str,
    ) -> Result<std::collections::HashMap<String, String>> {
        self.tx
            .prepare(&format!(
                "SELECT id, {} FROM {}",
                quoted(column),
                quoted(table)
            ))
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<std::collections::HashMap<String, String>>>()
            })
            .map_err(|e| self.err(e))
    }

    /// Whether a row with this id exists in `table` (deleted or not).
    pub fn row_exists(&self, table: &str, id: &str) -> Result<bool> {
        self.tx
            .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", quoted(table)))
            .and_then(|mut s| s.query_row([id], |_| Ok(())).optional())
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    /// The id of the row of `table` holding `value` in `column`, if any.
    pub fn unique_holder(
        &self,
        table: &str,
        column: &str,
        value: Param<'_>,
    ) -> Result<Option<String>> {
        self.tx
            .query_row(
                &format!(
                    "SELECT id FROM {} WHERE {} = ?1 LIMIT 1",
                    quoted(table),
                    quoted(column)
                ),
                [value],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The index (among all its columns) of the first reference of a row
    /// of `table` whose value names no row of the table it refers to.
    pub fn missing_parent(&self, table: &Table, values: &[Param<'_>]) -> Result<Option<usize>> {
        for (i, c) in table.all_columns().enumerate() {
            let (Kind::Ref(parent), Some(v)) = (c.kind, values.get(i)) else {
                continue;
            };
            if matches!(v, Param::Null) {
                continue;
            }
            let found = self
                .tx
                .query_row(
                    &format!("SELECT 1 FROM {} WHERE id = ?1", quoted(parent)),
                    [v],
                    |_| Ok(()),
                )
                .optional()
                .map_err(|e| self.err(e))?;
            if found.is_none() {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// Resident ID numbers held by more than one live person, with those persons.
    pub fn duplicate_id_numbers(&self) -> Result<Vec<DuplicateGroup>> {
        // First from the index alone (cheap), then the live holders of the few candidates.
        let candidates: Vec<String> = self
            .tx
            .prepare(
                "SELECT id_number FROM person WHERE id_number <> '' \
                 GROUP BY id_number HAVING count(*) > 1",
            )
            .and_then(|mut s| {
                s.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for id_number in candidates {
            // The `<> ''` lets the partial index on id_number serve; no ORDER
            // BY, which would make SQLite walk the whole table in id order.
            let mut members: Vec<(String, String, String)> = self
                .tx
                .prepare_cached(
                    "SELECT id, name_zh, name_bo FROM person \
                     WHERE id_number = ?1 AND id_number <> '' AND deleted_at IS NULL",
                )
                .and_then(|mut s| {
                    s.query_map([&id_number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .map_err(|e| self.err(e))?;
            members.sort();
            if members.len() > 1 {
                out.push(DuplicateGroup { id_number, members });
            }
        }
        Ok(out)
    }
}

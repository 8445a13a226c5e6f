//! The SQLite database: connection, pragmas, migrations, and typed functions
//! grouped by aggregate. This is the only module that writes SQL; nothing in
//! it knows about the terminal.
//!
//! Every write goes through [`Store::write`], one `BEGIN IMMEDIATE`
//! transaction that also records each change in the audit log.

pub mod entity;
mod error;
mod migrations;

pub mod audit;
pub mod bulk;
pub mod check;
pub mod drafts;
pub mod employment;
pub mod geo;
pub mod households;
pub mod lists;
pub mod posts;
pub mod report;
pub mod search;
pub mod sync;
pub(crate) mod tally;
pub mod training;
pub mod visits;

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params_from_iter};
use uuid::Uuid;

pub use crate::domain::records::TABLES;
pub use crate::domain::table::Record;
pub use entity::META_COLUMNS;
pub use error::StoreError;
pub use migrations::LATEST_VERSION;

use crate::clock;
use crate::domain::Problem;
use crate::domain::review::Role;
use crate::domain::table::Table;

pub type Result<T> = std::result::Result<T, StoreError>;

/// How to open the database.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Open read-only at the SQLite level: nothing can be written, not even by mistake.
    pub read_only: bool,
    /// Create the database if the file does not exist (only `fieldbook
    /// init` and the app, after asking, do): every other command says the
    /// file does not exist instead of quietly starting an empty one.
    pub create: bool,
}

impl OpenOptions {
    /// Read and write, creating the database if there is none.
    pub const fn create() -> OpenOptions {
        OpenOptions {
            read_only: false,
            create: true,
        }
    }

    /// Read only (an existing database).
    pub const fn read_only() -> OpenOptions {
        OpenOptions {
            read_only: true,
            create: false,
        }
    }
}

/// fieldbook's mark in a database file's header (`PRAGMA application_id`,
/// "FBK1"): a file without it is another program's and is never written.
pub const APPLICATION_ID: i32 = 0x4642_4B31;

/// An open fieldbook database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    device_id: String,
    operator: String,
    read_only: bool,
    /// The role saved in settings: a supervisor approves and returns visits.
    role: Role,
    /// Rows the list queries have returned (see [`Store::rows_read`]).
    rows_read: std::cell::Cell<u64>,
}

/// The audit action of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Insert,
    Update,
    Delete,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Insert => "insert",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `path`.
    ///
    /// Nothing is written to a file that turns out not to be a fieldbook
    /// database, or that a newer fieldbook wrote.
    pub fn open(path: &Path, opts: OpenOptions) -> Result<Store> {
        let path = path.to_path_buf();
        let conn = if opts.read_only {
            open_read_only(&path)?
        } else {
            open_read_write(&path, opts.create)?
        };
        let mut store = Store {
            conn,
            path,
            device_id: String::new(),
            operator: String::new(),
            read_only: opts.read_only,
            role: Role::default(),
            rows_read: std::cell::Cell::new(0),
        };
        store.role = Role::from_setting(store.setting("role")?.as_deref());
        store.device_id = store.meta("device_id")?.unwrap_or_default();
        let operator = store.setting("operator")?.unwrap_or_default();
        store.set_operator(&operator);
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Who is recorded as making changes (settings, or `--operator`).
    pub fn operator(&self) -> &str {
        &self.operator
    }

    /// Sets who is recorded as making changes in this session (not saved).
    pub fn set_operator(&mut self, operator: &str) {
        self.operator = operator.trim().to_owned();
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// How long a read or write waits for another program's lock before
    /// it gives up with [`StoreError::Busy`] (5 s unless changed: tests of
    /// what a busy database shows need not wait that long).
    pub fn set_busy_timeout(&self, wait: std::time::Duration) -> Result<()> {
        self.conn.busy_timeout(wait).map_err(|e| self.err(e))
    }

    /// The role saved in settings (a supervisor approves and returns visits).
    pub fn role(&self) -> Role {
        self.role
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<usize> {
        user_version(&self.conn).map_err(|e| self.err(e))
    }

    /// Turns a SQLite error into a [`StoreError`] naming this database.
    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_error(&self.path, e)
    }

    /// The value of a connection pragma (`synchronous`, `busy_timeout`,
    /// `foreign_keys`, `journal_mode` ...), as text.
    pub fn pragma(&self, name: &str) -> Result<String> {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Ok(String::new());
        }
        self.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| {
                let v: rusqlite::types::Value = r.get(0)?;
                Ok(match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
            })
            .map_err(|e| self.err(e))
    }

    /// A value from the `meta` table (device id, schema version, ...).
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// A per-installation setting (operator, language, role ...).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Saves a per-installation setting. The role (who may approve visits)
    /// is a setting of the database recorded like a change to a record:
    /// who set it and when, in the audit log.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.ensure_writable()?;
        // The subsidy limit protects a supervisor's acceptance: only a
        // supervisor changes it.
        if key == training::LIMIT_PER_YEAR
            && self.setting(key)?.as_deref() != Some(value)
            && self.role != Role::Supervisor
        {
            return Err(StoreError::Invalid {
                path: self.path.clone(),
                table: "settings".to_owned(),
                problem: Box::new(Problem::error("settings.error.limit_supervisor")),
            });
        }
        const UPSERT: &str = "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        if key == "role" {
            let before = self.setting("role")?.unwrap_or_default();
            if before != value {
                self.write(|w| {
                    w.tx.execute(UPSERT, [key, value])
                        .map_err(|e| sql_error(w.path, e))?;
                    let json = |v: &str| serde_json::json!({ "role": v }).to_string();
                    w.audit(
                        "settings",
                        Uuid::nil(),
                        Action::Update,
                        Some(&json(&before)),
                        Some(&json(value)),
                    )
                })?;
            }
        } else {
            self.conn
                .execute(UPSERT, [key, value])
                .map_err(|e| self.err(e))?;
        }
        if key == "operator" {
            self.set_operator(value);
        }
        if key == "role" {
            self.role = Role::from_setting(Some(value));
        }
        Ok(())
    }

    /// Who last set the role, and when (stored UTC), if anyone has.
    pub fn role_set_by(&self) -> Result<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT operator, at FROM audit_log WHERE table_name = 'settings' AND row_id = ?1
                 ORDER BY seq DESC LIMIT 1",
                [Uuid::nil().to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    fn ensure_writable(&self) -> Result<()> {
        if self.read_only {
            Err(StoreError::ReadOnlyMode {
                path: self.path.clone(),
            })
        } else {
            Ok(())
        }
    }

    /// Runs `f` in one write transaction: all its saves land together, with
    /// their audit entries, or none do.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.ensure_writable()?;
        if self.operator.is_empty() {
            // Every change is recorded with who made it.
            return Err(StoreError::NoOperator {
                path: self.path.clone(),
            });
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&self.path, e))?;
        let mut w = Writer {
            tx,
            path: &self.path,
            device_id: &self.device_id,
            operator: &self.operator,
            role: self.role,
            heads_due: std::collections::BTreeSet::new(),
        };
        let out = f(&mut w);
        // A bulk load leaves the search index to one rebuild at the end;
        // other writes fold renamed persons into it a batch at a time.
        let rebuild = w.end_search_deferral();
        let out = out?;
        // Checked once all the transaction's saves are in: changing the
        // head takes two saves (the old head's and the new one's), which
        // only together keep the rule.
        w.check_heads()?;
        if rebuild? {
            w.rebuild_search_index()?;
        } else {
            w.fold_search_index_if_due()?;
        }
        w.tx.commit().map_err(|e| sql_error(&self.path, e))?;
        Ok(out)
    }

    /// Saves one record (insert or update) in its own transaction.
    pub fn save<E: Record>(&mut self, record: &mut E) -> Result<()> {
        let kept = record.clone();
        self.write(|w| w.save(record))
            .inspect_err(|_| *record = kept)
    }

    /// A write over a record and its rows (a household and its members, a
    /// visit and its answers): refused, it leaves them as they were given,
    /// stamps and all, so saving them again is not taken for a stale copy.
    pub(crate) fn write_with<P: Clone, C: Clone>(
        &mut self,
        parent: &mut P,
        rows: &mut [C],
        f: impl FnOnce(&mut Writer<'_>, &mut P, &mut [C]) -> Result<()>,
    ) -> Result<()> {
        let kept = (parent.clone(), rows.to_vec());
        let out = self.write(|w| f(w, parent, rows));
        if out.is_err() {
            *parent = kept.0;
            rows.clone_from_slice(&kept.1);
        }
        out
    }

    /// Marks one record deleted (a tombstone that travels in snapshots).
    pub fn delete<E: Record>(&mut self, id: Uuid) -> Result<()> {
        self.write(|w| w.delete::<E>(id))
    }

    /// A live (not deleted) record by id.
    pub fn get<E: Record>(&self, id: Uuid) -> Result<Option<E>> {
        Ok(self.get_any::<E>(id)?.filter(|r| !r.meta().is_deleted()))
    }

    /// A record by id, deleted or not.
    pub fn get_any<E: Record>(&self, id: Uuid) -> Result<Option<E>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE id = ?1",
            entity::select_list::<E>(),
            E::TABLE.name
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        stmt.query_row([id.to_string()], entity::from_row::<E>)
            .optional()
            .map_err(|e| self.err(e))
    }

    /// One page of live records of a table in creation order (ids are
    /// time-ordered), starting after `after`. Only the page is read.
    pub fn list_page<E: Record>(&self, after: Option<Uuid>, limit: usize) -> Result<Vec<E>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE deleted_at IS NULL AND id > ?1 ORDER BY id LIMIT ?2",
            entity::select_list::<E>(),
            E::TABLE.name
        );
        let after = after.map(|u| u.to_string()).unwrap_or_default();
        self.query(&sql, (after, limit as i64), entity::from_row::<E>)
    }

    /// Whether a table has a live record (without counting them all).
    pub fn any<E: Record>(&self) -> Result<bool> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE deleted_at IS NULL)",
            E::TABLE.name
        );
        self.conn
            .query_row(&sql, [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Number of live records of a table.
    pub fn count<E: Record>(&self) -> Result<u64> {
        let sql = format!(
            "SELECT count(*) FROM {} WHERE deleted_at IS NULL",
            E::TABLE.name
        );
        self.conn
            .query_row(&sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Runs a query and collects its rows.
    fn query<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params, f).map_err(|e| self.err(e))?;
        let rows = rows
            .collect::<rusqlite::Result<Vec<T>>>()
            .map_err(|e| self.err(e))?;
        self.rows_read.set(self.rows_read.get() + rows.len() as u64);
        Ok(rows)
    }

    /// How many rows the store's list queries (counts, pages, catalogues)
    /// have returned since it was opened: how a test tells that a screen
    /// read only the page it shows, not the whole table.
    pub fn rows_read(&self) -> u64 {
        self.rows_read.get()
    }

    /// A consistent copy of the database at `dest`, through SQLite's online
    /// backup API, so it works while the app is writing. The copy is made
    /// beside `dest` and renamed into place: `dest` is never half-written.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let tmp = temp_beside(dest);
        let io = |e| StoreError::Io {
            path: dest.to_path_buf(),
            source: e,
        };
        let result = (|| {
            // Created private before a single page is copied: it holds ID numbers.
            let _ = fs::remove_file(&tmp);
            create_private_file(&tmp).map_err(io)?;
            let mut target = Connection::open(&tmp).map_err(|e| sql_error(dest, e))?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)
                    .map_err(|e| sql_error(dest, e))?;
                backup
                    .run_to_completion(256, std::time::Duration::from_millis(5), None)
                    .map_err(|e| sql_error(dest, e))?;
            }
            target.close().map_err(|(_, e)| sql_error(dest, e))?;
            restrict_permissions(&tmp).map_err(io)?;
            fs::rename(&tmp, dest).map_err(io)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

/// A write transaction. Every save and delete through it writes its audit entry.
pub struct Writer<'a> {
    tx: rusqlite::Transaction<'a>,
    path: &'a Path,
    device_id: &'a str,
    operator: &'a str,
    role: Role,
    /// Households whose members this transaction changed (added, removed,
    /// moved, or made or unmade head): each must have exactly one head
    /// when the transaction commits (see [`Writer::one_head`]).
    heads_due: std::collections::BTreeSet<String>,
}

impl Writer<'_> {
    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_error(self.path, e)
    }

    /// Inserts or updates `record`, stamping its meta (updated now, by this
    /// operator on this device) and writing the audit entry.
    ///
    /// Every value passes its column's check first (the same as a form's
    /// and an import's), whoever saves: a record that breaks one is refused
    /// with the problem, and nothing is written.
    ///
    /// A record read from the database carries the `updated_at` it was read
    /// with: if the row changed since (another clerk's save, an import, a
    /// supervisor's review), the save is refused with
    /// [`StoreError::Changed`], naming who changed it and when, instead of
    /// overwriting that change blindly. A record made afresh (empty
    /// `updated_at`) is saved as it is.
    pub fn save<E: Record>(&mut self, record: &mut E) -> Result<()> {
        check_record(record, self.path)?;
        let id = record.meta().id;
        let before = self.row_json::<E>(id)?;
        let old: Option<serde_json::Map<String, serde_json::Value>> =
            before.as_deref().and_then(|b| serde_json::from_str(b).ok());
        let old_get = |name: &str| match old.as_ref().and_then(|o| o.get(name)) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let values = record.values();
        let new_get = |name: &str| {
            E::TABLE
                .columns
                .iter()
                .position(|c| c.name == name)
                .map(|i| values[i].to_text())
                .unwrap_or_default()
        };
        let invalid = |problem: Problem| StoreError::Invalid {
            path: self.path.to_path_buf(),
            table: E::TABLE.name.to_owned(),
            problem: Box::new(problem),
        };
        if old.is_some() {
            // Nothing changed: nothing is written, and no history entry
            // says otherwise (the record takes the stored bookkeeping).
            let same = E::TABLE
                .columns
                .iter()
                .all(|c| old_get(c.name) == new_get(c.name))
                && old_get("deleted_at").is_empty() == record.meta().deleted_at.is_none();
            if same {
                let m = record.meta_mut();
                m.created_at = old_get("created_at");
                m.updated_at = old_get("updated_at");
                m.operator = old_get("operator");
                m.device_id = old_get("device_id");
                m.deleted_at = None;
                return Ok(());
            }
            let read_at = &record.meta().updated_at;
            let stored = old_get("updated_at");
            if !read_at.is_empty() && *read_at != stored {
                return Err(StoreError::Changed {
                    path: self.path.to_path_buf(),
                    by: old_get("operator"),
                    at: stored,
                    deleted: !old_get("deleted_at").is_empty(),
                });
            }
        }
        if let Some(rule) = E::TABLE.change_rule {
            let old_ref: Option<&dyn Fn(&str) -> String> = old.as_ref().map(|_| &old_get as _);
            if let Some(problem) = rule(old_ref, &new_get, self.role) {
                return Err(invalid(problem));
            }
        }
        if let Some(problem) = self.parent_rules(E::TABLE, &new_get)? {
            return Err(invalid(problem));
        }
        if let Some(problem) = self.record_rules(&*record)? {
            return Err(invalid(problem));
        }
        // Rules across rows of the posts tables (one holder per post, a
        // month paid once ...): see posts.rs.
        if let Some(problem) = self.post_rules(E::TABLE, id, &new_get, old.is_none())? {
            return Err(invalid(problem));
        }
        let now = clock::now_utc();
        {
            let m = record.meta_mut();
            match &before {
                Some(b) => {
                    m.created_at = json_field(b, "created_at").unwrap_or_else(|| now.clone())
                }
                None => m.created_at = now.clone(),
            }
            m.updated_at = now;
            m.operator = self.operator.to_owned();
            m.device_id = self.device_id.to_owned();
        }
        if E::TABLE.name == "person" {
            // Who is head, and of which household, is checked at commit.
            let deleted = record.meta().deleted_at.is_some();
            let moved = old.is_none()
                || ["relation", "household_id"]
                    .iter()
                    .any(|c| old_get(c) != new_get(c))
                || old_get("deleted_at").is_empty() == deleted;
            if moved {
                if old.is_some() {
                    self.heads_due(old_get("household_id"));
                }
                self.heads_due(new_get("household_id"));
            }
        }
        self.put(record)?;
        let after = self.row_json::<E>(id)?;
        let action = if before.is_none() {
            Action::Insert
        } else {
            Action::Update
        };
        self.audit(
            E::TABLE.name,
            id,
            action,
            before.as_deref(),
            after.as_deref(),
        )?;
        self.after_post_save(E::TABLE, &new_get)?;
        let any = &*record as &dyn std::any::Any;
        if let Some(e) = any.downcast_ref::<crate::domain::records::EmploymentRecord>() {
            let e = e.clone();
            self.after_employment_save(&e)?;
        }
        Ok(())
    }

    /// The rules a row keeps with the row it belongs to: a code or number
    /// that starts with its parent's code (see `Table::parent_rule`), and
    /// no answer changed on a visit that review has locked.
    fn parent_rules(&self, table: &Table, get: &dyn Fn(&str) -> String) -> Result<Option<Problem>> {
        if let Some(rule) = table.parent_rule {
            let parent_value: Option<String> = self
                .tx
                .prepare_cached(&format!(
                    "SELECT {} FROM {} WHERE id = ?1",
                    rule.parent_column, rule.parent
                ))
                .and_then(|mut st| st.query_row([get(rule.via)], |r| r.get(0)).optional())
                .map_err(|e| self.err(e))?;
            if let Some(pv) = parent_value
                && let Some(p) = (rule.check)(&get(rule.column), &pv)
            {
                return Ok(Some(p));
            }
        }
        if table.name == "visit_person" {
            let status: Option<String> = self
                .tx
                .prepare_cached("SELECT status FROM visit WHERE id = ?1")
                .and_then(|mut st| st.query_row([get("visit_id")], |r| r.get(0)).optional())
                .map_err(|e| self.err(e))?;
            if let Some(st) = status.filter(|s| !crate::domain::review::is_editable(s)) {
                return Ok(Some(crate::domain::review::locked(&st)));
            }
        }
        Ok(None)
    }

    /// The rules a record keeps with the rest of the database (a roster's
    /// capacity, one enrolment per person and session, ...): checked on
    /// every save, whichever screen or command saves.
    fn record_rules<E: Record>(&self, record: &E) -> Result<Option<Problem>> {
        let any = record as &dyn std::any::Any;
        if let Some(e) = any.downcast_ref::<crate::domain::records::Enrolment>() {
            return self.enrolment_rules(e);
        }
        if let Some(s) = any.downcast_ref::<crate::domain::records::TrainingSession>() {
            return self.session_rules(s);
        }
        if let Some(a) = any.downcast_ref::<crate::domain::records::Attendance>() {
            return self.attendance_rules(a);
        }
        if let Some(e) = any.downcast_ref::<crate::domain::records::EmploymentRecord>() {
            return self.employment_rules(e);
        }
        Ok(None)
    }

    /// Writes `record` exactly as it is, meta included (for seeding and imports).
    pub(crate) fn put<E: Record>(&mut self, record: &E) -> Result<()> {
        let sql = entity::upsert_sql::<E>();
        let values = entity::all_values(record);
        let mut stmt = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        stmt.execute(params_from_iter(values))
            .map_err(|e| self.name_missing_parent(record, sql_error(self.path, e)))?;
        Ok(())
    }

    /// SQLite does not say which reference failed: find the parent table
    /// the record points at that has no such row, so the message can name it.
    pub(crate) fn name_missing_parent<E: Record>(&self, record: &E, e: StoreError) -> StoreError {
        let StoreError::MissingReference { path, .. } = e else {
            return e;
        };
        let values = entity::own_values(record);
        let is_missing = |parent: &str, from: &str, to: &str| {
            let Some(i) = E::TABLE.columns.iter().position(|c| c.name == from) else {
                return false;
            };
            let sql = format!("SELECT 1 FROM {parent} WHERE {to} = ?1");
            let found = self
                .tx
                .query_row(&sql, [&values[i]], |r| r.get::<_, i64>(0))
                .optional();
            matches!(found, Ok(None))
        };
        let table = self
            .tx
            .prepare_cached("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1)")
            .and_then(|mut s| {
                s.query_map([E::TABLE.name], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_default()
            .into_iter()
            .find(|(parent, from, to)| is_missing(parent, from, to))
            .map(|(parent, _, _)| parent)
            .unwrap_or_default();
        StoreError::MissingReference { path, table }
    }

    /// Marks a record deleted. Deleting a deleted or missing record is an error.
    pub fn delete<E: Record>(&mut self, id: Uuid) -> Result<()> {
        let before = self.row_json::<E>(id)?;
        let not_found = || StoreError::NoSuchRow {
            path: self.path.to_path_buf(),
            table: E::TABLE.name.to_owned(),
            id: id.to_string(),
        };
        let Some(b) = before else {
            return Err(not_found());
        };
        if json_field(&b, "deleted_at").is_some() {
            return Err(not_found());
        }
        if E::TABLE.name == "person" {
            // Its household may be left without its head: checked at commit.
            self.heads_due(json_field(&b, "household_id").unwrap_or_default());
        }
        let now = clock::now_utc();
        let sql = format!(
            "UPDATE {} SET deleted_at = ?1, updated_at = ?1, operator = ?2, device_id = ?3 WHERE id = ?4",
            E::TABLE.name
        );
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut s| s.execute((&now, self.operator, self.device_id, id.to_string())))
            .map_err(|e| self.err(e))?;
        let after = self.row_json::<E>(id)?;
        self.audit(
            E::TABLE.name,
            id,
            Action::Delete,
            Some(&b),
            after.as_deref(),
        )
    }

    /// The row as a JSON object (for the audit log), if it exists.
    fn row_json<E: Record>(&self, id: Uuid) -> Result<Option<String>> {
        let pairs = E::TABLE
            .all_columns()
            .map(|c| format!("'{0}', {0}", c.name))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT json_object({pairs}) FROM {} WHERE id = ?1",
            E::TABLE.name
        );
        let mut stmt = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        stmt.query_row([id.to_string()], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Appends one entry to the audit log.
    pub(crate) fn audit(
        &mut self,
        table: &str,
        id: Uuid,
        action: Action,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log(at, operator, device_id, table_name, row_id, action, before, after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                s.execute((
                    clock::now_utc(),
                    self.operator,
                    self.device_id,
                    table,
                    id.to_string(),
                    action.code(),
                    before,
                    after,
                ))
            })
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

/// A record's own columns and its row rule against the declaration.
fn check_record<E: Record>(record: &E, path: &Path) -> Result<()> {
    let values: Vec<(&str, String)> = E::TABLE
        .columns
        .iter()
        .zip(record.values())
        .map(|(c, v)| (c.name, v.to_text()))
        .collect();
    let get = |name: &str| {
        values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let days = clock::days();
    let found = E::TABLE
        .columns
        .iter()
        .find_map(|c| c.check(&get(c.name), days).err())
        .or_else(|| E::TABLE.row_rule.and_then(|rule| rule(&get)));
    match found {
        Some(problem) => Err(StoreError::Invalid {
            path: path.to_path_buf(),
            table: E::TABLE.name.to_owned(),
            problem: Box::new(problem),
        }),
        None => Ok(()),
    }
}

fn json_field(json: &str, field: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()?
        .get(field)?
        .as_str()
        .map(str::to_owned)
}

fn user_version(conn: &Connection) -> rusqlite::Result<usize> {
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map(|v| v.max(0) as usize)
}

/// Maps SQLite's errors to the ones a user can act on.
pub(crate) fn sql_error(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi;
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(code, msg) = &e {
        let msg = msg.clone().unwrap_or_default();
        match code.extended_code {
            ffi::SQLITE_NOTADB => return StoreError::NotSqlite { path },
            ffi::SQLITE_READONLY_ROLLBACK => return StoreError::Unfinished { path },
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                // "UNIQUE constraint failed: household.number"
                let what = msg.rsplit(": ").next().unwrap_or_default();
                let (table, column) = what.split_once('.').unwrap_or((what, ""));
                return StoreError::Duplicate {
                    path,
                    table: table.to_owned(),
                    column: column.to_owned(),
                };
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                return StoreError::MissingReference {
                    path,
                    table: String::new(),
                };
            }
            _ => {}
        }
        if code.code == ffi::ErrorCode::ReadOnly {
            return StoreError::ReadOnlyMode { path };
        }
        if code.code == ffi::ErrorCode::DatabaseBusy {
            return StoreError::Busy { path };
        }
    }
    StoreError::Sqlite { path, source: e }
}

fn apply_pragmas(conn: &Connection, read_only: bool) -> rusqlite::Result<()> {
    // A record the user saw saved must survive a power cut: FULL syncs the WAL
    // on every commit. A writer holding the lock makes others wait up to 5 s
    // instead of failing at once.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(())
}

/// What stands at `path`: nothing, a regular file, or something else
/// (named for what it is). Links are followed: a database may be linked.
fn existing_file(path: &Path) -> Result<bool> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: e,
            });
        }
    };
    if meta.is_dir() {
        return Err(StoreError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_file() {
        return Err(StoreError::NotRegular {
            path: path.to_path_buf(),
            kind: crate::files::kind(&meta),
        });
    }
    if meta.len() == 0 {
        // Not even SQLite's header: nothing of fieldbook's.
        return Err(StoreError::NotFieldbook {
            path: path.to_path_buf(),
        });
    }
    Ok(true)
}

/// Whether an open database carries fieldbook's mark: its application id,
/// or (written before the id was set) fieldbook's `meta` table with a
/// device id and a schema version fieldbook knows. Reads only.
fn is_fieldbook(conn: &Connection) -> rusqlite::Result<bool> {
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if id == APPLICATION_ID {
        return Ok(true);
    }
    if id != 0 || user_version(conn)? == 0 {
        return Ok(false);
    }
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta' \
         AND sql LIKE '%key%TEXT PRIMARY KEY%') \
         AND EXISTS (SELECT 1 FROM meta WHERE key = 'device_id')",
        [],
        |r| r.get(0),
    )
    .or(Ok(false))
}

/// Refuses, before anything is written, a file that is not a database or
/// is another program's.
/// Refuses another program's file by its header alone, before SQLite opens
/// it: opening a database in WAL mode, even read-only, leaves `-wal` and
/// `-shm` files beside it. A file with fieldbook's mark passes; one with no
/// mark at all (an old fieldbook database, or another program's) is looked
/// into opened immutable, which writes nothing.
fn check_fieldbook_file(path: &Path) -> Result<()> {
    use std::io::Read;
    let refuse = || StoreError::NotFieldbook {
        path: path.to_path_buf(),
    };
    let mut header = [0u8; 100];
    let read = fs::File::open(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_err() || !header.starts_with(b"SQLite format 3\0") {
        return Err(refuse());
    }
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    match i32::from_be_bytes([header[68], header[69], header[70], header[71]]) {
        APPLICATION_ID => Ok(()),
        // In use in WAL mode: the header on disk may not show the mark yet
        // (it is in the log). The log is there already, so opening it adds
        // nothing beside it; the open connection decides.
        0 if Path::new(&wal).exists() => Ok(()),
        0 => {
            let conn = Connection::open_with_flags(
                immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| sql_error(path, e))?;
            check_fieldbook(&conn, path)
        }
        _ => Err(refuse()),
    }
}

/// `path` as an SQLite URI opened immutable: no locks, no journal, no
/// files beside it.
fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'?' | b'#' | b'%' | 0x80.. => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(char::from(b)),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

fn check_fieldbook(conn: &Connection, path: &Path) -> Result<()> {
    match is_fieldbook(conn) {
        Ok(true) => Ok(()),
        Ok(false) => Err(StoreError::NotFieldbook {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(sql_error(path, e)),
    }
}

/// A setting of the fieldbook database at `path` (the language chosen in
/// the app, for the command line), or `None` when it cannot be had without
/// risk. Only a regular file whose header already carries fieldbook's mark
/// is opened, and only read-only: another program's file (or one written
/// before the mark) is never opened by SQLite here, so nothing can be
/// created or changed beside it; nor is anything created where there is no
/// file. A busy, damaged or older database gives `None` at once: the
/// command that follows says what is wrong with it.
pub fn peek_setting(path: &Path, key: &str) -> Option<String> {
    use std::io::Read;
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() < 100 {
        return None;
    }
    let mut header = [0u8; 100];
    fs::File::open(path).ok()?.read_exact(&mut header).ok()?;
    let id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if !header.starts_with(b"SQLite format 3\0") || id != APPLICATION_ID {
        return None;
    }
    let conn = open_read_only(path).ok()?;
    conn.busy_timeout(std::time::Duration::from_millis(200))
        .ok()?;
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
    .ok()
    .flatten()
}

fn open_read_only(path: &Path) -> Result<Connection> {
    if !existing_file(path)? {
        return Err(StoreError::NotFound {
            path: path.to_path_buf(),
        });
    }
    check_fieldbook_file(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(path, e))?;
    check_fieldbook(&conn, path)?;
    let found = user_version(&conn).map_err(|e| sql_error(path, e))?;
    match found.cmp(&LATEST_VERSION) {
        std::cmp::Ordering::Greater => {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported: LATEST_VERSION,
            });
        }
        std::cmp::Ordering::Less => {
            return Err(StoreError::OlderSchemaReadOnly {
                path: path.to_path_buf(),
                found,
                supported: LATEST_VERSION,
            });
        }
        std::cmp::Ordering::Equal => {}
    }
    apply_pragmas(&conn, true).map_err(|e| sql_error(path, e))?;
    Ok(conn)
}

fn open_read_write(path: &Path, create: bool) -> Result<Connection> {
    let io = |e| StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let exists = existing_file(path)?;
    // Permission bits are checked by hand: as root (as on many field laptops
    // and in CI) the kernel would let SQLite write a file marked read-only.
    if exists {
        if fs::metadata(path).map_err(io)?.permissions().readonly() {
            return Err(StoreError::ReadOnlyFile {
                path: path.to_path_buf(),
            });
        }
        if fs::metadata(&dir).map_err(io)?.permissions().readonly() {
            // WAL mode needs to create the -wal and -shm files beside the database.
            return Err(StoreError::ReadOnlyDir {
                path: path.to_path_buf(),
                dir,
            });
        }
    } else {
        if !create {
            return Err(StoreError::NotFound {
                path: path.to_path_buf(),
            });
        }
        if !dir.exists() {
            fs::create_dir_all(&dir).map_err(io)?;
        }
        if fs::metadata(&dir).map_err(io)?.permissions().readonly() {
            return Err(StoreError::ReadOnlyDir {
                path: path.to_path_buf(),
                dir,
            });
        }
        create_private_file(path).map_err(io)?;
    }
    if exists {
        check_fieldbook_file(path)?;
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(path, e))?;
    // Read the header before writing anything: a file that is not a
    // database, another program's database, or one from a newer fieldbook
    // is left exactly as it was.
    if exists {
        check_fieldbook(&conn, path)?;
    }
    let found = user_version(&conn).map_err(|e| sql_error(path, e))?;
    if found > LATEST_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: LATEST_VERSION,
        });
    }
    apply_pragmas(&conn, false).map_err(|e| sql_error(path, e))?;
    if found > 0 && found < LATEST_VERSION {
        // Keep the old file before changing its shape: field laptops have no IT desk.
        // `<db>.schema{found}.bak`: the whole name kept, so `a.db` and
        // `a.sqlite` in one folder never share (and overwrite) a copy.
        let mut copy = path.as_os_str().to_owned();
        copy.push(format!(".schema{found}.bak"));
        let copy = PathBuf::from(copy);
        let _ = fs::remove_file(&copy);
        create_private_file(&copy).map_err(io)?;
        let mut target = Connection::open(&copy).map_err(|e| sql_error(&copy, e))?;
        rusqlite::backup::Backup::new(&conn, &mut target)
            .and_then(|b| b.run_to_completion(256, std::time::Duration::ZERO, None))
            .map_err(|e| sql_error(&copy, e))?;
        drop(target);
        restrict_permissions(&copy).map_err(io)?;
    }
    migrations::to_latest(&mut conn).map_err(|message| StoreError::Migration {
        path: path.to_path_buf(),
        message,
    })?;
    // The mark, once (a database made before it was set gets it now).
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| sql_error(path, e))?;
    if id != APPLICATION_ID {
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| sql_error(path, e))?;
    }
    Ok(conn)
}

/// Creates an empty database file readable by its owner only (it holds ID numbers).
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map(drop)
}

fn restrict_permissions(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// A temporary path in the same folder as `dest`, so a rename is atomic.
pub(crate) fn temp_beside(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Creates a database at an earlier schema version, for the test that
/// upgrades from every earlier version. Not for use by the app.
#[doc(hidden)]
pub fn create_at_version(path: &Path, version: usize) -> Result<()> {
    let mut conn = Connection::open(path).map_err(|e| sql_error(path, e))?;
    migrations::to_version(&mut conn, version).map_err(|message| StoreError::Migration {
        path: path.to_path_buf(),
        message,
    })
}

/// Opens `path` as [`Store::open`] does for writing (read-write at the
/// SQLite level), then switches on the store's own read-only refusal: for
/// the test of that refusal alone, which a connection opened read-only
/// would hide by refusing too. Not for use by the app.
#[doc(hidden)]
pub fn open_refusing_writes(path: &Path) -> Result<Store> {
    let mut store = Store::open(path, OpenOptions::default())?;
    store.read_only = true;
    Ok(store)
}

/// Runs raw SQL on a database file, for tests that must build a database
/// the way an earlier fieldbook left it. Not for use by the app.
#[doc(hidden)]
pub fn execute_raw(path: &Path, sql: &str) -> Result<()> {
    let conn = Connection::open(path).map_err(|e| sql_error(path, e))?;
    conn.execute_batch(sql).map_err(|e| sql_error(path, e))
}

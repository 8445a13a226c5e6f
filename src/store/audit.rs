//! Reading the audit log: the change history of a record, a page at a time.

use uuid::Uuid;

use super::{Result, Store};

/// One change of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its place in the log: later changes have larger numbers.
    pub seq: i64,
    pub at: String,
    pub operator: String,
    pub device_id: String,
    pub table: String,
    pub row_id: String,
    /// `insert`, `update`, `delete`, or another verb such as `import`.
    pub action: String,
    /// The row before, as a JSON object (none for an insert).
    pub before: Option<String>,
    /// The row after, as a JSON object.
    pub after: Option<String>,
}

const COLUMNS: &str = "seq, at, operator, device_id, table_name, row_id, action, before, after";

impl AuditEntry {
    /// Reads a row selected as [`COLUMNS`].
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            operator: r.get(2)?,
            device_id: r.get(3)?,
            table: r.get(4)?,
            row_id: r.get(5)?,
            action: r.get(6)?,
            before: r.get(7)?,
            after: r.get(8)?,
        })
    }
}

/// Whose history: one row, a household with its members and its visits'
/// review, or a visit with its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryScope {
    Row {
        table: &'static str,
        id: Uuid,
    },
    /// The household, every member it has had, and each of its visits'
    /// review steps (submitted, approved, returned with the comment).
    Household(Uuid),
    /// The visit and every answer of its members.
    Visit(Uuid),
}

/// Which page of a history: keyset paging on the log's order, so a page
/// costs the same at the end of a long history as at its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryPage {
    Newest,
    Oldest,
    /// The entries just older than the entry `seq`.
    Older(i64),
    /// The entries just newer than the entry `seq`.
    Newer(i64),
}

impl HistoryScope {
    /// The selects (one per table, each served by the log's index on
    /// table, row and seq) whose union is the scope's history; `?1` is
    /// the id, `?2` and `?3` bound `seq` from below and above (exclusive).
    fn selects(self) -> Vec<String> {
        let one = |table: &str, rows: &str, extra: &str| {
            format!(
                "SELECT {COLUMNS} FROM audit_log WHERE table_name = '{table}' AND row_id {rows}
                 AND seq > ?2 AND seq < ?3{extra}"
            )
        };
        match self {
            HistoryScope::Row { table, .. } => vec![one(table, "= ?1", "")],
            HistoryScope::Household(_) => vec![
                one("household", "= ?1", ""),
                one(
                    "person",
                    "IN (SELECT id FROM person WHERE household_id = ?1)",
                    "",
                ),
                // Of its visits, the review: the changes of status.
                one(
                    "visit",
                    "IN (SELECT id FROM visit WHERE household_id = ?1)",
                    " AND json_extract(before, '$.status') IS NOT json_extract(after, '$.status')
                      AND before IS NOT NULL",
                ),
            ],
            HistoryScope::Visit(_) => vec![
                one("visit", "= ?1", ""),
                one(
                    "visit_person",
                    "IN (SELECT id FROM visit_person WHERE visit_id = ?1)",
                    "",
                ),
            ],
        }
    }

    fn id(self) -> Uuid {
        match self {
            HistoryScope::Row { id, .. }
            | HistoryScope::Household(id)
            | HistoryScope::Visit(id) => id,
        }
    }
}

impl Store {
    /// One page of a history, at most `limit` entries, newest first.
    pub fn history_page(
        &self,
        scope: HistoryScope,
        page: HistoryPage,
        limit: usize,
    ) -> Result<Vec<AuditEntry>> {
        let (lo, hi, newest_first) = match page {
            HistoryPage::Newest => (i64::MIN, i64::MAX, true),
            HistoryPage::Oldest => (i64::MIN, i64::MAX, false),
            HistoryPage::Older(seq) => (i64::MIN, seq, true),
            HistoryPage::Newer(seq) => (seq, i64::MAX, false),
        };
        let dir = if newest_first { "DESC" } else { "ASC" };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!(
            "{} ORDER BY seq {dir} LIMIT ?4",
            scope.selects().join(" UNION ALL ")
        );
        let mut rows = self.query(
            &sql,
            (scope.id().to_string(), lo, hi, limit),
            AuditEntry::from_row,
        )?;
        if !newest_first {
            rows.reverse();
        }
        Ok(rows)
    }

    /// A whole history, oldest first.
    fn history_of(&self, scope: HistoryScope) -> Result<Vec<AuditEntry>> {
        let mut all = self.history_page(scope, HistoryPage::Newest, usize::MAX)?;
        all.reverse();
        Ok(all)
    }

    /// The history of one row, oldest first.
    pub fn history(&self, table: &str, row_id: Uuid) -> Result<Vec<AuditEntry>> {
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM audit_log WHERE table_name = ?1 AND row_id = ?2 ORDER BY seq"
            ),
            (table, row_id.to_string()),
            AuditEntry::from_row,
        )
    }

    /// Number of entries in the audit log.
    pub fn audit_len(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// The history of a household, of every member it has had and of its
    /// visits' review, oldest first.
    pub fn household_history(&self, household_id: Uuid) -> Result<Vec<AuditEntry>> {
        self.history_of(HistoryScope::Household(household_id))
    }

    /// The history of a visit and of its answers, oldest first.
    pub fn visit_history(&self, visit_id: Uuid) -> Result<Vec<AuditEntry>> {
        self.history_of(HistoryScope::Visit(visit_id))
    }
}

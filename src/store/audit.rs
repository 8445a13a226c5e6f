//! Reading the audit log: the change history of a record.

use uuid::Uuid;

use super::{Result, Store};

/// One change of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
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

impl AuditEntry {
    /// Reads a row selected as `at, operator, device_id, table_name, row_id, action, before, after`.
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
        Ok(AuditEntry {
            at: r.get(0)?,
            operator: r.get(1)?,
            device_id: r.get(2)?,
            table: r.get(3)?,
            row_id: r.get(4)?,
            action: r.get(5)?,
            before: r.get(6)?,
            after: r.get(7)?,
        })
    }
}

impl Store {
    /// The history of one row, oldest first.
    pub fn history(&self, table: &str, row_id: Uuid) -> Result<Vec<AuditEntry>> {
        self.query(
            "SELECT at, operator, device_id, table_name, row_id, action, before, after
             FROM audit_log WHERE table_name = ?1 AND row_id = ?2 ORDER BY seq",
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
}

impl Store {
    /// The history of a household and of every member it has had, oldest first.
    pub fn household_history(&self, household_id: Uuid) -> Result<Vec<AuditEntry>> {
        self.history_with_children(household_id, "household", "person", "household_id")
    }

    /// The history of a visit and of its answers, oldest first.
    pub fn visit_history(&self, visit_id: Uuid) -> Result<Vec<AuditEntry>> {
        self.history_with_children(visit_id, "visit", "visit_person", "visit_id")
    }

    fn history_with_children(
        &self,
        id: Uuid,
        table: &str,
        child: &str,
        parent_col: &str,
    ) -> Result<Vec<AuditEntry>> {
        let sql = format!(
            "SELECT at, operator, device_id, table_name, row_id, action, before, after FROM audit_log
             WHERE (table_name = ?1 AND row_id = ?2)
                OR (table_name = '{child}' AND row_id IN (SELECT id FROM {child} WHERE {parent_col} = ?2))
             ORDER BY seq"
        );
        self.query(&sql, (table, id.to_string()), AuditEntry::from_row)
    }
}

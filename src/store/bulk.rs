//! Loading many new rows at once (the demo generator, later imports): plain
//! inserts through cached statements inside one write transaction, with one
//! audit entry for the whole load instead of one per row.

use super::{Result, Writer, entity, sql_error};
use crate::domain::table::Record;

impl Writer<'_> {
    /// Inserts a new record stamped as created and updated at `now` by this
    /// operator on this device, without an audit entry of its own: the
    /// caller records the load as a whole with [`Writer::note`].
    pub fn insert_unaudited<E: Record>(&mut self, record: &mut E, now: &str) -> Result<()> {
        {
            let m = record.meta_mut();
            m.created_at = now.to_owned();
            m.updated_at = now.to_owned();
            m.operator = self.operator.to_owned();
            m.device_id = self.device_id.to_owned();
        }
        if E::TABLE.name == "person" {
            // Row by row the search index would make a load several times
            // slower: it is rebuilt once before the load commits.
            self.defer_search_index()?;
            // A loaded household has one head too (checked at commit).
            let values = record.values();
            if let Some(i) = E::TABLE
                .columns
                .iter()
                .position(|c| c.name == "household_id")
            {
                self.heads_due(values[i].to_text());
            }
        }
        let mut stmt = self
            .tx
            .prepare_cached(&entity::insert_plain_sql::<E>())
            .map_err(|e| sql_error(self.path, e))?;
        stmt.execute(rusqlite::params_from_iter(entity::all_values(record)))
            .map_err(|e| self.name_missing_parent(record, sql_error(self.path, e)))?;
        Ok(())
    }

    /// Records an operation on a whole table (a demo load, an import) in the audit log.
    pub fn note(&mut self, table: &str, action: &str, detail: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log(at, operator, device_id, table_name, row_id, action, before, after)
                 VALUES (?1, ?2, ?3, ?4, '', ?5, NULL, ?6)",
            )
            .and_then(|mut s| {
                s.execute((crate::clock::now_utc(), self.operator, self.device_id, table, action, detail))
            })
            .map_err(|e| sql_error(self.path, e))?;
        Ok(())
    }
}

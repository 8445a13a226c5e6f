//! `fieldbook check`: is the database sound, and what does it hold?

use super::{Result, Store, TABLES};

/// The findings of a database check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// What SQLite's integrity_check found wrong (empty when sound).
    pub integrity: Vec<String>,
    /// Rows that refer to a missing row: (table, rowid, referenced table).
    pub foreign_keys: Vec<(String, i64, String)>,
    /// For each table of entered data: (table, live rows, deleted rows).
    pub counts: Vec<(String, u64, u64)>,
    pub audit_entries: u64,
    /// The report's tallies that differ from the records they are kept
    /// from: (table, rows that differ).
    pub tallies: Vec<(String, i64)>,
    /// Households with members and not exactly one head (left by an older
    /// version; the store refuses such a save now): (number, heads).
    pub heads: Vec<(String, i64)>,
    /// Sessions with more trainees than places (filled on two laptops).
    pub over_capacity: Vec<super::training::OverCapacity>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_keys.is_empty()
            && self.tallies.is_empty()
            && self.heads.is_empty()
            && self.over_capacity.is_empty()
    }
}

impl Store {
    pub fn check(&self) -> Result<CheckReport> {
        let integrity: Vec<String> = self.query("PRAGMA integrity_check", [], |r| r.get(0))?;
        let integrity = integrity.into_iter().filter(|l| l != "ok").collect();
        let foreign_keys = self.query("PRAGMA foreign_key_check", [], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(-1),
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let (live, deleted) = self
                .conn
                .query_row(
                    &format!(
                        "SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM {}",
                        table.name
                    ),
                    [],
                    |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
                )
                .map_err(|e| self.err(e))?;
            counts.push((table.name.to_owned(), live, deleted));
        }
        let tallies = super::tally::stale(&self.conn)
            .map_err(|e| self.err(e))?
            .into_iter()
            .map(|(t, n)| (t.to_owned(), n))
            .collect();
        let heads = self.query(
            "SELECT coalesce(h.number, x.household_id), x.heads FROM (
                SELECT household_id, count(*) FILTER (WHERE relation = 'head') AS heads
                FROM person WHERE deleted_at IS NULL GROUP BY household_id HAVING heads <> 1) x
             LEFT JOIN household h ON h.id = x.household_id ORDER BY 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let over_capacity = super::training::over_capacity(&self.conn).map_err(|e| self.err(e))?;
        Ok(CheckReport {
            integrity,
            foreign_keys,
            counts,
            audit_entries: self.audit_len()?,
            tallies,
            heads,
            over_capacity,
        })
    }

    /// Makes every derived table afresh from the records, in one
    /// transaction: the search index, the training wishes and the
    /// report's tallies (the repair when `check` finds one out of step).
    pub fn rebuild_derived(&mut self) -> Result<()> {
        self.write(|w| {
            w.rebuild_search_index()?;
            w.tx.execute_batch(super::training::REBUILD_WISHES)
                .and_then(|()| super::tally::rebuild(&w.tx))
                .map_err(|e| w.err(e))
        })
    }
}

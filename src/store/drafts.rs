//! Form drafts: the state of an open form, kept every second or so, so a
//! power cut loses at most the last second of typing. Local to this
//! installation (never exported, not audited: a draft is not yet data).

use super::{Result, Store};

/// A kept draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub key: String,
    pub form: String,
    pub record_id: String,
    pub payload: String,
    pub operator: String,
    pub updated_at: String,
}

impl Store {
    /// Keeps (or replaces) the draft `key`. Skipped silently on a read-only
    /// database, where nothing can be saved anyway.
    pub fn save_draft(
        &mut self,
        key: &str,
        form: &str,
        record_id: &str,
        payload: &str,
    ) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO draft(key, form, record_id, payload, operator, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(key) DO UPDATE SET payload = excluded.payload,
                     operator = excluded.operator, updated_at = excluded.updated_at",
            )
            .and_then(|mut s| {
                s.execute((
                    key,
                    form,
                    record_id,
                    payload,
                    &self.operator,
                    crate::clock::now_utc(),
                ))
            })
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn delete_draft(&mut self, key: &str) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.conn
            .execute("DELETE FROM draft WHERE key = ?1", [key])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        Ok(self.drafts()?.into_iter().find(|d| d.key == key))
    }

    /// Every kept draft, newest first.
    pub fn drafts(&self) -> Result<Vec<Draft>> {
        self.query(
            "SELECT key, form, record_id, payload, operator, updated_at FROM draft ORDER BY updated_at DESC",
            [],
            |r| {
                Ok(Draft {
                    key: r.get(0)?,
                    form: r.get(1)?,
                    record_id: r.get(2)?,
                    payload: r.get(3)?,
                    operator: r.get(4)?,
                    updated_at: r.get(5)?,
                })
            },
        )
    }
}

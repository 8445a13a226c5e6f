//! Townships and villages (the gazetteer).

use uuid::Uuid;

use super::{Entity, Result, Store};
use crate::domain::records::{Township, Village};

impl Store {
    /// All live townships, by code (there are 16).
    pub fn townships(&self) -> Result<Vec<Township>> {
        let sql = format!(
            "SELECT {} FROM township WHERE deleted_at IS NULL ORDER BY code",
            Township::select_list()
        );
        self.query(&sql, [], Township::from_row)
    }

    pub fn township_by_code(&self, code: &str) -> Result<Option<Township>> {
        let sql = format!(
            "SELECT {} FROM township WHERE code = ?1 AND deleted_at IS NULL",
            Township::select_list()
        );
        Ok(self.query(&sql, [code], Township::from_row)?.pop())
    }

    /// The live villages of one township, by code.
    pub fn villages_of(&self, township_id: Uuid) -> Result<Vec<Village>> {
        let sql = format!(
            "SELECT {} FROM village WHERE township_id = ?1 AND deleted_at IS NULL ORDER BY code",
            Village::select_list()
        );
        self.query(&sql, [township_id.to_string()], Village::from_row)
    }

    /// A village by its code, deleted or not (codes are never reused).
    pub fn village_by_code(&self, code: &str) -> Result<Option<Village>> {
        let sql = format!(
            "SELECT {} FROM village WHERE code = ?1",
            Village::select_list()
        );
        Ok(self.query(&sql, [code], Village::from_row)?.pop())
    }
}

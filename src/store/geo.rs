//! Townships and villages (the gazetteer).

use uuid::Uuid;

use super::{Result, Store, entity};
use crate::domain::records::{Township, Village};

impl Store {
    /// All live townships, by code (there are 16).
    pub fn townships(&self) -> Result<Vec<Township>> {
        let sql = format!(
            "SELECT {} FROM township WHERE deleted_at IS NULL ORDER BY code",
            entity::select_list::<Township>()
        );
        self.query(&sql, [], entity::from_row::<Township>)
    }

    pub fn township_by_code(&self, code: &str) -> Result<Option<Township>> {
        let sql = format!(
            "SELECT {} FROM township WHERE code = ?1 AND deleted_at IS NULL",
            entity::select_list::<Township>()
        );
        Ok(self
            .query(&sql, [code], entity::from_row::<Township>)?
            .pop())
    }

    /// The live villages of one township, by code.
    pub fn villages_of(&self, township_id: Uuid) -> Result<Vec<Village>> {
        let sql = format!(
            "SELECT {} FROM village WHERE township_id = ?1 AND deleted_at IS NULL ORDER BY code",
            entity::select_list::<Village>()
        );
        self.query(&sql, [township_id.to_string()], entity::from_row::<Village>)
    }

    /// A village by its code, deleted or not (codes are never reused).
    pub fn village_by_code(&self, code: &str) -> Result<Option<Village>> {
        let sql = format!(
            "SELECT {} FROM village WHERE code = ?1",
            entity::select_list::<Village>()
        );
        Ok(self.query(&sql, [code], entity::from_row::<Village>)?.pop())
    }
}

impl Store {
    /// Every live village as (id, "township village" in Chinese, in Tibetan),
    /// by code: the choices of a village field.
    pub fn village_choices(&self) -> Result<Vec<VillageChoice>> {
        self.query(
            "SELECT v.id, t.name_zh, t.name_bo, v.name_zh, v.name_bo
             FROM village v JOIN township t ON t.id = v.township_id
             WHERE v.deleted_at IS NULL ORDER BY v.code",
            [],
            |r| {
                let id: String = r.get(0)?;
                Ok(VillageChoice {
                    id: Uuid::parse_str(&id).unwrap_or_default(),
                    township_zh: r.get(1)?,
                    township_bo: r.get(2)?,
                    name_zh: r.get(3)?,
                    name_bo: r.get(4)?,
                })
            },
        )
    }
}

/// A village to choose, with its township's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageChoice {
    pub id: Uuid,
    pub township_zh: String,
    pub township_bo: String,
    pub name_zh: String,
    pub name_bo: String,
}

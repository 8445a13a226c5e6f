//! Households and their members.

use uuid::Uuid;

use super::{Entity, Result, Store};
use crate::domain::records::{Household, Person};

impl Store {
    /// A household by its registered number, deleted or not.
    pub fn household_by_number(&self, number: &str) -> Result<Option<Household>> {
        let sql = format!(
            "SELECT {} FROM household WHERE number = ?1",
            Household::select_list()
        );
        Ok(self.query(&sql, [number], Household::from_row)?.pop())
    }

    /// The live members of a household in roster order.
    pub fn members(&self, household_id: Uuid) -> Result<Vec<Person>> {
        let sql = format!(
            "SELECT {} FROM person WHERE household_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
            Person::select_list()
        );
        self.query(&sql, [household_id.to_string()], Person::from_row)
    }

    /// Every live person with this resident ID number, with their household:
    /// the duplicate guard shows these before a second entry is saved.
    pub fn find_by_id_number(&self, id_number: &str) -> Result<Vec<(Person, Household)>> {
        let sql = format!(
            "SELECT {}, h.id FROM person p JOIN household h ON h.id = p.household_id
             WHERE p.id_number = ?1 AND p.deleted_at IS NULL ORDER BY p.id",
            Person::select_list()
                .split(", ")
                .map(|c| format!("p.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let found = self.query(&sql, [id_number.trim().to_uppercase()], Person::from_row)?;
        let mut out = Vec::with_capacity(found.len());
        for p in found {
            if let Some(h) = self.get_any::<Household>(p.household_id)? {
                out.push((p, h));
            }
        }
        Ok(out)
    }

    /// Saves a household and its roster together. Members not in `members`
    /// but in the database stay as they are (removing one is a delete).
    /// Positions are renumbered from the order given.
    pub fn save_household(
        &mut self,
        household: &mut Household,
        members: &mut [Person],
    ) -> Result<()> {
        self.write(|w| {
            w.save(household)?;
            for (i, m) in members.iter_mut().enumerate() {
                m.household_id = household.meta.id;
                m.position = i as i64;
                w.save(m)?;
            }
            Ok(())
        })
    }
}

//! Household visit surveys and each labourer's answers.

use uuid::Uuid;

use super::{Entity, Result, Store};
use crate::domain::records::{Visit, VisitPerson};

impl Store {
    /// The live visits of a household, newest first.
    pub fn visits_of(&self, household_id: Uuid) -> Result<Vec<Visit>> {
        let sql = format!(
            "SELECT {} FROM visit WHERE household_id = ?1 AND deleted_at IS NULL
             ORDER BY visit_date DESC, id DESC",
            Visit::select_list()
        );
        self.query(&sql, [household_id.to_string()], Visit::from_row)
    }

    /// The live per-person answers of a visit.
    pub fn visit_answers(&self, visit_id: Uuid) -> Result<Vec<VisitPerson>> {
        let sql = format!(
            "SELECT {} FROM visit_person WHERE visit_id = ?1 AND deleted_at IS NULL ORDER BY id",
            VisitPerson::select_list()
        );
        self.query(&sql, [visit_id.to_string()], VisitPerson::from_row)
    }

    /// Saves a visit and its answers in one transaction.
    pub fn save_visit(&mut self, visit: &mut Visit, answers: &mut [VisitPerson]) -> Result<()> {
        self.write(|w| {
            w.save(visit)?;
            for a in answers.iter_mut() {
                a.visit_id = visit.meta.id;
                w.save(a)?;
            }
            Ok(())
        })
    }
}

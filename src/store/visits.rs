//! Household visit surveys and each labourer's answers.

use uuid::Uuid;

use super::{Result, Store, entity};
use crate::domain::records::{Visit, VisitPerson};
use crate::domain::table::Record;

impl Store {
    /// The live visits of a household, newest first.
    pub fn visits_of(&self, household_id: Uuid) -> Result<Vec<Visit>> {
        let sql = format!(
            "SELECT {} FROM visit WHERE household_id = ?1 AND deleted_at IS NULL
             ORDER BY visit_date DESC, id DESC",
            entity::select_list::<Visit>()
        );
        self.query(&sql, [household_id.to_string()], entity::from_row::<Visit>)
    }

    /// The live per-person answers of a visit.
    pub fn visit_answers(&self, visit_id: Uuid) -> Result<Vec<VisitPerson>> {
        let sql = format!(
            "SELECT {} FROM visit_person WHERE visit_id = ?1 AND deleted_at IS NULL ORDER BY id",
            entity::select_list::<VisitPerson>()
        );
        self.query(
            &sql,
            [visit_id.to_string()],
            entity::from_row::<VisitPerson>,
        )
    }

    /// Saves a visit and its answers in one transaction.
    pub fn save_visit(&mut self, visit: &mut Visit, answers: &mut [VisitPerson]) -> Result<()> {
        self.write_with(visit, answers, |w, visit, answers| {
            w.save(visit)?;
            for a in answers.iter_mut() {
                a.visit_id = visit.meta.id;
                w.save(a)?;
            }
            Ok(())
        })
    }
}

/// A visit in the review list, with its household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    pub visit: Visit,
    pub household_number: String,
    pub head_name: String,
}

impl Store {
    /// Live visits whose status is one of `statuses`, in that order of
    /// status, then most recently changed first; at most `limit`.
    pub fn visits_by_status(&self, statuses: &[&str], limit: usize) -> Result<Vec<ReviewRow>> {
        let mut out = Vec::new();
        let cols = entity::select_list::<Visit>()
            .split(", ")
            .map(|c| format!("v.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let n = super::META_COLUMNS.len() + Visit::TABLE.columns.len();
        for status in statuses {
            let left = limit.saturating_sub(out.len());
            if left == 0 {
                break;
            }
            let sql = format!(
                "SELECT {cols}, h.number, h.head_name FROM visit v JOIN household h ON h.id = v.household_id
                 WHERE v.status = ?1 AND v.deleted_at IS NULL ORDER BY v.updated_at DESC LIMIT ?2"
            );
            out.extend(self.query(&sql, (status, left as i64), |r| {
                Ok(ReviewRow {
                    visit: entity::from_row::<Visit>(r)?,
                    household_number: r.get(n)?,
                    head_name: r.get(n + 1)?,
                })
            })?);
        }
        Ok(out)
    }

    /// Moves a visit through review: submitted, approved, or returned with a
    /// comment. Audited like any save.
    pub fn set_visit_status(&mut self, id: Uuid, status: &str, comment: &str) -> Result<Visit> {
        let mut v = self
            .get::<Visit>(id)?
            .ok_or_else(|| super::StoreError::NoSuchRow {
                path: self.path.clone(),
                table: Visit::TABLE.name.to_owned(),
                id: id.to_string(),
            })?;
        v.status = status.to_owned();
        if matches!(status, "approved" | "returned") {
            v.review_comment = comment.trim().to_owned();
            v.reviewed_by = self.operator.clone();
            v.reviewed_at = Some(crate::clock::now_utc());
        }
        self.save(&mut v)?;
        Ok(v)
    }
}

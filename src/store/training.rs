//! Courses, training sessions and enrolments (the trainee roster).

use uuid::Uuid;

use super::{Result, Store, entity};
use crate::domain::records::{Course, Enrolment, TrainingSession};

impl Store {
    /// The live course catalogue, by code.
    pub fn courses(&self) -> Result<Vec<Course>> {
        let sql = format!(
            "SELECT {} FROM course WHERE deleted_at IS NULL ORDER BY code",
            entity::select_list::<Course>()
        );
        self.query(&sql, [], entity::from_row::<Course>)
    }

    /// The live sessions of a course, by period.
    pub fn sessions_of(&self, course_id: Uuid) -> Result<Vec<TrainingSession>> {
        let sql = format!(
            "SELECT {} FROM training_session WHERE course_id = ?1 AND deleted_at IS NULL ORDER BY period, id",
            entity::select_list::<TrainingSession>()
        );
        self.query(
            &sql,
            [course_id.to_string()],
            entity::from_row::<TrainingSession>,
        )
    }

    /// The live roster of a session.
    pub fn enrolments_of(&self, session_id: Uuid) -> Result<Vec<Enrolment>> {
        let sql = format!(
            "SELECT {} FROM enrolment WHERE session_id = ?1 AND deleted_at IS NULL ORDER BY id",
            entity::select_list::<Enrolment>()
        );
        self.query(
            &sql,
            [session_id.to_string()],
            entity::from_row::<Enrolment>,
        )
    }

    /// Every live enrolment of one person.
    pub fn enrolments_of_person(&self, person_id: Uuid) -> Result<Vec<Enrolment>> {
        let sql = format!(
            "SELECT {} FROM enrolment WHERE person_id = ?1 AND deleted_at IS NULL ORDER BY id",
            entity::select_list::<Enrolment>()
        );
        self.query(&sql, [person_id.to_string()], entity::from_row::<Enrolment>)
    }
}

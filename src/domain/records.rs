//! The records of the work, as plain data. The store reads and writes them;
//! forms and reports build them. No SQL here.
//!
//! Every record carries a [`RowMeta`]: the columns that let edits and
//! deletions travel between laptops (id, timestamps, who and where, tombstone).
//! Choice fields hold the stable codes of [`super::codes`]; money is integer fen.

use chrono::NaiveDate;
use uuid::Uuid;

/// The sync columns every record of entered data has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowMeta {
    pub id: Uuid,
    /// UTC, RFC 3339 with milliseconds; set by the store on first save.
    pub created_at: String,
    /// UTC, RFC 3339 with milliseconds; set by the store on every save.
    pub updated_at: String,
    /// Who last changed the row.
    pub operator: String,
    /// The installation that last changed the row.
    pub device_id: String,
    /// When the row was deleted (soft delete), if it was.
    pub deleted_at: Option<String>,
}

impl RowMeta {
    /// Meta for a record not yet saved: a fresh time-ordered (v7) id.
    pub fn new() -> RowMeta {
        RowMeta::with_id(Uuid::now_v7())
    }

    pub fn with_id(id: Uuid) -> RowMeta {
        RowMeta {
            id,
            created_at: String::new(),
            updated_at: String::new(),
            operator: String::new(),
            device_id: String::new(),
            deleted_at: None,
        }
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

impl Default for RowMeta {
    fn default() -> Self {
        RowMeta::new()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Township {
    pub meta: RowMeta,
    /// Official 9-digit code, e.g. 513333100.
    pub code: String,
    pub name_zh: String,
    pub name_bo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Village {
    pub meta: RowMeta,
    pub code: String,
    pub township_id: Uuid,
    pub name_zh: String,
    pub name_bo: String,
    /// The year the village exited poverty, if it has.
    pub exit_year: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Household {
    pub meta: RowMeta,
    /// The registered household number (建档立卡户编号).
    pub number: String,
    pub village_id: Uuid,
    pub phone: String,
    pub registered_poor: bool,
    pub exit_year: Option<i64>,
}

/// A household member.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    pub meta: RowMeta,
    pub household_id: Uuid,
    /// Order in the household roster (0 first).
    pub position: i64,
    pub name_zh: String,
    pub name_bo: String,
    /// Resident ID number, normalised (upper-case X), or empty if unknown.
    pub id_number: String,
    /// `codes::SEX`, or empty.
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    /// `codes::RELATION`.
    pub relation: String,
    /// `codes::EDUCATION`.
    pub education: String,
    pub is_labourer: bool,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Visit {
    pub meta: RowMeta,
    pub household_id: Uuid,
    pub visit_date: NaiveDate,
    /// Survey round, e.g. `2026-start` for the 2026 start-of-year survey.
    pub round: String,
    /// `codes::VISIT_TYPE`.
    pub visit_type: String,
    pub surveyors: String,
    /// `codes::DIFFICULTY`, several.
    pub difficulties: Vec<String>,
    pub problems: String,
    pub follow_up: String,
    /// `codes::VISIT_STATUS`.
    pub status: String,
    pub review_comment: String,
    pub reviewed_by: String,
    pub reviewed_at: Option<String>,
}

/// One labourer's answers in one visit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisitPerson {
    pub meta: RowMeta,
    pub visit_id: Uuid,
    pub person_id: Uuid,
    /// `codes::EMPLOYMENT_STATUS`.
    pub employment_status: String,
    pub work_place: String,
    pub annual_income_fen: Option<i64>,
    pub willing_to_work_away: Option<bool>,
    /// Course codes, several.
    pub training_wanted: Vec<String>,
    pub job_wanted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Course {
    pub meta: RowMeta,
    pub code: String,
    pub name_zh: String,
    pub name_bo: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrainingSession {
    pub meta: RowMeta,
    pub course_id: Uuid,
    /// Period number (期数) of this course.
    pub period: i64,
    /// `codes::TRAINING_MODE`.
    pub mode: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub place: String,
    pub provider: String,
    pub capacity: i64,
    /// `codes::TARGET_GROUP`.
    pub target_group: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Enrolment {
    pub meta: RowMeta,
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub attendance_days: i64,
    /// `codes::ENROLMENT_OUTCOME`.
    pub outcome: String,
    pub certificate_no: String,
    pub employed_after: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostType {
    pub meta: RowMeta,
    pub code: String,
    pub name_zh: String,
    pub name_bo: String,
    pub name_en: String,
    /// `codes::DEPARTMENT`.
    pub department: String,
    pub default_subsidy_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Post {
    pub meta: RowMeta,
    pub post_type_id: Uuid,
    pub village_id: Uuid,
    /// `codes::POST_STATUS`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostAssignment {
    pub meta: RowMeta,
    pub post_id: Uuid,
    pub person_id: Uuid,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// `codes::END_REASON`, empty while the assignment runs.
    pub end_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubsidyPayment {
    pub meta: RowMeta,
    pub assignment_id: Uuid,
    /// `YYYY-MM`.
    pub month: String,
    pub amount_fen: i64,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmploymentRecord {
    pub meta: RowMeta,
    pub person_id: Uuid,
    /// `codes::EMPLOYMENT_STATUS`.
    pub kind: String,
    pub employer: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub income_fen: Option<i64>,
}

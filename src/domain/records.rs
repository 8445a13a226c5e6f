//! The records of the work, as plain data, each declared once with its
//! table's columns and their kinds (see [`super::table`]). The store reads
//! and writes them; forms and reports build them. No SQL here.
//!
//! Every record carries a [`RowMeta`]: the columns that let edits and
//! deletions travel between laptops (id, timestamps, who and where, tombstone).
//! Choice fields hold the stable codes of [`super::codes`]; money is integer fen.
//!
//! A new table is one `record!` here, one entry in [`TABLES`], and the
//! migration that creates it; `tests/store.rs` checks the three agree.

use chrono::NaiveDate;
use uuid::Uuid;

use super::codes::*;
use super::table::{ParentRule, Table};
use super::{Problem, rules};
use crate::record;

pub use super::table::RowMeta;

record! {
    pub struct Township in "township" {
        /// Official 9-digit code, e.g. 513333100.
        code: String = Identifier.required().max(9).rule(rules::township_code),
        name_zh: String = Name,
        name_bo: String = Name,
    }
}

record! {
    pub struct Village in "village" {
        /// The township's code and 3 more digits.
        code: String = Identifier.required().max(12).rule(rules::village_code),
        township_id: Uuid = Ref("township"),
        name_zh: String = Name,
        name_bo: String = Name,
        /// The year the village exited poverty, if it has.
        exit_year: Option<i64> = Year.rule(rules::exit_year),
    }
    row_rule: names_present;
    parent_rule: ParentRule {
        column: "code",
        via: "township_id",
        parent: "township",
        parent_column: "code",
        check: rules::code_of_its_township,
    };
}

record! {
    pub struct Household in "household" {
        /// The registered household number (建档立卡户编号): its village's
        /// code and six more digits.
        number: String = Identifier.required().max(18).rule(rules::household_number),
        village_id: Uuid = Ref("village"),
        phone: String = Phone,
        registered_poor: bool = Flag,
        exit_year: Option<i64> = Year.rule(rules::exit_year),
    }
    derived: ["head_name", "last_visit"];
    parent_rule: ParentRule {
        column: "number",
        via: "village_id",
        parent: "village",
        parent_column: "code",
        check: rules::number_of_its_village,
    };
}

record! {
    /// A household member.
    pub struct Person in "person" {
        household_id: Uuid = Ref("household"),
        /// Order in the household roster (0 first).
        position: i64 = Integer,
        name_zh: String = Name,
        name_bo: String = Name,
        /// Resident ID number, normalised (upper-case X), or empty if unknown.
        id_number: String = IdNumber,
        /// `codes::SEX`, or empty.
        sex: String = Code(SEX),
        birth_date: Option<NaiveDate> = Date,
        relation: String = Code(RELATION),
        education: String = Code(EDUCATION),
        is_labourer: bool = Flag,
        phone: String = Phone,
    }
    row_rule: names_present;
}

record! {
    pub struct Visit in "visit" {
        household_id: Uuid = Ref("household"),
        visit_date: NaiveDate = Date,
        /// Survey round, e.g. `2026-start` for the 2026 start-of-year survey.
        round: String = Identifier.required().max(20).rule(rules::survey_round),
        visit_type: String = Code(VISIT_TYPE),
        surveyors: String = Text.max(100),
        difficulties: Vec<String> = Codes(DIFFICULTY),
        problems: String = Text,
        follow_up: String = Text,
        status: String = Code(VISIT_STATUS).required(),
        review_comment: String = Text,
        reviewed_by: String = Text.max(50),
        reviewed_at: Option<String> = Timestamp,
    }
    change_rule: review_moves;
}

record! {
    pub struct Course in "course" {
        code: String = Identifier.required().max(40).rule(rules::catalogue_code),
        name_zh: String = Name,
        name_bo: String = Name,
        name_en: String = Name,
    }
}

record! {
    /// One labourer's answers in one visit.
    pub struct VisitPerson in "visit_person" {
        visit_id: Uuid = Ref("visit"),
        person_id: Uuid = Ref("person"),
        employment_status: String = Code(EMPLOYMENT_STATUS),
        work_place: String = Text.max(100),
        annual_income_fen: Option<i64> = Fen,
        willing_to_work_away: Option<bool> = Flag,
        /// Course codes, several.
        training_wanted: Vec<String> = CodesOf("course"),
        job_wanted: String = Text.max(100),
    }
}

record! {
    pub struct TrainingSession in "training_session" {
        course_id: Uuid = Ref("course"),
        /// Period number (期数) of this course.
        period: i64 = Integer,
        mode: String = Code(TRAINING_MODE),
        start_date: NaiveDate = Date,
        end_date: NaiveDate = Date,
        place: String = Text.max(100),
        provider: String = Text.max(100),
        capacity: i64 = Integer,
        target_group: String = Code(TARGET_GROUP),
    }
    row_rule: period_in_order;
}

record! {
    pub struct Enrolment in "enrolment" {
        session_id: Uuid = Ref("training_session"),
        person_id: Uuid = Ref("person"),
        attendance_days: i64 = Integer,
        outcome: String = Code(ENROLMENT_OUTCOME),
        certificate_no: String = Text.max(50),
        employed_after: bool = Flag,
    }
}

record! {
    pub struct PostType in "post_type" {
        code: String = Identifier.required().max(40).rule(rules::catalogue_code),
        name_zh: String = Name,
        name_bo: String = Name,
        name_en: String = Name,
        department: String = Code(DEPARTMENT),
        default_subsidy_fen: i64 = Fen,
    }
}

record! {
    pub struct Post in "post" {
        post_type_id: Uuid = Ref("post_type"),
        village_id: Uuid = Ref("village"),
        status: String = Code(POST_STATUS),
    }
}

record! {
    pub struct PostAssignment in "post_assignment" {
        post_id: Uuid = Ref("post"),
        person_id: Uuid = Ref("person"),
        start_date: NaiveDate = Date,
        end_date: Option<NaiveDate> = Date,
        /// `codes::END_REASON`, empty while the assignment runs.
        end_reason: String = Code(END_REASON),
    }
    row_rule: period_in_order;
}

record! {
    pub struct SubsidyPayment in "subsidy_payment" {
        assignment_id: Uuid = Ref("post_assignment"),
        /// `YYYY-MM`.
        month: String = Month.required(),
        amount_fen: i64 = Fen,
        paid_on: Option<NaiveDate> = Date,
    }
}

record! {
    pub struct EmploymentRecord in "employment_record" {
        person_id: Uuid = Ref("person"),
        kind: String = Code(EMPLOYMENT_STATUS),
        employer: String = Text.max(100),
        start_date: Option<NaiveDate> = Date,
        end_date: Option<NaiveDate> = Date,
        income_fen: Option<i64> = Fen,
    }
    row_rule: period_in_order;
}

/// Every table of entered data, parents before children (the order to
/// insert and merge in, and the order of snapshot files). A catalogue comes
/// before the tables that name its codes (courses before visit answers).
pub const TABLES: &[&Table] = &[
    <Township as super::table::Record>::TABLE,
    <Village as super::table::Record>::TABLE,
    <Household as super::table::Record>::TABLE,
    <Person as super::table::Record>::TABLE,
    <Visit as super::table::Record>::TABLE,
    <Course as super::table::Record>::TABLE,
    <VisitPerson as super::table::Record>::TABLE,
    <TrainingSession as super::table::Record>::TABLE,
    <Enrolment as super::table::Record>::TABLE,
    <PostType as super::table::Record>::TABLE,
    <Post as super::table::Record>::TABLE,
    <PostAssignment as super::table::Record>::TABLE,
    <SubsidyPayment as super::table::Record>::TABLE,
    <EmploymentRecord as super::table::Record>::TABLE,
];

/// A table by name.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().copied().find(|t| t.name == name)
}

/// A person or a village has a Chinese name, a Tibetan name, or both.
fn names_present(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    (get("name_zh").is_empty() && get("name_bo").is_empty())
        .then(|| Problem::error("rule.name.missing").on("name_zh"))
}

/// A period (a session, an assignment, a job) does not end before it starts.
fn period_in_order(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    let (start, end) = (get("start_date"), get("end_date"));
    let start = NaiveDate::parse_from_str(&start, "%Y-%m-%d").ok()?;
    let end = NaiveDate::parse_from_str(&end, "%Y-%m-%d").ok()?;
    rules::check_period(start, end)
}

/// A visit's status moves only as review allows (see [`super::review`]).
fn review_moves(
    before: Option<&dyn Fn(&str) -> String>,
    after: &dyn Fn(&str) -> String,
    role: super::review::Role,
) -> Option<Problem> {
    use super::review::{REVIEW_COLUMNS, check_move, is_editable, locked};
    let from = before.map(|b| b("status"));
    let to = after("status");
    if let Some(p) = check_move(from.as_deref(), &to, role) {
        return Some(p);
    }
    if let (Some(b), Some(from)) = (before, from.as_deref()) {
        // Submitted or approved: only review may write to it.
        let answers_changed = <Visit as super::table::Record>::TABLE
            .columns
            .iter()
            .filter(|c| !REVIEW_COLUMNS.contains(&c.name))
            .any(|c| b(c.name) != after(c.name));
        if !is_editable(from) && answers_changed {
            return Some(locked(from));
        }
        if to == "returned" && from != "returned" && after("review_comment").trim().is_empty() {
            return Some(Problem::error("review.comment_required").on("review_comment"));
        }
    }
    None
}

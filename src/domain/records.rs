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
    label: ["name_zh", "name_bo"];
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
    label: ["name_zh", "name_bo"];
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
    label: ["number"];
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
    label: ["name_zh", "name_bo"];
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
    label: ["household_id", "visit_date"];
    change_rule: review_moves;
}

record! {
    pub struct Course in "course" {
        code: String = Identifier.required().max(40).rule(rules::catalogue_code),
        name_zh: String = Name,
        name_bo: String = Name,
        name_en: String = Name,
        category: String = Code(COURSE_CATEGORY),
        /// The trade (培训工种) a certificate names.
        trade: String = Text.max(50),
        /// Skill level, where the course has one (see `COURSE_LEVEL`).
        level: String = Code(COURSE_LEVEL),
        /// Standard class hours.
        standard_hours: i64 = Integer.rule(rules::hours),
    }
    label: ["name_zh", "name_bo"];
    row_rule: names_present;
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
        capacity: i64 = Integer.rule(rules::count),
        target_group: String = Code(TARGET_GROUP),
        /// `COURSE-YEAR-PERIOD`, e.g. `cooking-2026-03`: how rosters are named.
        code: String = Identifier.max(60).rule(rules::session_code),
        township_id: Option<Uuid> = Ref("township"),
        village_id: Option<Uuid> = Ref("village"),
        trainers: String = Text.max(100),
        class_hours: i64 = Integer.rule(rules::hours),
        days_held: i64 = Integer.rule(rules::count),
        status: String = Code(SESSION_STATUS),
    }
    label: ["code"];
    row_rule: period_in_order;
}

record! {
    pub struct Enrolment in "enrolment" {
        session_id: Uuid = Ref("training_session"),
        person_id: Uuid = Ref("person"),
        attendance_days: i64 = Integer.rule(rules::count),
        outcome: String = Code(ENROLMENT_OUTCOME),
        certificate_no: String = Text.max(50),
        employed_after: bool = Flag,
        theory_result: String = Code(RESULT),
        practical_result: String = Code(RESULT),
        /// Why the trainee dropped out.
        drop_reason: String = Text.max(100),
        certificate_date: Option<NaiveDate> = Date,
        /// The supervisor who accepted going over a subsidy limit.
        limits_accepted_by: String = Text.max(50),
    }
    label: ["person_id", "session_id"];
    row_rule: enrolment_in_order;
}

record! {
    /// One trainee's attendance on one day of a session.
    pub struct Attendance in "attendance" {
        enrolment_id: Uuid = Ref("enrolment"),
        day: NaiveDate = Date,
        present: bool = Flag,
    }
}

record! {
    pub struct PostType in "post_type" {
        code: String = Identifier.required().max(40).rule(rules::catalogue_code),
        name_zh: String = Name,
        name_bo: String = Name,
        name_en: String = Name,
        department: String = Code(DEPARTMENT),
        /// The type's monthly subsidy, a new post's default (500 yuan).
        monthly_subsidy_fen: i64 = Fen,
    }
    label: ["name_zh", "name_bo"];
}

// Public-welfare posts (see `super::posts` for their rules). Columns added
// to a table after its first release come last, as the schema has them.
record! {
    /// A funding line a post is paid from (资金来源): a list the county sets.
    pub struct FundingSource in "funding_source" {
        code: String = Identifier.required().max(40).rule(rules::catalogue_code),
        name_zh: String = Name,
        name_bo: String = Name,
        name_en: String = Name,
    }
    label: ["name_zh", "name_bo"];
}

record! {
    pub struct Post in "post" {
        post_type_id: Uuid = Ref("post_type"),
        village_id: Uuid = Ref("village"),
        /// Kept by the store: closed once `closed_on` is set, else filled
        /// while someone holds the post, else open.
        status: String = Code(POST_STATUS),
        title: String = Text.max(100),
        funding_source_id: Option<Uuid> = Ref("funding_source"),
        monthly_subsidy_fen: i64 = Fen,
        /// Days of attendance a month that earn the whole subsidy.
        required_days: i64 = Integer.rule(super::posts::required_days_rule),
        /// Accident insurance (人身意外伤害保险): policy and period.
        insurance_policy: String = Text.max(50),
        insurance_start: Option<NaiveDate> = Date,
        insurance_end: Option<NaiveDate> = Date,
        opened_on: NaiveDate = Date,
        closed_on: Option<NaiveDate> = Date,
    }
    label: ["post_type_id", "village_id"];
    row_rule: super::posts::post_dates_in_order;
}

record! {
    /// A person holding a post under an agreement (劳务协议).
    pub struct PostAssignment in "post_assignment" {
        post_id: Uuid = Ref("post"),
        person_id: Uuid = Ref("person"),
        /// The agreement's first day.
        start_date: NaiveDate = Date,
        /// The day the person left the post, once they have.
        end_date: Option<NaiveDate> = Date,
        /// `codes::END_REASON`, empty while the assignment runs.
        end_reason: String = Code(END_REASON),
        /// The agreement's last day (normally a year after its start).
        agreement_end: NaiveDate = Date,
    }
    label: ["person_id", "post_id"];
    row_rule: super::posts::assignment_in_order;
}

record! {
    /// The days one holder worked in one month (考勤).
    pub struct PostAttendance in "post_attendance" {
        assignment_id: Uuid = Ref("post_assignment"),
        /// `YYYY-MM`.
        month: String = Month.required(),
        days_worked: i64 = Integer,
    }
    row_rule: super::posts::days_within_month;
}

record! {
    /// One holder's subsidy for one month: prepared from the attendance,
    /// then paid.
    pub struct SubsidyPayment in "subsidy_payment" {
        assignment_id: Uuid = Ref("post_assignment"),
        /// `YYYY-MM`.
        month: String = Month.required(),
        amount_fen: i64 = Fen,
        paid_on: Option<NaiveDate> = Date,
        /// The attendance it was prepared from, and the days that counted
        /// (inside the agreement, at most the required days).
        days_worked: i64 = Integer,
        required_days: i64 = Integer,
        days_counted: i64 = Integer,
        /// The post's monthly subsidy when it was prepared.
        standard_fen: i64 = Fen,
        paid_via: String = Code(PAYMENT_CHANNEL),
        /// The bank or social-security card transfer's reference.
        paid_ref: String = Text.max(50),
    }
    change_rule: super::posts::paid_is_final;
}

record! {
    /// One spell of one person's work, as the national monitoring system's
    /// work sheet has it; or, for a labourer not working, their plans.
    /// Public-welfare posts are not recorded here: they are their
    /// assignments (`post_assignment`), so nothing is entered twice.
    pub struct EmploymentRecord in "employment_record" {
        person_id: Uuid = Ref("person"),
        /// `codes::EMPLOYMENT_STATUS`, as a visit answer has it: for work,
        /// what its place and channel make it (`employment::kind_of`);
        /// `not_employed` for a labourer's plans.
        kind: String = Code(EMPLOYMENT_STATUS),
        /// The employer, or the project (a road, the afforestation).
        employer: String = Text.max(100),
        /// `YYYY-MM`: the first month worked, and the last (none while the
        /// work goes on).
        start_month: Option<String> = Month,
        end_month: Option<String> = Month,
        /// Earned in the whole period.
        income_fen: Option<i64> = Fen,
        /// Where, in three tiers (`codes::PLACE_TIER`), and the county of work.
        place_tier: String = Code(PLACE_TIER),
        work_county: String = Text.max(50),
        industry: String = Code(INDUSTRY),
        /// How the work was found (`codes::WORK_CHANNEL`).
        channel: String = Code(WORK_CHANNEL),
        /// Taken there by point-to-point transport (点对点输送).
        point_to_point: bool = Flag,
        monthly_income_fen: Option<i64> = Fen,
        /// Transport subsidy for the year.
        transport_subsidy_fen: Option<i64> = Fen,
        /// A labourer not working: whether they plan to work, where, and
        /// the employment services wanted.
        plans_to_work: Option<bool> = Flag,
        planned_tier: String = Code(PLACE_TIER),
        services_wanted: Vec<String> = Codes(SERVICE_WANTED),
    }
    label: ["person_id", "start_month"];
    row_rule: months_in_order;
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
    <Attendance as super::table::Record>::TABLE,
    <PostType as super::table::Record>::TABLE,
    <FundingSource as super::table::Record>::TABLE,
    <Post as super::table::Record>::TABLE,
    <PostAssignment as super::table::Record>::TABLE,
    <PostAttendance as super::table::Record>::TABLE,
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

/// A trainee who dropped out says why; a certificate goes with a completed
/// course whose results are passes, and its date with its number.
fn enrolment_in_order(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    let outcome = get("outcome");
    if outcome == "dropped" && get("drop_reason").trim().is_empty() {
        return Some(Problem::error("training.error.drop_reason").on("drop_reason"));
    }
    let certified = !get("certificate_no").is_empty() || !get("certificate_date").is_empty();
    if certified {
        // Completed, and no assessment failed or awaiting a resit (an
        // assessment not recorded, as in rosters kept before results were,
        // does not stand in the way).
        let failed = |k: &str| matches!(get(k).as_str(), "fail" | "resit");
        let passed =
            outcome == "completed" && !failed("theory_result") && !failed("practical_result");
        if !passed {
            return Some(
                Problem::error("training.error.certificate_without_pass").on("certificate_no"),
            );
        }
        if get("certificate_no").is_empty() {
            return Some(Problem::error("training.error.certificate_number").on("certificate_no"));
        }
    }
    None
}

/// A period (a session, an assignment, a job) does not end before it starts.
fn period_in_order(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    let (start, end) = (get("start_date"), get("end_date"));
    let start = NaiveDate::parse_from_str(&start, "%Y-%m-%d").ok()?;
    let end = NaiveDate::parse_from_str(&end, "%Y-%m-%d").ok()?;
    rules::check_period(start, end)
}

/// A spell of work does not end before the month it starts.
fn months_in_order(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    let (start, end) = (get("start_month"), get("end_month"));
    let first = |m: &str| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok();
    (first(&end)? < first(&start)?).then(|| {
        Problem::error("rule.date.end_before_start")
            .on("end_month")
            .arg("start", start)
            .arg("end", end)
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::table::Kind;

    /// How deep a label may reach through references (the workbook reads
    /// no deeper).
    fn depth(t: &Table) -> usize {
        t.label
            .iter()
            .filter_map(|c| match t.column(c)?.kind {
                Kind::Ref(target) => Some(1 + depth(table(target)?)),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn every_table_referred_to_says_how_its_rows_read() {
        for t in TABLES {
            for c in t.all_columns() {
                if let Kind::Ref(target) = c.kind {
                    let target = table(target).unwrap_or_else(|| panic!("{t}.{}", c.name));
                    assert!(
                        !target.label.is_empty(),
                        "{target} has no label ({t}.{})",
                        c.name
                    );
                }
            }
            for c in t.label {
                assert!(
                    t.column(c).is_some(),
                    "{t}: label column {c} is not declared"
                );
            }
            assert!(depth(t) < 4, "{t}: label reaches too deep");
        }
    }
}

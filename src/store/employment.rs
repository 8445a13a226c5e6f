//! Employment records: a person's work, the rules across their records,
//! the warnings a form shows, a project's workers entered at once, and the
//! training a job followed.
//!
//! The rules are checked on every save, whichever screen, command or test
//! saves ([`Writer::employment_rules`], called by `Writer::save`):
//! - a spell of work has its place to the county, a first month, and the
//!   kind its place and channel make it;
//! - the channel "public-welfare post" is work in the county;
//! - one person's spells of work do not overlap, nor overlap a post they
//!   held (a post is work too, recorded by its assignment);
//! - nobody under 16, and nobody the household roster says is not a
//!   labourer (no labour capacity), is recorded as working;
//! - a visit answer saying the person was a student or unable to work, on
//!   a day inside the spell, refuses it.
//!
//! Warnings, said on the form and never refusals: a monthly income outside
//! 100-30,000 yuan; the person's latest visit answer (outside the spell)
//! saying student or unable to work. The first is the peer checker's
//! flag; the second is the county's own survey, which may be out of date.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::posts::AssignmentRow;
use super::{Result, Store, StoreError, Writer, entity, sql_error};
use crate::domain::Problem;
use crate::domain::employment::{
    self, EMPLOYED_WITHIN_MONTHS, MIN_WORKING_AGE, TRANSFER_MONTHS, is_work, kind_of,
};
use crate::domain::records::{EmploymentRecord, Enrolment};
use crate::domain::rules;

/// One line of a person's work: a record, or a post they held (from its
/// assignment, not entered again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkLine {
    Record(EmploymentRecord),
    Post(AssignmentRow),
}

impl WorkLine {
    /// The first month, `YYYY-MM` (empty for plans).
    pub fn start_month(&self) -> String {
        match self {
            WorkLine::Record(r) => r.start_month.clone().unwrap_or_default(),
            WorkLine::Post(p) => p.assignment.start_date.format("%Y-%m").to_string(),
        }
    }

    /// The last month, if the work has ended.
    pub fn end_month(&self) -> Option<String> {
        match self {
            WorkLine::Record(r) => r.end_month.clone(),
            WorkLine::Post(p) => p.assignment.end_date.map(|d| d.format("%Y-%m").to_string()),
        }
    }
}

/// A training a spell of work followed (ended at most six months before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingLink {
    pub enrolment_id: Uuid,
    pub session_code: String,
    pub course_zh: String,
    pub course_bo: String,
    pub course_en: String,
    pub session_end: NaiveDate,
}

/// What the rules need to know about the person of a record.
struct PersonFacts {
    live: bool,
    is_labourer: bool,
    birth: Option<NaiveDate>,
    /// The latest visit answer saying student or unable: status and day.
    idle_answers: Vec<(String, NaiveDate)>,
}

fn person_facts(conn: &rusqlite::Connection, person: Uuid) -> rusqlite::Result<PersonFacts> {
    let row: Option<(Option<String>, i64, Option<String>)> = conn
        .prepare_cached("SELECT deleted_at, is_labourer, birth_date FROM person WHERE id = ?1")?
        .query_row([person.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((deleted, labourer, birth)) = row else {
        return Ok(PersonFacts {
            live: false,
            is_labourer: false,
            birth: None,
            idle_answers: Vec::new(),
        });
    };
    let mut st = conn.prepare_cached(
        "SELECT a.employment_status, v.visit_date FROM visit_person a
         JOIN visit v ON v.id = a.visit_id
         WHERE a.person_id = ?1 AND a.deleted_at IS NULL AND v.deleted_at IS NULL
           AND a.employment_status IN ('student', 'unable')
         ORDER BY v.visit_date DESC",
    )?;
    let idle_answers = st
        .query_map([person.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(s, d)| Some((s, NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()?)))
        .collect();
    Ok(PersonFacts {
        live: deleted.is_none(),
        is_labourer: labourer != 0,
        birth: birth.and_then(|b| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok()),
        idle_answers,
    })
}

/// The first day of a month `YYYY-MM`.
fn first_day(month: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

/// Whether `day` falls in the months `start..=end` (end open: to today and on).
fn in_months(day: NaiveDate, start: &str, end: Option<&str>) -> bool {
    let m = day.format("%Y-%m").to_string();
    m.as_str() >= start && end.is_none_or(|e| m.as_str() <= e)
}

/// A record's rules against the rest of the database (see the module).
fn rules_of(
    conn: &rusqlite::Connection,
    e: &EmploymentRecord,
) -> rusqlite::Result<Option<Problem>> {
    let f = person_facts(conn, e.person_id)?;
    if !f.live {
        return Ok(Some(
            Problem::error("employment.error.no_person").on("person_id"),
        ));
    }
    if !is_work(&e.kind) {
        return Ok(None);
    }
    let Some(start) = e.start_month.as_deref() else {
        return Ok(Some(
            Problem::error("employment.error.start").on("start_month"),
        ));
    };
    if e.place_tier.is_empty() {
        return Ok(Some(
            Problem::error("employment.error.place").on("place_tier"),
        ));
    }
    if e.work_county.trim().is_empty() {
        return Ok(Some(
            Problem::error("employment.error.county").on("work_county"),
        ));
    }
    if e.channel == "welfare_post" && e.place_tier != "in_county" {
        return Ok(Some(
            Problem::error("employment.error.post_outside")
                .on("channel")
                .arg_key("place", format!("code.place_tier.{}", e.place_tier)),
        ));
    }
    let kind = kind_of(&e.place_tier, &e.channel);
    if e.kind != kind {
        return Ok(Some(
            Problem::error("employment.error.kind")
                .on("channel")
                .arg_key("kind", format!("code.employment_status.{}", e.kind))
                .arg_key("expected", format!("code.employment_status.{kind}")),
        ));
    }
    if !f.is_labourer {
        return Ok(Some(
            Problem::error("employment.error.not_labourer").on("person_id"),
        ));
    }
    if let (Some(birth), Some(first)) = (f.birth, first_day(start)) {
        let age = rules::age_on(birth, first);
        if age < MIN_WORKING_AGE {
            return Ok(Some(
                Problem::error("employment.error.too_young")
                    .on("start_month")
                    .arg("age", age)
                    .arg("min", MIN_WORKING_AGE),
            ));
        }
    }
    let end = e.end_month.as_deref();
    if let Some((status, day)) = f
        .idle_answers
        .iter()
        .find(|(_, d)| in_months(*d, start, end))
    {
        return Ok(Some(
            Problem::error("employment.error.idle_answer")
                .on("start_month")
                .arg("date", day)
                .arg_key("status", format!("code.employment_status.{status}")),
        ));
    }
    let open = "9999-12";
    let other: Option<(String, Option<String>, String)> = conn
        .prepare_cached(
            "SELECT start_month, end_month, employer FROM employment_record
             WHERE person_id = ?1 AND id <> ?2 AND deleted_at IS NULL
               AND start_month IS NOT NULL
               AND kind NOT IN ('not_employed', 'student', 'unable')
               AND start_month <= ?4 AND coalesce(end_month, ?5) >= ?3
             ORDER BY start_month LIMIT 1",
        )?
        .query_row(
            rusqlite::params![
                e.person_id.to_string(),
                e.meta.id.to_string(),
                start,
                end.unwrap_or(open),
                open
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((s, en, employer)) = other {
        return Ok(Some(
            Problem::error("employment.error.overlap")
                .on("start_month")
                .arg("start", s)
                .arg("end", en.unwrap_or_default())
                .arg("employer", employer),
        ));
    }
    let post: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT start_date, end_date FROM post_assignment
             WHERE person_id = ?1 AND deleted_at IS NULL
               AND substr(start_date, 1, 7) <= ?3
               AND coalesce(substr(end_date, 1, 7), ?4) >= ?2
             ORDER BY start_date LIMIT 1",
        )?
        .query_row(
            rusqlite::params![e.person_id.to_string(), start, end.unwrap_or(open), open],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((s, en)) = post {
        return Ok(Some(
            Problem::error("employment.error.overlap_post")
                .on("start_month")
                .arg("start", s)
                .arg("end", en.unwrap_or_default()),
        ));
    }
    Ok(None)
}

impl Store {
    /// A person's employment records (work and plans), latest first.
    pub fn employment_of_person(&self, person_id: Uuid) -> Result<Vec<EmploymentRecord>> {
        let sql = format!(
            "SELECT {} FROM employment_record WHERE person_id = ?1 AND deleted_at IS NULL
             ORDER BY coalesce(start_month, '9999-12') DESC, id DESC",
            entity::select_list::<EmploymentRecord>()
        );
        self.query(
            &sql,
            [person_id.to_string()],
            entity::from_row::<EmploymentRecord>,
        )
    }

    /// A person's work: their records and the posts they held, latest
    /// first (plans, which have no months, first of all).
    pub fn work_of_person(&self, person_id: Uuid) -> Result<Vec<WorkLine>> {
        let mut lines: Vec<WorkLine> = self
            .employment_of_person(person_id)?
            .into_iter()
            .map(WorkLine::Record)
            .collect();
        lines.extend(
            self.posts_of_person(person_id)?
                .into_iter()
                .map(WorkLine::Post),
        );
        lines.sort_by_key(|l| {
            let s = l.start_month();
            std::cmp::Reverse(if s.is_empty() {
                "9999-99".to_owned()
            } else {
                s
            })
        });
        Ok(lines)
    }

    /// What a form says of a record without refusing it: a monthly income
    /// outside 100-30,000 yuan, a visit answer (outside the spell) saying
    /// the person was a student or unable to work.
    pub fn employment_warnings(&self, e: &EmploymentRecord) -> Result<Vec<Problem>> {
        let mut out = Vec::new();
        if !is_work(&e.kind) {
            return Ok(out);
        }
        if let Some(p) = e.monthly_income_fen.and_then(employment::income_warning) {
            out.push(p);
        }
        let f = person_facts(&self.conn, e.person_id).map_err(|x| self.err(x))?;
        if let Some((status, day)) = f.idle_answers.first() {
            out.push(
                Problem::warning("employment.warning.idle_answer")
                    .on("person_id")
                    .arg("date", day)
                    .arg_key("status", format!("code.employment_status.{status}")),
            );
        }
        Ok(out)
    }

    /// The training a spell of work followed: a course the person
    /// completed that ended in the six months before the work began.
    pub fn training_before(&self, e: &EmploymentRecord) -> Result<Option<TrainingLink>> {
        let Some(start) = e.start_month.as_deref().filter(|_| is_work(&e.kind)) else {
            return Ok(None);
        };
        training_before(&self.conn, e.person_id, start).map_err(|x| self.err(x))
    }

    /// How many months of work count as transfer employment (default 3).
    pub fn transfer_months(&self) -> Result<i64> {
        self.post_setting(TRANSFER_MONTHS)
    }

    /// Sets it, recorded in the audit log with who set it.
    pub fn set_transfer_months(&mut self, months: i64) -> Result<()> {
        self.set_post_setting(TRANSFER_MONTHS, months)
    }

    /// One project's work for many workers at once: the same employer,
    /// place, channel, months and income for each of `people`, every
    /// record checked by the same rules. All or nothing: when one is
    /// refused nothing is saved, and the error names whom.
    pub fn save_project_work(
        &mut self,
        project: &EmploymentRecord,
        people: &[Uuid],
    ) -> std::result::Result<Vec<Uuid>, (Option<Uuid>, StoreError)> {
        // The worker refused, if one is: the closure's error rolls back
        // the whole batch.
        let mut refused = None;
        let result = self.write(|w| {
            let mut ids = Vec::with_capacity(people.len());
            for (i, person) in people.iter().enumerate() {
                if people[..i].contains(person) {
                    continue;
                }
                let mut r = EmploymentRecord {
                    meta: crate::domain::records::RowMeta::new(),
                    person_id: *person,
                    kind: kind_of(&project.place_tier, &project.channel).to_owned(),
                    ..project.clone()
                };
                if let Err(e) = w.save(&mut r) {
                    refused = Some(*person);
                    return Err(e);
                }
                ids.push(r.meta.id);
            }
            Ok(ids)
        });
        result.map_err(|e| (refused, e))
    }
}

fn training_before(
    conn: &rusqlite::Connection,
    person: Uuid,
    start: &str,
) -> rusqlite::Result<Option<TrainingLink>> {
    let Some(first) = first_day(start) else {
        return Ok(None);
    };
    conn.prepare_cached(
        "SELECT e.id, s.code, c.name_zh, c.name_bo, c.name_en, s.end_date
         FROM enrolment e JOIN training_session s ON s.id = e.session_id
         JOIN course c ON c.id = s.course_id
         WHERE e.person_id = ?1 AND e.deleted_at IS NULL AND s.deleted_at IS NULL
           AND e.outcome = 'completed'
           AND date(s.end_date, 'start of month') <= ?2
           AND date(s.end_date, 'start of month', ?3) >= ?2
         ORDER BY s.end_date DESC LIMIT 1",
    )?
    .query_row(
        rusqlite::params![
            person.to_string(),
            first.to_string(),
            format!("+{EMPLOYED_WITHIN_MONTHS} months")
        ],
        |r| {
            let id: String = r.get(0)?;
            let end: String = r.get(5)?;
            Ok(TrainingLink {
                enrolment_id: Uuid::parse_str(&id).unwrap_or_default(),
                session_code: r.get(1)?,
                course_zh: r.get(2)?,
                course_bo: r.get(3)?,
                course_en: r.get(4)?,
                session_end: NaiveDate::parse_from_str(&end, "%Y-%m-%d").unwrap_or_default(),
            })
        },
    )
    .optional()
}

impl Writer<'_> {
    /// The rules of an employment record about to be written (see the module).
    pub(super) fn employment_rules(&self, e: &EmploymentRecord) -> Result<Option<Problem>> {
        rules_of(&self.tx, e).map_err(|x| sql_error(self.path, x))
    }

    /// After a spell of work is saved: the training it followed is marked
    /// "employed within six months", so it is not entered twice. A mark
    /// the enrolment's own rules refuse is left for the clerk.
    pub(super) fn after_employment_save(&mut self, e: &EmploymentRecord) -> Result<()> {
        if e.meta.deleted_at.is_some() || !is_work(&e.kind) {
            return Ok(());
        }
        let Some(start) = e.start_month.as_deref() else {
            return Ok(());
        };
        let link = training_before(&self.tx, e.person_id, start).map_err(|x| self.err(x))?;
        let Some(link) = link else {
            return Ok(());
        };
        let sql = format!(
            "SELECT {} FROM enrolment WHERE id = ?1 AND deleted_at IS NULL",
            entity::select_list::<Enrolment>()
        );
        let enrolment = self
            .tx
            .prepare_cached(&sql)
            .and_then(|mut st| {
                st.query_row(
                    [link.enrolment_id.to_string()],
                    entity::from_row::<Enrolment>,
                )
                .optional()
            })
            .map_err(|x| self.err(x))?;
        let Some(mut enrolment) = enrolment else {
            return Ok(());
        };
        if enrolment.employed_after {
            return Ok(());
        }
        enrolment.employed_after = true;
        match self.save(&mut enrolment) {
            Err(StoreError::Invalid { .. }) => Ok(()),
            other => other,
        }
    }
}

//! Courses, training sessions, the roster (enrolments), attendance by day,
//! the training-needs list, and the rules that keep rosters true: they are
//! checked here, in the write, whichever screen, command or import asks.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{Result, Store, Writer, entity, sql_error};
use crate::domain::Problem;
use crate::domain::records::{Attendance, Course, Enrolment, TrainingSession};
use crate::domain::review::Role;
use crate::domain::rules;

/// Settings of the subsidy limits, with their defaults (programmes.md: at
/// most three subsidised trainings a year; one trade at one level once;
/// never a lower level after a higher one).
pub const LIMIT_PER_YEAR: &str = "training.limit_per_year";
pub const DEFAULT_LIMIT_PER_YEAR: i64 = 3;

/// What the session list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub course: Option<Uuid>,
    pub township: Option<Uuid>,
    pub year: Option<i32>,
    pub status: Option<String>,
}

/// One line of the session list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub session: TrainingSession,
    pub course_zh: String,
    pub course_bo: String,
    pub course_en: String,
    pub township_zh: String,
    pub township_bo: String,
    /// Live enrolments.
    pub enrolled: i64,
}

/// One trainee of a roster, with what the roster shows of the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub enrolment: Enrolment,
    pub name_zh: String,
    pub name_bo: String,
    pub sex: String,
    pub id_number: String,
    pub birth_date: Option<NaiveDate>,
    pub household_number: String,
}

/// One line of the training-needs list: a course wanted in a township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedRow {
    pub course_code: String,
    pub course_zh: String,
    pub course_bo: String,
    pub course_en: String,
    pub township_id: Uuid,
    pub township_zh: String,
    pub township_bo: String,
    /// People whose latest visit says they want the course.
    pub wanting: i64,
    /// Of them, enrolled in a session of the course not yet finished.
    pub enrolled: i64,
    /// Of them, who completed a session of the course.
    pub trained: i64,
    /// Of them, neither: still waiting.
    pub waiting: i64,
}

/// A person waiting for a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingRow {
    pub person_id: Uuid,
    pub name_zh: String,
    pub name_bo: String,
    pub birth_date: Option<NaiveDate>,
    pub household_number: String,
    pub village_zh: String,
    pub village_bo: String,
}

/// A person's training as the household screen and search show it: the
/// columns, from `first` on, and the tables they come from.
const TRAINING_COLUMNS: &str = "s.code, c.name_zh, c.name_bo, c.name_en, s.start_date,
    s.end_date, e.outcome, e.certificate_no";
const TRAINING_FROM: &str = "FROM enrolment e JOIN training_session s ON s.id = e.session_id
    JOIN course c ON c.id = s.course_id";

fn person_training(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<PersonTraining> {
    let date = |i: usize| -> rusqlite::Result<NaiveDate> {
        let s: String = r.get(i)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    Ok(PersonTraining {
        session_code: r.get(first)?,
        course_zh: r.get(first + 1)?,
        course_bo: r.get(first + 2)?,
        course_en: r.get(first + 3)?,
        start_date: date(first + 4)?,
        end_date: date(first + 5)?,
        outcome: r.get(first + 6)?,
        certificate_no: r.get(first + 7)?,
    })
}

/// One training a person took, for their record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTraining {
    pub session_code: String,
    pub course_zh: String,
    pub course_bo: String,
    pub course_en: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub outcome: String,
    pub certificate_no: String,
}

/// Every living person's wishes made afresh from their latest answers:
/// after a bulk load, which sets the wish triggers aside (`schema_v4.sql`).
pub(crate) const REBUILD_WISHES: &str = "
DELETE FROM training_wish;
INSERT OR IGNORE INTO training_wish(person_id, course_code, township_id)
SELECT person_id, course_code, township_id FROM person_wish
WHERE person_id IN (SELECT person_id FROM visit_person WHERE training_wanted <> '');";

/// Each person's best standing in each course they were enrolled in:
/// 2 completed, 1 enrolled, 0 dropped out (a dropout waits again).
const BEST_SQL: &str = "
WITH best AS (
    SELECT e.person_id, c.code AS course_code,
           MAX(CASE e.outcome WHEN 'completed' THEN 2 WHEN 'enrolled' THEN 1 ELSE 0 END) AS best
    FROM enrolment e
    JOIN training_session s ON s.id = e.session_id AND s.deleted_at IS NULL
    JOIN course c ON c.id = s.course_id
    WHERE e.deleted_at IS NULL
    GROUP BY e.person_id, c.code
)";

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

    /// A live session by its code (`cooking-2026-03`).
    pub fn session_by_code(&self, code: &str) -> Result<Option<TrainingSession>> {
        let sql = format!(
            "SELECT {} FROM training_session WHERE code = ?1 AND deleted_at IS NULL",
            entity::select_list::<TrainingSession>()
        );
        Ok(self
            .query(&sql, [code], entity::from_row::<TrainingSession>)?
            .into_iter()
            .next())
    }

    /// One page of the session list, newest start first: `limit` rows after
    /// the first `offset` (only the page is read).
    pub fn sessions_page(
        &self,
        f: &SessionFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<SessionRow>> {
        let cols = prefixed::<TrainingSession>("s");
        let n = super::META_COLUMNS.len()
            + <TrainingSession as crate::domain::table::Record>::TABLE
                .columns
                .len();
        let sql = format!(
            "SELECT {cols}, c.name_zh, c.name_bo, c.name_en,
                    COALESCE(t.name_zh, ''), COALESCE(t.name_bo, ''),
                    (SELECT COUNT(*) FROM enrolment e WHERE e.session_id = s.id AND e.deleted_at IS NULL)
             FROM training_session s JOIN course c ON c.id = s.course_id
             LEFT JOIN township t ON t.id = s.township_id
             WHERE {} ORDER BY s.start_date DESC, s.code LIMIT ?5 OFFSET ?6",
            FILTER_SQL
        );
        self.query(
            &sql,
            params![
                f.course.map(|u| u.to_string()),
                f.township.map(|u| u.to_string()),
                f.year.map(|y| y.to_string()),
                f.status,
                limit as i64,
                offset as i64
            ],
            |r| {
                Ok(SessionRow {
                    session: entity::from_row::<TrainingSession>(r)?,
                    course_zh: r.get(n)?,
                    course_bo: r.get(n + 1)?,
                    course_en: r.get(n + 2)?,
                    township_zh: r.get(n + 3)?,
                    township_bo: r.get(n + 4)?,
                    enrolled: r.get(n + 5)?,
                })
            },
        )
    }

    /// How many sessions the filter lets through.
    pub fn session_count(&self, f: &SessionFilter) -> Result<u64> {
        let sql = format!("SELECT COUNT(*) FROM training_session s WHERE {FILTER_SQL}");
        let n: Vec<i64> = self.query(
            &sql,
            params![
                f.course.map(|u| u.to_string()),
                f.township.map(|u| u.to_string()),
                f.year.map(|y| y.to_string()),
                f.status,
            ],
            |r| r.get(0),
        )?;
        Ok(n.first().copied().unwrap_or(0) as u64)
    }

    /// The years sessions start in, newest first.
    pub fn session_years(&self) -> Result<Vec<i32>> {
        self.query(
            "SELECT DISTINCT CAST(substr(start_date, 1, 4) AS INTEGER) FROM training_session
             WHERE deleted_at IS NULL ORDER BY 1 DESC",
            [],
            |r| r.get(0),
        )
    }

    /// The roster of a session: its live enrolments with the people, by
    /// household number and name (a roster is one session's, at most its
    /// capacity, so it is read whole).
    pub fn roster(&self, session_id: Uuid) -> Result<Vec<RosterRow>> {
        let cols = prefixed::<Enrolment>("e");
        let n = super::META_COLUMNS.len()
            + <Enrolment as crate::domain::table::Record>::TABLE
                .columns
                .len();
        let sql = format!(
            "SELECT {cols}, p.name_zh, p.name_bo, p.sex, p.id_number, p.birth_date, h.number
             FROM enrolment e JOIN person p ON p.id = e.person_id
             JOIN household h ON h.id = p.household_id
             WHERE e.session_id = ?1 AND e.deleted_at IS NULL
             ORDER BY h.number, p.position, p.id"
        );
        self.query(&sql, [session_id.to_string()], |r| {
            Ok(RosterRow {
                enrolment: entity::from_row::<Enrolment>(r)?,
                name_zh: r.get(n)?,
                name_bo: r.get(n + 1)?,
                sex: r.get(n + 2)?,
                id_number: r.get(n + 3)?,
                birth_date: r
                    .get::<_, Option<String>>(n + 4)?
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                household_number: r.get(n + 5)?,
            })
        })
    }

    /// The live roster of a session (enrolments only).
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

    /// The trainings a person took, oldest first.
    pub fn trainings_of_person(&self, person_id: Uuid) -> Result<Vec<PersonTraining>> {
        self.query(
            &format!(
                "SELECT {TRAINING_COLUMNS} {TRAINING_FROM}
                 WHERE e.person_id = ?1 AND e.deleted_at IS NULL AND s.deleted_at IS NULL
                 ORDER BY s.start_date, s.code"
            ),
            [person_id.to_string()],
            |r| person_training(r, 0),
        )
    }

    /// The trainings of every living member of a household, by person, in
    /// one query (the household screen shows each member's).
    pub fn trainings_of_household(
        &self,
        household_id: Uuid,
    ) -> Result<HashMap<Uuid, Vec<PersonTraining>>> {
        let rows = self.query(
            &format!(
                "SELECT e.person_id, {TRAINING_COLUMNS} {TRAINING_FROM}
                 JOIN person p ON p.id = e.person_id AND p.deleted_at IS NULL
                 WHERE p.household_id = ?1 AND e.deleted_at IS NULL AND s.deleted_at IS NULL
                 ORDER BY s.start_date, s.code"
            ),
            [household_id.to_string()],
            |r| Ok((r.get::<_, String>(0)?, person_training(r, 1)?)),
        )?;
        let mut by: HashMap<Uuid, Vec<PersonTraining>> = HashMap::new();
        for (person, t) in rows {
            if let Ok(id) = Uuid::parse_str(&person) {
                by.entry(id).or_default().push(t);
            }
        }
        Ok(by)
    }

    /// Who was present on `day`, by enrolment (marked days only).
    pub fn attendance_on(&self, session_id: Uuid, day: NaiveDate) -> Result<Vec<Attendance>> {
        let cols = prefixed::<Attendance>("a");
        let sql = format!(
            "SELECT {cols} FROM attendance a JOIN enrolment e ON e.id = a.enrolment_id
             WHERE e.session_id = ?1 AND a.day = ?2 AND a.deleted_at IS NULL AND e.deleted_at IS NULL"
        );
        self.query(
            &sql,
            params![session_id.to_string(), day.to_string()],
            entity::from_row::<Attendance>,
        )
    }

    /// Saves a day's register of a session in one transaction: each mark
    /// (enrolment, present), then each trainee's days attended and the
    /// session's days held recounted from the register, so the totals
    /// never disagree with the days.
    pub fn save_attendance_day(
        &mut self,
        session_id: Uuid,
        day: NaiveDate,
        marks: &[(Uuid, bool)],
    ) -> Result<()> {
        let existing = self.attendance_on(session_id, day)?;
        self.write(|w| {
            for (enrolment, present) in marks {
                let mut a = existing
                    .iter()
                    .find(|a| a.enrolment_id == *enrolment)
                    .cloned()
                    .unwrap_or_else(|| Attendance {
                        enrolment_id: *enrolment,
                        day,
                        ..Attendance::default()
                    });
                a.present = *present;
                w.save(&mut a)?;
            }
            w.recount_attendance(session_id)
        })
    }

    /// The training-needs list: per course and township, how many want it
    /// (their latest visit says so), how many are enrolled or trained, and
    /// how many still wait. Courses by code, townships by code.
    pub fn training_needs(&self) -> Result<Vec<NeedRow>> {
        // Wishes come from `training_wish`, kept by triggers from each
        // living person's latest visit answer (schema v4).
        let sql = format!(
            "{BEST_SQL},
             got AS (
                SELECT tw.course_code, tw.township_id, SUM(b.best = 1) AS enrolled,
                       SUM(b.best = 2) AS trained
                FROM best b JOIN training_wish tw
                  ON tw.person_id = b.person_id AND tw.course_code = b.course_code
                GROUP BY tw.course_code, tw.township_id
             )
             SELECT w.course_code, COALESCE(c.name_zh, w.course_code), COALESCE(c.name_bo, ''),
                    COALESCE(c.name_en, ''), t.id, t.name_zh, t.name_bo, w.n,
                    COALESCE(g.enrolled, 0), COALESCE(g.trained, 0)
             FROM (SELECT course_code, township_id, COUNT(*) AS n FROM training_wish
                   GROUP BY course_code, township_id) w
             JOIN township t ON t.id = w.township_id
             LEFT JOIN got g ON g.course_code = w.course_code AND g.township_id = w.township_id
             LEFT JOIN course c ON c.code = w.course_code AND c.deleted_at IS NULL
             ORDER BY w.course_code, t.code"
        );
        self.query(&sql, [], |r| {
            let (wanting, enrolled, trained): (i64, i64, i64) = (r.get(7)?, r.get(8)?, r.get(9)?);
            Ok(NeedRow {
                course_code: r.get(0)?,
                course_zh: r.get(1)?,
                course_bo: r.get(2)?,
                course_en: r.get(3)?,
                township_id: parse_uuid(r, 4)?,
                township_zh: r.get(5)?,
                township_bo: r.get(6)?,
                wanting,
                enrolled,
                trained,
                waiting: wanting - enrolled - trained,
            })
        })
    }

    /// Who in `township` still waits for `course_code`, by household number.
    pub fn waiting_for(&self, course_code: &str, township: Uuid) -> Result<Vec<WaitingRow>> {
        self.query(
            "SELECT p.id, p.name_zh, p.name_bo, p.birth_date, h.number, vi.name_zh, vi.name_bo
             FROM training_wish tw
             JOIN person p ON p.id = tw.person_id
             JOIN household h ON h.id = p.household_id JOIN village vi ON vi.id = h.village_id
             WHERE tw.course_code = ?1 AND tw.township_id = ?2
               AND NOT EXISTS (
                 SELECT 1 FROM enrolment e
                 JOIN training_session s ON s.id = e.session_id AND s.deleted_at IS NULL
                 JOIN course c ON c.id = s.course_id
                 WHERE e.person_id = tw.person_id AND e.deleted_at IS NULL
                   AND e.outcome <> 'dropped' AND c.code = tw.course_code)
             ORDER BY h.number, p.position, p.id",
            params![course_code, township.to_string()],
            |r| {
                Ok(WaitingRow {
                    person_id: parse_uuid(r, 0)?,
                    name_zh: r.get(1)?,
                    name_bo: r.get(2)?,
                    birth_date: r
                        .get::<_, Option<String>>(3)?
                        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    household_number: r.get(4)?,
                    village_zh: r.get(5)?,
                    village_bo: r.get(6)?,
                })
            },
        )
    }

    /// Enrols a person in a session: the roster's rules apply (see
    /// [`Writer::save`]); `accept_limits` records this operator as the
    /// supervisor accepting a subsidy limit. Returns the warnings the
    /// enrolment carries (a minor, an older trainee in a school-leavers'
    /// session).
    pub fn enrol(
        &mut self,
        session_id: Uuid,
        person_id: Uuid,
        accept_limits: bool,
    ) -> Result<(Enrolment, Vec<Problem>)> {
        let mut e = Enrolment {
            session_id,
            person_id,
            outcome: "enrolled".into(),
            limits_accepted_by: if accept_limits {
                self.operator().to_owned()
            } else {
                String::new()
            },
            ..Enrolment::default()
        };
        self.save(&mut e)?;
        let warnings = self.enrolment_warnings(&e)?;
        Ok((e, warnings))
    }

    /// What a supervisor may accept for an enrolment (the subsidy limits it
    /// goes over) and what is only said (a minor, an older trainee in a
    /// school-leavers' session): warnings, never refusals.
    pub fn enrolment_warnings(&self, e: &Enrolment) -> Result<Vec<Problem>> {
        let facts = facts(&self.conn, e).map_err(|x| sql_error(&self.path, x))?;
        let Some(f) = facts else {
            return Ok(Vec::new());
        };
        let mut out = age_warnings(&f);
        out.extend(limits(&self.conn, e, &f).map_err(|x| sql_error(&self.path, x))?);
        Ok(out)
    }
}

const FILTER_SQL: &str = "s.deleted_at IS NULL
    AND (?1 IS NULL OR s.course_id = ?1)
    AND (?2 IS NULL OR s.township_id = ?2)
    AND (?3 IS NULL OR substr(s.start_date, 1, 4) = ?3)
    AND (?4 IS NULL OR s.status = ?4)";

fn prefixed<E: crate::domain::table::Record>(alias: &str) -> String {
    entity::select_list::<E>()
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_uuid(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    let s: String = r.get(i)?;
    Uuid::parse_str(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// What the rules need to know of an enrolment's session and person.
struct Facts {
    session_live: bool,
    capacity: i64,
    target_group: String,
    start: Option<NaiveDate>,
    days_held: i64,
    trade: String,
    level: String,
    person_live: bool,
    birth: Option<NaiveDate>,
}

fn date_of(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// The session's and person's facts; `None` when the session is unknown.
fn facts(conn: &Connection, e: &Enrolment) -> rusqlite::Result<Option<Facts>> {
    let session = conn
        .prepare_cached(
            "SELECT s.deleted_at IS NULL, s.capacity, s.target_group, s.start_date, s.days_held,
                    c.trade, c.level
             FROM training_session s JOIN course c ON c.id = s.course_id WHERE s.id = ?1",
        )?
        .query_row([e.session_id.to_string()], |r| {
            Ok((
                r.get::<_, bool>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                date_of(r.get(3)?),
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    let Some((session_live, capacity, target_group, start, days_held, trade, level)) = session
    else {
        return Ok(None);
    };
    let person = conn
        .prepare_cached("SELECT deleted_at IS NULL, birth_date FROM person WHERE id = ?1")?
        .query_row([e.person_id.to_string()], |r| {
            Ok((r.get::<_, bool>(0)?, date_of(r.get(1)?)))
        })
        .optional()?;
    let (person_live, birth) = person.unwrap_or((false, None));
    Ok(Some(Facts {
        session_live,
        capacity,
        target_group,
        start,
        days_held,
        trade,
        level,
        person_live,
        birth,
    }))
}

fn age_at_start(f: &Facts) -> Option<u32> {
    Some(rules::age_on(f.birth?, f.start?))
}

/// A minor (16-18 at the start) is flagged; an older trainee in a
/// school-leavers' session is warned about.
fn age_warnings(f: &Facts) -> Vec<Problem> {
    let Some(age) = age_at_start(f) else {
        return Vec::new();
    };
    if (rules::MIN_TRAINEE_AGE..=rules::MINOR_MAX_AGE).contains(&age) {
        vec![
            Problem::warning("rule.age.minor")
                .on("person_id")
                .arg("age", age),
        ]
    } else if age > rules::MINOR_MAX_AGE && f.target_group == SCHOOL_LEAVERS {
        vec![
            Problem::warning("training.warning.older_in_school_leavers")
                .on("person_id")
                .arg("age", age),
        ]
    } else {
        Vec::new()
    }
}

/// The target group for school leavers aged 16-18.
pub const SCHOOL_LEAVERS: &str = "dropouts_16_18";

/// The subsidy limits an enrolment would go over (warnings): counting the
/// person's other live enrolments that were not dropped.
fn limits(conn: &Connection, e: &Enrolment, f: &Facts) -> rusqlite::Result<Vec<Problem>> {
    let mut out = Vec::new();
    if e.outcome == "dropped" {
        return Ok(out);
    }
    let max: i64 = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [LIMIT_PER_YEAR],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.trim().parse().ok())
        .filter(|n: &i64| *n > 0)
        .unwrap_or(DEFAULT_LIMIT_PER_YEAR);
    let mut stmt = conn.prepare_cached(
        "SELECT s.start_date, c.trade, c.level FROM enrolment e
         JOIN training_session s ON s.id = e.session_id AND s.deleted_at IS NULL
         JOIN course c ON c.id = s.course_id
         WHERE e.person_id = ?1 AND e.id <> ?2 AND e.deleted_at IS NULL AND e.outcome <> 'dropped'",
    )?;
    let others: Vec<(Option<NaiveDate>, String, String)> = stmt
        .query_map(
            params![e.person_id.to_string(), e.meta.id.to_string()],
            |r| Ok((date_of(r.get(0)?), r.get(1)?, r.get(2)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(start) = f.start {
        let same_year = others
            .iter()
            .filter(|(d, _, _)| d.is_some_and(|d| d.year() == start.year()))
            .count() as i64;
        if same_year >= max {
            out.push(
                Problem::warning("training.limit.per_year")
                    .on("person_id")
                    .arg("n", same_year + 1)
                    .arg("max", max)
                    .arg("year", start.year()),
            );
        }
    }
    if !f.trade.trim().is_empty() {
        let same_trade = |t: &str| t.trim() == f.trade.trim();
        if !f.level.is_empty()
            && others
                .iter()
                .any(|(_, t, l)| same_trade(t) && *l == f.level)
        {
            out.push(
                Problem::warning("training.limit.same_level")
                    .on("person_id")
                    .arg("trade", f.trade.trim())
                    .arg_key("level", format!("code.course_level.{}", f.level)),
            );
        }
        // Levels are numbered as the national standard does: 1 the highest.
        let level = f.level.parse::<u8>().ok();
        if let Some(higher) = others
            .iter()
            .filter(|(_, t, _)| same_trade(t))
            .filter_map(|(_, _, l)| l.parse::<u8>().ok())
            .filter(|l| level.is_some_and(|me| *l < me))
            .min()
        {
            out.push(
                Problem::warning("training.limit.lower_level")
                    .on("person_id")
                    .arg("trade", f.trade.trim())
                    .arg_key("level", format!("code.course_level.{}", f.level))
                    .arg_key("higher", format!("code.course_level.{higher}")),
            );
        }
    }
    Ok(out)
}

/// A session with more trainees than places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverCapacity {
    pub code: String,
    pub enrolled: i64,
    pub capacity: i64,
}

/// Live sessions with more live enrolments than places, by code.
pub(crate) fn over_capacity(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<OverCapacity>> {
    conn.prepare(
        "SELECT s.code, count(*), s.capacity FROM enrolment e
         JOIN training_session s ON s.id = e.session_id AND s.deleted_at IS NULL
         WHERE e.deleted_at IS NULL
         GROUP BY s.id HAVING count(*) > s.capacity ORDER BY s.code",
    )?
    .query_map([], |r| {
        Ok(OverCapacity {
            code: r.get(0)?,
            enrolled: r.get(1)?,
            capacity: r.get(2)?,
        })
    })?
    .collect()
}

impl Writer<'_> {
    /// Live sessions with more live enrolments than places, by code: what
    /// a merge of two laptops' enrolments can leave (each laptop kept the
    /// rule on its own).
    pub fn sessions_over_capacity(&self) -> Result<Vec<OverCapacity>> {
        over_capacity(&self.tx).map_err(|e| self.err(e))
    }

    /// The roster's rules for an enrolment about to be written (all
    /// refusals): a live session and person, once per session, within
    /// capacity, the trainee's age for the session's target group, days
    /// attended within days held, and a subsidy limit gone over only when
    /// a supervisor accepted it.
    pub(super) fn enrolment_rules(&self, e: &Enrolment) -> Result<Option<Problem>> {
        let conn: &Connection = &self.tx;
        let err = |x| sql_error(self.path, x);
        let f = match facts(conn, e).map_err(err)? {
            Some(f) if f.session_live => f,
            _ => {
                return Ok(Some(
                    Problem::error("training.error.no_session").on("session_id"),
                ));
            }
        };
        if !f.person_live {
            return Ok(Some(
                Problem::error("training.error.no_person").on("person_id"),
            ));
        }
        let q = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<String>> {
            conn.prepare_cached(sql)
                .and_then(|mut st| st.query_row(p, |r| r.get::<_, String>(0)).optional())
                .map_err(err)
        };
        let id = e.meta.id.to_string();
        let session = e.session_id.to_string();
        let person = e.person_id.to_string();
        // Who is where is checked when it is set: a trainee already on the
        // roster keeps their place when other things about them change.
        let placed = q(
            "SELECT session_id || ' ' || person_id FROM enrolment WHERE id = ?1 AND deleted_at IS NULL",
            &[&id],
        )?;
        let moved = placed.as_deref() != Some(format!("{session} {person}").as_str());
        if moved && let Some(p) = self.placement_rules(conn, e, &f)? {
            return Ok(Some(p));
        }
        if e.attendance_days > f.days_held {
            return Ok(Some(
                Problem::error("training.error.attendance_over")
                    .on("attendance_days")
                    .arg("days", e.attendance_days)
                    .arg("held", f.days_held),
            ));
        }
        // A subsidy limit: accepted only by a supervisor, in their own name.
        let accepted_before = q(
            "SELECT limits_accepted_by FROM enrolment WHERE id = ?1",
            &[&id],
        )?
        .unwrap_or_default();
        if e.limits_accepted_by != accepted_before
            && !e.limits_accepted_by.is_empty()
            && (self.role != Role::Supervisor || e.limits_accepted_by != self.operator)
        {
            {
                return Ok(Some(
                    Problem::error("training.error.accept_supervisor").on("limits_accepted_by"),
                ));
            }
        }
        if moved
            && e.limits_accepted_by.is_empty()
            && let Some(limit) = limits(conn, e, &f).map_err(err)?.into_iter().next()
        {
            return Ok(Some(Problem {
                severity: crate::domain::Severity::Error,
                ..limit
            }));
        }
        Ok(None)
    }

    /// Once per session, within capacity, of an age for the session.
    fn placement_rules(
        &self,
        conn: &Connection,
        e: &Enrolment,
        f: &Facts,
    ) -> Result<Option<Problem>> {
        let err = |x| sql_error(self.path, x);
        let twice: Option<String> = conn
            .prepare_cached(
                "SELECT id FROM enrolment WHERE session_id = ?1 AND person_id = ?2 AND id <> ?3
                 AND deleted_at IS NULL",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![
                        e.session_id.to_string(),
                        e.person_id.to_string(),
                        e.meta.id.to_string()
                    ],
                    |r| r.get(0),
                )
                .optional()
            })
            .map_err(err)?;
        if twice.is_some() {
            return Ok(Some(
                Problem::error("training.error.enrolled_twice").on("person_id"),
            ));
        }
        let enrolled: i64 = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM enrolment WHERE session_id = ?1 AND id <> ?2 AND deleted_at IS NULL",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![e.session_id.to_string(), e.meta.id.to_string()],
                    |r| r.get(0),
                )
            })
            .map_err(err)?;
        if enrolled >= f.capacity {
            return Ok(Some(
                Problem::error("training.error.full")
                    .on("session_id")
                    .arg("capacity", f.capacity),
            ));
        }
        if let Some(age) = age_at_start(f) {
            if age < rules::MIN_TRAINEE_AGE {
                return Ok(Some(
                    Problem::error("rule.age.too_young")
                        .on("person_id")
                        .arg("age", age)
                        .arg("min", rules::MIN_TRAINEE_AGE),
                ));
            }
            if age <= rules::MINOR_MAX_AGE && f.target_group != SCHOOL_LEAVERS {
                return Ok(Some(
                    Problem::error("training.error.minor")
                        .on("person_id")
                        .arg("age", age)
                        .arg_key("group", format!("code.target_group.{}", f.target_group)),
                ));
            }
        }
        Ok(None)
    }

    /// A session's rules: its course live, its code its own, its capacity
    /// not below the trainees enrolled, its days held not below any
    /// trainee's days attended.
    pub(super) fn session_rules(&self, s: &TrainingSession) -> Result<Option<Problem>> {
        let conn: &Connection = &self.tx;
        let err = |x| sql_error(self.path, x);
        let id = s.meta.id.to_string();
        let course_live: Option<bool> = conn
            .prepare_cached("SELECT deleted_at IS NULL FROM course WHERE id = ?1")
            .and_then(|mut st| {
                st.query_row([s.course_id.to_string()], |r| r.get(0))
                    .optional()
            })
            .map_err(err)?;
        if course_live != Some(true) {
            return Ok(Some(
                Problem::error("training.error.no_course").on("course_id"),
            ));
        }
        let taken: Option<String> = conn
            .prepare_cached(
                "SELECT id FROM training_session WHERE code = ?1 AND id <> ?2 AND deleted_at IS NULL",
            )
            .and_then(|mut st| st.query_row([&s.code, &id], |r| r.get(0)).optional())
            .map_err(err)?;
        if taken.is_some() && !s.code.is_empty() {
            return Ok(Some(
                Problem::error("training.error.code_taken")
                    .on("code")
                    .arg("code", &s.code),
            ));
        }
        let (enrolled, most): (i64, i64) = conn
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(MAX(attendance_days), 0) FROM enrolment
                 WHERE session_id = ?1 AND deleted_at IS NULL",
            )
            .and_then(|mut st| st.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(err)?;
        if s.capacity < enrolled {
            return Ok(Some(
                Problem::error("training.error.capacity_below")
                    .on("capacity")
                    .arg("capacity", s.capacity)
                    .arg("enrolled", enrolled),
            ));
        }
        if s.days_held < most {
            return Ok(Some(
                Problem::error("training.error.days_below")
                    .on("days_held")
                    .arg("held", s.days_held)
                    .arg("days", most),
            ));
        }
        Ok(None)
    }

    /// A day's mark: a live enrolment, on a day of its session.
    pub(super) fn attendance_rules(&self, a: &Attendance) -> Result<Option<Problem>> {
        let conn: &Connection = &self.tx;
        let err = |x| sql_error(self.path, x);
        let span = conn
            .prepare_cached(
                "SELECT s.start_date, s.end_date FROM enrolment e
                 JOIN training_session s ON s.id = e.session_id
                 WHERE e.id = ?1 AND e.deleted_at IS NULL AND s.deleted_at IS NULL",
            )
            .and_then(|mut st| {
                st.query_row([a.enrolment_id.to_string()], |r| {
                    Ok((date_of(r.get(0)?), date_of(r.get(1)?)))
                })
                .optional()
            })
            .map_err(err)?;
        let Some((Some(start), Some(end))) = span else {
            return Ok(Some(
                Problem::error("training.error.no_enrolment").on("enrolment_id"),
            ));
        };
        if a.day < start || a.day > end {
            return Ok(Some(
                Problem::error("training.error.day_outside")
                    .on("day")
                    .arg("day", a.day)
                    .arg("start", start)
                    .arg("end", end),
            ));
        }
        Ok(None)
    }

    /// Recounts a session's days held (the days of its register, or more
    /// if typed so) and each trainee's days attended from the register.
    pub(super) fn recount_attendance(&mut self, session_id: Uuid) -> Result<()> {
        let id = session_id.to_string();
        let held: i64 = self
            .tx
            .query_row(
                "SELECT COUNT(DISTINCT a.day) FROM attendance a JOIN enrolment e ON e.id = a.enrolment_id
                 WHERE e.session_id = ?1 AND a.deleted_at IS NULL AND e.deleted_at IS NULL",
                [&id],
                |r| r.get(0),
            )
            .map_err(|e| sql_error(self.path, e))?;
        let sql = format!(
            "SELECT {} FROM training_session WHERE id = ?1",
            entity::select_list::<TrainingSession>()
        );
        let mut session = self
            .tx
            .query_row(&sql, [&id], entity::from_row::<TrainingSession>)
            .map_err(|e| sql_error(self.path, e))?;
        if session.days_held < held {
            session.days_held = held;
            self.save(&mut session)?;
        }
        let sql = format!(
            "SELECT {}, (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = enrolment.id
                         AND a.present = 1 AND a.deleted_at IS NULL)
             FROM enrolment WHERE session_id = ?1 AND deleted_at IS NULL",
            entity::select_list::<Enrolment>()
        );
        let n = super::META_COLUMNS.len()
            + <Enrolment as crate::domain::table::Record>::TABLE
                .columns
                .len();
        let rows: Vec<(Enrolment, i64)> = {
            let mut st = self.tx.prepare(&sql).map_err(|e| sql_error(self.path, e))?;
            st.query_map([&id], |r| {
                Ok((entity::from_row::<Enrolment>(r)?, r.get(n)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| sql_error(self.path, e))?
        };
        for (mut e, present) in rows {
            if e.attendance_days != present {
                e.attendance_days = present;
                self.save(&mut e)?;
            }
        }
        Ok(())
    }
}

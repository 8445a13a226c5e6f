//! The training forms: a course of the catalogue, a session (期次), and
//! one trainee's line on a roster (attendance, assessment, outcome,
//! certificate). Enrolling itself is done from search (see the roster);
//! the rules of a roster are the store's, whichever form saves.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    Answers, Field, Form, FormData, FormSpec, RuleEnv, Section, answers_of, apply_answers,
};
use crate::domain::Problem;
use crate::domain::records::{Course, Enrolment, Person, RowMeta, TrainingSession};
use crate::domain::rules;
use crate::domain::table::Record;
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

fn invalid(store: &Store, table: &str, p: Problem) -> StoreError {
    StoreError::Invalid {
        path: store.path().to_path_buf(),
        table: table.to_owned(),
        problem: Box::new(p),
    }
}

fn names(_: &str, a: &Answers<'_>, _: &RuleEnv<'_>) -> Vec<Problem> {
    rules::check_names(a.get("name_zh"), a.get("name_bo"))
        .err()
        .into_iter()
        .collect()
}

pub fn course_spec() -> FormSpec {
    let c = Course::TABLE;
    FormSpec {
        check: None,
        name: "course",
        title: "course.form_title",
        sections: vec![Section {
            name: "course",
            label: "course.section",
            repeat: None,
            fields: vec![
                Field::of(c, "code", "course.code").constraint(course_code_free),
                Field::of(c, "name_zh", "course.name_zh").constraint(names),
                Field::of(c, "name_bo", "course.name_bo").constraint(names),
                Field::of(c, "name_en", "course.name_en"),
                Field::of(c, "category", "course.category"),
                Field::of(c, "trade", "course.trade"),
                Field::of(c, "level", "course.level"),
                Field::of(c, "standard_hours", "course.standard_hours"),
            ],
        }],
    }
}

fn course_code_free(v: &str, _: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    match env.store.courses() {
        Ok(all)
            if all
                .iter()
                .any(|c| c.code == v && c.meta.id != env.record_id) =>
        {
            vec![Problem::error("course.error.code_taken").arg("code", v)]
        }
        _ => Vec::new(),
    }
}

/// The course form on course `id` (a new one when it does not exist).
pub struct CourseForm {
    pub id: Uuid,
}

impl Form for CourseForm {
    fn spec(&self) -> FormSpec {
        course_spec()
    }

    fn subject(&self, _store: &Store, data: &FormData) -> Result<super::Subject, StoreError> {
        let get = |k: &str| data.values.get(k).cloned().unwrap_or_default();
        Ok(super::Subject {
            number: get("code"),
            name_zh: get("name_zh"),
            name_bo: get("name_bo"),
        })
    }

    fn load(&self, store: &Store, _today: NaiveDate) -> Result<FormData, StoreError> {
        let mut data = FormData::default();
        if let Some(c) = store.get::<Course>(self.id)? {
            data.read(&c);
            answers_of(&course_spec().sections[0].fields, &c, &mut data.values);
        }
        Ok(data)
    }

    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let mut c = store.get_any::<Course>(self.id)?.unwrap_or_else(|| Course {
            meta: RowMeta::with_id(self.id),
            ..Course::default()
        });
        data.as_read(&mut c);
        c.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&course_spec().sections[0].fields, &top, &mut c, today)
            .map_err(|p| invalid(store, Course::TABLE.name, p))?;
        store.save(&mut c)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Row {
            table: Course::TABLE.name,
            id: self.id,
        }
    }
}

pub fn session_spec() -> FormSpec {
    let s = TrainingSession::TABLE;
    FormSpec {
        check: None,
        name: "session",
        title: "session.form_title",
        sections: vec![Section {
            name: "session",
            label: "session.section",
            repeat: None,
            fields: vec![
                Field::of(s, "course_id", "session.course").required(),
                Field::of(s, "period", "session.period").required(),
                Field::of(s, "code", "session.code").constraint(session_code_free),
                Field::of(s, "mode", "session.mode").required(),
                Field::of(s, "start_date", "session.start_date").required(),
                Field::of(s, "end_date", "session.end_date").required(),
                Field::of(s, "township_id", "session.township"),
                Field::of(s, "village_id", "session.village"),
                Field::of(s, "place", "session.place"),
                Field::of(s, "provider", "session.provider"),
                Field::of(s, "trainers", "session.trainers"),
                Field::of(s, "capacity", "session.capacity").required(),
                Field::of(s, "target_group", "session.target_group").required(),
                Field::of(s, "class_hours", "session.class_hours"),
                Field::of(s, "days_held", "session.days_held"),
                Field::of(s, "status", "session.status").required(),
            ],
        }],
    }
}

fn session_code_free(v: &str, _: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    if v.is_empty() {
        return Vec::new();
    }
    match env.store.session_by_code(v) {
        Ok(Some(other)) if other.meta.id != env.record_id => {
            vec![Problem::error("training.error.code_taken").arg("code", v)]
        }
        _ => Vec::new(),
    }
}

/// The session form on session `id` (new ones of `course`, when given).
pub struct SessionForm {
    pub id: Uuid,
    pub course: Option<Uuid>,
}

impl Form for SessionForm {
    fn spec(&self) -> FormSpec {
        session_spec()
    }

    fn subject(&self, _store: &Store, data: &FormData) -> Result<super::Subject, StoreError> {
        Ok(super::Subject {
            number: data.values.get("code").cloned().unwrap_or_default(),
            ..super::Subject::default()
        })
    }

    fn load(&self, store: &Store, today: NaiveDate) -> Result<FormData, StoreError> {
        let mut data = FormData::default();
        let fields = &session_spec().sections[0].fields;
        match store.get::<TrainingSession>(self.id)? {
            Some(s) => {
                data.read(&s);
                answers_of(fields, &s, &mut data.values);
            }
            None => {
                // A new session: the next period of its course, today, the
                // usual mode and group, planned.
                let fresh = TrainingSession {
                    course_id: self.course.unwrap_or_default(),
                    period: match self.course {
                        Some(c) => {
                            store
                                .sessions_of(c)?
                                .iter()
                                .map(|s| s.period)
                                .max()
                                .unwrap_or(0)
                                + 1
                        }
                        None => 1,
                    },
                    start_date: today,
                    end_date: today,
                    capacity: 40,
                    mode: "poverty_class".to_owned(),
                    target_group: "poor_labourers".to_owned(),
                    status: "planned".to_owned(),
                    ..TrainingSession::default()
                };
                answers_of(fields, &fresh, &mut data.values);
                if self.course.is_none() {
                    data.values.insert("course_id".into(), String::new());
                }
                data.values.insert("code".into(), String::new());
            }
        }
        Ok(data)
    }

    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let mut s = store
            .get_any::<TrainingSession>(self.id)?
            .unwrap_or_else(|| TrainingSession {
                meta: RowMeta::with_id(self.id),
                ..TrainingSession::default()
            });
        data.as_read(&mut s);
        s.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&session_spec().sections[0].fields, &top, &mut s, today)
            .map_err(|p| invalid(store, TrainingSession::TABLE.name, p))?;
        if s.code.is_empty() {
            // Named as the county names rosters: course, start year, period.
            let course = store
                .get::<Course>(s.course_id)?
                .map(|c| c.code)
                .unwrap_or_default();
            s.code = rules::make_session_code(&course, s.start_date, s.period);
        }
        store.save(&mut s)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Row {
            table: TrainingSession::TABLE.name,
            id: self.id,
        }
    }
}

pub fn enrolment_spec() -> FormSpec {
    let e = Enrolment::TABLE;
    FormSpec {
        check: None,
        name: "enrolment",
        title: "enrolment.form_title",
        sections: vec![Section {
            name: "enrolment",
            label: "enrolment.section",
            repeat: None,
            fields: vec![
                Field::of(e, "attendance_days", "enrolment.attendance_days"),
                Field::of(e, "theory_result", "enrolment.theory_result"),
                Field::of(e, "practical_result", "enrolment.practical_result"),
                Field::of(e, "outcome", "enrolment.outcome").required(),
                Field::of(e, "drop_reason", "enrolment.drop_reason")
                    .relevant(|a| a.get("outcome") == "dropped"),
                Field::of(e, "certificate_no", "enrolment.certificate_no")
                    .relevant(|a| a.get("outcome") == "completed"),
                Field::of(e, "certificate_date", "enrolment.certificate_date")
                    .relevant(|a| a.get("outcome") == "completed"),
                Field::of(e, "employed_after", "enrolment.employed_after")
                    .relevant(|a| a.get("outcome") == "completed"),
            ],
        }],
    }
}

/// One trainee's line on a roster.
pub struct EnrolmentForm {
    pub id: Uuid,
}

impl Form for EnrolmentForm {
    fn spec(&self) -> FormSpec {
        enrolment_spec()
    }

    fn subject(&self, store: &Store, _data: &FormData) -> Result<super::Subject, StoreError> {
        let Some(e) = store.get_any::<Enrolment>(self.id)? else {
            return Ok(super::Subject::default());
        };
        let session = store.get_any::<TrainingSession>(e.session_id)?;
        let person = store.get_any::<Person>(e.person_id)?;
        Ok(super::Subject {
            number: session.map(|s| s.code).unwrap_or_default(),
            name_zh: person
                .as_ref()
                .map(|p| p.name_zh.clone())
                .unwrap_or_default(),
            name_bo: person.map(|p| p.name_bo).unwrap_or_default(),
        })
    }

    fn load(&self, store: &Store, _today: NaiveDate) -> Result<FormData, StoreError> {
        let mut data = FormData::default();
        if let Some(e) = store.get::<Enrolment>(self.id)? {
            data.read(&e);
            answers_of(&enrolment_spec().sections[0].fields, &e, &mut data.values);
        }
        Ok(data)
    }

    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        // A trainee's line exists before it is edited: enrolling makes it.
        let Some(mut e) = store.get::<Enrolment>(self.id)? else {
            return Err(invalid(
                store,
                Enrolment::TABLE.name,
                Problem::error("training.error.no_enrolment"),
            ));
        };
        data.as_read(&mut e);
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&enrolment_spec().sections[0].fields, &top, &mut e, today)
            .map_err(|p| invalid(store, Enrolment::TABLE.name, p))?;
        store.save(&mut e)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Row {
            table: Enrolment::TABLE.name,
            id: self.id,
        }
    }
}

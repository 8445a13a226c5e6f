//! The visit survey form: the visit, each working-age member's answers,
//! and the household's difficulties and follow-up.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    Answers, Field, Form, FormData, FormSpec, Kind, Options, Repeat, Row, RuleEnv, Section, Values,
    answers_of, apply_answers, parse_date,
};
use crate::domain::codes::is_working;
use crate::domain::records::{RowMeta, Visit, VisitPerson};
use crate::domain::table::Record;
use crate::domain::{Problem, rules};
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

pub const LABOURERS: &str = "labourers";

/// Answers kept in a labourer block that are not fields: who it is about.
const PERSON_NAME_ZH: &str = "name_zh";
const PERSON_NAME_BO: &str = "name_bo";
const PERSON_AGE: &str = "age";

pub fn spec() -> FormSpec {
    let working = |a: &Answers<'_>| {
        is_working(a.get("employment_status")) && !a.get("employment_status").is_empty()
    };
    let v = Visit::TABLE;
    let l = VisitPerson::TABLE;
    FormSpec {
        check: None,
        name: "visit",
        title: "visit.form_title",
        sections: vec![
            Section {
                name: "visit",
                label: "visit.section",
                repeat: None,
                fields: vec![
                    Field::of(v, "visit_date", "visit.date")
                        .required()
                        .constraint(visit_date),
                    Field::of(v, "round", "visit.round").choice(Options::Rounds),
                    Field::of(v, "surveyors", "visit.surveyors").required(),
                    Field::of(v, "visit_type", "visit.type").required(),
                ],
            },
            Section {
                name: LABOURERS,
                label: "visit.labourers",
                repeat: Some(Repeat {
                    editable: false,
                    heading: "visit.labourer_heading",
                    relevant: Some(working_age),
                }),
                fields: vec![
                    Field::of(l, "employment_status", "visit.employment_status").required(),
                    Field::of(l, "work_place", "visit.work_place").relevant(working),
                    Field::new("annual_income", "visit.annual_income", Kind::Money)
                        .bind(l, "annual_income_fen")
                        .relevant(working)
                        .constraint(income),
                    Field::of(l, "willing_to_work_away", "visit.willing_to_work_away"),
                    Field::of(l, "training_wanted", "visit.training_wanted"),
                    Field::of(l, "job_wanted", "visit.job_wanted"),
                ],
            },
            Section {
                name: "findings",
                label: "visit.findings",
                repeat: None,
                fields: vec![
                    Field::of(v, "difficulties", "visit.difficulties"),
                    Field::of(v, "problems", "visit.problems"),
                    Field::of(v, "follow_up", "visit.follow_up"),
                ],
            },
        ],
    }
}

/// Working age: the members the survey asks about (16 to 60, or marked as
/// labourers; a member of unknown age only if marked).
fn working_age(a: &Answers<'_>) -> bool {
    let age: Option<u32> = a.get(PERSON_AGE).parse().ok();
    age.is_some_and(|age| rules::LABOURER_AGES.contains(&age)) || a.get("is_labourer") == "1"
}

fn visit_date(v: &str, _: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    parse_date(v)
        .ok()
        .and_then(|d| rules::check_visit_date(d, env.today))
        .into_iter()
        .collect()
}

/// An unusually high income is a warning (the amount itself was checked
/// by its column's codec).
fn income(v: &str, _: &Answers<'_>, _: &RuleEnv<'_>) -> Vec<Problem> {
    rules::parse_yuan(v)
        .ok()
        .and_then(rules::check_annual_income)
        .into_iter()
        .collect()
}

/// The survey round of a date: the start-of-year round of its year.
pub fn default_round(today: NaiveDate) -> String {
    super::round_of(today)
}

/// The visit form on visit `id` of `household` (new ones are dated today,
/// in this year's round, with one block per member).
pub struct VisitForm {
    pub id: Uuid,
    pub household: Uuid,
}

impl VisitForm {
    /// The fields of the visit itself (not the labourers' blocks).
    fn visit_fields(spec: &FormSpec) -> Vec<super::Field> {
        spec.sections
            .iter()
            .filter(|s| s.repeat.is_none())
            .flat_map(|s| s.fields.iter().cloned())
            .collect()
    }

    fn labourer_section(spec: &FormSpec) -> usize {
        spec.sections
            .iter()
            .position(|s| s.name == LABOURERS)
            .unwrap_or(1)
    }
}

impl Form for VisitForm {
    fn spec(&self) -> FormSpec {
        spec()
    }

    fn load(&self, store: &Store, today: NaiveDate) -> Result<FormData, StoreError> {
        let spec = spec();
        let mut data = FormData::default();
        let visit = store.get::<Visit>(self.id)?;
        let answers = if visit.is_some() {
            store.visit_answers(self.id)?
        } else {
            Vec::new()
        };
        if let Some(v) = &visit {
            data.read(v);
        }
        for a in &answers {
            data.read(a);
        }
        match &visit {
            Some(v) => answers_of(&Self::visit_fields(&spec), v, &mut data.values),
            None => {
                let m = &mut data.values;
                m.insert("visit_date".into(), today.to_string());
                m.insert("round".into(), default_round(today));
                m.insert("surveyors".into(), store.operator().to_owned());
                m.insert("visit_type".into(), "annual".into());
            }
        }
        let fields = &spec.sections[Self::labourer_section(&spec)].fields;
        let mut rows = Vec::new();
        for p in store.members(self.household)? {
            let a = answers.iter().find(|a| a.person_id == p.meta.id);
            let mut values: Values = [
                (PERSON_NAME_ZH, p.name_zh.clone()),
                (PERSON_NAME_BO, p.name_bo.clone()),
                (
                    PERSON_AGE,
                    p.birth_date
                        .map(|b| rules::age_on(b, today).to_string())
                        .unwrap_or_default(),
                ),
                (
                    "is_labourer",
                    if p.is_labourer { "1" } else { "0" }.to_owned(),
                ),
                ("person_id", p.meta.id.to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            if let Some(a) = a {
                answers_of(fields, a, &mut values);
            }
            rows.push(Row {
                id: a.map(|a| a.meta.id),
                values,
                ..Row::default()
            });
        }
        data.rows.insert(LABOURERS.into(), rows);
        Ok(data)
    }

    /// Saves the visit and the answers of the members it asks about,
    /// keeping its review status: one transaction.
    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let spec = spec();
        let invalid = |table: &str, p| StoreError::Invalid {
            path: store.path().to_path_buf(),
            table: table.to_owned(),
            problem: Box::new(p),
        };
        let mut visit = store.get_any::<Visit>(self.id)?.unwrap_or_else(|| Visit {
            meta: RowMeta::with_id(self.id),
            household_id: self.household,
            status: "draft".into(),
            ..Visit::default()
        });
        data.as_read(&mut visit);
        visit.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&Self::visit_fields(&spec), &top, &mut visit, today)
            .map_err(|p| invalid(Visit::TABLE.name, p))?;
        let section = Self::labourer_section(&spec);
        let mut answers = Vec::new();
        for row in data.rows(LABOURERS) {
            if !spec.row_shown(section, row, data) {
                continue;
            }
            let Some(person_id) = row
                .values
                .get("person_id")
                .and_then(|id| Uuid::parse_str(id).ok())
            else {
                continue;
            };
            let mut a = match row.id {
                Some(aid) => store
                    .get_any::<VisitPerson>(aid)?
                    .unwrap_or_else(|| VisitPerson {
                        meta: RowMeta::with_id(aid),
                        ..VisitPerson::default()
                    }),
                None => VisitPerson::default(),
            };
            data.as_read(&mut a);
            a.meta.deleted_at = None;
            a.person_id = person_id;
            a.visit_id = self.id;
            let row_answers = Answers {
                top: &data.values,
                row: Some(row),
            };
            apply_answers(&spec.sections[section].fields, &row_answers, &mut a, today)
                .map_err(|p| invalid(VisitPerson::TABLE.name, p))?;
            answers.push(a);
        }
        store.save_visit(&mut visit, &mut answers)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Visit(self.id)
    }

    fn locked(&self, store: &Store) -> Result<Option<Problem>, StoreError> {
        Ok(store
            .get::<Visit>(self.id)?
            .filter(|v| !crate::domain::review::is_editable(&v.status))
            .map(|v| crate::domain::review::locked(&v.status)))
    }

    fn subject(&self, store: &Store, _data: &FormData) -> Result<super::Subject, StoreError> {
        super::Subject::of_household(store, self.household)
    }

    fn status(&self, store: &Store) -> Result<Option<(String, String)>, StoreError> {
        Ok(store
            .get::<Visit>(self.id)?
            .map(|v| (v.status, v.review_comment)))
    }
}

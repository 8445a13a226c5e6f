//! The visit survey form: the visit, each working-age member's answers,
//! and the household's difficulties and follow-up.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::{
    Answers, Field, FormData, FormSpec, Kind, Options, Repeat, Row, RuleEnv, Section, parse_date,
};
use crate::domain::codes::{DIFFICULTY, EMPLOYMENT_STATUS, VISIT_TYPE, is_working};
use crate::domain::records::{RowMeta, Visit, VisitPerson};
use crate::domain::{Problem, rules};
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
    FormSpec {
        name: "visit",
        title: "visit.form_title",
        sections: vec![
            Section {
                name: "visit",
                label: "visit.section",
                repeat: None,
                fields: vec![
                    Field::new("visit_date", "visit.date", Kind::Date)
                        .required()
                        .constraint(visit_date),
                    Field::new("round", "visit.round", Kind::Text)
                        .required()
                        .max_len(20),
                    Field::new("surveyors", "visit.surveyors", Kind::Text)
                        .required()
                        .max_len(100),
                    Field::new("visit_type", "visit.type", Kind::Choice)
                        .required()
                        .options(Options::Codes(VISIT_TYPE)),
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
                    Field::new("employment_status", "visit.employment_status", Kind::Choice)
                        .required()
                        .options(Options::Codes(EMPLOYMENT_STATUS)),
                    Field::new("work_place", "visit.work_place", Kind::Text)
                        .max_len(100)
                        .relevant(working),
                    Field::new("annual_income", "visit.annual_income", Kind::Money)
                        .relevant(working)
                        .constraint(income),
                    Field::new(
                        "willing_to_work_away",
                        "visit.willing_to_work_away",
                        Kind::YesNo,
                    ),
                    Field::new("training_wanted", "visit.training_wanted", Kind::Multi)
                        .options(Options::Courses),
                    Field::new("job_wanted", "visit.job_wanted", Kind::Text).max_len(100),
                ],
            },
            Section {
                name: "findings",
                label: "visit.findings",
                repeat: None,
                fields: vec![
                    Field::new("difficulties", "visit.difficulties", Kind::Multi)
                        .options(Options::Codes(DIFFICULTY)),
                    Field::new("problems", "visit.problems", Kind::Text).max_len(500),
                    Field::new("follow_up", "visit.follow_up", Kind::Text).max_len(500),
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

fn income(v: &str, _: &Answers<'_>, _: &RuleEnv<'_>) -> Vec<Problem> {
    match rules::parse_yuan(v) {
        Ok(fen) => rules::check_annual_income(fen).into_iter().collect(),
        Err(p) => vec![p],
    }
}

/// The survey round of a date: the start-of-year round of its year.
pub fn default_round(today: NaiveDate) -> String {
    format!("{}-start", today.year())
}

/// The answers for visit `id` of `household` (new if it does not exist:
/// dated today, in this year's round, one block per member).
pub fn load(
    store: &Store,
    id: Uuid,
    household: Uuid,
    today: NaiveDate,
    surveyor: &str,
) -> Result<FormData, StoreError> {
    let mut data = FormData::default();
    let visit = store.get::<Visit>(id)?;
    let answers = if visit.is_some() {
        store.visit_answers(id)?
    } else {
        Vec::new()
    };
    match &visit {
        Some(v) => {
            let m = &mut data.values;
            m.insert("visit_date".into(), v.visit_date.to_string());
            m.insert("round".into(), v.round.clone());
            m.insert("surveyors".into(), v.surveyors.clone());
            m.insert("visit_type".into(), v.visit_type.clone());
            m.insert("difficulties".into(), v.difficulties.join(" "));
            m.insert("problems".into(), v.problems.clone());
            m.insert("follow_up".into(), v.follow_up.clone());
        }
        None => {
            let m = &mut data.values;
            m.insert("visit_date".into(), today.to_string());
            m.insert("round".into(), default_round(today));
            m.insert("surveyors".into(), surveyor.to_owned());
            m.insert("visit_type".into(), "annual".into());
        }
    }
    let mut rows = Vec::new();
    for p in store.members(household)? {
        let a = answers.iter().find(|a| a.person_id == p.meta.id);
        let mut values: super::Values = [
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
            values.insert("employment_status".into(), a.employment_status.clone());
            values.insert("work_place".into(), a.work_place.clone());
            values.insert(
                "annual_income".into(),
                a.annual_income_fen
                    .map(rules::format_yuan)
                    .unwrap_or_default(),
            );
            values.insert(
                "willing_to_work_away".into(),
                a.willing_to_work_away
                    .map(|b| if b { "1" } else { "0" }.to_owned())
                    .unwrap_or_default(),
            );
            values.insert("training_wanted".into(), a.training_wanted.join(" "));
            values.insert("job_wanted".into(), a.job_wanted.clone());
        }
        rows.push(Row {
            id: a.map(|a| a.meta.id),
            values,
            removed: false,
        });
    }
    data.rows.insert(LABOURERS.into(), rows);
    Ok(data)
}

/// Saves the answers as visit `id` of `household`, keeping its review
/// status unless `status` is given: one transaction.
pub fn save(
    store: &mut Store,
    id: Uuid,
    household: Uuid,
    data: &FormData,
    status: Option<&str>,
) -> Result<(), StoreError> {
    let spec = spec();
    let v = |k: &str| {
        data.values
            .get(k)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut visit = store.get::<Visit>(id)?.unwrap_or_else(|| Visit {
        meta: RowMeta::with_id(id),
        household_id: household,
        status: "draft".into(),
        ..Visit::default()
    });
    visit.visit_date = parse_date(&v("visit_date")).unwrap_or(visit.visit_date);
    visit.round = v("round");
    visit.surveyors = v("surveyors");
    visit.visit_type = v("visit_type");
    visit.difficulties = v("difficulties")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    visit.problems = v("problems");
    visit.follow_up = v("follow_up");
    if let Some(s) = status {
        visit.status = s.to_owned();
    }
    let section = spec
        .sections
        .iter()
        .position(|s| s.name == LABOURERS)
        .unwrap_or(1);
    let mut answers = Vec::new();
    for row in data.rows(LABOURERS) {
        if !spec.row_shown(section, row, data) {
            continue;
        }
        let r = |k: &str| {
            row.values
                .get(k)
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let Ok(person_id) = Uuid::parse_str(&r("person_id")) else {
            continue;
        };
        let mut a = match row.id {
            Some(aid) => store.get::<VisitPerson>(aid)?.unwrap_or_default(),
            None => VisitPerson::default(),
        };
        let status = r("employment_status");
        let working = is_working(&status);
        a.person_id = person_id;
        a.employment_status = status;
        a.work_place = if working {
            r("work_place")
        } else {
            String::new()
        };
        a.annual_income_fen = if working {
            rules::parse_yuan(&r("annual_income")).ok()
        } else {
            None
        };
        a.willing_to_work_away = match r("willing_to_work_away").as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        };
        a.training_wanted = r("training_wanted")
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        a.job_wanted = r("job_wanted");
        answers.push(a);
    }
    store.save_visit(&mut visit, &mut answers)
}

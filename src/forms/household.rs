//! The household form: the household and its members as a roster.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    Answers, Field, FormData, FormSpec, Kind, Options, Repeat, Row, RuleEnv, Section, Values,
    parse_date,
};
use crate::domain::codes::{EDUCATION, RELATION, SEX};
use crate::domain::id_number::parse_id_number;
use crate::domain::phone::parse_phone;
use crate::domain::records::{Household, Person};
use crate::domain::{Problem, rules};
use crate::store::{Store, StoreError};

pub const MEMBERS: &str = "members";

pub fn spec() -> FormSpec {
    FormSpec {
        name: "household",
        title: "household.form_title",
        sections: vec![
            Section {
                name: "household",
                label: "household.section",
                repeat: None,
                fields: vec![
                    Field::new("number", "household.number", Kind::Text)
                        .required()
                        .max_len(30)
                        .constraint(number_free),
                    Field::new("village_id", "household.village", Kind::Village)
                        .required()
                        .options(Options::Villages),
                    Field::new("phone", "household.phone", Kind::Text)
                        .max_len(20)
                        .constraint(phone),
                    Field::new("registered_poor", "household.registered_poor", Kind::YesNo)
                        .required(),
                    Field::new("exit_year", "household.exit_year", Kind::Integer)
                        .relevant(|a| a.get("registered_poor") == "1")
                        .constraint(exit_year),
                ],
            },
            Section {
                name: MEMBERS,
                label: "household.members",
                repeat: Some(Repeat {
                    editable: true,
                    heading: "household.member_heading",
                    relevant: None,
                }),
                fields: vec![
                    Field::new("name_zh", "person.name_zh", Kind::Text)
                        .max_len(rules::NAME_MAX_CHARS)
                        .constraint(names),
                    Field::new("name_bo", "person.name_bo", Kind::Text)
                        .max_len(rules::NAME_MAX_CHARS)
                        .constraint(names),
                    Field::new("id_number", "person.id_number", Kind::Text)
                        .max_len(20)
                        .constraint(id_number)
                        .on_change(fill_from_id_number),
                    Field::new("sex", "person.sex", Kind::Choice).options(Options::Codes(SEX)),
                    Field::new("birth_date", "person.birth_date", Kind::Date)
                        .constraint(birth_date)
                        .on_change(suggest_labourer),
                    Field::new("relation", "person.relation", Kind::Choice)
                        .required()
                        .options(Options::Codes(RELATION)),
                    Field::new("education", "person.education", Kind::Choice)
                        .options(Options::Codes(EDUCATION)),
                    Field::new("is_labourer", "person.is_labourer", Kind::YesNo),
                    Field::new("phone", "person.phone", Kind::Text)
                        .max_len(20)
                        .constraint(phone),
                ],
            },
        ],
    }
}

fn number_free(v: &str, _: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    match env.store.household_by_number(v) {
        Ok(Some(h)) if h.meta.id != env.record_id => {
            vec![Problem::error("household.error.number_taken").arg("number", v)]
        }
        _ => Vec::new(),
    }
}

fn phone(v: &str, _: &Answers<'_>, _: &RuleEnv<'_>) -> Vec<Problem> {
    parse_phone(v).err().into_iter().collect()
}

fn exit_year(v: &str, _: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    v.parse::<i32>()
        .ok()
        .and_then(|y| rules::check_exit_year(y, env.today))
        .into_iter()
        .collect()
}

fn names(_: &str, a: &Answers<'_>, _: &RuleEnv<'_>) -> Vec<Problem> {
    rules::check_names(a.get("name_zh"), a.get("name_bo"))
        .err()
        .into_iter()
        .collect()
}

fn birth_date(v: &str, _: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    parse_date(v)
        .ok()
        .and_then(|d| rules::check_not_future(d, env.today, "birth_date"))
        .into_iter()
        .collect()
}

/// The ID number's own rules, and the duplicate guard: the same number on
/// another person (in any household) is shown with that household.
fn id_number(v: &str, a: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    let (id, mut found) = match parse_id_number(v, env.today) {
        Ok(x) => x,
        Err(p) => return vec![p],
    };
    let me = a.row.and_then(|r| r.id);
    if let Ok(others) = env.store.find_by_id_number(id.as_str()) {
        for (p, h) in others.into_iter().filter(|(p, _)| Some(p.meta.id) != me) {
            let name = if p.name_zh.is_empty() {
                p.name_bo
            } else {
                p.name_zh
            };
            found.push(
                Problem::warning("household.warning.duplicate_id")
                    .arg("name", name)
                    .arg("household", h.number),
            );
        }
    }
    found
}

/// A valid ID number fills the member's sex and birth date.
fn fill_from_id_number(row: &mut Values, _: &Values, today: NaiveDate) {
    let Some(v) = row.get("id_number") else {
        return;
    };
    if let Ok((id, _)) = parse_id_number(v, today) {
        row.insert("sex".into(), id.sex().code().into());
        row.insert("birth_date".into(), id.birth_date().to_string());
        suggest_labourer(row, &Values::new(), today);
    }
}

/// Members aged 16-60 are suggested as labourers, unless already answered.
fn suggest_labourer(row: &mut Values, _: &Values, today: NaiveDate) {
    if row.get("is_labourer").is_some_and(|v| !v.is_empty()) {
        return;
    }
    if let Some(b) = row.get("birth_date").and_then(|b| parse_date(b).ok()) {
        let yes = rules::suggest_labourer(rules::age_on(b, today));
        row.insert("is_labourer".into(), if yes { "1" } else { "0" }.into());
    }
}

fn yes_no(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

/// The form's answers for an existing household (or a new one in `village`).
pub fn load(store: &Store, id: Uuid, village: Option<Uuid>) -> Result<FormData, StoreError> {
    let mut data = FormData::default();
    let Some(h) = store.get::<Household>(id)? else {
        data.values.insert("registered_poor".into(), "1".into());
        if let Some(v) = village {
            data.values.insert("village_id".into(), v.to_string());
        }
        data.rows.insert(
            MEMBERS.into(),
            vec![Row {
                values: [("relation".into(), "head".into())].into(),
                ..Row::default()
            }],
        );
        return Ok(data);
    };
    let v = &mut data.values;
    v.insert("number".into(), h.number);
    v.insert("village_id".into(), h.village_id.to_string());
    v.insert("phone".into(), h.phone);
    v.insert("registered_poor".into(), yes_no(h.registered_poor));
    v.insert(
        "exit_year".into(),
        h.exit_year.map(|y| y.to_string()).unwrap_or_default(),
    );
    let rows = store
        .members(id)?
        .into_iter()
        .map(|p| Row {
            id: Some(p.meta.id),
            removed: false,
            values: [
                ("name_zh", p.name_zh),
                ("name_bo", p.name_bo),
                ("id_number", p.id_number),
                ("sex", p.sex),
                (
                    "birth_date",
                    p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                ),
                ("relation", p.relation),
                ("education", p.education),
                ("is_labourer", yes_no(p.is_labourer)),
                ("phone", p.phone),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        })
        .collect();
    data.rows.insert(MEMBERS.into(), rows);
    Ok(data)
}

/// Saves the answers (already validated) as the household `id`, its
/// members in roster order, and removed members as deletions: one transaction.
pub fn save(
    store: &mut Store,
    id: Uuid,
    data: &FormData,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let v = |k: &str| {
        data.values
            .get(k)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut h = store.get::<Household>(id)?.unwrap_or_else(|| Household {
        meta: crate::domain::records::RowMeta::with_id(id),
        ..Household::default()
    });
    h.number = v("number");
    h.village_id = Uuid::parse_str(&v("village_id")).unwrap_or_default();
    h.phone = parse_phone(&v("phone")).unwrap_or_default();
    h.registered_poor = v("registered_poor") == "1";
    h.exit_year = if h.registered_poor {
        v("exit_year").parse().ok()
    } else {
        None
    };
    let mut members = Vec::new();
    let mut removed = Vec::new();
    for row in data.rows(MEMBERS) {
        if row.removed {
            removed.extend(row.id);
            continue;
        }
        let r = |k: &str| {
            row.values
                .get(k)
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let mut p = match row.id {
            Some(pid) => store.get::<Person>(pid)?.unwrap_or_else(|| Person {
                meta: crate::domain::records::RowMeta::with_id(pid),
                ..Person::default()
            }),
            None => Person::default(),
        };
        p.name_zh = r("name_zh");
        p.name_bo = r("name_bo");
        p.id_number = parse_id_number(&r("id_number"), today)
            .map(|(i, _)| i.as_str().to_owned())
            .unwrap_or_default();
        p.sex = r("sex");
        p.birth_date = parse_date(&r("birth_date")).ok();
        p.relation = r("relation");
        p.education = r("education");
        p.is_labourer = r("is_labourer") == "1";
        p.phone = parse_phone(&r("phone")).unwrap_or_default();
        members.push(p);
    }
    store.save_roster(&mut h, &mut members, &removed)
}

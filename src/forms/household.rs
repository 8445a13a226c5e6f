//! The household form: the household and its members as a roster.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    Answers, Derive, Field, Form, FormData, FormSpec, Repeat, Row, RuleEnv, Section, Slot, Values,
    answers_of, apply_answers, parse_date,
};
use crate::domain::id_number::parse_id_number;
use crate::domain::records::{Household, Person, RowMeta, Village};
use crate::domain::table::Record;
use crate::domain::{Problem, rules};
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

pub const MEMBERS: &str = "members";

pub fn spec() -> FormSpec {
    let h = Household::TABLE;
    let p = Person::TABLE;
    FormSpec {
        name: "household",
        title: "household.form_title",
        sections: vec![
            Section {
                name: "household",
                label: "household.section",
                repeat: None,
                fields: vec![
                    Field::of(h, "number", "household.number").constraint(number_free),
                    Field::of(h, "village_id", "household.village").required(),
                    Field::of(h, "phone", "household.phone"),
                    Field::of(h, "registered_poor", "household.registered_poor").required(),
                    Field::of(h, "exit_year", "household.exit_year")
                        .relevant(|a| a.get("registered_poor") == "1"),
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
                    Field::of(p, "name_zh", "person.name_zh").constraint(names),
                    Field::of(p, "name_bo", "person.name_bo").constraint(names),
                    Field::of(p, "id_number", "person.id_number")
                        .constraint(id_number)
                        .on_change(fill_from_id_number),
                    Field::of(p, "sex", "person.sex"),
                    Field::of(p, "birth_date", "person.birth_date")
                        .constraint(birth_date)
                        .on_change(suggest_labourer),
                    Field::of(p, "relation", "person.relation").required(),
                    Field::of(p, "education", "person.education"),
                    Field::of(p, "is_labourer", "person.is_labourer"),
                    Field::of(p, "phone", "person.phone"),
                ],
            },
        ],
        check: Some(one_head),
    }
}

/// Exactly one member is the head of household (the store checks it too).
fn one_head(spec: &FormSpec, data: &FormData) -> Vec<(Slot, Problem)> {
    let Some(section) = spec.sections.iter().position(|s| s.name == MEMBERS) else {
        return Vec::new();
    };
    let Some(field) = spec.sections[section]
        .fields
        .iter()
        .position(|f| f.name == "relation")
    else {
        return Vec::new();
    };
    let slot = |row: usize| Slot {
        section,
        row: Some(row),
        field,
    };
    let members: Vec<usize> = data
        .rows(MEMBERS)
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.removed)
        .map(|(i, _)| i)
        .collect();
    let heads: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&i| {
            data.rows(MEMBERS)[i]
                .values
                .get("relation")
                .map(String::as_str)
                == Some("head")
        })
        .collect();
    match (members.first(), heads.len()) {
        (None, _) | (_, 1) => Vec::new(),
        (Some(&first), 0) => vec![(slot(first), Problem::error("household.error.no_head"))],
        (_, n) => heads[1..]
            .iter()
            .map(|&i| (slot(i), Problem::error("household.error.heads").arg("n", n)))
            .collect(),
    }
}

/// A household number starts with its village's code and is used once.
fn number_free(v: &str, a: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Ok(village) = Uuid::parse_str(a.get("village_id")) {
        match env.store.get::<Village>(village) {
            Ok(Some(vil)) => out.extend(rules::number_of_its_village(v, &vil.code)),
            Ok(None) => {}
            Err(e) => out.push(Problem::from_localized(&e)),
        }
    }
    match env.store.household_by_number(v) {
        Ok(Some(h)) if h.meta.id != env.record_id => {
            out.push(Problem::error("household.error.number_taken").arg("number", v));
        }
        Ok(_) => {}
        Err(e) => out.push(Problem::from_localized(&e)),
    }
    out
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

/// An ID number gives the member's sex and birth date: filled in from a
/// valid one, taken back when the number changes to one that gives none
/// (a number typed key by key is not yet whole), never over what the user
/// chose by hand.
fn fill_from_id_number(d: &mut Derive<'_>) {
    match parse_id_number(d.get("id_number"), d.today) {
        Ok((id, _)) => {
            d.derive("sex", id.sex().code());
            d.derive("birth_date", id.birth_date().to_string());
        }
        Err(_) => {
            d.underive("sex");
            d.underive("birth_date");
        }
    }
    suggest_labourer(d);
}

/// Members aged 16 to 60 (inclusive) are suggested as labourers, again
/// whenever the birth date changes, unless the user answered by hand.
fn suggest_labourer(d: &mut Derive<'_>) {
    match parse_date(d.get("birth_date")) {
        Ok(b) => {
            let yes = rules::suggest_labourer(rules::age_on(b, d.today));
            d.derive("is_labourer", if yes { "1" } else { "0" });
        }
        Err(_) => d.underive("is_labourer"),
    }
}

/// The household form on the household `id` (new ones in `village`).
pub struct HouseholdForm {
    pub id: Uuid,
    pub village: Option<Uuid>,
}

impl Form for HouseholdForm {
    fn spec(&self) -> FormSpec {
        spec()
    }

    fn subject(&self, _store: &Store, data: &FormData) -> Result<super::Subject, StoreError> {
        let head = data
            .rows(MEMBERS)
            .iter()
            .find(|r| !r.removed && r.values.get("relation").is_some_and(|v| v == "head"));
        let get = |k: &str| {
            head.and_then(|r| r.values.get(k))
                .cloned()
                .unwrap_or_default()
        };
        Ok(super::Subject {
            number: data.values.get("number").cloned().unwrap_or_default(),
            name_zh: get("name_zh"),
            name_bo: get("name_bo"),
        })
    }

    /// The answers for the household (or a new one's: registered poor, in
    /// the village given, with one member who is the head).
    fn load(&self, store: &Store, _today: NaiveDate) -> Result<FormData, StoreError> {
        let spec = spec();
        let mut data = FormData::default();
        let Some(h) = store.get::<Household>(self.id)? else {
            data.values.insert("registered_poor".into(), "1".into());
            if let Some(v) = self.village {
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
        answers_of(&spec.sections[0].fields, &h, &mut data.values);
        data.read(&h);
        let members = store.members(self.id)?;
        for p in &members {
            data.read(p);
        }
        let rows = members
            .into_iter()
            .map(|p| {
                let mut values = Values::new();
                answers_of(&spec.sections[1].fields, &p, &mut values);
                Row {
                    id: Some(p.meta.id),
                    values,
                    ..Row::default()
                }
            })
            .collect();
        data.rows.insert(MEMBERS.into(), rows);
        Ok(data)
    }

    /// Saves the household, its members in roster order, and removed
    /// members as deletions: one transaction.
    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let spec = spec();
        let invalid = |table: &str, p| StoreError::Invalid {
            path: store.path().to_path_buf(),
            table: table.to_owned(),
            problem: Box::new(p),
        };
        let mut h = store
            .get_any::<Household>(self.id)?
            .unwrap_or_else(|| Household {
                meta: RowMeta::with_id(self.id),
                ..Household::default()
            });
        data.as_read(&mut h);
        h.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&spec.sections[0].fields, &top, &mut h, today)
            .map_err(|p| invalid(Household::TABLE.name, p))?;
        let mut members = Vec::new();
        let mut removed = Vec::new();
        for row in data.rows(MEMBERS) {
            if row.removed {
                removed.extend(row.id);
                continue;
            }
            let mut p = match row.id {
                Some(pid) => store.get_any::<Person>(pid)?.unwrap_or_else(|| Person {
                    meta: RowMeta::with_id(pid),
                    ..Person::default()
                }),
                None => Person::default(),
            };
            data.as_read(&mut p);
            p.meta.deleted_at = None;
            let answers = Answers {
                top: &data.values,
                row: Some(row),
            };
            apply_answers(&spec.sections[1].fields, &answers, &mut p, today)
                .map_err(|e| invalid(Person::TABLE.name, e))?;
            members.push(p);
        }
        store.save_roster(&mut h, &mut members, &removed)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Household(self.id)
    }

    fn members_section(&self) -> Option<&'static str> {
        Some(MEMBERS)
    }
}

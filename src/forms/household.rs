//! The household form: the household and its members as a roster.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    Answers, Field, Form, FormData, FormSpec, Repeat, Row, RuleEnv, Section, Values, answers_of,
    apply_answers, parse_date,
};
use crate::domain::id_number::parse_id_number;
use crate::domain::records::{Household, Person, RowMeta};
use crate::domain::table::Record;
use crate::domain::{Problem, rules};
use crate::store::audit::AuditEntry;
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
                    Field::of(p, "is_labourer", "person.is_labourer").on_change(labourer_answered),
                    Field::of(p, "phone", "person.phone"),
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

/// Kept in a member's answers while its labourer answer is the form's
/// suggestion rather than the surveyor's: the suggestion then follows the
/// birth date as it is typed, key by key.
const LABOURER_SUGGESTED: &str = "is_labourer_suggested";

/// Members aged 16-60 are suggested as labourers, unless the surveyor has
/// answered. A date typed so far (`2010-11-2` on the way to `2010-11-28`),
/// or the first 15 digits of an ID number read as an old 15-digit one,
/// gives a passing suggestion: it is replaced as the typing goes on, not
/// kept as if it were an answer.
fn suggest_labourer(row: &mut Values, _: &Values, today: NaiveDate) {
    let answered = row.get("is_labourer").is_some_and(|v| !v.is_empty());
    if answered && !row.contains_key(LABOURER_SUGGESTED) {
        return;
    }
    match row.get("birth_date").and_then(|b| parse_date(b).ok()) {
        Some(b) => {
            let yes = rules::suggest_labourer(rules::age_on(b, today));
            row.insert("is_labourer".into(), if yes { "1" } else { "0" }.into());
            row.insert(LABOURER_SUGGESTED.into(), "1".into());
        }
        None => {
            row.remove("is_labourer");
            row.remove(LABOURER_SUGGESTED);
        }
    }
}

/// The surveyor answered the labourer question: no suggestion replaces it.
fn labourer_answered(row: &mut Values, _: &Values, _: NaiveDate) {
    row.remove(LABOURER_SUGGESTED);
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
        let rows = store
            .members(self.id)?
            .into_iter()
            .map(|p| {
                let mut values = Values::new();
                answers_of(&spec.sections[1].fields, &p, &mut values);
                Row {
                    id: Some(p.meta.id),
                    values,
                    removed: false,
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
            .get::<Household>(self.id)?
            .unwrap_or_else(|| Household {
                meta: RowMeta::with_id(self.id),
                ..Household::default()
            });
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
                Some(pid) => store.get::<Person>(pid)?.unwrap_or_else(|| Person {
                    meta: RowMeta::with_id(pid),
                    ..Person::default()
                }),
                None => Person::default(),
            };
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

    fn history(&self, store: &Store) -> Result<Vec<AuditEntry>, StoreError> {
        store.household_history(self.id)
    }

    fn members_section(&self) -> Option<&'static str> {
        Some(MEMBERS)
    }
}

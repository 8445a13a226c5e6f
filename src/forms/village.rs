//! The village form: code, township, names, the year it exited poverty.

use uuid::Uuid;

use super::{Answers, Field, FormData, FormSpec, Kind, Options, RuleEnv, Section};
use crate::domain::records::{RowMeta, Township, Village};
use crate::domain::{Problem, rules};
use crate::store::{Store, StoreError};

pub fn spec() -> FormSpec {
    FormSpec {
        name: "village",
        title: "village.form_title",
        sections: vec![Section {
            name: "village",
            label: "village.section",
            repeat: None,
            fields: vec![
                Field::new("township_id", "village.township", Kind::Choice)
                    .required()
                    .options(Options::Townships),
                Field::new("code", "village.code", Kind::Text)
                    .required()
                    .max_len(12)
                    .constraint(code),
                Field::new("name_zh", "village.name_zh", Kind::Text)
                    .max_len(rules::NAME_MAX_CHARS)
                    .constraint(names),
                Field::new("name_bo", "village.name_bo", Kind::Text)
                    .max_len(rules::NAME_MAX_CHARS)
                    .constraint(names),
                Field::new("exit_year", "village.exit_year", Kind::Integer).constraint(exit_year),
            ],
        }],
    }
}

/// A village code is the township's 9-digit code and 3 more digits, used once.
pub fn check_code(code: &str, township_code: Option<&str>) -> Option<Problem> {
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Problem::error("village.error.code_format").arg("code", code));
    }
    match township_code {
        Some(t) if !code.starts_with(t) => Some(
            Problem::error("village.error.code_township")
                .arg("code", code)
                .arg("township", t),
        ),
        _ => None,
    }
}

fn code(v: &str, a: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    let township = Uuid::parse_str(a.get("township_id"))
        .ok()
        .and_then(|id| env.store.get::<Township>(id).ok().flatten())
        .map(|t| t.code);
    if let Some(p) = check_code(v, township.as_deref()) {
        return vec![p];
    }
    match env.store.village_by_code(v) {
        Ok(Some(other)) if other.meta.id != env.record_id => {
            vec![Problem::error("village.error.code_taken").arg("code", v)]
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

fn exit_year(v: &str, _: &Answers<'_>, env: &RuleEnv<'_>) -> Vec<Problem> {
    v.parse::<i32>()
        .ok()
        .and_then(|y| rules::check_exit_year(y, env.today))
        .into_iter()
        .collect()
}

pub fn load(store: &Store, id: Uuid, township: Option<Uuid>) -> Result<FormData, StoreError> {
    let mut data = FormData::default();
    match store.get::<Village>(id)? {
        Some(v) => {
            let m = &mut data.values;
            m.insert("township_id".into(), v.township_id.to_string());
            m.insert("code".into(), v.code);
            m.insert("name_zh".into(), v.name_zh);
            m.insert("name_bo".into(), v.name_bo);
            m.insert(
                "exit_year".into(),
                v.exit_year.map(|y| y.to_string()).unwrap_or_default(),
            );
        }
        None => {
            if let Some(t) = township.and_then(|t| store.get::<Township>(t).ok().flatten()) {
                data.values
                    .insert("township_id".into(), t.meta.id.to_string());
                data.values.insert("code".into(), t.code);
            }
        }
    }
    Ok(data)
}

pub fn save(store: &mut Store, id: Uuid, data: &FormData) -> Result<(), StoreError> {
    let v = |k: &str| {
        data.values
            .get(k)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut village = store.get::<Village>(id)?.unwrap_or_else(|| Village {
        meta: RowMeta::with_id(id),
        ..Village::default()
    });
    village.township_id = Uuid::parse_str(&v("township_id")).unwrap_or_default();
    village.code = v("code");
    village.name_zh = v("name_zh");
    village.name_bo = v("name_bo");
    village.exit_year = v("exit_year").parse().ok();
    store.save(&mut village)
}

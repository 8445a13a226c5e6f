//! The village form: code, township, names, the year it exited poverty.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    Answers, Field, Form, FormData, FormSpec, RuleEnv, Section, answers_of, apply_answers,
};
use crate::domain::Problem;
use crate::domain::records::{RowMeta, Township, Village};
use crate::domain::rules;
use crate::domain::table::Record;
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

pub fn spec() -> FormSpec {
    let v = Village::TABLE;
    FormSpec {
        check: None,
        name: "village",
        title: "village.form_title",
        sections: vec![Section {
            name: "village",
            label: "village.section",
            repeat: None,
            fields: vec![
                Field::of(v, "township_id", "village.township").required(),
                Field::of(v, "code", "village.code").constraint(code),
                Field::of(v, "name_zh", "village.name_zh").constraint(names),
                Field::of(v, "name_bo", "village.name_bo").constraint(names),
                Field::of(v, "exit_year", "village.exit_year"),
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

/// The village form on village `id` (new ones in `township`).
pub struct VillageForm {
    pub id: Uuid,
    pub township: Option<Uuid>,
}

impl Form for VillageForm {
    fn spec(&self) -> FormSpec {
        spec()
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
        match store.get::<Village>(self.id)? {
            Some(v) => {
                data.read(&v);
                answers_of(&spec().sections[0].fields, &v, &mut data.values);
            }
            None => {
                if let Some(t) = self.township
                    && let Some(t) = store.get::<Township>(t)?
                {
                    data.values
                        .insert("township_id".into(), t.meta.id.to_string());
                    data.values.insert("code".into(), t.code);
                }
            }
        }
        Ok(data)
    }

    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let mut village = store
            .get_any::<Village>(self.id)?
            .unwrap_or_else(|| Village {
                meta: RowMeta::with_id(self.id),
                ..Village::default()
            });
        data.as_read(&mut village);
        village.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&spec().sections[0].fields, &top, &mut village, today).map_err(|p| {
            StoreError::Invalid {
                path: store.path().to_path_buf(),
                table: Village::TABLE.name.to_owned(),
                problem: Box::new(p),
            }
        })?;
        store.save(&mut village)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Row {
            table: Village::TABLE.name,
            id: self.id,
        }
    }
}

//! The post form (type, village, title, funding line, subsidy, required
//! days, insurance, dates) and the post type form (the catalogue is
//! seeded, and the county edits and adds to it).

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Answers, Field, Form, FormData, FormSpec, Section, answers_of, apply_answers};
use crate::domain::posts;
use crate::domain::records::{Post, PostType, RowMeta};
use crate::domain::table::Record;
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

pub fn spec() -> FormSpec {
    let p = Post::TABLE;
    FormSpec {
        check: None,
        name: "post",
        title: "post.form_title",
        sections: vec![Section {
            name: "post",
            label: "post.section",
            repeat: None,
            fields: vec![
                Field::of(p, "post_type_id", "post.post_type").required(),
                Field::of(p, "village_id", "post.village").required(),
                Field::of(p, "title", "post.title"),
                Field::of(p, "funding_source_id", "post.funding").required(),
                // Not bound to its column: left empty, it is the type's.
                Field::new(
                    "monthly_subsidy",
                    "post.monthly_subsidy",
                    super::Kind::Money,
                )
                .constraint(yuan),
                Field::of(p, "required_days", "post.required_days").required(),
                Field::of(p, "insurance_policy", "post.insurance_policy"),
                Field::of(p, "insurance_start", "post.insurance_start"),
                Field::of(p, "insurance_end", "post.insurance_end"),
                Field::of(p, "opened_on", "post.opened_on").required(),
                Field::of(p, "closed_on", "post.closed_on"),
            ],
        }],
    }
}

pub fn type_spec() -> FormSpec {
    let t = PostType::TABLE;
    FormSpec {
        check: None,
        name: "post_type",
        title: "post_type.form_title",
        sections: vec![Section {
            name: "post_type",
            label: "post_type.section",
            repeat: None,
            fields: vec![
                Field::of(t, "code", "post_type.code"),
                Field::of(t, "name_zh", "post_type.name_zh"),
                Field::of(t, "name_bo", "post_type.name_bo"),
                Field::of(t, "name_en", "post_type.name_en"),
                Field::of(t, "department", "post_type.department").required(),
                Field::of(t, "monthly_subsidy_fen", "post_type.monthly_subsidy").required(),
            ],
        }],
    }
}

/// A subsidy in yuan, when one is typed.
fn yuan(v: &str, _: &Answers<'_>, _: &super::RuleEnv<'_>) -> Vec<crate::domain::Problem> {
    crate::domain::rules::parse_yuan(v)
        .err()
        .map(|p| p.on("monthly_subsidy"))
        .into_iter()
        .collect()
}

fn invalid(store: &Store, table: &str, p: crate::domain::Problem) -> StoreError {
    StoreError::Invalid {
        path: store.path().to_path_buf(),
        table: table.to_owned(),
        problem: Box::new(p),
    }
}

/// The post form on post `id` (new ones in `village`).
pub struct PostForm {
    pub id: Uuid,
    pub village: Option<Uuid>,
}

impl Form for PostForm {
    fn spec(&self) -> FormSpec {
        spec()
    }

    fn load(&self, store: &Store, today: NaiveDate) -> Result<FormData, StoreError> {
        let mut data = FormData::default();
        match store.get::<Post>(self.id)? {
            Some(p) => {
                data.read(&p);
                answers_of(&spec().sections[0].fields, &p, &mut data.values);
                data.values.insert(
                    "monthly_subsidy".into(),
                    crate::domain::rules::format_yuan(p.monthly_subsidy_fen),
                );
            }
            None => {
                let v = &mut data.values;
                if let Some(village) = self.village {
                    v.insert("village_id".into(), village.to_string());
                }
                let days = store.post_setting(posts::REQUIRED_DAYS)?;
                v.insert("required_days".into(), days.to_string());
                v.insert("opened_on".into(), today.to_string());
            }
        }
        Ok(data)
    }

    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let mut post = store.get_any::<Post>(self.id)?.unwrap_or_else(|| Post {
            meta: RowMeta::with_id(self.id),
            ..Post::default()
        });
        data.as_read(&mut post);
        post.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&spec().sections[0].fields, &top, &mut post, today)
            .map_err(|p| invalid(store, Post::TABLE.name, p))?;
        // No subsidy typed: the type's.
        if data
            .values
            .get("monthly_subsidy_fen")
            .is_none_or(|v| v.trim().is_empty())
        {
            post.monthly_subsidy_fen = store
                .get::<PostType>(post.post_type_id)?
                .map_or(posts::DEFAULT_MONTHLY_SUBSIDY_FEN, |t| {
                    t.monthly_subsidy_fen
                });
        }
        store.save_post(&mut post)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Row {
            table: Post::TABLE.name,
            id: self.id,
        }
    }
}

/// The post type form.
pub struct PostTypeForm {
    pub id: Uuid,
}

impl Form for PostTypeForm {
    fn spec(&self) -> FormSpec {
        type_spec()
    }

    fn load(&self, store: &Store, _today: NaiveDate) -> Result<FormData, StoreError> {
        let mut data = FormData::default();
        match store.get::<PostType>(self.id)? {
            Some(t) => {
                data.read(&t);
                answers_of(&type_spec().sections[0].fields, &t, &mut data.values);
            }
            None => {
                data.values.insert(
                    "monthly_subsidy_fen".into(),
                    crate::domain::rules::format_yuan(posts::DEFAULT_MONTHLY_SUBSIDY_FEN),
                );
            }
        }
        Ok(data)
    }

    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let mut t = store
            .get_any::<PostType>(self.id)?
            .unwrap_or_else(|| PostType {
                meta: RowMeta::with_id(self.id),
                ..PostType::default()
            });
        data.as_read(&mut t);
        t.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&type_spec().sections[0].fields, &top, &mut t, today)
            .map_err(|p| invalid(store, PostType::TABLE.name, p))?;
        store.save(&mut t)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Row {
            table: PostType::TABLE.name,
            id: self.id,
        }
    }
}

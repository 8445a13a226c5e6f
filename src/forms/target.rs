//! Which record a form edits, and everything done by form: its fields,
//! loading and saving its record, its history, its draft's key. A form is a
//! file of `crate::forms`; this is the one place that lists them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{FormData, FormSpec, employment, household, post, training, village, visit};
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

/// Which record a form edits (kept in drafts, so its shape is stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Target {
    Household {
        id: Uuid,
        village: Option<Uuid>,
    },
    Visit {
        id: Uuid,
        household: Uuid,
    },
    Village {
        id: Uuid,
        township: Option<Uuid>,
    },
    Course {
        id: Uuid,
    },
    Session {
        id: Uuid,
        course: Option<Uuid>,
    },
    Enrolment {
        id: Uuid,
    },
    /// A public-welfare post (new ones in `village`).
    Post {
        id: Uuid,
        village: Option<Uuid>,
    },
    /// A post type of the catalogue.
    PostType {
        id: Uuid,
    },
    /// A spell of a person's work (or their plans).
    Employment {
        id: Uuid,
        person: Uuid,
    },
}

/// What a draft holds: the record, the answers, and the record as it was
/// read when the form opened (so a change someone made since is merged,
/// not overwritten, when the draft is saved).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    pub target: Target,
    pub data: FormData,
    #[serde(default)]
    pub base: Option<FormData>,
}

/// A record named for people: a number and a name in both scripts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    pub number: String,
    pub name_zh: String,
    pub name_bo: String,
}

impl Subject {
    /// The household's number and its head, from the rows of a household
    /// form (`members`) or from the store.
    pub fn of_household(store: &Store, household: Uuid) -> Result<Subject, StoreError> {
        let Some(h) = store.get::<crate::domain::records::Household>(household)? else {
            return Ok(Subject::default());
        };
        let head = store
            .members(household)?
            .into_iter()
            .find(|p| p.relation == "head");
        Ok(Subject {
            number: h.number,
            name_zh: head.as_ref().map(|p| p.name_zh.clone()).unwrap_or_default(),
            name_bo: head.map(|p| p.name_bo).unwrap_or_default(),
        })
    }

    /// "number · name" in `lang` (what is known of it; empty when nothing).
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        let name = crate::i18n::names_text(&self.name_zh, &self.name_bo, "", lang);
        [self.number.as_str(), name.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// What every form does with its record.
pub trait Form {
    fn spec(&self) -> FormSpec;
    /// The answers of the record as saved (or a new record's defaults).
    fn load(&self, store: &Store, today: NaiveDate) -> Result<FormData, StoreError>;
    /// Saves answers already checked: one transaction.
    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError>;
    /// Whose changes the record's history shows (the record and its parts).
    fn history_scope(&self) -> HistoryScope;
    /// A line about the record's state: a visit's review status and comment.
    fn status(&self, _store: &Store) -> Result<Option<(String, String)>, StoreError> {
        Ok(None)
    }
    /// Why the record cannot be changed now (review has locked a visit).
    fn locked(&self, _store: &Store) -> Result<Option<crate::domain::Problem>, StoreError> {
        Ok(None)
    }
    /// Which record this is, said where the form and its draft are listed:
    /// a visit by its household's number and head, a household by its
    /// number and head as typed (from `data`, which may be a draft).
    fn subject(&self, _store: &Store, _data: &FormData) -> Result<Subject, StoreError> {
        Ok(Subject::default())
    }
    /// The repeat section whose blocks can be chosen as a person.
    fn members_section(&self) -> Option<&'static str> {
        None
    }
}

impl Target {
    /// The id of the record edited.
    pub fn id(self) -> Uuid {
        match self {
            Target::Household { id, .. }
            | Target::Visit { id, .. }
            | Target::Village { id, .. }
            | Target::Course { id }
            | Target::Session { id, .. }
            | Target::Enrolment { id } => id,
            Target::Post { id, .. } | Target::PostType { id } => id,
            Target::Employment { id, .. } => id,
        }
    }

    /// The form that edits this record.
    pub fn form(self) -> Box<dyn Form> {
        match self {
            Target::Household { id, village } => Box::new(household::HouseholdForm { id, village }),
            Target::Visit { id, household } => Box::new(visit::VisitForm { id, household }),
            Target::Village { id, township } => Box::new(village::VillageForm { id, township }),
            Target::Course { id } => Box::new(training::CourseForm { id }),
            Target::Session { id, course } => Box::new(training::SessionForm { id, course }),
            Target::Enrolment { id } => Box::new(training::EnrolmentForm { id }),
            Target::Post { id, village } => Box::new(post::PostForm { id, village }),
            Target::PostType { id } => Box::new(post::PostTypeForm { id }),
            Target::Employment { id, person } => {
                Box::new(employment::EmploymentForm { id, person })
            }
        }
    }

    /// Every form's fields, in form order: what the history reads labels
    /// and the way values are shown from.
    pub fn all_specs() -> Vec<FormSpec> {
        vec![
            household::spec(),
            visit::spec(),
            village::spec(),
            training::course_spec(),
            training::session_spec(),
            training::enrolment_spec(),
            post::spec(),
            post::type_spec(),
            employment::spec(),
        ]
    }

    /// The draft's key: the form and the record.
    pub fn draft_key(self) -> String {
        format!("{}:{}", self.form().spec().name, self.id())
    }
}

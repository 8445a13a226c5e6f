//! Which record a form edits, and everything done by form: its fields,
//! loading and saving its record, its history, its draft's key. A form is a
//! file of `crate::forms`; this is the one place that lists them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{FormData, FormSpec, household, village, visit};
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

/// Which record a form edits (kept in drafts, so its shape is stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Target {
    Household { id: Uuid, village: Option<Uuid> },
    Visit { id: Uuid, household: Uuid },
    Village { id: Uuid, township: Option<Uuid> },
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
            | Target::Village { id, .. } => id,
        }
    }

    /// The form that edits this record.
    pub fn form(self) -> Box<dyn Form> {
        match self {
            Target::Household { id, village } => Box::new(household::HouseholdForm { id, village }),
            Target::Visit { id, household } => Box::new(visit::VisitForm { id, household }),
            Target::Village { id, township } => Box::new(village::VillageForm { id, township }),
        }
    }

    /// Every form's fields, in form order: what the history reads labels
    /// and the way values are shown from.
    pub fn all_specs() -> Vec<FormSpec> {
        vec![household::spec(), visit::spec(), village::spec()]
    }

    /// The draft's key: the form and the record.
    pub fn draft_key(self) -> String {
        format!("{}:{}", self.form().spec().name, self.id())
    }
}

//! The employment form: one spell of a person's work as the national work
//! sheet has it (place in three tiers and the county, employer or project,
//! industry, channel, point-to-point transport, months, monthly income,
//! the year's transport subsidy), or, for a labourer not working, their
//! plans. The kind is made from the place and channel on save; the rules
//! across records are the store's (`store::employment`).

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Answers, Derive, Field, Form, FormData, FormSpec, Section, answers_of, apply_answers};
use crate::domain::Problem;
use crate::domain::employment::{income_warning, is_work, kind_of};
use crate::domain::records::{EmploymentRecord, RowMeta};
use crate::domain::table::Record;
use crate::store::audit::HistoryScope;
use crate::store::{Store, StoreError};

/// The county of work filled in for work in the county.
pub const HOME_COUNTY: &str = "色达县";

fn working(a: &Answers<'_>) -> bool {
    a.get("working") != "0"
}

fn not_working(a: &Answers<'_>) -> bool {
    !working(a)
}

fn plans(a: &Answers<'_>) -> bool {
    not_working(a) && a.get("plans_to_work") == "1"
}

/// Work in the county is in Sêrtar: the county is filled in (and taken
/// away again when the place changes), unless typed by hand.
fn place_changed(d: &mut Derive<'_>) {
    if d.get("place_tier") == "in_county" {
        d.derive("work_county", HOME_COUNTY);
    } else {
        d.underive("work_county");
    }
}

/// A monthly income the peer checker flags: said, not refused.
fn income(v: &str, _: &Answers<'_>, _: &super::RuleEnv<'_>) -> Vec<Problem> {
    crate::domain::rules::parse_yuan(v)
        .ok()
        .and_then(income_warning)
        .into_iter()
        .collect()
}

pub fn spec() -> FormSpec {
    let e = EmploymentRecord::TABLE;
    FormSpec {
        check: None,
        name: "employment",
        title: "employment.form_title",
        sections: vec![Section {
            name: "employment",
            label: "employment.section",
            repeat: None,
            fields: vec![
                Field::new("working", "employment.working", super::Kind::YesNo).required(),
                Field::of(e, "place_tier", "snapshot.col.place_tier")
                    .required()
                    .relevant(working)
                    .on_change(place_changed),
                Field::of(e, "work_county", "snapshot.col.work_county")
                    .required()
                    .relevant(working),
                Field::of(e, "employer", "snapshot.col.employer").relevant(working),
                Field::of(e, "industry", "snapshot.col.industry").relevant(working),
                Field::of(e, "channel", "snapshot.col.channel")
                    .required()
                    .relevant(working),
                Field::of(e, "point_to_point", "snapshot.col.point_to_point").relevant(working),
                Field::of(e, "start_month", "employment.start_month")
                    .required()
                    .relevant(working),
                Field::of(e, "end_month", "employment.end_month").relevant(working),
                Field::of(e, "monthly_income_fen", "employment.monthly_income")
                    .relevant(working)
                    .constraint(income),
                Field::of(e, "income_fen", "employment.income").relevant(working),
                Field::of(e, "transport_subsidy_fen", "employment.transport_subsidy")
                    .relevant(working),
                Field::of(e, "plans_to_work", "snapshot.col.plans_to_work").relevant(not_working),
                Field::of(e, "planned_tier", "snapshot.col.planned_tier").relevant(plans),
                Field::of(e, "services_wanted", "snapshot.col.services_wanted")
                    .relevant(not_working),
            ],
        }],
    }
}

fn invalid(store: &Store, p: Problem) -> StoreError {
    StoreError::Invalid {
        path: store.path().to_path_buf(),
        table: EmploymentRecord::TABLE.name.to_owned(),
        problem: Box::new(p),
    }
}

/// The employment form on record `id` of `person`.
pub struct EmploymentForm {
    pub id: Uuid,
    pub person: Uuid,
}

impl EmploymentForm {
    /// The record the answers make (not saved).
    pub fn record(
        &self,
        store: &Store,
        data: &FormData,
        today: NaiveDate,
    ) -> Result<EmploymentRecord, StoreError> {
        let mut r = store
            .get_any::<EmploymentRecord>(self.id)?
            .unwrap_or_else(|| EmploymentRecord {
                meta: RowMeta::with_id(self.id),
                person_id: self.person,
                ..EmploymentRecord::default()
            });
        data.as_read(&mut r);
        r.meta.deleted_at = None;
        let top = Answers {
            top: &data.values,
            row: None,
        };
        apply_answers(&spec().sections[0].fields, &top, &mut r, today)
            .map_err(|p| invalid(store, p))?;
        r.kind = if working(&top) {
            kind_of(&r.place_tier, &r.channel).to_owned()
        } else {
            "not_employed".to_owned()
        };
        Ok(r)
    }
}

impl Form for EmploymentForm {
    fn spec(&self) -> FormSpec {
        spec()
    }

    fn load(&self, store: &Store, _today: NaiveDate) -> Result<FormData, StoreError> {
        let mut data = FormData::default();
        match store.get::<EmploymentRecord>(self.id)? {
            Some(r) => {
                data.read(&r);
                answers_of(&spec().sections[0].fields, &r, &mut data.values);
                let w = if is_work(&r.kind) { "1" } else { "0" };
                data.values.insert("working".into(), w.into());
                if r.place_tier == "in_county" && r.work_county == HOME_COUNTY {
                    data.derived.insert("work_county".into());
                }
            }
            None => {
                data.values.insert("working".into(), "1".into());
            }
        }
        Ok(data)
    }

    fn save(&self, store: &mut Store, data: &FormData, today: NaiveDate) -> Result<(), StoreError> {
        let mut r = self.record(store, data, today)?;
        store.save(&mut r)
    }

    fn history_scope(&self) -> HistoryScope {
        HistoryScope::Row {
            table: EmploymentRecord::TABLE.name,
            id: self.id,
        }
    }

    fn subject(&self, store: &Store, _data: &FormData) -> Result<super::Subject, StoreError> {
        let Some(p) = store.get::<crate::domain::records::Person>(self.person)? else {
            return Ok(super::Subject::default());
        };
        let number = store
            .get::<crate::domain::records::Household>(p.household_id)?
            .map(|h| h.number)
            .unwrap_or_default();
        Ok(super::Subject {
            number,
            name_zh: p.name_zh,
            name_bo: p.name_bo,
        })
    }
}

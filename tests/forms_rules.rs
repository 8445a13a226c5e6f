//! The forms' own rules through the form engine, without a screen: what
//! the whole-form check finds and at which field, what an answer fills in,
//! which members a visit asks about, what a form names its record by, and
//! that a save keeps the ids the form holds.

use chrono::{Duration, NaiveDate};
use fieldbook::domain::records::{Household, Person, Visit, VisitPerson};
use fieldbook::forms::household::{HouseholdForm, MEMBERS};
use fieldbook::forms::visit::{LABOURERS, VisitForm};
use fieldbook::forms::{Form, FormData, FormSpec, Row, RuleEnv, Slot, Subject};
use fieldbook::store::households::{HouseholdQuery, Page};
use fieldbook::store::{OpenOptions, Store};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// The forms' "today".
fn today() -> NaiveDate {
    day(2026, 6, 1)
}

/// A store holding `n` demo households (seed 1) and, from the demo, the
/// county's villages.
fn store(n: u32) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store =
        Store::open(&dir.path().join("fieldbook.db"), OpenOptions::create()).expect("open");
    store.set_operator("扎西");
    if n > 0 {
        fieldbook::demo::generate(&mut store, n, 1).expect("demo data");
    }
    (dir, store)
}

fn households(store: &Store) -> Vec<Household> {
    store
        .households_page(&HouseholdQuery::default(), Page::First, 100)
        .expect("the register")
        .into_iter()
        .map(|r| r.household)
        .collect()
}

/// The slot of `field` in `section` (in block `row` of a repeat section).
fn slot(spec: &FormSpec, section: &str, row: Option<usize>, field: &str) -> Slot {
    let si = spec
        .sections
        .iter()
        .position(|s| s.name == section)
        .unwrap_or_else(|| panic!("no section {section}"));
    let fi = spec.sections[si]
        .fields
        .iter()
        .position(|f| f.name == field)
        .unwrap_or_else(|| panic!("no field {field} in {section}"));
    Slot {
        section: si,
        row,
        field: fi,
    }
}

/// The whole-form check's findings as (field, block, problem key).
fn findings(
    spec: &FormSpec,
    data: &FormData,
    store: &Store,
    id: Uuid,
) -> Vec<(String, Option<usize>, &'static str)> {
    let env = RuleEnv {
        today: today(),
        store,
        record_id: id,
    };
    spec.check_all(data, &env)
        .into_iter()
        .map(|(s, p)| (spec.field(s).name.to_owned(), s.row, p.key))
        .collect()
}

fn member(values: &[(&str, &str)]) -> Row {
    Row {
        values: values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..Row::default()
    }
}

/// A new household's form in the first village, numbered in it, with
/// `members` as its roster.
fn new_household(store: &Store, members: Vec<Row>) -> (HouseholdForm, FormData) {
    let village = store.village_choices().expect("villages").remove(0);
    let form = HouseholdForm {
        id: Uuid::now_v7(),
        village: Some(village.id),
    };
    let mut data = form.load(store, today()).expect("load");
    let code = store
        .get::<fieldbook::domain::records::Village>(village.id)
        .unwrap()
        .unwrap()
        .code;
    data.values.insert("number".into(), format!("{code}900001"));
    data.rows.insert(MEMBERS.into(), members);
    (form, data)
}

// ---- the household form ----

#[test]
fn two_heads_are_shown_at_the_second_and_no_head_at_the_first_member() {
    let (_dir, store) = store(2);
    let head = |name| member(&[("name_zh", name), ("relation", "head")]);
    let spouse = |name| member(&[("name_zh", name), ("relation", "spouse")]);
    let (form, data) = new_household(&store, vec![head("甲"), spouse("乙"), head("丙")]);
    let spec = form.spec();
    let heads: Vec<_> = findings(&spec, &data, &store, form.id)
        .into_iter()
        .filter(|f| f.2.starts_with("household.error"))
        .collect();
    assert_eq!(
        heads,
        [("relation".to_owned(), Some(2), "household.error.heads")]
    );

    let (form, data) = new_household(&store, vec![spouse("甲"), spouse("乙")]);
    let none: Vec<_> = findings(&spec, &data, &store, form.id)
        .into_iter()
        .filter(|f| f.2.starts_with("household.error"))
        .collect();
    assert_eq!(
        none,
        [("relation".to_owned(), Some(0), "household.error.no_head")]
    );
}

#[test]
fn a_household_number_already_used_is_refused_except_on_its_own_household() {
    let (_dir, store) = store(2);
    let taken = households(&store).remove(0);
    let (form, mut data) = new_household(
        &store,
        vec![member(&[("name_zh", "甲"), ("relation", "head")])],
    );
    data.values.insert("number".into(), taken.number.clone());
    data.values
        .insert("village_id".into(), taken.village_id.to_string());
    let spec = form.spec();
    assert!(
        findings(&spec, &data, &store, form.id).contains(&(
            "number".into(),
            None,
            "household.error.number_taken"
        )),
        "{:?}",
        findings(&spec, &data, &store, form.id)
    );
    // The household's own form holds its own number.
    let own = HouseholdForm {
        id: taken.meta.id,
        village: None,
    };
    let data = own.load(&store, today()).unwrap();
    assert_eq!(findings(&spec, &data, &store, own.id), []);
}

#[test]
fn a_member_born_tomorrow_is_refused_at_the_birth_date() {
    let (_dir, store) = store(1);
    let tomorrow = (today() + Duration::days(1)).to_string();
    let born = |d: &str| member(&[("name_zh", "甲"), ("relation", "head"), ("birth_date", d)]);
    let (form, data) = new_household(&store, vec![born(&tomorrow)]);
    let spec = form.spec();
    assert_eq!(
        findings(&spec, &data, &store, form.id),
        [("birth_date".to_owned(), Some(0), "rule.date.future")]
    );
    let (form, data) = new_household(&store, vec![born("2026-06-01")]);
    assert_eq!(findings(&spec, &data, &store, form.id), []);
}

#[test]
fn a_member_without_a_name_or_with_a_tab_in_it_is_refused_at_that_member() {
    let (_dir, store) = store(1);
    let rows = vec![
        member(&[("name_zh", "甲"), ("relation", "head")]),
        member(&[("relation", "spouse")]),
        member(&[
            ("name_zh", "丙"),
            ("name_bo", "བཀྲ\tཤིས"),
            ("relation", "child"),
        ]),
    ];
    let (form, data) = new_household(&store, rows);
    let spec = form.spec();
    // The tab is found twice: by the Tibetan name's own rule, and by the
    // rule of the names together, which runs at the Chinese name.
    assert_eq!(
        findings(&spec, &data, &store, form.id),
        [
            ("name_zh".to_owned(), Some(2), "rule.name.control_char"),
            ("name_bo".to_owned(), Some(2), "rule.text.control_char"),
            ("name_zh".to_owned(), Some(1), "rule.name.missing"),
        ]
    );
}

#[test]
fn the_labourer_suggestion_is_16_to_60_inclusive_in_the_household_form() {
    let (_dir, store) = store(1);
    let (form, mut data) = new_household(&store, vec![Row::default(); 4]);
    let spec = form.spec();
    // Today is 2026-06-01: these are 15, 16, 60 and 61 years old.
    let births = ["2010-06-02", "2010-06-01", "1965-06-02", "1965-06-01"];
    for (i, b) in births.iter().enumerate() {
        spec.set(
            &mut data,
            slot(&spec, MEMBERS, Some(i), "birth_date"),
            b,
            today(),
        );
    }
    let suggested: Vec<&str> = data.rows[MEMBERS]
        .iter()
        .map(|r| r.values["is_labourer"].as_str())
        .collect();
    assert_eq!(suggested, ["0", "1", "1", "0"]);
}

#[test]
fn a_household_form_is_named_by_its_number_and_its_head_not_a_removed_one() {
    let (_dir, store) = store(1);
    let removed_head = Row {
        removed: true,
        ..member(&[("name_zh", "甲"), ("name_bo", "ཀ"), ("relation", "head")])
    };
    let rows = vec![
        removed_head,
        member(&[("name_zh", "乙"), ("name_bo", "ཁ"), ("relation", "spouse")]),
        member(&[("name_zh", "丙"), ("name_bo", "ག"), ("relation", "head")]),
    ];
    let (form, data) = new_household(&store, rows);
    assert_eq!(
        form.subject(&store, &data).unwrap(),
        Subject {
            number: data.values["number"].clone(),
            name_zh: "丙".into(),
            name_bo: "ག".into(),
        }
    );
}

#[test]
fn a_household_saved_from_a_form_keeps_the_ids_the_form_holds() {
    let (_dir, mut store) = store(1);
    let member_id = Uuid::now_v7();
    let head = Row {
        id: Some(member_id),
        ..member(&[("name_zh", "甲"), ("relation", "head")])
    };
    let (form, data) = new_household(&store, vec![head]);
    form.save(&mut store, &data, today()).expect("saved");
    let h = store
        .get::<Household>(form.id)
        .unwrap()
        .expect("the household, under the form's id");
    assert_eq!(h.number, data.values["number"]);
    let p = store
        .get::<Person>(member_id)
        .unwrap()
        .expect("the member, under the row's id");
    assert_eq!((p.name_zh.as_str(), p.household_id), ("甲", form.id));
}

// ---- the visit form ----

/// A household whose members are 15, 16, 60, 61 and 70 years old and one
/// of unknown age; only the 70-year-old and the last one are marked as
/// labourers (by hand, so the suggestion stays out of it). Returns its id.
fn household_of_ages(store: &mut Store) -> Uuid {
    let births = [
        ("十五", "2010-06-02", "0"),
        ("十六", "2010-06-01", "0"),
        ("六十", "1965-06-02", "0"),
        ("六十一", "1965-06-01", "0"),
        ("七十", "1955-01-01", "1"),
        ("不详", "", "1"),
    ];
    let rows = births
        .iter()
        .enumerate()
        .map(|(i, (name, birth, labourer))| {
            let relation = if i == 0 { "head" } else { "child" };
            member(&[
                ("name_zh", name),
                ("relation", relation),
                ("birth_date", birth),
                ("is_labourer", labourer),
            ])
        })
        .collect();
    let (form, data) = new_household(store, rows);
    form.save(store, &data, today()).expect("saved");
    form.id
}

#[test]
fn a_visit_asks_members_aged_16_to_60_inclusive_and_those_marked_as_labourers() {
    let (_dir, mut store) = store(1);
    let household = household_of_ages(&mut store);
    let form = VisitForm {
        id: Uuid::now_v7(),
        household,
    };
    let data = form.load(&store, today()).unwrap();
    let spec = form.spec();
    let section = slot(&spec, LABOURERS, Some(0), "employment_status").section;
    let asked: Vec<&str> = data.rows[LABOURERS]
        .iter()
        .filter(|r| spec.row_shown(section, r, &data))
        .map(|r| r.values["name_zh"].as_str())
        .collect();
    assert_eq!(asked, ["十六", "六十", "七十", "不详"]);
}

#[test]
fn a_visit_dated_tomorrow_is_refused_and_a_high_income_is_flagged() {
    let (_dir, mut store) = store(1);
    let household = household_of_ages(&mut store);
    let form = VisitForm {
        id: Uuid::now_v7(),
        household,
    };
    let spec = form.spec();
    let mut data = form.load(&store, today()).unwrap();
    let tomorrow = (today() + Duration::days(1)).to_string();
    spec.set(
        &mut data,
        slot(&spec, "visit", None, "visit_date"),
        &tomorrow,
        today(),
    );
    // The 16-year-old (block 1) works nearby and earns just over the mark.
    let status = slot(&spec, LABOURERS, Some(1), "employment_status");
    spec.set(&mut data, status, "local_short_term", today());
    let income = slot(&spec, LABOURERS, Some(1), "annual_income");
    spec.set(&mut data, income, "200000.01", today());
    let found: Vec<_> = findings(&spec, &data, &store, form.id)
        .into_iter()
        .filter(|f| f.2.starts_with("rule."))
        .collect();
    assert_eq!(
        found,
        [
            ("visit_date".to_owned(), None, "rule.date.future"),
            ("annual_income".to_owned(), Some(1), "rule.income.high"),
        ]
    );
    spec.set(
        &mut data,
        slot(&spec, "visit", None, "visit_date"),
        "2026-06-01",
        today(),
    );
    spec.set(&mut data, income, "200000", today());
    let found: Vec<_> = findings(&spec, &data, &store, form.id)
        .into_iter()
        .filter(|f| f.2.starts_with("rule."))
        .collect();
    assert_eq!(found, []);
}

#[test]
fn a_visit_saved_again_updates_its_answers_under_their_ids() {
    let (_dir, mut store) = store(1);
    let household = household_of_ages(&mut store);
    let id = Uuid::now_v7();
    let form = VisitForm { id, household };
    let spec = form.spec();
    let mut data = form.load(&store, today()).unwrap();
    // An answer the form already holds an id for (as a draft may).
    let answer_id = Uuid::now_v7();
    data.rows.get_mut(LABOURERS).unwrap()[1].id = Some(answer_id);
    for row in [1, 2, 4, 5] {
        let s = slot(&spec, LABOURERS, Some(row), "employment_status");
        spec.set(&mut data, s, "not_employed", today());
    }
    form.save(&mut store, &data, today()).expect("saved");
    assert!(
        store.get::<Visit>(id).unwrap().is_some(),
        "the visit, under the form's id"
    );
    let first: Vec<Uuid> = store
        .visit_answers(id)
        .unwrap()
        .iter()
        .map(|a| a.meta.id)
        .collect();
    assert_eq!(first.len(), 4);
    assert!(first.contains(&answer_id), "{first:?}");
    assert!(store.get::<VisitPerson>(answer_id).unwrap().is_some());

    // Opened again and saved with a change: the same four answers.
    let mut data = form.load(&store, today()).unwrap();
    let s = slot(&spec, LABOURERS, Some(2), "employment_status");
    spec.set(&mut data, s, "student", today());
    form.save(&mut store, &data, today()).expect("saved again");
    let mut again: Vec<Uuid> = store
        .visit_answers(id)
        .unwrap()
        .iter()
        .map(|a| a.meta.id)
        .collect();
    let mut first = first;
    first.sort();
    again.sort();
    assert_eq!(again, first);
}

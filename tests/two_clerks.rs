//! Two people, one record: a save never silently undoes a change someone
//! else saved since the form was opened. Fields only one of them changed
//! are merged without asking; a field both changed keeps the typed value,
//! shows the other one, and is saved only when the user saves again.

mod support;

use fieldbook::domain::records::Household;
use fieldbook::i18n::Lang;
use fieldbook::store::households::{HouseholdQuery, Page};
use fieldbook::store::{OpenOptions, Store, StoreError};
use ratatui::crossterm::event::KeyCode::*;
use support::TestApp;

/// The app on the first household's form, and that household.
fn household_form(t: &mut TestApp) -> Household {
    let h = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 1)
        .unwrap()
        .remove(0)
        .household;
    t.chars("h").key(Enter).chars("e");
    assert_eq!(t.app.screen_title_key(), "household.form_title");
    h
}

/// Another clerk, on the same database through another connection.
fn other_clerk(t: &mut TestApp) -> Store {
    let mut s = Store::open(t.store().path(), OpenOptions::create()).unwrap();
    s.set_operator("卓玛");
    s
}

/// Moves the focus to the household form's field `n` (0 = number).
fn to_field(t: &mut TestApp, n: usize) {
    t.times(n, Tab);
}

#[test]
fn a_change_saved_meanwhile_is_merged_not_undone() {
    let mut t = TestApp::with_households(Lang::En, 3);
    let h = household_form(&mut t);
    // The other clerk changes the phone and saves.
    let mut other = other_clerk(&mut t);
    let mut theirs = other.get::<Household>(h.meta.id).unwrap().unwrap();
    theirs.phone = "13912345678".into();
    other.save(&mut theirs).unwrap();
    // Here, the household number is changed.
    to_field(&mut t, 0);
    t.key(End).key(Backspace).chars("9");
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved_merged"));
    let now = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
    assert_eq!(now.phone, "13912345678", "their phone kept");
    let mut number = h.number.clone();
    number.pop();
    number.push('9');
    assert_eq!(now.number, number, "my number saved");
}

#[test]
fn a_field_both_changed_keeps_the_typed_value_until_saved_again() {
    let mut t = TestApp::with_households(Lang::En, 3);
    let h = household_form(&mut t);
    let mut other = other_clerk(&mut t);
    let mut theirs = other.get::<Household>(h.meta.id).unwrap().unwrap();
    theirs.phone = "13912345678".into();
    other.save(&mut theirs).unwrap();
    to_field(&mut t, 2);
    t.key(End).times(20, Backspace).chars("13700000000");
    t.ctrl('s');
    // Not saved: who changed it, and their value under the field.
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.changed_meanwhile_clash")
    );
    let screen = t.render(100, 30);
    assert!(screen.contains("卓玛"), "{screen}");
    assert!(
        screen.contains("13912345678") && screen.contains("13700000000"),
        "{screen}"
    );
    assert_eq!(
        t.store()
            .get::<Household>(h.meta.id)
            .unwrap()
            .unwrap()
            .phone,
        "13912345678"
    );
    // Saving again, knowingly, saves mine.
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved"));
    assert_eq!(
        t.store()
            .get::<Household>(h.meta.id)
            .unwrap()
            .unwrap()
            .phone,
        "13700000000"
    );
}

#[test]
fn the_store_refuses_a_record_read_before_someone_else_saved_it() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let id = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 1)
        .unwrap()
        .remove(0)
        .household
        .meta
        .id;
    let mut mine = t.store().get::<Household>(id).unwrap().unwrap();
    let mut other = other_clerk(&mut t);
    let mut theirs = other.get::<Household>(id).unwrap().unwrap();
    theirs.phone = "13912345678".into();
    other.save(&mut theirs).unwrap();
    mine.phone = "13700000000".into();
    match t.store().save(&mut mine) {
        Err(StoreError::Changed { by, at, .. }) => {
            assert_eq!(by, "卓玛");
            assert_eq!(at, theirs.meta.updated_at);
        }
        other => panic!("refused expected, got {other:?}"),
    }
    assert_eq!(
        t.store().get::<Household>(id).unwrap().unwrap().phone,
        "13912345678"
    );
}

#[test]
fn a_draft_resumed_after_someone_else_saved_merges_their_change() {
    let mut t = TestApp::with_households(Lang::En, 3);
    let h = household_form(&mut t);
    to_field(&mut t, 0);
    t.key(End).key(Backspace).chars("8");
    t.app.flush_drafts();
    // The app is closed with the draft kept; meanwhile another clerk saves.
    let path = t.store().path().to_path_buf();
    let dir = t.dir;
    drop(t.app);
    let mut other = Store::open(&path, OpenOptions::create()).unwrap();
    other.set_operator("卓玛");
    let mut theirs = other.get::<Household>(h.meta.id).unwrap().unwrap();
    theirs.phone = "13912345678".into();
    other.save(&mut theirs).unwrap();
    drop(other);
    // Back: the draft is offered, resumed and saved.
    let store = Store::open(&path, OpenOptions::create()).unwrap();
    let mut t = TestApp::on(store, Lang::En, dir);
    assert_eq!(t.app.screen_title_key(), "drafts.title");
    t.key(Enter).ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved_merged"));
    let now = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
    assert_eq!(now.phone, "13912345678");
    assert!(now.number.ends_with('8'), "{}", now.number);
}

//! Records that can be trusted: review locks a visit, household numbers
//! have the county's form, one head per household, derived values follow
//! their source, rounds are a choice, dates say what is wrong. Each rule
//! is held in the store and shown by the form.

mod support;

use fieldbook::domain::records::{Household, RowMeta, Visit, VisitPerson};
use fieldbook::i18n::Lang;
use fieldbook::store::StoreError;
use ratatui::crossterm::event::KeyCode::*;
use support::{TestApp, draft_visit, first_household};

fn refused_key<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Invalid { problem, .. }) => problem.key,
        other => panic!("refused expected, got {other:?}"),
    }
}

#[test]
fn a_submitted_or_approved_visit_is_locked_until_a_supervisor_returns_it() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let h = first_household(t.store());
    let (v, a) = draft_visit(t.store(), &h);
    let s = t.store();
    s.set_visit_status(v.meta.id, "submitted", "").unwrap();
    // Submitted: neither its fields nor its answers change.
    let mut changed = s.get::<Visit>(v.meta.id).unwrap().unwrap();
    changed.problems = "改一下".into();
    assert_eq!(
        refused_key(s.save(&mut changed).map(|_| ())),
        "review.locked"
    );
    let mut answer = s.get::<VisitPerson>(a.meta.id).unwrap().unwrap();
    answer.job_wanted = "厨师".into();
    assert_eq!(
        refused_key(s.save(&mut answer).map(|_| ())),
        "review.locked"
    );
    // A supervisor cannot edit it in place either; approving it is review.
    s.set_setting("role", "supervisor").unwrap();
    let mut changed = s.get::<Visit>(v.meta.id).unwrap().unwrap();
    changed.problems = "改一下".into();
    assert_eq!(
        refused_key(s.save(&mut changed).map(|_| ())),
        "review.locked"
    );
    s.set_visit_status(v.meta.id, "approved", "").unwrap();
    // Approved: reopening needs the reason.
    assert_eq!(
        refused_key(s.set_visit_status(v.meta.id, "returned", " ")),
        "review.comment_required"
    );
    s.set_visit_status(v.meta.id, "returned", "收入需核实")
        .unwrap();
    s.set_setting("role", "surveyor").unwrap();
    // Returned: open to corrections, then review again.
    let mut changed = s.get::<Visit>(v.meta.id).unwrap().unwrap();
    changed.problems = "已核实".into();
    s.save(&mut changed).unwrap();
    let mut answer = s.get::<VisitPerson>(a.meta.id).unwrap().unwrap();
    answer.job_wanted = "厨师".into();
    s.save(&mut answer).unwrap();
    s.set_visit_status(v.meta.id, "submitted", "").unwrap();
    // The reason of the reopening is in the visit's history.
    let history = s.visit_history(v.meta.id).unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.after.as_deref().is_some_and(|j| j.contains("收入需核实"))),
        "{history:?}"
    );
}

#[test]
fn a_locked_visit_opened_in_the_form_says_so_and_is_not_saved() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let h = first_household(t.store());
    let (v, _) = draft_visit(t.store(), &h);
    t.store()
        .set_visit_status(v.meta.id, "submitted", "")
        .unwrap();
    t.store().set_setting("role", "supervisor").unwrap();
    t.store()
        .set_visit_status(v.meta.id, "approved", "")
        .unwrap();
    t.store().set_setting("role", "surveyor").unwrap();
    t.chars("h");
    t.key(Char('/')).chars(&h.number).key(Enter);
    assert_eq!(t.app.screen_title_key(), "household.title");
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "visit.form_title");
    assert_eq!(t.app.message().map(|m| m.key), Some("review.locked"));
    // Keys that would change it do nothing but explain.
    let before = t.store().get::<Visit>(v.meta.id).unwrap().unwrap();
    t.times(2, Tab).chars("x");
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("review.locked"));
    assert_eq!(t.store().get::<Visit>(v.meta.id).unwrap().unwrap(), before);
    assert_eq!(
        t.store().get::<Visit>(v.meta.id).unwrap().unwrap().status,
        "approved"
    );
}

#[test]
fn a_household_number_has_the_countys_form_in_the_form_and_in_the_store() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let h = first_household(t.store());
    // The store: letters, and another village's code, are refused.
    let mut bad = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
    bad.number = "abc".into();
    assert_eq!(
        refused_key(t.store().save(&mut bad).map(|_| ())),
        "household.error.number_format"
    );
    let mut bad = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
    bad.number = "513333101200000001".into();
    assert_eq!(
        refused_key(t.store().save(&mut bad).map(|_| ())),
        "household.error.number_village"
    );
    // The form: said at the field before any save.
    t.chars("h").chars("n").chars("abc").key(Tab);
    let screen = t.render(100, 30);
    assert!(
        screen.contains("A household number is 18 digits"),
        "{screen}"
    );
    t.key(BackTab)
        .key(End)
        .times(5, Backspace)
        .chars("513333101200000009")
        .key(Tab);
    t.key(Right); // the first village, 513333100200
    t.ctrl('s');
    let screen = t.render(100, 30);
    assert!(
        screen.contains("must start with its village's code"),
        "{screen}"
    );
    assert!(screen.contains("513333100200."), "{screen}");
}

#[test]
fn exactly_one_head_per_household_whoever_saves() {
    let mut t = TestApp::with_households(Lang::En, 1);
    let h = first_household(t.store());
    let mut household = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
    let mut members = t.store().members(h.meta.id).unwrap();
    if members.len() < 2 {
        let mut second = members[0].clone();
        second.meta = RowMeta::new();
        second.name_zh = "次仁".into();
        second.id_number = String::new();
        second.relation = "child".into();
        members.push(second);
        t.store()
            .save_roster(&mut household, &mut members, &[])
            .unwrap();
        household = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
        members = t.store().members(h.meta.id).unwrap();
    }
    assert!(members.len() >= 2);
    members.sort_by_key(|p| p.relation != "head");
    // Two heads: refused, nothing saved.
    members[1].relation = "head".into();
    assert_eq!(
        refused_key(t.store().save_roster(&mut household, &mut members, &[])),
        "household.error.heads"
    );
    // No head.
    members[0].relation = "spouse".into();
    members[1].relation = "child".into();
    assert_eq!(
        refused_key(t.store().save_roster(&mut household, &mut members, &[])),
        "household.error.no_head"
    );
    let heads = t
        .store()
        .members(h.meta.id)
        .unwrap()
        .iter()
        .filter(|p| p.relation == "head")
        .count();
    assert_eq!(heads, 1, "unchanged");
}

#[test]
fn two_heads_typed_in_the_form_are_shown_at_the_relation_field() {
    let mut t = TestApp::with_households(Lang::En, 2);
    t.chars("h").key(Enter).chars("e");
    assert_eq!(t.app.screen_title_key(), "household.form_title");
    // A second member marked head too.
    t.ctrl('n').chars("新成员").times(5, Tab);
    t.key(Right); // relation: the first choice, head
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.error.fix_first"));
    let screen = t.render(100, 40);
    assert!(screen.contains("marked head of household"), "{screen}");
}

#[test]
fn the_labourer_suggestion_follows_an_id_number_typed_key_by_key() {
    // Born 2005-01-01, 21 on the test's day: a labourer. Typed key by key,
    // the first 15 digits read as an old 15-digit number (born 1920); the
    // suggestion must follow the whole number, not stay with that.
    let mut t = TestApp::with_households(Lang::En, 1);
    t.chars("h").chars("n");
    // number, village, phone, registered poor (defaults Yes), year exited
    t.chars("513333100200900001")
        .key(Tab)
        .key(Right)
        .times(4, Tab);
    t.chars("少年").key(Tab).key(Tab);
    for c in "513333200501011238".chars() {
        t.key(Char(c));
    }
    t.key(Tab);
    let screen = t.render(100, 40);
    assert!(screen.contains("2005-01-01"), "{screen}");
    let line = screen.lines().find(|l| l.contains("Labourer")).unwrap();
    assert!(line.contains("Yes"), "{line}");
}

#[test]
fn dates_typed_other_ways_are_stored_one_way_and_an_impossible_one_says_why() {
    let mut t = TestApp::with_households(Lang::En, 1);
    t.chars("h").chars("n");
    // number, village, phone, registered poor (defaults Yes), year exited
    t.chars("513333100200900001")
        .key(Tab)
        .key(Right)
        .times(4, Tab);
    t.chars("卓玛").key(Tab).key(Tab).key(Tab).key(Tab); // to birth date
    t.chars("1990/2/3").key(Tab);
    assert!(t.render(100, 40).contains("1990-02-03"));
    t.key(BackTab)
        .key(End)
        .times(12, Backspace)
        .chars("2025-02-30")
        .key(Tab);
    let screen = t.render(100, 40);
    assert!(
        screen.contains("2025-2 has only 28 days: there is no day 30."),
        "{screen}"
    );
}

#[test]
fn wylie_input_leaves_number_fields_alone() {
    let mut t = TestApp::with_households(Lang::En, 1);
    t.chars("h").chars("n");
    // In the household number field Ctrl-T only explains.
    t.ctrl('t');
    assert_eq!(t.app.message().map(|m| m.key), Some("msg.wylie_not_here"));
    t.chars("2019");
    assert!(t.render(100, 40).contains("2019"));
    assert!(!t.render(100, 40).contains("༢༠༡༩"));
}

#[test]
fn the_survey_round_is_a_choice_stored_one_way() {
    let mut t = TestApp::with_households(Lang::En, 1);
    let h = first_household(t.store());
    let (v, _) = draft_visit(t.store(), &h);
    let mut bad = t.store().get::<Visit>(v.meta.id).unwrap().unwrap();
    bad.round = "2025年".into();
    assert_eq!(
        refused_key(t.store().save(&mut bad).map(|_| ())),
        "rule.round.format"
    );
    t.chars("h");
    t.key(Char('/')).chars(&h.number).key(Enter);
    t.chars("n");
    assert_eq!(t.app.screen_title_key(), "visit.form_title");
    let screen = t.render(100, 30);
    assert!(screen.contains("2026 start-of-year survey"), "{screen}");
    // One step back: last year's round.
    t.key(Tab).key(Right);
    assert!(t.render(100, 30).contains("2025 start-of-year survey"));
}

#[test]
fn a_refused_save_leaves_the_records_as_given_so_the_corrected_ones_save() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let h = first_household(t.store());
    // One record: refused, then corrected and saved (not taken for stale).
    let mut household = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
    let good = household.number.clone();
    household.number = "abc".into();
    let before = household.meta.clone();
    assert_eq!(
        refused_key(t.store().save(&mut household)),
        "household.error.number_format"
    );
    assert_eq!(household.meta, before, "stamps untouched by the refusal");
    household.number = good;
    household.phone = "13900000000".into();
    t.store().save(&mut household).unwrap();
    // A roster: refused whole (two heads), then corrected and saved.
    let mut household = t.store().get::<Household>(h.meta.id).unwrap().unwrap();
    let mut members = t.store().members(h.meta.id).unwrap();
    members.sort_by_key(|p| p.relation != "head");
    let mut second = members[0].clone();
    second.meta = RowMeta::new();
    second.name_zh = "次仁".into();
    second.id_number = String::new();
    members.push(second);
    let n = members.len();
    let kept: Vec<_> = members.iter().map(|p| p.meta.clone()).collect();
    assert_eq!(
        refused_key(t.store().save_roster(&mut household, &mut members, &[])),
        "household.error.heads"
    );
    assert_eq!(
        members.iter().map(|p| p.meta.clone()).collect::<Vec<_>>(),
        kept
    );
    members[n - 1].relation = "child".into();
    t.store()
        .save_roster(&mut household, &mut members, &[])
        .unwrap();
    assert_eq!(t.store().members(h.meta.id).unwrap().len(), n);
}

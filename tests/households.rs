//! The household register and visit surveys, driven by keys over a
//! temporary database: create a household with three members and a visit,
//! edit, return and resubmit, drafts, validation, history, paging.

mod support;

use chrono::NaiveDate;
use fieldbook::domain::id_number::check_char;
use fieldbook::domain::records::{Household, Person, RowMeta, Visit};
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::households::{HouseholdQuery, Page};
use ratatui::crossterm::event::KeyCode::{self, *};
use support::{LANGS, TestApp};

fn id_number(body17: &str) -> String {
    format!("{body17}{}", check_char(body17).unwrap())
}

/// Types into the focused text field after clearing it.
fn retype(t: &mut TestApp, text: &str) {
    t.key(End).times(40, Backspace).chars(text);
}

/// The number of the household the tests make: the first village's code
/// (villages are listed by code) and 900001.
fn new_number(t: &mut TestApp) -> String {
    let first = t.store().village_choices().unwrap()[0].id;
    let code = t
        .store()
        .get::<fieldbook::domain::records::Village>(first)
        .unwrap()
        .unwrap()
        .code;
    format!("{code}900001")
}

/// From home: a new household (see [`new_number`]) in the first village,
/// with three members (head, spouse, child), saved.
fn create_household(t: &mut TestApp) {
    let number = new_number(t);
    t.chars("h").chars("n");
    assert_eq!(t.app.screen_title_key(), "household.form_title");
    t.chars(&number).key(Tab); // number
    t.key(Right).key(Tab); // village: the first one
    t.chars("13812345678").key(Tab); // phone
    t.key(Tab); // registered poor: yes (default)
    t.key(Tab); // exit year: none
    // Member 1, the head (relation preset).
    t.chars("扎西泽仁").key(Tab).chars("བཀྲ་ཤིས་ཚེ་རིང").key(Tab);
    t.chars(&id_number("51333319850314011")).key(Tab);
    // Sex and birth date were filled from the ID number.
    t.ctrl('n'); // member 2
    t.chars("卓玛").key(Tab).chars("སྒྲོལ་མ").key(Tab);
    t.chars(&id_number("51333319870502012")).key(Tab);
    t.key(Tab).key(Tab); // sex, birth date (filled)
    t.key(Right).key(Right); // relation: spouse
    t.ctrl('n'); // member 3
    t.chars("尼玛").key(Tab).key(Tab).key(Tab).key(Tab).key(Tab); // no ID number
    t.key(Right).key(Right).key(Right); // relation: child
    t.ctrl('s');
}

fn the_household(t: &mut TestApp) -> Household {
    let number = new_number(t);
    t.store()
        .household_by_number(&number)
        .unwrap()
        .expect("saved")
}

#[test]
fn create_a_household_with_three_members_and_a_visit() {
    let mut t = TestApp::with_households(Lang::En, 3);
    create_household(&mut t);
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(80, 24)
    );
    let h = the_household(&mut t);
    assert_eq!(h.phone, "13812345678");
    assert!(h.registered_poor);
    let members = t.store().members(h.meta.id).unwrap();
    let names: Vec<&str> = members.iter().map(|p| p.name_zh.as_str()).collect();
    assert_eq!(names, ["扎西泽仁", "卓玛", "尼玛"]);
    assert_eq!(members[0].name_bo, "བཀྲ་ཤིས་ཚེ་རིང");
    assert_eq!(members[0].relation, "head");
    assert_eq!(members[1].relation, "spouse");
    assert_eq!(members[2].relation, "child");
    // Sex and birth date derived from the ID numbers; labourer suggested by age.
    assert_eq!(
        (
            members[0].sex.as_str(),
            members[0].birth_date.unwrap().to_string()
        ),
        ("m", "1985-03-14".into())
    );
    assert_eq!(
        (
            members[1].sex.as_str(),
            members[1].birth_date.unwrap().to_string()
        ),
        ("f", "1987-05-02".into())
    );
    assert!(members[0].is_labourer && members[1].is_labourer);

    // Back to the register, which shows it; open it and start a visit.
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "register.title");
    let number = new_number(&mut t);
    assert!(t.render(80, 24).contains(&number));
    t.key(Char('/')).chars(&number).key(Enter); // found by its number
    assert_eq!(t.app.screen_title_key(), "household.title");
    t.chars("n");
    assert_eq!(t.app.screen_title_key(), "visit.form_title");
    // Date (today), round and surveyor are prefilled; visit type annual.
    t.times(4, Tab);
    // Labourer 1: works locally, 12,000 yuan.
    t.key(Right)
        .key(Tab)
        .chars("色达县")
        .key(Tab)
        .chars("12000")
        .key(Tab);
    t.key(Right).key(Tab); // willing to work away: yes
    t.key(Enter).key(Down).key(Char(' ')).key(Enter).key(Tab); // training wanted: second course
    t.key(Tab); // job wanted
    // Labourer 2: not employed (no work place or income asked).
    t.times(7, Right).key(Tab);
    t.ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(80, 24)
    );

    let visits = t.store().visits_of(h.meta.id).unwrap();
    assert_eq!(visits.len(), 1);
    let v = &visits[0];
    assert_eq!(v.visit_date.to_string(), "2026-11-27");
    assert_eq!(v.round, "2026-start");
    assert_eq!(v.surveyors, "扎西");
    assert_eq!(v.status, "draft");
    let answers = t.store().visit_answers(v.meta.id).unwrap();
    let head = answers
        .iter()
        .find(|a| a.person_id == members[0].meta.id)
        .unwrap();
    assert_eq!(head.employment_status, "local_short_term");
    assert_eq!(head.work_place, "色达县");
    assert_eq!(head.annual_income_fen, Some(1_200_000));
    assert_eq!(head.willing_to_work_away, Some(true));
    assert_eq!(head.training_wanted.len(), 1);
    let wife = answers
        .iter()
        .find(|a| a.person_id == members[1].meta.id)
        .unwrap();
    assert_eq!(wife.employment_status, "not_employed");
    assert_eq!(wife.annual_income_fen, None);
    // The child (no birth date, not marked as a labourer) is not asked about.
    assert_eq!(answers.len(), 2);
    // The register shows the household as visited.
    let rows = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 100)
        .unwrap();
    let row = rows.iter().find(|r| r.household.number == number).unwrap();
    assert_eq!(
        row.last_visit.map(|d| d.to_string()).as_deref(),
        Some("2026-11-27")
    );
}

#[test]
fn editing_a_household_is_recorded_in_its_history() {
    let mut t = TestApp::new(Lang::En);
    fieldbook_village(&mut t);
    create_household(&mut t);
    let h = the_household(&mut t);
    // Open it again from the register and change the phone.
    t.key(Esc).key(KeyCode::Home).key(Enter).chars("e");
    t.key(Tab).key(Tab);
    retype(&mut t, "13900000000");
    t.ctrl('s');
    assert_eq!(
        t.store()
            .get::<Household>(h.meta.id)
            .unwrap()
            .unwrap()
            .phone,
        "13900000000"
    );
    // Ctrl-R shows the history: who, the field, before and after.
    t.ctrl('r');
    assert_eq!(t.app.screen_title_key(), "history.title");
    let screen = t.render(100, 30);
    assert!(screen.contains("13812345678 → 13900000000"), "{screen}");
    assert!(screen.contains("扎西"), "{screen}");
}

/// Adds a village to the first township through the villages screen.
fn fieldbook_village(t: &mut TestApp) -> String {
    t.chars("v").chars("n");
    assert_eq!(t.app.screen_title_key(), "village.form_title");
    t.key(Tab); // township preset, code prefilled with the township's code
    t.key(End)
        .chars("201")
        .key(Tab)
        .chars("德钦村")
        .key(Tab)
        .chars("བདེ་ཆེན")
        .key(Tab)
        .chars("2019");
    t.ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(80, 24)
    );
    t.key(Esc).key(Esc);
    "513333100201".to_owned()
}

#[test]
fn villages_are_added_in_their_screen() {
    let mut t = TestApp::new(Lang::Zh);
    let code = fieldbook_village(&mut t);
    let v = t.store().village_by_code(&code).unwrap().expect("saved");
    assert_eq!(
        (v.name_zh.as_str(), v.name_bo.as_str(), v.exit_year),
        ("德钦村", "བདེ་ཆེན", Some(2019))
    );
    t.chars("v");
    assert!(t.render(80, 24).contains("德钦村"));
}

#[test]
fn a_returned_visit_comes_first_for_the_surveyor_and_can_be_resubmitted() {
    let mut t = TestApp::with_households(Lang::En, 5);
    let h = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 1)
        .unwrap()
        .pop()
        .unwrap()
        .household;
    // A draft visit, the household's newest.
    let mut visit = Visit {
        meta: RowMeta::new(),
        household_id: h.meta.id,
        visit_date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        round: "2026-start".to_owned(),
        visit_type: "annual".to_owned(),
        status: "draft".to_owned(),
        ..Visit::default()
    };
    t.store().save_visit(&mut visit, &mut []).unwrap();
    assert_eq!(
        t.store().visits_of(h.meta.id).unwrap()[0].meta.id,
        visit.meta.id
    );
    // The surveyor submits it from the household screen.
    t.chars("h").key(Enter);
    assert_eq!(t.app.screen_title_key(), "household.title");
    t.chars("s");
    assert_eq!(
        t.store()
            .get::<Visit>(visit.meta.id)
            .unwrap()
            .unwrap()
            .status,
        "submitted"
    );
    // A surveyor cannot return it.
    t.chars("r");
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("review.supervisors_only")
    );
    // The supervisor returns it with a comment.
    t.store().set_setting("role", "supervisor").unwrap();
    t.chars("r").chars("收入请核实").key(Enter);
    let v = t.store().get::<Visit>(visit.meta.id).unwrap().unwrap();
    assert_eq!(
        (v.status.as_str(), v.review_comment.as_str()),
        ("returned", "收入请核实")
    );
    // The surveyor sees it first in the review list, with the comment.
    t.store().set_setting("role", "surveyor").unwrap();
    t.key(Esc).key(Esc).chars("r");
    assert_eq!(t.app.screen_title_key(), "review.title");
    let screen = t.render(100, 24);
    // Below the line about the list and the column headings.
    assert!(
        screen.lines().nth(2).unwrap().contains("Comment"),
        "{screen}"
    );
    let first_row = screen.lines().nth(3).unwrap();
    assert!(
        first_row.contains("Returned") && first_row.contains("收入请核实"),
        "{screen}"
    );
    // ... opens it and sees the comment on the form, then resubmits.
    t.key(Enter);
    assert!(t.render(100, 24).contains("收入请核实"));
    t.key(Esc).chars("s");
    assert_eq!(
        t.store()
            .get::<Visit>(visit.meta.id)
            .unwrap()
            .unwrap()
            .status,
        "submitted"
    );
    // The supervisor approves it from the review list.
    t.store().set_setting("role", "supervisor").unwrap();
    t.key(Esc).chars("r");
    let pos = t
        .store()
        .visits_by_status(&["submitted"], 100)
        .unwrap()
        .iter()
        .position(|r| r.visit.meta.id == visit.meta.id)
        .unwrap();
    t.times(pos, Down).chars("a");
    // Approving asks first; n leaves it submitted.
    let screen = t.render(100, 24);
    assert!(
        screen.contains("Approve the visit of household"),
        "{screen}"
    );
    t.chars("n");
    assert_eq!(t.app.message().map(|m| m.key), Some("review.not_approved"));
    let status = |t: &mut TestApp| {
        t.store()
            .get::<Visit>(visit.meta.id)
            .unwrap()
            .unwrap()
            .status
    };
    assert_eq!(status(&mut t), "submitted");
    t.chars("a").chars("y");
    assert_eq!(status(&mut t), "approved");
    assert_eq!(t.app.message().map(|m| m.key), Some("review.approved"));
}

#[test]
fn save_is_refused_with_the_first_error_focused() {
    let mut t = TestApp::with_households(Lang::En, 2);
    t.chars("h").chars("n");
    t.key(Tab).key(Tab).chars("12345").ctrl('s');
    let msg = t.app.message().expect("message");
    assert!(msg.error);
    assert_eq!(msg.key, "form.error.fix_first");
    // Nothing was written.
    assert_eq!(
        t.store()
            .households_count(&HouseholdQuery::default())
            .unwrap(),
        2
    );
    // The first error (the missing number) is shown next to its field, in the user's language.
    let screen = t.render(80, 24);
    assert!(
        screen.contains(&Catalog::builtin().text(Lang::En, "form.error.required")),
        "{screen}"
    );
}

#[test]
fn a_duplicate_id_number_is_shown_with_its_household_and_needs_accepting() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let other = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 1)
        .unwrap()
        .pop()
        .unwrap()
        .household;
    let taken = t.store().members(other.meta.id).unwrap()[0]
        .id_number
        .clone();
    t.chars("h").chars("n");
    t.chars("513333100200999999")
        .key(Tab)
        .key(Right)
        .key(Tab)
        .key(Tab)
        .key(Tab)
        .key(Tab);
    t.chars("测试").key(Tab).key(Tab).chars(&taken).key(Tab);
    let screen = t.render(140, 30);
    assert!(
        screen.contains(&other.number),
        "the other household is named: {screen}"
    );
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.warnings"));
    assert!(
        t.store()
            .household_by_number("513333100200999999")
            .unwrap()
            .is_none()
    );
    t.chars("y");
    assert!(
        t.store()
            .household_by_number("513333100200999999")
            .unwrap()
            .is_some()
    );
}

#[test]
fn members_can_be_removed_and_reordered() {
    let mut t = TestApp::new(Lang::En);
    fieldbook_village(&mut t);
    create_household(&mut t);
    let h = the_household(&mut t);
    let before = t.store().members(h.meta.id).unwrap();
    // Focus is still in member 3 after saving: move it up, then remove member 3's block (now 卓玛).
    t.alt(Up);
    t.ctrl('s');
    let names: Vec<String> = t
        .store()
        .members(h.meta.id)
        .unwrap()
        .into_iter()
        .map(|p| p.name_zh)
        .collect();
    assert_eq!(names, ["扎西泽仁", "尼玛", "卓玛"]);
    // Remove the focused member (尼玛, now second): a tombstone, not a hard delete.
    t.ctrl('d').ctrl('s');
    let names: Vec<String> = t
        .store()
        .members(h.meta.id)
        .unwrap()
        .into_iter()
        .map(|p| p.name_zh)
        .collect();
    assert_eq!(names, ["扎西泽仁", "卓玛"]);
    let gone = before.iter().find(|p| p.name_zh == "尼玛").unwrap();
    let tomb = t.store().get_any::<Person>(gone.meta.id).unwrap().unwrap();
    assert!(tomb.meta.deleted_at.is_some());
}

#[test]
fn an_unsaved_form_is_kept_as_a_draft_and_offered_back() {
    let mut t = TestApp::with_households(Lang::En, 2);
    t.chars("h").chars("n").chars("513333100200777777");
    assert!(t.app.draft_due().is_some());
    t.app.flush_drafts();
    assert!(t.app.draft_due().is_none());
    // The app dies here; a new one on the same database offers the draft.
    let TestApp { app, dir } = t;
    let store = app.store;
    let mut t = TestApp::on(store, Lang::En, dir);
    assert_eq!(t.app.screen_title_key(), "drafts.title");
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "household.form_title");
    assert!(t.render(80, 24).contains("513333100200777777"));
    // Discarding it (Esc twice) removes the draft.
    t.key(Esc).key(Esc);
    assert!(t.store().drafts().unwrap().is_empty());
}

#[test]
fn the_register_pages_filters_and_sorts_from_the_database() {
    let mut t = TestApp::with_households(Lang::En, 300);
    t.chars("h");
    let page = 24 - 1 - 3 - 2; // rows: 24 minus title, status and list headings
    let first = t.render(80, 24);
    assert!(first.contains(&format!("1-{page} / 300")), "{first}");
    t.key(PageDown);
    assert!(
        t.render(80, 24)
            .contains(&format!("{}-{} / 300", page + 1, 2 * page))
    );
    t.key(End);
    assert!(
        t.render(80, 24)
            .contains(&format!("{}-300 / 300", 300 - page + 1))
    );
    // The township filter's count matches the database's.
    t.chars("t");
    let first_township = t.store().townships().unwrap()[0].meta.id;
    let q = HouseholdQuery {
        township_id: Some(first_township),
        ..Default::default()
    };
    let n = t.store().households_count(&q).unwrap();
    assert!(n > 0 && n < 300);
    assert!(t.render(80, 24).contains(&format!("/ {n}")));
    // Not visited this round (2026's start-of-year round).
    t.chars("u");
    let q = HouseholdQuery {
        township_id: Some(first_township),
        not_visited_in: Some("2026-start".into()),
        ..Default::default()
    };
    assert!(
        t.render(80, 24)
            .contains(&format!("/ {}", t.store().households_count(&q).unwrap()))
    );
    // Sorting by head name orders the rows by it.
    t.chars("u").chars("o");
    let rows = t
        .store()
        .households_page(
            &HouseholdQuery {
                sort: fieldbook::store::households::HouseholdSort::HeadName,
                township_id: Some(first_township),
                ..Default::default()
            },
            Page::First,
            3,
        )
        .unwrap();
    assert!(rows.windows(2).all(|w| w[0].head_name <= w[1].head_name));
    assert!(t.render(80, 24).contains(&rows[0].household.number));
}

fn snapshot(name: &str, code: &str, screen: String) {
    insta::with_settings!({ snapshot_suffix => code, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}

#[test]
fn register_household_and_visit_screens_in_every_language() {
    for (lang, code) in LANGS {
        let mut t = TestApp::with_households(lang, 40);
        t.chars("h");
        snapshot("register", code, t.render(80, 24));
        t.key(Enter);
        snapshot("household", code, t.render(80, 24));
        t.chars("e");
        snapshot("household_form", code, t.render(80, 24));
        t.key(Esc);
        t.key(Enter);
        snapshot("visit_form", code, t.render(80, 24));
    }
}

#[test]
fn form_rows_are_exactly_the_window_width_in_every_language() {
    for (lang, _) in LANGS {
        let mut t = TestApp::with_households(lang, 10);
        for (step, key) in [Char('h'), Enter, Char('e')].into_iter().enumerate() {
            t.key(key);
            for (i, line) in t.render(80, 24).lines().enumerate() {
                assert_eq!(
                    fieldbook::text::width(line),
                    80,
                    "{lang:?} at step {step}, row {i}: {line:?}"
                );
            }
        }
    }
}

#[test]
fn a_read_only_database_refuses_to_save_with_a_clear_message() {
    let t = TestApp::with_households(Lang::En, 3);
    let TestApp { app, dir } = t;
    let path = app.store.path().to_path_buf();
    drop(app);
    let store =
        fieldbook::store::Store::open(&path, fieldbook::store::OpenOptions::read_only()).unwrap();
    let mut t = TestApp::on(store, Lang::En, dir);
    t.chars("h").key(Enter).chars("e");
    // Said on opening, before anything is typed.
    let msg = t.app.message().expect("a message");
    assert_eq!(msg.key, "form.read_only");
    assert!(msg.error);
    let before = t.render(100, 30);
    // Moving keeps saying so; typing, choosing and saving change nothing
    // and say why again.
    t.times(3, Tab);
    assert!(t.render(100, 30).contains("nothing here can be changed"));
    assert!(
        !t.render(100, 30).contains("Ctrl-s"),
        "no key that changes is offered"
    );
    t.key(Left).chars("9").ctrl('s');
    let msg = t.app.message().expect("a message");
    assert_eq!(msg.key, "form.read_only", "{}", t.render(100, 30));
    let after = t.render(100, 30);
    let fields = |s: &str| s.lines().skip(1).take(20).collect::<Vec<_>>().join("\n");
    assert_eq!(fields(&before), fields(&after));
    assert!(
        t.render(100, 24).contains("open read-only"),
        "{}",
        t.render(100, 24)
    );
}

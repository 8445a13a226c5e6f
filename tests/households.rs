//! The household register and visit surveys, driven by keys over a
//! temporary database: create a household with three members and a visit,
//! edit, return and resubmit, drafts, validation, history, paging.

#[path = "support/db.rs"]
mod db;
mod support;

use chrono::NaiveDate;
use fieldbook::domain::id_number::check_char;
use fieldbook::domain::records::{Household, Person, RowMeta, Village, Visit};
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
    let returned = Catalog::builtin().text(Lang::En, "code.visit_status.returned");
    assert!(
        first_row.contains(&returned) && first_row.contains("收入请核实"),
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
fn the_register_pages_through_the_database() {
    let mut t = TestApp::with_households(Lang::En, 300);
    t.chars("h");
    // At 80x24 the list has 18 rows.
    let first = t.render(80, 24);
    assert!(first.contains("1-18 / 300"), "{first}");
    t.key(PageDown);
    let second = t.render(80, 24);
    assert!(second.contains("19-36 / 300"), "{second}");
    t.key(End);
    let last = t.render(80, 24);
    assert!(last.contains("283-300 / 300"), "{last}");
    t.key(PageUp);
    let before_last = t.render(80, 24);
    assert!(before_last.contains("265-282 / 300"), "{before_last}");
}

/// A village `code` in the township `township`.
fn village_in(t: &mut TestApp, township: &str, code: &str, name: &str) -> Village {
    let township = t.store().township_by_code(township).unwrap().unwrap();
    let mut v = Village {
        meta: RowMeta::new(),
        code: code.to_owned(),
        township_id: township.meta.id,
        name_zh: name.to_owned(),
        ..Village::default()
    };
    t.store().save(&mut v).unwrap();
    v
}

/// A household written out by hand: number, village, registered poor,
/// members as (Chinese name, Tibetan name, relation), visits as (date, round).
type HandMade<'a> = (
    &'a str,
    &'a Village,
    bool,
    &'a [(&'a str, &'a str, &'a str)],
    &'a [(&'a str, &'a str)],
);

/// Thirteen households whose head names, numbers, townships, poverty flags and
/// visits were chosen by hand, so every order and filter of the register
/// below is known without asking the store.
fn register_by_hand(t: &mut TestApp) {
    let a = village_in(t, "513333100", "513333100201", "德钦村");
    let b = village_in(t, "513333101", "513333101201", "翁达村");
    let households: [HandMade<'_>; 13] = [
        ("513333100201000001", &a, true, &[("扎西", "", "head")], &[]),
        // The head is not first on the roster: the register names the head.
        (
            "513333100201000002",
            &a,
            false,
            &[("阿木", "", "child"), ("丁二", "", "head")],
            &[],
        ),
        (
            "513333100201000003",
            &a,
            true,
            &[("扎西", "", "head")],
            &[("2027-01-10", "2027-start")],
        ),
        (
            "513333100201000004",
            &a,
            false,
            &[("", "བཀྲ་ཤིས", "head")],
            &[],
        ),
        (
            "513333100201000005",
            &a,
            true,
            &[("丁一", "", "head")],
            &[("2026-02-01", "2026-start")],
        ),
        (
            "513333100201000006",
            &a,
            false,
            &[("卓玛", "སྒྲོལ་མ", "head")],
            &[("2026-02-02", "2026-start"), ("2027-02-15", "2027-start")],
        ),
        ("513333100201000007", &a, true, &[("阿旺", "", "head")], &[]),
        (
            "513333100201000008",
            &a,
            false,
            &[("扎西", "", "head")],
            &[],
        ),
        ("513333101201000009", &b, true, &[("丁一", "", "head")], &[]),
        (
            "513333101201000010",
            &b,
            false,
            &[("王五", "", "head")],
            &[],
        ),
        (
            "513333101201000011",
            &b,
            true,
            &[("丁一", "", "head")],
            &[("2027-01-20", "2027-start")],
        ),
        (
            "513333101201000012",
            &b,
            false,
            &[("才让", "", "head")],
            &[],
        ),
        (
            "513333101201000013",
            &b,
            true,
            &[("", "ཀུན་བཟང", "head")],
            &[],
        ),
    ];
    for (number, village, poor, members, visits) in households {
        let mut h = Household {
            meta: RowMeta::new(),
            number: number.to_owned(),
            village_id: village.meta.id,
            registered_poor: poor,
            ..Household::default()
        };
        let mut people: Vec<Person> = members
            .iter()
            .map(|(zh, bo, relation)| Person {
                name_zh: (*zh).to_owned(),
                name_bo: (*bo).to_owned(),
                relation: (*relation).to_owned(),
                ..Person::default()
            })
            .collect();
        t.store().save_household(&mut h, &mut people).unwrap();
        for (date, round) in visits {
            let mut v = Visit {
                meta: RowMeta::new(),
                household_id: h.meta.id,
                visit_date: date.parse().unwrap(),
                round: (*round).to_owned(),
                visit_type: "annual".to_owned(),
                status: "draft".to_owned(),
                ..Visit::default()
            };
            t.store().save_visit(&mut v, &mut []).unwrap();
        }
    }
}

/// The last two digits of each household number the register shows, top to bottom.
fn register_rows(t: &TestApp, height: u16) -> Vec<String> {
    t.render(80, height)
        .lines()
        .filter_map(|l| l.strip_prefix(" 513333"))
        .map(|l| l[10..12].to_owned())
        .collect()
}

#[test]
fn the_register_filters_and_sorts_households_chosen_by_hand() {
    let mut t = TestApp::new(Lang::En);
    // In 2027: this year's round is 2027-start, and a 2026 visit is last year's.
    t.app.today = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    register_by_hand(&mut t);
    t.chars("h");
    let all: Vec<String> = (1..=13).map(|n| format!("{n:02}")).collect();
    assert_eq!(register_rows(&t, 24), all, "by number");
    // By head's name: code point order (Tibetan script before Chinese,
    // 丁 U+4E01, 卓 U+5353, 才 U+624D, 扎 U+624E, 王 U+738B, 阿 U+963F;
    // 一 before 二), equal names by number.
    t.chars("o");
    assert_eq!(
        register_rows(&t, 24),
        [
            "13", "04", "05", "09", "11", "02", "06", "12", "01", "03", "08", "10", "07"
        ],
        "by head's name\n{}",
        t.render(80, 24)
    );
    // By last visit: never visited first (by number), then oldest first.
    t.chars("o");
    assert_eq!(
        register_rows(&t, 24),
        [
            "01", "02", "04", "07", "08", "09", "10", "12", "13", "05", "03", "11", "06"
        ],
        "by last visit\n{}",
        t.render(80, 24)
    );
    t.chars("o");
    assert_eq!(register_rows(&t, 24), all, "by number again");
    // Registered poor only, then not poor only.
    t.chars("p");
    assert_eq!(
        register_rows(&t, 24),
        ["01", "03", "05", "07", "09", "11", "13"]
    );
    t.chars("p");
    assert_eq!(register_rows(&t, 24), ["02", "04", "06", "08", "10", "12"]);
    t.chars("p");
    // Not visited in this year's round: the 2026 visit of 05 does not count.
    t.chars("u");
    assert_eq!(
        register_rows(&t, 24),
        ["01", "02", "04", "05", "07", "08", "09", "10", "12", "13"]
    );
    // ... in the first township (色柯镇, 513333100), then the second.
    t.chars("t");
    assert_eq!(register_rows(&t, 24), ["01", "02", "04", "05", "07", "08"]);
    t.chars("t");
    assert_eq!(register_rows(&t, 24), ["09", "10", "12", "13"]);
    t.chars("u");
    assert_eq!(register_rows(&t, 24), ["09", "10", "11", "12", "13"]);
}

#[test]
fn the_register_pages_in_head_name_order() {
    let mut t = TestApp::new(Lang::En);
    register_by_hand(&mut t);
    // The smallest window: 10 rows a page, so the thirteen take two pages;
    // the first ends between two heads named 扎西 (03 and 08), the last
    // starts between two named 丁一 (05 and 09).
    t.app.size = (80, 16);
    t.chars("h").chars("o");
    let first_page = ["13", "04", "05", "09", "11", "02", "06", "12", "01", "03"];
    assert_eq!(register_rows(&t, 16), first_page, "{}", t.render(80, 16));
    // Page-down reads on from the last row's (name, number): the page ends
    // with the last household, as a full page.
    let last_page = ["09", "11", "02", "06", "12", "01", "03", "08", "10", "07"];
    t.key(PageDown);
    assert_eq!(register_rows(&t, 16), last_page, "{}", t.render(80, 16));
    t.key(PageUp);
    assert_eq!(register_rows(&t, 16), first_page, "{}", t.render(80, 16));
    t.key(End);
    assert_eq!(register_rows(&t, 16), last_page, "{}", t.render(80, 16));
    t.key(KeyCode::Home);
    assert_eq!(register_rows(&t, 16), first_page, "{}", t.render(80, 16));
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
    let before = db::Image::of(&path);
    let store =
        fieldbook::store::Store::open(&path, fieldbook::store::OpenOptions::read_only()).unwrap();
    let mut t = TestApp::on(store, Lang::En, dir);
    t.chars("h").key(Enter).chars("e");
    // Said on opening, before anything is typed.
    let msg = t.app.message().expect("a message");
    assert_eq!(msg.key, "form.read_only");
    assert!(msg.error);
    let shown_before = t.render(100, 30);
    // Moving keeps saying so; typing, choosing and saving change nothing
    // and say why again.
    t.times(3, Tab);
    assert!(t.render(100, 30).contains("nothing here can be changed"));
    assert!(
        !t.render(100, 30).contains("Ctrl-s"),
        "no key that changes is offered"
    );
    t.key(Left).chars("9");
    assert_eq!(t.app.message().map(|m| m.key), Some("form.read_only"));
    t.ctrl('s');
    let msg = t.app.message().expect("a message");
    assert_eq!(
        msg.key,
        "store.read_only_no_changes",
        "{}",
        t.render(100, 30)
    );
    let after = t.render(100, 30);
    let fields = |s: &str| s.lines().skip(1).take(20).collect::<Vec<_>>().join("\n");
    assert_eq!(fields(&shown_before), fields(&after));
    // The message line says so, naming the file's mode.
    assert!(
        t.render(100, 24).contains("open read-only"),
        "{}",
        t.render(100, 24)
    );
    // Typing went on meanwhile (drafts are skipped): nothing was written.
    t.app.flush_drafts();
    let TestApp { app, dir: _dir } = t;
    drop(app);
    before.assert_unchanged(&path, "the read-only app");
}

/// The test's date is 2026-11-27 ([`TestApp`]). Each pair of birth dates
/// sits on one side of an edge of the working ages 16 to 60: 15 (16
/// tomorrow), 16 (since today), 60 (61 tomorrow), 61 (since today).
const AGED_15: &str = "2010-11-28";
const AGED_16: &str = "2010-11-27";
const AGED_60: &str = "1965-11-28";
const AGED_61: &str = "1965-11-27";

/// From the first field of a new member: its Chinese name, then the birth
/// date typed key by key (no ID number); relation: child.
fn member_by_birth_date(t: &mut TestApp, name: &str, birth: &str) {
    t.chars(name).times(4, Tab); // Tibetan name, ID number, sex
    t.chars(birth).key(Tab);
    t.times(3, Right); // relation: child
}

/// From the first field of a new member: its Chinese name, then its ID
/// number typed key by key (sex and birth date follow from it); relation: child.
fn member_by_id_number(t: &mut TestApp, name: &str, id: &str) {
    t.chars(name).times(2, Tab);
    t.chars(id).times(3, Tab); // sex, birth date: filled
    t.times(3, Right);
}

#[test]
fn the_household_form_suggests_labourers_from_16_to_60_inclusive() {
    let mut t = TestApp::with_households(Lang::En, 1);
    t.chars("h").chars("n");
    t.chars("513333100200900002").key(Tab).key(Right).key(Tab);
    t.times(3, Tab); // phone, registered poor, exit year
    // The head: born on the first day of 1980 (46), typed as a date.
    t.chars("户主").times(4, Tab).chars("1980-01-01").key(Tab);
    let members = [
        ("生日十五", AGED_15, None),
        ("生日十六", AGED_16, None),
        ("生日六十", AGED_60, None),
        ("生日六一", AGED_61, None),
        ("身份十五", AGED_15, Some(id_number("51333320101128002"))),
        ("身份十六", AGED_16, Some(id_number("51333320101127002"))),
        ("身份六十", AGED_60, Some(id_number("51333319651128002"))),
        ("身份六一", AGED_61, Some(id_number("51333319651127002"))),
    ];
    for (name, birth, id) in &members {
        t.ctrl('n');
        match id {
            None => member_by_birth_date(&mut t, name, birth),
            Some(id) => member_by_id_number(&mut t, name, id),
        }
    }
    t.ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(100, 40)
    );
    let h = t
        .store()
        .household_by_number("513333100200900002")
        .unwrap()
        .expect("saved");
    let saved: Vec<(String, String, bool)> = t
        .store()
        .members(h.meta.id)
        .unwrap()
        .into_iter()
        .map(|p| {
            let birth = p.birth_date.map(|d| d.to_string()).unwrap_or_default();
            (p.name_zh, birth, p.is_labourer)
        })
        .collect();
    let expected: Vec<(String, String, bool)> = [
        ("户主", "1980-01-01", true),
        ("生日十五", "2010-11-28", false),
        ("生日十六", "2010-11-27", true),
        ("生日六十", "1965-11-28", true),
        ("生日六一", "1965-11-27", false),
        ("身份十五", "2010-11-28", false),
        ("身份十六", "2010-11-27", true),
        ("身份六十", "1965-11-28", true),
        ("身份六一", "1965-11-27", false),
    ]
    .into_iter()
    .map(|(n, b, l)| (n.to_owned(), b.to_owned(), l))
    .collect();
    assert_eq!(saved, expected);
}

#[test]
fn a_labourer_answered_by_hand_is_not_overwritten_by_the_suggestion() {
    let mut t = TestApp::with_households(Lang::En, 1);
    t.chars("h").chars("n");
    t.chars("513333100200900003").key(Tab).key(Right).key(Tab);
    t.times(3, Tab);
    // The head, 61: the surveyor marks him a labourer (he herds) before
    // typing his birth date; the suggestion ("no") must not undo that.
    t.chars("老牧人").times(7, Tab); // to the labourer question
    t.key(Right); // Labourer: yes
    t.times(3, BackTab); // back to the birth date
    t.chars(AGED_61).key(Tab);
    // A second member, 30: suggested "yes", answered "no" by hand (a
    // student), then the birth date corrected to another working age.
    t.ctrl('n');
    t.chars("学生").times(4, Tab).chars("1996-05-05").key(Tab);
    t.times(3, Right).times(2, Tab); // relation: child; education
    t.key(Right); // Labourer: yes (suggested) -> no
    t.times(3, BackTab);
    t.key(End).times(10, Backspace).chars("1997-06-06").key(Tab);
    t.ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(100, 30)
    );
    let h = t
        .store()
        .household_by_number("513333100200900003")
        .unwrap()
        .expect("saved");
    let saved: Vec<(String, String, bool)> = t
        .store()
        .members(h.meta.id)
        .unwrap()
        .into_iter()
        .map(|p| (p.name_zh, p.birth_date.unwrap().to_string(), p.is_labourer))
        .collect();
    assert_eq!(
        saved,
        [
            ("老牧人".to_owned(), AGED_61.to_owned(), true),
            ("学生".to_owned(), "1997-06-06".to_owned(), false),
        ],
        "the surveyor's answers stand"
    );
}

/// A household saved through the store, in the app's first village, with
/// these members (Chinese name, birth date, marked as a labourer).
fn household_of(
    t: &mut TestApp,
    number: &str,
    members: &[(&str, Option<&str>, bool)],
) -> Household {
    let village = t.store().list_page::<Village>(None, 1).unwrap().remove(0);
    // The county's form: the village's code and six more digits.
    let number = format!("{}{}", village.code, &number[number.len() - 6..]);
    let mut h = Household {
        meta: RowMeta::new(),
        number,
        village_id: village.meta.id,
        registered_poor: true,
        ..Household::default()
    };
    let mut people: Vec<Person> = members
        .iter()
        .enumerate()
        .map(|(i, (name, birth, labourer))| Person {
            name_zh: (*name).to_owned(),
            birth_date: birth.map(|b| b.parse().unwrap()),
            is_labourer: *labourer,
            relation: if i == 0 { "head" } else { "child" }.to_owned(),
            ..Person::default()
        })
        .collect();
    t.store().save_household(&mut h, &mut people).unwrap();
    h
}

/// The headings of the visit form's blocks (`▸ name`), one per member asked about.
fn labourer_blocks(t: &TestApp) -> Vec<String> {
    t.render(80, 80)
        .lines()
        .filter_map(|l| l.strip_prefix(" ▸ "))
        .map(|l| l.trim().to_owned())
        .collect()
}

#[test]
fn the_visit_form_asks_about_members_aged_16_to_60_inclusive_or_marked_labourers() {
    let mut t = TestApp::with_households(Lang::En, 1);
    let h = household_of(
        &mut t,
        "5133339990000004",
        &[
            ("满十五", Some(AGED_15), false),
            ("满十六", Some(AGED_16), false),
            ("满六十", Some(AGED_60), false),
            ("满六一", Some(AGED_61), false),
            ("老劳力", Some("1950-03-01"), true),
            ("无生日", None, false),
            ("无生日劳力", None, true),
        ],
    );
    t.app
        .open(fieldbook::tui::screen::Route::Household(h.meta.id));
    t.chars("n");
    assert_eq!(t.app.screen_title_key(), "visit.form_title");
    assert_eq!(
        labourer_blocks(&t),
        ["满十六", "满六十", "老劳力", "无生日劳力"],
        "{}",
        t.render(80, 80)
    );
    // Saved: one answer for each member asked about, none for the others.
    t.times(4, Tab);
    for _ in 0..4 {
        t.times(7, Right).times(4, Tab); // not employed; the block's other fields
    }
    t.ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(80, 80)
    );
    let visit = t.store().visits_of(h.meta.id).unwrap().remove(0);
    let members = t.store().members(h.meta.id).unwrap();
    let mut asked: Vec<String> = t
        .store()
        .visit_answers(visit.meta.id)
        .unwrap()
        .iter()
        .map(|a| {
            members
                .iter()
                .find(|p| p.meta.id == a.person_id)
                .unwrap()
                .name_zh
                .clone()
        })
        .collect();
    asked.sort();
    let mut expected = ["满十六", "满六十", "老劳力", "无生日劳力"];
    expected.sort();
    assert_eq!(asked, expected);
}

#[test]
fn a_new_visit_is_dated_today_in_the_start_of_year_round_of_todays_year() {
    // (The store checks a round against the real clock: at most next year.)
    for (today, round) in [("2027-01-04", "2027-start"), ("2025-12-31", "2025-start")] {
        let mut t = TestApp::with_households(Lang::En, 1);
        t.app.today = today.parse().unwrap();
        let h = household_of(
            &mut t,
            "5133339990000005",
            &[("老人", Some("1940-01-01"), false)],
        );
        t.app
            .open(fieldbook::tui::screen::Route::Household(h.meta.id));
        t.chars("n").ctrl('s');
        assert_eq!(
            t.app.message().map(|m| m.key),
            Some("form.saved"),
            "{}",
            t.render(80, 24)
        );
        let v = t.store().visits_of(h.meta.id).unwrap().remove(0);
        assert_eq!(
            (v.visit_date.to_string().as_str(), v.round.as_str()),
            (today, round)
        );
    }
}

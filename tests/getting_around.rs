//! Getting around, as a tired surveyor would: the first steps on a new
//! database, nothing saved without an operator, choice lists that filter as
//! one types, every home entry and register column at the smallest window,
//! drafts and visits that say whose they are, review from the review list.

mod support;

use fieldbook::domain::records::Village;
use fieldbook::i18n::{Catalog, Lang};
use ratatui::crossterm::event::KeyCode::*;
use support::{LANGS, TestApp, draft_visit, first_household};

/// Fills the village form from its first field (township preset).
fn fill_village(t: &mut TestApp, last3: &str, name: &str) {
    t.key(Tab).key(End).chars(last3).key(Tab).chars(name);
}

#[test]
fn a_new_database_says_what_to_do_first_and_saves_nothing_without_an_operator() {
    let mut t = TestApp::first_start(Lang::En);
    let home = t.render(80, 24);
    assert!(home.contains("First steps"), "{home}");
    assert!(
        home.contains("· 1. Set your name as the operator"),
        "{home}"
    );
    assert!(home.contains("· 2. Add villages (v)"), "{home}");
    // A village typed before the operator is set: refused by the store,
    // said in the form, nothing saved.
    t.chars("v").chars("n");
    fill_village(&mut t, "201", "德钦村");
    t.ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("store.error.no_operator"),
        "{}",
        t.render(80, 24)
    );
    assert!(!t.store().any::<Village>().unwrap());
    assert!(t.render(120, 24).contains("Nothing was saved"));
    // The store refuses whoever asks, not only the form.
    let mut v = Village {
        code: "513333100202".into(),
        township_id: t.store().townships().unwrap()[0].meta.id,
        name_zh: "尼达村".into(),
        ..Village::default()
    };
    assert!(matches!(
        t.store().save(&mut v),
        Err(fieldbook::store::StoreError::NoOperator { .. })
    ));
    // The operator set in Settings: the first step is ticked, saving works.
    t.key(Esc).key(Esc).key(Esc).key(Esc);
    assert_eq!(t.app.screen_title_key(), "home.title");
    t.chars("s").chars("卓玛").ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("settings.saved"));
    t.key(Esc);
    assert!(t.render(80, 24).contains("✓ 1."), "{}", t.render(80, 24));
    t.chars("v").chars("n");
    fill_village(&mut t, "201", "德钦村");
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved"));
    t.key(Esc).key(Esc);
    let home = t.render(80, 24);
    assert!(home.contains("✓ 2.") && home.contains("· 3."), "{home}");
    // Once households exist the steps are gone.
    t.chars("h").chars("n");
    t.chars("513333100201000001")
        .key(Tab)
        .key(Right)
        .times(4, Tab);
    t.chars("次仁").ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(80, 30)
    );
    t.key(Esc).key(Esc).key(Esc);
    assert_eq!(t.app.screen_title_key(), "home.title");
    assert!(!t.render(80, 24).contains("First steps"));
}

#[test]
fn every_home_entry_and_register_column_is_visible_at_the_smallest_window() {
    let cat = Catalog::builtin();
    for (lang, _) in LANGS {
        for first_start in [true, false] {
            let mut t = if first_start {
                TestApp::first_start(lang)
            } else {
                TestApp::with_households(lang, 3)
            };
            t.app.size = (60, 16);
            let home = t.render(60, 16);
            for key in [
                "register.title",
                "search.title",
                "review.title",
                "villages.title",
                "drafts.title",
                "settings.title",
            ] {
                let title = cat.text(lang, key);
                let shown = fieldbook::text::truncate(&title, 20);
                let head: String = shown.chars().take(2).collect();
                assert!(home.contains(&head), "{lang:?}: {key} not on\n{home}");
            }
            if first_start {
                continue;
            }
            t.chars("h");
            let register = t.render(60, 16);
            for key in [
                "register.col.number",
                "register.col.head",
                "register.col.village",
                "register.col.members",
                "register.col.poor",
                "register.col.last_visit",
            ] {
                let (zh, _) = cat.pair(key);
                let text = match lang {
                    Lang::En => cat.text(Lang::En, key),
                    Lang::Bo => cat.text(Lang::Bo, key),
                    _ => zh.to_owned(),
                };
                let head: String = text.chars().take(1).collect();
                assert!(
                    register.contains(&head),
                    "{lang:?}: {key} not on\n{register}"
                );
            }
            // Every household row holds its whole 18-digit number.
            assert_eq!(
                register.matches("51333310").count(),
                3,
                "{lang:?}\n{register}"
            );
        }
    }
}

#[test]
fn a_choice_list_filters_as_one_types_and_pages() {
    let mut t = TestApp::with_households(Lang::En, 2);
    t.chars("h").chars("n").key(Tab).key(Enter);
    let list = t.render(100, 30);
    assert!(list.contains("Find:"), "{list}");
    // No Space offered to tick in a single choice.
    assert!(!list.contains("Space"), "{list}");
    // Pinyin initials, then Wylie, then Chinese, then a code: the list narrows.
    for typed in ["lkc", "lha khang", "拉康"] {
        t.chars(typed);
        let list = t.render(100, 30);
        let shown: Vec<&str> = list.lines().filter(|l| l.contains("村")).collect();
        assert!(
            shown.iter().all(|l| l.contains("拉康村")),
            "{typed}: {list}"
        );
        for _ in 0..typed.chars().count() {
            t.key(Backspace);
        }
    }
    t.chars("nothing-like-this");
    assert!(
        t.render(100, 30).contains("Nothing matches"),
        "{}",
        t.render(100, 30)
    );
    t.key(Enter);
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("picker.nothing_matches")
    );
    for _ in 0.."nothing-like-this".len() {
        t.key(Backspace);
    }
    // End goes to the last village, Home back to the first; Enter chooses.
    t.key(End).key(Enter);
    let villages = t.store().village_choices().unwrap();
    let last = villages.last().unwrap();
    let screen = t.render(100, 30);
    assert!(screen.contains(&last.name_zh), "{screen}");
    t.key(Enter).key(Home).key(PageDown).key(PageUp).key(Enter);
    assert!(t.render(100, 30).contains(&villages[0].name_zh));
}

#[test]
fn a_multiple_choice_ticks_with_space_and_offers_it() {
    let mut t = TestApp::with_households(Lang::En, 1);
    t.chars("h").key(Enter).chars("n");
    assert_eq!(t.app.screen_title_key(), "visit.form_title");
    // To the difficulties (a multiple choice), the first of the last section.
    let mut found = false;
    for _ in 0..40 {
        if t.render(100, 40)
            .lines()
            .any(|l| l.contains("Difficulties") && l.contains("‹"))
        {
            found = true;
            break;
        }
        t.key(Tab);
    }
    assert!(found, "{}", t.render(100, 40));
    t.key(Enter);
    let list = t.render(100, 40);
    assert!(list.contains("[ ]") && list.contains("Space"), "{list}");
    t.key(Char(' ')).key(Down).key(Char(' ')).key(Enter);
    let form = t.render(100, 40);
    let line = form.lines().find(|l| l.contains("Difficulties")).unwrap();
    assert!(line.contains(", "), "two ticked, listed: {line}");
}

#[test]
fn drafts_and_the_visit_form_say_whose_they_are() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let h = first_household(t.store());
    let head = t
        .store()
        .members(h.meta.id)
        .unwrap()
        .into_iter()
        .find(|p| p.relation == "head")
        .unwrap();
    t.chars("h").key(Enter).chars("n");
    let form = t.render(100, 30);
    let top = form.lines().nth(1).unwrap();
    assert!(
        top.contains(&h.number) && top.contains(&head.name_zh),
        "{form}"
    );
    // Typed, kept as a draft, listed with the household.
    t.times(2, Tab).chars("x");
    t.app.flush_drafts();
    // The laptop loses power; the app starts again and offers the draft.
    let path = t.store().path().to_path_buf();
    let TestApp { app, dir } = t;
    drop(app);
    let store =
        fieldbook::store::Store::open(&path, fieldbook::store::OpenOptions::create()).unwrap();
    let t = TestApp::on(store, Lang::En, dir);
    assert_eq!(t.app.screen_title_key(), "drafts.title");
    let drafts = t.render(100, 24);
    let row = drafts
        .lines()
        .find(|l| l.contains("Visit"))
        .unwrap_or_else(|| panic!("{drafts}"));
    assert!(
        row.contains(&h.number) && row.contains(&head.name_zh),
        "{drafts}"
    );
}

#[test]
fn a_supervisor_returns_a_visit_with_a_comment_from_the_review_list() {
    let mut t = TestApp::with_households(Lang::En, 2);
    let h = first_household(t.store());
    let (v, _) = draft_visit(t.store(), &h);
    t.store()
        .set_visit_status(v.meta.id, "submitted", "")
        .unwrap();
    t.store().set_setting("role", "supervisor").unwrap();
    t.chars("r");
    let list = t.render(100, 24);
    assert!(list.contains("r returns with a comment"), "{list}");
    let pos = t
        .store()
        .visits_by_status(&["submitted"], 100)
        .unwrap()
        .iter()
        .position(|r| r.visit.meta.id == v.meta.id)
        .unwrap();
    t.times(pos, Down).chars("r");
    assert_eq!(t.app.message().map(|m| m.key), Some("review.type_comment"));
    // An empty comment is refused; Esc would cancel.
    t.key(Enter);
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("review.comment_required")
    );
    t.chars("务工地点请补充").key(Enter);
    let now = t
        .store()
        .get::<fieldbook::domain::records::Visit>(v.meta.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (now.status.as_str(), now.review_comment.as_str()),
        ("returned", "务工地点请补充")
    );
}

#[test]
fn read_only_offers_no_key_that_changes_and_takes_none() {
    let t = TestApp::with_households(Lang::En, 3);
    let TestApp { app, dir } = t;
    let path = app.store.path().to_path_buf();
    drop(app);
    let store =
        fieldbook::store::Store::open(&path, fieldbook::store::OpenOptions::read_only()).unwrap();
    let mut t = TestApp::on(store, Lang::En, dir);
    t.chars("h");
    let register = t.render(120, 24);
    assert!(!register.contains("n New"), "{register}");
    t.chars("n");
    assert_eq!(t.app.screen_title_key(), "register.title");
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("store.read_only_no_changes")
    );
    t.key(Enter);
    let household = t.render(120, 24);
    for offered in ["n New visit", "s Submit", "a Approve", "r Return"] {
        assert!(!household.contains(offered), "{offered}: {household}");
    }
    assert!(household.contains("h History"), "{household}");
    t.chars("?");
    let rendered = t.render(120, 40);
    // The help box's lines (the screen behind it shows "Submitted").
    let help: String = rendered
        .lines()
        .filter(|l| l.contains('│'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !help.contains("Submit") && help.contains("History"),
        "{rendered}"
    );
}

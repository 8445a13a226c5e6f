//! The in-app search: `/` from any screen, results as you type, Enter opens
//! the household; snapshots in every language.

mod support;

use fieldbook::i18n::Lang;
use fieldbook::store::households::{HouseholdQuery, Page};
use ratatui::crossterm::event::KeyCode;
use support::{LANGS, TestApp};

/// A demo person with a Chinese and a Tibetan name, and their household number.
fn someone(t: &mut TestApp) -> (String, String, String) {
    let rows = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 20)
        .unwrap();
    for r in rows {
        for p in t.store().members(r.household.meta.id).unwrap() {
            if !p.name_zh.is_empty() && !p.name_bo.is_empty() {
                return (p.name_zh, p.name_bo, r.household.number);
            }
        }
    }
    panic!("no person with both names in the demo data");
}

#[test]
fn slash_opens_search_from_other_screens_and_results_follow_typing() {
    let mut t = TestApp::with_households(Lang::En, 20);
    let (zh, _, number) = someone(&mut t);
    t.chars("h"); // the register
    t.chars("/");
    assert_eq!(t.app.screen_title_key(), "search.title");
    t.chars(&zh);
    let screen = t.render(100, 30);
    assert!(screen.contains(&zh) && screen.contains(&number), "{screen}");
    // ID numbers are masked in the results.
    assert!(screen.contains("********"), "{screen}");
    // Enter opens the household of the selected result.
    t.key(KeyCode::Enter);
    assert_eq!(t.app.screen_title_key(), "household.title");
    assert!(t.render(100, 30).contains(&number));
}

#[test]
fn tibetan_names_are_found_by_script_and_by_wylie_typed_in_the_search_field() {
    let mut t = TestApp::with_households(Lang::Bo, 20);
    let (_, bo, number) = someone(&mut t);
    t.chars("/").chars(&bo);
    assert!(t.render(100, 30).contains(&number));
    // Clear, then type in Wylie with the field in Wylie mode: Tibetan appears, the search follows.
    for _ in 0..60 {
        t.key(KeyCode::Backspace);
    }
    t.key(KeyCode::F(3)).chars("bkra shis");
    let screen = t.render(100, 30);
    assert!(screen.contains("བཀྲ་ཤིས"), "{screen}");
}

#[test]
fn nothing_found_says_so() {
    let mut t = TestApp::with_households(Lang::En, 5);
    t.chars("/").chars("zzzzqqq");
    assert!(t.render(80, 24).contains("Nothing found."));
}

#[test]
fn search_screen_in_every_language() {
    for (lang, code) in LANGS {
        let mut t = TestApp::with_households(lang, 20);
        t.chars("/").chars("扎西");
        insta::with_settings!({ snapshot_suffix => code, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("search", t.render(80, 24));
        });
        for (i, line) in t.render(80, 24).lines().enumerate() {
            assert_eq!(
                fieldbook::text::width(line),
                80,
                "{lang:?} row {i}: {line:?}"
            );
        }
    }
}

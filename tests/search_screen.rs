//! The in-app search: `/` from any screen, results as you type, Enter opens
//! the household; snapshots in every language.

mod support;

use fieldbook::domain::records::{Household, Person, Village};
use fieldbook::i18n::{Catalog, Lang};
use ratatui::crossterm::event::KeyCode;
use support::{LANGS, TestApp};

/// The household number and ID number of 格萨尔 (གེ་སར), a name no demo
/// person has, added to the demo households of `t` in their first village.
const GESAR_HOUSEHOLD: &str = "513333100200009999";
const GESAR_MASKED: &str = "513333********001X";

fn gesar(t: &mut TestApp) -> String {
    let village = t.store().list_page::<Village>(None, 1).unwrap().remove(0);
    let mut h = Household {
        number: GESAR_HOUSEHOLD.to_owned(),
        village_id: village.meta.id,
        registered_poor: true,
        ..Household::default()
    };
    let mut people = [Person {
        name_zh: "格萨尔".to_owned(),
        name_bo: "གེ་སར".to_owned(),
        id_number: "51333319800101001X".to_owned(),
        relation: "head".to_owned(),
        ..Person::default()
    }];
    t.store().save_household(&mut h, &mut people).unwrap();
    village.name_zh
}

/// The result rows on the screen: lines with a masked ID number.
fn result_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .filter(|l| l.contains("513333****"))
        .collect()
}

#[test]
fn slash_opens_search_from_other_screens_and_results_follow_typing() {
    let mut t = TestApp::with_households(Lang::En, 20);
    let village = gesar(&mut t);
    t.chars("h"); // the register
    t.chars("/");
    assert_eq!(t.app.screen_title_key(), "search.title");
    // The first key already finds every 格 (格萨尔 and the demo's 格桑 ...).
    t.chars("格");
    let first_key = t.render(100, 30);
    assert!(result_rows(&first_key).len() > 1, "{first_key}");
    // The whole name finds the one person: the row shows what the query
    // did not hold (masked ID number, household number, village).
    t.chars("萨尔");
    let screen = t.render(100, 30);
    let rows = result_rows(&screen);
    assert_eq!(rows.len(), 1, "{screen}");
    for cell in ["格萨尔", GESAR_MASKED, GESAR_HOUSEHOLD, &village] {
        assert!(rows[0].contains(cell), "{cell} in {:?}", rows[0]);
    }
    // Enter opens the household of the selected result.
    t.key(KeyCode::Enter);
    assert_eq!(t.app.screen_title_key(), "household.title");
    assert!(t.render(100, 30).contains(GESAR_HOUSEHOLD));
}

#[test]
fn tibetan_names_are_found_by_script_and_by_wylie_typed_in_the_search_field() {
    let mut t = TestApp::with_households(Lang::Bo, 20);
    gesar(&mut t);
    t.chars("/").chars("གེ་སར");
    let screen = t.render(100, 30);
    let rows = result_rows(&screen);
    assert_eq!(rows.len(), 1, "{screen}");
    assert!(rows[0].contains(GESAR_HOUSEHOLD), "{screen}");
    // Clear, then type in Wylie with the field in Wylie mode: Tibetan
    // appears in the field, and the search follows it to the same person.
    t.times(20, KeyCode::Backspace);
    assert!(result_rows(&t.render(100, 30)).is_empty());
    t.key(KeyCode::F(3)).chars("ge sar");
    let screen = t.render(100, 30);
    assert!(screen.lines().nth(1).unwrap().contains("གེ་སར"), "{screen}");
    let rows = result_rows(&screen);
    assert_eq!(rows.len(), 1, "{screen}");
    assert!(
        rows[0].contains(GESAR_HOUSEHOLD) && rows[0].contains("གེ་སར"),
        "{screen}"
    );
}

#[test]
fn nothing_found_says_so() {
    let mut t = TestApp::with_households(Lang::En, 5);
    t.chars("/").chars("zzzzqqq");
    let screen = t.render(80, 24);
    assert!(
        screen.contains(&Catalog::builtin().text(Lang::En, "search.none")),
        "{screen}"
    );
    assert!(result_rows(&screen).is_empty());
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

//! A busy or damaged database is never shown as an empty list: every read a
//! screen makes either shows its data or puts its error on the message line.

#[path = "support/db.rs"]
mod db;
mod support;

use std::time::Duration;

use fieldbook::i18n::{Catalog, Lang, Localized};
use fieldbook::store::households::{HouseholdQuery, Page};
use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::screen::Route;
use ratatui::crossterm::event::KeyCode::*;
use rusqlite::Connection;
use support::TestApp;

/// Another program in the middle of a long write (as the first import into
/// a new database is): a rollback journal and an exclusive lock kept open.
fn hold(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE; UPDATE household SET phone = phone;")
        .unwrap();
    conn
}

/// An app, read-only (as over SSH), on a database of 5 demo households
/// that is in rollback-journal mode (as during a first import), and the
/// database as it was before the app opened it.
fn read_only_app() -> (TestApp, db::Image) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fieldbook.db");
    {
        let mut s = Store::open(&path, OpenOptions::create()).unwrap();
        s.set_operator("扎西");
        fieldbook::demo::generate(&mut s, 5, 1).unwrap();
    }
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    drop(conn);
    let before = db::Image::of(&path);
    let store = Store::open(&path, OpenOptions::read_only()).unwrap();
    (TestApp::on(store, Lang::En, dir), before)
}

#[test]
fn screens_opened_on_a_held_database_say_so_instead_of_showing_nothing() {
    let (mut t, before) = read_only_app();
    let path = t.store().path().to_path_buf();
    let household = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 1)
        .unwrap()
        .remove(0)
        .household;
    t.store()
        .set_busy_timeout(Duration::from_millis(50))
        .unwrap();
    let busy = Catalog::builtin().format(
        Lang::En,
        "store.error.busy",
        &[("path", &path.display().to_string())],
    );
    let lock = hold(&path);

    // The register.
    t.chars("h");
    assert_eq!(t.app.screen_title_key(), "register.title");
    assert_eq!(t.app.message().map(|m| m.key), Some("store.error.busy"));
    let screen = t.render(200, 24);
    assert!(screen.contains(&busy[..60]), "{screen}");

    // A search.
    t.key(Esc).chars("/").chars("zhaxi");
    assert_eq!(t.app.screen_title_key(), "search.title");
    assert_eq!(t.app.message().map(|m| m.key), Some("store.error.busy"));
    let none = Catalog::builtin().text(Lang::En, "search.none");
    assert!(!t.render(200, 24).contains(&none), "{}", t.render(200, 24));

    // A household.
    t.key(Esc);
    t.app.open(Route::Household(household.meta.id));
    assert_eq!(t.app.screen_title_key(), "household.title");
    assert_eq!(t.app.message().map(|m| m.key), Some("store.error.busy"));
    let msg = t
        .app
        .message()
        .unwrap()
        .message(&Catalog::builtin(), Lang::En);
    assert_eq!(msg, busy);

    // Once the other program lets go, the same screens show their data.
    drop(lock);
    t.key(Esc).chars("h");
    assert_eq!(t.app.message(), None);
    assert!(t.render(120, 24).contains(&household.number));
    let TestApp { app, dir: _dir } = t;
    drop(app);
    before.assert_unchanged(&path, "the read-only app");
}

#[test]
fn names_holding_terminal_control_are_drawn_without_it() {
    let mut t = support::TestApp::with_households(Lang::En, 3);
    let path = t.store().path().to_path_buf();
    let household = t
        .store()
        .households_page(&HouseholdQuery::default(), Page::First, 1)
        .unwrap()
        .remove(0)
        .household;
    // Written by another program: an escape sequence, a bell and a
    // right-to-left override in a member's name.
    fieldbook::store::execute_raw(
        &path,
        &format!(
            "UPDATE person SET name_zh = '扎西' || char(27) || '[2J' || char(7) || char(8238) || '泽仁' \
             WHERE household_id = '{}'",
            household.meta.id
        ),
    )
    .unwrap();
    t.app.open(Route::Household(household.meta.id));
    let screen = t.render(100, 24);
    assert!(screen.contains("扎西[2J泽仁"), "{screen}");
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!screen.contains(c), "{c:?} drawn");
    }
    t.key(Esc).key(Esc).chars("h");
    assert!(!t.render(100, 24).contains('\u{202e}'));
}

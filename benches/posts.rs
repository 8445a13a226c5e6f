//! Public-welfare posts on the 100,000-household demo database (35,000
//! posts: the demo keeps the report's 0.35 posts a household, ten times
//! the 3,500 the targets are set for):
//!
//! - the posts list opened from home and drawn at 100×30 (target 50 ms),
//!   then on it the vacancies view and the list's end;
//! - a township's monthly payroll prepared from its attendance: November
//!   2026's, which the demo leaves unprepared; each run on entries deleted
//!   first, so every run creates them all (target 1 s);
//! - `fieldbook payroll --month 2026-11` printed by the release binary,
//!   start to exit, for the whole county and for one township (target 200 ms).
//!
//! Each is timed `RUNS` times (default 10) and the median and the worst
//! printed. The database is made once with the demo generator and kept
//! under `target/bench-data/` (shared with the register benchmark).
//!
//! Run: `cargo bench --bench posts`

mod common;

use std::time::{Duration, Instant};

use common::database;
use fieldbook::domain::posts::Month;
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store, execute_raw};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn report(what: &str, mut times: Vec<Duration>, extra: &str) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, best {:.1} ms, worst {:.1} ms over {} runs{extra}",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(*times.last().unwrap()),
        times.len()
    );
}

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10);
    let db = database(100_000);

    // The posts list, opened from home and drawn.
    let mut times = Vec::new();
    let mut shown = String::new();
    for _ in 0..runs {
        let store = Store::open(&db, OpenOptions::default()).unwrap();
        let mut app = App::new(store, Catalog::builtin(), Lang::Zh);
        // The size the app is told, as the terminal tells it: the list
        // reads the rows that fit.
        app.size = (100, 30);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let t = Instant::now();
        app.handle_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::NONE));
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
        times.push(t.elapsed());
        assert_eq!(app.screen_title_key(), "posts.title");
        shown = format!(
            "{:?}",
            terminal.backend().buffer().content[100 * 2].symbol()
        );
    }
    let _ = shown;
    report("posts list open (35,000 posts)", times, "");

    // On the open list: the vacancies (a filter over every post, none
    // vacant in the demo), then the list's end (the last page by key).
    for (what, key) in [
        ("posts list, vacancies only", KeyCode::Char('v')),
        ("posts list, End (vacancies off)", KeyCode::End),
    ] {
        let mut times = Vec::new();
        for _ in 0..runs {
            let store = Store::open(&db, OpenOptions::default()).unwrap();
            let mut app = App::new(store, Catalog::builtin(), Lang::Zh);
            app.size = (100, 30);
            let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
            app.handle_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::NONE));
            let t = Instant::now();
            app.handle_key(KeyEvent::new(key, KeyModifiers::NONE));
            terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
            times.push(t.elapsed());
        }
        report(what, times, "");
    }

    // A township's payroll prepared.
    let mut store = Store::open(&db, OpenOptions::default()).unwrap();
    store.set_operator("bench");
    let nov = Month::parse("2026-11").unwrap();
    let townships = store.townships().unwrap();
    let (township, holders) = townships
        .iter()
        .map(|t| (t, store.missing_attendance(t.meta.id, nov).unwrap()))
        .max_by_key(|(_, n)| *n)
        .map(|(t, _)| {
            let n = store
                .village_posts(Some(t.meta.id), None)
                .unwrap()
                .iter()
                .map(|v| v.filled)
                .sum::<i64>();
            (t.clone(), n)
        })
        .unwrap();
    let mut times = Vec::new();
    let mut created = 0;
    for _ in 0..runs.min(5) {
        drop(store);
        execute_raw(&db, "DELETE FROM subsidy_payment WHERE month = '2026-11';").unwrap();
        store = Store::open(&db, OpenOptions::default()).unwrap();
        store.set_operator("bench");
        let t = Instant::now();
        let p = store.prepare_payroll(township.meta.id, nov).unwrap();
        times.push(t.elapsed());
        created = p.created;
    }
    report(
        &format!(
            "payroll prepared, township {} ({holders} holders)",
            township.code
        ),
        times,
        &format!(", {created} entries created each run"),
    );
    // Every township's November prepared, for the county's payroll below.
    for t in &townships {
        store.prepare_payroll(t.meta.id, nov).unwrap();
    }
    drop(store);

    // `fieldbook payroll` as a process.
    let bin = env!("CARGO_BIN_EXE_fieldbook");
    for (what, args) in [
        (
            "payroll printed, one township",
            vec!["--township", township.code.as_str()],
        ),
        ("payroll printed, the whole county", vec![]),
    ] {
        let mut times = Vec::new();
        let mut lines = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let out = std::process::Command::new(bin)
                .arg("--db")
                .arg(&db)
                .args(["--lang", "zh", "payroll", "--month", "2026-11"])
                .args(&args)
                .output()
                .unwrap();
            times.push(t.elapsed());
            assert!(out.status.success());
            lines = out.stdout.iter().filter(|b| **b == b'\n').count();
        }
        report(what, times, &format!(", {lines} lines"));
    }
    execute_raw(&db, "DELETE FROM subsidy_payment WHERE month = '2026-11';").unwrap();
}

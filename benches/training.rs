//! Training on the 100,000-household demo database (its 1,629 sessions and
//! 55,380 trainees, the county report's 34 a session): the session list
//! opened, a 60-trainee roster opened, and the training-needs list opened,
//! each as a key pressed and the screen drawn at 80x24 exactly as the app
//! does. Targets: session list and roster under 50 ms, needs under 200 ms.
//!
//! The database is the register benchmark's, copied once with one more
//! session of 60 trainees starting last (so it heads the session list).
//!
//! Run: `cargo bench --bench training`

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::{draw, press};
use criterion::{Criterion, criterion_group, criterion_main};
use fieldbook::domain::records::{Person, TrainingSession};
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

const HOUSEHOLDS: u32 = 100_000;

/// The demo with a session of sixty adults, one from each of sixty households.
fn database() -> PathBuf {
    common::demo_database("training", HOUSEHOLDS, sixty)
}

fn sixty(store: &mut Store) {
    // Sixty adults, one from each of sixty households.
    let course = store.courses().unwrap().remove(0);
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut s = TrainingSession {
        course_id: course.meta.id,
        period: 99,
        mode: "to_villages".into(),
        start_date: day(2027, 3, 1),
        end_date: day(2027, 3, 20),
        capacity: 60,
        target_group: "poor_labourers".into(),
        code: format!("{}-2027-99", course.code),
        status: "planned".into(),
        ..TrainingSession::default()
    };
    store.save(&mut s).unwrap();
    let mut n = 0;
    for p in store.list_page::<Person>(None, 20_000).unwrap() {
        let adult = p.birth_date.is_some_and(|b| b < day(1990, 1, 1));
        if n < 60
            && adult
            && p.relation == "head"
            && store.enrol(s.meta.id, p.meta.id, false).is_ok()
        {
            n += 1;
        }
    }
    assert_eq!(n, 60, "sixty trainees");
}

fn training(c: &mut Criterion) {
    let path = database();
    let mut store = Store::open(&path, OpenOptions::read_only()).unwrap();
    store.set_operator("bench");
    let mut app = App::new(store, Catalog::builtin(), Lang::ZhBo);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut group = c.benchmark_group("training");
    // Checked once: what is measured is the screen asked for.
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.screen_title_key(), "training.title");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen_title_key(), "roster.title");
    let roster = draw(&app, &mut terminal);
    assert!(roster.contains("60/60"), "the 60-trainee roster");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('w'));
    assert_eq!(app.screen_title_key(), "needs.title");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    group.bench_function("session_list", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('t'));
            draw(&app, &mut terminal);
            press(&mut app, KeyCode::Esc);
        })
    });
    press(&mut app, KeyCode::Char('t'));
    group.bench_function("roster_60", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Enter);
            draw(&app, &mut terminal);
            press(&mut app, KeyCode::Esc);
        })
    });
    group.sample_size(20);
    group.bench_function("needs", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('w'));
            draw(&app, &mut terminal);
            press(&mut app, KeyCode::Esc);
        })
    });
    group.finish();
}

criterion_group!(benches, training);
criterion_main!(benches);

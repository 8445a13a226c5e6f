//! Reports on the 100,000-household demo database: the county-wide report
//! opened from home and drawn at 80x24 exactly as the app does (every
//! figure read from the records), a township's, and `fieldbook report`
//! from process start to exit. Targets (issue 17): the screen under
//! 200 ms, the command under 300 ms.
//!
//! The database is made once in `target/bench-data` (the demo, seed 1).
//!
//! Run: `cargo bench --bench reports`

mod common;

use std::process::Command;

use common::{database, draw, press};
use criterion::{Criterion, criterion_group, criterion_main};
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

const HOUSEHOLDS: u32 = 100_000;

fn reports(c: &mut Criterion) {
    let path = database(HOUSEHOLDS);
    let mut store = Store::open(&path, OpenOptions::read_only()).unwrap();
    store.set_operator("bench");
    let mut app = App::new(store, Catalog::builtin(), Lang::ZhBo);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    // Checked once: what is measured is the county's report, with figures.
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.screen_title_key(), "report.title");
    let screen = draw(&app, &mut terminal);
    assert!(
        screen.contains("100000"),
        "the county's households: {screen}"
    );
    press(&mut app, KeyCode::Esc);
    let mut group = c.benchmark_group("reports");
    group.sample_size(10);
    group.bench_function("county_report_screen", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('f'));
            draw(&app, &mut terminal);
            press(&mut app, KeyCode::Esc);
        })
    });
    // The next township: the year's counts are cut again, not read again.
    press(&mut app, KeyCode::Char('f'));
    group.bench_function("township_switch", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('t'));
            draw(&app, &mut terminal);
        })
    });
    press(&mut app, KeyCode::Esc);
    let exe = env!("CARGO_BIN_EXE_fieldbook");
    group.bench_function("report_command", |b| {
        b.iter(|| {
            let out = Command::new(exe)
                .arg("--db")
                .arg(&path)
                .args(["--lang", "zh", "report"])
                .output()
                .unwrap();
            assert!(out.status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, reports);
criterion_main!(benches);

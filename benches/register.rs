//! The household register on demo databases of 500 and 100,000 households:
//! opening the list and each page-down, rendered at 80x24 exactly as the
//! app draws it. The two sizes should cost the same (only the visible page
//! is read). Targets: under 16 ms each on the 100,000-household database.
//!
//! The databases are made once with the demo generator and kept under
//! `target/bench-data/` (the 100,000 one takes about half a minute).
//!
//! Run: `cargo bench --bench register`

use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn database(households: u32) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    // Named by schema version: a newer schema gets a fresh database.
    let v = fieldbook::store::LATEST_VERSION;
    let path = dir.join(format!("register-{households}-v{v}.db"));
    if !path.exists() {
        let tmp = dir.join(format!("register-{households}-v{v}.db.tmp"));
        let _ = std::fs::remove_file(&tmp);
        let mut store = Store::open(&tmp, OpenOptions::create()).unwrap();
        store.set_operator("bench");
        fieldbook::demo::generate(&mut store, households, 1).unwrap();
        drop(store);
        for ext in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{ext}", tmp.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}{ext}", path.display())).unwrap();
            }
        }
    }
    path
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
}

fn register(c: &mut Criterion) {
    let mut group = c.benchmark_group("register");
    for households in [500u32, 100_000] {
        let path = database(households);
        let store = Store::open(&path, OpenOptions::read_only()).unwrap();
        let mut app = App::new(store, Catalog::builtin(), Lang::ZhBo);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        group.bench_function(BenchmarkId::new("open", households), |b| {
            b.iter(|| {
                press(&mut app, KeyCode::Char('h'));
                draw(&app, &mut terminal);
                press(&mut app, KeyCode::Esc);
            })
        });
        press(&mut app, KeyCode::Char('h'));
        let mut pages = 0u32;
        group.bench_function(BenchmarkId::new("page_down", households), |b| {
            b.iter(|| {
                // Wrap at the end so every measured key really pages.
                pages += 1;
                if pages * 18 >= households {
                    press(&mut app, KeyCode::Home);
                    pages = 0;
                }
                press(&mut app, KeyCode::PageDown);
                draw(&app, &mut terminal);
            })
        });
        group.bench_function(BenchmarkId::new("sort_head_page_down", households), |b| {
            press(&mut app, KeyCode::Char('o'));
            b.iter(|| {
                press(&mut app, KeyCode::PageDown);
                draw(&app, &mut terminal);
            })
        });
        press(&mut app, KeyCode::Esc);
    }
    group.finish();
}

criterion_group!(benches, register);
criterion_main!(benches);

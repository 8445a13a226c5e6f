//! What the benchmarks share: the demo database each measures, made once
//! in `target/bench-data` and named by its households, any additions and
//! the schema version (a newer schema gets a fresh one); the keys and the
//! drawing of the app as a terminal shows it.

#![allow(dead_code)] // each benchmark uses its part

use std::path::PathBuf;

use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The demo of `households` (seed 1), with `add` run on it once made,
/// at `target/bench-data/{name}-{households}-v{schema}.db`. Made beside
/// its name and renamed into place: a run stopped midway leaves no half
/// database to be measured next time.
pub fn demo_database(name: &str, households: u32, add: impl FnOnce(&mut Store)) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let v = fieldbook::store::LATEST_VERSION;
    let path = dir.join(format!("{name}-{households}-v{v}.db"));
    if path.exists() {
        return path;
    }
    let tmp = dir.join(format!("{name}-{households}-v{v}.db.tmp"));
    let _ = std::fs::remove_file(&tmp);
    let mut store = Store::open(&tmp, OpenOptions::create()).unwrap();
    store.set_operator("bench");
    fieldbook::demo::generate(&mut store, households, 1).unwrap();
    add(&mut store);
    drop(store);
    for ext in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{ext}", tmp.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}{ext}", path.display())).unwrap();
        }
    }
    path
}

/// The plain demo of `households`, shared by the benchmarks that add nothing.
pub fn database(households: u32) -> PathBuf {
    demo_database("demo", households, |_| {})
}

pub fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Draws the app and returns the screen's text.
pub fn draw(app: &App, terminal: &mut Terminal<TestBackend>) -> String {
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buf = terminal.backend().buffer();
    buf.content().iter().map(|c| c.symbol()).collect()
}

//! The terminal app. Knows nothing of SQL: it reads and writes through the
//! store. Blocks on input (no polling loop, so an idle app uses no CPU) and
//! redraws only after an event.

pub mod action;
pub mod app;
pub mod keymap;
pub mod router;
pub mod screen;
pub mod screens;
pub mod theme;
pub mod widgets;

use std::io::IsTerminal;

use ratatui::crossterm::event::{self, Event};

use crate::i18n::{Catalog, Lang, Localized};
use crate::store::Store;
pub use app::App;

/// How long a form's change may wait before it is kept as a draft.
pub const DRAFT_DELAY: std::time::Duration = std::time::Duration::from_millis(800);

/// Why the app could not run.
#[derive(Debug)]
pub enum RunError {
    NotATerminal,
    Io(std::io::Error),
}

/// The language the app starts in: `--lang`, else the saved setting, else
/// the environment's locale (`environment`), else Chinese.
pub fn start_lang(store: &Store, arg: Option<Lang>, environment: Option<Lang>) -> Lang {
    arg.or_else(|| {
        store
            .setting("lang")
            .ok()
            .flatten()
            .and_then(|s| s.parse().ok())
    })
    .or(environment)
    .unwrap_or_default()
}

/// Runs the app on the terminal until the user quits.
pub fn run(store: Store, catalog: Catalog, lang: Lang) -> Result<(), RunError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(RunError::NotATerminal);
    }
    let mut app = App::new(store, catalog, lang);
    // ratatui::init enters raw mode and the alternate screen and installs a
    // panic hook that restores the terminal before the panic is printed.
    let mut terminal = ratatui::init();
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    let result = (|| -> std::io::Result<()> {
        loop {
            terminal.draw(|frame| {
                let area = frame.area();
                frame.render_widget(&app, area);
                if let Some(pos) = app.cursor(area) {
                    frame.set_cursor_position(pos);
                }
            })?;
            // Blocks until the next event: no timer, no busy loop. Only
            // while a form has changes not yet kept as a draft does it wait
            // with a deadline, to keep them within about a second.
            let event = match app.draft_due() {
                None => {
                    // About to wait for the user: fold the names saved since
                    // the last fold into the search index now, so that work
                    // never lands on a save.
                    if !app.store.is_read_only() {
                        let _ = app.store.fold_search_index();
                    }
                    Some(event::read()?)
                }
                Some(since) => {
                    let wait =
                        (since + DRAFT_DELAY).saturating_duration_since(std::time::Instant::now());
                    if event::poll(wait)? {
                        Some(event::read()?)
                    } else {
                        None
                    }
                }
            };
            match event {
                None => app.flush_drafts(),
                Some(Event::Key(key)) => app.handle_key(key),
                Some(Event::Resize(w, h)) => app.size = (w, h),
                Some(_) => continue,
            }
            if app.should_quit() {
                // Unsaved forms are kept, to be offered back at the next start.
                app.flush_drafts();
                return Ok(());
            }
        }
    })();
    // The day's snapshot for the county office, if data changed since the
    // last one (crate::snapshot::auto decides; read-only databases skip
    // it), with a progress gauge while it is written.
    let mut snapshot_note = None;
    if result.is_ok() && crate::snapshot::auto::due(&app.store).unwrap_or(false) {
        use ratatui::widgets::{Block, Clear, Gauge};
        let title = app.catalog.text(app.lang, "snapshot.progress.auto");
        let mut drawn: Option<std::time::Instant> = None;
        let mut gauge = |done: u64, total: u64| {
            if drawn.is_some_and(|t| t.elapsed() < std::time::Duration::from_millis(100)) {
                return;
            }
            drawn = Some(std::time::Instant::now());
            let ratio = if total == 0 {
                0.0
            } else {
                (done as f64 / total as f64).min(1.0)
            };
            let _ = terminal.draw(|frame| {
                let a = frame.area();
                let h = a.height.min(3);
                let a = ratatui::layout::Rect::new(a.x, a.y + (a.height - h) / 2, a.width, h);
                let style = ratatui::style::Style::default().reversed();
                frame.render_widget(Clear, a);
                frame.render_widget(
                    Gauge::default()
                        .block(Block::bordered().title(title.as_str()))
                        .gauge_style(style)
                        .ratio(ratio),
                    a,
                );
            });
        };
        if let Err(e) = crate::snapshot::auto::on_exit(&mut app.store, &app.catalog, &mut gauge) {
            let detail = e.message(&app.catalog, app.lang);
            snapshot_note = Some(app.catalog.format(
                app.lang,
                "snapshot.auto.failed",
                &[("detail", &detail)],
            ));
        }
    }
    ratatui::restore();
    if let Some(note) = snapshot_note {
        eprintln!("fieldbook: {note}");
    }
    result.map_err(RunError::Io)
}

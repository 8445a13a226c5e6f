//! The terminal app. Knows nothing of SQL: it reads and writes through the
//! store. Blocks on input (no polling loop, so an idle app uses no CPU) and
//! redraws only after an event.

pub mod action;
pub mod app;
pub mod keymap;
pub mod screens;
pub mod theme;
pub mod widgets;

use std::io::IsTerminal;

use ratatui::crossterm::event::{self, Event};

use crate::i18n::{Catalog, Lang};
use crate::store::Store;
pub use app::App;

/// Why the app could not run.
#[derive(Debug)]
pub enum RunError {
    NotATerminal,
    Io(std::io::Error),
}

/// The language the app starts in: `--lang`, else the saved setting, else Chinese.
pub fn start_lang(store: &Store, arg: Option<Lang>) -> Lang {
    arg.or_else(|| {
        store
            .setting("lang")
            .ok()
            .flatten()
            .and_then(|s| s.parse().ok())
    })
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
    let result = (|| -> std::io::Result<()> {
        loop {
            terminal.draw(|frame| {
                let area = frame.area();
                frame.render_widget(&app, area);
                if let Some(pos) = app.cursor(area) {
                    frame.set_cursor_position(pos);
                }
            })?;
            // Blocks until the next event: no timer, no busy loop.
            match event::read()? {
                Event::Key(key) => app.handle_key(key),
                Event::Resize(..) => {}
                _ => continue,
            }
            if app.should_quit() {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result.map_err(RunError::Io)
}

//! The app's state and its one update path: key -> keymap -> [`Action`] ->
//! overlay or active screen -> state. Rendering (`impl Widget for &App`)
//! only reads this state.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::widgets::Widget;

use super::action::Action;
use super::keymap::{Context, Keymap};
use super::router;
pub use super::screen::{Env, Msg, Outcome, Route, Screen, Ui, lang_key};
use super::theme::Theme;
use super::widgets::{frame_layout, help, status_bar};
use crate::i18n::{Catalog, Lang};
use crate::store::Store;

/// The smallest terminal the layout is designed for; below it the app
/// shows a one-line request to enlarge the window.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// A modal layer over the active screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help { scroll: u16 },
    ConfirmQuit,
}

pub struct App {
    pub store: Store,
    pub catalog: Catalog,
    pub keymap: Keymap,
    pub theme: Theme,
    pub lang: Lang,
    pub today: NaiveDate,
    /// The database as shown on the status bar (its path).
    pub db_label: String,
    /// The terminal's size, as last reported.
    pub size: (u16, u16),
    screens: Vec<Box<dyn Screen>>,
    overlay: Option<Overlay>,
    message: Option<Msg>,
    quit: bool,
}

impl App {
    /// The app on its home screen; forms left unsaved last time (drafts)
    /// are offered back first.
    pub fn new(store: Store, catalog: Catalog, lang: Lang) -> App {
        let mut app = App {
            db_label: store.path().display().to_string(),
            size: (80, 24),
            store,
            catalog,
            keymap: Keymap::default_keymap(),
            theme: Theme::from_env(),
            lang,
            today: crate::clock::today(),
            screens: vec![router::home()],
            overlay: None,
            message: None,
            quit: false,
        };
        // The home screen reads what it shows (the first steps) like any
        // screen coming back to the top.
        let _ = app.with_screen(|s, env| s.resume(env));
        match app.store.drafts() {
            Ok(d) if !d.is_empty() => {
                app.open(Route::Drafts);
                app.message.get_or_insert(Msg::info("drafts.offered"));
            }
            Ok(_) => {}
            Err(e) => app.message = Some(Msg::from_error(&e)),
        }
        app
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn overlay(&self) -> Option<Overlay> {
        self.overlay
    }

    pub fn message(&self) -> Option<&Msg> {
        self.message.as_ref()
    }

    pub fn ui(&self) -> Ui<'_> {
        Ui {
            read_only: self.store.is_read_only(),
            catalog: &self.catalog,
            lang: self.lang,
            theme: self.theme,
            keymap: &self.keymap,
        }
    }

    fn screen(&self) -> &dyn Screen {
        self.screens
            .last()
            .expect("the home screen is never popped")
            .as_ref()
    }

    /// The title key of the active screen (for tests and the help overlay).
    pub fn screen_title_key(&self) -> &'static str {
        self.screen().title_key()
    }

    /// The keymap contexts in force, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.overlay {
            Some(Overlay::Help { .. }) => vec![Context::Help],
            Some(Overlay::ConfirmQuit) => vec![Context::Confirm],
            None => self.screen().contexts(),
        }
    }

    fn unsaved(&self) -> bool {
        self.screens.iter().any(|s| s.is_dirty())
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        match self.keymap.lookup(&self.contexts(), key) {
            Some(action) => self.handle(action),
            // Any other key closes help.
            None if matches!(self.overlay, Some(Overlay::Help { .. })) => self.overlay = None,
            None => {}
        }
    }

    /// Applies one action: overlays first, then app-wide actions, then the screen.
    pub fn handle(&mut self, action: Action) {
        match self.overlay {
            Some(Overlay::ConfirmQuit) => {
                match action {
                    Action::ConfirmYes | Action::QuitNow => self.quit = true,
                    Action::ConfirmNo | Action::Back => self.overlay = None,
                    Action::SwitchLang => self.switch_lang(),
                    _ => {}
                }
                return;
            }
            Some(Overlay::Help { scroll }) => {
                self.overlay = match action {
                    Action::Up => Some(Overlay::Help {
                        scroll: scroll.saturating_sub(1),
                    }),
                    Action::Down => Some(Overlay::Help {
                        scroll: scroll.saturating_add(1),
                    }),
                    Action::SwitchLang => {
                        self.switch_lang();
                        Some(Overlay::Help { scroll })
                    }
                    Action::QuitNow => {
                        self.quit = true;
                        None
                    }
                    _ => None,
                };
                return;
            }
            None => {}
        }
        match action {
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Search if self.screen().title_key() != "search.title" => {
                self.message = None;
                self.open(Route::Search);
            }
            Action::SwitchLang => self.switch_lang(),
            Action::QuitNow => self.quit = true,
            Action::Quit => {
                if self.unsaved() {
                    self.overlay = Some(Overlay::ConfirmQuit);
                } else {
                    self.quit = true;
                }
            }
            Action::Back if self.screens.len() == 1 => {}
            // Open read-only: what would change a record is not taken.
            a if a.changes() && self.store.is_read_only() => {
                self.message = Some(Msg::error("store.read_only_no_changes"));
            }
            _ => {
                self.message = None;
                let outcome = self.with_screen(|screen, env| screen.update(action, env));
                self.apply(outcome);
            }
        }
    }

    /// Runs `f` on the active screen with the environment it may use; an
    /// error met reading the database meanwhile goes to the message line.
    fn with_screen<T>(&mut self, f: impl FnOnce(&mut dyn Screen, &mut Env<'_>) -> T) -> T {
        let (screens, mut env) = self.split();
        let screen = screens.last_mut().expect("the home screen is never popped");
        let out = f(screen.as_mut(), &mut env);
        if let Some(e) = env.take_error() {
            self.message = Some(e);
        }
        out
    }

    /// Opens the screen of `route` on top (or says why it cannot open).
    pub fn open(&mut self, route: Route) {
        let (screens, mut env) = self.split();
        let built = router::build(route, &mut env);
        let read_error = env.take_error();
        match built {
            Ok(mut s) => {
                let notice = s.notice();
                screens.push(s);
                if let Some(n) = notice {
                    self.message = Some(n);
                }
            }
            Err(m) => self.message = Some(m),
        }
        if let Some(e) = read_error {
            self.message = Some(e);
        }
    }

    /// The screen stack and, beside it, what screens may touch.
    fn split(&mut self) -> (&mut Vec<Box<dyn Screen>>, Env<'_>) {
        let body_rows = frame_layout(Rect::new(0, 0, self.size.0, self.size.1))
            .body
            .height;
        let env = Env {
            store: &mut self.store,
            catalog: &self.catalog,
            lang: &mut self.lang,
            today: self.today,
            body_rows,
            error: Default::default(),
        };
        (&mut self.screens, env)
    }

    fn apply(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::None => {}
            Outcome::Open(route) => self.open(route),
            Outcome::Pop | Outcome::PopWith(_) => {
                if let Outcome::PopWith(m) = outcome {
                    self.message = Some(m);
                }
                if self.screens.len() > 1 {
                    self.screens.pop();
                    // The screen below may show what the popped one changed.
                    let resumed = self.with_screen(|s, env| s.resume(env));
                    if let Some(m) = resumed {
                        self.message.get_or_insert(m);
                    }
                }
            }
            Outcome::Message(m) => {
                // A read error met meanwhile says more than a confirmation.
                if !self.message.as_ref().is_some_and(|e| e.error) || m.error {
                    self.message = Some(m);
                }
            }
        }
    }

    /// When the oldest unsaved change of any open form must be kept as a draft.
    pub fn draft_due(&self) -> Option<std::time::Instant> {
        self.screens.iter().filter_map(|s| s.draft_due()).min()
    }

    /// Keeps every open form's unsaved changes as drafts now.
    pub fn flush_drafts(&mut self) {
        let (screens, mut env) = self.split();
        for s in screens.iter_mut() {
            if s.draft_due().is_some() {
                s.flush_draft(&mut env);
            }
        }
        if let Some(e) = env.take_error() {
            self.message = Some(e);
        }
    }

    /// The next language mode, remembered for the next start.
    fn switch_lang(&mut self) {
        self.lang = self.lang.next();
        self.message = match self.store.set_setting("lang", self.lang.code()) {
            Ok(()) => Some(
                Msg::info("msg.lang_switched")
                    .arg("lang", self.catalog.text(self.lang, lang_key(self.lang))),
            ),
            // Read-only databases cannot remember it; the switch still applies now.
            Err(_) => Some(Msg::info("msg.lang_not_saved")),
        };
    }

    /// Where the terminal cursor goes (the focused text field), if anywhere.
    pub fn cursor(&self, area: Rect) -> Option<Position> {
        if self.overlay.is_some() || area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return None;
        }
        let body = frame_layout(area).body;
        self.screen().cursor(body, &self.ui())
    }
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let ui = self.ui();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = ui.catalog.format(
                ui.lang,
                "ui.too_small",
                &[
                    ("w", &MIN_WIDTH.to_string()),
                    ("h", &MIN_HEIGHT.to_string()),
                ],
            );
            buf.set_stringn(
                area.x,
                area.y,
                crate::text::truncate(&text, area.width as usize),
                area.width as usize,
                ui.theme.error(),
            );
            return;
        }
        let layout = frame_layout(area);
        let screen = self.screen();
        status_bar::title(layout.title, buf, &ui, screen.title_key());
        screen.render(layout.body, buf, &ui);
        status_bar::render(
            layout.status,
            buf,
            &ui,
            &status_bar::Status {
                operator: self.store.operator(),
                db: &self.db_label,
                read_only: self.store.is_read_only(),
                today: self.today,
                contexts: &self.contexts(),
                message: self.message.as_ref(),
            },
        );
        match self.overlay {
            // Over the screen's body, never over the status bar.
            Some(Overlay::Help { scroll }) => help::render(
                layout.body,
                buf,
                &ui,
                screen.title_key(),
                &screen.contexts(),
                scroll,
            ),
            Some(Overlay::ConfirmQuit) => help::confirm(layout.body, buf, &ui, "ui.confirm_quit"),
            None => {}
        }
    }
}

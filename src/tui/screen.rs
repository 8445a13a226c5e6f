//! The contract between the app and its screens: what a screen is
//! ([`Screen`]), what it may touch while handling an action ([`Env`]), what
//! drawing needs ([`Ui`]), and what it asks of the app afterwards
//! ([`Outcome`]): a message, to close, or to open another screen by
//! [`Route`]. Screens never build each other; `tui::router` builds every
//! screen from its route.

use std::cell::RefCell;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use uuid::Uuid;

use super::action::Action;
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use crate::forms::{Draft, Target};
use crate::i18n::{Catalog, Lang, Localized};
use crate::store::Store;

pub trait Screen {
    /// Locale key of the screen's title.
    fn title_key(&self) -> &'static str;
    /// Keymap contexts in force, most specific first (global is implied).
    fn contexts(&self) -> Vec<Context>;
    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome;
    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>);
    /// Where the terminal cursor goes when a text field has focus.
    fn cursor(&self, _area: Rect, _ui: &Ui<'_>) -> Option<Position> {
        None
    }
    /// What the screen says as it opens (a record that cannot be
    /// changed), taken once.
    fn notice(&mut self) -> Option<Msg> {
        None
    }
    /// Whether the screen holds changes not yet saved (quitting asks first).
    fn is_dirty(&self) -> bool {
        false
    }
    /// Called when the screen is on top again after the one above closed:
    /// reload what may have changed.
    fn resume(&mut self, _env: &mut Env<'_>) -> Option<Msg> {
        None
    }
    /// When the oldest change not yet kept as a draft was made, if any.
    fn draft_due(&self) -> Option<std::time::Instant> {
        None
    }
    /// Keeps the unsaved changes as a draft.
    fn flush_draft(&mut self, _env: &mut Env<'_>) {}
}

/// Every screen that can be opened, with what it opens on.
#[derive(Debug, Clone)]
pub enum Route {
    Settings,
    Register,
    Review,
    Villages,
    Drafts,
    Search,
    Household(Uuid),
    /// A form on a record.
    Form(Target),
    /// A form resumed from its draft.
    Draft(Box<Draft>),
    /// The change history of the record a form edits.
    History(Target),
    /// Training sessions (期次), filtered.
    Training,
    /// The course catalogue.
    Courses,
    /// The roster of a session.
    Roster(Uuid),
    /// A day's attendance of a session.
    Attendance(Uuid),
    /// The training-needs list.
    Needs,
    /// Who still waits for a course in a township.
    Waiting {
        course: String,
        township: Uuid,
    },
    /// Search that enrols the person chosen in a session.
    Enrol(Uuid),
    /// Public-welfare posts.
    Posts,
    /// One post: its details and who has held it.
    Post(Uuid),
    /// The post types.
    PostTypes,
    /// Putting a person into a post.
    Assign(Uuid),
    /// Ending an assignment.
    EndAssignment(Uuid),
    /// A village's attendance sheet for a month.
    PostAttendance,
    /// A township's payroll for a month.
    Payroll,
    /// The settings of the posts area.
    PostSettings,
    /// Reports: a year's figures and charts.
    Reports,
    /// The rows behind a figure of the report.
    ReportDrill(Box<super::screens::reports::DrillAsk>),
    /// The five lists of the villages of a township (all: `None`).
    Lists(Option<Uuid>),
    /// The five lists of one village.
    VillageLists(Uuid),
    /// A person's work (employment records and posts held).
    Work(Uuid),
    /// Search whose Enter opens a person's work.
    WorkSearch,
    /// Search that adds workers to the project of an employment record.
    ProjectWorkers(Uuid),
}

/// What a screen asks the app to do after handling an action.
pub enum Outcome {
    None,
    Open(Route),
    Pop,
    /// Close the screen and show a message on the one below.
    PopWith(Msg),
    Message(Msg),
}

/// A line for the message area: a locale key with arguments, translated
/// when drawn so it follows a language switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub error: bool,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Arguments that are themselves locale texts (a status's label).
    pub keyed: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn info(key: &'static str) -> Msg {
        Msg {
            error: false,
            key,
            args: Vec::new(),
            keyed: Vec::new(),
        }
    }
    pub fn error(key: &'static str) -> Msg {
        Msg {
            error: true,
            ..Msg::info(key)
        }
    }
    /// An error message from anything whose text lives in the locales.
    pub fn from_error(e: &impl Localized) -> Msg {
        let (key, args) = e.key_args();
        Msg {
            error: true,
            key,
            args,
            keyed: e.keyed_args(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }
    pub fn text(&self, ui: &Ui<'_>) -> String {
        self.message(ui.catalog, ui.lang)
    }
}

impl Localized for Msg {
    fn key_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        (self.key, self.args.clone())
    }
    fn keyed_args(&self) -> Vec<(&'static str, String)> {
        self.keyed.clone()
    }
}

pub use crate::i18n::list_sep;

/// What rendering needs: strings, language, styles, bindings. Borrowed from the app.
pub struct Ui<'a> {
    pub catalog: &'a Catalog,
    /// The database is open read-only: keys that change are not offered.
    pub read_only: bool,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: &'a Keymap,
}

impl Ui<'_> {
    /// The text of a locale key in the current language.
    pub fn t(&self, key: &str) -> String {
        self.catalog.text(self.lang, key)
    }

    /// The label of `code` in the code list `list` (`code.<list>.<code>`):
    /// nothing for an empty code, and the code itself (cleaned) for one
    /// the locales do not know, never a raw key.
    pub fn code(&self, list: &str, code: &str) -> String {
        if code.is_empty() {
            return String::new();
        }
        let key = format!("code.{list}.{code}");
        if self.catalog.has(&key) {
            self.t(&key)
        } else {
            crate::text::clean(code).into_owned()
        }
    }

    /// Items of a list joined in the language's way (`、` in Chinese).
    pub fn join_list(&self, items: &[String]) -> String {
        items.join(&list_sep(self.catalog, self.lang))
    }

    /// "label: value" with the label of `key`, in the language's punctuation.
    pub fn label_value(&self, key: &str, value: &str) -> String {
        self.catalog.format(
            self.lang,
            "ui.label_value",
            &[("label", &self.t(key)), ("value", value)],
        )
    }

    /// The text of `key` in at most `cells`: whole if it fits, else cut
    /// with `…` (in bilingual mode the Tibetan half is cut, never left out).
    pub fn fit(&self, key: &str, cells: usize) -> String {
        crate::text::truncate(&self.t(key), cells)
    }
}

/// What screens may touch while handling an action.
pub struct Env<'a> {
    pub store: &'a mut Store,
    /// The texts (for matching what is typed against labels).
    pub catalog: &'a Catalog,
    pub lang: &'a mut Lang,
    pub today: NaiveDate,
    /// Rows of the screen body, for page sizes.
    pub body_rows: u16,
    /// The first error met reading the database for the screen: shown on
    /// the message line, so a busy or damaged database never looks like an
    /// empty list.
    pub error: RefCell<Option<Msg>>,
}

impl Env<'_> {
    /// Whether the operator works as a supervisor (may approve and return visits).
    pub fn is_supervisor(&self) -> bool {
        self.store.role() == crate::domain::review::Role::Supervisor
    }

    /// The data of a read made for the screen, or `None` with its error
    /// kept for the message line.
    pub fn ok<T, E: Localized>(&self, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(t) => Some(t),
            Err(e) => {
                self.error
                    .borrow_mut()
                    .get_or_insert_with(|| Msg::from_error(&e));
                None
            }
        }
    }

    /// [`Env::ok`] for reads whose absence is shown as empty (a list).
    pub fn or_empty<T: Default, E: Localized>(&self, result: Result<T, E>) -> T {
        self.ok(result).unwrap_or_default()
    }

    /// The error kept by [`Env::ok`], if any (taken, once).
    pub fn take_error(&self) -> Option<Msg> {
        self.error.borrow_mut().take()
    }
}

/// The locale key of a language's own name.
pub fn lang_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "lang.zh",
        Lang::Bo => "lang.bo",
        Lang::ZhBo => "lang.zh_bo",
        Lang::En => "lang.en",
    }
}

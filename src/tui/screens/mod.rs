//! One file per screen. A screen owns its state, turns actions into state
//! changes (reading and writing through the store), and draws itself from
//! that state without changing it.

pub mod drafts;
pub mod form;
pub mod history;
pub mod home;
pub mod household;
pub mod register;
pub mod review;
pub mod search;
pub mod settings;
pub mod villages;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::app::{Env, Outcome, Ui};
use super::keymap::Context;

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
    /// Whether the screen holds changes not yet saved (quitting asks first).
    fn is_dirty(&self) -> bool {
        false
    }
    /// Called when the screen is on top again after the one above closed:
    /// reload what may have changed.
    fn resume(&mut self, _env: &mut Env<'_>) -> Option<super::app::Msg> {
        None
    }
    /// When the oldest change not yet kept as a draft was made, if any.
    fn draft_due(&self) -> Option<std::time::Instant> {
        None
    }
    /// Keeps the unsaved changes as a draft.
    fn flush_draft(&mut self, _env: &mut Env<'_>) {}
}

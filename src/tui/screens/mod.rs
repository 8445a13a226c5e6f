//! One file per screen. A screen owns its state, turns actions into state
//! changes (reading and writing through the store), and draws itself from
//! that state without changing it.

pub mod home;
pub mod settings;

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
}

//! Pieces of screen shared by every screen: the frame (title, body, status
//! bar), the help overlay, the text input.

pub mod help;
pub mod list;
pub mod review_actions;
pub mod status_bar;
pub mod text_input;

use ratatui::layout::{Constraint, Layout, Rect};

/// The app's frame: a title row, the screen's body, and three status rows
/// (message, status, key hints).
pub struct FrameLayout {
    pub title: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn frame_layout(area: Rect) -> FrameLayout {
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(3),
    ])
    .areas(area);
    FrameLayout {
        title,
        body,
        status,
    }
}

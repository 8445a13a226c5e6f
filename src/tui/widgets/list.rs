//! Selection and scrolling of a list held in memory (villages, visits to
//! review, drafts), and drawing its visible rows. The household register
//! pages from the database instead and keeps its own window.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::status_bar::put;
use crate::text;
use crate::tui::action::Action;
use crate::tui::screen::Ui;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    /// The first row on screen.
    pub first: usize,
}

impl ListState {
    /// Applies a moving action over `len` rows shown `page` at a time;
    /// returns false for any other action.
    pub fn apply(&mut self, action: Action, len: usize, page: usize) -> bool {
        let last = len.saturating_sub(1);
        let page = page.max(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::First => 0,
            Action::Last => last,
            _ => return false,
        };
        if self.selected < self.first {
            self.first = self.selected;
        } else if self.selected >= self.first + page {
            self.first = self.selected + 1 - page;
        }
        true
    }

    /// Keeps the selection inside a list that now has `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.first = self.first.min(self.selected);
    }

    /// The rows shown in `rows` lines.
    pub fn visible(&self, len: usize, rows: usize) -> Range<usize> {
        let first = self.first.min(len);
        first..(first + rows).min(len)
    }
}

/// Draws the visible rows of a list from `y = area.y`, each padded to the
/// full width, the selected one reversed; `line(i)` gives row i's text and
/// its style when not selected.
pub fn render_rows(
    area: Rect,
    buf: &mut Buffer,
    ui: &Ui<'_>,
    state: &ListState,
    len: usize,
    line: impl Fn(usize) -> (String, Style),
) {
    let w = area.width as usize;
    for (row, i) in state.visible(len, area.height as usize).enumerate() {
        let (text, style) = line(i);
        let style = if i == state.selected {
            ui.theme.selected()
        } else {
            style
        };
        put(
            buf,
            area.x,
            area.y + row as u16,
            &text::pad_right(&text, w),
            w,
            style,
        );
    }
}

/// [`render_rows`] below a list's heading lines, or, for an empty list, the
/// locale text `empty` (dimmed) where the first row would be.
pub fn render_rows_or_empty(
    area: Rect,
    buf: &mut Buffer,
    ui: &Ui<'_>,
    state: &ListState,
    len: usize,
    empty: &str,
    line: impl Fn(usize) -> (String, Style),
) {
    if len == 0 {
        let w = area.width.saturating_sub(2) as usize;
        put(buf, area.x + 1, area.y, &ui.t(empty), w, ui.theme.dim());
        return;
    }
    render_rows(area, buf, ui, state, len, line);
}

/// A table column: the locale key of its heading and its width in cells.
pub type Column = (&'static str, usize);

/// The headings of `cols` on one line from (x, y), each fitted to its width.
pub fn headings(buf: &mut Buffer, x: u16, y: u16, ui: &Ui<'_>, cols: &[Column], style: Style) {
    let line = row(cols, cols.iter().map(|(key, cw)| ui.fit(key, *cw)));
    put(buf, x, y, &line, text::width(&line), style);
}

/// A table row: each cell cut or padded to its column's width in display
/// cells, one space between, so columns line up in every script.
pub fn row(cols: &[Column], cells: impl IntoIterator<Item = String>) -> String {
    cols.iter()
        .zip(cells)
        .map(|((_, cw), c)| text::pad_right(&c, *cw))
        .collect::<Vec<_>>()
        .join(" ")
}

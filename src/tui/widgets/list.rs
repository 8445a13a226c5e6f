//! Selection and scrolling of a list held in memory (villages, visits to
//! review, drafts), and drawing its visible rows. The household register
//! pages from the database instead and keeps its own window.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::status_bar::put;
use crate::i18n::Lang;
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

/// A table column: the locale key of its heading (empty for none) and the
/// fewest cells it may be narrowed to when the window is small.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub heading: &'static str,
    pub min: usize,
}

pub const fn col(heading: &'static str, min: usize) -> Col {
    Col { heading, min }
}

/// Columns laid out for a window: each as wide as its heading and the
/// widest of the cells shown, while the window has room; narrowed (widest
/// first, down to each column's `min`) when it has not. In bilingual mode a
/// heading too wide for one line goes on two, Chinese above Tibetan, so
/// neither half is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub widths: Vec<usize>,
    /// Heading lines: one, or (bilingual, short of room) two.
    pub headings: Vec<String>,
}

impl Table {
    /// Lays out `cols` in `width` cells for the rows of `cells` shown.
    pub fn fit(cols: &[Col], ui: &Ui<'_>, width: usize, cells: &[Vec<String>]) -> Table {
        let room = width.saturating_sub(cols.len().saturating_sub(1));
        let content: Vec<usize> = (0..cols.len())
            .map(|i| {
                cells
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| text::width(c))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let one_line: Vec<String> = cols.iter().map(|c| heading_text(c, ui)).collect();
        let want = |heads: &[usize]| -> Vec<usize> {
            heads
                .iter()
                .zip(&content)
                .zip(cols)
                .map(|((h, c), col)| (*h).max(*c).max(col.min))
                .collect()
        };
        let widths1 = want(&one_line.iter().map(|h| text::width(h)).collect::<Vec<_>>());
        if widths1.iter().sum::<usize>() <= room || ui.lang != Lang::ZhBo {
            let widths = narrow(widths1, cols, room);
            let headings = vec![row_of(&widths, one_line)];
            return Table { widths, headings };
        }
        // Bilingual, short of room: Chinese and Tibetan on two lines.
        let pairs: Vec<(String, String)> = cols
            .iter()
            .map(|c| {
                if c.heading.is_empty() {
                    return (String::new(), String::new());
                }
                let (zh, bo) = ui.catalog.pair(c.heading);
                if zh == bo {
                    (zh.to_owned(), String::new())
                } else {
                    (zh.to_owned(), bo.to_owned())
                }
            })
            .collect();
        let heads: Vec<usize> = pairs
            .iter()
            .map(|(zh, bo)| text::width(zh).max(text::width(bo)))
            .collect();
        let widths = narrow(want(&heads), cols, room);
        let (zh, bo): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        let headings = vec![row_of(&widths, zh), row_of(&widths, bo)];
        Table { widths, headings }
    }

    /// One row: each cell cut or padded to its column's width in display
    /// cells, one space between, so columns line up in every script.
    pub fn row(&self, cells: impl IntoIterator<Item = String>) -> String {
        row_of(&self.widths, cells)
    }
}

fn heading_text(c: &Col, ui: &Ui<'_>) -> String {
    if c.heading.is_empty() {
        String::new()
    } else {
        ui.t(c.heading)
    }
}

/// `widths` narrowed to `room` cells: the widest column loses a cell at a
/// time, none below its `min`.
fn narrow(mut widths: Vec<usize>, cols: &[Col], room: usize) -> Vec<usize> {
    while widths.iter().sum::<usize>() > room {
        let widest = (0..widths.len())
            .filter(|&i| widths[i] > cols[i].min)
            .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    widths
}

fn row_of(widths: &[usize], cells: impl IntoIterator<Item = String>) -> String {
    widths
        .iter()
        .zip(cells)
        .map(|(w, c)| text::pad_right(&c, *w))
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end()
        .to_owned()
}

/// Draws a table's heading lines from (x, y); returns how many were drawn.
pub fn headings(buf: &mut Buffer, x: u16, y: u16, table: &Table, max: usize, style: Style) -> u16 {
    for (i, line) in table.headings.iter().enumerate() {
        put(buf, x, y + i as u16, line, max, style);
    }
    table.headings.len() as u16
}

/// Draws a table below `header_rows` lines of the screen's own: its
/// headings, then the visible rows, or `empty` when there are none.
#[allow(clippy::too_many_arguments)]
pub fn draw_table(
    area: Rect,
    buf: &mut Buffer,
    ui: &Ui<'_>,
    header_rows: u16,
    cols: &[Col],
    cells: &[Vec<String>],
    list: &ListState,
    empty: &str,
) {
    let w = area.width as usize;
    let table = Table::fit(cols, ui, w.saturating_sub(1), cells);
    let n = headings(
        buf,
        area.x + 1,
        area.y + header_rows,
        &table,
        w,
        ui.theme.dim(),
    );
    let rows = Rect {
        y: area.y + header_rows + n,
        height: area.height.saturating_sub(header_rows + n),
        ..area
    };
    render_rows_or_empty(rows, buf, ui, list, cells.len(), empty, |i| {
        (format!(" {}", table.row(cells[i].clone())), Style::new())
    });
}

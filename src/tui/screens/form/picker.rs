//! The choice list opened over a form (Enter on a choice): move, tick
//! several in a multiple choice, choose, or leave it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::forms::{Opt, Slot};
use crate::text;
use crate::tui::action::Action;
use crate::tui::screen::Ui;
use crate::tui::widgets::status_bar::put;

/// A choice list opened over the form.
#[derive(Debug, Clone)]
pub struct Picker {
    pub slot: Slot,
    pub options: Vec<Opt>,
    pub cursor: usize,
    /// Codes chosen so far (one for a single choice).
    pub chosen: Vec<String>,
    pub multi: bool,
}

/// What a key did in the picker.
pub enum Picked {
    /// Still open.
    Open,
    /// Closed without a choice.
    Cancelled,
    /// Closed with this answer (codes space-separated for a multiple choice).
    Chosen(String),
}

impl Picker {
    /// A picker on `options`, its cursor on the first of the codes in `current`.
    pub fn new(slot: Slot, options: Vec<Opt>, current: &str, multi: bool) -> Picker {
        let chosen: Vec<String> = current.split_whitespace().map(str::to_owned).collect();
        let cursor = options
            .iter()
            .position(|o| chosen.contains(&o.code))
            .unwrap_or(0);
        Picker {
            slot,
            options,
            cursor,
            chosen,
            multi,
        }
    }

    pub fn apply(&mut self, action: Action) -> Picked {
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => {
                self.cursor = (self.cursor + 1).min(self.options.len().saturating_sub(1))
            }
            Action::Toggle if self.multi => {
                if let Some(o) = self.options.get(self.cursor) {
                    match self.chosen.iter().position(|c| *c == o.code) {
                        Some(i) => {
                            self.chosen.remove(i);
                        }
                        None => self.chosen.push(o.code.clone()),
                    }
                }
            }
            Action::Choose | Action::Toggle => {
                let value = if self.multi {
                    // Stored in the list's order, whatever order they were ticked in.
                    self.options
                        .iter()
                        .filter(|o| self.chosen.contains(&o.code))
                        .map(|o| o.code.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    self.options
                        .get(self.cursor)
                        .map(|o| o.code.clone())
                        .unwrap_or_default()
                };
                return Picked::Chosen(value);
            }
            Action::Back => return Picked::Cancelled,
            _ => {}
        }
        Picked::Open
    }

    /// Draws the list centred near the top of `area`, titled with the field's label.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>, label_key: &str) {
        let rows = (self.options.len() as u16 + 2)
            .min(area.height.saturating_sub(2))
            .max(3);
        let width = area.width.saturating_sub(8).min(60);
        let r = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + 1,
            width,
            height: rows,
        };
        Clear.render(r, buf);
        let title = text::truncate(
            &format!(" {} ", ui.t(label_key)),
            width.saturating_sub(2) as usize,
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ui.theme.border())
            .title(title);
        let inner = block.inner(r);
        block.render(r, buf);
        let visible = inner.height as usize;
        let first = self.cursor.saturating_sub(visible.saturating_sub(1));
        for (i, o) in self.options.iter().enumerate().skip(first).take(visible) {
            let y = inner.y + (i - first) as u16;
            let mark = match (self.multi, self.chosen.contains(&o.code)) {
                (false, _) => "",
                (true, true) => "[x] ",
                (true, false) => "[ ] ",
            };
            let style = if i == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let line = text::pad_right(
                &format!(" {mark}{}", o.label.text(ui.catalog, ui.lang)),
                inner.width as usize,
            );
            put(buf, inner.x, y, &line, inner.width as usize, style);
        }
    }
}

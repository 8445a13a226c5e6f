//! The change history of a record from the audit log, newest first: when,
//! who, what happened to which member, visit or household, and each
//! changed field as its form shows it. A household's history includes its
//! members' changes and its visits' review (submitted, approved, returned
//! with the comment); a visit's includes its members' answers.
//!
//! Only the entries on screen are read (keyset pages of the log), so a long
//! history costs no more memory than a short one. Enter shows the selected
//! entry whole, wrapped to the window; Esc goes back to the list.

mod entry;

pub use entry::{Change, Entry, Reader, Shown};

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::forms::Target;
use crate::store::audit::{HistoryPage, HistoryScope};
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Outcome, Screen, Ui};
use crate::tui::widgets::status_bar::put;

/// Widest the operator's name is drawn in the list, in cells.
const WHO_CELLS: usize = 10;

pub struct HistoryScreen {
    scope: HistoryScope,
    reader: Reader,
    /// The entries in the window (at most a screen's worth), newest first.
    entries: Vec<Entry>,
    /// The selected entry, an index into `entries`.
    selected: usize,
    /// The selected entry shown whole: how many lines it is scrolled by.
    detail: Option<usize>,
    /// How far the entry shown can scroll, as last drawn.
    detail_max: Cell<usize>,
}

impl HistoryScreen {
    pub fn open(target: Target, env: &Env<'_>) -> HistoryScreen {
        let mut s = HistoryScreen {
            scope: target.form().history_scope(),
            reader: Reader::new(),
            entries: Vec::new(),
            selected: 0,
            detail: None,
            detail_max: Cell::new(0),
        };
        s.entries = s.read(HistoryPage::Newest, Self::page_size(env), env);
        s
    }

    fn page_size(env: &Env<'_>) -> usize {
        env.body_rows.max(1) as usize
    }

    /// A page of entries as shown, newest first.
    fn read(&self, page: HistoryPage, limit: usize, env: &Env<'_>) -> Vec<Entry> {
        env.or_empty(env.store.history_page(self.scope, page, limit))
            .iter()
            .map(|e| self.reader.entry(env.store, e))
            .collect()
    }

    /// Moves the window towards older entries by up to `n`; how far it moved.
    fn scroll_down(&mut self, n: usize, env: &Env<'_>) -> usize {
        let Some(last) = self.entries.last().map(|e| e.seq) else {
            return 0;
        };
        let more = self.read(HistoryPage::Older(last), n, env);
        let moved = more.len();
        self.entries.extend(more);
        let drop = self.entries.len().saturating_sub(Self::page_size(env));
        self.entries.drain(..drop);
        self.selected = self.selected.saturating_sub(drop);
        moved
    }

    /// Moves the window towards newer entries by up to `n`; how far it moved.
    fn scroll_up(&mut self, n: usize, env: &Env<'_>) -> usize {
        let Some(first) = self.entries.first().map(|e| e.seq) else {
            return 0;
        };
        let mut more = self.read(HistoryPage::Newer(first), n, env);
        let moved = more.len();
        more.append(&mut self.entries);
        more.truncate(Self::page_size(env));
        self.entries = more;
        self.selected += moved;
        moved
    }

    fn update_list(&mut self, action: Action, env: &Env<'_>) -> Outcome {
        let size = Self::page_size(env);
        let last = self.entries.len().saturating_sub(1);
        match action {
            Action::Down => {
                if self.selected < last {
                    self.selected += 1;
                } else if self.scroll_down(1, env) > 0 {
                    self.selected = self.entries.len().saturating_sub(1);
                }
            }
            Action::Up => {
                if self.selected > 0 {
                    self.selected -= 1;
                } else if self.scroll_up(1, env) > 0 {
                    self.selected = 0;
                }
            }
            // A page key moves the window a page; at the end of the history
            // it moves the selection to the end instead.
            Action::PageDown => {
                let at = self.selected;
                if self.scroll_down(size, env) == 0 {
                    self.selected = self.entries.len().saturating_sub(1);
                } else {
                    self.selected = at.min(self.entries.len().saturating_sub(1));
                }
            }
            Action::PageUp => {
                let at = self.selected;
                if self.scroll_up(size, env) == 0 {
                    self.selected = 0;
                } else {
                    self.selected = at.min(self.entries.len().saturating_sub(1));
                }
            }
            Action::First => {
                self.entries = self.read(HistoryPage::Newest, size, env);
                self.selected = 0;
            }
            Action::Last => {
                self.entries = self.read(HistoryPage::Oldest, size, env);
                self.selected = self.entries.len().saturating_sub(1);
            }
            Action::Open if !self.entries.is_empty() => self.detail = Some(0),
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn update_detail(&mut self, action: Action, env: &Env<'_>) -> Outcome {
        let page = Self::page_size(env).saturating_sub(1).max(1);
        let max = self.detail_max.get();
        let Some(scroll) = self.detail else {
            return Outcome::None;
        };
        self.detail = match action {
            Action::Back => None,
            Action::Up => Some(scroll.saturating_sub(1)),
            Action::Down => Some((scroll + 1).min(max)),
            Action::PageUp => Some(scroll.saturating_sub(page)),
            Action::PageDown => Some((scroll + page).min(max)),
            Action::First => Some(0),
            Action::Last => Some(max),
            _ => Some(scroll),
        };
        Outcome::None
    }

    /// The lines of the selected entry shown whole, each at most `width` cells.
    fn detail_lines(&self, entry: &Entry, ui: &Ui<'_>, width: usize) -> Vec<(String, Style)> {
        let labelled = |key: &str, value: &str| {
            ui.catalog.format(
                ui.lang,
                "history.value",
                &[("field", &ui.t(key)), ("value", value)],
            )
        };
        let mut out: Vec<(String, Style)> = Vec::new();
        let mut add = |line: &str, style: Style| {
            for l in text::wrap(&text::clean(line), width) {
                out.push((l, style));
            }
        };
        add(&entry.heading(ui.catalog, ui.lang), ui.theme.key());
        add(&labelled("history.when", &entry.when), Style::new());
        add(&labelled("history.who", &entry.who), Style::new());
        add("", Style::new());
        for c in &entry.changes {
            add(&c.text(ui.catalog, ui.lang), Style::new());
        }
        out
    }

    fn render_detail(&self, scroll: usize, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let Some(entry) = self.entries.get(self.selected) else {
            return;
        };
        let w = area.width.saturating_sub(2) as usize;
        let lines = self.detail_lines(entry, ui, w);
        let height = area.height as usize;
        let max = lines.len().saturating_sub(height);
        self.detail_max.set(max);
        for (row, (line, style)) in lines.iter().skip(scroll.min(max)).take(height).enumerate() {
            put(buf, area.x + 1, area.y + row as u16, line, w, *style);
        }
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        if self.entries.is_empty() {
            put(
                buf,
                area.x + 1,
                area.y,
                &ui.t("history.empty"),
                w.saturating_sub(2),
                ui.theme.dim(),
            );
            return;
        }
        let height = (area.height as usize).max(1);
        // The window may hold more entries than a smaller window shows.
        let first = (self.selected + 1).saturating_sub(height);
        let who_cells = self
            .entries
            .iter()
            .map(|e| text::width(&e.who))
            .max()
            .unwrap_or(0)
            .min(WHO_CELLS);
        for (row, (i, e)) in self
            .entries
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .enumerate()
        {
            let line = format!(
                " {}  {}  {}  {}",
                e.when,
                text::pad_right(&e.who, who_cells),
                e.heading(ui.catalog, ui.lang),
                e.summary(ui.catalog, ui.lang)
            );
            let style = if i == self.selected {
                ui.theme.selected()
            } else {
                Style::new()
            };
            put(
                buf,
                area.x,
                area.y + row as u16,
                &text::pad_right(&line, w),
                w,
                style,
            );
        }
    }
}

impl Screen for HistoryScreen {
    fn title_key(&self) -> &'static str {
        if self.detail.is_some() {
            "history.detail_title"
        } else {
            "history.title"
        }
    }

    fn contexts(&self) -> Vec<Context> {
        if self.detail.is_some() {
            vec![Context::HistoryEntry]
        } else {
            vec![Context::List]
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.detail.is_some() {
            self.update_detail(action, env)
        } else {
            self.update_list(action, env)
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        match self.detail {
            Some(scroll) => self.render_detail(scroll, area, buf, ui),
            None => self.render_list(area, buf, ui),
        }
    }
}

//! The choice list opened over a form (Enter on a choice): move, page,
//! tick several in a multiple choice, choose, or leave it. In a single
//! choice what is typed filters the list, the way search finds people: by
//! Chinese, pinyin (whole or initials), Tibetan, Wylie, or code.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Widget};

use crate::forms::{Label, Opt, Slot};
use crate::i18n::{Catalog, Locale};
use crate::search::{Query, keys};
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Msg, Ui};
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::{Edit, TextInput};

/// A choice list opened over the form.
#[derive(Debug, Clone)]
pub struct Picker {
    pub slot: Slot,
    pub options: Vec<Opt>,
    /// What each option is found by: search keys of its names, its code and
    /// its labels in lower case.
    found_by: Vec<([String; 8], String)>,
    /// What is typed to narrow the list (single choice).
    filter: TextInput,
    /// The options that match the filter (indices into `options`).
    shown: Vec<usize>,
    /// The highlighted line (an index into `shown`).
    pub cursor: usize,
    /// The first line on screen.
    first: usize,
    /// Codes chosen so far (one for a single choice).
    pub chosen: Vec<String>,
    pub multi: bool,
}

/// What a key did in the picker.
pub enum Picked {
    /// Still open (with something to say, perhaps).
    Open(Option<Msg>),
    /// Closed without a choice.
    Cancelled,
    /// Closed with this answer (codes space-separated for a multiple choice).
    Chosen(String),
}

/// Lines of options shown at most, and moved by a page key.
const PAGE: usize = 12;

impl Picker {
    /// A picker on `options`, its cursor on the first of the codes in `current`.
    pub fn new(
        slot: Slot,
        options: Vec<Opt>,
        current: &str,
        multi: bool,
        catalog: &Catalog,
    ) -> Picker {
        let chosen: Vec<String> = current.split_whitespace().map(str::to_owned).collect();
        let found_by = options.iter().map(|o| found_by(o, catalog)).collect();
        let cursor = options
            .iter()
            .position(|o| chosen.contains(&o.code))
            .unwrap_or(0);
        let mut p = Picker {
            slot,
            shown: (0..options.len()).collect(),
            options,
            found_by,
            filter: TextInput::default(),
            cursor,
            first: 0,
            chosen,
            multi,
        };
        p.keep_in_view();
        p
    }

    /// The key contexts: a single choice takes typing for its filter; a
    /// multiple choice keeps Space for ticking.
    pub fn contexts(&self) -> Vec<Context> {
        if self.multi {
            vec![Context::Picker]
        } else {
            vec![Context::Picker, Context::Text]
        }
    }

    pub fn apply(&mut self, action: Action) -> Picked {
        if !self.multi {
            match self.filter.apply(action) {
                Edit::Changed => {
                    self.refilter();
                    return Picked::Open(None);
                }
                Edit::Moved => return Picked::Open(None),
                Edit::Wylie(m) => return Picked::Open(Some(m)),
                Edit::NotMine => {}
            }
        }
        let last = self.shown.len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(PAGE),
            Action::PageDown => self.cursor = (self.cursor + PAGE).min(last),
            Action::First => self.cursor = 0,
            Action::Last => self.cursor = last,
            Action::Toggle if self.multi => {
                if let Some(o) = self.current() {
                    let code = o.code.clone();
                    match self.chosen.iter().position(|c| *c == code) {
                        Some(i) => {
                            self.chosen.remove(i);
                        }
                        None => self.chosen.push(code),
                    }
                }
            }
            Action::Choose | Action::Toggle => {
                if self.multi {
                    // Stored in the list's order, whatever order they were ticked in.
                    let value = self
                        .options
                        .iter()
                        .filter(|o| self.chosen.contains(&o.code))
                        .map(|o| o.code.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    return Picked::Chosen(value);
                }
                return match self.current() {
                    Some(o) => Picked::Chosen(o.code.clone()),
                    None => Picked::Open(Some(Msg::error("picker.nothing_matches"))),
                };
            }
            Action::Back => return Picked::Cancelled,
            _ => {}
        }
        self.keep_in_view();
        Picked::Open(None)
    }

    fn current(&self) -> Option<&Opt> {
        self.shown.get(self.cursor).map(|&i| &self.options[i])
    }

    /// The options matching what is typed, the highlight kept on the same
    /// option where it still matches.
    fn refilter(&mut self) {
        let before = self.shown.get(self.cursor).copied();
        let typed = self.filter.value().trim().to_owned();
        let query = Query::parse(&typed);
        let probes = query.plan();
        let lower = typed.to_lowercase();
        self.shown = (0..self.options.len())
            .filter(|&i| {
                if typed.is_empty() {
                    return true;
                }
                let (doc, plain) = &self.found_by[i];
                plain.contains(&lower) || probes.iter().any(|p| p.matches(doc))
            })
            .collect();
        self.cursor = before
            .and_then(|b| self.shown.iter().position(|&i| i == b))
            .unwrap_or(0);
        self.first = 0;
        self.keep_in_view();
    }

    fn keep_in_view(&mut self) {
        if self.cursor < self.first {
            self.first = self.cursor;
        } else if self.cursor >= self.first + PAGE {
            self.first = self.cursor + 1 - PAGE;
        }
    }

    /// Where the pop-up goes in `area`: near the top, centred.
    fn frame(&self, area: Rect) -> Rect {
        let filter_row = u16::from(!self.multi);
        // At least one line: an option, or the word that nothing matches.
        let rows = (self.shown.len().clamp(1, PAGE) as u16 + 2 + filter_row)
            .min(area.height.saturating_sub(1))
            .max(3);
        let width = area.width.saturating_sub(8).min(60);
        Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + 1,
            width,
            height: rows,
        }
    }

    /// Draws the list titled with the field's label; in a single choice the
    /// filter typed so far on its first line.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>, label_key: &str) {
        let r = self.frame(area);
        crate::tui::widgets::help::clear(r, buf);
        let title = text::truncate(
            &format!(" {} ", ui.t(label_key)),
            r.width.saturating_sub(2) as usize,
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ui.theme.border())
            .title(title);
        let inner = block.inner(r);
        block.render(r, buf);
        let w = inner.width as usize;
        let mut y = inner.y;
        if !self.multi && inner.height > 0 {
            let prompt = format!(" {} ", ui.t("picker.filter"));
            let pw = text::width(&prompt);
            put(buf, inner.x, y, &prompt, w, ui.theme.dim());
            let (shown, _) = self.filter.visible(w.saturating_sub(pw + 1));
            put(
                buf,
                inner.x + pw as u16,
                y,
                &text::pad_right(&shown, w.saturating_sub(pw)),
                w.saturating_sub(pw),
                ui.theme.field_focus(),
            );
            y += 1;
        }
        let visible = (inner.y + inner.height).saturating_sub(y) as usize;
        if self.shown.is_empty() && visible > 0 {
            put(
                buf,
                inner.x + 1,
                y,
                &ui.t("picker.nothing_matches"),
                w,
                ui.theme.dim(),
            );
            return;
        }
        let first = self
            .first
            .min(self.cursor)
            .max(self.cursor.saturating_sub(visible.saturating_sub(1)));
        for (row, &i) in self.shown.iter().enumerate().skip(first).take(visible) {
            let o = &self.options[i];
            let mark = match (self.multi, self.chosen.contains(&o.code)) {
                (false, _) => "",
                (true, true) => "[x] ",
                (true, false) => "[ ] ",
            };
            let style = if row == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let line = text::pad_right(&format!(" {mark}{}", o.label.text(ui.catalog, ui.lang)), w);
            put(buf, inner.x, y + (row - first) as u16, &line, w, style);
        }
    }

    /// The cursor in the filter, in a single choice.
    pub fn cursor_at(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        if self.multi {
            return None;
        }
        let r = self.frame(area);
        let w = r.width.saturating_sub(2) as usize;
        let pw = text::width(&format!(" {} ", ui.t("picker.filter")));
        let (_, col) = self.filter.visible(w.saturating_sub(pw + 1));
        Some(Position {
            x: r.x + 1 + (pw + col) as u16,
            y: r.y + 1,
        })
    }
}

/// The search keys of an option's names (Chinese and Tibetan, as search
/// makes them for people), and its code and labels in lower case.
fn found_by(o: &Opt, catalog: &Catalog) -> ([String; 8], String) {
    let (zh, bo, en) = match &o.label {
        Label::Names { zh, bo, en } | Label::Catalogue { zh, bo, en } => {
            (zh.clone(), bo.clone(), en.clone())
        }
        Label::Place { township, village } => (
            format!("{} {}", township.0, village.0),
            format!("{} {}", township.1, village.1),
            String::new(),
        ),
        Label::Key(k) => (
            catalog.get(Locale::Zh, k).unwrap_or_default().to_owned(),
            catalog.get(Locale::Bo, k).unwrap_or_default().to_owned(),
            catalog.get(Locale::En, k).unwrap_or_default().to_owned(),
        ),
        other => {
            let zh = other.text(catalog, crate::i18n::Lang::Zh);
            let en = other.text(catalog, crate::i18n::Lang::En);
            (zh, String::new(), en)
        }
    };
    let doc = keys::person_doc(&zh, &bo);
    let plain = format!("{} {zh} {bo} {en}", o.code).to_lowercase();
    (doc, plain)
}

//! Drawing a form: section headings, block headings, one line per field
//! (label, then the answer or the text being edited), and each field's
//! findings below it, scrolled so the focused field stays in view.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use super::{Ask, FormScreen};
use crate::forms::{self, Kind, Opt, Slot};
use crate::i18n::Localized;
use crate::text;
use crate::tui::screen::Ui;
use crate::tui::widgets::status_bar::put;

pub(super) enum FormLine {
    Heading(String),
    Block(String),
    Field(usize, Slot),
    /// The rest of a field's label that does not fit beside it (in
    /// bilingual mode, the Tibetan half under the Chinese).
    LabelMore(usize, String),
    /// One line of a finding's message (long ones run over several), and
    /// whether it is an error.
    Problem(String, bool),
}

impl FormScreen {
    /// Cells for the text being edited: the value column, less room for the
    /// Wylie mark when that mode is on.
    fn editor_width(&self, vw: usize, ui: &Ui<'_>) -> usize {
        if self.editor.is_wylie() {
            vw.saturating_sub(text::width(&ui.t("form.wylie_mark")) + 1)
        } else {
            vw
        }
    }

    /// Cells of the label column: the widest label, up to a third of the
    /// window (labels wider than that go on two lines).
    fn label_width(&self, ui: &Ui<'_>, area_width: u16) -> usize {
        let most = (area_width as usize / 3).max(22);
        self.spec
            .sections
            .iter()
            .flat_map(|s| &s.fields)
            .map(|f| text::width(&ui.t(f.label)))
            .max()
            .unwrap_or(0)
            .clamp(8, most)
    }

    /// A field's label in lines of `lw` cells: one when it fits; in
    /// bilingual mode the Chinese and then the Tibetan when both do not fit
    /// on one line, so neither half is left out.
    fn label_lines(&self, key: &str, lw: usize, ui: &Ui<'_>) -> Vec<String> {
        let full = ui.t(key);
        if text::width(&full) <= lw {
            return vec![full];
        }
        if ui.lang == crate::i18n::Lang::ZhBo {
            let (zh, bo) = ui.catalog.pair(key);
            if zh != bo {
                return vec![text::truncate(zh, lw), text::truncate(bo, lw)];
            }
        }
        vec![text::truncate(&full, lw)]
    }

    /// Rows above the fields: the review status, and the note that the
    /// record cannot change.
    fn header_rows(&self, ui: &Ui<'_>, width: u16) -> u16 {
        self.header_lines(ui, width).len() as u16 + u16::from(self.frozen.is_some())
    }

    /// Whose record it is and where review has it, on one or two lines.
    fn header_lines(&self, ui: &Ui<'_>, width: u16) -> Vec<String> {
        if self.status.is_none() && self.subject.is_none() {
            return Vec::new();
        }
        let mut parts = Vec::new();
        if let Some(subject) = &self.subject {
            let text = subject.text(ui.lang);
            if !text.is_empty() {
                parts.push(ui.label_value("household.number", &text));
            }
        }
        if let Some((status, comment)) = &self.status {
            parts.push(ui.label_value("visit.status", &ui.code("visit_status", status)));
            if !comment.is_empty() {
                parts.push(ui.label_value("visit.review_comment", comment));
            }
        }
        text::flow(&parts, width as usize, 2)
    }

    /// The lines of the form as drawn: headings, fields and their findings
    /// (each finding wrapped to the `width` cells of the value column, so
    /// it is read whole).
    pub(super) fn lines(&self, ui: &Ui<'_>, width: usize, lw: usize) -> Vec<FormLine> {
        let mut out = Vec::new();
        let mut last_block: Option<(usize, Option<usize>)> = None;
        for (i, slot) in self.slots().into_iter().enumerate() {
            if last_block.map(|b| b.0) != Some(slot.section) {
                out.push(FormLine::Heading(
                    ui.t(self.spec.sections[slot.section].label),
                ));
            }
            if slot.row.is_some() && last_block != Some((slot.section, slot.row)) {
                out.push(FormLine::Block(self.block_heading(slot, ui)));
            }
            last_block = Some((slot.section, slot.row));
            out.push(FormLine::Field(i, slot));
            let label = self.spec.field(slot).label;
            for more in self.label_lines(label, lw, ui).into_iter().skip(1) {
                out.push(FormLine::LabelMore(i, more));
            }
            for p in self.problems.get(&slot).into_iter().flatten() {
                let sign = if p.is_error() { "✗" } else { "!" };
                let msg = format!("{sign} {}", p.message(ui.catalog, ui.lang));
                for line in text::wrap(&msg, width.max(10)) {
                    out.push(FormLine::Problem(line, p.is_error()));
                }
            }
        }
        out
    }

    fn block_heading(&self, slot: Slot, ui: &Ui<'_>) -> String {
        let section = &self.spec.sections[slot.section];
        let row = slot.row.unwrap_or(0);
        let values = self.data.rows(section.name).get(row).map(|r| &r.values);
        let get = |k: &str| values.and_then(|v| v.get(k)).cloned().unwrap_or_default();
        let shown = self.data.rows(section.name)[..row]
            .iter()
            .filter(|r| !r.removed)
            .count()
            + 1;
        let key = section.repeat.map(|r| r.heading).unwrap_or("form.block");
        ui.catalog.format_named(
            ui.lang,
            key,
            &[("n", &shown.to_string())],
            ("name", &get("name_zh"), &get("name_bo")),
        )
    }

    /// The answer as shown: text as typed, choices by their labels.
    fn shown_value(&self, slot: Slot, ui: &Ui<'_>, data_options: Option<&[Opt]>) -> String {
        let f = self.spec.field(slot);
        let v = self.spec.value(&self.data, slot);
        if f.kind.is_typed() || v.is_empty() {
            return v.to_owned();
        }
        let label = |code: &str| -> String {
            match f.options {
                forms::Options::Codes(list) => ui.t(&list.label_key(code)),
                _ if f.kind == Kind::YesNo => {
                    ui.t(if code == "1" { "form.yes" } else { "form.no" })
                }
                _ => data_options
                    .and_then(|opts| opts.iter().find(|o| o.code == code))
                    .map(|o| o.label.text(ui.catalog, ui.lang))
                    .unwrap_or_else(|| code.to_owned()),
            }
        };
        let labels: Vec<String> = v.split_whitespace().map(label).collect();
        ui.join_list(&labels)
    }

    /// The first line drawn and the row of the focused field, for a body of
    /// `height` rows: the focused field a third from the top.
    fn scroll(&self, lines: &[FormLine], height: usize) -> (usize, usize) {
        let at = lines
            .iter()
            .position(|l| matches!(l, FormLine::Field(i, _) if *i == self.focus))
            .unwrap_or(0);
        let first = at
            .saturating_sub(height / 3)
            .min(lines.len().saturating_sub(height));
        (first, at)
    }

    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let lw = self.label_width(ui, area.width);
        let vx = area.x + 2 + lw as u16 + 2;
        let vw = area.width.saturating_sub(lw as u16 + 5) as usize;
        let mut top = area.y;
        let style = if self.status.as_ref().is_some_and(|(s, _)| s == "returned") {
            ui.theme.error()
        } else {
            ui.theme.dim()
        };
        for line in self.header_lines(ui, area.width) {
            put(buf, area.x, top, &line, area.width as usize, style);
            top += 1;
        }
        if self.frozen.is_some() {
            // Said for as long as the record is shown, not only on opening.
            let line = format!(" {}", ui.t("form.view_only"));
            put(
                buf,
                area.x,
                top,
                &line,
                area.width as usize,
                ui.theme.error(),
            );
            top += 1;
        }
        let height = (area.y + area.height).saturating_sub(top) as usize;
        let lines = self.lines(ui, vw, lw);
        let (first, _) = self.scroll(&lines, height);
        for (row, line) in lines.iter().skip(first).take(height).enumerate() {
            let y = top + row as u16;
            match line {
                FormLine::Heading(h) => {
                    put(
                        buf,
                        area.x + 1,
                        y,
                        &format!("── {h} "),
                        area.width.saturating_sub(2) as usize,
                        ui.theme.title(),
                    );
                }
                FormLine::Block(h) => {
                    put(
                        buf,
                        area.x + 1,
                        y,
                        &format!("▸ {h}"),
                        area.width.saturating_sub(2) as usize,
                        ui.theme.key(),
                    );
                }
                FormLine::Field(i, slot) => self.draw_field(buf, ui, (vx, y, vw, lw), *i, *slot),
                FormLine::LabelMore(i, more) => {
                    let style = if *i == self.focus {
                        ui.theme.title()
                    } else {
                        Style::new()
                    };
                    put(buf, vx - lw as u16 - 2, y, more, lw, style);
                }
                FormLine::Problem(line, error) => {
                    let style = if *error {
                        ui.theme.error()
                    } else {
                        ui.theme.key()
                    };
                    put(buf, vx, y, line, vw, style);
                }
            }
        }
        if let Some(p) = &self.picker {
            p.render(area, buf, ui, self.spec.field(p.slot).label);
        }
        if self.ask == Some(Ask::AcceptWarnings) {
            crate::tui::widgets::help::confirm(area, buf, ui, "form.accept_warnings");
        }
        self.review.render(area, buf, ui);
    }

    /// One field's line: its label, then its answer (or the editor).
    fn draw_field(
        &self,
        buf: &mut Buffer,
        ui: &Ui<'_>,
        (vx, y, vw, lw): (u16, u16, usize, usize),
        i: usize,
        slot: Slot,
    ) {
        let f = self.spec.field(slot);
        let focused = i == self.focus;
        let mark = if f.required { "*" } else { " " };
        let first = self.label_lines(f.label, lw, ui).swap_remove(0);
        let label = format!("{first}{mark}");
        let label_style = if focused {
            ui.theme.title()
        } else {
            Style::new()
        };
        put(buf, vx - lw as u16 - 2, y, &label, lw + 1, label_style);
        let style = if focused {
            ui.theme.field_focus()
        } else {
            Style::new()
        };
        if focused && f.kind.is_typed() {
            let ew = self.editor_width(vw, ui);
            let (shown, _) = self.editor.visible(ew);
            put(buf, vx, y, &text::pad_right(&shown, ew), ew, style);
            if self.editor.is_wylie() {
                // Wylie mode is marked beside the field; red while a key cannot convert.
                let mark_style = if self.editor.wylie_incomplete() {
                    ui.theme.error()
                } else {
                    ui.theme.key()
                };
                put(
                    buf,
                    vx + ew as u16 + 1,
                    y,
                    &ui.t("form.wylie_mark"),
                    vw.saturating_sub(ew + 1),
                    mark_style,
                );
            }
        } else {
            let opts = self
                .data_options
                .get(&(slot.section, slot.field))
                .map(Vec::as_slice);
            let mut shown = self.shown_value(slot, ui, opts);
            // The arrows say "Left/Right change this"; not on a record that cannot change.
            if !f.kind.is_typed() && focused && self.frozen.is_none() {
                shown = format!("‹ {shown} ›");
            }
            put(buf, vx, y, &text::pad_right(&shown, vw), vw, style);
        }
    }

    pub(super) fn cursor_at(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        if self.picker.is_some()
            || self.ask.is_some()
            || self.frozen.is_some()
            || !self.focused_field_kind()?.is_typed()
        {
            return None;
        }
        let lw = self.label_width(ui, area.width);
        let vw = area.width.saturating_sub(lw as u16 + 5) as usize;
        let top = area.y + self.header_rows(ui, area.width);
        let height = (area.y + area.height).saturating_sub(top) as usize;
        let lines = self.lines(ui, vw, lw);
        let (first, at) = self.scroll(&lines, height);
        let (_, col) = self.editor.visible(self.editor_width(vw, ui));
        Some(Position {
            x: area.x + 2 + lw as u16 + 2 + col as u16,
            y: top + (at - first) as u16,
        })
    }
}

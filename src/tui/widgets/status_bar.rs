//! The title row and the status rows: message line, then operator,
//! database, language and date, then the key hints of the active context.

use std::path::Path;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::text;
use crate::tui::keymap::{Context, display_key, usable_keys};
use crate::tui::screen::{Msg, Ui, lang_key};

/// Writes `s` at (x, y), at most `max` cells; returns the cells used.
pub fn put(buf: &mut Buffer, x: u16, y: u16, s: &str, max: usize, style: Style) -> usize {
    let s = text::truncate(s, max);
    buf.set_stringn(x, y, &s, max, style);
    text::width(&s)
}

pub fn title(area: Rect, buf: &mut Buffer, ui: &Ui<'_>, screen_key: &str) {
    let app = ui.t("app.name");
    let county = ui.t("app.county");
    let screen = ui.t(screen_key);
    let line = format!(" {app} · {county} › {screen}");
    let line = if text::width(&line) > area.width as usize {
        format!(" {screen}")
    } else {
        line
    };
    buf.set_style(area, ui.theme.title());
    put(
        buf,
        area.x,
        area.y,
        &line,
        area.width as usize,
        ui.theme.title(),
    );
}

pub struct Status<'a> {
    pub operator: &'a str,
    pub db: &'a str,
    pub read_only: bool,
    pub today: NaiveDate,
    pub contexts: &'a [Context],
    pub message: Option<&'a Msg>,
}

pub fn render(area: Rect, buf: &mut Buffer, ui: &Ui<'_>, s: &Status<'_>) {
    let w = area.width as usize;
    // Message line: errors and confirmations.
    if let Some(m) = s.message {
        let style = if m.error {
            ui.theme.error()
        } else {
            ui.theme.ok()
        };
        // A long message takes the row above too (over the screen's last
        // row, while it is shown), so it is read whole.
        let lines = text::wrap(&m.text(ui), w.saturating_sub(2).max(1));
        if lines.len() > 1 && area.y > 0 {
            let blank = " ".repeat(w);
            put(buf, area.x, area.y - 1, &blank, w, style);
            put(buf, area.x, area.y - 1, &format!(" {}", lines[0]), w, style);
            let rest = lines[1..].join(" ");
            put(buf, area.x, area.y, &format!(" {rest}"), w, style);
        } else {
            put(buf, area.x, area.y, &format!(" {}", m.text(ui)), w, style);
        }
    }
    // Status line.
    let y = area.y + 1;
    buf.set_style(
        Rect {
            x: area.x,
            y,
            width: area.width,
            height: 1,
        },
        ui.theme.status(),
    );
    let operator = if s.operator.is_empty() {
        ui.t("status.no_operator")
    } else {
        s.operator.to_owned()
    };
    let lang = ui.t(lang_key(ui.lang));
    let mut right = format!("{lang} │ {} ", s.today.format("%Y-%m-%d"));
    if s.read_only {
        right = format!("{} │ {right}", ui.t("status.read_only"));
    }
    let left_room = w.saturating_sub(text::width(&right) + 1);
    let full = s.db.to_owned();
    let file = Path::new(s.db)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| full.clone());
    let op_part = format!(" {} {operator} │ ", ui.t("status.operator"));
    let db_room = left_room.saturating_sub(text::width(&op_part));
    let db = if text::width(&full) <= db_room {
        full
    } else {
        file
    };
    put(
        buf,
        area.x,
        y,
        &format!("{op_part}{db}"),
        left_room,
        ui.theme.status(),
    );
    let rw = text::width(&right).min(w);
    put(
        buf,
        area.x + (w - rw) as u16,
        y,
        &right,
        rw,
        ui.theme.status(),
    );
    // Hints: the bindings marked as hints, most specific context first;
    // help always among them, so the rest can be found.
    let y = area.y + 2;
    let contexts: Vec<Context> = s
        .contexts
        .iter()
        .copied()
        .chain([Context::Global])
        .collect();
    let mut hints: Vec<(String, String, bool)> = Vec::new();
    // Keys a more specific context binds: a later context's hint for the
    // same key would name what the key does not do here.
    let mut taken: Vec<&str> = Vec::new();
    for &ctx in &contexts {
        for b in ui
            .keymap
            .bindings(ctx)
            .iter()
            .filter(|b| b.hint && !(s.read_only && b.action.changes()))
        {
            let Some(key) = usable_keys(b, ctx, s.contexts)
                .into_iter()
                .find(|k| !taken.contains(k))
                .map(display_key)
            else {
                continue;
            };
            // Shown whole (in bilingual mode both halves) or not at all.
            let desc = ui.t(&b.action.description_key());
            let desc = if ui.lang == crate::i18n::Lang::ZhBo {
                desc
            } else {
                text::truncate(&desc, 24)
            };
            hints.push((key, desc, b.action == crate::tui::action::Action::Help));
        }
        taken.extend(
            ui.keymap
                .bindings(ctx)
                .iter()
                .flat_map(|b| b.keys.iter().map(String::as_str)),
        );
    }
    let need = |(k, d, _): &(String, String, bool)| text::width(k) + 1 + text::width(d) + 2;
    let help_need = hints.iter().find(|h| h.2).map_or(0, need);
    let mut room = w.saturating_sub(1 + help_need);
    let mut shown: Vec<&(String, String, bool)> = Vec::new();
    for h in hints.iter().filter(|h| !h.2) {
        if need(h) <= room {
            room -= need(h);
            shown.push(h);
        }
    }
    // Help goes where the keymap puts it among the others.
    let mut ordered: Vec<&(String, String, bool)> = hints
        .iter()
        .filter(|h| h.2 || shown.iter().any(|s| std::ptr::eq(*s, *h)))
        .collect();
    ordered.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let mut x = 1usize;
    for (key, desc, _) in ordered {
        if x >= w {
            break;
        }
        x += put(buf, area.x + x as u16, y, key, w - x, ui.theme.key());
        x += 1;
        x += put(
            buf,
            area.x + x as u16,
            y,
            desc,
            w.saturating_sub(x),
            Style::new(),
        );
        x += 2;
    }
}

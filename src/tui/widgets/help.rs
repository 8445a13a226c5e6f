//! The help overlay, generated from the keymap for the active screen, and
//! the yes/no confirmation box.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::status_bar::put;
use crate::text;
use crate::tui::keymap::{Context, display_key, usable_keys};
use crate::tui::screen::Ui;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears the cells under a pop-up at `r`, and a double-width character
/// cut by its left edge: left there, the terminal would draw it over the
/// pop-up's border (and ratatui would skip the border's cell as covered).
pub fn clear(r: Rect, buf: &mut Buffer) {
    let r = r.intersection(buf.area);
    for y in r.top()..r.bottom() {
        if r.x > buf.area.x {
            let cell = &mut buf[(r.x - 1, y)];
            if text::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    Clear.render(r, buf);
}

/// The lines of help for a screen: every binding in force, most specific
/// context first. A key taken by an earlier context is not listed again
/// under a later one, so each key is shown with what it really does.
pub fn lines(ui: &Ui<'_>, contexts: &[Context]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut taken: Vec<&str> = Vec::new();
    for ctx in contexts.iter().copied().chain([Context::Global]) {
        for b in ui
            .keymap
            .bindings(ctx)
            .iter()
            .filter(|b| !(ui.read_only && b.action.changes()))
        {
            let usable: Vec<&str> = usable_keys(b, ctx, contexts)
                .into_iter()
                .filter(|k| !taken.contains(k))
                .collect();
            if usable.is_empty() {
                continue;
            }
            taken.extend(&usable);
            let keys = usable
                .iter()
                .map(|k| display_key(k))
                .collect::<Vec<_>>()
                .join(" ");
            out.push((keys, ui.t(&b.action.description_key())));
        }
    }
    out
}

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    ui: &Ui<'_>,
    screen_key: &str,
    contexts: &[Context],
    scroll: u16,
) {
    let lines = lines(ui, contexts);
    let key_w = lines
        .iter()
        .map(|(k, _)| text::width(k))
        .max()
        .unwrap_or(0)
        .min(20);
    let title = format!(" {} · {} ", ui.t("help.title"), ui.t(screen_key));
    let footer = ui.t("help.footer");
    // As wide as its widest line needs, where the window has room.
    let widest = lines
        .iter()
        .map(|(_, d)| key_w + 2 + text::width(d))
        .chain([text::width(&footer), text::width(&title)])
        .max()
        .unwrap_or(0);
    let box_area = centered(area, (widest as u16 + 4).max(64), lines.len() as u16 + 4);
    clear(box_area, buf);
    let title = text::truncate(&title, box_area.width.saturating_sub(2) as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ui.theme.border())
        .title(title);
    let inner = block.inner(box_area);
    block.render(box_area, buf);
    let room = inner.height.saturating_sub(1) as usize;
    let skip = (scroll as usize).min(lines.len().saturating_sub(room));
    for (i, (k, d)) in lines.iter().skip(skip).take(room).enumerate() {
        let y = inner.y + i as u16;
        put(buf, inner.x + 1, y, k, key_w, ui.theme.key());
        let x = inner.x + 1 + key_w as u16 + 2;
        put(
            buf,
            x,
            y,
            d,
            inner.width.saturating_sub(key_w as u16 + 3) as usize,
            ratatui::style::Style::new(),
        );
    }
    put(
        buf,
        inner.x + 1,
        inner.y + inner.height.saturating_sub(1),
        &footer,
        inner.width.saturating_sub(1) as usize,
        ui.theme.dim(),
    );
}

pub fn confirm(area: Rect, buf: &mut Buffer, ui: &Ui<'_>, question_key: &str) {
    confirm_text(area, buf, ui, &ui.t(question_key));
}

/// The yes/no box with a question already put in words.
pub fn confirm_text(area: Rect, buf: &mut Buffer, ui: &Ui<'_>, q: &str) {
    let q = q.to_owned();
    let yes_no = ui.t("ui.yes_no");
    let width = (text::width(&q).max(text::width(&yes_no)) + 4).min(area.width as usize) as u16;
    let box_area = centered(area, width, 4);
    clear(box_area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ui.theme.error());
    let inner = block.inner(box_area);
    block.render(box_area, buf);
    put(
        buf,
        inner.x + 1,
        inner.y,
        &q,
        inner.width.saturating_sub(1) as usize,
        ui.theme.error(),
    );
    if inner.height > 1 {
        put(
            buf,
            inner.x + 1,
            inner.y + 1,
            &yes_no,
            inner.width.saturating_sub(1) as usize,
            ui.theme.key(),
        );
    }
}

//! Display width of text in a terminal, over grapheme clusters: a Chinese
//! character takes 2 cells, a Tibetan stack (base letter, subjoined letters,
//! vowel signs) takes 1, and a cut never splits a cluster.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Cells taken by one grapheme cluster, counted as ratatui's buffer counts
/// them, so what we measure is what gets drawn.
pub fn cluster_width(g: &str) -> usize {
    g.width()
}

/// Cells taken by `s`.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(cluster_width).sum()
}

/// `s` cut to at most `max` cells; a cut is marked with `…`. What no
/// terminal should be sent is left out first (see [`clean`]): everything
/// drawn goes through here.
pub fn truncate(s: &str, max: usize) -> String {
    let s = &*clean(s);
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = truncate_plain(s, max - 1);
    out.push('…');
    out
}

/// `s` truncated or padded with spaces on the right to exactly `cells` cells.
pub fn pad_right(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cells.saturating_sub(w)))
}

/// `s` truncated or padded with spaces on the left to exactly `cells` cells.
pub fn pad_left(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    format!("{}{t}", " ".repeat(cells.saturating_sub(w)))
}

/// The longest prefix of `s` that fits in `max` cells, without a cut mark.
pub fn truncate_plain(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = cluster_width(g);
        if used + w > max {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out
}

/// Characters never stored: control characters (C0, DEL, C1) and the
/// invisible format characters that reorder or hide text on a terminal
/// (bidirectional overrides and isolates, zero-width joiners are allowed:
/// they shape scripts).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// The first character of `v` that [`is_unsafe_char`], found from the
/// bytes (this runs for every text of every row imported): only ASCII
/// controls and the lead bytes of C1 controls (C2), the marks and
/// overrides (E2) and the byte order mark (EF) need a closer look.
pub fn find_unsafe_char(v: &str) -> Option<char> {
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x00..=0x1F | 0x7F => return Some(char::from(b[i])),
            0xC2 | 0xE2 | 0xEF => {
                let c = v[i..].chars().next()?;
                if is_unsafe_char(c) {
                    return Some(c);
                }
                i += c.len_utf8();
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `s` without the characters [`is_unsafe_char`] finds: what every text
/// from data or files passes through before it reaches a terminal, so an
/// escape sequence, a bell or a bidirectional override in a name can never
/// clear a screen, write a clipboard or reorder a line.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if find_unsafe_char(s).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|c| !is_unsafe_char(*c)).collect())
}

/// [`clean`] for lines printed on the command line: line breaks and tabs
/// (the command line's own layout) stay.
pub fn clean_lines(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_here = |c: char| c != '\n' && c != '\t' && is_unsafe_char(c);
    if !s.chars().any(unsafe_here) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|c| !unsafe_here(*c)).collect())
}

/// `parts` joined by `  ·  ` into at most `lines` lines of `max` cells, a
/// part moving to the next line when it does not fit (the last line is
/// cut by whoever draws it). Empty parts are left out.
pub fn flow(parts: &[String], max: usize, lines: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for part in parts.iter().filter(|p| !p.is_empty()) {
        let count = out.len();
        let last = out.last_mut().expect("a line");
        let joined = if last.is_empty() {
            format!(" {part}")
        } else {
            format!("{last}  ·  {part}")
        };
        if width(&joined) > max && !last.is_empty() && count < lines.max(1) {
            out.push(format!(" {part}"));
        } else {
            *last = joined;
        }
    }
    out
}

/// `s` broken into lines of at most `max` cells: at a space where there is
/// one (Latin and Tibetan words, kept whole when they fit), else between
/// clusters (Chinese runs on without spaces).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut last_space: Option<(usize, usize)> = None; // byte in line, cells before it
    for g in s.graphemes(true) {
        let w = cluster_width(g);
        if used + w > max && !line.is_empty() {
            match last_space {
                Some((at, cells)) if cells > 0 => {
                    let rest = line.split_off(at);
                    lines.push(line.trim_end().to_owned());
                    line = rest.trim_start().to_owned();
                    used = width(&line);
                }
                _ => {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
            }
            last_space = None;
        }
        if g == " " {
            last_space = Some((line.len(), used));
        }
        line.push_str(g);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

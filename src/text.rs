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

/// `s` cut to at most `max` cells; a cut is marked with `…`.
pub fn truncate(s: &str, max: usize) -> String {
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

//! A one-line text input that edits by grapheme cluster: arrows and
//! Backspace move over a whole Chinese character or Tibetan stack, and the
//! cursor lands on the right cell after wide and combining text.

use unicode_segmentation::UnicodeSegmentation;

use crate::text;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Byte offset of the cursor, always on a cluster boundary.
    cursor: usize,
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        TextInput {
            value: value.to_owned(),
            cursor: value.len(),
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn set(&mut self, value: &str) {
        self.value = value.to_owned();
        self.cursor = self.value.len();
    }

    /// Inserts a character at the cursor. A combining character (a Tibetan
    /// subjoined letter or vowel sign) joins the stack before it.
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        self.value.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    fn prev_boundary(&self) -> usize {
        self.value[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.value[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary();
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.value.len();
    }

    /// Deletes the cluster before the cursor.
    pub fn backspace(&mut self) {
        let start = self.prev_boundary();
        self.value.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Deletes the cluster after the cursor.
    pub fn delete(&mut self) {
        let end = self.next_boundary();
        self.value.replace_range(self.cursor..end, "");
    }

    /// The cell column of the cursor from the start of the text.
    pub fn cursor_column(&self) -> usize {
        text::width(&self.value[..self.cursor])
    }

    /// The part of the text to show in a field `cells` wide, and the cursor's
    /// column within it: scrolled so the cursor is always visible.
    pub fn visible(&self, cells: usize) -> (String, usize) {
        if cells == 0 {
            return (String::new(), 0);
        }
        let before: Vec<&str> = self.value[..self.cursor].graphemes(true).collect();
        // Keep as much text before the cursor as fits, leaving its own cell free.
        let mut start = before.len();
        let mut used = 0;
        while start > 0 {
            let w = text::cluster_width(before[start - 1]);
            if used + w > cells.saturating_sub(1) {
                break;
            }
            used += w;
            start -= 1;
        }
        let skip: usize = before[..start].iter().map(|g| g.len()).sum();
        let shown = text::truncate_plain(&self.value[skip..], cells);
        (shown, used)
    }
}

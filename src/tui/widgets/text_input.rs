//! A one-line text input that edits by grapheme cluster: arrows and
//! Backspace move over a whole Chinese character or Tibetan stack, and the
//! cursor lands on the right cell after wide and combining text.
//!
//! In Wylie mode, Latin keys are composed into Tibetan as they are typed
//! (`bkra shis` shows བཀྲ་ཤིས): the field's value always holds the Tibetan,
//! and Backspace takes back the last Latin key while a word is composed.

use unicode_segmentation::UnicodeSegmentation;

use crate::text;
use crate::tui::action::Action;
use crate::tui::screen::Msg;
use crate::wylie::Composer;

/// What an action did to a text input (see [`TextInput::apply`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Not an action of text editing: the caller handles it.
    NotMine,
    /// The cursor moved; the text is as it was.
    Moved,
    /// The text changed.
    Changed,
    /// Wylie input was switched on or off: the message to show.
    Wylie(Msg),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Byte offset of the cursor, always on a cluster boundary.
    cursor: usize,
    wylie: Option<Wylie>,
}

/// Wylie typing in progress: the keys since it began, inserted at `at` in `base`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Wylie {
    composer: Composer,
    base: String,
    at: usize,
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        TextInput {
            value: value.to_owned(),
            cursor: value.len(),
            wylie: None,
        }
    }

    /// A field with `value`, in Wylie mode if `wylie`.
    pub fn with_mode(value: &str, wylie: bool) -> TextInput {
        let mut t = TextInput::new(value);
        t.set_wylie(wylie);
        t
    }

    pub fn is_wylie(&self) -> bool {
        self.wylie.is_some()
    }

    /// Turns Wylie mode on or off; what was composed stays as Tibetan.
    pub fn set_wylie(&mut self, on: bool) {
        self.wylie = on.then(|| Wylie {
            composer: Composer::new(),
            base: self.value.clone(),
            at: self.cursor,
        });
    }

    /// Whether the keys being composed cannot all be converted.
    pub fn wylie_incomplete(&self) -> bool {
        self.wylie
            .as_ref()
            .is_some_and(|w| !w.composer.preview().is_complete())
    }

    /// Rebuilds the value from the base text and the composed keys.
    fn recompose(&mut self) {
        if let Some(w) = &self.wylie {
            let shown = w.composer.preview().text;
            self.value = format!("{}{shown}{}", &w.base[..w.at], &w.base[w.at..]);
            self.cursor = w.at + shown.len();
        }
    }

    /// Ends the word being composed (before the cursor moves or text is deleted).
    fn settle(&mut self) {
        if let Some(w) = &mut self.wylie {
            w.composer = Composer::new();
            w.base = self.value.clone();
            w.at = self.cursor;
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// Applies an editing action (typing, moving, deleting, switching
    /// Wylie input): the one place every screen's text fields edit through.
    pub fn apply(&mut self, action: Action) -> Edit {
        let before = self.value.clone();
        match action {
            Action::Input(c) => self.insert(c),
            Action::DeleteBack => self.backspace(),
            Action::DeleteForward => self.delete(),
            Action::CursorLeft => self.left(),
            Action::CursorRight => self.right(),
            Action::CursorHome => self.home(),
            Action::CursorEnd => self.end(),
            Action::ToggleWylie => {
                let on = !self.is_wylie();
                self.set_wylie(on);
                return Edit::Wylie(Msg::info(if on { "msg.wylie_on" } else { "msg.wylie_off" }));
            }
            _ => return Edit::NotMine,
        }
        if self.value != before {
            Edit::Changed
        } else {
            Edit::Moved
        }
    }

    pub fn set(&mut self, value: &str) {
        self.value = value.to_owned();
        self.cursor = self.value.len();
        self.settle();
    }

    /// Inserts a character at the cursor. A combining character (a Tibetan
    /// subjoined letter or vowel sign) joins the stack before it.
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        if let Some(w) = &mut self.wylie {
            w.composer.push(c);
            self.recompose();
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
        self.settle();
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
        self.settle();
    }

    pub fn home(&mut self) {
        self.cursor = 0;
        self.settle();
    }

    pub fn end(&mut self) {
        self.cursor = self.value.len();
        self.settle();
    }

    /// Deletes the cluster before the cursor (in Wylie mode, while a word is
    /// being composed, the last Latin key).
    pub fn backspace(&mut self) {
        if let Some(w) = &mut self.wylie
            && w.composer.pop().is_some()
        {
            self.recompose();
            return;
        }
        let start = self.prev_boundary();
        self.value.replace_range(start..self.cursor, "");
        self.cursor = start;
        self.settle();
    }

    /// Deletes the cluster after the cursor.
    pub fn delete(&mut self) {
        let end = self.next_boundary();
        self.value.replace_range(self.cursor..end, "");
        self.settle();
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

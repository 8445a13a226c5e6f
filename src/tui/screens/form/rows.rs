//! The rows of an editable roster (a household's members): add, remove
//! (a tombstone on save for a saved member), move up and down.

use super::FormScreen;
use crate::forms::Row;
use crate::tui::screen::{Msg, Outcome};

impl FormScreen {
    /// The repeat section and block of the focused field, if it is in one.
    fn focused_block(&self) -> Option<(usize, usize)> {
        let slot = self.slot()?;
        Some((slot.section, slot.row?))
    }

    /// The focused block, if its section lets the user add and remove blocks.
    fn editable_block(&self) -> Option<(usize, usize)> {
        let (si, row) = self.focused_block()?;
        self.spec.sections[si]
            .repeat
            .is_some_and(|r| r.editable)
            .then_some((si, row))
    }

    pub(super) fn add_row(&mut self) -> Outcome {
        let Some(si) = self
            .spec
            .sections
            .iter()
            .position(|s| s.repeat.is_some_and(|r| r.editable))
        else {
            return Outcome::None;
        };
        let name = self.spec.sections[si].name;
        self.data
            .rows
            .entry(name.to_owned())
            .or_default()
            .push(Row::default());
        let row = self.data.rows(name).len() - 1;
        self.changed();
        if let Some(i) = self
            .slots()
            .iter()
            .position(|s| s.section == si && s.row == Some(row))
        {
            self.focus = i;
            self.load_editor();
        }
        Outcome::Message(Msg::info("form.row_added"))
    }

    pub(super) fn remove_row(&mut self) -> Outcome {
        let Some((si, row)) = self.editable_block() else {
            return Outcome::None;
        };
        let name = self.spec.sections[si].name;
        if let Some(rows) = self.data.rows.get_mut(name) {
            if rows[row].id.is_some() {
                rows[row].removed = true; // deleted (a tombstone) on save
            } else {
                rows.remove(row);
            }
        }
        self.problems
            .retain(|s, _| !(s.section == si && s.row == Some(row)));
        self.changed();
        self.focus = self.focus.min(self.slots().len().saturating_sub(1));
        self.load_editor();
        Outcome::Message(Msg::info("form.row_removed"))
    }

    pub(super) fn move_row(&mut self, up: bool) -> Outcome {
        let Some((si, row)) = self.editable_block() else {
            return Outcome::None;
        };
        let name = self.spec.sections[si].name;
        let Some(rows) = self.data.rows.get_mut(name) else {
            return Outcome::None;
        };
        // The neighbour that is still shown.
        let other = if up {
            (0..row).rev().find(|&i| !rows[i].removed)
        } else {
            (row + 1..rows.len()).find(|&i| !rows[i].removed)
        };
        let Some(other) = other else {
            return Outcome::None;
        };
        rows.swap(row, other);
        let field = self.slot().map(|s| s.field).unwrap_or(0);
        self.problems.clear();
        self.changed();
        if let Some(i) = self
            .slots()
            .iter()
            .position(|s| s.section == si && s.row == Some(other) && s.field == field)
        {
            self.focus = i;
        }
        self.load_editor();
        Outcome::None
    }
}

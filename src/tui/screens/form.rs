//! The one screen that shows and edits any form of `crate::forms`: the
//! renderer and key handler every form shares. A form is validated field by
//! field as the user leaves it and whole on save; save is refused with the
//! first error focused; warnings are accepted with one key. Every change is
//! kept as a draft within about a second.

use std::collections::BTreeMap;
use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Clear, Widget};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Screen;
use crate::domain::Problem;
use crate::domain::records::Visit;
use crate::forms::{self, FormData, FormSpec, Kind, Opt, Row, RuleEnv, Slot};
use crate::i18n::Localized;
use crate::text;
use crate::tui::action::Action;
use crate::tui::app::{Env, Msg, Outcome, Ui};
use crate::tui::keymap::Context;
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::TextInput;

/// Which record a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Target {
    Household { id: Uuid, village: Option<Uuid> },
    Visit { id: Uuid, household: Uuid },
    Village { id: Uuid, township: Option<Uuid> },
}

impl Target {
    pub fn id(self) -> Uuid {
        match self {
            Target::Household { id, .. }
            | Target::Visit { id, .. }
            | Target::Village { id, .. } => id,
        }
    }

    fn spec(self) -> FormSpec {
        match self {
            Target::Household { .. } => forms::household::spec(),
            Target::Visit { .. } => forms::visit::spec(),
            Target::Village { .. } => forms::village::spec(),
        }
    }

    /// The draft's key: the form and the record.
    pub fn draft_key(self) -> String {
        format!("{}:{}", self.spec().name, self.id())
    }

    /// The repeat section whose blocks can be chosen as a person, if any.
    fn members_section(self) -> Option<&'static str> {
        match self {
            Target::Household { .. } => Some(forms::household::MEMBERS),
            _ => None,
        }
    }
}

/// What a draft holds: the record and the answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftPayload {
    pub target: Target,
    pub data: FormData,
}

/// A choice list opened over the form.
#[derive(Debug, Clone)]
struct Picker {
    slot: Slot,
    options: Vec<Opt>,
    cursor: usize,
    /// Codes chosen so far (one for a single choice).
    chosen: Vec<String>,
    multi: bool,
}

/// A question the form asks before going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// Save although there are warnings.
    AcceptWarnings,
}

pub struct FormScreen {
    target: Target,
    spec: FormSpec,
    data: FormData,
    saved: FormData,
    focus: usize,
    editor: TextInput,
    problems: BTreeMap<Slot, Vec<Problem>>,
    picker: Option<Picker>,
    ask: Option<Ask>,
    /// Status line of the record (a visit's review status and comment).
    status: Option<(String, String)>,
    draft_since: Option<Instant>,
    warned_back: bool,
    /// Typing Tibetan in Wylie: kept from field to field until switched off.
    wylie: bool,
    /// Options of fields whose choices come from the data (villages,
    /// courses, townships), read once when the form opens.
    data_options: BTreeMap<(usize, usize), Vec<Opt>>,
}

impl FormScreen {
    /// Opens the form on `target`, from the database, or from `draft` if given.
    pub fn open(
        target: Target,
        env: &mut Env<'_>,
        draft: Option<FormData>,
    ) -> Result<FormScreen, Msg> {
        let store_err = |e: crate::store::StoreError| Msg::from_error(&e);
        let today = env.today;
        let saved = match target {
            Target::Household { id, village } => forms::household::load(env.store, id, village),
            Target::Visit { id, household } => {
                forms::visit::load(env.store, id, household, today, env.store.operator())
            }
            Target::Village { id, township } => forms::village::load(env.store, id, township),
        }
        .map_err(store_err)?;
        let status = match target {
            Target::Visit { id, .. } => env
                .store
                .get::<Visit>(id)
                .ok()
                .flatten()
                .map(|v| (v.status, v.review_comment)),
            _ => None,
        };
        let from_draft = draft.is_some();
        let mut screen = FormScreen {
            target,
            spec: target.spec(),
            data: draft.unwrap_or_else(|| saved.clone()),
            saved,
            focus: 0,
            editor: TextInput::default(),
            problems: BTreeMap::new(),
            picker: None,
            ask: None,
            status,
            draft_since: None,
            warned_back: false,
            wylie: false,
            data_options: BTreeMap::new(),
        };
        for (si, s) in screen.spec.sections.iter().enumerate() {
            for (fi, f) in s.fields.iter().enumerate() {
                if matches!(
                    f.options,
                    forms::Options::Courses | forms::Options::Villages | forms::Options::Townships
                ) {
                    let opts = forms::options(f, env.store, &screen.data, None);
                    screen.data_options.insert((si, fi), opts);
                }
            }
        }
        if from_draft {
            // A restored draft is unsaved work: keep it kept.
            screen.draft_since = Some(Instant::now());
        }
        screen.load_editor();
        Ok(screen)
    }

    fn slots(&self) -> Vec<Slot> {
        self.spec.slots(&self.data)
    }

    fn slot(&self) -> Option<Slot> {
        self.slots().get(self.focus).copied()
    }

    fn rule_env<'a>(&self, env: &'a Env<'_>) -> RuleEnv<'a> {
        RuleEnv {
            today: env.today,
            store: env.store,
            record_id: self.target.id(),
        }
    }

    /// Puts the focused field's answer into the text editor.
    fn load_editor(&mut self) {
        let value = self
            .slot()
            .map(|s| self.spec.value(&self.data, s).to_owned())
            .unwrap_or_default();
        self.editor = TextInput::with_mode(&value, self.wylie);
    }

    fn changed(&mut self) {
        self.draft_since.get_or_insert_with(Instant::now);
        self.warned_back = false;
    }

    fn set_value(&mut self, slot: Slot, value: &str, env: &Env<'_>) {
        self.spec.set(&mut self.data, slot, value, env.today);
        self.changed();
    }

    /// Checks the field being left, then moves the focus.
    fn move_focus(&mut self, to: usize, env: &Env<'_>) {
        if let Some(slot) = self.slot() {
            let found = self.spec.check_field(&self.data, slot, &self.rule_env(env));
            self.problems.insert(slot, found);
        }
        let n = self.slots().len();
        self.focus = to.min(n.saturating_sub(1));
        self.load_editor();
    }

    fn focused_field_kind(&self) -> Option<Kind> {
        self.slot().map(|s| self.spec.field(s).kind)
    }

    fn options(&self, slot: Slot, env: &Env<'_>) -> Vec<Opt> {
        match self.data_options.get(&(slot.section, slot.field)) {
            Some(o) => o.clone(),
            None => forms::options(
                self.spec.field(slot),
                env.store,
                &self.data,
                self.target.members_section(),
            ),
        }
    }

    /// Left/right on a choice: the previous or next option (or none).
    fn cycle(&mut self, forward: bool, env: &Env<'_>) {
        let Some(slot) = self.slot() else { return };
        let kind = self.spec.field(slot).kind;
        if !matches!(
            kind,
            Kind::Choice | Kind::YesNo | Kind::Village | Kind::Person
        ) {
            if kind == Kind::Multi {
                self.open_picker(env);
            }
            return;
        }
        let opts = self.options(slot, env);
        let current = self.spec.value(&self.data, slot);
        let i = opts.iter().position(|o| o.code == current);
        let n = opts.len() + 1; // the last position is "no answer"
        let at = i.unwrap_or(opts.len());
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        let code = opts.get(next).map(|o| o.code.clone()).unwrap_or_default();
        self.set_value(slot, &code, env);
        self.problems.remove(&slot);
    }

    fn open_picker(&mut self, env: &Env<'_>) {
        let Some(slot) = self.slot() else { return };
        let kind = self.spec.field(slot).kind;
        let options = self.options(slot, env);
        let current = self.spec.value(&self.data, slot);
        let chosen: Vec<String> = current.split_whitespace().map(str::to_owned).collect();
        let cursor = options
            .iter()
            .position(|o| chosen.contains(&o.code))
            .unwrap_or(0);
        self.picker = Some(Picker {
            slot,
            options,
            cursor,
            chosen,
            multi: kind == Kind::Multi,
        });
    }

    fn picker_action(&mut self, action: Action, env: &Env<'_>) -> Outcome {
        let Some(p) = self.picker.as_mut() else {
            return Outcome::None;
        };
        match action {
            Action::Up => p.cursor = p.cursor.saturating_sub(1),
            Action::Down => p.cursor = (p.cursor + 1).min(p.options.len().saturating_sub(1)),
            Action::Toggle if p.multi => {
                if let Some(o) = p.options.get(p.cursor) {
                    match p.chosen.iter().position(|c| *c == o.code) {
                        Some(i) => {
                            p.chosen.remove(i);
                        }
                        None => p.chosen.push(o.code.clone()),
                    }
                }
            }
            Action::Choose | Action::Toggle => {
                let p = self.picker.take().expect("picker is open");
                let value = if p.multi {
                    // Stored in the list's order, whatever order they were ticked in.
                    p.options
                        .iter()
                        .filter(|o| p.chosen.contains(&o.code))
                        .map(|o| o.code.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    p.options
                        .get(p.cursor)
                        .map(|o| o.code.clone())
                        .unwrap_or_default()
                };
                self.set_value(p.slot, &value, env);
                self.problems.remove(&p.slot);
            }
            Action::Back => self.picker = None,
            _ => {}
        }
        Outcome::None
    }

    /// The repeat section and block of the focused field, if it is in one.
    fn focused_block(&self) -> Option<(usize, usize)> {
        let slot = self.slot()?;
        Some((slot.section, slot.row?))
    }

    fn editable_repeat(&self) -> Option<usize> {
        self.spec
            .sections
            .iter()
            .position(|s| s.repeat.is_some_and(|r| r.editable))
    }

    fn add_row(&mut self) -> Outcome {
        let Some(si) = self.editable_repeat() else {
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

    fn remove_row(&mut self) -> Outcome {
        let Some((si, row)) = self.focused_block() else {
            return Outcome::None;
        };
        if !self.spec.sections[si].repeat.is_some_and(|r| r.editable) {
            return Outcome::None;
        }
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

    fn move_row(&mut self, up: bool) -> Outcome {
        let Some((si, row)) = self.focused_block() else {
            return Outcome::None;
        };
        if !self.spec.sections[si].repeat.is_some_and(|r| r.editable) {
            return Outcome::None;
        }
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

    /// Validates everything; saves if there are no errors and the warnings
    /// are accepted.
    fn save(&mut self, env: &mut Env<'_>, warnings_accepted: bool) -> Outcome {
        let all = self.spec.check_all(&self.data, &self.rule_env(env));
        self.problems.clear();
        for (slot, p) in &all {
            self.problems.entry(*slot).or_default().push(p.clone());
        }
        if let Some((slot, _)) = all.iter().find(|(_, p)| p.is_error()) {
            let errors = all.iter().filter(|(_, p)| p.is_error()).count();
            if let Some(i) = self.slots().iter().position(|s| s == slot) {
                self.focus = i;
                self.load_editor();
            }
            return Outcome::Message(Msg::error("form.error.fix_first").arg("n", errors));
        }
        let warnings = all.len();
        if warnings > 0 && !warnings_accepted {
            self.ask = Some(Ask::AcceptWarnings);
            return Outcome::Message(Msg::error("form.warnings").arg("n", warnings));
        }
        let today = env.today;
        let result = match self.target {
            Target::Household { id, .. } => {
                forms::household::save(env.store, id, &self.data, today)
            }
            Target::Visit { id, household } => {
                forms::visit::save(env.store, id, household, &self.data, None)
            }
            Target::Village { id, .. } => forms::village::save(env.store, id, &self.data),
        };
        if let Err(e) = result {
            return Outcome::Message(Msg::from_error(&e));
        }
        let _ = env.store.delete_draft(&self.target.draft_key());
        self.draft_since = None;
        // Reload: new members and answers now have their ids.
        let focus = self.focus;
        if let Ok(fresh) = FormScreen::open(self.target, env, None) {
            *self = fresh;
            self.focus = focus.min(self.slots().len().saturating_sub(1));
            self.load_editor();
        }
        Outcome::Message(Msg::info("form.saved"))
    }

    /// Cells for the text being edited: the value column, less room for the
    /// Wylie mark when that mode is on.
    fn editor_width(&self, vw: usize, ui: &Ui<'_>) -> usize {
        if self.editor.is_wylie() {
            vw.saturating_sub(text::width(&ui.t("form.wylie_mark")) + 1)
        } else {
            vw
        }
    }

    fn label_width(&self, ui: &Ui<'_>) -> usize {
        self.spec
            .sections
            .iter()
            .flat_map(|s| &s.fields)
            .map(|f| text::width(&ui.t(f.label)))
            .max()
            .unwrap_or(0)
            .clamp(8, 22)
    }

    /// The lines of the form as drawn: headings, fields and their findings.
    fn lines(&self, ui: &Ui<'_>) -> Vec<FormLine> {
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
            for p in self.problems.get(&slot).into_iter().flatten() {
                out.push(FormLine::Problem(p.clone()));
            }
        }
        out
    }

    fn block_heading(&self, slot: Slot, ui: &Ui<'_>) -> String {
        let section = &self.spec.sections[slot.section];
        let row = slot.row.unwrap_or(0);
        let values = self.data.rows(section.name).get(row).map(|r| &r.values);
        let get = |k: &str| values.and_then(|v| v.get(k)).cloned().unwrap_or_default();
        let name = crate::i18n::names_text(&get("name_zh"), &get("name_bo"), "", ui.lang);
        let shown = self.data.rows(section.name)[..row]
            .iter()
            .filter(|r| !r.removed)
            .count()
            + 1;
        let key = section.repeat.map(|r| r.heading).unwrap_or("form.block");
        ui.catalog
            .format(ui.lang, key, &[("n", &shown.to_string()), ("name", &name)])
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
        v.split_whitespace()
            .map(label)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

enum FormLine {
    Heading(String),
    Block(String),
    Field(usize, Slot),
    Problem(Problem),
}

impl Screen for FormScreen {
    fn title_key(&self) -> &'static str {
        self.spec.title
    }

    fn contexts(&self) -> Vec<Context> {
        if self.ask.is_some() {
            return vec![Context::Confirm];
        }
        if self.picker.is_some() {
            return vec![Context::Picker];
        }
        match self.focused_field_kind() {
            Some(k) if k.is_typed() => vec![Context::Text, Context::Form],
            _ => vec![Context::Form],
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if let Some(ask) = self.ask {
            self.ask = None;
            return match (ask, action) {
                (Ask::AcceptWarnings, Action::ConfirmYes | Action::AcceptWarnings) => {
                    self.save(env, true)
                }
                _ => Outcome::None,
            };
        }
        if self.picker.is_some() {
            return self.picker_action(action, env);
        }
        if action != Action::Back {
            self.warned_back = false;
        }
        let typed = self.focused_field_kind().is_some_and(Kind::is_typed);
        let n = self.slots().len();
        match action {
            Action::NextField => self.move_focus((self.focus + 1) % n.max(1), env),
            Action::PrevField => self.move_focus((self.focus + n.max(1) - 1) % n.max(1), env),
            Action::Open if typed => {
                self.move_focus((self.focus + 1).min(n.saturating_sub(1)), env)
            }
            Action::Open => self.open_picker(env),
            Action::ChoiceNext => self.cycle(true, env),
            Action::ChoicePrev => self.cycle(false, env),
            Action::Save => return self.save(env, false),
            Action::AcceptWarnings => return self.save(env, true),
            Action::ToggleWylie => {
                self.wylie = !self.wylie;
                self.editor.set_wylie(self.wylie);
                return Outcome::Message(Msg::info(if self.wylie {
                    "msg.wylie_on"
                } else {
                    "msg.wylie_off"
                }));
            }
            Action::AddRow => return self.add_row(),
            Action::RemoveRow => return self.remove_row(),
            Action::MoveRowUp => return self.move_row(true),
            Action::MoveRowDown => return self.move_row(false),
            Action::History => {
                return Outcome::Push(Box::new(super::history::HistoryScreen::for_target(
                    self.target,
                    env,
                )));
            }
            Action::Back => {
                if self.is_dirty() && !self.warned_back {
                    self.warned_back = true;
                    return Outcome::Message(Msg::error("form.unsaved_back"));
                }
                // Leaving on purpose discards the changes, and their draft.
                let _ = env.store.delete_draft(&self.target.draft_key());
                self.draft_since = None;
                return Outcome::Pop;
            }
            Action::Input(_)
            | Action::CursorLeft
            | Action::CursorRight
            | Action::CursorHome
            | Action::CursorEnd
            | Action::DeleteBack
            | Action::DeleteForward
                if typed =>
            {
                let before = self.editor.value().to_owned();
                match action {
                    Action::Input(c) => self.editor.insert(c),
                    Action::CursorLeft => self.editor.left(),
                    Action::CursorRight => self.editor.right(),
                    Action::CursorHome => self.editor.home(),
                    Action::CursorEnd => self.editor.end(),
                    Action::DeleteBack => self.editor.backspace(),
                    _ => self.editor.delete(),
                }
                if self.editor.value() != before
                    && let Some(slot) = self.slot()
                {
                    let value = self.editor.value().to_owned();
                    self.set_value(slot, &value, env);
                }
            }
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let lw = self.label_width(ui);
        let vx = area.x + 2 + lw as u16 + 2;
        let vw = area.width.saturating_sub(lw as u16 + 5) as usize;
        let mut top = area.y;
        if let Some((status, comment)) = &self.status {
            let mut line = format!(
                " {}: {}",
                ui.t("visit.status"),
                ui.t(&format!("code.visit_status.{status}"))
            );
            if !comment.is_empty() {
                line.push_str(&format!("  · {}: {comment}", ui.t("visit.review_comment")));
            }
            let style = if status == "returned" {
                ui.theme.error()
            } else {
                ui.theme.dim()
            };
            put(buf, area.x, top, &line, area.width as usize, style);
            top += 1;
        }
        let height = (area.y + area.height).saturating_sub(top) as usize;
        let lines = self.lines(ui);
        // Scroll so the focused field is visible, a third from the top.
        let at = lines
            .iter()
            .position(|l| matches!(l, FormLine::Field(i, _) if *i == self.focus))
            .unwrap_or(0);
        let first = at
            .saturating_sub(height / 3)
            .min(lines.len().saturating_sub(height));
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
                FormLine::Field(i, slot) => {
                    let f = self.spec.field(*slot);
                    let focused = *i == self.focus;
                    let mark = if f.required { "*" } else { " " };
                    let label = format!("{}{mark}", ui.fit(f.label, lw));
                    put(
                        buf,
                        area.x + 2,
                        y,
                        &label,
                        lw + 1,
                        if focused {
                            ui.theme.title()
                        } else {
                            Style::new()
                        },
                    );
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
                        let mut shown = self.shown_value(*slot, ui, opts);
                        if !f.kind.is_typed() && focused {
                            shown = format!("‹ {shown} ›");
                        }
                        put(buf, vx, y, &text::pad_right(&shown, vw), vw, style);
                    }
                }
                FormLine::Problem(p) => {
                    let style = if p.is_error() {
                        ui.theme.error()
                    } else {
                        ui.theme.key()
                    };
                    let sign = if p.is_error() { "✗" } else { "!" };
                    let msg = format!("{sign} {}", p.message(ui.catalog, ui.lang));
                    put(buf, vx, y, &msg, vw, style);
                }
            }
        }
        if let Some(p) = &self.picker {
            render_picker(p, area, buf, ui, self.spec.field(p.slot).label);
        }
        if self.ask == Some(Ask::AcceptWarnings) {
            crate::tui::widgets::help::confirm(area, buf, ui, "form.accept_warnings");
        }
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        if self.picker.is_some() || self.ask.is_some() || !self.focused_field_kind()?.is_typed() {
            return None;
        }
        let lw = self.label_width(ui);
        let vw = area.width.saturating_sub(lw as u16 + 5) as usize;
        let top = area.y + u16::from(self.status.is_some());
        let height = (area.y + area.height).saturating_sub(top) as usize;
        let lines = self.lines(ui);
        let at = lines
            .iter()
            .position(|l| matches!(l, FormLine::Field(i, _) if *i == self.focus))?;
        let first = at
            .saturating_sub(height / 3)
            .min(lines.len().saturating_sub(height));
        let (_, col) = self.editor.visible(self.editor_width(vw, ui));
        Some(Position {
            x: area.x + 2 + lw as u16 + 2 + col as u16,
            y: top + (at - first) as u16,
        })
    }

    fn is_dirty(&self) -> bool {
        self.data != self.saved
    }

    fn resume(&mut self, _env: &mut Env<'_>) -> Option<Msg> {
        None
    }

    fn draft_due(&self) -> Option<Instant> {
        self.draft_since
    }

    fn flush_draft(&mut self, env: &mut Env<'_>) {
        self.draft_since = None;
        let key = self.target.draft_key();
        if !self.is_dirty() {
            let _ = env.store.delete_draft(&key);
            return;
        }
        let payload = DraftPayload {
            target: self.target,
            data: self.data.clone(),
        };
        if let Ok(json) = serde_json::to_string(&payload) {
            let _ =
                env.store
                    .save_draft(&key, self.spec.name, &self.target.id().to_string(), &json);
        }
    }
}

fn render_picker(p: &Picker, area: Rect, buf: &mut Buffer, ui: &Ui<'_>, label_key: &str) {
    let rows = (p.options.len() as u16 + 2)
        .min(area.height.saturating_sub(2))
        .max(3);
    let width = area.width.saturating_sub(8).min(60);
    let r = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height: rows,
    };
    Clear.render(r, buf);
    let title = text::truncate(
        &format!(" {} ", ui.t(label_key)),
        width.saturating_sub(2) as usize,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ui.theme.border())
        .title(title);
    let inner = block.inner(r);
    block.render(r, buf);
    let visible = inner.height as usize;
    let first = p.cursor.saturating_sub(visible.saturating_sub(1));
    for (i, o) in p.options.iter().enumerate().skip(first).take(visible) {
        let y = inner.y + (i - first) as u16;
        let mark = if p.multi {
            if p.chosen.contains(&o.code) {
                "[x] "
            } else {
                "[ ] "
            }
        } else {
            ""
        };
        let style = if i == p.cursor {
            ui.theme.selected()
        } else {
            Style::new()
        };
        let line = text::pad_right(
            &format!(" {mark}{}", o.label.text(ui.catalog, ui.lang)),
            inner.width as usize,
        );
        put(buf, inner.x, y, &line, inner.width as usize, style);
    }
}

//! The one screen that shows and edits any form of `crate::forms`: the
//! renderer and key handler every form shares. A form is validated field by
//! field as the user leaves it and whole on save; save is refused with the
//! first error focused; warnings are accepted with one key. Every change is
//! kept as a draft within about a second.

use std::collections::BTreeMap;
use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

mod draw;
mod picker;
mod rows;

use picker::{Picked, Picker};

use crate::domain::Problem;
use crate::forms::{self, Draft, Form, FormData, FormSpec, Kind, Opt, RuleEnv, Slot, Target};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::review_actions::{Done, ReviewActions, VisitRef};
use crate::tui::widgets::text_input::{Edit, TextInput};

/// A question the form asks before going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// Save although there are warnings.
    AcceptWarnings,
}

pub struct FormScreen {
    target: Target,
    form: Box<dyn Form>,
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
    /// Why the record cannot be changed here (review has locked it, the
    /// database is open read-only), if it cannot.
    frozen: Option<Msg>,
    /// Said once when the form opens.
    notice: Option<Msg>,
    /// Which household a visit is of (number and head), shown above it.
    subject: Option<forms::Subject>,
    /// Submitting, approving and returning the visit shown.
    review: ReviewActions,
}

impl FormScreen {
    /// Why the record cannot be changed here now, if it cannot.
    fn why_frozen(&self, env: &Env<'_>) -> Result<Option<Msg>, crate::store::StoreError> {
        if env.store.is_read_only() {
            return Ok(Some(Msg::error("form.read_only")));
        }
        Ok(self.form.locked(env.store)?.map(|p| Msg::from_error(&p)))
    }

    /// The visit shown, as the review keys act on it (a saved visit only).
    fn visit_ref(&self) -> Option<VisitRef> {
        let Target::Visit { id, .. } = self.target else {
            return None;
        };
        let (status, _) = self.status.clone()?;
        let date = self
            .data
            .values
            .get("visit_date")
            .cloned()
            .unwrap_or_default();
        Some(VisitRef {
            id,
            status,
            household_number: self
                .subject
                .as_ref()
                .map(|s| s.number.clone())
                .unwrap_or_default(),
            date,
        })
    }

    /// Opens the form on `target`, from the database, or from `draft` if
    /// given (begun from the record as the draft read it, so a change made
    /// since is merged when it is saved).
    pub fn open(
        target: Target,
        env: &mut Env<'_>,
        draft: Option<Draft>,
    ) -> Result<FormScreen, Msg> {
        let store_err = |e: crate::store::StoreError| Msg::from_error(&e);
        let form = target.form();
        let now = form.load(env.store, env.today).map_err(store_err)?;
        let status = form.status(env.store).map_err(store_err)?;
        let from_draft = draft.is_some();
        let (data, saved) = match draft {
            Some(d) => {
                let base = d.base.unwrap_or(now);
                (d.data, base)
            }
            None => (now.clone(), now),
        };
        let spec = form.spec();
        let mut screen = FormScreen {
            target,
            form,
            spec,
            data,
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
            frozen: None,
            notice: None,
            subject: None,
            review: ReviewActions::default(),
        };
        if matches!(target, Target::Visit { .. }) {
            screen.subject = Some(
                screen
                    .form
                    .subject(env.store, &screen.data)
                    .map_err(store_err)?,
            );
        }
        screen.frozen = screen.why_frozen(env).map_err(store_err)?;
        screen.notice = screen.frozen.clone();
        for (si, s) in screen.spec.sections.iter().enumerate() {
            for (fi, f) in s.fields.iter().enumerate() {
                if matches!(
                    f.options,
                    forms::Options::Courses
                        | forms::Options::CourseIds
                        | forms::Options::Villages
                        | forms::Options::Townships
                        | forms::Options::PostTypes
                        | forms::Options::FundingSources
                        | forms::Options::Rounds
                ) {
                    let opts = forms::options(f, env.store, &screen.data, None, env.today)
                        .map_err(store_err)?;
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

    /// Puts the focused field's answer into the text editor, in Wylie
    /// mode if that is on and the field holds Tibetan.
    fn load_editor(&mut self) {
        let value = self
            .slot()
            .map(|s| self.spec.value(&self.data, s).to_owned())
            .unwrap_or_default();
        let tibetan = self
            .slot()
            .is_some_and(|s| self.spec.field(s).takes_tibetan());
        self.editor = TextInput::with_mode(&value, self.wylie && tibetan);
    }

    fn changed(&mut self) {
        self.draft_since.get_or_insert_with(Instant::now);
        self.warned_back = false;
    }

    fn set_value(&mut self, slot: Slot, value: &str, env: &Env<'_>) {
        self.spec.set(&mut self.data, slot, value, env.today);
        self.changed();
    }

    /// Checks the field being left (a date typed another way is shown
    /// as it will be stored), then moves the focus.
    fn move_focus(&mut self, to: usize, env: &Env<'_>) {
        if let Some(slot) = self.slot() {
            let found = self.spec.check_field(&self.data, slot, &self.rule_env(env));
            if found.is_empty() && self.spec.field(slot).kind == Kind::Date {
                let typed = self.spec.value(&self.data, slot).to_owned();
                if let Ok(d) = forms::parse_date(&typed)
                    && d.to_string() != typed
                {
                    self.set_value(slot, &d.to_string(), env);
                }
            }
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
            None => env.or_empty(forms::options(
                self.spec.field(slot),
                env.store,
                &self.data,
                self.form.members_section(),
                env.today,
            )),
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
        let multi = self.spec.field(slot).kind == Kind::Multi;
        let options = self.options(slot, env);
        let current = self.spec.value(&self.data, slot);
        self.picker = Some(Picker::new(slot, options, current, multi, env.catalog));
    }

    fn picker_action(&mut self, action: Action, env: &Env<'_>) -> Outcome {
        let Some(p) = self.picker.as_mut() else {
            return Outcome::None;
        };
        let slot = p.slot;
        match p.apply(action) {
            Picked::Open(Some(m)) => return Outcome::Message(m),
            Picked::Open(None) => {}
            Picked::Cancelled => self.picker = None,
            Picked::Chosen(value) => {
                self.picker = None;
                self.set_value(slot, &value, env);
                self.problems.remove(&slot);
            }
        }
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
        let mut merged_with = None;
        match self.form.save(env.store, &self.data, env.today) {
            Ok(()) => {}
            Err(StoreError::Changed { by, at, .. }) => {
                // Someone changed the record meanwhile: apply these changes
                // to it as it now is; save at once if nobody's change is lost.
                let theirs = match self.form.load(env.store, env.today) {
                    Ok(t) => t,
                    Err(e) => return Outcome::Message(Msg::from_error(&e)),
                };
                let (merged, clashes) = forms::merge(&self.saved, &self.data, &theirs);
                self.saved = theirs;
                self.data = merged;
                self.changed();
                if let Ok(Some(st)) = self.form.status(env.store) {
                    self.status = Some(st);
                }
                let who = (by, crate::clock::local_time(&at));
                if !clashes.is_empty() {
                    self.show_clashes(&clashes, &who.0);
                    self.load_editor();
                    return Outcome::Message(
                        Msg::error("form.changed_meanwhile_clash")
                            .arg("who", &who.0)
                            .arg("when", &who.1)
                            .arg("n", clashes.len()),
                    );
                }
                if let Err(e) = self.form.save(env.store, &self.data, env.today) {
                    return Outcome::Message(Msg::from_error(&e));
                }
                merged_with = Some(who);
            }
            Err(e) => return Outcome::Message(Msg::from_error(&e)),
        }
        self.draft_since = None;
        let dropped = env.store.delete_draft(&self.target.draft_key());
        // Reload: new members and answers now have their ids.
        let focus = self.focus;
        match FormScreen::open(self.target, env, None) {
            Ok(fresh) => {
                *self = fresh;
                self.focus = focus.min(self.slots().len().saturating_sub(1));
                self.load_editor();
            }
            Err(m) => return Outcome::Message(m),
        }
        match (dropped, merged_with) {
            (Err(e), _) => Outcome::Message(Msg::from_error(&e)),
            (Ok(()), Some((who, when))) => Outcome::Message(
                Msg::info("form.saved_merged")
                    .arg("who", who)
                    .arg("when", when),
            ),
            (Ok(()), None) => Outcome::Message(Msg::info("form.saved")),
        }
    }

    /// `p` with its `{value}` the answer `code` as the field shows it: a
    /// choice by its label (in whatever language is on when drawn).
    fn with_answer(&self, p: Problem, slot: Slot, answer: &str) -> Problem {
        let f = self.spec.field(slot);
        if answer.is_empty() {
            return p.arg_key("value", "form.empty_answer");
        }
        match f.options {
            forms::Options::Codes(list) if !answer.contains(' ') => {
                p.arg_key("value", list.label_key(answer))
            }
            _ if f.kind == Kind::YesNo => {
                p.arg_key("value", if answer == "1" { "form.yes" } else { "form.no" })
            }
            _ => {
                let label = self
                    .data_options
                    .get(&(slot.section, slot.field))
                    .and_then(|o| o.iter().find(|o| o.code == answer))
                    .map(|o| match &o.label {
                        forms::Label::Names { zh, bo, .. } if zh.is_empty() => bo.clone(),
                        forms::Label::Names { zh, .. } => zh.clone(),
                        forms::Label::Catalogue { zh, .. } => zh.clone(),
                        forms::Label::Place { township, village } => [&township.0, &village.0]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(" "),
                        forms::Label::Key(_)
                        | forms::Label::KeyArgs(..)
                        | forms::Label::Plain(_) => answer.to_owned(),
                    });
                p.arg("value", label.unwrap_or_else(|| answer.to_owned()))
            }
        }
    }

    /// Marks each field both sides changed: the other value under it.
    fn show_clashes(&mut self, clashes: &[forms::Clash], who: &str) {
        self.problems.clear();
        let mut first = None;
        for (i, slot) in self.slots().into_iter().enumerate() {
            let section = self.spec.sections[slot.section].name;
            let field = self.spec.field(slot).name;
            let key = slot.row.and_then(|r| {
                self.data
                    .rows(section)
                    .get(r)
                    .and_then(forms::merge::row_key)
                    .map(|k| (section.to_owned(), k))
            });
            let clash = clashes.iter().find(|c| c.field == field && c.row == key);
            if let Some(c) = clash {
                let p = Problem::warning("form.their_value").arg("who", who);
                let p = self.with_answer(p, slot, &c.theirs);
                self.problems.entry(slot).or_default().push(p);
                first.get_or_insert(i);
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
    }
}

impl Screen for FormScreen {
    fn title_key(&self) -> &'static str {
        self.spec.title
    }

    fn contexts(&self) -> Vec<Context> {
        if let Some(c) = self.review.contexts() {
            return c;
        }
        if self.ask.is_some() {
            return vec![Context::Confirm];
        }
        if let Some(p) = &self.picker {
            return p.contexts();
        }
        if self.frozen.is_some() {
            // Nothing is typed into a record that cannot change, and no
            // key that would change it is offered.
            return vec![Context::View];
        }
        match self.focused_field_kind() {
            Some(k) if k.is_typed() => vec![Context::Text, Context::Form],
            _ => vec![Context::Form],
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let review_key = matches!(action, Action::Submit | Action::Approve | Action::Return);
        if matches!(self.target, Target::Visit { .. }) && (self.review.is_active() || review_key) {
            match self.review.update(action, self.visit_ref(), env) {
                Done::NotMine => {}
                Done::Asked(m) => return m.map_or(Outcome::None, Outcome::Message),
                Done::Changed(m) => {
                    // Approved stays locked; returned opens for corrections.
                    self.status = env.ok(self.form.status(env.store)).flatten();
                    if let Some(why) = env.ok(self.why_frozen(env)) {
                        self.frozen = why;
                    }
                    self.load_editor();
                    return Outcome::Message(m);
                }
            }
        }
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
        if let Some(why) = &self.frozen {
            // A record that cannot change: moving, history and leaving work;
            // anything that would change it only explains why not.
            return match action {
                Action::NextField | Action::PrevField | Action::History | Action::Back => {
                    let n = self.slots().len().max(1);
                    match action {
                        Action::NextField => {
                            self.focus = (self.focus + 1) % n;
                            self.load_editor();
                            Outcome::None
                        }
                        Action::PrevField => {
                            self.focus = (self.focus + n - 1) % n;
                            self.load_editor();
                            Outcome::None
                        }
                        Action::History => Outcome::Open(Route::History(self.target)),
                        _ => Outcome::Pop,
                    }
                }
                _ => Outcome::Message(why.clone()),
            };
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
            Action::AddRow => return self.add_row(),
            Action::RemoveRow => return self.remove_row(),
            Action::MoveRowUp => return self.move_row(true),
            Action::MoveRowDown => return self.move_row(false),
            Action::History => return Outcome::Open(Route::History(self.target)),
            Action::Back => {
                if self.is_dirty() && !self.warned_back {
                    self.warned_back = true;
                    return Outcome::Message(Msg::error("form.unsaved_back"));
                }
                // Leaving on purpose discards the changes, and their draft.
                self.draft_since = None;
                return match env.store.delete_draft(&self.target.draft_key()) {
                    Ok(()) => Outcome::Pop,
                    Err(e) => Outcome::PopWith(Msg::from_error(&e)),
                };
            }
            Action::Input(_)
            | Action::CursorLeft
            | Action::CursorRight
            | Action::CursorHome
            | Action::CursorEnd
            | Action::DeleteBack
            | Action::DeleteForward
            | Action::ToggleWylie
                if typed || action == Action::ToggleWylie =>
            {
                let tibetan = self
                    .slot()
                    .is_some_and(|s| self.spec.field(s).takes_tibetan());
                if action == Action::ToggleWylie && !tibetan {
                    return Outcome::Message(Msg::error("msg.wylie_not_here"));
                }
                match self.editor.apply(action) {
                    Edit::Wylie(m) => {
                        self.wylie = self.editor.is_wylie();
                        return Outcome::Message(m);
                    }
                    Edit::Changed => {
                        if let Some(slot) = self.slot() {
                            let value = self.editor.value().to_owned();
                            self.set_value(slot, &value, env);
                        }
                    }
                    Edit::Moved | Edit::NotMine => {}
                }
            }
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        self.draw(area, buf, ui);
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        if self.review.is_active() {
            return self.review.cursor(area, ui);
        }
        if let Some(p) = &self.picker {
            return p.cursor_at(area, ui);
        }
        self.cursor_at(area, ui)
    }

    fn notice(&mut self) -> Option<Msg> {
        self.notice.take()
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
            let done = env.store.delete_draft(&key);
            env.ok(done);
            return;
        }
        let payload = Draft {
            target: self.target,
            data: self.data.clone(),
            base: Some(self.saved.clone()),
        };
        if let Ok(json) = serde_json::to_string(&payload) {
            let kept =
                env.store
                    .save_draft(&key, self.spec.name, &self.target.id().to_string(), &json);
            env.ok(kept);
        }
    }
}

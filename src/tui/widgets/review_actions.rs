//! Submitting, approving and returning a visit, the same wherever a visit
//! is shown (its household, the review list, the visit itself): approving
//! asks for confirmation, returning asks for the comment. The store decides
//! what the role and the visit's status allow; this only asks and explains.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use uuid::Uuid;

use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Ui};
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::{Edit, TextInput};

/// The visit the keys act on, as the screen shows it.
#[derive(Debug, Clone)]
pub struct VisitRef {
    pub id: Uuid,
    pub status: String,
    /// How the question names it: household number and visit date.
    pub household_number: String,
    pub date: String,
}

#[derive(Debug, Default)]
pub struct ReviewActions {
    /// The comment being typed to return this visit.
    returning: Option<(VisitRef, TextInput)>,
    /// The visit waiting for "approve? y/n".
    approving: Option<VisitRef>,
}

/// What a key did.
pub enum Done {
    /// Not a review key, and nothing is being asked: the screen handles it.
    NotMine,
    /// Taken (typing, asking); nothing changed yet.
    Asked(Option<Msg>),
    /// The visit's status was changed (or refused, with the reason).
    Changed(Msg),
}

impl ReviewActions {
    /// Whether a question or the comment is open (it takes the keys).
    pub fn is_active(&self) -> bool {
        self.returning.is_some() || self.approving.is_some()
    }

    /// The key contexts while asking, or `None` when the screen's own apply.
    pub fn contexts(&self) -> Option<Vec<Context>> {
        if self.approving.is_some() {
            Some(vec![Context::Confirm])
        } else if self.returning.is_some() {
            Some(vec![Context::Text, Context::Form])
        } else {
            None
        }
    }

    /// Handles `action` for `visit` (the one selected or shown).
    pub fn update(&mut self, action: Action, visit: Option<VisitRef>, env: &mut Env<'_>) -> Done {
        if let Some(v) = self.approving.take() {
            return match action {
                Action::ConfirmYes => Done::Changed(set(env, &v, "approved", "")),
                _ => Done::Asked(Some(Msg::info("review.not_approved"))),
            };
        }
        if let Some((v, input)) = self.returning.as_mut() {
            return match input.apply(action) {
                Edit::Wylie(m) => Done::Asked(Some(m)),
                Edit::Changed | Edit::Moved => Done::Asked(None),
                Edit::NotMine => match action {
                    Action::Back => {
                        self.returning = None;
                        Done::Asked(Some(Msg::info("review.not_returned")))
                    }
                    Action::Save | Action::Open => {
                        let comment = input.value().trim().to_owned();
                        if comment.is_empty() {
                            return Done::Asked(Some(Msg::error("review.comment_required")));
                        }
                        let v = v.clone();
                        self.returning = None;
                        Done::Changed(set(env, &v, "returned", &comment))
                    }
                    _ => Done::Asked(None),
                },
            };
        }
        let Some(v) = visit else {
            return match action {
                Action::Submit | Action::Approve | Action::Return => {
                    Done::Asked(Some(Msg::error("review.no_visit")))
                }
                _ => Done::NotMine,
            };
        };
        match action {
            Action::Submit => Done::Changed(set(env, &v, "submitted", "")),
            Action::Approve | Action::Return if !env.is_supervisor() => {
                Done::Asked(Some(Msg::error("review.supervisors_only")))
            }
            Action::Approve if v.status == "submitted" => {
                self.approving = Some(v);
                Done::Asked(None)
            }
            Action::Return if matches!(v.status.as_str(), "submitted" | "approved") => {
                self.returning = Some((v, TextInput::default()));
                Done::Asked(Some(Msg::info("review.type_comment")))
            }
            // Anything else the store refuses with its reason.
            Action::Approve => Done::Changed(set(env, &v, "approved", "")),
            Action::Return => Done::Changed(set(env, &v, "returned", "")),
            _ => Done::NotMine,
        }
    }

    /// Draws the question or the comment on the last row of `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let Some(y) = (area.y + area.height).checked_sub(1) else {
            return;
        };
        let w = area.width.saturating_sub(2) as usize;
        if let Some(v) = &self.approving {
            let q = question(ui, v);
            let blank = " ".repeat(area.width as usize);
            put(buf, area.x, y, &blank, area.width as usize, ui.theme.key());
            put(buf, area.x + 1, y, &q, w, ui.theme.key());
        } else if let Some((_, input)) = &self.returning {
            let label = format!("{} ", ui.t("review.comment"));
            let lw = text::width(&label);
            let blank = " ".repeat(area.width as usize);
            put(buf, area.x, y, &blank, area.width as usize, ui.theme.key());
            put(buf, area.x + 1, y, &label, w, ui.theme.key());
            let (shown, _) = input.visible(w.saturating_sub(lw + 1));
            put(
                buf,
                area.x + 1 + lw as u16,
                y,
                &text::pad_right(&shown, w.saturating_sub(lw)),
                w.saturating_sub(lw),
                ui.theme.field_focus(),
            );
        }
    }

    /// The cursor while the comment is typed.
    pub fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        let (_, input) = self.returning.as_ref()?;
        let w = area.width.saturating_sub(2) as usize;
        let lw = text::width(&format!("{} ", ui.t("review.comment")));
        let (_, col) = input.visible(w.saturating_sub(lw + 1));
        Some(Position {
            x: area.x + 1 + (lw + col) as u16,
            y: (area.y + area.height).checked_sub(1)?,
        })
    }
}

fn question(ui: &Ui<'_>, v: &VisitRef) -> String {
    let q = ui.catalog.format(
        ui.lang,
        "review.confirm_approve",
        &[("household", &v.household_number), ("date", &v.date)],
    );
    format!("{q} {}", ui.t("ui.yes_no"))
}

fn set(env: &mut Env<'_>, v: &VisitRef, status: &str, comment: &str) -> Msg {
    match env.store.set_visit_status(v.id, status, comment) {
        Ok(_) => Msg::info(match status {
            "submitted" => "review.submitted",
            "approved" => "review.approved",
            "returned" => "review.returned",
            _ => "review.done",
        }),
        Err(e) => Msg::from_error(&e),
    }
}

//! One household: its details, its members, and its visits with their
//! review status. From here a household is edited, a visit is started or
//! opened, submitted, approved or returned, and the history is shown.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use uuid::Uuid;

use crate::domain::records::{Household, Person, Village, Visit};
use crate::domain::rules;
use crate::forms::Target;
use crate::i18n::names_text;
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::{Edit, TextInput};

pub struct HouseholdScreen {
    id: Uuid,
    household: Option<Household>,
    village: Option<Village>,
    members: Vec<Person>,
    visits: Vec<Visit>,
    selected: usize,
    /// The comment being typed for returning the selected visit.
    returning: Option<TextInput>,
    today: chrono::NaiveDate,
}

impl HouseholdScreen {
    pub fn open(id: Uuid, env: &mut Env<'_>) -> HouseholdScreen {
        let mut s = HouseholdScreen {
            id,
            household: None,
            village: None,
            members: Vec::new(),
            visits: Vec::new(),
            selected: 0,
            returning: None,
            today: env.today,
        };
        s.reload(env);
        s
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.household = env.ok(env.store.get::<Household>(self.id)).flatten();
        self.village = match &self.household {
            Some(h) => env.ok(env.store.get::<Village>(h.village_id)).flatten(),
            None => None,
        };
        self.members = env.or_empty(env.store.members(self.id));
        self.visits = env.or_empty(env.store.visits_of(self.id));
        self.selected = self.selected.min(self.visits.len().saturating_sub(1));
    }

    fn selected_visit(&self) -> Option<&Visit> {
        self.visits.get(self.selected)
    }

    fn open_form(target: Target) -> Outcome {
        Outcome::Open(Route::Form(target))
    }

    /// Moves the selected visit to `status`; the store says whether the
    /// role and the visit's status allow it.
    fn review(&mut self, status: &str, comment: &str, env: &mut Env<'_>) -> Outcome {
        let Some(id) = self.selected_visit().map(|v| v.meta.id) else {
            return Outcome::None;
        };
        let result = env.store.set_visit_status(id, status, comment);
        self.reload(env);
        match result {
            Ok(_) => Outcome::Message(Msg::info("review.done")),
            Err(e) => Outcome::Message(Msg::from_error(&e)),
        }
    }
}

impl Screen for HouseholdScreen {
    fn title_key(&self) -> &'static str {
        "household.title"
    }

    fn contexts(&self) -> Vec<Context> {
        if self.returning.is_some() {
            vec![Context::Text, Context::Form]
        } else {
            vec![Context::Household, Context::List]
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if let Some(input) = self.returning.as_mut() {
            match input.apply(action) {
                Edit::Wylie(m) => return Outcome::Message(m),
                Edit::Changed | Edit::Moved => {}
                Edit::NotMine => match action {
                    Action::Back => self.returning = None,
                    Action::Save | Action::Open => {
                        let comment = input.value().trim().to_owned();
                        if comment.is_empty() {
                            return Outcome::Message(Msg::error("review.comment_required"));
                        }
                        self.returning = None;
                        return self.review("returned", &comment, env);
                    }
                    _ => {}
                },
            }
            return Outcome::None;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(self.visits.len().saturating_sub(1))
            }
            Action::First => self.selected = 0,
            Action::Last => self.selected = self.visits.len().saturating_sub(1),
            Action::Edit => {
                return Self::open_form(Target::Household {
                    id: self.id,
                    village: None,
                });
            }
            Action::NewVisit => {
                if self.members.is_empty() {
                    return Outcome::Message(Msg::error("household.no_members"));
                }
                return Self::open_form(Target::Visit {
                    id: Uuid::now_v7(),
                    household: self.id,
                });
            }
            Action::Open => {
                if let Some(v) = self.selected_visit() {
                    return Self::open_form(Target::Visit {
                        id: v.meta.id,
                        household: self.id,
                    });
                }
            }
            Action::Submit => return self.review("submitted", "", env),
            Action::Approve => return self.review("approved", "", env),
            Action::Return => {
                if !env.is_supervisor() {
                    return Outcome::Message(Msg::error("review.supervisors_only"));
                }
                if self
                    .selected_visit()
                    .is_some_and(|v| v.status == "submitted")
                {
                    self.returning = Some(TextInput::default());
                    return Outcome::Message(Msg::info("review.type_comment"));
                }
                return self.review("returned", "", env);
            }
            Action::History => {
                return Outcome::Open(Route::History(Target::Household {
                    id: self.id,
                    village: None,
                }));
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(2) as usize;
        let Some(h) = &self.household else {
            put(
                buf,
                area.x + 1,
                area.y + 1,
                &ui.t("household.missing"),
                w,
                ui.theme.error(),
            );
            return;
        };
        let village = self
            .village
            .as_ref()
            .map(|v| names_text(&v.name_zh, &v.name_bo, "", ui.lang))
            .unwrap_or_default();
        let poor = ui.t(if h.registered_poor {
            "household.poor_yes"
        } else {
            "household.poor_no"
        });
        let head = format!(
            " {} {}  ·  {village}  ·  {}  ·  {poor}",
            ui.t("household.number"),
            h.number,
            h.phone
        );
        put(
            buf,
            area.x,
            area.y,
            &head,
            area.width as usize,
            ui.theme.title(),
        );
        let mut y = area.y + 1;
        put(
            buf,
            area.x + 1,
            y,
            &ui.t("household.members"),
            w,
            ui.theme.key(),
        );
        y += 1;
        let bottom = area.y + area.height;
        // Members take at most half the body; the visits get the rest.
        let room = (area.height / 2).saturating_sub(2) as usize;
        for p in self.members.iter().take(room) {
            let age = p
                .birth_date
                .map(|b| rules::age_on(b, self.today).to_string())
                .unwrap_or_default();
            let cells = [
                (text::pad_right(&p.name_zh, 12), 12),
                (text::pad_right(&p.name_bo, 16), 16),
                (text::pad_right(&ui.t(&format!("code.sex.{}", p.sex)), 4), 4),
                (text::pad_left(&age, 3), 3),
                (
                    text::pad_right(&ui.t(&format!("code.relation.{}", p.relation)), 10),
                    10,
                ),
                (text::pad_right(if p.is_labourer { "✓" } else { "" }, 2), 2),
            ];
            let line = cells
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            put(buf, area.x + 2, y, &line, w.saturating_sub(1), Style::new());
            y += 1;
        }
        if self.members.len() > room {
            put(
                buf,
                area.x + 2,
                y,
                &format!("… +{}", self.members.len() - room),
                w,
                ui.theme.dim(),
            );
            y += 1;
        }
        y += 1;
        if y >= bottom {
            return;
        }
        put(
            buf,
            area.x + 1,
            y,
            &ui.t("household.visits"),
            w,
            ui.theme.key(),
        );
        y += 1;
        if self.visits.is_empty() {
            put(
                buf,
                area.x + 2,
                y,
                &ui.t("household.no_visits"),
                w,
                ui.theme.dim(),
            );
        }
        for (i, v) in self.visits.iter().enumerate() {
            if y >= bottom {
                break;
            }
            let status = ui.t(&format!("code.visit_status.{}", v.status));
            let kind = ui.t(&format!("code.visit_type.{}", v.visit_type));
            let mut line = format!(
                " {}  {}  {}  {}",
                v.visit_date,
                text::pad_right(&v.round, 11),
                text::pad_right(&kind, 8),
                status
            );
            if !v.review_comment.is_empty() {
                line.push_str(&format!("  · {}", v.review_comment));
            }
            let style = if i == self.selected {
                ui.theme.selected()
            } else if v.status == "returned" {
                ui.theme.error()
            } else {
                Style::new()
            };
            put(buf, area.x + 1, y, &text::pad_right(&line, w), w, style);
            y += 1;
        }
        if let Some(input) = &self.returning {
            let y = bottom.saturating_sub(1);
            let label = format!("{} ", ui.t("review.comment"));
            let lw = text::width(&label);
            put(buf, area.x + 1, y, &label, w, ui.theme.key());
            let (shown, _) = input.visible(w.saturating_sub(lw + 1));
            put(
                buf,
                area.x + 1 + lw as u16,
                y,
                &shown,
                w.saturating_sub(lw),
                ui.theme.field_focus(),
            );
        }
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<ratatui::layout::Position> {
        let input = self.returning.as_ref()?;
        let w = area.width.saturating_sub(2) as usize;
        let lw = text::width(&format!("{} ", ui.t("review.comment")));
        let (_, col) = input.visible(w.saturating_sub(lw + 1));
        Some(ratatui::layout::Position {
            x: area.x + 1 + (lw + col) as u16,
            y: area.y + area.height - 1,
        })
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.reload(env);
        None
    }
}

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
use crate::tui::widgets::list::{ListState, Table, col, render_rows};
use crate::tui::widgets::review_actions::{Done, ReviewActions, VisitRef};
use crate::tui::widgets::status_bar::put;

pub struct HouseholdScreen {
    id: Uuid,
    household: Option<Household>,
    village: Option<Village>,
    members: Vec<Person>,
    /// Each member's trainings (not dropped out), oldest first.
    trainings: Vec<Vec<crate::store::training::PersonTraining>>,
    visits: Vec<Visit>,
    /// The selected visit and the first one on screen.
    list: ListState,
    /// Submitting, approving (confirmed) and returning (with a comment).
    review: ReviewActions,
    today: chrono::NaiveDate,
}

impl HouseholdScreen {
    pub fn open(id: Uuid, env: &mut Env<'_>) -> HouseholdScreen {
        let mut s = HouseholdScreen {
            id,
            household: None,
            village: None,
            members: Vec::new(),
            trainings: Vec::new(),
            visits: Vec::new(),
            list: ListState::default(),
            review: ReviewActions::default(),
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
        let mut by_person = env
            .ok(env.store.trainings_of_household(self.id))
            .unwrap_or_default();
        self.trainings = self
            .members
            .iter()
            .map(|p| {
                let mut t = by_person.remove(&p.meta.id).unwrap_or_default();
                t.retain(|t| t.outcome != "dropped");
                t
            })
            .collect();
        self.visits = env.or_empty(env.store.visits_of(self.id));
        self.list.clamp(self.visits.len());
    }

    fn selected_visit(&self) -> Option<&Visit> {
        self.visits.get(self.list.selected)
    }

    fn open_form(target: Target) -> Outcome {
        Outcome::Open(Route::Form(target))
    }

    /// Members shown in a body of `height` rows: at most half of it.
    fn member_rows(&self, height: u16) -> usize {
        (height / 2).saturating_sub(2) as usize
    }

    /// Rows left for the visits in a body of `height` rows: below the
    /// household's line (two when the window is narrow; counted as two so
    /// the selected visit is always in view), the members (and a line
    /// saying how many more), a blank line and the visits' heading.
    fn visit_rows(&self, height: u16) -> usize {
        let room = self.member_rows(height);
        let members = self.members.len().min(room) + usize::from(self.members.len() > room);
        (height as usize).saturating_sub(5 + members)
    }

    /// The selected visit, as the review keys act on it.
    fn visit_ref(&self) -> Option<VisitRef> {
        let v = self.selected_visit()?;
        Some(VisitRef {
            id: v.meta.id,
            status: v.status.clone(),
            household_number: self
                .household
                .as_ref()
                .map(|h| h.number.clone())
                .unwrap_or_default(),
            date: v.visit_date.to_string(),
        })
    }
}

impl Screen for HouseholdScreen {
    fn title_key(&self) -> &'static str {
        "household.title"
    }

    fn contexts(&self) -> Vec<Context> {
        self.review
            .contexts()
            .unwrap_or_else(|| vec![Context::Household, Context::List])
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        match self.review.update(action, self.visit_ref(), env) {
            Done::NotMine => {}
            Done::Asked(msg) => return msg.map_or(Outcome::None, Outcome::Message),
            Done::Changed(msg) => {
                self.reload(env);
                return Outcome::Message(msg);
            }
        }
        // The visits scroll in what is left below the members.
        let page = self.visit_rows(env.body_rows).max(1);
        if self.list.apply(action, self.visits.len(), page) {
            return Outcome::None;
        }
        match action {
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
            Action::History => {
                return Outcome::Open(Route::History(Target::Household {
                    id: self.id,
                    village: None,
                }));
            }
            Action::OpenWork => {
                // The head first (the roster's first member); Tab moves on.
                return match self.members.first() {
                    Some(p) => Outcome::Open(Route::Work(p.meta.id)),
                    None => Outcome::Message(Msg::error("household.no_members")),
                };
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
            .map(|v| crate::i18n::catalogue_text(ui.catalog, &v.name_zh, &v.name_bo, "", ui.lang))
            .unwrap_or_default();
        let poor = ui.t(if h.registered_poor {
            "household.poor_yes"
        } else {
            "household.poor_no"
        });
        let head_name = self
            .members
            .iter()
            .find(|p| p.relation == "head")
            .map(|p| names_text(&p.name_zh, &p.name_bo, "", ui.lang))
            .unwrap_or_default();
        let mut parts = vec![
            format!("{} {}", ui.t("household.number"), h.number),
            head_name,
            village,
        ];
        if !h.phone.is_empty() {
            parts.push(h.phone.clone());
        }
        parts.push(poor);
        // The household's line, on two lines when one cannot hold it.
        let lines = text::flow(&parts, area.width as usize, 2);
        for (i, line) in lines.iter().enumerate() {
            put(
                buf,
                area.x,
                area.y + i as u16,
                line,
                area.width as usize,
                ui.theme.title(),
            );
        }
        let mut y = area.y + lines.len() as u16;
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
        let room = self.member_rows(area.height);
        let member_cols = [
            col("", 4),
            col("", 0),
            col("", 2),
            col("", 3),
            col("", 4),
            col("", 1),
            col("", 0),
        ];
        let cells: Vec<Vec<String>> = self
            .members
            .iter()
            .zip(&self.trainings)
            .take(room)
            .map(|(p, trainings)| {
                let courses: Vec<String> = trainings
                    .iter()
                    .map(|t| {
                        crate::i18n::catalogue_text(
                            ui.catalog,
                            &t.course_zh,
                            &t.course_bo,
                            &t.course_en,
                            ui.lang,
                        )
                    })
                    .collect();
                let age = p
                    .birth_date
                    .map(|b| rules::age_on(b, self.today).to_string())
                    .unwrap_or_default();
                vec![
                    text::clean(&p.name_zh).into_owned(),
                    text::clean(&p.name_bo).into_owned(),
                    ui.code("sex", &p.sex),
                    text::pad_left(&age, 3),
                    ui.code("relation", &p.relation),
                    if p.is_labourer { "✓" } else { "" }.to_owned(),
                    ui.join_list(&courses),
                ]
            })
            .collect();
        let table = Table::fit(&member_cols, ui, w.saturating_sub(1), &cells);
        for c in cells {
            put(
                buf,
                area.x + 2,
                y,
                &table.row(c),
                w.saturating_sub(1),
                Style::new(),
            );
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
            self.review.render(area, buf, ui);
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
        let visit_cols = [col("", 10), col("", 4), col("", 4), col("", 4), col("", 0)];
        let cells: Vec<Vec<String>> = self
            .visits
            .iter()
            .map(|v| {
                vec![
                    v.visit_date.to_string(),
                    crate::forms::round_label(&v.round).text(ui.catalog, ui.lang),
                    ui.code("visit_type", &v.visit_type),
                    ui.code("visit_status", &v.status),
                    v.review_comment.clone(),
                ]
            })
            .collect();
        let table = Table::fit(&visit_cols, ui, w.saturating_sub(1), &cells);
        let rows = Rect {
            x: area.x + 1,
            y,
            width: area.width.saturating_sub(1),
            height: bottom.saturating_sub(y),
        };
        render_rows(rows, buf, ui, &self.list, self.visits.len(), |i| {
            let style = if self.visits[i].status == "returned" {
                ui.theme.error()
            } else {
                Style::new()
            };
            (format!(" {}", table.row(cells[i].clone())), style)
        });
        self.review.render(area, buf, ui);
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<ratatui::layout::Position> {
        self.review.cursor(area, ui)
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.reload(env);
        None
    }
}

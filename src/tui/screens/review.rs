//! Visits to review. A surveyor sees returned visits first, with the
//! supervisor's comments, then their drafts; a supervisor sees submitted
//! visits awaiting approval.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::forms::Target;
use crate::store::visits::ReviewRow;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, Table, col, headings, render_rows};
use crate::tui::widgets::review_actions::{Done, ReviewActions, VisitRef};
use crate::tui::widgets::status_bar::put;

/// At most this many visits are listed (the oldest work is done first anyway).
const LIMIT: usize = 500;

pub struct ReviewScreen {
    supervisor: bool,
    rows: Vec<ReviewRow>,
    list: ListState,
    review: ReviewActions,
}

impl ReviewScreen {
    pub fn open(env: &mut Env<'_>) -> ReviewScreen {
        let mut s = ReviewScreen {
            supervisor: env.is_supervisor(),
            rows: Vec::new(),
            list: ListState::default(),
            review: ReviewActions::default(),
        };
        s.reload(env);
        s
    }

    fn statuses(&self) -> &'static [&'static str] {
        if self.supervisor {
            &["submitted"]
        } else {
            &["returned", "draft"]
        }
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.supervisor = env.is_supervisor();
        self.rows = env.or_empty(env.store.visits_by_status(self.statuses(), LIMIT));
        self.list.clamp(self.rows.len());
    }

    fn visit_ref(&self) -> Option<VisitRef> {
        let r = self.rows.get(self.list.selected)?;
        Some(VisitRef {
            id: r.visit.meta.id,
            status: r.visit.status.clone(),
            household_number: r.household_number.clone(),
            date: r.visit.visit_date.to_string(),
        })
    }
}

impl Screen for ReviewScreen {
    fn title_key(&self) -> &'static str {
        "review.title"
    }

    fn contexts(&self) -> Vec<Context> {
        self.review
            .contexts()
            .unwrap_or_else(|| vec![Context::Review, Context::List])
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
        // Below the line about the list and its (one or two) heading lines.
        let page = env.body_rows.saturating_sub(3).max(1) as usize;
        if self.list.apply(action, self.rows.len(), page) {
            return Outcome::None;
        }
        match action {
            Action::Open => {
                if let Some(r) = self.rows.get(self.list.selected) {
                    return Outcome::Open(Route::Form(Target::Visit {
                        id: r.visit.meta.id,
                        household: r.visit.household_id,
                    }));
                }
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(2) as usize;
        let about = ui.t(if self.supervisor {
            "review.about_supervisor"
        } else {
            "review.about_surveyor"
        });
        put(buf, area.x + 1, area.y, &about, w, ui.theme.dim());
        if self.rows.is_empty() {
            put(
                buf,
                area.x + 1,
                area.y + 2,
                &ui.t("review.empty"),
                w,
                ui.theme.dim(),
            );
            return;
        }
        let cols = [
            col("review.col.status", 4),
            col("review.col.date", 10),
            col("review.col.household", 18),
            col("review.col.head", 6),
            col("review.col.comment", 0),
        ];
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    ui.code("visit_status", &r.visit.status),
                    r.visit.visit_date.to_string(),
                    r.household_number.clone(),
                    r.head_name.clone(),
                    r.visit.review_comment.clone(),
                ]
            })
            .collect();
        let width = area.width.saturating_sub(1) as usize;
        let table = Table::fit(&cols, ui, width, &cells);
        let n = headings(buf, area.x + 1, area.y + 1, &table, width, ui.theme.dim());
        let rows = Rect {
            y: area.y + 1 + n,
            height: area.height.saturating_sub(1 + n),
            ..area
        };
        render_rows(rows, buf, ui, &self.list, self.rows.len(), |i| {
            let style = if self.rows[i].visit.status == "returned" {
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

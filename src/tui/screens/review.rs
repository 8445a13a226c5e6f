//! Visits to review. A surveyor sees returned visits first, with the
//! supervisor's comments, then their drafts; a supervisor sees submitted
//! visits awaiting approval.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::forms::Target;
use crate::store::visits::ReviewRow;
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, render_rows};
use crate::tui::widgets::status_bar::put;

/// At most this many visits are listed (the oldest work is done first anyway).
const LIMIT: usize = 500;

pub struct ReviewScreen {
    supervisor: bool,
    rows: Vec<ReviewRow>,
    list: ListState,
}

impl ReviewScreen {
    pub fn open(env: &mut Env<'_>) -> ReviewScreen {
        let mut s = ReviewScreen {
            supervisor: env.is_supervisor(),
            rows: Vec::new(),
            list: ListState::default(),
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

    fn set_status(&mut self, status: &str, env: &mut Env<'_>) -> Outcome {
        let Some(r) = self.rows.get(self.list.selected) else {
            return Outcome::None;
        };
        let id = r.visit.meta.id;
        let result = env.store.set_visit_status(id, status, "");
        self.reload(env);
        match result {
            Ok(_) => Outcome::Message(Msg::info("review.done")),
            Err(e) => Outcome::Message(Msg::from_error(&e)),
        }
    }
}

impl Screen for ReviewScreen {
    fn title_key(&self) -> &'static str {
        "review.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Review, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let page = env.body_rows.saturating_sub(1).max(1) as usize;
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
            Action::Approve if self.supervisor => return self.set_status("approved", env),
            Action::Submit if !self.supervisor => return self.set_status("submitted", env),
            Action::Approve | Action::Return => {
                // Returning needs a comment: it is done from the household, where it can be typed.
                return Outcome::Message(Msg::error(if self.supervisor {
                    "review.return_from_household"
                } else {
                    "review.supervisors_only"
                }));
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
        let rows = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        render_rows(rows, buf, ui, &self.list, self.rows.len(), |i| {
            let r = &self.rows[i];
            let status = ui.t(&format!("code.visit_status.{}", r.visit.status));
            let mut line = format!(
                " {}  {}  {}  {}",
                text::pad_right(&status, 8),
                r.visit.visit_date,
                text::pad_right(&r.household_number, 18),
                text::pad_right(&r.head_name, 12)
            );
            if !r.visit.review_comment.is_empty() {
                line.push_str(&format!(" · {}", r.visit.review_comment));
            }
            let style = if r.visit.status == "returned" {
                ui.theme.error()
            } else {
                Style::new()
            };
            (line, style)
        });
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.reload(env);
        None
    }
}

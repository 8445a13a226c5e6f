//! Drafts kept from forms that were not saved (the app was closed, the
//! laptop lost power): offered back at start, resumed with Enter, or discarded.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::forms::{Draft as DraftPayload, Subject};
use crate::store::drafts::Draft;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, Table, col, headings, render_rows_or_empty};
use crate::tui::widgets::status_bar::put;

pub struct DraftsScreen {
    drafts: Vec<Draft>,
    /// Which record each draft is of (household number and head).
    subjects: Vec<Subject>,
    list: ListState,
}

impl DraftsScreen {
    pub fn open(env: &Env<'_>) -> DraftsScreen {
        let mut s = DraftsScreen {
            drafts: Vec::new(),
            subjects: Vec::new(),
            list: ListState::default(),
        };
        s.reload(env);
        s
    }

    fn reload(&mut self, env: &Env<'_>) {
        self.drafts = env.or_empty(env.store.drafts());
        self.subjects = self
            .drafts
            .iter()
            .map(|d| {
                serde_json::from_str::<DraftPayload>(&d.payload)
                    .ok()
                    .and_then(|p| env.ok(p.target.form().subject(env.store, &p.data)))
                    .unwrap_or_default()
            })
            .collect();
        self.list.clamp(self.drafts.len());
    }
}

impl Screen for DraftsScreen {
    fn title_key(&self) -> &'static str {
        "drafts.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Drafts, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let page = env.body_rows.saturating_sub(3).max(1) as usize;
        if self.list.apply(action, self.drafts.len(), page) {
            return Outcome::None;
        }
        match action {
            Action::Open => {
                let Some(d) = self.drafts.get(self.list.selected) else {
                    return Outcome::None;
                };
                let Ok(payload) = serde_json::from_str::<DraftPayload>(&d.payload) else {
                    return Outcome::Message(Msg::error("drafts.unreadable"));
                };
                return Outcome::Open(Route::Draft(Box::new(payload)));
            }
            Action::Discard => {
                if let Some(d) = self.drafts.get(self.list.selected) {
                    let key = d.key.clone();
                    if let Err(e) = env.store.delete_draft(&key) {
                        return Outcome::Message(Msg::from_error(&e));
                    }
                    self.reload(env);
                    return Outcome::Message(Msg::info("drafts.discarded"));
                }
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(2) as usize;
        put(
            buf,
            area.x + 1,
            area.y,
            &ui.t("drafts.about"),
            w,
            ui.theme.dim(),
        );
        let cols = [
            col("drafts.col.form", 4),
            col("drafts.col.record", 8),
            col("drafts.col.saved", 16),
            col("drafts.col.operator", 4),
        ];
        let cells: Vec<Vec<String>> = self
            .drafts
            .iter()
            .zip(&self.subjects)
            .map(|(d, subject)| {
                vec![
                    ui.t(&format!("drafts.form.{}", d.form)),
                    subject.text(ui.lang),
                    crate::clock::local_time(&d.updated_at),
                    d.operator.clone(),
                ]
            })
            .collect();
        let width = area.width.saturating_sub(1) as usize;
        let table = Table::fit(&cols, ui, width, &cells);
        let n = if cells.is_empty() {
            0
        } else {
            headings(buf, area.x + 1, area.y + 1, &table, width, ui.theme.dim())
        };
        let rows = Rect {
            y: area.y + 1 + n.max(1),
            height: area.height.saturating_sub(1 + n.max(1)),
            ..area
        };
        let len = self.drafts.len();
        render_rows_or_empty(rows, buf, ui, &self.list, len, "drafts.empty", |i| {
            (format!(" {}", table.row(cells[i].clone())), Style::new())
        });
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.reload(env);
        None
    }
}

//! The gazetteer: the villages of one township at a time (←/→ changes the
//! township), with their codes, names and exit years; add and edit villages.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use uuid::Uuid;

use crate::domain::records::{Township, Village};
use crate::forms::Target;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, Table, col, headings, render_rows_or_empty};
use crate::tui::widgets::status_bar::put;

pub struct VillagesScreen {
    townships: Vec<Township>,
    township: usize,
    villages: Vec<Village>,
    list: ListState,
}

impl VillagesScreen {
    pub fn open(env: &mut Env<'_>) -> VillagesScreen {
        let mut s = VillagesScreen {
            townships: env.or_empty(env.store.townships()),
            township: 0,
            villages: Vec::new(),
            list: ListState::default(),
        };
        s.reload(env);
        s
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.villages = match self.townships.get(self.township) {
            Some(t) => env.or_empty(env.store.villages_of(t.meta.id)),
            None => Vec::new(),
        };
        self.list.clamp(self.villages.len());
    }

    fn form(target: Target) -> Outcome {
        Outcome::Open(Route::Form(target))
    }
}

impl Screen for VillagesScreen {
    fn title_key(&self) -> &'static str {
        "villages.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Villages, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let page = env.body_rows.saturating_sub(3).max(1) as usize;
        let n = self.townships.len().max(1);
        if self.list.apply(action, self.villages.len(), page) {
            return Outcome::None;
        }
        match action {
            Action::ChoiceNext | Action::ChoicePrev => {
                self.township = if action == Action::ChoiceNext {
                    (self.township + 1) % n
                } else {
                    (self.township + n - 1) % n
                };
                self.list = ListState::default();
                self.reload(env);
            }
            Action::Open => {
                if let Some(v) = self.villages.get(self.list.selected) {
                    return Self::form(Target::Village {
                        id: v.meta.id,
                        township: None,
                    });
                }
            }
            Action::NewRecord => {
                let Some(t) = self.townships.get(self.township) else {
                    return Outcome::Message(Msg::error("villages.no_townships"));
                };
                return Self::form(Target::Village {
                    id: Uuid::now_v7(),
                    township: Some(t.meta.id),
                });
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let t = self.townships.get(self.township);
        let name = t
            .map(|t| crate::i18n::catalogue_text(ui.catalog, &t.name_zh, &t.name_bo, "", ui.lang))
            .unwrap_or_default();
        let code = t.map(|t| t.code.as_str()).unwrap_or_default();
        let head = format!(
            " ‹ {name} {code} › ({}/{})",
            self.township + 1,
            self.townships.len()
        );
        put(
            buf,
            area.x,
            area.y,
            &head,
            area.width as usize,
            ui.theme.title(),
        );
        let cols = [
            col("village.code", 12),
            col("village.name_zh", 6),
            col("village.name_bo", 6),
            col("village.exit_year", 4),
        ];
        let cells: Vec<Vec<String>> = self
            .villages
            .iter()
            .map(|v| {
                vec![
                    v.code.clone(),
                    v.name_zh.clone(),
                    v.name_bo.clone(),
                    v.exit_year.map(|y| y.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let w = area.width as usize;
        let table = Table::fit(&cols, ui, w.saturating_sub(1), &cells);
        let n = headings(buf, area.x + 1, area.y + 1, &table, w, ui.theme.dim());
        let rows = Rect {
            y: area.y + 1 + n,
            height: area.height.saturating_sub(1 + n),
            ..area
        };
        let len = self.villages.len();
        render_rows_or_empty(rows, buf, ui, &self.list, len, "villages.empty", |i| {
            (format!(" {}", table.row(cells[i].clone())), Style::new())
        });
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.reload(env);
        None
    }
}

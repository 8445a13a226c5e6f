//! The change history of a record from the audit log: who, when, which
//! field, before and after. A household's history includes its members', a
//! visit's includes its answers.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use serde_json::{Map, Value};

use crate::clock::local_time;
use crate::forms::Target;
use crate::store::audit::AuditEntry;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Outcome, Screen, Ui};
use crate::tui::widgets::status_bar::put;

/// Columns every row has that say nothing about what changed.
const BOOKKEEPING: [&str; 5] = ["id", "created_at", "updated_at", "operator", "device_id"];

/// One line of history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Local time (China Standard Time), `YYYY-MM-DD HH:MM`.
    pub when: String,
    pub who: String,
    pub table: String,
    /// `insert`, `update`, `delete`.
    pub action: String,
    /// The field, and its value before and after; none for a whole-row line.
    pub field: Option<(String, String, String)>,
    /// What the record is called (a name, a number, a code, a date).
    pub name: String,
}

pub struct HistoryScreen {
    changes: Vec<Change>,
    first: usize,
}

impl HistoryScreen {
    pub fn open(target: Target, env: &Env<'_>) -> HistoryScreen {
        let entries = env.or_empty(target.form().history(env.store));
        HistoryScreen {
            changes: changes(&entries),
            first: 0,
        }
    }
}

fn object(json: Option<&str>) -> Map<String, Value> {
    json.and_then(|j| serde_json::from_str::<Value>(j).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
}

fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The audit entries as lines, newest first: one line for a record created
/// or deleted, one per changed field for an update.
pub fn changes(entries: &[AuditEntry]) -> Vec<Change> {
    let mut out = Vec::new();
    for e in entries.iter().rev() {
        let before = object(e.before.as_deref());
        let after = object(e.after.as_deref());
        let name = ["name_zh", "name_bo", "number", "code", "visit_date"]
            .iter()
            .map(|k| show(after.get(*k).or_else(|| before.get(*k))))
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        let base = Change {
            when: local_time(&e.at),
            who: e.operator.clone(),
            table: e.table.clone(),
            action: e.action.clone(),
            field: None,
            name,
        };
        let mut fields: Vec<&String> = after.keys().chain(before.keys()).collect();
        fields.sort();
        fields.dedup();
        let mut any = false;
        for f in fields {
            // References are ids, meaningless to read; the record itself is named by its line.
            if BOOKKEEPING.contains(&f.as_str()) || f.ends_with("_id") || e.action != "update" {
                continue;
            }
            let (b, a) = (show(before.get(f)), show(after.get(f)));
            if b != a {
                any = true;
                out.push(Change {
                    field: Some((f.clone(), b, a)),
                    ..base.clone()
                });
            }
        }
        if !any {
            out.push(base);
        }
    }
    out
}

impl Screen for HistoryScreen {
    fn title_key(&self) -> &'static str {
        "history.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let page = env.body_rows.saturating_sub(2) as usize;
        let last = self.changes.len().saturating_sub(1);
        self.first = match action {
            Action::Up => self.first.saturating_sub(1),
            Action::Down => (self.first + 1).min(last),
            Action::PageUp => self.first.saturating_sub(page),
            Action::PageDown => (self.first + page).min(last),
            Action::First => 0,
            Action::Last => self.changes.len().saturating_sub(page),
            Action::Back => return Outcome::Pop,
            _ => self.first,
        };
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(2) as usize;
        if self.changes.is_empty() {
            put(
                buf,
                area.x + 1,
                area.y + 1,
                &ui.t("history.empty"),
                w,
                ui.theme.dim(),
            );
            return;
        }
        for (row, c) in self
            .changes
            .iter()
            .skip(self.first)
            .take(area.height as usize)
            .enumerate()
        {
            let y = area.y + row as u16;
            let action = ui.t(&format!("history.action.{}", c.action));
            let mut x = area.x + 1;
            x += put(buf, x, y, &c.when, w, ui.theme.dim()) as u16 + 1;
            let who = crate::text::pad_right(&c.who, 8);
            x += put(buf, x, y, &who, 8, ui.theme.key()) as u16 + 1;
            x += put(buf, x, y, &action, 12, Style::new()) as u16 + 1;
            let room = (area.x + area.width).saturating_sub(x) as usize;
            let detail = match &c.field {
                Some((f, b, a)) => {
                    let key = format!("{}.{f}", c.table);
                    let label = if ui.catalog.get(crate::i18n::Locale::En, &key).is_some() {
                        ui.t(&key)
                    } else {
                        f.clone()
                    };
                    format!(
                        "{} {} · {label}: {b} → {a}",
                        ui.t(&format!("history.table.{}", c.table)),
                        c.name
                    )
                }
                None => format!("{} {}", ui.t(&format!("history.table.{}", c.table)), c.name),
            };
            put(buf, x, y, &detail, room, Style::new());
        }
    }
}

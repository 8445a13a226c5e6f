//! A person's work: their employment records and the public-welfare posts
//! they held (from the assignments, not entered twice), latest first, with
//! the training a job followed. Opened from the household screen (Tab
//! moves to the next member) and from home through search. `n` records new
//! work or plans, Enter edits (a post opens the post), `b` enters the same
//! project for more workers picked by search.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use uuid::Uuid;

use crate::domain::employment::{is_work, months_worked};
use crate::domain::records::{EmploymentRecord, Household, Person};
use crate::domain::rules::format_yuan;
use crate::forms::Target;
use crate::i18n::{catalogue_text, names_text};
use crate::store::employment::{TrainingLink, WorkLine};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, Table, col, headings, render_rows_or_empty};
use crate::tui::widgets::status_bar::put;

pub struct WorkScreen {
    person: Uuid,
    /// The household's members, to move between with Tab.
    members: Vec<Person>,
    household: Option<Household>,
    lines: Vec<WorkLine>,
    /// The training each line followed, if any.
    trainings: Vec<Option<TrainingLink>>,
    /// Months that count as transfer employment.
    transfer_months: i64,
    /// The month running work is counted to (this month).
    until: String,
    list: ListState,
}

impl WorkScreen {
    pub fn open(person: Uuid, env: &mut Env<'_>) -> WorkScreen {
        let mut s = WorkScreen {
            person,
            members: Vec::new(),
            household: None,
            lines: Vec::new(),
            trainings: Vec::new(),
            transfer_months: 3,
            until: env.today.format("%Y-%m").to_string(),
            list: ListState::default(),
        };
        s.reload(env);
        s
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        let me = env.ok(env.store.get::<Person>(self.person)).flatten();
        self.household = me
            .as_ref()
            .and_then(|p| env.ok(env.store.get::<Household>(p.household_id)).flatten());
        self.members = match &self.household {
            Some(h) => env.or_empty(env.store.members(h.meta.id)),
            None => me.into_iter().collect(),
        };
        self.lines = env.or_empty(env.store.work_of_person(self.person));
        self.trainings = self
            .lines
            .iter()
            .map(|l| match l {
                WorkLine::Record(r) => env.ok(env.store.training_before(r)).flatten(),
                WorkLine::Post(_) => None,
            })
            .collect();
        self.transfer_months = env.ok(env.store.transfer_months()).unwrap_or(3);
        self.list.clamp(self.lines.len());
    }

    fn me(&self) -> Option<&Person> {
        self.members.iter().find(|p| p.meta.id == self.person)
    }

    /// The next (or previous) member of the household.
    fn step(&mut self, forward: bool, env: &mut Env<'_>) {
        let n = self.members.len();
        let Some(i) = self.members.iter().position(|p| p.meta.id == self.person) else {
            return;
        };
        if n < 2 {
            return;
        }
        let j = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        self.person = self.members[j].meta.id;
        self.list = ListState::default();
        self.reload(env);
    }

    fn selected_record(&self) -> Option<&EmploymentRecord> {
        match self.lines.get(self.list.selected) {
            Some(WorkLine::Record(r)) => Some(r),
            _ => None,
        }
    }

    fn cells(&self, ui: &Ui<'_>) -> Vec<Vec<String>> {
        let until = &self.until;
        self.lines
            .iter()
            .map(|l| match l {
                WorkLine::Post(p) => vec![
                    months(&l.start_month(), l.end_month().as_deref(), until),
                    ui.code("place_tier", "in_county"),
                    ui.code("work_channel", "welfare_post"),
                    catalogue_text(ui.catalog, &p.post.zh, &p.post.bo, &p.post.en, ui.lang),
                    String::new(),
                ],
                WorkLine::Record(r) if is_work(&r.kind) => vec![
                    months(&l.start_month(), l.end_month().as_deref(), until),
                    if r.place_tier == "in_county" {
                        ui.code("place_tier", &r.place_tier)
                    } else {
                        format!("{} {}", ui.code("place_tier", &r.place_tier), r.work_county)
                    },
                    ui.code("work_channel", &r.channel),
                    r.employer.clone(),
                    r.monthly_income_fen.map(format_yuan).unwrap_or_default(),
                ],
                WorkLine::Record(r) => {
                    let mut plan = vec![match r.plans_to_work {
                        Some(true) => ui.t("employment.plans_yes"),
                        Some(false) => ui.t("employment.plans_no"),
                        None => ui.t("employment.not_working"),
                    }];
                    if !r.planned_tier.is_empty() {
                        plan.push(ui.code("place_tier", &r.planned_tier));
                    }
                    let services: Vec<String> = r
                        .services_wanted
                        .iter()
                        .map(|c| ui.code("service_wanted", c))
                        .collect();
                    vec![
                        ui.t("employment.plans"),
                        ui.join_list(&plan),
                        ui.join_list(&services),
                        String::new(),
                        String::new(),
                    ]
                }
            })
            .collect()
    }
}

/// "2025-04–06 (3)", "2025-11–2026-02 (4)", or "2026-01– (11)" while the
/// work goes on.
fn months(start: &str, end: Option<&str>, until: &str) -> String {
    let n = months_worked(start, end, until).unwrap_or(0);
    let end = match end {
        Some(e) if e.get(..5) == start.get(..5) => &e[5..],
        Some(e) => e,
        None => "",
    };
    format!("{start}–{end} ({n})")
}

const COLS: [crate::tui::widgets::list::Col; 5] = [
    col("employment.col.months", 10),
    col("snapshot.col.place_tier", 6),
    col("snapshot.col.channel", 6),
    col("snapshot.col.employer", 6),
    col("employment.col.monthly", 6),
];

impl Screen for WorkScreen {
    fn title_key(&self) -> &'static str {
        "work.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Work, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.lines.len(), 8) {
            return Outcome::None;
        }
        match action {
            Action::NextField => self.step(true, env),
            Action::PrevField => self.step(false, env),
            Action::NewRecord => {
                if self.me().is_none() {
                    return Outcome::Message(Msg::error("employment.error.no_person"));
                }
                return Outcome::Open(Route::Form(Target::Employment {
                    id: Uuid::now_v7(),
                    person: self.person,
                }));
            }
            Action::Open | Action::Edit => match self.lines.get(self.list.selected) {
                Some(WorkLine::Record(r)) => {
                    return Outcome::Open(Route::Form(Target::Employment {
                        id: r.meta.id,
                        person: self.person,
                    }));
                }
                Some(WorkLine::Post(p)) => {
                    return Outcome::Open(Route::Post(p.assignment.post_id));
                }
                None => {}
            },
            Action::AddWorkers => match self.selected_record() {
                Some(r) if is_work(&r.kind) => {
                    return Outcome::Open(Route::ProjectWorkers(r.meta.id));
                }
                _ => return Outcome::Message(Msg::error("work.choose_project")),
            },
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.reload(env);
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let inner = w.saturating_sub(2);
        let Some(me) = self.me() else {
            put(
                buf,
                area.x + 1,
                area.y,
                &ui.t("work.gone"),
                inner,
                ui.theme.dim(),
            );
            return;
        };
        let name = names_text(&me.name_zh, &me.name_bo, "", ui.lang);
        let number = self
            .household
            .as_ref()
            .map(|h| h.number.clone())
            .unwrap_or_default();
        let position = self
            .members
            .iter()
            .position(|p| p.meta.id == self.person)
            .unwrap_or(0);
        let who = format!(
            "{name}  {number}  {}",
            ui.catalog.format(
                ui.lang,
                "work.member_of",
                &[
                    ("n", &(position + 1).to_string()),
                    ("total", &self.members.len().to_string())
                ]
            )
        );
        put(buf, area.x + 1, area.y, &who, inner, ui.theme.title());
        let setting = ui.catalog.format(
            ui.lang,
            "work.transfer_note",
            &[("months", &self.transfer_months.to_string())],
        );
        put(buf, area.x + 1, area.y + 1, &setting, inner, ui.theme.dim());
        let y = area.y + 3;
        if y >= area.y + area.height {
            return;
        }
        let cells = self.cells(ui);
        let table = Table::fit(&COLS, ui, w.saturating_sub(1), &cells);
        let n = headings(buf, area.x + 1, y, &table, w, ui.theme.dim());
        // The training a selected job followed, on the last line.
        let note = self
            .trainings
            .get(self.list.selected)
            .and_then(Option::as_ref)
            .map(|t| {
                ui.catalog.format(
                    ui.lang,
                    "work.after_training",
                    &[
                        (
                            "course",
                            &catalogue_text(
                                ui.catalog,
                                &t.course_zh,
                                &t.course_bo,
                                &t.course_en,
                                ui.lang,
                            ),
                        ),
                        ("code", &t.session_code),
                        ("end", &t.session_end.to_string()),
                    ],
                )
            });
        let bottom = u16::from(note.is_some());
        let rest = Rect {
            y: y + n,
            height: (area.y + area.height).saturating_sub(y + n + bottom),
            ..area
        };
        render_rows_or_empty(rest, buf, ui, &self.list, cells.len(), "work.none", |i| {
            (format!(" {}", table.row(cells[i].clone())), Style::new())
        });
        if let Some(note) = note {
            let yb = area.y + area.height - 1;
            put(buf, area.x + 1, yb, &note, inner, ui.theme.dim());
        }
    }
}

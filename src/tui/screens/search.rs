//! Search, from every screen with `/`: results update as you type, by name
//! (Chinese, Tibetan, pinyin, Wylie), ID number, household number or phone.
//! Each result shows the person, household, village, current post, trainings
//! and last visit; Enter opens the household.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use crate::i18n::{catalogue_text, names_text};
use crate::search::Hit;
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, Table, col};
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::{Edit, TextInput};

/// Rows above the results: the query line and a blank.
const HEADER_ROWS: u16 = 2;
/// Rows per result: the person and household, then post, trainings, last visit.
const ROWS_PER_HIT: u16 = 2;

pub struct SearchScreen {
    /// Enrolling into a session: Enter enrols the person chosen.
    enrol: Option<EnrolInto>,
    /// Looking for a person's work: Enter opens it.
    work: bool,
    /// Adding workers to a project: Enter records the project's work for
    /// the person chosen.
    project: Option<ProjectInto>,
    input: TextInput,
    hits: Vec<Hit>,
    more: bool,
    list: ListState,
    failed: bool,
}

/// The session search enrols into, and a person refused for a subsidy
/// limit, whom a supervisor may accept.
struct EnrolInto {
    session: uuid::Uuid,
    code: String,
    pending: Option<uuid::Uuid>,
}

/// The project workers are added to: a record whose employer, place,
/// channel, months and income each new worker's record copies.
struct ProjectInto {
    template: crate::domain::records::EmploymentRecord,
    added: usize,
}

impl SearchScreen {
    /// Search whose Enter opens the chosen person's work.
    pub fn for_work() -> SearchScreen {
        SearchScreen {
            work: true,
            ..SearchScreen::open()
        }
    }

    /// Search that adds the person chosen to the project of record `id`.
    pub fn adding_workers(id: uuid::Uuid, env: &mut Env<'_>) -> Result<SearchScreen, Msg> {
        let template = env
            .ok(env
                .store
                .get::<crate::domain::records::EmploymentRecord>(id))
            .flatten()
            .ok_or_else(|| {
                env.take_error()
                    .unwrap_or_else(|| Msg::error("work.choose_project"))
            })?;
        Ok(SearchScreen {
            project: Some(ProjectInto { template, added: 0 }),
            ..SearchScreen::open()
        })
    }

    /// Records the project's work for the chosen hit.
    fn add_worker(&mut self, env: &mut Env<'_>) -> Outcome {
        let Some(into) = self.project.as_mut() else {
            return Outcome::None;
        };
        let Some(hit) = self.hits.get(self.list.selected) else {
            return Outcome::None;
        };
        let Some(person) = hit.person_id else {
            return Outcome::None;
        };
        let name = crate::i18n::names_text(&hit.name_zh, &hit.name_bo, "", *env.lang);
        match env.store.save_project_work(&into.template, &[person]) {
            Ok(_) => {
                into.added += 1;
                self.input = TextInput::default();
                self.hits.clear();
                let project = into.template.employer.clone();
                Outcome::Message(
                    Msg::info("work.worker_added")
                        .arg("name", &name)
                        .arg("project", project)
                        .arg("n", into.added),
                )
            }
            Err((_, e)) => Outcome::Message(Msg::from_error(&e)),
        }
    }

    /// Search that enrols the person chosen into session `id`.
    pub fn enrolling(id: uuid::Uuid, env: &mut Env<'_>) -> Result<SearchScreen, Msg> {
        let session = env
            .ok(env.store.get::<crate::domain::records::TrainingSession>(id))
            .flatten()
            .ok_or_else(|| {
                env.take_error()
                    .unwrap_or_else(|| Msg::error("training.error.no_session"))
            })?;
        Ok(SearchScreen {
            enrol: Some(EnrolInto {
                session: id,
                code: session.code,
                pending: None,
            }),
            ..SearchScreen::open()
        })
    }

    /// Enrols the chosen hit; says what happened, with any warning.
    fn enrol_hit(&mut self, accept: bool, env: &mut Env<'_>) -> Outcome {
        let Some(into) = self.enrol.as_mut() else {
            return Outcome::None;
        };
        let Some(hit) = self.hits.get(self.list.selected) else {
            return Outcome::None;
        };
        let Some(person) = hit.person_id else {
            return Outcome::None;
        };
        let name = crate::i18n::names_text(&hit.name_zh, &hit.name_bo, "", *env.lang);
        match env.store.enrol(into.session, person, accept) {
            Ok((_, warnings)) => {
                into.pending = None;
                let n = env
                    .store
                    .enrolments_of(into.session)
                    .map(|e| e.len())
                    .unwrap_or_default();
                self.input = TextInput::default();
                self.hits.clear();
                // A minor, or an older trainee in a school-leavers' session:
                // enrolled, and said so.
                let age = |w: &crate::domain::Problem| {
                    w.args
                        .iter()
                        .find(|a| a.0 == "age")
                        .map(|a| a.1.clone())
                        .unwrap_or_default()
                };
                let msg = match warnings.iter().find(|w| w.key == "rule.age.minor") {
                    Some(w) => Msg::info("enrol.done_minor").arg("age", age(w)),
                    None => match warnings.first() {
                        Some(w) if w.key == "training.warning.older_in_school_leavers" => {
                            Msg::info("enrol.done_older").arg("age", age(w))
                        }
                        _ => Msg::info("enrol.done"),
                    },
                };
                Outcome::Message(msg.arg("name", &name).arg("code", &into.code).arg("n", n))
            }
            Err(e) => {
                let limit = matches!(&e, crate::store::StoreError::Invalid { problem, .. }
                    if problem.key.starts_with("training.limit."));
                into.pending = (limit && env.is_supervisor()).then_some(person);
                // A limit's text says a supervisor can accept it; the footer
                // offers Ctrl-W to one.
                let m = Msg::from_error(&e);
                Outcome::Message(m)
            }
        }
    }

    pub fn open() -> SearchScreen {
        SearchScreen {
            enrol: None,
            work: false,
            project: None,
            input: TextInput::default(),
            hits: Vec::new(),
            more: false,
            list: ListState::default(),
            failed: false,
        }
    }

    /// Results that fit on the screen.
    fn capacity(body_rows: u16) -> usize {
        (body_rows.saturating_sub(HEADER_ROWS) / ROWS_PER_HIT).max(1) as usize
    }

    fn run(&mut self, env: &Env<'_>) {
        let limit = Self::capacity(env.body_rows);
        match env.ok(env.store.search(self.input.value(), limit)) {
            Some(r) => {
                self.hits = r.hits;
                self.more = r.more;
                self.failed = false;
            }
            None => {
                self.hits.clear();
                self.failed = true;
            }
        }
        self.list = ListState::default();
    }

    /// The cells of a hit's first line: name, ID number, household, village.
    fn hit_cells(hit: &Hit, ui: &Ui<'_>) -> Vec<String> {
        vec![
            names_text(&hit.name_zh, &hit.name_bo, "", ui.lang),
            hit.id_masked.clone(),
            hit.household_number.clone(),
            catalogue_text(ui.catalog, &hit.village_zh, &hit.village_bo, "", ui.lang),
        ]
    }

    /// A hit's second line: posts, trainings, last visit.
    fn hit_more(&self, hit: &Hit, ui: &Ui<'_>) -> String {
        let mut parts = Vec::new();
        if !hit.posts.is_empty() {
            let posts: Vec<String> = hit
                .posts
                .iter()
                .map(|p| p.show(ui.catalog, ui.lang))
                .collect();
            parts.push(format!("{} {}", ui.t("search.post"), ui.join_list(&posts)));
        }
        if !hit.trainings.is_empty() {
            let courses: Vec<String> = hit
                .trainings
                .iter()
                .map(|c| c.show(ui.catalog, ui.lang))
                .collect();
            parts.push(format!(
                "{} {}",
                ui.t("search.trainings"),
                ui.join_list(&courses)
            ));
        }
        let visit = hit
            .last_visit
            .map(|d| d.to_string())
            .unwrap_or_else(|| ui.t("search.never_visited"));
        parts.push(format!("{} {visit}", ui.t("search.last_visit")));
        format!("     {}", parts.join("  ·  "))
    }
}

impl Screen for SearchScreen {
    fn title_key(&self) -> &'static str {
        if self.enrol.is_some() {
            "enrol.title"
        } else if self.project.is_some() {
            "work.add_workers_title"
        } else if self.work {
            "work.search_title"
        } else {
            "search.title"
        }
    }

    fn contexts(&self) -> Vec<Context> {
        if self.enrol.is_some() {
            vec![Context::Enrol, Context::Text, Context::List]
        } else {
            vec![Context::Text, Context::List]
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        match self.input.apply(action) {
            Edit::Changed => self.run(env),
            Edit::Moved => {}
            Edit::Wylie(m) => return Outcome::Message(m),
            Edit::NotMine => match action {
                Action::Open if self.enrol.is_some() => return self.enrol_hit(false, env),
                Action::Open if self.project.is_some() => return self.add_worker(env),
                Action::Open if self.work => {
                    if let Some(p) = self.hits.get(self.list.selected).and_then(|h| h.person_id) {
                        return Outcome::Open(Route::Work(p));
                    }
                }
                Action::AcceptWarnings => {
                    let pending = self.enrol.as_ref().and_then(|e| e.pending);
                    let chosen = self.hits.get(self.list.selected).and_then(|h| h.person_id);
                    if pending.is_some() && pending == chosen {
                        return self.enrol_hit(true, env);
                    }
                }
                Action::Open => {
                    if let Some(hit) = self.hits.get(self.list.selected) {
                        return Outcome::Open(Route::Household(hit.household_id));
                    }
                }
                Action::Back => return Outcome::Pop,
                other => {
                    self.list
                        .apply(other, self.hits.len(), Self::capacity(env.body_rows));
                }
            },
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let label = format!(" {} ", ui.t("search.prompt"));
        let lw = text::width(&label);
        put(buf, area.x, area.y, &label, w, ui.theme.key());
        let (shown, _) = self.input.visible(w.saturating_sub(lw + 1));
        put(
            buf,
            area.x + lw as u16,
            area.y,
            &shown,
            w.saturating_sub(lw),
            ui.theme.field_focus(),
        );
        let y0 = area.y + HEADER_ROWS;
        if self.input.value().trim().is_empty() {
            put(
                buf,
                area.x + 1,
                y0,
                &ui.t("search.help"),
                w.saturating_sub(2),
                ui.theme.dim(),
            );
            return;
        }
        if self.failed || self.hits.is_empty() {
            let key = if self.failed {
                "search.failed"
            } else {
                "search.none"
            };
            put(
                buf,
                area.x + 1,
                y0,
                &ui.t(key),
                w.saturating_sub(2),
                ui.theme.dim(),
            );
            return;
        }
        let room = ((area.y + area.height).saturating_sub(y0) / ROWS_PER_HIT) as usize;
        let shown = self.list.visible(self.hits.len(), room);
        let cells: Vec<Vec<String>> = self.hits[shown.clone()]
            .iter()
            .map(|h| Self::hit_cells(h, ui))
            .collect();
        let cols = [col("", 6), col("", 18), col("", 18), col("", 4)];
        let table = Table::fit(&cols, ui, w.saturating_sub(1), &cells);
        for ((row, i), cells) in shown.enumerate().zip(cells) {
            let y = y0 + row as u16 * ROWS_PER_HIT;
            let first = format!(" {}", table.row(cells));
            let second = self.hit_more(&self.hits[i], ui);
            let style = if i == self.list.selected {
                ui.theme.selected()
            } else {
                Style::new()
            };
            put(buf, area.x, y, &text::pad_right(&first, w), w, style);
            put(buf, area.x, y + 1, &second, w, ui.theme.dim());
        }
        if self.more {
            let y = area.y + area.height - 1;
            let more = ui.t("search.more");
            let mw = text::width(&more);
            put(
                buf,
                area.x + w.saturating_sub(mw + 1) as u16,
                y,
                &more,
                mw,
                ui.theme.dim(),
            );
        }
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        let lw = text::width(&format!(" {} ", ui.t("search.prompt")));
        let (_, col) = self
            .input
            .visible((area.width as usize).saturating_sub(lw + 1));
        Some(Position {
            x: area.x + (lw + col) as u16,
            y: area.y,
        })
    }
}
